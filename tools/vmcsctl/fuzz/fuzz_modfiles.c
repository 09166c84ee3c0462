// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmcsctl's parsers of the module's files (parse.c).
 * The first byte picks the parser, the rest is the file.  A parser must
 * return 0 or EXIT_MALFORMED, and never read or write out of bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/* The parsers' one link to vmcsctl.c: their messages, muted here. */
void vmcsctl_err(const char *fmt, ...)
{
	(void)fmt;
}

static int check(int ret)
{
	if (ret != 0 && ret != EXIT_MALFORMED)
		abort();
	return ret;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct text t = { .name = "fuzz" };
	struct config_file cf;
	struct compat_file cp;
	struct compat_entry ce;
	struct support_file sp;
	struct boot_file bc;
	struct trace_file tr;
	struct choice ch;
	unsigned long long gen;
	char word[WORD_MAX];
	bool want[128];
	char *buf;

	if (!size)
		return 0;
	/* A copy of exactly the input: ASan sees any overread. */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	t.buf = buf;
	t.len = size - 1;

	switch (data[0] % 10) {
	case 0:
		if (!check(parse_config(&t, &cf)) &&
		    (cf.cpu >= VP_SNAPSHOT_CPU_LIMIT || !cf.mode[0]))
			abort();
		break;
	case 1:
		check(parse_compat(&t, &cp));
		compat_file_free(&cp);
		break;
	case 2:
		if (!check(parse_cpu_compat(&t, &ce, &gen)) && !ce.status[0])
			abort();
		break;
	case 3:
		check(parse_support(&t, &sp));
		support_file_free(&sp);
		break;
	case 4:
		check(parse_trace(&t, &tr));
		break;
	case 5:
		if (!check(parse_choice(&t, &ch)) &&
		    (ch.current < 0 || (unsigned int)ch.current >= ch.nr))
			abort();
		break;
	case 6:
		check(parse_status_word(&t, word));
		break;
	case 7:
		check(parse_generation(&t, &gen));
		break;
	case 8:
		if (vmx_nr_features > ARRAY_SIZE(want))
			abort();
		check(parse_feature_list(&t, want));
		break;
	case 9:
		check(parse_boot_cpu(&t, &bc));
		boot_file_free(&bc);
		break;
	}
	free(buf);
	return 0;
}
