/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words and lines of the SVM results, shared by the module (debugfs
 * on AMD) and vmcsctl: a CPU's compat status under kvm_amd's per-CPU
 * check, the outcome of a whole kvm_amd load, and the text of debugfs
 * reference, nested_cpuid and cpus/cpuN/config (sysfs-abi/).  Pure C.
 */
#ifndef VMCS_PROBE_SVM_REPORT_H
#define VMCS_PROBE_SVM_REPORT_H

#include "report.h"
#include "svm_engine.h"

/*
 * The compat status of CPU @c under svm_check_processor_compat(): "ok",
 * or "unsupported" (6.12: no SVM) / "error" (6.12: not AMD or Hygon).
 */
enum vp_compat_status vp_svm_compat_judge(enum vp_kvm kvm,
					  const struct vp_svm_cpu *c);

/* What loading kvm_amd gives: its errno, and the CPU KVM's message names. */
struct vp_svm_load {
	int ret;
	int cpu;			/* -1: none */
};

/* Start from the setup's result @ref_ret, made on @ref_cpu. */
void vp_svm_load_begin(struct vp_svm_load *l, enum vp_kvm kvm, int ref_ret,
		       int ref_cpu);
/* Then each online CPU in order, as KVM's compat loop visits them. */
void vp_svm_load_cpu(struct vp_svm_load *l, enum vp_kvm kvm, u32 cpu,
		     const struct vp_svm_cpu *c);

struct vp_svm_reference_report {
	enum vp_kvm kvm;
	const char *mode;		/* the pinning mode of the run */
	int cpu;			/* where the setup ran, or -1 */
	const struct vp_svm_setup *setup;
	struct vp_svm_load load;
};

/*
 * debugfs reference on AMD, after version and generation: engine, kvm,
 * mode, cpu, result, error, load, load_cpu, [warning], then (when the
 * setup succeeded) one "param <name> <value>" per kvm_amd parameter, as
 * /sys/module/kvm_amd/parameters shows it, and the nested CPUID lines.
 */
int vp_svm_report_reference(const struct vp_svm_reference_report *r,
			    vp_line_fn line, void *ctx);

/*
 * debugfs nested_cpuid on AMD: what KVM_GET_SUPPORTED_CPUID offers L1,
 * "cpuid 0x80000001 ecx.svm <0|1>" and "cpuid 0x8000000a <eax> <ebx>
 * <ecx> <edx>"; nothing when the setup failed.
 */
int vp_svm_report_nested(const struct vp_svm_setup *s,
			 vp_line_fn line, void *ctx);

/* debugfs cpus/cpuN/config on AMD: what CPU @c showed. */
int vp_svm_report_cpu(const struct vp_svm_cpu *c, vp_line_fn line,
		      void *ctx);

#endif /* VMCS_PROBE_SVM_REPORT_H */
