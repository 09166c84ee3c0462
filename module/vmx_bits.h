/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the VMX capability MSRs, of every bit the Intel SDM defines in
 * them, and a description of struct vp_config, so that printing, comparing
 * and diffing (module debugfs, compat check, vmcsctl) walk one table.
 */
#ifndef VMCS_PROBE_VMX_BITS_H
#define VMCS_PROBE_VMX_BITS_H

#include "vmx_types.h"

/*
 * One named bit, or one multi-bit field when width > 1.  Tables end with an
 * entry whose id is NULL.
 */
struct vp_bit {
	u8 lo;			/* lowest bit */
	u8 width;		/* number of bits */
	const char *id;		/* short identifier, e.g. "EXT_INTR_EXITING" */
	const char *name;	/* human readable, e.g. "External interrupt exiting" */
};

/* How the value of a capability MSR is to be read. */
enum vp_msr_kind {
	VP_MSR_KIND_FEAT_CTL,	/* IA32_FEATURE_CONTROL bits */
	VP_MSR_KIND_BASIC,	/* fields and flags */
	VP_MSR_KIND_CTLS,	/* 31:0 allowed-0 settings, 63:32 allowed-1 */
	VP_MSR_KIND_CTLS64,	/* 63:0 allowed-1 settings only */
	VP_MSR_KIND_MISC,	/* fields and flags */
	VP_MSR_KIND_FIXED0,	/* CR bits that must be 1 in VMX operation */
	VP_MSR_KIND_FIXED1,	/* CR bits that may be 1 in VMX operation */
	VP_MSR_KIND_VMCS_ENUM,	/* highest VMCS field index */
	VP_MSR_KIND_EPT_VPID,	/* 31:0 EPT flags, 63:32 VPID flags */
	VP_MSR_KIND_VMFUNC,	/* allowed VM functions */
};

struct vp_msr {
	u32 index;
	const char *id;			/* e.g. "IA32_VMX_PINBASED_CTLS" */
	const char *name;		/* e.g. "pin-based controls" */
	enum vp_msr_kind kind;
	const struct vp_bit *bits;	/* bits of the (low) value */
	const struct vp_bit *hi_bits;	/* bits 63:32 of EPT_VPID, else NULL */
};

/* Flags of struct vp_field. */
#define VP_FIELD_COMPARED	BIT(0)	/* part of KVM's memcmp() */
#define VP_FIELD_NESTED		BIT(1)	/* set by nested_vmx_setup_ctls_msrs */
#define VP_FIELD_DERIVED	BIT(2)	/* recomputed from another field */
#define VP_FIELD_CAPABILITY	BIT(3)	/* KVM's vmx_capability */

/* One member of struct vp_config. */
struct vp_field {
	const char *name;		/* member name, e.g. "nested.basic" */
	u16 offset;			/* offsetof(struct vp_config, member) */
	u8 size;			/* 4 or 8 */
	u8 flags;			/* VP_FIELD_* */
	const struct vp_bit *bits;	/* how to name its bits, or NULL */
};

extern const struct vp_bit vp_feat_ctl_bits[];
extern const struct vp_bit vp_basic_bits[];
extern const struct vp_bit vp_pin_bits[];
extern const struct vp_bit vp_cpu_bits[];
extern const struct vp_bit vp_sec_bits[];
extern const struct vp_bit vp_ter_bits[];
extern const struct vp_bit vp_exit_bits[];
extern const struct vp_bit vp_exit2_bits[];
extern const struct vp_bit vp_entry_bits[];
extern const struct vp_bit vp_misc_bits[];
extern const struct vp_bit vp_ept_bits[];
extern const struct vp_bit vp_vpid_bits[];
extern const struct vp_bit vp_vmfunc_bits[];
extern const struct vp_bit vp_vmcs_enum_bits[];
extern const struct vp_bit vp_cr0_bits[];
extern const struct vp_bit vp_cr4_bits[];

extern const struct vp_msr vp_msrs[];
extern const unsigned int vp_nr_msrs;

extern const struct vp_field vp_fields[];
extern const unsigned int vp_nr_fields;

const struct vp_msr *vp_msr_find(u32 index);
const struct vp_field *vp_field_find(const char *name);
const struct vp_bit *vp_bit_find(const struct vp_bit *table, unsigned int bit);
/*
 * The reserved default1 bits (SDM Appendix A.2) of the control words whose
 * bits @table names: pin-based, primary, VM-exit, VM-entry; else 0.
 */
u32 vp_bits_default1(const struct vp_bit *table);

#endif /* VMCS_PROBE_VMX_BITS_H */
