// SPDX-License-Identifier: GPL-2.0
/*
 * dump --format prometheus and --format nfd: the module's verdict for a
 * fleet's tools.  prometheus is node_exporter's textfile-collector
 * format (the Prometheus text exposition format, with HELP and TYPE
 * lines, no timestamps); nfd is a node-feature-discovery local feature
 * file ("name=value" lines, '#' comments).  Both are read in one
 * generation, like status and dump, and are meant to be written with -o
 * into the directory the consumer reads, where they replace the old file
 * by a rename.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/* The NFD label namespace NFD's own built-in labels use. */
#define NFD_PREFIX	"feature.node.kubernetes.io/vmcs_probe"

struct verdict {
	bool module;			/* sysfs readable */
	unsigned long long generation;
	char status[WORD_MAX];
	struct choice mode;
	struct choice hotplug;
	bool debugfs;			/* the per-CPU files too */
	struct support_file support;
	struct compat_file compat;
	struct trace_file trace;
	struct config_file ref;
};

static void verdict_free(struct verdict *e)
{
	support_file_free(&e->support);
	compat_file_free(&e->compat);
}

static int load_choice(const char *name, struct choice *c)
{
	struct node n = { 0 };
	int ret = node_load(&n, opts.sysfs, name);

	if (!ret)
		ret = parse_choice(&n.t, c);
	node_free(&n);
	return ret;
}

static int load_debugfs(struct verdict *e)
{
	struct node n = { 0 };
	int ret;

	ret = node_load(&n, opts.debugfs, "support");
	if (!ret)
		ret = parse_support(&n.t, &e->support);
	node_free(&n);
	if (!ret)
		ret = node_load(&n, opts.debugfs, "compat");
	if (!ret)
		ret = parse_compat(&n.t, &e->compat);
	node_free(&n);
	if (!ret)
		ret = node_load(&n, opts.debugfs, "setup_trace");
	if (!ret)
		ret = parse_trace(&n.t, &e->trace);
	node_free(&n);
	if (!ret)
		ret = load_config(opts.debugfs, "reference", &e->ref);
	if (!ret && (e->support.generation != e->generation ||
		     e->compat.generation != e->generation ||
		     e->trace.generation != e->generation ||
		     e->ref.generation != e->generation))
		ret = -1;
	return ret;
}

/* Everything of one generation: 0, an exit code, or -1 to retry. */
static int verdict_load(struct verdict *e)
{
	int ret;

	verdict_free(e);
	memset(e, 0, sizeof(*e));
	ret = load_sysfs_words(&e->generation, e->status);
	if (!ret)
		ret = load_choice("pinning_mode", &e->mode);
	if (!ret)
		ret = load_choice("hotplug_policy", &e->hotplug);
	if (ret)
		return ret;
	e->module = true;
	if (!kernel_debugfs_warn("per-CPU metrics"))
		return 0;
	e->debugfs = true;
	return load_debugfs(e);
}

/* How many names the comma-separated @list holds. */
static unsigned int count_fields(const char *list)
{
	unsigned int n = *list ? 1 : 0;

	for (; *list; list++)
		n += *list == ',';
	return n;
}

/* ---- prometheus ---- */

static void prom_head(struct out *o, const char *name, const char *type,
		      const char *help)
{
	out_printf(o, "# HELP vmcs_probe_%s %s\n# TYPE vmcs_probe_%s %s\n",
		   name, help, name, type);
}

/* A label value, escaped as the exposition format wants. */
static void prom_str(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			out_printf(o, "\\%c", *s);
		else if (*s == '\n')
			out_printf(o, "\\n");
		else
			out_printf(o, "%c", *s);
	}
}

/*
 * vmcs_probe_METRIC{cpu="CPU",NAME="VALUE",...} 1: @kv holds name, value
 * pairs and ends with NULL; no cpu label if @cpu < 0.
 */
static void prom_info(struct out *o, const char *metric, long cpu,
		      const char * const kv[])
{
	unsigned int i;

	out_printf(o, "vmcs_probe_%s{", metric);
	if (cpu >= 0)
		out_printf(o, "cpu=\"%ld\"%s", cpu, kv[0] ? "," : "");
	for (i = 0; kv[i]; i += 2) {
		out_printf(o, "%s%s=\"", i ? "," : "", kv[i]);
		prom_str(o, kv[i + 1]);
		out_printf(o, "\"");
	}
	out_printf(o, "} 1\n");
}

/* vmcs_probe_NAME{LABEL="word"} 1 or 0, for every word of a choice. */
static void prom_choice(struct out *o, const char *name, const char *label,
			const char *help, const struct choice *c)
{
	unsigned int i;

	prom_head(o, name, "gauge", help);
	for (i = 0; i < c->nr; i++) {
		out_printf(o, "vmcs_probe_%s{%s=\"", name, label);
		prom_str(o, c->words[i]);
		out_printf(o, "\"} %d\n", (int)i == c->current);
	}
}

static void prom_cpus(struct out *o, const struct verdict *e)
{
	unsigned int i, mismatching = 0;

	prom_head(o, "cpu_vmx_supported", "gauge",
		  "1 if the CPU supports VMX as KVM requires (CPUID and IA32_FEAT_CTL).");
	for (i = 0; i < e->support.nr; i++)
		out_printf(o, "vmcs_probe_cpu_vmx_supported{cpu=\"%u\"} %d\n",
			   e->support.cpus[i].cpu,
			   !strcmp(e->support.cpus[i].state, "supported"));
	prom_head(o, "cpu_support_info", "gauge",
		  "The CPU's VMX support state and its reason, as debugfs support says.");
	for (i = 0; i < e->support.nr; i++)
		prom_info(o, "cpu_support_info", e->support.cpus[i].cpu,
			  (const char * const[]){ "state", e->support.cpus[i].state,
						  "reason", e->support.cpus[i].reason,
						  NULL });
	prom_head(o, "cpu_compat_info", "gauge",
		  "The CPU's result of the compat check against the reference.");
	for (i = 0; i < e->compat.nr; i++)
		prom_info(o, "cpu_compat_info", e->compat.cpus[i].cpu,
			  (const char * const[]){ "compat", e->compat.cpus[i].status,
						  NULL });
	prom_head(o, "cpu_mismatch", "gauge",
		  "1 if the CPU's VMX configuration differs from the reference (KVM would refuse it).");
	for (i = 0; i < e->compat.nr; i++) {
		bool m = !strcmp(e->compat.cpus[i].status, "mismatch");

		out_printf(o, "vmcs_probe_cpu_mismatch{cpu=\"%u\"} %d\n",
			   e->compat.cpus[i].cpu, m);
		mismatching += m;
	}
	prom_head(o, "cpu_mismatching_fields", "gauge",
		  "Number of configuration fields in which the CPU differs from the reference.");
	for (i = 0; i < e->compat.nr; i++)
		out_printf(o, "vmcs_probe_cpu_mismatching_fields{cpu=\"%u\"} %u\n",
			   e->compat.cpus[i].cpu,
			   count_fields(e->compat.cpus[i].fields));
	prom_head(o, "mismatching_cpus", "gauge",
		  "Number of CPUs whose VMX configuration differs from the reference.");
	out_printf(o, "vmcs_probe_mismatching_cpus %u\n", mismatching);
}

static void prom_run(struct out *o, const struct verdict *e)
{
	const struct trace_file *t = &e->trace;

	prom_head(o, "last_run_info", "gauge",
		  "The pinning mode and value source of the last run.");
	prom_info(o, "last_run_info", -1,
		  (const char * const[]){ "mode", t->mode, "source", t->source,
					  NULL });
	prom_head(o, "last_run_cpu_switches", "gauge",
		  "CPU switches between the MSR reads of the last run's setup.");
	out_printf(o, "vmcs_probe_last_run_cpu_switches %llu\n",
		   t->cpu_switches);
	prom_head(o, "last_run_mixed", "gauge",
		  "1 if the last run's setup read MSRs on more than one CPU.");
	out_printf(o, "vmcs_probe_last_run_mixed %d\n", t->mixed);
	prom_head(o, "last_run_duration_seconds", "gauge",
		  "Duration of the last run's pinned setup section.");
	out_printf(o, "vmcs_probe_last_run_duration_seconds %llu.%09llu\n",
		   t->duration_ns / 1000000000ULL,
		   t->duration_ns % 1000000000ULL);
}

static void prom_nested(struct out *o, const struct verdict *e)
{
	bool *have = calloc(vmx_nr_features, sizeof(*have));
	unsigned int i;

	if (!have) {
		o->oom = true;
		return;
	}
	vmx_features_of(&e->ref.cfg, have);
	prom_head(o, "kvm_info", "gauge",
		  "The KVM version whose computation the module mirrors.");
	out_printf(o, "vmcs_probe_kvm_info{kvm=\"%s\"} 1\n",
		   vp_kvm_name(e->ref.kvm));
	prom_head(o, "nested_enabled", "gauge",
		  "1 if KVM offers nested VMX (the reference's nested MSRs are set).");
	out_printf(o, "vmcs_probe_nested_enabled %d\n",
		   e->ref.cfg.nested_enabled);
	prom_head(o, "nested_feature", "gauge",
		  "1 if KVM offers a guest the nested VMX feature (QEMU's vmx-* name).");
	for (i = 0; i < vmx_nr_features; i++)
		out_printf(o, "vmcs_probe_nested_feature{feature=\"%s\",sdm=\"%s\"} %d\n",
			   vmx_features[i].qemu, vmx_feature_sdm(&vmx_features[i]),
			   have[i]);
	free(have);
}

static void print_prometheus(struct out *o, const struct verdict *e)
{
	unsigned int i;

	prom_head(o, "up", "gauge",
		  "1 if vmcs_probe's sysfs files could be read.");
	out_printf(o, "vmcs_probe_up %d\n", e->module);
	if (!e->module)
		return;
	prom_head(o, "status", "gauge",
		  "Overall status of the last run: 1 for the current one.");
	for (i = 0; i < VP_NR_OVERALL; i++)
		out_printf(o, "vmcs_probe_status{status=\"%s\"} %d\n",
			   vp_overall_names[i],
			   !strcmp(e->status, vp_overall_names[i]));
	prom_head(o, "consistent", "gauge",
		  "1 if every CPU's VMX configuration matches the reference.");
	out_printf(o, "vmcs_probe_consistent %d\n",
		   !strcmp(e->status, "consistent"));
	prom_head(o, "generation", "gauge",
		  "Generation of the module's results, bumped by every run and change.");
	out_printf(o, "vmcs_probe_generation %llu\n", e->generation);
	prom_choice(o, "pinning_mode", "mode",
		    "The pinning mode the next run uses: 1 for the current one.",
		    &e->mode);
	prom_choice(o, "hotplug_policy", "policy",
		    "What a CPU coming online that differs gets: 1 for the current policy.",
		    &e->hotplug);
	prom_head(o, "debugfs", "gauge",
		  "1 if the per-CPU metrics could be read (debugfs mounted and readable).");
	out_printf(o, "vmcs_probe_debugfs %d\n", e->debugfs);
	if (!e->debugfs)
		return;
	prom_cpus(o, e);
	prom_run(o, e);
	prom_nested(o, e);
}

/* ---- nfd ---- */

static void print_nfd(struct out *o, const struct verdict *e)
{
	unsigned int i, mismatching = 0;
	bool *have;

	out_printf(o, "# vmcs_probe: KVM's VMX verdict (vmcsctl dump --format nfd)\n");
	if (!e->module) {
		out_printf(o, NFD_PREFIX ".status=unavailable\n");
		return;
	}
	out_printf(o, "# generation %llu\n", e->generation);
	out_printf(o, NFD_PREFIX ".status=%s\n", e->status);
	out_printf(o, NFD_PREFIX ".pinning_mode=%s\n",
		   e->mode.words[e->mode.current]);
	if (!e->debugfs)
		return;
	for (i = 0; i < e->compat.nr; i++)
		mismatching += !strcmp(e->compat.cpus[i].status, "mismatch");
	out_printf(o, NFD_PREFIX ".mismatching_cpus=%u\n", mismatching);
	out_printf(o, NFD_PREFIX ".kvm=%s\n", vp_kvm_name(e->ref.kvm));
	out_printf(o, NFD_PREFIX ".nested=%s\n",
		   e->ref.cfg.nested_enabled ? "true" : "false");
	have = calloc(vmx_nr_features, sizeof(*have));
	if (!have) {
		o->oom = true;
		return;
	}
	vmx_features_of(&e->ref.cfg, have);
	for (i = 0; i < vmx_nr_features; i++)
		if (have[i])
			out_printf(o, NFD_PREFIX ".nested.%s=true\n",
				   vmx_features[i].qemu);
	free(have);
}

int export_dump(bool nfd, const char *output)
{
	struct verdict e = { 0 };
	struct out o = { 0 };
	int ret = -1, tries;

	for (tries = 0; tries < 5 && ret < 0; tries++)
		ret = verdict_load(&e);
	if (ret < 0) {
		vmcsctl_err("the module kept changing while being read; try again");
		ret = EXIT_NOMODULE;
	}
	/* Without the module: a file that says so, and exit status 3. */
	if (ret && ret != EXIT_NOMODULE) {
		verdict_free(&e);
		return ret;
	}
	if (ret)
		e.module = false;
	if (nfd)
		print_nfd(&o, &e);
	else
		print_prometheus(&o, &e);
	tries = out_flush(&o, output);
	out_free(&o);
	verdict_free(&e);
	return tries ? tries : ret;
}
