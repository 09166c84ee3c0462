// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the SVM engine (module/svm_engine.c).  The inputs are
 * the ones QEMU TCG gives a guest with "-cpu EPYC,+svm" (CPUID 0x8000000A
 * EDX with NP only; every CPU AMD, with NX, without SEV), and the expected
 * results are what Debian's real kvm_amd did there (the qemu-svm-* lanes
 * check the same against the real thing): nested=1 npt=Y nrips=0 vgif=0
 * vls=0 lbrv=0 avic=N sev=N, leaf 0x8000000A 1/8/0/0x10000061 on 6.12.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "svm_engine.h"

/* QEMU TCG's EPYC with +svm: nested paging only. */
#define EPYC_TCG_SVM_EDX	BIT(VP_SVM_NP)

static struct vp_svm_params epyc(enum vp_kvm kvm)
{
	struct vp_svm_params p;

	vp_svm_params_defaults(&p, kvm);
	p.boot_svm_edx = EPYC_TCG_SVM_EDX;
	return p;
}

static const struct vp_svm_cpu svm_cpu = {
	.amd = true,
	.cpu_has_svm = true,
	.ext_ecx = VP_CPUID_80000001_ECX_SVM,
	.svm_leaf = { 1, 16, 0, EPYC_TCG_SVM_EDX },
};

static const struct vp_svm_cpu no_svm_cpu = {
	.amd = true,
};

static u32 param(const struct vp_svm_params *p, const char *name)
{
	const struct vp_svm_param *d = vp_svm_param_find(name, strlen(name));

	return d ? vp_svm_param_get(p, d) : 0xdead;
}

/*
 * The SVM tests' fixture: kvm_amd's parameters for the EPYC above under
 * 6.12 (a test picks another version with epyc()), and what
 * svm_hardware_setup() makes of them.
 */
FIXTURE(svm) {
	struct vp_svm_params in;
	struct vp_svm_setup s;
};

FIXTURE_SETUP(svm)
{
	self->in = epyc(VP_KVM_6_12);
}

FIXTURE_TEARDOWN(svm)
{
}

/* svm_hardware_setup(), loaded on @cpu. */
static int compute(FIXTURE_DATA(svm) *self, const struct vp_svm_cpu *cpu)
{
	return vp_svm_compute_reference(&self->in, cpu, &self->s);
}

/* A parameter as svm_hardware_setup() left it. */
static u32 effective(FIXTURE_DATA(svm) *self, const char *name)
{
	return param(&self->s.effective, name);
}

struct want {
	const char *name;
	u32 val;
};

/* The @n parameters of @want as svm_hardware_setup() left them. */
static void expect_effective(struct __test_metadata *_metadata,
			     FIXTURE_DATA(svm) *self, const struct want *want,
			     unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		EXPECT_EQ(want[i].val, effective(self, want[i].name))
			TH_LOG("parameter %u of %u", i, n);
}

/* The parameters that need a feature or another parameter. */
static const char *const dependents[] = {
	"avic", "vls", "vnmi", "pause_filter_thresh", "pause_filter_count",
};

static void expect_dependents(struct __test_metadata *_metadata,
			      FIXTURE_DATA(svm) *self,
			      const u32 want[ARRAY_SIZE(dependents)])
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dependents); i++)
		EXPECT_EQ(want[i], effective(self, dependents[i]))
			TH_LOG("%s", dependents[i]);
}

TEST_F(svm, epyc_6_12_as_measured)
{
	static const struct want measured[] = {
		{ "nested", 1 }, { "npt", 1 }, { "nrips", 0 }, { "vgif", 0 },
		{ "vls", 0 }, { "lbrv", 0 }, { "avic", 0 }, { "sev", 0 },
		{ "sev_es", 0 }, { "vnmi", 0 }, { "tsc_scaling", 0 },
		{ "pause_filter_count", 0 },
	};

	ASSERT_EQ(0, compute(self, &svm_cpu));
	expect_effective(_metadata, self, measured, ARRAY_SIZE(measured));
	EXPECT_TRUE(self->s.ext_ecx_svm);
	EXPECT_EQ(1, self->s.svm_leaf[0]);
	EXPECT_EQ(8, self->s.svm_leaf[1]);
	EXPECT_EQ(0, self->s.svm_leaf[2]);
	EXPECT_EQ(0x10000061, self->s.svm_leaf[3]);
}

TEST_F(svm, epyc_6_12_npt_off)
{
	self->in.npt = false;
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(0x10000060, self->s.svm_leaf[3]);
}

/* 6.1 does not advertise FlushByAsid and has no vnmi/sev_snp. */
TEST_F(svm, epyc_6_1)
{
	const struct vp_svm_param *d = vp_svm_param_find("vnmi", 4);

	self->in = epyc(VP_KVM_6_1);
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(0x10000021, self->s.svm_leaf[3]);
	ASSERT_NE(NULL, d);
	EXPECT_FALSE(vp_svm_param_exists(VP_KVM_6_1, d));
	EXPECT_TRUE(vp_svm_param_exists(VP_KVM_6_12, d));
}

/*
 * 7.2 and 7.3: the EPYC input gives what 6.12 gives (gmet is cleared
 * without GMET, avic's "auto" stays off on a family 0x17 CPU without
 * x2AVIC, and enable_ipiv follows AVIC off); debug_swap is gone, gmet and
 * enable_ipiv are new.
 */
TEST(epyc_7_x_as_6_12)
{
	static const enum vp_kvm kvms[] = { VP_KVM_7_2, VP_KVM_7_3 };
	const struct vp_svm_param *swap = vp_svm_param_find("debug_swap", 10);
	const struct vp_svm_param *gmet = vp_svm_param_find("gmet", 4);
	unsigned int i;

	ASSERT_NE(NULL, swap);
	ASSERT_NE(NULL, gmet);
	for (i = 0; i < ARRAY_SIZE(kvms); i++) {
		struct vp_svm_params in = epyc(kvms[i]);
		struct vp_svm_setup s;

		in.boot_family = 0x17;
		in.boot_model = 0x01;
		ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
		EXPECT_EQ(0x10000061, s.svm_leaf[3]);
		EXPECT_EQ(0, param(&s.effective, "avic"));
		EXPECT_EQ(0, param(&s.effective, "gmet"));
		EXPECT_EQ(0, param(&s.effective, "enable_ipiv"));
		EXPECT_EQ(1, param(&s.effective, "npt"));
		EXPECT_FALSE(vp_svm_param_exists(kvms[i], swap));
		EXPECT_TRUE(vp_svm_param_exists(kvms[i], gmet));
	}
	EXPECT_TRUE(vp_svm_param_exists(VP_KVM_6_12, swap));
	EXPECT_FALSE(vp_svm_param_exists(VP_KVM_6_1, swap));
	EXPECT_FALSE(vp_svm_param_exists(VP_KVM_6_12, gmet));
}

/* 7.x gmet: stays with NPT and GMET, and is then offered to L1. */
TEST_F(svm, gmet_7_x)
{
	self->in = epyc(VP_KVM_7_2);
	self->in.boot_svm_edx |= BIT(VP_SVM_GMET);
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(1, effective(self, "gmet"));
	EXPECT_EQ(0x10000061 | BIT(VP_SVM_GMET), self->s.svm_leaf[3]);
	self->in.npt = false;
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(0, effective(self, "gmet"));
	EXPECT_EQ(0x10000060, self->s.svm_leaf[3]);
	/* 6.12 has neither the parameter nor the bit. */
	self->in = epyc(VP_KVM_6_12);
	self->in.boot_svm_edx |= BIT(VP_SVM_GMET);
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(0x10000061, self->s.svm_leaf[3]);
}

/*
 * 7.x avic=auto: on with x2AVIC on Zen 4 (family 0x19, model 0x11: a
 * Genoa) or family 0x1a, off on Zen 3 (family 0x19, model 0x01) and
 * without x2AVIC; 6.12 reads the same default as off.  enable_ipiv
 * follows AVIC, and family 0x17 loses it to erratum 1235.
 */
TEST_F(svm, avic_auto_7_x)
{
	enum { AUTO, ON };
	static const struct {
		enum vp_kvm kvm;
		int avic;		/* avic=auto, the default, or avic=1 */
		bool x2avic;		/* AVIC itself is always there */
		u32 family, model;
		u32 want_avic;
		int want_ipiv;		/* -1: not looked at */
	} rows[] = {
		{ VP_KVM_7_3, AUTO, true, 0x19, 0x11, 1, 1 },	/* Genoa */
		{ VP_KVM_7_3, AUTO, true, 0x19, 0x01, 0, 0 },	/* Zen 3 */
		{ VP_KVM_7_3, AUTO, true, 0x1a, 0x00, 1, 1 },
		{ VP_KVM_7_3, AUTO, false, 0x1a, 0x00, 0, 0 },
		/* Given, avic=1 needs only AVIC and NPT; 0x17 drops IPIv. */
		{ VP_KVM_7_3, ON, false, 0x17, 0x00, 1, 0 },
		{ VP_KVM_6_12, AUTO, true, 0x19, 0x11, 0, -1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		self->in = epyc(rows[i].kvm);
		self->in.boot_svm_edx |= BIT(VP_SVM_AVIC);
		if (rows[i].x2avic)
			self->in.boot_svm_edx |= BIT(VP_SVM_X2AVIC);
		if (rows[i].avic == ON) {
			self->in.avic_auto = false;
			self->in.avic = true;
		}
		self->in.boot_family = rows[i].family;
		self->in.boot_model = rows[i].model;
		ASSERT_EQ(0, compute(self, &svm_cpu));
		EXPECT_EQ(rows[i].want_avic, effective(self, "avic"))
			TH_LOG("row %u", i);
		if (rows[i].want_ipiv >= 0)
			EXPECT_EQ((u32)rows[i].want_ipiv,
				  effective(self, "enable_ipiv"))
				TH_LOG("row %u", i);
	}
}

/*
 * What Debian's real 7.3 kvm_amd did in qemu-svm-7.3's guests whose AVIC,
 * x2AVIC and GMET the lab shim set (TCG has none): "milan" (family 0x19,
 * model 0x01, x2AVIC without AVIC), "genoa" (0x19, 0x11, AVIC, GMET and
 * x2AVIC), "turin" (0x1a, 0x02, AVIC and x2AVIC), and "epyc" (0x17,
 * neither) with AVIC forced.
 */
TEST_F(svm, avic_7_3_as_measured)
{
	enum { AUTO, OFF, ON };
	static const struct {
		const char *guest;
		u32 family, model, edx;
		int avic;
		bool force, npt;
		u32 want_avic, want_ipiv, want_gmet;
	} rows[] = {
		{ "milan", 0x19, 0x01, BIT(VP_SVM_X2AVIC), AUTO, 0, 1, 0, 0, 0 },
		/* FW_BUG: x2AVIC without AVIC: avic=1 alone is refused. */
		{ "milan", 0x19, 0x01, BIT(VP_SVM_X2AVIC), ON, 0, 1, 0, 0, 0 },
		{ "milan", 0x19, 0x01, BIT(VP_SVM_X2AVIC), ON, 1, 1, 1, 1, 0 },
		{ "milan", 0x19, 0x01, BIT(VP_SVM_X2AVIC), AUTO, 1, 1, 0, 0, 0 },
		{ "milan", 0x19, 0x01, BIT(VP_SVM_X2AVIC), ON, 1, 0, 0, 0, 0 },
		{ "genoa", 0x19, 0x11,
		  BIT(VP_SVM_AVIC) | BIT(VP_SVM_GMET) | BIT(VP_SVM_X2AVIC),
		  AUTO, 0, 1, 1, 1, 1 },
		{ "genoa", 0x19, 0x11,
		  BIT(VP_SVM_AVIC) | BIT(VP_SVM_GMET) | BIT(VP_SVM_X2AVIC),
		  OFF, 0, 1, 0, 0, 1 },
		{ "genoa", 0x19, 0x11,
		  BIT(VP_SVM_AVIC) | BIT(VP_SVM_GMET) | BIT(VP_SVM_X2AVIC),
		  AUTO, 0, 0, 0, 0, 0 },
		{ "turin", 0x1a, 0x02, BIT(VP_SVM_AVIC) | BIT(VP_SVM_X2AVIC),
		  AUTO, 0, 1, 1, 1, 0 },
		/* Erratum 1235: family 0x17 keeps AVIC, loses IPIv. */
		{ "epyc", 0x17, 0x01, 0, ON, 1, 1, 1, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		self->in = epyc(VP_KVM_7_3);
		self->in.boot_family = rows[i].family;
		self->in.boot_model = rows[i].model;
		self->in.boot_svm_edx |= rows[i].edx;
		if (rows[i].avic != AUTO) {
			self->in.avic_auto = false;
			self->in.avic = rows[i].avic == ON;
		}
		self->in.force_avic = rows[i].force;
		self->in.npt = rows[i].npt;
		ASSERT_EQ(0, compute(self, &svm_cpu));
		EXPECT_EQ(rows[i].want_avic, effective(self, "avic"))
			TH_LOG("%s, row %u", rows[i].guest, i);
		EXPECT_EQ(rows[i].want_ipiv, effective(self, "enable_ipiv"))
			TH_LOG("%s, row %u", rows[i].guest, i);
		EXPECT_EQ(rows[i].want_gmet, effective(self, "gmet"))
			TH_LOG("%s, row %u", rows[i].guest, i);
		EXPECT_EQ(!!rows[i].want_gmet,
			  !!(self->s.svm_leaf[3] & BIT(VP_SVM_GMET)))
			TH_LOG("%s, row %u", rows[i].guest, i);
	}
}

/* The support check and the per-CPU check of 7.x are 6.12's. */
TEST_F(svm, boot_cpu_without_svm_7_x)
{
	self->in = epyc(VP_KVM_7_2);
	self->in.boot_svm = false;
	self->in.boot_svm_edx = 0;
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &no_svm_cpu));
	EXPECT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_7_2,
						      &no_svm_cpu));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_7_3,
						      &no_svm_cpu));
}

TEST_F(svm, nested_off_hides_the_leaf)
{
	self->in.nested = false;
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_FALSE(self->s.ext_ecx_svm);
	EXPECT_EQ(0, self->s.svm_leaf[0] | self->s.svm_leaf[1] |
			     self->s.svm_leaf[3]);
}

/* Every feature there: each parameter stays, and shows in the leaf. */
TEST_F(svm, all_features)
{
	static const u32 all[] = { 1, 1, 1, 128, 3000 };

	self->in.avic = true;
	self->in.boot_svm_edx = BIT(VP_SVM_NP) | BIT(VP_SVM_LBRV) |
				BIT(VP_SVM_NRIPS) | BIT(VP_SVM_TSCRATEMSR) |
				BIT(VP_SVM_PAUSEFILTER) |
				BIT(VP_SVM_PFTHRESHOLD) | BIT(VP_SVM_AVIC) |
				BIT(VP_SVM_VMSAVE_VIRT) | BIT(VP_SVM_VGIF) |
				BIT(VP_SVM_VNMI);
	ASSERT_EQ(0, compute(self, &svm_cpu));
	expect_dependents(_metadata, self, all);
	EXPECT_EQ(0x1201947b, self->s.svm_leaf[3]);
}

/* vls needs NPT, avic needs NPT, vnmi needs vgif. */
TEST_F(svm, dependent_parameters)
{
	static const u32 dropped[] = { 0, 0, 0, 0, 3000 };

	self->in.avic = true;
	self->in.npt = false;
	self->in.vgif = false;
	self->in.boot_svm_edx |= BIT(VP_SVM_AVIC) | BIT(VP_SVM_VMSAVE_VIRT) |
				 BIT(VP_SVM_VGIF) | BIT(VP_SVM_VNMI) |
				 BIT(VP_SVM_PAUSEFILTER);
	ASSERT_EQ(0, compute(self, &svm_cpu));
	expect_dependents(_metadata, self, dropped);
}

/*
 * The boot CPU lacks SVM (the kernel's boot_cpu_data is the AND of all
 * CPUs, so boot_svm is clear and NP is gone).  6.12 asks the loading CPU:
 * from CPU 0 -EOPNOTSUPP, from CPU 1 the setup runs and CPU 0 fails the
 * per-CPU check with -EIO.  6.1 asks boot_cpu_data: -EOPNOTSUPP anywhere.
 */
TEST_F(svm, boot_cpu_without_svm)
{
	self->in.boot_svm = false;
	self->in.boot_svm_edx = 0;
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &no_svm_cpu));
	EXPECT_STREQ("svm_not_available", vp_svm_error_id(self->s.error));
	EXPECT_EQ(0, compute(self, &svm_cpu));
	EXPECT_EQ(0, effective(self, "npt"));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_6_12,
						      &no_svm_cpu));
	EXPECT_EQ(0, vp_svm_check_processor_compat(VP_KVM_6_12, &svm_cpu));

	self->in.kvm = VP_KVM_6_1;
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &svm_cpu));
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &no_svm_cpu));
	EXPECT_EQ(0, vp_svm_check_processor_compat(VP_KVM_6_1, &no_svm_cpu));
}

/* VM_CR.SVMDIS: 6.1's is_disabled() refuses, 6.12 never reads VM_CR. */
TEST_F(svm, vm_cr_svmdis)
{
	struct vp_svm_cpu c = svm_cpu;

	self->in = epyc(VP_KVM_6_1);
	c.vm_cr = VP_VM_CR_SVMDIS;
	EXPECT_EQ(VP_SVM_DISABLED, vp_svm_support(&c));
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &c));
	EXPECT_STREQ("disabled_by_bios", vp_svm_error_id(self->s.error));
	self->in.kvm = VP_KVM_6_12;
	EXPECT_EQ(0, compute(self, &c));
	/* An unchecked rdmsrl() that faults reads 0. */
	c.vm_cr_fault = true;
	self->in.kvm = VP_KVM_6_1;
	EXPECT_EQ(0, compute(self, &c));
}

TEST_F(svm, not_amd_and_no_nx)
{
	struct vp_svm_cpu intel = svm_cpu;

	intel.amd = false;
	EXPECT_EQ(VP_SVM_NOT_AMD, vp_svm_support(&intel));
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &intel));
	EXPECT_STREQ("not_amd_or_hygon", vp_svm_error_id(self->s.error));
	self->in.boot_nx = false;
	EXPECT_EQ(-EOPNOTSUPP, compute(self, &svm_cpu));
	EXPECT_STREQ("no_nx", vp_svm_error_id(self->s.error));
}

/* SEV past X86_FEATURE_SEV is not mirrored: flagged, not guessed. */
TEST_F(svm, sev_unresolved)
{
	self->in.boot_sev = true;
	self->in.boot_svm_edx |= BIT(VP_SVM_DECODEASSISTS) |
				 BIT(VP_SVM_FLUSHBYASID) | BIT(VP_SVM_NRIPS);
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_TRUE(self->s.warnings & VP_SVM_WARN_SEV_UNRESOLVED);
	/* 6.12 wants nrips for SEV, 6.1 not. */
	self->in.nrips = false;
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_FALSE(self->s.warnings & VP_SVM_WARN_SEV_UNRESOLVED);
	EXPECT_EQ(0, effective(self, "sev_snp"));
	self->in.kvm = VP_KVM_6_1;
	ASSERT_EQ(0, compute(self, &svm_cpu));
	EXPECT_TRUE(self->s.warnings & VP_SVM_WARN_SEV_UNRESOLVED);
}

TEST(names)
{
	unsigned int bit, named = 0;

	for (bit = 0; bit < 32; bit++)
		named += vp_svm_feature_name(bit) != NULL;
	EXPECT_EQ(27, named);
	EXPECT_STREQ("NP", vp_svm_feature_name(VP_SVM_NP));
	EXPECT_STREQ("NestedVirtVmcbAddrChk",
		     vp_svm_feature_name(VP_SVM_VMCB_ADDR_CHK));
	EXPECT_EQ(NULL, vp_svm_feature_name(9));
	EXPECT_EQ(NULL, vp_svm_feature_name(32));
	EXPECT_EQ(NULL, vp_svm_param_find("np", 2));
	EXPECT_STREQ("no_svm", vp_svm_support_name(VP_SVM_NO_SVM));
}

TEST_HARNESS_MAIN
