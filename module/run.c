// SPDX-License-Identifier: GPL-2.0
/*
 * Runs: the one place results are published.  Every interface that
 * reruns the setup or the check (sysfs run, debugfs check and bench, the
 * module's load) goes through vp_publish(), which rechecks, bumps the
 * generation and sets the status word, under vp_lock; a CPU coming online
 * or going is checked or marked offline here too, with the same bump.
 *
 * CPU hotplug: a dynamic cpuhp state checks a CPU as it comes online and
 * marks it offline as it goes.  With hotplug_policy "refuse", a CPU whose
 * check fails is kept offline, as KVM has done since 6.3.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
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
 * reference.  The only place the generation moves.
 */
static void vp_results_changed(void)
{
	lockdep_assert_held(&vp_lock);
	WRITE_ONCE(vp.overall, vp_overall_status());
	WRITE_ONCE(vp.generation, vp.generation + 1);
}

/* vp_publish() with both locks held. */
static void vp_publish_locked(const struct vp_setup *s, bool parallel)
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

/* What a failed check of a CPU coming online does (sysfs hotplug_policy). */
const char * const vp_hp_names[VP_NR_HP] = {
	[VP_HP_REPORT] = "report",
	[VP_HP_REFUSE] = "refuse",
};

static enum cpuhp_state vp_hp_state;

/*
 * cpuhp "online" callback: runs in the hotplug thread of @cpu, with the
 * hotplug lock held for writing.  A non-zero return keeps the CPU offline.
 */
static int vp_cpu_online(unsigned int cpu)
{
	int ret = 0;

	guard(mutex)(&vp_lock);

	smp_call_function_single(cpu, vp_percpu_fill, NULL, 1);
	vp_compat_check_cpu(cpu);
	if (READ_ONCE(vp.hotplug) == VP_HP_REFUSE &&
	    vp.cpu[cpu].status != VP_COMPAT_OK) {
		pr_warn("CPU %u: %s, refusing to bring it online (hotplug_policy=refuse)\n",
			cpu, vp_compat_names[vp.cpu[cpu].status]);
		vp_compat_mark_offline(cpu);
		ret = -EIO;
	}
	vp_results_changed();
	return ret;
}

static int vp_cpu_offline(unsigned int cpu)
{
	guard(mutex)(&vp_lock);

	vp_compat_mark_offline(cpu);
	vp_results_changed();
	return 0;
}

/**
 * vp_start() - the load's run, and every CPU watched from then on
 *
 * Fills the percpu source, runs the setup in the load's pinning mode,
 * publishes it and starts watching CPU hotplug, all under one hold of
 * the hotplug lock: no CPU comes or goes unseen.  Returns 0 or a
 * negative errno (nothing is left to undo then).
 */
int vp_start(void)
{
	struct vp_setup *s __free(kfree) = kmalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return -ENOMEM;
	guard(vp_cpus_read)();
	on_each_cpu(vp_percpu_fill, NULL, 1);
	scoped_guard(mutex, &vp_lock) {
		/* No read delay yet: nothing to interrupt. */
		vp_policy_run(vp.mode, s);
		vp_publish_locked(s, false);
	}
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "vmcs_probe:online",
						   vp_cpu_online,
						   vp_cpu_offline);
	if (ret < 0)
		return ret;
	vp_hp_state = ret;
	return 0;
}

/* Stop watching CPU hotplug (unload). */
void vp_stop(void)
{
	cpuhp_remove_state_nocalls(vp_hp_state);
}
