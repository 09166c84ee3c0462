// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmcs_probe/: what vmcs_probe saw, for people and
 * scripts.  Each file starts with a "version N" line; the formats are
 * documented in sysfs-abi/debugfs-vmcs_probe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vmcs_probe.h"

static struct dentry *vp_dir;

/* One line per possible CPU: its verdict, its reason and the raw inputs. */
static int support_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	guard(mutex)(&vp_lock);
	seq_printf(m, "version %d\n", VP_FORMAT_VERSION);
	seq_printf(m, "generation %lu\n", vp_generation());
	for_each_possible_cpu(cpu) {
		const struct vp_cpu_support *s = vp_support_of(cpu);

		seq_printf(m, "cpu%u %s reason=%s", cpu,
			   vp_support_state_name(s->state),
			   vp_support_reason_name(s->reason));
		if (s->state != VP_SUPPORT_UNKNOWN)
			seq_printf(m, " cpuid_vmx=%d feat_ctl=0x%llx feat_ctl_fault=%d this_cpu_vmx=%d this_cpu_feat_ctl=%d boot_cpu_vmx=%d",
				   s->cpuid_vmx, s->feat_ctl, !!s->feat_ctl_err,
				   s->this_cpu_vmx, s->this_cpu_feat_ctl,
				   s->boot_cpu_vmx);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(support);

void vp_debugfs_init(void)
{
	vp_dir = debugfs_create_dir("vmcs_probe", NULL);
	debugfs_create_file("support", 0400, vp_dir, NULL, &support_fops);
}

void vp_debugfs_exit(void)
{
	debugfs_remove_recursive(vp_dir);
}
