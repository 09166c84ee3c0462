/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMCSCTL_H
#define VMCSCTL_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes, documented in vmcsctl.8. */
enum {
	EXIT_OK = 0,		/* success, consistent, equal */
	EXIT_DIFFER = 1,	/* inconsistent, or the two sides differ */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOMODULE = 3,	/* module not loaded, or no permission */
	EXIT_MALFORMED = 4,	/* malformed input (file, kernel output) */
};

struct vmcsctl_opts {
	const char *sysfs;	/* /sys/kernel/vmcs_probe */
	const char *debugfs;	/* /sys/kernel/debug/vmcs_probe */
};

extern struct vmcsctl_opts opts;
extern const char *prog;

/* kernel.c: the only code that touches the module's files. */
int read_node(const char *dir, const char *name, char **out);

int status_main(int argc, char *argv[]);

#endif
