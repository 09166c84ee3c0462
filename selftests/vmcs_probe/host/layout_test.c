// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/kvm_layout.c: every row of the per-version
 * struct vmcs_config table against the compiler's own layout of a
 * structure shaped like KVM's (member types and order as in each
 * version's arch/x86/kvm/vmx/capabilities.h), and the decoding of a
 * message as 7.x prints it.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#include "engine.h"
#include "kvm_boot.h"
#include "kvm_layout.h"
#include "vmx_bits.h"

/* The shapes only: same member types, in the same order, as KVM's. */
struct shape_nested {
	u32 procbased_ctls_low, procbased_ctls_high;
	u32 secondary_ctls_low, secondary_ctls_high;
	u32 pinbased_ctls_low, pinbased_ctls_high;
	u32 exit_ctls_low, exit_ctls_high;
	u32 entry_ctls_low, entry_ctls_high;
	u32 misc_low, misc_high;
	u32 ept_caps, vpid_caps;
	u64 basic, cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 vmcs_enum, vmfunc_controls;
};

struct shape_6_1 {
	int size;
	u32 basic_cap, revision_id, pin_based_exec_ctrl, cpu_based_exec_ctrl;
	u32 cpu_based_2nd_exec_ctrl;
	u64 cpu_based_3rd_exec_ctrl;
	u32 vmexit_ctrl, vmentry_ctrl;
	u64 misc;
	struct shape_nested nested;
};

/* 6.3 and later, 7.2 and 7.3 included. */
struct shape_6_12 {
	u64 basic;
	u32 pin_based_exec_ctrl, cpu_based_exec_ctrl, cpu_based_2nd_exec_ctrl;
	u64 cpu_based_3rd_exec_ctrl;
	u32 vmexit_ctrl, vmentry_ctrl;
	u64 misc;
	struct shape_nested nested;
};

struct shape_member {
	const char *name;
	size_t offset, size;
};

#define SM(type, m) { #m, offsetof(struct type, m), sizeof(((struct type *)0)->m) }
#define NESTED(type)							\
	SM(type, nested.procbased_ctls_low), SM(type, nested.procbased_ctls_high), \
	SM(type, nested.secondary_ctls_low), SM(type, nested.secondary_ctls_high), \
	SM(type, nested.pinbased_ctls_low), SM(type, nested.pinbased_ctls_high), \
	SM(type, nested.exit_ctls_low), SM(type, nested.exit_ctls_high),	\
	SM(type, nested.entry_ctls_low), SM(type, nested.entry_ctls_high), \
	SM(type, nested.misc_low), SM(type, nested.misc_high),		\
	SM(type, nested.ept_caps), SM(type, nested.vpid_caps),		\
	SM(type, nested.basic), SM(type, nested.cr0_fixed0),		\
	SM(type, nested.cr0_fixed1), SM(type, nested.cr4_fixed0),	\
	SM(type, nested.cr4_fixed1), SM(type, nested.vmcs_enum),	\
	SM(type, nested.vmfunc_controls)

static const struct shape_member shape_6_1[] = {
	SM(shape_6_1, size), SM(shape_6_1, basic_cap),
	SM(shape_6_1, revision_id), SM(shape_6_1, pin_based_exec_ctrl),
	SM(shape_6_1, cpu_based_exec_ctrl),
	SM(shape_6_1, cpu_based_2nd_exec_ctrl),
	SM(shape_6_1, cpu_based_3rd_exec_ctrl), SM(shape_6_1, vmexit_ctrl),
	SM(shape_6_1, vmentry_ctrl), SM(shape_6_1, misc), NESTED(shape_6_1),
};

static const struct shape_member shape_6_12[] = {
	SM(shape_6_12, basic), SM(shape_6_12, pin_based_exec_ctrl),
	SM(shape_6_12, cpu_based_exec_ctrl),
	SM(shape_6_12, cpu_based_2nd_exec_ctrl),
	SM(shape_6_12, cpu_based_3rd_exec_ctrl), SM(shape_6_12, vmexit_ctrl),
	SM(shape_6_12, vmentry_ctrl), SM(shape_6_12, misc), NESTED(shape_6_12),
};

static void check_layout(struct __test_metadata *_metadata, enum vp_kvm kvm,
			 const struct shape_member *shape, size_t nr,
			 size_t size)
{
	const struct vp_layout *l = vp_layout_for(kvm);
	unsigned int i;

	ASSERT_NE(NULL, l);
	EXPECT_EQ(size, l->size);
	for (i = 0; i < nr; i++) {
		const struct vp_layout_member *m = vp_layout_member(l, i);

		ASSERT_NE(NULL, m);
		EXPECT_STREQ(shape[i].name, m->member);
		EXPECT_EQ(shape[i].offset, m->offset);
		EXPECT_EQ(shape[i].size, m->size);
		/* Every member decodes with a vmcs_probe field's bits. */
		EXPECT_NE(NULL, vp_field_find(m->field)) {
			TH_LOG("%s: no field %s", l->name, m->field);
		}
	}
	EXPECT_EQ(NULL, vp_layout_member(l, nr));
}

TEST(layout_6_1)
{
	check_layout(_metadata, VP_KVM_6_1, shape_6_1, ARRAY_SIZE(shape_6_1),
		     sizeof(struct shape_6_1));
}

TEST(layout_6_12_7_2_7_3)
{
	enum vp_kvm k[] = { VP_KVM_6_12, VP_KVM_7_2, VP_KVM_7_3 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(k); i++)
		check_layout(_metadata, k[i], shape_6_12,
			     ARRAY_SIZE(shape_6_12), sizeof(struct shape_6_12));
}

/*
 * "Offset 76 REF = 0x107fffff, CPU0 = 0x007fffff, mismatch = 0x10000000"
 * (the example of the upstream patch): on 7.x that word is the nested
 * VM-exit controls' allowed-1 half, and bit 28 is "load CET state".
 */
TEST(offset_76_is_nested_exit_ctls_high)
{
	const struct vp_layout *l = vp_layout_for(VP_KVM_7_3);
	const struct vp_layout_member *m;
	const struct vp_field *f;
	const struct vp_bit *b;
	unsigned int shift = 99;

	m = vp_layout_word(l, 76, &shift);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("nested.exit_ctls_high", m->member);
	EXPECT_EQ(0, shift);
	f = vp_field_find(m->field);
	ASSERT_NE(NULL, f);
	b = vp_bit_find(f->bits, 28 + shift);
	ASSERT_NE(NULL, b);
	EXPECT_STREQ("LOAD_CET_STATE", b->id);
}

/* High halves of u64 members and the alignment hole. */
TEST(offset_words_of_wide_members_and_padding)
{
	const struct vp_layout *l = vp_layout_for(VP_KVM_7_2);
	const struct vp_layout_member *m;
	const struct vp_bit *b;
	unsigned int shift;

	m = vp_layout_word(l, 4, &shift);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("basic", m->member);
	EXPECT_EQ(32, shift);
	/* IA32_VMX_BASIC bit 55: "true" controls MSRs. */
	b = vp_bit_find(vp_field_find(m->field)->bits, 23 + shift);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(55, b->lo);
	EXPECT_EQ(NULL, vp_layout_word(l, 20, &shift));
	EXPECT_EQ(NULL, vp_layout_word(l, 160, &shift));
	m = vp_layout_word(l, 156, &shift);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("nested.vmfunc_controls", m->member);
	EXPECT_EQ(32, shift);
	/* 6.1: the word at 0 is the VMCS size, bits 44:32 of BASIC. */
	m = vp_layout_word(vp_layout_for(VP_KVM_6_1), 0, &shift);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("size", m->member);
	EXPECT_EQ(32, shift);
}

/* Every message names the versions that print it, and only known ones. */
TEST(messages_have_versions)
{
	unsigned int i;

	for (i = 0; i < vp_nr_klog_msgs; i++) {
		EXPECT_NE(0, vp_klog_msgs[i].kvms);
		EXPECT_EQ(0, vp_klog_msgs[i].kvms & ~(BIT(VP_KVM_NR) - 1));
	}
}

/*
 * The boot-CPU table: names unique, each read by some version, found by
 * name; the features the engine itself takes from the boot CPU
 * (vp_params' boot_cpu_* facts) are in it for both mirrored versions.
 */
TEST(boot_features_table)
{
	static const char * const engine_facts[] = { "NX", "UMIP", "MPX" };
	unsigned int i, j;

	ASSERT_LT(30, vp_nr_boot_features);
	for (i = 0; i < vp_nr_boot_features; i++) {
		const struct vp_boot_feature *f = &vp_boot_features[i];

		EXPECT_NE(0, f->kvms);
		EXPECT_EQ(0, f->kvms & ~(BIT(VP_KVM_NR) - 1));
		EXPECT_EQ(f, vp_boot_feature_find(f->name, strlen(f->name)));
		for (j = 0; j < i; j++)
			EXPECT_STRNE(vp_boot_features[j].name, f->name);
	}
	for (i = 0; i < ARRAY_SIZE(engine_facts); i++) {
		const struct vp_boot_feature *f =
			vp_boot_feature_find(engine_facts[i],
					     strlen(engine_facts[i]));

		ASSERT_NE(NULL, f);
		EXPECT_EQ(BIT(VP_KVM_6_1) | BIT(VP_KVM_6_12),
			  f->kvms & (BIT(VP_KVM_6_1) | BIT(VP_KVM_6_12)));
	}
	/* 6.1 tested VMX on the boot CPU; 6.3 on, on each CPU. */
	EXPECT_EQ(BIT(VP_KVM_6_1), vp_boot_feature_find("VMX", 3)->kvms);
	EXPECT_EQ(NULL, vp_boot_feature_find("UMI", 3));
	EXPECT_EQ(14, vp_nr_boot_words);
	EXPECT_STREQ("CPUID_7_ECX", vp_boot_words[9].name);
}

TEST_HARNESS_MAIN
