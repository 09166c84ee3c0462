// SPDX-License-Identifier: GPL-2.0
/*
 * The words of the SVM results (svm_report.h): the compat status a CPU
 * gets from kvm_amd's per-CPU check, the outcome of a whole kvm_amd load,
 * and the lines of debugfs reference and nested_cpuid on AMD.  Pure C,
 * shared by the module and vmcsctl.
 */
#include "svm_report.h"
#include "text.h"

enum vp_compat_status vp_svm_compat_judge(enum vp_kvm kvm,
					  const struct vp_svm_cpu *c)
{
	if (vp_svm_check_processor_compat(kvm, c))
		return vp_svm_support(c) == VP_SVM_NOT_AMD ?
			       VP_COMPAT_ERROR :
			       VP_COMPAT_UNSUPPORTED;
	return VP_COMPAT_OK;
}

/*
 * Mirror of svm_init() (6.12) / kvm_init() (6.1) as far as CPUs go: the
 * setup's own failure first; else the first online CPU, in CPU order,
 * that fails svm_check_processor_compat() fails the load with -EIO.
 */
void vp_svm_load_begin(struct vp_svm_load *l, enum vp_kvm kvm, int ref_ret,
		       int ref_cpu)
{
	l->ret = ref_ret;
	/* 6.12 names the loading CPU, 6.1 none ("svm not available"). */
	l->cpu = ref_ret && kvm != VP_KVM_6_1 ? ref_cpu : -1;
}

void vp_svm_load_cpu(struct vp_svm_load *l, enum vp_kvm kvm, u32 cpu,
		     const struct vp_svm_cpu *c)
{
	if (!l->ret && vp_svm_check_processor_compat(kvm, c)) {
		l->ret = -EIO;
		l->cpu = cpu;
	}
}

int vp_svm_report_nested(const struct vp_svm_setup *s,
			 vp_line_fn line, void *ctx)
{
	int ret;

	if (s->ret)
		return 0;
	ret = vp_line_sdec(line, ctx, "cpuid 0x80000001 ecx.svm",
			   s->ext_ecx_svm);
	if (ret)
		return ret;
	return vp_line_words(line, ctx, "cpuid 0x8000000a", s->svm_leaf, 4);
}

/* "param <name> <value as /sys/module/kvm_amd/parameters/<name> shows it>" */
static int vp_svm_report_params(const struct vp_svm_params *p,
				vp_line_fn line, void *ctx)
{
	char key[VP_REPORT_LINE_MAX];
	struct vp_text t;
	unsigned int i;
	int ret;

	for (i = 0; i < VP_SVM_NR_PARAMS; i++) {
		const struct vp_svm_param *d = &vp_svm_params[i];
		u32 v = vp_svm_param_get(p, d);

		if (!vp_svm_param_exists(p->kvm, d))
			continue;
		vp_text_init(&t, key, sizeof(key));
		vp_text_str(&t, "param ");
		vp_text_str(&t, d->name);
		if (d->type == VP_SVM_PARAM_BOOL)
			ret = vp_line_word(line, ctx, key, v ? "Y" : "N");
		else
			ret = vp_line_sdec(line, ctx, key, v);
		if (ret)
			return ret;
	}
	return 0;
}

int vp_svm_report_reference(const struct vp_svm_reference_report *r,
			    vp_line_fn line, void *ctx)
{
	const struct vp_svm_setup *s = r->setup;
	int ret;

	ret = vp_line_word(line, ctx, "engine", "svm");
	if (!ret)
		ret = vp_line_word(line, ctx, "kvm", vp_kvm_name(r->kvm));
	if (!ret)
		ret = vp_line_word(line, ctx, "mode", r->mode);
	if (!ret)
		ret = vp_line_sdec(line, ctx, "cpu", r->cpu);
	if (!ret)
		ret = vp_line_sdec(line, ctx, "result", s->ret);
	if (!ret)
		ret = vp_line_word(line, ctx, "error", vp_svm_error_id(s->error));
	if (!ret)
		ret = vp_line_sdec(line, ctx, "load", r->load.ret);
	if (!ret)
		ret = vp_line_sdec(line, ctx, "load_cpu", r->load.cpu);
	if (!ret && (s->warnings & VP_SVM_WARN_SEV_UNRESOLVED))
		ret = vp_line_word(line, ctx, "warning", "sev_unresolved");
	if (!ret && !s->ret)
		ret = vp_svm_report_params(&s->effective, line, ctx);
	return ret ? ret : vp_svm_report_nested(s, line, ctx);
}

int vp_svm_report_cpu(const struct vp_svm_cpu *c, vp_line_fn line,
		      void *ctx)
{
	int ret;

	ret = vp_line_sdec(line, ctx, "amd_or_hygon", c->amd);
	if (!ret)
		ret = vp_line_sdec(line, ctx, "cpu_has_svm", c->cpu_has_svm);
	if (!ret)
		ret = vp_line_hex(line, ctx, "cpuid 0x80000001 ecx", c->ext_ecx,
				  8);
	if (!ret)
		ret = vp_line_words(line, ctx, "cpuid 0x8000000a", c->svm_leaf,
				    4);
	if (!ret && c->vm_cr_fault)
		ret = vp_line_word(line, ctx, "vm_cr", "fault");
	else if (!ret)
		ret = vp_line_hex(line, ctx, "vm_cr", c->vm_cr, 1);
	if (!ret)
		ret = vp_line_word(line, ctx, "support",
				   vp_svm_support_name(vp_svm_support(c)));
	return ret;
}
