/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version differences, kept in one place.
 *
 * The module builds for every kernel from 6.1 on.  Each helper below hides
 * one API change; the rest of the module calls only these names.  Which
 * side of a change a kernel is on is probed in Kbuild from the kernel's
 * own headers (VP_HAVE_*), not guessed from its version: distributions
 * backport.
 */
#ifndef VMCS_PROBE_KCOMPAT_H
#define VMCS_PROBE_KCOMPAT_H

#include <linux/cleanup.h>
#include <linux/cpu.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
/*
 * cpuid_eax() and cpuid_ecx() come with <asm/processor.h> up to 6.12;
 * kernels with the split CPUID headers (Debian's 7.x) declare them in
 * <asm/cpuid/api.h>.
 */
#ifdef VP_HAVE_ASM_CPUID_API
#include <asm/cpuid/api.h>
#endif
#if IS_ENABLED(CONFIG_HYPERV)
#include <asm/mshyperv.h>
#endif

/*
 * 6.16 renamed rdmsrl*() to rdmsrq*().  Our reads are always the faulting
 * kind: an injected or real #GP must become an error, never an oops.
 */
static inline int vp_rdmsr_safe(u32 index, u64 *val)
{
#ifdef VP_HAVE_RDMSRQ
	return rdmsrq_safe(index, val);
#else
	return rdmsrl_safe(index, (unsigned long long *)val);
#endif
}

/* The same for another CPU, as rdmsr_safe_on_cpu() reads it. */
static inline int vp_rdmsr_safe_on_cpu(unsigned int cpu, u32 index, u64 *val)
{
#ifdef VP_HAVE_RDMSRQ
	return rdmsrq_safe_on_cpu(cpu, index, val);
#else
	return rdmsrl_safe_on_cpu(cpu, index, (unsigned long long *)val);
#endif
}

/*
 * X86_FEATURE_SHSTK came with user shadow stacks in 6.6; before, no kernel
 * records it, and no KVM mirrored here that reads it (7.x) runs there.
 */
static inline bool vp_boot_cpu_has_shstk(void)
{
#ifdef X86_FEATURE_SHSTK
	return boot_cpu_has(X86_FEATURE_SHSTK);
#else
	return false;
#endif
}

/*
 * pv_ops.cpu.read_msr_safe, which only the lab's MSR shim hooks: up to
 * 6.12 it returns the value and stores 0 or -EIO through its second
 * argument; Debian's 7.x returns 0 or -EIO and stores the value
 * (VP_HAVE_PV_MSR_SAFE_INT).  vp_pv_read_msr_safe() calls such a hook
 * the 7.x way; VP_DEFINE_PV_READ_MSR_SAFE(fn) defines fn_pv_hook, a hook
 * of the kernel's shape around fn, an int fn(u32 msr, u64 *val).
 */
/* clang-format off */
#ifdef VP_HAVE_PV_MSR_SAFE_INT
static inline int vp_pv_read_msr_safe(int (*hook)(u32 msr, u64 *val),
				      u32 msr, u64 *val)
{
	return hook(msr, val);
}

#define VP_DEFINE_PV_READ_MSR_SAFE(fn)					\
static int fn ## _pv_hook(u32 msr, u64 *val)				\
{									\
	return fn(msr, val);						\
}
#else
static inline int vp_pv_read_msr_safe(u64 (*hook)(unsigned int msr, int *err),
				      u32 msr, u64 *val)
{
	int err;

	*val = hook(msr, &err);
	return err;
}

#define VP_DEFINE_PV_READ_MSR_SAFE(fn)					\
static u64 fn ## _pv_hook(unsigned int msr, int *err)			\
{									\
	u64 val;							\
									\
	*err = fn(msr, &val);						\
	return val;							\
}
#endif
/* clang-format on */

/*
 * Mirror of the test of hv_init_evmcs() (6.12; inline in vmx_init() in
 * 6.1): KVM uses the enlightened VMCS when Hyper-V recommends it, offers
 * eVMCS version 1 (KVM_EVMCS_VERSION) or later, and every online CPU has
 * a VP assist page.  The enlightened_vmcs parameter is applied by the
 * engine.  Without CONFIG_HYPERV, KVM has none of this code.
 */
#define VP_KVM_EVMCS_VERSION	1	/* evmcs.h, hyperv_evmcs.h */

static inline bool vp_hv_evmcs_usable(void)
{
#if IS_ENABLED(CONFIG_HYPERV)
	u32 version = ms_hyperv.nested_features &
		      HV_X64_ENLIGHTENED_VMCS_VERSION;
	unsigned int cpu;

	if (!(ms_hyperv.hints & HV_X64_ENLIGHTENED_VMCS_RECOMMENDED) ||
	    version < VP_KVM_EVMCS_VERSION)
		return false;
	for_each_online_cpu(cpu)
		if (!hv_get_vp_assist_page(cpu))
			return false;
	return true;
#else
	return false;
#endif
}

/*
 * A guard for the CPU hotplug read lock.  The kernel has one only from
 * 6.7 (cpuhplock.h); ours has its own name so that no version check is
 * needed at all.
 */
DEFINE_LOCK_GUARD_0(vp_cpus_read, cpus_read_lock(), cpus_read_unlock())

/*
 * A mutex taken killably, released at the end of the scope; .lock is NULL
 * when a fatal signal came first (vp_lock_killable() in vmcs_probe.h).
 * The kernel's conditional guards (scoped_cond_guard(), mutex_intr) came
 * in 6.6, and have no killable flavour.
 */
static inline struct mutex *vp_mutex_lock_killable(struct mutex *m)
{
	return mutex_lock_killable(m) ? NULL : m;
}

DEFINE_LOCK_GUARD_1(vp_killable, struct mutex,
		    _T->lock = vp_mutex_lock_killable(_T->lock),
		    mutex_unlock(_T->lock))

/*
 * Features the boot-CPU audit's table (kvm_boot_features.h) names that
 * the kernels we build for do not all know: bit -1 there, a feature no
 * CPU can differ in.  cpufeatures.h first, so that the kernel's own
 * definition always wins.
 */
#include <asm/cpufeatures.h>
#ifndef X86_FEATURE_FRED		/* 6.9 */
#define X86_FEATURE_FRED		(-1)
#endif
#ifndef X86_FEATURE_SHSTK		/* 6.6 */
#define X86_FEATURE_SHSTK		(-1)
#endif
#ifndef X86_FEATURE_EFER_LMSLE_MBZ	/* newer than 6.12 */
#define X86_FEATURE_EFER_LMSLE_MBZ	(-1)
#endif
#ifndef X86_FEATURE_CLEAR_CPU_BUF_VM_MMIO	/* newer than 6.12 */
#define X86_FEATURE_CLEAR_CPU_BUF_VM_MMIO	(-1)
#endif

/*
 * DEFINE_SHOW_STORE_ATTRIBUTE() came in 6.3: a seq_file show plus a write
 * method named <name>_write.  Older kernels get the same shape here.
 */
/* clang-format off */
#ifndef DEFINE_SHOW_STORE_ATTRIBUTE
#define DEFINE_SHOW_STORE_ATTRIBUTE(__name)				\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {		\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.write		= __name ## _write,				\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}
#endif
/* clang-format on */

#endif /* VMCS_PROBE_KCOMPAT_H */
