// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's struct vmcs_config per mirrored version, and KVM's messages about
 * the CPUs it refuses.  Offsets are those of x86-64 (u64 members aligned
 * to 8), read from arch/x86/kvm/vmx/capabilities.h of each version; the
 * host unit test (layout_test.c) lays a same-shaped structure out with
 * the compiler and checks every row.
 */
#include "kvm_layout.h"

/* clang-format off */
#define M(off, sz, base, member, field)	{ (off), (sz), (base), (member), (field) }
/* clang-format on */

/*
 * struct nested_vmx_msrs, the same in every mirrored version, at offset
 * 48 of struct vmcs_config in each of them.
 */
static const struct vp_layout_member layout_nested[] = {
	M(48, 4, 0, "nested.procbased_ctls_low", "nested.procbased_ctls_low"),
	M(52, 4, 0, "nested.procbased_ctls_high", "nested.procbased_ctls_high"),
	M(56, 4, 0, "nested.secondary_ctls_low", "nested.secondary_ctls_low"),
	M(60, 4, 0, "nested.secondary_ctls_high", "nested.secondary_ctls_high"),
	M(64, 4, 0, "nested.pinbased_ctls_low", "nested.pinbased_ctls_low"),
	M(68, 4, 0, "nested.pinbased_ctls_high", "nested.pinbased_ctls_high"),
	M(72, 4, 0, "nested.exit_ctls_low", "nested.exit_ctls_low"),
	M(76, 4, 0, "nested.exit_ctls_high", "nested.exit_ctls_high"),
	M(80, 4, 0, "nested.entry_ctls_low", "nested.entry_ctls_low"),
	M(84, 4, 0, "nested.entry_ctls_high", "nested.entry_ctls_high"),
	M(88, 4, 0, "nested.misc_low", "nested.misc_low"),
	M(92, 4, 0, "nested.misc_high", "nested.misc_high"),
	M(96, 4, 0, "nested.ept_caps", "nested.ept_caps"),
	M(100, 4, 0, "nested.vpid_caps", "nested.vpid_caps"),
	M(104, 8, 0, "nested.basic", "nested.basic"),
	M(112, 8, 0, "nested.cr0_fixed0", "nested.cr0_fixed0"),
	M(120, 8, 0, "nested.cr0_fixed1", "nested.cr0_fixed1"),
	M(128, 8, 0, "nested.cr4_fixed0", "nested.cr4_fixed0"),
	M(136, 8, 0, "nested.cr4_fixed1", "nested.cr4_fixed1"),
	M(144, 8, 0, "nested.vmcs_enum", "nested.vmcs_enum"),
	M(152, 8, 0, "nested.vmfunc_controls", "nested.vmfunc_controls"),
};

/*
 * 6.1 keeps IA32_VMX_BASIC in three members: the VMCS size (bits 44:32),
 * the rest of the high word (basic_cap) and the revision id.
 */
static const struct vp_layout_member layout_6_1[] = {
	M(0, 4, 32, "size", "basic"),
	M(4, 4, 32, "basic_cap", "basic"),
	M(8, 4, 0, "revision_id", "basic"),
	M(12, 4, 0, "pin_based_exec_ctrl", "pin_based_exec_ctrl"),
	M(16, 4, 0, "cpu_based_exec_ctrl", "cpu_based_exec_ctrl"),
	M(20, 4, 0, "cpu_based_2nd_exec_ctrl", "secondary_exec_ctrl"),
	M(24, 8, 0, "cpu_based_3rd_exec_ctrl", "tertiary_exec_ctrl"),
	M(32, 4, 0, "vmexit_ctrl", "vmexit_ctrl"),
	M(36, 4, 0, "vmentry_ctrl", "vmentry_ctrl"),
	M(40, 8, 0, "misc", "misc"),
};

/* 6.3 to 7.3: the whole IA32_VMX_BASIC, then a hole at 20 (u64 align). */
static const struct vp_layout_member layout_6_12[] = {
	M(0, 8, 0, "basic", "basic"),
	M(8, 4, 0, "pin_based_exec_ctrl", "pin_based_exec_ctrl"),
	M(12, 4, 0, "cpu_based_exec_ctrl", "cpu_based_exec_ctrl"),
	M(16, 4, 0, "cpu_based_2nd_exec_ctrl", "secondary_exec_ctrl"),
	M(24, 8, 0, "cpu_based_3rd_exec_ctrl", "tertiary_exec_ctrl"),
	M(32, 4, 0, "vmexit_ctrl", "vmexit_ctrl"),
	M(36, 4, 0, "vmentry_ctrl", "vmentry_ctrl"),
	M(40, 8, 0, "misc", "misc"),
};

/* 7.2 and 7.3 kept 6.12's struct member for member. */
static const struct vp_layout layouts[] = {
	{ VP_KVM_6_1, "6.1", 160, layout_6_1, ARRAY_SIZE(layout_6_1) },
	{ VP_KVM_6_12, "6.12", 160, layout_6_12, ARRAY_SIZE(layout_6_12) },
	{ VP_KVM_7_2, "7.2", 160, layout_6_12, ARRAY_SIZE(layout_6_12) },
	{ VP_KVM_7_3, "7.3", 160, layout_6_12, ARRAY_SIZE(layout_6_12) },
};

/* The member of @l, its own part or the nested MSRs, at @i. */
const struct vp_layout_member *vp_layout_member(const struct vp_layout *l,
						unsigned int i)
{
	if (i < l->nr_head)
		return &l->head[i];
	i -= l->nr_head;
	return i < ARRAY_SIZE(layout_nested) ? &layout_nested[i] : NULL;
}

const struct vp_layout *vp_layout_for(enum vp_kvm kvm)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(layouts); i++)
		if (layouts[i].kvm == kvm)
			return &layouts[i];
	return NULL;
}

const struct vp_layout_member *vp_layout_word(const struct vp_layout *l,
					      unsigned int offset,
					      unsigned int *shift)
{
	const struct vp_layout_member *m;
	unsigned int i;

	for (i = 0; (m = vp_layout_member(l, i)); i++) {
		if (offset >= m->offset && offset + 4 <= m->offset + m->size) {
			*shift = m->bit_base + (offset - m->offset) * 8;
			return m;
		}
	}
	return NULL;
}

#define V6_1		BIT(VP_KVM_6_1)
#define V6_12		BIT(VP_KVM_6_12)
#define V7		(BIT(VP_KVM_7_2) | BIT(VP_KVM_7_3))

/*
 * Prefixes are part of the format: "kvm_intel: ", "kvm_amd: " and
 * "smpboot: " from the file's pr_fmt(), "kvm: " written into 6.1's and
 * kvm_main.c's strings by hand.  vmx.c and svm.c print the support lines
 * from __kvm_is_vmx_supported()/__kvm_is_svm_supported() (6.3 on), the
 * compat lines from vmx_check_processor_compat().
 */
const struct vp_klog_msg vp_klog_msgs[] = {
	{ VP_KLOG_COMPAT, "kvm: CPU %d feature inconsistency!", V6_1,
	  "4.x to 6.2",
	  "its VMCS config differs from the reference; KVM names no field" },
	{ VP_KLOG_COMPAT, "kvm_intel: Inconsistent VMCS config on CPU %d",
	  V6_12, "6.3 to 6.19",
	  "its VMCS config differs from the reference; KVM names no field" },
	{ VP_KLOG_COMPAT_OFFSETS,
	  "kvm_intel: VMCS config on CPU %d doesn't match reference config:",
	  V7, "7.x",
	  "its VMCS config differs from the reference at these offsets" },
	{ VP_KLOG_OFFSET,
	  "  Offset %u REF = 0x%08x, CPU%u = 0x%08x, mismatch = 0x%08x", V7,
	  "7.x", "a 32-bit word of struct vmcs_config that differs" },
	{ VP_KLOG_SETUP_FAILED, "kvm_intel: Failed to setup VMCS config on CPU %d",
	  V6_12 | V7, "6.3 and later",
	  "setup_vmcs_config() failed there: a required control is missing" },
	{ VP_KLOG_DISABLED, "kvm: VMX is disabled on CPU %d", V6_1,
	  "4.x to 6.2", "no VMX in CPUID, or VMX off in IA32_FEAT_CTL" },
	{ VP_KLOG_UNSUPPORTED, "kvm_intel: VMX not supported by CPU %d",
	  V6_12 | V7, "6.3 and later", "CPUID.1:ECX.VMX is clear on that CPU" },
	{ VP_KLOG_DISABLED,
	  "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU %d",
	  V6_12 | V7, "6.3 and later",
	  "the kernel found IA32_FEAT_CTL unusable there (firmware locked VMX off)" },
	{ VP_KLOG_DISABLED,
	  "kvm_intel: VMX not fully enabled on CPU %d.  Check kernel logs and/or BIOS",
	  V7, "7.x", "the kernel cleared X86_FEATURE_VMX on that CPU (see its feat_ctl lines)" },
	{ VP_KLOG_UNSUPPORTED, "kvm_amd: SVM not supported by CPU %d",
	  V6_12 | V7, "6.3 and later", "X86_FEATURE_SVM is clear in that CPU's cpu_data" },
	{ VP_KLOG_UNSUPPORTED, "kvm_amd: CPU %d isn't AMD or Hygon",
	  V6_12 | V7, "6.3 and later", "that CPU's vendor is neither AMD nor Hygon" },
	{ VP_KLOG_NO_SUPPORT, "kvm: no hardware support for '%s'", V6_1,
	  "4.x to 6.2",
	  "KVM did not load: no VMX/SVM in CPUID of the CPU it ran on (unnamed)" },
	{ VP_KLOG_NO_SUPPORT, "kvm: support for '%s' disabled by bios", V6_1,
	  "4.x to 6.2",
	  "KVM did not load: the boot CPU has VMX locked off in IA32_FEAT_CTL" },
	{ VP_KLOG_ENABLE_FAILED, "kvm: enabling virtualization on CPU%d failed",
	  V6_1 | V6_12 | V7, "every version",
	  "KVM could not enable virtualization there (6.3 on: the compat check)" },
	{ VP_KLOG_OFFLINE, "smpboot: CPU %u is now offline",
	  V6_1 | V6_12 | V7, "every version",
	  "the CPU went offline (often KVM's hotplug check refused it)" },
};

const unsigned int vp_nr_klog_msgs = ARRAY_SIZE(vp_klog_msgs);
