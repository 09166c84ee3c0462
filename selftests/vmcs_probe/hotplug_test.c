// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug: a CPU going offline and coming back is rechecked and
 * counted; with hotplug_policy=refuse a CPU that does not check out ok
 * stays offline, as KVM does since 6.3.
 */
#include "vp_test.h"
#include "kselftest_harness.h"

static int set_online(int cpu, bool on)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	return vp_write_str(path, on ? "1" : "0");
}

FIXTURE(hotplug) {
	int cpu;
};

FIXTURE_SETUP(hotplug)
{
	char path[128];

	ASSERT_EQ(0, vp_load());
	vp_reset();
	ASSERT_EQ(0, vp_run());
	self->cpu = vp_possible_cpus() - 1;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 self->cpu);
	if (self->cpu < 1 || access(path, W_OK))
		SKIP(return, "no hotpluggable CPU");
}

FIXTURE_TEARDOWN(hotplug)
{
	vp_reset();
	set_online(self->cpu, true);
}

TEST_F(hotplug, offline_and_online_update_compat)
{
	char status[32], before[32];
	long gen;

	vp_compat_of(self->cpu, before, sizeof(before));
	gen = vp_generation();
	ASSERT_EQ(0, set_online(self->cpu, false));
	vp_compat_of(self->cpu, status, sizeof(status));
	EXPECT_STREQ("offline", status);
	EXPECT_EQ(gen + 1, vp_generation());
	ASSERT_EQ(0, set_online(self->cpu, true));
	vp_compat_of(self->cpu, status, sizeof(status));
	EXPECT_STREQ(before, status);
	EXPECT_EQ(gen + 2, vp_generation());
}

/* A CPU made different while it is offline. */
static void make_different(struct __test_metadata *_metadata, int cpu)
{
	char cmd[96];

	ASSERT_EQ(0, vp_use_replay());
	ASSERT_EQ(0, vp_run());
	ASSERT_EQ(0, set_online(cpu, false));
	snprintf(cmd, sizeof(cmd), "cpu %d msr 0x48b clear 0x4000000000", cpu);
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/inject", cmd));
}

TEST_F(hotplug, refuse_keeps_a_mismatching_cpu_offline)
{
	char status[32];

	make_different(_metadata, self->cpu);
	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/hotplug_policy", "refuse"));
	EXPECT_NE(0, set_online(self->cpu, true));
	EXPECT_FALSE(vp_cpu_online(self->cpu));
	vp_compat_of(self->cpu, status, sizeof(status));
	EXPECT_STREQ("offline", status);

	/* Same CPU, policy report: it comes up, flagged. */
	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/hotplug_policy", "report"));
	ASSERT_EQ(0, set_online(self->cpu, true));
	vp_compat_of(self->cpu, status, sizeof(status));
	EXPECT_STREQ("mismatch", status);
}

TEST_F(hotplug, refuse_lets_a_matching_cpu_online)
{
	char status[32];

	ASSERT_EQ(0, vp_use_replay());
	ASSERT_EQ(0, vp_run());
	ASSERT_EQ(0, set_online(self->cpu, false));
	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/hotplug_policy", "refuse"));
	ASSERT_EQ(0, set_online(self->cpu, true));
	vp_compat_of(self->cpu, status, sizeof(status));
	EXPECT_STREQ("ok", status);
}

TEST_HARNESS_MAIN
