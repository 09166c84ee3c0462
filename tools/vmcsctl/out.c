// SPDX-License-Identifier: GPL-2.0
/*
 * Output is built in memory and written only once a command has
 * succeeded, so that an error never leaves partial output that looks
 * complete.  A file named with -o is written beside its final name, as
 * a dot file (".NAME.tmp.PID", which neither node_exporter's textfile
 * collector nor NFD's local source reads), and renamed into place.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->oom)
		return;
	for (;;) {
		size_t room = o->cap - o->len, cap;
		char *nbuf;
		int n;

		va_start(ap, fmt);
		n = vsnprintf(o->buf ? o->buf + o->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = true;
			return;
		}
		if ((size_t)n < room) {
			o->len += n;
			return;
		}
		cap = o->cap ? o->cap * 2 : 4096;
		while (cap - o->len <= (size_t)n)
			cap *= 2;
		nbuf = realloc(o->buf, cap);
		if (!nbuf) {
			o->oom = true;
			return;
		}
		o->buf = nbuf;
		o->cap = cap;
	}
}

/* A JSON string: quotes, backslashes and control characters escaped. */
void out_json_str(struct out *o, const char *s)
{
	out_printf(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			out_printf(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			out_printf(o, "\\u%04x", c);
		else
			out_printf(o, "%c", c);
	}
	out_printf(o, "\"");
}

static int write_all(FILE *f, const struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, f) != o->len)
		return -1;
	return fflush(f) ? -1 : 0;
}

int out_flush(struct out *o, const char *path)
{
	const char *base;
	char tmp[4096];
	FILE *f;

	if (o->oom) {
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	if (!path || !strcmp(path, "-")) {
		if (write_all(stdout, o)) {
			vmcsctl_err("writing output: %s", strerror(errno));
			return EXIT_MALFORMED;
		}
		return EXIT_OK;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp.%ld",
			     (int)(base - path), path, base,
			     (long)getpid()) >= sizeof(tmp)) {
		vmcsctl_err("%s: path too long", path);
		return EXIT_USAGE;
	}
	f = fopen(tmp, "w");
	if (!f) {
		vmcsctl_err("%s: %s", tmp, strerror(errno));
		return EXIT_USAGE;
	}
	if (write_all(f, o) | fclose(f)) {
		vmcsctl_err("%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return EXIT_USAGE;
	}
	if (rename(tmp, path)) {
		vmcsctl_err("%s: %s", path, strerror(errno));
		unlink(tmp);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = 0;
	o->cap = 0;
}

int out_line(void *ctx, const char *line)
{
	out_printf(ctx, "%s\n", line);
	return 0;
}
