// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmcs_probe/: what vmcs_probe computed, and the knobs
 * that reproduce hard cases (injection, read delay, source, replay).
 * Each file but kvm_view (the lines of a real kvm_intel load, nothing
 * else: Documentation/kvm-view.rst) starts with a "version N" line;
 * formats are documented in sysfs-abi/debugfs-vmcs_probe.  Readers hold
 * vp_lock while printing, so each read shows one complete generation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "kcompat.h"
#include "kvm_view.h"
#include "vmcs_probe.h"
#include "svm_regs.h"
#include "vmx_regs.h"

static struct dentry *vp_dir;

const char * const vp_source_names[VP_NR_SOURCES] = {
	[VP_SRC_HW]	= "hw",
	[VP_SRC_PERCPU]	= "percpu",
	[VP_SRC_REPLAY]	= "replay",
};

/* What a file starts with: the results of a run, a knob, its own format. */
static void vp_seq_header(struct seq_file *m)
{
	seq_printf(m, "version %d\ngeneration %lu\n", VP_FORMAT_VERSION,
		   vp.generation);
}

static void vp_seq_version(struct seq_file *m)
{
	seq_printf(m, "version %d\n", VP_FORMAT_VERSION);
}

static void vp_seq_nothing(struct seq_file *m)
{
}

/*
 * @name_show(): @start, then @name_locked(), under vp_lock so that a
 * read shows one generation whole; taken killably, -EINTR if a fatal
 * signal comes first.
 */
#define VP_LOCKED_SHOW(name, start)					\
	static int name##_show(struct seq_file *m, void *unused)	\
	{								\
		vp_lock_killable(lock);					\
		if (!lock.lock)						\
			return -EINTR;					\
		start(m);						\
		name##_locked(m);					\
		return 0;						\
	}

static unsigned int vp_seq_cpu(struct seq_file *m)
{
	return (unsigned long)m->private;
}

/* ---- support ---- */

/* The key=value words of an AMD CPU's support line. */
static void vp_svm_show_support(struct seq_file *m, const struct vp_svm_cpu *c)
{
	seq_printf(m, " amd_or_hygon=%d cpu_has_svm=%d cpuid_svm=%d vm_cr=0x%llx vm_cr_fault=%d",
		   c->amd, c->cpu_has_svm,
		   !!(c->ext_ecx & VP_CPUID_80000001_ECX_SVM), c->vm_cr,
		   c->vm_cr_fault);
}

static void support_locked(struct seq_file *m)
{
	unsigned int cpu;

	seq_printf(m, "kvm %s %s kernel=%u.%u\n", vp_kvm_name(vp.params.kvm),
		   vp.kvm_exact ? "exact" : "nearest_older", LINUX_VERSION_MAJOR,
		   LINUX_VERSION_PATCHLEVEL);
	for_each_possible_cpu(cpu) {
		const struct vp_cpu_support *s = &vp.cpu[cpu].support;
		enum vp_support_reason why = s->probed ? s->reason :
							 VP_REASON_OFFLINE;

		seq_printf(m, "cpu%u %s reason=%s", cpu, vp_verdict_name(s),
			   vp_reason_name(why));
		if (s->probed && vp.svm)
			vp_svm_show_support(m, &vp.cpu[cpu].svm);
		else if (s->probed)
			seq_printf(m, " cpuid_vmx=%d feat_ctl=0x%llx feat_ctl_fault=%d this_cpu_vmx=%d this_cpu_feat_ctl=%d boot_cpu_vmx=%d",
				   s->cpuid_vmx, s->feat_ctl, s->feat_ctl_fault,
				   s->this_cpu_vmx, s->this_cpu_feat_ctl,
				   s->boot_cpu_vmx);
		seq_putc(m, '\n');
	}
}

VP_LOCKED_SHOW(support, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(support);

/* ---- boot_cpu ---- */

/*
 * Not a result of a run: no generation.  The KVM is the one mirrored
 * (kvm_version), fixed at load.
 */
static int boot_cpu_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version %d\n", VP_FORMAT_VERSION);
	vp_boot_audit_show(m, vp.params.kvm);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(boot_cpu);

/* ---- reference and per-CPU configs ---- */

/* A line of a shared pure-C emitter into a seq_file. */
static int vp_seq_line(void *ctx, const char *line)
{
	seq_printf(ctx, "%s\n", line);
	return 0;
}

/* A configuration as report.c writes it, for KVM as the last run mirrored. */
static void vp_show_config(struct seq_file *m, const struct vp_config *c,
			   const struct vp_cpu_support *s, int cpu, int ret)
{
	struct vp_config_report r = {
		.kvm = vp.run_params.kvm,
		.mode = vp_mode_names[vp.trace.mode],
		.cpu = cpu,
		.ret = ret,
		.support = s->probed ? s->verdict : VP_VMX_OK,
		.cfg = c,
	};

	vp_report_config(&r, vp_seq_line, m);
}

/* AMD: kvm_amd's setup, and what the whole load gives on these CPUs. */
static void vp_svm_show_reference(struct seq_file *m)
{
	struct vp_svm_reference_report r = {
		.kvm = vp.run_params.kvm,
		.mode = vp_mode_names[vp.trace.mode],
		.cpu = vp.trace.start_cpu,
		.setup = &vp.svm_ref,
	};
	unsigned int cpu;

	vp_svm_load_begin(&r.load, r.kvm, vp.svm_ref.ret, r.cpu);
	/* KVM's for_each_online_cpu(), as the last check saw them. */
	for_each_possible_cpu(cpu)
		if (vp.cpu[cpu].status != VP_COMPAT_OFFLINE)
			vp_svm_load_cpu(&r.load, r.kvm, cpu, &vp.cpu[cpu].svm);
	vp_svm_report_reference(&r, vp_seq_line, m);
}

static void reference_locked(struct seq_file *m)
{
	if (vp.svm) {
		vp_svm_show_reference(m);
		return;
	}
	vp_show_config(m, &vp.ref, &vp.ref_support, vp.trace.start_cpu,
		       vp.ref_ret);
}

VP_LOCKED_SHOW(reference, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(reference);

static void config_locked(struct seq_file *m)
{
	unsigned int cpu = vp_seq_cpu(m);

	if (vp.svm) {
		if (vp.cpu[cpu].status != VP_COMPAT_OFFLINE)
			vp_svm_report_cpu(&vp.cpu[cpu].svm, vp_seq_line, m);
		return;
	}
	vp_show_config(m, &vp.cpu[cpu].config, &vp.cpu[cpu].support, cpu,
		       vp.cpu[cpu].ret);
}

VP_LOCKED_SHOW(config, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(config);

/* ---- nested MSRs, as KVM_GET_MSRS would return them ---- */

static void nested_msrs_locked(struct seq_file *m)
{
	if (vp.svm)
		return;	/* no VMX on AMD: nested_cpuid instead */
	vp_report_nested_msrs(&vp.ref, vp.ref_support.verdict, vp.ref_ret,
			      vp_seq_line, m);
}

VP_LOCKED_SHOW(nested_msrs, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(nested_msrs);

/* ---- nested SVM, as KVM_GET_SUPPORTED_CPUID would return it ---- */

static void nested_cpuid_locked(struct seq_file *m)
{
	if (vp.svm)
		vp_svm_report_nested(&vp.svm_ref, vp_seq_line, m);
}

VP_LOCKED_SHOW(nested_cpuid, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(nested_cpuid);

/* ---- the setup trace and the stats ---- */

static void setup_trace_locked(struct seq_file *m)
{
	const struct vp_trace *t = &vp.trace;
	unsigned int i;

	seq_printf(m, "mode %s\nsource %s\nstart_cpu %d\nend_cpu %d\ncpu_switches %u\nmixed %s\nduration_ns %llu\n",
		   vp_mode_names[t->mode], vp_source_names[t->source],
		   t->start_cpu, t->end_cpu, t->switches,
		   t->mixed ? "yes" : "no", t->duration_ns);
	if (t->dropped)
		seq_printf(m, "dropped %u\n", t->dropped);
	for (i = 0; i < t->nr; i++)
		seq_printf(m, "%s 0x%x cpu %u\n",
			   t->e[i].cpuid ? "cpuid" : "read", t->e[i].what,
			   t->e[i].cpu);
}

VP_LOCKED_SHOW(setup_trace, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(setup_trace);

static void stats_locked(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < VP_NR_MODES; i++) {
		const struct vp_mode_stats *s = &vp.stats[i];

		seq_printf(m, "mode %s runs %llu switched %llu min_ns %llu avg_ns %llu max_ns %llu\n",
			   vp_mode_names[i], s->runs, s->switched, s->min_ns,
			   s->runs ? div64_u64(s->total_ns, s->runs) : 0,
			   s->max_ns);
	}
}

VP_LOCKED_SHOW(stats, vp_seq_version)
DEFINE_SHOW_ATTRIBUTE(stats);

/* ---- compat ---- */

static void compat_locked(struct seq_file *m)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		vp_report_compat(cpu, vp.cpu[cpu].status, vp.cpu[cpu].diff,
				 vp_seq_line, m);
}

VP_LOCKED_SHOW(compat, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(compat);

static void cpu_compat_locked(struct seq_file *m)
{
	unsigned int cpu = vp_seq_cpu(m), i;
	const struct vp_cpu_result *res = &vp.cpu[cpu];

	seq_printf(m, "status %s\n", vp_compat_names[res->status]);
	for (i = 0; i < vp_nr_fields; i++) {
		u64 a, b;

		if (!(res->diff & BIT_ULL(i)))
			continue;
		a = vp_field_get(&vp.ref, &vp_fields[i]);
		b = vp_field_get(&res->config, &vp_fields[i]);
		seq_printf(m, "field %s ref 0x%llx cpu 0x%llx diff 0x%llx\n",
			   vp_fields[i].name, a, b, a ^ b);
	}
}

VP_LOCKED_SHOW(cpu_compat, vp_seq_header)
DEFINE_SHOW_ATTRIBUTE(cpu_compat);

/* ---- raw MSRs, in the snapshot format ---- */

/* On AMD also the SVM facts and kvm_amd's own parameters. */
static void vp_snapshot_header_of_run(struct vp_snapshot_header *h)
{
	struct vp_svm_params p;

	memset(h, 0, sizeof(*h));
	h->present = VP_SNAP_HAS_KVM;
	h->kvm = vp.run_params.kvm;
	vp_snapshot_header_set_params(h, &vp.run_params);
	if (!vp.svm)
		return;
	vp_svm_params_now(&p);
	vp_snapshot_header_set_svm_params(h, &p);
}

static void msrs_locked(struct seq_file *m)
{
	unsigned int cpu = vp_seq_cpu(m);
	struct vp_snapshot_header h;

	vp_snapshot_header_of_run(&h);
	vp_snapshot_emit_header(&h, vp_seq_line, m);
	seq_printf(m, "# generation %lu\n", vp.generation);
	if (vp.cpu[cpu].status != VP_COMPAT_OFFLINE) {
		vp_snapshot_emit_cpu(cpu, &vp.cpu[cpu].raw, vp_seq_line, m);
		if (vp.svm)
			vp_snapshot_emit_svm_cpu(&vp.cpu[cpu].svm,
						 VP_SNAP_SVM_ALL, vp_seq_line,
						 m);
	}
	vp_snapshot_emit_end(vp_seq_line, m);
}

VP_LOCKED_SHOW(msrs, vp_seq_nothing)
DEFINE_SHOW_ATTRIBUTE(msrs);

/* ---- what loading kvm_intel would leave behind ---- */

static void kvm_view_locked(struct seq_file *m)
{
	struct vp_kvm_view v = { .blame = -1 };
	unsigned int cpu;

	if (vp.svm)
		return;	/* kvm_intel's lines: none on AMD */
	v.kvm = vp.run_params.kvm;
	v.ref_cpu = max(vp.trace.start_cpu, 0);
	v.ref_support = vp.ref_support.verdict;
	v.boot_support = vp.cpu[0].support.verdict;
	v.ref_ret = vp.ref_ret;
	v.effective = &vp.effective;
	v.ref = &vp.ref;
	/* KVM's for_each_online_cpu(), as the last check saw them. */
	for_each_possible_cpu(cpu) {
		const struct vp_cpu_result *res = &vp.cpu[cpu];

		if (res->status == VP_COMPAT_OFFLINE)
			continue;
		if (vp_kvm_cpu_fails(res->support.verdict, res->ret, &vp.ref,
				     &res->config)) {
			v.blame = cpu;
			break;
		}
	}
	vp_kvm_view_emit(&v, vp_seq_line, m);
}

VP_LOCKED_SHOW(kvm_view, vp_seq_nothing)
DEFINE_SHOW_ATTRIBUTE(kvm_view);

/* ---- writable knobs ---- */

/*
 * The whole value must come in one write at offset 0: a partial write
 * cannot be validated, and validation is all or nothing.
 */
static char *vp_copy_write(const char __user *ubuf, size_t len, loff_t *ppos,
			   size_t max)
{
	char *buf;

	if (*ppos || !len || len > max)
		return ERR_PTR(-EINVAL);
	buf = kvmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, ubuf, len)) {
		kvfree(buf);
		return ERR_PTR(-EFAULT);
	}
	buf[len] = '\0';
	return buf;
}

static void inject_locked(struct seq_file *m)
{
	vp_inject_show(m);
}

VP_LOCKED_SHOW(inject, vp_seq_version)

/* Copy a whole write, hand it to @apply, free it: the knobs' writes. */
static ssize_t vp_apply_write(const char __user *ubuf, size_t len,
			      loff_t *ppos, size_t max,
			      int (*apply)(const char *buf, size_t len))
{
	char *buf = vp_copy_write(ubuf, len, ppos, max);
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = apply(buf, len);
	kvfree(buf);
	return ret ? ret : len;
}

static int vp_inject_apply(const char *buf, size_t len)
{
	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	return vp_inject_write(buf, len);
}

static ssize_t inject_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return vp_apply_write(ubuf, len, ppos, PAGE_SIZE, vp_inject_apply);
}
DEFINE_SHOW_STORE_ATTRIBUTE(inject);

static void source_locked(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < VP_NR_SOURCES; i++)
		seq_printf(m, i == vp.source ? "%s[%s]" : "%s%s", i ? " " : "",
			   vp_source_names[i]);
	seq_putc(m, '\n');
}

VP_LOCKED_SHOW(source, vp_seq_nothing)

static ssize_t source_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char *buf = vp_copy_write(ubuf, len, ppos, 64);
	int src;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	src = vp_match_word(vp_source_names, VP_NR_SOURCES, buf, len);
	kvfree(buf);
	if (src < 0)
		return src;

	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	if (src == VP_SRC_REPLAY && !vp.snapshot)
		return -EINVAL;	/* nothing to replay: load a snapshot first */
	if (src != VP_SRC_HW && vp.svm)
		return -EINVAL;	/* the SVM engine reads the hardware only */
	vp.source = src;
	return len;
}
DEFINE_SHOW_STORE_ATTRIBUTE(source);

static void read_delay_us_locked(struct seq_file *m)
{
	seq_printf(m, "%u\n", vp.read_delay_us);
}

VP_LOCKED_SHOW(read_delay_us, vp_seq_nothing)

static ssize_t read_delay_us_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	char *buf = vp_copy_write(ubuf, len, ppos, 32);
	unsigned int us;
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = vp_parse_uint(buf, len, VP_MAX_READ_DELAY_US, &us);
	kvfree(buf);
	if (ret)
		return ret;

	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	vp.read_delay_us = us;
	return len;
}
DEFINE_SHOW_STORE_ATTRIBUTE(read_delay_us);

static void snapshot_locked(struct seq_file *m)
{
	if (vp.snapshot)
		vp_snapshot_emit(vp.snapshot, vp_seq_line, m);
}

VP_LOCKED_SHOW(snapshot, vp_seq_nothing)

static void vp_snapshot_warn(void *ctx, unsigned int line, const char *msg)
{
	pr_warn("snapshot line %u: %s\n", line, msg);
}

/* Make *@snap the loaded snapshot; the one it replaces comes back. */
static int vp_swap_snapshot(struct vp_snapshot **snap)
{
	vp_lock_killable(lock);

	if (!lock.lock)
		return -EINTR;
	swap(vp.snapshot, *snap);
	return 0;
}

static ssize_t snapshot_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char *buf = vp_copy_write(ubuf, len, ppos, VP_SNAPSHOT_MAX_SIZE);
	struct vp_snapshot_error err = {};
	struct vp_snapshot *snap;
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	snap = kvzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap) {
		kvfree(buf);
		return -ENOMEM;
	}
	ret = vp_snapshot_parse(buf, len, snap, &err);
	kvfree(buf);
	if (ret) {
		pr_info("snapshot rejected: line %u: %s\n", err.line, err.msg);
		kvfree(snap);
		return -EINVAL;
	}
	vp_snapshot_check(snap, vp_snapshot_warn, NULL);
	ret = vp_swap_snapshot(&snap);
	kvfree(snap);
	return ret ? ret : len;
}
DEFINE_SHOW_STORE_ATTRIBUTE(snapshot);

/* "serial" or "parallel": rerun only the compat check, that way. */
static ssize_t check_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	static const char * const ways[] = { "serial", "parallel" };
	char *buf = vp_copy_write(ubuf, len, ppos, 32);
	int way, ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	way = vp_match_word(ways, ARRAY_SIZE(ways), buf, len);
	kvfree(buf);
	if (way < 0)
		return way;
	ret = vp_publish(NULL, way == 1);
	return ret ? ret : len;
}

static void bench_locked(struct seq_file *m)
{
	vp_bench_show(m);
}

VP_LOCKED_SHOW(bench, vp_seq_version)

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	return vp_apply_write(ubuf, len, ppos, 64, vp_bench_write);
}
DEFINE_SHOW_STORE_ATTRIBUTE(bench);

static const struct file_operations check_fops = {
	.owner = THIS_MODULE,
	.write = check_write,
};

/* ---- the tree ---- */

static void vp_debugfs_cpus(void)
{
	struct dentry *cpus = debugfs_create_dir("cpus", vp_dir);
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		void *data = (void *)(unsigned long)cpu;
		struct dentry *d;
		char name[16];

		snprintf(name, sizeof(name), "cpu%u", cpu);
		d = debugfs_create_dir(name, cpus);
		debugfs_create_file("msrs", 0400, d, data, &msrs_fops);
		debugfs_create_file("config", 0400, d, data, &config_fops);
		debugfs_create_file("compat", 0400, d, data, &cpu_compat_fops);
	}
}

/* The files of vmcs_probe/; cpus/cpuN/ holds msrs, config and compat. */
static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} vp_files[] = {
	{ "support",		0400, &support_fops },
	{ "boot_cpu",		0400, &boot_cpu_fops },
	{ "reference",		0400, &reference_fops },
	{ "nested_msrs",	0400, &nested_msrs_fops },
	{ "nested_cpuid",	0400, &nested_cpuid_fops },
	{ "kvm_view",		0400, &kvm_view_fops },
	{ "setup_trace",	0400, &setup_trace_fops },
	{ "compat",		0400, &compat_fops },
	{ "stats",		0400, &stats_fops },
	{ "inject",		0600, &inject_fops },
	{ "source",		0600, &source_fops },
	{ "read_delay_us",	0600, &read_delay_us_fops },
	{ "snapshot",		0600, &snapshot_fops },
	{ "check",		0200, &check_fops },
	{ "bench",		0600, &bench_fops },
};

/*
 * Without debugfs (debugfs=off, CONFIG_DEBUG_FS=n) the module serves
 * sysfs alone: say so once, and create nothing.
 */
void vp_debugfs_init(void)
{
	unsigned int i;

	vp_dir = debugfs_create_dir("vmcs_probe", NULL);
	if (IS_ERR(vp_dir)) {
		pr_notice("debugfs unavailable (%pe): serving /sys/kernel/vmcs_probe/ only, without the detailed files\n",
			  vp_dir);
		vp_dir = NULL;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(vp_files); i++)
		debugfs_create_file(vp_files[i].name, vp_files[i].mode, vp_dir,
				    NULL, vp_files[i].fops);
	vp_debugfs_cpus();
}

void vp_debugfs_exit(void)
{
	debugfs_remove_recursive(vp_dir);
}
