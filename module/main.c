// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs_probe: see, per CPU, the VMX configuration KVM computes.
 *
 * This file owns the module's parameters and state and its life cycle:
 * load runs the reference setup and the compat check (run.c), as
 * kvm_intel's own load does, then watches CPU hotplug; unload takes the
 * interfaces down before the state they read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "kcompat.h"
#include "vmcs_probe.h"
#include "vmx_regs.h"

/* Serializes runs, hotplug rechecks, settings and readers of results. */
DEFINE_MUTEX(vp_lock);
struct vp_state vp;

/* ---- parameters ---- */

static char *pinning_mode = "none";
module_param(pinning_mode, charp, 0444);
MODULE_PARM_DESC(pinning_mode, "Initial pinning mode: none, migrate_disable or preempt_disable");

static char *hotplug_policy = "report";
module_param(hotplug_policy, charp, 0444);
MODULE_PARM_DESC(hotplug_policy, "Initial CPU hotplug policy: report or refuse");

static char *kvm_version = "";
module_param(kvm_version, charp, 0444);
MODULE_PARM_DESC(kvm_version, "KVM to mirror: 6.1, 6.12, 7.2 or 7.3 (default: this kernel's, else the newest older one)");

/*
 * kvm_intel's parameters that change the result, with KVM's names and
 * defaults; read-only after load, like KVM's.  No pt_mode: Debian's
 * kvm_intel has none (it needs CONFIG_BROKEN) and always runs with 0.
 */
static struct {
	bool vpid;
	bool enable_vnmi;
	bool flexpriority;
	bool ept;
	bool unrestricted_guest;
	bool ept_ad;
	bool enable_apicv;
	bool enable_ipiv;
	bool nested;
	bool pml;
	bool error_on_inconsistent_vmcs_config;
	bool preemption_timer;
	bool enable_sgx;
	bool enable_shadow_vmcs;
	bool enlightened_vmcs;
	bool enable_cet;
	bool enable_mbec;
	bool allow_smaller_maxphyaddr;
} vp_kvm_param = {
	VP_KVM_BOOL_PARAM_DEFAULTS,
};

#define VP_KVM_PARAM(name, field) \
	module_param_named(name, vp_kvm_param.field, bool, 0444)

VP_KVM_PARAM(vpid, vpid);
VP_KVM_PARAM(vnmi, enable_vnmi);
VP_KVM_PARAM(flexpriority, flexpriority);
VP_KVM_PARAM(ept, ept);
VP_KVM_PARAM(unrestricted_guest, unrestricted_guest);
VP_KVM_PARAM(eptad, ept_ad);
VP_KVM_PARAM(enable_apicv, enable_apicv);
VP_KVM_PARAM(enable_ipiv, enable_ipiv);
VP_KVM_PARAM(nested, nested);
VP_KVM_PARAM(pml, pml);
VP_KVM_PARAM(error_on_inconsistent_vmcs_config, error_on_inconsistent_vmcs_config);
VP_KVM_PARAM(preemption_timer, preemption_timer);
VP_KVM_PARAM(sgx, enable_sgx);
VP_KVM_PARAM(enable_shadow_vmcs, enable_shadow_vmcs);
VP_KVM_PARAM(enlightened_vmcs, enlightened_vmcs);
VP_KVM_PARAM(cet, enable_cet);
VP_KVM_PARAM(mbec, enable_mbec);
VP_KVM_PARAM(allow_smaller_maxphyaddr, allow_smaller_maxphyaddr);
MODULE_PARM_DESC(nested, "kvm_intel parameters that change the result (vpid, vnmi, flexpriority, ept, unrestricted_guest, eptad, enable_apicv, enable_ipiv, nested, pml, error_on_inconsistent_vmcs_config, preemption_timer, sgx, enable_shadow_vmcs, enlightened_vmcs, cet, mbec, allow_smaller_maxphyaddr): same names and defaults as KVM's (cet and mbec: 7.2 and later)");

/* CPUID.1:EAX as the boot CPU's family, model and stepping give it. */
static u32 vp_boot_cpuid_sig(void)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 fam = c->x86, model = c->x86_model;

	return (c->x86_stepping & 0xf) | (model & 0xf) << 4 |
	       min(fam, 0xfu) << 8 | (model >> 4) << 16 |
	       (fam > 0xf ? fam - 0xf : 0) << 20;
}

/*
 * The KVM to mirror: kvm_version=, or this kernel's own, or (a kernel
 * without a row) the newest older mirror, said once in the log and kept
 * in vp.kvm_exact for the interfaces.
 */
static int vp_kvm_select(enum vp_kvm *kvm)
{
	if (*kvm_version) {
		vp.kvm_exact = true;
		if (vp_kvm_parse(kvm_version, strlen(kvm_version), kvm))
			return 0;
		pr_err("kvm_version=%s: not a mirrored KVM\n", kvm_version);
		return -EINVAL;
	}
	*kvm = vp_kvm_for_kernel(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL,
				 &vp.kvm_exact);
	if (!vp.kvm_exact)
		pr_notice("no mirror of KVM %u.%u: mirroring KVM %s, the nearest older one\n",
			  LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL,
			  vp_kvm_name(*kvm));
	return 0;
}

/* What 7.x's arch/x86/virt/hw.c reads at boot: the boot CPU's VMX_BASIC. */
static void vp_boot_vmx_basic(struct vp_params *p)
{
	p->boot_vmx_basic_known =
		boot_cpu_has(X86_FEATURE_VMX) &&
		!vp_rdmsr_safe_on_cpu(0, VP_MSR_VMX_BASIC, &p->boot_vmx_basic);
}

/*
 * 7.3's calc_preemption_timer_max_value() asks CPUID.15H of the loading
 * CPU; 7.x's XSS check the host's IA32_XSS.  Both are the same on every
 * CPU of a real host.
 */
static void vp_boot_timer_and_xss(struct vp_params *p)
{
	u32 eax = 0, ebx = 0, ecx, edx;
	u64 xss = 0;

	if (boot_cpu_data.cpuid_level >= 0x15)
		cpuid(0x15, &eax, &ebx, &ecx, &edx);
	p->cpuid15_eax = eax;
	p->cpuid15_ebx = ebx;
	p->host_xss_cet = boot_cpu_has(X86_FEATURE_XSAVES) &&
			  !vp_rdmsr_safe(VP_MSR_IA32_XSS, &xss) &&
			  (xss & VP_XSS_CET_ALL) == VP_XSS_CET_ALL;
}

static int vp_params_init(struct vp_params *p)
{
	enum vp_kvm kvm;
	int ret;

	ret = vp_kvm_select(&kvm);
	if (ret)
		return ret;
	vp_params_defaults(p, kvm);

	p->vpid = vp_kvm_param.vpid;
	p->enable_vnmi = vp_kvm_param.enable_vnmi;
	p->flexpriority = vp_kvm_param.flexpriority;
	p->ept = vp_kvm_param.ept;
	p->unrestricted_guest = vp_kvm_param.unrestricted_guest;
	p->ept_ad = vp_kvm_param.ept_ad;
	p->enable_apicv = vp_kvm_param.enable_apicv;
	p->enable_ipiv = vp_kvm_param.enable_ipiv;
	p->nested = vp_kvm_param.nested;
	p->pml = vp_kvm_param.pml;
	p->error_on_inconsistent_vmcs_config = vp_kvm_param.error_on_inconsistent_vmcs_config;
	p->preemption_timer = vp_kvm_param.preemption_timer;
	p->enable_sgx = vp_kvm_param.enable_sgx;
	p->enable_shadow_vmcs = vp_kvm_param.enable_shadow_vmcs;
	p->enlightened_vmcs = vp_kvm_param.enlightened_vmcs;
	p->enable_cet = vp_kvm_param.enable_cet;
	p->enable_mbec = vp_kvm_param.enable_mbec;
	p->allow_smaller_maxphyaddr = vp_kvm_param.allow_smaller_maxphyaddr;

	/* What KVM reads from boot_cpu_data and the kernel's config. */
	p->boot_cpuid_sig = vp_boot_cpuid_sig();
	p->boot_cpu_intel = boot_cpu_data.x86_vendor == X86_VENDOR_INTEL;
	p->boot_cpu_nx = boot_cpu_has(X86_FEATURE_NX);
	p->boot_cpu_umip = boot_cpu_has(X86_FEATURE_UMIP);
	p->boot_cpu_mpx = boot_cpu_has(X86_FEATURE_MPX);
	p->tsc_khz = tsc_khz;
	p->boot_cpu_shstk = vp_boot_cpu_has_shstk();
	p->boot_cpu_ibt = boot_cpu_has(X86_FEATURE_IBT);
	p->boot_cpu_hypervisor = boot_cpu_has(X86_FEATURE_HYPERVISOR);
	vp_boot_timer_and_xss(p);
	vp_boot_vmx_basic(p);
	p->hyperv_evmcs_usable = vp_hv_evmcs_usable();
	p->config_x86_64 = IS_ENABLED(CONFIG_X86_64);
	p->config_hyperv = IS_ENABLED(CONFIG_HYPERV);
	p->config_x86_sgx_kvm = IS_ENABLED(CONFIG_X86_SGX_KVM);
	p->config_kvm_hyperv = IS_ENABLED(CONFIG_KVM_HYPERV);
	p->config_kvm_intel_prove_ve = IS_ENABLED(CONFIG_KVM_INTEL_PROVE_VE);
	return 0;
}

static int __init vp_init(void)
{
	int mode, hp, ret;

	mode = vp_match_word(vp_mode_names, VP_NR_MODES, pinning_mode,
			     strlen(pinning_mode));
	hp = vp_match_word(vp_hp_names, VP_NR_HP, hotplug_policy,
			   strlen(hotplug_policy));
	if (mode < 0 || hp < 0) {
		pr_err("bad pinning_mode=%s or hotplug_policy=%s\n",
		       pinning_mode, hotplug_policy);
		return -EINVAL;
	}
	ret = vp_params_init(&vp.params);
	if (!ret)
		ret = vp_svm_init(&vp.svm_params, &vp.params, &vp.svm);
	if (ret)
		return ret;
	vp.mode = mode;
	vp.hotplug = hp;
	vp.source = VP_SRC_HW;

	vp.cpu = kcalloc(nr_cpu_ids, sizeof(*vp.cpu), GFP_KERNEL);
	if (!vp.cpu)
		return -ENOMEM;

	ret = vp_start();
	if (ret)
		goto err_free;
	ret = vp_sysfs_init();
	if (ret)
		goto err_stop;
	/* Optional: without debugfs, sysfs alone is served. */
	vp_debugfs_init();

	pr_info("loaded: mirroring KVM %s (%s), status %s\n",
		vp_kvm_name(vp.params.kvm), vp.svm ? "kvm_amd" : "kvm_intel",
		vp_overall_names[READ_ONCE(vp.overall)]);
	return 0;

err_stop:
	vp_stop();
err_free:
	kfree(vp.cpu);
	return ret;
}

static void __exit vp_exit(void)
{
	/* Interfaces first: removal waits for readers still inside them. */
	vp_debugfs_exit();
	vp_sysfs_exit();
	vp_stop();
	kvfree(vp.snapshot);
	kfree(vp.cpu);
	pr_info("unloaded\n");
}

module_init(vp_init);
module_exit(vp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Show and check KVM's per-CPU VMX configuration");
