// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl diff --kvm A --kvm B FILE: what two mirrored KVM versions compute
 * differently for the same CPUs, and which rule of the engine's version
 * table makes each difference.
 *
 * A rule is named by recomputing: version A with one rule of B taken into
 * its row (vp_kvm_rules[]).  A rule that moves a field, parameter or
 * result away from A's value is one that makes that difference; where no
 * single rule moves it, the rules act only together and the output says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/* One reference computation: KVM's config, effective parameters, result. */
struct kvm_result {
	struct vp_config cfg;
	struct vp_params eff;
	int ret;
};

static void compute_row(const struct vp_kvm_version *row, enum vp_kvm kvm,
			const struct vp_snapshot *snap,
			const struct vp_snapshot_cpu *ref, struct kvm_result *k)
{
	struct vp_params p;
	struct vp_reader rd;

	offline_setup(snap, kvm, ref, NULL, &p, &rd);
	k->ret = vp_compute_reference_row(row, &p, &rd, &k->cfg, &k->eff);
}

/* What the comparison walks: a field, a parameter or the result. */
enum item_kind {
	ITEM_RESULT,
	ITEM_FIELD,
	ITEM_PARAM,
};

static u64 item_value(const struct kvm_result *k, enum item_kind kind,
		      unsigned int i)
{
	switch (kind) {
	case ITEM_RESULT:
		return (u64)(unsigned int)k->ret;
	case ITEM_FIELD:
		return vp_field_get(&k->cfg, &vp_fields[i]);
	default:
		return vp_kvm_param_get(&k->eff, &vp_kvm_params[i]);
	}
}

struct kvm_diff {
	enum vp_kvm a, b;
	const struct vp_snapshot *snap;
	const struct vp_snapshot_cpu *ref;
	struct kvm_result ra, rb;
	/* A with rule r of B: hybrid[r], or ret INT_MIN where the rule is
	 * the same in both rows and was not recomputed
	 */
	struct kvm_result *hybrid;
	bool *rule_differs;
	struct out *o;
};

/* The rules under which A's value of the item moves: printed, counted. */
static void print_rules(struct kvm_diff *d, enum item_kind kind,
			unsigned int i)
{
	u64 va = item_value(&d->ra, kind, i);
	unsigned int r, n = 0;

	for (r = 0; r < vp_nr_kvm_rules; r++) {
		const struct vp_kvm_rule *rule = &vp_kvm_rules[r];

		if (!d->rule_differs[r] ||
		    item_value(&d->hybrid[r], kind, i) == va)
			continue;
		out_printf(d->o, "  rule %s: %s %s; %s %s\n", rule->id,
			   vp_kvm_name(d->a), vp_kvm_rule_says(rule, vp_kvm_version(d->a)),
			   vp_kvm_name(d->b), vp_kvm_rule_says(rule, vp_kvm_version(d->b)));
		n++;
	}
	if (!n)
		out_printf(d->o, "  rule: none alone; the rules listed above act together\n");
}

/* After a field's line and bits: the rules that move it. */
static void field_rules(void *d, unsigned int field)
{
	print_rules(d, ITEM_FIELD, field);
}

static unsigned int diff_params(struct kvm_diff *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		const struct vp_kvm_param *kp = &vp_kvm_params[i];
		u64 va = item_value(&d->ra, ITEM_PARAM, i);
		u64 vb = item_value(&d->rb, ITEM_PARAM, i);

		/* A parameter one version does not have is no difference. */
		if (va == vb || !vp_kvm_param_exists(&d->ra.eff, kp) ||
		    !vp_kvm_param_exists(&d->rb.eff, kp))
			continue;
		n++;
		out_printf(d->o, "param %-22s %s %llu  %s %llu\n", kp->name,
			   vp_kvm_name(d->a), va, vp_kvm_name(d->b), vb);
		print_rules(d, ITEM_PARAM, i);
	}
	return n;
}

/* kvm_intel's load, as offline_kvm_load() runs it. */
struct kvm_load {
	int ret;			/* its errno */
	int blame;			/* the CPU the compat check refused, or -1 */
	char refused[32];		/* " (cpu N refused)" where that failed it */
};

static void kvm_load(const struct offline *r, struct kvm_load *l)
{
	struct vp_kvm_view v;

	l->ret = offline_kvm_load(r, &v);
	l->blame = v.blame;
	l->refused[0] = '\0';
	if (l->ret == -EIO && !v.ref_ret && v.blame >= 0)
		snprintf(l->refused, sizeof(l->refused), " (cpu %d refused)",
			 v.blame);
}

/*
 * The load's outcome depends on one more rule than the config: where the
 * support probe takes IA32_FEAT_CTL's verdict from (kvm_view.c), which
 * the reference computation never reads.
 */
static void load_rules(struct kvm_diff *d)
{
	const struct vp_kvm_version *a = vp_kvm_version(d->a);
	const struct vp_kvm_version *b = vp_kvm_version(d->b);
	unsigned int r;

	for (r = 0; r < vp_nr_kvm_rules; r++) {
		const struct vp_kvm_rule *rule = &vp_kvm_rules[r];

		if (strcmp(rule->id, "support_probe") ||
		    vp_kvm_rule_is(rule, a) == vp_kvm_rule_is(rule, b))
			continue;
		out_printf(d->o, "  rule %s: %s %s; %s %s\n", rule->id,
			   vp_kvm_name(d->a), vp_kvm_rule_says(rule, a),
			   vp_kvm_name(d->b), vp_kvm_rule_says(rule, b));
	}
}

/*
 * Per CPU: the compat verdict of each version, where they differ; then
 * the outcome of kvm_intel's whole load and vmcs_probe's status.
 */
static unsigned int diff_cpus(struct kvm_diff *d)
{
	struct offline *oa = malloc(sizeof(*oa)), *ob = malloc(sizeof(*ob));
	struct kvm_load ref_a, ref_b;
	unsigned int i, n = 0;

	if (!oa || !ob) {
		free(oa);
		free(ob);
		vmcsctl_err("out of memory");
		return 0;
	}
	offline_compute(d->snap, d->a, d->ref, NULL, oa);
	offline_compute(d->snap, d->b, d->ref, NULL, ob);
	/* The load on the reference CPU, for the loop below. */
	kvm_load(oa, &ref_a);
	kvm_load(ob, &ref_b);
	for (i = 0; i < oa->nr; i++) {
		if (oa->cpus[i].status == ob->cpus[i].status)
			continue;
		n++;
		out_printf(d->o, "cpu%u compat: %s %s  %s %s\n", oa->cpus[i].cpu,
			   vp_kvm_name(d->a),
			   vp_compat_names[oa->cpus[i].status],
			   vp_kvm_name(d->b),
			   vp_compat_names[ob->cpus[i].status]);
	}
	if (oa->status != ob->status) {
		n++;
		out_printf(d->o, "status: %s %s  %s %s\n", vp_kvm_name(d->a),
			   vp_overall_names[oa->status], vp_kvm_name(d->b),
			   vp_overall_names[ob->status]);
	}
	/* kvm_intel's whole load, run on each CPU of the snapshot in turn. */
	for (i = 0; i < d->snap->nr_cpus; i++) {
		const struct vp_snapshot_cpu *on = &d->snap->cpus[i];
		struct kvm_load la = ref_a, lb = ref_b;

		if (on != d->ref) {
			offline_compute(d->snap, d->a, on, NULL, oa);
			offline_compute(d->snap, d->b, on, NULL, ob);
			kvm_load(oa, &la);
			kvm_load(ob, &lb);
		}
		if (la.ret == lb.ret && la.blame == lb.blame)
			continue;
		n++;
		out_printf(d->o, "kvm_intel load on cpu%u: %s %d%s  %s %d%s\n",
			   on->cpu, vp_kvm_name(d->a), la.ret, la.refused,
			   vp_kvm_name(d->b), lb.ret, lb.refused);
		load_rules(d);
	}
	free(oa);
	free(ob);
	return n;
}

/*
 * Compare versions @a and @b on @snap, the reference computed on @ref.
 * Returns the number of differences, or -1 out of memory.
 */
int kvm_diff_print(enum vp_kvm a, enum vp_kvm b,
		   const struct vp_snapshot *snap,
		   const struct vp_snapshot_cpu *ref, struct out *o)
{
	struct kvm_diff d = { .a = a, .b = b, .snap = snap, .ref = ref, .o = o };
	const struct vp_kvm_version *row_a = vp_kvm_version(a);
	const struct vp_kvm_version *row_b = vp_kvm_version(b);
	unsigned int r;
	int n;

	d.hybrid = calloc(vp_nr_kvm_rules, sizeof(*d.hybrid));
	d.rule_differs = calloc(vp_nr_kvm_rules, sizeof(*d.rule_differs));
	if (!d.hybrid || !d.rule_differs) {
		free(d.hybrid);
		free(d.rule_differs);
		return -1;
	}
	compute_row(row_a, a, snap, ref, &d.ra);
	compute_row(row_b, b, snap, ref, &d.rb);
	for (r = 0; r < vp_nr_kvm_rules; r++) {
		const struct vp_kvm_rule *rule = &vp_kvm_rules[r];
		struct vp_kvm_version mix = *row_a;

		if (vp_kvm_rule_is(rule, row_a) ==
		    vp_kvm_rule_is(rule, row_b))
			continue;
		d.rule_differs[r] = true;
		vp_kvm_rule_take(rule, &mix, row_b);
		compute_row(&mix, a, snap, ref, &d.hybrid[r]);
	}

	out_printf(o, "kvm %s vs %s, reference on cpu%u\n", vp_kvm_name(a),
		   vp_kvm_name(b), ref->cpu);
	n = 0;
	if (d.ra.ret != d.rb.ret) {
		out_printf(o, "result %s %d  %s %d\n", vp_kvm_name(a), d.ra.ret,
			   vp_kvm_name(b), d.rb.ret);
		print_rules(&d, ITEM_RESULT, 0);
		n++;
	}
	n += diff_fields(o, vp_kvm_name(a), &d.ra.cfg, vp_kvm_name(b),
			 &d.rb.cfg, false, field_rules, &d);
	n += diff_params(&d);
	n += diff_cpus(&d);
	if (n)
		out_printf(o, "%d difference%s\n", n, n == 1 ? "" : "s");
	else
		out_printf(o, "equal\n");
	free(d.hybrid);
	free(d.rule_differs);
	return n;
}
