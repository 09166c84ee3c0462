// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's messages about the CPUs it refuses, found in kernel log text:
 * dmesg output (with or without timestamps), /dev/kmsg records, syslog or
 * journal lines.  The formats are module/kvm_layout.c's, matched as
 * printf() formats; everything else in the log is skipped.  Pure: buffer
 * in, events out, first problem reported as "FILE:LINE: message" with
 * EXIT_MALFORMED (the fuzz target drives it directly).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/* The values one message carries, in the order of its conversions. */
struct fmt_vals {
	unsigned long long num[5];
	bool neg[5];
	unsigned int nr;
	char str[KLOG_ARG_MAX];
};

/* 1 to @max digits of @base at @s (length @n): their count, or 0. */
static size_t scan_num(const char *s, size_t n, unsigned int base, size_t max,
		       unsigned long long *val)
{
	size_t i;

	*val = 0;
	for (i = 0; i < n && i < max; i++) {
		unsigned int d;

		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			break;
		*val = *val * base + d;
	}
	/* One more digit than a 32-bit value has: not this format. */
	if (i < n && i == max && isxdigit((unsigned char)s[i]))
		return 0;
	return i;
}

/*
 * Does @s (length @n) read as @fmt, up to trailing blanks?  The kernel's
 * conversions KVM uses: %d, %u, %x with an optional 0-padded width (the
 * value must fit 32 bits) and %s (up to the format's next character).
 */
static bool fmt_match(const char *fmt, const char *s, size_t n,
		      struct fmt_vals *v)
{
	size_t i = 0;

	v->nr = 0;
	v->str[0] = '\0';
	while (*fmt) {
		unsigned long long val;
		size_t got;
		char conv;

		if (*fmt != '%') {
			if (i >= n || s[i] != *fmt)
				return false;
			i++;
			fmt++;
			continue;
		}
		fmt++;
		while (*fmt == '0' || isdigit((unsigned char)*fmt))
			fmt++;
		conv = *fmt++;
		if (conv == 's') {
			size_t start = i, len;

			while (i < n && s[i] != *fmt)
				i++;
			len = i - start;
			if (!len || len >= sizeof(v->str))
				return false;
			memcpy(v->str, s + start, len);
			v->str[len] = '\0';
			continue;
		}
		if (v->nr >= ARRAY_SIZE(v->num))
			return false;
		v->neg[v->nr] = conv == 'd' && i < n && s[i] == '-';
		if (v->neg[v->nr])
			i++;
		got = scan_num(s + i, n - i, conv == 'x' ? 16 : 10,
			       conv == 'x' ? 8 : 10, &val);
		if (!got || val > 0xffffffffULL)
			return false;
		i += got;
		v->num[v->nr++] = val;
	}
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i == n;
}

/* The literal text a format starts with, leading blanks skipped. */
static size_t fmt_key(const char *fmt, const char **key)
{
	while (*fmt == ' ')
		fmt++;
	*key = fmt;
	return strcspn(fmt, "%");
}

/*
 * Skip what logs put before the message: a /dev/kmsg header
 * ("6,1234,5678,-;"), a syslog level ("<3>") and a dmesg timestamp
 * ("[   12.345678] ").  Journal and syslog lines keep their prefix: the
 * message is searched for in the line.
 */
static size_t skip_prefix(const char *s, size_t n)
{
	size_t i = 0, j;

	j = strspn(s, "0123456789,-+cCxX");
	if (j && j < n && s[j] == ';' && memchr(s, ',', j))
		i = j + 1;
	if (i < n && s[i] == '<') {
		j = i + 1;
		while (j < n && isdigit((unsigned char)s[j]))
			j++;
		if (j < n && j > i + 1 && s[j] == '>')
			i = j + 1;
	}
	if (i < n && s[i] == '[') {
		const char *end = memchr(s + i, ']', n - i);

		if (end && (size_t)(end - s) - i <= 20 &&
		    strspn(s + i + 1, " 0123456789.") == (size_t)(end - s) - i - 1) {
			i = end - s + 1;
			if (i < n && s[i] == ' ')
				i++;
		}
	}
	return i;
}

static int klog_add(struct klog *k, const struct klog_event *e)
{
	if (k->nr >= KLOG_EVENTS_MAX ||
	    array_grow((void **)&k->ev, k->nr, sizeof(*k->ev)))
		return -1;
	k->ev[k->nr++] = *e;
	return 0;
}

/*
 * One line of message text (after any prefix).  Offset lines count only
 * right after a 7.x header or another offset line: "Offset " alone is
 * too common a word.  Returns 0 or an exit code.
 */
static int klog_line(const struct text *t, unsigned int no, const char *s,
		     size_t n, struct klog *k, bool *in_offsets)
{
	const struct vp_klog_msg *m;
	struct klog_event e = { .line = no, .cpu = -1 };
	struct fmt_vals v;
	unsigned int i;

	for (i = 0; i < vp_nr_klog_msgs; i++) {
		const char *key, *at;
		size_t klen;

		m = &vp_klog_msgs[i];
		klen = fmt_key(m->fmt, &key);
		if (m->kind == VP_KLOG_OFFSET && !*in_offsets)
			continue;
		at = memmem(s, n, key, klen);
		if (!at)
			continue;
		if (!fmt_match(key, at, n - (at - s), &v)) {
			/* smpboot has other "CPU N ..." lines. */
			if (m->kind == VP_KLOG_OFFLINE)
				continue;
			return text_err(t, no, "not KVM's \"%s\" as any mirrored version prints it",
					m->fmt);
		}
		e.msg = m;
		snprintf(e.text, sizeof(e.text), "%.*s", (int)(n - (at - s)), at);
		str_copy(e.arg, sizeof(e.arg), v.str);
		if (m->kind == VP_KLOG_OFFSET) {
			e.offset = v.num[0];
			e.ref = v.num[1];
			e.cpu = v.num[2];
			e.val = v.num[3];
			e.mismatch = v.num[4];
			if ((e.ref ^ e.val) != e.mismatch)
				return text_err(t, no,
						"mismatch 0x%08x is not REF ^ CPU%d (0x%08x)",
						e.mismatch, e.cpu, e.ref ^ e.val);
			if (e.offset % 4)
				return text_err(t, no, "offset %u is not a multiple of 4",
						e.offset);
		} else if (v.nr) {
			if (v.neg[0] || v.num[0] > KLOG_CPU_MAX)
				return text_err(t, no, "CPU number out of range");
			e.cpu = v.num[0];
		}
		*in_offsets = m->kind == VP_KLOG_COMPAT_OFFSETS ||
			      m->kind == VP_KLOG_OFFSET;
		if (klog_add(k, &e))
			return text_err(t, no, "more than %d KVM messages",
					KLOG_EVENTS_MAX);
		return 0;
	}
	*in_offsets = false;
	return 0;
}

int parse_klog(const struct text *t, struct klog *k)
{
	bool in_offsets = false;
	const char *nul, *line;
	unsigned int no = 0;
	size_t pos = 0, n;
	char buf[KLOG_LINE_MAX];

	memset(k, 0, sizeof(*k));
	nul = memchr(t->buf, '\0', t->len);
	if (nul) {
		for (pos = 0; t->buf + pos < nul; pos++)
			no += t->buf[pos] == '\n';
		return text_err(t, no + 1, "NUL byte: not a text log");
	}
	while ((line = text_line(t, &pos, &n))) {
		const char *esc;
		size_t skip;
		int ret;

		no++;
		/* Longer lines are not KVM's: look at their start only. */
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (n && buf[n - 1] == '\r')
			buf[--n] = '\0';
		skip = skip_prefix(buf, n);
		line = buf + skip;
		n -= skip;
		/* /dev/kmsg escapes the newlines of a pr_cont()ed record. */
		while ((esc = memmem(line, n, "\\x0a", 4))) {
			ret = klog_line(t, no, line, esc - line, k, &in_offsets);
			if (ret)
				return ret;
			n -= esc - line + 4;
			line = esc + 4;
		}
		ret = klog_line(t, no, line, n, k, &in_offsets);
		if (ret)
			return ret;
	}
	return 0;
}

void klog_free(struct klog *k)
{
	free(k->ev);
	memset(k, 0, sizeof(*k));
}
