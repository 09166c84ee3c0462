// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vmcs_probe/: the control and status interface.
 * Every node is documented in sysfs-abi/sysfs-kernel-vmcs_probe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "vmcs_probe.h"

static struct kobject *vp_kobj;

/* "supported" when every probed CPU is, else the first problem found. */
static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	const char *word = "supported";
	unsigned int cpu;

	guard(mutex)(&vp_lock);
	for_each_possible_cpu(cpu) {
		struct vp_cpu_support *s = vp_support_of(cpu);

		if (s->state == VP_SUPPORT_UNKNOWN || s->state == VP_SUPPORT_OK)
			continue;
		word = "unsupported";
		break;
	}
	return sysfs_emit(buf, "%s\n", word);
}

static struct kobj_attribute status_attr = __ATTR_RO(status);

static struct attribute *vp_attrs[] = {
	&status_attr.attr,
	NULL,
};

static const struct attribute_group vp_group = {
	.attrs = vp_attrs,
};

int vp_sysfs_init(void)
{
	int ret;

	vp_kobj = kobject_create_and_add("vmcs_probe", kernel_kobj);
	if (!vp_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(vp_kobj, &vp_group);
	if (ret)
		kobject_put(vp_kobj);
	return ret;
}

void vp_sysfs_exit(void)
{
	kobject_put(vp_kobj);
}
