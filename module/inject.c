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
 * A write is applied whole or not at all: one malformed line and the
 * write fails with -EINVAL, changing nothing.
 *
 * Locking: the table changes only under vp_lock.  It is read by sources
 * running in IRQ context on other CPUs, but only while the CPU that sent
 * the IPI holds vp_lock, so no reader sees a change half done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ctype.h>
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

/* A 0x-prefixed hexadecimal u64, the whole token. */
static int vp_parse_hex(const char *tok, u64 *val)
{
	if (!tok || strncmp(tok, "0x", 2) || !isxdigit(tok[2]))
		return -EINVAL;
	return kstrtou64(tok + 2, 16, val);
}

static int vp_parse_line(char *line, struct vp_injection *j, bool *clear)
{
	char *tok[6];
	unsigned int n = 0, op;
	u64 v;

	while (line && n < ARRAY_SIZE(tok)) {
		char *t = strsep(&line, " ");

		if (*t)
			tok[n++] = t;
	}
	if (line && line[strspn(line, " ")])
		return -EINVAL;	/* more words than any command has */

	if (n == 1 && !strcmp(tok[0], "clear")) {
		*clear = true;
		return 0;
	}
	if (n < 3 || strcmp(tok[0], "cpu") || kstrtouint(tok[1], 10, &j->cpu) ||
	    j->cpu >= nr_cpu_ids || !cpu_possible(j->cpu))
		return -EINVAL;

	if (n == 3) {
		if (!strcmp(tok[2], "novmx"))
			j->op = VP_INJ_NOVMX;
		else if (!strcmp(tok[2], "vmx_disabled"))
			j->op = VP_INJ_VMX_DISABLED;
		else
			return -EINVAL;
		return 0;
	}
	if (strcmp(tok[2], "msr") || vp_parse_hex(tok[3], &v) ||
	    v > U32_MAX || vp_raw_slot(v) < 0)
		return -EINVAL;
	j->index = v;
	if (n == 5 && !strcmp(tok[4], "fault")) {
		j->op = VP_INJ_FAULT;
		return 0;
	}
	if (n != 6)
		return -EINVAL;
	for (op = VP_INJ_SET; op <= VP_INJ_VALUE; op++)
		if (!strcmp(tok[4], vp_inject_op_names[op]))
			break;
	if (op > VP_INJ_VALUE || vp_parse_hex(tok[5], &j->arg))
		return -EINVAL;
	j->op = op;
	return 0;
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
	char *text __free(kfree) = NULL;
	unsigned int nr, added = 0;
	bool clear = false;
	char *p, *line;

	lockdep_assert_held(&vp_lock);
	if (!len || memchr(buf, '\0', len))
		return -EINVAL;
	text = kmemdup_nul(buf, len, GFP_KERNEL);
	new = kcalloc(VP_INJECT_MAX, sizeof(*new), GFP_KERNEL);
	if (!text || !new)
		return -ENOMEM;

	/* One trailing newline ends the last line; no empty lines else. */
	if (text[len - 1] == '\n')
		text[len - 1] = '\0';
	p = text;
	nr = vp_nr_inj;
	while ((line = strsep(&p, "\n"))) {
		struct vp_injection j = {};
		bool c = false;

		if (vp_parse_line(line, &j, &c))
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
