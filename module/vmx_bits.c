// SPDX-License-Identifier: GPL-2.0
/*
 * Data tables: the VMX capability MSRs, the bits the Intel SDM (Vol. 3,
 * Chapter 25 and Appendix A) defines in each of them, and the layout of
 * struct vp_config.  Human readable names follow the style of QEMU's
 * scripts/kvm/vmxcap; identifiers are short upper-case tags.
 */
#include "vmx_bits.h"
#include "vmx_regs.h"
#include "engine.h"

/* clang-format off */
#define B(bit, id, name)		{ (bit), 1, (id), (name) }
#define F(lo, width, id, name)		{ (lo), (width), (id), (name) }
#define END				{ 0, 0, NULL, NULL }
/* clang-format on */

const struct vp_bit vp_feat_ctl_bits[] = {
	B(0, "LOCKED", "Lock bit"),
	B(1, "VMX_INSIDE_SMX", "VMX inside SMX operation"),
	B(2, "VMX_OUTSIDE_SMX", "VMX outside SMX operation"),
	F(8, 7, "SENTER_LOCAL", "SENTER local function enables"),
	B(15, "SENTER_GLOBAL", "SENTER global enable"),
	B(17, "SGX_LC", "SGX launch control enable"),
	B(18, "SGX", "SGX global enable"),
	B(20, "LMCE", "LMCE on"),
	END
};

const struct vp_bit vp_basic_bits[] = {
	F(0, 31, "REVISION", "Revision"),
	F(32, 13, "VMCS_SIZE", "VMCS size"),
	B(48, "32BIT_PHYS_ADDR", "VMCS restricted to 32 bit addresses"),
	B(49, "DUAL_MONITOR", "Dual-monitor support"),
	F(50, 4, "MEM_TYPE", "VMCS memory type"),
	B(54, "INOUT", "INS/OUTS instruction information"),
	B(55, "TRUE_CTLS", "IA32_VMX_TRUE_*_CTLS support"),
	B(56, "NO_HW_ERRCODE_CHECK", "Skip checks on event error code"),
	B(58, "NESTED_EXCEPTION", "Nested-exception support"),
	END
};

const struct vp_bit vp_pin_bits[] = {
	B(0, "EXT_INTR_EXITING", "External interrupt exiting"),
	B(3, "NMI_EXITING", "NMI exiting"),
	B(5, "VIRTUAL_NMIS", "Virtual NMIs"),
	B(6, "PREEMPTION_TIMER", "Activate VMX-preemption timer"),
	B(7, "POSTED_INTR", "Process posted interrupts"),
	END
};

const struct vp_bit vp_cpu_bits[] = {
	B(2, "INTR_WINDOW_EXITING", "Interrupt window exiting"),
	B(3, "USE_TSC_OFFSETTING", "Use TSC offsetting"),
	B(7, "HLT_EXITING", "HLT exiting"),
	B(9, "INVLPG_EXITING", "INVLPG exiting"),
	B(10, "MWAIT_EXITING", "MWAIT exiting"),
	B(11, "RDPMC_EXITING", "RDPMC exiting"),
	B(12, "RDTSC_EXITING", "RDTSC exiting"),
	B(15, "CR3_LOAD_EXITING", "CR3-load exiting"),
	B(16, "CR3_STORE_EXITING", "CR3-store exiting"),
	B(17, "ACTIVATE_TERTIARY", "Activate tertiary controls"),
	B(19, "CR8_LOAD_EXITING", "CR8-load exiting"),
	B(20, "CR8_STORE_EXITING", "CR8-store exiting"),
	B(21, "TPR_SHADOW", "Use TPR shadow"),
	B(22, "NMI_WINDOW_EXITING", "NMI-window exiting"),
	B(23, "MOV_DR_EXITING", "MOV-DR exiting"),
	B(24, "UNCOND_IO_EXITING", "Unconditional I/O exiting"),
	B(25, "USE_IO_BITMAPS", "Use I/O bitmaps"),
	B(27, "MONITOR_TRAP_FLAG", "Monitor trap flag"),
	B(28, "USE_MSR_BITMAPS", "Use MSR bitmaps"),
	B(29, "MONITOR_EXITING", "MONITOR exiting"),
	B(30, "PAUSE_EXITING", "PAUSE exiting"),
	B(31, "ACTIVATE_SECONDARY", "Activate secondary control"),
	END
};

const struct vp_bit vp_sec_bits[] = {
	B(0, "VIRT_APIC_ACCESSES", "Virtualize APIC accesses"),
	B(1, "ENABLE_EPT", "Enable EPT"),
	B(2, "DESC_EXITING", "Descriptor-table exiting"),
	B(3, "ENABLE_RDTSCP", "Enable RDTSCP"),
	B(4, "VIRT_X2APIC_MODE", "Virtualize x2APIC mode"),
	B(5, "ENABLE_VPID", "Enable VPID"),
	B(6, "WBINVD_EXITING", "WBINVD exiting"),
	B(7, "UNRESTRICTED_GUEST", "Unrestricted guest"),
	B(8, "APIC_REGISTER_VIRT", "APIC-register virtualization"),
	B(9, "VIRT_INTR_DELIVERY", "Virtual interrupt delivery"),
	B(10, "PAUSE_LOOP_EXITING", "PAUSE-loop exiting"),
	B(11, "RDRAND_EXITING", "RDRAND exiting"),
	B(12, "ENABLE_INVPCID", "Enable INVPCID"),
	B(13, "ENABLE_VMFUNC", "Enable VM functions"),
	B(14, "SHADOW_VMCS", "VMCS shadowing"),
	B(15, "ENCLS_EXITING", "Enable ENCLS exiting"),
	B(16, "RDSEED_EXITING", "RDSEED exiting"),
	B(17, "ENABLE_PML", "Enable PML"),
	B(18, "EPT_VIOLATION_VE", "EPT-violation #VE"),
	B(19, "PT_CONCEAL_VMX", "Conceal non-root operation from PT"),
	B(20, "ENABLE_XSAVES", "Enable XSAVES/XRSTORS"),
	B(21, "PASID_TRANSLATION", "PASID translation"),
	B(22, "MODE_BASED_EPT_EXEC", "Mode-based execute control (XS/XU)"),
	B(23, "SUBPAGE_WRITE", "Sub-page write permissions"),
	B(24, "PT_USE_GPA", "GPA translation for PT"),
	B(25, "TSC_SCALING", "TSC scaling"),
	B(26, "USER_WAIT_PAUSE", "User wait and pause"),
	B(27, "ENABLE_PCONFIG", "Enable PCONFIG"),
	B(28, "ENCLV_EXITING", "ENCLV exiting"),
	B(30, "BUS_LOCK_DETECTION", "VMM bus-lock detection"),
	B(31, "INSTRUCTION_TIMEOUT", "Instruction timeout"),
	END
};

const struct vp_bit vp_ter_bits[] = {
	B(0, "LOADIWKEY_EXITING", "LOADIWKEY exiting"),
	B(1, "ENABLE_HLAT", "Enable HLAT"),
	B(2, "EPT_PAGING_WRITE", "EPT paging-write control"),
	B(3, "GUEST_PAGING_VERIFY", "Guest-paging verification"),
	B(4, "IPI_VIRT", "Enable IPI virtualization"),
	B(6, "ENABLE_MSRLIST", "Enable MSR-list instructions"),
	B(7, "VIRT_SPEC_CTRL", "Virtualize IA32_SPEC_CTRL"),
	END
};

const struct vp_bit vp_exit_bits[] = {
	B(2, "SAVE_DEBUG_CONTROLS", "Save debug controls"),
	B(9, "HOST_ADDR_SPACE_SIZE", "Host address-space size"),
	B(12, "LOAD_PERF_GLOBAL_CTRL", "Load IA32_PERF_GLOBAL_CTRL"),
	B(15, "ACK_INTR_ON_EXIT", "Acknowledge interrupt on exit"),
	B(18, "SAVE_PAT", "Save IA32_PAT"),
	B(19, "LOAD_PAT", "Load IA32_PAT"),
	B(20, "SAVE_EFER", "Save IA32_EFER"),
	B(21, "LOAD_EFER", "Load IA32_EFER"),
	B(22, "SAVE_PREEMPTION_TIMER", "Save VMX-preemption timer value"),
	B(23, "CLEAR_BNDCFGS", "Clear IA32_BNDCFGS"),
	B(24, "PT_CONCEAL_PIP", "Conceal VM exits from PT"),
	B(25, "CLEAR_RTIT_CTL", "Clear IA32_RTIT_CTL"),
	B(26, "CLEAR_LBR_CTL", "Clear IA32_LBR_CTL"),
	B(27, "CLEAR_UINV", "Clear UINV"),
	B(28, "LOAD_CET_STATE", "Load CET state"),
	B(29, "LOAD_PKRS", "Load PKRS"),
	B(30, "SAVE_PERF_GLOBAL_CTRL", "Save IA32_PERF_GLOBAL_CTL"),
	B(31, "ACTIVATE_SECONDARY", "Activate secondary controls"),
	END
};

const struct vp_bit vp_exit2_bits[] = {
	B(0, "SAVE_FRED", "Save IA32_FRED MSRs"),
	B(1, "LOAD_FRED", "Load IA32_FRED MSRs"),
	B(3, "PREMATURE_BUSY_SSTK", "Prematurely busy shadow stack"),
	END
};

const struct vp_bit vp_entry_bits[] = {
	B(2, "LOAD_DEBUG_CONTROLS", "Load debug controls"),
	B(9, "IA32E_MODE", "IA-32e mode guest"),
	B(10, "SMM", "Entry to SMM"),
	B(11, "DEACT_DUAL_MONITOR", "Deactivate dual-monitor treatment"),
	B(13, "LOAD_PERF_GLOBAL_CTRL", "Load IA32_PERF_GLOBAL_CTRL"),
	B(14, "LOAD_PAT", "Load IA32_PAT"),
	B(15, "LOAD_EFER", "Load IA32_EFER"),
	B(16, "LOAD_BNDCFGS", "Load IA32_BNDCFGS"),
	B(17, "PT_CONCEAL_PIP", "Conceal VM entries from PT"),
	B(18, "LOAD_RTIT_CTL", "Load IA32_RTIT_CTL"),
	B(19, "LOAD_UINV", "Load UINV"),
	B(20, "LOAD_CET_STATE", "Load CET state"),
	B(21, "LOAD_LBR_CTL", "Load guest IA32_LBR_CTL"),
	B(22, "LOAD_PKRS", "Load PKRS"),
	B(23, "LOAD_FRED", "Load IA32_FRED MSRs"),
	END
};

const struct vp_bit vp_misc_bits[] = {
	F(0, 5, "TIMER_RATE", "VMX-preemption timer scale (log2)"),
	B(5, "SAVE_EFER_LMA", "Store EFER.LMA into IA-32e mode guest control"),
	B(6, "ACTIVITY_HLT", "HLT activity state"),
	B(7, "ACTIVITY_SHUTDOWN", "Shutdown activity state"),
	B(8, "ACTIVITY_WAIT_SIPI", "Wait-for-SIPI activity state"),
	B(14, "INTEL_PT", "PT in VMX operation"),
	B(15, "RDMSR_SMBASE_IN_SMM", "IA32_SMBASE support"),
	F(16, 9, "CR3_TARGETS", "Number of CR3-target values"),
	F(25, 3, "MAX_MSR_LIST", "MSR-load/store count recommendation"),
	B(28, "VMXOFF_BLOCKS_SMI", "IA32_SMM_MONITOR_CTL[2] can be set to 1"),
	B(29, "VMWRITE_ANY_FIELD", "VMWRITE to VM-exit information fields"),
	B(30, "ZERO_LEN_INJECT", "Inject event with insn length=0"),
	F(32, 32, "MSEG_REVISION", "MSEG revision identifier"),
	END
};

/* EPT half (bits 31:0) of IA32_VMX_EPT_VPID_CAP. */
const struct vp_bit vp_ept_bits[] = {
	B(0, "EXECUTE_ONLY", "Execute-only EPT translations"),
	B(6, "PAGE_WALK_4", "Page-walk length 4"),
	B(7, "PAGE_WALK_5", "Page-walk length 5"),
	B(8, "MT_UC", "Paging-structure memory type UC"),
	B(14, "MT_WB", "Paging-structure memory type WB"),
	B(16, "2MB_PAGE", "2MB EPT pages"),
	B(17, "1GB_PAGE", "1GB EPT pages"),
	B(20, "INVEPT", "INVEPT supported"),
	B(21, "AD", "EPT accessed and dirty flags"),
	B(22, "ADV_EXIT_INFO", "Advanced VM-exit information for EPT violations"),
	B(23, "SSS_CONTROL", "Supervisor shadow-stack control"),
	B(25, "INVEPT_SINGLE_CTX", "Single-context INVEPT"),
	B(26, "INVEPT_ALL_CTX", "All-context INVEPT"),
	END
};

/* VPID half (bits 63:32) of IA32_VMX_EPT_VPID_CAP, numbered from bit 32. */
const struct vp_bit vp_vpid_bits[] = {
	B(0, "INVVPID", "INVVPID supported"),
	B(8, "INVVPID_ADDR", "Individual-address INVVPID"),
	B(9, "INVVPID_SINGLE_CTX", "Single-context INVVPID"),
	B(10, "INVVPID_ALL_CTX", "All-context INVVPID"),
	B(11, "INVVPID_SINGLE_NONGLOBAL", "Single-context-retaining-globals INVVPID"),
	F(16, 6, "HLAT_PREFIX_SIZE", "Maximum HLAT prefix size"),
	END
};

const struct vp_bit vp_vmfunc_bits[] = {
	B(0, "EPTP_SWITCHING", "EPTP Switching"),
	END
};

const struct vp_bit vp_vmcs_enum_bits[] = {
	F(1, 9, "MAX_INDEX", "Highest index value used for any VMCS encoding"),
	END
};

const struct vp_bit vp_cr0_bits[] = {
	B(0, "PE", "Protection enable"),
	B(1, "MP", "Monitor coprocessor"),
	B(2, "EM", "Emulation"),
	B(3, "TS", "Task switched"),
	B(4, "ET", "Extension type"),
	B(5, "NE", "Numeric error"),
	B(16, "WP", "Write protect"),
	B(18, "AM", "Alignment mask"),
	B(29, "NW", "Not write-through"),
	B(30, "CD", "Cache disable"),
	B(31, "PG", "Paging"),
	END
};

const struct vp_bit vp_cr4_bits[] = {
	B(0, "VME", "Virtual-8086 mode extensions"),
	B(1, "PVI", "Protected-mode virtual interrupts"),
	B(2, "TSD", "Time stamp disable"),
	B(3, "DE", "Debugging extensions"),
	B(4, "PSE", "Page size extensions"),
	B(5, "PAE", "Physical address extension"),
	B(6, "MCE", "Machine-check enable"),
	B(7, "PGE", "Page global enable"),
	B(8, "PCE", "Performance-monitoring counter enable"),
	B(9, "OSFXSR", "OS support for FXSAVE/FXRSTOR"),
	B(10, "OSXMMEXCPT", "OS support for unmasked SIMD FP exceptions"),
	B(11, "UMIP", "User-mode instruction prevention"),
	B(12, "LA57", "57-bit linear addresses"),
	B(13, "VMXE", "VMX enable"),
	B(14, "SMXE", "SMX enable"),
	B(16, "FSGSBASE", "FSGSBASE enable"),
	B(17, "PCIDE", "PCID enable"),
	B(18, "OSXSAVE", "XSAVE and processor extended states enable"),
	B(19, "KL", "Key Locker enable"),
	B(20, "SMEP", "SMEP enable"),
	B(21, "SMAP", "SMAP enable"),
	B(22, "PKE", "Protection keys for user-mode pages"),
	B(23, "CET", "Control-flow enforcement technology"),
	B(24, "PKS", "Protection keys for supervisor-mode pages"),
	B(25, "UINTR", "User interrupts enable"),
	B(27, "LASS", "Linear-address-space separation"),
	B(28, "LAM_SUP", "Supervisor LAM enable"),
	B(32, "FRED", "Flexible return and event delivery"),
	END
};

/* clang-format off */
#define M(index, id, name, kind, bits, hi)	\
	{ (index), (id), (name), (kind), (bits), (hi) }
/* clang-format on */

const struct vp_msr vp_msrs[] = {
	M(VP_MSR_FEAT_CTL, "IA32_FEATURE_CONTROL", "Feature control",
	  VP_MSR_KIND_FEAT_CTL, vp_feat_ctl_bits, NULL),
	M(VP_MSR_VMX_BASIC, "IA32_VMX_BASIC", "Basic VMX Information",
	  VP_MSR_KIND_BASIC, vp_basic_bits, NULL),
	M(VP_MSR_VMX_PINBASED_CTLS, "IA32_VMX_PINBASED_CTLS",
	  "pin-based controls", VP_MSR_KIND_CTLS, vp_pin_bits, NULL),
	M(VP_MSR_VMX_PROCBASED_CTLS, "IA32_VMX_PROCBASED_CTLS",
	  "primary processor-based controls", VP_MSR_KIND_CTLS, vp_cpu_bits,
	  NULL),
	M(VP_MSR_VMX_EXIT_CTLS, "IA32_VMX_EXIT_CTLS", "VM-Exit controls",
	  VP_MSR_KIND_CTLS, vp_exit_bits, NULL),
	M(VP_MSR_VMX_ENTRY_CTLS, "IA32_VMX_ENTRY_CTLS", "VM-Entry controls",
	  VP_MSR_KIND_CTLS, vp_entry_bits, NULL),
	M(VP_MSR_VMX_MISC, "IA32_VMX_MISC", "Miscellaneous data",
	  VP_MSR_KIND_MISC, vp_misc_bits, NULL),
	M(VP_MSR_VMX_CR0_FIXED0, "IA32_VMX_CR0_FIXED0", "CR0 bits fixed to 1",
	  VP_MSR_KIND_FIXED0, vp_cr0_bits, NULL),
	M(VP_MSR_VMX_CR0_FIXED1, "IA32_VMX_CR0_FIXED1", "CR0 bits allowed to be 1",
	  VP_MSR_KIND_FIXED1, vp_cr0_bits, NULL),
	M(VP_MSR_VMX_CR4_FIXED0, "IA32_VMX_CR4_FIXED0", "CR4 bits fixed to 1",
	  VP_MSR_KIND_FIXED0, vp_cr4_bits, NULL),
	M(VP_MSR_VMX_CR4_FIXED1, "IA32_VMX_CR4_FIXED1", "CR4 bits allowed to be 1",
	  VP_MSR_KIND_FIXED1, vp_cr4_bits, NULL),
	M(VP_MSR_VMX_VMCS_ENUM, "IA32_VMX_VMCS_ENUM", "VMCS enumeration",
	  VP_MSR_KIND_VMCS_ENUM, vp_vmcs_enum_bits, NULL),
	M(VP_MSR_VMX_PROCBASED_CTLS2, "IA32_VMX_PROCBASED_CTLS2",
	  "secondary processor-based controls", VP_MSR_KIND_CTLS, vp_sec_bits,
	  NULL),
	M(VP_MSR_VMX_EPT_VPID_CAP, "IA32_VMX_EPT_VPID_CAP",
	  "VPID and EPT capabilities", VP_MSR_KIND_EPT_VPID, vp_ept_bits,
	  vp_vpid_bits),
	M(VP_MSR_VMX_TRUE_PINBASED_CTLS, "IA32_VMX_TRUE_PINBASED_CTLS",
	  "true pin-based controls", VP_MSR_KIND_CTLS, vp_pin_bits, NULL),
	M(VP_MSR_VMX_TRUE_PROCBASED_CTLS, "IA32_VMX_TRUE_PROCBASED_CTLS",
	  "true primary processor-based controls", VP_MSR_KIND_CTLS,
	  vp_cpu_bits, NULL),
	M(VP_MSR_VMX_TRUE_EXIT_CTLS, "IA32_VMX_TRUE_EXIT_CTLS",
	  "true VM-Exit controls", VP_MSR_KIND_CTLS, vp_exit_bits, NULL),
	M(VP_MSR_VMX_TRUE_ENTRY_CTLS, "IA32_VMX_TRUE_ENTRY_CTLS",
	  "true VM-Entry controls", VP_MSR_KIND_CTLS, vp_entry_bits, NULL),
	M(VP_MSR_VMX_VMFUNC, "IA32_VMX_VMFUNC", "VM Functions",
	  VP_MSR_KIND_VMFUNC, vp_vmfunc_bits, NULL),
	M(VP_MSR_VMX_PROCBASED_CTLS3, "IA32_VMX_PROCBASED_CTLS3",
	  "tertiary processor-based controls", VP_MSR_KIND_CTLS64, vp_ter_bits,
	  NULL),
	M(VP_MSR_VMX_EXIT_CTLS2, "IA32_VMX_EXIT_CTLS2",
	  "secondary VM-Exit controls", VP_MSR_KIND_CTLS64, vp_exit2_bits,
	  NULL),
};

const unsigned int vp_nr_msrs = ARRAY_SIZE(vp_msrs);

/*
 * The size is part of the macro name rather than taken with sizeof(), which
 * would name the member twice; the host unit tests check every entry's
 * offset and size against the structure.
 */
/* clang-format off */
#define FLD32(member, flags, bits)					\
	{ #member, offsetof(struct vp_config, member), 4, (flags), (bits) }
#define FLD64(member, flags, bits)					\
	{ #member, offsetof(struct vp_config, member), 8, (flags), (bits) }
/* clang-format on */

#define KVM_F		VP_FIELD_COMPARED
#define NESTED_F	(VP_FIELD_COMPARED | VP_FIELD_NESTED)

/*
 * Ordered like the MSRs they come from.  Everything that lives in KVM's
 * struct vmcs_config is VP_FIELD_COMPARED: vmx_check_processor_compat()
 * memcmp()s all of it.  6.1 keeps the VMCS size, the high word flags and
 * the revision id of IA32_VMX_BASIC in three members instead of the whole
 * MSR, which together hold all 64 bits, so comparing "basic" is exactly as
 * strict on both versions.
 */
const struct vp_field vp_fields[] = {
	FLD64(basic, KVM_F, vp_basic_bits),
	FLD32(revision_id, VP_FIELD_DERIVED, NULL),
	FLD32(vmcs_size, VP_FIELD_DERIVED, NULL),
	FLD32(order, VP_FIELD_DERIVED, NULL),
	FLD32(pin_based_exec_ctrl, KVM_F, vp_pin_bits),
	FLD32(cpu_based_exec_ctrl, KVM_F, vp_cpu_bits),
	FLD32(secondary_exec_ctrl, KVM_F, vp_sec_bits),
	FLD64(tertiary_exec_ctrl, KVM_F, vp_ter_bits),
	FLD32(vmexit_ctrl, KVM_F, vp_exit_bits),
	FLD32(vmentry_ctrl, KVM_F, vp_entry_bits),
	FLD64(misc, KVM_F, vp_misc_bits),
	FLD32(ept_caps, VP_FIELD_CAPABILITY, vp_ept_bits),
	FLD32(vpid_caps, VP_FIELD_CAPABILITY, vp_vpid_bits),
	FLD64(nested.basic, NESTED_F, vp_basic_bits),
	FLD32(nested.pinbased_ctls_low, NESTED_F, vp_pin_bits),
	FLD32(nested.pinbased_ctls_high, NESTED_F, vp_pin_bits),
	FLD32(nested.procbased_ctls_low, NESTED_F, vp_cpu_bits),
	FLD32(nested.procbased_ctls_high, NESTED_F, vp_cpu_bits),
	FLD32(nested.exit_ctls_low, NESTED_F, vp_exit_bits),
	FLD32(nested.exit_ctls_high, NESTED_F, vp_exit_bits),
	FLD32(nested.entry_ctls_low, NESTED_F, vp_entry_bits),
	FLD32(nested.entry_ctls_high, NESTED_F, vp_entry_bits),
	FLD32(nested.misc_low, NESTED_F, vp_misc_bits),
	FLD32(nested.misc_high, NESTED_F, NULL),
	FLD64(nested.cr0_fixed0, NESTED_F, vp_cr0_bits),
	FLD64(nested.cr0_fixed1, NESTED_F, vp_cr0_bits),
	FLD64(nested.cr4_fixed0, NESTED_F, vp_cr4_bits),
	FLD64(nested.cr4_fixed1, NESTED_F, vp_cr4_bits),
	FLD64(nested.vmcs_enum, NESTED_F, vp_vmcs_enum_bits),
	FLD32(nested.secondary_ctls_low, NESTED_F, vp_sec_bits),
	FLD32(nested.secondary_ctls_high, NESTED_F, vp_sec_bits),
	FLD32(nested.ept_caps, NESTED_F, vp_ept_bits),
	FLD32(nested.vpid_caps, NESTED_F, vp_vpid_bits),
	FLD64(nested.vmfunc_controls, NESTED_F, vp_vmfunc_bits),
};

const unsigned int vp_nr_fields = ARRAY_SIZE(vp_fields);

const struct vp_msr *vp_msr_find(u32 index)
{
	unsigned int i;

	for (i = 0; i < vp_nr_msrs; i++)
		if (vp_msrs[i].index == index)
			return &vp_msrs[i];
	return NULL;
}

/* The engine links no string library, in the kernel or outside it. */
static bool vp_str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct vp_field *vp_field_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < vp_nr_fields; i++)
		if (vp_str_eq(vp_fields[i].name, name))
			return &vp_fields[i];
	return NULL;
}

/* The entry of @table that covers bit number @bit, or NULL. */
u32 vp_bits_default1(const struct vp_bit *table)
{
	if (table == vp_pin_bits)
		return VP_PIN_DEFAULT1;
	if (table == vp_cpu_bits)
		return VP_CPU_DEFAULT1;
	if (table == vp_exit_bits)
		return VP_EXIT_DEFAULT1;
	if (table == vp_entry_bits)
		return VP_ENTRY_DEFAULT1;
	return 0;
}

const struct vp_bit *vp_bit_find(const struct vp_bit *table, unsigned int bit)
{
	const struct vp_bit *b;

	if (!table)
		return NULL;
	for (b = table; b->id; b++)
		if (bit >= b->lo && bit < (unsigned int)b->lo + b->width)
			return b;
	return NULL;
}
