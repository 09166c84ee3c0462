// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU VMX support report must agree with what the CPUs themselves
 * say, checked here without the module: CPUID.1:ECX.VMX executed on each
 * CPU and IA32_FEAT_CTL read through the msr driver.
 */
#include "vp_test.h"
#include "kselftest_harness.h"

#define FEAT_CTL		0x3a
#define FEAT_CTL_LOCKED		(1ull << 0)
#define FEAT_CTL_VMX_OUTSIDE	(1ull << 2)

FIXTURE(support) {
	char text[1 << 16];
};

FIXTURE_SETUP(support)
{
	ASSERT_EQ(0, vp_load()) TH_LOG("modprobe vmcs_probe failed");
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/support", self->text,
			     sizeof(self->text)));
}

FIXTURE_TEARDOWN(support)
{
}

TEST_F(support, interfaces_exist)
{
	ASSERT_EQ(0, access(VP_SYSFS, F_OK));
	ASSERT_EQ(0, access(VP_DEBUGFS, F_OK));
	ASSERT_EQ(0, strncmp(self->text, "version 1\ngeneration ",
			     strlen("version 1\ngeneration ")));
}

TEST_F(support, one_line_per_possible_cpu)
{
	int cpus = vp_possible_cpus(), cpu;
	char key[32], line[512];

	ASSERT_LT(0, cpus);
	for (cpu = 0; cpu < cpus; cpu++) {
		snprintf(key, sizeof(key), "cpu%d", cpu);
		EXPECT_TRUE(vp_find_line(self->text, key, line, sizeof(line)))
			TH_LOG("no line for %s", key);
	}
	snprintf(key, sizeof(key), "cpu%d", cpus);
	EXPECT_FALSE(vp_find_line(self->text, key, line, sizeof(line)));
}

/* The verdict and reason follow from CPUID and FEAT_CTL, per CPU. */
TEST_F(support, verdict_matches_hardware)
{
	int cpus = vp_possible_cpus(), cpu;

	for (cpu = 0; cpu < cpus; cpu++) {
		char key[32], line[512], want[128];
		uint64_t feat = 0;
		int vmx;

		if (!vp_cpu_online(cpu))
			continue;
		snprintf(key, sizeof(key), "cpu%d", cpu);
		ASSERT_TRUE(vp_find_line(self->text, key, line, sizeof(line)));
		vmx = vp_cpuid_vmx_on(cpu);
		ASSERT_LE(0, vmx);
		if (!vmx) {
			snprintf(want, sizeof(want),
				 "%s unsupported reason=cpuid_vmx_clear ", key);
		} else {
			/*
			 * An unlocked MSR is one the kernel locks itself
			 * with VMX on (feat_ctl.c): only a locked one with
			 * VMX off outside SMX disables VMX.
			 */
			ASSERT_EQ(0, vp_rdmsr_on(cpu, FEAT_CTL, &feat));
			if ((feat & FEAT_CTL_LOCKED) &&
			    !(feat & FEAT_CTL_VMX_OUTSIDE))
				snprintf(want, sizeof(want),
					 "%s disabled reason=feat_ctl_vmx_disabled ",
					 key);
			else
				snprintf(want, sizeof(want),
					 "%s supported reason=none ", key);
		}
		EXPECT_EQ(0, strncmp(line, want, strlen(want)))
			TH_LOG("got '%s', want '%s...'", line, want);
		TH_LOG("%s", line);
	}
}

/* Unload and load again: the files go and come back. */
TEST(reload)
{
	ASSERT_EQ(0, vp_load());
	ASSERT_EQ(0, vp_unload());
	ASSERT_NE(0, access(VP_SYSFS, F_OK));
	ASSERT_NE(0, access(VP_DEBUGFS, F_OK));
	ASSERT_EQ(0, vp_load());
	ASSERT_EQ(0, access(VP_SYSFS "/status", R_OK));
}

TEST_HARNESS_MAIN
