// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl dump: the module's reference and per-CPU configurations with
 * the raw MSRs they came from, as text, JSON or a snapshot.  Everything
 * is read first and checked to belong to one generation, then printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "vmcsctl.h"

static const char dump_usage[] =
	"Usage: vmcsctl dump [--cpu N | --reference | --all]\n"
	"                    [--format text|json|snapshot|prometheus|nfd] [-o FILE]\n"
	"Print the configuration the module computed and the raw inputs.\n"
	"  --cpu N       CPU N only\n"
	"  --reference   the reference only (with the raw MSRs of its CPU)\n"
	"  --all         the reference and every CPU (default)\n"
	"  --format F    text (default), json (schema in vmcsctl(8)),\n"
	"                snapshot (the replay format, from cpus/cpu*/msrs),\n"
	"                prometheus (node_exporter's textfile collector) or\n"
	"                nfd (a node-feature-discovery feature file); these\n"
	"                two take no CPU selection\n"
	"  -o FILE       write to FILE, replaced only once complete\n";

enum what {
	DUMP_ALL,
	DUMP_CPU,
	DUMP_REF,
};

/* --format: formats[] in dump_main() names them in this order. */
enum fmt {
	FMT_TEXT,
	FMT_JSON,
	FMT_SNAPSHOT,
	FMT_PROMETHEUS,
	FMT_NFD,
};

struct dump_cpu {
	unsigned int cpu;
	struct config_file cfg;
	struct compat_entry compat;
	bool have_raw;			/* false while the CPU is offline */
	struct vp_snapshot_cpu raw;
};

struct dump {
	enum what what;
	unsigned long long generation;
	bool have_ref;
	struct config_file ref;
	struct vp_snapshot_header hdr;	/* of the first msrs file */
	bool have_hdr;
	bool svm;			/* the module runs the SVM engine */
	unsigned int nr;
	struct dump_cpu *cpus;
};

/*
 * Whether the module's reference is kvm_amd's ("engine svm"): its files
 * then hold SVM lines, which only the snapshot format carries.
 */
static int module_is_svm(bool *svm)
{
	struct node n;
	int ret;

	ret = node_load(&n, opts.debugfs, "reference");
	if (ret)
		return ret;
	*svm = n.t.len && memmem(n.t.buf, n.t.len, "\nengine svm\n", 12);
	node_free(&n);
	return 0;
}

static int check_gen(struct dump *d, unsigned long long gen, bool *first)
{
	if (*first) {
		d->generation = gen;
		*first = false;
		return 0;
	}
	return gen == d->generation ? 0 : -1;
}

static int load_cpu(struct dump *d, struct dump_cpu *c, bool *first)
{
	struct vp_snapshot *snap = NULL;
	unsigned long long gen;
	char name[64];
	struct node n;
	int ret;

	snprintf(name, sizeof(name), "cpus/cpu%u/compat", c->cpu);
	ret = node_load(&n, opts.debugfs, name);
	if (!ret)
		ret = parse_cpu_compat(&n.t, &c->compat, &gen);
	node_free(&n);
	if (!ret)
		ret = check_gen(d, gen, first);
	if (ret)
		return ret;
	if (!d->svm) {
		snprintf(name, sizeof(name), "cpus/cpu%u/config", c->cpu);
		ret = load_config(opts.debugfs, name, &c->cfg);
		if (!ret)
			ret = check_gen(d, c->cfg.generation, first);
	}
	if (ret || !strcmp(c->compat.status, "offline"))
		return ret;
	snprintf(name, sizeof(name), "cpus/cpu%u/msrs", c->cpu);
	ret = load_node_snapshot(opts.debugfs, name, &snap);
	if (ret)
		return ret;
	c->have_raw = true;
	c->raw = *vp_snapshot_find_cpu(snap, c->cpu);
	if (!d->have_hdr) {
		d->hdr = snap->hdr;
		d->have_hdr = true;
	}
	free(snap);
	return 0;
}

/* Everything of one generation: 0, an exit code, or -1 to retry. */
static int load(struct dump *d, unsigned int only_cpu)
{
	unsigned int *list = NULL, nr = 0, i;
	bool first = true;
	int ret;

	free(d->cpus);
	d->cpus = NULL;
	d->nr = 0;
	d->have_ref = false;
	d->have_hdr = false;
	d->ref.cpu = -1;
	if (d->svm && d->what == DUMP_REF) {
		vmcsctl_err("the module runs the SVM engine: its reference is no CPU's (use --all or --cpu N)");
		return EXIT_USAGE;
	}
	if (d->what != DUMP_CPU && !d->svm) {
		ret = load_config(opts.debugfs, "reference", &d->ref);
		if (ret)
			return ret;
		d->have_ref = true;
		check_gen(d, d->ref.generation, &first);
	}
	if (d->what == DUMP_ALL) {
		ret = kernel_list_cpus(&list, &nr);
		if (ret)
			return ret;
	} else if (d->what == DUMP_CPU || d->ref.cpu >= 0) {
		list = malloc(sizeof(*list));
		if (!list)
			return EXIT_MALFORMED;
		list[0] = d->what == DUMP_REF ? (unsigned int)d->ref.cpu :
						only_cpu;
		nr = 1;
	}	/* else: no run yet, the reference has no CPU */
	d->cpus = calloc(nr ? nr : 1, sizeof(*d->cpus));
	if (!d->cpus) {
		free(list);
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	for (i = 0; i < nr; i++) {
		d->cpus[i].cpu = list[i];
		ret = load_cpu(d, &d->cpus[i], &first);
		if (ret)
			break;
		d->nr++;
	}
	free(list);
	return ret;
}

/* ---- text ---- */

static void text_config(struct out *o, const struct config_file *c)
{
	unsigned int i;

	out_printf(o, "  kvm %s, mode %s, cpu %d, result %d %s, warnings %s\n",
		   vp_kvm_name(c->kvm), c->mode, c->cpu, c->result, c->reason,
		   c->warnings);
	for (i = 0; i < vp_nr_fields; i++)
		out_printf(o, "  %-28s 0x%0*llx\n", vp_fields[i].name,
			   vp_fields[i].size * 2,
			   vp_field_get(&c->cfg, &vp_fields[i]));
}

static void text_raw(struct out *o, const struct vp_raw *raw)
{
	unsigned int i;

	out_printf(o, "  %-28s 0x%08x\n", "CPUID.1:ECX", raw->cpuid1_ecx);
	for (i = 0; i < VP_RAW_NR_CPUID; i++) {
		char name[32];

		snprintf(name, sizeof(name), "CPUID.0x%x:EAX",
			 vp_raw_cpuid_leaves[i]);
		out_printf(o, "  %-28s 0x%08x\n", name, raw->cpuid_eax[i]);
	}
	for (i = 0; i < VP_RAW_NR_MSRS; i++) {
		out_printf(o, "  %-28s 0x%03x ", vp_msrs[i].id,
			   vp_msrs[i].index);
		if (!(raw->known & (1u << i)))
			out_printf(o, "not read\n");
		else if (raw->faulted & (1u << i))
			out_printf(o, "fault\n");
		else
			out_printf(o, "0x%016llx\n", raw->msr[i]);
	}
}

static void print_text(struct out *o, const struct dump *d)
{
	unsigned int i;

	out_printf(o, "generation %llu\n", d->generation);
	if (d->have_ref) {
		out_printf(o, "\nreference\n");
		text_config(o, &d->ref);
	}
	for (i = 0; i < d->nr; i++) {
		const struct dump_cpu *c = &d->cpus[i];

		out_printf(o, "\ncpu%u: %s%s%s\n", c->cpu, c->compat.status,
			   c->compat.fields[0] ? " " : "", c->compat.fields);
		out_printf(o, " config\n");
		text_config(o, &c->cfg);
		if (c->have_raw) {
			out_printf(o, " raw\n");
			text_raw(o, &c->raw.raw);
		}
	}
}

/* ---- json ---- */

static void json_config(struct out *o, const struct config_file *c)
{
	char buf[256], *save = NULL, *w;
	bool first = true;
	unsigned int i;

	out_printf(o, "{\"cpu\": %d, \"kvm\": \"%s\", \"mode\": ", c->cpu,
		   vp_kvm_name(c->kvm));
	out_json_str(o, c->mode);
	out_printf(o, ", \"result\": %d, \"reason\": ", c->result);
	out_json_str(o, c->reason);
	out_printf(o, ", \"warnings\": [");
	snprintf(buf, sizeof(buf), "%s", c->warnings);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "none"))
			continue;
		out_printf(o, "%s", first ? "" : ", ");
		out_json_str(o, w);
		first = false;
	}
	out_printf(o, "], \"fields\": {");
	for (i = 0; i < vp_nr_fields; i++)
		out_printf(o, "%s\"%s\": \"0x%llx\"", i ? ", " : "",
			   vp_fields[i].name,
			   vp_field_get(&c->cfg, &vp_fields[i]));
	out_printf(o, "}}");
}

static void json_raw(struct out *o, const struct vp_raw *raw)
{
	bool first = true;
	unsigned int i;

	out_printf(o, "{\"cpuid1_ecx\": \"0x%x\", \"cpuid_eax\": {",
		   raw->cpuid1_ecx);
	for (i = 0; i < VP_RAW_NR_CPUID; i++)
		out_printf(o, "%s\"0x%x\": \"0x%x\"", i ? ", " : "",
			   vp_raw_cpuid_leaves[i], raw->cpuid_eax[i]);
	out_printf(o, "}, \"msrs\": {");
	for (i = 0; i < VP_RAW_NR_MSRS; i++) {
		if (!(raw->known & (1u << i)))
			continue;
		out_printf(o, "%s\"0x%x\": ", first ? "" : ", ",
			   vp_msrs[i].index);
		if (raw->faulted & (1u << i))
			out_printf(o, "\"fault\"");
		else
			out_printf(o, "\"0x%llx\"", raw->msr[i]);
		first = false;
	}
	out_printf(o, "}}");
}

static void print_json(struct out *o, const struct dump *d)
{
	unsigned int i;

	out_printf(o, "{\n  \"version\": 1,\n  \"generation\": %llu,\n",
		   d->generation);
	out_printf(o, "  \"reference\": ");
	if (d->have_ref)
		json_config(o, &d->ref);
	else
		out_printf(o, "null");
	out_printf(o, ",\n  \"cpus\": [");
	for (i = 0; i < d->nr; i++) {
		const struct dump_cpu *c = &d->cpus[i];
		char buf[FIELDS_MAX], *save = NULL, *w;
		bool first = true;

		out_printf(o, "%s\n    {\"cpu\": %u, \"compat\": ", i ? "," : "",
			   c->cpu);
		out_json_str(o, c->compat.status);
		out_printf(o, ", \"differing\": [");
		snprintf(buf, sizeof(buf), "%s", c->compat.fields);
		for (w = strtok_r(buf, ",", &save); w;
		     w = strtok_r(NULL, ",", &save)) {
			out_printf(o, "%s", first ? "" : ", ");
			out_json_str(o, w);
			first = false;
		}
		out_printf(o, "],\n     \"config\": ");
		json_config(o, &c->cfg);
		out_printf(o, ",\n     \"raw\": ");
		if (c->have_raw)
			json_raw(o, &c->raw.raw);
		else
			out_printf(o, "null");
		out_printf(o, "}");
	}
	out_printf(o, "%s]\n}\n", d->nr ? "\n  " : "");
}

/* ---- snapshot ---- */

static int emit_line(void *ctx, const char *line)
{
	out_printf(ctx, "%s\n", line);
	return 0;
}

static int print_snapshot(struct out *o, const struct dump *d)
{
	struct vp_snapshot_header hdr = d->hdr;
	unsigned int i, n = 0;
	struct utsname u;

	/* Where it came from, unless the module said so already. */
	if (!(hdr.present & VP_SNAP_HAS_SOURCE) && !uname(&u)) {
		snprintf(hdr.source, sizeof(hdr.source),
			 "vmcsctl dump on %.40s, Linux %.40s, generation %llu",
			 u.nodename, u.release, d->generation);
		hdr.present |= VP_SNAP_HAS_SOURCE;
	}
	vp_snapshot_emit_header(&hdr, emit_line, o);
	for (i = 0; i < d->nr; i++) {
		if (!d->cpus[i].have_raw)
			continue;
		vp_snapshot_emit_cpu(d->cpus[i].cpu, &d->cpus[i].raw.raw,
				     emit_line, o);
		vp_snapshot_emit_svm_cpu(&d->cpus[i].raw.svm,
					 d->cpus[i].raw.svm_present, emit_line,
					 o);
		n++;
	}
	vp_snapshot_emit_end(emit_line, o);
	if (!n) {
		vmcsctl_err("no online CPU selected: a snapshot needs one");
		return EXIT_DIFFER;
	}
	return 0;
}

int dump_main(int argc, char *argv[])
{
	/* As enum fmt numbers them. */
	static const char * const formats[] = {
		"text", "json", "snapshot", "prometheus", "nfd", NULL
	};
	/* The options, and how often --cpu, --reference and --all came. */
	struct {
		unsigned int cpu, by_cpu, by_ref, by_all;
		int fmt;
		const char *output;
	} a = { .fmt = FMT_TEXT };
	struct dump d = { .what = DUMP_ALL };
	struct out o = { 0 };
	unsigned int nwhat;
	int ret, tries;
	const struct opt options[] = {
		{ .name = "cpu", .type = OPT_CPU, .val = &a.cpu, .seen = &a.by_cpu },
		{ .name = "reference", .type = OPT_FLAG, .seen = &a.by_ref },
		{ .name = "all", .type = OPT_FLAG, .seen = &a.by_all },
		{ .name = "format", .type = OPT_CHOICE, .val = &a.fmt, .names = formats },
		{ .name = "output", .short_name = 'o', .type = OPT_STRING, .val = &a.output },
		{ 0 }
	};

	ret = opts_parse(argc, argv, options, dump_usage);
	if (ret >= 0)
		return ret;
	nwhat = a.by_cpu + a.by_ref + a.by_all;
	if (optind != argc || nwhat > 1 ||
	    (nwhat && (a.fmt == FMT_PROMETHEUS || a.fmt == FMT_NFD))) {
		if (nwhat > 1)
			vmcsctl_err("--cpu, --reference and --all exclude each other");
		else if (nwhat && optind == argc)
			vmcsctl_err("--format prometheus and nfd cover the whole machine: no --cpu, --reference or --all");
		return usage_error(dump_usage);
	}
	if (a.by_cpu)
		d.what = DUMP_CPU;
	else if (a.by_ref)
		d.what = DUMP_REF;
	if (a.fmt == FMT_PROMETHEUS || a.fmt == FMT_NFD)
		return export_dump(a.fmt == FMT_NFD, a.output);
	ret = module_is_svm(&d.svm);
	if (ret)
		return ret;
	if (d.svm && a.fmt != FMT_SNAPSHOT) {
		vmcsctl_err("the module runs the SVM engine: only --format snapshot carries its inputs");
		return EXIT_USAGE;
	}
	for (tries = 0; tries < 5; tries++) {
		ret = load(&d, a.cpu);
		if (ret >= 0)
			break;
	}
	if (ret < 0) {
		vmcsctl_err("the module kept changing while being read; try again");
		ret = EXIT_NOMODULE;
	}
	if (!ret) {
		if (a.fmt == FMT_TEXT)
			print_text(&o, &d);
		else if (a.fmt == FMT_JSON)
			print_json(&o, &d);
		else
			ret = print_snapshot(&o, &d);
	}
	if (!ret)
		ret = out_flush(&o, a.output);
	out_free(&o);
	free(d.cpus);
	return ret;
}
