// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl diff A B: the fields two configurations differ in, and for
 * each the names of the bits only one side has.  vmcsctl diff --kvm V
 * --kvm W FILE: the same between two KVM versions (kvmdiff.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

static const char diff_usage[] =
	"Usage: vmcsctl diff A B\n"
	"Compare two configurations field by field and name the differing bits.\n"
	"A and B are each: reference or live (the module's reference), cpuN (the\n"
	"module's CPU N), a snapshot FILE (its reference, computed from its first\n"
	"section) or FILE:cpuN (CPU N of the snapshot, checked against that\n"
	"reference).  Exit status 0 if equal, 1 if they differ.\n"
	"\n"
	"Usage: vmcsctl diff --kvm V --kvm W FILE[:cpuN]\n"
	"What KVM versions V and W compute differently for the snapshot FILE (the\n"
	"reference on its first section, or on CPU N): fields, nested MSR bits,\n"
	"effective kvm_intel parameters and per-CPU verdicts, each field and\n"
	"parameter with the rule of the version table that makes the difference.\n"
	"\n"
	"When both sides are SVM CPUs (cpuN of a module on its SVM engine, or of\n"
	"an SVM snapshot), their SVM facts are compared, 0x8000000A's EDX bits by\n"
	"name.\n";

/* diff --kvm V --kvm W FILE[:cpuN] */
static int diff_kvm_main(int argc, char *argv[])
{
	const struct vp_snapshot_cpu *ref;
	struct vp_snapshot *snap = NULL;
	enum vp_kvm kvm[2];
	struct out o = { 0 };
	unsigned int cpu = 0, i;
	char path[4096];
	size_t n;
	int ret;

	if (argc != 6 || strcmp(argv[1], "--kvm") || strcmp(argv[3], "--kvm"))
		return usage_error(diff_usage);
	for (i = 0; i < 2; i++)
		if (!opt_kvm(argv[2 + 2 * i], &kvm[i]))
			return EXIT_USAGE;
	n = file_cpu_split(argv[5], &cpu);
	str_copy(path, sizeof(path), argv[5]);
	if (n)
		path[n] = '\0';
	ret = load_snapshot_cpu(path, n, cpu, &snap, &ref);
	if (ret)
		return ret;
	ret = kvm_diff_print(kvm[0], kvm[1], snap, ref, &o);
	free(snap);
	if (ret < 0) {
		out_free(&o);
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	n = (size_t)ret;
	ret = out_flush(&o, NULL);
	out_free(&o);
	return !ret && n ? EXIT_DIFFER : ret;
}

/*
 * Two SVM CPUs (of the module on its SVM engine, or of SVM snapshots):
 * their SVM facts, 0x8000000A's EDX bits by name.  -1 when neither side
 * is one, so that the VMX comparison runs.
 */
static int diff_svm(const char *sa, const char *sb)
{
	struct vp_snapshot_cpu *a, *b;
	bool svm_a, svm_b;
	struct out o = { 0 };
	unsigned int n;
	int ret;

	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	ret = svm_side(sa, &svm_a, a);
	if (!ret)
		ret = svm_side(sb, &svm_b, b);
	if (!ret && svm_a != svm_b) {
		vmcsctl_err("%s is %s, %s is not: an SVM CPU compares only with one",
			    svm_a ? sa : sb, "an SVM CPU", svm_a ? sb : sa);
		ret = EXIT_USAGE;
	} else if (!ret && !svm_a) {
		ret = -1;
	} else if (!ret) {
		out_printf(&o, "A: %s (SVM)\nB: %s (SVM)\n", sa, sb);
		n = svm_diff(&o, &a->svm, &b->svm);
		if (!n)
			out_printf(&o, "no difference\n");
		ret = out_flush(&o, NULL);
		if (!ret && n)
			ret = EXIT_DIFFER;
	}
	out_free(&o);
	free(a);
	free(b);
	return ret;
}

int diff_main(int argc, char *argv[])
{
	struct side *a = NULL, *b = NULL;
	struct out o = { 0 };
	unsigned int n = 0;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--kvm"))
		return diff_kvm_main(argc, argv);
	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return usage_or_help(argc, argv, diff_usage);
	ret = diff_svm(argv[1], argv[2]);
	if (ret >= 0)
		return ret;
	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	if (!a || !b) {
		vmcsctl_err("out of memory");
		ret = EXIT_MALFORMED;
		goto out;
	}
	ret = side_load(argv[1], false, true, false, 0, a);
	if (!ret)
		ret = side_load(argv[2], false, true, false, 0, b);
	if (ret)
		goto out;

	out_printf(&o, "A: %s\nB: %s\n", a->label, b->label);
	if (a->cfg.kvm != b->cfg.kvm) {
		out_printf(&o, "kvm: A %s, B %s\n", vp_kvm_name(a->cfg.kvm),
			   vp_kvm_name(b->cfg.kvm));
		n++;
	}
	if (a->cfg.result != b->cfg.result ||
	    strcmp(a->cfg.reason, b->cfg.reason)) {
		out_printf(&o, "result: A %d %s, B %d %s\n", a->cfg.result,
			   a->cfg.reason, b->cfg.result, b->cfg.reason);
		n++;
	}
	n += diff_fields(&o, "A", &a->cfg.cfg, "B", &b->cfg.cfg, true, NULL,
			 NULL);
	if (n)
		out_printf(&o, "%u difference%s\n", n, n == 1 ? "" : "s");
	else
		out_printf(&o, "equal\n");
	ret = out_flush(&o, NULL);
	if (!ret && n)
		ret = EXIT_DIFFER;
out:
	out_free(&o);
	free(a);
	free(b);
	return ret;
}
