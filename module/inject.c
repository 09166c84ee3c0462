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

struct vp_injection;

/*
 * The operations, one row each: a new one is a row and its function.
 * @msr: the command names an MSR ("cpu <n> msr 0x<index> NAME"), else it
 * stands alone ("cpu <n> NAME"); @arg: a hex argument follows.
 * @read_msr changes a read of the injection's MSR on its CPU, @cpuid1_ecx
 * CPUID.1:ECX there.  A standalone operation on an MSR names the MSR and
 * the argument in its row (@index, @fixed_arg).
 */
struct vp_inject_op {
	const char *name;
	bool msr;
	bool arg;
	void (*read_msr)(const struct vp_injection *j, u64 *val, int *err);
	void (*cpuid1_ecx)(const struct vp_injection *j, u32 *ecx);
	u32 index;
	u64 fixed_arg;
};

struct vp_injection {
	unsigned int cpu;
	const struct vp_inject_op *op;
	u32 index;		/* the MSR that op->read_msr changes */
	u64 arg;		/* mask or value */
};

static struct vp_injection vp_inj[VP_INJECT_MAX];
static unsigned int vp_nr_inj;

/* IA32_FEAT_CTL as "vmx_disabled" presents it: locked, no VMXON. */
#define VP_FEAT_CTL_LOCKED_VMX_OFF	VP_FEAT_CTL_LOCKED

static void vp_inj_set(const struct vp_injection *j, u64 *val, int *err)
{
	*val |= j->arg;
}

static void vp_inj_clear(const struct vp_injection *j, u64 *val, int *err)
{
	*val &= ~j->arg;
}

static void vp_inj_value(const struct vp_injection *j, u64 *val, int *err)
{
	*val = j->arg;
	*err = 0;
}

static void vp_inj_fault(const struct vp_injection *j, u64 *val, int *err)
{
	*err = -EIO;
}

static void vp_inj_novmx(const struct vp_injection *j, u32 *ecx)
{
	*ecx &= ~VP_CPUID1_ECX_VMX;
}

static const struct vp_inject_op vp_inject_ops[] = {
	{ "set",	  true,	 true,	vp_inj_set,	NULL },
	{ "clear",	  true,	 true,	vp_inj_clear,	NULL },
	{ "value",	  true,	 true,	vp_inj_value,	NULL },
	{ "fault",	  true,	 false,	vp_inj_fault,	NULL },
	{ "novmx",	  false, false,	NULL,		vp_inj_novmx },
	{ "vmx_disabled", false, false,	vp_inj_value,	NULL,
	  VP_MSR_FEAT_CTL, VP_FEAT_CTL_LOCKED_VMX_OFF },
};

bool vp_inject_msr(unsigned int cpu, u32 index, u64 *val, int *err)
{
	bool hit = false;
	unsigned int i;

	for (i = 0; i < vp_nr_inj; i++) {
		const struct vp_injection *j = &vp_inj[i];

		if (j->cpu == cpu && j->op->read_msr && j->index == index) {
			j->op->read_msr(j, val, err);
			hit = true;
		}
	}
	return hit;
}

bool vp_inject_cpuid1_ecx(unsigned int cpu, u32 *ecx)
{
	bool hit = false;
	unsigned int i;

	for (i = 0; i < vp_nr_inj; i++) {
		const struct vp_injection *j = &vp_inj[i];

		if (j->cpu == cpu && j->op->cpuid1_ecx) {
			j->op->cpuid1_ecx(j, ecx);
			hit = true;
		}
	}
	return hit;
}

/* The operation named by the next word, of the kind @msr, or NULL. */
static const struct vp_inject_op *vp_inject_op_word(struct vp_input *in,
						    bool msr)
{
	const char *w;
	unsigned int i;
	size_t len;

	if (vp_input_word(in, &w, &len))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(vp_inject_ops); i++)
		if (vp_inject_ops[i].msr == msr &&
		    strlen(vp_inject_ops[i].name) == len &&
		    !memcmp(w, vp_inject_ops[i].name, len))
			return &vp_inject_ops[i];
	return NULL;
}

/* One line: "clear" (sets *@clear) or a command (fills @j). */
static int vp_parse_line(struct vp_input *in, struct vp_injection *j,
			 bool *clear)
{
	static const char * const first[] = { "clear", "cpu" };
	struct vp_input after_cpu;
	static const char * const msr[] = { "msr" };
	int word;
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

	/* "cpu <n> NAME" for a standalone operation, else "msr ...". */
	after_cpu = *in;
	j->op = vp_inject_op_word(in, false);
	if (j->op) {
		j->index = j->op->index;
		j->arg = j->op->fixed_arg;
		return vp_input_end(in);
	}
	*in = after_cpu;
	if (vp_input_choice(in, msr, ARRAY_SIZE(msr)) < 0 ||
	    vp_input_hex(in, &v) || v > U32_MAX || vp_raw_slot(v) < 0)
		return -EINVAL;
	j->index = v;
	j->op = vp_inject_op_word(in, true);
	if (!j->op)
		return -EINVAL;
	if (j->op->arg && vp_input_hex(in, &j->arg))
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
		if (!j->op->msr)
			seq_printf(m, "%s\n", j->op->name);
		else if (!j->op->arg)
			seq_printf(m, "msr 0x%x %s\n", j->index, j->op->name);
		else
			seq_printf(m, "msr 0x%x %s 0x%llx\n", j->index,
				   j->op->name, j->arg);
	}
}
