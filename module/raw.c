// SPDX-License-Identifier: GPL-2.0
/*
 * Raw per-CPU VMX inputs, and a vp_reader that replays them.
 */
#include "raw.h"
#include "vmx_regs.h"

const u32 vp_raw_cpuid_leaves[VP_RAW_NR_CPUID] = { 0x0, 0x1, 0x12 };

int vp_raw_slot(u32 index)
{
	const struct vp_msr *m = vp_msr_find(index);

	return m ? (int)(m - vp_msrs) : -1;
}

int vp_raw_cpuid_slot(u32 leaf)
{
	unsigned int i;

	for (i = 0; i < VP_RAW_NR_CPUID; i++)
		if (vp_raw_cpuid_leaves[i] == leaf)
			return i;
	return -1;
}

int vp_raw_read_msr(const struct vp_raw *raw, u32 index, u64 *val)
{
	int slot = vp_raw_slot(index);

	if (index == VP_MSR_BNDCFGS) {
		*val = 0;
		return 0;
	}
	if (slot < 0 || !(raw->known & BIT(slot)) ||
	    (raw->faulted & BIT(slot)))
		return -EIO;
	*val = raw->msr[slot];
	return 0;
}

static int vp_raw_rdmsr(void *ctx, u32 index, u64 *val)
{
	return vp_raw_read_msr(ctx, index, val);
}

static u32 vp_raw_cpuid_eax(void *ctx, u32 leaf)
{
	const struct vp_raw *raw = ctx;
	int slot = vp_raw_cpuid_slot(leaf);

	return slot < 0 ? 0 : raw->cpuid_eax[slot];
}

void vp_raw_reader(struct vp_reader *r, const struct vp_raw *raw)
{
	r->rdmsr = vp_raw_rdmsr;
	r->cpuid_eax = vp_raw_cpuid_eax;
	r->ctx = (void *)raw;
}
