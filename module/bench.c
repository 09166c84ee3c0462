// SPDX-License-Identifier: GPL-2.0
/*
 * Measurements for "make bench", through debugfs "bench".
 *
 * What a pinning mode costs is only meaningful next to what no mode can
 * beat: the same accesses done back to back with interrupts off.  A write
 * of one command runs it in the writing task and keeps its numbers:
 *
 *   floor_reads <n>   the accesses of the last reference setup (its
 *                     trace), replayed bare, interrupts off, n times
 *   floor_setup <n>   the whole reference setup (support check and
 *                     engine) with a bare reader, interrupts off, n times
 *   setup <mode> <n>  n reference setups in that pinning mode, as "run"
 *                     makes them (support check, trace, stats), without
 *                     the compat check in between; the last one is then
 *                     published through vp_publish(), exactly as a run
 *                     in that mode would publish it
 *
 * n is 1 to 10000.  Reading gives one line per measurement made, with
 * min, median and max nanoseconds.  The floors change nothing but their
 * own numbers.
 *
 * A command never holds a lock across more than one iteration: each
 * setup or floor iteration takes vp_lock (killably) for itself alone,
 * and the hotplug lock only for the final compat check.  Between two
 * iterations a fatal signal ends the command with -EINTR (nothing kept,
 * nothing published), and a command stops once it has run for
 * VP_BENCH_MAX_MS: its line then says how many runs were made.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "kcompat.h"
#include "vmcs_probe.h"

#define VP_BENCH_MAX_RUNS	10000
/* Wall time after which a command stops starting iterations. */
#define VP_BENCH_MAX_MS		3000

enum vp_bench_kind {
	VP_BENCH_FLOOR_READS,
	VP_BENCH_FLOOR_SETUP,
	VP_BENCH_SETUP,		/* + mode */
	VP_NR_BENCH = VP_BENCH_SETUP + VP_NR_MODES,
};

struct vp_bench_result {
	unsigned int runs;
	unsigned int accesses;	/* per run */
	unsigned int switched;	/* runs with CPU switches (setup only) */
	u64 min_ns, median_ns, max_ns;
};

/* The results shown by "bench"; under vp_lock. */
static struct vp_bench_result vp_bench[VP_NR_BENCH];

/* One command in progress, private to the writing task. */
struct vp_bench_run {
	enum vp_mode mode;		/* setup */
	u64 *ns;			/* [n] */
	unsigned int n;			/* asked for */
	unsigned int runs;		/* made */
	unsigned int accesses;
	unsigned int switched;
	struct vp_setup setup;		/* setup: the last one */
	struct vp_params params;	/* floor_setup */
	struct vp_params effective;	/* floor_setup's output */
	struct vp_config scratch;	/* floor_setup's output */
};

static int vp_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void vp_bench_summarize(struct vp_bench_result *r, u64 *ns,
			       unsigned int n)
{
	sort(ns, n, sizeof(*ns), vp_cmp_u64, NULL);
	r->runs = n;
	r->min_ns = ns[0];
	r->median_ns = ns[n / 2];
	r->max_ns = ns[n - 1];
}

/* The last setup's accesses, bare, interrupts off.  Once. */
static int vp_bench_floor_reads(struct vp_bench_run *b)
{
	const struct vp_trace *t = &vp.trace;
	unsigned long flags;
	unsigned int j;
	u64 val, t0;

	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (j = 0; j < t->nr; j++) {
		if (t->e[j].cpuid)
			vp_source_cpuid(vp.source, t->e[j].what);
		else
			vp_source_msr(vp.source, t->e[j].what, &val);
	}
	b->ns[b->runs] = ktime_get_ns() - t0;
	local_irq_restore(flags);
	b->accesses = t->nr;
	return 0;
}

static int vp_bare_rdmsr(void *ctx, u32 index, u64 *val)
{
	return vp_source_msr(vp.source, index, val);
}

static u32 vp_bare_cpuid(void *ctx, u32 leaf)
{
	return vp_source_cpuid(vp.source, leaf);
}

/* The whole setup with a bare reader, interrupts off.  Once. */
static int vp_bench_floor_setup(struct vp_bench_run *b)
{
	const struct vp_reader r = {
		.rdmsr = vp_bare_rdmsr,
		.cpuid_eax = vp_bare_cpuid,
	};
	struct vp_read_ctx bare = { .atomic = true };
	struct vp_cpu_support support;
	unsigned long flags;
	u64 t0;

	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	bare.source = vp.source;
	vp_setup_params(&b->params);
	local_irq_save(flags);
	t0 = ktime_get_ns();
	/* What every setup starts with, untraced. */
	vp_read_ctx_support(&bare, &support);
	vp_compute_reference(&b->params, &r, &b->scratch, &b->effective);
	b->ns[b->runs] = ktime_get_ns() - t0;
	local_irq_restore(flags);
	b->accesses = vp.trace.nr;
	return 0;
}

/* One setup in b->mode, as run makes it; the last one is published. */
static int vp_bench_setup(struct vp_bench_run *b, bool last)
{
	struct vp_setup *s = &b->setup;
	int ret;

	ret = vp_setup_killable(b->mode, s);
	if (ret)
		return ret;
	b->ns[b->runs] = s->trace.duration_ns;
	b->accesses = s->trace.nr;
	if (s->trace.switches)
		b->switched++;
	return last ? vp_publish(s, false) : 0;
}

static int vp_bench_step(struct vp_bench_run *b, int kind, bool last)
{
	switch (kind) {
	case VP_BENCH_FLOOR_READS:
		return vp_bench_floor_reads(b);
	case VP_BENCH_FLOOR_SETUP:
		return vp_bench_floor_setup(b);
	default:
		return vp_bench_setup(b, last);
	}
}

/*
 * Up to b->n iterations of command @kind, each on its own: a fatal signal
 * between two ends the command (-EINTR), and after VP_BENCH_MAX_MS the
 * iteration then started is the last.
 */
static int vp_bench_loop(struct vp_bench_run *b, int kind)
{
	u64 stop = ktime_get_ns() + VP_BENCH_MAX_MS * NSEC_PER_MSEC;
	bool last = false;
	int ret;

	while (!last) {
		if (fatal_signal_pending(current))
			return -EINTR;
		last = b->runs + 1 == b->n || ktime_get_ns() >= stop;
		ret = vp_bench_step(b, kind, last);
		if (ret)
			return ret;
		b->runs++;
		cond_resched();
	}
	return 0;
}

static const char * const vp_bench_cmds[] = {
	[VP_BENCH_FLOOR_READS] = "floor_reads",
	[VP_BENCH_FLOOR_SETUP] = "floor_setup",
	[VP_BENCH_SETUP] = "setup",
};

/* "<command> [<mode>] <n>", strictly. */
static int vp_bench_parse(const char *buf, size_t len, int *kind,
			  unsigned int *n)
{
	struct vp_input in;
	int mode = 0;

	if (vp_input_line(&in, buf, len))
		return -EINVAL;
	*kind = vp_input_choice(&in, vp_bench_cmds, ARRAY_SIZE(vp_bench_cmds));
	if (*kind < 0)
		return -EINVAL;
	if (*kind == VP_BENCH_SETUP) {
		mode = vp_input_choice(&in, vp_mode_names, VP_NR_MODES);
		if (mode < 0)
			return -EINVAL;
		*kind += mode;
	}
	if (vp_input_uint(&in, VP_BENCH_MAX_RUNS, n) || !*n ||
	    vp_input_end(&in))
		return -EINVAL;
	return 0;
}

/* Keep the numbers of a finished command. */
static int vp_bench_keep(int kind, struct vp_bench_run *b)
{
	struct vp_bench_result *r = &vp_bench[kind];

	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	vp_bench_summarize(r, b->ns, b->runs);
	r->accesses = b->accesses;
	r->switched = b->switched;
	return 0;
}

/**
 * vp_bench_write() - run one benchmark command
 * @buf: the command, NUL-terminated at @len
 * @len: its length
 *
 * Returns 0, -EINVAL (nothing run), -ENOMEM, or -EINTR when a fatal
 * signal ended it (nothing kept).
 */
int vp_bench_write(const char *buf, size_t len)
{
	struct vp_bench_run *b __free(kfree) = NULL;
	unsigned int n;
	int kind, ret;

	if (vp_bench_parse(buf, len, &kind, &n))
		return -EINVAL;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->ns = kvcalloc(n, sizeof(*b->ns), GFP_KERNEL);
	if (!b->ns)
		return -ENOMEM;
	b->n = n;
	if (kind >= VP_BENCH_SETUP)
		b->mode = kind - VP_BENCH_SETUP;
	ret = vp_bench_loop(b, kind);
	if (!ret)
		ret = vp_bench_keep(kind, b);
	kvfree(b->ns);	/* no kvfree cleanup class before 6.3 */
	return ret;
}

void vp_bench_show(struct seq_file *m)
{
	unsigned int i;

	lockdep_assert_held(&vp_lock);
	for (i = 0; i < VP_NR_BENCH; i++) {
		const struct vp_bench_result *r = &vp_bench[i];

		if (!r->runs)
			continue;
		if (i >= VP_BENCH_SETUP)
			seq_printf(m, "setup %s", vp_mode_names[i - VP_BENCH_SETUP]);
		else if (i == VP_BENCH_FLOOR_READS)
			seq_puts(m, "floor_reads");
		else
			seq_puts(m, "floor_setup");
		seq_printf(m, " runs %u accesses %u min_ns %llu median_ns %llu max_ns %llu",
			   r->runs, r->accesses, r->min_ns, r->median_ns,
			   r->max_ns);
		if (i >= VP_BENCH_SETUP)
			seq_printf(m, " switched %u", r->switched);
		seq_putc(m, '\n');
	}
}
