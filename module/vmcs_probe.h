/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs_probe: internal interfaces between the module's files.
 *
 * support.c   per-CPU VMX support probe (CPUID, IA32_FEAT_CTL)
 * sysfs.c     /sys/kernel/vmcs_probe/
 * debugfs.c   /sys/kernel/debug/vmcs_probe/
 * main.c      module parameters, state, load and unload
 */
#ifndef VMCS_PROBE_H
#define VMCS_PROBE_H

#include <linux/mutex.h>
#include <linux/types.h>

#define VP_FORMAT_VERSION	1

enum vp_support_state {
	VP_SUPPORT_UNKNOWN,	/* never probed: the CPU was offline */
	VP_SUPPORT_OK,
	VP_SUPPORT_UNSUPPORTED,	/* CPUID.1:ECX.VMX is clear */
	VP_SUPPORT_DISABLED,	/* IA32_FEAT_CTL does not allow VMXON */
};

/* Why a CPU is not usable, one token each, for files and messages. */
enum vp_support_reason {
	VP_REASON_NONE,
	VP_REASON_NO_CPUID_VMX,
	VP_REASON_FEAT_CTL_FAULT,
	VP_REASON_FEAT_CTL_UNLOCKED,
	VP_REASON_FEAT_CTL_VMX_OFF,
	VP_REASON_KERNEL_CLEARED,
};

/*
 * What one CPU says about VMX.  KVM mixes two views: the CPUID instruction
 * executed on the CPU itself, and the feature words the kernel recorded
 * for that CPU (this_cpu_has()) or for the boot CPU (boot_cpu_has()).
 * All are kept so that a difference between them can be seen.
 */
struct vp_cpu_support {
	enum vp_support_state state;
	enum vp_support_reason reason;
	bool cpuid_vmx;		/* CPUID.1:ECX.VMX on this CPU */
	bool this_cpu_vmx;	/* this_cpu_has(X86_FEATURE_VMX) */
	bool this_cpu_feat_ctl;	/* this_cpu_has(X86_FEATURE_MSR_IA32_FEAT_CTL) */
	bool boot_cpu_vmx;	/* boot_cpu_has(X86_FEATURE_VMX) */
	int feat_ctl_err;	/* rdmsr result: 0 or -EIO */
	u64 feat_ctl;		/* IA32_FEAT_CTL as read */
};

const char *vp_support_state_name(enum vp_support_state state);
const char *vp_support_reason_name(enum vp_support_reason reason);
void vp_support_probe(unsigned int cpu, struct vp_cpu_support *out);

/* Global state, serialized by vp_lock. */
extern struct mutex vp_lock;
struct vp_cpu_support *vp_support_of(unsigned int cpu);
unsigned long vp_generation(void);

int vp_sysfs_init(void);
void vp_sysfs_exit(void);
void vp_debugfs_init(void);
void vp_debugfs_exit(void);

#endif /* VMCS_PROBE_H */
