// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU VMX support, as KVM decides it.
 *
 * KVM refuses a CPU (__kvm_is_vmx_supported()) when CPUID.1:ECX.VMX is
 * clear, or when the kernel did not find IA32_FEAT_CTL locked with VMX
 * enabled outside SMX (init_ia32_feat_ctl() then clears X86_FEATURE_VMX
 * for that CPU).  The rule itself is the engine's vp_vmx_support(); this
 * file gathers its inputs on the CPU being judged and names the reason.
 *
 * Under emulators without VMX (QEMU TCG) the VMX MSRs read as 0 without a
 * fault, so nothing else may be trusted on a CPU this check rejects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/cpufeature.h>

#include "vmcs_probe.h"
#include "vmx_regs.h"

static const char * const vp_reason_names[] = {
	[VP_REASON_NONE]	      = "none",
	[VP_REASON_NO_CPUID_VMX]      = "cpuid_vmx_clear",
	[VP_REASON_FEAT_CTL_FAULT]    = "feat_ctl_read_fault",
	[VP_REASON_FEAT_CTL_VMX_OFF]  = "feat_ctl_vmx_disabled",
	[VP_REASON_KERNEL_CLEARED]    = "kernel_cleared_vmx",
	[VP_REASON_OFFLINE]	      = "offline",
	[VP_REASON_NOT_AMD]	      = "not_amd_or_hygon",
	[VP_REASON_NO_SVM]	      = "no_svm",
	[VP_REASON_VM_CR_SVMDIS]      = "vm_cr_svmdis",
};

const char *vp_reason_name(enum vp_support_reason reason)
{
	return reason < ARRAY_SIZE(vp_reason_names) ?
		       vp_reason_names[reason] :
		       "?";
}

const char *vp_verdict_name(const struct vp_cpu_support *s)
{
	if (!s->probed)
		return "offline";
	switch (s->verdict) {
	case VP_VMX_OK:
		return "supported";
	case VP_VMX_UNSUPPORTED:
		return "unsupported";
	default:
		return "disabled";
	}
}

void vp_support_judge(struct vp_cpu_support *s, const struct vp_raw *raw,
		      bool kernel_view)
{
	int slot = vp_raw_slot(VP_MSR_FEAT_CTL);

	memset(s, 0, sizeof(*s));
	s->probed = true;
	s->cpuid_vmx = raw->cpuid1_ecx & VP_CPUID1_ECX_VMX;
	s->feat_ctl_fault = raw->faulted & BIT(slot);
	s->feat_ctl = raw->msr[slot];
	s->this_cpu_vmx = this_cpu_has(X86_FEATURE_VMX);
	s->this_cpu_feat_ctl = this_cpu_has(X86_FEATURE_MSR_IA32_FEAT_CTL);
	s->boot_cpu_vmx = boot_cpu_has(X86_FEATURE_VMX);

	/*
	 * Not under tboot: tboot_enabled() is not exported to modules, and
	 * kvm_intel (6.1, 6.12) does not look at it either; feat_ctl.c does,
	 * at boot, and its verdict is in the kernel's feature words.
	 */
	s->verdict = vp_vmx_support(s->cpuid_vmx, !s->feat_ctl_fault,
				    s->feat_ctl, false);
	switch (s->verdict) {
	case VP_VMX_UNSUPPORTED:
		s->reason = VP_REASON_NO_CPUID_VMX;
		return;
	case VP_VMX_DISABLED:
		s->reason = s->feat_ctl_fault ? VP_REASON_FEAT_CTL_FAULT :
						VP_REASON_FEAT_CTL_VMX_OFF;
		return;
	default:
		break;
	}
	/*
	 * The MSR allows VMX, but KVM asks the kernel's feature words, which
	 * feat_ctl.c cleared if it found otherwise at boot.  Only meaningful
	 * when the values come from this very hardware.
	 */
	if (kernel_view && (!s->this_cpu_vmx || !s->this_cpu_feat_ctl)) {
		s->verdict = VP_VMX_DISABLED;
		s->reason = VP_REASON_KERNEL_CLEARED;
	}
}
