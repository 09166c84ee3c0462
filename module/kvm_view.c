// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm view (kvm_view.h): kvm_intel's load as the engine computed it,
 * printed as what a real load leaves behind.  Shared by the module and
 * vmcsctl, so that the live module and the offline tool print the same
 * lines for the same inputs.
 */
#include "kvm_view.h"
#include "text.h"
#include "vmx_regs.h"

/* A new line "@key " in @l, whose buffer is @buf. */
static void vp_kv_start(struct vp_text *l, char *buf, const char *key)
{
	vp_text_init(l, buf, VP_KVM_VIEW_LINE_MAX);
	vp_text_str(l, key);
	vp_text_chr(l, ' ');
}

/*
 * Mirror of vmx_check_processor_compat() as the compat loop sees it: 6.1
 * tests this CPU's FEAT_CTL and VMX feature flags, 6.12 and later call
 * __kvm_is_vmx_supported(), either way -EIO; then setup_vmcs_config()
 * and the memcmp() against the global config, also -EIO.  The recomputed
 * config @cfg comes from vp_compute_cpu().
 */
bool vp_kvm_cpu_fails(enum vp_support support, int ret,
		      const struct vp_config *ref, const struct vp_config *cfg)
{
	if (support != VP_VMX_OK || ret)
		return true;
	return vp_config_compare(ref, cfg, NULL, NULL) != 0;
}

/*
 * Mirror of what vmx_init() returns, as far as the engine knows it:
 *  - -EOPNOTSUPP when VMX is not usable: 6.12's kvm_is_vmx_supported()
 *    in vmx_init() asks the loading CPU for both CPUID.1:ECX.VMX and
 *    the feature flags IA32_FEAT_CTL leaves; 6.1's kvm_arch_init() asks
 *    the loading CPU's CPUID (cpu_has_kvm_support()) but the boot CPU's
 *    flags (vmx_disabled_by_bios(): boot_cpu_has()), so that a loading
 *    CPU whose IA32_FEAT_CTL disables VMX gets past it and is refused
 *    later, by the compat check (found by the kvm-oracle lane);
 *  - what hardware setup returned (-EIO when setup_vmcs_config() fails,
 *    -EOPNOTSUPP for shadow paging without NX);
 *  - -EIO when a CPU fails the compat check, which runs after hardware
 *    setup on every online CPU (kvm_init() in 6.1,
 *    __kvm_x86_vendor_init() in 6.12).
 */
bool vp_kvm_setup_reached(enum vp_kvm kvm, enum vp_support ref)
{
	if (vp_kvm_version(kvm)->feat_ctl_of_loading_cpu)
		return ref == VP_VMX_OK;
	return ref != VP_VMX_UNSUPPORTED;
}

int vp_kvm_view_load(const struct vp_kvm_view *v)
{
	if (!vp_kvm_setup_reached(v->kvm, v->ref_support) ||
	    (!vp_kvm_version(v->kvm)->feat_ctl_of_loading_cpu &&
	     v->boot_support != VP_VMX_OK))
		return -EOPNOTSUPP;
	if (v->ref_ret)
		return v->ref_ret;
	if (v->blame >= 0)
		return -EIO;
	return 0;
}

int vp_kvm_view_emit(const struct vp_kvm_view *v, vp_line_fn line,
		     void *ctx)
{
	int load = vp_kvm_view_load(v);
	char buf[VP_KVM_VIEW_LINE_MAX];
	struct vp_text l;
	unsigned int i;
	u32 index;
	int ret;

	vp_kv_start(&l, buf, "kvm");
	vp_text_str(&l, vp_kvm_name(v->kvm));
	ret = line(ctx, buf);
	if (ret)
		return ret;
	vp_kv_start(&l, buf, "ref_cpu");
	vp_text_sdec(&l, v->ref_cpu);
	ret = line(ctx, buf);
	if (ret)
		return ret;
	vp_kv_start(&l, buf, "load");
	vp_text_sdec(&l, load);
	ret = line(ctx, buf);
	if (ret)
		return ret;
	vp_kv_start(&l, buf, "blame");
	if (load == -EIO && !v->ref_ret && v->blame >= 0)
		vp_text_sdec(&l, v->blame);
	else
		vp_text_str(&l, "none");
	ret = line(ctx, buf);
	if (ret || load)
		return ret;

	/* As param_get_bool() and param_get_uint() print them. */
	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		const struct vp_kvm_param *d = &vp_kvm_params[i];
		u32 val;

		if (!vp_kvm_param_exists(v->effective, d))
			continue;
		val = vp_kvm_param_get(v->effective, d);
		vp_kv_start(&l, buf, "param");
		vp_text_str(&l, d->name);
		vp_text_chr(&l, ' ');
		if (d->type == VP_KVM_PARAM_BOOL)
			vp_text_chr(&l, val ? 'Y' : 'N');
		else
			vp_text_sdec(&l, val);
		ret = line(ctx, buf);
		if (ret)
			return ret;
	}

	/* vmx_get_vmx_msr(): nothing without nested=1. */
	for (index = VP_MSR_VMX_NESTED_FIRST; index <= VP_MSR_VMX_NESTED_LAST;
	     index++) {
		u64 val;

		if (vp_nested_msr(v->ref, index, &val))
			continue;
		vp_kv_start(&l, buf, "msr");
		vp_text_hex(&l, index, 3);
		vp_text_chr(&l, ' ');
		vp_text_hex(&l, val, 16);
		ret = line(ctx, buf);
		if (ret)
			return ret;
	}
	return 0;
}
