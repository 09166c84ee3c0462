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

#include "kvm_view.h"
#include "vmcsctl.h"
#include "vmx_regs.h"

static const char compute_usage[] =
	"Usage: vmcsctl compute FILE [--format text|kvm] [--kvm 6.1|6.12]\n"
	"                      [--ref-cpu N] [--param NAME=VALUE]... [--tsc-khz N]\n"
	"Run the engine on the snapshot FILE ('-' for stdin).  Text format: the\n"
	"reference, in the format of debugfs 'reference', the nested MSRs as\n"
	"debugfs 'nested_msrs', each CPU's configuration, and the compat check\n"
	"of every CPU, in the format of debugfs 'compat'.  kvm format: what\n"
	"loading kvm_intel on the reference CPU leaves behind, as debugfs\n"
	"'kvm_view' (load errno, failing CPU, parameters, nested MSRs).\n"
	"  --format F        text (default) or kvm\n"
	"  --kvm V           mirror KVM V (default: the snapshot's kvm line, or 6.12)\n"
	"  --ref-cpu N       compute the reference from CPU N (default: the first)\n"
	"  --param NAME=VAL  load kvm_intel with parameter NAME (repeatable)\n"
	"  --tsc-khz N       the kernel's tsc_khz (kHz)\n"
	"Options override the snapshot's header lines.\n"
	"An SVM snapshot (boot_cpu_amd 1) is computed with kvm_amd's rules: the\n"
	"reference as debugfs 'reference' shows it on AMD, 'nested_cpuid', each\n"
	"CPU's SVM facts and the compat check; --param sets the parameters kvm_amd\n"
	"shares with kvm_intel (nested, vnmi, enable_ipiv); no kvm format.\n"
	"Exit status 0 if consistent (text) or if the load succeeds (kvm),\n"
	"1 otherwise.\n";

/* KVM's load, from the offline results, as /sys and dmesg would show it. */
static int print_kvm_view(struct out *o, const struct offline *r)
{
	struct vp_kvm_view v;
	int load = offline_kvm_load(r, &v);

	vp_kvm_view_emit(&v, out_line, o);
	return load;
}

/*
 * Without tsc_khz the engine takes KVM's guess for an unknown frequency,
 * 5 GHz.  Say so when that guess is what turned the preemption timer off.
 */
static void warn_tsc_khz(const char *path, const struct vp_snapshot *snap,
			 const struct offline *r)
{
	const struct vp_snapshot_cpu *ref;
	struct vp_params in = r->params, eff;
	static struct vp_config cfg;
	struct vp_reader rd;

	if (r->ref_ret || r->ref_support != VP_VMX_OK ||
	    r->effective.preemption_timer)
		return;
	ref = vp_snapshot_find_cpu(snap, r->ref_cpu);
	in.tsc_khz = 1;
	vp_raw_reader(&rd, &ref->raw);
	if (!vp_compute_reference(&in, &rd, &cfg, &eff) &&
	    eff.preemption_timer)
		vmcsctl_err("warning: %s:%u: %s", path, snap->magic_line,
			    "no 'tsc_khz' line: preemption_timer is off only by KVM's 5 GHz guess for an unknown TSC frequency (give tsc_khz or --tsc-khz)");
}

/* debugfs nested_msrs: what KVM_GET_MSRS returns, nothing without nested. */
static void print_nested_msrs(struct out *o, const struct offline *r)
{
	out_printf(o, "\n# nested_msrs\nversion 1\ngeneration 0\n");
	vp_report_nested_msrs(&r->ref, r->ref_support, r->ref_ret, out_line, o);
}

/* --tsc-khz N: the header's tsc_khz line, in the overrides @hdr. */
static int tsc_khz_arg(void *hdr, const char *arg)
{
	struct vp_snapshot_header *ovr = hdr;
	unsigned long long khz;

	if (!parse_uint(arg, 0xffffffffULL, &khz)) {
		vmcsctl_err("bad --tsc-khz '%s' (want decimal kHz, at most 4294967295)",
			    arg);
		return EXIT_USAGE;
	}
	ovr->tsc_khz = (u32)khz;
	ovr->present |= VP_SNAP_HAS_TSC_KHZ;
	return 0;
}

/* --format, as formats[] names them. */
enum {
	FMT_TEXT,
	FMT_KVM,
};

int compute_main(int argc, char *argv[])
{
	static const char * const formats[] = { "text", "kvm", NULL };
	const struct vp_snapshot_cpu *ref = NULL;
	struct vp_snapshot_header ovr = { 0 };
	unsigned int ref_cpu = 0, have_kvm = 0, have_ref = 0, i;
	struct vp_snapshot *snap = NULL;
	struct offline *r = NULL;
	enum vp_kvm kvm = VP_KVM_6_12;
	int ret, fmt = FMT_TEXT;
	struct out o = { 0 };
	const struct opt options[] = {
		{ .name = "kvm", .type = OPT_KVM, .val = &kvm, .seen = &have_kvm },
		{ .name = "ref-cpu", .type = OPT_CPU, .val = &ref_cpu, .seen = &have_ref },
		{ .name = "format", .type = OPT_CHOICE, .val = &fmt, .names = formats },
		{ .name = "param", .type = OPT_PARAM, .val = &ovr },
		{ .name = "tsc-khz", .type = OPT_CALL, .val = &ovr, .fn = tsc_khz_arg },
		{ 0 }
	};

	ret = opts_parse(argc, argv, options, compute_usage);
	if (ret >= 0)
		return ret;
	if (optind != argc - 1)
		return usage_error(compute_usage);
	ret = load_snapshot_cpu(argv[optind], have_ref, ref_cpu, &snap, &ref);
	if (ret)
		return ret;
	if (!have_kvm)
		kvm = offline_default_kvm(snap);
	if (vp_snapshot_is_svm(snap)) {
		if (fmt == FMT_KVM) {
			vmcsctl_err("%s: an SVM snapshot: no kvm_intel view (--format kvm)",
				    argv[optind]);
			free(snap);
			return EXIT_USAGE;
		}
		int load = svm_compute(&o, snap, kvm, ref, &ovr);

		free(snap);
		ret = out_flush(&o, NULL);
		out_free(&o);
		if (!ret && load)
			ret = EXIT_DIFFER;
		return ret;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		free(snap);
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	offline_compute(snap, kvm, ref, &ovr, r);
	if (!((snap->hdr.present | ovr.present) & VP_SNAP_HAS_TSC_KHZ))
		warn_tsc_khz(argv[optind], snap, r);

	if (fmt == FMT_KVM) {
		int load = print_kvm_view(&o, r);

		ret = out_flush(&o, NULL);
		out_free(&o);
		if (!ret && load)
			ret = EXIT_DIFFER;
		free(r);
		free(snap);
		return ret;
	}

	out_printf(&o, "# reference (status %s)\n",
		   vp_overall_names[r->status]);
	print_config(&o, &r->ref, r->ref_cpu, r->ref_ret, r->ref_support);
	print_nested_msrs(&o, r);
	for (i = 0; i < r->nr; i++) {
		out_printf(&o, "\n# cpu%u config\n", r->cpus[i].cpu);
		print_config(&o, &r->cpus[i].cfg, r->cpus[i].cpu,
			     r->cpus[i].ret, r->cpus[i].support);
	}
	out_printf(&o, "\n# compat\nversion 1\ngeneration 0\n");
	for (i = 0; i < r->nr; i++)
		vp_report_compat(r->cpus[i].cpu, r->cpus[i].status,
				 r->cpus[i].diff, out_line, &o);
	ret = out_flush(&o, NULL);
	out_free(&o);
	if (!ret && r->status != VP_OVERALL_CONSISTENT)
		ret = EXIT_DIFFER;
	free(r);
	free(snap);
	return ret;
}
