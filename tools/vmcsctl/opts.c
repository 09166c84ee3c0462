// SPDX-License-Identifier: GPL-2.0
/*
 * The command line of a subcommand: its getopt_long() loop, with what
 * --help and a bad option do, and the parsers of the option arguments
 * more than one subcommand takes, each with its one error message.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vmcsctl.h"

int usage_or_help(int argc, char *argv[], const char *usage)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("%s", usage);
		return EXIT_OK;
	}
	return usage_error(usage);
}

int usage_error(const char *usage)
{
	fprintf(stderr, "%s", usage);
	return EXIT_USAGE;
}

void opt_start(struct opt_loop *l, int argc, char *argv[],
	       const char *shortopts, const struct option *longopts,
	       const char *usage)
{
	unsigned int n;

	l->argc = argc;
	l->argv = argv;
	l->usage = usage;
	l->exit = EXIT_OK;
	snprintf(l->shortopts, sizeof(l->shortopts), "h%s", shortopts);
	for (n = 0; n < OPTS_MAX && longopts[n].name; n++)
		l->longopts[n] = longopts[n];
	l->longopts[n] = (struct option){ .name = "help", .val = 'h' };
	l->longopts[n + 1] = (struct option){ 0 };
	optind = 1;
	opterr = 0;
}

int opt_next(struct opt_loop *l)
{
	int c = getopt_long(l->argc, l->argv, l->shortopts, l->longopts, NULL);

	if (c == -1)
		return 0;
	if (c == 'h') {
		printf("%s", l->usage);
		l->exit = EXIT_OK;
		return -1;
	}
	/* Not an option, or its argument is missing. */
	if (c == '?') {
		l->exit = usage_error(l->usage);
		return -1;
	}
	return c;
}

bool opt_cpu(const char *arg, unsigned int *cpu)
{
	unsigned long long v;

	if (!parse_uint(arg, VP_SNAPSHOT_CPU_LIMIT - 1, &v)) {
		vmcsctl_err("bad CPU number '%s'", arg);
		return false;
	}
	*cpu = (unsigned int)v;
	return true;
}

bool opt_kvm(const char *arg, enum vp_kvm *kvm)
{
	if (!parse_kvm(arg, kvm)) {
		vmcsctl_err("unknown KVM version '%s' (want %s)", arg,
			    kvm_names_list());
		return false;
	}
	return true;
}

int opt_format(const char *arg, const char * const *names)
{
	char want[128];
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(arg, names[i]))
			return i;
	vmcsctl_err("unknown format '%s' (want %s)", arg,
		    names_list(want, sizeof(want), names));
	return -1;
}
