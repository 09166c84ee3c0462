// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl migrate HOST HOST...: will a guest that uses nested VMX move
 * between these hosts?  A guest sees the nested VMX MSRs its host's KVM
 * computed (nested_vmx_setup_ctls_msrs()); QEMU refuses to migrate it to
 * a host whose KVM lacks a vmx-* feature the guest was started with.
 * Each host is a snapshot (or the live module) with its KVM version and
 * kvm_intel parameters; the engine computes its nested MSRs, and every
 * feature one host offers and another does not is listed with why the
 * other lacks it, found by computing again: with kvm_intel's default
 * parameters (a parameter turned it off), with another KVM version (this
 * version drops it), else from the CPU's own MSR (the CPU lacks it).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"
#include "vmx_regs.h"

static const char migrate_usage[] =
	"Usage: vmcsctl migrate [--golden | --baseline FILE] HOST...\n"
	"       vmcsctl migrate --features\n"
	"Compare the nested VMX features (QEMU's vmx-* names) that KVM offers a\n"
	"guest on each HOST.  HOST is a snapshot FILE or 'live' (the module's\n"
	"reference CPU), optionally followed by ',kvm=V' (the KVM version; default:\n"
	"the snapshot's kvm line) and ',NAME=VALUE' kvm_intel parameters (default:\n"
	"the snapshot's param lines, then kvm_intel's defaults).\n"
	"  (default)        two or more HOSTs: every feature some host offers and\n"
	"                   another lacks, and why that host lacks it (cpu, kvm or\n"
	"                   param)\n"
	"  --golden         the features every HOST offers, one a line: a baseline\n"
	"  --baseline FILE  the HOSTs that lack a feature FILE lists (FILE as\n"
	"                   --golden prints it)\n"
	"  --features       the vmx-* names known, with their SDM name, MSR and bit\n"
	"Exit status 0 if no host lacks anything (or the list was printed), 1 if\n"
	"some host lacks a feature another host offers (or the baseline has),\n"
	"2 usage, 3 'live' without the module, 4 malformed input.\n";

struct host {
	char label[16];
	const char *spec;
	struct vp_snapshot *snap;
	const struct vp_snapshot_cpu *ref;	/* the first section */
	enum vp_kvm kvm;
	struct vp_snapshot_header hdr;	/* with the HOST's own params */
	bool *have;			/* vmx_nr_features */
	unsigned int nr_have;
};

/* The nested MSRs @h's CPU gets from KVM @kvm with @hdr's params. */
static void compute(const struct host *h, enum vp_kvm kvm,
		    const struct vp_snapshot_header *hdr, bool *have)
{
	struct vp_params p, eff;
	struct vp_config cfg;
	struct vp_reader rd;

	memset(have, 0, vmx_nr_features * sizeof(*have));
	if (raw_support(&h->ref->raw) != VP_VMX_OK)
		return;
	vp_params_defaults(&p, kvm);
	vp_snapshot_fill_params(hdr, h->ref, &p);
	vp_raw_reader(&rd, &h->ref->raw);
	if (vp_compute_reference(&p, &rd, &cfg, &eff))
		return;
	vmx_features_of(&cfg, have);
}

static bool has_with(const struct host *h, enum vp_kvm kvm,
		     const struct vp_snapshot_header *hdr, unsigned int fi)
{
	bool *have = calloc(vmx_nr_features, sizeof(*have)), r;

	if (!have)
		return false;
	compute(h, kvm, hdr, have);
	r = have[fi];
	free(have);
	return r;
}

/* The CPU's own value of the MSR QEMU reads the feature from. */
static const char *cpu_lacks(const struct host *h,
			     const struct vmx_feature *f, char *buf,
			     size_t size)
{
	u32 msr = f->msr;
	u64 val, basic;

	/* Without TRUE_CTLS the CPU has only the old control MSRs. */
	if (msr >= VP_MSR_VMX_TRUE_PINBASED_CTLS &&
	    msr <= VP_MSR_VMX_TRUE_ENTRY_CTLS &&
	    (vp_raw_read_msr(&h->ref->raw, VP_MSR_VMX_BASIC, &basic) ||
	     !(basic & BIT_ULL(55))))
		msr -= VP_MSR_VMX_TRUE_PINBASED_CTLS - VP_MSR_VMX_PINBASED_CTLS;
	if (vp_raw_read_msr(&h->ref->raw, msr, &val)) {
		snprintf(buf, size, "MSR 0x%x not readable", msr);
		return buf;
	}
	if (vmx_feature_in(f, val))
		return NULL;
	if (!vmx_feature_is_control(f))
		snprintf(buf, size, "MSR 0x%x bit %u clear", msr, f->bit);
	else if (val >> f->bit & 1)
		snprintf(buf, size, "MSR 0x%x: control bit %u must be 1", msr,
			 f->bit);
	else
		snprintf(buf, size, "MSR 0x%x: control bit %u allowed-1 clear",
			 msr, f->bit);
	return buf;
}

/* Append to @buf, which holds *@len bytes of its @size. */
static void __printf(4, 5) add(char *buf, size_t size, size_t *len,
			       const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, *len < size ? size - *len : 0, fmt, ap);
	va_end(ap);
	*len += n > 0 ? (size_t)n : 0;
}

/*
 * The kvm_intel parameters of @h that each, set back to its default
 * alone, give feature @fi back, as "name=value ..." in @buf.
 */
static size_t params_off(const struct host *h, unsigned int fi, char *buf,
			 size_t size)
{
	struct vp_snapshot_header t;
	struct vp_params def;
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	vp_params_defaults(&def, h->kvm);
	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		const struct vp_kvm_param *p = &vp_kvm_params[i];

		if (!(h->hdr.param_present & (1u << i)) ||
		    h->hdr.param[i] == vp_kvm_param_get(&def, p))
			continue;
		t = h->hdr;
		t.param_present &= ~(1u << i);
		if (has_with(h, h->kvm, &t, fi))
			add(buf, size, &len, "%s%s=%u", len ? " " : "",
			    p->name, h->hdr.param[i]);
	}
	return len;
}

/*
 * Why @h lacks feature @fi: "param: ...", "kvm: ..." or "cpu: ...".
 * Each answer is a computation that gives the feature back.
 */
static void why(const struct host *h, unsigned int fi, char *buf,
		size_t size)
{
	struct vp_snapshot_header d = h->hdr;
	char msr[96];
	int k;

	d.param_present = 0;
	if (has_with(h, h->kvm, &d, fi)) {
		char names[256];
		size_t len = params_off(h, fi, names, sizeof(names));

		snprintf(buf, size,
			 "param: kvm_intel %s turn%s it off (on with the defaults)",
			 len ? names : "parameters together",
			 len && !strchr(names, ' ') ? "s" : "");
		return;
	}
	for (k = 0; k < VP_KVM_NR; k++) {
		if ((enum vp_kvm)k == h->kvm ||
		    !has_with(h, (enum vp_kvm)k, &d, fi))
			continue;
		snprintf(buf, size,
			 "kvm: KVM %s does not offer it on this CPU, KVM %s does",
			 vp_kvm_name(h->kvm), vp_kvm_name((enum vp_kvm)k));
		return;
	}
	if (cpu_lacks(h, &vmx_features[fi], msr, sizeof(msr)))
		snprintf(buf, size, "cpu: the CPU lacks it (%s)", msr);
	else
		snprintf(buf, size,
			 "kvm: KVM %s does not offer it on this CPU, which has it",
			 vp_kvm_name(h->kvm));
}

/* The module's reference CPU, as the snapshot of its raw inputs. */
static int live_load(struct host *h)
{
	struct config_file c;
	char name[64];
	int ret;

	ret = load_config(opts.debugfs, "reference", &c);
	if (ret)
		return ret;
	if (c.cpu < 0) {
		vmcsctl_err("live: the module has no reference yet (no run)");
		return EXIT_NOMODULE;
	}
	snprintf(name, sizeof(name), "cpus/cpu%d/msrs", c.cpu);
	return load_node_snapshot(opts.debugfs, name, &h->snap);
}

/* "FILE[,kvm=V][,NAME=VALUE]..." or "live[,...]". */
static int host_load(struct host *h, const char *spec)
{
	struct vp_snapshot_header ovr = { 0 };
	char *copy = strdup(spec), *save = NULL, *w, *src;
	bool have_kvm = false;
	unsigned int i;
	int ret = 0;

	h->spec = spec;
	if (!copy) {
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	src = strtok_r(copy, ",", &save);
	if (!src) {
		vmcsctl_err("empty HOST '%s'", spec);
		free(copy);
		return EXIT_USAGE;
	}
	while (!ret && (w = strtok_r(NULL, ",", &save))) {
		if (!strncmp(w, "kvm=", 4)) {
			have_kvm = parse_kvm(w + 4, &h->kvm);
			if (!have_kvm) {
				vmcsctl_err("%s: unknown KVM version '%s'", spec,
					    w + 4);
				ret = EXIT_USAGE;
			}
		} else {
			ret = param_arg(&ovr, w, "");
		}
	}
	if (!ret && !strcmp(src, "live"))
		ret = live_load(h);
	else if (!ret)
		ret = load_snapshot(src, &h->snap);
	free(copy);
	if (ret)
		return ret;
	h->ref = &h->snap->cpus[0];
	if (!have_kvm)
		h->kvm = offline_default_kvm(h->snap);
	h->hdr = h->snap->hdr;
	for (i = 0; i < VP_NR_KVM_PARAMS; i++)
		if (ovr.param_present & (1u << i))
			h->hdr.param[i] = ovr.param[i];
	h->hdr.param_present |= ovr.param_present;
	h->have = calloc(vmx_nr_features, sizeof(*h->have));
	if (!h->have) {
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	compute(h, h->kvm, &h->hdr, h->have);
	for (i = 0; i < vmx_nr_features; i++)
		h->nr_have += h->have[i];
	return 0;
}

static void print_hosts(struct out *o, const struct host *hosts,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out_printf(o, "%-4s %s: kvm %s, cpu %u, %u nested features\n",
			   hosts[i].label, hosts[i].spec,
			   vp_kvm_name(hosts[i].kvm), hosts[i].ref->cpu,
			   hosts[i].nr_have);
}

static int print_features(struct out *o)
{
	unsigned int i;

	out_printf(o, "%-36s %-28s %-5s %-3s %s\n", "FEATURE", "SDM", "MSR",
		   "BIT", "KIND");
	for (i = 0; i < vmx_nr_features; i++) {
		const struct vmx_feature *f = &vmx_features[i];

		out_printf(o, "%-36s %-28s 0x%03x %-3u %s\n", f->qemu,
			   vmx_feature_sdm(f), f->msr, f->bit,
			   vmx_feature_is_control(f) ? "control" : "bit");
	}
	return 0;
}

/* The features on some host and not on another: how many lines. */
static unsigned int print_differences(struct out *o, const struct host *hosts,
				      unsigned int n)
{
	unsigned int i, j, k, lines = 0, common = 0;
	char on[256], reason[256];

	for (i = 0; i < vmx_nr_features; i++) {
		bool all = true;

		for (j = 0; j < n; j++)
			all &= hosts[j].have[i];
		common += all;
	}
	out_printf(o, "common to all: %u nested features (--golden lists them)\n\n",
		   common);
	out_printf(o, "%-36s %-28s %-9s %-8s %-8s %s\n", "FEATURE", "SDM",
		   "MSR:BIT", "ON", "NOT ON", "WHY NOT");
	for (i = 0; i < vmx_nr_features; i++) {
		const struct vmx_feature *f = &vmx_features[i];
		size_t len = 0;
		char where[16];

		on[0] = '\0';
		for (j = 0; j < n; j++)
			if (hosts[j].have[i])
				add(on, sizeof(on), &len, "%s%s", len ? "," : "",
				    hosts[j].label);
		if (!len)
			continue;
		snprintf(where, sizeof(where), "0x%x:%u", f->msr, f->bit);
		for (k = 0; k < n; k++) {
			if (hosts[k].have[i])
				continue;
			why(&hosts[k], i, reason, sizeof(reason));
			out_printf(o, "%-36s %-28s %-9s %-8s %-8s %s\n", f->qemu,
				   vmx_feature_sdm(f), where, on,
				   hosts[k].label, reason);
			lines++;
		}
	}
	if (lines)
		out_printf(o, "%u difference%s\n", lines, lines == 1 ? "" : "s");
	else
		out_printf(o, "no differences: a guest may move between these hosts\n");
	return lines;
}

static void print_golden(struct out *o, const struct host *hosts,
			 unsigned int n)
{
	unsigned int i, j;

	out_printf(o, "# nested VMX features every host offers (vmcsctl migrate --golden)\n");
	for (i = 0; i < n; i++)
		out_printf(o, "# %s\n", hosts[i].spec);
	for (i = 0; i < vmx_nr_features; i++) {
		bool all = true;

		for (j = 0; j < n; j++)
			all &= hosts[j].have[i];
		if (all)
			out_printf(o, "%s\n", vmx_features[i].qemu);
	}
}

/* The hosts below @want: how many. */
static unsigned int print_below(struct out *o, const struct host *hosts,
				unsigned int n, const bool *want)
{
	unsigned int i, j, below = 0;
	char reason[256];

	print_hosts(o, hosts, n);
	out_printf(o, "\n");
	for (j = 0; j < n; j++) {
		unsigned int missing = 0;

		for (i = 0; i < vmx_nr_features; i++) {
			if (!want[i] || hosts[j].have[i])
				continue;
			why(&hosts[j], i, reason, sizeof(reason));
			out_printf(o, "%-4s lacks %-36s %s\n", hosts[j].label,
				   vmx_features[i].qemu, reason);
			missing++;
		}
		below += missing > 0;
	}
	if (below)
		out_printf(o, "%u of %u host%s below the baseline\n", below, n,
			   n == 1 ? "" : "s");
	else
		out_printf(o, "every host meets the baseline\n");
	return below;
}

static int load_baseline(const char *path, bool *want)
{
	struct text t = { .name = path };
	char *buf;
	size_t len;
	int ret;

	ret = read_file(path, &buf, &len);
	if (ret)
		return ret;
	t.buf = buf;
	t.len = len;
	ret = parse_feature_list(&t, want);
	free(buf);
	return ret;
}

int migrate_main(int argc, char *argv[])
{
	bool golden = false, features = false, *want = NULL;
	const char *baseline = NULL;
	struct host *hosts = NULL;
	struct out o = { 0 };
	unsigned int n, i;
	int ret;
	const struct opt options[] = {
		{ .name = "golden", .type = OPT_FLAG, .val = &golden },
		{ .name = "baseline", .type = OPT_STRING, .val = &baseline },
		{ .name = "features", .type = OPT_FLAG, .val = &features },
		{ 0 }
	};

	ret = opts_parse(argc, argv, options, migrate_usage);
	if (ret >= 0)
		return ret;
	ret = 0;
	n = (unsigned int)(argc - optind);
	if (features + golden + !!baseline > 1 || (features && n) ||
	    (!features && n < ((golden || baseline) ? 1 : 2))) {
		if (features + golden + !!baseline > 1)
			vmcsctl_err("--features, --golden and --baseline exclude each other");
		return usage_error(migrate_usage);
	}
	if (features) {
		print_features(&o);
		ret = out_flush(&o, NULL);
		out_free(&o);
		return ret;
	}
	hosts = calloc(n, sizeof(*hosts));
	want = calloc(vmx_nr_features, sizeof(*want));
	if (!hosts || !want) {
		vmcsctl_err("out of memory");
		ret = EXIT_MALFORMED;
		goto out;
	}
	if (baseline)
		ret = load_baseline(baseline, want);
	for (i = 0; i < n && !ret; i++) {
		snprintf(hosts[i].label, sizeof(hosts[i].label), "H%u", i + 1);
		ret = host_load(&hosts[i], argv[optind + i]);
	}
	if (ret)
		goto out;
	if (golden) {
		print_golden(&o, hosts, n);
		ret = out_flush(&o, NULL);
	} else if (baseline) {
		bool below = print_below(&o, hosts, n, want);

		ret = out_flush(&o, NULL);
		if (!ret && below)
			ret = EXIT_DIFFER;
	} else {
		bool differ;

		print_hosts(&o, hosts, n);
		differ = print_differences(&o, hosts, n);
		ret = out_flush(&o, NULL);
		if (!ret && differ)
			ret = EXIT_DIFFER;
	}
out:
	out_free(&o);
	for (i = 0; hosts && i < n; i++) {
		free(hosts[i].snap);
		free(hosts[i].have);
	}
	free(hosts);
	free(want);
	return ret;
}
