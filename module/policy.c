// SPDX-License-Identifier: GPL-2.0
/*
 * The pinning policy of the reference setup, and its trace.
 *
 * KVM computes its global VMX configuration in the loading task, which
 * may migrate between CPUs half-way (mode "none").  The upstream thread
 * "KVM: VMX: Make setup_vmcs_config() preemption disabled" (March 2023)
 * weighed migrate_disable() and preempt_disable() around it.  Here the
 * whole reference setup, support check, MSR reads, computation and nested
 * MSRs, runs inside the chosen section, and every access is traced with
 * the CPU it ran on.
 *
 * Nothing in the section sleeps or allocates in preempt_disable mode: the
 * trace and results go to a struct vp_setup the caller allocated, the
 * engine is pure, and the read delay busy-waits (source.c).  In the other
 * modes the read delay sleeps killably: a fatal signal ends the setup
 * early, and its result is then thrown away.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/ktime.h>

#include "kvm_view.h"
#include "vmcs_probe.h"

const char * const vp_mode_names[VP_NR_MODES] = {
	[VP_MODE_NONE]	  = "none",
	[VP_MODE_MIGRATE] = "migrate_disable",
	[VP_MODE_PREEMPT] = "preempt_disable",
};

/*
 * The setup proper: what kvm_intel's (or, on AMD, kvm_amd's) init does up
 * to the compat check.
 */
static int vp_setup(struct vp_read_ctx *ctx, struct vp_setup *s, u64 *ns)
{
	struct vp_reader r;
	u64 t0 = ktime_get_ns();
	int ret = -EOPNOTSUPP;

	if (vp.svm) {
		ret = vp_svm_setup(ctx, s);
	} else {
		vp_read_ctx_support(ctx, &s->support);
		if (vp_kvm_setup_reached(s->params.kvm, s->support.verdict)) {
			vp_read_ctx_reader(&r, ctx);
			ret = vp_compute_reference(&s->params, &r, &s->ref,
						   &s->effective);
		}
	}
	*ns = ktime_get_ns() - t0;
	return ret;
}

static void vp_trace_finish(struct vp_trace *t)
{
	unsigned int i;

	t->switches = 0;
	t->mixed = false;
	t->start_cpu = t->nr ? t->e[0].cpu : -1;
	t->end_cpu = t->nr ? t->e[t->nr - 1].cpu : -1;
	for (i = 1; i < t->nr; i++) {
		if (t->e[i].cpu != t->e[i - 1].cpu)
			t->switches++;
		if (t->e[i].cpu != t->start_cpu)
			t->mixed = true;
	}
}

static void vp_stats_add(struct vp_mode_stats *s, const struct vp_trace *t)
{
	if (!s->runs || t->duration_ns < s->min_ns)
		s->min_ns = t->duration_ns;
	s->max_ns = max(s->max_ns, t->duration_ns);
	s->total_ns += t->duration_ns;
	s->runs++;
	if (t->switches)
		s->switched++;
}

/**
 * vp_setup_params() - the parameters a setup starts from
 * @p: filled in
 *
 * KVM's parameters as given and, when replaying a snapshot, its boot-CPU
 * facts in place of the running kernel's.  Caller holds vp_lock.
 */
void vp_setup_params(struct vp_params *p)
{
	lockdep_assert_held(&vp_lock);
	*p = vp.params;
	if (vp.source == VP_SRC_REPLAY && vp.snapshot)
		vp_snapshot_fill_params(&vp.snapshot->hdr,
					&vp.snapshot->cpus[0], p);
}

/**
 * vp_policy_run() - run the reference setup in a pinning mode
 * @mode: the pinning mode
 * @s: the result: inputs, reference, support, trace and setup result
 *
 * Runs in the calling task, from the current source and settings; only
 * vp_publish() makes the result the module's reference.  Caller holds
 * vp_lock.  Returns 0 (the setup's own result is in @s->ret: 0,
 * -EOPNOTSUPP when the starting CPU has no VMX, or the engine's error)
 * or -EINTR when a fatal signal cut the setup short; @s is then
 * meaningless and the stats are left alone.
 */
int vp_policy_run(enum vp_mode mode, struct vp_setup *s)
{
	struct vp_trace *t = &s->trace;
	struct vp_read_ctx ctx = {
		.source = vp.source,
		.trace = t,
		.delay_us = vp.read_delay_us,
		.atomic = mode == VP_MODE_PREEMPT,
	};
	u64 ns = 0;
	int ret;

	lockdep_assert_held(&vp_lock);
	memset(s, 0, sizeof(*s));
	vp_setup_params(&s->params);
	t->mode = mode;
	t->source = vp.source;

	switch (mode) {
	case VP_MODE_NONE:
		ret = vp_setup(&ctx, s, &ns);
		break;
	case VP_MODE_MIGRATE:
		scoped_guard(migrate)
			ret = vp_setup(&ctx, s, &ns);
		break;
	case VP_MODE_PREEMPT:
		scoped_guard(preempt)
			ret = vp_setup(&ctx, s, &ns);
		break;
	default:
		WARN_ON_ONCE(1);
		return -EINVAL;
	}
	if (ctx.killed)
		return -EINTR;

	t->duration_ns = ns;
	vp_trace_finish(t);
	vp_stats_add(&vp.stats[mode], t);
	s->ret = ret;
	return 0;
}
