/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kvm view: what loading kvm_intel would leave behind, in the terms a
 * real "modprobe kvm_intel" can be checked against: the errno its init
 * returns, the CPU that made its compat check fail, the parameters as
 * /sys/module/kvm_intel/parameters shows them, and what KVM_GET_MSRS on
 * /dev/kvm returns for the nested VMX MSRs.  One emitter, shared by the
 * module (debugfs kvm_view) and vmcsctl (compute --format kvm); the
 * format is in Documentation/kvm-view.rst.
 *
 * Pure C like the engine: no allocation, no globals, no kernel calls.
 */
#ifndef VMCS_PROBE_KVM_VIEW_H
#define VMCS_PROBE_KVM_VIEW_H

#include "engine.h"
#include "snapshot.h"

/* The longest line the emitter writes, with its NUL. */
#define VP_KVM_VIEW_LINE_MAX	64

/* One load of kvm_intel, as the engine computed it. */
struct vp_kvm_view {
	enum vp_kvm kvm;
	u32 ref_cpu;			/* the CPU the load ran on */
	enum vp_support ref_support;	/* VMX on that CPU */
	enum vp_support boot_support;	/* VMX on the boot CPU */
	int ref_ret;			/* vp_compute_reference() */
	int blame;			/* vp_kvm_view_blame(), or -1 */
	const struct vp_params *effective;	/* as KVM leaves them */
	const struct vp_config *ref;		/* the global config */
};

/*
 * Mirror of one step of the compat loop of kvm_init() (6.1) and
 * __kvm_x86_vendor_init() (6.12): whether vmx_check_processor_compat()
 * fails (with -EIO) on a CPU whose VMX support is @support, whose
 * vp_compute_cpu() returned @ret and gave @cfg, against @ref.
 */
bool vp_kvm_cpu_fails(enum vp_support support, int ret,
		      const struct vp_config *ref, const struct vp_config *cfg);

/*
 * Whether kvm_intel's init goes on to setup_vmcs_config() on a loading CPU
 * whose VMX support is @ref (the boot CPU's flags aside): 6.12 only when
 * VMX is usable there, 6.1 whenever CPUID has VMX, even if IA32_FEAT_CTL
 * disables it (see vp_kvm_view_load()).
 */
bool vp_kvm_setup_reached(enum vp_kvm kvm, enum vp_support ref);

/* What kvm_intel's module init returns: 0 or a negative errno. */
int vp_kvm_view_load(const struct vp_kvm_view *v);

/*
 * Write the view, one line per call of @line (without newline); a
 * non-zero return of @line stops the emitter and is returned.
 */
int vp_kvm_view_emit(const struct vp_kvm_view *v, vp_line_fn line,
		     void *ctx);

#endif /* VMCS_PROBE_KVM_VIEW_H */
