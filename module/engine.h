/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs_probe engine: a pure-C mirror of how kvm_intel computes its VMX
 * configuration, for two kernel versions selected at run time.
 *
 * What is mirrored (function names are KVM's, arch/x86/kvm/vmx/):
 *  - setup_vmcs_config(), adjust_vmx_controls(), adjust_vmx_controls64()
 *    (vmx.c), including the VM-entry/VM-exit pair check, the EPT/VPID
 *    capability consistency check and the IA32_VMX_BASIC checks;
 *  - the parts of hardware_setup() (6.1) / vmx_hardware_setup() (6.12) that
 *    change module parameters or return an error;
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

/* The KVM whose behaviour is mirrored. */
enum vp_kvm {
	VP_KVM_6_1,	/* Debian 6.1.192 (linux-source-6.1) */
	VP_KVM_6_12,	/* Debian 6.12.117 (linux-source-6.12) */
	VP_KVM_NR,	/* the engine mirrors the versions above */
	/* Known only to kvm_layout.c (messages, struct vmcs_config), so far. */
	VP_KVM_7_2,	/* Debian 7.2.13 (linux-source-7.2) */
	VP_KVM_7_3,	/* Debian 7.3.4 (linux-source-7.3) */
	VP_KVM_KNOWN_NR,
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
 * same in 6.1 and 6.12 (vmx.c, nested.c, sgx.c, x86.c): a designated
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

	/* Kconfig of the mirrored kernel */
	bool config_x86_64;		/* CONFIG_X86_64=y */
	bool config_hyperv;		/* IS_ENABLED(CONFIG_HYPERV): m */
	bool config_x86_sgx_kvm;	/* CONFIG_X86_SGX_KVM=y */
	bool config_kvm_hyperv;		/* CONFIG_KVM_HYPERV (6.12: y) */
	bool config_kvm_intel_prove_ve;	/* CONFIG_KVM_INTEL_PROVE_VE (6.12: n) */
};

/*
 * kvm_intel's parameters by their sysfs names (/sys/module/kvm_intel/
 * parameters/<name>, the same in 6.1 and 6.12), in alphabetical order:
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
	u16 offset;			/* in struct vp_params */
};

#define VP_NR_KVM_PARAMS	21
extern const struct vp_kvm_param vp_kvm_params[VP_NR_KVM_PARAMS];

/* The entry named @name (@len bytes, no NUL needed), or NULL. */
const struct vp_kvm_param *vp_kvm_param_find(const char *name, size_t len);
u32 vp_kvm_param_get(const struct vp_params *p, const struct vp_kvm_param *d);
/* @val is 0 or 1 for a bool. */
void vp_kvm_param_set(struct vp_params *p, const struct vp_kvm_param *d,
		      u32 val);
/* Whether kvm_intel has the parameter, given @p's Kconfig facts. */
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
