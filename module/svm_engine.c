// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs_probe SVM engine: what kvm_amd decides on AMD and Hygon CPUs, the
 * way the KVM of Debian's 6.1, 6.12, 7.2 or 7.3 kernel does it
 * (svm_engine.h says what is mirrored).  Each function names the KVM
 * function it follows.
 *
 * Where Debian's 6.1.192 and 6.12.117 kvm_amd differ, and this file
 * follows (rows of vp_svm_kvms[]):
 *  - the support check of the load: 6.1 cpu_has_svm() asks boot_cpu_data
 *    (vendor and X86_FEATURE_SVM, the AND over every CPU brought up), then
 *    is_disabled() reads VM_CR on the loading CPU; 6.12
 *    __kvm_is_svm_supported() asks cpu_data() of the loading CPU, under
 *    migrate_disable(), and never reads VM_CR;
 *  - the per-CPU check: 6.1 svm_check_processor_compat() returns 0, so a
 *    CPU without SVM passes; 6.12's runs __kvm_is_svm_supported() on each
 *    online CPU and fails the load with -EIO ("SVM not supported by CPU N")
 *    and, from 6.3's hotplug check on, keeps such a CPU from coming online;
 *  - 6.12 advertises FLUSHBYASID to L1 whenever nested is on, and has the
 *    vnmi parameter (VNMI, needing vgif);
 *  - sev_hardware_setup(): 6.12 also wants nrips and FLUSHBYASID, and has
 *    sev_snp and debug_swap, which resolve with SEV-ES.
 * Everything else used here is the same in both: the NX requirement, the
 * parameter adjustments, pause filtering, AVIC's dependence on NPT, and the
 * 0x8000000A leaf's EAX (revision 1), EBX (8 ASIDs) and ECX (0).
 *
 * Debian's 7.2.13 and 7.3.4 kvm_amd against 6.12.117 (svm.c, avic.c, sev.c,
 * nested.c, cpuid.c, x86.c, arch/x86/virt/hw.c; 7.2 and 7.3 are equal in
 * all of it, so both take one row):
 *  - the support check, svm_check_processor_compat(), the NX requirement,
 *    pause filtering, nrips, lbrv, vls, vgif, vnmi and SEV's gates
 *    (nrips, FLUSHBYASID, DECODEASSISTS) are unchanged;
 *  - avic defaults to "auto" (AVIC_AUTO_MODE): avic_want_avic_enabled()
 *    turns it on when boot_cpu_data has X2AVIC and is Zen 4 (AMD family
 *    0x19, models 0x10-0x1f and 0x60-0xaf, amd.c bsp_init_amd()) or of
 *    family 0x1a or later; avic=0/1 given behave as before
 *    (.avic_auto_mode);
 *  - the new gmet parameter (default on) is cleared without NPT or
 *    without GMET in boot_cpu_data, and svm_set_cpu_caps() advertises GMET
 *    to L1 when it stays on (.has_gmet);
 *  - kvm_amd exposes kvm.ko's enable_ipiv: cleared when AVIC ends up off
 *    (enable_apicv), and by avic_hardware_setup() on family 0x17 and 0x18
 *    (erratum 1235) (.has_ipiv);
 *  - debug_swap is no longer a parameter (.has_debug_swap, 6.12 only);
 *    ciphertext_hiding_asids is new and only moves with SEV-SNP, past
 *    what is mirrored;
 *  - arch/x86/virt/hw.c: SVM's EFER.SVME enabling moved out of kvm_amd
 *    into the kernel; x86_virt_init() picks SVM from the boot CPU alone,
 *    at identify_boot_cpu(), before any other CPU is up, and kvm_amd's
 *    svm_enable_virtualization_cpu() then fails with -EOPNOTSUPP on every
 *    CPU when the boot CPU had no SVM.  The load never gets there in that
 *    case: svm_check_processor_compat() fails it first with -EIO on CPU 0,
 *    which is always online, so no row field follows it.
 *  - also new and not mirrored: enable_device_posted_irqs (needs the
 *    IOMMU's posting capability) and enable_mediated_pmu (needs the host
 *    PMU's mediated support): neither is reported.
 *
 * Not mirrored: the CR4 reserved-bits comparison that precedes
 * svm_check_processor_compat() (kvm_x86_check_processor_compatibility(),
 * equal on CPUs that differ only in SVM); an SEV guest host
 * (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)) and an SEV-SNP host's AVIC
 * gate; and sev_hardware_setup() past X86_FEATURE_SEV (ASID counts, PSP
 * firmware): a CPU with SEV gets VP_SVM_WARN_SEV_UNRESOLVED instead.
 */
#include "svm_engine.h"

/* What differs between the kvm_amd versions mirrored. */
struct vp_svm_kvm {
	bool support_from_boot_cpu;	/* 6.1 cpu_has_svm(): boot_cpu_data */
	bool load_reads_vm_cr;		/* 6.1 is_disabled() */
	bool compat_checks_svm;		/* 6.12 svm_check_processor_compat() */
	bool cap_flushbyasid;		/* 6.12 svm_set_cpu_caps() */
	bool has_vnmi;			/* 6.12 vnmi= */
	bool sev_needs_nrips;		/* 6.12 sev_hardware_setup() */
	bool sev_needs_flushbyasid;	/* 6.12 sev_hardware_setup() */
	bool has_sev_snp;		/* 6.12 sev_snp= */
	bool has_debug_swap;		/* 6.12 debug_swap= */
	bool avic_auto_mode;		/* 7.x avic=auto */
	bool has_gmet;			/* 7.x gmet= */
	bool has_ipiv;			/* 7.x enable_ipiv= */
};

#define VP_SVM_KVM_7_X						\
	{							\
		.compat_checks_svm = true,			\
		.cap_flushbyasid = true,			\
		.has_vnmi = true,				\
		.sev_needs_nrips = true,			\
		.sev_needs_flushbyasid = true,			\
		.has_sev_snp = true,				\
		.avic_auto_mode = true,				\
		.has_gmet = true,				\
		.has_ipiv = true,				\
	}

static const struct vp_svm_kvm vp_svm_kvms[VP_KVM_NR] = {
	[VP_KVM_6_1] = {
		.support_from_boot_cpu = true,
		.load_reads_vm_cr = true,
	},
	[VP_KVM_6_12] = {
		.compat_checks_svm = true,
		.cap_flushbyasid = true,
		.has_vnmi = true,
		.sev_needs_nrips = true,
		.sev_needs_flushbyasid = true,
		.has_sev_snp = true,
		.has_debug_swap = true,
	},
	[VP_KVM_7_2] = VP_SVM_KVM_7_X,
	[VP_KVM_7_3] = VP_SVM_KVM_7_X,
};

static const struct vp_svm_kvm *vp_svm_kvm(enum vp_kvm kvm)
{
	return &vp_svm_kvms[kvm < VP_KVM_NR ? kvm : VP_KVM_NR - 1];
}

static bool vp_boot_has(const struct vp_svm_params *p, unsigned int bit)
{
	return p->boot_svm_edx & BIT(bit);
}

void vp_svm_params_defaults(struct vp_svm_params *p, enum vp_kvm kvm)
{
	*p = (struct vp_svm_params){
		.kvm = kvm,
		VP_SVM_PARAM_DEFAULTS,
		.boot_amd = true,
		.boot_svm = true,
		.boot_nx = true,
		.config_x86_64 = true,
	};
}

enum vp_svm_support vp_svm_support(const struct vp_svm_cpu *c)
{
	if (!c->amd)
		return VP_SVM_NOT_AMD;
	if (!c->cpu_has_svm)
		return VP_SVM_NO_SVM;
	if (!c->vm_cr_fault && (c->vm_cr & VP_VM_CR_SVMDIS))
		return VP_SVM_DISABLED;
	return VP_SVM_OK;
}

/*
 * Mirror of cpu_has_svm() + is_disabled() (6.1, from kvm_x86_vendor_init())
 * and of kvm_is_svm_supported() (6.12, from svm_init()).  6.1's rdmsrl() of
 * VM_CR is unchecked: a fault reads as 0.
 */
int vp_svm_load_check(const struct vp_svm_params *p,
		      const struct vp_svm_cpu *here, enum vp_svm_error *err)
{
	const struct vp_svm_kvm *k = vp_svm_kvm(p->kvm);
	bool amd = k->support_from_boot_cpu ? p->boot_amd : here->amd;
	bool svm = k->support_from_boot_cpu ? p->boot_svm : here->cpu_has_svm;

	*err = VP_SVM_ERR_NONE;
	if (!amd)
		*err = VP_SVM_ERR_NOT_AMD;
	else if (!svm)
		*err = VP_SVM_ERR_NO_SVM;
	else if (k->load_reads_vm_cr && !here->vm_cr_fault &&
		 (here->vm_cr & VP_VM_CR_SVMDIS))
		*err = VP_SVM_ERR_BIOS_DISABLED;
	return *err ? -EOPNOTSUPP : 0;
}

/* X86_FEATURE_ZEN4 as 7.x's bsp_init_amd() sets it (never on Hygon). */
static bool vp_svm_boot_zen4(const struct vp_svm_params *p)
{
	return p->boot_family == 0x19 &&
	       ((p->boot_model >= 0x10 && p->boot_model <= 0x1f) ||
		(p->boot_model >= 0x60 && p->boot_model <= 0xaf));
}

/*
 * Mirror of avic_hardware_setup() (7.x: and avic_want_avic_enabled()):
 * AVIC needs NPT and the CPU's (or force); 7.x's "auto" asks for x2AVIC
 * on Zen 4 or later, and 7.x turns IPI virtualization off on family 0x17
 * and 0x18.
 */
static void vp_svm_avic_hardware_setup(struct vp_svm_params *p)
{
	const struct vp_svm_kvm *k = vp_svm_kvm(p->kvm);

	if (k->avic_auto_mode && p->avic_auto)
		p->avic = vp_boot_has(p, VP_SVM_X2AVIC) &&
			  (vp_svm_boot_zen4(p) || p->boot_family >= 0x1a);
	p->avic = p->avic && p->npt &&
		  (vp_boot_has(p, VP_SVM_AVIC) || p->force_avic);
	if (!k->has_ipiv)
		return;
	if (p->avic && (p->boot_family == 0x17 || p->boot_family == 0x18))
		p->enable_ipiv = false;
	/* svm_hardware_setup(): !enable_apicv */
	if (!p->avic)
		p->enable_ipiv = false;
}

/*
 * Mirror of sev_hardware_setup() up to X86_FEATURE_SEV.  Past it, what
 * decides (CPUID 0x8000001F ASIDs, the PSP) is not mirrored: the
 * parameters are left as given and the result is flagged.
 */
static void vp_svm_sev_hardware_setup(struct vp_svm_params *p, u32 *warnings)
{
	const struct vp_svm_kvm *k = vp_svm_kvm(p->kvm);
	bool usable = p->sev && p->npt && (!k->sev_needs_nrips || p->nrips) &&
		      p->boot_sev && vp_boot_has(p, VP_SVM_DECODEASSISTS) &&
		      (!k->sev_needs_flushbyasid ||
		       vp_boot_has(p, VP_SVM_FLUSHBYASID));

	if (usable) {
		*warnings |= VP_SVM_WARN_SEV_UNRESOLVED;
		return;
	}
	p->sev = false;
	p->sev_es = false;
	if (k->has_sev_snp)
		p->sev_snp = false;
	if (k->has_debug_swap)
		p->debug_swap = false;
}

/*
 * Mirror of svm_hardware_setup(): the checks that fail the load and the
 * parameters it adjusts, in its order (6.12 settles nrips and lbrv before
 * SEV, 6.1 after; no decision depends on that order).
 */
static int vp_svm_hardware_setup(struct vp_svm_params *p,
				 struct vp_svm_setup *out)
{
	const struct vp_svm_kvm *k = vp_svm_kvm(p->kvm);

	if (!p->boot_nx) {
		out->error = VP_SVM_ERR_NO_NX;
		return -EOPNOTSUPP;
	}
	if (p->tsc_scaling && !vp_boot_has(p, VP_SVM_TSCRATEMSR))
		p->tsc_scaling = false;
	if (!vp_boot_has(p, VP_SVM_PAUSEFILTER)) {
		p->pause_filter_count = 0;
		p->pause_filter_thresh = 0;
	} else if (!vp_boot_has(p, VP_SVM_PFTHRESHOLD)) {
		p->pause_filter_thresh = 0;
	}
	/* Debian builds 64-bit kernels only: never the 2-level-paging case. */
	if (!vp_boot_has(p, VP_SVM_NP))
		p->npt = false;
	if (k->has_gmet && (!p->npt || !vp_boot_has(p, VP_SVM_GMET)))
		p->gmet = false;
	p->nrips = p->nrips && vp_boot_has(p, VP_SVM_NRIPS);
	p->lbrv = p->lbrv && vp_boot_has(p, VP_SVM_LBRV);
	vp_svm_sev_hardware_setup(p, &out->warnings);
	vp_svm_avic_hardware_setup(p);
	p->vls = p->vls && p->npt && vp_boot_has(p, VP_SVM_VMSAVE_VIRT) &&
		 p->config_x86_64;
	p->vgif = p->vgif && vp_boot_has(p, VP_SVM_VGIF);
	if (k->has_vnmi)
		p->vnmi = p->vgif && p->vnmi && vp_boot_has(p, VP_SVM_VNMI);
	return 0;
}

/*
 * Mirror of svm_set_cpu_caps() for the SVM words and of __do_cpuid_func()'s
 * case 0x8000000A: what KVM_GET_SUPPORTED_CPUID offers L1.
 */
static void vp_svm_set_cpu_caps(const struct vp_svm_params *p,
				struct vp_svm_setup *out)
{
	const struct vp_svm_kvm *k = vp_svm_kvm(p->kvm);
	u32 edx = 0;

	out->ext_ecx_svm = p->nested;
	if (!p->nested)
		return;
	edx |= BIT(VP_SVM_VMCBCLEAN) | BIT(VP_SVM_VMCB_ADDR_CHK);
	if (k->cap_flushbyasid)
		edx |= BIT(VP_SVM_FLUSHBYASID);
	if (p->nrips)
		edx |= BIT(VP_SVM_NRIPS);
	if (p->npt)
		edx |= BIT(VP_SVM_NP);
	if (p->tsc_scaling)
		edx |= BIT(VP_SVM_TSCRATEMSR);
	if (p->vls)
		edx |= BIT(VP_SVM_VMSAVE_VIRT);
	if (p->lbrv)
		edx |= BIT(VP_SVM_LBRV);
	edx |= p->boot_svm_edx & (BIT(VP_SVM_PAUSEFILTER) |
				  BIT(VP_SVM_PFTHRESHOLD));
	if (k->has_gmet && p->gmet)
		edx |= BIT(VP_SVM_GMET);
	if (p->vgif)
		edx |= BIT(VP_SVM_VGIF);
	if (k->has_vnmi && p->vnmi)
		edx |= BIT(VP_SVM_VNMI);

	out->svm_leaf[0] = 1;	/* SVM revision 1 */
	out->svm_leaf[1] = 8;	/* 8 ASIDs for nested SVM */
	out->svm_leaf[2] = 0;
	out->svm_leaf[3] = edx;
}

int vp_svm_compute_reference(const struct vp_svm_params *in,
			     const struct vp_svm_cpu *here,
			     struct vp_svm_setup *out)
{
	struct vp_svm_params *p = &out->effective;

	*out = (struct vp_svm_setup){ .effective = *in };
	out->ret = vp_svm_load_check(in, here, &out->error);
	if (!out->ret)
		out->ret = vp_svm_hardware_setup(p, out);
	if (!out->ret)
		vp_svm_set_cpu_caps(p, out);
	return out->ret;
}

/* Mirror of svm_check_processor_compat(). */
int vp_svm_check_processor_compat(enum vp_kvm kvm, const struct vp_svm_cpu *c)
{
	if (!vp_svm_kvm(kvm)->compat_checks_svm)
		return 0;
	return c->amd && c->cpu_has_svm ? 0 : -EIO;
}

/* ---- parameters and names ---- */

#define VP_SVM_PARAM(_name, _field, _type, _since, _until)		\
	{							\
		.name = _name, .type = VP_SVM_PARAM_##_type,	\
		.offset = offsetof(struct vp_svm_params, _field), \
		.since = VP_KVM_##_since, .until = VP_KVM_##_until \
	}

const struct vp_svm_param vp_svm_params[VP_SVM_NR_PARAMS] = {
	VP_SVM_PARAM("avic", avic, BOOL, 6_1, NR),
	VP_SVM_PARAM("debug_swap", debug_swap, BOOL, 6_12, 7_2),
	VP_SVM_PARAM("enable_ipiv", enable_ipiv, BOOL, 7_2, NR),
	VP_SVM_PARAM("force_avic", force_avic, BOOL, 6_1, NR),
	VP_SVM_PARAM("gmet", gmet, BOOL, 7_2, NR),
	VP_SVM_PARAM("lbrv", lbrv, INT, 6_1, NR),
	VP_SVM_PARAM("nested", nested, INT, 6_1, NR),
	VP_SVM_PARAM("npt", npt, BOOL, 6_1, NR),
	VP_SVM_PARAM("nrips", nrips, INT, 6_1, NR),
	VP_SVM_PARAM("pause_filter_count", pause_filter_count, USHORT, 6_1, NR),
	VP_SVM_PARAM("pause_filter_thresh", pause_filter_thresh, USHORT, 6_1, NR),
	VP_SVM_PARAM("sev", sev, BOOL, 6_1, NR),
	VP_SVM_PARAM("sev_es", sev_es, BOOL, 6_1, NR),
	VP_SVM_PARAM("sev_snp", sev_snp, BOOL, 6_12, NR),
	VP_SVM_PARAM("tsc_scaling", tsc_scaling, INT, 6_1, NR),
	VP_SVM_PARAM("vgif", vgif, INT, 6_1, NR),
	VP_SVM_PARAM("vls", vls, INT, 6_1, NR),
	VP_SVM_PARAM("vnmi", vnmi, BOOL, 6_12, NR),
};

bool vp_svm_param_exists(enum vp_kvm kvm, const struct vp_svm_param *d)
{
	return kvm >= d->since && kvm < d->until;
}

u32 vp_svm_param_get(const struct vp_svm_params *p,
		     const struct vp_svm_param *d)
{
	const void *f = (const char *)p + d->offset;

	if (d->type == VP_SVM_PARAM_USHORT)
		return *(const u16 *)f;
	return *(const bool *)f;
}

void vp_svm_param_set(struct vp_svm_params *p, const struct vp_svm_param *d,
		      u32 val)
{
	void *f = (char *)p + d->offset;

	if (d->type == VP_SVM_PARAM_USHORT)
		*(u16 *)f = val;
	else
		*(bool *)f = val;
}

const struct vp_svm_param *vp_svm_param_find(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < VP_SVM_NR_PARAMS; i++) {
		const char *n = vp_svm_params[i].name;
		size_t j;

		for (j = 0; j < len && n[j] == name[j]; j++)
			;
		if (j == len && !n[j])
			return &vp_svm_params[i];
	}
	return NULL;
}

static const char * const vp_svm_support_names[] = {
	[VP_SVM_OK]	  = "supported",
	[VP_SVM_NOT_AMD]  = "not_amd_or_hygon",
	[VP_SVM_NO_SVM]	  = "no_svm",
	[VP_SVM_DISABLED] = "vm_cr_svmdis",
};

const char *vp_svm_support_name(enum vp_svm_support s)
{
	if (s >= ARRAY_SIZE(vp_svm_support_names))
		return "?";
	return vp_svm_support_names[s];
}

static const char * const vp_svm_error_ids[VP_SVM_ERR_NR] = {
	[VP_SVM_ERR_NONE]	   = "none",
	[VP_SVM_ERR_NOT_AMD]	   = "not_amd_or_hygon",
	[VP_SVM_ERR_NO_SVM]	   = "svm_not_available",
	[VP_SVM_ERR_BIOS_DISABLED] = "disabled_by_bios",
	[VP_SVM_ERR_NO_NX]	   = "no_nx",
};

const char *vp_svm_error_id(enum vp_svm_error err)
{
	return err < VP_SVM_ERR_NR ? vp_svm_error_ids[err] : "?";
}

/* CPUID Fn8000_000A_EDX as the APM names its bits; NULL: reserved. */
static const char * const vp_svm_feature_names[32] = {
	[VP_SVM_NP]			= "NP",
	[VP_SVM_LBRV]			= "LbrVirt",
	[VP_SVM_SVML]			= "SVML",
	[VP_SVM_NRIPS]			= "NRIPS",
	[VP_SVM_TSCRATEMSR]		= "TscRateMsr",
	[VP_SVM_VMCBCLEAN]		= "VmcbClean",
	[VP_SVM_FLUSHBYASID]		= "FlushByAsid",
	[VP_SVM_DECODEASSISTS]		= "DecodeAssists",
	[VP_SVM_PMCVIRT]		= "PmcVirt",
	[VP_SVM_PAUSEFILTER]		= "PauseFilter",
	[VP_SVM_PFTHRESHOLD]		= "PauseFilterThreshold",
	[VP_SVM_AVIC]			= "AVIC",
	[VP_SVM_VMSAVE_VIRT]		= "VMSAVEvirt",
	[VP_SVM_VGIF]			= "VGIF",
	[VP_SVM_GMET]			= "GMET",
	[VP_SVM_X2AVIC]			= "x2AVIC",
	[VP_SVM_SSSCHECK]		= "SSSCheck",
	[VP_SVM_SPECCTRL]		= "SpecCtrl",
	[VP_SVM_ROGPT]			= "ROGPT",
	[VP_SVM_HOST_MCE_OVERRIDE]	= "HOST_MCE_OVERRIDE",
	[VP_SVM_TLBICTL]		= "TlbiCtl",
	[VP_SVM_VNMI]			= "VNMI",
	[VP_SVM_IBSVIRT]		= "IbsVirt",
	[VP_SVM_EXTLVT_AVIC_ACCESS_CHG]	= "ExtLvtAvicAccessChg",
	[VP_SVM_VMCB_ADDR_CHK]		= "NestedVirtVmcbAddrChk",
	[VP_SVM_BUS_LOCK_THRESHOLD]	= "BusLockThreshold",
	[VP_SVM_IDLE_HLT]		= "IdleHltIntercept",
};

const char *vp_svm_feature_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(vp_svm_feature_names) ?
		       vp_svm_feature_names[bit] :
		       NULL;
}
