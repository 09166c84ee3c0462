/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX architectural constants used by vmcs_probe.
 *
 * Every value here is a hardware fact taken from the Intel SDM, Volume 3,
 * Appendix A ("VMX Capability Reporting Facility") and Chapter 25 ("VM
 * execution control fields"), plus the few CR0/CR4 bits the nested
 * CR-fixed MSRs talk about.  The names are our own (prefix VP_); they are
 * deliberately not the kernel's so that this header never clashes with
 * <asm/vmx.h> or <asm/msr-index.h> when both end up in one translation unit.
 */
#ifndef VMCS_PROBE_VMX_REGS_H
#define VMCS_PROBE_VMX_REGS_H

#include "vmx_types.h"

/* MSR indices (SDM Vol. 4, Table 2-2) */
#define VP_MSR_FEAT_CTL			0x0000003a
#define VP_MSR_BNDCFGS			0x00000d90
#define VP_MSR_IA32_XSS			0x00000da0
/* IA32_XSS: CET user and supervisor state (XFEATURE_MASK_CET_ALL, 7.x) */
#define VP_XSS_CET_ALL			(BIT_ULL(11) | BIT_ULL(12))
#define VP_MSR_VMX_BASIC		0x00000480
#define VP_MSR_VMX_PINBASED_CTLS	0x00000481
#define VP_MSR_VMX_PROCBASED_CTLS	0x00000482
#define VP_MSR_VMX_EXIT_CTLS		0x00000483
#define VP_MSR_VMX_ENTRY_CTLS		0x00000484
#define VP_MSR_VMX_MISC			0x00000485
#define VP_MSR_VMX_CR0_FIXED0		0x00000486
#define VP_MSR_VMX_CR0_FIXED1		0x00000487
#define VP_MSR_VMX_CR4_FIXED0		0x00000488
#define VP_MSR_VMX_CR4_FIXED1		0x00000489
#define VP_MSR_VMX_VMCS_ENUM		0x0000048a
#define VP_MSR_VMX_PROCBASED_CTLS2	0x0000048b
#define VP_MSR_VMX_EPT_VPID_CAP		0x0000048c
#define VP_MSR_VMX_TRUE_PINBASED_CTLS	0x0000048d
#define VP_MSR_VMX_TRUE_PROCBASED_CTLS	0x0000048e
#define VP_MSR_VMX_TRUE_EXIT_CTLS	0x0000048f
#define VP_MSR_VMX_TRUE_ENTRY_CTLS	0x00000490
#define VP_MSR_VMX_VMFUNC		0x00000491
#define VP_MSR_VMX_PROCBASED_CTLS3	0x00000492
#define VP_MSR_VMX_EXIT_CTLS2		0x00000493

/* First and last MSR that KVM emulates for a nested hypervisor. */
#define VP_MSR_VMX_NESTED_FIRST		VP_MSR_VMX_BASIC
#define VP_MSR_VMX_NESTED_LAST		VP_MSR_VMX_VMFUNC

/* IA32_FEATURE_CONTROL (0x3a) */
#define VP_FEAT_CTL_LOCKED		BIT_ULL(0)
#define VP_FEAT_CTL_VMX_INSIDE_SMX	BIT_ULL(1)
#define VP_FEAT_CTL_VMX_OUTSIDE_SMX	BIT_ULL(2)
#define VP_FEAT_CTL_SENTER_LOCAL_SHIFT	8
#define VP_FEAT_CTL_SENTER_LOCAL_WIDTH	7
#define VP_FEAT_CTL_SENTER_GLOBAL	BIT_ULL(15)
#define VP_FEAT_CTL_SGX_LC		BIT_ULL(17)
#define VP_FEAT_CTL_SGX			BIT_ULL(18)
#define VP_FEAT_CTL_LMCE		BIT_ULL(20)

/* Pin-based VM-execution controls (SDM Table 25-5) */
#define VP_PIN_EXT_INTR_EXITING		BIT(0)
#define VP_PIN_NMI_EXITING		BIT(3)
#define VP_PIN_VIRTUAL_NMIS		BIT(5)
#define VP_PIN_PREEMPTION_TIMER		BIT(6)
#define VP_PIN_POSTED_INTR		BIT(7)
/* Default1 class of the pin-based controls (SDM A.3.1) */
#define VP_PIN_DEFAULT1			0x00000016u

/* Primary processor-based VM-execution controls (SDM Table 25-6) */
#define VP_CPU_INTR_WINDOW_EXITING	BIT(2)
#define VP_CPU_USE_TSC_OFFSETTING	BIT(3)
#define VP_CPU_HLT_EXITING		BIT(7)
#define VP_CPU_INVLPG_EXITING		BIT(9)
#define VP_CPU_MWAIT_EXITING		BIT(10)
#define VP_CPU_RDPMC_EXITING		BIT(11)
#define VP_CPU_RDTSC_EXITING		BIT(12)
#define VP_CPU_CR3_LOAD_EXITING		BIT(15)
#define VP_CPU_CR3_STORE_EXITING	BIT(16)
#define VP_CPU_ACTIVATE_TERTIARY	BIT(17)
#define VP_CPU_CR8_LOAD_EXITING		BIT(19)
#define VP_CPU_CR8_STORE_EXITING	BIT(20)
#define VP_CPU_TPR_SHADOW		BIT(21)
#define VP_CPU_NMI_WINDOW_EXITING	BIT(22)
#define VP_CPU_MOV_DR_EXITING		BIT(23)
#define VP_CPU_UNCOND_IO_EXITING	BIT(24)
#define VP_CPU_USE_IO_BITMAPS		BIT(25)
#define VP_CPU_MONITOR_TRAP_FLAG	BIT(27)
#define VP_CPU_USE_MSR_BITMAPS		BIT(28)
#define VP_CPU_MONITOR_EXITING		BIT(29)
#define VP_CPU_PAUSE_EXITING		BIT(30)
#define VP_CPU_ACTIVATE_SECONDARY	BIT(31)
/* Default1 class of the primary processor-based controls (SDM A.3.2) */
#define VP_CPU_DEFAULT1			0x0401e172u

/* Secondary processor-based VM-execution controls (SDM Table 25-7) */
#define VP_SEC_VIRT_APIC_ACCESSES	BIT(0)
#define VP_SEC_ENABLE_EPT		BIT(1)
#define VP_SEC_DESC_EXITING		BIT(2)
#define VP_SEC_ENABLE_RDTSCP		BIT(3)
#define VP_SEC_VIRT_X2APIC_MODE		BIT(4)
#define VP_SEC_ENABLE_VPID		BIT(5)
#define VP_SEC_WBINVD_EXITING		BIT(6)
#define VP_SEC_UNRESTRICTED_GUEST	BIT(7)
#define VP_SEC_APIC_REGISTER_VIRT	BIT(8)
#define VP_SEC_VIRT_INTR_DELIVERY	BIT(9)
#define VP_SEC_PAUSE_LOOP_EXITING	BIT(10)
#define VP_SEC_RDRAND_EXITING		BIT(11)
#define VP_SEC_ENABLE_INVPCID		BIT(12)
#define VP_SEC_ENABLE_VMFUNC		BIT(13)
#define VP_SEC_SHADOW_VMCS		BIT(14)
#define VP_SEC_ENCLS_EXITING		BIT(15)
#define VP_SEC_RDSEED_EXITING		BIT(16)
#define VP_SEC_ENABLE_PML		BIT(17)
#define VP_SEC_EPT_VIOLATION_VE		BIT(18)
#define VP_SEC_PT_CONCEAL_VMX		BIT(19)
#define VP_SEC_ENABLE_XSAVES		BIT(20)
#define VP_SEC_PASID_TRANSLATION	BIT(21)
#define VP_SEC_MODE_BASED_EPT_EXEC	BIT(22)
#define VP_SEC_SUBPAGE_WRITE		BIT(23)
#define VP_SEC_PT_USE_GPA		BIT(24)
#define VP_SEC_TSC_SCALING		BIT(25)
#define VP_SEC_USER_WAIT_PAUSE		BIT(26)
#define VP_SEC_ENABLE_PCONFIG		BIT(27)
#define VP_SEC_ENCLV_EXITING		BIT(28)
#define VP_SEC_BUS_LOCK_DETECTION	BIT(30)
#define VP_SEC_INSTRUCTION_TIMEOUT	BIT(31)

/* Tertiary processor-based VM-execution controls (SDM Table 25-8), 64 bit */
#define VP_TER_LOADIWKEY_EXITING	BIT_ULL(0)
#define VP_TER_ENABLE_HLAT		BIT_ULL(1)
#define VP_TER_EPT_PAGING_WRITE		BIT_ULL(2)
#define VP_TER_GUEST_PAGING_VERIFY	BIT_ULL(3)
#define VP_TER_IPI_VIRT			BIT_ULL(4)
#define VP_TER_ENABLE_MSRLIST		BIT_ULL(6)
#define VP_TER_VIRT_SPEC_CTRL		BIT_ULL(7)

/* Primary VM-exit controls (SDM Table 25-13) */
#define VP_EXIT_SAVE_DEBUG_CONTROLS	BIT(2)
#define VP_EXIT_HOST_ADDR_SPACE_SIZE	BIT(9)
#define VP_EXIT_LOAD_PERF_GLOBAL_CTRL	BIT(12)
#define VP_EXIT_ACK_INTR_ON_EXIT	BIT(15)
#define VP_EXIT_SAVE_PAT		BIT(18)
#define VP_EXIT_LOAD_PAT		BIT(19)
#define VP_EXIT_SAVE_EFER		BIT(20)
#define VP_EXIT_LOAD_EFER		BIT(21)
#define VP_EXIT_SAVE_PREEMPTION_TIMER	BIT(22)
#define VP_EXIT_CLEAR_BNDCFGS		BIT(23)
#define VP_EXIT_PT_CONCEAL_PIP		BIT(24)
#define VP_EXIT_CLEAR_RTIT_CTL		BIT(25)
#define VP_EXIT_CLEAR_LBR_CTL		BIT(26)
#define VP_EXIT_CLEAR_UINV		BIT(27)
#define VP_EXIT_LOAD_CET_STATE		BIT(28)
#define VP_EXIT_LOAD_PKRS		BIT(29)
#define VP_EXIT_SAVE_PERF_GLOBAL_CTRL	BIT(30)
#define VP_EXIT_ACTIVATE_SECONDARY	BIT(31)
/* Default1 class of the primary VM-exit controls (SDM A.4) */
#define VP_EXIT_DEFAULT1		0x00036dffu

/* Secondary VM-exit controls (SDM Table 25-14), 64 bit */
#define VP_EXIT2_SAVE_FRED		BIT_ULL(0)
#define VP_EXIT2_LOAD_FRED		BIT_ULL(1)
#define VP_EXIT2_PREMATURE_BUSY_SSTK	BIT_ULL(3)

/* VM-entry controls (SDM Table 25-15) */
#define VP_ENTRY_LOAD_DEBUG_CONTROLS	BIT(2)
#define VP_ENTRY_IA32E_MODE		BIT(9)
#define VP_ENTRY_SMM			BIT(10)
#define VP_ENTRY_DEACT_DUAL_MONITOR	BIT(11)
#define VP_ENTRY_LOAD_PERF_GLOBAL_CTRL	BIT(13)
#define VP_ENTRY_LOAD_PAT		BIT(14)
#define VP_ENTRY_LOAD_EFER		BIT(15)
#define VP_ENTRY_LOAD_BNDCFGS		BIT(16)
#define VP_ENTRY_PT_CONCEAL_PIP		BIT(17)
#define VP_ENTRY_LOAD_RTIT_CTL		BIT(18)
#define VP_ENTRY_LOAD_UINV		BIT(19)
#define VP_ENTRY_LOAD_CET_STATE		BIT(20)
#define VP_ENTRY_LOAD_LBR_CTL		BIT(21)
#define VP_ENTRY_LOAD_PKRS		BIT(22)
#define VP_ENTRY_LOAD_FRED		BIT(23)
/* Default1 class of the VM-entry controls (SDM A.5) */
#define VP_ENTRY_DEFAULT1		0x000011ffu

/* IA32_VMX_BASIC (SDM A.1) */
#define VP_BASIC_REVISION_MASK		0x7fffffffULL	/* bits 30:0 */
#define VP_BASIC_VMCS_SIZE_SHIFT	32
#define VP_BASIC_VMCS_SIZE_MASK		0x1fffULL	/* bits 44:32 */
#define VP_BASIC_32BIT_PHYS_ADDR	BIT_ULL(48)
#define VP_BASIC_DUAL_MONITOR		BIT_ULL(49)
#define VP_BASIC_MEM_TYPE_SHIFT		50
#define VP_BASIC_MEM_TYPE_MASK		0xfULL		/* bits 53:50 */
#define VP_BASIC_INOUT			BIT_ULL(54)
#define VP_BASIC_TRUE_CTLS		BIT_ULL(55)
#define VP_BASIC_NO_HW_ERRCODE_CHECK	BIT_ULL(56)
#define VP_BASIC_NESTED_EXCEPTION	BIT_ULL(58)

/* Memory types (SDM Table 11-2 / A.1) */
#define VP_MEMTYPE_UC			0
#define VP_MEMTYPE_WB			6

/* IA32_VMX_MISC (SDM A.6) */
#define VP_MISC_TIMER_RATE_MASK		0x1fULL		/* bits 4:0 */
#define VP_MISC_SAVE_EFER_LMA		BIT_ULL(5)
#define VP_MISC_ACTIVITY_HLT		BIT_ULL(6)
#define VP_MISC_ACTIVITY_SHUTDOWN	BIT_ULL(7)
#define VP_MISC_ACTIVITY_WAIT_SIPI	BIT_ULL(8)
#define VP_MISC_INTEL_PT		BIT_ULL(14)
#define VP_MISC_RDMSR_SMBASE_IN_SMM	BIT_ULL(15)
#define VP_MISC_CR3_TARGETS_SHIFT	16		/* bits 24:16 */
#define VP_MISC_MAX_MSR_SHIFT		25		/* bits 27:25 */
#define VP_MISC_VMXOFF_BLOCKS_SMI	BIT_ULL(28)
#define VP_MISC_VMWRITE_ANY_FIELD	BIT_ULL(29)
#define VP_MISC_ZERO_LEN_INJECT		BIT_ULL(30)
#define VP_MISC_MSEG_REV_SHIFT		32		/* bits 63:32 */

/*
 * IA32_VMX_EPT_VPID_CAP (SDM A.10).  The EPT part is bits 31:0 and the VPID
 * part bits 63:32; the VPID bits are given relative to bit 32, because
 * software (KVM included) keeps the two halves in separate 32-bit words.
 */
#define VP_EPT_EXECUTE_ONLY		BIT(0)
#define VP_EPT_PAGE_WALK_4		BIT(6)
#define VP_EPT_PAGE_WALK_5		BIT(7)
#define VP_EPT_MT_UC			BIT(8)
#define VP_EPT_MT_WB			BIT(14)
#define VP_EPT_2MB_PAGE			BIT(16)
#define VP_EPT_1GB_PAGE			BIT(17)
#define VP_EPT_INVEPT			BIT(20)
#define VP_EPT_AD			BIT(21)
#define VP_EPT_ADV_EXIT_INFO		BIT(22)
#define VP_EPT_SSS_CONTROL		BIT(23)
#define VP_EPT_INVEPT_SINGLE_CTX	BIT(25)
#define VP_EPT_INVEPT_ALL_CTX		BIT(26)

#define VP_VPID_INVVPID			BIT(0)	/* MSR bit 32 */
#define VP_VPID_INVVPID_ADDR		BIT(8)	/* MSR bit 40 */
#define VP_VPID_INVVPID_SINGLE_CTX	BIT(9)	/* MSR bit 41 */
#define VP_VPID_INVVPID_ALL_CTX		BIT(10)	/* MSR bit 42 */
#define VP_VPID_INVVPID_SINGLE_NONGLOBAL BIT(11)	/* MSR bit 43 */
#define VP_VPID_HLAT_PREFIX_SHIFT	16	/* MSR bits 53:48 */

/* IA32_VMX_VMFUNC (SDM A.11) */
#define VP_VMFUNC_EPTP_SWITCHING	BIT_ULL(0)

/* IA32_VMX_VMCS_ENUM (SDM A.9): highest field index, bits 9:1 */
#define VP_VMCS_ENUM_INDEX_SHIFT	1
#define VP_VMCS_ENUM_INDEX_MASK		0x1ffULL

/* Control registers (SDM Vol. 3, 2.5) */
#define VP_CR0_PE			BIT_ULL(0)
#define VP_CR0_MP			BIT_ULL(1)
#define VP_CR0_EM			BIT_ULL(2)
#define VP_CR0_TS			BIT_ULL(3)
#define VP_CR0_ET			BIT_ULL(4)
#define VP_CR0_NE			BIT_ULL(5)
#define VP_CR0_WP			BIT_ULL(16)
#define VP_CR0_AM			BIT_ULL(18)
#define VP_CR0_NW			BIT_ULL(29)
#define VP_CR0_CD			BIT_ULL(30)
#define VP_CR0_PG			BIT_ULL(31)

#define VP_CR4_VME			BIT_ULL(0)
#define VP_CR4_PVI			BIT_ULL(1)
#define VP_CR4_TSD			BIT_ULL(2)
#define VP_CR4_DE			BIT_ULL(3)
#define VP_CR4_PSE			BIT_ULL(4)
#define VP_CR4_PAE			BIT_ULL(5)
#define VP_CR4_MCE			BIT_ULL(6)
#define VP_CR4_PGE			BIT_ULL(7)
#define VP_CR4_PCE			BIT_ULL(8)
#define VP_CR4_OSFXSR			BIT_ULL(9)
#define VP_CR4_OSXMMEXCPT		BIT_ULL(10)
#define VP_CR4_UMIP			BIT_ULL(11)
#define VP_CR4_LA57			BIT_ULL(12)
#define VP_CR4_VMXE			BIT_ULL(13)
#define VP_CR4_SMXE			BIT_ULL(14)
#define VP_CR4_FSGSBASE			BIT_ULL(16)
#define VP_CR4_PCIDE			BIT_ULL(17)
#define VP_CR4_OSXSAVE			BIT_ULL(18)
#define VP_CR4_KL			BIT_ULL(19)
#define VP_CR4_SMEP			BIT_ULL(20)
#define VP_CR4_SMAP			BIT_ULL(21)
#define VP_CR4_PKE			BIT_ULL(22)
#define VP_CR4_CET			BIT_ULL(23)
#define VP_CR4_PKS			BIT_ULL(24)
#define VP_CR4_UINTR			BIT_ULL(25)
#define VP_CR4_LAM_SUP			BIT_ULL(28)
#define VP_CR4_FRED			BIT_ULL(32)

/* CPUID.1:EAX (processor signature) layout */
/* clang-format 14 wants "(sig)&0xf" below; checkpatch does not. */
/* clang-format off */
#define VP_CPUID_SIG_STEPPING(sig)	((sig) & 0xf)
/* clang-format on */
#define VP_CPUID_SIG_MODEL(sig)		(((sig) >> 4) & 0xf)
#define VP_CPUID_SIG_FAMILY(sig)	(((sig) >> 8) & 0xf)
#define VP_CPUID_SIG_EXT_MODEL(sig)	(((sig) >> 16) & 0xf)
#define VP_CPUID_SIG_EXT_FAMILY(sig)	(((sig) >> 20) & 0xff)

/* CPUID.1:ECX.VMX[bit 5]; CPUID.(EAX=12H,ECX=0):EAX.SGX1[bit 0] */
#define VP_CPUID1_ECX_VMX		BIT(5)
#define VP_CPUID12_EAX_SGX1		BIT(0)

#endif /* VMCS_PROBE_VMX_REGS_H */
