// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded and killable work (issue 16): no write holds the host hostage.
 *
 * A replayed Skylake-X snapshot and a long read delay make every setup
 * slow (read_delay_us sleeps before each of its accesses).  Then:
 *  - a bench or run writer killed with SIGKILL is gone within 2 s, and
 *    publishes nothing;
 *  - while a bench runs, sysfs status and generation answer at once, and
 *    a CPU goes offline and online again within 2 s each;
 *  - a bench write stops after its time limit, with fewer runs than
 *    asked for, and says so.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "vp_test.h"
#include "kselftest_harness.h"

#define BENCH	VP_DEBUGFS "/bench"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A child that writes @cmd to @path, once or until killed. */
static pid_t start_writer(const char *path, const char *cmd, bool loop)
{
	pid_t pid = fork();

	if (pid == 0) {
		do {
			if (vp_write_str(path, cmd))
				_exit(1);
		} while (loop);
		_exit(0);
	}
	return pid;
}

/*
 * Wait (up to 5 s) until @pid is inside write(2), as /proc/PID/syscall
 * shows it ("1 ..." on x86-64).  False if it never got there.
 */
static bool in_write(pid_t pid)
{
	char path[64], buf[256];
	double end = now() + 5;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	while (now() < end) {
		if (vp_read(path, buf, sizeof(buf)) > 0 && !strncmp(buf, "1 ", 2))
			return true;
		usleep(10000);
	}
	return false;
}

/* SIGKILL @pid; the seconds until it was reaped (99 if it never was). */
static double kill_and_reap(pid_t pid, int *wstatus)
{
	double t0 = now();

	kill(pid, SIGKILL);
	while (now() - t0 < 30) {
		if (waitpid(pid, wstatus, WNOHANG) == pid)
			return now() - t0;
		usleep(5000);
	}
	return 99;
}

/* The "runs N" of the bench line that starts with @name; -1 if none. */
static long bench_runs(const char *name)
{
	char text[4096], line[512], *p;

	if (vp_read(BENCH, text, sizeof(text)) < 0 ||
	    !vp_find_line(text, name, line, sizeof(line)))
		return -1;
	p = strstr(line, " runs ");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

FIXTURE(bounded) {
};

FIXTURE_SETUP(bounded)
{
	ASSERT_EQ(0, vp_load());
	vp_reset();
	ASSERT_EQ(0, vp_use_replay());
}

FIXTURE_TEARDOWN(bounded)
{
	vp_reset();
}

static void killed_writer_goes(struct __test_metadata *_metadata,
			       const char *path, const char *cmd)
{
	long gen = vp_generation();
	double took;
	int wstatus = 0;
	pid_t pid;

	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "100000"));
	pid = start_writer(path, cmd, false);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(in_write(pid)) TH_LOG("the writer never entered write()");
	usleep(300000);
	/* Still in it: one setup alone takes over a second. */
	ASSERT_EQ(0, waitpid(pid, &wstatus, WNOHANG));
	took = kill_and_reap(pid, &wstatus);
	TH_LOG("'%s' > %s: gone %.3f s after SIGKILL", cmd, path, took);
	EXPECT_LT(took, 2.0);
	EXPECT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
	/* Nothing half done was published. */
	EXPECT_EQ(gen, vp_generation());
	/* And the module still works. */
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "0"));
	ASSERT_EQ(0, vp_run());
	EXPECT_EQ(gen + 1, vp_generation());
}

TEST_F(bounded, killed_bench_is_gone_within_2s)
{
	killed_writer_goes(_metadata, BENCH, "setup none 60");
}

TEST_F(bounded, killed_migrate_disable_bench_is_gone_within_2s)
{
	killed_writer_goes(_metadata, BENCH, "setup migrate_disable 60");
}

TEST_F(bounded, killed_run_is_gone_within_2s)
{
	killed_writer_goes(_metadata, VP_SYSFS "/run", "1");
}

/* Reading @path, or writing @val to it, takes less than 2 s. */
static void quick(struct __test_metadata *_metadata, const char *path,
		  const char *val)
{
	static char buf[1 << 16];
	double t0 = now(), took;

	int ret = val ? vp_write_str(path, val) : vp_read(path, buf, sizeof(buf));

	took = now() - t0;
	EXPECT_LE(0, ret) TH_LOG("%s: %s", path, strerror(-ret));
	TH_LOG("%s %s: %.3f s", val ? "write" : "read", path, took);
	EXPECT_LT(took, 2.0);
}

TEST_F(bounded, hotplug_and_readers_progress_during_a_bench)
{
	int last = vp_possible_cpus() - 1, wstatus = 0;
	char online[128];
	pid_t pid;

	snprintf(online, sizeof(online),
		 "/sys/devices/system/cpu/cpu%d/online", last);
	if (last < 1 || access(online, W_OK))
		SKIP(return, "no CPU that can go offline");
	ASSERT_TRUE(vp_cpu_online(last));
	/*
	 * 15 accesses a setup: 0.15 s of sleeping each, which hotplug may
	 * wait for once (its callbacks take vp_lock), never more.
	 */
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "10000"));
	pid = start_writer(BENCH, "setup none 10000", true);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(in_write(pid));
	usleep(200000);

	quick(_metadata, VP_SYSFS "/status", NULL);
	quick(_metadata, VP_SYSFS "/generation", NULL);
	quick(_metadata, VP_SYSFS "/pinning_mode", NULL);
	quick(_metadata, online, "0");
	EXPECT_FALSE(vp_cpu_online(last));
	quick(_metadata, VP_DEBUGFS "/compat", NULL);
	quick(_metadata, online, "1");
	EXPECT_TRUE(vp_cpu_online(last));
	quick(_metadata, VP_SYSFS "/status", NULL);

	/* The bench ran all along (its loop exits on a failed write). */
	EXPECT_EQ(0, waitpid(pid, &wstatus, WNOHANG));
	EXPECT_LT(kill_and_reap(pid, &wstatus), 2.0);
}

TEST_F(bounded, a_bench_write_stops_at_its_time_limit)
{
	double t0, took;
	long runs;

	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "20000"));
	t0 = now();
	ASSERT_EQ(0, vp_write_str(BENCH, "setup none 10000"));
	took = now() - t0;
	runs = bench_runs("setup none");
	TH_LOG("setup none 10000 with 20 ms reads: %.3f s, %ld runs", took,
	       runs);
	/* 3 s, and the setup then in flight. */
	EXPECT_LT(took, 6.0);
	EXPECT_LE(1, runs);
	EXPECT_GT(10000, runs);
}

TEST_HARNESS_MAIN
