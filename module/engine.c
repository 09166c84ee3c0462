// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs_probe engine: recomputes, from the VMX capability MSRs, the VMX
 * configuration that kvm_intel computes, the way the KVM of one of the
 * Debian kernels in vp_kvm_versions[] (at the bottom) does it.  See
 * engine.h for what is mirrored; each function below names the KVM
 * function it follows.
 *
 * Rules this file keeps:
 *  - every MSR and CPUID access goes through struct vp_reader, in KVM's
 *    order, and only when KVM would make it;
 *  - no kernel calls, no allocation, no printing, no writable globals;
 *  - no test of a version number: what differs is a field or a function
 *    of the version's row.
 *
 * The catalogue: what changed between the mirrored KVMs, read line by line
 * in Debian's linux-source packages (arch/x86/kvm/vmx/{vmx.c,vmx.h,
 * capabilities.h,nested.c,vmcs12.c}, arch/x86/kvm/{x86.c,cpuid.c},
 * arch/x86/virt/hw.c), and the row field that follows it.
 *
 * 6.1.192 -> 6.12.117:
 *  - "EPT-violation #VE" becomes an optional secondary control, dropped
 *    again unless CONFIG_KVM_INTEL_PROVE_VE and dropped with inconsistent
 *    EPT capabilities (.ept_violation_ve, .sec_opt);
 *  - the PERF_GLOBAL_CTRL erratum (Nehalem/Westmere): 6.1 warns in
 *    hardware_setup(), matching any vendor's family 6, and keeps the
 *    controls in vmcs_config; 6.12 removes them from vmcs_config, matching
 *    boot_cpu_data.x86_vfm (Intel only) (.perf_global_ctrl_bug,
 *    .perf_global_ctrl_in_config);
 *  - 6.12 trims the config for an enlightened VMCS (Hyper-V)
 *    (.evmcs_sanitize);
 *  - 6.12 stores IA32_VMX_BASIC whole, 6.1 as size, high-word flags and
 *    revision id (the whole low word); both compare all 64 bits
 *    (.revision_mask);
 *  - nested: 6.12 takes "enable VM functions" from the config being built
 *    and offers EPTP switching only with ept=1 and VMFUNC, 6.1 adds
 *    "enable VM functions" whenever the global config has it
 *    (.nested_vmfunc);
 *  - nested: 6.12 emulates UMIP only when the host lacks X86_FEATURE_UMIP,
 *    6.1 whenever descriptor-table exiting is available (.umip_emulated);
 *  - vmx_init(): 6.1 runs hardware setup from kvm_init(), after deciding
 *    allow_smaller_maxphyaddr from the ept= parameter, 6.12 before, from
 *    the adjusted enable_ept (.smaller_maxphyaddr_after_setup);
 *  - whether init reaches setup_vmcs_config() at all: 6.12 asks the
 *    loading CPU's CPUID and IA32_FEAT_CTL flags, 6.1 its CPUID but the
 *    boot CPU's flags (.feat_ctl_of_loading_cpu; kvm_view.c);
 *  - the compat message: 6.1's kvm_main.c prints "kvm: CPU %d feature
 *    inconsistency!", 6.3 and later kvm_intel "Inconsistent VMCS config on
 *    CPU %d" (.compat_msg).
 *
 * 6.12.117 -> 7.2.13:
 *  - CET: the "load CET state" VM-entry and VM-exit controls are optional
 *    and a sixth entry/exit pair; the cet= parameter (off without the
 *    entry control); vmx_set_cpu_caps() clears SHSTK and IBT without cet,
 *    unrestricted guest or IA32_VMX_BASIC[56], kvm_setup_xss_caps() without
 *    XSAVES and both CET states in the host's XSS, kvm_set_cpu_caps()
 *    SHSTK without TDP and both with allow_smaller_maxphyaddr; nested
 *    setup now runs after vmx_set_cpu_caps() and offers the CET controls
 *    only while KVM supports SHSTK or IBT ("CET vs. nVMX", f8ade833b733,
 *    3f2757dbf32a: before that fix the global nested MSRs kept CET bits
 *    that the per-CPU recomputation dropped, so identical CPUs mismatched)
 *    (.cet, .entry_opt, .exit_opt, .nr_entry_exit_pairs, .nested_cet);
 *  - "save IA32_PERF_GLOBAL_CTRL" is an optional VM-exit control
 *    (.exit_opt);
 *  - mode-based EPT execute control (MBEC) is an optional secondary
 *    control, dropped with inconsistent EPT capabilities and without
 *    "advanced VM-exit information for EPT violations"; the mbec=
 *    parameter (off without the control or EPT); offered to L1 with mbec=1
 *    (.mbec, .sec_opt);
 *  - vmx_check_entry_exit_pairs(): every mismatched pair is cleared and
 *    warned about before -EIO, instead of stopping at the first
 *    (.pairs_check_all);
 *  - nested: advanced VM-exit information passes through in the EPT
 *    capabilities, IA32_VMX_BASIC[56] (no hardware error-code consistency
 *    check) from the hardware (.nested_ept_caps, .nested_basic);
 *  - nested: IA32_VMX_VMCS_ENUM is the highest field index of the vmcs12
 *    fields the hardware config supports (nested_vmx_setup_vmcs12_fields():
 *    TSC_MULTIPLIER, index 0x19, needs TSC scaling, else the preemption
 *    timer value, 0x17) (.vmcs_enum);
 *  - setup_vmcs_config() moves from hardware setup into vmx_init(), before
 *    kvm_x86_vendor_init(); the same reads in the same order;
 *  - VMXON moves to arch/x86/virt/hw.c, which reads IA32_VMX_BASIC once,
 *    on the boot CPU, and writes that revision into every CPU's VMXON
 *    region (.vmxon_revision_of_boot_cpu);
 *  - the compat message prints the differing u32 words of struct
 *    vmcs_config by offset (c0d6b8bbbced) (.compat_msg).
 *
 * 7.2.13 -> 7.3.4:
 *  - vmx_setup_preemption_timer(): off when the timer's largest value,
 *    from CPUID.15H unless running under a hypervisor, could expire more
 *    often than every 10 s; 7.2 and older take 2^32 - 1
 *    (.preemption_timer_max).
 *  Nothing else in the setup, compat check or nested MSRs changed
 *  (nested.c differs in MMU code only).
 *
 * Everything else used here is the same in all rows: the required controls,
 * the EPT/VPID and VMX_BASIC checks, the broken preemption timer list, the
 * other parameter adjustments and their defaults.
 *
 * Not mirrored: accesses of kvm.ko and of hardware setup that do not
 * concern VMX (user-return MSRs, EFER, PAT, PERF_CAPABILITIES), 7.x's own
 * IA32_XSS read (host_xss_cet is the boot CPU's), the CR4 reserved-bits
 * comparison kvm_x86_check_processor_compatibility() makes before
 * vmx_check_processor_compat(), and TDX (off by default, needs the TDX
 * module).  pr_warn_once() and friends become VP_WARN_* bits, set on every
 * computation.
 */
#include "engine.h"
#include "vmx_regs.h"

/* KVM's PAGE_SIZE on x86. */
#define VP_PAGE_SIZE			4096u

/*
 * vmcs12 constants of nested.c/vmcs12.h, identical in every row: the
 * revision KVM reports to L1, the size of its vmcs12 page
 * (KVM_STATE_NESTED_VMX_VMCS_SIZE) and the rate at which it emulates the
 * preemption timer.
 */
#define VP_VMCS12_REVISION		0x11e57ed0u
#define VP_VMCS12_SIZE			0x1000u
#define VP_NESTED_TIMER_RATE		5u

/*
 * Field indexes (encoding bits 9:1) for IA32_VMX_VMCS_ENUM: TSC_MULTIPLIER
 * (0x2032) and VMX_PREEMPTION_TIMER_VALUE (0x482e), the highest-indexed
 * vmcs12 fields (vp_vmcs_enum_6_1(), vp_vmcs_enum_7_2()).
 */
#define VP_VMCS12_IDX_TSC_MULTIPLIER	0x19ULL
#define VP_VMCS12_IDX_TIMER_VALUE	0x17ULL

/* CR bits KVM forces on in VMX operation for L1 (the "core2" setting). */
#define VP_NESTED_CR0_FIXED0		(VP_CR0_PE | VP_CR0_PG | VP_CR0_NE)
#define VP_NESTED_CR4_FIXED0		VP_CR4_VMXE

/* Intel family 6 models with the PERF_GLOBAL_CTRL VM-exit erratum. */
#define VP_MODEL_NEHALEM_EP		0x1a	/* AAK155 */
#define VP_MODEL_NEHALEM		0x1e	/* AAP115 */
#define VP_MODEL_WESTMERE		0x25	/* AAT100 */
#define VP_MODEL_WESTMERE_EP		0x2c	/* BC86, AAY89, BD102 */
#define VP_MODEL_NEHALEM_EX		0x2e	/* BA97 */

/*
 * CPUID.1:EAX signatures (reserved bits cleared) whose VMX-preemption timer
 * is broken; KVM's vmx_preemption_cpu_tfms[], the same list in every row.
 */
static const u32 vp_broken_timer_sigs[] = {
	0x000206e6,	/* Xeon 7500, erratum BA86 */
	0x00020652,	/* i7-600/i5-500/i5-400/i3-300, Xeon L3406, C2 */
	0x00020655,	/* i5-600/i3-500, Pentium G6950, K0 */
	0x000106e5,	/* Xeon 3400, i7-800/i5-700, i7-900 Mobile, B1 */
	0x000106a0,	/* Xeon 3500, C0 */
	0x000106a1,	/* Xeon 3500, C1 */
	0x000106a4,	/* i7-900 Desktop, C0 */
	0x000106a5,	/* Xeon 3500/5500, i7-900, D0 */
	0x000306a8,	/* Xeon E3-1220 V2 */
};

/*
 * VM-entry controls and the VM-exit controls KVM requires to be both set or
 * both clear; setup_vmcs_config()'s vmcs_entry_exit_pairs[], whose first
 * .nr_entry_exit_pairs rows a version has (7.x added CET).  The
 * debug-controls pair is missing because both halves are required; the
 * "save PAT/EFER" exit controls because KVM never uses them.
 */
static const struct {
	u32 entry;
	u32 exit;
} vp_entry_exit_pairs[] = {
	{ VP_ENTRY_LOAD_PERF_GLOBAL_CTRL, VP_EXIT_LOAD_PERF_GLOBAL_CTRL },
	{ VP_ENTRY_LOAD_PAT, VP_EXIT_LOAD_PAT },
	{ VP_ENTRY_LOAD_EFER, VP_EXIT_LOAD_EFER },
	{ VP_ENTRY_LOAD_BNDCFGS, VP_EXIT_CLEAR_BNDCFGS },
	{ VP_ENTRY_LOAD_RTIT_CTL, VP_EXIT_CLEAR_RTIT_CTL },
	{ VP_ENTRY_LOAD_CET_STATE, VP_EXIT_LOAD_CET_STATE },
};

/*
 * The controls KVM insists on (required) and the ones it takes when the CPU
 * offers them (optional): KVM_REQUIRED_* / KVM_OPTIONAL_* of vmx/vmx.h, as
 * 6.1 has them plus the row's additions.
 */
struct vp_ctl_sets {
	u32 cpu_req, cpu_opt;
	u32 sec_req, sec_opt;
	u64 ter_opt;
	u32 exit_req, exit_opt;
	u32 pin_req, pin_opt;
	u32 entry_req, entry_opt;
};

static void vp_get_ctl_sets(const struct vp_params *p,
			    const struct vp_kvm_version *v,
			    struct vp_ctl_sets *s)
{
	s->cpu_req = VP_CPU_HLT_EXITING | VP_CPU_CR3_LOAD_EXITING |
		     VP_CPU_CR3_STORE_EXITING | VP_CPU_UNCOND_IO_EXITING |
		     VP_CPU_MOV_DR_EXITING | VP_CPU_USE_TSC_OFFSETTING |
		     VP_CPU_MWAIT_EXITING | VP_CPU_MONITOR_EXITING |
		     VP_CPU_INVLPG_EXITING | VP_CPU_RDPMC_EXITING |
		     VP_CPU_INTR_WINDOW_EXITING;
	if (p->config_x86_64)
		s->cpu_req |= VP_CPU_CR8_LOAD_EXITING |
			      VP_CPU_CR8_STORE_EXITING;
	s->cpu_opt = VP_CPU_RDTSC_EXITING | VP_CPU_TPR_SHADOW |
		     VP_CPU_USE_IO_BITMAPS | VP_CPU_MONITOR_TRAP_FLAG |
		     VP_CPU_USE_MSR_BITMAPS | VP_CPU_NMI_WINDOW_EXITING |
		     VP_CPU_PAUSE_EXITING | VP_CPU_ACTIVATE_SECONDARY |
		     VP_CPU_ACTIVATE_TERTIARY;

	s->sec_req = 0;
	s->sec_opt = VP_SEC_VIRT_APIC_ACCESSES | VP_SEC_VIRT_X2APIC_MODE |
		     VP_SEC_WBINVD_EXITING | VP_SEC_ENABLE_VPID |
		     VP_SEC_ENABLE_EPT | VP_SEC_UNRESTRICTED_GUEST |
		     VP_SEC_PAUSE_LOOP_EXITING | VP_SEC_DESC_EXITING |
		     VP_SEC_ENABLE_RDTSCP | VP_SEC_ENABLE_INVPCID |
		     VP_SEC_APIC_REGISTER_VIRT | VP_SEC_VIRT_INTR_DELIVERY |
		     VP_SEC_SHADOW_VMCS | VP_SEC_ENABLE_XSAVES |
		     VP_SEC_RDSEED_EXITING | VP_SEC_RDRAND_EXITING |
		     VP_SEC_ENABLE_PML | VP_SEC_TSC_SCALING |
		     VP_SEC_USER_WAIT_PAUSE | VP_SEC_PT_USE_GPA |
		     VP_SEC_PT_CONCEAL_VMX | VP_SEC_ENABLE_VMFUNC |
		     VP_SEC_BUS_LOCK_DETECTION | VP_SEC_INSTRUCTION_TIMEOUT |
		     VP_SEC_ENCLS_EXITING;
	s->sec_opt |= v->sec_opt;

	s->ter_opt = VP_TER_IPI_VIRT;

	s->exit_req = VP_EXIT_SAVE_DEBUG_CONTROLS | VP_EXIT_ACK_INTR_ON_EXIT;
	if (p->config_x86_64)
		s->exit_req |= VP_EXIT_HOST_ADDR_SPACE_SIZE;
	s->exit_opt = VP_EXIT_LOAD_PERF_GLOBAL_CTRL | VP_EXIT_SAVE_PAT |
		      VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_EFER |
		      VP_EXIT_SAVE_PREEMPTION_TIMER | VP_EXIT_LOAD_EFER |
		      VP_EXIT_CLEAR_BNDCFGS | VP_EXIT_PT_CONCEAL_PIP |
		      VP_EXIT_CLEAR_RTIT_CTL;
	s->exit_opt |= v->exit_opt;

	s->pin_req = VP_PIN_EXT_INTR_EXITING | VP_PIN_NMI_EXITING;
	s->pin_opt = VP_PIN_VIRTUAL_NMIS | VP_PIN_POSTED_INTR |
		     VP_PIN_PREEMPTION_TIMER;

	s->entry_req = VP_ENTRY_LOAD_DEBUG_CONTROLS;
	if (p->config_x86_64)
		s->entry_req |= VP_ENTRY_IA32E_MODE;
	s->entry_opt = VP_ENTRY_LOAD_PERF_GLOBAL_CTRL | VP_ENTRY_LOAD_PAT |
		       VP_ENTRY_LOAD_EFER | VP_ENTRY_LOAD_BNDCFGS |
		       VP_ENTRY_PT_CONCEAL_PIP | VP_ENTRY_LOAD_RTIT_CTL;
	s->entry_opt |= v->entry_opt;
}

/*
 * What an enlightened VMCS (eVMCS v1) can express; 6.12's EVMCS1_SUPPORTED_*
 * of vmx/hyperv_evmcs.h (the same in 7.x), applied by
 * evmcs_sanitize_exec_ctrls().
 */
/* A table, aligned by hand. */
/* clang-format off */
#define VP_EVMCS_PIN	(VP_PIN_DEFAULT1 | VP_PIN_EXT_INTR_EXITING |	\
			 VP_PIN_NMI_EXITING | VP_PIN_VIRTUAL_NMIS)
#define VP_EVMCS_CPU	(VP_CPU_DEFAULT1 | VP_CPU_HLT_EXITING |		\
			 VP_CPU_CR3_LOAD_EXITING | VP_CPU_CR3_STORE_EXITING | \
			 VP_CPU_UNCOND_IO_EXITING | VP_CPU_MOV_DR_EXITING | \
			 VP_CPU_USE_TSC_OFFSETTING | VP_CPU_MWAIT_EXITING | \
			 VP_CPU_MONITOR_EXITING | VP_CPU_INVLPG_EXITING |	\
			 VP_CPU_RDPMC_EXITING | VP_CPU_INTR_WINDOW_EXITING | \
			 VP_CPU_CR8_LOAD_EXITING | VP_CPU_CR8_STORE_EXITING | \
			 VP_CPU_RDTSC_EXITING | VP_CPU_TPR_SHADOW |	\
			 VP_CPU_USE_IO_BITMAPS | VP_CPU_MONITOR_TRAP_FLAG | \
			 VP_CPU_USE_MSR_BITMAPS | VP_CPU_NMI_WINDOW_EXITING | \
			 VP_CPU_PAUSE_EXITING | VP_CPU_ACTIVATE_SECONDARY)
#define VP_EVMCS_SEC	(VP_SEC_VIRT_X2APIC_MODE | VP_SEC_WBINVD_EXITING | \
			 VP_SEC_ENABLE_VPID | VP_SEC_ENABLE_EPT |	\
			 VP_SEC_UNRESTRICTED_GUEST | VP_SEC_DESC_EXITING | \
			 VP_SEC_ENABLE_RDTSCP | VP_SEC_ENABLE_INVPCID |	\
			 VP_SEC_ENABLE_XSAVES | VP_SEC_RDSEED_EXITING |	\
			 VP_SEC_RDRAND_EXITING | VP_SEC_TSC_SCALING |	\
			 VP_SEC_USER_WAIT_PAUSE | VP_SEC_PT_USE_GPA |	\
			 VP_SEC_PT_CONCEAL_VMX | VP_SEC_BUS_LOCK_DETECTION | \
			 VP_SEC_INSTRUCTION_TIMEOUT | VP_SEC_ENCLS_EXITING)
#define VP_EVMCS_TER	0ULL
#define VP_EVMCS_EXIT	(VP_EXIT_DEFAULT1 | VP_EXIT_SAVE_DEBUG_CONTROLS | \
			 VP_EXIT_ACK_INTR_ON_EXIT |			\
			 VP_EXIT_HOST_ADDR_SPACE_SIZE |			\
			 VP_EXIT_LOAD_PERF_GLOBAL_CTRL | VP_EXIT_SAVE_PAT | \
			 VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_EFER |		\
			 VP_EXIT_LOAD_EFER | VP_EXIT_CLEAR_BNDCFGS |	\
			 VP_EXIT_PT_CONCEAL_PIP | VP_EXIT_CLEAR_RTIT_CTL)
#define VP_EVMCS_ENTRY	(VP_ENTRY_DEFAULT1 | VP_ENTRY_LOAD_DEBUG_CONTROLS | \
			 VP_ENTRY_IA32E_MODE |				\
			 VP_ENTRY_LOAD_PERF_GLOBAL_CTRL | VP_ENTRY_LOAD_PAT | \
			 VP_ENTRY_LOAD_EFER | VP_ENTRY_LOAD_BNDCFGS |	\
			 VP_ENTRY_PT_CONCEAL_PIP | VP_ENTRY_LOAD_RTIT_CTL)
/* clang-format on */

/* One computation: its inputs and where results and diagnostics go. */
struct vp_run {
	const struct vp_params *p;
	const struct vp_kvm_version *v;
	const struct vp_reader *r;
	struct vp_config *out;
};

/*
 * The engine's MSR reads go through the run's reader (hardware, per-CPU
 * cache, replay, or a test's table), hence the vp_run_ prefix: the
 * module's own hardware read is kcompat.h's vp_rdmsr_safe().
 *
 * rdmsr()/rdmsrl(): KVM does not expect these to fault.  If one does, the
 * kernel's exception fixup logs an "unchecked MSR access error" and yields
 * 0, and KVM carries on with that 0; so do we, and remember it.
 */
static u64 vp_run_rdmsr(struct vp_run *run, u32 index)
{
	u64 val = 0;

	if (run->r->rdmsr(run->r->ctx, index, &val)) {
		run->out->diag.warnings |= VP_WARN_RDMSR_FAULT;
		val = 0;
	}
	return val;
}

/* rdmsr_safe(): a fault is expected and silently reads as 0. */
static int vp_run_rdmsr_safe(struct vp_run *run, u32 index, u64 *val)
{
	int ret;

	*val = 0;
	ret = run->r->rdmsr(run->r->ctx, index, val);
	if (ret)
		*val = 0;
	return ret;
}

static u32 vp_cpuid_eax(struct vp_run *run, u32 leaf)
{
	return run->r->cpuid_eax(run->r->ctx, leaf);
}

static int vp_fail(struct vp_run *run, enum vp_error err, u32 msr, u64 bits)
{
	run->out->diag.error = err;
	run->out->diag.error_msr = msr;
	run->out->diag.error_bits = bits;
	return -EIO;
}

/*
 * Mirror of adjust_vmx_controls(): a control may be 1 only if the MSR's
 * allowed-1 word (bits 63:32) says so, and must be 1 whenever its allowed-0
 * word (bits 31:0) says so; every required control must survive that.
 */
static int vp_adjust_controls(struct vp_run *run, u32 required, u32 optional,
			      u32 msr, enum vp_error err, u32 *result)
{
	u64 cap = vp_run_rdmsr(run, msr);
	u32 must_be_one = (u32)cap;
	u32 may_be_one = (u32)(cap >> 32);
	u32 ctl = required | optional;

	ctl &= may_be_one;
	ctl |= must_be_one;
	if (required & ~ctl)
		return vp_fail(run, err, msr, required & ~ctl);

	*result = ctl;
	return 0;
}

/*
 * Mirror of adjust_vmx_controls64(): the tertiary controls MSR has no
 * allowed-0 half, all 64 bits are allowed-1 settings.
 */
static u64 vp_adjust_controls64(struct vp_run *run, u64 optional, u32 msr)
{
	return optional & vp_run_rdmsr(run, msr);
}

/*
 * Mirror of cpu_has_sgx(): KVM asks CPUID directly (on the current CPU),
 * whether or not the kernel enabled SGX.
 */
static bool vp_cpu_has_sgx(struct vp_run *run)
{
	return vp_cpuid_eax(run, 0) >= 0x12 &&
	       (vp_cpuid_eax(run, 0x12) & VP_CPUID12_EAX_SGX1);
}

/*
 * Mirror of cpu_has_broken_vmx_preemption_timer(): CPUID.1:EAX of the
 * current CPU, with the reserved bits 15:14 and 31:28 cleared.
 */
static bool vp_broken_preemption_timer(struct vp_run *run)
{
	u32 sig = vp_cpuid_eax(run, 1);
	unsigned int i;

	sig &= ~(0x3u << 14 | 0xfu << 28);
	for (i = 0; i < ARRAY_SIZE(vp_broken_timer_sigs); i++)
		if (sig == vp_broken_timer_sigs[i])
			return true;
	return false;
}

/* boot_cpu_data.x86 and .x86_model, as the kernel derives them. */
static unsigned int vp_sig_family(u32 sig)
{
	unsigned int family = VP_CPUID_SIG_FAMILY(sig);

	if (family == 0xf)
		family += VP_CPUID_SIG_EXT_FAMILY(sig);
	return family;
}

static unsigned int vp_sig_model(u32 sig)
{
	unsigned int model = VP_CPUID_SIG_MODEL(sig);

	if (vp_sig_family(sig) >= 0x6)
		model += VP_CPUID_SIG_EXT_MODEL(sig) << 4;
	return model;
}

/*
 * The boot CPU has the erratum where VM exit may clear
 * IA32_PERF_GLOBAL_CTRL[34:32]: mirror of 6.1's
 * cpu_has_perf_global_ctrl_bug(), which looks at family and model only.
 */
static bool vp_perf_global_ctrl_bug_6_1(const struct vp_params *p)
{
	u32 sig = p->boot_cpuid_sig;

	if (vp_sig_family(sig) != 6)
		return false;

	switch (vp_sig_model(sig)) {
	case VP_MODEL_NEHALEM_EP:
	case VP_MODEL_NEHALEM:
	case VP_MODEL_WESTMERE:
	case VP_MODEL_WESTMERE_EP:
	case VP_MODEL_NEHALEM_EX:
		return true;
	default:
		return false;
	}
}

/*
 * Mirror of 6.12's switch on boot_cpu_data.x86_vfm in setup_vmcs_config():
 * the same models, Intel's only.
 */
static bool vp_perf_global_ctrl_bug_6_12(const struct vp_params *p)
{
	return p->boot_cpu_intel && vp_perf_global_ctrl_bug_6_1(p);
}

/* Keep only @allowed in *@ctl; tell whether anything was dropped. */
static bool vp_keep32(u32 *ctl, u32 allowed)
{
	bool dropped = *ctl & ~allowed;

	*ctl &= allowed;
	return dropped;
}

/* 6.12's evmcs_sanitize_exec_ctrls(): drop what eVMCS v1 cannot hold. */
static void vp_evmcs_sanitize(struct vp_config *c)
{
	bool dropped = false;

	dropped |= vp_keep32(&c->cpu_based_exec_ctrl, VP_EVMCS_CPU);
	dropped |= vp_keep32(&c->pin_based_exec_ctrl, VP_EVMCS_PIN);
	dropped |= vp_keep32(&c->secondary_exec_ctrl, VP_EVMCS_SEC);
	if (c->tertiary_exec_ctrl & ~VP_EVMCS_TER)
		dropped = true;
	c->tertiary_exec_ctrl &= VP_EVMCS_TER;
	dropped |= vp_keep32(&c->vmentry_ctrl, VP_EVMCS_ENTRY);
	dropped |= vp_keep32(&c->vmexit_ctrl, VP_EVMCS_EXIT);
	if (dropped)
		c->diag.warnings |= VP_WARN_EVMCS_SANITIZED;
}

/* Reset @c to what KVM's memset() leaves, keeping nothing. */
static void vp_config_clear(struct vp_config *c, enum vp_kvm kvm)
{
	*c = (struct vp_config){ .kvm = kvm };
}

/* Clear KVM's part of @c after a failure: KVM fills it in only on success. */
static void vp_config_clear_kvm_part(struct vp_config *c)
{
	struct vp_diag diag = c->diag;
	u32 ept = c->ept_caps, vpid = c->vpid_caps;

	vp_config_clear(c, c->kvm);
	c->diag = diag;
	c->ept_caps = ept;
	c->vpid_caps = vpid;
}

/*
 * The entry/exit pair check of setup_vmcs_config(): up to 6.12 a loop that
 * fails at the first mismatched pair with error_on_inconsistent_vmcs_config
 * (else clears the pair and goes on), from 7.2 vmx_check_entry_exit_pairs(),
 * which clears and warns about every mismatched pair and fails afterwards.
 */
static int vp_check_entry_exit_pairs(struct vp_run *run, u32 *vmentry,
				     u32 *vmexit)
{
	const struct vp_params *p = run->p;
	struct vp_config *c = run->out;
	u64 failed = 0;
	unsigned int i;

	for (i = 0; i < run->v->nr_entry_exit_pairs; i++) {
		u32 n = vp_entry_exit_pairs[i].entry;
		u32 x = vp_entry_exit_pairs[i].exit;

		if (!(*vmentry & n) == !(*vmexit & x))
			continue;

		c->diag.warnings |= VP_WARN_ENTRY_EXIT_PAIR;
		c->diag.pair_entry_bits |= *vmentry & n;
		c->diag.pair_exit_bits |= *vmexit & x;
		failed |= ((u64)(*vmexit & x) << 32) | (*vmentry & n);
		if (p->error_on_inconsistent_vmcs_config &&
		    !run->v->pairs_check_all)
			break;
		*vmentry &= ~n;
		*vmexit &= ~x;
	}
	if (failed && p->error_on_inconsistent_vmcs_config)
		return vp_fail(run, VP_ERR_ENTRY_EXIT_PAIR,
			       VP_MSR_VMX_ENTRY_CTLS, failed);
	return 0;
}

/*
 * Mirror of setup_vmcs_config().  The MSR and CPUID accesses below happen
 * in exactly this order in every row:
 *   PROCBASED_CTLS, [PROCBASED_CTLS2], EPT_VPID_CAP (rdmsr_safe, always),
 *   CPUID 0, [CPUID 0x12], [PROCBASED_CTLS3], EXIT_CTLS, PINBASED_CTLS,
 *   CPUID 1, ENTRY_CTLS, BASIC, MISC
 * where a failure stops the sequence.
 */
static int vp_setup_vmcs_config(struct vp_run *run)
{
	const struct vp_params *p = run->p;
	const struct vp_kvm_version *v = run->v;
	struct vp_config *c = run->out;
	struct vp_ctl_sets s;
	u32 cpu = 0, sec = 0, vmexit = 0, pin = 0, vmentry = 0;
	u64 ter = 0, cap, basic, misc;

	vp_get_ctl_sets(p, v, &s);

	if (vp_adjust_controls(run, s.cpu_req, s.cpu_opt,
			       VP_MSR_VMX_PROCBASED_CTLS,
			       VP_ERR_PROCBASED_REQUIRED, &cpu))
		return -EIO;
	if (cpu & VP_CPU_ACTIVATE_SECONDARY) {
		if (vp_adjust_controls(run, s.sec_req, s.sec_opt,
				       VP_MSR_VMX_PROCBASED_CTLS2,
				       VP_ERR_SECONDARY_REQUIRED, &sec))
			return -EIO;
	}

	/*
	 * 6.12 and later ask for EPT-violation #VE but keep it only in kernels
	 * built with CONFIG_KVM_INTEL_PROVE_VE.  6.1 never asks for it, so
	 * there it can only appear when the CPU reports it as must-be-1.
	 */
	if (v->ept_violation_ve && !p->config_kvm_intel_prove_ve)
		sec &= ~VP_SEC_EPT_VIOLATION_VE;

	/* 32-bit KVM uses the TPR shadow only together with APIC access virt. */
	if (!p->config_x86_64 && !(sec & VP_SEC_VIRT_APIC_ACCESSES))
		cpu &= ~VP_CPU_TPR_SHADOW;

	if (!(cpu & VP_CPU_TPR_SHADOW))
		sec &= ~(VP_SEC_APIC_REGISTER_VIRT | VP_SEC_VIRT_X2APIC_MODE |
			 VP_SEC_VIRT_INTR_DELIVERY);

	/* Read unconditionally, with rdmsr_safe(), in both versions. */
	if (vp_run_rdmsr_safe(run, VP_MSR_VMX_EPT_VPID_CAP, &cap))
		c->diag.warnings |= VP_WARN_EPT_VPID_CAP_FAULT;
	c->ept_caps = (u32)cap;
	c->vpid_caps = (u32)(cap >> 32);

	/* EPT/VPID capabilities without the control that enables them. */
	if (!(sec & VP_SEC_ENABLE_EPT) && c->ept_caps) {
		c->diag.warnings |= VP_WARN_EPT_CAP_WITHOUT_EPT;
		if (p->error_on_inconsistent_vmcs_config)
			return vp_fail(run, VP_ERR_EPT_CAP_WITHOUT_EPT,
				       VP_MSR_VMX_EPT_VPID_CAP, c->ept_caps);
		c->ept_caps = 0;
		/* MBEC and #VE need EPT; versions that ask for them clear them. */
		if (v->mbec)
			sec &= ~VP_SEC_MODE_BASED_EPT_EXEC;
		if (v->ept_violation_ve)
			sec &= ~VP_SEC_EPT_VIOLATION_VE;
	}
	if (!(sec & VP_SEC_ENABLE_VPID) && c->vpid_caps) {
		c->diag.warnings |= VP_WARN_VPID_CAP_WITHOUT_VPID;
		if (p->error_on_inconsistent_vmcs_config)
			return vp_fail(run, VP_ERR_VPID_CAP_WITHOUT_VPID,
				       VP_MSR_VMX_EPT_VPID_CAP,
				       (u64)c->vpid_caps << 32);
		c->vpid_caps = 0;
	}

	/* L1's MBEC needs advanced VM-exit information to tell U from S. */
	if (v->mbec && !(c->ept_caps & VP_EPT_ADV_EXIT_INFO))
		sec &= ~VP_SEC_MODE_BASED_EPT_EXEC;

	if (!vp_cpu_has_sgx(run))
		sec &= ~VP_SEC_ENCLS_EXITING;

	if (cpu & VP_CPU_ACTIVATE_TERTIARY)
		ter = vp_adjust_controls64(run, s.ter_opt,
					   VP_MSR_VMX_PROCBASED_CTLS3);

	if (vp_adjust_controls(run, s.exit_req, s.exit_opt,
			       VP_MSR_VMX_EXIT_CTLS, VP_ERR_EXIT_REQUIRED,
			       &vmexit))
		return -EIO;

	if (vp_adjust_controls(run, s.pin_req, s.pin_opt,
			       VP_MSR_VMX_PINBASED_CTLS,
			       VP_ERR_PINBASED_REQUIRED, &pin))
		return -EIO;

	if (vp_broken_preemption_timer(run))
		pin &= ~VP_PIN_PREEMPTION_TIMER;
	if (!(sec & VP_SEC_VIRT_INTR_DELIVERY))
		pin &= ~VP_PIN_POSTED_INTR;

	if (vp_adjust_controls(run, s.entry_req, s.entry_opt,
			       VP_MSR_VMX_ENTRY_CTLS, VP_ERR_ENTRY_REQUIRED,
			       &vmentry))
		return -EIO;

	if (vp_check_entry_exit_pairs(run, &vmentry, &vmexit))
		return -EIO;

	/*
	 * 6.12 and later work around the PERF_GLOBAL_CTRL erratum here, in the
	 * config itself.  6.1 only warns in hardware_setup() and drops the
	 * controls later, when it builds each VMCS, so its vmcs_config keeps
	 * them.
	 */
	if (v->perf_global_ctrl_in_config && v->perf_global_ctrl_bug(p)) {
		vmentry &= ~VP_ENTRY_LOAD_PERF_GLOBAL_CTRL;
		vmexit &= ~VP_EXIT_LOAD_PERF_GLOBAL_CTRL;
		c->diag.warnings |= VP_WARN_PERF_GLOBAL_CTRL_BUG;
	}

	basic = vp_run_rdmsr(run, VP_MSR_VMX_BASIC);

	/* SDM: a VMCS region never exceeds 4 KiB. */
	if (((basic >> VP_BASIC_VMCS_SIZE_SHIFT) & VP_BASIC_VMCS_SIZE_MASK) >
	    VP_PAGE_SIZE)
		return vp_fail(run, VP_ERR_VMCS_SIZE, VP_MSR_VMX_BASIC,
			       (basic >> VP_BASIC_VMCS_SIZE_SHIFT) &
				       VP_BASIC_VMCS_SIZE_MASK);

	/* 64-bit KVM puts full physical addresses into VMCS fields. */
	if (p->config_x86_64 && (basic & VP_BASIC_32BIT_PHYS_ADDR))
		return vp_fail(run, VP_ERR_32BIT_PHYS_ADDR, VP_MSR_VMX_BASIC,
			       VP_BASIC_32BIT_PHYS_ADDR);

	if (((basic >> VP_BASIC_MEM_TYPE_SHIFT) & VP_BASIC_MEM_TYPE_MASK) !=
	    VP_MEMTYPE_WB)
		return vp_fail(run, VP_ERR_VMCS_MEMTYPE, VP_MSR_VMX_BASIC,
			       (basic >> VP_BASIC_MEM_TYPE_SHIFT) &
				       VP_BASIC_MEM_TYPE_MASK);

	misc = vp_run_rdmsr(run, VP_MSR_VMX_MISC);

	c->basic = basic;
	c->pin_based_exec_ctrl = pin;
	c->cpu_based_exec_ctrl = cpu;
	c->secondary_exec_ctrl = sec;
	c->tertiary_exec_ctrl = ter;
	c->vmexit_ctrl = vmexit;
	c->vmentry_ctrl = vmentry;
	c->misc = misc;

	/*
	 * 6.1 keeps the revision as the whole low word, later versions as
	 * bits 30:0 (bit 31 is always 0).  Every VMCS is one page: order 0.
	 */
	c->revision_id = (u32)basic & v->revision_mask;
	c->vmcs_size = (u32)((basic >> VP_BASIC_VMCS_SIZE_SHIFT) &
			     VP_BASIC_VMCS_SIZE_MASK);
	c->order = 0;

	/* 6.12 and later sanitize the config for eVMCS; 6.1 filters when
	 * it writes.
	 */
	if (v->evmcs_sanitize && p->config_hyperv && p->enlightened_vmcs)
		vp_evmcs_sanitize(c);

	return 0;
}

/*
 * nested_vmx_setup_ctls_msrs() (nested.c) in KVM's own pieces, one per MSR
 * like 6.12's nested_vmx_setup_*_ctls().  @conf is the config being built
 * (KVM's vmcs_conf); @global is KVM's global vmcs_config, which a few
 * capability helpers read even while a per-CPU config is built
 * (cpu_has_vmx_basic_inout(), vmx_umip_emulated(), cpu_has_vmx_vmfunc()).
 * In hardware setup the two are the same.  Module parameters are the
 * effective ones; @kvm_cet is kvm_cpu_cap_has(SHSTK) || (IBT), 7.x only.
 */
struct vp_nested_run {
	struct vp_run *run;
	const struct vp_config *conf;
	const struct vp_config *global;
	u32 ept_caps;
	bool kvm_cet;
	struct vp_nested_msrs *n;
};

/* Mirror of nested_vmx_setup_pinbased_ctls(). */
static void vp_nested_setup_pinbased_ctls(const struct vp_nested_run *nr)
{
	const struct vp_params *p = nr->run->p;
	struct vp_nested_msrs *n = nr->n;

	n->pinbased_ctls_low = VP_PIN_DEFAULT1;
	n->pinbased_ctls_high = nr->conf->pin_based_exec_ctrl &
				(VP_PIN_EXT_INTR_EXITING | VP_PIN_NMI_EXITING |
				 VP_PIN_VIRTUAL_NMIS |
				 (p->enable_apicv ? VP_PIN_POSTED_INTR : 0));
	/* The preemption timer is always emulated. */
	n->pinbased_ctls_high |= VP_PIN_DEFAULT1 | VP_PIN_PREEMPTION_TIMER;
}

/* Mirror of nested_vmx_setup_exit_ctls(). */
static void vp_nested_setup_exit_ctls(const struct vp_nested_run *nr)
{
	const struct vp_params *p = nr->run->p;
	struct vp_nested_msrs *n = nr->n;
	u32 mask;

	n->exit_ctls_low = VP_EXIT_DEFAULT1;
	mask = VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_PAT | VP_EXIT_CLEAR_BNDCFGS;
	if (p->config_x86_64)
		mask |= VP_EXIT_HOST_ADDR_SPACE_SIZE;
	if (nr->run->v->nested_cet)
		mask |= VP_EXIT_LOAD_CET_STATE;
	n->exit_ctls_high = nr->conf->vmexit_ctrl & mask;
	/* EFER/PERF_GLOBAL_CTRL switching is emulated. */
	n->exit_ctls_high |= VP_EXIT_DEFAULT1 | VP_EXIT_LOAD_EFER |
			     VP_EXIT_SAVE_EFER | VP_EXIT_SAVE_PREEMPTION_TIMER |
			     VP_EXIT_ACK_INTR_ON_EXIT |
			     VP_EXIT_LOAD_PERF_GLOBAL_CTRL;
	if (!nr->kvm_cet)
		n->exit_ctls_high &= ~VP_EXIT_LOAD_CET_STATE;
	/* L1 may clear "save debug controls". */
	n->exit_ctls_low &= ~VP_EXIT_SAVE_DEBUG_CONTROLS;
}

/* Mirror of nested_vmx_setup_entry_ctls(). */
static void vp_nested_setup_entry_ctls(const struct vp_nested_run *nr)
{
	const struct vp_params *p = nr->run->p;
	struct vp_nested_msrs *n = nr->n;
	u32 mask;

	n->entry_ctls_low = VP_ENTRY_DEFAULT1;
	mask = VP_ENTRY_LOAD_PAT | VP_ENTRY_LOAD_BNDCFGS;
	if (p->config_x86_64)
		mask |= VP_ENTRY_IA32E_MODE;
	if (nr->run->v->nested_cet)
		mask |= VP_ENTRY_LOAD_CET_STATE;
	n->entry_ctls_high = nr->conf->vmentry_ctrl & mask;
	n->entry_ctls_high |= VP_ENTRY_DEFAULT1 | VP_ENTRY_LOAD_EFER |
			      VP_ENTRY_LOAD_PERF_GLOBAL_CTRL;
	if (!nr->kvm_cet)
		n->entry_ctls_high &= ~VP_ENTRY_LOAD_CET_STATE;
	/* L1 may clear "load debug controls". */
	n->entry_ctls_low &= ~VP_ENTRY_LOAD_DEBUG_CONTROLS;
}

/* Mirror of nested_vmx_setup_cpubased_ctls(). */
static void vp_nested_setup_cpubased_ctls(const struct vp_nested_run *nr)
{
	const struct vp_params *p = nr->run->p;
	struct vp_nested_msrs *n = nr->n;
	u32 mask;

	n->procbased_ctls_low = VP_CPU_DEFAULT1;
	mask = VP_CPU_INTR_WINDOW_EXITING | VP_CPU_NMI_WINDOW_EXITING |
	       VP_CPU_USE_TSC_OFFSETTING | VP_CPU_HLT_EXITING |
	       VP_CPU_INVLPG_EXITING | VP_CPU_MWAIT_EXITING |
	       VP_CPU_CR3_LOAD_EXITING | VP_CPU_CR3_STORE_EXITING |
	       VP_CPU_MOV_DR_EXITING | VP_CPU_UNCOND_IO_EXITING |
	       VP_CPU_USE_IO_BITMAPS | VP_CPU_MONITOR_TRAP_FLAG |
	       VP_CPU_MONITOR_EXITING | VP_CPU_RDPMC_EXITING |
	       VP_CPU_RDTSC_EXITING | VP_CPU_PAUSE_EXITING |
	       VP_CPU_TPR_SHADOW | VP_CPU_ACTIVATE_SECONDARY;
	if (p->config_x86_64)
		mask |= VP_CPU_CR8_LOAD_EXITING | VP_CPU_CR8_STORE_EXITING;
	n->procbased_ctls_high = nr->conf->cpu_based_exec_ctrl & mask;
	/* MSR bitmaps are emulated. */
	n->procbased_ctls_high |= VP_CPU_DEFAULT1 | VP_CPU_USE_MSR_BITMAPS;
	/* L1 may clear CR3 load/store exiting. */
	n->procbased_ctls_low &= ~(VP_CPU_CR3_LOAD_EXITING |
				   VP_CPU_CR3_STORE_EXITING);
}

/*
 * "Enable VM functions" and EPTP switching in 6.1: added after the EPT and
 * VPID parts, whenever the global config has VMFUNC; EPTP switching with
 * ept=1.
 */
static void vp_nested_vmfunc_6_1(const struct vp_params *p,
				 const struct vp_config *conf,
				 const struct vp_config *global,
				 struct vp_nested_msrs *n)
{
	if (global->secondary_exec_ctrl & VP_SEC_ENABLE_VMFUNC) {
		n->secondary_ctls_high |= VP_SEC_ENABLE_VMFUNC;
		if (p->ept)
			n->vmfunc_controls = VP_VMFUNC_EPTP_SWITCHING;
	}
}

/*
 * The same in 6.12 and later: "enable VM functions" passes through from
 * the config being built; EPTP switching is emulated with ept=1 whenever
 * the global config has VMFUNC.
 */
static void vp_nested_vmfunc_6_12(const struct vp_params *p,
				  const struct vp_config *conf,
				  const struct vp_config *global,
				  struct vp_nested_msrs *n)
{
	n->secondary_ctls_high |= conf->secondary_exec_ctrl &
				  VP_SEC_ENABLE_VMFUNC;
	if (p->ept && (global->secondary_exec_ctrl & VP_SEC_ENABLE_VMFUNC))
		n->vmfunc_controls = VP_VMFUNC_EPTP_SWITCHING;
}

/* Mirror of nested_vmx_setup_secondary_ctls(). */
static void vp_nested_setup_secondary_ctls(const struct vp_nested_run *nr)
{
	const struct vp_params *p = nr->run->p;
	const struct vp_kvm_version *v = nr->run->v;
	struct vp_nested_msrs *n = nr->n;

	n->secondary_ctls_low = 0;
	n->secondary_ctls_high = nr->conf->secondary_exec_ctrl &
				 (VP_SEC_DESC_EXITING | VP_SEC_ENABLE_RDTSCP |
				  VP_SEC_VIRT_X2APIC_MODE |
				  VP_SEC_WBINVD_EXITING |
				  VP_SEC_APIC_REGISTER_VIRT |
				  VP_SEC_VIRT_INTR_DELIVERY |
				  VP_SEC_RDRAND_EXITING |
				  VP_SEC_ENABLE_INVPCID |
				  VP_SEC_RDSEED_EXITING |
				  VP_SEC_ENABLE_XSAVES | VP_SEC_TSC_SCALING |
				  VP_SEC_USER_WAIT_PAUSE);
	/* VMCS shadowing is emulated even without hardware support. */
	n->secondary_ctls_high |= VP_SEC_SHADOW_VMCS;

	if (p->ept) {
		n->secondary_ctls_high |= VP_SEC_ENABLE_EPT;
		n->ept_caps = (VP_EPT_PAGE_WALK_4 | VP_EPT_PAGE_WALK_5 |
			       VP_EPT_MT_WB | VP_EPT_INVEPT |
			       VP_EPT_EXECUTE_ONLY | v->nested_ept_caps) &
			      nr->ept_caps;
		n->ept_caps |= VP_EPT_INVEPT_ALL_CTX | VP_EPT_INVEPT_SINGLE_CTX |
			       VP_EPT_2MB_PAGE | VP_EPT_1GB_PAGE;
		if (p->ept_ad) {
			n->secondary_ctls_high |= VP_SEC_ENABLE_PML;
			n->ept_caps |= VP_EPT_AD;
		}
		if (v->mbec && p->enable_mbec)
			n->secondary_ctls_high |= VP_SEC_MODE_BASED_EPT_EXEC;
	}
	v->nested_vmfunc(p, nr->conf, nr->global, n);

	/*
	 * Every INVVPID type is advertised; single-context and the others are
	 * all handled as global flushes.
	 */
	if (p->vpid) {
		n->secondary_ctls_high |= VP_SEC_ENABLE_VPID;
		n->vpid_caps = VP_VPID_INVVPID | VP_VPID_INVVPID_ADDR |
			       VP_VPID_INVVPID_SINGLE_CTX |
			       VP_VPID_INVVPID_ALL_CTX |
			       VP_VPID_INVVPID_SINGLE_NONGLOBAL;
	}

	if (p->unrestricted_guest)
		n->secondary_ctls_high |= VP_SEC_UNRESTRICTED_GUEST;

	if (p->flexpriority)
		n->secondary_ctls_high |= VP_SEC_VIRT_APIC_ACCESSES;

	if (p->enable_sgx)
		n->secondary_ctls_high |= VP_SEC_ENCLS_EXITING;
}

/* Mirror of nested_vmx_setup_misc_data(): only "store EFER.LMA" is real. */
static void vp_nested_setup_misc_data(const struct vp_nested_run *nr)
{
	struct vp_nested_msrs *n = nr->n;

	n->misc_low = (u32)(nr->conf->misc & VP_MISC_SAVE_EFER_LMA);
	n->misc_low |= (u32)(VP_MISC_VMWRITE_ANY_FIELD |
			     VP_NESTED_TIMER_RATE |
			     VP_MISC_ACTIVITY_HLT |
			     VP_MISC_ACTIVITY_WAIT_SIPI);
	n->misc_high = 0;
}

/* Mirror of nested_vmx_setup_basic(): describes vmcs12, not the hardware. */
static void vp_nested_setup_basic(const struct vp_nested_run *nr)
{
	struct vp_nested_msrs *n = nr->n;

	n->basic = VP_VMCS12_REVISION |
		   ((u64)VP_VMCS12_SIZE << VP_BASIC_VMCS_SIZE_SHIFT) |
		   ((u64)VP_MEMTYPE_WB << VP_BASIC_MEM_TYPE_SHIFT);
	n->basic |= VP_BASIC_TRUE_CTLS;
	/* cpu_has_vmx_basic_inout(), 7.x cpu_has_vmx_basic_no_hw_errcode_cc() */
	n->basic |= nr->global->basic & nr->run->v->nested_basic;
}

/* vmx_umip_emulated() in 6.1: descriptor-table exiting is enough. */
static bool vp_umip_emulated_6_1(const struct vp_params *p,
				 const struct vp_config *global)
{
	return global->secondary_exec_ctrl & VP_SEC_DESC_EXITING;
}

/* vmx_umip_emulated() from 6.12: only where the host lacks UMIP. */
static bool vp_umip_emulated_6_12(const struct vp_params *p,
				  const struct vp_config *global)
{
	return !p->boot_cpu_umip && vp_umip_emulated_6_1(p, global);
}

/* Mirror of nested_vmx_setup_cr_fixed(): fixed-1 bits from this CPU. */
static void vp_nested_setup_cr_fixed(const struct vp_nested_run *nr)
{
	struct vp_nested_msrs *n = nr->n;

	n->cr0_fixed0 = VP_NESTED_CR0_FIXED0;
	n->cr4_fixed0 = VP_NESTED_CR4_FIXED0;
	n->cr0_fixed1 = vp_run_rdmsr(nr->run, VP_MSR_VMX_CR0_FIXED1);
	n->cr4_fixed1 = vp_run_rdmsr(nr->run, VP_MSR_VMX_CR4_FIXED1);

	if (nr->run->v->umip_emulated(nr->run->p, nr->global))
		n->cr4_fixed1 |= VP_CR4_UMIP;
}

/*
 * nested_vmx_calc_vmcs_enum_msr() up to 6.12: the highest index of KVM's
 * fixed vmcs12 field table, TSC_MULTIPLIER's.
 */
static u64 vp_vmcs_enum_6_1(const struct vp_config *global)
{
	return VP_VMCS12_IDX_TSC_MULTIPLIER << VP_VMCS_ENUM_INDEX_SHIFT;
}

/*
 * From 7.2 over the fields nested_vmx_setup_vmcs12_fields() kept for the
 * global config: TSC_MULTIPLIER only with TSC scaling, else the highest is
 * VMX_PREEMPTION_TIMER_VALUE (always emulated).
 */
static u64 vp_vmcs_enum_7_2(const struct vp_config *global)
{
	if (global->secondary_exec_ctrl & VP_SEC_TSC_SCALING)
		return vp_vmcs_enum_6_1(global);
	return VP_VMCS12_IDX_TIMER_VALUE << VP_VMCS_ENUM_INDEX_SHIFT;
}

/* Mirror of nested_vmx_setup_ctls_msrs(). */
static void vp_nested_setup(struct vp_run *run, const struct vp_config *global,
			    u32 ept_caps, bool kvm_cet)
{
	const struct vp_nested_run nr = {
		.run = run,
		.conf = run->out,
		.global = global,
		.ept_caps = ept_caps,
		.kvm_cet = kvm_cet,
		.n = &run->out->nested,
	};

	vp_nested_setup_pinbased_ctls(&nr);
	vp_nested_setup_exit_ctls(&nr);
	vp_nested_setup_entry_ctls(&nr);
	vp_nested_setup_cpubased_ctls(&nr);
	vp_nested_setup_secondary_ctls(&nr);
	vp_nested_setup_misc_data(&nr);
	vp_nested_setup_basic(&nr);
	vp_nested_setup_cr_fixed(&nr);
	nr.n->vmcs_enum = run->v->vmcs_enum(global);
}

/* The preemption timer's largest value up to 7.2: the architectural one. */
static u64 vp_preemption_timer_max_6_1(const struct vp_params *p)
{
	return 0xffffffffu;
}

/*
 * Mirror of 7.3's calc_preemption_timer_max_value(): from the TSC/crystal
 * ratio of CPUID.15H, unless under a hypervisor or without the leaf.
 */
static u64 vp_preemption_timer_max_7_3(const struct vp_params *p)
{
	u64 max;

	if (p->boot_cpu_hypervisor || !p->cpuid15_eax || !p->cpuid15_ebx)
		return 0xffffffffu;
	max = ((u64)p->cpuid15_ebx << 25) / p->cpuid15_eax;
	if (!max)
		return 0xffffffffu;	/* KVM WARNs */
	return max - 1 < 0xffffffffu ? max - 1 : 0xffffffffu;
}

/*
 * Whether KVM supports SHSTK or IBT once vmx_set_cpu_caps() is done (7.x):
 * kvm_set_cpu_caps() takes SHSTK (64-bit only, and only with TDP) and IBT
 * from the boot CPU and drops both with allow_smaller_maxphyaddr;
 * vmx_set_cpu_caps() drops both without cet, unrestricted guest or
 * IA32_VMX_BASIC[56]; kvm_setup_xss_caps() without XSAVES (which
 * vmx_set_cpu_caps() keeps only with the "enable XSAVES" control) and both
 * CET states in the host's XSS.
 */
static bool vp_kvm_cet_caps(const struct vp_params *e,
			    const struct vp_config *c)
{
	bool shstk = e->boot_cpu_shstk && e->config_x86_64 && e->ept;

	if (e->allow_smaller_maxphyaddr)
		return false;
	if (!e->enable_cet || !e->unrestricted_guest ||
	    !(c->basic & VP_BASIC_NO_HW_ERRCODE_CHECK))
		return false;
	if (!(c->secondary_exec_ctrl & VP_SEC_ENABLE_XSAVES) || !e->host_xss_cet)
		return false;
	return shstk || e->boot_cpu_ibt;
}

/*
 * Mirror of the parameter handling in hardware_setup() (6.1) and
 * vmx_hardware_setup() (6.12 and later), plus what vmx_init(),
 * vmx_set_cpu_caps() (7.x: CET) and nested_vmx_hardware_setup() decide.
 * @e holds the parameters and is updated in place; @c is the freshly set
 * up config.
 */
static int vp_hardware_setup(struct vp_run *run, struct vp_params *e)
{
	const struct vp_kvm_version *v = run->v;
	struct vp_config *c = run->out;
	u32 pin = c->pin_based_exec_ctrl;
	u32 cpu = c->cpu_based_exec_ctrl;
	u32 sec = c->secondary_exec_ctrl;
	u64 ter = c->tertiary_exec_ctrl;
	u32 ept = c->ept_caps, vpid = c->vpid_caps;

	/* 6.1 only warns here; later ones acted in setup_vmcs_config(). */
	if (!v->perf_global_ctrl_in_config && v->perf_global_ctrl_bug(e))
		c->diag.warnings |= VP_WARN_PERF_GLOBAL_CTRL_BUG;

	/* KVM reads the host's BNDCFGS only to warn that it will be lost. */
	if (e->boot_cpu_mpx && vp_run_rdmsr(run, VP_MSR_BNDCFGS))
		c->diag.warnings |= VP_WARN_BNDCFGS_LOST;

	if (!(sec & VP_SEC_ENABLE_VPID) || !(vpid & VP_VPID_INVVPID) ||
	    !(vpid & (VP_VPID_INVVPID_SINGLE_CTX | VP_VPID_INVVPID_ALL_CTX)))
		e->vpid = false;

	if (!(sec & VP_SEC_ENABLE_EPT) || !(ept & VP_EPT_PAGE_WALK_4) ||
	    !(ept & VP_EPT_MT_WB) || !(ept & VP_EPT_INVEPT_ALL_CTX))
		e->ept = false;

	if (v->cet && !(c->vmentry_ctrl & VP_ENTRY_LOAD_CET_STATE))
		e->enable_cet = false;

	/* Shadow paging needs NX. */
	if (!e->ept && !e->boot_cpu_nx) {
		c->diag.error = VP_ERR_NO_NX;
		return -EOPNOTSUPP;
	}

	/*
	 * Shadow paging gets no penalty from a smaller guest MAXPHYADDR.
	 * 6.12 and later decide this from enable_ept (in vmx_init() after
	 * hardware setup, in hardware setup from 7.2); 6.1 from the ept=
	 * parameter, in vp_compute_reference().
	 */
	if (v->smaller_maxphyaddr_after_setup && !e->ept)
		e->allow_smaller_maxphyaddr = true;

	if (!(ept & VP_EPT_AD) || !e->ept)
		e->ept_ad = false;

	if (v->mbec && (!(sec & VP_SEC_MODE_BASED_EPT_EXEC) || !e->ept))
		e->enable_mbec = false;

	if (!(sec & VP_SEC_UNRESTRICTED_GUEST) || !e->ept)
		e->unrestricted_guest = false;

	if (!(cpu & VP_CPU_TPR_SHADOW) || !(sec & VP_SEC_VIRT_APIC_ACCESSES))
		e->flexpriority = false;

	if (!(pin & VP_PIN_VIRTUAL_NMIS) || !(cpu & VP_CPU_NMI_WINDOW_EXITING))
		e->enable_vnmi = false;

	/* Without CONFIG_X86_SGX_KVM, enable_sgx is the constant 0. */
	if (!e->config_x86_sgx_kvm || !(sec & VP_SEC_ENCLS_EXITING))
		e->enable_sgx = false;

	if (!(sec & VP_SEC_PAUSE_LOOP_EXITING)) {
		e->ple_gap = 0;
		e->ple_window = 0;
		e->ple_window_grow = 0;
		e->ple_window_max = 0;
		e->ple_window_shrink = 0;
	}

	if (!(sec & VP_SEC_APIC_REGISTER_VIRT) ||
	    !(sec & VP_SEC_VIRT_INTR_DELIVERY) || !(pin & VP_PIN_POSTED_INTR))
		e->enable_apicv = false;

	if (!e->enable_apicv || !(ter & VP_TER_IPI_VIRT))
		e->enable_ipiv = false;

	/* PML needs EPT with A/D bits. */
	if (!e->ept || !e->ept_ad || !(sec & VP_SEC_ENABLE_PML))
		e->pml = false;

	if (!(pin & VP_PIN_PREEMPTION_TIMER))
		e->preemption_timer = false;

	/*
	 * KVM parks an unused timer at its maximum; refuse the timer if that
	 * could still expire more often than every 10 s.
	 */
	if (e->preemption_timer) {
		u64 freq = 5000ULL * 1000 * 1000;

		if (e->tsc_khz)
			freq = (u64)e->tsc_khz * 1000;
		freq >>= c->misc & VP_MISC_TIMER_RATE_MASK;
		if (freq > v->preemption_timer_max(e) / 10)
			e->preemption_timer = false;
	}

	/*
	 * pt_mode: KVM refuses values other than 0 and 1 and falls back to 0
	 * without Intel PT in VMX, but Debian builds kvm_intel without
	 * CONFIG_BROKEN, so pt_mode is no parameter there and always 0
	 * (PT_MODE_SYSTEM): nothing to decide or mirror.
	 */

	if (v->cet)
		c->kvm_cet = vp_kvm_cet_caps(e, c);

	if (e->nested) {
		vp_nested_setup(run, c, c->ept_caps, c->kvm_cet);

		/* nested_vmx_hardware_setup() */
		if (!(c->misc & VP_MISC_VMWRITE_ANY_FIELD) ||
		    !(sec & VP_SEC_SHADOW_VMCS))
			e->enable_shadow_vmcs = false;
	}

	return 0;
}

void vp_params_defaults(struct vp_params *p, enum vp_kvm kvm)
{
	*p = (struct vp_params){
		.kvm = kvm,

		/* Same defaults in every row (vmx.c, nested.c, sgx.c, x86.c). */
		VP_KVM_BOOL_PARAM_DEFAULTS,
		.ple_gap = 128,
		.ple_window = 4096,
		.ple_window_grow = 2,
		.ple_window_shrink = 0,
		.ple_window_max = 0xffffffffu,

		/* Placeholders: the caller knows the machine. */
		.boot_cpuid_sig = 0,
		.boot_cpu_intel = true,
		.boot_cpu_nx = true,
		.boot_cpu_umip = false,
		.boot_cpu_mpx = false,
		.hyperv_evmcs_usable = false,
		.tsc_khz = 0,
		.boot_cpu_shstk = false,
		.boot_cpu_ibt = false,
		.host_xss_cet = false,
		.boot_cpu_hypervisor = false,
		.boot_vmx_basic_known = false,
		.cpuid15_eax = 0,
		.cpuid15_ebx = 0,

		/*
		 * Debian's configs (linux-headers-6.1.0-56-amd64,
		 * linux-headers-6.12.117+deb12-amd64, the 7.2.13 and 7.3.4
		 * images' config): X86_64=y, HYPERV=m, X86_SGX_KVM=y in all;
		 * KVM_HYPERV=y and KVM_INTEL_PROVE_VE unset from 6.12, neither
		 * exists in 6.1 (the row's .config_kvm_hyperv).
		 */
		.config_x86_64 = true,
		.config_hyperv = true,
		.config_x86_sgx_kvm = true,
		.config_kvm_hyperv = vp_kvm_version(kvm)->config_kvm_hyperv,
		.config_kvm_intel_prove_ve = false,
	};
}

/*
 * 7.x enters VMX operation through arch/x86/virt/hw.c, whose VMXON region
 * carries the revision id the boot CPU reported at boot, on every CPU.  A
 * CPU that reports another revision fails VMXON (VMfailInvalid, which
 * x86_virt_cpu_vmxon() does not check); up to 6.12 KVM used its own
 * config's revision, which the compat check already compares.
 */
static void vp_vmxon_revision_check(struct vp_run *run)
{
	const struct vp_params *p = run->p;
	u32 mine = (u32)run->out->basic & VP_BASIC_REVISION_MASK;
	u32 boot = (u32)p->boot_vmx_basic & VP_BASIC_REVISION_MASK;

	if (run->v->vmxon_revision_of_boot_cpu && p->boot_vmx_basic_known &&
	    mine != boot)
		run->out->diag.warnings |= VP_WARN_VMXON_REVISION;
}

/*
 * What kvm_intel does at load time up to its per-CPU compatibility check,
 * on the CPU that runs it: vmx_init()'s eVMCS decision, setup_vmcs_config()
 * into the global config, hardware_setup()'s parameter adjustments and, with
 * nested=1, nested_vmx_setup_ctls_msrs().
 *
 * Returns 0, -EIO (setup_vmcs_config() failed) or -EOPNOTSUPP (no NX
 * without EPT), like KVM.  @effective receives the module parameters as
 * KVM leaves them; pass it to vp_compute_cpu().
 */
int vp_compute_reference(const struct vp_params *in,
			 const struct vp_reader *r,
			 struct vp_config *out,
			 struct vp_params *effective)
{
	return vp_compute_reference_row(vp_kvm_version(in->kvm), in, r, out,
					effective);
}

int vp_compute_reference_row(const struct vp_kvm_version *v,
			     const struct vp_params *in,
			     const struct vp_reader *r,
			     struct vp_config *out,
			     struct vp_params *effective)
{
	struct vp_run run = { .p = effective, .v = v, .r = r, .out = out };
	bool ept_param = in->ept;
	int ret;

	*effective = *in;
	vp_config_clear(out, in->kvm);

	/*
	 * vmx_init(): eVMCS stays on only on Hyper-V recommending it (the
	 * code exists only with CONFIG_HYPERV).  Every version decides this
	 * before hardware setup.
	 */
	effective->enlightened_vmcs = in->enlightened_vmcs &&
				      in->config_hyperv &&
				      in->hyperv_evmcs_usable;

	if (vp_setup_vmcs_config(&run)) {
		vp_config_clear_kvm_part(out);
		return -EIO;
	}
	vp_vmxon_revision_check(&run);

	ret = vp_hardware_setup(&run, effective);
	if (ret)
		return ret;

	out->nested_enabled = effective->nested;

	/* 6.1's vmx_init() decides this before kvm_init()'s hardware setup. */
	if (!v->smaller_maxphyaddr_after_setup && !ept_param)
		effective->allow_smaller_maxphyaddr = true;

	return 0;
}

/*
 * Mirror of vmx_check_processor_compat() minus its VMX-support test (see
 * vp_vmx_support()): recompute the config on the current CPU, with the
 * effective parameters and the global config @ref.  The caller then
 * compares with vp_config_compare(), as KVM's memcmp() does.
 */
int vp_compute_cpu(const struct vp_params *effective,
		   const struct vp_config *ref,
		   const struct vp_reader *r,
		   struct vp_config *out)
{
	struct vp_run run = {
		.p = effective,
		.v = vp_kvm_version(effective->kvm),
		.r = r,
		.out = out,
	};

	vp_config_clear(out, effective->kvm);

	if (vp_setup_vmcs_config(&run)) {
		vp_config_clear_kvm_part(out);
		return -EIO;
	}
	vp_vmxon_revision_check(&run);

	/* KVM's CPU capabilities are global: the reference's. */
	out->kvm_cet = ref->kvm_cet;
	if (effective->nested)
		vp_nested_setup(&run, ref, out->ept_caps, ref->kvm_cet);
	out->nested_enabled = effective->nested;

	return 0;
}

/* clang-format off */
#define VP_KP(n, t, m, k, v)	{ (n), (t), (k), (v), offsetof(struct vp_params, m) }
#define VP_KP_BOOL(n, m)	VP_KP(n, VP_KVM_PARAM_BOOL, m, VP_KVM_PARAM_ALWAYS, VP_KVM_6_1)
#define VP_KP_UINT(n, m)	VP_KP(n, VP_KVM_PARAM_UINT, m, VP_KVM_PARAM_ALWAYS, VP_KVM_6_1)
#define VP_KP_SINCE(n, m, v)	VP_KP(n, VP_KVM_PARAM_BOOL, m, VP_KVM_PARAM_ALWAYS, v)
/* clang-format on */

/*
 * module_param() names of vmx.c, nested.c and sgx.c, with the first row
 * that has them.  7.x also added parameters that do not change the config
 * (enable_device_posted_irqs, enable_mediated_pmu, tdx, warn_on_missed_cc)
 * and dropped nested_early_check: none of those is here.
 */
const struct vp_kvm_param vp_kvm_params[VP_NR_KVM_PARAMS] = {
	VP_KP_BOOL("allow_smaller_maxphyaddr", allow_smaller_maxphyaddr),
	VP_KP_SINCE("cet", enable_cet, VP_KVM_7_2),
	VP_KP_BOOL("enable_apicv", enable_apicv),
	VP_KP_BOOL("enable_ipiv", enable_ipiv),
	VP_KP_BOOL("enable_shadow_vmcs", enable_shadow_vmcs),
	VP_KP("enlightened_vmcs", VP_KVM_PARAM_BOOL, enlightened_vmcs,
	      VP_KVM_PARAM_HYPERV, VP_KVM_6_1),
	VP_KP_BOOL("ept", ept),
	VP_KP_BOOL("eptad", ept_ad),
	VP_KP_BOOL("error_on_inconsistent_vmcs_config",
		   error_on_inconsistent_vmcs_config),
	VP_KP_BOOL("flexpriority", flexpriority),
	VP_KP_SINCE("mbec", enable_mbec, VP_KVM_7_2),
	VP_KP_BOOL("nested", nested),
	VP_KP_UINT("ple_gap", ple_gap),
	VP_KP_UINT("ple_window", ple_window),
	VP_KP_UINT("ple_window_grow", ple_window_grow),
	VP_KP_UINT("ple_window_max", ple_window_max),
	VP_KP_UINT("ple_window_shrink", ple_window_shrink),
	VP_KP_BOOL("pml", pml),
	VP_KP_BOOL("preemption_timer", preemption_timer),
	VP_KP("sgx", VP_KVM_PARAM_BOOL, enable_sgx, VP_KVM_PARAM_X86_SGX_KVM,
	      VP_KVM_6_1),
	VP_KP_BOOL("unrestricted_guest", unrestricted_guest),
	VP_KP_BOOL("vnmi", enable_vnmi),
	VP_KP_BOOL("vpid", vpid),
};

const struct vp_kvm_param *vp_kvm_param_find(const char *name, size_t len)
{
	unsigned int i;
	size_t j;

	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		const char *n = vp_kvm_params[i].name;

		for (j = 0; j < len && n[j] && n[j] == name[j]; j++)
			;
		if (j == len && !n[j])
			return &vp_kvm_params[i];
	}
	return NULL;
}

u32 vp_kvm_param_get(const struct vp_params *p, const struct vp_kvm_param *d)
{
	const u8 *base = (const u8 *)p + d->offset;

	if (d->type == VP_KVM_PARAM_BOOL)
		return *(const bool *)base;
	return *(const u32 *)base;
}

void vp_kvm_param_set(struct vp_params *p, const struct vp_kvm_param *d,
		      u32 val)
{
	u8 *base = (u8 *)p + d->offset;

	if (d->type == VP_KVM_PARAM_BOOL)
		*(bool *)base = val;
	else
		*(u32 *)base = val;
}

bool vp_kvm_param_exists(const struct vp_params *p,
			 const struct vp_kvm_param *d)
{
	if (p->kvm < d->since)
		return false;
	switch (d->needs) {
	case VP_KVM_PARAM_X86_SGX_KVM:
		return p->config_x86_sgx_kvm;
	case VP_KVM_PARAM_HYPERV:
		return p->config_hyperv;
	default:
		return true;
	}
}

u64 vp_field_get(const struct vp_config *cfg, const struct vp_field *f)
{
	const u8 *base = (const u8 *)cfg + f->offset;

	if (f->size == sizeof(u64))
		return *(const u64 *)base;
	return *(const u32 *)base;
}

/*
 * Compare, field by field, what KVM's memcmp() compares.  Calls @diff for
 * each differing field and returns how many differ.
 */
int vp_config_compare(const struct vp_config *ref,
		      const struct vp_config *cpu, vp_field_diff_fn diff,
		      void *ctx)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < vp_nr_fields; i++) {
		const struct vp_field *f = &vp_fields[i];
		u64 a, b;

		if (!(f->flags & VP_FIELD_COMPARED))
			continue;
		a = vp_field_get(ref, f);
		b = vp_field_get(cpu, f);
		if (a == b)
			continue;
		n++;
		if (diff)
			diff(ctx, f, a, b);
	}
	return n;
}

static u64 vp_ctls(u32 low, u32 high)
{
	return low | ((u64)high << 32);
}

/*
 * Mirror of vmx_get_vmx_msr() on KVM's global config, i.e. what
 * KVM_GET_MSRS on the /dev/kvm system fd returns.  The non-"true" control
 * MSRs report the default1 controls as must-be-1.  Returns -ENOENT where
 * KVM fails the read: nested=0 or an index it does not emulate.
 */
int vp_nested_msr(const struct vp_config *cfg, u32 index, u64 *val)
{
	const struct vp_nested_msrs *n = &cfg->nested;

	if (!cfg->nested_enabled)
		return -ENOENT;

	switch (index) {
	case VP_MSR_VMX_BASIC:
		*val = n->basic;
		break;
	case VP_MSR_VMX_TRUE_PINBASED_CTLS:
		*val = vp_ctls(n->pinbased_ctls_low, n->pinbased_ctls_high);
		break;
	case VP_MSR_VMX_PINBASED_CTLS:
		*val = vp_ctls(n->pinbased_ctls_low, n->pinbased_ctls_high) |
		       VP_PIN_DEFAULT1;
		break;
	case VP_MSR_VMX_TRUE_PROCBASED_CTLS:
		*val = vp_ctls(n->procbased_ctls_low, n->procbased_ctls_high);
		break;
	case VP_MSR_VMX_PROCBASED_CTLS:
		*val = vp_ctls(n->procbased_ctls_low, n->procbased_ctls_high) |
		       VP_CPU_DEFAULT1;
		break;
	case VP_MSR_VMX_TRUE_EXIT_CTLS:
		*val = vp_ctls(n->exit_ctls_low, n->exit_ctls_high);
		break;
	case VP_MSR_VMX_EXIT_CTLS:
		*val = vp_ctls(n->exit_ctls_low, n->exit_ctls_high) |
		       VP_EXIT_DEFAULT1;
		break;
	case VP_MSR_VMX_TRUE_ENTRY_CTLS:
		*val = vp_ctls(n->entry_ctls_low, n->entry_ctls_high);
		break;
	case VP_MSR_VMX_ENTRY_CTLS:
		*val = vp_ctls(n->entry_ctls_low, n->entry_ctls_high) |
		       VP_ENTRY_DEFAULT1;
		break;
	case VP_MSR_VMX_MISC:
		*val = vp_ctls(n->misc_low, n->misc_high);
		break;
	case VP_MSR_VMX_CR0_FIXED0:
		*val = n->cr0_fixed0;
		break;
	case VP_MSR_VMX_CR0_FIXED1:
		*val = n->cr0_fixed1;
		break;
	case VP_MSR_VMX_CR4_FIXED0:
		*val = n->cr4_fixed0;
		break;
	case VP_MSR_VMX_CR4_FIXED1:
		*val = n->cr4_fixed1;
		break;
	case VP_MSR_VMX_VMCS_ENUM:
		*val = n->vmcs_enum;
		break;
	case VP_MSR_VMX_PROCBASED_CTLS2:
		*val = vp_ctls(n->secondary_ctls_low, n->secondary_ctls_high);
		break;
	case VP_MSR_VMX_EPT_VPID_CAP:
		*val = vp_ctls(n->ept_caps, n->vpid_caps);
		break;
	case VP_MSR_VMX_VMFUNC:
		*val = n->vmfunc_controls;
		break;
	default:
		return -ENOENT;
	}
	return 0;
}

/*
 * Mirror of __kvm_is_vmx_supported() (6.12; 6.1 checks the same two CPU
 * flags in vmx_check_processor_compat() and at load), with the flags as
 * init_ia32_feat_ctl() leaves them.  @feat_ctl_ok tells whether IA32_FEAT_CTL
 * could be read; @tboot whether the kernel runs under tboot (TXT).  An
 * unlocked MSR is one the kernel locks itself, with VMX enabled, because
 * Debian builds CONFIG_KVM_INTEL.
 */
enum vp_support vp_vmx_support(bool cpuid_vmx, bool feat_ctl_ok,
			       u64 feat_ctl, bool tboot)
{
	u64 need = tboot ? VP_FEAT_CTL_VMX_INSIDE_SMX :
			   VP_FEAT_CTL_VMX_OUTSIDE_SMX;

	if (!cpuid_vmx)
		return VP_VMX_UNSUPPORTED;
	if (!feat_ctl_ok)
		return VP_VMX_DISABLED;
	if (!(feat_ctl & VP_FEAT_CTL_LOCKED))
		return VP_VMX_OK;
	if (!(feat_ctl & need))
		return VP_VMX_DISABLED;
	return VP_VMX_OK;
}

/* What 7.2 and 7.3 share: all but the preemption timer's maximum. */
#define VP_KVM_ROW_7_X							\
	.compat_msg = VP_MSG_OFFSETS,					\
	.sec_opt = VP_SEC_EPT_VIOLATION_VE | VP_SEC_MODE_BASED_EPT_EXEC,	\
	.exit_opt = VP_EXIT_LOAD_CET_STATE | VP_EXIT_SAVE_PERF_GLOBAL_CTRL, \
	.entry_opt = VP_ENTRY_LOAD_CET_STATE,				\
	.nr_entry_exit_pairs = 6,					\
	.pairs_check_all = true,					\
	.ept_violation_ve = true,					\
	.mbec = true,							\
	.perf_global_ctrl_bug = vp_perf_global_ctrl_bug_6_12,		\
	.perf_global_ctrl_in_config = true,				\
	.evmcs_sanitize = true,						\
	.revision_mask = VP_BASIC_REVISION_MASK,			\
	.feat_ctl_of_loading_cpu = true,				\
	.smaller_maxphyaddr_after_setup = true,				\
	.cet = true,							\
	.vmxon_revision_of_boot_cpu = true,				\
	.nested_vmfunc = vp_nested_vmfunc_6_12,				\
	.umip_emulated = vp_umip_emulated_6_12,				\
	.vmcs_enum = vp_vmcs_enum_7_2,					\
	.nested_ept_caps = VP_EPT_ADV_EXIT_INFO,			\
	.nested_basic = VP_BASIC_INOUT | VP_BASIC_NO_HW_ERRCODE_CHECK,	\
	.nested_cet = true,						\
	.config_kvm_hyperv = true

/*
 * The mirrored KVMs, oldest first.  Every field is explained in engine.h,
 * every difference in this file's header.
 */
static const struct vp_kvm_version vp_kvm_versions[VP_KVM_NR] = {
	[VP_KVM_6_1] = {
		.name = "6.1",
		.source = "Debian linux-source-6.1 6.1.192",
		.major = 6,
		.minor = 1,
		.compat_msg = VP_MSG_FEATURE_INCONSISTENCY,
		.nr_entry_exit_pairs = 5,
		.perf_global_ctrl_bug = vp_perf_global_ctrl_bug_6_1,
		.revision_mask = 0xffffffffu,
		.preemption_timer_max = vp_preemption_timer_max_6_1,
		.nested_vmfunc = vp_nested_vmfunc_6_1,
		.umip_emulated = vp_umip_emulated_6_1,
		.vmcs_enum = vp_vmcs_enum_6_1,
		.nested_basic = VP_BASIC_INOUT,
	},
	[VP_KVM_6_12] = {
		.name = "6.12",
		.source = "Debian linux-source-6.12 6.12.117",
		.major = 6,
		.minor = 12,
		.compat_msg = VP_MSG_INCONSISTENT_VMCS,
		.sec_opt = VP_SEC_EPT_VIOLATION_VE,
		.nr_entry_exit_pairs = 5,
		.ept_violation_ve = true,
		.perf_global_ctrl_bug = vp_perf_global_ctrl_bug_6_12,
		.perf_global_ctrl_in_config = true,
		.evmcs_sanitize = true,
		.revision_mask = VP_BASIC_REVISION_MASK,
		.feat_ctl_of_loading_cpu = true,
		.smaller_maxphyaddr_after_setup = true,
		.preemption_timer_max = vp_preemption_timer_max_6_1,
		.nested_vmfunc = vp_nested_vmfunc_6_12,
		.umip_emulated = vp_umip_emulated_6_12,
		.vmcs_enum = vp_vmcs_enum_6_1,
		.nested_basic = VP_BASIC_INOUT,
		.config_kvm_hyperv = true,
	},
	[VP_KVM_7_2] = {
		.name = "7.2",
		.source = "Debian linux-source-7.2 7.2.13-1",
		.major = 7,
		.minor = 2,
		VP_KVM_ROW_7_X,
		.preemption_timer_max = vp_preemption_timer_max_6_1,
	},
	[VP_KVM_7_3] = {
		.name = "7.3",
		.source = "Debian linux-source-7.3 7.3.4-1~bpo13+1",
		.major = 7,
		.minor = 3,
		VP_KVM_ROW_7_X,
		.preemption_timer_max = vp_preemption_timer_max_7_3,
	},
};

const struct vp_kvm_version *vp_kvm_version(enum vp_kvm kvm)
{
	if ((unsigned int)kvm >= VP_KVM_NR)
		kvm = VP_KVM_NR - 1;
	return &vp_kvm_versions[kvm];
}

enum vp_kvm vp_kvm_for_kernel(unsigned int major, unsigned int minor,
			      bool *exact)
{
	enum vp_kvm k, best = VP_KVM_6_1;

	*exact = false;
	for (k = 0; k < VP_KVM_NR; k++) {
		const struct vp_kvm_version *v = &vp_kvm_versions[k];

		if (v->major > major || (v->major == major && v->minor > minor))
			break;
		best = k;
		*exact = v->major == major && v->minor == minor;
	}
	return best;
}

const char *vp_kvm_name(enum vp_kvm kvm)
{
	return (unsigned int)kvm < VP_KVM_NR ? vp_kvm_versions[kvm].name : "?";
}

bool vp_kvm_parse(const char *s, size_t len, enum vp_kvm *kvm)
{
	enum vp_kvm k;
	size_t i;

	for (k = 0; k < VP_KVM_NR; k++) {
		const char *name = vp_kvm_name(k);

		for (i = 0; i < len && name[i] == s[i]; i++)
			;
		if (i == len && !name[i]) {
			*kvm = k;
			return true;
		}
	}
	return false;
}

const char *vp_error_name(enum vp_error err)
{
	static const char * const names[VP_ERR_NR] = {
		[VP_ERR_NONE] = "none",
		[VP_ERR_PROCBASED_REQUIRED] =
			"required primary processor-based control unsupported",
		[VP_ERR_SECONDARY_REQUIRED] =
			"required secondary processor-based control unsupported",
		[VP_ERR_EPT_CAP_WITHOUT_EPT] =
			"EPT capabilities without the enable-EPT control",
		[VP_ERR_VPID_CAP_WITHOUT_VPID] =
			"VPID capabilities without the enable-VPID control",
		[VP_ERR_EXIT_REQUIRED] = "required VM-exit control unsupported",
		[VP_ERR_PINBASED_REQUIRED] =
			"required pin-based control unsupported",
		[VP_ERR_ENTRY_REQUIRED] = "required VM-entry control unsupported",
		[VP_ERR_ENTRY_EXIT_PAIR] = "inconsistent VM-entry/VM-exit pair",
		[VP_ERR_VMCS_SIZE] = "VMCS larger than a page",
		[VP_ERR_32BIT_PHYS_ADDR] =
			"VMCS limited to 32-bit physical addresses",
		[VP_ERR_VMCS_MEMTYPE] = "VMCS memory type not write-back",
		[VP_ERR_NO_NX] = "NX (Execute Disable) not supported",
	};

	if ((unsigned int)err >= VP_ERR_NR)
		return "?";
	return names[err];
}

static const char * const vp_error_ids[VP_ERR_NR] = {
	[VP_ERR_NONE]			= "none",
	[VP_ERR_PROCBASED_REQUIRED]	= "procbased_required",
	[VP_ERR_SECONDARY_REQUIRED]	= "secondary_required",
	[VP_ERR_EPT_CAP_WITHOUT_EPT]	= "ept_cap_without_ept",
	[VP_ERR_VPID_CAP_WITHOUT_VPID]	= "vpid_cap_without_vpid",
	[VP_ERR_EXIT_REQUIRED]		= "exit_required",
	[VP_ERR_PINBASED_REQUIRED]	= "pinbased_required",
	[VP_ERR_ENTRY_REQUIRED]		= "entry_required",
	[VP_ERR_ENTRY_EXIT_PAIR]	= "entry_exit_pair",
	[VP_ERR_VMCS_SIZE]		= "vmcs_size",
	[VP_ERR_32BIT_PHYS_ADDR]	= "vmcs_32bit_phys_addr",
	[VP_ERR_VMCS_MEMTYPE]		= "vmcs_memtype",
	[VP_ERR_NO_NX]			= "no_nx",
};

const char *vp_error_id(enum vp_error err)
{
	return err < VP_ERR_NR && vp_error_ids[err] ? vp_error_ids[err] : "?";
}

/* Indexed by the bit number of the VP_WARN_* flags. */
static const char * const vp_warning_ids[] = {
	"ept_cap_without_ept",
	"vpid_cap_without_vpid",
	"entry_exit_pair",
	"perf_global_ctrl_bug",
	"evmcs_sanitized",
	"rdmsr_fault",
	"ept_vpid_cap_fault",
	"bndcfgs_lost",
	"vmxon_revision",
};

const char *vp_warning_id(unsigned int bit)
{
	return bit < ARRAY_SIZE(vp_warning_ids) ? vp_warning_ids[bit] : NULL;
}

static const char * const vp_support_names[] = {
	[VP_VMX_OK]		= "ok",
	[VP_VMX_UNSUPPORTED]	= "unsupported",
	[VP_VMX_DISABLED]	= "disabled",
};

const char *vp_support_name(enum vp_support s)
{
	return s < ARRAY_SIZE(vp_support_names) ? vp_support_names[s] : "?";
}

/*
 * The rules of the version table, for explaining what two versions compute
 * differently (vmcsctl diff --kvm): each copies one rule, a field or a
 * group of fields of a row, from one row into another and says what a row
 * does under it.  Recomputing with one rule of B taken into A shows which
 * rule makes a difference.
 */
/* Where a rule's field of the row is, and its size. */
#define VP_AT(f)	offsetof(struct vp_kvm_version, f)
#define VP_LEN(f)	sizeof(vp_kvm_versions[0].f)

const struct vp_kvm_rule vp_kvm_rules[] = {
	{
		.id = "optional_secondary_mbec",
		.field = { { VP_AT(sec_opt), VP_LEN(sec_opt) } },
		.since = VP_KVM_7_2,
		.mask = VP_SEC_MODE_BASED_EPT_EXEC,
		.yes = "asks for MBEC (vmx.h)",
		.no = "does not ask for MBEC",
	},
	{
		.id = "optional_secondary_ve",
		.field = { { VP_AT(sec_opt), VP_LEN(sec_opt) } },
		.since = VP_KVM_6_12,
		.mask = VP_SEC_EPT_VIOLATION_VE,
		.yes = "asks for EPT-violation #VE (vmx.h)",
		.no = "does not ask for EPT-violation #VE",
	},
	{
		.id = "optional_exit",
		.field = { { VP_AT(exit_opt), VP_LEN(exit_opt) } },
		.since = VP_KVM_7_2,
		.yes = "asks for exit controls load CET state, save PERF_GLOBAL_CTRL",
		.no = "asks for neither CET state nor saving PERF_GLOBAL_CTRL at exit",
	},
	{
		.id = "optional_entry",
		.field = { { VP_AT(entry_opt), VP_LEN(entry_opt) } },
		.since = VP_KVM_7_2,
		.yes = "asks for the entry control load CET state (vmx.h)",
		.no = "does not ask for loading CET state at entry",
	},
	{
		.id = "entry_exit_pairs",
		.field = { { VP_AT(nr_entry_exit_pairs), VP_LEN(nr_entry_exit_pairs) },
			   { VP_AT(pairs_check_all), VP_LEN(pairs_check_all) } },
		.since = VP_KVM_7_2,
		.yes = "six entry/exit pairs (CET), all mismatches cleared, then -EIO",
		.no = "five entry/exit pairs, -EIO at the first mismatch",
	},
	{
		.id = "ept_violation_ve",
		.field = { { VP_AT(ept_violation_ve), VP_LEN(ept_violation_ve) } },
		.since = VP_KVM_6_12,
		.yes = "keeps #VE only with PROVE_VE and consistent EPT caps",
		.no = "never clears EPT-violation #VE",
	},
	{
		.id = "mbec",
		.field = { { VP_AT(mbec), VP_LEN(mbec) } },
		.since = VP_KVM_7_2,
		.yes = "MBEC with advanced exit info, mbec= parameter, offered to L1",
		.no = "no MBEC",
	},
	{
		.id = "perf_global_ctrl_erratum",
		.field = { { VP_AT(perf_global_ctrl_bug),
			     VP_LEN(perf_global_ctrl_bug) },
			   { VP_AT(perf_global_ctrl_in_config),
			     VP_LEN(perf_global_ctrl_in_config) } },
		.since = VP_KVM_6_12,
		.yes = "PERF_GLOBAL_CTRL erratum (Intel) drops the controls",
		.no = "PERF_GLOBAL_CTRL erratum (any family 6) only warned about",
	},
	{
		.id = "evmcs_sanitize",
		.field = { { VP_AT(evmcs_sanitize), VP_LEN(evmcs_sanitize) } },
		.since = VP_KVM_6_12,
		.yes = "config trimmed to what eVMCS v1 holds",
		.no = "config not trimmed for eVMCS",
	},
	{
		.id = "revision_id",
		.field = { { VP_AT(revision_mask), VP_LEN(revision_mask) } },
		.since = VP_KVM_6_12,
		.yes = "revision_id is IA32_VMX_BASIC[30:0]",
		.no = "revision_id is IA32_VMX_BASIC[31:0]",
	},
	{
		.id = "allow_smaller_maxphyaddr",
		.field = { { VP_AT(smaller_maxphyaddr_after_setup),
			     VP_LEN(smaller_maxphyaddr_after_setup) } },
		.since = VP_KVM_6_12,
		.yes = "allow_smaller_maxphyaddr set when EPT ends up off",
		.no = "allow_smaller_maxphyaddr set when ept=0 is given",
	},
	{
		.id = "cet",
		.field = { { VP_AT(cet), VP_LEN(cet) } },
		.since = VP_KVM_7_2,
		.yes = "cet=; SHSTK/IBT need CET controls, UG, BASIC[56], XSS",
		.no = "no CET support",
	},
	{
		.id = "preemption_timer_max",
		.field = { { VP_AT(preemption_timer_max), VP_LEN(preemption_timer_max) } },
		.since = VP_KVM_7_3,
		.yes = "timer maximum from CPUID.15H on bare metal",
		.no = "timer maximum 2^32 - 1",
	},
	{
		.id = "vmxon_revision",
		.field = { { VP_AT(vmxon_revision_of_boot_cpu),
			     VP_LEN(vmxon_revision_of_boot_cpu) } },
		.since = VP_KVM_7_2,
		.yes = "VMXON with the boot CPU's revision (virt/hw.c)",
		.no = "VMXON with KVM's own config's revision",
	},
	{
		.id = "nested_vmfunc",
		.field = { { VP_AT(nested_vmfunc), VP_LEN(nested_vmfunc) } },
		.since = VP_KVM_6_12,
		.yes = "L1's VMFUNC from the config built, EPTP switching with ept=1",
		.no = "L1's VMFUNC whenever the global config has it",
	},
	{
		.id = "nested_umip",
		.field = { { VP_AT(umip_emulated), VP_LEN(umip_emulated) } },
		.since = VP_KVM_6_12,
		.yes = "UMIP emulated only without host UMIP",
		.no = "UMIP emulated whenever descriptor-table exiting is there",
	},
	{
		.id = "nested_vmcs_enum",
		.field = { { VP_AT(vmcs_enum), VP_LEN(vmcs_enum) } },
		.since = VP_KVM_7_2,
		.yes = "VMCS_ENUM 0x32 only with TSC scaling, else 0x2e",
		.no = "VMCS_ENUM 0x32, from the fixed vmcs12 table",
	},
	{
		.id = "nested_ept_caps",
		.field = { { VP_AT(nested_ept_caps), VP_LEN(nested_ept_caps) } },
		.since = VP_KVM_7_2,
		.yes = "advanced VM-exit information offered to L1",
		.no = "no advanced VM-exit information for L1",
	},
	{
		.id = "nested_basic",
		.field = { { VP_AT(nested_basic), VP_LEN(nested_basic) } },
		.since = VP_KVM_7_2,
		.mask = VP_BASIC_NO_HW_ERRCODE_CHECK,
		.yes = "L1's VMX_BASIC takes INS/OUTS info and bit 56",
		.no = "L1's VMX_BASIC takes INS/OUTS info only",
	},
	{
		.id = "nested_cet",
		.field = { { VP_AT(nested_cet), VP_LEN(nested_cet) } },
		.since = VP_KVM_7_2,
		.yes = "CET state controls for L1 while KVM has SHSTK or IBT",
		.no = "no CET state controls for L1",
	},
	/* The load's outcome only (kvm_view.c), not the config: */
	{
		.id = "support_probe",
		.field = { { VP_AT(feat_ctl_of_loading_cpu), VP_LEN(feat_ctl_of_loading_cpu) } },
		.since = VP_KVM_6_12,
		.yes = "probes the loading CPU's CPUID and FEAT_CTL flags",
		.no = "probes the loading CPU's CPUID, the boot CPU's FEAT_CTL flags",
	},
};

void vp_kvm_rule_take(const struct vp_kvm_rule *r,
		      struct vp_kvm_version *dst,
		      const struct vp_kvm_version *src)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(r->field); i++)
		for (j = 0; j < r->field[i].len; j++)
			((u8 *)dst)[r->field[i].at + j] =
				((const u8 *)src)[r->field[i].at + j];
}

/* The bits of byte @j of field @i of a row that rule @r looks at. */
static u8 vp_rule_byte_mask(const struct vp_kvm_rule *r, unsigned int i,
			    unsigned int j)
{
	if (i || !r->mask)
		return 0xff;
	/* x86 is little-endian: byte j holds bits 8j..8j+7 */
	return j < sizeof(r->mask) ? r->mask >> (8 * j) : 0;
}

bool vp_kvm_rule_is(const struct vp_kvm_rule *r,
		    const struct vp_kvm_version *v)
{
	const u8 *since = (const u8 *)&vp_kvm_versions[r->since];
	const u8 *row = (const u8 *)v;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(r->field); i++) {
		for (j = 0; j < r->field[i].len; j++) {
			unsigned int at = r->field[i].at + j;

			if ((row[at] ^ since[at]) & vp_rule_byte_mask(r, i, j))
				return false;
		}
	}
	return true;
}

const char *vp_kvm_rule_says(const struct vp_kvm_rule *r,
			     const struct vp_kvm_version *v)
{
	return vp_kvm_rule_is(r, v) ? r->yes : r->no;
}

const unsigned int vp_nr_kvm_rules = ARRAY_SIZE(vp_kvm_rules);
