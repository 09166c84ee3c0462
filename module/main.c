// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs_probe: see, per CPU, the VMX configuration KVM computes.
 *
 * This file owns the module's state and its life cycle: load probes every
 * online CPU, unload tears the interfaces down before the state they read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "kcompat.h"
#include "vmcs_probe.h"

/* Serializes runs, hotplug rechecks and readers of the results. */
DEFINE_MUTEX(vp_lock);

static struct vp_cpu_support *vp_support;	/* [nr_cpu_ids] */
static unsigned long vp_gen;

struct vp_cpu_support *vp_support_of(unsigned int cpu)
{
	lockdep_assert_held(&vp_lock);
	return &vp_support[cpu];
}

unsigned long vp_generation(void)
{
	lockdep_assert_held(&vp_lock);
	return vp_gen;
}

/* Probe every online CPU; offline ones read as such. */
static void vp_probe_all(void)
{
	unsigned int cpu;

	guard(vp_cpus_read)();
	guard(mutex)(&vp_lock);

	for_each_possible_cpu(cpu) {
		if (cpu_online(cpu))
			vp_support_probe(cpu, &vp_support[cpu]);
		else
			memset(&vp_support[cpu], 0, sizeof(vp_support[cpu]));
	}
	vp_gen++;
}

static int __init vp_init(void)
{
	int ret;

	vp_support = kcalloc(nr_cpu_ids, sizeof(*vp_support), GFP_KERNEL);
	if (!vp_support)
		return -ENOMEM;

	vp_probe_all();

	ret = vp_sysfs_init();
	if (ret) {
		kfree(vp_support);
		return ret;
	}
	vp_debugfs_init();
	pr_info("loaded\n");
	return 0;
}

static void __exit vp_exit(void)
{
	/* Interfaces first: removal waits for readers still inside them. */
	vp_debugfs_exit();
	vp_sysfs_exit();
	kfree(vp_support);
	pr_info("unloaded\n");
}

module_init(vp_init);
module_exit(vp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Show and check KVM's per-CPU VMX configuration");
