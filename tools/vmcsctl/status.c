// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl status: the pinning mode, the generation, the overall status
 * and a table of the CPUs (consecutive CPUs in the same state share a
 * row, so that the table fits on one screen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"

static const char status_usage[] =
	"Usage: vmcsctl status\n"
	"Show the pinning mode, the generation, the overall status of the last\n"
	"run and, per CPU, its VMX support, its compat status and the fields\n"
	"it differs in; then each CPU whose own features differ from\n"
	"boot_cpu_data in one KVM takes from there.  Exit status 0 if\n"
	"consistent, 1 otherwise.\n";

struct row {
	unsigned int first, last;
	const char *support;
	const char *compat;
	const char *fields;
};

static const char *compat_of(const struct compat_file *c, unsigned int cpu,
			     const char **fields)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++) {
		if (c->cpus[i].cpu == cpu) {
			*fields = c->cpus[i].fields[0] ? c->cpus[i].fields : "-";
			return c->cpus[i].status;
		}
	}
	*fields = "-";
	return "-";
}

/* "3" or "0-63". */
static size_t cpu_range(char *buf, size_t size, const struct row *r)
{
	int n;

	if (r->first == r->last)
		n = snprintf(buf, size, "%u", r->first);
	else
		n = snprintf(buf, size, "%u-%u", r->first, r->last);
	return n > 0 ? (size_t)n : 0;
}

static void print_table(struct out *o, const struct support_file *s,
			const struct compat_file *c)
{
	struct row *rows = calloc(s->nr + c->nr + 1, sizeof(*rows));
	size_t w_cpu = 3, w_sup = 7, w_com = 6;
	unsigned int i, n = 0;
	char cpus[32];

	if (!rows) {
		o->oom = true;
		return;
	}
	for (i = 0; i < s->nr; i++) {
		const char *fields, *compat = compat_of(c, s->cpus[i].cpu,
							&fields);
		struct row *r = n ? &rows[n - 1] : NULL;

		if (r && r->last + 1 == s->cpus[i].cpu &&
		    !strcmp(r->support, s->cpus[i].state) &&
		    !strcmp(r->compat, compat) && !strcmp(r->fields, fields)) {
			r->last = s->cpus[i].cpu;
			continue;
		}
		r = &rows[n++];
		r->first = s->cpus[i].cpu;
		r->last = r->first;
		r->support = s->cpus[i].state;
		r->compat = compat;
		r->fields = fields;
	}
	for (i = 0; i < n; i++) {
		size_t len = cpu_range(cpus, sizeof(cpus), &rows[i]);

		if (len > w_cpu)
			w_cpu = len;
		if (strlen(rows[i].support) > w_sup)
			w_sup = strlen(rows[i].support);
		if (strlen(rows[i].compat) > w_com)
			w_com = strlen(rows[i].compat);
	}
	out_printf(o, "%-*s  %-*s  %-*s  %s\n", (int)w_cpu, "CPU", (int)w_sup,
		   "SUPPORT", (int)w_com, "COMPAT", "DIFFERING FIELDS");
	for (i = 0; i < n; i++) {
		cpu_range(cpus, sizeof(cpus), &rows[i]);
		out_printf(o, "%-*s  %-*s  %-*s  %s\n", (int)w_cpu, cpus,
			   (int)w_sup, rows[i].support, (int)w_com,
			   rows[i].compat, rows[i].fields);
	}
	free(rows);
}

static const char boot_lacks[] = "that KVM takes from boot_cpu_data";
static const char boot_has[] = "but KVM goes by boot_cpu_data, which lacks it";
static const char boot_words[] =
	"differs from boot_cpu_data in words KVM's kvm_cpu_caps start from";

/* One "a,b" list of boot_cpu, a line per name. */
static void boot_lines(struct out *o, unsigned int cpu, const char *list,
		       bool lacks)
{
	const char *p = list;

	while (*p) {
		const char *end = strchrnul(p, ',');
		const struct vp_boot_feature *f =
			vp_boot_feature_find(p, end - p);

		out_printf(o, "CPU %u %s X86_FEATURE_%.*s %s (%s)\n", cpu,
			   lacks ? "lacks" : "has", (int)(end - p), p,
			   lacks ? boot_lacks : boot_has, f ? f->where : "?");
		p = *end ? end + 1 : end;
	}
}

/*
 * What each CPU's own features have of what KVM takes from the boot CPU
 * (debugfs boot_cpu): nothing when every CPU is the same, or when the
 * module is too old to have the file.
 */
static int print_boot(struct out *o)
{
	struct node n = { 0 };
	struct boot_file b = { 0 };
	char path[4200];
	unsigned int i;
	int ret;

	snprintf(path, sizeof(path), "%s/boot_cpu", opts.debugfs);
	if (access(path, F_OK))
		return 0;
	ret = node_load(&n, opts.debugfs, "boot_cpu");
	if (!ret)
		ret = parse_boot_cpu(&n.t, &b);
	for (i = 0; !ret && i < b.nr; i++) {
		const struct boot_entry *e = &b.cpus[i];

		if (!e->differs)
			continue;
		boot_lines(o, e->cpu, e->lacks, true);
		boot_lines(o, e->cpu, e->has, false);
		if (e->words[0])
			out_printf(o, "CPU %u %s: %s\n", e->cpu, boot_words,
				   e->words);
	}
	node_free(&n);
	boot_file_free(&b);
	return ret;
}

/* One consistent reading of everything: 0, an exit code, or -1 to retry. */
static int read_all(struct out *o, bool *consistent)
{
	struct node mode = { 0 }, support = { 0 }, compat = { 0 };
	struct support_file s = { 0 };
	struct compat_file c = { 0 };
	char word[WORD_MAX];
	unsigned long long g = 0;
	struct choice ch = { 0 };
	int ret;

	ret = load_sysfs_words(&g, word);
	if (!ret)
		ret = node_load(&mode, opts.sysfs, "pinning_mode");
	if (!ret)
		ret = parse_choice(&mode.t, &ch);
	/* The sysfs part alone; the table needs debugfs. */
	if (!ret && !kernel_debugfs_warn("per-CPU table")) {
		out_printf(o, "mode:       %s\ngeneration: %llu\nstatus:     %s\n",
			   ch.words[ch.current], g, word);
		*consistent = !strcmp(word, "consistent");
		goto out;
	}
	if (!ret)
		ret = node_load(&support, opts.debugfs, "support");
	if (!ret)
		ret = parse_support(&support.t, &s);
	if (!ret)
		ret = node_load(&compat, opts.debugfs, "compat");
	if (!ret)
		ret = parse_compat(&compat.t, &c);
	if (!ret && (s.generation != g || c.generation != g))
		ret = -1;
	if (!ret) {
		out_printf(o, "mode:       %s\ngeneration: %llu\nstatus:     %s\n",
			   ch.words[ch.current], g, word);
		if (s.kvm[0] && !s.kvm_exact)
			out_printf(o, "kvm:        %s (%s %s: the nearest older one)\n",
				   s.kvm, "no mirror of this kernel's KVM",
				   s.kernel);
		out_printf(o, "\n");
		print_table(o, &s, &c);
		ret = print_boot(o);
		*consistent = !strcmp(word, "consistent");
	}
out:
	node_free(&mode);
	node_free(&support);
	node_free(&compat);
	support_file_free(&s);
	compat_file_free(&c);
	return ret;
}

int status_main(int argc, char *argv[])
{
	if (argc != 1)
		return usage_or_help(argc, argv, status_usage);
	return kernel_report(read_all,
			     "the module kept changing while being read; try again");
}
