// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the vmcs_probe engine (module/engine.c), run against
 * a fake CPU whose MSRs and CPUID leaves the tests set, and which records
 * every access in order.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "engine.h"
#include "vmx_bits.h"
#include "vmx_regs.h"
#include "raw.h"
#include "report.h"
#include "snapshot.h"

#define FAKE_MAX_MSRS	32
#define FAKE_MAX_LOG	64

struct fake_access {
	char kind;		/* 'm' rdmsr, 'c' cpuid */
	u32 index;		/* MSR index or CPUID leaf */
};

struct fake_cpu {
	struct {
		u32 index;
		u64 val;
	} msr[FAKE_MAX_MSRS];
	unsigned int nr_msr;
	u32 cpuid_max;		/* CPUID.0:EAX */
	u32 cpuid_sig;		/* CPUID.1:EAX */
	u32 cpuid_12;		/* CPUID.(12H,0):EAX */
	struct fake_access log[FAKE_MAX_LOG];
	unsigned int nr_log;
};

static void fake_log(struct fake_cpu *c, char kind, u32 index)
{
	if (c->nr_log < FAKE_MAX_LOG)
		c->log[c->nr_log++] = (struct fake_access){ kind, index };
}

/* An MSR the fake CPU does not have faults, as on hardware. */
static int fake_rdmsr(void *ctx, u32 index, u64 *val)
{
	struct fake_cpu *c = ctx;
	unsigned int i;

	fake_log(c, 'm', index);
	for (i = 0; i < c->nr_msr; i++) {
		if (c->msr[i].index == index) {
			*val = c->msr[i].val;
			return 0;
		}
	}
	*val = 0xdeadbeefdeadbeefULL;	/* must be ignored */
	return -EIO;
}

static u32 fake_cpuid_eax(void *ctx, u32 leaf)
{
	struct fake_cpu *c = ctx;

	fake_log(c, 'c', leaf);
	switch (leaf) {
	case 0:
		return c->cpuid_max;
	case 1:
		return c->cpuid_sig;
	case 0x12:
		return c->cpuid_12;
	default:
		return 0;
	}
}

static void fake_set(struct fake_cpu *c, u32 index, u64 val)
{
	unsigned int i;

	for (i = 0; i < c->nr_msr; i++) {
		if (c->msr[i].index == index) {
			c->msr[i].val = val;
			return;
		}
	}
	if (c->nr_msr < FAKE_MAX_MSRS) {
		c->msr[c->nr_msr].index = index;
		c->msr[c->nr_msr].val = val;
		c->nr_msr++;
	}
}

static void fake_remove(struct fake_cpu *c, u32 index)
{
	unsigned int i;

	for (i = 0; i < c->nr_msr; i++) {
		if (c->msr[i].index == index) {
			c->msr[i] = c->msr[--c->nr_msr];
			return;
		}
	}
}

static u64 fake_get(struct fake_cpu *c, u32 index)
{
	unsigned int i;

	for (i = 0; i < c->nr_msr; i++)
		if (c->msr[i].index == index)
			return c->msr[i].val;
	return 0;
}

static u64 ctls(u32 must_be_one, u32 may_be_one)
{
	return must_be_one | ((u64)may_be_one << 32);
}

/* Change the allowed-1 half of a control MSR. */
static void fake_allow(struct fake_cpu *c, u32 index, u32 set, u32 clear)
{
	u64 v = fake_get(c, index);
	u32 hi = (u32)(v >> 32);

	hi = (hi | set) & ~clear;
	fake_set(c, index, ctls((u32)v, hi));
}

/* Change the allowed-0 half (must-be-1 bits) of a control MSR. */
static void fake_force(struct fake_cpu *c, u32 index, u32 set)
{
	u64 v = fake_get(c, index);

	fake_set(c, index, v | set);
}

#define SYN_SEC_ALLOWED	(0x001fffffu | VP_SEC_MODE_BASED_EPT_EXEC |	\
			 VP_SEC_PT_USE_GPA | VP_SEC_TSC_SCALING |	\
			 VP_SEC_USER_WAIT_PAUSE | VP_SEC_BUS_LOCK_DETECTION)
#define SYN_EPT		(VP_EPT_EXECUTE_ONLY | VP_EPT_PAGE_WALK_4 |	\
			 VP_EPT_MT_UC | VP_EPT_MT_WB | VP_EPT_2MB_PAGE |	\
			 VP_EPT_1GB_PAGE | VP_EPT_INVEPT | VP_EPT_AD |	\
			 VP_EPT_ADV_EXIT_INFO | VP_EPT_INVEPT_SINGLE_CTX |	\
			 VP_EPT_INVEPT_ALL_CTX)
#define SYN_VPID	(VP_VPID_INVVPID | VP_VPID_INVVPID_ADDR |	\
			 VP_VPID_INVVPID_SINGLE_CTX | VP_VPID_INVVPID_ALL_CTX | \
			 VP_VPID_INVVPID_SINGLE_NONGLOBAL)
#define SYN_BASIC	0x00d810000000002bULL
#define SYN_MISC	0x200441e5ULL
#define SYN_CR4_FIXED1	0x3727ffULL

/*
 * A synthetic Skylake-like CPU: everything KVM wants except the tertiary
 * "IPI virtualization" is offered, "clear/load IA32_RTIT_CTL" is not, no
 * SGX, no "instruction timeout", preemption timer rate 5.
 */
static void fake_skylake(struct fake_cpu *c)
{
	memset(c, 0, sizeof(*c));
	c->cpuid_max = 0x16;
	c->cpuid_sig = 0x00050654;
	fake_set(c, VP_MSR_VMX_BASIC, SYN_BASIC);
	fake_set(c, VP_MSR_VMX_PINBASED_CTLS, ctls(0x16, 0xff));
	fake_set(c, VP_MSR_VMX_PROCBASED_CTLS,
		 ctls(VP_CPU_DEFAULT1, 0xfff9fffeu | VP_CPU_ACTIVATE_TERTIARY));
	fake_set(c, VP_MSR_VMX_EXIT_CTLS, ctls(VP_EXIT_DEFAULT1, 0x01ffffff));
	fake_set(c, VP_MSR_VMX_ENTRY_CTLS, ctls(VP_ENTRY_DEFAULT1, 0x0003ffff));
	fake_set(c, VP_MSR_VMX_MISC, SYN_MISC);
	fake_set(c, VP_MSR_VMX_CR0_FIXED0, 0x80000021);
	fake_set(c, VP_MSR_VMX_CR0_FIXED1, 0xffffffff);
	fake_set(c, VP_MSR_VMX_CR4_FIXED0, 0x2000);
	fake_set(c, VP_MSR_VMX_CR4_FIXED1, SYN_CR4_FIXED1);
	fake_set(c, VP_MSR_VMX_VMCS_ENUM, 0x2e);
	fake_set(c, VP_MSR_VMX_PROCBASED_CTLS2, ctls(0, SYN_SEC_ALLOWED));
	fake_set(c, VP_MSR_VMX_EPT_VPID_CAP, ctls(SYN_EPT, SYN_VPID));
	fake_set(c, VP_MSR_VMX_VMFUNC, VP_VMFUNC_EPTP_SWITCHING);
	fake_set(c, VP_MSR_VMX_PROCBASED_CTLS3,
		 VP_TER_IPI_VIRT | VP_TER_LOADIWKEY_EXITING);
}

static struct vp_reader fake_reader(struct fake_cpu *c)
{
	return (struct vp_reader){ .rdmsr = fake_rdmsr,
				   .cpuid_eax = fake_cpuid_eax, .ctx = c };
}

/*
 * The engine tests' fixture: every TEST_F(engine, ...) starts from
 * fake_skylake() and KVM 6.12's default parameters; a test changes the
 * CPU's MSRs or the parameters, then runs KVM's setup on it.
 */
FIXTURE(engine) {
	struct fake_cpu cpu;
	struct vp_params in;	/* module parameters and host facts */
	struct vp_params eff;	/* what hardware_setup() left of them */
	struct vp_config ref;	/* the global vmcs_config: compute_ref() */
	struct vp_config c;	/* one CPU's, from compute_cpu() */
};

static void params(struct vp_params *p, enum vp_kvm kvm)
{
	vp_params_defaults(p, kvm);
	p->boot_cpuid_sig = 0x00050654;
}

FIXTURE_SETUP(engine)
{
	fake_skylake(&self->cpu);
	params(&self->in, VP_KVM_6_12);
}

FIXTURE_TEARDOWN(engine)
{
}

/* KVM's hardware_setup() on the fake CPU: in -> ref, eff. */
static int compute_ref(FIXTURE_DATA(engine) *self)
{
	struct vp_reader r = fake_reader(&self->cpu);

	self->cpu.nr_log = 0;
	return vp_compute_reference(&self->in, &r, &self->ref, &self->eff);
}

/* compute_ref() with @bits taken from the allowed-1 half of @msr. */
static int compute_without(FIXTURE_DATA(engine) *self, u32 msr, u32 bits)
{
	fake_allow(&self->cpu, msr, 0, bits);
	return compute_ref(self);
}

/* The per-CPU compatibility check of the fake CPU: eff, ref -> c. */
static int compute_cpu(FIXTURE_DATA(engine) *self)
{
	struct vp_reader r = fake_reader(&self->cpu);

	self->cpu.nr_log = 0;
	return vp_compute_cpu(&self->eff, &self->ref, &r, &self->c);
}

static bool log_has(const struct fake_cpu *c, char kind, u32 index)
{
	unsigned int i;

	for (i = 0; i < c->nr_log; i++)
		if (c->log[i].kind == kind && c->log[i].index == index)
			return true;
	return false;
}

/* Expected controls for fake_skylake() with default parameters. */
#define EXP_CPU_REQ	(VP_CPU_HLT_EXITING | VP_CPU_CR3_LOAD_EXITING |	\
			 VP_CPU_CR3_STORE_EXITING | VP_CPU_UNCOND_IO_EXITING | \
			 VP_CPU_MOV_DR_EXITING | VP_CPU_USE_TSC_OFFSETTING | \
			 VP_CPU_MWAIT_EXITING | VP_CPU_MONITOR_EXITING |	\
			 VP_CPU_INVLPG_EXITING | VP_CPU_RDPMC_EXITING |	\
			 VP_CPU_INTR_WINDOW_EXITING |			\
			 VP_CPU_CR8_LOAD_EXITING | VP_CPU_CR8_STORE_EXITING)
#define EXP_CPU_OPT	(VP_CPU_RDTSC_EXITING | VP_CPU_TPR_SHADOW |	\
			 VP_CPU_USE_IO_BITMAPS | VP_CPU_MONITOR_TRAP_FLAG | \
			 VP_CPU_USE_MSR_BITMAPS | VP_CPU_NMI_WINDOW_EXITING | \
			 VP_CPU_PAUSE_EXITING | VP_CPU_ACTIVATE_SECONDARY |	\
			 VP_CPU_ACTIVATE_TERTIARY)
#define EXP_CPU		(EXP_CPU_REQ | EXP_CPU_OPT | VP_CPU_DEFAULT1)
#define EXP_SEC		(VP_SEC_VIRT_APIC_ACCESSES | VP_SEC_VIRT_X2APIC_MODE | \
			 VP_SEC_WBINVD_EXITING | VP_SEC_ENABLE_VPID |	\
			 VP_SEC_ENABLE_EPT | VP_SEC_UNRESTRICTED_GUEST |	\
			 VP_SEC_PAUSE_LOOP_EXITING | VP_SEC_DESC_EXITING |	\
			 VP_SEC_ENABLE_RDTSCP | VP_SEC_ENABLE_INVPCID |	\
			 VP_SEC_APIC_REGISTER_VIRT |			\
			 VP_SEC_VIRT_INTR_DELIVERY | VP_SEC_SHADOW_VMCS |	\
			 VP_SEC_ENABLE_XSAVES | VP_SEC_RDSEED_EXITING |	\
			 VP_SEC_RDRAND_EXITING | VP_SEC_ENABLE_PML |	\
			 VP_SEC_TSC_SCALING | VP_SEC_USER_WAIT_PAUSE |	\
			 VP_SEC_PT_USE_GPA | VP_SEC_PT_CONCEAL_VMX |	\
			 VP_SEC_ENABLE_VMFUNC | VP_SEC_BUS_LOCK_DETECTION)
#define EXP_EXIT	(VP_EXIT_DEFAULT1 | VP_EXIT_SAVE_DEBUG_CONTROLS |	\
			 VP_EXIT_ACK_INTR_ON_EXIT |			\
			 VP_EXIT_HOST_ADDR_SPACE_SIZE |			\
			 VP_EXIT_LOAD_PERF_GLOBAL_CTRL | VP_EXIT_SAVE_PAT |	\
			 VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_EFER |		\
			 VP_EXIT_SAVE_PREEMPTION_TIMER | VP_EXIT_LOAD_EFER | \
			 VP_EXIT_CLEAR_BNDCFGS | VP_EXIT_PT_CONCEAL_PIP)
#define EXP_ENTRY	(VP_ENTRY_DEFAULT1 | VP_ENTRY_LOAD_DEBUG_CONTROLS | \
			 VP_ENTRY_IA32E_MODE |				\
			 VP_ENTRY_LOAD_PERF_GLOBAL_CTRL | VP_ENTRY_LOAD_PAT | \
			 VP_ENTRY_LOAD_EFER | VP_ENTRY_LOAD_BNDCFGS |	\
			 VP_ENTRY_PT_CONCEAL_PIP)

/* ---------------------------------------------------------------- */

/* What every version's defaults have: a 64-bit kernel as Debian builds it. */
static void expect_defaults(struct __test_metadata *_metadata,
			    struct vp_params *p, enum vp_kvm kvm)
{
	vp_params_defaults(p, kvm);
	EXPECT_EQ(kvm, p->kvm);
	EXPECT_TRUE(p->nested && p->ept);
	EXPECT_TRUE(p->error_on_inconsistent_vmcs_config);
	EXPECT_TRUE(p->config_x86_64 && p->config_hyperv &&
		    p->config_x86_sgx_kvm);
	EXPECT_FALSE(p->config_kvm_intel_prove_ve);
}

TEST(params_defaults_6_1)
{
	struct vp_params p;

	expect_defaults(_metadata, &p, VP_KVM_6_1);
	EXPECT_TRUE(p.vpid && p.enable_vnmi && p.flexpriority);
	EXPECT_TRUE(p.ept && p.unrestricted_guest && p.ept_ad);
	EXPECT_TRUE(p.enable_apicv && p.enable_ipiv && p.nested && p.pml);
	EXPECT_TRUE(p.preemption_timer && p.enable_sgx);
	EXPECT_TRUE(p.enable_shadow_vmcs && p.enlightened_vmcs);
	EXPECT_FALSE(p.allow_smaller_maxphyaddr);
	EXPECT_EQ(128, p.ple_gap);
	EXPECT_EQ(4096, p.ple_window);
	EXPECT_EQ(2, p.ple_window_grow);
	EXPECT_EQ(0, p.ple_window_shrink);
	EXPECT_EQ(0xffffffffu, p.ple_window_max);
	EXPECT_FALSE(p.config_kvm_hyperv);
}

TEST(params_defaults_6_12)
{
	struct vp_params p;

	expect_defaults(_metadata, &p, VP_KVM_6_12);
	EXPECT_TRUE(p.config_kvm_hyperv);
	EXPECT_FALSE(p.hyperv_evmcs_usable);
}

/* The controls KVM sets up for fake_skylake() with default parameters. */
static void expect_reference_skylake(struct __test_metadata *_metadata,
				     const struct vp_config *c)
{
	EXPECT_EQ(VP_ERR_NONE, c->diag.error);
	EXPECT_EQ(0, c->diag.warnings);
	EXPECT_EQ(EXP_CPU, c->cpu_based_exec_ctrl);
	EXPECT_EQ(EXP_SEC, c->secondary_exec_ctrl);
	EXPECT_EQ(VP_TER_IPI_VIRT, c->tertiary_exec_ctrl);
	EXPECT_EQ(0xff, c->pin_based_exec_ctrl);
	EXPECT_EQ(EXP_EXIT, c->vmexit_ctrl);
	EXPECT_EQ(EXP_ENTRY, c->vmentry_ctrl);
	EXPECT_EQ(SYN_BASIC, c->basic);
	EXPECT_EQ(SYN_MISC, c->misc);
	EXPECT_EQ(0x2b, c->revision_id);
	EXPECT_EQ(0x1000, c->vmcs_size);
	EXPECT_EQ(0, c->order);
	EXPECT_EQ(SYN_EPT, c->ept_caps);
	EXPECT_EQ(SYN_VPID, c->vpid_caps);
	EXPECT_TRUE(c->nested_enabled);
}

/* ---- MSR/CPUID access order and laziness ---- */

/* KVM's reads on fake_skylake() with default parameters, in order. */
static const struct fake_access skylake_reads[] = {
	{ 'm', VP_MSR_VMX_PROCBASED_CTLS },
	{ 'm', VP_MSR_VMX_PROCBASED_CTLS2 },
	{ 'm', VP_MSR_VMX_EPT_VPID_CAP },
	{ 'c', 0 },
	{ 'c', 0x12 },
	{ 'm', VP_MSR_VMX_PROCBASED_CTLS3 },
	{ 'm', VP_MSR_VMX_EXIT_CTLS },
	{ 'm', VP_MSR_VMX_PINBASED_CTLS },
	{ 'c', 1 },
	{ 'm', VP_MSR_VMX_ENTRY_CTLS },
	{ 'm', VP_MSR_VMX_BASIC },
	{ 'm', VP_MSR_VMX_MISC },
	{ 'm', VP_MSR_VMX_CR0_FIXED1 },
	{ 'm', VP_MSR_VMX_CR4_FIXED1 },
};

/* The fake CPU was read exactly as the first @n of skylake_reads[]. */
static void expect_reads(struct __test_metadata *_metadata,
			 const struct fake_cpu *c, unsigned int n)
{
	unsigned int i;

	ASSERT_EQ(n, c->nr_log);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(skylake_reads[i].kind, c->log[i].kind);
		EXPECT_EQ(skylake_reads[i].index, c->log[i].index);
	}
}

/* Where KVM reads @msr in skylake_reads[], from 1. */
static unsigned int read_position(u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(skylake_reads); i++)
		if (skylake_reads[i].kind == 'm' &&
		    skylake_reads[i].index == msr)
			return i + 1;
	return 0;
}

TEST_F(engine, read_order_full)
{
	ASSERT_EQ(0, compute_ref(self));
	expect_reads(_metadata, &self->cpu, ARRAY_SIZE(skylake_reads));

	/* The per-CPU check reads the same, in the same order. */
	ASSERT_EQ(0, compute_cpu(self));
	expect_reads(_metadata, &self->cpu, ARRAY_SIZE(skylake_reads));

	/* 6.1 reads exactly the same. */
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	expect_reads(_metadata, &self->cpu, ARRAY_SIZE(skylake_reads));
}

TEST_F(engine, read_order_lazy)
{
	/* No secondary/tertiary controls: CTLS2/CTLS3 are never read ... */
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS, 0,
		   VP_CPU_ACTIVATE_SECONDARY | VP_CPU_ACTIVATE_TERTIARY);
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP, 0);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_PROCBASED_CTLS2));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_PROCBASED_CTLS3));
	/* ... but EPT_VPID_CAP always is. */
	EXPECT_TRUE(log_has(&self->cpu, 'm', VP_MSR_VMX_EPT_VPID_CAP));
	EXPECT_EQ(0, self->ref.secondary_exec_ctrl);
	EXPECT_EQ(0, self->ref.tertiary_exec_ctrl);

	/* nested=0: the CR fixed-1 MSRs are not read. */
	fake_skylake(&self->cpu);
	self->in.nested = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_CR0_FIXED1));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_CR4_FIXED1));

	/* Never read by KVM's setup. */
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_VMCS_ENUM));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_VMFUNC));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_TRUE_PINBASED_CTLS));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_CR0_FIXED0));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_BNDCFGS));
}

TEST_F(engine, read_sgx_leaf_and_encls)
{
	static const struct {
		const char *what;
		u32 cpuid_max;		/* CPUID.0:EAX */
		u32 cpuid_12;		/* CPUID.(12H,0):EAX */
		bool sgx_kvm;			/* CONFIG_X86_SGX_KVM */
		bool leaf_read, encls, sgx, l1_encls;
	} rows[] = {
		/* Max leaf < 0x12: leaf 0x12 is not asked, ENCLS dropped. */
		{ "max leaf 0xd", 0xd, 0, true, false, false, false, false },
		{ "leaf 0x12 without SGX1", 0x20, 0, true, true, false, false,
		  false },
		/* SGX1: ENCLS exiting kept, sgx stays on, nested gets it ... */
		{ "SGX1", 0x20, VP_CPUID12_EAX_SGX1, true, true, true, true,
		  true },
		/* ... unless the kernel lacks CONFIG_X86_SGX_KVM. */
		{ "SGX1, no SGX_KVM", 0x20, VP_CPUID12_EAX_SGX1, false, true,
		  true, false, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct vp_config *c = &self->ref;

		self->cpu.cpuid_max = rows[i].cpuid_max;
		self->cpu.cpuid_12 = rows[i].cpuid_12;
		self->in.config_x86_sgx_kvm = rows[i].sgx_kvm;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].leaf_read, log_has(&self->cpu, 'c', 0x12))
			TH_LOG("%s", rows[i].what);
		EXPECT_EQ(rows[i].encls, !!(c->secondary_exec_ctrl &
					    VP_SEC_ENCLS_EXITING))
			TH_LOG("%s", rows[i].what);
		EXPECT_EQ(rows[i].sgx, self->eff.enable_sgx)
			TH_LOG("%s", rows[i].what);
		EXPECT_EQ(rows[i].l1_encls, !!(c->nested.secondary_ctls_high &
					       VP_SEC_ENCLS_EXITING))
			TH_LOG("%s", rows[i].what);
	}
}

TEST_F(engine, read_bndcfgs_only_with_mpx)
{
	params(&self->in, VP_KVM_6_1);
	self->in.boot_cpu_mpx = true;
	fake_set(&self->cpu, VP_MSR_BNDCFGS, 0);
	ASSERT_EQ(0, compute_ref(self));
	/* After MISC (setup done), before the nested CR reads. */
	ASSERT_EQ(15, self->cpu.nr_log);
	EXPECT_EQ(VP_MSR_VMX_MISC, self->cpu.log[11].index);
	EXPECT_EQ(VP_MSR_BNDCFGS, self->cpu.log[12].index);
	EXPECT_EQ(VP_MSR_VMX_CR0_FIXED1, self->cpu.log[13].index);
	EXPECT_FALSE(self->ref.diag.warnings & VP_WARN_BNDCFGS_LOST);

	fake_set(&self->cpu, VP_MSR_BNDCFGS, 1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_BNDCFGS_LOST);
}

TEST_F(engine, ept_vpid_cap_read_fault)
{
	/* rdmsr_safe(): a fault reads as 0, silently; EPT/VPID then off. */
	fake_remove(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0, self->ref.ept_caps);
	EXPECT_EQ(0, self->ref.vpid_caps);
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_EPT_VPID_CAP_FAULT);
	EXPECT_FALSE(self->ref.diag.warnings & VP_WARN_RDMSR_FAULT);
	EXPECT_FALSE(self->eff.ept);
	EXPECT_FALSE(self->eff.vpid);
}

TEST_F(engine, unchecked_rdmsr_fault_reads_zero)
{
	/* A faulting rdmsr() gives 0: required bits then fail. */
	fake_remove(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS);
	EXPECT_EQ(-EIO, compute_ref(self));
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_RDMSR_FAULT);
	EXPECT_EQ(VP_ERR_PROCBASED_REQUIRED, self->ref.diag.error);

	/* A faulting CR4_FIXED1 read gives 0, plus the emulated UMIP bit. */
	fake_skylake(&self->cpu);
	fake_remove(&self->cpu, VP_MSR_VMX_CR4_FIXED1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_RDMSR_FAULT);
	EXPECT_EQ(VP_CR4_UMIP, self->ref.nested.cr4_fixed1);
}

/* ---- refusals: -EIO, and no read after the failure ---- */

/* An MSR of fake_skylake() changed so that KVM's setup refuses the CPU. */
struct refusal {
	const char *what;
	u32 msr;		/* the MSR changed: */
	u64 clear, set;		/* these bits cleared, these set */
	enum vp_error error;	/* KVM fails with it ... */
	u32 error_msr;		/* ... right after reading this MSR */
	u64 error_bits;
	u32 warning;		/* all the VP_WARN_* raised with it */
};

/* Bits of the allowed-1 (high) half of a control MSR. */
#define ALLOWED1(bits)	((u64)(bits) << 32)

/*
 * Under every KVM version: -EIO with @r's error, MSR and bits, the reads
 * of skylake_reads[] up to that MSR and none after, and, like KVM's
 * memset() config, nothing filled in.
 */
static void expect_refusal(struct __test_metadata *_metadata,
			   FIXTURE_DATA(engine) *self,
			   const struct refusal *r)
{
	int v;

	for (v = VP_KVM_6_1; v < VP_KVM_NR; v++) {
		u64 val;

		fake_skylake(&self->cpu);
		val = fake_get(&self->cpu, r->msr);
		fake_set(&self->cpu, r->msr, (val & ~r->clear) | r->set);
		params(&self->in, v);
		EXPECT_EQ(-EIO, compute_ref(self))
			TH_LOG("%s, KVM %s: accepted", r->what, vp_kvm_name(v));
		EXPECT_EQ(r->error, self->ref.diag.error);
		EXPECT_EQ(r->error_msr, self->ref.diag.error_msr);
		EXPECT_EQ(r->error_bits, self->ref.diag.error_bits)
			TH_LOG("%s, KVM %s", r->what, vp_kvm_name(v));
		EXPECT_EQ(r->warning, self->ref.diag.warnings);
		ASSERT_NE(0, read_position(r->error_msr));
		expect_reads(_metadata, &self->cpu,
			     read_position(r->error_msr));
		EXPECT_EQ(0, self->ref.cpu_based_exec_ctrl);
		EXPECT_EQ(0, self->ref.basic);
	}
}

/* Controls KVM requires, each missing from its allowed-1 half. */
TEST_F(engine, required_controls)
{
	static const struct refusal rows[] = {
		{ "procbased: HLT and CR8-load exiting",
		  VP_MSR_VMX_PROCBASED_CTLS,
		  ALLOWED1(VP_CPU_HLT_EXITING | VP_CPU_CR8_LOAD_EXITING), 0,
		  VP_ERR_PROCBASED_REQUIRED, VP_MSR_VMX_PROCBASED_CTLS,
		  VP_CPU_HLT_EXITING | VP_CPU_CR8_LOAD_EXITING, 0 },
		{ "exit: acknowledge interrupt on exit", VP_MSR_VMX_EXIT_CTLS,
		  ALLOWED1(VP_EXIT_ACK_INTR_ON_EXIT), 0, VP_ERR_EXIT_REQUIRED,
		  VP_MSR_VMX_EXIT_CTLS, VP_EXIT_ACK_INTR_ON_EXIT, 0 },
		{ "pin-based: NMI exiting", VP_MSR_VMX_PINBASED_CTLS,
		  ALLOWED1(VP_PIN_NMI_EXITING), 0, VP_ERR_PINBASED_REQUIRED,
		  VP_MSR_VMX_PINBASED_CTLS, VP_PIN_NMI_EXITING, 0 },
		{ "entry: IA-32e mode guest", VP_MSR_VMX_ENTRY_CTLS,
		  ALLOWED1(VP_ENTRY_IA32E_MODE), 0, VP_ERR_ENTRY_REQUIRED,
		  VP_MSR_VMX_ENTRY_CTLS, VP_ENTRY_IA32E_MODE, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		expect_refusal(_metadata, self, &rows[i]);
}

TEST_F(engine, required_procbased)
{
	/* A 32-bit kernel does not require CR8 exiting. */
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS, 0,
		   VP_CPU_CR8_LOAD_EXITING | VP_CPU_CR8_STORE_EXITING);
	EXPECT_EQ(-EIO, compute_ref(self));
	self->in.config_x86_64 = false;
	EXPECT_EQ(0, compute_ref(self));
}

TEST_F(engine, secondary_has_no_required_controls)
{
	fake_set(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0);
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP, 0);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0, self->ref.secondary_exec_ctrl);
	EXPECT_TRUE(self->ref.cpu_based_exec_ctrl & VP_CPU_ACTIVATE_SECONDARY);
}

TEST_F(engine, required_exit)
{
	/* Host address-space size is required on 64-bit only. */
	fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS, 0,
		   VP_EXIT_HOST_ADDR_SPACE_SIZE);
	EXPECT_EQ(-EIO, compute_ref(self));
	EXPECT_EQ(VP_EXIT_HOST_ADDR_SPACE_SIZE, self->ref.diag.error_bits);
	self->in.config_x86_64 = false;
	EXPECT_EQ(0, compute_ref(self));
}

TEST_F(engine, required_entry)
{
	/* IA-32e mode guest is required on 64-bit only. */
	fake_allow(&self->cpu, VP_MSR_VMX_ENTRY_CTLS, 0, VP_ENTRY_IA32E_MODE);
	EXPECT_EQ(-EIO, compute_ref(self));
	self->in.config_x86_64 = false;
	EXPECT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.vmentry_ctrl & VP_ENTRY_IA32E_MODE);

	/*
	 * Load debug controls is required everywhere.  As a default1 bit it
	 * is must-be-1 in the allowed-0 word, which alone satisfies KVM.
	 */
	fake_skylake(&self->cpu);
	fake_allow(&self->cpu, VP_MSR_VMX_ENTRY_CTLS, 0,
		   VP_ENTRY_LOAD_DEBUG_CONTROLS);
	params(&self->in, VP_KVM_6_1);
	EXPECT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.vmentry_ctrl & VP_ENTRY_LOAD_DEBUG_CONTROLS);
	fake_set(&self->cpu, VP_MSR_VMX_ENTRY_CTLS,
		 ctls(VP_ENTRY_DEFAULT1 & ~VP_ENTRY_LOAD_DEBUG_CONTROLS,
		      0x0003ffff & ~VP_ENTRY_LOAD_DEBUG_CONTROLS));
	EXPECT_EQ(-EIO, compute_ref(self));
	EXPECT_EQ(VP_ENTRY_LOAD_DEBUG_CONTROLS, self->ref.diag.error_bits);
}

/* ---- optional controls: allowed-1 masks them, allowed-0 forces bits ---- */

TEST_F(engine, optional_allowed1_masking)
{
	/* No TPR shadow: APIC-register virt, x2APIC virt, VID, PI go too. */
	ASSERT_EQ(0, compute_without(self, VP_MSR_VMX_PROCBASED_CTLS,
					     VP_CPU_TPR_SHADOW));
	EXPECT_EQ(EXP_CPU & ~VP_CPU_TPR_SHADOW, self->ref.cpu_based_exec_ctrl);
	EXPECT_EQ(EXP_SEC & ~(VP_SEC_APIC_REGISTER_VIRT |
			      VP_SEC_VIRT_X2APIC_MODE |
			      VP_SEC_VIRT_INTR_DELIVERY),
		  self->ref.secondary_exec_ctrl);
	EXPECT_EQ(0xff & ~VP_PIN_POSTED_INTR, self->ref.pin_based_exec_ctrl);
	EXPECT_FALSE(self->eff.enable_apicv);
	EXPECT_FALSE(self->eff.flexpriority);

	/* Optional bits absent from allowed-1 are simply not set. */
	fake_skylake(&self->cpu);
	fake_allow(&self->cpu, VP_MSR_VMX_PINBASED_CTLS, 0,
		   VP_PIN_VIRTUAL_NMIS | VP_PIN_PREEMPTION_TIMER);
	fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS, 0, VP_EXIT_SAVE_PAT);
	fake_set(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS3, 0);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0xff & ~(VP_PIN_VIRTUAL_NMIS | VP_PIN_PREEMPTION_TIMER),
		  self->ref.pin_based_exec_ctrl);
	EXPECT_EQ(EXP_EXIT & ~VP_EXIT_SAVE_PAT, self->ref.vmexit_ctrl);
	EXPECT_EQ(0, self->ref.tertiary_exec_ctrl);

	/* Controls KVM never asks for stay clear even when allowed. */
	EXPECT_FALSE(self->ref.vmentry_ctrl & VP_ENTRY_SMM);
	EXPECT_FALSE(self->ref.secondary_exec_ctrl &
		     VP_SEC_MODE_BASED_EPT_EXEC);
	EXPECT_FALSE(self->ref.secondary_exec_ctrl & VP_SEC_EPT_VIOLATION_VE);
}

TEST_F(engine, optional_allowed0_forcing)
{
	/* Must-be-1 bits end up set even if KVM did not ask for them. */
	fake_force(&self->cpu, VP_MSR_VMX_ENTRY_CTLS, VP_ENTRY_SMM);
	fake_force(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2,
		   VP_SEC_MODE_BASED_EPT_EXEC);
	fake_force(&self->cpu, VP_MSR_VMX_PINBASED_CTLS, VP_PIN_VIRTUAL_NMIS);
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.vmentry_ctrl & VP_ENTRY_SMM);
	EXPECT_TRUE(self->ref.secondary_exec_ctrl & VP_SEC_MODE_BASED_EPT_EXEC);

	/* ... a forced bit not in allowed-1 still wins (low word ORed last) */
	fake_skylake(&self->cpu);
	fake_set(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS3, 0);
	fake_set(&self->cpu, VP_MSR_VMX_PINBASED_CTLS,
		 ctls(0x16 | VP_PIN_POSTED_INTR, 0x1f));
	ASSERT_EQ(0, compute_ref(self));
	/* ... except where KVM clears it after adjusting: PI needs VID. */
	EXPECT_TRUE(self->ref.pin_based_exec_ctrl & VP_PIN_POSTED_INTR);
	ASSERT_EQ(0, compute_without(self, VP_MSR_VMX_PROCBASED_CTLS2,
					     VP_SEC_VIRT_INTR_DELIVERY));
	EXPECT_FALSE(self->ref.pin_based_exec_ctrl & VP_PIN_POSTED_INTR);
}

TEST_F(engine, tpr_shadow_on_32bit)
{
	/* 32-bit KVM drops the TPR shadow without APIC-access virt. */
	ASSERT_EQ(0, compute_without(self, VP_MSR_VMX_PROCBASED_CTLS2,
					     VP_SEC_VIRT_APIC_ACCESSES));
	EXPECT_TRUE(self->ref.cpu_based_exec_ctrl & VP_CPU_TPR_SHADOW);
	self->in.config_x86_64 = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.cpu_based_exec_ctrl & VP_CPU_TPR_SHADOW);
	EXPECT_FALSE(self->ref.secondary_exec_ctrl & VP_SEC_VIRT_INTR_DELIVERY);
}

/* ---- VM-entry/VM-exit pairs ---- */

TEST_F(engine, entry_exit_pair_error_on)
{
	int v;

	for (v = VP_KVM_6_1; v < VP_KVM_NR; v++) {
		fake_skylake(&self->cpu);
		fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS, 0,
			   VP_EXIT_LOAD_EFER);
		params(&self->in, v);
		EXPECT_EQ(-EIO, compute_ref(self));
		EXPECT_EQ(VP_ERR_ENTRY_EXIT_PAIR, self->ref.diag.error);
		EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_ENTRY_EXIT_PAIR);
		EXPECT_EQ(VP_ENTRY_LOAD_EFER, self->ref.diag.pair_entry_bits);
		EXPECT_EQ(0, self->ref.diag.pair_exit_bits);
		EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_BASIC));
	}
}

TEST_F(engine, entry_exit_pair_error_off)
{
	/* Both halves are dropped, every mismatched pair is handled. */
	fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS, VP_EXIT_CLEAR_RTIT_CTL,
		   VP_EXIT_LOAD_PAT);
	self->in.error_on_inconsistent_vmcs_config = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_ENTRY_EXIT_PAIR);
	EXPECT_EQ(VP_ENTRY_LOAD_PAT, self->ref.diag.pair_entry_bits);
	EXPECT_EQ(VP_EXIT_CLEAR_RTIT_CTL, self->ref.diag.pair_exit_bits);
	EXPECT_EQ(EXP_ENTRY & ~VP_ENTRY_LOAD_PAT, self->ref.vmentry_ctrl);
	EXPECT_EQ(EXP_EXIT & ~VP_EXIT_LOAD_PAT, self->ref.vmexit_ctrl);
	EXPECT_EQ(VP_ERR_NONE, self->ref.diag.error);

	/* Nested follows the trimmed config. */
	EXPECT_FALSE(self->ref.nested.entry_ctls_high & VP_ENTRY_LOAD_PAT);
	EXPECT_TRUE(self->ref.nested.exit_ctls_high & VP_EXIT_SAVE_PAT);
	EXPECT_FALSE(self->ref.nested.exit_ctls_high & VP_EXIT_LOAD_PAT);
}

/* ---- EPT/VPID capabilities without their controls ---- */

/*
 * Refused with the knob on (refused_values); with it off, KVM drops the
 * capabilities and what needs them.
 */
TEST_F(engine, ept_cap_without_ept)
{
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_ENABLE_EPT);
	self->in.error_on_inconsistent_vmcs_config = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0, self->ref.ept_caps);
	EXPECT_EQ(SYN_VPID, self->ref.vpid_caps);
	EXPECT_FALSE(self->eff.ept);
	EXPECT_FALSE(self->eff.unrestricted_guest);
	EXPECT_FALSE(self->eff.ept_ad);
	EXPECT_FALSE(self->eff.pml);
	EXPECT_EQ(0, self->ref.nested.ept_caps);
	EXPECT_FALSE(self->ref.nested.secondary_ctls_high & VP_SEC_ENABLE_EPT);
}

TEST_F(engine, ept_cap_without_ept_clears_ve_6_12_only)
{
	/* 6.12 with PROVE_VE keeps #VE, unless EPT caps were inconsistent. */
	self->in.config_kvm_intel_prove_ve = true;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.secondary_exec_ctrl & VP_SEC_EPT_VIOLATION_VE);

	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_ENABLE_EPT);
	self->in.error_on_inconsistent_vmcs_config = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.secondary_exec_ctrl & VP_SEC_EPT_VIOLATION_VE);

	/* 6.1 never clears it, so a must-be-1 #VE survives. */
	fake_force(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2,
		   VP_SEC_EPT_VIOLATION_VE);
	params(&self->in, VP_KVM_6_1);
	self->in.error_on_inconsistent_vmcs_config = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.secondary_exec_ctrl & VP_SEC_EPT_VIOLATION_VE);
	EXPECT_EQ(0, self->ref.ept_caps);
}

TEST_F(engine, vpid_cap_without_vpid)
{
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_ENABLE_VPID);
	params(&self->in, VP_KVM_6_1);
	self->in.error_on_inconsistent_vmcs_config = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0, self->ref.vpid_caps);
	EXPECT_EQ(SYN_EPT, self->ref.ept_caps);
	EXPECT_FALSE(self->eff.vpid);
	EXPECT_EQ(0, self->ref.nested.vpid_caps);
	EXPECT_FALSE(self->ref.nested.secondary_ctls_high & VP_SEC_ENABLE_VPID);
}

/* ---- IA32_VMX_BASIC ---- */

/* VMX_BASIC[44:32], the VMCS size. */
#define BASIC_SIZE(bytes)	((u64)(bytes) << 32)
#define BASIC_SIZE_MASK		BASIC_SIZE(0x1fff)

/*
 * Values of the capability MSRs KVM's setup refuses (with
 * error_on_inconsistent_vmcs_config, its default).
 */
TEST_F(engine, refused_values)
{
	static const struct refusal rows[] = {
		{ "EPT capabilities without the EPT control",
		  VP_MSR_VMX_PROCBASED_CTLS2, ALLOWED1(VP_SEC_ENABLE_EPT), 0,
		  VP_ERR_EPT_CAP_WITHOUT_EPT, VP_MSR_VMX_EPT_VPID_CAP, SYN_EPT,
		  VP_WARN_EPT_CAP_WITHOUT_EPT },
		{ "VPID capabilities without the VPID control",
		  VP_MSR_VMX_PROCBASED_CTLS2, ALLOWED1(VP_SEC_ENABLE_VPID), 0,
		  VP_ERR_VPID_CAP_WITHOUT_VPID, VP_MSR_VMX_EPT_VPID_CAP,
		  (u64)SYN_VPID << 32, VP_WARN_VPID_CAP_WITHOUT_VPID },
		{ "a VMCS of 4097 bytes", VP_MSR_VMX_BASIC, BASIC_SIZE_MASK,
		  BASIC_SIZE(4097), VP_ERR_VMCS_SIZE, VP_MSR_VMX_BASIC, 4097,
		  0 },
		{ "32-bit physical addresses", VP_MSR_VMX_BASIC, 0,
		  VP_BASIC_32BIT_PHYS_ADDR, VP_ERR_32BIT_PHYS_ADDR,
		  VP_MSR_VMX_BASIC, VP_BASIC_32BIT_PHYS_ADDR, 0 },
		{ "an uncacheable VMCS", VP_MSR_VMX_BASIC,
		  0xfULL << VP_BASIC_MEM_TYPE_SHIFT, 0, VP_ERR_VMCS_MEMTYPE,
		  VP_MSR_VMX_BASIC, VP_MEMTYPE_UC, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		expect_refusal(_metadata, self, &rows[i]);
}

TEST_F(engine, basic_vmcs_size)
{
	/* 4096 itself is fine, and so is a smaller VMCS. */
	fake_set(&self->cpu, VP_MSR_VMX_BASIC,
		 (SYN_BASIC & ~BASIC_SIZE_MASK) | BASIC_SIZE(4096));
	EXPECT_EQ(0, compute_ref(self));
	fake_set(&self->cpu, VP_MSR_VMX_BASIC,
		 (SYN_BASIC & ~BASIC_SIZE_MASK) | BASIC_SIZE(0x400));
	EXPECT_EQ(0, compute_ref(self));
	EXPECT_EQ(0x400, self->ref.vmcs_size);
	/* The nested VMX_BASIC describes vmcs12, not the hardware VMCS. */
	EXPECT_EQ(0x1000, (self->ref.nested.basic >> 32) & 0x1fff);
}

TEST_F(engine, basic_32bit_phys_addr)
{
	/* Only a 64-bit kernel minds. */
	fake_set(&self->cpu, VP_MSR_VMX_BASIC,
		 SYN_BASIC | VP_BASIC_32BIT_PHYS_ADDR);
	params(&self->in, VP_KVM_6_1);
	EXPECT_EQ(-EIO, compute_ref(self));
	self->in.config_x86_64 = false;
	EXPECT_EQ(0, compute_ref(self));
}

TEST_F(engine, broken_preemption_timer_is_per_cpu)
{
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.preemption_timer);

	/* Xeon E3-1220 V2, reserved bits set: still matches. */
	self->cpu.cpuid_sig = 0x000306a8 | 0xf0000000u | 0x4000u;
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_FALSE(self->c.pin_based_exec_ctrl & VP_PIN_PREEMPTION_TIMER);
	/* The nested pin-based controls always offer the timer. */
	EXPECT_EQ(self->ref.nested.pinbased_ctls_high,
		  self->c.nested.pinbased_ctls_high);
	EXPECT_EQ(1, vp_config_compare(&self->ref, &self->c, NULL, NULL));

	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.preemption_timer);
}

/* ---- 6.1 versus 6.12 ---- */

TEST_F(engine, diff_perf_global_ctrl_erratum)
{
	/* Nehalem-EP (family 6, model 0x1a): 6.12 drops the controls ... */
	self->in.boot_cpuid_sig = 0x000106a5;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_PERF_GLOBAL_CTRL_BUG);
	EXPECT_EQ(EXP_ENTRY & ~VP_ENTRY_LOAD_PERF_GLOBAL_CTRL,
		  self->ref.vmentry_ctrl);
	EXPECT_EQ(EXP_EXIT & ~VP_EXIT_LOAD_PERF_GLOBAL_CTRL,
		  self->ref.vmexit_ctrl);
	/* ... nested emulates them anyway. */
	EXPECT_TRUE(self->ref.nested.entry_ctls_high &
		    VP_ENTRY_LOAD_PERF_GLOBAL_CTRL);
	EXPECT_TRUE(self->ref.nested.exit_ctls_high &
		    VP_EXIT_LOAD_PERF_GLOBAL_CTRL);

	/* ... only on Intel. */
	self->in.boot_cpu_intel = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(EXP_ENTRY, self->ref.vmentry_ctrl);
	EXPECT_FALSE(self->ref.diag.warnings & VP_WARN_PERF_GLOBAL_CTRL_BUG);

	/* 6.1 warns but keeps them in vmcs_config, whatever the vendor. */
	params(&self->in, VP_KVM_6_1);
	self->in.boot_cpuid_sig = 0x000206c2; /* Westmere-EP, model 0x2c */
	self->in.boot_cpu_intel = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_PERF_GLOBAL_CTRL_BUG);
	EXPECT_EQ(EXP_ENTRY, self->ref.vmentry_ctrl);
	EXPECT_EQ(EXP_EXIT, self->ref.vmexit_ctrl);

	/* Other models and families are not affected. */
	self->in.boot_cpuid_sig = 0x00050654;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.diag.warnings & VP_WARN_PERF_GLOBAL_CTRL_BUG);
	self->in.boot_cpuid_sig = 0x00000f1a;	/* family 0xf, model 0x1 */
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.diag.warnings & VP_WARN_PERF_GLOBAL_CTRL_BUG);
}

TEST_F(engine, diff_umip_emulation)
{
	/* Host without UMIP: both emulate it through descriptor exiting. */
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(SYN_CR4_FIXED1 | VP_CR4_UMIP, self->ref.nested.cr4_fixed1);
	params(&self->in, VP_KVM_6_12);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(SYN_CR4_FIXED1 | VP_CR4_UMIP, self->ref.nested.cr4_fixed1);

	/* Host with UMIP: 6.12 reports the hardware value, 6.1 still adds. */
	self->in.boot_cpu_umip = true;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(SYN_CR4_FIXED1, self->ref.nested.cr4_fixed1);
	params(&self->in, VP_KVM_6_1);
	self->in.boot_cpu_umip = true;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(SYN_CR4_FIXED1 | VP_CR4_UMIP, self->ref.nested.cr4_fixed1);

	/* No descriptor-table exiting: no emulation. */
	ASSERT_EQ(0, compute_without(self, VP_MSR_VMX_PROCBASED_CTLS2,
					     VP_SEC_DESC_EXITING));
	EXPECT_EQ(SYN_CR4_FIXED1, self->ref.nested.cr4_fixed1);
}

TEST_F(engine, diff_vmfunc_nested)
{
	static const struct {
		enum vp_kvm kvm;
		bool ept, hw_vmfunc;	/* ept=, VMFUNC in the CPU */
		bool l1_vmfunc;		/* nested offers VMFUNC ... */
		u64 l1_controls;	/* ... with these functions */
	} rows[] = {
		/* ept=0: 6.1 still offers VMFUNC (without EPTP switching) */
		{ VP_KVM_6_1, false, true, true, 0 },
		/* ... and so does 6.12, taking the bit from the config. */
		{ VP_KVM_6_12, false, true, true, 0 },
		/* ept=1: EPTP switching, in both. */
		{ VP_KVM_6_12, true, true, true, VP_VMFUNC_EPTP_SWITCHING },
		{ VP_KVM_6_1, true, true, true, VP_VMFUNC_EPTP_SWITCHING },
		/* No VMFUNC in hardware: neither offers it. */
		{ VP_KVM_6_1, true, false, false, 0 },
		{ VP_KVM_6_12, true, false, false, 0 },
	};
	const struct vp_nested_msrs *l1 = &self->ref.nested;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		fake_skylake(&self->cpu);
		if (!rows[i].hw_vmfunc)
			fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
				   VP_SEC_ENABLE_VMFUNC);
		params(&self->in, rows[i].kvm);
		self->in.ept = rows[i].ept;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].l1_vmfunc,
			  !!(l1->secondary_ctls_high & VP_SEC_ENABLE_VMFUNC))
			TH_LOG("row %u", i);
		EXPECT_EQ(rows[i].l1_controls, l1->vmfunc_controls)
			TH_LOG("row %u", i);
	}
}

TEST_F(engine, diff_vmfunc_source_in_compat)
{
	/*
	 * A CPU without VMFUNC, checked against a reference with it: 6.12
	 * takes the VMFUNC control from that CPU's config, 6.1 from the
	 * global one, so only 6.12 sees a nested difference there.
	 */
	ASSERT_EQ(0, compute_ref(self));
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_ENABLE_VMFUNC);
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_FALSE(self->c.nested.secondary_ctls_high & VP_SEC_ENABLE_VMFUNC);
	EXPECT_EQ(VP_VMFUNC_EPTP_SWITCHING, self->c.nested.vmfunc_controls);
	EXPECT_EQ(2, vp_config_compare(&self->ref, &self->c, NULL, NULL));

	fake_skylake(&self->cpu);
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_ENABLE_VMFUNC);
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_TRUE(self->c.nested.secondary_ctls_high & VP_SEC_ENABLE_VMFUNC);
	EXPECT_EQ(1, vp_config_compare(&self->ref, &self->c, NULL, NULL));
}

TEST_F(engine, diff_revision_id)
{
	fake_set(&self->cpu, VP_MSR_VMX_BASIC, SYN_BASIC | 0x80000000ULL);
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0x8000002b, self->ref.revision_id);
	params(&self->in, VP_KVM_6_12);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0x2b, self->ref.revision_id);
	EXPECT_EQ(SYN_BASIC | 0x80000000ULL, self->ref.basic);
}

TEST_F(engine, diff_evmcs_sanitize)
{
	/* Not on Hyper-V: enlightened_vmcs is turned off, nothing changes. */
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.enlightened_vmcs);
	EXPECT_EQ(EXP_SEC, self->ref.secondary_exec_ctrl);

	/* On Hyper-V with eVMCS, 6.12 trims the config ... */
	self->in.hyperv_evmcs_usable = true;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.enlightened_vmcs);
	EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_EVMCS_SANITIZED);
	EXPECT_EQ(EXP_CPU & ~VP_CPU_ACTIVATE_TERTIARY,
		  self->ref.cpu_based_exec_ctrl);
	EXPECT_EQ(0, self->ref.tertiary_exec_ctrl);
	EXPECT_EQ(0xff & ~(VP_PIN_POSTED_INTR | VP_PIN_PREEMPTION_TIMER),
		  self->ref.pin_based_exec_ctrl);
	EXPECT_EQ(EXP_SEC & ~(VP_SEC_VIRT_APIC_ACCESSES |
			      VP_SEC_PAUSE_LOOP_EXITING |
			      VP_SEC_APIC_REGISTER_VIRT |
			      VP_SEC_VIRT_INTR_DELIVERY | VP_SEC_SHADOW_VMCS |
			      VP_SEC_ENABLE_PML | VP_SEC_ENABLE_VMFUNC),
		  self->ref.secondary_exec_ctrl);
	EXPECT_EQ(EXP_EXIT & ~VP_EXIT_SAVE_PREEMPTION_TIMER,
		  self->ref.vmexit_ctrl);
	EXPECT_EQ(EXP_ENTRY, self->ref.vmentry_ctrl);
	EXPECT_FALSE(self->eff.enable_apicv);
	EXPECT_FALSE(self->eff.pml);
	EXPECT_FALSE(self->eff.preemption_timer);

	/* ... without CONFIG_HYPERV the code is not there ... */
	self->in.config_hyperv = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(EXP_SEC, self->ref.secondary_exec_ctrl);

	/* ... and 6.1 never trims vmcs_config. */
	params(&self->in, VP_KVM_6_1);
	self->in.hyperv_evmcs_usable = true;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.enlightened_vmcs);
	EXPECT_EQ(EXP_SEC, self->ref.secondary_exec_ctrl);
	EXPECT_EQ(VP_TER_IPI_VIRT, self->ref.tertiary_exec_ctrl);
}

TEST_F(engine, diff_allow_smaller_maxphyaddr)
{
	/* EPT unusable in hardware, ept=1 on the command line. */
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT & ~VP_EPT_MT_WB, SYN_VPID));
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.ept);
	EXPECT_TRUE(self->eff.allow_smaller_maxphyaddr);

	/* 6.1 decides before hardware setup, from the parameter. */
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.ept);
	EXPECT_FALSE(self->eff.allow_smaller_maxphyaddr);
	self->in.ept = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.allow_smaller_maxphyaddr);
}

/* ---- hardware_setup() parameter adjustments ---- */

TEST_F(engine, hw_setup_keeps_everything_on_full_cpu)
{
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.vpid && self->eff.ept && self->eff.ept_ad);
	EXPECT_TRUE(self->eff.unrestricted_guest && self->eff.flexpriority);
	EXPECT_TRUE(self->eff.enable_vnmi && self->eff.enable_apicv &&
		    self->eff.enable_ipiv);
	EXPECT_TRUE(self->eff.pml && self->eff.preemption_timer &&
		    self->eff.enable_shadow_vmcs);
	EXPECT_TRUE(self->eff.nested);
	EXPECT_FALSE(self->eff.enable_sgx);
	EXPECT_EQ(128, self->eff.ple_gap);
	EXPECT_FALSE(self->eff.allow_smaller_maxphyaddr);
}

TEST_F(engine, hw_setup_vpid)
{
	/* INVVPID needed, and single-context or all-context. */
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT, SYN_VPID & ~VP_VPID_INVVPID));
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.vpid);
	EXPECT_FALSE(self->ref.nested.secondary_ctls_high & VP_SEC_ENABLE_VPID);

	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT, VP_VPID_INVVPID | VP_VPID_INVVPID_SINGLE_CTX));
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.vpid);
	/* Nested advertises every INVVPID type regardless. */
	EXPECT_EQ(SYN_VPID, self->ref.nested.vpid_caps);

	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT, VP_VPID_INVVPID | VP_VPID_INVVPID_ADDR));
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.vpid);

	/* vpid=0 on the command line stays 0. */
	fake_skylake(&self->cpu);
	self->in.vpid = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.vpid);
	EXPECT_EQ(0, self->ref.nested.vpid_caps);
}

TEST_F(engine, hw_setup_ept_and_dependents)
{
	static const u32 needed[] = {
		VP_EPT_PAGE_WALK_4, VP_EPT_MT_WB, VP_EPT_INVEPT_ALL_CTX,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(needed); i++) {
		fake_skylake(&self->cpu);
		fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
			 ctls(SYN_EPT & ~needed[i], SYN_VPID));
		params(&self->in, VP_KVM_6_12);
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_FALSE(self->eff.ept);
		EXPECT_FALSE(self->eff.ept_ad);
		EXPECT_FALSE(self->eff.unrestricted_guest);
		EXPECT_FALSE(self->eff.pml);
		EXPECT_EQ(0, self->ref.nested.ept_caps);
		EXPECT_EQ(0, self->ref.nested.vmfunc_controls);
		EXPECT_FALSE(self->ref.nested.secondary_ctls_high &
			     (VP_SEC_ENABLE_EPT | VP_SEC_UNRESTRICTED_GUEST |
			      VP_SEC_ENABLE_PML));
	}

	/* A/D bits missing: eptad and pml go, EPT stays. */
	fake_skylake(&self->cpu);
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT & ~VP_EPT_AD, SYN_VPID));
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.ept);
	EXPECT_FALSE(self->eff.ept_ad);
	EXPECT_FALSE(self->eff.pml);
	EXPECT_TRUE(self->eff.unrestricted_guest);
	EXPECT_FALSE(self->ref.nested.ept_caps & VP_EPT_AD);
	EXPECT_FALSE(self->ref.nested.secondary_ctls_high & VP_SEC_ENABLE_PML);
}

/* A module parameter, by its place in struct vp_params. */
#define PARAM(name)	offsetof(struct vp_params, name)
#define NO_PARAM	((size_t)-1)

static bool param(const struct vp_params *p, size_t param)
{
	bool on;

	memcpy(&on, (const char *)p + param, sizeof(on));
	return on;
}

/*
 * One control missing from its allowed-1 half: the parameter
 * hardware_setup() turns off for it, one it keeps, and whether L1 is
 * still offered the control (nested emulates some).
 */
TEST_F(engine, hw_setup_without_control)
{
	enum { L1_HIDDEN, L1_OFFERED, L1_UNCHECKED };
	static const struct {
		const char *what;
		u32 msr, bit;
		size_t off, kept;
		int l1;
	} rows[] = {
		/* Nested PML is emulated: it follows eptad, not hardware. */
		{ "PML", VP_MSR_VMX_PROCBASED_CTLS2, VP_SEC_ENABLE_PML,
		  PARAM(pml), PARAM(ept_ad), L1_OFFERED },
		{ "unrestricted guest", VP_MSR_VMX_PROCBASED_CTLS2,
		  VP_SEC_UNRESTRICTED_GUEST, PARAM(unrestricted_guest),
		  NO_PARAM, L1_HIDDEN },
		{ "APIC-access virtualization", VP_MSR_VMX_PROCBASED_CTLS2,
		  VP_SEC_VIRT_APIC_ACCESSES, PARAM(flexpriority),
		  PARAM(enable_vnmi), L1_HIDDEN },
		{ "NMI-window exiting", VP_MSR_VMX_PROCBASED_CTLS,
		  VP_CPU_NMI_WINDOW_EXITING, PARAM(enable_vnmi),
		  PARAM(flexpriority), L1_UNCHECKED },
		{ "virtual NMIs", VP_MSR_VMX_PINBASED_CTLS, VP_PIN_VIRTUAL_NMIS,
		  PARAM(enable_vnmi), NO_PARAM, L1_HIDDEN },
		/* L1 still gets an emulated timer. */
		{ "preemption timer", VP_MSR_VMX_PINBASED_CTLS,
		  VP_PIN_PREEMPTION_TIMER, PARAM(preemption_timer), NO_PARAM,
		  L1_OFFERED },
	};
	unsigned int i;
	u64 l1;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		fake_skylake(&self->cpu);
		ASSERT_EQ(0, compute_without(self, rows[i].msr, rows[i].bit));
		EXPECT_FALSE(param(&self->eff, rows[i].off))
			TH_LOG("no %s: still on", rows[i].what);
		if (rows[i].kept != NO_PARAM)
			EXPECT_TRUE(param(&self->eff, rows[i].kept))
				TH_LOG("no %s: turned off too", rows[i].what);
		if (rows[i].l1 == L1_UNCHECKED)
			continue;
		ASSERT_EQ(0, vp_nested_msr(&self->ref, rows[i].msr, &l1));
		EXPECT_EQ(rows[i].l1 == L1_OFFERED,
			  !!((l1 >> 32) & rows[i].bit))
			TH_LOG("no %s: L1's view", rows[i].what);
	}
}

TEST_F(engine, hw_setup_nx_required_without_ept)
{
	params(&self->in, VP_KVM_6_1);
	self->in.boot_cpu_nx = false;
	ASSERT_EQ(0, compute_ref(self));
	self->in.ept = false;
	EXPECT_EQ(-EOPNOTSUPP, compute_ref(self));
	EXPECT_EQ(VP_ERR_NO_NX, self->ref.diag.error);
	/* Nested setup never ran. */
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_CR0_FIXED1));
	EXPECT_FALSE(self->ref.nested_enabled);
}

TEST_F(engine, hw_setup_flexpriority_vnmi)
{
	/*
	 * The controls: hw_setup_without_control.  flexpriority=0 on the
	 * command line hides APIC-access virt.
	 */
	self->in.flexpriority = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.nested.secondary_ctls_high &
		     VP_SEC_VIRT_APIC_ACCESSES);
}

TEST_F(engine, hw_setup_ple)
{
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_PAUSE_LOOP_EXITING);
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_EQ(0, self->eff.ple_gap);
	EXPECT_EQ(0, self->eff.ple_window);
	EXPECT_EQ(0, self->eff.ple_window_grow);
	EXPECT_EQ(0, self->eff.ple_window_shrink);
	EXPECT_EQ(0, self->eff.ple_window_max);
}

TEST_F(engine, hw_setup_apicv_ipiv)
{
	/* No tertiary IPI virtualization: ipiv goes, apicv stays. */
	fake_set(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS3,
		 VP_TER_LOADIWKEY_EXITING);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.enable_apicv);
	EXPECT_FALSE(self->eff.enable_ipiv);

	/* No posted interrupts: apicv and ipiv go; nested hides PI. */
	fake_skylake(&self->cpu);
	ASSERT_EQ(0, compute_without(self, VP_MSR_VMX_PINBASED_CTLS,
					     VP_PIN_POSTED_INTR));
	EXPECT_FALSE(self->eff.enable_apicv);
	EXPECT_FALSE(self->eff.enable_ipiv);
	EXPECT_FALSE(self->ref.nested.pinbased_ctls_high & VP_PIN_POSTED_INTR);

	/* enable_apicv=0 on the command line hides PI from L1 as well. */
	fake_skylake(&self->cpu);
	self->in.enable_apicv = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.pin_based_exec_ctrl & VP_PIN_POSTED_INTR);
	EXPECT_FALSE(self->ref.nested.pinbased_ctls_high & VP_PIN_POSTED_INTR);
	EXPECT_FALSE(self->eff.enable_ipiv);
}

/*
 * The timer's rate against the TSC.  No timer control at all:
 * hw_setup_without_control.
 */
TEST_F(engine, hw_setup_preemption_timer)
{
	static const struct {
		u64 rate;	/* VMX_MISC[4:0]: the TSC divided by 2^rate */
		u32 tsc_khz;	/* 0: KVM assumes 5 GHz */
		bool kept;
	} rows[] = {
		{ 0, 0, false },	/* 5 GHz: too fast */
		{ 5, 2000000, true },	/* 62.5 MHz: slow enough */
		{ 2, 2000000, false },	/* 500 MHz > 429.4967295 MHz */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		fake_set(&self->cpu, VP_MSR_VMX_MISC,
			 (SYN_MISC & ~VP_MISC_TIMER_RATE_MASK) | rows[i].rate);
		self->in.tsc_khz = rows[i].tsc_khz;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].kept, self->eff.preemption_timer)
			TH_LOG("rate %llu at %u kHz", rows[i].rate,
			       rows[i].tsc_khz);
	}
}

TEST_F(engine, hw_setup_shadow_vmcs)
{
	fake_set(&self->cpu, VP_MSR_VMX_MISC,
		 SYN_MISC & ~VP_MISC_VMWRITE_ANY_FIELD);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.enable_shadow_vmcs);
	/* Shadowing is still offered to L1, it is emulated. */
	EXPECT_TRUE(self->ref.nested.secondary_ctls_high & VP_SEC_SHADOW_VMCS);

	/* Only nested_vmx_hardware_setup() touches it. */
	self->in.nested = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->eff.enable_shadow_vmcs);
}

/* ---- nested MSRs (vmx_get_vmx_msr()) ---- */

/* What KVM_GET_MSRS returns for fake_skylake() with default parameters. */
static void expect_nested_skylake(struct __test_metadata *_metadata,
				  const struct vp_config *c)
{
	const u32 exit_high = VP_EXIT_DEFAULT1 | VP_EXIT_HOST_ADDR_SPACE_SIZE |
			      VP_EXIT_LOAD_PAT | VP_EXIT_SAVE_PAT |
			      VP_EXIT_CLEAR_BNDCFGS | VP_EXIT_LOAD_EFER |
			      VP_EXIT_SAVE_EFER | VP_EXIT_SAVE_PREEMPTION_TIMER |
			      VP_EXIT_ACK_INTR_ON_EXIT |
			      VP_EXIT_LOAD_PERF_GLOBAL_CTRL;
	const u32 entry_high = VP_ENTRY_DEFAULT1 | VP_ENTRY_IA32E_MODE |
			       VP_ENTRY_LOAD_PAT | VP_ENTRY_LOAD_BNDCFGS |
			       VP_ENTRY_LOAD_EFER |
			       VP_ENTRY_LOAD_PERF_GLOBAL_CTRL;
	const u32 proc_high = (EXP_CPU & ~VP_CPU_ACTIVATE_TERTIARY) |
			      VP_CPU_DEFAULT1 | VP_CPU_USE_MSR_BITMAPS;
	const u32 sec_high = VP_SEC_DESC_EXITING | VP_SEC_ENABLE_RDTSCP |
			     VP_SEC_VIRT_X2APIC_MODE | VP_SEC_WBINVD_EXITING |
			     VP_SEC_APIC_REGISTER_VIRT |
			     VP_SEC_VIRT_INTR_DELIVERY | VP_SEC_RDRAND_EXITING |
			     VP_SEC_ENABLE_INVPCID | VP_SEC_ENABLE_VMFUNC |
			     VP_SEC_RDSEED_EXITING | VP_SEC_ENABLE_XSAVES |
			     VP_SEC_TSC_SCALING | VP_SEC_USER_WAIT_PAUSE |
			     VP_SEC_SHADOW_VMCS | VP_SEC_ENABLE_EPT |
			     VP_SEC_ENABLE_PML | VP_SEC_ENABLE_VPID |
			     VP_SEC_UNRESTRICTED_GUEST |
			     VP_SEC_VIRT_APIC_ACCESSES;
	const u32 ept = VP_EPT_PAGE_WALK_4 | VP_EPT_MT_WB | VP_EPT_INVEPT |
			VP_EPT_EXECUTE_ONLY | VP_EPT_INVEPT_ALL_CTX |
			VP_EPT_INVEPT_SINGLE_CTX | VP_EPT_2MB_PAGE |
			VP_EPT_1GB_PAGE | VP_EPT_AD;
	const struct {
		u32 index;
		u64 val;
	} want[] = {
		{ VP_MSR_VMX_BASIC, 0x00d8100011e57ed0ULL },
		{ VP_MSR_VMX_PINBASED_CTLS, 0x000000ff00000016ULL },
		{ VP_MSR_VMX_PROCBASED_CTLS, ctls(VP_CPU_DEFAULT1, proc_high) },
		{ VP_MSR_VMX_EXIT_CTLS, ctls(VP_EXIT_DEFAULT1, exit_high) },
		{ VP_MSR_VMX_ENTRY_CTLS, ctls(VP_ENTRY_DEFAULT1, entry_high) },
		{ VP_MSR_VMX_MISC, 0x20000165ULL },
		{ VP_MSR_VMX_CR0_FIXED0, 0x80000021ULL },
		{ VP_MSR_VMX_CR0_FIXED1, 0xffffffffULL },
		{ VP_MSR_VMX_CR4_FIXED0, 0x2000ULL },
		{ VP_MSR_VMX_CR4_FIXED1, SYN_CR4_FIXED1 | VP_CR4_UMIP },
		{ VP_MSR_VMX_VMCS_ENUM, 0x32ULL },
		{ VP_MSR_VMX_PROCBASED_CTLS2, ctls(0, sec_high) },
		{ VP_MSR_VMX_EPT_VPID_CAP, ctls(ept, SYN_VPID) },
		{ VP_MSR_VMX_TRUE_PINBASED_CTLS, 0x000000ff00000016ULL },
		{ VP_MSR_VMX_TRUE_PROCBASED_CTLS,
		  ctls(VP_CPU_DEFAULT1 & ~(VP_CPU_CR3_LOAD_EXITING |
					   VP_CPU_CR3_STORE_EXITING),
		       proc_high) },
		{ VP_MSR_VMX_TRUE_EXIT_CTLS,
		  ctls(VP_EXIT_DEFAULT1 & ~VP_EXIT_SAVE_DEBUG_CONTROLS,
		       exit_high) },
		{ VP_MSR_VMX_TRUE_ENTRY_CTLS,
		  ctls(VP_ENTRY_DEFAULT1 & ~VP_ENTRY_LOAD_DEBUG_CONTROLS,
		       entry_high) },
		{ VP_MSR_VMX_VMFUNC, VP_VMFUNC_EPTP_SWITCHING },
	};
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		val = ~0ULL;
		EXPECT_EQ(0, vp_nested_msr(c, want[i].index, &val));
		EXPECT_EQ(want[i].val, val) {
			TH_LOG("MSR %#x: want %#llx got %#llx", want[i].index,
			       want[i].val, val);
		}
	}
	EXPECT_EQ(18, ARRAY_SIZE(want));
	EXPECT_EQ(-ENOENT, vp_nested_msr(c, VP_MSR_VMX_PROCBASED_CTLS3, &val));
	EXPECT_EQ(-ENOENT, vp_nested_msr(c, VP_MSR_VMX_EXIT_CTLS2, &val));
	EXPECT_EQ(-ENOENT, vp_nested_msr(c, VP_MSR_FEAT_CTL, &val));
}

/* 6.1 and 6.12 set up the same controls and nested MSRs for this CPU. */
TEST_F(engine, reference_and_nested_6_1_and_6_12)
{
	static const enum vp_kvm kvms[] = { VP_KVM_6_1, VP_KVM_6_12 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvms); i++) {
		params(&self->in, kvms[i]);
		ASSERT_EQ(0, compute_ref(self));
		expect_reference_skylake(_metadata, &self->ref);
		expect_nested_skylake(_metadata, &self->ref);
	}
}

TEST_F(engine, nested_msrs_minimal_cpu)
{
	u64 val;

	/*
	 * A CPU with only what KVM requires: no secondary controls, no
	 * INS/OUTS information.  Everything optional in nested is emulated.
	 */
	fake_set(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS,
		 ctls(VP_CPU_DEFAULT1, VP_CPU_DEFAULT1 | EXP_CPU_REQ));
	fake_set(&self->cpu, VP_MSR_VMX_PINBASED_CTLS, ctls(0x16, 0x1f));
	fake_set(&self->cpu, VP_MSR_VMX_EXIT_CTLS,
		 ctls(VP_EXIT_DEFAULT1, VP_EXIT_DEFAULT1 |
		      VP_EXIT_HOST_ADDR_SPACE_SIZE | VP_EXIT_ACK_INTR_ON_EXIT));
	fake_set(&self->cpu, VP_MSR_VMX_ENTRY_CTLS,
		 ctls(VP_ENTRY_DEFAULT1, VP_ENTRY_DEFAULT1 |
		      VP_ENTRY_IA32E_MODE));
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP, 0);
	fake_set(&self->cpu, VP_MSR_VMX_BASIC, SYN_BASIC & ~VP_BASIC_INOUT);
	fake_set(&self->cpu, VP_MSR_VMX_MISC, 0);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->eff.ept || self->eff.vpid || self->eff.flexpriority);

	ASSERT_EQ(0, vp_nested_msr(&self->ref, VP_MSR_VMX_BASIC, &val));
	EXPECT_EQ(0x0098100011e57ed0ULL, val);
	ASSERT_EQ(0, vp_nested_msr(&self->ref, VP_MSR_VMX_TRUE_PINBASED_CTLS,
				   &val));
	EXPECT_EQ(ctls(0x16, 0x16 | VP_PIN_EXT_INTR_EXITING |
		       VP_PIN_NMI_EXITING | VP_PIN_PREEMPTION_TIMER), val);
	ASSERT_EQ(0,
		  vp_nested_msr(&self->ref, VP_MSR_VMX_PROCBASED_CTLS2, &val));
	EXPECT_EQ(ctls(0, VP_SEC_SHADOW_VMCS), val);
	ASSERT_EQ(0, vp_nested_msr(&self->ref, VP_MSR_VMX_EPT_VPID_CAP, &val));
	EXPECT_EQ(0, val);
	ASSERT_EQ(0, vp_nested_msr(&self->ref, VP_MSR_VMX_VMFUNC, &val));
	EXPECT_EQ(0, val);
	ASSERT_EQ(0, vp_nested_msr(&self->ref, VP_MSR_VMX_MISC, &val));
	EXPECT_EQ(0x20000145ULL, val);
	ASSERT_EQ(0, vp_nested_msr(&self->ref, VP_MSR_VMX_CR4_FIXED1, &val));
	EXPECT_EQ(SYN_CR4_FIXED1, val);
	ASSERT_EQ(0,
		  vp_nested_msr(&self->ref, VP_MSR_VMX_PROCBASED_CTLS, &val));
	EXPECT_EQ(ctls(VP_CPU_DEFAULT1, VP_CPU_DEFAULT1 | EXP_CPU_REQ |
		       VP_CPU_USE_MSR_BITMAPS), val);
}

TEST_F(engine, nested_disabled)
{
	struct vp_nested_msrs zero = { 0 };
	u64 val;

	self->in.nested = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.nested_enabled);
	EXPECT_EQ(0, memcmp(&zero, &self->ref.nested, sizeof(zero)));
	EXPECT_EQ(-ENOENT, vp_nested_msr(&self->ref, VP_MSR_VMX_BASIC, &val));
}

TEST_F(engine, compat_uses_global_config)
{
	/*
	 * nested_vmx_setup_ctls_msrs() asks the global vmcs_config for
	 * INS/OUTS info and UMIP emulation even on the per-CPU run.
	 */
	params(&self->in, VP_KVM_6_1);
	ASSERT_EQ(0, compute_ref(self));

	fake_set(&self->cpu, VP_MSR_VMX_BASIC, SYN_BASIC & ~VP_BASIC_INOUT);
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_DESC_EXITING);
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_TRUE(self->c.nested.basic & VP_BASIC_INOUT);
	EXPECT_TRUE(self->c.nested.cr4_fixed1 & VP_CR4_UMIP);
	/* basic, secondary_exec_ctrl, nested.secondary_ctls_high */
	EXPECT_EQ(3, vp_config_compare(&self->ref, &self->c, NULL, NULL));
}

/* ---- comparison ---- */

struct diff_log {
	unsigned int n;
	const struct vp_field *f[8];
	u64 ref[8], cpu[8];
};

static void record_diff(void *ctx, const struct vp_field *f, u64 ref, u64 cpu)
{
	struct diff_log *d = ctx;

	if (d->n < 8) {
		d->f[d->n] = f;
		d->ref[d->n] = ref;
		d->cpu[d->n] = cpu;
	}
	d->n++;
}

TEST_F(engine, compare_identical)
{
	struct diff_log d = { 0 };
	int v;

	for (v = VP_KVM_6_1; v < VP_KVM_NR; v++) {
		fake_skylake(&self->cpu);
		params(&self->in, v);
		ASSERT_EQ(0, compute_ref(self));
		ASSERT_EQ(0, compute_cpu(self));
		EXPECT_EQ(0, vp_config_compare(&self->ref, &self->c,
					       record_diff, &d));
		EXPECT_EQ(0, d.n);
	}
}

TEST_F(engine, compare_reports_exactly_the_field)
{
	struct diff_log d = { 0 };

	ASSERT_EQ(0, compute_ref(self));
	fake_set(&self->cpu, VP_MSR_VMX_CR4_FIXED1,
		 SYN_CR4_FIXED1 & ~VP_CR4_SMEP);
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_EQ(1, vp_config_compare(&self->ref, &self->c, record_diff, &d));
	ASSERT_EQ(1, d.n);
	EXPECT_STREQ("nested.cr4_fixed1", d.f[0]->name);
	EXPECT_EQ(SYN_CR4_FIXED1 | VP_CR4_UMIP, d.ref[0]);
	EXPECT_EQ((SYN_CR4_FIXED1 & ~VP_CR4_SMEP) | VP_CR4_UMIP, d.cpu[0]);

	/* MISC differing in a bit nested ignores: only "misc". */
	fake_skylake(&self->cpu);
	fake_set(&self->cpu, VP_MSR_VMX_MISC,
		 SYN_MISC & ~VP_MISC_ACTIVITY_SHUTDOWN);
	d.n = 0;
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_EQ(1, vp_config_compare(&self->ref, &self->c, record_diff, &d));
	EXPECT_STREQ("misc", d.f[0]->name);
}

TEST_F(engine, compare_ignores_vmx_capability)
{
	struct diff_log d = { 0 };

	/*
	 * KVM's memcmp() covers vmcs_config, not vmx_capability: EPT bits
	 * that nested does not pass on make no difference.
	 */
	ASSERT_EQ(0, compute_ref(self));
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT & ~VP_EPT_ADV_EXIT_INFO,
		      SYN_VPID & ~VP_VPID_INVVPID_ADDR));
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_NE(self->ref.ept_caps, self->c.ept_caps);
	EXPECT_NE(self->ref.vpid_caps, self->c.vpid_caps);
	EXPECT_EQ(0, vp_config_compare(&self->ref, &self->c, record_diff, &d));

	/* ... but ones it passes on do, via nested.ept_caps. */
	fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
		 ctls(SYN_EPT & ~VP_EPT_EXECUTE_ONLY, SYN_VPID));
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_EQ(1, vp_config_compare(&self->ref, &self->c, record_diff, &d));
	EXPECT_STREQ("nested.ept_caps", d.f[0]->name);
}

TEST_F(engine, compare_nested_off)
{
	params(&self->in, VP_KVM_6_1);
	self->in.nested = false;
	ASSERT_EQ(0, compute_ref(self));
	fake_set(&self->cpu, VP_MSR_VMX_CR4_FIXED1, 0);
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_EQ(0, vp_config_compare(&self->ref, &self->c, NULL, NULL));
	EXPECT_FALSE(log_has(&self->cpu, 'm', VP_MSR_VMX_CR4_FIXED1));
}

TEST_F(engine, compat_failure_on_one_cpu)
{
	ASSERT_EQ(0, compute_ref(self));
	fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS, 0, VP_EXIT_LOAD_EFER);
	EXPECT_EQ(-EIO, compute_cpu(self));
	EXPECT_EQ(VP_ERR_ENTRY_EXIT_PAIR, self->c.diag.error);

	/* With the knob off it computes, and differs in entry and exit. */
	self->eff.error_on_inconsistent_vmcs_config = false;
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_TRUE(self->c.diag.warnings & VP_WARN_ENTRY_EXIT_PAIR);
	EXPECT_EQ(2, vp_config_compare(&self->ref, &self->c, NULL, NULL));
}

/* ---- __kvm_is_vmx_supported() ---- */

TEST(vmx_support)
{
	EXPECT_EQ(VP_VMX_UNSUPPORTED, vp_vmx_support(false, true, 5, false));
	EXPECT_EQ(VP_VMX_DISABLED, vp_vmx_support(true, false, 0, false));
	EXPECT_EQ(VP_VMX_OK, vp_vmx_support(true, true, 0x5, false));
	EXPECT_EQ(VP_VMX_DISABLED, vp_vmx_support(true, true, 0x1, false));
	EXPECT_EQ(VP_VMX_DISABLED, vp_vmx_support(true, true, 0x3, false));
	EXPECT_EQ(VP_VMX_OK, vp_vmx_support(true, true, 0x3, true));
	EXPECT_EQ(VP_VMX_DISABLED, vp_vmx_support(true, true, 0x5, true));
	/* Unlocked: the kernel locks it itself with VMX enabled. */
	EXPECT_EQ(VP_VMX_OK, vp_vmx_support(true, true, 0, false));
	EXPECT_STREQ("disabled", vp_support_name(VP_VMX_DISABLED));
}

/* ---- tables ---- */

/* A member of struct vp_config, as the field table must describe it. */
#define FIELD(member)							\
	{ #member, offsetof(struct vp_config, member),			\
	  sizeof(((struct vp_config *)0)->member) }

TEST(field_table_layout)
{
	static const struct {
		const char *name;
		size_t offset, size;
	} want[] = {
		FIELD(basic),
		FIELD(revision_id),
		FIELD(vmcs_size),
		FIELD(order),
		FIELD(pin_based_exec_ctrl),
		FIELD(cpu_based_exec_ctrl),
		FIELD(secondary_exec_ctrl),
		FIELD(tertiary_exec_ctrl),
		FIELD(vmexit_ctrl),
		FIELD(vmentry_ctrl),
		FIELD(misc),
		FIELD(ept_caps),
		FIELD(vpid_caps),
		FIELD(nested.basic),
		FIELD(nested.pinbased_ctls_low),
		FIELD(nested.pinbased_ctls_high),
		FIELD(nested.procbased_ctls_low),
		FIELD(nested.procbased_ctls_high),
		FIELD(nested.exit_ctls_low),
		FIELD(nested.exit_ctls_high),
		FIELD(nested.entry_ctls_low),
		FIELD(nested.entry_ctls_high),
		FIELD(nested.misc_low),
		FIELD(nested.misc_high),
		FIELD(nested.cr0_fixed0),
		FIELD(nested.cr0_fixed1),
		FIELD(nested.cr4_fixed0),
		FIELD(nested.cr4_fixed1),
		FIELD(nested.vmcs_enum),
		FIELD(nested.secondary_ctls_low),
		FIELD(nested.secondary_ctls_high),
		FIELD(nested.ept_caps),
		FIELD(nested.vpid_caps),
		FIELD(nested.vmfunc_controls),
	};
	unsigned int i, compared = 0;

	ASSERT_EQ(ARRAY_SIZE(want), vp_nr_fields);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct vp_field *f = vp_field_find(want[i].name);

		ASSERT_NE(NULL, f) TH_LOG("no field %s", want[i].name);
		EXPECT_EQ(want[i].offset, f->offset) TH_LOG("%s", f->name);
		EXPECT_EQ(want[i].size, f->size) TH_LOG("%s", f->name);
		if (f->flags & VP_FIELD_COMPARED)
			compared++;
	}
	/* vmcs_config: basic, 6 controls, misc and the 21 nested members. */
	EXPECT_EQ(8 + 21, compared);
	EXPECT_EQ(NULL, vp_field_find("nope"));
}

static void check_bit_table(struct __test_metadata *_metadata,
			    const struct vp_bit *t, unsigned int max_bits)
{
	const struct vp_bit *b, *o;

	ASSERT_NE(NULL, t);
	for (b = t; b->id; b++) {
		EXPECT_NE(NULL, b->name);
		EXPECT_LT(0, b->width);
		EXPECT_LE((unsigned int)b->lo + b->width, max_bits)
			TH_LOG("%s", b->id);
		if (b != t)
			EXPECT_LT(b[-1].lo, b->lo) TH_LOG("%s unsorted", b->id);
		for (o = t; o != b; o++) {
			EXPECT_LE((unsigned int)o->lo + o->width, b->lo)
				TH_LOG("%s overlaps %s", b->id, o->id);
			EXPECT_NE(0, strcmp(o->id, b->id));
		}
	}
}

TEST(bit_tables)
{
	unsigned int i;

	check_bit_table(_metadata, vp_feat_ctl_bits, 64);
	check_bit_table(_metadata, vp_basic_bits, 64);
	check_bit_table(_metadata, vp_pin_bits, 32);
	check_bit_table(_metadata, vp_cpu_bits, 32);
	check_bit_table(_metadata, vp_sec_bits, 32);
	check_bit_table(_metadata, vp_ter_bits, 64);
	check_bit_table(_metadata, vp_exit_bits, 32);
	check_bit_table(_metadata, vp_exit2_bits, 64);
	check_bit_table(_metadata, vp_entry_bits, 32);
	check_bit_table(_metadata, vp_misc_bits, 64);
	check_bit_table(_metadata, vp_ept_bits, 32);
	check_bit_table(_metadata, vp_vpid_bits, 32);
	check_bit_table(_metadata, vp_vmfunc_bits, 64);
	check_bit_table(_metadata, vp_vmcs_enum_bits, 64);
	check_bit_table(_metadata, vp_cr0_bits, 64);
	check_bit_table(_metadata, vp_cr4_bits, 64);
	for (i = 0; i < vp_nr_fields; i++)
		if (vp_fields[i].bits)
			check_bit_table(_metadata, vp_fields[i].bits, 64);

	/* Every bit KVM asks for has a name (default1 bits are reserved). */
	for (i = 0; i < 32; i++) {
		if ((EXP_CPU & ~VP_CPU_DEFAULT1) & BIT(i))
			EXPECT_NE(NULL, vp_bit_find(vp_cpu_bits, i));
		if (EXP_SEC & BIT(i))
			EXPECT_NE(NULL, vp_bit_find(vp_sec_bits, i));
		if ((EXP_EXIT & ~VP_EXIT_DEFAULT1) & BIT(i))
			EXPECT_NE(NULL, vp_bit_find(vp_exit_bits, i));
	}
	EXPECT_STREQ("EXT_INTR_EXITING", vp_bit_find(vp_pin_bits, 0)->id);
	EXPECT_STREQ("External interrupt exiting",
		     vp_bit_find(vp_pin_bits, 0)->name);
	EXPECT_STREQ("VMCS_SIZE", vp_bit_find(vp_basic_bits, 40)->id);
	EXPECT_EQ(NULL, vp_bit_find(vp_pin_bits, 1));
}

TEST(msr_table)
{
	u32 index;

	EXPECT_EQ(21, vp_nr_msrs);
	EXPECT_NE(NULL, vp_msr_find(VP_MSR_FEAT_CTL));
	for (index = VP_MSR_VMX_BASIC; index <= VP_MSR_VMX_EXIT_CTLS2; index++) {
		const struct vp_msr *m = vp_msr_find(index);

		ASSERT_NE(NULL, m) TH_LOG("MSR %#x missing", index);
		EXPECT_NE(NULL, m->bits);
		EXPECT_EQ(0, strncmp(m->id, "IA32_VMX_", 9));
	}
	EXPECT_EQ(VP_MSR_KIND_CTLS64,
		  vp_msr_find(VP_MSR_VMX_PROCBASED_CTLS3)->kind);
	EXPECT_EQ(VP_MSR_KIND_EPT_VPID,
		  vp_msr_find(VP_MSR_VMX_EPT_VPID_CAP)->kind);
	EXPECT_EQ(&vp_vpid_bits[0],
		  vp_msr_find(VP_MSR_VMX_EPT_VPID_CAP)->hi_bits);
	EXPECT_EQ(NULL, vp_msr_find(0x494));
}

TEST(names)
{
	EXPECT_STREQ("6.1", vp_kvm_name(VP_KVM_6_1));
	EXPECT_STREQ("6.12", vp_kvm_name(VP_KVM_6_12));
	EXPECT_STREQ("none", vp_error_name(VP_ERR_NONE));
	EXPECT_STREQ("VMCS memory type not write-back",
		     vp_error_name(VP_ERR_VMCS_MEMTYPE));
	EXPECT_STREQ("?", vp_error_name(VP_ERR_NR));
}

/*
 * KVM itself as the oracle, on the Bochs captures (selftests/vmcs_probe/data,
 * made by tools/vm/capture): each model's snapshot (raw MSRs, CPUID words
 * and boot-CPU facts) and the 18 values KVM_GET_MSRS on /dev/kvm returned
 * there with kvm_intel's defaults (MODEL.kvm_nested_msrs).  Every capture
 * in the folder is checked; the models issue 4 asks for must be there.
 */
static const char *const required_models[] = {
	"corei7_skylake_x", "corei7_icelake_u", "corei7_haswell_4770",
	"tigerlake",
};

/*
 * Captures whose KVM values were also seen on another kernel: on Debian
 * 6.1.0-56, kvm_oracle_test on Bochs corei7_skylake_x found KVM's 18
 * values identical to the 6.12 capture's.
 */
static const struct {
	const char *model;
	enum vp_kvm kvm;
} also_seen_on[] = {
	{ "corei7_skylake_x", VP_KVM_6_1 },
};

#define NR_KVM_NESTED_MSRS	18	/* 0x480 .. 0x491 */

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n = -1;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET))
		buf = malloc(n + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* "0x<index> 0x<value>" a line, each of 0x480..0x491 once, in order. */
static int read_kvm_msrs(const char *path, u64 *vals)
{
	unsigned long long index, val;
	FILE *f = fopen(path, "r");
	unsigned int n = 0;

	if (!f)
		return -1;
	while (n < NR_KVM_NESTED_MSRS &&
	       fscanf(f, "%llx %llx", &index, &val) == 2) {
		if (index != VP_MSR_VMX_BASIC + n)
			break;
		vals[n++] = val;
	}
	fclose(f);
	return n == NR_KVM_NESTED_MSRS ? 0 : -1;
}

/*
 * The engine, fed CPU 0 of a capture with KVM's default parameters and
 * the capture's boot-CPU facts, must give what KVM itself gave: as the
 * KVM the capture was made under, or as @other_kvm when that is >= 0.
 */
static void check_capture(struct __test_metadata *_metadata,
			  const char *model, int other_kvm)
{
	char snap_path[512], kvm_path[512], *text;
	struct vp_snapshot_error err = { 0 };
	u64 want[NR_KVM_NESTED_MSRS];
	static struct vp_snapshot snap;
	struct vp_params in, eff;
	struct vp_config ref;
	struct vp_reader r;
	enum vp_kvm kvm;
	unsigned int j;
	size_t len = 0;
	int rc;

	snprintf(snap_path, sizeof(snap_path), "%s/%s.snapshot", VP_DATA_DIR,
		 model);
	snprintf(kvm_path, sizeof(kvm_path), "%s/%s.kvm_nested_msrs",
		 VP_DATA_DIR, model);
	text = read_text(snap_path, &len);
	ASSERT_NE(NULL, text) TH_LOG("cannot read %s", snap_path);
	rc = vp_snapshot_parse(text, len, &snap, &err);
	free(text);
	ASSERT_EQ(0, rc) TH_LOG("%s:%u: %s", snap_path, err.line, err.msg);
	ASSERT_EQ(0, read_kvm_msrs(kvm_path, want))
		TH_LOG("%s: not 18 lines 0x480..0x491", kvm_path);

	ASSERT_TRUE(snap.hdr.present & VP_SNAP_HAS_KVM)
		TH_LOG("%s: no kvm line", snap_path);
	kvm = other_kvm >= 0 ? (enum vp_kvm)other_kvm : snap.hdr.kvm;
	vp_params_defaults(&in, kvm);
	vp_snapshot_fill_params(&snap.hdr, &snap.cpus[0], &in);
	vp_raw_reader(&r, &snap.cpus[0].raw);
	ASSERT_EQ(0, vp_compute_reference(&in, &r, &ref, &eff))
		TH_LOG("%s, KVM %s", model, vp_kvm_name(kvm));
	for (j = 0; j < NR_KVM_NESTED_MSRS; j++) {
		u64 val = 0;

		ASSERT_EQ(0, vp_nested_msr(&ref, VP_MSR_VMX_BASIC + j, &val));
		EXPECT_EQ(want[j], val)
			TH_LOG("%s, KVM %s: MSR %#x: KVM %#llx, engine %#llx",
			       model, vp_kvm_name(kvm), VP_MSR_VMX_BASIC + j,
			       (unsigned long long)want[j],
			       (unsigned long long)val);
	}
}

/*
 * 6.12 on Hyper-V with an enlightened VMCS, on the Skylake-X capture.  The
 * masks are KVM's EVMCS1_SUPPORTED_* of vmx/hyperv_evmcs.h (6.12.117),
 * spelled out here as numbers from the SDM bit of each control KVM lists,
 * independently of the engine's own VP_EVMCS_* macros.
 */
#define KVM_EVMCS1_PINCTRL	0x0000003fu	/* default1, 0, 3, 5 */
#define KVM_EVMCS1_EXEC_CTRL	0xfff9fffeu	/* all but 0, 17, 18 */
#define KVM_EVMCS1_2NDEXEC	0xc71998feu
#define KVM_EVMCS1_VMEXIT_CTRL	0x03bfffffu	/* no 22, 26..31 */
#define KVM_EVMCS1_VMENTRY_CTRL	0x0007f3ffu	/* no 10, 11, 19.. */

TEST(evmcs_skylake_x_capture)
{
	char path[512], *text;
	struct vp_snapshot_error err = { 0 };
	static struct vp_snapshot snap;
	struct vp_params in, eff, plain_eff;
	struct vp_config ref, plain;
	struct vp_reader r;
	size_t len = 0;
	u64 val;

	snprintf(path, sizeof(path), "%s/corei7_skylake_x.snapshot",
		 VP_DATA_DIR);
	text = read_text(path, &len);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, vp_snapshot_parse(text, len, &snap, &err))
		TH_LOG("%s:%u: %s", path, err.line, err.msg);
	free(text);

	vp_params_defaults(&in, VP_KVM_6_12);
	vp_snapshot_fill_params(&snap.hdr, &snap.cpus[0], &in);
	vp_raw_reader(&r, &snap.cpus[0].raw);
	ASSERT_EQ(0, vp_compute_reference(&in, &r, &plain, &plain_eff));
	in.hyperv_evmcs_usable = true;
	ASSERT_EQ(0, vp_compute_reference(&in, &r, &ref, &eff));

	/* Each control word is the plain one under KVM's mask ... */
	EXPECT_EQ(plain.pin_based_exec_ctrl & KVM_EVMCS1_PINCTRL,
		  ref.pin_based_exec_ctrl);
	EXPECT_EQ(plain.cpu_based_exec_ctrl & KVM_EVMCS1_EXEC_CTRL,
		  ref.cpu_based_exec_ctrl);
	EXPECT_EQ(plain.secondary_exec_ctrl & KVM_EVMCS1_2NDEXEC,
		  ref.secondary_exec_ctrl);
	EXPECT_EQ(0, ref.tertiary_exec_ctrl);
	EXPECT_EQ(plain.vmexit_ctrl & KVM_EVMCS1_VMEXIT_CTRL, ref.vmexit_ctrl);
	EXPECT_EQ(plain.vmentry_ctrl & KVM_EVMCS1_VMENTRY_CTRL,
		  ref.vmentry_ctrl);
	EXPECT_TRUE(ref.diag.warnings & VP_WARN_EVMCS_SANITIZED);

	/*
	 * ... which on this capture is: pin-based 0x7f -> 0x3f (the CPU has
	 * no posted interrupts, so 0x7f, not 0xff, before), secondary
	 * 0x2137fff -> 0x21118fe, VM-exit 0x7fffff -> 0x3fffff; primary and
	 * VM-entry keep every bit.
	 */
	EXPECT_EQ(0x7f, plain.pin_based_exec_ctrl);
	EXPECT_EQ(0x3f, ref.pin_based_exec_ctrl);
	EXPECT_EQ(0x2137fff, plain.secondary_exec_ctrl);
	EXPECT_EQ(0x21118fe, ref.secondary_exec_ctrl);
	EXPECT_EQ(0x7fffff, plain.vmexit_ctrl);
	EXPECT_EQ(0x3fffff, ref.vmexit_ctrl);
	EXPECT_EQ(plain.cpu_based_exec_ctrl, ref.cpu_based_exec_ctrl);
	EXPECT_EQ(plain.vmentry_ctrl, ref.vmentry_ctrl);

	/* Without VMFUNC in the config, L1 gets no EPTP switching. */
	ASSERT_EQ(0, vp_nested_msr(&plain, VP_MSR_VMX_VMFUNC, &val));
	EXPECT_EQ(1, val);
	ASSERT_EQ(0, vp_nested_msr(&ref, VP_MSR_VMX_VMFUNC, &val));
	EXPECT_EQ(0, val);
	ASSERT_EQ(0, vp_nested_msr(&ref, VP_MSR_VMX_PROCBASED_CTLS2, &val));
	EXPECT_EQ(0x21358feULL << 32, val);

	/* The parameters that need the dropped controls go off. */
	EXPECT_TRUE(eff.enlightened_vmcs);
	EXPECT_FALSE(eff.pml);
	EXPECT_FALSE(eff.enable_shadow_vmcs);
	EXPECT_EQ(0, eff.ple_gap);
	EXPECT_TRUE(plain_eff.pml && plain_eff.enable_shadow_vmcs);

	/* enlightened_vmcs=0: KVM does not use eVMCS, nothing is trimmed. */
	in.enlightened_vmcs = false;
	ASSERT_EQ(0, vp_compute_reference(&in, &r, &ref, &eff));
	EXPECT_EQ(0, vp_config_compare(&plain, &ref, NULL, NULL));
	EXPECT_FALSE(eff.enlightened_vmcs);
}

TEST(kvm_oracle_bochs_captures)
{
	const char *suffix = ".kvm_nested_msrs";
	unsigned int i, found = 0;
	struct dirent *de;
	DIR *dir;

	for (i = 0; i < ARRAY_SIZE(required_models); i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s%s", VP_DATA_DIR,
			 required_models[i], suffix);
		EXPECT_EQ(0, access(path, R_OK))
			TH_LOG("no capture of %s (%s)", required_models[i], path);
	}

	dir = opendir(VP_DATA_DIR);
	ASSERT_NE(NULL, dir) TH_LOG("cannot open %s", VP_DATA_DIR);
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name), k = strlen(suffix);
		char model[256];

		if (n <= k || n - k >= sizeof(model) ||
		    strcmp(de->d_name + n - k, suffix))
			continue;
		snprintf(model, sizeof(model), "%.*s", (int)(n - k), de->d_name);
		check_capture(_metadata, model, -1);
		found++;
	}
	closedir(dir);
	EXPECT_LE(ARRAY_SIZE(required_models), found);

	for (i = 0; i < ARRAY_SIZE(also_seen_on); i++)
		check_capture(_metadata, also_seen_on[i].model,
			      also_seen_on[i].kvm);
}

/*
 * report.c: the status words of the module and of vmcsctl come from these
 * two rules.  The overall status follows KVM's order: the loading CPU's
 * VMX, then the setup, then the CPUs.  A failed setup is an error even
 * where another CPU lacks VMX (the module said "error" there, vmcsctl
 * "unsupported", before both used this rule).
 */
TEST(report_overall_order)
{
	struct vp_overall_tally none = { 0 };
	struct vp_overall_tally novmx = { .unsupported = true };
	struct vp_overall_tally both = { .unsupported = true,
					 .inconsistent = true };
	struct vp_overall_tally differ = { .inconsistent = true };

	EXPECT_EQ(VP_OVERALL_UNSUPPORTED,
		  vp_overall_judge(VP_VMX_UNSUPPORTED, -EIO, &differ));
	EXPECT_EQ(VP_OVERALL_UNSUPPORTED,
		  vp_overall_judge(VP_VMX_DISABLED, 0, &none));
	EXPECT_EQ(VP_OVERALL_ERROR, vp_overall_judge(VP_VMX_OK, -EIO, &novmx));
	EXPECT_EQ(VP_OVERALL_ERROR, vp_overall_judge(VP_VMX_OK, -EIO, &none));
	EXPECT_EQ(VP_OVERALL_UNSUPPORTED, vp_overall_judge(VP_VMX_OK, 0, &both));
	EXPECT_EQ(VP_OVERALL_INCONSISTENT,
		  vp_overall_judge(VP_VMX_OK, 0, &differ));
	EXPECT_EQ(VP_OVERALL_CONSISTENT, vp_overall_judge(VP_VMX_OK, 0, &none));
	EXPECT_STREQ("error", vp_overall_names[VP_OVERALL_ERROR]);
}

TEST(report_compat_judge)
{
	static struct vp_config ref, cfg;
	struct vp_overall_tally t = { 0 };

	ref.pin_based_exec_ctrl = cfg.pin_based_exec_ctrl = 0x16;
	EXPECT_EQ(VP_COMPAT_UNSUPPORTED,
		  vp_compat_judge(VP_VMX_UNSUPPORTED, -EIO, &ref, &cfg, NULL,
				  NULL));
	EXPECT_EQ(VP_COMPAT_DISABLED,
		  vp_compat_judge(VP_VMX_DISABLED, 0, &ref, &cfg, NULL, NULL));
	EXPECT_EQ(VP_COMPAT_OK,
		  vp_compat_judge(VP_VMX_OK, 0, &ref, &cfg, NULL, NULL));
	EXPECT_EQ(VP_COMPAT_ERROR,
		  vp_compat_judge(VP_VMX_OK, -EIO, &ref, &cfg, NULL, NULL));
	cfg.pin_based_exec_ctrl = 0x7f;
	EXPECT_EQ(VP_COMPAT_MISMATCH,
		  vp_compat_judge(VP_VMX_OK, 0, &ref, &cfg, NULL, NULL));
	/* A faulting unchecked read outranks everything but VMX support. */
	cfg.diag.warnings = VP_WARN_RDMSR_FAULT;
	EXPECT_EQ(VP_COMPAT_FAULT,
		  vp_compat_judge(VP_VMX_OK, -EIO, &ref, &cfg, NULL, NULL));
	vp_overall_add(&t, VP_COMPAT_FAULT);
	EXPECT_TRUE(t.inconsistent);
	EXPECT_FALSE(t.unsupported);
	vp_overall_add(&t, VP_COMPAT_DISABLED);
	EXPECT_TRUE(t.unsupported);
	EXPECT_STREQ("mismatch", vp_compat_names[VP_COMPAT_MISMATCH]);
}

/* ---- the version table: 7.2 and 7.3 (engine.c's catalogue) ---- */

TEST(kvm_for_kernel)
{
	static const struct {
		unsigned int major, minor;
		enum vp_kvm kvm;
		bool exact;
	} rows[] = {
		{ 5, 10, VP_KVM_6_1, false }, { 6, 1, VP_KVM_6_1, true },
		{ 6, 6, VP_KVM_6_1, false }, { 6, 12, VP_KVM_6_12, true },
		{ 7, 1, VP_KVM_6_12, false }, { 7, 2, VP_KVM_7_2, true },
		{ 7, 3, VP_KVM_7_3, true }, { 7, 9, VP_KVM_7_3, false },
		{ 8, 0, VP_KVM_7_3, false },
	};
	unsigned int i;
	bool exact;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		EXPECT_EQ(rows[i].kvm, vp_kvm_for_kernel(rows[i].major,
							 rows[i].minor, &exact));
		EXPECT_EQ(rows[i].exact, exact);
	}
	EXPECT_STREQ("7.3", vp_kvm_name(VP_KVM_7_3));
	EXPECT_EQ(7, vp_kvm_version(VP_KVM_7_2)->major);
}

TEST(params_cet_mbec_exist_from_7_2)
{
	const struct vp_kvm_param *cet = vp_kvm_param_find("cet", 3);
	const struct vp_kvm_param *mbec = vp_kvm_param_find("mbec", 4);
	struct vp_params p;

	ASSERT_TRUE(cet && mbec);
	params(&p, VP_KVM_6_12);
	EXPECT_FALSE(vp_kvm_param_exists(&p, cet));
	EXPECT_FALSE(vp_kvm_param_exists(&p, mbec));
	params(&p, VP_KVM_7_2);
	EXPECT_TRUE(vp_kvm_param_exists(&p, cet));
	EXPECT_TRUE(vp_kvm_param_exists(&p, mbec));
	EXPECT_TRUE(p.enable_cet && p.enable_mbec);
}

/* A CPU with the CET entry/exit controls and VMX_BASIC[56]. */
static void fake_cet(struct fake_cpu *c)
{
	fake_skylake(c);
	fake_allow(c, VP_MSR_VMX_EXIT_CTLS, VP_EXIT_LOAD_CET_STATE, 0);
	fake_allow(c, VP_MSR_VMX_ENTRY_CTLS, VP_ENTRY_LOAD_CET_STATE, 0);
	fake_set(c, VP_MSR_VMX_BASIC, SYN_BASIC | VP_BASIC_NO_HW_ERRCODE_CHECK);
}

/* The host as KVM's CET capabilities want it. */
static void params_cet(struct vp_params *p, enum vp_kvm kvm)
{
	params(p, kvm);
	p->boot_cpu_shstk = true;
	p->boot_cpu_ibt = true;
	p->host_xss_cet = true;
}

TEST_F(engine, cet_controls_7_2)
{
	fake_cet(&self->cpu);
	params_cet(&self->in, VP_KVM_6_12);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.vmexit_ctrl & VP_EXIT_LOAD_CET_STATE);
	EXPECT_FALSE(self->ref.nested.exit_ctls_high & VP_EXIT_LOAD_CET_STATE);

	params_cet(&self->in, VP_KVM_7_2);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.vmexit_ctrl & VP_EXIT_LOAD_CET_STATE);
	EXPECT_TRUE(self->ref.vmentry_ctrl & VP_ENTRY_LOAD_CET_STATE);
	EXPECT_TRUE(self->eff.enable_cet);
	EXPECT_TRUE(self->ref.kvm_cet);
	EXPECT_TRUE(self->ref.nested.exit_ctls_high & VP_EXIT_LOAD_CET_STATE);
	EXPECT_TRUE(self->ref.nested.entry_ctls_high & VP_ENTRY_LOAD_CET_STATE);
	EXPECT_TRUE(self->ref.nested.basic & VP_BASIC_NO_HW_ERRCODE_CHECK);

	/* Each thing KVM's SHSTK/IBT need, taken away, hides CET from L1. */
	self->in.host_xss_cet = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.kvm_cet);
	EXPECT_FALSE(self->ref.nested.exit_ctls_high & VP_EXIT_LOAD_CET_STATE);
	EXPECT_TRUE(self->ref.vmexit_ctrl & VP_EXIT_LOAD_CET_STATE);
	params_cet(&self->in, VP_KVM_7_2);
	self->in.enable_cet = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.nested.entry_ctls_high &
		     VP_ENTRY_LOAD_CET_STATE);
	params_cet(&self->in, VP_KVM_7_2);
	self->in.allow_smaller_maxphyaddr = true;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.kvm_cet);
	params_cet(&self->in, VP_KVM_7_2);
	self->in.unrestricted_guest = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.kvm_cet);
	/* IBT alone is enough; SHSTK alone needs EPT. */
	params_cet(&self->in, VP_KVM_7_2);
	self->in.boot_cpu_shstk = false;
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_TRUE(self->ref.kvm_cet);
	fake_set(&self->cpu, VP_MSR_VMX_BASIC, SYN_BASIC);
	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(self->ref.kvm_cet);
	EXPECT_FALSE(self->ref.nested.basic & VP_BASIC_NO_HW_ERRCODE_CHECK);
}

/* No CET entry control: cet=0 in effect, nothing for L1, on each 7.x. */
TEST_F(engine, cet_without_entry_control_7_x)
{
	static const enum vp_kvm kvms[] = { VP_KVM_7_2, VP_KVM_7_3 };
	unsigned int i;

	fake_cet(&self->cpu);
	fake_allow(&self->cpu, VP_MSR_VMX_ENTRY_CTLS, 0,
		   VP_ENTRY_LOAD_CET_STATE);
	for (i = 0; i < ARRAY_SIZE(kvms); i++) {
		params_cet(&self->in, kvms[i]);
		self->in.error_on_inconsistent_vmcs_config = false;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_FALSE(self->eff.enable_cet);
		EXPECT_FALSE(self->ref.kvm_cet);
		/* ... and the exit half was an unpaired CET control. */
		EXPECT_TRUE(self->ref.diag.warnings & VP_WARN_ENTRY_EXIT_PAIR);
		EXPECT_EQ(VP_EXIT_LOAD_CET_STATE, self->ref.diag.pair_exit_bits)
			TH_LOG("KVM %s", vp_kvm_name(kvms[i]));
		EXPECT_FALSE(self->ref.vmexit_ctrl & VP_EXIT_LOAD_CET_STATE);
	}
}

TEST_F(engine, cet_nested_equal_in_compat_check)
{
	/* The per-CPU recomputation uses the same (global) CET caps. */
	fake_cet(&self->cpu);
	params_cet(&self->in, VP_KVM_7_3);
	ASSERT_EQ(0, compute_ref(self));
	ASSERT_EQ(0, compute_cpu(self));
	EXPECT_EQ(0, vp_config_compare(&self->ref, &self->c, NULL, NULL));
	EXPECT_TRUE(self->c.nested.exit_ctls_high & VP_EXIT_LOAD_CET_STATE);
}

/*
 * Two unpaired controls: 6.x stops at the first mismatch (EFER), 7.x goes
 * through them all, then fails.
 */
TEST_F(engine, pairs_7_x_all_then_fail)
{
	static const struct {
		enum vp_kvm kvm;
		u32 entry, exit;	/* the pair bits reported */
	} rows[] = {
		{ VP_KVM_6_1, VP_ENTRY_LOAD_EFER, 0 },
		{ VP_KVM_6_12, VP_ENTRY_LOAD_EFER, 0 },
		{ VP_KVM_7_2, VP_ENTRY_LOAD_EFER, VP_EXIT_CLEAR_BNDCFGS },
		{ VP_KVM_7_3, VP_ENTRY_LOAD_EFER, VP_EXIT_CLEAR_BNDCFGS },
	};
	unsigned int i;

	fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS, 0, VP_EXIT_LOAD_EFER);
	fake_allow(&self->cpu, VP_MSR_VMX_ENTRY_CTLS, 0, VP_ENTRY_LOAD_BNDCFGS);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		params(&self->in, rows[i].kvm);
		EXPECT_EQ(-EIO, compute_ref(self));
		EXPECT_EQ(VP_ERR_ENTRY_EXIT_PAIR, self->ref.diag.error);
		EXPECT_EQ(rows[i].entry, self->ref.diag.pair_entry_bits)
			TH_LOG("KVM %s", vp_kvm_name(rows[i].kvm));
		EXPECT_EQ(rows[i].exit, self->ref.diag.pair_exit_bits)
			TH_LOG("KVM %s", vp_kvm_name(rows[i].kvm));
	}
}

/* "Save IA32_PERF_GLOBAL_CTRL" is an optional VM-exit control from 7.2. */
TEST_F(engine, save_perf_global_ctrl_7_x)
{
	static const struct {
		enum vp_kvm kvm;
		bool used;
	} rows[] = {
		{ VP_KVM_6_1, false }, { VP_KVM_6_12, false },
		{ VP_KVM_7_2, true }, { VP_KVM_7_3, true },
	};
	unsigned int i;

	fake_allow(&self->cpu, VP_MSR_VMX_EXIT_CTLS,
		   VP_EXIT_SAVE_PERF_GLOBAL_CTRL, 0);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		params(&self->in, rows[i].kvm);
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].used, !!(self->ref.vmexit_ctrl &
					   VP_EXIT_SAVE_PERF_GLOBAL_CTRL))
			TH_LOG("KVM %s", vp_kvm_name(rows[i].kvm));
	}
}

/* MBEC from 7.2 on: each 7.x row. */
TEST_F(engine, mbec_7_x)
{
	static const enum vp_kvm kvms[] = { VP_KVM_7_2, VP_KVM_7_3 };
	const struct vp_config *c = &self->ref;
	unsigned int i;

	ASSERT_EQ(0, compute_ref(self));
	EXPECT_FALSE(c->secondary_exec_ctrl & VP_SEC_MODE_BASED_EPT_EXEC);

	for (i = 0; i < ARRAY_SIZE(kvms); i++) {
		fake_skylake(&self->cpu);
		params(&self->in, kvms[i]);
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_TRUE(c->secondary_exec_ctrl & VP_SEC_MODE_BASED_EPT_EXEC)
			TH_LOG("KVM %s", vp_kvm_name(kvms[i]));
		EXPECT_TRUE(self->eff.enable_mbec);
		EXPECT_TRUE(c->nested.secondary_ctls_high &
			    VP_SEC_MODE_BASED_EPT_EXEC);
		EXPECT_TRUE(c->nested.ept_caps & VP_EPT_ADV_EXIT_INFO);

		self->in.enable_mbec = false;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_TRUE(c->secondary_exec_ctrl & VP_SEC_MODE_BASED_EPT_EXEC)
			TH_LOG("KVM %s, mbec=0", vp_kvm_name(kvms[i]));
		EXPECT_FALSE(c->nested.secondary_ctls_high &
			     VP_SEC_MODE_BASED_EPT_EXEC);

		/* Without advanced VM-exit information KVM drops MBEC. */
		fake_set(&self->cpu, VP_MSR_VMX_EPT_VPID_CAP,
			 ctls(SYN_EPT & ~VP_EPT_ADV_EXIT_INFO, SYN_VPID));
		params(&self->in, kvms[i]);
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_FALSE(c->secondary_exec_ctrl &
			     VP_SEC_MODE_BASED_EPT_EXEC)
			TH_LOG("KVM %s, no advanced VM-exit information",
			       vp_kvm_name(kvms[i]));
		EXPECT_FALSE(self->eff.enable_mbec);
		EXPECT_FALSE(c->nested.ept_caps & VP_EPT_ADV_EXIT_INFO);
	}
}

TEST_F(engine, vmcs_enum_7_x_follows_tsc_scaling)
{
	/* Without TSC scaling: 7.x reports the hardware's highest index. */
	static const struct {
		enum vp_kvm kvm;
		u64 vmcs_enum;
	} rows[] = {
		{ VP_KVM_6_1, 0x32 }, { VP_KVM_6_12, 0x32 },
		{ VP_KVM_7_2, 0x2e }, { VP_KVM_7_3, 0x2e },
	};
	unsigned int i;
	int v;

	for (v = VP_KVM_6_1; v < VP_KVM_NR; v++) {
		params(&self->in, v);
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(0x32, self->ref.nested.vmcs_enum);
	}
	fake_allow(&self->cpu, VP_MSR_VMX_PROCBASED_CTLS2, 0,
		   VP_SEC_TSC_SCALING);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		params(&self->in, rows[i].kvm);
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].vmcs_enum, self->ref.nested.vmcs_enum)
			TH_LOG("KVM %s", vp_kvm_name(rows[i].kvm));
	}
}

/* A TSC of 2 GHz, timer rate 5: the timer ticks at 62.5 MHz. */
TEST_F(engine, preemption_timer_max_7_3)
{
	static const struct {
		enum vp_kvm kvm;
		bool hypervisor;	/* X86_FEATURE_HYPERVISOR */
		u32 cpuid15_ebx;	/* 0: no CPUID.15H */
		bool kept;
	} rows[] = {
		/* Fine against 2^32 - 1 ... */
		{ VP_KVM_7_2, false, 10, true },
		/* ... too often against 7.3's (10 << 25) - 1 from CPUID.15H */
		{ VP_KVM_7_3, false, 10, false },
		/* ... unless under a hypervisor or without the leaf. */
		{ VP_KVM_7_3, true, 10, true },
		{ VP_KVM_7_3, false, 0, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		params(&self->in, rows[i].kvm);
		self->in.tsc_khz = 2000000;
		self->in.cpuid15_eax = 1;
		self->in.cpuid15_ebx = rows[i].cpuid15_ebx;
		self->in.boot_cpu_hypervisor = rows[i].hypervisor;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].kept, self->eff.preemption_timer)
			TH_LOG("row %u", i);
	}
}

TEST_F(engine, vmxon_revision_of_boot_cpu_7_x)
{
	/* 7.x stamps the boot CPU's revision, 6.x KVM's own. */
	static const struct {
		enum vp_kvm kvm;
		bool fails;	/* VMXON with another revision */
	} rows[] = {
		{ VP_KVM_6_1, false }, { VP_KVM_6_12, false },
		{ VP_KVM_7_2, true }, { VP_KVM_7_3, true },
	};
	unsigned int i;

	EXPECT_STREQ("vmxon_revision", vp_warning_id(8));
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		params(&self->in, rows[i].kvm);
		self->in.boot_vmx_basic_known = true;
		self->in.boot_vmx_basic = SYN_BASIC;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_FALSE(self->ref.diag.warnings & VP_WARN_VMXON_REVISION);

		/* The boot CPU reported another revision. */
		self->in.boot_vmx_basic = SYN_BASIC + 1;
		ASSERT_EQ(0, compute_ref(self));
		EXPECT_EQ(rows[i].fails,
			  !!(self->ref.diag.warnings & VP_WARN_VMXON_REVISION))
			TH_LOG("KVM %s", vp_kvm_name(rows[i].kvm));
		ASSERT_EQ(0, compute_cpu(self));
		EXPECT_EQ(rows[i].fails,
			  !!(self->c.diag.warnings & VP_WARN_VMXON_REVISION))
			TH_LOG("KVM %s, per CPU", vp_kvm_name(rows[i].kvm));
	}
}

TEST_F(engine, rules_recompute_to_the_other_row)
{
	struct vp_kvm_version mix = *vp_kvm_version(VP_KVM_6_12);
	struct vp_reader r = fake_reader(&self->cpu);
	struct vp_config *a = &self->ref, *b = &self->c;
	unsigned int i;

	/* Every rule of 7.3 taken into 6.12 gives 7.3's result. */
	for (i = 0; i < vp_nr_kvm_rules; i++)
		vp_kvm_rule_take(&vp_kvm_rules[i], &mix,
				 vp_kvm_version(VP_KVM_7_3));
	fake_cet(&self->cpu);
	params_cet(&self->in, VP_KVM_7_3);
	ASSERT_EQ(0, compute_ref(self));
	ASSERT_EQ(0, vp_compute_reference_row(&mix, &self->in, &r, b,
					      &self->eff));
	EXPECT_EQ(0, vp_config_compare(a, b, NULL, NULL));
	EXPECT_EQ(a->nested.vmcs_enum, b->nested.vmcs_enum);
	EXPECT_EQ(a->nested.ept_caps, b->nested.ept_caps);
	for (i = 0; i < vp_nr_kvm_rules; i++)
		EXPECT_TRUE(vp_kvm_rules[i].id &&
			    vp_kvm_rule_says(&vp_kvm_rules[i], &mix));
}

/*
 * A rule's "since" is the first row with its later behaviour: every older
 * row says no, that row and the newer ones yes; a rule about one member
 * of a set (mask) looks at that member only, so 6.12 has EPT-violation #VE
 * although its optional secondary controls differ from 7.2's.
 */
TEST(rules_begin_at_their_row)
{
	unsigned int i, k;

	for (i = 0; i < vp_nr_kvm_rules; i++) {
		const struct vp_kvm_rule *r = &vp_kvm_rules[i];

		ASSERT_LT(r->since, VP_KVM_NR);
		EXPECT_GT(r->since, VP_KVM_6_1) TH_LOG("rule %s", r->id);
		for (k = 0; k < VP_KVM_NR; k++)
			EXPECT_EQ(k >= (unsigned int)r->since,
				  vp_kvm_rule_is(r, vp_kvm_version(k)))
				TH_LOG("rule %s, KVM %s", r->id,
				       vp_kvm_name(k));
		EXPECT_STREQ(r->no,
			     vp_kvm_rule_says(r, vp_kvm_version(VP_KVM_6_1)));
		EXPECT_STREQ(r->yes,
			     vp_kvm_rule_says(r, vp_kvm_version(VP_KVM_7_3)));
	}
	for (i = 0; i < vp_nr_kvm_rules; i++)
		if (!strcmp(vp_kvm_rules[i].id, "optional_secondary_ve"))
			break;
	ASSERT_LT(i, vp_nr_kvm_rules);
	EXPECT_NE(0, vp_kvm_rules[i].mask);
	EXPECT_TRUE(vp_kvm_rule_is(&vp_kvm_rules[i],
				   vp_kvm_version(VP_KVM_6_12)));
}

TEST_HARNESS_MAIN
