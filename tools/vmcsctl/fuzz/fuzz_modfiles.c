// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmcsctl's parsers of the module's files (parse.c).
 * The first byte picks the parser, the rest is the file.  A parser must
 * return 0 or EXIT_MALFORMED, and never read or write out of bounds;
 * what it accepts must hold what vmcsctl relies on.
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

static int fuzz_config(const struct text *t)
{
	struct config_file c;
	int ret = parse_config(t, &c);

	if (!ret && (c.cpu >= VP_SNAPSHOT_CPU_LIMIT || !c.mode[0]))
		abort();
	return ret;
}

static int fuzz_cpu_compat(const struct text *t)
{
	unsigned long long gen;
	struct compat_entry e;
	int ret = parse_cpu_compat(t, &e, &gen);

	if (!ret && !e.status[0])
		abort();
	return ret;
}

static int fuzz_choice(const struct text *t)
{
	struct choice c;
	int ret = parse_choice(t, &c);

	if (!ret && (c.current < 0 || (unsigned int)c.current >= c.nr))
		abort();
	return ret;
}

/*
 * The files with one line per CPU (parsed into a malloc()ed array): each
 * CPU is named once, the parsers refuse a second line for it.
 */
#define FUZZ_CPU_LIST(name, type, release)				\
static int fuzz_##name(const struct text *t)				\
{									\
	unsigned int i, j;						\
	type f;								\
	int ret = parse_##name(t, &f);					\
									\
	for (i = 0; !ret && i < f.nr; i++)				\
		for (j = 0; j < i; j++)					\
			if (f.cpus[i].cpu == f.cpus[j].cpu)		\
				abort();				\
	release(&f);							\
	return ret;							\
}

FUZZ_CPU_LIST(compat, struct compat_file, compat_file_free)
FUZZ_CPU_LIST(support, struct support_file, support_file_free)
FUZZ_CPU_LIST(boot_cpu, struct boot_file, boot_file_free)

static int fuzz_trace(const struct text *t)
{
	struct trace_file tr;

	return parse_trace(t, &tr);
}

static int fuzz_status_word(const struct text *t)
{
	char word[WORD_MAX];

	return parse_status_word(t, word);
}

static int fuzz_generation(const struct text *t)
{
	unsigned long long gen;

	return parse_generation(t, &gen);
}

static int fuzz_feature_list(const struct text *t)
{
	bool want[128];

	if (vmx_nr_features > ARRAY_SIZE(want))
		abort();
	return parse_feature_list(t, want);
}

/*
 * The parser, by the input's first byte (modulo their number), and the
 * module files run.sh seeds it with behind that byte.
 */
static int (*const parsers[])(const struct text *t) = {
	fuzz_config,		/* debug/reference, debug/cpus/cpuN/config */
	fuzz_compat,		/* debug/compat */
	fuzz_cpu_compat,	/* debug/cpus/cpuN/compat */
	fuzz_support,		/* debug/support */
	fuzz_trace,		/* debug/setup_trace */
	fuzz_choice,		/* pinning_mode, hotplug_policy */
	fuzz_status_word,	/* status */
	fuzz_generation,	/* generation */
	fuzz_feature_list,	/* migrate --baseline's *.features */
	fuzz_boot_cpu,		/* debug/boot_cpu */
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct text t = { .name = "fuzz" };
	char *buf;
	int ret;

	if (!size)
		return 0;
	/* A copy of exactly the input: ASan sees any overread. */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	t.buf = buf;
	t.len = size - 1;

	ret = parsers[data[0] % ARRAY_SIZE(parsers)](&t);
	if (ret != 0 && ret != EXIT_MALFORMED)
		abort();
	free(buf);
	return 0;
}
