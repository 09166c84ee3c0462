/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words vmcs_probe reports its results in, and the two rules that
 * choose them: a CPU's compat status and the overall status.  Shared by
 * the module (debugfs compat, sysfs status) and vmcsctl (compute, and the
 * parsers of the module's files), so that both give the same word for
 * the same input by construction.
 *
 * Pure C like the engine: no allocation, no globals, no kernel calls.
 */
#ifndef VMCS_PROBE_REPORT_H
#define VMCS_PROBE_REPORT_H

#include "engine.h"
#include "snapshot.h"

/* A CPU's result of the compat check (debugfs compat, cpus/cpuN/compat). */
enum vp_compat_status {
	VP_COMPAT_OFFLINE,
	VP_COMPAT_OK,
	VP_COMPAT_MISMATCH,
	VP_COMPAT_UNSUPPORTED,
	VP_COMPAT_DISABLED,
	VP_COMPAT_FAULT,
	VP_COMPAT_ERROR,
	VP_NR_COMPAT,
};

extern const char * const vp_compat_names[VP_NR_COMPAT];

/* The overall status (sysfs status, vmcsctl status and compute). */
enum vp_overall {
	VP_OVERALL_CONSISTENT,
	VP_OVERALL_INCONSISTENT,
	VP_OVERALL_UNSUPPORTED,
	VP_OVERALL_ERROR,
	VP_NR_OVERALL,
};

extern const char * const vp_overall_names[VP_NR_OVERALL];

/*
 * The compat status of a CPU whose VMX support is @support and whose
 * vp_compute_cpu() returned @ret and gave @cfg, against the reference
 * @ref; @diff (may be NULL) is called for each differing field, as by
 * vp_config_compare().  @cfg and @ret are not looked at unless @support
 * is VP_VMX_OK.
 */
enum vp_compat_status vp_compat_judge(enum vp_support support, int ret,
				      const struct vp_config *ref,
				      const struct vp_config *cfg,
				      vp_field_diff_fn diff, void *ctx);

/*
 * A vp_field_diff_fn for vp_compat_judge(): sets bit i of the u64 at @ctx
 * for vp_fields[i], the mask the compat line names.
 */
void vp_diff_mask_add(void *ctx, const struct vp_field *f, u64 ref_val,
		      u64 cpu_val);

/* The longest compat line, with its NUL: every field named. */
#define VP_REPORT_COMPAT_LINE_MAX	1024

/*
 * A CPU's line of debugfs compat: "cpu<N> <status>[ <field>,<field>...]",
 * the fields those of @diff (vp_diff_mask_add()).  @line as for
 * vp_report_config().
 */
int vp_report_compat(u32 cpu, enum vp_compat_status status, u64 diff,
		     vp_line_fn line, void *ctx);

/*
 * The lines of debugfs nested_msrs after the version and generation: one
 * "0x<index> 0x<value>" per nested VMX MSR, as KVM_GET_MSRS would return
 * it (vp_nested_msr()), none where the reference is not usable (its VMX
 * support @support, its setup's result @ret).
 */
int vp_report_nested_msrs(const struct vp_config *ref, enum vp_support support,
			  int ret, vp_line_fn line, void *ctx);

/* What the compat statuses of the CPUs add up to, for vp_overall_judge(). */
struct vp_overall_tally {
	bool unsupported;		/* a CPU without usable VMX */
	bool inconsistent;		/* a CPU that mismatches or fails */
};

void vp_overall_add(struct vp_overall_tally *t, enum vp_compat_status s);

/*
 * The overall status, from the reference CPU's VMX support, the result of
 * the reference setup and the CPUs' tally.  The order is KVM's: a loading
 * CPU without VMX stops it first, a failing setup next (before any CPU
 * is checked), and only then do the CPUs count, a CPU without VMX before
 * one that differs.
 */
enum vp_overall vp_overall_judge(enum vp_support ref_support, int ref_ret,
				 const struct vp_overall_tally *t);

/*
 * Why a computation gave no configuration, in one word (the "result"
 * line): "vmx_unsupported" or "vmx_disabled" for a CPU without usable VMX
 * (@support; VP_VMX_OK where it is unknown), "failed" for a failure the
 * engine does not name, else the engine's error id ("none", ...).
 */
const char *vp_result_reason(enum vp_support support, int ret,
			     enum vp_error err);

/* The longest line vp_report_config() writes, with its NUL. */
#define VP_REPORT_LINE_MAX	256

/* A configuration as debugfs reference and cpus/cpuN/config show it. */
struct vp_config_report {
	enum vp_kvm kvm;
	const char *mode;		/* the pinning mode of the run */
	int cpu;			/* where it was computed, or -1 */
	int ret;			/* the computation's result */
	enum vp_support support;	/* of that CPU, VP_VMX_OK if unknown */
	const struct vp_config *cfg;
};

/*
 * The lines of a configuration after the file's version and generation:
 * kvm, mode, cpu, result, error_msr and error_bits (when the engine names
 * an error), warnings, then every field of vp_fields[].  One call of
 * @line per line, without newline; a non-zero return stops and is
 * returned.
 */
int vp_report_config(const struct vp_config_report *r,
		     vp_line_fn line, void *ctx);

#endif /* VMCS_PROBE_REPORT_H */
