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

TEST(epyc_6_12_as_measured)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(1, param(&s.effective, "nested"));
	EXPECT_EQ(1, param(&s.effective, "npt"));
	EXPECT_EQ(0, param(&s.effective, "nrips"));
	EXPECT_EQ(0, param(&s.effective, "vgif"));
	EXPECT_EQ(0, param(&s.effective, "vls"));
	EXPECT_EQ(0, param(&s.effective, "lbrv"));
	EXPECT_EQ(0, param(&s.effective, "avic"));
	EXPECT_EQ(0, param(&s.effective, "sev"));
	EXPECT_EQ(0, param(&s.effective, "sev_es"));
	EXPECT_EQ(0, param(&s.effective, "vnmi"));
	EXPECT_EQ(0, param(&s.effective, "tsc_scaling"));
	EXPECT_EQ(0, param(&s.effective, "pause_filter_count"));
	EXPECT_TRUE(s.ext_ecx_svm);
	EXPECT_EQ(1, s.svm_leaf[0]);
	EXPECT_EQ(8, s.svm_leaf[1]);
	EXPECT_EQ(0, s.svm_leaf[2]);
	EXPECT_EQ(0x10000061, s.svm_leaf[3]);
}

TEST(epyc_6_12_npt_off)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	in.npt = false;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0x10000060, s.svm_leaf[3]);
}

/* 6.1 does not advertise FlushByAsid and has no vnmi/sev_snp. */
TEST(epyc_6_1)
{
	struct vp_svm_params in = epyc(VP_KVM_6_1);
	struct vp_svm_setup s;
	const struct vp_svm_param *d = vp_svm_param_find("vnmi", 4);

	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0x10000021, s.svm_leaf[3]);
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
TEST(gmet_7_x)
{
	struct vp_svm_params in = epyc(VP_KVM_7_2);
	struct vp_svm_setup s;

	in.boot_svm_edx |= BIT(VP_SVM_GMET);
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(1, param(&s.effective, "gmet"));
	EXPECT_EQ(0x10000061 | BIT(VP_SVM_GMET), s.svm_leaf[3]);
	in.npt = false;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0, param(&s.effective, "gmet"));
	EXPECT_EQ(0x10000060, s.svm_leaf[3]);
	/* 6.12 has neither the parameter nor the bit. */
	in = epyc(VP_KVM_6_12);
	in.boot_svm_edx |= BIT(VP_SVM_GMET);
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0x10000061, s.svm_leaf[3]);
}

/*
 * 7.x avic=auto: on with x2AVIC on Zen 4 (family 0x19, model 0x11: a
 * Genoa) or family 0x1a, off on Zen 3 (family 0x19, model 0x01) and
 * without x2AVIC; 6.12 reads the same default as off.  enable_ipiv
 * follows AVIC, and family 0x17 loses it to erratum 1235.
 */
TEST(avic_auto_7_x)
{
	struct vp_svm_params in = epyc(VP_KVM_7_3);
	struct vp_svm_setup s;

	in.boot_svm_edx |= BIT(VP_SVM_AVIC) | BIT(VP_SVM_X2AVIC);
	in.boot_family = 0x19;
	in.boot_model = 0x11;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(1, param(&s.effective, "avic"));
	EXPECT_EQ(1, param(&s.effective, "enable_ipiv"));

	in.boot_model = 0x01;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0, param(&s.effective, "avic"));
	EXPECT_EQ(0, param(&s.effective, "enable_ipiv"));

	in.boot_family = 0x1a;
	in.boot_model = 0x00;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(1, param(&s.effective, "avic"));

	in.boot_svm_edx &= ~BIT(VP_SVM_X2AVIC);
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0, param(&s.effective, "avic"));

	/* Given, avic=1 needs only AVIC and NPT; family 0x17 drops IPIv. */
	in.avic_auto = false;
	in.avic = true;
	in.boot_family = 0x17;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(1, param(&s.effective, "avic"));
	EXPECT_EQ(0, param(&s.effective, "enable_ipiv"));

	in = epyc(VP_KVM_6_12);
	in.boot_svm_edx |= BIT(VP_SVM_AVIC) | BIT(VP_SVM_X2AVIC);
	in.boot_family = 0x19;
	in.boot_model = 0x11;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0, param(&s.effective, "avic"));
}

/* The support check and the per-CPU check of 7.x are 6.12's. */
TEST(boot_cpu_without_svm_7_x)
{
	struct vp_svm_params in = epyc(VP_KVM_7_2);
	struct vp_svm_setup s;

	in.boot_svm = false;
	in.boot_svm_edx = 0;
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &no_svm_cpu, &s));
	EXPECT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_7_2,
						      &no_svm_cpu));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_7_3,
						      &no_svm_cpu));
}

TEST(nested_off_hides_the_leaf)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	in.nested = false;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_FALSE(s.ext_ecx_svm);
	EXPECT_EQ(0, s.svm_leaf[0] | s.svm_leaf[1] | s.svm_leaf[3]);
}

/* Every feature there: each parameter stays, and shows in the leaf. */
TEST(all_features)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	in.avic = true;
	in.boot_svm_edx = BIT(VP_SVM_NP) | BIT(VP_SVM_LBRV) |
			  BIT(VP_SVM_NRIPS) | BIT(VP_SVM_TSCRATEMSR) |
			  BIT(VP_SVM_PAUSEFILTER) | BIT(VP_SVM_PFTHRESHOLD) |
			  BIT(VP_SVM_AVIC) | BIT(VP_SVM_VMSAVE_VIRT) |
			  BIT(VP_SVM_VGIF) | BIT(VP_SVM_VNMI);
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(1, param(&s.effective, "avic"));
	EXPECT_EQ(1, param(&s.effective, "vls"));
	EXPECT_EQ(1, param(&s.effective, "vnmi"));
	EXPECT_EQ(128, param(&s.effective, "pause_filter_thresh"));
	EXPECT_EQ(3000, param(&s.effective, "pause_filter_count"));
	EXPECT_EQ(0x1201947b, s.svm_leaf[3]);
}

/* vls needs NPT, avic needs NPT, vnmi needs vgif. */
TEST(dependent_parameters)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	in.avic = true;
	in.npt = false;
	in.vgif = false;
	in.boot_svm_edx |= BIT(VP_SVM_AVIC) | BIT(VP_SVM_VMSAVE_VIRT) |
			   BIT(VP_SVM_VGIF) | BIT(VP_SVM_VNMI) |
			   BIT(VP_SVM_PAUSEFILTER);
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0, param(&s.effective, "avic"));
	EXPECT_EQ(0, param(&s.effective, "vls"));
	EXPECT_EQ(0, param(&s.effective, "vnmi"));
	EXPECT_EQ(0, param(&s.effective, "pause_filter_thresh"));
	EXPECT_EQ(3000, param(&s.effective, "pause_filter_count"));
}

/*
 * The boot CPU lacks SVM (the kernel's boot_cpu_data is the AND of all
 * CPUs, so boot_svm is clear and NP is gone).  6.12 asks the loading CPU:
 * from CPU 0 -EOPNOTSUPP, from CPU 1 the setup runs and CPU 0 fails the
 * per-CPU check with -EIO.  6.1 asks boot_cpu_data: -EOPNOTSUPP anywhere.
 */
TEST(boot_cpu_without_svm)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	in.boot_svm = false;
	in.boot_svm_edx = 0;
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &no_svm_cpu, &s));
	EXPECT_STREQ("svm_not_available", vp_svm_error_id(s.error));
	EXPECT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(0, param(&s.effective, "npt"));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_6_12,
						      &no_svm_cpu));
	EXPECT_EQ(0, vp_svm_check_processor_compat(VP_KVM_6_12, &svm_cpu));

	in.kvm = VP_KVM_6_1;
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &no_svm_cpu, &s));
	EXPECT_EQ(0, vp_svm_check_processor_compat(VP_KVM_6_1, &no_svm_cpu));
}

/* VM_CR.SVMDIS: 6.1's is_disabled() refuses, 6.12 never reads VM_CR. */
TEST(vm_cr_svmdis)
{
	struct vp_svm_params in = epyc(VP_KVM_6_1);
	struct vp_svm_cpu c = svm_cpu;
	struct vp_svm_setup s;

	c.vm_cr = VP_VM_CR_SVMDIS;
	EXPECT_EQ(VP_SVM_DISABLED, vp_svm_support(&c));
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &c, &s));
	EXPECT_STREQ("disabled_by_bios", vp_svm_error_id(s.error));
	in.kvm = VP_KVM_6_12;
	EXPECT_EQ(0, vp_svm_compute_reference(&in, &c, &s));
	/* An unchecked rdmsrl() that faults reads 0. */
	c.vm_cr_fault = true;
	in.kvm = VP_KVM_6_1;
	EXPECT_EQ(0, vp_svm_compute_reference(&in, &c, &s));
}

TEST(not_amd_and_no_nx)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_cpu intel = svm_cpu;
	struct vp_svm_setup s;

	intel.amd = false;
	EXPECT_EQ(VP_SVM_NOT_AMD, vp_svm_support(&intel));
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &intel, &s));
	EXPECT_STREQ("not_amd_or_hygon", vp_svm_error_id(s.error));
	in.boot_nx = false;
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_STREQ("no_nx", vp_svm_error_id(s.error));
}

/* SEV past X86_FEATURE_SEV is not mirrored: flagged, not guessed. */
TEST(sev_unresolved)
{
	struct vp_svm_params in = epyc(VP_KVM_6_12);
	struct vp_svm_setup s;

	in.boot_sev = true;
	in.boot_svm_edx |= BIT(VP_SVM_DECODEASSISTS) | BIT(VP_SVM_FLUSHBYASID) |
			   BIT(VP_SVM_NRIPS);
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_TRUE(s.warnings & VP_SVM_WARN_SEV_UNRESOLVED);
	/* 6.12 wants nrips for SEV, 6.1 not. */
	in.nrips = false;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_FALSE(s.warnings & VP_SVM_WARN_SEV_UNRESOLVED);
	EXPECT_EQ(0, param(&s.effective, "sev_snp"));
	in.kvm = VP_KVM_6_1;
	ASSERT_EQ(0, vp_svm_compute_reference(&in, &svm_cpu, &s));
	EXPECT_TRUE(s.warnings & VP_SVM_WARN_SEV_UNRESOLVED);
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
