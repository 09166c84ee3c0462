// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl diff A B: the fields two configurations differ in, and for
 * each the names of the bits only one side has.
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
	"reference).  Exit status 0 if equal, 1 if they differ.\n";

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

/* Multi-bit fields (revision, sizes...) that differ, as numbers. */
static void fields_differ(struct out *o, const struct vp_bit *bits, u64 a,
			  u64 b)
{
	for (; bits && bits->id; bits++) {
		u64 mask = field_mask(bits);
		u64 fa = (a & mask) >> bits->lo, fb = (b & mask) >> bits->lo;

		if (bits->width > 1 && fa != fb)
			out_printf(o, "  %s: A %llu, B %llu\n", bits->id, fa, fb);
	}
}

int diff_main(int argc, char *argv[])
{
	static const char not_compared[] = "  (not compared by KVM)";
	struct side *a = NULL, *b = NULL;
	struct out o = { 0 };
	unsigned int i, n = 0;
	int ret;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return usage_or_help(argc, argv, diff_usage);
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
	for (i = 0; i < vp_nr_fields; i++) {
		const struct vp_field *f = &vp_fields[i];
		u64 va = vp_field_get(&a->cfg.cfg, f);
		u64 vb = vp_field_get(&b->cfg.cfg, f);

		if (va == vb)
			continue;
		n++;
		out_printf(&o, "%-28s A 0x%0*llx  B 0x%0*llx%s\n", f->name,
			   f->size * 2, va, f->size * 2, vb,
			   (f->flags & VP_FIELD_COMPARED) ? "" : not_compared);
		fields_differ(&o, f->bits, va, vb);
		only_in(&o, "A", f->bits, va, vb);
		only_in(&o, "B", f->bits, vb, va);
	}
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
