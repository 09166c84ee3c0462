/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs_probe engine: a pure-C mirror of how kvm_intel computes its VMX
 * configuration, for several KVM versions (rows of vp_kvm_versions[],
 * engine.c) selected at run time.
 *
 * What is mirrored (function names are KVM's, arch/x86/kvm/vmx/):
 *  - setup_vmcs_config(), adjust_vmx_controls(), adjust_vmx_controls64()
 *    (vmx.c), including the VM-entry/VM-exit pair check, the EPT/VPID
 *    capability consistency check and the IA32_VMX_BASIC checks;
 *  - the parts of hardware_setup() (6.1) / vmx_hardware_setup() (6.12 and
 *    later) that change module parameters or return an error, and (7.x)
 *    the CET capabilities vmx_set_cpu_caps() leaves for nested setup;
 *  - nested_vmx_setup_ctls_msrs() (nested.c) and vmx_get_vmx_msr(), i.e.
 *    what KVM_GET_MSRS on the /dev/kvm system fd returns for 0x480..0x491;
 *  - vmx_check_processor_compat(): the per-CPU recomputation and comparison;
 *  - __kvm_is_vmx_supported() together with init_ia32_feat_ctl().
 *
 * The engine has no kernel dependencies, allocates nothing, prints nothing
 * and has no mutable globals: it may run with preemption or interrupts
 * disabled.  All hardware access goes through struct vp_reader, in the order
 * KVM does it, so that a caller can trace on which CPU every access ran.
 */
#ifndef VMCS_PROBE_ENGINE_H
#define VMCS_PROBE_ENGINE_H

#include "vmx_types.h"
#include "vmx_bits.h"

/* The KVM whose behaviour is mirrored, oldest first. */
enum vp_kvm {
	VP_KVM_6_1,	/* Debian 6.1.192 (linux-source-6.1) */
	VP_KVM_6_12,	/* Debian 6.12.117 (linux-source-6.12) */
	VP_KVM_7_2,	/* Debian 7.2.13 (linux-source-7.2, sid) */
	VP_KVM_7_3,	/* Debian 7.3.4 (linux-source-7.3, trixie-backports) */
	VP_KVM_NR,
};

/*
 * Hardware access.  rdmsr() returns 0, or -EIO when the read faulted (the
 * value is then ignored: the engine substitutes 0, as the kernel's exception
 * fixup does for both rdmsr() and rdmsr_safe()).  cpuid_eax() returns EAX of
 * CPUID(leaf, subleaf 0) on the CPU being examined.
 */
struct vp_reader {
	int (*rdmsr)(void *ctx, u32 index, u64 *val);
	u32 (*cpuid_eax)(void *ctx, u32 leaf);
	void *ctx;
};

/*
 * Inputs.  Three kinds of facts:
 *  - kvm_intel/kvm module parameters.  vp_compute_reference() takes them as
 *    given on the command line and hands back the values hardware_setup()
 *    leaves behind ("effective"); vp_compute_cpu() wants the effective ones.
 *  - boot-CPU facts KVM consults through boot_cpu_has()/boot_cpu_data.  The
 *    caller must fill them in; the defaults are only placeholders.
 *  - build-time (Kconfig) facts of the mirrored kernel; default = Debian's
 *    config of that version.
 * Fields that the selected KVM version does not know are ignored.
 */
/*
 * The on/off parameters of kvm_intel.ko and kvm.ko and their defaults, the
 * same in every mirrored version that has them (vmx.c, nested.c, sgx.c,
 * x86.c; cet and mbec exist from 7.2): a designated
 * initializer list for any structure with these fields, so that
 * vp_params_defaults() and the module's own parameters share one copy.
 */
#define VP_KVM_BOOL_PARAM_DEFAULTS				\
	.vpid = true,						\
	.enable_vnmi = true,					\
	.flexpriority = true,					\
	.ept = true,						\
	.unrestricted_guest = true,				\
	.ept_ad = true,						\
	.enable_apicv = true,					\
	.enable_ipiv = true,					\
	.nested = true,						\
	.pml = true,						\
	.error_on_inconsistent_vmcs_config = true,		\
	.preemption_timer = true,				\
	.enable_sgx = true,					\
	.enable_shadow_vmcs = true,				\
	.enlightened_vmcs = true,				\
	.enable_cet = true,					\
	.enable_mbec = true,					\
	.allow_smaller_maxphyaddr = false

struct vp_params {
	enum vp_kvm kvm;

	/* kvm_intel.ko parameters (vmx.c, nested.c, sgx.c) */
	bool vpid;				/* vpid=1 */
	bool enable_vnmi;			/* vnmi=1 */
	bool flexpriority;			/* flexpriority=1 */
	bool ept;				/* ept=1 */
	bool unrestricted_guest;		/* unrestricted_guest=1 */
	bool ept_ad;				/* eptad=1 */
	bool enable_apicv;			/* enable_apicv=1 */
	bool enable_ipiv;			/* enable_ipiv=1 */
	bool nested;				/* nested=1 */
	bool pml;				/* pml=1 */
	bool error_on_inconsistent_vmcs_config;	/* =1 */
	bool preemption_timer;			/* preemption_timer=1 */
	bool enable_sgx;			/* sgx=1 */
	bool enable_shadow_vmcs;		/* enable_shadow_vmcs=1 */
	bool enlightened_vmcs;			/* enlightened_vmcs=1 */
	bool enable_cet;			/* cet=1 (7.2+) */
	bool enable_mbec;			/* mbec=1 (7.2+) */
	bool allow_smaller_maxphyaddr;		/* =0 */
	u32 ple_gap;				/* 128 */
	u32 ple_window;				/* 4096 */
	u32 ple_window_grow;			/* 2 */
	u32 ple_window_shrink;			/* 0 */
	u32 ple_window_max;			/* UINT_MAX */

	/* boot-CPU facts */
	u32 boot_cpuid_sig;		/* CPUID.1:EAX of the boot CPU */
	bool boot_cpu_intel;		/* boot_cpu_data.x86_vendor is Intel */
	bool boot_cpu_nx;		/* boot_cpu_has(X86_FEATURE_NX) */
	bool boot_cpu_umip;		/* boot_cpu_has(X86_FEATURE_UMIP) */
	bool boot_cpu_mpx;		/* boot_cpu_has(X86_FEATURE_MPX) */
	bool hyperv_evmcs_usable;	/* Hyper-V recommends eVMCS v1 and every
					 * online CPU has a VP assist page
					 */
	u32 tsc_khz;			/* tsc_khz, 0 if unknown */
	/* Read by 7.x only: */
	bool boot_cpu_shstk;		/* boot_cpu_has(X86_FEATURE_SHSTK) */
	bool boot_cpu_ibt;		/* boot_cpu_has(X86_FEATURE_IBT) */
	bool host_xss_cet;		/* boot_cpu_has(X86_FEATURE_XSAVES) and the
					 * host's IA32_XSS holds both CET states
					 */
	bool boot_cpu_hypervisor;	/* X86_FEATURE_HYPERVISOR */
	bool boot_vmx_basic_known;	/* boot_vmx_basic was read */
	u64 boot_vmx_basic;		/* the boot CPU's IA32_VMX_BASIC */
	u32 cpuid15_eax;		/* CPUID.15H (TSC/crystal ratio) EAX, EBX; */
	u32 cpuid15_ebx;		/* 0 where the leaf does not exist */

	/* Kconfig of the mirrored kernel */
	bool config_x86_64;		/* CONFIG_X86_64=y */
	bool config_hyperv;		/* IS_ENABLED(CONFIG_HYPERV): m */
	bool config_x86_sgx_kvm;	/* CONFIG_X86_SGX_KVM=y */
	bool config_kvm_hyperv;		/* CONFIG_KVM_HYPERV (6.12: y) */
	bool config_kvm_intel_prove_ve;	/* CONFIG_KVM_INTEL_PROVE_VE (6.12: n) */
};

/*
 * kvm_intel's parameters by their sysfs names (/sys/module/kvm_intel/
 * parameters/<name>, the same in every version that has them), in
 * alphabetical order:
 * the parameters the engine takes, which hardware setup may change.
 * Bools are 0/1; the ple_* are unsigned ints.  sgx exists only with
 * CONFIG_X86_SGX_KVM and enlightened_vmcs only with CONFIG_HYPERV
 * (vp_kvm_param_exists()).
 */
enum vp_kvm_param_type {
	VP_KVM_PARAM_BOOL,
	VP_KVM_PARAM_UINT,
};

/* The Kconfig option a parameter exists with (struct vp_kvm_param). */
enum vp_kvm_param_needs {
	VP_KVM_PARAM_ALWAYS,
	VP_KVM_PARAM_X86_SGX_KVM,	/* sgx.c */
	VP_KVM_PARAM_HYPERV,		/* vmx.c, under IS_ENABLED() */
};

struct vp_kvm_param {
	const char *name;
	enum vp_kvm_param_type type;
	enum vp_kvm_param_needs needs;
	enum vp_kvm since;		/* the first KVM that has it */
	u16 offset;			/* in struct vp_params */
};

#define VP_NR_KVM_PARAMS	23
extern const struct vp_kvm_param vp_kvm_params[VP_NR_KVM_PARAMS];

/* The entry named @name (@len bytes, no NUL needed), or NULL. */
const struct vp_kvm_param *vp_kvm_param_find(const char *name, size_t len);
u32 vp_kvm_param_get(const struct vp_params *p, const struct vp_kvm_param *d);
/* @val is 0 or 1 for a bool. */
void vp_kvm_param_set(struct vp_params *p, const struct vp_kvm_param *d,
		      u32 val);
/* Whether kvm_intel has the parameter, given @p's KVM and Kconfig facts. */
bool vp_kvm_param_exists(const struct vp_params *p,
			 const struct vp_kvm_param *d);

/*
 * What KVM's nested_vmx_setup_ctls_msrs() stores: the "true" control MSRs as
 * allowed-0 (low) / allowed-1 (high) words, and the other emulated MSRs.
 */
struct vp_nested_msrs {
	u64 basic;
	u32 pinbased_ctls_low;
	u32 pinbased_ctls_high;
	u32 procbased_ctls_low;
	u32 procbased_ctls_high;
	u32 exit_ctls_low;
	u32 exit_ctls_high;
	u32 entry_ctls_low;
	u32 entry_ctls_high;
	u32 misc_low;
	u32 misc_high;
	u64 cr0_fixed0;
	u64 cr0_fixed1;
	u64 cr4_fixed0;
	u64 cr4_fixed1;
	u64 vmcs_enum;
	u32 secondary_ctls_low;
	u32 secondary_ctls_high;
	u32 ept_caps;
	u32 vpid_caps;
	u64 vmfunc_controls;
};

/* Why a computation failed (what KVM returns is in the return value). */
enum vp_error {
	VP_ERR_NONE,
	VP_ERR_PROCBASED_REQUIRED,	/* required primary control missing */
	VP_ERR_SECONDARY_REQUIRED,	/* required secondary control missing */
	VP_ERR_EPT_CAP_WITHOUT_EPT,	/* EPT caps but no "enable EPT" */
	VP_ERR_VPID_CAP_WITHOUT_VPID,	/* VPID caps but no "enable VPID" */
	VP_ERR_EXIT_REQUIRED,		/* required VM-exit control missing */
	VP_ERR_PINBASED_REQUIRED,	/* required pin-based control missing */
	VP_ERR_ENTRY_REQUIRED,		/* required VM-entry control missing */
	VP_ERR_ENTRY_EXIT_PAIR,		/* VM-entry/VM-exit pair mismatch */
	VP_ERR_VMCS_SIZE,		/* VMX_BASIC VMCS size > 4096 */
	VP_ERR_32BIT_PHYS_ADDR,		/* VMX_BASIC[48] set on 64-bit */
	VP_ERR_VMCS_MEMTYPE,		/* VMX_BASIC memory type not WB */
	VP_ERR_NO_NX,			/* shadow paging without NX */
	VP_ERR_NR,
};

/*
 * Things KVM reports with pr_warn()/pr_err()/WARN() without failing (or
 * before failing): kept here so that the caller can report them.
 */
#define VP_WARN_EPT_CAP_WITHOUT_EPT	BIT(0)	/* pr_warn_once */
#define VP_WARN_VPID_CAP_WITHOUT_VPID	BIT(1)	/* pr_warn_once */
#define VP_WARN_ENTRY_EXIT_PAIR		BIT(2)	/* pr_warn_once */
#define VP_WARN_PERF_GLOBAL_CTRL_BUG	BIT(3)	/* erratum workaround */
#define VP_WARN_EVMCS_SANITIZED		BIT(4)	/* 6.12 eVMCS dropped bits */
#define VP_WARN_RDMSR_FAULT		BIT(5)	/* unchecked rdmsr faulted */
#define VP_WARN_EPT_VPID_CAP_FAULT	BIT(6)	/* rdmsr_safe faulted */
#define VP_WARN_BNDCFGS_LOST		BIT(7)	/* host BNDCFGS != 0 */
#define VP_WARN_VMXON_REVISION		BIT(8)	/* 7.x: VMXON region carries the
						 * boot CPU's revision, not this
						 * CPU's
						 */

struct vp_diag {
	u32 warnings;			/* VP_WARN_* */
	enum vp_error error;
	u32 error_msr;			/* MSR whose value caused the error */
	u64 error_bits;			/* missing required bits, bad value */
	u32 pair_entry_bits;		/* entry side of mismatched pairs */
	u32 pair_exit_bits;		/* exit side of mismatched pairs */
};

/*
 * The result.  The first group is KVM's struct vmcs_config, the part that
 * vmx_check_processor_compat() memcmp()s; vp_config_compare() compares
 * exactly that part (see vp_fields[] and VP_FIELD_COMPARED).
 */
struct vp_config {
	/* == KVM's struct vmcs_config == */
	u64 basic;			/* IA32_VMX_BASIC as read */
	u32 pin_based_exec_ctrl;
	u32 cpu_based_exec_ctrl;
	u32 secondary_exec_ctrl;
	u64 tertiary_exec_ctrl;
	u32 vmexit_ctrl;
	u32 vmentry_ctrl;
	u64 misc;			/* IA32_VMX_MISC as read */
	struct vp_nested_msrs nested;	/* zero unless nested=1 */

	/* == derived from basic (6.1 stores them instead of basic) == */
	u32 revision_id;
	u32 vmcs_size;
	u32 order;			/* page order of a VMCS allocation */

	/* == KVM's struct vmx_capability, not compared by KVM == */
	u32 ept_caps;
	u32 vpid_caps;

	/* == bookkeeping == */
	enum vp_kvm kvm;
	bool nested_enabled;		/* KVM reports the nested MSRs */
	bool kvm_cet;			/* 7.x: KVM supports SHSTK or IBT (the
					 * reference's; vp_kvm_cet_caps())
					 */
	struct vp_diag diag;
};

/* Result of vp_vmx_support(). */
enum vp_support {
	VP_VMX_OK,
	VP_VMX_UNSUPPORTED,		/* CPUID.1:ECX.VMX is 0 */
	VP_VMX_DISABLED,		/* IA32_FEAT_CTL forbids VMXON */
};

void vp_params_defaults(struct vp_params *p, enum vp_kvm kvm);

int vp_compute_reference(const struct vp_params *in,
			 const struct vp_reader *r,
			 struct vp_config *out,
			 struct vp_params *effective);

int vp_compute_cpu(const struct vp_params *effective,
		   const struct vp_config *ref,
		   const struct vp_reader *r,
		   struct vp_config *out);

/* Called for a field @f that differs: its value in the reference and here. */
typedef void (*vp_field_diff_fn)(void *ctx, const struct vp_field *f,
				 u64 ref_val, u64 cpu_val);

int vp_config_compare(const struct vp_config *ref,
		      const struct vp_config *cpu, vp_field_diff_fn diff,
		      void *ctx);

int vp_nested_msr(const struct vp_config *cfg, u32 index, u64 *val);

enum vp_support vp_vmx_support(bool cpuid_vmx, bool feat_ctl_ok,
			       u64 feat_ctl, bool tboot);

/* How vmx_check_processor_compat() reports a CPU whose config differs. */
enum vp_compat_msg {
	VP_MSG_FEATURE_INCONSISTENCY,	/* kvm: CPU %d feature inconsistency! */
	VP_MSG_INCONSISTENT_VMCS,	/* Inconsistent VMCS config on CPU %d */
	VP_MSG_OFFSETS,			/* VMCS config on CPU %d doesn't match
					 * reference config: and one line
					 * "Offset %u REF = 0x%08x, CPU%u =
					 * 0x%08x, mismatch = 0x%08x" per u32
					 * word that differs
					 */
};

/*
 * One mirrored KVM, a row of vp_kvm_versions[] (engine.c, whose header
 * lists every difference with where it comes from).  A difference in a
 * set or a yes/no is data; a difference in code is a function named after
 * the first version with that code.  Adding a version is one row plus
 * the functions that changed.
 */
struct vp_kvm_version {
	const char *name;		/* "6.12": snapshots, kvm_version= */
	const char *source;		/* the Debian source package read */
	unsigned int major, minor;	/* its kernel release */
	enum vp_compat_msg compat_msg;

	/* setup_vmcs_config(): optional controls beyond 6.1's (vmx.h) */
	u32 sec_opt;
	u32 exit_opt;
	u32 entry_opt;
	/* how many rows of the entry/exit pair table, and whether the check
	 * goes through them all before failing (7.x's macro) or stops at the
	 * first
	 */
	unsigned int nr_entry_exit_pairs;
	bool pairs_check_all;
	/* EPT-violation #VE: asked for, kept only with PROVE_VE, dropped with
	 * inconsistent EPT capabilities
	 */
	bool ept_violation_ve;
	/* mode-based EPT execute control: dropped with inconsistent EPT
	 * capabilities or without advanced VM-exit information; the mbec=
	 * parameter; offered to L1 with mbec=1
	 */
	bool mbec;
	bool (*perf_global_ctrl_bug)(const struct vp_params *p);
	bool perf_global_ctrl_in_config;	/* else only a warning */
	bool evmcs_sanitize;
	u32 revision_mask;		/* revision_id = low word & mask */

	/* vmx_init() and hardware setup */
	bool feat_ctl_of_loading_cpu;	/* else the boot CPU's flags */
	bool smaller_maxphyaddr_after_setup; /* from enable_ept, not ept= */
	bool cet;			/* cet=, kvm_cpu_caps SHSTK/IBT */
	u64 (*preemption_timer_max)(const struct vp_params *p);
	bool vmxon_revision_of_boot_cpu; /* arch/x86/virt/hw.c */

	/* nested_vmx_setup_ctls_msrs() */
	void (*nested_vmfunc)(const struct vp_params *p,
			      const struct vp_config *conf,
			      const struct vp_config *global,
			      struct vp_nested_msrs *n);
	bool (*umip_emulated)(const struct vp_params *p,
			      const struct vp_config *global);
	u64 (*vmcs_enum)(const struct vp_config *global);
	u32 nested_ept_caps;		/* EPT capabilities passed through */
	u64 nested_basic;		/* IA32_VMX_BASIC bits passed through */
	bool nested_cet;		/* CET state controls with kvm's CET */

	/* Debian's config of that kernel */
	bool config_kvm_hyperv;
};

/* vp_compute_reference() with the rules of row @v (vp_kvm_rules[]). */
int vp_compute_reference_row(const struct vp_kvm_version *v,
			     const struct vp_params *in,
			     const struct vp_reader *r,
			     struct vp_config *out,
			     struct vp_params *effective);

/*
 * A rule of the version table: the row fields it is made of, and whether
 * a row has the behaviour @yes describes (else @no).  vmcsctl diff --kvm recomputes with one
 * rule of one version taken into the other to name what makes a
 * difference.
 */
struct vp_kvm_rule {
	const char *id;
	struct {
		u16 at, len;		/* offset and size in the row */
	} field[2];			/* what it copies (len 0: nothing) */
	/*
	 * @yes applies to a row whose fields equal those of row @since, the
	 * first with the later behaviour; of field[0], only the bits in
	 * @mask when it is not 0 (a rule about one member of a set).
	 */
	enum vp_kvm since;
	u64 mask;
	const char *yes, *no;
};

/* Copy rule @r from row @src into row @dst. */
void vp_kvm_rule_take(const struct vp_kvm_rule *r,
		      struct vp_kvm_version *dst,
		      const struct vp_kvm_version *src);
/* Whether row @v has the later behaviour of rule @r (its @yes). */
bool vp_kvm_rule_is(const struct vp_kvm_rule *r,
		    const struct vp_kvm_version *v);
/* What row @v does under rule @r. */
const char *vp_kvm_rule_says(const struct vp_kvm_rule *r,
			     const struct vp_kvm_version *v);

extern const struct vp_kvm_rule vp_kvm_rules[];
extern const unsigned int vp_nr_kvm_rules;

/* The row of @kvm (never NULL: out of range gives the newest). */
const struct vp_kvm_version *vp_kvm_version(enum vp_kvm kvm);
/*
 * The KVM to mirror on kernel @major.@minor: its own row, or else the
 * newest older one (*@exact false), or the oldest for older kernels.
 */
enum vp_kvm vp_kvm_for_kernel(unsigned int major, unsigned int minor,
			      bool *exact);
const char *vp_kvm_name(enum vp_kvm kvm);
/* The KVM named by the @len bytes at @s ("6.1", "6.12"): true and *@kvm. */
bool vp_kvm_parse(const char *s, size_t len, enum vp_kvm *kvm);
const char *vp_error_name(enum vp_error err);
/* One-word names, for files and scripts: "entry_exit_pair", ... */
const char *vp_error_id(enum vp_error err);
/* Name of the VP_WARN_* bit number @bit, or NULL past the last one. */
const char *vp_warning_id(unsigned int bit);
const char *vp_support_name(enum vp_support s);
u64 vp_field_get(const struct vp_config *cfg, const struct vp_field *f);

#endif /* VMCS_PROBE_ENGINE_H */
