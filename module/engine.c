// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs_probe engine: recomputes, from the VMX capability MSRs, the VMX
 * configuration that kvm_intel computes, the way the KVM of Debian's 6.1 or
 * 6.12 kernel does it.  See engine.h for what is mirrored; each function
 * below names the KVM function it follows and where the two versions differ.
 *
 * Rules this file keeps:
 *  - every MSR and CPUID access goes through struct vp_reader, in KVM's
 *    order, and only when KVM would make it;
 *  - no kernel calls, no allocation, no printing, no writable globals.
 *
 * Where Debian's 6.1.192 and 6.12.117 KVMs differ, and this file follows:
 *  - 6.12 lists "EPT-violation #VE" among the optional secondary controls,
 *    drops it again unless CONFIG_KVM_INTEL_PROVE_VE, and drops it with
 *    the EPT capabilities when those are inconsistent; 6.1 never asks
 *    for it (vmx.h, setup_vmcs_config());
 *  - 6.12 removes the PERF_GLOBAL_CTRL entry/exit controls from
 *    vmcs_config on the Nehalem/Westmere erratum list, matched by vendor,
 *    family and model; 6.1 only warns in hardware_setup(), matching any
 *    vendor's family 6, and keeps them in vmcs_config;
 *  - 6.12 may trim the config for an enlightened VMCS (Hyper-V), 6.1 not;
 *  - 6.12 stores IA32_VMX_BASIC whole, 6.1 as size, high-word flags and
 *    revision id (the whole low word): both compare all 64 bits;
 *  - nested: 6.12 takes "enable VM functions" from the config being built
 *    and offers EPTP switching only with ept=1 and VMFUNC, 6.1 adds
 *    "enable VM functions" whenever the global config has it;
 *  - nested: 6.12 emulates UMIP only when the host lacks X86_FEATURE_UMIP,
 *    6.1 whenever descriptor-table exiting is available;
 *  - vmx_init(): 6.1 runs hardware setup from kvm_init(), after deciding
 *    allow_smaller_maxphyaddr from the ept= parameter, 6.12 before, from
 *    the adjusted enable_ept;
 *  - whether init reaches setup_vmcs_config() at all: 6.12 asks the
 *    loading CPU's CPUID and IA32_FEAT_CTL flags, 6.1 its CPUID but the
 *    boot CPU's flags (kvm_view.c, vp_kvm_setup_reached()).
 * Everything else used here is the same in both: the control sets, the
 * entry/exit pairs, the EPT/VPID and VMX_BASIC checks, the broken
 * preemption timer list, the parameter adjustments and their defaults.
 *
 * Not mirrored: accesses of kvm.ko and of hardware_setup() that do not
 * concern VMX (user-return MSRs, EFER, XSS, PAT, PERF_CAPABILITIES), and
 * the CR4 reserved-bits comparison kvm_x86_check_processor_compatibility()
 * makes before calling vmx_check_processor_compat().  pr_warn_once() and
 * friends become VP_WARN_* bits, set on every computation.
 */
#include "engine.h"
#include "vmx_regs.h"

/* KVM's PAGE_SIZE on x86. */
#define VP_PAGE_SIZE			4096u

/*
 * vmcs12 constants of nested.c/vmcs12.h, identical in 6.1 and 6.12: the
 * revision KVM reports to L1, the size of its vmcs12 page
 * (KVM_STATE_NESTED_VMX_VMCS_SIZE) and the rate at which it emulates the
 * preemption timer.
 */
#define VP_VMCS12_REVISION		0x11e57ed0u
#define VP_VMCS12_SIZE			0x1000u
#define VP_NESTED_TIMER_RATE		5u

/*
 * IA32_VMX_VMCS_ENUM as computed by nested_vmx_calc_vmcs_enum_msr(): the
 * highest field index of any field in KVM's vmcs12 table, shifted into
 * bits 9:1.  In both 6.1 and 6.12 that field is TSC_MULTIPLIER (encoding
 * 0x2032, index 0x19), so the value is 0x32 for both.
 */
#define VP_NESTED_VMCS_ENUM_6_1		(0x19ULL << VP_VMCS_ENUM_INDEX_SHIFT)
#define VP_NESTED_VMCS_ENUM_6_12	(0x19ULL << VP_VMCS_ENUM_INDEX_SHIFT)

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
 * is broken; KVM's vmx_preemption_cpu_tfms[], the same list in 6.1 and 6.12.
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
 * both clear; setup_vmcs_config()'s vmcs_entry_exit_pairs[], the same in 6.1
 * and 6.12.  The debug-controls pair is missing because both halves are
 * required; the "save PAT/EFER" exit controls because KVM never uses them.
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
};

/*
 * The controls KVM insists on (required) and the ones it takes when the CPU
 * offers them (optional): KVM_REQUIRED_* / KVM_OPTIONAL_* of vmx/vmx.h.
 */
struct vp_ctl_sets {
	u32 cpu_req, cpu_opt;
	u32 sec_req, sec_opt;
	u64 ter_opt;
	u32 exit_req, exit_opt;
	u32 pin_req, pin_opt;
	u32 entry_req, entry_opt;
};

static void vp_get_ctl_sets(const struct vp_params *p, struct vp_ctl_sets *s)
{
	/* Identical in 6.1 and 6.12 unless noted. */
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
	/* 6.12 added EPT-violation #VE (used only by CONFIG_KVM_INTEL_PROVE_VE). */
	if (p->kvm >= VP_KVM_6_12)
		s->sec_opt |= VP_SEC_EPT_VIOLATION_VE;

	s->ter_opt = VP_TER_IPI_VIRT;

	s->exit_req = VP_EXIT_SAVE_DEBUG_CONTROLS | VP_EXIT_ACK_INTR_ON_EXIT;
	if (p->config_x86_64)
		s->exit_req |= VP_EXIT_HOST_ADDR_SPACE_SIZE;
	s->exit_opt = VP_EXIT_LOAD_PERF_GLOBAL_CTRL | VP_EXIT_SAVE_PAT |
		      VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_EFER |
		      VP_EXIT_SAVE_PREEMPTION_TIMER | VP_EXIT_LOAD_EFER |
		      VP_EXIT_CLEAR_BNDCFGS | VP_EXIT_PT_CONCEAL_PIP |
		      VP_EXIT_CLEAR_RTIT_CTL;

	s->pin_req = VP_PIN_EXT_INTR_EXITING | VP_PIN_NMI_EXITING;
	s->pin_opt = VP_PIN_VIRTUAL_NMIS | VP_PIN_POSTED_INTR |
		     VP_PIN_PREEMPTION_TIMER;

	s->entry_req = VP_ENTRY_LOAD_DEBUG_CONTROLS;
	if (p->config_x86_64)
		s->entry_req |= VP_ENTRY_IA32E_MODE;
	s->entry_opt = VP_ENTRY_LOAD_PERF_GLOBAL_CTRL | VP_ENTRY_LOAD_PAT |
		       VP_ENTRY_LOAD_EFER | VP_ENTRY_LOAD_BNDCFGS |
		       VP_ENTRY_PT_CONCEAL_PIP | VP_ENTRY_LOAD_RTIT_CTL;
}

/*
 * What an enlightened VMCS (eVMCS v1) can express; 6.12's EVMCS1_SUPPORTED_*
 * of vmx/hyperv_evmcs.h, applied by evmcs_sanitize_exec_ctrls().
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
 * IA32_PERF_GLOBAL_CTRL[34:32].  6.1's cpu_has_perf_global_ctrl_bug() looks
 * at family and model only; 6.12 matches boot_cpu_data.x86_vfm, which also
 * includes the vendor.
 */
static bool vp_perf_global_ctrl_bug(const struct vp_params *p)
{
	u32 sig = p->boot_cpuid_sig;

	if (p->kvm >= VP_KVM_6_12 && !p->boot_cpu_intel)
		return false;
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
 * Mirror of setup_vmcs_config().  The MSR and CPUID accesses below happen
 * in exactly this order in both versions:
 *   PROCBASED_CTLS, [PROCBASED_CTLS2], EPT_VPID_CAP (rdmsr_safe, always),
 *   CPUID 0, [CPUID 0x12], [PROCBASED_CTLS3], EXIT_CTLS, PINBASED_CTLS,
 *   CPUID 1, ENTRY_CTLS, BASIC, MISC
 * where a failure stops the sequence.
 */
static int vp_setup_vmcs_config(struct vp_run *run)
{
	const struct vp_params *p = run->p;
	struct vp_config *c = run->out;
	bool v6_12 = p->kvm >= VP_KVM_6_12;
	struct vp_ctl_sets s;
	u32 cpu = 0, sec = 0, vmexit = 0, pin = 0, vmentry = 0;
	u64 ter = 0, cap, basic, misc;
	unsigned int i;

	vp_get_ctl_sets(p, &s);

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
	 * 6.12 asks for EPT-violation #VE but keeps it only in kernels built
	 * with CONFIG_KVM_INTEL_PROVE_VE.  6.1 never asks for it, so there it
	 * can only appear when the CPU reports it as must-be-1.
	 */
	if (v6_12 && !p->config_kvm_intel_prove_ve)
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
		/* #VE needs EPT; only 6.12 clears it here. */
		if (v6_12)
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

	for (i = 0; i < ARRAY_SIZE(vp_entry_exit_pairs); i++) {
		u32 n = vp_entry_exit_pairs[i].entry;
		u32 x = vp_entry_exit_pairs[i].exit;

		if (!(vmentry & n) == !(vmexit & x))
			continue;

		c->diag.warnings |= VP_WARN_ENTRY_EXIT_PAIR;
		c->diag.pair_entry_bits |= vmentry & n;
		c->diag.pair_exit_bits |= vmexit & x;
		if (p->error_on_inconsistent_vmcs_config)
			return vp_fail(run, VP_ERR_ENTRY_EXIT_PAIR,
				       VP_MSR_VMX_ENTRY_CTLS,
				       ((u64)(vmexit & x) << 32) |
					       (vmentry & n));
		vmentry &= ~n;
		vmexit &= ~x;
	}

	/*
	 * 6.12 works around the PERF_GLOBAL_CTRL erratum here, in the config
	 * itself.  6.1 only warns in hardware_setup() and drops the controls
	 * later, when it builds each VMCS, so its vmcs_config keeps them.
	 */
	if (v6_12 && vp_perf_global_ctrl_bug(p)) {
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
	 * 6.1 keeps the revision as the whole low word, 6.12 as bits 30:0
	 * (bit 31 is always 0).  Every VMCS is one page: order 0.
	 */
	if (v6_12)
		c->revision_id = (u32)(basic & VP_BASIC_REVISION_MASK);
	else
		c->revision_id = (u32)basic;
	c->vmcs_size = (u32)((basic >> VP_BASIC_VMCS_SIZE_SHIFT) &
			     VP_BASIC_VMCS_SIZE_MASK);
	c->order = 0;

	/* 6.12 sanitizes the config for eVMCS; 6.1 filters when it writes. */
	if (v6_12 && p->config_hyperv && p->enlightened_vmcs)
		vp_evmcs_sanitize(c);

	return 0;
}

/*
 * Mirror of nested_vmx_setup_ctls_msrs() (nested.c).  @conf is the config
 * being built (KVM's vmcs_conf) and @ept_caps its EPT capabilities; @global
 * is KVM's global vmcs_config, which a few helpers read even while a
 * per-CPU config is built: cpu_has_vmx_basic_inout(), vmx_umip_emulated()
 * and cpu_has_vmx_vmfunc().  In hardware_setup() the two are the same.
 * Module parameters are the effective ones (after hardware_setup()).
 */
static void vp_nested_setup(struct vp_run *run, const struct vp_config *global,
			    u32 ept_caps)
{
	const struct vp_params *p = run->p;
	struct vp_config *conf = run->out;
	struct vp_nested_msrs *n = &conf->nested;
	bool v6_12 = p->kvm >= VP_KVM_6_12;
	u32 mask;

	/* Pin-based: the preemption timer is always emulated. */
	n->pinbased_ctls_low = VP_PIN_DEFAULT1;
	n->pinbased_ctls_high = conf->pin_based_exec_ctrl &
				(VP_PIN_EXT_INTR_EXITING | VP_PIN_NMI_EXITING |
				 VP_PIN_VIRTUAL_NMIS |
				 (p->enable_apicv ? VP_PIN_POSTED_INTR : 0));
	n->pinbased_ctls_high |= VP_PIN_DEFAULT1 | VP_PIN_PREEMPTION_TIMER;

	/* VM-exit: EFER/PERF_GLOBAL_CTRL switching is emulated. */
	n->exit_ctls_low = VP_EXIT_DEFAULT1;
	mask = VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_PAT | VP_EXIT_CLEAR_BNDCFGS;
	if (p->config_x86_64)
		mask |= VP_EXIT_HOST_ADDR_SPACE_SIZE;
	n->exit_ctls_high = conf->vmexit_ctrl & mask;
	n->exit_ctls_high |= VP_EXIT_DEFAULT1 | VP_EXIT_LOAD_EFER |
			     VP_EXIT_SAVE_EFER | VP_EXIT_SAVE_PREEMPTION_TIMER |
			     VP_EXIT_ACK_INTR_ON_EXIT |
			     VP_EXIT_LOAD_PERF_GLOBAL_CTRL;
	/* L1 may clear "save debug controls". */
	n->exit_ctls_low &= ~VP_EXIT_SAVE_DEBUG_CONTROLS;

	/* VM-entry */
	n->entry_ctls_low = VP_ENTRY_DEFAULT1;
	mask = VP_ENTRY_LOAD_PAT | VP_ENTRY_LOAD_BNDCFGS;
	if (p->config_x86_64)
		mask |= VP_ENTRY_IA32E_MODE;
	n->entry_ctls_high = conf->vmentry_ctrl & mask;
	n->entry_ctls_high |= VP_ENTRY_DEFAULT1 | VP_ENTRY_LOAD_EFER |
			      VP_ENTRY_LOAD_PERF_GLOBAL_CTRL;
	/* L1 may clear "load debug controls". */
	n->entry_ctls_low &= ~VP_ENTRY_LOAD_DEBUG_CONTROLS;

	/* Primary processor-based: MSR bitmaps are emulated. */
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
	n->procbased_ctls_high = conf->cpu_based_exec_ctrl & mask;
	n->procbased_ctls_high |= VP_CPU_DEFAULT1 | VP_CPU_USE_MSR_BITMAPS;
	/* L1 may clear CR3 load/store exiting. */
	n->procbased_ctls_low &= ~(VP_CPU_CR3_LOAD_EXITING |
				   VP_CPU_CR3_STORE_EXITING);

	/*
	 * Secondary processor-based.  6.12 passes "enable VM functions" through
	 * from this config; 6.1 adds it below from the global config.
	 */
	n->secondary_ctls_low = 0;
	mask = VP_SEC_DESC_EXITING | VP_SEC_ENABLE_RDTSCP |
	       VP_SEC_VIRT_X2APIC_MODE | VP_SEC_WBINVD_EXITING |
	       VP_SEC_APIC_REGISTER_VIRT | VP_SEC_VIRT_INTR_DELIVERY |
	       VP_SEC_RDRAND_EXITING | VP_SEC_ENABLE_INVPCID |
	       VP_SEC_RDSEED_EXITING | VP_SEC_ENABLE_XSAVES |
	       VP_SEC_TSC_SCALING | VP_SEC_USER_WAIT_PAUSE;
	if (v6_12)
		mask |= VP_SEC_ENABLE_VMFUNC;
	n->secondary_ctls_high = conf->secondary_exec_ctrl & mask;
	/* VMCS shadowing is emulated even without hardware support. */
	n->secondary_ctls_high |= VP_SEC_SHADOW_VMCS;

	if (p->ept) {
		n->secondary_ctls_high |= VP_SEC_ENABLE_EPT;
		n->ept_caps = (VP_EPT_PAGE_WALK_4 | VP_EPT_PAGE_WALK_5 |
			       VP_EPT_MT_WB | VP_EPT_INVEPT |
			       VP_EPT_EXECUTE_ONLY) &
			      ept_caps;
		n->ept_caps |= VP_EPT_INVEPT_ALL_CTX | VP_EPT_INVEPT_SINGLE_CTX |
			       VP_EPT_2MB_PAGE | VP_EPT_1GB_PAGE;
		if (p->ept_ad) {
			n->secondary_ctls_high |= VP_SEC_ENABLE_PML;
			n->ept_caps |= VP_EPT_AD;
		}
		/* EPTP switching is emulated whenever VMFUNC is there. */
		if (v6_12 && (global->secondary_exec_ctrl & VP_SEC_ENABLE_VMFUNC))
			n->vmfunc_controls = VP_VMFUNC_EPTP_SWITCHING;
	}

	if (!v6_12 && (global->secondary_exec_ctrl & VP_SEC_ENABLE_VMFUNC)) {
		n->secondary_ctls_high |= VP_SEC_ENABLE_VMFUNC;
		if (p->ept)
			n->vmfunc_controls = VP_VMFUNC_EPTP_SWITCHING;
	}

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

	/* Misc: only "store EFER.LMA" comes from the hardware. */
	n->misc_low = (u32)(conf->misc & VP_MISC_SAVE_EFER_LMA);
	n->misc_low |= (u32)(VP_MISC_VMWRITE_ANY_FIELD |
			     VP_NESTED_TIMER_RATE |
			     VP_MISC_ACTIVITY_HLT |
			     VP_MISC_ACTIVITY_WAIT_SIPI);
	n->misc_high = 0;

	/* Basic: describes vmcs12, not the hardware VMCS. */
	n->basic = VP_VMCS12_REVISION |
		   ((u64)VP_VMCS12_SIZE << VP_BASIC_VMCS_SIZE_SHIFT) |
		   ((u64)VP_MEMTYPE_WB << VP_BASIC_MEM_TYPE_SHIFT);
	n->basic |= VP_BASIC_TRUE_CTLS;
	if (global->basic & VP_BASIC_INOUT)
		n->basic |= VP_BASIC_INOUT;

	/* CR0/CR4 fixed bits: fixed-1 bits come from this CPU's MSRs. */
	n->cr0_fixed0 = VP_NESTED_CR0_FIXED0;
	n->cr4_fixed0 = VP_NESTED_CR4_FIXED0;
	n->cr0_fixed1 = vp_run_rdmsr(run, VP_MSR_VMX_CR0_FIXED1);
	n->cr4_fixed1 = vp_run_rdmsr(run, VP_MSR_VMX_CR4_FIXED1);

	/*
	 * vmx_umip_emulated(): KVM emulates UMIP with descriptor-table exiting.
	 * 6.12 does so only when the host itself lacks UMIP.
	 */
	if ((global->secondary_exec_ctrl & VP_SEC_DESC_EXITING) &&
	    (!v6_12 || !p->boot_cpu_umip))
		n->cr4_fixed1 |= VP_CR4_UMIP;

	n->vmcs_enum = v6_12 ? VP_NESTED_VMCS_ENUM_6_12 :
			       VP_NESTED_VMCS_ENUM_6_1;
}

/*
 * Mirror of the parameter handling in hardware_setup() (6.1) and
 * vmx_hardware_setup() (6.12), which are identical in what they decide,
 * plus what vmx_init() and nested_vmx_hardware_setup() decide.  @e holds the
 * parameters and is updated in place; @c is the freshly set up config.
 */
static int vp_hardware_setup(struct vp_run *run, struct vp_params *e)
{
	struct vp_config *c = run->out;
	u32 pin = c->pin_based_exec_ctrl;
	u32 cpu = c->cpu_based_exec_ctrl;
	u32 sec = c->secondary_exec_ctrl;
	u64 ter = c->tertiary_exec_ctrl;
	u32 ept = c->ept_caps, vpid = c->vpid_caps;

	/* 6.1 only warns here; 6.12 already acted in setup_vmcs_config(). */
	if (e->kvm == VP_KVM_6_1 && vp_perf_global_ctrl_bug(e))
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

	/* Shadow paging needs NX. */
	if (!e->ept && !e->boot_cpu_nx) {
		c->diag.error = VP_ERR_NO_NX;
		return -EOPNOTSUPP;
	}

	if (!(ept & VP_EPT_AD) || !e->ept)
		e->ept_ad = false;

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
		if (freq > 0xffffffffu / 10)
			e->preemption_timer = false;
	}

	/*
	 * pt_mode: KVM refuses values other than 0 and 1 and falls back to 0
	 * without Intel PT in VMX, but Debian builds kvm_intel without
	 * CONFIG_BROKEN, so pt_mode is no parameter there and always 0
	 * (PT_MODE_SYSTEM): nothing to decide or mirror.
	 */

	if (e->nested) {
		vp_nested_setup(run, c, c->ept_caps);

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

		/* Same defaults in 6.1 and 6.12 (vmx.c, nested.c, sgx.c, x86.c). */
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

		/*
		 * Debian's configs (linux-headers-6.1.0-56-amd64,
		 * linux-headers-6.12.117+deb12-amd64): X86_64=y, HYPERV=m,
		 * X86_SGX_KVM=y in both; KVM_HYPERV=y and
		 * KVM_INTEL_PROVE_VE unset in 6.12, neither exists in 6.1.
		 */
		.config_x86_64 = true,
		.config_hyperv = true,
		.config_x86_sgx_kvm = true,
		.config_kvm_hyperv = kvm >= VP_KVM_6_12,
		.config_kvm_intel_prove_ve = false,
	};
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
	struct vp_run run = { .p = effective, .r = r, .out = out };
	bool ept_param = in->ept;
	int ret;

	*effective = *in;
	vp_config_clear(out, in->kvm);

	/*
	 * vmx_init(): eVMCS stays on only on Hyper-V recommending it (the
	 * code exists only with CONFIG_HYPERV).  Both versions decide this
	 * before hardware setup.
	 */
	effective->enlightened_vmcs = in->enlightened_vmcs &&
				      in->config_hyperv &&
				      in->hyperv_evmcs_usable;

	if (vp_setup_vmcs_config(&run)) {
		vp_config_clear_kvm_part(out);
		return -EIO;
	}

	ret = vp_hardware_setup(&run, effective);
	if (ret)
		return ret;

	out->nested_enabled = effective->nested;

	/*
	 * vmx_init(): shadow paging gets no penalty from a smaller guest
	 * MAXPHYADDR.  6.12 tests enable_ept after hardware setup; 6.1 runs
	 * hardware setup later, from kvm_init(), so it tests the parameter.
	 */
	if (effective->kvm >= VP_KVM_6_12 ? !effective->ept : !ept_param)
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
	struct vp_run run = { .p = effective, .r = r, .out = out };

	vp_config_clear(out, effective->kvm);

	if (vp_setup_vmcs_config(&run)) {
		vp_config_clear_kvm_part(out);
		return -EIO;
	}

	if (effective->nested)
		vp_nested_setup(&run, ref, out->ept_caps);
	out->nested_enabled = effective->nested;

	return 0;
}

/* clang-format off */
#define VP_KP(n, t, m, k)	{ (n), (t), (k), offsetof(struct vp_params, m) }
#define VP_KP_BOOL(n, m)	VP_KP(n, VP_KVM_PARAM_BOOL, m, VP_KVM_PARAM_ALWAYS)
#define VP_KP_UINT(n, m)	VP_KP(n, VP_KVM_PARAM_UINT, m, VP_KVM_PARAM_ALWAYS)
/* clang-format on */

/* module_param() names of vmx.c, nested.c and sgx.c, 6.1 and 6.12 alike. */
const struct vp_kvm_param vp_kvm_params[VP_NR_KVM_PARAMS] = {
	VP_KP_BOOL("allow_smaller_maxphyaddr", allow_smaller_maxphyaddr),
	VP_KP_BOOL("enable_apicv", enable_apicv),
	VP_KP_BOOL("enable_ipiv", enable_ipiv),
	VP_KP_BOOL("enable_shadow_vmcs", enable_shadow_vmcs),
	VP_KP("enlightened_vmcs", VP_KVM_PARAM_BOOL, enlightened_vmcs,
	      VP_KVM_PARAM_HYPERV),
	VP_KP_BOOL("ept", ept),
	VP_KP_BOOL("eptad", ept_ad),
	VP_KP_BOOL("error_on_inconsistent_vmcs_config",
		   error_on_inconsistent_vmcs_config),
	VP_KP_BOOL("flexpriority", flexpriority),
	VP_KP_BOOL("nested", nested),
	VP_KP_UINT("ple_gap", ple_gap),
	VP_KP_UINT("ple_window", ple_window),
	VP_KP_UINT("ple_window_grow", ple_window_grow),
	VP_KP_UINT("ple_window_max", ple_window_max),
	VP_KP_UINT("ple_window_shrink", ple_window_shrink),
	VP_KP_BOOL("pml", pml),
	VP_KP_BOOL("preemption_timer", preemption_timer),
	VP_KP("sgx", VP_KVM_PARAM_BOOL, enable_sgx, VP_KVM_PARAM_X86_SGX_KVM),
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

const char *vp_kvm_name(enum vp_kvm kvm)
{
	switch (kvm) {
	case VP_KVM_6_1:
		return "6.1";
	case VP_KVM_6_12:
		return "6.12";
	default:
		return "?";
	}
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
