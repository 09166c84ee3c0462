// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the snapshot parser (module/snapshot.c), fed any
 * bytes.  Whatever it accepts must survive emit -> parse unchanged, so
 * parser and emitter are fuzzed together.
 */
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

static struct vp_snapshot a, b;
static char text[4 * 1024 * 1024];
static size_t len;

static int add_line(void *ctx, const char *line)
{
	size_t n = strlen(line);

	(void)ctx;
	if (n >= VP_SNAPSHOT_LINE_MAX || len + n + 1 > sizeof(text))
		abort();
	memcpy(text + len, line, n);
	len += n;
	text[len++] = '\n';
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct vp_snapshot_error err;
	unsigned int i;

	if (vp_snapshot_parse((const char *)data, size, &a, &err)) {
		/* A rejection names a line within the input and a reason. */
		if (!err.line || !err.msg[0] ||
		    strlen(err.msg) >= sizeof(err.msg))
			abort();
		return 0;
	}
	if (!a.nr_cpus || a.nr_cpus > VP_SNAPSHOT_MAX_CPUS)
		abort();
	len = 0;
	if (vp_snapshot_emit(&a, add_line, NULL))
		abort();
	if (vp_snapshot_parse(text, len, &b, &err))
		abort();
	if (a.nr_cpus != b.nr_cpus || a.hdr.present != b.hdr.present ||
	    strcmp(a.hdr.source, b.hdr.source))
		abort();
	for (i = 0; i < a.nr_cpus; i++)
		if (a.cpus[i].cpu != b.cpus[i].cpu ||
		    memcmp(&a.cpus[i].raw, &b.cpus[i].raw, sizeof(a.cpus[i].raw)))
			abort();
	if (vp_snapshot_find_cpu(&a, a.cpus[0].cpu) != &a.cpus[0])
		abort();
	return 0;
}
