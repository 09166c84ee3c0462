// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm view (kvm_view.h): kvm_intel's load as the engine computed it,
 * printed as what a real load leaves behind.  Shared by the module and
 * vmcsctl, so that the live module and the offline tool print the same
 * lines for the same inputs.
 */
#include "kvm_view.h"
#include "vmx_regs.h"

/* A line being built; never overflows, always NUL-terminated. */
struct vp_kv_line {
	char buf[VP_KVM_VIEW_LINE_MAX];
	unsigned int len;
};

static void vp_kv_chr(struct vp_kv_line *l, char c)
{
	if (l->len + 1 < sizeof(l->buf))
		l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

static void vp_kv_str(struct vp_kv_line *l, const char *s)
{
	while (*s)
		vp_kv_chr(l, *s++);
}

static void vp_kv_dec(struct vp_kv_line *l, long long v)
{
	unsigned long long u = (unsigned long long)v;
	char digits[20];
	unsigned int n = 0;

	if (v < 0) {
		vp_kv_chr(l, '-');
		u = -u;
	}
	do {
		digits[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (n--)
		vp_kv_chr(l, digits[n]);
}

/* "0x" and exactly @digits hex digits. */
static void vp_kv_hex(struct vp_kv_line *l, u64 v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";

	vp_kv_str(l, "0x");
	while (digits--)
		vp_kv_chr(l, hex[(v >> (4 * digits)) & 0xf]);
}

static void vp_kv_start(struct vp_kv_line *l, const char *key)
{
	l->len = 0;
	l->buf[0] = '\0';
	vp_kv_str(l, key);
	vp_kv_chr(l, ' ');
}

/*
 * Mirror of vmx_check_processor_compat() as the compat loop sees it: 6.1
 * tests this CPU's FEAT_CTL and VMX feature flags, 6.12 calls
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
	if (kvm >= VP_KVM_6_12)
		return ref == VP_VMX_OK;
	return ref != VP_VMX_UNSUPPORTED;
}

int vp_kvm_view_load(const struct vp_kvm_view *v)
{
	if (!vp_kvm_setup_reached(v->kvm, v->ref_support) ||
	    (v->kvm < VP_KVM_6_12 && v->boot_support != VP_VMX_OK))
		return -EOPNOTSUPP;
	if (v->ref_ret)
		return v->ref_ret;
	if (v->blame >= 0)
		return -EIO;
	return 0;
}

int vp_kvm_view_emit(const struct vp_kvm_view *v, vp_snapshot_line_fn line,
		     void *ctx)
{
	int load = vp_kvm_view_load(v);
	struct vp_kv_line l;
	unsigned int i;
	u32 index;
	int ret;

	vp_kv_start(&l, "kvm");
	vp_kv_str(&l, vp_kvm_name(v->kvm));
	ret = line(ctx, l.buf);
	if (ret)
		return ret;
	vp_kv_start(&l, "ref_cpu");
	vp_kv_dec(&l, v->ref_cpu);
	ret = line(ctx, l.buf);
	if (ret)
		return ret;
	vp_kv_start(&l, "load");
	vp_kv_dec(&l, load);
	ret = line(ctx, l.buf);
	if (ret)
		return ret;
	vp_kv_start(&l, "blame");
	if (load == -EIO && !v->ref_ret && v->blame >= 0)
		vp_kv_dec(&l, v->blame);
	else
		vp_kv_str(&l, "none");
	ret = line(ctx, l.buf);
	if (ret || load)
		return ret;

	/* As param_get_bool() and param_get_uint() print them. */
	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		const struct vp_kvm_param *d = &vp_kvm_params[i];
		u32 val;

		if (!vp_kvm_param_exists(v->effective, d))
			continue;
		val = vp_kvm_param_get(v->effective, d);
		vp_kv_start(&l, "param");
		vp_kv_str(&l, d->name);
		vp_kv_chr(&l, ' ');
		if (d->type == VP_KVM_PARAM_BOOL)
			vp_kv_chr(&l, val ? 'Y' : 'N');
		else
			vp_kv_dec(&l, val);
		ret = line(ctx, l.buf);
		if (ret)
			return ret;
	}

	/* vmx_get_vmx_msr(): nothing without nested=1. */
	for (index = VP_MSR_VMX_NESTED_FIRST; index <= VP_MSR_VMX_NESTED_LAST;
	     index++) {
		u64 val;

		if (vp_nested_msr(v->ref, index, &val))
			continue;
		vp_kv_start(&l, "msr");
		vp_kv_hex(&l, index, 3);
		vp_kv_chr(&l, ' ');
		vp_kv_hex(&l, val, 16);
		ret = line(ctx, l.buf);
		if (ret)
			return ret;
	}
	return 0;
}
