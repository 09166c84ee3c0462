// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl status: the overall status and every CPU's VMX support.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

static void status_usage(FILE *f)
{
	fprintf(f, "Usage: %s status\n"
		"Show the overall status and a line per CPU.\n", prog);
}

int status_main(int argc, char *argv[])
{
	char *status, *support, *line, *save = NULL;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		status_usage(stdout);
		return EXIT_OK;
	}
	if (argc != 1) {
		status_usage(stderr);
		return EXIT_USAGE;
	}
	ret = read_node(opts.sysfs, "status", &status);
	if (ret)
		return ret;
	ret = read_node(opts.debugfs, "support", &support);
	if (ret) {
		free(status);
		return ret;
	}
	printf("status: %s", status);
	for (line = strtok_r(support, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char cpu[32], state[32];

		if (sscanf(line, "%31s %31s", cpu, state) == 2 &&
		    !strncmp(cpu, "cpu", 3))
			printf("%-8s %s\n", cpu, state);
	}
	free(status);
	free(support);
	return EXIT_OK;
}
