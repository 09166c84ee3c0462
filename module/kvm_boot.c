// SPDX-License-Identifier: GPL-2.0
/*
 * The table of kvm_boot.h, built from the lists kvm_boot_features.h and
 * kvm_boot_words.h (boot_audit.c builds the kernel's bit numbers from the
 * same lists, in the same order).
 */
#include "kvm_boot.h"

#define V6_1		BIT(VP_KVM_6_1)
#define V6_12		BIT(VP_KVM_6_12)
#define V7_2		BIT(VP_KVM_7_2)
#define V7_3		BIT(VP_KVM_7_3)

/* clang-format off */
const struct vp_boot_feature vp_boot_features[] = {
#define VP_BOOT_FEATURE(n, k, w)	{ #n, (k), (w) },
#include "kvm_boot_features.h"
#undef VP_BOOT_FEATURE
};

const struct vp_boot_word vp_boot_words[] = {
#define VP_BOOT_WORD(n)			{ #n },
#include "kvm_boot_words.h"
#undef VP_BOOT_WORD
};

/* clang-format on */

const unsigned int vp_nr_boot_features = ARRAY_SIZE(vp_boot_features);
const unsigned int vp_nr_boot_words = ARRAY_SIZE(vp_boot_words);

const struct vp_boot_feature *vp_boot_feature_find(const char *name,
						   size_t len)
{
	unsigned int i;
	size_t j;

	for (i = 0; i < vp_nr_boot_features; i++) {
		const char *n = vp_boot_features[i].name;

		for (j = 0; j < len && n[j] == name[j]; j++)
			;
		if (j == len && !n[j])
			return &vp_boot_features[i];
	}
	return NULL;
}
