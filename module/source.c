// SPDX-License-Identifier: GPL-2.0
/*
 * Where MSR and CPUID values come from.
 *
 *  hw      the CPU itself: rdmsr_safe() and CPUID on the current CPU.
 *  percpu  each CPU's values, read when it came online and cached in a
 *          per-CPU variable, read back with this-CPU accessors: the shape
 *          proposed upstream for moving VMXON out of KVM.
 *  replay  the values of a loaded snapshot; a CPU the snapshot lacks
 *          takes the snapshot's first CPU.
 *
 * AMD's SVM facts (CPUID 0x80000001 and 0x8000000A, VM_CR) come from the
 * CPU itself only.
 *
 * The fault-injection overlay (inject.c) applies to every source.  Every
 * access here happens with preemption disabled, so that the CPU it is
 * attributed to is the CPU it ran on, and so that a this-CPU access never
 * happens from preemptible code (even in pinning mode "none").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "kcompat.h"
#include "vmcs_probe.h"
#include "vmx_regs.h"

static DEFINE_PER_CPU(struct vp_raw, vp_percpu_raw);

/* The raw set a non-hw source reads on @cpu, or NULL. */
static const struct vp_raw *vp_source_raw(enum vp_source_kind source,
					  unsigned int cpu)
{
	const struct vp_snapshot_cpu *sc;

	switch (source) {
	case VP_SRC_PERCPU:
		return this_cpu_ptr(&vp_percpu_raw);
	case VP_SRC_REPLAY:
		if (!vp.snapshot)
			return NULL;
		sc = vp_snapshot_find_cpu(vp.snapshot, cpu);
		return sc ? &sc->raw : NULL;
	default:
		return NULL;
	}
}

/* One MSR of the current CPU, overlay applied.  Preemption is off. */
static int vp_source_rdmsr(enum vp_source_kind source, unsigned int cpu,
			   u32 index, u64 *val)
{
	const struct vp_raw *raw;
	int err;

	*val = 0;
	if (source == VP_SRC_HW) {
		err = vp_rdmsr_safe(index, val) ? -EIO : 0;
	} else {
		raw = vp_source_raw(source, cpu);
		err = raw ? vp_raw_read_msr(raw, index, val) : -EIO;
	}
	vp_inject_msr(cpu, index, val, &err);
	if (err)
		*val = 0;
	return err;
}

static u32 vp_source_cpuid_eax(enum vp_source_kind source, unsigned int cpu,
			       u32 leaf)
{
	const struct vp_raw *raw;
	int slot;

	if (source == VP_SRC_HW)
		return cpuid_eax(leaf);
	raw = vp_source_raw(source, cpu);
	slot = vp_raw_cpuid_slot(leaf);
	return raw && slot >= 0 ? raw->cpuid_eax[slot] : 0;
}

static u32 vp_source_cpuid1_ecx(enum vp_source_kind source, unsigned int cpu)
{
	const struct vp_raw *raw;
	u32 ecx;

	if (source == VP_SRC_HW) {
		ecx = cpuid_ecx(1);
	} else {
		raw = vp_source_raw(source, cpu);
		ecx = raw ? raw->cpuid1_ecx : 0;
	}
	vp_inject_cpuid1_ecx(cpu, &ecx);
	return ecx;
}

/**
 * vp_source_read_all() - read every raw input of the current CPU
 * @source: where from
 * @raw: the result
 *
 * Called in IRQ context (compat check) or with preemption disabled.
 */
void vp_source_read_all(enum vp_source_kind source, struct vp_raw *raw)
{
	unsigned int cpu = smp_processor_id();
	unsigned int i;

	memset(raw, 0, sizeof(*raw));
	for (i = 0; i < VP_RAW_NR_MSRS; i++) {
		raw->known |= BIT(i);
		if (vp_source_rdmsr(source, cpu, vp_msrs[i].index,
				    &raw->msr[i]))
			raw->faulted |= BIT(i);
	}
	for (i = 0; i < VP_RAW_NR_CPUID; i++)
		raw->cpuid_eax[i] = vp_source_cpuid_eax(source, cpu,
							vp_raw_cpuid_leaves[i]);
	raw->cpuid1_ecx = vp_source_cpuid1_ecx(source, cpu);
}

/*
 * Cache this CPU's hardware values for the percpu source, without the
 * overlay: injections apply when the cache is read.
 */
void vp_percpu_fill(void *unused)
{
	struct vp_raw *raw = this_cpu_ptr(&vp_percpu_raw);
	unsigned int i;

	memset(raw, 0, sizeof(*raw));
	for (i = 0; i < VP_RAW_NR_MSRS; i++) {
		raw->known |= BIT(i);
		if (vp_rdmsr_safe(vp_msrs[i].index, &raw->msr[i])) {
			raw->faulted |= BIT(i);
			raw->msr[i] = 0;
		}
	}
	for (i = 0; i < VP_RAW_NR_CPUID; i++)
		raw->cpuid_eax[i] = cpuid_eax(vp_raw_cpuid_leaves[i]);
	raw->cpuid1_ecx = cpuid_ecx(1);
}

/* ---- the traced reader of the reference setup ---- */

static void vp_trace_add(struct vp_trace *t, unsigned int cpu, u32 what,
			 bool cpuid)
{
	if (!t)
		return;
	if (t->nr == VP_TRACE_MAX) {
		t->dropped++;
		return;
	}
	t->e[t->nr].what = what;
	t->e[t->nr].cpu = cpu;
	t->e[t->nr].cpuid = cpuid;
	t->nr++;
}

/*
 * The delay that lets another task move us between reads: a short busy
 * wait where preemption is off, else a killable sleep.  Once a fatal
 * signal is pending the delays stop, so that the setup ends within
 * microseconds and its caller can give up (ctx->killed).
 */
static void vp_read_delay(struct vp_read_ctx *ctx)
{
	ktime_t t;

	if (!ctx->delay_us || ctx->killed)
		return;
	if (ctx->atomic) {
		udelay(min_t(unsigned int, ctx->delay_us,
			     VP_MAX_ATOMIC_DELAY_US));
		return;
	}
	t = ns_to_ktime((u64)ctx->delay_us * NSEC_PER_USEC);
	set_current_state(TASK_KILLABLE);
	schedule_hrtimeout_range(&t, t / 4, HRTIMER_MODE_REL);
	ctx->killed = fatal_signal_pending(current);
}

/*
 * Pin the access to a CPU: get_cpu() where the task is preemptible, but
 * nothing in preempt_disable mode, where preemption is already off and a
 * nested get_cpu() is only cost (it showed in the benchmarks).
 */
static unsigned int vp_ctx_get_cpu(const struct vp_read_ctx *ctx)
{
	return ctx->atomic ? smp_processor_id() : get_cpu();
}

static void vp_ctx_put_cpu(const struct vp_read_ctx *ctx)
{
	if (!ctx->atomic)
		put_cpu();
}

static int vp_ctx_rdmsr(void *p, u32 index, u64 *val)
{
	struct vp_read_ctx *ctx = p;
	unsigned int cpu;
	int err;

	vp_read_delay(ctx);
	cpu = vp_ctx_get_cpu(ctx);
	err = vp_source_rdmsr(ctx->source, cpu, index, val);
	vp_ctx_put_cpu(ctx);
	vp_trace_add(ctx->trace, cpu, index, false);
	return err;
}

static u32 vp_ctx_cpuid_eax(void *p, u32 leaf)
{
	struct vp_read_ctx *ctx = p;
	unsigned int cpu;
	u32 eax;

	vp_read_delay(ctx);
	cpu = vp_ctx_get_cpu(ctx);
	eax = vp_source_cpuid_eax(ctx->source, cpu, leaf);
	vp_ctx_put_cpu(ctx);
	vp_trace_add(ctx->trace, cpu, leaf, true);
	return eax;
}

/*
 * Bare accesses for the benchmarks' floor: the source and the overlay,
 * nothing else.  Preemption (or interrupts) must be off.
 */
int vp_source_msr(enum vp_source_kind source, u32 index, u64 *val)
{
	return vp_source_rdmsr(source, smp_processor_id(), index, val);
}

u32 vp_source_cpuid(enum vp_source_kind source, u32 leaf)
{
	return vp_source_cpuid_eax(source, smp_processor_id(), leaf);
}

/* A vp_reader for the engine that reads through @ctx. */
void vp_read_ctx_reader(struct vp_reader *r, struct vp_read_ctx *ctx)
{
	r->rdmsr = vp_ctx_rdmsr;
	r->cpuid_eax = vp_ctx_cpuid_eax;
	r->ctx = ctx;
}

/* An AMD or Hygon CPU: kvm_amd's vendor check. */
bool vp_cpu_is_amd(const struct cpuinfo_x86 *c)
{
	return c->x86_vendor == X86_VENDOR_AMD ||
	       c->x86_vendor == X86_VENDOR_HYGON;
}

/* The current CPU's SVM facts, from the hardware.  Preemption is off. */
void vp_svm_read_cpu(struct vp_svm_cpu *c)
{
	const struct cpuinfo_x86 *ci = &cpu_data(smp_processor_id());
	u32 max_ext = cpuid_eax(0x80000000);
	u32 *l = c->svm_leaf;

	memset(c, 0, sizeof(*c));
	c->amd = vp_cpu_is_amd(ci);
	c->cpu_has_svm = cpu_has(ci, X86_FEATURE_SVM);
	if (max_ext >= VP_CPUID_EXT_FEATURES)
		c->ext_ecx = cpuid_ecx(VP_CPUID_EXT_FEATURES);
	if (max_ext >= VP_CPUID_SVM)
		cpuid(VP_CPUID_SVM, &l[0], &l[1], &l[2], &l[3]);
	c->vm_cr_fault = vp_rdmsr_safe(VP_MSR_VM_CR, &c->vm_cr) != 0;
	if (c->vm_cr_fault)
		c->vm_cr = 0;
}

/*
 * AMD: the SVM facts of the CPU the reference setup starts on, read (and
 * traced) like the rest: CPUID 0x80000001 and 0x8000000A, then VM_CR.
 */
void vp_read_ctx_svm(struct vp_read_ctx *ctx, struct vp_svm_cpu *c)
{
	unsigned int cpu;

	vp_read_delay(ctx);
	cpu = vp_ctx_get_cpu(ctx);
	vp_svm_read_cpu(c);
	vp_ctx_put_cpu(ctx);
	vp_trace_add(ctx->trace, cpu, VP_CPUID_EXT_FEATURES, true);
	vp_trace_add(ctx->trace, cpu, VP_CPUID_SVM, true);
	vp_trace_add(ctx->trace, cpu, VP_MSR_VM_CR, false);
}

/*
 * The support check at the start of the reference setup: what
 * kvm_is_vmx_supported() looks at on the CPU the setup starts on, read
 * (and traced) like the rest.
 */
void vp_read_ctx_support(struct vp_read_ctx *ctx, struct vp_cpu_support *s)
{
	int slot = vp_raw_slot(VP_MSR_FEAT_CTL);
	struct vp_raw raw = {};
	unsigned int cpu;

	cpu = get_cpu();
	raw.cpuid1_ecx = vp_source_cpuid1_ecx(ctx->source, cpu);
	raw.known |= BIT(slot);
	if (vp_source_rdmsr(ctx->source, cpu, VP_MSR_FEAT_CTL, &raw.msr[slot]))
		raw.faulted |= BIT(slot);
	vp_support_judge(s, &raw, ctx->source == VP_SRC_HW);
	put_cpu();
	vp_trace_add(ctx->trace, cpu, 1, true);
	vp_trace_add(ctx->trace, cpu, VP_MSR_FEAT_CTL, false);
}
