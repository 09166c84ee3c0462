/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A CPU's raw VMX inputs: its capability MSRs and the CPUID words KVM
 * looks at, as read on that CPU (or loaded from a snapshot).  Pure C,
 * shared by the module and vmcsctl.
 */
#ifndef VMCS_PROBE_RAW_H
#define VMCS_PROBE_RAW_H

#include "engine.h"

/* The MSRs of vp_msrs[] (IA32_FEAT_CTL and 0x480..0x493), in that order. */
#define VP_RAW_NR_MSRS		21

/* The CPUID leaves KVM reads EAX of: max basic leaf, signature, SGX. */
#define VP_RAW_NR_CPUID		3
extern const u32 vp_raw_cpuid_leaves[VP_RAW_NR_CPUID];

struct vp_raw {
	u64 msr[VP_RAW_NR_MSRS];	/* indexed like vp_msrs[] */
	u32 known;			/* bit i: msr[i] holds a value */
	u32 faulted;			/* bit i: reading msr[i] faulted */
	u32 cpuid_eax[VP_RAW_NR_CPUID];	/* indexed like vp_raw_cpuid_leaves */
	u32 cpuid1_ecx;			/* CPUID.1:ECX; bit 5 is VMX */
};

#define VP_CPUID1_ECX_VMX	BIT(5)

/* Slot of an MSR index in struct vp_raw, or -1 if it has none. */
int vp_raw_slot(u32 index);
/* Slot of a CPUID leaf in cpuid_eax[], or -1. */
int vp_raw_cpuid_slot(u32 leaf);

/*
 * Read an MSR from a raw set: 0 and the value as recorded, or -EIO for an
 * MSR that faulted or that the set does not hold.  One exception:
 * IA32_BNDCFGS, which KVM reads on MPX hosts in hardware setup (only to
 * warn when it is not 0), is no VMX MSR and is never captured; it reads
 * as 0, the value the kernel keeps on the host.
 */
int vp_raw_read_msr(const struct vp_raw *raw, u32 index, u64 *val);

/*
 * A vp_reader over a vp_raw: MSRs as vp_raw_read_msr() gives them; a
 * CPUID leaf the set does not hold reads as 0.
 */
void vp_raw_reader(struct vp_reader *r, const struct vp_raw *raw);

#endif /* VMCS_PROBE_RAW_H */
