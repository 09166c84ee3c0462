// SPDX-License-Identifier: GPL-2.0
/*
 * The compat check: every CPU against the reference, as KVM does it.
 *
 * vmx_check_processor_compat() recomputes the configuration on each CPU,
 * in IRQ context, and memcmp()s it with the global one.  Here each CPU
 * reads its raw inputs and runs the engine in an IPI handler, one CPU at
 * a time (KVM's way) or all at once (the parallel sweep); both write only
 * their own CPU's slot and give the same results.
 *
 * CPU hotplug: a dynamic cpuhp state checks a CPU as it comes online and
 * marks it offline as it goes.  With hotplug_policy "refuse", a CPU whose
 * check fails is kept offline, as KVM has done since 6.3.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/smp.h>

#include "vmcs_probe.h"

/* What a failed check of a CPU coming online does (sysfs hotplug_policy). */
const char * const vp_hp_names[VP_NR_HP] = {
	[VP_HP_REPORT] = "report",
	[VP_HP_REFUSE] = "refuse",
};

static enum cpuhp_state vp_hp_state;

/*
 * On the CPU being checked, in IRQ context: read, judge, compute,
 * compare.  Reads vp's settings and reference, stable while the sender
 * holds vp_lock; writes only this CPU's result.
 */
static void vp_check_local(void *unused)
{
	struct vp_cpu_result *res = &vp.cpu[smp_processor_id()];
	struct vp_reader r;

	memset(res, 0, sizeof(*res));
	if (vp.svm) {
		vp_svm_check_local(res);
		return;
	}
	vp_source_read_all(vp.source, &res->raw);
	vp_support_judge(&res->support, &res->raw, vp.source == VP_SRC_HW);
	if (res->support.verdict == VP_VMX_OK) {
		vp_raw_reader(&r, &res->raw);
		res->ret = vp_compute_cpu(&vp.effective, &vp.ref, &r,
					  &res->config);
	}
	res->status = vp_compat_judge(res->support.verdict, res->ret, &vp.ref,
				      &res->config, vp_diff_mask_add,
				      &res->diff);
}

static void vp_mark_offline(unsigned int cpu)
{
	memset(&vp.cpu[cpu], 0, sizeof(vp.cpu[cpu]));
	vp.cpu[cpu].status = VP_COMPAT_OFFLINE;
	vp.cpu[cpu].support.reason = VP_REASON_OFFLINE;
}

static void vp_check_one(unsigned int cpu)
{
	if (smp_call_function_single(cpu, vp_check_local, NULL, 1))
		vp_mark_offline(cpu);
}

/**
 * vp_compat_check_all() - check every online CPU against the reference
 * @parallel: all CPUs at once (on_each_cpu_mask) instead of one by one
 *
 * Caller holds the CPU hotplug read lock and vp_lock.
 */
void vp_compat_check_all(bool parallel)
{
	unsigned int cpu;

	lockdep_assert_held(&vp_lock);

	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu))
			vp_mark_offline(cpu);

	if (parallel) {
		on_each_cpu_mask(cpu_online_mask, vp_check_local, NULL, true);
		return;
	}
	for_each_online_cpu(cpu)
		vp_check_one(cpu);
}

/*
 * cpuhp "online" callback: runs in the hotplug thread of @cpu, with the
 * hotplug lock held for writing.  A non-zero return keeps the CPU offline.
 */
static int vp_cpu_online(unsigned int cpu)
{
	int ret = 0;

	guard(mutex)(&vp_lock);

	smp_call_function_single(cpu, vp_percpu_fill, NULL, 1);
	vp_check_one(cpu);
	if (READ_ONCE(vp.hotplug) == VP_HP_REFUSE &&
	    vp.cpu[cpu].status != VP_COMPAT_OK) {
		pr_warn("CPU %u: %s, refusing to bring it online (hotplug_policy=refuse)\n",
			cpu, vp_compat_names[vp.cpu[cpu].status]);
		vp_mark_offline(cpu);
		ret = -EIO;
	}
	vp_results_changed();
	return ret;
}

static int vp_cpu_offline(unsigned int cpu)
{
	guard(mutex)(&vp_lock);

	vp_mark_offline(cpu);
	vp_results_changed();
	return 0;
}

/* Caller holds the CPU hotplug read lock (load runs first, then this). */
int vp_hotplug_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "vmcs_probe:online",
						   vp_cpu_online,
						   vp_cpu_offline);
	if (ret < 0)
		return ret;
	vp_hp_state = ret;
	return 0;
}

void vp_hotplug_exit(void)
{
	cpuhp_remove_state_nocalls(vp_hp_state);
}
