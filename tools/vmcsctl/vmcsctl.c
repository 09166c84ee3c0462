// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl: control and read vmcs_probe, and replay its snapshots offline.
 *
 * One table of subcommands; main() only parses the global options and
 * dispatches.  Each subcommand lives in its own file.
 */
#include <stdarg.h>
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
	{ "status", status_main, "overall status and a line per CPU" },
	{ "mode", mode_main, "show or set the pinning mode" },
	{ "run", run_main, "rerun the reference setup and show a summary" },
	{ "dump", dump_main, "configurations and raw MSRs (text, json, snapshot)" },
	{ "decode", decode_main, "every bit of every VMX capability MSR, named" },
	{ "diff", diff_main, "the fields and bits two configurations differ in" },
	{ "compute", compute_main, "run the engine on a snapshot, no module needed" },
	{ "migrate", migrate_main, "nested VMX features hosts differ in, and why (vmx-* names)" },
	{ "explain", explain_main, "KVM's log lines about refused CPUs, in names" },
	{ "pin-kvm", pinkvm_main, "make every load of kvm_intel/kvm_amd run on one CPU" },
	{ "audit-load", auditload_main, "which CPUs KVM's own setup read its MSRs on" },
};

void vmcsctl_err(const char *fmt, ...)
{
	va_list ap;

	if (opts.quiet)
		return;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char exit_codes[] =
	"Exit status: 0 ok or equal, 1 inconsistent or different, 2 usage,\n"
	"3 module not loaded or no permission, 4 malformed input, 5 refused\n"
	"(pin-kvm).\n";

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [--sysfs DIR] [--debugfs DIR] <command> [<args>]\n",
		prog);
	fprintf(f, "\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(f, "\nRun '%s <command> --help' for a command's options.\n",
		prog);
	fprintf(f, "%s", exit_codes);
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
		if (strcmp(argv[0], "--sysfs") && strcmp(argv[0], "--debugfs")) {
			vmcsctl_err("unknown option '%s'", argv[0]);
			usage(stderr);
			return EXIT_USAGE;
		}
		if (argc < 2) {
			vmcsctl_err("%s needs a directory", argv[0]);
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
	vmcsctl_err("unknown command '%s'", argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}
