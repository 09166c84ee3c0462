// SPDX-License-Identifier: GPL-2.0
/*
 * lab_kvm_msr_shim: LAB ONLY, never installed.  Makes Debian's real,
 * unmodified kvm.ko and kvm_intel.ko (and vmcs_probe with source=hw) see
 * the VMX capability MSRs and CPUID words of a vmcs_probe snapshot, per
 * CPU, on a QEMU TCG guest that has no VMX at all.  That turns KVM itself
 * into the oracle for any input the engine is given.
 *
 * How: with CONFIG_PARAVIRT_XXL, MSR reads and CPUID go through pv_ops,
 * and a module's call sites are patched to whatever pv_ops holds when
 * that module loads.  This module replaces pv_ops.cpu.read_msr,
 * read_msr_safe and cpuid at load, so every module loaded after it
 * (kvm, kvm_intel, vmcs_probe) reads through the hooks below while the
 * rest of the kernel keeps the real CPU.  Unload only after those modules
 * are gone: their call sites still point here.
 *
 * What the hooks answer from the table, on the CPU that executes them:
 *  - MSR 0x3a (IA32_FEAT_CTL) and 0x480..0x493 as the snapshot section of
 *    that CPU says (a CPU without a section takes the first one, as the
 *    module's replay does); an MSR the section marks "fault" or omits
 *    faults: rdmsr_safe() sees -EIO, an unchecked rdmsr() 0, which is what
 *    the kernel's exception fixup returns (without its one-time warning);
 *  - IA32_BNDCFGS (0xd90) reads 0, the value a host kernel keeps;
 *  - CPUID leaf 0 EAX (highest leaf), leaf 1 EAX (signature) and ECX bit 5
 *    (VMX), leaf 0x12 EAX (SGX); leaves above TCG's own highest leaf and
 *    up to the table's read as 0 (TCG would repeat leaf 0xd's data).
 * Everything else goes to the real CPU.
 *
 * KVM also asks the kernel's cached feature words, so while a table is
 * set its facts are written there too, and the originals restored when
 * the table is cleared or the module unloads: X86_FEATURE_VMX and
 * X86_FEATURE_MSR_IA32_FEAT_CTL of every online CPU (mirroring what
 * init_ia32_feat_ctl() decides from IA32_FEAT_CTL at boot), the boot
 * CPU's family, model and stepping (from its signature), and the UMIP,
 * NX and MPX features the snapshot's header gives, on every CPU.
 *
 * debugfs, /sys/kernel/debug/lab_kvm_msr_shim/:
 *  table    write a snapshot to set the table ("clear" removes it); read
 *           it back.  Refused with -EBUSY while kvm_intel is loaded.
 *  log      the reads served from the table since the last clear, one
 *           line each: "rdmsr 0x480 cpu 1", "rdmsr_safe 0x48b cpu 0
 *           fault", "cpuid 0x1 cpu 2"; write "clear" to empty it.
 *  tsc_khz  the guest's tsc_khz, which KVM's preemption-timer decision
 *           depends on.
 *
 * For the qemu-svm lanes (kvm_amd, no table): svm_edx=MASK ORs MASK into
 * the cached CPUID 0x8000000A EDX word (X86_FEATURE_AVIC and its
 * neighbours) of boot_cpu_data and of every online CPU at load, and takes
 * back at unload the bits it added.  That gives kvm_amd.ko and vmcs_probe,
 * loaded after the shim, SVM features that QEMU's TCG cannot offer (AVIC,
 * x2AVIC, GMET): kvm_amd asks boot_cpu_has() for them at load and enables
 * nothing on a CPU for them until a VM runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/paravirt.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "kcompat.h"
#include "snapshot.h"

#define SHIM_LOG_MAX		8192

#define SHIM_FEAT_CTL_LOCKED	BIT_ULL(0)
#define SHIM_FEAT_CTL_VMX_SMX	BIT_ULL(2)	/* VMXON outside SMX */

enum shim_kind { SHIM_RDMSR, SHIM_RDMSR_SAFE, SHIM_CPUID };

static const char * const shim_kind_names[] = {
	[SHIM_RDMSR] = "rdmsr",
	[SHIM_RDMSR_SAFE] = "rdmsr_safe",
	[SHIM_CPUID] = "cpuid",
};

struct shim_log_entry {
	u32 index;
	u16 cpu;
	u8 kind;
	u8 fault;
};

/* The real CPU's hooks, as pv_ops held them when we loaded. */
static u64 (*shim_real_read_msr)(unsigned int msr);
static typeof(pv_ops.cpu.read_msr_safe) shim_real_read_msr_safe;
static void (*shim_real_cpuid)(unsigned int *eax, unsigned int *ebx,
			       unsigned int *ecx, unsigned int *edx);
static u32 shim_real_max_leaf;

/* The table the hooks answer from; NULL: pass everything through. */
static struct vp_snapshot __rcu *shim_table;
/* Serializes table changes; the hooks only read under RCU. */
static DEFINE_MUTEX(shim_lock);

static struct shim_log_entry *shim_log;
static atomic_t shim_log_next = ATOMIC_INIT(0);

/* The feature words and identity the table overwrote, for restoring. */
struct shim_saved_cpu {
	bool valid;
	bool vmx;
	bool feat_ctl;
	bool umip, nx, mpx;
};

static struct shim_saved_cpu *shim_saved;
static struct {
	bool valid;
	u8 family, model, stepping;
	bool umip, nx, mpx;
} shim_saved_boot;

static struct dentry *shim_dir;

static uint svm_edx;
module_param(svm_edx, uint, 0444);
MODULE_PARM_DESC(svm_edx, "LAB ONLY: bits ORed into every CPU's cached CPUID 0x8000000A EDX from load to unload");
/* The bits of svm_edx each CPU (and boot_cpu_data) lacked: taken back. */
static u32 *shim_svm_added;
static u32 shim_svm_added_boot;

/* kvm_intel instances live (loading, loaded or unloading). */
static atomic_t shim_kvm_intel_live = ATOMIC_INIT(0);

static void shim_log_add(enum shim_kind kind, u32 index, unsigned int cpu,
			 bool fault)
{
	int slot = atomic_inc_return(&shim_log_next) - 1;

	if (slot >= SHIM_LOG_MAX)
		return;
	shim_log[slot] = (struct shim_log_entry){
		.index = index, .cpu = cpu, .kind = kind, .fault = fault,
	};
}

/* Is @msr one the table answers? */
static bool shim_msr_is_ours(unsigned int msr)
{
	return msr == MSR_IA32_FEAT_CTL || msr == MSR_IA32_BNDCFGS ||
	       (msr >= 0x480 && msr <= 0x493);
}

/*
 * Look @msr up in the table for the executing CPU.  Returns false if the
 * real CPU must answer; else true with *val and *fault.  Called with
 * preemption disabled, so that the CPU logged is the CPU that "read".
 */
static bool shim_lookup_msr(enum shim_kind kind, unsigned int msr, u64 *val,
			    bool *fault)
{
	const struct vp_snapshot_cpu *sc;
	const struct vp_snapshot *t;
	unsigned int cpu = smp_processor_id();
	bool ours = false;

	if (!shim_msr_is_ours(msr))
		return false;
	rcu_read_lock();
	t = rcu_dereference(shim_table);
	if (t) {
		ours = true;
		*val = 0;
		*fault = false;
		if (msr != MSR_IA32_BNDCFGS) {
			sc = vp_snapshot_find_cpu(t, cpu);
			*fault = vp_raw_read_msr(&sc->raw, msr, val) != 0;
			if (*fault)
				*val = 0;
		}
		shim_log_add(kind, msr, cpu, *fault);
	}
	rcu_read_unlock();
	return ours;
}

static u64 shim_read_msr(unsigned int msr)
{
	bool fault;
	u64 val;

	guard(preempt)();
	if (shim_lookup_msr(SHIM_RDMSR, msr, &val, &fault))
		return val;
	return shim_real_read_msr(msr);
}

static int shim_msr_safe(u32 msr, u64 *val)
{
	bool fault;

	guard(preempt)();
	if (shim_lookup_msr(SHIM_RDMSR_SAFE, msr, val, &fault))
		return fault ? -EIO : 0;
	return vp_pv_read_msr_safe(shim_real_read_msr_safe, msr, val);
}

VP_DEFINE_PV_READ_MSR_SAFE(shim_msr_safe);

static u32 shim_cpuid_word(const struct vp_snapshot_cpu *sc, u32 leaf)
{
	int slot = vp_raw_cpuid_slot(leaf);

	return slot >= 0 ? sc->raw.cpuid_eax[slot] : 0;
}

static void shim_cpuid(unsigned int *eax, unsigned int *ebx,
		       unsigned int *ecx, unsigned int *edx)
{
	const struct vp_snapshot_cpu *sc;
	const struct vp_snapshot *t;
	unsigned int leaf = *eax;
	unsigned int cpu;

	guard(preempt)();
	shim_real_cpuid(eax, ebx, ecx, edx);
	if (leaf != 0 && leaf != 1 && leaf != 0x12 &&
	    (leaf <= shim_real_max_leaf || leaf >= 0x80000000))
		return;
	cpu = smp_processor_id();
	rcu_read_lock();
	t = rcu_dereference(shim_table);
	if (t) {
		sc = vp_snapshot_find_cpu(t, cpu);
		if (leaf == 0) {
			*eax = shim_cpuid_word(sc, 0);
		} else if (leaf == 1) {
			*eax = shim_cpuid_word(sc, 1);
			*ecx = (*ecx & ~VP_CPUID1_ECX_VMX) |
			       (sc->raw.cpuid1_ecx & VP_CPUID1_ECX_VMX);
		} else if (leaf == 0x12) {
			*eax = shim_cpuid_word(sc, 0x12);
			*ebx = 0;
			*ecx = 0;
			*edx = 0;
		} else {
			/* Above TCG's highest leaf: nothing there. */
			*eax = 0;
			*ebx = 0;
			*ecx = 0;
			*edx = 0;
		}
		shim_log_add(SHIM_CPUID, leaf, cpu, false);
	}
	rcu_read_unlock();
}

/*
 * Mirror of init_ia32_feat_ctl() (arch/x86/kernel/cpu/feat_ctl.c, the same
 * in 6.1 and 6.12, no tboot): which of X86_FEATURE_MSR_IA32_FEAT_CTL and
 * X86_FEATURE_VMX a CPU with these values ends up with.  An unlocked MSR
 * is locked by the kernel with VMX enabled outside SMX.
 */
static void shim_feat_ctl_caps(const struct vp_snapshot_cpu *sc,
			       bool *feat_ctl, bool *vmx)
{
	u64 msr;

	*feat_ctl = !vp_raw_read_msr(&sc->raw, MSR_IA32_FEAT_CTL, &msr);
	*vmx = *feat_ctl && (sc->raw.cpuid1_ecx & VP_CPUID1_ECX_VMX);
	if (*vmx && (msr & SHIM_FEAT_CTL_LOCKED) &&
	    !(msr & SHIM_FEAT_CTL_VMX_SMX))
		*vmx = false;
}

static void shim_set_cap(struct cpuinfo_x86 *c, unsigned int feature, bool on)
{
	if (on)
		set_bit(feature, (unsigned long *)c->x86_capability);
	else
		clear_bit(feature, (unsigned long *)c->x86_capability);
}

/* Put back what shim_apply_features() changed.  shim_lock held. */
static void shim_restore_features(void)
{
	struct cpuinfo_x86 *b = &boot_cpu_data;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct shim_saved_cpu *s = &shim_saved[cpu];

		if (!s->valid)
			continue;
		shim_set_cap(&cpu_data(cpu), X86_FEATURE_VMX, s->vmx);
		shim_set_cap(&cpu_data(cpu), X86_FEATURE_MSR_IA32_FEAT_CTL,
			     s->feat_ctl);
		shim_set_cap(&cpu_data(cpu), X86_FEATURE_UMIP, s->umip);
		shim_set_cap(&cpu_data(cpu), X86_FEATURE_NX, s->nx);
		shim_set_cap(&cpu_data(cpu), X86_FEATURE_MPX, s->mpx);
		s->valid = false;
	}
	if (shim_saved_boot.valid) {
		b->x86 = shim_saved_boot.family;
		b->x86_model = shim_saved_boot.model;
		b->x86_stepping = shim_saved_boot.stepping;
		shim_set_cap(b, X86_FEATURE_UMIP, shim_saved_boot.umip);
		shim_set_cap(b, X86_FEATURE_NX, shim_saved_boot.nx);
		shim_set_cap(b, X86_FEATURE_MPX, shim_saved_boot.mpx);
		shim_saved_boot.valid = false;
	}
}

/* Family and model of a CPUID.1:EAX signature, as the kernel derives them. */
static void shim_sig_to_fms(u32 sig, u8 *family, u8 *model, u8 *stepping)
{
	*family = (sig >> 8) & 0xf;
	if (*family == 0xf)
		*family += (sig >> 20) & 0xff;
	*model = (sig >> 4) & 0xf;
	if (*family >= 6)
		*model += ((sig >> 16) & 0xf) << 4;
	*stepping = sig & 0xf;
}

/*
 * The header's UMIP, NX and MPX, where it gives them.  They hold for every
 * CPU, as on a host whose CPUs match: KVM compares each CPU's CR4 reserved
 * bits (UMIP among them) with the boot CPU's.
 */
static void shim_set_header_caps(struct cpuinfo_x86 *c,
				 const struct vp_snapshot_header *h)
{
	if (h->present & VP_SNAP_HAS_UMIP)
		shim_set_cap(c, X86_FEATURE_UMIP, h->boot_cpu_umip);
	if (h->present & VP_SNAP_HAS_NX)
		shim_set_cap(c, X86_FEATURE_NX, h->boot_cpu_nx);
	if (h->present & VP_SNAP_HAS_MPX)
		shim_set_cap(c, X86_FEATURE_MPX, h->boot_cpu_mpx);
}

/*
 * Write the table's facts into the kernel's feature words.  shim_lock and
 * the CPU hotplug lock held; the originals are saved first.
 */
static void shim_apply_features(const struct vp_snapshot *t)
{
	const struct vp_snapshot_header *h = &t->hdr;
	struct cpuinfo_x86 *b = &boot_cpu_data;
	bool feat_ctl, vmx;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct cpuinfo_x86 *c = &cpu_data(cpu);
		struct shim_saved_cpu *s = &shim_saved[cpu];

		s->vmx = test_bit(X86_FEATURE_VMX,
				  (unsigned long *)c->x86_capability);
		s->feat_ctl = test_bit(X86_FEATURE_MSR_IA32_FEAT_CTL,
				       (unsigned long *)c->x86_capability);
		s->umip = cpu_has(c, X86_FEATURE_UMIP);
		s->nx = cpu_has(c, X86_FEATURE_NX);
		s->mpx = cpu_has(c, X86_FEATURE_MPX);
		s->valid = true;
		shim_feat_ctl_caps(vp_snapshot_find_cpu(t, cpu), &feat_ctl,
				   &vmx);
		shim_set_cap(c, X86_FEATURE_VMX, vmx);
		shim_set_cap(c, X86_FEATURE_MSR_IA32_FEAT_CTL, feat_ctl);
		shim_set_header_caps(c, h);
	}

	shim_saved_boot.family = b->x86;
	shim_saved_boot.model = b->x86_model;
	shim_saved_boot.stepping = b->x86_stepping;
	shim_saved_boot.umip = boot_cpu_has(X86_FEATURE_UMIP);
	shim_saved_boot.nx = boot_cpu_has(X86_FEATURE_NX);
	shim_saved_boot.mpx = boot_cpu_has(X86_FEATURE_MPX);
	shim_saved_boot.valid = true;

	/* The boot CPU is CPU 0 (or the first section, as for replay). */
	shim_feat_ctl_caps(vp_snapshot_find_cpu(t, 0), &feat_ctl, &vmx);
	shim_set_cap(b, X86_FEATURE_VMX, vmx);
	shim_set_cap(b, X86_FEATURE_MSR_IA32_FEAT_CTL, feat_ctl);
	shim_sig_to_fms(shim_cpuid_word(vp_snapshot_find_cpu(t, 0), 1),
			&b->x86, &b->x86_model, &b->x86_stepping);
	shim_set_header_caps(b, h);
}

/* Replace the table with @t (NULL: clear).  Frees the old one. */
static int shim_set_table(struct vp_snapshot *t)
{
	struct vp_snapshot *old;

	guard(mutex)(&shim_lock);
	if (atomic_read(&shim_kvm_intel_live))
		return -EBUSY;
	guard(vp_cpus_read)();
	shim_restore_features();
	old = rcu_replace_pointer(shim_table, t, lockdep_is_held(&shim_lock));
	if (t)
		shim_apply_features(t);
	synchronize_rcu();
	kvfree(old);
	return 0;
}

/* ---- debugfs ---- */

static int shim_emit_line(void *ctx, const char *line)
{
	seq_printf(ctx, "%s\n", line);
	return 0;
}

static int table_show(struct seq_file *m, void *unused)
{
	const struct vp_snapshot *t;

	guard(mutex)(&shim_lock);
	t = rcu_dereference_protected(shim_table, lockdep_is_held(&shim_lock));
	return t ? vp_snapshot_emit(t, shim_emit_line, m) : 0;
}

/* The table a write holds, or ERR_PTR(-EINVAL) (logged) if malformed. */
static struct vp_snapshot *shim_parse_table(const char *buf, size_t len)
{
	struct vp_snapshot_error err = {};
	struct vp_snapshot *t = kvzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return ERR_PTR(-ENOMEM);
	if (vp_snapshot_parse(buf, len, t, &err)) {
		pr_info("table rejected: line %u: %s\n", err.line, err.msg);
		kvfree(t);
		return ERR_PTR(-EINVAL);
	}
	return t;
}

/* A snapshot becomes the table; "clear" removes it. */
static ssize_t table_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char *buf __free(kfree) = NULL;
	struct vp_snapshot *t = NULL;
	int ret;

	if (*ppos || len > VP_SNAPSHOT_MAX_SIZE)
		return -EINVAL;
	buf = memdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!((len == 5 || len == 6) && !strncmp(buf, "clear\n", len))) {
		t = shim_parse_table(buf, len);
		if (IS_ERR(t))
			return PTR_ERR(t);
	}
	ret = shim_set_table(t);
	if (ret)
		kvfree(t);
	return ret ?: len;
}
DEFINE_SHOW_STORE_ATTRIBUTE(table);

static int log_show(struct seq_file *m, void *unused)
{
	int i, n = atomic_read(&shim_log_next);

	for (i = 0; i < min(n, SHIM_LOG_MAX); i++) {
		const struct shim_log_entry *e = &shim_log[i];

		seq_printf(m, "%s 0x%x cpu %u%s\n", shim_kind_names[e->kind],
			   e->index, e->cpu, e->fault ? " fault" : "");
	}
	if (n > SHIM_LOG_MAX)
		seq_printf(m, "dropped %d\n", n - SHIM_LOG_MAX);
	return 0;
}

static ssize_t log_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char buf[8] = {};

	if (*ppos || len < 5 || len > 6 || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	if (strncmp(buf, "clear\n", len))
		return -EINVAL;
	atomic_set(&shim_log_next, 0);
	return len;
}
DEFINE_SHOW_STORE_ATTRIBUTE(log);

static int tsc_khz_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%u\n", tsc_khz);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tsc_khz);

/* ---- load and unload ---- */

/* svm_edx: set its bits in the SVM feature word; @on false: take back. */
static void shim_svm_edx(bool on)
{
	u32 *w = &boot_cpu_data.x86_capability[CPUID_8000_000A_EDX];
	unsigned int cpu;

	if (!svm_edx)
		return;
	guard(vp_cpus_read)();
	for_each_online_cpu(cpu) {
		u32 *c = &cpu_data(cpu).x86_capability[CPUID_8000_000A_EDX];

		if (on) {
			shim_svm_added[cpu] = svm_edx & ~*c;
			*c |= svm_edx;
		} else {
			*c &= ~shim_svm_added[cpu];
		}
	}
	if (on) {
		shim_svm_added_boot = svm_edx & ~*w;
		*w |= svm_edx;
		pr_warn("LAB ONLY: CPUID 0x8000000A EDX |= %#x on every CPU\n",
			svm_edx);
	} else {
		*w &= ~shim_svm_added_boot;
	}
}

static int shim_module_event(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "kvm_intel"))
		return NOTIFY_DONE;
	if (state == MODULE_STATE_COMING)
		atomic_inc(&shim_kvm_intel_live);
	else if (state == MODULE_STATE_GOING)
		atomic_dec(&shim_kvm_intel_live);
	return NOTIFY_DONE;
}

static struct notifier_block shim_module_nb = {
	.notifier_call = shim_module_event,
};

static int __init shim_init(void)
{
	unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
	int ret;

	shim_log = kvcalloc(SHIM_LOG_MAX, sizeof(*shim_log), GFP_KERNEL);
	shim_saved = kcalloc(nr_cpu_ids, sizeof(*shim_saved), GFP_KERNEL);
	shim_svm_added = kcalloc(nr_cpu_ids, sizeof(*shim_svm_added),
				 GFP_KERNEL);
	if (!shim_log || !shim_saved || !shim_svm_added) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = register_module_notifier(&shim_module_nb);
	if (ret)
		goto err_free;

	shim_real_read_msr = pv_ops.cpu.read_msr;
	shim_real_read_msr_safe = pv_ops.cpu.read_msr_safe;
	shim_real_cpuid = pv_ops.cpu.cpuid;
	shim_real_cpuid(&eax, &ebx, &ecx, &edx);
	shim_real_max_leaf = eax;

	shim_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("table", 0600, shim_dir, NULL, &table_fops);
	debugfs_create_file("log", 0600, shim_dir, NULL, &log_fops);
	debugfs_create_file("tsc_khz", 0400, shim_dir, NULL, &tsc_khz_fops);

	pv_ops.cpu.read_msr = shim_read_msr;
	pv_ops.cpu.read_msr_safe = shim_msr_safe_pv_hook;
	pv_ops.cpu.cpuid = shim_cpuid;
	pr_warn("LAB ONLY: MSR and CPUID hooks installed for modules loaded from now on\n");
	shim_svm_edx(true);
	return 0;

err_free:
	kfree(shim_svm_added);
	kfree(shim_saved);
	kvfree(shim_log);
	return ret;
}

static void __exit shim_exit(void)
{
	pv_ops.cpu.read_msr = shim_real_read_msr;
	pv_ops.cpu.read_msr_safe = shim_real_read_msr_safe;
	pv_ops.cpu.cpuid = shim_real_cpuid;
	debugfs_remove(shim_dir);
	unregister_module_notifier(&shim_module_nb);
	shim_set_table(NULL);
	shim_svm_edx(false);
	kfree(shim_svm_added);
	kfree(shim_saved);
	kvfree(shim_log);
}

module_init(shim_init);
module_exit(shim_exit);
MODULE_DESCRIPTION("LAB ONLY: feed a snapshot's VMX MSRs and CPUID to kvm_intel");
MODULE_LICENSE("GPL");
