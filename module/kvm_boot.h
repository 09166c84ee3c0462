/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What KVM takes from the boot CPU rather than from each CPU: the feature
 * flags it tests with boot_cpu_has() and friends (kvm_boot_features.h)
 * and the capability words kvm_cpu_caps starts from (kvm_boot_words.h).
 * Pinning KVM's load to one CPU does not make these that CPU's: a CPU
 * whose own cpu_data differs in one of them is set up with the boot
 * CPU's answer.  Pure C, shared by module (debugfs boot_cpu) and tool.
 */
#ifndef VMCS_PROBE_KVM_BOOT_H
#define VMCS_PROBE_KVM_BOOT_H

#include "vmx_types.h"
#include "engine.h"

struct vp_boot_feature {
	const char *name;	/* X86_FEATURE_<name> */
	u32 kvms;		/* BIT(enum vp_kvm) of the versions reading it */
	const char *where;	/* the files of arch/x86/kvm/ that read it */
};

extern const struct vp_boot_feature vp_boot_features[];
extern const unsigned int vp_nr_boot_features;
struct vp_boot_word {
	const char *name;	/* enum cpuid_leafs name, e.g. "CPUID_7_ECX" */
};

extern const struct vp_boot_word vp_boot_words[];
extern const unsigned int vp_nr_boot_words;

/* The entry named @name (without X86_FEATURE_), or NULL. */
const struct vp_boot_feature *vp_boot_feature_find(const char *name,
						   size_t len);

#endif /* VMCS_PROBE_KVM_BOOT_H */
