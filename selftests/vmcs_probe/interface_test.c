// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs and debugfs contract: values round-trip, every bad write is
 * refused with -EINVAL and changes nothing, concurrent writers are
 * serialized, readers see whole generations, and unloading with files
 * open is safe.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "vp_test.h"
#include "kselftest_harness.h"

FIXTURE(iface) {
};

FIXTURE_SETUP(iface)
{
	ASSERT_EQ(0, vp_load()) TH_LOG("modprobe vmcs_probe failed");
	vp_reset();
}

FIXTURE_TEARDOWN(iface)
{
	vp_reset();
}

TEST_F(iface, pinning_mode_round_trip)
{
	static const char * const modes[] = {
		"migrate_disable", "preempt_disable", "none",
	};
	static const char * const shown[] = {
		"none [migrate_disable] preempt_disable",
		"none migrate_disable [preempt_disable]",
		"[none] migrate_disable preempt_disable",
	};
	char buf[128];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, vp_write_str(VP_SYSFS "/pinning_mode", modes[i]));
		ASSERT_EQ(0, vp_read_word(VP_SYSFS "/pinning_mode", buf,
					  sizeof(buf)));
		EXPECT_STREQ(shown[i], buf);
	}
	/* With the newline echo adds, too. */
	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/pinning_mode",
				  "preempt_disable\n"));
	ASSERT_EQ(0, vp_read_word(VP_SYSFS "/pinning_mode", buf, sizeof(buf)));
	EXPECT_STREQ(shown[1], buf);
}

TEST_F(iface, hotplug_policy_round_trip)
{
	char buf[64];

	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/hotplug_policy", "refuse\n"));
	ASSERT_EQ(0, vp_read_word(VP_SYSFS "/hotplug_policy", buf, sizeof(buf)));
	EXPECT_STREQ("report [refuse]", buf);
	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/hotplug_policy", "report"));
	ASSERT_EQ(0, vp_read_word(VP_SYSFS "/hotplug_policy", buf, sizeof(buf)));
	EXPECT_STREQ("[report] refuse", buf);
}

TEST_F(iface, run_increments_generation_and_sets_mode)
{
	char text[4096], val[64];
	long gen = vp_generation();

	ASSERT_LE(0, gen);
	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/pinning_mode", "migrate_disable"));
	ASSERT_EQ(0, vp_run());
	EXPECT_EQ(gen + 1, vp_generation());
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/setup_trace", text, sizeof(text)));
	ASSERT_TRUE(vp_field(text, "mode", val, sizeof(val)));
	EXPECT_STREQ("migrate_disable", val);
	ASSERT_TRUE(vp_field(text, "generation", val, sizeof(val)));
	EXPECT_EQ(gen + 1, strtol(val, NULL, 10));
}

/* One bad write: refused with EINVAL, and the file reads as before. */
static void expect_rejected(struct __test_metadata *_metadata,
			    const char *path, const char *bad, size_t len,
			    const char *what)
{
	char before[4096], after[4096];
	long gen = vp_generation();
	bool readable = vp_read(path, before, sizeof(before)) >= 0;

	int ret = vp_write(path, bad, len);

	/*
	 * kernfs answers a zero-length write itself, with 0, without calling
	 * the module: nothing can change, which is what is checked below.
	 */
	if (!len && !strncmp(path, VP_SYSFS, strlen(VP_SYSFS)) && !ret)
		ret = -EINVAL;
	EXPECT_EQ(-EINVAL, ret) TH_LOG("%s: '%s' was accepted", path, what);
	if (readable) {
		ASSERT_LE(0, vp_read(path, after, sizeof(after)));
		EXPECT_STREQ(before, after) TH_LOG("%s changed by '%s'", path,
						   what);
	}
	EXPECT_EQ(gen, vp_generation()) TH_LOG("%s: '%s' ran", path, what);
}

TEST_F(iface, bad_writes_change_nothing)
{
	static const char * const files[] = {
		VP_SYSFS "/pinning_mode", VP_SYSFS "/hotplug_policy",
		VP_SYSFS "/run", VP_DEBUGFS "/source",
		VP_DEBUGFS "/read_delay_us", VP_DEBUGFS "/check",
	};
	static const struct {
		const char *s;
		size_t len;
		const char *what;
	} bad[] = {
		{ "", 0, "empty" },
		{ "\n", 1, "newline only" },
		{ "NONE", 4, "wrong case" },
		{ "None\n", 5, "wrong case, newline" },
		{ "none none", 9, "two words" },
		{ "none\n\n", 6, "two newlines" },
		{ " none", 5, "leading space" },
		{ "none ", 5, "trailing space" },
		{ "none\0", 5, "trailing NUL" },
		{ "\0none", 5, "leading NUL" },
		{ "\xff\xfe\x01\x02", 4, "binary bytes" },
		{ "refuse2", 7, "word with suffix" },
		{ "-1", 2, "negative number" },
		{ "+5", 2, "signed number" },
		{ "0x10", 4, "hex number" },
		{ "100001", 6, "delay over the limit" },
		{ "1 1", 3, "two ones" },
		{ "1\n1", 3, "two lines" },
	};
	static char junk[4096];
	unsigned int f, i;

	memset(junk, 'x', sizeof(junk));
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			expect_rejected(_metadata, files[f], bad[i].s,
					bad[i].len, bad[i].what);
		expect_rejected(_metadata, files[f], junk, sizeof(junk),
				"4 KiB of junk");
	}
	/* Numbers that only run refuses. */
	expect_rejected(_metadata, VP_SYSFS "/run", "2", 1, "two");
	expect_rejected(_metadata, VP_SYSFS "/run", "0", 1, "zero");
}

/* A literal with its embedded NULs: the bytes written, all of them. */
#define BAD(path, lit, what)	{ path, lit, sizeof(lit) - 1, what }
#define DELAY	VP_DEBUGFS "/read_delay_us"
#define INJECT	VP_DEBUGFS "/inject"
#define BENCH	VP_DEBUGFS "/bench"

/*
 * Each writable file's own grammar, against the ABI's "one exact value,
 * at most one trailing newline": NULs anywhere, a second 0x, signs and
 * leading zeros, stray spaces and newlines.
 */
TEST_F(iface, malformed_writes_per_file)
{
	static const struct {
		const char *path;
		const char *s;
		size_t len;
		const char *what;
	} bad[] = {
		BAD(DELAY, "5\0junk", "NUL, then junk"),
		BAD(DELAY, "7\0\n", "NUL before the newline"),
		BAD(DELAY, "9\n\0", "NUL after the newline"),
		BAD(DELAY, "05", "leading zero"),
		BAD(DELAY, "00", "two zeros"),
		BAD(DELAY, "+0", "plus sign on zero"),
		BAD(DELAY, "-0", "minus sign on zero"),
		BAD(DELAY, " 5", "leading space"),
		BAD(DELAY, "5 ", "trailing space"),
		BAD(DELAY, "5\n\n", "two newlines"),
		BAD(DELAY, "4294967296", "over 32 bits"),
		BAD(DELAY, "99999999999999999999", "over 64 bits"),
		BAD(INJECT, "cpu 1 msr 0x0x48b fault", "doubled 0x in the MSR"),
		BAD(INJECT, "cpu 1 msr 0x48b set 0x0x1", "doubled 0x in the mask"),
		BAD(INJECT, "cpu +1 novmx", "signed CPU"),
		BAD(INJECT, "cpu 01 novmx", "CPU with a leading zero"),
		BAD(INJECT, "cpu 1  novmx", "two spaces"),
		BAD(INJECT, " cpu 1 novmx", "leading space"),
		BAD(INJECT, "cpu 1 novmx ", "trailing space"),
		BAD(INJECT, "cpu 1 novmx\n\n", "two trailing newlines"),
		BAD(INJECT, "cpu 1 novmx\0\n", "NUL before the newline"),
		BAD(INJECT, "cpu 1 novmx\n\0", "NUL after the newline"),
		BAD(INJECT, "cpu 1 msr 0x48b set 0x", "0x without digits"),
		BAD(INJECT, "cpu 1 msr 0X48b fault", "upper-case 0X"),
		BAD(INJECT, "cpu 1 msr 0x48b set 0x00000000000000001",
		    "17 hex digits"),
		BAD(INJECT, "cpu 1 msr 0x48b set +0x1", "signed mask"),
		BAD(INJECT, "cpu 1 msr 0x48b set 1", "mask without 0x"),
		BAD(INJECT, "cpu 1 msr 0x48b fault 0x1", "fault with a mask"),
		BAD(BENCH, "floor_reads 2\n\n", "two trailing newlines"),
		BAD(BENCH, "setup none 1\n\n", "two trailing newlines"),
		BAD(BENCH, "floor_reads 01", "leading zero"),
		BAD(BENCH, "floor_reads 0", "zero runs"),
		BAD(BENCH, "floor_reads 10001", "over the limit"),
		BAD(BENCH, "floor_reads +2", "signed count"),
		BAD(BENCH, "floor_reads 0x2", "hex count"),
		BAD(BENCH, "floor_reads  2", "two spaces"),
		BAD(BENCH, "setup  none 1", "two spaces after setup"),
		BAD(BENCH, "floor_reads 2 ", "trailing space"),
		BAD(BENCH, "floor_reads 2\0", "trailing NUL"),
		BAD(BENCH, "floor_reads 2\0\n", "NUL before the newline"),
		BAD(BENCH, "floor_reads", "no count"),
		BAD(BENCH, "setup none", "setup without a count"),
		BAD(BENCH, "setup bogus 1", "unknown mode"),
		BAD(BENCH, "floor_reads 2\nfloor_reads 2", "two commands"),
		BAD(VP_DEBUGFS "/source", "hw\n\0", "NUL after the newline"),
		BAD(VP_DEBUGFS "/check", "serial\0junk", "NUL, then junk"),
		BAD(VP_SYSFS "/run", "1\0", "trailing NUL"),
		BAD(VP_SYSFS "/run", "01", "leading zero"),
		BAD(VP_SYSFS "/pinning_mode", "none\n\0", "NUL after the newline"),
		BAD(VP_SYSFS "/hotplug_policy", "report\0\n", "NUL, newline"),
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_rejected(_metadata, bad[i].path, bad[i].s, bad[i].len,
				bad[i].what);
}

/* The exact forms still work: the strictness is not a blanket refusal. */
TEST_F(iface, exact_writes_are_accepted)
{
	char buf[4096];

	ASSERT_EQ(0, vp_write_str(DELAY, "7\n"));
	ASSERT_EQ(0, vp_read_word(DELAY, buf, sizeof(buf)));
	EXPECT_STREQ("7", buf);
	ASSERT_EQ(0, vp_write_str(DELAY, "0"));
	ASSERT_EQ(0, vp_write_str(INJECT,
				  "cpu 1 msr 0x48B set 0x0000000000000001\n"));
	ASSERT_LT(0, vp_read(INJECT, buf, sizeof(buf)));
	EXPECT_STREQ("version 1\ncpu 1 msr 0x48b set 0x1\n", buf);
	ASSERT_EQ(0, vp_write_str(BENCH, "floor_reads 2\n"));
	ASSERT_LT(0, vp_read(BENCH, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "floor_reads runs 2 "));
}

/* A malformed snapshot is refused and the loaded one stays. */
TEST_F(iface, malformed_snapshots_keep_the_previous)
{
	static const char good_cpu[] =
		"cpu 0\ncpuid1_ecx 0x20\nmsr 0x3a 0x5\nmsr 0x480 0xda0400000004\n";
	static const struct {
		const char *text;
		const char *what;
	} bad[] = {
		{ "", "empty" },
		{ "vmcs_probe-snapshot 2\ncpu 0\nend\n", "unknown version" },
		{ "vmcs-probe-snapshot 1\ncpu 0\nend\n", "bad magic" },
		{ "vmcs_probe-snapshot 1\nend\n", "no cpu" },
		{ "vmcs_probe-snapshot 1\ncpu 0\n", "no end" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nmsr 0x480 0x1\nmsr 0x480 0x2\nend\n",
		  "duplicate MSR" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nmsr 0x10 0x1\nend\n", "unknown MSR" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nmsr 0x494 0x1\nend\n", "MSR past the set" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nmsr 0x480 0x10000000000000000\nend\n",
		  "value over 64 bits" },
		{ "vmcs_probe-snapshot 1\ncpu 0\ncpuid 0x1 0x100000000\nend\n",
		  "CPUID over 32 bits" },
		{ "vmcs_probe-snapshot 1\ncpu 0\ncpuid 0x7 0x1\nend\n", "unknown leaf" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nmsr 0x480 480\nend\n", "no 0x" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nmsr 0x480 0x1 junk\nend\n",
		  "trailing junk" },
		{ "vmcs_probe-snapshot 1\ncpu 0\ncpu 0\nend\n", "duplicate cpu" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nend\ncpu 1\n", "text after end" },
		{ "vmcs_probe-snapshot 1\ncpu 0\nfrobnicate 1\nend\n", "unknown key" },
		{ "vmcs_probe-snapshot 1\nkvm 5.4\ncpu 0\nend\n", "unknown kvm" },
		{ "vmcs_probe-snapshot 1\ncpu 99999\nend\n", "cpu out of range" },
	};
	static char before[1 << 16], after[1 << 16], big[(1 << 20) + 64];
	char buf[4096];
	unsigned int i;

	snprintf(buf, sizeof(buf), "vmcs_probe-snapshot 1\n%send\n", good_cpu);
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/snapshot", buf));
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/source", "replay"));
	ASSERT_LE(0, vp_read(VP_DEBUGFS "/snapshot", before, sizeof(before)));
	ASSERT_NE(NULL, strstr(before, "msr 0x480 0x"));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, vp_write(VP_DEBUGFS "/snapshot", bad[i].text,
					    strlen(bad[i].text)))
			TH_LOG("accepted: %s", bad[i].what);
		ASSERT_LE(0, vp_read(VP_DEBUGFS "/snapshot", after, sizeof(after)));
		EXPECT_STREQ(before, after) TH_LOG("changed by: %s", bad[i].what);
	}
	/* Over 1 MiB, even if each line were good. */
	memset(big, '#', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	EXPECT_EQ(-EINVAL, vp_write(VP_DEBUGFS "/snapshot", big, sizeof(big)));
	ASSERT_LE(0, vp_read(VP_DEBUGFS "/snapshot", after, sizeof(after)));
	EXPECT_STREQ(before, after);
	ASSERT_EQ(0, vp_read_word(VP_DEBUGFS "/source", buf, sizeof(buf)));
	EXPECT_STREQ("hw percpu [replay]", buf);
}

/* Nothing to replay in a freshly loaded module. */
TEST(replay_needs_a_snapshot)
{
	char buf[64];

	ASSERT_EQ(0, vp_unload());
	ASSERT_EQ(0, vp_load());
	EXPECT_EQ(-EINVAL, vp_write_str(VP_DEBUGFS "/source", "replay"));
	ASSERT_EQ(0, vp_read_word(VP_DEBUGFS "/source", buf, sizeof(buf)));
	EXPECT_STREQ("[hw] percpu replay", buf);
}

/* The files readers see hold one generation, complete. */
static void check_whole(struct __test_metadata *_metadata)
{
	static __thread char text[1 << 16];
	char key[32], line[512], val[64];
	int cpus = vp_possible_cpus(), cpu;

	ASSERT_LT(0, vp_read(VP_DEBUGFS "/compat", text, sizeof(text)));
	ASSERT_TRUE(vp_field(text, "generation", val, sizeof(val)));
	for (cpu = 0; cpu < cpus; cpu++) {
		snprintf(key, sizeof(key), "cpu%d", cpu);
		ASSERT_TRUE(vp_find_line(text, key, line, sizeof(line)));
	}
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/reference", text, sizeof(text)));
	ASSERT_TRUE(vp_find_line(text, "vpid_caps", line, sizeof(line)) ||
		    vp_find_line(text, "nested.vmfunc_controls", line,
				 sizeof(line)));
}

struct hammer {
	struct __test_metadata *meta;
	int runs;
	int id;
};

static void *hammer_writer(void *arg)
{
	static const char * const modes[] = {
		"none", "migrate_disable", "preempt_disable",
	};
	struct hammer *h = arg;
	int i;

	for (i = 0; i < h->runs; i++) {
		vp_write_str(VP_SYSFS "/pinning_mode", modes[(i + h->id) % 3]);
		if (vp_run())
			return (void *)1;
	}
	return NULL;
}

static void *hammer_reader(void *arg)
{
	struct hammer *h = arg;
	int i;

	for (i = 0; i < h->runs * 3; i++)
		check_whole(h->meta);
	return NULL;
}

TEST_F(iface, concurrent_writers_are_serialized)
{
	struct hammer h[4];
	pthread_t t[4];
	long gen = vp_generation();
	void *ret;
	int i;

	for (i = 0; i < 4; i++) {
		h[i] = (struct hammer){ .meta = _metadata, .runs = 20, .id = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL,
					    i < 3 ? hammer_writer : hammer_reader,
					    &h[i]));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(NULL, ret);
	}
	/* Every run counted once: no run lost or merged. */
	EXPECT_EQ(gen + 3 * 20, vp_generation());
}

/*
 * rmmod with a sysfs and a debugfs file open: either the module refuses
 * to go (the open debugfs file holds a reference) or it goes and the
 * open files fail cleanly.  No crash either way; the run's kernel log
 * scan catches any splat.
 */
TEST_F(iface, unload_with_files_open)
{
	char buf[256];
	int fs, fd, rc;

	fs = open(VP_SYSFS "/status", O_RDONLY);
	fd = open(VP_DEBUGFS "/reference", O_RDONLY);
	ASSERT_LE(0, fs);
	ASSERT_LE(0, fd);
	rc = system("rmmod vmcs_probe 2>/dev/null");
	TH_LOG("rmmod with files open: %s", rc ? "refused" : "unloaded");
	(void)!pread(fs, buf, sizeof(buf), 0);
	(void)!pread(fd, buf, sizeof(buf), 0);
	close(fs);
	close(fd);
	/* With the files closed, unload must work. */
	ASSERT_EQ(0, vp_unload());
	ASSERT_EQ(0, vp_load());
}

TEST_HARNESS_MAIN
