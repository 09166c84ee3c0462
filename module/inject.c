// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: make CPUs look different, on demand.
 *
 * An overlay of commands, applied in order to every value a source
 * returns (source.c), in the spirit of the kernel's fault-injection and
 * LKDTM interfaces.  Grammar of a write to debugfs "inject", one command
 * per line:
 *
 *   cpu <n> msr 0x<index> set 0x<mask>     force bits to 1
 *   cpu <n> msr 0x<index> clear 0x<mask>   force bits to 0
 *   cpu <n> msr 0x<index> value 0x<value>  replace the value
 *   cpu <n> msr 0x<index> fault            the read faults, as on #GP
 *   cpu <n> novmx                          CPUID.1:ECX.VMX reads 0
 *   cpu <n> vmx_disabled                   IA32_FEAT_CTL reads locked,
 *                                          VMX off
 *   clear                                  remove every injection
 *
 * Words are separated by one space, <n> is decimal and the others are
 * hex, read by input.c's strict parser.  A write is applied whole or not
 * at all: one malformed line and the write fails with -EINVAL, changing
 * nothing.
 *
 * Locking: the table changes only under vp_lock.  It is read by sources
 * running in IRQ context on other CPUs, but only while the CPU that sent
 * the IPI holds vp_lock, so no reader sees a change half done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vmcs_probe.h"
#include "vmx_regs.h"

enum vp_inject_op {
	VP_INJ_SET,
	VP_INJ_CLEAR,
	VP_INJ_VALUE,
	VP_INJ_FAULT,
	VP_INJ_NOVMX,
	VP_INJ_VMX_DISABLED,
};

static const char * const vp_inject_op_names[] = {
	[VP_INJ_SET]	      = "set",
	[VP_INJ_CLEAR]	      = "clear",
	[VP_INJ_VALUE]	      = "value",
	[VP_INJ_FAULT]	      = "fault",
	[VP_INJ_NOVMX]	      = "novmx",
	[VP_INJ_VMX_DISABLED] = "vmx_disabled",
};

struct vp_injection {
	unsigned int cpu;
	enum vp_inject_op op;
	u32 index;		/* MSR, for the msr commands */
	u64 arg;		/* mask or value */
};

static struct vp_injection vp_inj[VP_INJECT_MAX];
static unsigned int vp_nr_inj;

/* IA32_FEAT_CTL as "vmx_disabled" presents it: locked, no VMXON. */
#define VP_FEAT_CTL_LOCKED_VMX_OFF	VP_FEAT_CTL_LOCKED

bool vp_inject_msr(unsigned int cpu, u32 index, u64 *val, int *err)
{
	bool hit = false;
	unsigned int i;

	for (i = 0; i < vp_nr_inj; i++) {
		const struct vp_injection *j = &vp_inj[i];

		if (j->cpu != cpu)
			continue;
		if (j->op == VP_INJ_VMX_DISABLED && index == VP_MSR_FEAT_CTL) {
			*val = VP_FEAT_CTL_LOCKED_VMX_OFF;
			*err = 0;
			hit = true;
			continue;
		}
		if (j->op > VP_INJ_FAULT || j->index != index)
			continue;
		hit = true;
		switch (j->op) {
		case VP_INJ_SET:
			*val |= j->arg;
			break;
		case VP_INJ_CLEAR:
			*val &= ~j->arg;
			break;
		case VP_INJ_VALUE:
			*val = j->arg;
			*err = 0;
			break;
		default:
			*err = -EIO;
			break;
		}
	}
	return hit;
}

bool vp_inject_cpuid1_ecx(unsigned int cpu, u32 *ecx)
{
	unsigned int i;

	for (i = 0; i < vp_nr_inj; i++) {
		if (vp_inj[i].cpu == cpu && vp_inj[i].op == VP_INJ_NOVMX) {
			*ecx &= ~VP_CPUID1_ECX_VMX;
			return true;
		}
	}
	return false;
}

/* The verbs of "cpu <n> ..."; those after "msr 0x<index>" are set..fault. */
static const char * const vp_cpu_verbs[] = { "msr", "novmx", "vmx_disabled" };

/* One line: "clear" (sets *@clear) or a command (fills @j). */
static int vp_parse_line(struct vp_input *in, struct vp_injection *j,
			 bool *clear)
{
	static const char * const first[] = { "clear", "cpu" };
	int word, op;
	u64 v;

	word = vp_input_choice(in, first, ARRAY_SIZE(first));
	if (word < 0)
		return -EINVAL;
	if (word == 0) {
		*clear = true;
		return vp_input_end(in);
	}
	if (vp_input_uint(in, nr_cpu_ids - 1, &j->cpu) ||
	    !cpu_possible(j->cpu))
		return -EINVAL;

	word = vp_input_choice(in, vp_cpu_verbs, ARRAY_SIZE(vp_cpu_verbs));
	if (word == 1 || word == 2) {
		j->op = word == 1 ? VP_INJ_NOVMX : VP_INJ_VMX_DISABLED;
		return vp_input_end(in);
	}
	if (word < 0 || vp_input_hex(in, &v) || v > U32_MAX ||
	    vp_raw_slot(v) < 0)
		return -EINVAL;
	j->index = v;
	op = vp_input_choice(in, vp_inject_op_names, VP_INJ_FAULT + 1);
	if (op < 0)
		return -EINVAL;
	j->op = op;
	if (op != VP_INJ_FAULT && vp_input_hex(in, &j->arg))
		return -EINVAL;
	return vp_input_end(in);
}

/**
 * vp_inject_write() - apply a write to debugfs "inject"
 * @buf: the text, NUL-terminated at @len
 * @len: its length
 *
 * Caller holds vp_lock.  Returns 0 or -EINVAL (nothing changed).
 */
int vp_inject_write(const char *buf, size_t len)
{
	struct vp_injection *new __free(kfree) = NULL;
	unsigned int nr, added = 0;
	struct vp_input in;
	bool clear = false;

	lockdep_assert_held(&vp_lock);
	/* One trailing newline ends the last line; no empty lines else. */
	if (vp_input_lines(&in, buf, len))
		return -EINVAL;
	new = kcalloc(VP_INJECT_MAX, sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	nr = vp_nr_inj;
	while (vp_input_next_line(&in)) {
		struct vp_injection j = {};
		bool c = false;

		if (vp_parse_line(&in, &j, &c))
			return -EINVAL;
		if (c) {
			clear = true;
			nr = 0;
			added = 0;
			continue;
		}
		if (nr + added == VP_INJECT_MAX)
			return -EINVAL;
		new[added++] = j;
	}

	if (clear)
		vp_nr_inj = 0;
	memcpy(&vp_inj[vp_nr_inj], new, added * sizeof(*new));
	vp_nr_inj += added;
	return 0;
}

void vp_inject_clear(void)
{
	lockdep_assert_held(&vp_lock);
	vp_nr_inj = 0;
}

/* The active injections, one command per line, as they can be written. */
void vp_inject_show(struct seq_file *m)
{
	unsigned int i;

	lockdep_assert_held(&vp_lock);
	for (i = 0; i < vp_nr_inj; i++) {
		const struct vp_injection *j = &vp_inj[i];

		seq_printf(m, "cpu %u ", j->cpu);
		if (j->op >= VP_INJ_NOVMX)
			seq_printf(m, "%s\n", vp_inject_op_names[j->op]);
		else if (j->op == VP_INJ_FAULT)
			seq_printf(m, "msr 0x%x fault\n", j->index);
		else
			seq_printf(m, "msr 0x%x %s 0x%llx\n", j->index,
				   vp_inject_op_names[j->op], j->arg);
	}
}
