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
 *                     the compat check in between
 *
 * n is 1 to 10000.  Reading gives one line per measurement made, with
 * min, median and max nanoseconds.  A "setup" command ends with a compat
 * check against the last reference, so the other files stay coherent;
 * the floors change nothing but their own numbers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "kcompat.h"
#include "vmcs_probe.h"

#define VP_BENCH_MAX_RUNS	10000

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

static struct vp_bench_result vp_bench[VP_NR_BENCH];
static struct vp_config vp_bench_scratch;	/* floor_setup's output */
static struct vp_params vp_bench_effective;

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

/* The last setup's accesses, bare, interrupts off. */
static void vp_bench_floor_reads(u64 *ns, unsigned int n)
{
	const struct vp_trace *t = &vp.trace;
	unsigned long flags;
	unsigned int i, j;
	u64 val, t0;

	for (i = 0; i < n; i++) {
		local_irq_save(flags);
		t0 = ktime_get_ns();
		for (j = 0; j < t->nr; j++) {
			if (t->e[j].cpuid)
				vp_source_cpuid(vp.source, t->e[j].what);
			else
				vp_source_msr(vp.source, t->e[j].what, &val);
		}
		ns[i] = ktime_get_ns() - t0;
		local_irq_restore(flags);
	}
	vp_bench[VP_BENCH_FLOOR_READS].accesses = t->nr;
}

static int vp_bare_rdmsr(void *ctx, u32 index, u64 *val)
{
	return vp_source_msr(vp.source, index, val);
}

static u32 vp_bare_cpuid(void *ctx, u32 leaf)
{
	return vp_source_cpuid(vp.source, leaf);
}

/* The whole setup with a bare reader, interrupts off. */
static void vp_bench_floor_setup(u64 *ns, unsigned int n)
{
	const struct vp_reader r = {
		.rdmsr = vp_bare_rdmsr,
		.cpuid_eax = vp_bare_cpuid,
	};
	struct vp_read_ctx bare = { .source = vp.source, .atomic = true };
	struct vp_cpu_support support;
	unsigned long flags;
	unsigned int i;
	u64 t0;

	for (i = 0; i < n; i++) {
		local_irq_save(flags);
		t0 = ktime_get_ns();
		/* What every setup starts with, untraced. */
		vp_read_ctx_support(&bare, &support);
		vp_compute_reference(&vp.run_params, &r, &vp_bench_scratch,
				     &vp_bench_effective);
		ns[i] = ktime_get_ns() - t0;
		local_irq_restore(flags);
	}
	vp_bench[VP_BENCH_FLOOR_SETUP].accesses = vp.trace.nr;
}

/* n setups in @mode, as run makes them. */
static void vp_bench_setup(enum vp_mode mode, u64 *ns, unsigned int n)
{
	struct vp_bench_result *r = &vp_bench[VP_BENCH_SETUP + mode];
	enum vp_mode saved = vp.mode;
	unsigned int i;

	r->switched = 0;
	vp.mode = mode;
	for (i = 0; i < n; i++) {
		vp_policy_run();
		ns[i] = vp.trace.duration_ns;
		if (vp.trace.switches)
			r->switched++;
	}
	vp.mode = saved;
	r->accesses = vp.trace.nr;
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

/**
 * vp_bench_write() - run one benchmark command
 * @buf: the command, NUL-terminated at @len
 * @len: its length
 *
 * Returns 0 or -EINVAL (nothing run).
 */
int vp_bench_write(const char *buf, size_t len)
{
	unsigned int n;
	int kind;
	u64 *ns;

	if (vp_bench_parse(buf, len, &kind, &n))
		return -EINVAL;
	ns = kvcalloc(n, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;

	scoped_guard(vp_cpus_read) {
		guard(mutex)(&vp_lock);

		if (kind == VP_BENCH_FLOOR_READS) {
			vp_bench_floor_reads(ns, n);
		} else if (kind == VP_BENCH_FLOOR_SETUP) {
			vp_bench_floor_setup(ns, n);
		} else {
			vp_bench_setup(kind - VP_BENCH_SETUP, ns, n);
			/* Keep compat coherent with the last reference. */
			vp_compat_check_all(false);
			vp.generation++;
		}
		vp_bench_summarize(&vp_bench[kind], ns, n);
	}
	kvfree(ns);	/* no kvfree cleanup class before 6.3 */
	return 0;
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
