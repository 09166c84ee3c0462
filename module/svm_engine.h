/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs_probe SVM engine: a pure-C mirror of how kvm_amd decides, on AMD
 * and Hygon CPUs, whether it loads, which of its parameters survive
 * svm_hardware_setup(), which CPUs pass its per-CPU check, and what
 * nested-SVM capabilities KVM_GET_SUPPORTED_CPUID then offers userspace.
 *
 * What is mirrored (function names are KVM's, arch/x86/kvm/svm/ and
 * arch/x86/kvm/):
 *  - 6.1 has_svm() and cpu_has_svm() (asm/virtext.h) with is_disabled();
 *    6.12 kvm_is_svm_supported() / __kvm_is_svm_supported();
 *  - svm_hardware_setup() and the parts of avic_hardware_setup() and
 *    sev_hardware_setup() that change a parameter or fail the load;
 *  - svm_set_cpu_caps() for CPUID 0x80000001 ECX.SVM and 0x8000000A, and
 *    __do_cpuid_func()'s case 0x8000000A (cpuid.c);
 *  - svm_check_processor_compat() as kvm_x86_vendor_init() (6.12) or
 *    kvm_init() (6.1) calls it on every online CPU.
 *
 * Unlike VMX there is no per-CPU configuration to compare: kvm_amd takes
 * every setup decision from boot_cpu_data, which the kernel keeps as the
 * intersection of the features of every CPU it has brought up.  Where the
 * load runs only matters for the support check (and, in 6.1, for VM_CR).
 *
 * Same rules as engine.c: no kernel calls, no allocation, no printing, no
 * writable globals.
 */
#ifndef VMCS_PROBE_SVM_ENGINE_H
#define VMCS_PROBE_SVM_ENGINE_H

#include "engine.h"
#include "svm_regs.h"

/*
 * kvm_amd's parameters and their defaults (svm.c, avic.c, sev.c; x86.h
 * for the pause filter): a designated initializer list, so that
 * vp_svm_params_defaults() and the module's own parameters share one copy.
 * avic's default is "auto": off in 6.1 and 6.12, decided from the CPU in
 * 7.x (AVIC_AUTO_MODE); a KVM without a parameter ignores it.
 */
#define VP_SVM_PARAM_DEFAULTS					\
	.npt = true,						\
	.nested = true,						\
	.nrips = true,						\
	.vls = true,						\
	.vgif = true,						\
	.lbrv = true,						\
	.tsc_scaling = true,					\
	.avic = false,						\
	.avic_auto = true,					\
	.gmet = true,						\
	.enable_ipiv = true,					\
	.force_avic = false,					\
	.vnmi = true,						\
	.sev = true,						\
	.sev_es = true,						\
	.sev_snp = true,					\
	.debug_swap = true,					\
	.pause_filter_thresh = 128,				\
	.pause_filter_count = 3000

/*
 * kvm_amd's parameters (svm.c, sev.c) as given, with KVM's defaults, and
 * the boot-CPU and Kconfig facts svm_hardware_setup() consults.  After
 * vp_svm_compute_reference() the parameters are the effective ones.
 */
struct vp_svm_params {
	enum vp_kvm kvm;

	/* kvm_amd.ko parameters */
	bool npt;			/* npt=1 */
	bool nested;			/* nested=1 */
	bool nrips;			/* nrips=1 */
	bool vls;			/* vls=1 */
	bool vgif;			/* vgif=1 */
	bool lbrv;			/* lbrv=1 */
	bool tsc_scaling;		/* tsc_scaling=1 */
	bool avic;			/* avic=0 (7.x: avic=auto) */
	bool avic_auto;			/* avic not given, or "auto" */
	bool gmet;			/* gmet=1 (7.x) */
	bool enable_ipiv;		/* enable_ipiv=1 (7.x; kvm.ko's) */
	bool force_avic;		/* force_avic=0 */
	bool vnmi;			/* vnmi=1 (6.12) */
	bool sev;			/* sev=1 */
	bool sev_es;			/* sev_es=1 */
	bool sev_snp;			/* sev_snp=1 (6.12) */
	bool debug_swap;		/* debug_swap=1 (6.12 only) */
	u16 pause_filter_thresh;	/* 128 */
	u16 pause_filter_count;		/* 3000 */

	/*
	 * boot_cpu_data: vendor and features, the AND over every CPU the
	 * kernel brought up (identify_secondary_cpu()).
	 */
	bool boot_amd;			/* AMD or Hygon */
	bool boot_svm;			/* X86_FEATURE_SVM */
	bool boot_nx;			/* X86_FEATURE_NX */
	bool boot_sev;			/* X86_FEATURE_SEV */
	u32 boot_family;		/* boot_cpu_data.x86 */
	u32 boot_model;			/* boot_cpu_data.x86_model */
	u32 boot_svm_edx;		/* word CPUID_8000_000A_EDX */

	/* Kconfig of the mirrored kernel */
	bool config_x86_64;		/* CONFIG_X86_64=y */
};

/* One CPU, as read on that CPU (or taken from a snapshot). */
struct vp_svm_cpu {
	bool amd;			/* cpu_data(cpu).x86_vendor AMD/Hygon */
	bool cpu_has_svm;		/* cpu_has(&cpu_data(cpu), X86_FEATURE_SVM) */
	u32 ext_ecx;			/* CPUID 0x80000001 ECX */
	u32 svm_leaf[4];		/* CPUID 0x8000000A EAX..EDX */
	u64 vm_cr;			/* VM_CR */
	bool vm_cr_fault;		/* reading VM_CR faulted */
};

/* What a CPU says about SVM, strongest reason first. */
enum vp_svm_support {
	VP_SVM_OK,
	VP_SVM_NOT_AMD,			/* vendor is neither AMD nor Hygon */
	VP_SVM_NO_SVM,			/* the kernel's SVM flag is clear */
	VP_SVM_DISABLED,		/* VM_CR.SVMDIS set by firmware */
};

/* Why the load fails. */
enum vp_svm_error {
	VP_SVM_ERR_NONE,
	VP_SVM_ERR_NOT_AMD,		/* -EOPNOTSUPP before any setup */
	VP_SVM_ERR_NO_SVM,		/* -EOPNOTSUPP before any setup */
	VP_SVM_ERR_BIOS_DISABLED,	/* 6.1 is_disabled(): -EOPNOTSUPP */
	VP_SVM_ERR_NO_NX,		/* svm_hardware_setup(): -EOPNOTSUPP */
	VP_SVM_ERR_NR,
};

/* sev_hardware_setup() went past what the engine mirrors (PSP, ASIDs). */
#define VP_SVM_WARN_SEV_UNRESOLVED	BIT(0)

/* The result of the setup of a load. */
struct vp_svm_setup {
	struct vp_svm_params effective;
	int ret;			/* 0 or KVM's errno */
	enum vp_svm_error error;
	u32 warnings;			/* VP_SVM_WARN_* */
	bool ext_ecx_svm;		/* KVM_GET_SUPPORTED_CPUID 0x80000001 ECX.SVM */
	u32 svm_leaf[4];		/* KVM_GET_SUPPORTED_CPUID 0x8000000A */
};

void vp_svm_params_defaults(struct vp_svm_params *p, enum vp_kvm kvm);

/* The CPU's own verdict (vendor, SVM flag, VM_CR), KVM version aside. */
enum vp_svm_support vp_svm_support(const struct vp_svm_cpu *c);

/*
 * The load's support check made on the CPU @here the load runs on (6.12),
 * or on the boot CPU's view with @here's VM_CR (6.1): 0 or -EOPNOTSUPP,
 * the reason in *@err.
 */
int vp_svm_load_check(const struct vp_svm_params *p,
		      const struct vp_svm_cpu *here, enum vp_svm_error *err);

/*
 * The load up to the per-CPU checks: the support check on @here, then
 * svm_hardware_setup() and the CPUID KVM offers.  Returns @out->ret.
 */
int vp_svm_compute_reference(const struct vp_svm_params *in,
			     const struct vp_svm_cpu *here,
			     struct vp_svm_setup *out);

/* svm_check_processor_compat() on CPU @c: 0 or -EIO. */
int vp_svm_check_processor_compat(enum vp_kvm kvm, const struct vp_svm_cpu *c);

/* kvm_amd's parameters by their sysfs names, and how sysfs shows them. */
enum vp_svm_param_type {
	VP_SVM_PARAM_BOOL,		/* "Y" / "N" */
	VP_SVM_PARAM_INT,		/* an int used as a bool: "1" / "0" */
	VP_SVM_PARAM_USHORT,
};

struct vp_svm_param {
	const char *name;
	enum vp_svm_param_type type;
	u16 offset;			/* in struct vp_svm_params */
	enum vp_kvm since;		/* the first KVM that has it */
	enum vp_kvm until;		/* the first that has it no more, or
					 * VP_KVM_NR
					 */
};

#define VP_SVM_NR_PARAMS	18
extern const struct vp_svm_param vp_svm_params[VP_SVM_NR_PARAMS];

bool vp_svm_param_exists(enum vp_kvm kvm, const struct vp_svm_param *d);
u32 vp_svm_param_get(const struct vp_svm_params *p,
		     const struct vp_svm_param *d);
/* The entry named @name (@len bytes), or NULL. */
const struct vp_svm_param *vp_svm_param_find(const char *name, size_t len);
/* @val is 0 or 1 for a bool. */
void vp_svm_param_set(struct vp_svm_params *p, const struct vp_svm_param *d,
		      u32 val);

const char *vp_svm_support_name(enum vp_svm_support s);
const char *vp_svm_error_id(enum vp_svm_error err);

#endif /* VMCS_PROBE_SVM_ENGINE_H */
