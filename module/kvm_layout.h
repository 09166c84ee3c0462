/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each mirrored KVM prints about a CPU it refuses, and the layout of
 * the structure its messages point into.
 *
 * Since 7.x, vmx_check_processor_compat() names what differs between a CPU
 * and the reference as raw offsets into KVM's struct vmcs_config
 * ("Offset 76 REF = 0x107fffff, CPU0 = 0x007fffff, ...").  The offsets mean
 * something only with that version's struct layout: this table holds it,
 * one row per KVM version, each member tied to the vmcs_probe field
 * (vmx_bits.c) whose bit names decode it.  The message formats of every
 * version live here too, so that the tool's log parser and anything else
 * that wants them read one copy.  Pure C, shared by module and tool.
 */
#ifndef VMCS_PROBE_KVM_LAYOUT_H
#define VMCS_PROBE_KVM_LAYOUT_H

#include "vmx_types.h"
#include "engine.h"

/* One member of KVM's struct vmcs_config (nested_vmx_msrs flattened). */
struct vp_layout_member {
	u16 offset;		/* offsetof(struct vmcs_config, member) */
	u8 size;		/* 4 or 8 */
	u8 bit_base;		/* the bit of @field that is bit 0 here */
	const char *member;	/* KVM's name, e.g. "nested.exit_ctls_high" */
	const char *field;	/* vmcs_probe's, e.g. "nested.exit_ctls_high" */
};

struct vp_layout {
	enum vp_kvm kvm;
	const char *name;	/* "6.1", "6.12", "7.2", "7.3" */
	u16 size;		/* sizeof(struct vmcs_config) on x86-64 */
	/* Its own members by offset; struct nested_vmx_msrs follows. */
	const struct vp_layout_member *head;
	unsigned int nr_head;
};

/* Member @i of @l (0, 1, ... by offset, nested ones included), or NULL. */
const struct vp_layout_member *vp_layout_member(const struct vp_layout *l,
						unsigned int i);

/* The layout of @kvm's struct vmcs_config, or NULL if unknown. */
const struct vp_layout *vp_layout_for(enum vp_kvm kvm);

/*
 * The member that holds the 32-bit word at byte @offset (as KVM's 7.x
 * message counts), and in *shift the bit of the member's vmcs_probe field
 * that the word's bit 0 is.  NULL for padding or past the end.
 */
const struct vp_layout_member *vp_layout_word(const struct vp_layout *l,
					      unsigned int offset,
					      unsigned int *shift);

/* What a kernel log message of KVM's says happened. */
enum vp_klog_kind {
	VP_KLOG_COMPAT,		/* CPU's VMCS config differs: refused */
	VP_KLOG_COMPAT_OFFSETS,	/* same, followed by offset lines */
	VP_KLOG_OFFSET,		/* one "Offset N REF = ..." line */
	VP_KLOG_SETUP_FAILED,	/* setup_vmcs_config() failed on the CPU */
	VP_KLOG_UNSUPPORTED,	/* no VMX/SVM on the CPU */
	VP_KLOG_DISABLED,	/* VMX off in IA32_FEAT_CTL (BIOS) */
	VP_KLOG_NO_SUPPORT,	/* KVM refused to load: no VMX/SVM at all */
	VP_KLOG_ENABLE_FAILED,	/* kvm_main: enabling virtualization failed */
	VP_KLOG_OFFLINE,	/* smpboot: the CPU went offline */
};

/*
 * One message as KVM formats it, prefix (pr_fmt) included.  Conversions
 * are the kernel's: %d, %u, %s and 0x%08x.  @kvms: the mirrored versions
 * that print it, as BIT(enum vp_kvm); @since names the upstream range.
 */
struct vp_klog_msg {
	enum vp_klog_kind kind;
	const char *fmt;
	u32 kvms;
	const char *since;
	const char *meaning;
};

extern const struct vp_klog_msg vp_klog_msgs[];
extern const unsigned int vp_nr_klog_msgs;

#endif /* VMCS_PROBE_KVM_LAYOUT_H */
