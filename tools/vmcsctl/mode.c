// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl mode [MODE]: print the pinning mode, or select one for the
 * next run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

static const char mode_usage[] =
	"Usage: vmcsctl mode [MODE]\n"
	"Without MODE, print the pinning mode the next run will use.  With\n"
	"MODE (none, migrate_disable or preempt_disable, as the module lists\n"
	"them), select it; this does not start a run.\n";

/* The module's pinning_mode, parsed; 0 or an exit code. */
static int mode_read(struct choice *ch)
{
	struct node n;
	int ret;

	ret = node_load(&n, opts.sysfs, "pinning_mode");
	if (!ret)
		ret = parse_choice(&n.t, ch);
	node_free(&n);
	return ret;
}

/* Check @mode against the module's list and write it; 0 or exit code. */
int mode_set(const char *mode)
{
	struct choice ch;
	unsigned int i;
	int ret;

	ret = mode_read(&ch);
	if (ret)
		return ret;
	for (i = 0; i < ch.nr; i++)
		if (!strcmp(mode, ch.words[i]))
			return kernel_write(opts.sysfs, "pinning_mode", mode);
	if (!opts.quiet) {
		fprintf(stderr, "%s: unknown mode '%s' (the module knows:", prog,
			mode);
		for (i = 0; i < ch.nr; i++)
			fprintf(stderr, " %s", ch.words[i]);
		fprintf(stderr, ")\n");
	}
	return EXIT_USAGE;
}

int mode_main(int argc, char *argv[])
{
	struct out o = { 0 };
	struct choice ch;
	int ret;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return usage_or_help(argc, argv, mode_usage);
	if (argc == 2)
		return mode_set(argv[1]);
	ret = mode_read(&ch);
	if (ret)
		return ret;
	out_printf(&o, "%s\n", ch.words[ch.current]);
	ret = out_flush(&o, NULL);
	out_free(&o);
	return ret;
}
