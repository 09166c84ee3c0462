// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl run [--mode MODE] [--cpu N]: rerun the reference setup and
 * print where it ran.  With --cpu the tool first binds itself to CPU N,
 * the userspace mitigation: the module runs the setup in the writing task,
 * so a task bound to one CPU cannot be migrated in the middle of it.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

static const char run_usage[] =
	"Usage: vmcsctl run [--mode MODE] [--cpu N]\n"
	"Rerun the reference setup and check every CPU against it, then print\n"
	"the status, the generation and where the setup ran.\n"
	"  --mode MODE  select the pinning mode first (see 'vmcsctl mode')\n"
	"  --cpu N      bind vmcsctl to CPU N first (sched_setaffinity)\n"
	"Exit status 0 if consistent, 1 otherwise.\n";

static int pin_to(unsigned int cpu)
{
	cpu_set_t *set = CPU_ALLOC(cpu + 1);
	size_t size = CPU_ALLOC_SIZE(cpu + 1);
	int ret = 0;

	if (!set) {
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	CPU_ZERO_S(size, set);
	CPU_SET_S(cpu, size, set);
	if (sched_setaffinity(0, size, set)) {
		vmcsctl_err("cannot bind to CPU %u: %s", cpu, strerror(errno));
		ret = EXIT_USAGE;
	}
	CPU_FREE(set);
	return ret;
}

/* Status, generation and trace of one generation: 0, exit code, -1. */
static int summary(struct out *o, bool *consistent)
{
	struct node trace = { 0 };
	unsigned long long g = 0;
	struct trace_file tr;
	char word[WORD_MAX];
	int ret;

	ret = load_sysfs_words(&g, word);
	/* Where the setup ran is only in debugfs. */
	if (!ret && !kernel_debugfs_warn("setup trace")) {
		out_printf(o, "status:       %s\n", word);
		out_printf(o, "generation:   %llu\n", g);
		*consistent = !strcmp(word, "consistent");
		goto out;
	}
	if (!ret)
		ret = node_load(&trace, opts.debugfs, "setup_trace");
	if (!ret)
		ret = parse_trace(&trace.t, &tr);
	if (!ret && tr.generation != g)
		ret = -1;
	if (!ret) {
		out_printf(o, "status:       %s\n", word);
		out_printf(o, "generation:   %llu\n", g);
		out_printf(o, "mode:         %s\n", tr.mode);
		out_printf(o, "source:       %s\n", tr.source);
		out_printf(o, "start cpu:    %d\n", tr.start_cpu);
		out_printf(o, "end cpu:      %d\n", tr.end_cpu);
		out_printf(o, "cpu switches: %llu\n", tr.cpu_switches);
		out_printf(o, "mixed:        %s\n", tr.mixed ? "yes" : "no");
		out_printf(o, "duration:     %llu ns\n", tr.duration_ns);
		*consistent = !strcmp(word, "consistent");
	}
out:
	node_free(&trace);
	return ret;
}

int run_main(int argc, char *argv[])
{
	unsigned int cpu = 0, pin = 0;
	const char *mode = NULL;
	int ret;
	const struct opt options[] = {
		{ .name = "mode", .type = OPT_STRING, .val = &mode },
		{ .name = "cpu", .type = OPT_CPU, .val = &cpu, .seen = &pin },
		{ 0 }
	};

	ret = opts_parse(argc, argv, options, run_usage);
	if (ret >= 0)
		return ret;
	if (optind != argc)
		return usage_error(run_usage);
	if (pin) {
		ret = pin_to(cpu);
		if (ret)
			return ret;
	}
	if (mode) {
		ret = mode_set(mode);
		if (ret)
			return ret;
	}
	ret = kernel_write(opts.sysfs, "run", "1");
	if (ret)
		return ret;
	return kernel_report(summary,
			     "another run finished meanwhile; see 'vmcsctl status'");
}
