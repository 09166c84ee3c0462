// SPDX-License-Identifier: GPL-2.0
/*
 * Runs: the one place results are published.  Every interface that
 * reruns the setup or the check (sysfs run, debugfs check and bench, the
 * module's load, CPU hotplug) goes through vp_publish(), which rechecks,
 * bumps the generation and sets the status word, under vp_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/sched/signal.h>

#include "kcompat.h"
#include "vmcs_probe.h"

/* The one word of sysfs "status".  Caller holds vp_lock. */
enum vp_overall vp_overall_status(void)
{
	struct vp_overall_tally t = {};
	unsigned int cpu;

	lockdep_assert_held(&vp_lock);
	for_each_possible_cpu(cpu)
		vp_overall_add(&t, vp.cpu[cpu].status);
	return vp_overall_judge(vp.ref_support.verdict, vp.ref_ret, &t);
}

/**
 * vp_results_changed() - make a change of results visible
 *
 * A new generation and the status word that goes with it, both readable
 * without vp_lock.  Caller holds vp_lock and has changed vp.cpu[] or the
 * reference.
 */
void vp_results_changed(void)
{
	lockdep_assert_held(&vp_lock);
	WRITE_ONCE(vp.overall, vp_overall_status());
	WRITE_ONCE(vp.generation, vp.generation + 1);
}

/* vp_publish() with both locks held. */
void vp_publish_locked(const struct vp_setup *s, bool parallel)
{
	lockdep_assert_held(&vp_lock);
	if (s) {
		vp.run_params = s->params;
		vp.effective = s->effective;
		vp.ref = s->ref;
		vp.ref_support = s->support;
		vp.trace = s->trace;
		vp.ref_ret = s->ret;
		vp.svm_ref = s->svm;
	}
	vp_compat_check_all(parallel);
	vp_results_changed();
}

/**
 * vp_publish() - make a setup the reference, check every CPU against it
 * @s: a setup made by vp_policy_run(), or NULL to keep the reference
 * @parallel: check all CPUs at once instead of one by one
 *
 * The only way a run or a check reaches the files: reference, trace,
 * compat, status and a new generation, together.  Takes the CPU hotplug
 * read lock and then vp_lock (killably) for the check only.  Returns 0
 * or -EINTR (a fatal signal came first; nothing changed).
 */
int vp_publish(const struct vp_setup *s, bool parallel)
{
	guard(vp_cpus_read)();
	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	vp_publish_locked(s, parallel);
	return 0;
}

/**
 * vp_setup_killable() - one reference setup, not published
 * @mode: its pinning mode
 * @s: the result
 *
 * Takes vp_lock killably for the setup.  Returns 0 or -EINTR.
 */
int vp_setup_killable(enum vp_mode mode, struct vp_setup *s)
{
	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	return vp_policy_run(mode, s);
}

/**
 * vp_run() - a run: the reference setup in @mode, then the compat check
 * @mode: the pinning mode of the setup
 *
 * In the calling task, so that it can be moved between CPUs from outside
 * while the setup runs.  vp_lock is held for the setup, then released,
 * then taken again inside the hotplug lock for the check: the hotplug
 * lock is never held across a setup, whose read delays may sleep.  The
 * setup's result is in status.  Returns 0, -ENOMEM, or -EINTR when a
 * fatal signal ended the run (nothing published).
 */
int vp_run(enum vp_mode mode)
{
	struct vp_setup *s __free(kfree) = kmalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return -ENOMEM;
	ret = vp_setup_killable(mode, s);
	return ret ? ret : vp_publish(s, false);
}

/* ---- load and unload ---- */
