// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-CPU audit: for every online CPU, the features and capability
 * words KVM takes from the boot CPU (kvm_boot.h) in which the CPU's own
 * cpu_data differs from boot_cpu_data.  Printed by debugfs boot_cpu.
 * cpu_data() of an online CPU does not change while the hotplug read
 * lock is held; nothing here sleeps but seq_file's own allocations.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "kcompat.h"
#include "kvm_boot.h"
#include "vmcs_probe.h"

/* The kernel's X86_FEATURE_ bit of each vp_boot_features[] entry, or -1. */
static const int vp_boot_bits[] = {
#define VP_BOOT_FEATURE(n, ...)		X86_FEATURE_##n,
#include "kvm_boot_features.h"
#undef VP_BOOT_FEATURE
};

/* The x86_capability index of each vp_boot_words[] entry. */
static const int vp_boot_word_index[] = {
#define VP_BOOT_WORD(n)			n,
#include "kvm_boot_words.h"
#undef VP_BOOT_WORD
};

static bool vp_cap(const struct cpuinfo_x86 *c, int bit)
{
	return bit >= 0 && test_bit(bit, (unsigned long *)c->x86_capability);
}

/* Does @c differ from the boot CPU in feature @i, as @kvm reads it? */
static bool vp_feature_differs(const struct cpuinfo_x86 *c, unsigned int i,
			       enum vp_kvm kvm)
{
	int bit = vp_boot_bits[i];

	return (vp_boot_features[i].kvms & BIT(kvm)) &&
	       vp_cap(c, bit) != vp_cap(&boot_cpu_data, bit);
}

/* The bits of word @i in which @c differs from the boot CPU. */
static u32 vp_word_diff(const struct cpuinfo_x86 *c, unsigned int i)
{
	int w = vp_boot_word_index[i];

	return c->x86_capability[w] ^ boot_cpu_data.x86_capability[w];
}

/* " key=A,B": the differing features @c has (@has) or lacks. */
static void vp_boot_list(struct seq_file *m, const char *key,
			 const struct cpuinfo_x86 *c, enum vp_kvm kvm, bool has)
{
	unsigned int i, n = 0;

	seq_printf(m, " %s=", key);
	for (i = 0; i < ARRAY_SIZE(vp_boot_bits); i++) {
		if (!vp_feature_differs(c, i, kvm) ||
		    vp_cap(c, vp_boot_bits[i]) != has)
			continue;
		seq_printf(m, "%s%s", n++ ? "," : "", vp_boot_features[i].name);
	}
	if (!n)
		seq_putc(m, '-');
}

/* " words=NAME:0xBITS,...": the differing capability words. */
static void vp_boot_words_list(struct seq_file *m,
			       const struct cpuinfo_x86 *c)
{
	unsigned int i, n = 0;

	seq_puts(m, " words=");
	for (i = 0; i < ARRAY_SIZE(vp_boot_word_index); i++)
		if (vp_word_diff(c, i))
			seq_printf(m, "%s%s:0x%x", n++ ? "," : "",
				   vp_boot_words[i].name, vp_word_diff(c, i));
	if (!n)
		seq_putc(m, '-');
}

static bool vp_boot_same(const struct cpuinfo_x86 *c, enum vp_kvm kvm)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vp_boot_bits); i++)
		if (vp_feature_differs(c, i, kvm))
			return false;
	for (i = 0; i < ARRAY_SIZE(vp_boot_word_index); i++)
		if (vp_word_diff(c, i))
			return false;
	return true;
}

void vp_boot_audit_show(struct seq_file *m, enum vp_kvm kvm)
{
	unsigned int cpu;

	guard(vp_cpus_read)();
	seq_printf(m, "kvm %s\n", vp_kvm_name(kvm));
	for_each_online_cpu(cpu) {
		const struct cpuinfo_x86 *c = &cpu_data(cpu);

		seq_printf(m, "cpu%u %s", cpu,
			   vp_boot_same(c, kvm) ? "same" : "differs");
		vp_boot_list(m, "lacks", c, kvm, false);
		vp_boot_list(m, "has", c, kvm, true);
		vp_boot_words_list(m, c);
		seq_putc(m, '\n');
	}
}
