/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs_probe: internal interfaces between the module's files.
 *
 * The pipeline, one file a stage:
 *   source.c   where MSR and CPUID values come from (hw, percpu, replay)
 *   inject.c   the fault-injection overlay applied to every source
 *   support.c  per-CPU VMX support, as __kvm_is_vmx_supported() decides
 *   engine.c   raw values -> configuration, KVM's logic (pure C)
 *   svm.c      AMD: kvm_amd's parameters, per-CPU SVM support and check
 *   svm_engine.c  kvm_amd's logic (pure C), svm_report.c its words
 *   policy.c   the reference setup under a pinning mode, with its trace
 *   compat.c   every CPU checked against the reference
 *   bench.c    measurements for make bench: modes against their floor
 *   boot_audit.c  what each CPU's cpu_data has of what KVM takes from the
 *              boot CPU (kvm_boot.c, pure C, shared with vmcsctl)
 *   sysfs.c    /sys/kernel/vmcs_probe/ (control and status)
 *   debugfs.c  /sys/kernel/debug/vmcs_probe/ (results, injection, replay)
 *   input.c    the strict parser of every write
 *   report.c   the words of the results and the rules choosing them
 *              (pure C, shared with vmcsctl)
 *   run.c      runs: the one place results are published; the load's
 *              run, and CPU hotplug watched from then on
 *   main.c     module parameters and state, load and unload
 *
 * Locking: vp_lock serializes everything that reads or changes the state
 * below: setups, compat checks, hotplug rechecks, injections, the source
 * and the debugfs readers.  Its place in the lock order is inside the
 * CPU hotplug lock (a compat check takes cpus_read_lock() first; hotplug
 * callbacks are called with it held).  No interface write holds either
 * lock across more than one reference setup, and the interfaces take
 * vp_lock killably.  The sysfs files read single words (mode, policy,
 * status, generation) without vp_lock: they never wait behind a run.
 */
#ifndef VMCS_PROBE_H
#define VMCS_PROBE_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "engine.h"
#include "raw.h"
#include "report.h"
#include "snapshot.h"
#include "svm_report.h"

#define VP_FORMAT_VERSION	1

/* ---- settings ---- */

enum vp_mode {
	VP_MODE_NONE,
	VP_MODE_MIGRATE,
	VP_MODE_PREEMPT,
	VP_NR_MODES,
};

enum vp_source_kind {
	VP_SRC_HW,
	VP_SRC_PERCPU,
	VP_SRC_REPLAY,
	VP_NR_SOURCES,
};

enum vp_hotplug_policy {
	VP_HP_REPORT,
	VP_HP_REFUSE,
	VP_NR_HP,
};

extern const char * const vp_mode_names[VP_NR_MODES];
extern const char * const vp_source_names[VP_NR_SOURCES];
extern const char * const vp_hp_names[VP_NR_HP];

/* The longest busy wait per read in preempt_disable mode. */
#define VP_MAX_ATOMIC_DELAY_US	100
/* read_delay_us is capped so that a run always ends. */
#define VP_MAX_READ_DELAY_US	100000

/* ---- support (support.c) ---- */

enum vp_support_reason {
	VP_REASON_NONE,
	VP_REASON_NO_CPUID_VMX,
	VP_REASON_FEAT_CTL_FAULT,
	VP_REASON_FEAT_CTL_VMX_OFF,
	VP_REASON_KERNEL_CLEARED,
	VP_REASON_OFFLINE,
	VP_REASON_NOT_AMD,		/* SVM: vendor neither AMD nor Hygon */
	VP_REASON_NO_SVM,		/* SVM: the CPU's SVM flag is clear */
	VP_REASON_VM_CR_SVMDIS,		/* SVM: VM_CR.SVMDIS is set */
};

/*
 * What one CPU says about VMX.  KVM mixes two views: the CPUID instruction
 * executed on the CPU itself, and the feature words the kernel recorded
 * for that CPU (this_cpu_has()) or for the boot CPU (boot_cpu_has()).
 * All are kept so that a difference between them can be seen.
 */
struct vp_cpu_support {
	bool probed;
	enum vp_support verdict;
	enum vp_support_reason reason;
	bool cpuid_vmx;		/* CPUID.1:ECX.VMX, from the source */
	bool this_cpu_vmx;	/* this_cpu_has(X86_FEATURE_VMX) */
	bool this_cpu_feat_ctl;	/* this_cpu_has(X86_FEATURE_MSR_IA32_FEAT_CTL) */
	bool boot_cpu_vmx;	/* boot_cpu_has(X86_FEATURE_VMX) */
	bool feat_ctl_fault;
	u64 feat_ctl;		/* IA32_FEAT_CTL, from the source */
};

const char *vp_reason_name(enum vp_support_reason reason);
const char *vp_verdict_name(const struct vp_cpu_support *s);
/*
 * On the CPU being judged, with preemption off: decide from the raw
 * values read there (CPUID.1:ECX and IA32_FEAT_CTL) and, when they come
 * from the hardware, from the kernel's feature words too.
 */
void vp_support_judge(struct vp_cpu_support *s, const struct vp_raw *raw,
		      bool kernel_view);

/* ---- sources and injection (source.c, inject.c) ---- */

/*
 * Per-access context of a read: which source, the overlay, the trace to
 * append to and the delay to insert (reference setup only).
 */
struct vp_trace;
struct seq_file;
struct cpuinfo_x86;

struct vp_read_ctx {
	enum vp_source_kind source;
	struct vp_trace *trace;		/* NULL: don't trace */
	unsigned int delay_us;		/* 0: no delay */
	bool atomic;			/* delay must busy-wait */
	bool killed;			/* a fatal signal cut a delay short */
};

void vp_read_ctx_reader(struct vp_reader *r, struct vp_read_ctx *ctx);
/* Read every raw input of the current CPU (IRQ context or pinned). */
void vp_source_read_all(enum vp_source_kind source, struct vp_raw *raw);
/* One bare access, preemption off (the benchmarks' floor). */
int vp_source_msr(enum vp_source_kind source, u32 index, u64 *val);
u32 vp_source_cpuid(enum vp_source_kind source, u32 leaf);
/* The SVM facts of the current CPU, from the hardware. */
void vp_svm_read_cpu(struct vp_svm_cpu *c);
bool vp_cpu_is_amd(const struct cpuinfo_x86 *c);
/* The same on the CPU the reference setup runs on, traced. */
void vp_read_ctx_svm(struct vp_read_ctx *ctx, struct vp_svm_cpu *c);
/* Fill this CPU's cache for the percpu source (hotplug online). */
void vp_percpu_fill(void *unused);
/* The reference setup's support check, on the CPU it starts on. */
void vp_read_ctx_support(struct vp_read_ctx *ctx, struct vp_cpu_support *s);

/* Overlay: applied to every value a source returns. */
#define VP_INJECT_MAX		64
bool vp_inject_msr(unsigned int cpu, u32 index, u64 *val, int *err);
bool vp_inject_cpuid1_ecx(unsigned int cpu, u32 *ecx);
int vp_inject_write(const char *buf, size_t len);
void vp_inject_show(struct seq_file *m);
void vp_inject_clear(void);

/* ---- policy (policy.c) ---- */

#define VP_TRACE_MAX		64

struct vp_trace_entry {
	u32 what;		/* MSR index or CPUID leaf */
	u16 cpu;
	bool cpuid;
};

struct vp_trace {
	enum vp_mode mode;
	enum vp_source_kind source;
	int start_cpu;
	int end_cpu;
	unsigned int switches;
	bool mixed;
	u64 duration_ns;
	unsigned int nr;
	unsigned int dropped;	/* accesses beyond VP_TRACE_MAX */
	struct vp_trace_entry e[VP_TRACE_MAX];
};

struct vp_mode_stats {
	u64 runs;
	u64 switched;
	u64 min_ns;
	u64 max_ns;
	u64 total_ns;
};

/* What one reference setup produced, before it is published. */
struct vp_setup {
	struct vp_params params;	/* the inputs: vp.params, and the
					 * snapshot's boot-CPU facts (replay)
					 */
	struct vp_params effective;	/* as hardware_setup() leaves them */
	struct vp_config ref;
	struct vp_cpu_support support;
	struct vp_trace trace;
	int ret;			/* 0, -EOPNOTSUPP or the engine's */
	struct vp_svm_setup svm;	/* the SVM engine's, when vp.svm */
};

void vp_setup_params(struct vp_params *p);
int vp_policy_run(enum vp_mode mode, struct vp_setup *s);

/* ---- compat (compat.c); the results are published by run.c ---- */

struct vp_cpu_result {
	struct vp_cpu_support support;
	struct vp_raw raw;		/* as read at the last check */
	struct vp_config config;
	int ret;			/* vp_compute_cpu() */
	enum vp_compat_status status;
	u64 diff;			/* bit i: vp_fields[i] differs */
	struct vp_svm_cpu svm;		/* as read at the last check (vp.svm) */
};

void vp_compat_check_all(bool parallel);
void vp_compat_check_cpu(unsigned int cpu);
void vp_compat_mark_offline(unsigned int cpu);

/* ---- SVM (svm.c) ---- */

int vp_svm_init(struct vp_svm_params *p, const struct vp_params *vmx,
		bool *use);
void vp_svm_support_judge(struct vp_cpu_support *s,
			  const struct vp_svm_cpu *c);
int vp_svm_setup(struct vp_read_ctx *ctx, struct vp_setup *s);
void vp_svm_check_local(struct vp_cpu_result *res);
/* kvm_amd's parameters as given, with the boot CPU's facts of now. */
void vp_svm_params_now(struct vp_svm_params *p);

/* ---- benchmarks (bench.c) ---- */

int vp_bench_write(const char *buf, size_t len);
void vp_bench_show(struct seq_file *m);

/* ---- state (main.c) and runs (run.c) ---- */

struct vp_state {
	/* settings */
	unsigned int mode;		/* enum vp_mode, sysfs pinning_mode */
	enum vp_source_kind source;
	unsigned int hotplug;		/* enum vp_hotplug_policy, likewise */
	unsigned int read_delay_us;
	struct vp_params params;	/* KVM's parameters, as given */
	bool kvm_exact;			/* params.kvm is this kernel's own KVM
					 * (or named by kvm_version=), not the
					 * nearest older mirror
					 */
	struct vp_params run_params;	/* the last run's: params, plus the
					 * snapshot's boot-CPU facts (replay)
					 */

	/* the last run */
	unsigned long generation;	/* READ_ONCE() without vp_lock */
	enum vp_overall overall;	/* status, READ_ONCE() likewise */
	struct vp_params effective;	/* as hardware_setup() leaves them */
	struct vp_config ref;
	int ref_ret;
	struct vp_cpu_support ref_support;
	struct vp_trace trace;
	struct vp_mode_stats stats[VP_NR_MODES];
	struct vp_cpu_result *cpu;	/* [nr_cpu_ids] */

	/* replay */
	struct vp_snapshot *snapshot;	/* NULL until one is loaded */

	/* AMD: the SVM engine instead of the VMX one (engine=), hw only */
	bool svm;
	struct vp_svm_params svm_params;	/* kvm_amd's, as given */
	struct vp_svm_setup svm_ref;		/* the last run's */
};

extern struct mutex vp_lock;

/*
 * Declare @_var, holding vp_lock taken killably until the end of the
 * scope (kcompat.h):
 *
 *	vp_lock_killable(lock);
 *
 *	if (!lock.lock)
 *		return -EINTR;
 */
#define vp_lock_killable(_var)	CLASS(vp_killable, _var)(&vp_lock)
extern struct vp_state vp;

enum vp_overall vp_overall_status(void);
int vp_setup_killable(enum vp_mode mode, struct vp_setup *s);
int vp_run(enum vp_mode mode);
int vp_publish(const struct vp_setup *s, bool parallel);
int vp_start(void);
void vp_stop(void);

int vp_sysfs_init(void);
void vp_sysfs_exit(void);
void vp_debugfs_init(void);
void vp_debugfs_exit(void);

/* boot_audit.c: debugfs boot_cpu's lines after "version" (kvm_boot.h). */
struct seq_file;
struct cpuinfo_x86;
void vp_boot_audit_show(struct seq_file *m, enum vp_kvm kvm);

/* ---- the parser of writes (input.c) ---- */

struct vp_input {
	const char *p;		/* the next byte of the current line */
	const char *line_end;	/* the end of the current line */
	const char *next;	/* the next line, NULL after the last */
	const char *end;	/* the end of the text */
	bool first;		/* no word of this line read yet */
};

int vp_input_line(struct vp_input *in, const char *buf, size_t len);
int vp_input_lines(struct vp_input *in, const char *buf, size_t len);
bool vp_input_next_line(struct vp_input *in);
int vp_input_word(struct vp_input *in, const char **word, size_t *len);
int vp_input_choice(struct vp_input *in, const char * const *names,
		    unsigned int n);
int vp_input_uint(struct vp_input *in, unsigned int max, unsigned int *val);
int vp_input_hex(struct vp_input *in, u64 *val);
int vp_input_end(const struct vp_input *in);
/* Parse exactly one of @names (one trailing newline allowed). */
int vp_match_word(const char * const *names, unsigned int n,
		  const char *buf, size_t len);
int vp_parse_uint(const char *buf, size_t len, unsigned int max,
		  unsigned int *val);

#endif /* VMCS_PROBE_H */
