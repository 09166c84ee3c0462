// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: the grammar (every malformed write refused, nothing
 * applied) and the effect of each kind of injected difference on the
 * per-CPU compat result.  The differences are made on top of a replayed
 * snapshot of a VMX CPU, so that they show in lanes without VMX.
 */
#include "vp_test.h"
#include "kselftest_harness.h"

#define INJECT	VP_DEBUGFS "/inject"

FIXTURE(inject) {
	char before[4096];
};

FIXTURE_SETUP(inject)
{
	ASSERT_EQ(0, vp_load());
	vp_reset();
	ASSERT_EQ(0, vp_write_str(INJECT, "cpu 0 msr 0x48b set 0x1\n"));
	ASSERT_LT(0, vp_read(INJECT, self->before, sizeof(self->before)));
}

FIXTURE_TEARDOWN(inject)
{
	vp_reset();
}

TEST_F(inject, malformed_writes_apply_nothing)
{
	static const char * const bad[] = {
		"",					/* empty */
		"\n",					/* empty line */
		"cpu",					/* truncated */
		"cpu 1",				/* no verb */
		"cpu 1 frobnicate",			/* unknown verb */
		"CPU 1 novmx",				/* wrong case */
		"cpu x novmx",				/* bad CPU */
		"cpu -1 novmx",				/* negative CPU */
		"cpu 99999 novmx",			/* impossible CPU */
		"cpu 1 msr 0x10 set 0x1",		/* not a VMX MSR */
		"cpu 1 msr 0x494 set 0x1",		/* past the set */
		"cpu 1 msr 480 set 0x1",		/* no 0x prefix */
		"cpu 1 msr 0x48b set",			/* missing mask */
		"cpu 1 msr 0x48b set 0xzz",		/* bad number */
		"cpu 1 msr 0x48b set 0x10000000000000000", /* > 64 bits */
		"cpu 1 msr 0x48b toggle 0x1",		/* unknown op */
		"cpu 1 msr 0x48b fault now",		/* trailing junk */
		"cpu 1 novmx please",			/* trailing junk */
		"cpu 1 novmx\ncpu 2 bogus",		/* one bad line of two */
		"cpu 1 novmx\n\ncpu 2 novmx",		/* empty line inside */
		"clear all",				/* clear takes nothing */
		"cpu\t1 novmx",				/* tab */
		"cpu 1 novmx\0",			/* NUL */
	};
	char after[4096];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i]);

		if (i == sizeof(bad) / sizeof(bad[0]) - 1)
			len++;	/* include the NUL */
		EXPECT_EQ(-EINVAL, vp_write(INJECT, bad[i], len))
			TH_LOG("accepted: '%s'", bad[i]);
		ASSERT_LT(0, vp_read(INJECT, after, sizeof(after)));
		EXPECT_STREQ(self->before, after) TH_LOG("changed by '%s'",
							 bad[i]);
	}
}

TEST_F(inject, commands_are_listed_and_cleared)
{
	char text[4096];

	ASSERT_EQ(0, vp_write_str(INJECT, "cpu 1 novmx\ncpu 1 msr 0x481 fault\n"
				  "cpu 0 vmx_disabled\ncpu 1 msr 0x48b value 0xff\n"));
	ASSERT_LT(0, vp_read(INJECT, text, sizeof(text)));
	EXPECT_STREQ("version 1\ncpu 0 msr 0x48b set 0x1\ncpu 1 novmx\n"
		     "cpu 1 msr 0x481 fault\ncpu 0 vmx_disabled\n"
		     "cpu 1 msr 0x48b value 0xff\n", text);
	ASSERT_EQ(0, vp_write_str(INJECT, "clear\n"));
	ASSERT_LT(0, vp_read(INJECT, text, sizeof(text)));
	EXPECT_STREQ("version 1\n", text);
}

/* Replay a VMX CPU everywhere, inject @cmd, run, and read cpu1's status. */
static void inject_and_run(struct __test_metadata *_metadata,
			   const char *cmd, char *status, char *cpu_compat,
			   size_t size)
{
	char word[64];
	cpu_set_t cpu0;

	/*
	 * The reference is computed wherever this task runs: on CPU 1 it
	 * would take CPU 1's difference, and flag the others.  Do what
	 * upstream suggested: run the setup from a task bound to one CPU.
	 */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));
	ASSERT_EQ(0, vp_use_replay()) TH_LOG("no snapshot to replay");
	ASSERT_EQ(0, vp_write_str(INJECT, "clear"));
	ASSERT_EQ(0, vp_run());
	ASSERT_EQ(0, vp_read_word(VP_SYSFS "/status", word, sizeof(word)));
	ASSERT_STREQ("consistent", word) TH_LOG("replay alone is not consistent");
	ASSERT_EQ(0, vp_write_str(INJECT, cmd));
	ASSERT_EQ(0, vp_run());
	vp_compat_of(1, status, 32);
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/cpus/cpu1/compat", cpu_compat, size));
}

TEST_F(inject, missing_secondary_control_is_a_mismatch)
{
	char status[32], text[4096], line[512], word[64];

	/* WBINVD exiting (secondary bit 6), an optional control KVM uses. */
	inject_and_run(_metadata, "cpu 1 msr 0x48b clear 0x4000000000",
		       status, text, sizeof(text));
	EXPECT_STREQ("mismatch", status);
	ASSERT_TRUE(vp_find_line(text, "field", line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "field secondary_exec_ctrl ", 26))
		TH_LOG("first differing field: %s", line);
	EXPECT_NE(NULL, strstr(line, "diff 0x40")) TH_LOG("%s", line);
	vp_compat_of(0, status, sizeof(status));
	EXPECT_STREQ("ok", status);
	ASSERT_EQ(0, vp_read_word(VP_SYSFS "/status", word, sizeof(word)));
	EXPECT_STREQ("inconsistent", word);
}

TEST_F(inject, feat_ctl_disabled_cpu)
{
	char status[32], text[4096], word[64];

	inject_and_run(_metadata, "cpu 1 vmx_disabled", status, text,
		       sizeof(text));
	EXPECT_STREQ("disabled", status);
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/support", text, sizeof(text)));
	EXPECT_NE(NULL, strstr(text, "cpu1 disabled reason=feat_ctl_vmx_disabled"));
	ASSERT_EQ(0, vp_read_word(VP_SYSFS "/status", word, sizeof(word)));
	EXPECT_STREQ("unsupported", word);
}

TEST_F(inject, cpuid_without_vmx)
{
	char status[32], text[4096];

	inject_and_run(_metadata, "cpu 1 novmx", status, text, sizeof(text));
	EXPECT_STREQ("unsupported", status);
}

TEST_F(inject, faulting_read)
{
	char status[32], text[4096];

	/* The pin-based controls: read with plain rdmsr() by KVM. */
	inject_and_run(_metadata, "cpu 1 msr 0x481 fault", status, text,
		       sizeof(text));
	EXPECT_STREQ("fault", status);
}

TEST_HARNESS_MAIN
