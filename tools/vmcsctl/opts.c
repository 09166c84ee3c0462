// SPDX-License-Identifier: GPL-2.0
/*
 * The command line of a subcommand: its options as a table (struct opt),
 * one getopt_long() loop for all of them with what --help and a bad
 * option do, and the parsers of the option arguments, each with its one
 * error message.
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

bool opt_kvm(const char *arg, enum vp_kvm *kvm)
{
	if (!parse_kvm(arg, kvm)) {
		vmcsctl_err("unknown KVM version '%s' (want %s)", arg,
			    kvm_names_list());
		return false;
	}
	return true;
}

static bool opt_cpu(const char *arg, unsigned int *cpu)
{
	unsigned long long v;

	if (!parse_uint(arg, VP_SNAPSHOT_CPU_LIMIT - 1, &v)) {
		vmcsctl_err("bad CPU number '%s'", arg);
		return false;
	}
	*cpu = (unsigned int)v;
	return true;
}

static bool opt_choice(const struct opt *o, const char *arg, int *val)
{
	char want[128];
	int i;

	for (i = 0; o->names[i]; i++) {
		if (!strcmp(arg, o->names[i])) {
			*val = i;
			return true;
		}
	}
	vmcsctl_err("unknown %s '%s' (want %s)", o->name, arg,
		    names_list(want, sizeof(want), o->names));
	return false;
}

/* Option @o given, with @arg (NULL for a flag): 0 or an exit code. */
static int opt_set(const struct opt *o, const char *arg)
{
	char what[64];

	if (o->seen)
		(*o->seen)++;
	switch (o->type) {
	case OPT_FLAG:
		if (o->val)
			*(bool *)o->val = true;
		return 0;
	case OPT_STRING:
		*(const char **)o->val = arg;
		return 0;
	case OPT_CPU:
		return opt_cpu(arg, o->val) ? 0 : EXIT_USAGE;
	case OPT_KVM:
		return opt_kvm(arg, o->val) ? 0 : EXIT_USAGE;
	case OPT_CHOICE:
		return opt_choice(o, arg, o->val) ? 0 : EXIT_USAGE;
	case OPT_PARAM:
		snprintf(what, sizeof(what), "--%s ", o->name);
		return param_arg(o->val, arg, what);
	case OPT_CALL:
		return o->fn(o->val, arg);
	}
	return 0;
}

/* getopt_long()'s value for options[i]: above any short option's. */
#define OPT_VAL(i)	(256 + (int)(i))

int opts_parse(int argc, char *argv[], const struct opt *options,
	       const char *usage)
{
	struct option longopts[OPTS_MAX + 2];
	char shortopts[2 * OPTS_MAX + 2] = "h";
	unsigned int n, i, ns = 1;
	int c;

	for (n = 0; options[n].name; n++) {
		bool has_arg = options[n].type != OPT_FLAG;

		if (n == OPTS_MAX) {
			vmcsctl_err("more than %d options", OPTS_MAX);
			return EXIT_USAGE;
		}
		longopts[n] = (struct option){
			.name = options[n].name,
			.has_arg = has_arg ? required_argument : no_argument,
			.val = OPT_VAL(n),
		};
		if (options[n].short_name) {
			shortopts[ns++] = options[n].short_name;
			if (has_arg)
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';
	longopts[n] = (struct option){ .name = "help", .val = 'h' };
	longopts[n + 1] = (struct option){ 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("%s", usage);
			return EXIT_OK;
		}
		for (i = 0; i < n; i++)
			if (c == OPT_VAL(i) || c == options[i].short_name)
				break;
		/* '?': not an option, or its argument is missing. */
		if (i == n)
			return usage_error(usage);
		c = opt_set(&options[i], optarg);
		if (c)
			return c;
	}
	return -1;
}
