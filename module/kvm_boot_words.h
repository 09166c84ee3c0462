/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capability words of boot_cpu_data that kvm_set_cpu_caps() (cpuid.c,
 * every mirrored version) copies into kvm_cpu_caps before masking them
 * with what KVM supports and with CPUID of the CPU it runs on: what KVM
 * tells guests they have starts from the boot CPU.  One
 * VP_BOOT_WORD(enum cpuid_leafs name) a line, included by kvm_boot.c and
 * boot_audit.c.  No include guard: meant to be included more than once.
 */
VP_BOOT_WORD(CPUID_1_EDX)
VP_BOOT_WORD(CPUID_8000_0001_EDX)
VP_BOOT_WORD(CPUID_1_ECX)
VP_BOOT_WORD(CPUID_C000_0001_EDX)
VP_BOOT_WORD(CPUID_8000_0001_ECX)
VP_BOOT_WORD(CPUID_7_0_EBX)
VP_BOOT_WORD(CPUID_D_1_EAX)
VP_BOOT_WORD(CPUID_8000_0008_EBX)
VP_BOOT_WORD(CPUID_8000_000A_EDX)
VP_BOOT_WORD(CPUID_7_ECX)
VP_BOOT_WORD(CPUID_7_EDX)
VP_BOOT_WORD(CPUID_7_1_EAX)
VP_BOOT_WORD(CPUID_8000_001F_EAX)
VP_BOOT_WORD(CPUID_8000_0021_EAX)
