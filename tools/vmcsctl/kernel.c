// SPDX-License-Identifier: GPL-2.0
/*
 * The module's sysfs and debugfs files: the one place that reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcsctl.h"

/*
 * Read a whole file of the module into a new NUL-terminated buffer.
 * Returns 0, or an exit code after printing why.
 */
int read_node(const char *dir, const char *name, char **out)
{
	char path[4096];
	size_t len = 0, cap = 4096;
	char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s%s\n", prog, path, strerror(errno),
			errno == ENOENT ? " (is vmcs_probe loaded?)" :
			errno == EACCES ? " (run as root)" : "");
		return EXIT_NOMODULE;
	}
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (len < cap - 1)
			break;
		cap *= 2;
		char *nbuf = realloc(buf, cap);

		if (!nbuf) {
			free(buf);
			buf = NULL;
		} else {
			buf = nbuf;
		}
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "%s: %s: read failed\n", prog, path);
		free(buf);
		fclose(f);
		return EXIT_NOMODULE;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	return EXIT_OK;
}
