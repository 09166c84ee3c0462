// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU VMX support probe.
 *
 * KVM refuses a CPU (__kvm_is_vmx_supported()) when CPUID.1:ECX.VMX is
 * clear, or when IA32_FEAT_CTL does not allow VMXON outside SMX.  This file
 * answers the same question for one CPU, on that CPU, and keeps every
 * input so that a person can see why.
 *
 * Under emulators without VMX (QEMU TCG) the VMX MSRs read as 0 without a
 * fault, so nothing else may be trusted on a CPU this probe rejects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "kcompat.h"
#include "vmcs_probe.h"

#define VP_CPUID1_ECX_VMX	BIT(5)
#define VP_FEAT_CTL_LOCKED	BIT_ULL(0)
#define VP_FEAT_CTL_VMX_OUTSIDE_SMX	BIT_ULL(2)

static const char * const vp_state_names[] = {
	[VP_SUPPORT_UNKNOWN]	 = "offline",
	[VP_SUPPORT_OK]		 = "supported",
	[VP_SUPPORT_UNSUPPORTED] = "unsupported",
	[VP_SUPPORT_DISABLED]	 = "disabled",
};

static const char * const vp_reason_names[] = {
	[VP_REASON_NONE]	      = "none",
	[VP_REASON_NO_CPUID_VMX]      = "cpuid_vmx_clear",
	[VP_REASON_FEAT_CTL_FAULT]    = "feat_ctl_read_fault",
	[VP_REASON_FEAT_CTL_UNLOCKED] = "feat_ctl_unlocked",
	[VP_REASON_FEAT_CTL_VMX_OFF]  = "feat_ctl_vmx_disabled",
	[VP_REASON_KERNEL_CLEARED]    = "kernel_cleared_vmx",
};

const char *vp_support_state_name(enum vp_support_state state)
{
	return state < ARRAY_SIZE(vp_state_names) ? vp_state_names[state] : "?";
}

const char *vp_support_reason_name(enum vp_support_reason reason)
{
	return reason < ARRAY_SIZE(vp_reason_names) ?
		vp_reason_names[reason] : "?";
}

/* Decide from the raw facts, in the order KVM checks them. */
static void vp_support_judge(struct vp_cpu_support *s)
{
	s->state = VP_SUPPORT_OK;
	s->reason = VP_REASON_NONE;

	if (!s->cpuid_vmx) {
		s->state = VP_SUPPORT_UNSUPPORTED;
		s->reason = VP_REASON_NO_CPUID_VMX;
	} else if (s->feat_ctl_err) {
		s->state = VP_SUPPORT_DISABLED;
		s->reason = VP_REASON_FEAT_CTL_FAULT;
	} else if (!(s->feat_ctl & VP_FEAT_CTL_LOCKED)) {
		s->state = VP_SUPPORT_DISABLED;
		s->reason = VP_REASON_FEAT_CTL_UNLOCKED;
	} else if (!(s->feat_ctl & VP_FEAT_CTL_VMX_OUTSIDE_SMX)) {
		s->state = VP_SUPPORT_DISABLED;
		s->reason = VP_REASON_FEAT_CTL_VMX_OFF;
	} else if (!s->this_cpu_vmx || !s->this_cpu_feat_ctl) {
		/* feat_ctl.c cleared the feature for this CPU at boot. */
		s->state = VP_SUPPORT_DISABLED;
		s->reason = VP_REASON_KERNEL_CLEARED;
	}
}

/* Runs on the CPU being probed, in IRQ context: no sleeping. */
static void vp_support_probe_local(void *arg)
{
	struct vp_cpu_support *s = arg;

	s->cpuid_vmx = cpuid_ecx(1) & VP_CPUID1_ECX_VMX;
	s->this_cpu_vmx = this_cpu_has(X86_FEATURE_VMX);
	s->this_cpu_feat_ctl = this_cpu_has(X86_FEATURE_MSR_IA32_FEAT_CTL);
	s->boot_cpu_vmx = boot_cpu_has(X86_FEATURE_VMX);
	s->feat_ctl = 0;
	s->feat_ctl_err = vp_rdmsr_safe(MSR_IA32_FEAT_CTL, &s->feat_ctl);
	vp_support_judge(s);
}

/**
 * vp_support_probe() - probe VMX support on one CPU
 * @cpu: an online CPU; the caller holds the CPU hotplug read lock
 * @out: the result
 */
void vp_support_probe(unsigned int cpu, struct vp_cpu_support *out)
{
	memset(out, 0, sizeof(*out));
	if (smp_call_function_single(cpu, vp_support_probe_local, out, 1))
		out->state = VP_SUPPORT_UNKNOWN;
}
