// SPDX-License-Identifier: GPL-2.0
/*
 * The words of vmcs_probe's results and the rules that choose them
 * (report.h): one copy for the module and vmcsctl.
 */
#include "report.h"

const char * const vp_compat_names[VP_NR_COMPAT] = {
	[VP_COMPAT_OFFLINE]	= "offline",
	[VP_COMPAT_OK]		= "ok",
	[VP_COMPAT_MISMATCH]	= "mismatch",
	[VP_COMPAT_UNSUPPORTED]	= "unsupported",
	[VP_COMPAT_DISABLED]	= "disabled",
	[VP_COMPAT_FAULT]	= "fault",
	[VP_COMPAT_ERROR]	= "error",
};

const char * const vp_overall_names[VP_NR_OVERALL] = {
	[VP_OVERALL_CONSISTENT]	  = "consistent",
	[VP_OVERALL_INCONSISTENT] = "inconsistent",
	[VP_OVERALL_UNSUPPORTED]  = "unsupported",
	[VP_OVERALL_ERROR]	  = "error",
};

enum vp_compat_status vp_compat_judge(enum vp_support support, int ret,
				      const struct vp_config *ref,
				      const struct vp_config *cfg,
				      void (*diff)(void *ctx,
						   const struct vp_field *f,
						   u64 ref_val, u64 cpu_val),
				      void *ctx)
{
	if (support == VP_VMX_UNSUPPORTED)
		return VP_COMPAT_UNSUPPORTED;
	if (support == VP_VMX_DISABLED)
		return VP_COMPAT_DISABLED;
	/* An unchecked read that faulted makes any config meaningless. */
	if (cfg->diag.warnings & VP_WARN_RDMSR_FAULT)
		return VP_COMPAT_FAULT;
	if (ret)
		return VP_COMPAT_ERROR;
	if (vp_config_compare(ref, cfg, diff, ctx))
		return VP_COMPAT_MISMATCH;
	return VP_COMPAT_OK;
}

void vp_overall_add(struct vp_overall_tally *t, enum vp_compat_status s)
{
	switch (s) {
	case VP_COMPAT_UNSUPPORTED:
	case VP_COMPAT_DISABLED:
		t->unsupported = true;
		break;
	case VP_COMPAT_MISMATCH:
	case VP_COMPAT_FAULT:
	case VP_COMPAT_ERROR:
		t->inconsistent = true;
		break;
	default:
		break;
	}
}

enum vp_overall vp_overall_judge(enum vp_support ref_support, int ref_ret,
				 const struct vp_overall_tally *t)
{
	if (ref_support != VP_VMX_OK)
		return VP_OVERALL_UNSUPPORTED;
	if (ref_ret)
		return VP_OVERALL_ERROR;
	if (t->unsupported)
		return VP_OVERALL_UNSUPPORTED;
	return t->inconsistent ? VP_OVERALL_INCONSISTENT : VP_OVERALL_CONSISTENT;
}
