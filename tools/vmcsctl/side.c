// SPDX-License-Identifier: GPL-2.0
/*
 * What decode and diff read: a configuration, and the raw inputs it was
 * computed from, taken from the module ("reference", "live", "cpuN") or
 * from a snapshot file ("FILE", "FILE:cpuN"), computed by the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"

size_t file_cpu_split(const char *spec, unsigned int *cpu)
{
	const char *colon = strrchr(spec, ':');
	char path[4096];
	size_t n;

	if (!colon || !access(spec, F_OK) || !parse_cpu_name(colon + 1, cpu))
		return 0;
	n = (size_t)(colon - spec);
	if (!n || n >= sizeof(path))
		return 0;
	memcpy(path, spec, n);
	path[n] = '\0';
	return access(path, F_OK) ? 0 : n;
}

static int from_file(const char *path, bool want_cpu, unsigned int cpu,
		     bool ref_only, struct side *s)
{
	const struct vp_snapshot_cpu *sc;
	struct vp_snapshot *snap;
	struct offline *r;
	unsigned int idx;
	int ret;

	ret = load_snapshot_cpu(path, want_cpu, cpu, &snap, &sc);
	if (ret)
		return ret;
	idx = (unsigned int)(sc - snap->cpus);
	r = malloc(sizeof(*r));
	if (!r) {
		free(snap);
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	offline_compute(snap, offline_default_kvm(snap), NULL, NULL, r);
	s->have_raw = true;
	s->cpu = snap->cpus[idx].cpu;
	s->raw = snap->cpus[idx].raw;
	if (ref_only) {
		config_file_from(&s->cfg, &r->ref, r->ref_cpu, r->ref_ret);
		snprintf(s->label, sizeof(s->label), "%s (reference, cpu %u)",
			 path, r->ref_cpu);
	} else {
		config_file_from(&s->cfg, &r->cpus[idx].cfg, s->cpu,
				 r->cpus[idx].ret);
		snprintf(s->label, sizeof(s->label), "%s:cpu%u", path, s->cpu);
	}
	free(r);
	free(snap);
	return 0;
}

static int from_module(unsigned int cpu, bool reference, bool want_raw,
		       struct side *s)
{
	struct vp_snapshot *snap;
	char name[64];
	int ret;

	if (reference) {
		ret = load_config(opts.debugfs, "reference", &s->cfg);
		snprintf(s->label, sizeof(s->label), "reference (cpu %d)",
			 s->cfg.cpu);
		cpu = s->cfg.cpu < 0 ? 0 : (unsigned int)s->cfg.cpu;
	} else {
		snprintf(name, sizeof(name), "cpus/cpu%u/config", cpu);
		ret = load_config(opts.debugfs, name, &s->cfg);
		snprintf(s->label, sizeof(s->label), "cpu%u", cpu);
	}
	if (ret || !want_raw)
		return ret;
	snprintf(name, sizeof(name), "cpus/cpu%u/msrs", cpu);
	ret = load_node_snapshot(opts.debugfs, name, &snap);
	if (ret)
		return ret;
	s->have_raw = true;
	s->cpu = vp_snapshot_find_cpu(snap, cpu)->cpu;
	s->raw = vp_snapshot_find_cpu(snap, cpu)->raw;
	free(snap);
	return 0;
}

int side_load(const char *spec, bool want_raw, bool file_ref,
	      bool want_cpu, unsigned int cpu, struct side *s)
{
	unsigned int n_cpu;
	size_t n;

	memset(s, 0, sizeof(*s));
	if (!strcmp(spec, "reference") || !strcmp(spec, "live"))
		return from_module(0, file_ref, want_raw, s);
	if (parse_cpu_name(spec, &n_cpu) && access(spec, F_OK))
		return from_module(n_cpu, false, want_raw, s);
	n = file_cpu_split(spec, &n_cpu);
	if (n) {
		char path[4096];

		memcpy(path, spec, n);
		path[n] = '\0';
		return from_file(path, true, n_cpu, false, s);
	}
	if (access(spec, F_OK)) {
		vmcsctl_err("'%s' is neither reference, live, cpuN nor a file", spec);
		return EXIT_USAGE;
	}
	return from_file(spec, want_cpu, cpu, file_ref && !want_cpu, s);
}
