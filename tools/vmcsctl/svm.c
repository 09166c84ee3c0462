// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl on an SVM snapshot (boot_cpu_amd 1): compute and decode with
 * kvm_amd's rules, the module's own svm_engine.c and svm_report.c, so that
 * what this prints is what the module shows on such a machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"
#include "svm_regs.h"
#include "svm_report.h"

/* Snapshot sections in ascending CPU order, as for_each_online_cpu(). */
static unsigned int svm_next_cpu(const struct vp_snapshot *snap, long after)
{
	unsigned int i, best = snap->nr_cpus;

	for (i = 0; i < snap->nr_cpus; i++)
		if ((long)snap->cpus[i].cpu > after &&
		    (best == snap->nr_cpus ||
		     snap->cpus[i].cpu < snap->cpus[best].cpu))
			best = i;
	return best;
}

int svm_compute(struct out *o, const struct vp_snapshot *snap,
		enum vp_kvm kvm, const struct vp_snapshot_cpu *ref,
		const struct vp_snapshot_header *ovr)
{
	struct vp_svm_reference_report r = { .kvm = kvm, .mode = "none" };
	struct vp_svm_params p;
	struct vp_svm_setup s;
	unsigned int i;
	long cpu = -1;

	if (!ref)
		ref = &snap->cpus[0];
	vp_svm_params_defaults(&p, kvm);
	vp_snapshot_fill_svm_params(&snap->hdr, &p);
	vp_snapshot_fill_svm_params(ovr, &p);
	vp_svm_compute_reference(&p, &ref->svm, &s);
	r.cpu = (int)ref->cpu;
	r.setup = &s;
	vp_svm_load_begin(&r.load, kvm, s.ret, r.cpu);
	while ((i = svm_next_cpu(snap, cpu)) < snap->nr_cpus) {
		cpu = snap->cpus[i].cpu;
		vp_svm_load_cpu(&r.load, kvm, (u32)cpu, &snap->cpus[i].svm);
	}

	out_printf(o, "# reference (kvm_amd)\nversion 1\ngeneration 0\n");
	vp_svm_report_reference(&r, out_line, o);
	out_printf(o, "\n# nested_cpuid\nversion 1\ngeneration 0\n");
	vp_svm_report_nested(&s, out_line, o);
	cpu = -1;
	while ((i = svm_next_cpu(snap, cpu)) < snap->nr_cpus) {
		cpu = snap->cpus[i].cpu;
		out_printf(o, "\n# cpu%ld config\nversion 1\ngeneration 0\n",
			   cpu);
		vp_svm_report_cpu(&snap->cpus[i].svm, out_line, o);
	}
	out_printf(o, "\n# compat\nversion 1\ngeneration 0\n");
	cpu = -1;
	while ((i = svm_next_cpu(snap, cpu)) < snap->nr_cpus) {
		cpu = snap->cpus[i].cpu;
		vp_report_compat((u32)cpu,
				 vp_svm_compat_judge(kvm, &snap->cpus[i].svm),
				 0, out_line, o);
	}
	return r.load.ret;
}

/*
 * CPUID Fn8000_000A and what the support check reads, every bit of EDX
 * named as the APM names it ("reserved" where it names none).
 */
void svm_decode(struct out *o, const struct vp_snapshot_cpu *c)
{
	const struct vp_svm_cpu *s = &c->svm;
	unsigned int bit;

	out_printf(o, "SVM support (CPU %u)\n", c->cpu);
	out_printf(o, "  %-40s %s\n", "vendor AMD or Hygon",
		   s->amd ? "yes" : "no");
	out_printf(o, "  %-40s %s\n", "X86_FEATURE_SVM (the kernel's flag)",
		   s->cpu_has_svm ? "yes" : "no");
	out_printf(o, "  %-40s %s\n", "CPUID 0x80000001 ECX[2] SVM",
		   s->ext_ecx & VP_CPUID_80000001_ECX_SVM ? "yes" : "no");
	if (s->vm_cr_fault)
		out_printf(o, "  %-40s %s\n", "VM_CR (0xc0010114)", "fault");
	else
		out_printf(o, "  %-40s %s\n", "VM_CR[4] SVMDIS",
			   s->vm_cr & VP_VM_CR_SVMDIS ? "yes" : "no");
	out_printf(o, "\nCPUID Fn8000_000A\n");
	out_printf(o, "  %-40s %u\n", "EAX SvmRev", s->svm_leaf[0] & 0xff);
	out_printf(o, "  %-40s %u\n", "EBX NASID", s->svm_leaf[1]);
	out_printf(o, "  EDX  Hex: 0x%08x\n", s->svm_leaf[3]);
	for (bit = 0; bit < 32; bit++) {
		const char *name = vp_svm_feature_name(bit);
		bool set = s->svm_leaf[3] & BIT(bit);

		out_printf(o, "    [%2u] %-34s %s\n", bit,
			   name ? name : "reserved",
			   set ? "yes" : "no");
	}
}

/*
 * One side of vmcsctl diff, if it is an SVM CPU: cpuN of a module on its
 * SVM engine (from cpus/cpuN/msrs), FILE:cpuN or FILE (its first section)
 * of an SVM snapshot.  0 with *@svm false when it is no SVM side (the
 * caller's VMX path then reports any error), or an exit code.
 */
int svm_side(const char *spec, bool *svm, struct vp_snapshot_cpu *c)
{
	struct vp_snapshot *snap = NULL;
	const struct vp_snapshot_cpu *s = NULL;
	bool want = false;
	unsigned int cpu = 0, i;

	*svm = false;
	if (!strcmp(spec, "reference") || !strcmp(spec, "live"))
		return 0;
	if (parse_cpu_name(spec, &cpu) && access(spec, F_OK)) {
		char name[64];

		snprintf(name, sizeof(name), "cpus/cpu%u/msrs", cpu);
		if (load_node_snapshot(opts.debugfs, name, &snap))
			return 0;	/* side_load() says why */
		want = true;
	} else {
		char path[4096];
		size_t n = file_cpu_split(spec, &cpu);
		int ret;

		want = n;
		snprintf(path, sizeof(path), "%.*s", (int)(n ? n : strlen(spec)),
			 spec);
		if (access(path, F_OK))
			return 0;
		ret = load_snapshot(path, &snap);
		if (ret)
			return ret;
		if (!vp_snapshot_is_svm(snap)) {
			free(snap);
			return 0;
		}
	}
	for (i = 0; i < snap->nr_cpus && !s; i++)
		if (!want || snap->cpus[i].cpu == cpu)
			s = &snap->cpus[i];
	if (s && s->svm_present) {
		*c = *s;
		*svm = true;
	} else if (!s && !access(spec, F_OK)) {
		vmcsctl_err("%s: no section for CPU %u", spec, cpu);
		free(snap);
		return EXIT_USAGE;
	}
	free(snap);
	return 0;
}

/* Bits of @x not in @y, by their APM names. */
static void svm_only(struct out *o, const char *side, u32 x, u32 y)
{
	unsigned int bit;

	if (!(x & ~y))
		return;
	out_printf(o, "  only in %s:", side);
	for (bit = 0; bit < 32; bit++) {
		const char *name = vp_svm_feature_name(bit);

		if (!(x & ~y & BIT(bit)))
			continue;
		if (name)
			out_printf(o, " %s", name);
		else
			out_printf(o, " reserved%u", bit);
	}
	out_printf(o, "\n");
}

/* What two CPUs' SVM facts differ in: the number of differing lines. */
unsigned int svm_diff(struct out *o, const struct vp_svm_cpu *a,
		      const struct vp_svm_cpu *b)
{
	unsigned int n = 0;

	if (a->amd != b->amd) {
		out_printf(o, "%-28s A %d  B %d\n", "vendor_amd", a->amd, b->amd);
		n++;
	}
	if (a->cpu_has_svm != b->cpu_has_svm) {
		out_printf(o, "%-28s A %d  B %d\n", "cpu_has_svm",
			   a->cpu_has_svm, b->cpu_has_svm);
		n++;
	}
	if (a->ext_ecx != b->ext_ecx) {
		out_printf(o, "%-28s A 0x%08x  B 0x%08x\n", "cpuid 0x80000001 ecx",
			   a->ext_ecx, b->ext_ecx);
		n++;
	}
	if (a->vm_cr_fault != b->vm_cr_fault || a->vm_cr != b->vm_cr) {
		out_printf(o, "%-28s A %s0x%llx  B %s0x%llx\n", "vm_cr",
			   a->vm_cr_fault ? "fault " : "",
			   (unsigned long long)a->vm_cr,
			   b->vm_cr_fault ? "fault " : "",
			   (unsigned long long)b->vm_cr);
		n++;
	}
	if (memcmp(a->svm_leaf, b->svm_leaf, 3 * sizeof(u32))) {
		out_printf(o, "%-28s A 0x%x 0x%x 0x%x  B 0x%x 0x%x 0x%x\n",
			   "cpuid 0x8000000a eax-ecx", a->svm_leaf[0],
			   a->svm_leaf[1], a->svm_leaf[2], b->svm_leaf[0],
			   b->svm_leaf[1], b->svm_leaf[2]);
		n++;
	}
	if (a->svm_leaf[3] != b->svm_leaf[3]) {
		out_printf(o, "%-28s A 0x%08x  B 0x%08x\n", "cpuid 0x8000000a edx",
			   a->svm_leaf[3], b->svm_leaf[3]);
		svm_only(o, "A", a->svm_leaf[3], b->svm_leaf[3]);
		svm_only(o, "B", b->svm_leaf[3], a->svm_leaf[3]);
		n++;
	}
	return n;
}
