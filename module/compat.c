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
 * The results are published by run.c, which also checks each CPU that
 * comes online.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/smp.h>

#include "vmcs_probe.h"

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

/* @cpu's result is "offline" (not checked, or gone). */
void vp_compat_mark_offline(unsigned int cpu)
{
	memset(&vp.cpu[cpu], 0, sizeof(vp.cpu[cpu]));
	vp.cpu[cpu].status = VP_COMPAT_OFFLINE;
	vp.cpu[cpu].support.reason = VP_REASON_OFFLINE;
}

/* Check @cpu, from any CPU.  Caller holds vp_lock. */
void vp_compat_check_cpu(unsigned int cpu)
{
	if (smp_call_function_single(cpu, vp_check_local, NULL, 1))
		vp_compat_mark_offline(cpu);
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
			vp_compat_mark_offline(cpu);

	if (parallel) {
		on_each_cpu_mask(cpu_online_mask, vp_check_local, NULL, true);
		return;
	}
	for_each_online_cpu(cpu)
		vp_compat_check_cpu(cpu);
}
