// SPDX-License-Identifier: GPL-2.0
/*
 * AMD: the SVM side of the module.  On an AMD or Hygon host (engine=auto
 * finds a CPU with SVM, or engine=svm) the reference setup, the per-CPU
 * check and the files show kvm_amd's view instead of kvm_intel's:
 *
 *  - the setup runs the load's support check on the CPU it starts on
 *    (traced, under the pinning mode), then svm_hardware_setup() on the
 *    boot CPU's facts as they are at that moment (svm_engine.c);
 *  - each CPU is read in an IPI handler on itself and judged as
 *    svm_check_processor_compat() judges it (svm_report.c);
 *  - support, compat, reference, nested_cpuid and cpus/cpuN/config carry
 *    the SVM content (sysfs-abi/debugfs-vmcs_probe).
 *
 * SVM values come from the hardware only: the percpu and replay sources
 * and the injection overlay are VMX-only (debugfs source refuses them).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "kcompat.h"
#include "vmcs_probe.h"

static char *engine = "auto";
module_param(engine, charp, 0444);
MODULE_PARM_DESC(engine, "auto (svm on an AMD or Hygon host with a CPU that has SVM, else vmx), vmx or svm");

/*
 * kvm_amd's parameters that change the result, with KVM's names and
 * defaults; read-only after load, like KVM's.  nested and vnmi are
 * shared with kvm_intel's (main.c).
 */
static struct vp_svm_params vp_svm_param_in = {
	VP_SVM_PARAM_DEFAULTS,
};

module_param_named(npt, vp_svm_param_in.npt, bool, 0444);
module_param_named(nrips, vp_svm_param_in.nrips, bool, 0444);
module_param_named(vls, vp_svm_param_in.vls, bool, 0444);
module_param_named(vgif, vp_svm_param_in.vgif, bool, 0444);
module_param_named(lbrv, vp_svm_param_in.lbrv, bool, 0444);
module_param_named(tsc_scaling, vp_svm_param_in.tsc_scaling, bool, 0444);
module_param_named(gmet, vp_svm_param_in.gmet, bool, 0444);
module_param_named(force_avic, vp_svm_param_in.force_avic, bool, 0444);
module_param_named(sev, vp_svm_param_in.sev, bool, 0444);
module_param_named(sev_es, vp_svm_param_in.sev_es, bool, 0444);
module_param_named(sev_snp, vp_svm_param_in.sev_snp, bool, 0444);
module_param_named(debug_swap, vp_svm_param_in.debug_swap, bool, 0444);
module_param_named(pause_filter_thresh, vp_svm_param_in.pause_filter_thresh,
		   ushort, 0444);
module_param_named(pause_filter_count, vp_svm_param_in.pause_filter_count,
		   ushort, 0444);
MODULE_PARM_DESC(npt, "kvm_amd parameters that change the result (npt, nrips, vls, vgif, lbrv, tsc_scaling, avic, force_avic, sev, sev_es, sev_snp, debug_swap, gmet, pause_filter_thresh, pause_filter_count; nested, vnmi and enable_ipiv are shared with kvm_intel's): same names and defaults as KVM's");

/*
 * avic: 0/1 as a bool, or "auto" (the default): what 7.x's kvm_amd takes
 * by default (AVIC_AUTO_MODE) and 6.1 and 6.12 read as off.
 */
static int vp_svm_avic_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	if (val && sysfs_streq(val, "auto")) {
		vp_svm_param_in.avic = false;
		vp_svm_param_in.avic_auto = true;
		return 0;
	}
	ret = param_set_bool(val, kp);
	if (!ret)
		vp_svm_param_in.avic_auto = false;
	return ret;
}

static int vp_svm_avic_get(char *buffer, const struct kernel_param *kp)
{
	if (vp_svm_param_in.avic_auto)
		return sysfs_emit(buffer, "auto\n");
	return param_get_bool(buffer, kp);
}

static const struct kernel_param_ops vp_svm_avic_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = vp_svm_avic_set,
	.get = vp_svm_avic_get,
};

module_param_cb(avic, &vp_svm_avic_ops, &vp_svm_param_in.avic, 0444);
MODULE_PARM_DESC(avic, "kvm_amd's avic: 0, 1 or auto (the default: off before 7.x, 7.x's AVIC_AUTO_MODE from 7.2)");

/* boot_cpu_data now: it loses features as CPUs without them come up. */
static void vp_svm_boot_facts(struct vp_svm_params *p)
{
	p->boot_amd = vp_cpu_is_amd(&boot_cpu_data);
	p->boot_svm = boot_cpu_has(X86_FEATURE_SVM);
	p->boot_nx = boot_cpu_has(X86_FEATURE_NX);
	p->boot_sev = boot_cpu_has(X86_FEATURE_SEV);
	p->boot_family = boot_cpu_data.x86;
	p->boot_model = boot_cpu_data.x86_model;
	p->boot_svm_edx = boot_cpu_data.x86_capability[CPUID_8000_000A_EDX];
	p->config_x86_64 = IS_ENABLED(CONFIG_X86_64);
}

/**
 * vp_svm_init() - kvm_amd's parameters, and whether to use the SVM engine
 * @p: filled in: the parameters as given
 * @vmx: the kvm_intel parameters, for the shared nested, vnmi and
 *	 enable_ipiv
 * @use: set if the SVM engine is to be used
 *
 * Returns 0 or -EINVAL for a bad engine= value.
 */
int vp_svm_init(struct vp_svm_params *p, const struct vp_params *vmx,
		bool *use)
{
	unsigned int cpu;

	*p = vp_svm_param_in;
	p->kvm = vmx->kvm;
	p->nested = vmx->nested;
	p->vnmi = vmx->enable_vnmi;
	p->enable_ipiv = vmx->enable_ipiv;
	vp_svm_boot_facts(p);

	if (!strcmp(engine, "vmx")) {
		*use = false;
	} else if (!strcmp(engine, "svm")) {
		*use = true;
	} else if (!strcmp(engine, "auto")) {
		*use = false;
		for_each_online_cpu(cpu)
			if (vp_cpu_is_amd(&cpu_data(cpu)) &&
			    cpu_has(&cpu_data(cpu), X86_FEATURE_SVM))
				*use = true;
	} else {
		pr_err("engine=%s: not auto, vmx or svm\n", engine);
		return -EINVAL;
	}
	return 0;
}

void vp_svm_support_judge(struct vp_cpu_support *s,
			  const struct vp_svm_cpu *c)
{
	memset(s, 0, sizeof(*s));
	s->probed = true;
	switch (vp_svm_support(c)) {
	case VP_SVM_OK:
		s->verdict = VP_VMX_OK;
		break;
	case VP_SVM_NOT_AMD:
		s->verdict = VP_VMX_UNSUPPORTED;
		s->reason = VP_REASON_NOT_AMD;
		break;
	case VP_SVM_NO_SVM:
		s->verdict = VP_VMX_UNSUPPORTED;
		s->reason = VP_REASON_NO_SVM;
		break;
	case VP_SVM_DISABLED:
		s->verdict = VP_VMX_DISABLED;
		s->reason = VP_REASON_VM_CR_SVMDIS;
		break;
	}
}

/*
 * The reference setup on AMD, in the pinning section of policy.c: the
 * support check on the CPU it starts on, then the setup proper.
 */
int vp_svm_setup(struct vp_read_ctx *ctx, struct vp_setup *s)
{
	struct vp_svm_params in;
	struct vp_svm_cpu here;

	vp_svm_params_now(&in);
	in.kvm = s->params.kvm;
	vp_read_ctx_svm(ctx, &here);
	vp_svm_support_judge(&s->support, &here);
	vp_svm_compute_reference(&in, &here, &s->svm);

	/*
	 * The status word follows the load's own check, which 6.1 makes on
	 * boot_cpu_data: a CPU with SVM can start a load 6.1 refuses.
	 */
	switch (s->svm.error) {
	case VP_SVM_ERR_NOT_AMD:
		s->support.verdict = VP_VMX_UNSUPPORTED;
		s->support.reason = VP_REASON_NOT_AMD;
		break;
	case VP_SVM_ERR_NO_SVM:
		s->support.verdict = VP_VMX_UNSUPPORTED;
		s->support.reason = VP_REASON_NO_SVM;
		break;
	case VP_SVM_ERR_BIOS_DISABLED:
		s->support.verdict = VP_VMX_DISABLED;
		s->support.reason = VP_REASON_VM_CR_SVMDIS;
		break;
	default:
		break;
	}
	return s->svm.ret;
}

void vp_svm_params_now(struct vp_svm_params *p)
{
	*p = vp.svm_params;
	p->kvm = vp.run_params.kvm;
	vp_svm_boot_facts(p);
}

/* vp_check_local() on AMD: read, judge, check.  IRQ context. */
void vp_svm_check_local(struct vp_cpu_result *res)
{
	vp_svm_read_cpu(&res->svm);
	vp_svm_support_judge(&res->support, &res->svm);
	res->status = vp_svm_compat_judge(vp.run_params.kvm, &res->svm);
}
