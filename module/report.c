// SPDX-License-Identifier: GPL-2.0
/*
 * The words of vmcs_probe's results and the rules that choose them
 * (report.h): one copy for the module and vmcsctl.
 */
#include "report.h"
#include "text.h"
#include "vmx_bits.h"
#include "vmx_regs.h"

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
				      vp_field_diff_fn diff, void *ctx)
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

void vp_diff_mask_add(void *ctx, const struct vp_field *f, u64 ref_val,
		      u64 cpu_val)
{
	u64 *mask = ctx;

	(void)ref_val;
	(void)cpu_val;
	*mask |= BIT_ULL(f - vp_fields);
}

int vp_report_compat(u32 cpu, enum vp_compat_status status, u64 diff,
		     vp_line_fn line, void *ctx)
{
	char buf[VP_REPORT_COMPAT_LINE_MAX];
	char sep = ' ';
	struct vp_text t;
	unsigned int i;

	vp_text_init(&t, buf, sizeof(buf));
	vp_text_str(&t, "cpu");
	vp_text_dec(&t, cpu);
	vp_text_chr(&t, ' ');
	vp_text_str(&t, vp_compat_names[status]);
	for (i = 0; i < vp_nr_fields; i++) {
		if (!(diff & BIT_ULL(i)))
			continue;
		vp_text_chr(&t, sep);
		vp_text_str(&t, vp_fields[i].name);
		sep = ',';
	}
	return line(ctx, buf);
}

int vp_report_nested_msrs(const struct vp_config *ref, enum vp_support support,
			  int ret, vp_line_fn line, void *ctx)
{
	char buf[VP_REPORT_LINE_MAX];
	struct vp_text t;
	u32 index;
	u64 val;
	int err = 0;

	if (ret || support != VP_VMX_OK)
		return 0;
	for (index = VP_MSR_VMX_NESTED_FIRST;
	     !err && index <= VP_MSR_VMX_NESTED_LAST; index++) {
		if (vp_nested_msr(ref, index, &val))
			continue;
		vp_text_init(&t, buf, sizeof(buf));
		vp_text_hex(&t, index, 1);
		vp_text_chr(&t, ' ');
		vp_text_hex(&t, val, 1);
		err = line(ctx, buf);
	}
	return err;
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

const char *vp_result_reason(enum vp_support support, int ret,
			     enum vp_error err)
{
	if (support == VP_VMX_UNSUPPORTED)
		return "vmx_unsupported";
	if (support == VP_VMX_DISABLED)
		return "vmx_disabled";
	if (err == VP_ERR_NONE && ret)
		return "failed";
	return vp_error_id(err);
}

int vp_report_config(const struct vp_config_report *r,
		     vp_line_fn line, void *ctx)
{
	const struct vp_config *c = r->cfg;
	char buf[VP_REPORT_LINE_MAX];
	const char *sep = "";
	struct vp_text t;
	unsigned int i;
	int ret;

	ret = vp_line_word(line, ctx, "kvm", vp_kvm_name(r->kvm));
	if (!ret)
		ret = vp_line_word(line, ctx, "mode", r->mode);
	if (!ret)
		ret = vp_line_sdec(line, ctx, "cpu", r->cpu);
	if (ret)
		return ret;
	vp_text_init(&t, buf, sizeof(buf));
	vp_text_str(&t, "result ");
	vp_text_sdec(&t, r->ret);
	vp_text_chr(&t, ' ');
	vp_text_str(&t, vp_result_reason(r->support, r->ret, c->diag.error));
	ret = line(ctx, buf);
	if (ret)
		return ret;
	if (c->diag.error != VP_ERR_NONE) {
		ret = vp_line_hex(line, ctx, "error_msr", c->diag.error_msr, 1);
		if (!ret)
			ret = vp_line_hex(line, ctx, "error_bits",
					  c->diag.error_bits, 1);
		if (ret)
			return ret;
	}
	vp_text_init(&t, buf, sizeof(buf));
	vp_text_str(&t, "warnings ");
	for (i = 0; vp_warning_id(i); i++) {
		if (!(c->diag.warnings & BIT(i)))
			continue;
		vp_text_str(&t, sep);
		vp_text_str(&t, vp_warning_id(i));
		sep = ",";
	}
	if (!*sep)
		vp_text_str(&t, "none");
	ret = line(ctx, buf);
	for (i = 0; !ret && i < vp_nr_fields; i++)
		ret = vp_line_hex(line, ctx, vp_fields[i].name,
				  vp_field_get(c, &vp_fields[i]), 1);
	return ret;
}
