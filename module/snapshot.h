/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshots: the raw VMX inputs of a set of CPUs as line-oriented text
 * (Documentation/snapshot-format.rst), so that a configuration computed on
 * one machine can be replayed by the module or by vmcsctl anywhere.
 *
 * Pure C, like the engine: no allocation, no globals, no kernel calls.  The
 * caller owns every buffer; struct vp_snapshot is large (about 52 KiB), so
 * the module allocates it rather than putting it on the stack.
 */
#ifndef VMCS_PROBE_SNAPSHOT_H
#define VMCS_PROBE_SNAPSHOT_H

#include "vmx_types.h"
#include "engine.h"
#include "raw.h"
#include "svm_engine.h"
#include "text.h"

#define VP_SNAPSHOT_MAGIC	"vmcs_probe-snapshot"
#define VP_SNAPSHOT_VERSION	1
#define VP_SNAPSHOT_MAX_CPUS	256		/* cpu sections in a snapshot */
#define VP_SNAPSHOT_CPU_LIMIT	8192		/* cpu numbers are below this */
#define VP_SNAPSHOT_MAX_SIZE	(1024 * 1024)	/* bytes of input */
#define VP_SNAPSHOT_SOURCE_MAX	128		/* source text, with its NUL */
#define VP_SNAPSHOT_LINE_MAX	(VP_SNAPSHOT_SOURCE_MAX + 16)
#define VP_SNAPSHOT_ERR_MAX	96

/* Which optional header lines were given (struct vp_snapshot_header). */
#define VP_SNAP_HAS_SOURCE	BIT(0)
#define VP_SNAP_HAS_KVM		BIT(1)
#define VP_SNAP_HAS_INTEL	BIT(2)
#define VP_SNAP_HAS_NX		BIT(3)
#define VP_SNAP_HAS_UMIP	BIT(4)
#define VP_SNAP_HAS_MPX		BIT(5)
#define VP_SNAP_HAS_TSC_KHZ	BIT(6)
#define VP_SNAP_HAS_EVMCS	BIT(7)
#define VP_SNAP_HAS_X86_64	BIT(8)
#define VP_SNAP_HAS_HYPERV	BIT(9)
#define VP_SNAP_HAS_SGX_KVM	BIT(10)
#define VP_SNAP_HAS_KVM_HYPERV	BIT(11)
#define VP_SNAP_HAS_PROVE_VE	BIT(12)
#define VP_SNAP_HAS_SHSTK	BIT(13)
#define VP_SNAP_HAS_IBT		BIT(14)
#define VP_SNAP_HAS_XSS_CET	BIT(15)
#define VP_SNAP_HAS_HYPERVISOR	BIT(16)
#define VP_SNAP_HAS_CPUID15_EAX	BIT(17)
#define VP_SNAP_HAS_CPUID15_EBX	BIT(18)
#define VP_SNAP_HAS_AMD		BIT(19)
#define VP_SNAP_HAS_SVM		BIT(20)
#define VP_SNAP_HAS_SEV		BIT(21)
#define VP_SNAP_HAS_FAMILY	BIT(22)
#define VP_SNAP_HAS_MODEL	BIT(23)
#define VP_SNAP_HAS_SVM_EDX	BIT(24)

struct vp_snapshot_header {
	u32 present;				/* VP_SNAP_HAS_* */
	char source[VP_SNAPSHOT_SOURCE_MAX];	/* "" unless present */
	enum vp_kvm kvm;
	bool boot_cpu_intel;
	bool boot_cpu_nx;
	bool boot_cpu_umip;
	bool boot_cpu_mpx;
	u32 tsc_khz;			/* the kernel's tsc_khz */
	bool hyperv_evmcs;		/* KVM would use eVMCS (Hyper-V) */
	/* what only 7.x reads (struct vp_params) */
	bool boot_cpu_shstk;
	bool boot_cpu_ibt;
	bool host_xss_cet;
	bool boot_cpu_hypervisor;
	u32 cpuid15_eax;
	u32 cpuid15_ebx;
	/* what only kvm_amd reads (struct vp_svm_params) */
	bool boot_cpu_amd;		/* AMD or Hygon */
	bool boot_cpu_svm;
	bool boot_cpu_sev;
	u32 boot_cpu_family;
	u32 boot_cpu_model;
	u32 boot_svm_edx;		/* boot_cpu_data's CPUID 0x8000000A EDX */
	/* the kernel's Kconfig, as far as KVM's result depends on it */
	bool config_x86_64;
	bool config_hyperv;
	bool config_x86_sgx_kvm;
	bool config_kvm_hyperv;
	bool config_kvm_intel_prove_ve;
	u32 param_present;		/* bit i: vp_kvm_params[i] given */
	u32 param[VP_NR_KVM_PARAMS];	/* indexed like vp_kvm_params[] */
	/* kvm_amd's own (not shared with kvm_intel), like vp_svm_params[] */
	u32 svm_param_present;
	u32 svm_param[VP_SVM_NR_PARAMS];
};

/* Which CPUID lines a cpu section gave (the MSRs are in raw.known). */
#define VP_SNAP_CPU_HAS_CPUID1_ECX	BIT(0)
#define VP_SNAP_CPU_HAS_CPUID(slot)	BIT(1 + (slot))	/* vp_raw slot */

/* Which SVM lines a cpu section gave (struct vp_snapshot_cpu.svm_present). */
#define VP_SNAP_SVM_HAS_VENDOR		BIT(0)	/* vendor_amd */
#define VP_SNAP_SVM_HAS_FLAG		BIT(1)	/* cpu_has_svm */
#define VP_SNAP_SVM_HAS_EXT_ECX		BIT(2)	/* cpuid_ext_ecx */
#define VP_SNAP_SVM_HAS_LEAF		BIT(3)	/* cpuid_svm */
#define VP_SNAP_SVM_HAS_VM_CR		BIT(4)	/* vm_cr */
#define VP_SNAP_SVM_ALL			(BIT(5) - 1)

struct vp_snapshot_cpu {
	u32 cpu;			/* the CPU's number */
	u32 line;			/* of its cpu line, 1-based */
	u32 present;			/* VP_SNAP_CPU_HAS_* */
	struct vp_raw raw;		/* absent lines: 0, MSR not known */
	u32 svm_present;		/* VP_SNAP_SVM_HAS_* */
	struct vp_svm_cpu svm;		/* absent lines: 0; VM_CR: faulted */
};

struct vp_snapshot {
	struct vp_snapshot_header hdr;
	u32 magic_line;			/* of the magic line, 1-based */
	unsigned int nr_cpus;		/* 1..VP_SNAPSHOT_MAX_CPUS */
	struct vp_snapshot_cpu cpus[VP_SNAPSHOT_MAX_CPUS];	/* file order */
};

/* Where and why parsing failed. */
struct vp_snapshot_error {
	unsigned int line;		/* 1-based */
	char msg[VP_SNAPSHOT_ERR_MAX];	/* e.g. "unknown MSR 0x494" */
};

/*
 * Parse @len bytes of @buf (need not be NUL-terminated) into @snap.
 * Returns 0, or -EINVAL (-E2BIG for input over VP_SNAPSHOT_MAX_SIZE) with
 * @err filled in if not NULL.  On error the content of @snap is unspecified.
 */
int vp_snapshot_parse(const char *buf, size_t len, struct vp_snapshot *snap,
		      struct vp_snapshot_error *err);

/*
 * The emitter.  @line (text.h) is called once per line, with the text of
 * the line without its newline (at most VP_SNAPSHOT_LINE_MAX bytes with the
 * NUL); a non-zero return stops the emitter, which returns that value.  A
 * whole snapshot is a header, one or more cpu sections, and the end line.
 */

int vp_snapshot_emit_header(const struct vp_snapshot_header *hdr,
			    vp_line_fn line, void *ctx);
/*
 * Fill in @hdr's facts (boot_cpu_*, tsc_khz, hyperv_evmcs) and param lines
 * from @p (every parameter kvm_intel has with @p's Kconfig facts),
 * marking them present: the header of a snapshot of the machine @p
 * describes.
 */
void vp_snapshot_header_set_params(struct vp_snapshot_header *hdr,
				   const struct vp_params *p);
/*
 * The same for the SVM facts and kvm_amd's own parameters of @p (those it
 * does not share with kvm_intel; avic unless "auto").
 */
void vp_snapshot_header_set_svm_params(struct vp_snapshot_header *hdr,
				       const struct vp_svm_params *p);
/* cpu, cpuid1_ecx, the three cpuid lines, then every known MSR. */
int vp_snapshot_emit_cpu(u32 cpu, const struct vp_raw *raw,
			 vp_line_fn line, void *ctx);
/* A cpu section's SVM lines, those in @present (VP_SNAP_SVM_HAS_*). */
int vp_snapshot_emit_svm_cpu(const struct vp_svm_cpu *c, u32 present,
			     vp_line_fn line, void *ctx);
int vp_snapshot_emit_end(vp_line_fn line, void *ctx);
int vp_snapshot_emit(const struct vp_snapshot *snap,
		     vp_line_fn line, void *ctx);

/*
 * Report the lines of a parsed snapshot whose absence the format allows
 * but which stand for facts the computation needs, so that their default
 * is a guess (Documentation/snapshot-format.rst, "Missing lines"): the
 * boot-CPU facts, and in each section cpuid1_ecx and the three cpuid
 * lines.  @warn gets the line the fact belongs to (the magic line, or
 * the section's cpu line) and a message; returns how many it reported.
 */
typedef void (*vp_snapshot_warn_fn)(void *ctx, unsigned int line,
				    const char *msg);

unsigned int vp_snapshot_check(const struct vp_snapshot *snap,
			       vp_snapshot_warn_fn warn, void *ctx);

/*
 * The section of CPU @cpu, or the first section if there is none for it
 * (the module's replay rule).  NULL only if @snap has no section.
 */
const struct vp_snapshot_cpu *vp_snapshot_find_cpu(const struct vp_snapshot *snap,
						   u32 cpu);

/*
 * Copy the facts the header gives into @p (the others are left alone):
 * boot-CPU facts, tsc_khz, hyperv_evmcs and every param line; and, if
 * @boot is not NULL, boot_cpuid_sig from its CPUID.1:EAX.
 * The header's kvm line is not applied: pass hdr->kvm to
 * vp_params_defaults() first if VP_SNAP_HAS_KVM is set.
 */
void vp_snapshot_fill_params(const struct vp_snapshot_header *hdr,
			     const struct vp_snapshot_cpu *boot,
			     struct vp_params *p);

/*
 * The kvm_amd side: copy the SVM facts the header gives, the boot_cpu_nx
 * fact and every kvm_amd parameter line (shared names from the kvm_intel
 * lines) into @p, which vp_svm_params_defaults() filled first.
 */
void vp_snapshot_fill_svm_params(const struct vp_snapshot_header *hdr,
				 struct vp_svm_params *p);

/* Whether the snapshot is of an AMD or Hygon machine: its boot_cpu_amd. */
bool vp_snapshot_is_svm(const struct vp_snapshot *snap);

#endif /* VMCS_PROBE_SNAPSHOT_H */
