// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl compute FILE: the module's computation, offline.  The engine
 * built into vmcsctl is the module's own source, so what this prints is
 * what the module would show for a machine with these MSRs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

static const char compute_usage[] =
	"Usage: vmcsctl compute FILE [--kvm 6.1|6.12] [--ref-cpu N]\n"
	"Run the engine on the snapshot FILE ('-' for stdin): the reference,\n"
	"in the format of debugfs 'reference', each CPU's configuration, and\n"
	"the compat check of every CPU, in the format of debugfs 'compat'.\n"
	"  --kvm V      mirror KVM V (default: the snapshot's kvm line, or 6.12)\n"
	"  --ref-cpu N  compute the reference from CPU N (default: the first)\n"
	"Exit status 0 if consistent, 1 otherwise.\n";

int compute_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "kvm", required_argument, NULL, 'k' },
		{ "ref-cpu", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct vp_snapshot_cpu *ref = NULL;
	unsigned long long ref_cpu = 0;
	bool have_kvm = false, have_ref = false;
	struct vp_snapshot *snap = NULL;
	struct offline *r = NULL;
	struct out o = { 0 };
	struct config_file cf;
	enum vp_kvm kvm = VP_KVM_6_12;
	char fields[FIELDS_MAX];
	unsigned int i;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (!parse_kvm(optarg, &kvm)) {
				err("unknown KVM version '%s' (want 6.1 or 6.12)",
				    optarg);
				return EXIT_USAGE;
			}
			have_kvm = true;
			break;
		case 'r':
			if (!parse_uint(optarg, VP_SNAPSHOT_CPU_LIMIT - 1,
					&ref_cpu)) {
				err("bad CPU number '%s'", optarg);
				return EXIT_USAGE;
			}
			have_ref = true;
			break;
		case 'h':
			printf("%s", compute_usage);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s", compute_usage);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s", compute_usage);
		return EXIT_USAGE;
	}
	ret = load_snapshot(argv[optind], &snap);
	if (ret)
		return ret;
	if (have_ref) {
		for (i = 0; i < snap->nr_cpus; i++)
			if (snap->cpus[i].cpu == ref_cpu)
				ref = &snap->cpus[i];
		if (!ref) {
			err("%s: no section for CPU %llu", argv[optind],
			    ref_cpu);
			free(snap);
			return EXIT_USAGE;
		}
	}
	if (!have_kvm)
		kvm = offline_default_kvm(snap);
	r = malloc(sizeof(*r));
	if (!r) {
		free(snap);
		err("out of memory");
		return EXIT_MALFORMED;
	}
	offline_compute(snap, kvm, ref, r);

	out_printf(&o, "# reference (status %s)\n", r->status);
	config_file_from(&cf, &r->ref, r->ref_cpu, r->ref_ret);
	print_config_text(&o, &cf);
	for (i = 0; i < r->nr; i++) {
		out_printf(&o, "\n# cpu%u config\n", r->cpus[i].cpu);
		config_file_from(&cf, &r->cpus[i].cfg, r->cpus[i].cpu,
				 r->cpus[i].ret);
		print_config_text(&o, &cf);
	}
	out_printf(&o, "\n# compat\nversion 1\ngeneration 0\n");
	for (i = 0; i < r->nr; i++) {
		const struct offline_cpu *oc = &r->cpus[i];

		fields[0] = '\0';
		if (!strcmp(oc->status, "mismatch"))
			compat_fields(&r->ref, &oc->cfg, fields, sizeof(fields));
		out_printf(&o, "cpu%u %s%s%s\n", oc->cpu, oc->status,
			   fields[0] ? " " : "", fields);
	}
	ret = out_flush(&o, NULL);
	out_free(&o);
	if (!ret && strcmp(r->status, "consistent"))
		ret = EXIT_DIFFER;
	free(r);
	free(snap);
	return ret;
}
