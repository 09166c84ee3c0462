// SPDX-License-Identifier: GPL-2.0
/*
 * The "install" rules of a modprobe.d file (modprobe.d(5)): logical lines
 * (a backslash joins the next line), '#' comments, words split at blanks,
 * module names with '-' and '_' alike.  Pure: buffer in, callback per
 * rule; the fuzz target drives it.
 */
#include <string.h>

#include "vmcsctl.h"

/* Does word @w (length @n) name module @mod, '-' and '_' alike? */
static bool mod_eq(const char *w, size_t n, const char *mod)
{
	size_t i;

	for (i = 0; i < n && mod[i]; i++) {
		char a = w[i] == '-' ? '_' : w[i];
		char b = mod[i] == '-' ? '_' : mod[i];

		if (a != b)
			return false;
	}
	return i == n && !mod[i];
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Copy logical line text, joined at backslash-newline, up to @size - 1. */
static size_t logical_line(const struct text *t, size_t *pos,
			   unsigned int *no, char *buf, size_t size)
{
	size_t n = 0;

	(*no)++;
	while (*pos < t->len && t->buf[*pos] != '\n') {
		char c = t->buf[(*pos)++];

		if (c == '\\' && *pos < t->len && t->buf[*pos] == '\n') {
			(*pos)++;
			(*no)++;
			c = ' ';
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	if (*pos < t->len)
		(*pos)++;
	buf[n] = '\0';
	return n;
}

int modprobe_install_rules(const struct text *t, const char * const *mods,
			   void (*fn)(void *ctx, unsigned int line,
				      const char *mod, const char *cmd),
			   void *ctx)
{
	unsigned int no = 0, found = 0, m;
	size_t pos = 0, i, w;
	char buf[4096];

	while (pos < t->len) {
		unsigned int first = no + 1;
		size_t n = logical_line(t, &pos, &no, buf, sizeof(buf));

		if (memchr(buf, '\0', n))
			continue;
		for (i = 0; i < n && blank(buf[i]); i++)
			;
		if (n - i < 8 || memcmp(buf + i, "install", 7) ||
		    !blank(buf[i + 7]))
			continue;
		for (i += 7; i < n && blank(buf[i]); i++)
			;
		for (w = i; w < n && !blank(buf[w]); w++)
			;
		for (m = 0; mods[m]; m++) {
			if (!mod_eq(buf + i, w - i, mods[m]))
				continue;
			while (w < n && blank(buf[w]))
				w++;
			found++;
			if (fn)
				fn(ctx, first, mods[m], buf + w);
		}
	}
	return found;
}
