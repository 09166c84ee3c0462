// SPDX-License-Identifier: GPL-2.0
/*
 * Whole reads: an open file descriptor, a file, or stdin, read to its end
 * into memory.  Below every reader of the tool (load.c, kernel.c,
 * pinkvm.c); reads nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"

/* One byte more than a snapshot may hold. */
#define FILE_MAX	(VP_SNAPSHOT_MAX_SIZE + 1)

int read_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *b = malloc(cap), *nb;

	while (b) {
		ssize_t got = read(fd, b + n, cap - n - 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(b);
			return -e;
		}
		n += got;
		if (!got || n > max)
			break;
		if (cap - n - 1 == 0) {
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	if (!b)
		return -ENOMEM;
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int read_file(const char *path, char **buf, size_t *len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	int e;

	if (fd < 0) {
		vmcsctl_err("%s: %s", path, strerror(errno));
		return errno == ENOENT ? EXIT_USAGE : EXIT_MALFORMED;
	}
	/* More than FILE_MAX is cut there: the parser says it is too large. */
	e = read_fd(fd, FILE_MAX, buf, len);
	if (fd)
		close(fd);
	if (e) {
		vmcsctl_err("%s: %s", path, strerror(-e));
		return EXIT_MALFORMED;
	}
	return EXIT_OK;
}
