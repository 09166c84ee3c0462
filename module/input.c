// SPDX-License-Identifier: GPL-2.0
/*
 * The one parser of what is written to the module's files.
 *
 * Every writable sysfs and debugfs file takes exact text, and every one
 * of them reads it through these helpers, so that the rules are the same
 * everywhere (sysfs-abi/):
 *
 *  - no NUL byte anywhere in the write;
 *  - at most one trailing newline, and no other newline in a one-line
 *    write (inject takes several lines: one newline between two, none
 *    empty);
 *  - words separated by exactly one space, none before the first or
 *    after the last;
 *  - a word is one of a list of names, a decimal number or a hex number:
 *    decimal is "0" or a digit 1-9 followed by digits, no sign, no
 *    leading zero; hex is "0x" followed by 1 to 16 hex digits, once.
 *
 * kstrtouint() and friends are not used: they take a sign, a trailing
 * newline, and with base 16 a second "0x" prefix.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "text.h"
#include "vmcs_probe.h"

/**
 * vp_input_lines() - start parsing a write of one or more lines
 * @in: the parser, set up here
 * @buf: the written bytes
 * @len: their number
 *
 * Returns 0, or -EINVAL for an empty write or one with a NUL byte.
 */
int vp_input_lines(struct vp_input *in, const char *buf, size_t len)
{
	if (!len || memchr(buf, '\0', len))
		return -EINVAL;
	if (buf[len - 1] == '\n')
		len--;
	in->next = buf;
	in->end = buf + len;
	in->p = NULL;
	in->line_end = NULL;
	in->first = true;
	return 0;
}

/**
 * vp_input_next_line() - move to the next line of a write
 * @in: the parser
 *
 * Returns false when every line has been read.  An empty line is a line:
 * its first word fails to parse.
 */
bool vp_input_next_line(struct vp_input *in)
{
	const char *nl;

	if (!in->next)
		return false;
	in->p = in->next;
	nl = memchr(in->p, '\n', in->end - in->p);
	in->line_end = nl ? nl : in->end;
	in->next = nl ? nl + 1 : NULL;
	in->first = true;
	return true;
}

/**
 * vp_input_line() - start parsing a one-line write
 * @in: the parser, set up on the line
 * @buf: the written bytes
 * @len: their number
 *
 * Returns 0, or -EINVAL for an empty write, a NUL byte or a newline
 * other than one at the very end.
 */
int vp_input_line(struct vp_input *in, const char *buf, size_t len)
{
	int ret = vp_input_lines(in, buf, len);

	if (ret)
		return ret;
	vp_input_next_line(in);
	return in->next ? -EINVAL : 0;
}

/**
 * vp_input_word() - the next word of the line
 * @in: the parser
 * @word: its first byte (not NUL-terminated)
 * @len: its length
 *
 * A word is a non-empty run of bytes up to a space.  Returns 0 or -EINVAL.
 */
int vp_input_word(struct vp_input *in, const char **word, size_t *len)
{
	const char *p = in->p, *sp;

	if (!in->first) {
		if (p == in->line_end || *p != ' ')
			return -EINVAL;
		p++;
	}
	sp = memchr(p, ' ', in->line_end - p);
	*word = p;
	*len = (sp ? sp : in->line_end) - p;
	if (!*len)
		return -EINVAL;
	in->p = p + *len;
	in->first = false;
	return 0;
}

/**
 * vp_input_choice() - the next word, one of @names
 * @in: the parser
 * @names: the accepted words
 * @n: how many
 *
 * Returns the index of the word in @names, or -EINVAL.
 */
int vp_input_choice(struct vp_input *in, const char * const *names,
		    unsigned int n)
{
	const char *w;
	unsigned int i;
	size_t len;

	if (vp_input_word(in, &w, &len))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(w, names[i], len))
			return i;
	return -EINVAL;
}

/**
 * vp_input_uint() - the next word, a decimal number of at most @max
 * @in: the parser
 * @max: the largest value accepted
 * @val: the number
 *
 * Returns 0 or -EINVAL.
 */
int vp_input_uint(struct vp_input *in, unsigned int max, unsigned int *val)
{
	const char *w;
	size_t len;
	u64 v;

	if (vp_input_word(in, &w, &len))
		return -EINVAL;
	/* Stricter than text.c: no leading zero. */
	if ((len > 1 && w[0] == '0') || vp_dec_parse(w, len, max, &v))
		return -EINVAL;
	*val = v;
	return 0;
}

/**
 * vp_input_hex() - the next word, "0x" and 1 to 16 hex digits
 * @in: the parser
 * @val: the number
 *
 * Returns 0 or -EINVAL.
 */
int vp_input_hex(struct vp_input *in, u64 *val)
{
	const char *w;
	size_t len;
	u64 v;

	if (vp_input_word(in, &w, &len))
		return -EINVAL;
	/* Stricter than text.c: at most 16 digits, leading zeros or not. */
	if (len > 18 || vp_hex_parse(w, len, U64_MAX, &v))
		return -EINVAL;
	*val = v;
	return 0;
}

/**
 * vp_input_end() - the line must have no more words
 * @in: the parser
 *
 * Returns 0 or -EINVAL.
 */
int vp_input_end(const struct vp_input *in)
{
	return in->p == in->line_end ? 0 : -EINVAL;
}

/**
 * vp_match_word() - which of @names a one-word write is
 * @names: accepted words
 * @n: how many
 * @buf: the written bytes
 * @len: their number
 *
 * Exactly one name, optionally followed by one newline; nothing else.
 * Returns its index or -EINVAL.
 */
int vp_match_word(const char * const *names, unsigned int n,
		  const char *buf, size_t len)
{
	struct vp_input in;
	int i;

	if (vp_input_line(&in, buf, len))
		return -EINVAL;
	i = vp_input_choice(&in, names, n);
	if (i < 0 || vp_input_end(&in))
		return -EINVAL;
	return i;
}

/**
 * vp_parse_uint() - a one-number write: decimal, at most @max
 * @buf: the written bytes
 * @len: their number
 * @max: the largest value accepted
 * @val: the number
 *
 * Returns 0 or -EINVAL.
 */
int vp_parse_uint(const char *buf, size_t len, unsigned int max,
		  unsigned int *val)
{
	struct vp_input in;
	unsigned int v;

	if (vp_input_line(&in, buf, len) || vp_input_uint(&in, max, &v) ||
	    vp_input_end(&in))
		return -EINVAL;
	*val = v;
	return 0;
}
