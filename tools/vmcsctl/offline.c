// SPDX-License-Identifier: GPL-2.0
/*
 * The engine run on a snapshot, without the module: the same source
 * (module/engine.c) computes the reference from one CPU's section and
 * checks every section against it, as the module does on live CPUs.
 * Also the text format of a configuration (debugfs "reference"), and
 * the words for its bits and for the differences of two (vmcsctl diff,
 * diff --kvm).
 */
#include <stdio.h>
#include <string.h>

#include "vmcsctl.h"
#include "vmx_regs.h"

void warnings_str(u32 warnings, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	snprintf(buf, size, "none");
	for (i = 0; i < 32; i++) {
		const char *name;

		if (!(warnings & (1u << i)))
			continue;
		name = vp_warning_id(i) ? vp_warning_id(i) : "unknown";
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? "," : "", name);
	}
}

void config_file_from(struct config_file *c, const struct vp_config *cfg,
		      u32 cpu, int ret)
{
	memset(c, 0, sizeof(*c));
	c->generation = 0;
	c->kvm = cfg->kvm;
	snprintf(c->mode, sizeof(c->mode), "none");
	c->cpu = (int)cpu;
	c->result = ret;
	snprintf(c->reason, sizeof(c->reason), "%s",
		 vp_result_reason(VP_VMX_OK, ret, cfg->diag.error));
	warnings_str(cfg->diag.warnings, c->warnings, sizeof(c->warnings));
	c->cfg = *cfg;
}

void print_config(struct out *o, const struct vp_config *cfg, u32 cpu,
		  int ret, enum vp_support support)
{
	const struct vp_config_report r = {
		.kvm = cfg->kvm,
		.mode = "none",
		.cpu = (int)cpu,
		.ret = ret,
		.support = support,
		.cfg = cfg,
	};

	out_printf(o, "version 1\ngeneration 0\n");
	vp_report_config(&r, out_line, o);
}

u64 field_mask(const struct vp_bit *b)
{
	u64 ones = b->width >= 64 ? ~0ULL : (1ULL << b->width) - 1;

	return ones << b->lo;
}

void bit_names(const struct vp_bit *bits, u64 v, char *buf, size_t size)
{
	const struct vp_bit *b;
	size_t len = 0;
	u64 rest = v;
	int n;

	buf[0] = '\0';
	for (b = bits; b && b->id; b++) {
		u64 mask = field_mask(b);

		rest &= ~mask;
		if (!(v & mask))
			continue;
		if (b->width > 1)
			n = snprintf(buf + len, len < size ? size - len : 0,
				     "%s%s=0x%llx", len ? " " : "", b->id,
				     (v & mask) >> b->lo);
		else
			n = snprintf(buf + len, len < size ? size - len : 0,
				     "%s%s", len ? " " : "", b->id);
		len += n > 0 ? (size_t)n : 0;
	}
	/* Reserved bits the control MSRs force to 1 are no mystery. */
	if (rest & vp_bits_default1(bits)) {
		n = snprintf(buf + len, len < size ? size - len : 0,
			     "%sdefault1=0x%llx", len ? " " : "",
			     rest & vp_bits_default1(bits));
		len += n > 0 ? (size_t)n : 0;
		rest &= ~(u64)vp_bits_default1(bits);
	}
	if (rest) {
		n = snprintf(buf + len, len < size ? size - len : 0,
			     "%sunnamed=0x%llx", len ? " " : "", rest);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len >= size && size > 4)
		str_copy(buf + size - 4, 4, "...");
}

int param_arg(struct vp_snapshot_header *ovr, const char *arg,
	      const char *what)
{
	const char *eq = strchr(arg, '=');
	const struct vp_kvm_param *d;
	unsigned long long v;
	unsigned int i;

	d = eq ? vp_kvm_param_find(arg, (size_t)(eq - arg)) : NULL;
	if (!d) {
		vmcsctl_err("%s%s: not NAME=VALUE with NAME a kvm_intel parameter",
			    what, arg);
		return EXIT_USAGE;
	}
	i = (unsigned int)(d - vp_kvm_params);
	if (ovr->param_present & (1u << i)) {
		vmcsctl_err("%s%s: %s given twice", what, arg, d->name);
		return EXIT_USAGE;
	}
	if (d->type == VP_KVM_PARAM_BOOL ?
		    strcmp(eq + 1, "0") && strcmp(eq + 1, "1") :
		    !parse_uint(eq + 1, 0xffffffffULL, &v)) {
		vmcsctl_err("%s%s: bad value (want %s)", what, arg,
			    d->type == VP_KVM_PARAM_BOOL ? "0 or 1" :
							   "decimal, at most 4294967295");
		return EXIT_USAGE;
	}
	if (d->type == VP_KVM_PARAM_BOOL)
		v = eq[1] == '1';
	ovr->param[i] = (u32)v;
	ovr->param_present |= 1u << i;
	return 0;
}

enum vp_kvm offline_default_kvm(const struct vp_snapshot *snap)
{
	return (snap->hdr.present & VP_SNAP_HAS_KVM) ? snap->hdr.kvm :
						       VP_KVM_6_12;
}

enum vp_support raw_support(const struct vp_raw *raw)
{
	int slot = vp_raw_slot(VP_MSR_FEAT_CTL);
	bool ok = slot >= 0 && (raw->known & (1u << slot)) &&
		  !(raw->faulted & (1u << slot));

	return vp_vmx_support(raw->cpuid1_ecx & VP_CPUID1_ECX_VMX, ok,
			      ok ? raw->msr[slot] : 0, false);
}

void offline_setup(const struct vp_snapshot *snap, enum vp_kvm kvm,
		   const struct vp_snapshot_cpu *ref,
		   const struct vp_snapshot_header *ovr, struct vp_params *p,
		   struct vp_reader *rd)
{
	vp_params_defaults(p, kvm);
	vp_snapshot_fill_params(&snap->hdr, ref, p);
	if (ovr)
		vp_snapshot_fill_params(ovr, NULL, p);
	vp_raw_reader(rd, &ref->raw);
}

void offline_compute(const struct vp_snapshot *snap, enum vp_kvm kvm,
		     const struct vp_snapshot_cpu *ref,
		     const struct vp_snapshot_header *ovr, struct offline *r)
{
	struct vp_overall_tally tally = { 0 };
	struct vp_reader rd;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (!ref)
		ref = &snap->cpus[0];
	offline_setup(snap, kvm, ref, ovr, &r->params, &rd);
	r->ref_cpu = ref->cpu;
	r->ref_support = raw_support(&ref->raw);
	r->ref_ret = vp_compute_reference(&r->params, &rd, &r->ref,
					  &r->effective);

	r->nr = snap->nr_cpus;
	for (i = 0; i < snap->nr_cpus; i++) {
		const struct vp_snapshot_cpu *sc = &snap->cpus[i];
		struct offline_cpu *c = &r->cpus[i];

		c->cpu = sc->cpu;
		c->support = raw_support(&sc->raw);
		vp_raw_reader(&rd, &sc->raw);
		c->ret = vp_compute_cpu(&r->effective, &r->ref, &rd, &c->cfg);
		c->status = vp_compat_judge(c->support, c->ret, &r->ref,
					    &c->cfg, vp_diff_mask_add, &c->diff);
		vp_overall_add(&tally, c->status);
	}
	r->status = vp_overall_judge(r->ref_support, r->ref_ret, &tally);
}

int offline_kvm_load(const struct offline *r, struct vp_kvm_view *v)
{
	long long last = -1;
	unsigned int n, i;

	*v = (struct vp_kvm_view){
		.kvm = r->ref.kvm,
		.ref_cpu = r->ref_cpu,
		.ref_support = r->ref_support,
		.ref_ret = r->ref_ret,
		.blame = -1,
		.effective = &r->effective,
		.ref = &r->ref,
	};

	/* The boot CPU: CPU 0, or the first section, as for replay. */
	v->boot_support = r->cpus[0].support;
	for (i = 0; i < r->nr; i++)
		if (r->cpus[i].cpu == 0)
			v->boot_support = r->cpus[i].support;

	for (n = 0; n < r->nr && v->blame < 0; n++) {
		const struct offline_cpu *next = NULL;

		for (i = 0; i < r->nr; i++)
			if (r->cpus[i].cpu > last &&
			    (!next || r->cpus[i].cpu < next->cpu))
				next = &r->cpus[i];
		if (!next)
			break;
		last = next->cpu;
		if (vp_kvm_cpu_fails(next->support, next->ret, &r->ref,
				     &next->cfg))
			v->blame = (int)next->cpu;
	}
	return vp_kvm_view_load(v);
}

/* Bits set in @v and not in @other, by name. */
static void only_in(struct out *o, const char *side,
		    const struct vp_bit *bits, u64 v, u64 other)
{
	char names[1024];
	u64 only = v & ~other, multi = 0;
	const struct vp_bit *b;

	for (b = bits; b && b->id; b++)
		if (b->width > 1)
			multi |= field_mask(b);
	only &= ~multi;
	if (!only)
		return;
	bit_names(bits, only, names, sizeof(names));
	out_printf(o, "  only in %s: %s\n", side, names);
}

/*
 * The bits of a field that differ between values @va (side @a) and @vb
 * (side @b): multi-bit fields as numbers, single bits by name.
 */
static void diff_bits(struct out *o, const struct vp_bit *bits,
		      const char *a, u64 va, const char *b, u64 vb)
{
	const struct vp_bit *f;

	/* Multi-bit fields (revision, sizes...) that differ, as numbers. */
	for (f = bits; f && f->id; f++) {
		u64 mask = field_mask(f);
		u64 fa = (va & mask) >> f->lo, fb = (vb & mask) >> f->lo;

		if (f->width > 1 && fa != fb)
			out_printf(o, "  %s: %s %llu, %s %llu\n", f->id, a, fa,
				   b, fb);
	}
	only_in(o, a, bits, va, vb);
	only_in(o, b, bits, vb, va);
}

unsigned int diff_fields(struct out *o, const char *a,
			 const struct vp_config *ca, const char *b,
			 const struct vp_config *cb, bool note_uncompared,
			 void (*then)(void *ctx, unsigned int field), void *ctx)
{
	static const char not_compared[] = "  (not compared by KVM)";
	unsigned int i, n = 0;

	for (i = 0; i < vp_nr_fields; i++) {
		const struct vp_field *f = &vp_fields[i];
		u64 va = vp_field_get(ca, f);
		u64 vb = vp_field_get(cb, f);
		bool note = note_uncompared && !(f->flags & VP_FIELD_COMPARED);

		if (va == vb)
			continue;
		n++;
		out_printf(o, "%-28s %s 0x%0*llx  %s 0x%0*llx%s\n", f->name,
			   a, f->size * 2, va, b, f->size * 2, vb,
			   note ? not_compared : "");
		diff_bits(o, f->bits, a, va, b, vb);
		if (then)
			then(ctx, i);
	}
	return n;
}
