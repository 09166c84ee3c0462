// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl decode: every bit of every VMX capability MSR, named, in the
 * terms of QEMU's scripts/kvm/vmxcap:
 *  - control MSRs: "yes" (may be 0 or 1), "no" (must be 0), "forced"
 *    (must be 1), and "default" for a bit that the non-true MSR forces
 *    but the TRUE_* MSR lets software clear (default1 class);
 *  - other MSRs: "Hex: 0x...", then yes/no per flag, numbers for fields.
 * Beyond vmxcap: reserved default1 bits are summarized, the 64-bit
 * control MSRs are decoded only when they exist, every set bit
 * without a name is printed as "Unknown" and counted, and the engine's
 * computed configuration follows.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"
#include "vmx_regs.h"

static const char decode_usage[] =
	"Usage: vmcsctl decode [SOURCE] [--cpu N]\n"
	"Name every bit of every VMX capability MSR of one CPU, vmxcap style,\n"
	"then the configuration computed from them.\n"
	"SOURCE: live (default: the module's CPU 0), cpuN (the module's CPU N)\n"
	"or a snapshot FILE, whose first section is used unless --cpu N.\n"
	"An SVM snapshot (boot_cpu_amd 1): the CPU's SVM facts and every bit of\n"
	"CPUID Fn8000_000A EDX as the APM names it, then kvm_amd's setup.\n";

#define NAME_W	48

struct dec {
	struct out *o;
	const struct vp_raw *raw;
	unsigned int unknown;
};

/*
 * One MSR to show, in the order of QEMU's vmxcap, with the MSR it is
 * read together with: the TRUE_* variant of a control MSR (0: none), the
 * control MSR whose allowed-1 bit @ctl activates a 64-bit control MSR,
 * or the FIXED1 half of a FIXED0 MSR.  How it is shown follows from its
 * vp_msr.kind (decode_kinds[]).
 */
struct decode_row {
	u32 index;
	u32 partner;
	u32 ctl;
};

/* The value of MSR @index: 1 known, 0 absent or faulted (said so). */
static int msr_get(struct dec *d, u32 index, u64 *val, bool say)
{
	int slot = vp_raw_slot(index);
	const struct vp_msr *m = vp_msr_find(index);

	if (slot >= 0 && (d->raw->known & (1u << slot)) &&
	    !(d->raw->faulted & (1u << slot))) {
		*val = d->raw->msr[slot];
		return 1;
	}
	if (say && m) {
		bool faulted = slot >= 0 && (d->raw->known & (1u << slot));

		out_printf(d->o, "%s (%s, 0x%x)\n  %s\n", m->name, m->id, index,
			   faulted ? "read faulted" : "not captured");
	}
	return 0;
}

static void line(struct dec *d, const char *name, const char *val)
{
	out_printf(d->o, "  %-*s %s\n", NAME_W, name, val);
}

static void unknown_bit(struct dec *d, unsigned int bit, const char *val)
{
	char name[32];

	snprintf(name, sizeof(name), "Unknown (bit %u)", bit);
	line(d, name, val);
	d->unknown++;
}

/* Flags and fields of a plain MSR, numbered from @shift in @v. */
static u64 show_fields(struct dec *d, const struct vp_bit *bits, u64 v,
		       unsigned int shift)
{
	u64 covered = 0;
	char num[32];

	for (; bits && bits->id; bits++) {
		u64 mask = field_mask(bits);
		u64 f = (v & mask) >> bits->lo;

		covered |= mask;
		if (bits->width == 1) {
			line(d, bits->name, f ? "yes" : "no");
		} else {
			snprintf(num, sizeof(num), "%llu", f);
			line(d, bits->name, num);
		}
	}
	(void)shift;
	return covered;
}

static void show_plain(struct dec *d, const struct vp_msr *m,
		       const struct decode_row *row)
{
	u64 v, covered, rest;
	unsigned int bit;

	(void)row;
	if (!msr_get(d, m->index, &v, true))
		return;
	out_printf(d->o, "%s (%s, 0x%x)\n  Hex: 0x%llx\n", m->name, m->id,
		   m->index, v);
	if (m->hi_bits) {
		covered = show_fields(d, m->bits, v & 0xffffffffULL, 0) &
			  0xffffffffULL;
		covered |= show_fields(d, m->hi_bits, v >> 32, 32) << 32;
	} else {
		covered = show_fields(d, m->bits, v, 0);
	}
	rest = v & ~covered;
	for (bit = 0; bit < 64; bit++)
		if (rest & (1ULL << bit))
			unknown_bit(d, bit, "yes");
}

static const char *ctl_state(bool may0, bool may1, bool has_true,
			     bool true_may0, bool true_may1)
{
	if (has_true && true_may0 && true_may1 && may1 && !may0)
		return "default";
	if (may0 && !may1)
		return "no";
	if (may1 && !may0)
		return "forced";
	if (may1 && may0)
		return "yes";
	return "invalid";	/* must be 1 and must be 0 */
}

/*
 * A control MSR (31:0 allowed-0, 63:32 allowed-1), with its TRUE_*
 * variant (@row->partner) when IA32_VMX_BASIC[55] says it exists.
 */
static void show_ctls(struct dec *d, const struct vp_msr *m,
		      const struct decode_row *row)
{
	u32 index = m->index, true_index = row->partner;
	u32 reserved = vp_bits_default1(m->bits);
	u64 v, tv = 0, basic;
	bool has_true = false;
	u32 mb1, cb1, tmb1 = 0, tcb1 = 0, named = 0, rsv_bits = 0;
	const char *rsv_state = NULL;
	bool rsv_mixed = false;
	unsigned int bit;

	if (!msr_get(d, index, &v, true))
		return;
	if (true_index && msr_get(d, VP_MSR_VMX_BASIC, &basic, false) &&
	    (basic & VP_BASIC_TRUE_CTLS) && msr_get(d, true_index, &tv, false))
		has_true = true;
	mb1 = (u32)v;
	cb1 = (u32)(v >> 32);
	tmb1 = (u32)tv;
	tcb1 = (u32)(tv >> 32);
	out_printf(d->o, "%s (%s, 0x%x) = 0x%016llx", m->name, m->id, index, v);
	if (has_true)
		out_printf(d->o, ", TRUE (0x%x) = 0x%016llx", true_index, tv);
	out_printf(d->o, "\n");

	for (bit = 0; bit < 32; bit++) {
		const struct vp_bit *b = vp_bit_find(m->bits, bit);
		u32 bm = 1u << bit;
		const char *st = ctl_state(!(mb1 & bm), cb1 & bm, has_true,
					   !(tmb1 & bm), tcb1 & bm);

		if (b) {
			line(d, b->name, st);
			named |= bm;
		} else if (reserved & bm) {
			rsv_bits |= bm;
			if (rsv_state && strcmp(rsv_state, st))
				rsv_mixed = true;
			rsv_state = st;
		} else if ((mb1 | cb1 | tmb1 | tcb1) & bm) {
			unknown_bit(d, bit, st);
		}
	}
	if (rsv_bits && !rsv_mixed) {
		char name[64];

		snprintf(name, sizeof(name), "Reserved, default1 (0x%08x)",
			 rsv_bits);
		line(d, name, rsv_state);
	} else if (rsv_bits) {
		for (bit = 0; bit < 32; bit++) {
			u32 bm = 1u << bit;
			const char *st;
			char name[64];

			if (!(rsv_bits & bm))
				continue;
			snprintf(name, sizeof(name), "Reserved, default1 (bit %u)",
				 bit);
			st = ctl_state(!(mb1 & bm), cb1 & bm, has_true,
				       !(tmb1 & bm), tcb1 & bm);
			line(d, name, st);
		}
	}
}

/*
 * A 64-bit allowed-1 control MSR (tertiary, secondary exit).  It exists
 * only when the control @row->ctl that activates it may be 1 in the
 * allowed-1 half of MSR @row->partner (IA32_VMX_PROCBASED_CTLS[49],
 * IA32_VMX_EXIT_CTLS[63]); otherwise its value means nothing.
 */
static void show_ctls64(struct dec *d, const struct vp_msr *m,
			const struct decode_row *row)
{
	u32 index = m->index, parent = row->partner, ctl = row->ctl;
	unsigned int bit, enable = 32;
	u64 v, p;

	while (enable < 63 && !(ctl & (1u << (enable - 32))))
		enable++;
	if (!msr_get(d, parent, &p, false) || !((p >> 32) & ctl)) {
		out_printf(d->o, "%s (%s, 0x%x)\n", m->name, m->id, index);
		if (!msr_get(d, parent, &p, false))
			out_printf(d->o, "  not decoded: 0x%x unknown\n", parent);
		else
			out_printf(d->o, "  not available: 0x%x[%u] is 0, no such controls\n",
				   parent, enable);
		return;
	}
	if (!msr_get(d, index, &v, true))
		return;
	out_printf(d->o, "%s (%s, 0x%x) = 0x%016llx\n", m->name, m->id, index,
		   v);
	for (bit = 0; bit < 64; bit++) {
		const struct vp_bit *b = vp_bit_find(m->bits, bit);
		bool one = v & (1ULL << bit);

		if (b)
			line(d, b->name, one ? "yes" : "no");
		else if (one)
			unknown_bit(d, bit, "yes");
	}
}

/*
 * CRn in VMX operation: FIXED0 bits must be 1, FIXED1 (@row->partner)
 * clear must be 0.  n is read from the MSR's id, IA32_VMX_CRn_FIXED0.
 */
static void show_fixed(struct dec *d, const struct vp_msr *m,
		       const struct decode_row *row)
{
	u32 idx0 = m->index, idx1 = row->partner;
	const char *cr = strstr(m->id, "_CR");
	u64 f0, f1, other = 0;
	unsigned int bit;

	if (!msr_get(d, idx0, &f0, true) || !msr_get(d, idx1, &f1, true))
		return;
	out_printf(d->o, "%.3s bits in VMX operation (FIXED0 0x%x = 0x%016llx, ",
		   cr ? cr + 1 : "CR?", idx0, f0);
	out_printf(d->o, "FIXED1 0x%x = 0x%016llx)\n", idx1, f1);
	for (bit = 0; bit < 64; bit++) {
		const struct vp_bit *b = vp_bit_find(m->bits, bit);
		u64 bm = 1ULL << bit;
		const char *st = ctl_state(!(f0 & bm), f1 & bm, false, false,
					   false);

		if (b)
			line(d, b->name, st);
		else if (f0 & bm)
			unknown_bit(d, bit, st);
		else if (f1 & bm)
			other |= bm;
	}
	if (other) {
		char val[32];

		snprintf(val, sizeof(val), "0x%llx", other);
		line(d, "Reserved bits FIXED1 allows", val);
	}
}

typedef void show_fn(struct dec *d, const struct vp_msr *m,
		     const struct decode_row *row);

/* How each kind of MSR is shown; NULL: only as another row's partner. */
static show_fn * const decode_kinds[] = {
	[VP_MSR_KIND_FEAT_CTL] = show_plain,
	[VP_MSR_KIND_BASIC] = show_plain,
	[VP_MSR_KIND_CTLS] = show_ctls,
	[VP_MSR_KIND_CTLS64] = show_ctls64,
	[VP_MSR_KIND_MISC] = show_plain,
	[VP_MSR_KIND_FIXED0] = show_fixed,
	[VP_MSR_KIND_FIXED1] = NULL,
	[VP_MSR_KIND_VMCS_ENUM] = show_plain,
	[VP_MSR_KIND_EPT_VPID] = show_plain,
	[VP_MSR_KIND_VMFUNC] = show_plain,
};

static const struct decode_row decode_rows[] = {
	{ VP_MSR_FEAT_CTL, 0, 0 },
	{ VP_MSR_VMX_BASIC, 0, 0 },
	{ VP_MSR_VMX_PINBASED_CTLS, VP_MSR_VMX_TRUE_PINBASED_CTLS, 0 },
	{ VP_MSR_VMX_PROCBASED_CTLS, VP_MSR_VMX_TRUE_PROCBASED_CTLS, 0 },
	{ VP_MSR_VMX_PROCBASED_CTLS2, 0, 0 },
	{ VP_MSR_VMX_PROCBASED_CTLS3, VP_MSR_VMX_PROCBASED_CTLS,
	  VP_CPU_ACTIVATE_TERTIARY },
	{ VP_MSR_VMX_EXIT_CTLS, VP_MSR_VMX_TRUE_EXIT_CTLS, 0 },
	{ VP_MSR_VMX_EXIT_CTLS2, VP_MSR_VMX_EXIT_CTLS,
	  VP_EXIT_ACTIVATE_SECONDARY },
	{ VP_MSR_VMX_ENTRY_CTLS, VP_MSR_VMX_TRUE_ENTRY_CTLS, 0 },
	{ VP_MSR_VMX_MISC, 0, 0 },
	{ VP_MSR_VMX_EPT_VPID_CAP, 0, 0 },
	{ VP_MSR_VMX_VMFUNC, 0, 0 },
	{ VP_MSR_VMX_VMCS_ENUM, 0, 0 },
	{ VP_MSR_VMX_CR0_FIXED0, VP_MSR_VMX_CR0_FIXED1, 0 },
	{ VP_MSR_VMX_CR4_FIXED0, VP_MSR_VMX_CR4_FIXED1, 0 },
};

static void show_msrs(struct dec *d)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decode_rows); i++) {
		const struct vp_msr *m = vp_msr_find(decode_rows[i].index);

		if (m && decode_kinds[m->kind])
			decode_kinds[m->kind](d, m, &decode_rows[i]);
	}
}

static void show_computed(struct out *o, const struct config_file *c)
{
	char names[1024];
	unsigned int i;

	out_printf(o, "Computed configuration (kvm %s, cpu %d, result %d %s, warnings %s)\n",
		   vp_kvm_name(c->kvm), c->cpu, c->result, c->reason,
		   c->warnings);
	for (i = 0; i < vp_nr_fields; i++) {
		const struct vp_field *f = &vp_fields[i];
		u64 v = vp_field_get(&c->cfg, f);
		char hex[24];

		bit_names(f->bits, f->bits ? v : 0, names, sizeof(names));
		snprintf(hex, sizeof(hex), "0x%0*llx", f->size * 2, v);
		if (names[0])
			out_printf(o, "  %-28s %-18s %s\n", f->name, hex, names);
		else
			out_printf(o, "  %-28s %s\n", f->name, hex);
	}
}

/*
 * An SVM snapshot FILE: the section of CPU @cpu (or the first), decoded,
 * then what kvm_amd computes loading on it.  -1 if FILE is no SVM snapshot
 * (or not a file): the caller goes on with VMX.
 */
static int decode_svm(const char *spec, bool want_cpu, unsigned int cpu)
{
	const struct vp_snapshot_cpu *c = NULL;
	struct vp_snapshot *snap = NULL;
	struct vp_snapshot_header none = { 0 };
	struct out o = { 0 };
	int ret;

	if (!strcmp(spec, "reference") || !strcmp(spec, "live") ||
	    access(spec, F_OK))
		return -1;
	ret = load_snapshot(spec, &snap);
	if (ret)
		return ret;
	if (!vp_snapshot_is_svm(snap)) {
		free(snap);
		return -1;
	}
	c = want_cpu ? snapshot_section(snap, spec, cpu) : &snap->cpus[0];
	if (!c) {
		free(snap);
		return EXIT_USAGE;
	}
	out_printf(&o, "Source: %s, CPU %u (SVM snapshot)\n", spec, c->cpu);
	svm_decode(&o, c);
	out_printf(&o, "\n");
	svm_compute(&o, snap, offline_default_kvm(snap), c, &none);
	ret = out_flush(&o, NULL);
	out_free(&o);
	free(snap);
	return ret;
}

int decode_main(int argc, char *argv[])
{
	unsigned int cpu = 0, want_cpu = 0;
	const char *spec = "live";
	struct out o = { 0 };
	struct side *s;
	struct dec d;
	int ret;
	const struct opt options[] = {
		{ .name = "cpu", .type = OPT_CPU, .val = &cpu, .seen = &want_cpu },
		{ 0 }
	};

	ret = opts_parse(argc, argv, options, decode_usage);
	if (ret >= 0)
		return ret;
	if (optind < argc - 1)
		return usage_error(decode_usage);
	if (optind == argc - 1)
		spec = argv[optind];
	ret = decode_svm(spec, want_cpu, cpu);
	if (ret >= 0)
		return ret;
	s = malloc(sizeof(*s));
	if (!s) {
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	ret = side_load(spec, true, false, want_cpu, cpu, s);
	if (ret) {
		free(s);
		return ret;
	}
	d.o = &o;
	d.raw = &s->raw;
	d.unknown = 0;
	out_printf(&o, "Source: %s, CPU %u\n", s->label, s->cpu);
	out_printf(&o, "CPUID.1:ECX = 0x%08x (VMX %s)\n", s->raw.cpuid1_ecx,
		   s->raw.cpuid1_ecx & VP_CPUID1_ECX_VMX ? "yes" : "no");
	show_msrs(&d);
	if (d.unknown)
		out_printf(&o, "Unknown bits set: %u (lines marked Unknown)\n",
			   d.unknown);
	else
		out_printf(&o, "Unknown bits set: none\n");
	out_printf(&o, "\n");
	show_computed(&o, &s->cfg);
	ret = out_flush(&o, NULL);
	out_free(&o);
	free(s);
	return ret;
}
