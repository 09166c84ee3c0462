/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD SVM: the CPUID words and the MSR that kvm_amd reads, with the bit
 * names of the AMD64 Architecture Programmer's Manual (vol. 3, appendix E,
 * "CPUID Fn8000_000A_EDX SVM Feature Identification"; vol. 2, 15.30.1,
 * VM_CR).  Pure C, shared by the module and vmcsctl.
 */
#ifndef VMCS_PROBE_SVM_REGS_H
#define VMCS_PROBE_SVM_REGS_H

#include "vmx_types.h"

/* CPUID leaves */
#define VP_CPUID_EXT_FEATURES		0x80000001u	/* ECX bit 2: SVM */
#define VP_CPUID_SVM			0x8000000au	/* SVM revision, ASIDs, features */

#define VP_CPUID_80000001_ECX_SVM	BIT(2)

/* VM_CR (MSR C001_0114): bit 4, SVMDIS, set by firmware to forbid EFER.SVME. */
#define VP_MSR_VM_CR			0xc0010114u
#define VP_VM_CR_SVMDIS			BIT_ULL(4)

/* CPUID Fn8000_000A_EDX, bit numbers as in the APM. */
#define VP_SVM_NP			0	/* nested paging */
#define VP_SVM_LBRV			1	/* LbrVirt */
#define VP_SVM_SVML			2	/* SVM lock */
#define VP_SVM_NRIPS			3	/* NRIP save */
#define VP_SVM_TSCRATEMSR		4	/* TscRateMsr */
#define VP_SVM_VMCBCLEAN		5	/* VmcbClean */
#define VP_SVM_FLUSHBYASID		6	/* FlushByAsid */
#define VP_SVM_DECODEASSISTS		7	/* DecodeAssists */
#define VP_SVM_PMCVIRT			8	/* PMC virtualization */
#define VP_SVM_PAUSEFILTER		10	/* PauseFilter */
#define VP_SVM_PFTHRESHOLD		12	/* PauseFilterThreshold */
#define VP_SVM_AVIC			13	/* AVIC */
#define VP_SVM_VMSAVE_VIRT		15	/* VMSAVEvirt (virtual VMLOAD/VMSAVE) */
#define VP_SVM_VGIF			16	/* VGIF */
#define VP_SVM_GMET			17	/* GMET */
#define VP_SVM_X2AVIC			18	/* x2AVIC */
#define VP_SVM_SSSCHECK			19	/* SSSCheck */
#define VP_SVM_SPECCTRL			20	/* SpecCtrl */
#define VP_SVM_ROGPT			21	/* ROGPT */
#define VP_SVM_HOST_MCE_OVERRIDE	23	/* HOST_MCE_OVERRIDE */
#define VP_SVM_TLBICTL			24	/* TlbiCtl */
#define VP_SVM_VNMI			25	/* VNMI */
#define VP_SVM_IBSVIRT			26	/* IbsVirt */
#define VP_SVM_EXTLVT_AVIC_ACCESS_CHG	27	/* ExtLvtAvicAccessChg */
#define VP_SVM_VMCB_ADDR_CHK		28	/* NestedVirtVmcbAddrChk */
#define VP_SVM_BUS_LOCK_THRESHOLD	29	/* BusLockThreshold */
#define VP_SVM_IDLE_HLT			30	/* IdleHltIntercept */

/*
 * The name of bit @bit of CPUID Fn8000_000A_EDX as the APM writes it, or
 * NULL for a bit the APM marks reserved (svm_engine.c).
 */
const char *vp_svm_feature_name(unsigned int bit);

#endif /* VMCS_PROBE_SVM_REGS_H */
