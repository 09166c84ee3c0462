// SPDX-License-Identifier: GPL-2.0
/*
 * The lines of a tracefs "trace" file that audit-load asks for: msr's
 * read_msr ("%x, value %llx%s", " #GP" when the read faulted) and
 * sched's sched_process_fork ("comm=%s pid=%d child_comm=%s
 * child_pid=%d"), each after the default prefix
 * "<comm>-<pid> [<cpu>] <flags> <timestamp>: <event>: ".  Comment lines
 * and other events are skipped; a read_msr or sched_process_fork line
 * that does not parse is refused as "FILE:LINE".  Pure: buffer in,
 * records out (the fuzz target drives it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/* A number at @s in @base, at most @max; *end: the first byte after. */
static bool num(const char *s, const char **end, int base,
		unsigned long long max, unsigned long long *v)
{
	char *e;

	if (!(base == 16 ? isxdigit((unsigned char)*s) :
			   isdigit((unsigned char)*s)))
		return false;
	*v = strtoull(s, &e, base);
	*end = e;
	return *v <= max;
}

static int trace_add(struct msr_trace *tr, const struct trace_rec *r)
{
	if (tr->nr >= TRACE_RECS_MAX ||
	    array_grow((void **)&tr->recs, tr->nr, sizeof(*tr->recs)))
		return -1;
	tr->recs[tr->nr++] = *r;
	return 0;
}

/* One line, NUL-terminated: 0 (added or skipped) or an exit code. */
static int trace_line(const struct text *t, unsigned int no, char *s,
		      struct msr_trace *tr)
{
	struct trace_rec r = { .line = no };
	unsigned long long v;
	char *cpu, *dash, *ev;
	const char *e;

	while (*s == ' ')
		s++;
	if (*s == '#' || !*s)
		return 0;
	ev = strstr(s, ": read_msr: ");
	if (ev) {
		r.kind = TRACE_READ_MSR;
	} else {
		ev = strstr(s, ": sched_process_fork: ");
		if (!ev)
			return 0;
		r.kind = TRACE_FORK;
	}
	/* "<comm>-<pid> [<cpu>]": the comm may hold '-' and blanks. */
	cpu = strstr(s, " [");
	if (!cpu || cpu > ev)
		return text_err(t, no, "no '[CPU]' before the event");
	*cpu = '\0';
	dash = strrchr(s, '-');
	if (!dash || !num(dash + 1, &e, 10, 0x7fffffff, &v) ||
	    strspn(e, " ") != strlen(e))
		return text_err(t, no, "no '<task>-<pid>' before the CPU");
	r.pid = v;
	*dash = '\0';
	snprintf(r.comm, sizeof(r.comm), "%.*s", (int)sizeof(r.comm) - 1, s);
	if (!num(cpu + 2, &e, 10, KLOG_CPU_MAX, &v) || *e != ']')
		return text_err(t, no, "bad CPU number");
	r.cpu = v;
	if (r.kind == TRACE_READ_MSR) {
		s = ev + strlen(": read_msr: ");
		if (!num(s, &e, 16, 0xffffffffULL, &v) ||
		    strncmp(e, ", value ", 8))
			return text_err(t, no, "expected 'read_msr: <msr>, value <value>'");
		r.msr = v;
		if (!num(e + 8, &e, 16, ~0ULL, &r.val))
			return text_err(t, no, "bad MSR value");
		r.fault = !strncmp(e, " #GP", 4);
		if (r.fault)
			e += 4;
		if (strspn(e, " \r") != strlen(e))
			return text_err(t, no, "unexpected text after the value");
	} else {
		s = strstr(ev, " child_pid=");
		if (!s || !num(s + 11, &e, 10, 0x7fffffff, &v) ||
		    strspn(e, " \r") != strlen(e))
			return text_err(t, no, "expected 'child_pid=<pid>'");
		/* The forking task is the line's own. */
		r.child = v;
	}
	if (trace_add(tr, &r))
		return text_err(t, no, "more than %d records", TRACE_RECS_MAX);
	return 0;
}

int parse_msr_trace(const struct text *t, struct msr_trace *tr)
{
	const char *line;
	unsigned int no = 0;
	size_t pos = 0, n;
	char buf[512];

	memset(tr, 0, sizeof(*tr));
	while ((line = text_line(t, &pos, &n))) {
		int ret;

		no++;
		if (memchr(line, '\0', n))
			return text_err(t, no, "NUL byte");
		if (n >= sizeof(buf))
			continue;	/* not one of ours: they are short */
		memcpy(buf, line, n);
		buf[n] = '\0';
		ret = trace_line(t, no, buf, tr);
		if (ret)
			return ret;
	}
	return 0;
}

void msr_trace_free(struct msr_trace *tr)
{
	free(tr->recs);
	memset(tr, 0, sizeof(*tr));
}
