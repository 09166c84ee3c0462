// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmcsctl's readers of system text, on the same input:
 * the kernel log parser (klog.c), which must return 0 or EXIT_MALFORMED
 * and hand back only events whose fields are in range, and the
 * modprobe.d install-rule scanner (modprobe.c), and the tracefs trace
 * reader (ktrace.c).  None may read or write out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/* The parsers' one link to vmcsctl.c: their messages, muted here. */
void vmcsctl_err(const char *fmt, ...)
{
	(void)fmt;
}

static void count(void *ctx, unsigned int line, const char *mod,
		  const char *cmd)
{
	if (!line || !mod || strlen(cmd) >= 4096)
		abort();
	(*(unsigned int *)ctx)++;
}

/* The trace reader: 0 or EXIT_MALFORMED, CPUs in range. */
static bool check_trace(const struct text *t)
{
	struct msr_trace tr;
	unsigned int i;
	int ret = parse_msr_trace(t, &tr);
	bool ok = !ret || ret == EXIT_MALFORMED;

	for (i = 0; i < tr.nr; i++)
		ok &= tr.recs[i].cpu <= KLOG_CPU_MAX && tr.recs[i].line > 0;
	msr_trace_free(&tr);
	return ok;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct text t = { .name = "fuzz", .len = size };
	static const char * const mods[] = { "kvm_intel", "kvm_amd", NULL };
	unsigned int i, found = 0;
	struct klog k;
	char *buf;
	int ret;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	t.buf = buf;
	ret = parse_klog(&t, &k);
	if (ret != 0 && ret != EXIT_MALFORMED)
		abort();
	for (i = 0; i < k.nr; i++) {
		const struct klog_event *e = &k.ev[i];

		if (!e->msg || e->cpu > KLOG_CPU_MAX || e->line == 0 ||
		    !memchr(e->text, '\0', sizeof(e->text)))
			abort();
		if (e->msg->kind == VP_KLOG_OFFSET &&
		    ((e->ref ^ e->val) != e->mismatch || e->offset % 4))
			abort();
	}
	klog_free(&k);
	if (modprobe_install_rules(&t, mods, count, &found) != (int)found)
		abort();
	if (!check_trace(&t))
		abort();
	free(buf);
	return 0;
}
