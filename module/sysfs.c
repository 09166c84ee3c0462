// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vmcs_probe/: control and status.
 * Every node is documented in sysfs-abi/sysfs-kernel-vmcs_probe.
 *
 * The files are single words, read and written without vp_lock
 * (READ_ONCE/WRITE_ONCE), so that reading status or generation never
 * waits behind a run, a bench or a hotplug recheck.  Only "run" waits,
 * killably, for its turn.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "vmcs_probe.h"

static struct kobject *vp_kobj;

/* "a [b] c": every choice, the current one bracketed. */
static ssize_t vp_show_choices(char *buf, const char * const *names,
			       unsigned int n, unsigned int cur)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, i == cur ? "%s[%s]" : "%s%s",
				     i ? " " : "", names[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

/*
 * A node holding one of a list of words: written by name, shown as
 * "a [b] c" with the current one bracketed.
 */
struct vp_choice_attr {
	struct kobj_attribute attr;
	const char * const *names;
	unsigned int nr;
	unsigned int *val;		/* an index into @names, in vp */
};

static ssize_t vp_choice_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct vp_choice_attr *c = container_of(attr, struct vp_choice_attr,
						attr);

	return vp_show_choices(buf, c->names, c->nr, READ_ONCE(*c->val));
}

static ssize_t vp_choice_store(struct kobject *kobj,
			       struct kobj_attribute *attr,
			       const char *buf, size_t len)
{
	struct vp_choice_attr *c = container_of(attr, struct vp_choice_attr,
						attr);
	int i = vp_match_word(c->names, c->nr, buf, len);

	if (i < 0)
		return i;
	WRITE_ONCE(*c->val, i);
	return len;
}

#define VP_CHOICE_ATTR(_name, _names, _nr, _val)			\
	struct vp_choice_attr _name##_attr = {				\
		.attr = __ATTR(_name, 0644, vp_choice_show, vp_choice_store), \
		.names = _names,					\
		.nr = _nr,						\
		.val = _val,						\
	}

static VP_CHOICE_ATTR(pinning_mode, vp_mode_names, VP_NR_MODES, &vp.mode);
static VP_CHOICE_ATTR(hotplug_policy, vp_hp_names, VP_NR_HP, &vp.hotplug);

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t len)
{
	static const char * const one[] = { "1" };
	int ret;

	if (vp_match_word(one, 1, buf, len) < 0)
		return -EINVAL;
	/* The setup's own result is in status; only EINTR/ENOMEM here. */
	ret = vp_run(READ_ONCE(vp.mode));
	return ret ? ret : len;
}

static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", vp_overall_names[READ_ONCE(vp.overall)]);
}

static ssize_t generation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(vp.generation));
}

static struct kobj_attribute run_attr = __ATTR_WO(run);
static struct kobj_attribute status_attr = __ATTR_RO(status);
static struct kobj_attribute generation_attr = __ATTR_RO(generation);

static struct attribute *vp_attrs[] = {
	&pinning_mode_attr.attr.attr,
	&hotplug_policy_attr.attr.attr,
	&run_attr.attr,
	&status_attr.attr,
	&generation_attr.attr,
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
