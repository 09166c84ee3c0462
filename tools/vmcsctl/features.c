// SPDX-License-Identifier: GPL-2.0
/*
 * The nested VMX features by QEMU's names: "vmx-rdseed-exit" and the
 * others are how QEMU (-cpu ...,+vmx-rdseed-exit), libvirt and KubeVirt
 * name bits of the VMX MSRs that KVM offers an L1 guest, and how a
 * failed migration names what the destination lacks ("missing features:
 * vmx-rdrand-exit,vmx-vmfunc").  migrate, and dump's prometheus and nfd
 * formats, speak of nested features in these names.
 *
 * Source: QEMU, target/i386/cpu.c, feature_word_info[], the feat_names
 * of FEAT_VMX_PROCBASED_CTLS, FEAT_VMX_SECONDARY_CTLS,
 * FEAT_VMX_PINBASED_CTLS, FEAT_VMX_EXIT_CTLS, FEAT_VMX_ENTRY_CTLS,
 * FEAT_VMX_MISC, FEAT_VMX_EPT_VPID_CAPS, FEAT_VMX_BASIC and
 * FEAT_VMX_VMFUNC, as of QEMU's master of 2025 (read there, written
 * here).  The MSR of each word is the one QEMU's .msr.index names.
 *
 * How QEMU reads a word (target/i386/kvm/kvm.c,
 * kvm_arch_get_supported_msr_feature()): for the control MSRs, a
 * feature is a control that may be 1 and need not be (allowed-1 set,
 * allowed-0 clear); for the others, the bit itself.
 *
 * One deviation: QEMU names bit 41 of IA32_VMX_EPT_VPID_CAP (INVVPID
 * single-context) "vmx-invept-single-context", the name of bit 25 as
 * well, so that no -cpu flag reaches it alone; here it is
 * "vmx-invvpid-single-context", so that every name means one bit.
 */
#include <string.h>

#include "vmcsctl.h"
#include "vmx_regs.h"

/* One feature word of QEMU: its MSR and the names of its bits. */
/* clang-format off */
#define F(msr_, bit_, name_)	{ .msr = (msr_), .bit = (bit_), .qemu = (name_) }
/* clang-format on */
#define PROC(b, n)	F(VP_MSR_VMX_TRUE_PROCBASED_CTLS, b, n)
#define SEC(b, n)	F(VP_MSR_VMX_PROCBASED_CTLS2, b, n)
#define PIN(b, n)	F(VP_MSR_VMX_TRUE_PINBASED_CTLS, b, n)
#define EXIT(b, n)	F(VP_MSR_VMX_TRUE_EXIT_CTLS, b, n)
#define ENTRY(b, n)	F(VP_MSR_VMX_TRUE_ENTRY_CTLS, b, n)
#define MISC(b, n)	F(VP_MSR_VMX_MISC, b, n)
#define EPTVPID(b, n)	F(VP_MSR_VMX_EPT_VPID_CAP, b, n)
#define BASIC(b, n)	F(VP_MSR_VMX_BASIC, b, n)
#define VMFUNC(b, n)	F(VP_MSR_VMX_VMFUNC, b, n)

const struct vmx_feature vmx_features[] = {
	/* FEAT_VMX_PROCBASED_CTLS */
	PROC(2, "vmx-vintr-pending"),
	PROC(3, "vmx-tsc-offset"),
	PROC(7, "vmx-hlt-exit"),
	PROC(9, "vmx-invlpg-exit"),
	PROC(10, "vmx-mwait-exit"),
	PROC(11, "vmx-rdpmc-exit"),
	PROC(12, "vmx-rdtsc-exit"),
	PROC(15, "vmx-cr3-load-noexit"),
	PROC(16, "vmx-cr3-store-noexit"),
	PROC(19, "vmx-cr8-load-exit"),
	PROC(20, "vmx-cr8-store-exit"),
	PROC(21, "vmx-flexpriority"),
	PROC(22, "vmx-vnmi-pending"),
	PROC(23, "vmx-movdr-exit"),
	PROC(24, "vmx-io-exit"),
	PROC(25, "vmx-io-bitmap"),
	PROC(27, "vmx-mtf"),
	PROC(28, "vmx-msr-bitmap"),
	PROC(29, "vmx-monitor-exit"),
	PROC(30, "vmx-pause-exit"),
	PROC(31, "vmx-secondary-ctls"),
	/* FEAT_VMX_SECONDARY_CTLS */
	SEC(0, "vmx-apicv-xapic"),
	SEC(1, "vmx-ept"),
	SEC(2, "vmx-desc-exit"),
	SEC(3, "vmx-rdtscp-exit"),
	SEC(4, "vmx-apicv-x2apic"),
	SEC(5, "vmx-vpid"),
	SEC(6, "vmx-wbinvd-exit"),
	SEC(7, "vmx-unrestricted-guest"),
	SEC(8, "vmx-apicv-register"),
	SEC(9, "vmx-apicv-vid"),
	SEC(10, "vmx-ple"),
	SEC(11, "vmx-rdrand-exit"),
	SEC(12, "vmx-invpcid-exit"),
	SEC(13, "vmx-vmfunc"),
	SEC(14, "vmx-shadow-vmcs"),
	SEC(15, "vmx-encls-exit"),
	SEC(16, "vmx-rdseed-exit"),
	SEC(17, "vmx-pml"),
	SEC(20, "vmx-xsaves"),
	SEC(25, "vmx-tsc-scaling"),
	SEC(26, "vmx-enable-user-wait-pause"),
	/* FEAT_VMX_PINBASED_CTLS */
	PIN(0, "vmx-intr-exit"),
	PIN(3, "vmx-nmi-exit"),
	PIN(5, "vmx-vnmi"),
	PIN(6, "vmx-preemption-timer"),
	PIN(7, "vmx-posted-intr"),
	/* FEAT_VMX_EXIT_CTLS (bit 9 follows CPUID's LM in QEMU: no name) */
	EXIT(2, "vmx-exit-nosave-debugctl"),
	EXIT(12, "vmx-exit-load-perf-global-ctrl"),
	EXIT(15, "vmx-exit-ack-intr"),
	EXIT(18, "vmx-exit-save-pat"),
	EXIT(19, "vmx-exit-load-pat"),
	EXIT(20, "vmx-exit-save-efer"),
	EXIT(21, "vmx-exit-load-efer"),
	EXIT(22, "vmx-exit-save-preemption-timer"),
	EXIT(23, "vmx-exit-clear-bndcfgs"),
	EXIT(25, "vmx-exit-clear-rtit-ctl"),
	EXIT(29, "vmx-exit-load-pkrs"),
	EXIT(31, "vmx-exit-secondary-ctls"),
	/* FEAT_VMX_ENTRY_CTLS */
	ENTRY(2, "vmx-entry-noload-debugctl"),
	ENTRY(9, "vmx-entry-ia32e-mode"),
	ENTRY(13, "vmx-entry-load-perf-global-ctrl"),
	ENTRY(14, "vmx-entry-load-pat"),
	ENTRY(15, "vmx-entry-load-efer"),
	ENTRY(16, "vmx-entry-load-bndcfgs"),
	ENTRY(18, "vmx-entry-load-rtit-ctl"),
	ENTRY(22, "vmx-entry-load-pkrs"),
	ENTRY(23, "vmx-entry-load-fred"),
	/* FEAT_VMX_MISC */
	MISC(5, "vmx-store-lma"),
	MISC(6, "vmx-activity-hlt"),
	MISC(7, "vmx-activity-shutdown"),
	MISC(8, "vmx-activity-wait-sipi"),
	MISC(29, "vmx-vmwrite-vmexit-fields"),
	MISC(30, "vmx-zero-len-inject"),
	/* FEAT_VMX_EPT_VPID_CAPS */
	EPTVPID(0, "vmx-ept-execonly"),
	EPTVPID(6, "vmx-page-walk-4"),
	EPTVPID(7, "vmx-page-walk-5"),
	EPTVPID(16, "vmx-ept-2mb"),
	EPTVPID(17, "vmx-ept-1gb"),
	EPTVPID(20, "vmx-invept"),
	EPTVPID(21, "vmx-eptad"),
	EPTVPID(22, "vmx-ept-advanced-exitinfo"),
	EPTVPID(25, "vmx-invept-single-context"),
	EPTVPID(26, "vmx-invept-all-context"),
	EPTVPID(32, "vmx-invvpid"),
	EPTVPID(40, "vmx-invvpid-single-addr"),
	EPTVPID(41, "vmx-invvpid-single-context"),	/* see above */
	EPTVPID(42, "vmx-invvpid-all-context"),
	EPTVPID(43, "vmx-invept-single-context-noglobals"),
	/* FEAT_VMX_BASIC */
	BASIC(54, "vmx-ins-outs"),
	BASIC(55, "vmx-true-ctls"),
	BASIC(56, "vmx-any-errcode"),
	BASIC(58, "vmx-nested-exception"),
	/* FEAT_VMX_VMFUNC */
	VMFUNC(0, "vmx-eptp-switching"),
};

const unsigned int vmx_nr_features = ARRAY_SIZE(vmx_features);

const struct vmx_feature *vmx_feature_find(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < vmx_nr_features; i++)
		if (strlen(vmx_features[i].qemu) == len &&
		    !memcmp(vmx_features[i].qemu, name, len))
			return &vmx_features[i];
	return NULL;
}

bool vmx_feature_is_control(const struct vmx_feature *f)
{
	const struct vp_msr *m = vp_msr_find(f->msr);

	return m && m->kind == VP_MSR_KIND_CTLS;
}

bool vmx_feature_in(const struct vmx_feature *f, u64 val)
{
	if (vmx_feature_is_control(f))
		return ((val >> 32) >> f->bit & 1) && !(val >> f->bit & 1);
	return val >> f->bit & 1;
}

const char *vmx_feature_sdm(const struct vmx_feature *f)
{
	const struct vp_msr *m = vp_msr_find(f->msr);
	const struct vp_bit *b = NULL;

	if (!m)
		return "-";
	if (m->hi_bits && f->bit >= 32)
		b = vp_bit_find(m->hi_bits, f->bit - 32);
	else
		b = vp_bit_find(m->bits, f->bit);
	return b && b->id ? b->id : "-";
}

void vmx_features_of(const struct vp_config *cfg, bool *have)
{
	unsigned int i;
	u64 val;

	for (i = 0; i < vmx_nr_features; i++)
		have[i] = !vp_nested_msr(cfg, vmx_features[i].msr, &val) &&
			  vmx_feature_in(&vmx_features[i], val);
}
