// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl: control and read vmcs_probe.
 *
 * One table of subcommands; main() only parses the global options and
 * dispatches.  Each subcommand lives in its own file.
 */
#include <stdio.h>
#include <string.h>

#include "vmcsctl.h"

const char *prog = "vmcsctl";
struct vmcsctl_opts opts = {
	.sysfs = "/sys/kernel/vmcs_probe",
	.debugfs = "/sys/kernel/debug/vmcs_probe",
};

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *help;
} subcommands[] = {
	{ "status", status_main, "overall status and per-CPU table" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [--sysfs DIR] [--debugfs DIR] <command> [<args>]\n\n"
		"Commands:\n", prog);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(f, "\nRun '%s <command> --help' for a command's options.\n",
		prog);
}

int main(int argc, char *argv[])
{
	size_t i;

	argv++;
	argc--;
	while (argc > 0 && argv[0][0] == '-') {
		if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (argc < 2 || (strcmp(argv[0], "--sysfs") &&
				 strcmp(argv[0], "--debugfs"))) {
			fprintf(stderr, "%s: unknown option '%s'\n", prog,
				argv[0]);
			usage(stderr);
			return EXIT_USAGE;
		}
		if (!strcmp(argv[0], "--sysfs"))
			opts.sysfs = argv[1];
		else
			opts.debugfs = argv[1];
		argv += 2;
		argc -= 2;
	}
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].fn(argc, argv);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}
