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
 * trace and results live in vp (allocated at load), the engine is pure,
 * and the read delay busy-waits (source.c).
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

/* The setup proper: what kvm_intel's init does up to the compat check. */
static int vp_setup(struct vp_read_ctx *ctx, u64 *ns)
{
	struct vp_reader r;
	u64 t0 = ktime_get_ns();
	int ret = -EOPNOTSUPP;

	vp_read_ctx_support(ctx, &vp.ref_support);
	if (vp_kvm_setup_reached(vp.run_params.kvm, vp.ref_support.verdict)) {
		vp_read_ctx_reader(&r, ctx);
		ret = vp_compute_reference(&vp.run_params, &r, &vp.ref,
					   &vp.effective);
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
 * vp_policy_run() - run the reference setup under the current mode
 *
 * Runs in the calling task.  Caller holds the CPU hotplug read lock and
 * vp_lock.  Returns what the setup returned: 0, -EOPNOTSUPP (no VMX on
 * the starting CPU) or the engine's error.
 */
int vp_policy_run(void)
{
	struct vp_trace *t = &vp.trace;
	struct vp_read_ctx ctx = {
		.source = vp.source,
		.trace = t,
		.delay_us = vp.read_delay_us,
		.atomic = vp.mode == VP_MODE_PREEMPT,
	};
	int ret = 0;
	u64 ns = 0;

	lockdep_assert_held(&vp_lock);
	memset(t, 0, sizeof(*t));
	t->mode = vp.mode;
	t->source = vp.source;
	memset(&vp.ref, 0, sizeof(vp.ref));

	switch (vp.mode) {
	case VP_MODE_NONE:
		ret = vp_setup(&ctx, &ns);
		break;
	case VP_MODE_MIGRATE:
		scoped_guard(migrate)
			ret = vp_setup(&ctx, &ns);
		break;
	case VP_MODE_PREEMPT:
		scoped_guard(preempt)
			ret = vp_setup(&ctx, &ns);
		break;
	default:
		WARN_ON_ONCE(1);
		ret = -EINVAL;
	}

	t->duration_ns = ns;
	vp_trace_finish(t);
	vp_stats_add(&vp.stats[vp.mode], t);
	vp.ref_ret = ret;
	return ret;
}
