// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl explain: KVM's kernel log lines about the CPUs it refused, in
 * the words of the mirrored versions: which CPU, which member of struct
 * vmcs_config each 7.x offset is, which bits differ with their SDM
 * names, and, when vmcs_probe is loaded, what its own per-CPU compat
 * says about the same CPUs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

static const char explain_usage[] =
	"Usage: vmcsctl explain [--kvm VERSION] [FILE | -]\n"
	"Explain KVM's kernel log messages about the CPUs it refused or could\n"
	"not use: the running kernel's log (/dev/kmsg) without FILE, standard\n"
	"input with '-'.  --kvm: the struct vmcs_config layout to read 7.x\n"
	"offsets with (7.2 or 7.3; default: the newest).  Exit status 0 if the\n"
	"log holds no such message, 1 if it does, 2 usage, 3 the kernel log\n"
	"cannot be read, 4 a line that looks like KVM's but does not parse.\n";

static const char padding_note[] =
	"setup_vmcs_config() zeroes it: a difference means corrupted memory, not a feature";
static const char no_probe_note[] =
	"vmcs_probe is not loaded with debugfs here: no per-CPU view of its own";

/* vmcs_probe's view, if it is loaded with debugfs. */
struct probe_view {
	bool loaded;
	struct compat_file compat;
	struct config_file ref;
};

static void probe_load(struct probe_view *p)
{
	struct node n = { 0 };
	const char *why;
	bool quiet = opts.quiet;

	memset(p, 0, sizeof(*p));
	if (!kernel_debugfs(&why))
		return;
	/* Not loaded is an answer here, not an error. */
	opts.quiet = true;
	if (!node_load(&n, opts.debugfs, "compat") &&
	    !parse_compat(&n.t, &p->compat) &&
	    !load_config(opts.debugfs, "reference", &p->ref))
		p->loaded = true;
	opts.quiet = quiet;
	node_free(&n);
}

static void probe_cpu(struct out *o, const struct probe_view *p, int cpu)
{
	unsigned int i;

	if (!p->loaded || cpu < 0)
		return;
	for (i = 0; i < p->compat.nr; i++) {
		const struct compat_entry *e = &p->compat.cpus[i];

		if (e->cpu != (unsigned int)cpu)
			continue;
		out_printf(o, "  vmcs_probe: CPU %d %s%s%s", cpu, e->status,
			   e->fields[0] ? ": " : "", e->fields);
		out_printf(o, " (reference from CPU %d, mode %s, KVM %s)\n",
			   p->ref.cpu, p->ref.mode, vp_kvm_name(p->ref.kvm));
		return;
	}
	out_printf(o, "  vmcs_probe: CPU %d not checked (offline or not present)\n",
		   cpu);
}

/* "6.12" for BIT(VP_KVM_6_12) | ...: the versions vmcs_probe knows. */
static void versions(const struct vp_klog_msg *m, char *buf, size_t size)
{
	size_t len = 0;
	int k, n;

	buf[0] = '\0';
	for (k = 0; k < VP_KVM_NR; k++) {
		if (!(m->kvms & BIT(k)) || !vp_layout_for(k))
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
			     vp_layout_for(k)->name);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += n;
	}
}

/*
 * The bits of @word (bit 0 is bit @shift of the field that @bits names),
 * one line each: the bit in the word as KVM printed it, the SDM's name.
 */
static void bits_diff(struct out *o, const struct vp_bit *bits, u32 word,
		      unsigned int shift, const char *side)
{
	const struct vp_bit *b;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		if (!(word & BIT(i)))
			continue;
		b = vp_bit_find(bits, i + shift);
		out_printf(o, "    bit %2u only on %s: ", i, side);
		if (!b)
			out_printf(o, "(no name in the SDM's tables)\n");
		else if (b->width > 1)
			out_printf(o, "%s, %s (bit %u of it)\n", b->id, b->name,
				   i + shift - b->lo);
		else
			out_printf(o, "%s, %s\n", b->id, b->name);
	}
}

static void explain_offset(struct out *o, const struct vp_layout *l,
			   const struct klog_event *e)
{
	const struct vp_layout_member *m;
	const struct vp_field *f;
	unsigned int shift;
	char side[32];

	m = vp_layout_word(l, e->offset, &shift);
	if (!m) {
		bool hole = e->offset < l->size;

		out_printf(o, "  offset %u: %s of KVM %s's struct vmcs_config",
			   e->offset, hole ? "padding" : "past the end",
			   l->name);
		out_printf(o, ": REF 0x%08x, CPU%d 0x%08x\n", e->ref, e->cpu,
			   e->val);
		if (hole)
			out_printf(o, "    (%s)\n", padding_note);
		return;
	}
	f = vp_field_find(m->field);
	out_printf(o, "  offset %u: %s", e->offset, m->member);
	if (m->size == 8)
		out_printf(o, " bits %u-%u", shift - m->bit_base,
			   shift - m->bit_base + 31);
	out_printf(o, " (vmcs_probe: %s): REF 0x%08x, CPU%d 0x%08x\n", m->field,
		   e->ref, e->cpu, e->val);
	bits_diff(o, f ? f->bits : NULL, e->ref & ~e->val, shift,
		  "the reference");
	snprintf(side, sizeof(side), "CPU %d", e->cpu);
	bits_diff(o, f ? f->bits : NULL, e->val & ~e->ref, shift, side);
}

static int explain(struct out *o, const struct klog *k,
		   const struct vp_layout *l, const struct probe_view *p)
{
	unsigned int i, found = 0;
	char vers[64];

	for (i = 0; i < k->nr; i++) {
		const struct klog_event *e = &k->ev[i];

		if (e->msg->kind == VP_KLOG_OFFSET) {
			explain_offset(o, l, e);
			continue;
		}
		found++;
		versions(e->msg, vers, sizeof(vers));
		out_printf(o, "line %u: %s\n", e->line, e->text);
		out_printf(o, "  KVM %s (known from %s): ", e->msg->since, vers);
		if (e->cpu >= 0)
			out_printf(o, "CPU %d: ", e->cpu);
		out_printf(o, "%s\n", e->msg->meaning);
		if (e->msg->kind == VP_KLOG_COMPAT_OFFSETS)
			out_printf(o, "  offsets read with KVM %s's struct vmcs_config:\n",
				   l->name);
		probe_cpu(o, p, e->cpu);
	}
	if (found && !p->loaded)
		out_printf(o, "(%s)\n", no_probe_note);
	return found ? EXIT_DIFFER : EXIT_OK;
}

/* --kvm: a version whose KVM prints offsets. */
static const struct vp_layout *layout_arg(const char *name)
{
	const struct vp_layout *l, *best = NULL;
	unsigned int i;
	u32 kvms = 0;
	int k;

	for (i = 0; i < vp_nr_klog_msgs; i++)
		if (vp_klog_msgs[i].kind == VP_KLOG_OFFSET)
			kvms |= vp_klog_msgs[i].kvms;
	for (k = 0; k < VP_KVM_NR; k++) {
		l = vp_layout_for(k);
		if (!l || !(kvms & BIT(k)))
			continue;
		if (!name || !strcmp(name, l->name))
			best = l;
	}
	return best;
}

int explain_main(int argc, char *argv[])
{
	const struct vp_layout *l = layout_arg(NULL);
	const char *path = NULL, *kmsg = "/dev/kmsg";
	struct text t = { 0 };
	struct out o = { 0 };
	char *buf = NULL;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("%s", explain_usage);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--kvm") && i + 1 < argc) {
			l = layout_arg(argv[++i]);
			if (!l) {
				vmcsctl_err("--kvm %s: not a version that prints offsets (7.2, 7.3)",
					    argv[i]);
				return EXIT_USAGE;
			}
		} else if (!path && (argv[i][0] != '-' || !argv[i][1])) {
			path = argv[i];
		} else {
			return usage_error(explain_usage);
		}
	}
	if (path)
		ret = read_file(path, &buf, &t.len);
	else
		ret = kernel_log(kmsg, &buf, &t.len);
	if (ret)
		return ret;
	if (!path)
		t.name = kmsg;
	else
		t.name = strcmp(path, "-") ? path : "<stdin>";
	t.buf = buf;
	ret = explain_text(&o, &t, l);
	if (ret != EXIT_MALFORMED) {
		if (!o.len)
			out_printf(&o, "no KVM message about a CPU in %s\n", t.name);
		i = out_flush(&o, NULL);
		if (i)
			ret = i;
	}
	out_free(&o);
	free(buf);
	return ret;
}

int explain_text(struct out *o, const struct text *t,
		 const struct vp_layout *l)
{
	struct probe_view p;
	struct klog k;
	int ret;

	ret = parse_klog(t, &k);
	if (!ret) {
		probe_load(&p);
		ret = explain(o, &k, l ? l : layout_arg(NULL), &p);
		compat_file_free(&p.compat);
	}
	klog_free(&k);
	return ret;
}
