/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU features KVM takes from the boot CPU, one line each, included
 * by kvm_boot.c (the table) and boot_audit.c (the kernel's bit numbers)
 * with their own definition of VP_BOOT_FEATURE(name, kvms, where):
 * X86_FEATURE_<name>, the mirrored versions whose KVM reads it through
 * boot_cpu_has(), static_cpu_has() or cpu_feature_enabled() (all of them
 * answer from boot_cpu_data or the alternatives patched from it, never
 * from the CPU running the code), and the files of arch/x86/kvm/ that do:
 * vmx/vmx.c, vmx/capabilities.h, vmx/nested.c and x86.c of
 * linux-source-6.1, -6.12, -7.2 and -7.3, read line by line.
 * No include guard: meant to be included more than once.
 */
VP_BOOT_FEATURE(APERFMPERF, V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(ARAT, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(ARCH_CAPABILITIES, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, x86.c")
VP_BOOT_FEATURE(ARCH_LBR, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(BUS_LOCK_DETECT, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(CLEAR_CPU_BUF, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(CLEAR_CPU_BUF_VM_MMIO, V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(CONSTANT_TSC, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(EFER_LMSLE_MBZ, V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(FLUSH_L1D, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, x86.c")
VP_BOOT_FEATURE(FPU, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(FRED, V6_12, "vmx.c")
VP_BOOT_FEATURE(FXSR, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(HYPERVISOR, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(IBPB, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, x86.c")
VP_BOOT_FEATURE(IBPB_EXIT_TO_USER, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(IBT, V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(INTEL_PT, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(KERNEL_IBRS, V6_1 | V6_12, "vmx.c")
VP_BOOT_FEATURE(MPX, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(MSR_IA32_FEAT_CTL, V6_1, "vmx.c")
VP_BOOT_FEATURE(MSR_SPEC_CTRL, V6_1 | V6_12, "vmx.c")
VP_BOOT_FEATURE(MWAIT, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(NX, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(PDCM, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(PEBS, V6_1 | V6_12 | V7_2 | V7_3, "capabilities.h")
VP_BOOT_FEATURE(PKU, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(RTM, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, x86.c")
VP_BOOT_FEATURE(SBPB, V6_12 | V7_2, "x86.c")
VP_BOOT_FEATURE(SELFSNOOP, V6_12 | V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(SGX2, V7_2 | V7_3, "vmx.c")
VP_BOOT_FEATURE(SHSTK, V7_2 | V7_3, "x86.c")
VP_BOOT_FEATURE(SPLIT_LOCK_DETECT, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, x86.c")
VP_BOOT_FEATURE(UMIP, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, nested.c, capabilities.h")
VP_BOOT_FEATURE(VMX, V6_1, "vmx.c")
VP_BOOT_FEATURE(XSAVE, V6_1 | V6_12 | V7_2 | V7_3, "vmx.c, x86.c")
VP_BOOT_FEATURE(XSAVES, V6_1 | V6_12 | V7_2 | V7_3, "x86.c")
