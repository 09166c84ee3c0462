// SPDX-License-Identifier: GPL-2.0
/*
 * The upstream argument, reproduced: with pinning mode "none" and the
 * writer of "run" moved between CPUs while its setup is in flight, the
 * reference is read from several CPUs and can match none of them; with
 * migrate_disable or preempt_disable it never moves.
 *
 * The setup is slowed with read_delay_us and runs on a replayed snapshot
 * of a VMX CPU, so that it makes all of KVM's reads even without VMX.
 */
#include <pthread.h>
#include <sys/syscall.h>

#include "vp_test.h"
#include "kselftest_harness.h"

struct mover {
	pid_t tid;		/* the task to move */
	int cpus[2];		/* between these */
	int period_us;
	volatile bool stop;
	unsigned long moves;
};

static void *mover_fn(void *arg)
{
	struct mover *mv = arg;
	cpu_set_t set;
	int i = 0;

	while (!mv->stop) {
		CPU_ZERO(&set);
		CPU_SET(mv->cpus[i++ & 1], &set);
		if (!sched_setaffinity(mv->tid, sizeof(set), &set))
			mv->moves++;
		usleep(mv->period_us);
	}
	return NULL;
}

/* Run once from this thread while another thread moves it around. */
static int run_moved(struct mover *mv)
{
	pthread_t t;
	int ret;

	mv->tid = syscall(SYS_gettid);
	mv->stop = false;
	if (pthread_create(&t, NULL, mover_fn, mv))
		return -1;
	ret = vp_run();
	mv->stop = true;
	pthread_join(t, NULL);
	return ret;
}

struct trace {
	char mode[32];
	int switches;
	bool mixed;
	int cpu_of_48b;
	int cpu_of_481;
};

static void read_trace(struct __test_metadata *_metadata, struct trace *t)
{
	static char text[1 << 14];
	char val[64], line[128];

	ASSERT_LT(0, vp_read(VP_DEBUGFS "/setup_trace", text, sizeof(text)));
	ASSERT_TRUE(vp_field(text, "mode", t->mode, sizeof(t->mode)));
	ASSERT_TRUE(vp_field(text, "cpu_switches", val, sizeof(val)));
	t->switches = atoi(val);
	ASSERT_TRUE(vp_field(text, "mixed", val, sizeof(val)));
	t->mixed = !strcmp(val, "yes");
	t->cpu_of_48b = -1;
	t->cpu_of_481 = -1;
	if (vp_find_line(text, "read 0x48b cpu", line, sizeof(line)))
		t->cpu_of_48b = atoi(line + 15);
	if (vp_find_line(text, "read 0x481 cpu", line, sizeof(line)))
		t->cpu_of_481 = atoi(line + 15);
}

FIXTURE(pinning) {
	struct mover mv;
};

FIXTURE_SETUP(pinning)
{
	ASSERT_EQ(0, vp_load());
	vp_reset();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 3)
		SKIP(return, "needs at least 3 online CPUs");
	ASSERT_EQ(0, vp_use_replay()) TH_LOG("no snapshot to replay");
	self->mv.cpus[0] = 1;
	self->mv.cpus[1] = 2;
	self->mv.period_us = 500;
}

FIXTURE_TEARDOWN(pinning)
{
	cpu_set_t all;
	int cpu;

	CPU_ZERO(&all);
	for (cpu = 0; cpu < vp_possible_cpus(); cpu++)
		CPU_SET(cpu, &all);
	sched_setaffinity(0, sizeof(all), &all);
	vp_reset();
}

TEST_F(pinning, none_mode_migrates_mid_setup)
{
	struct trace t = {};
	int i;

	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "2000"));
	for (i = 0; i < 10 && !t.mixed; i++) {
		ASSERT_EQ(0, run_moved(&self->mv));
		read_trace(_metadata, &t);
	}
	TH_LOG("mixed after %d runs, %d switches, %lu moves", i, t.switches,
	       self->mv.moves);
	EXPECT_STREQ("none", t.mode);
	EXPECT_TRUE(t.mixed);
	EXPECT_LT(0, t.switches);
}

/*
 * CPU 1 differs from the others in two MSRs read far apart.  A setup that
 * reads one of them on CPU 1 and the other elsewhere builds a reference
 * that is neither CPU 1's configuration nor the others': every CPU is
 * then flagged.
 */
TEST_F(pinning, none_mode_reference_matches_no_cpu)
{
	struct trace t = {};
	char st0[32], st1[32], st2[32];
	bool split = false;
	int i;

	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/inject",
				  "cpu 1 msr 0x48b clear 0x4000000000\n"
				  "cpu 1 msr 0x481 clear 0x2000000000\n"));
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "3000"));
	for (i = 0; i < 40 && !split; i++) {
		ASSERT_EQ(0, run_moved(&self->mv));
		read_trace(_metadata, &t);
		split = t.cpu_of_48b >= 0 && t.cpu_of_481 >= 0 &&
			(t.cpu_of_48b == 1) != (t.cpu_of_481 == 1);
	}
	ASSERT_TRUE(split) TH_LOG("the two reads never split across CPUs");
	TH_LOG("run %d: 0x48b read on cpu%d, 0x481 on cpu%d", i,
	       t.cpu_of_48b, t.cpu_of_481);
	vp_compat_of(0, st0, sizeof(st0));
	vp_compat_of(1, st1, sizeof(st1));
	vp_compat_of(2, st2, sizeof(st2));
	EXPECT_STREQ("mismatch", st0);
	EXPECT_STREQ("mismatch", st1);
	EXPECT_STREQ("mismatch", st2);
}

/* At least 100 provoked runs in a pinned mode: never a switch. */
static void never_moves(struct __test_metadata *_metadata, struct mover *mv,
			const char *mode, const char *delay)
{
	struct trace t;
	int i;

	ASSERT_EQ(0, vp_write_str(VP_SYSFS "/pinning_mode", mode));
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", delay));
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, run_moved(mv));
		read_trace(_metadata, &t);
		ASSERT_STREQ(mode, t.mode);
		ASSERT_EQ(0, t.switches) TH_LOG("run %d switched CPUs", i);
		ASSERT_FALSE(t.mixed);
	}
	TH_LOG("%s: 100 runs, 0 switches, %lu moves attempted", mode,
	       mv->moves);
	EXPECT_LT(0, mv->moves);
}

TEST_F(pinning, migrate_disable_never_moves)
{
	never_moves(_metadata, &self->mv, "migrate_disable", "300");
}

TEST_F(pinning, preempt_disable_never_moves)
{
	/* A busy wait there, capped at 100 us per access. */
	never_moves(_metadata, &self->mv, "preempt_disable", "100");
}

/* The percpu source in every mode (the debug lane checks for splats). */
TEST_F(pinning, percpu_source_in_every_mode)
{
	static const char * const modes[] = {
		"none", "migrate_disable", "preempt_disable",
	};
	struct trace t;
	unsigned int i;

	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/source", "percpu"));
	ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/read_delay_us", "200"));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, vp_write_str(VP_SYSFS "/pinning_mode", modes[i]));
		ASSERT_EQ(0, run_moved(&self->mv));
		read_trace(_metadata, &t);
		EXPECT_STREQ(modes[i], t.mode);
	}
}

TEST_HARNESS_MAIN
