// SPDX-License-Identifier: GPL-2.0
/*
 * The module's sysfs and debugfs files: the one place that reads and
 * writes them.  Every failure is reported here, naming the file, and
 * turned into an exit code.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"

/* Module files are small; anything larger is not the module's. */
#define NODE_MAX	(4 * 1024 * 1024)

/* Is @path in the module's debugfs directory? */
static bool in_debugfs(const char *path)
{
	size_t n = strlen(opts.debugfs);

	return !strncmp(path, opts.debugfs, n) &&
	       (path[n] == '/' || path[n] == '\0');
}

static int node_error(const char *path)
{
	int e = errno;
	const char *hint = "";

	if (e == ENOENT && in_debugfs(path) && access(opts.sysfs, F_OK) == 0)
		hint = " (vmcs_probe is loaded without debugfs, which this needs)";
	else if (e == ENOENT)
		hint = " (is vmcs_probe loaded, debugfs mounted?)";
	else if (e == EPERM && in_debugfs(path))
		hint = " (run as root; lockdown may restrict debugfs)";
	else if (e == EACCES || e == EPERM)
		hint = " (run as root)";
	vmcsctl_err("%s: %s%s", path, strerror(e), hint);
	return EXIT_NOMODULE;
}

bool kernel_debugfs(const char **why)
{
	if (access(opts.debugfs, R_OK | X_OK) == 0)
		return true;
	*why = strerror(errno);
	return false;
}

bool kernel_debugfs_warn(const char *what)
{
	const char *why;

	if (kernel_debugfs(&why))
		return true;
	vmcsctl_err("no %s: %s: %s (debugfs off, not mounted or not root)",
		    what, opts.debugfs, why);
	return false;
}

int path_cat(char *path, size_t size, const char *a, const char *sep,
	     const char *b)
{
	if ((size_t)snprintf(path, size, "%s%s%s", a, sep, b) >= size) {
		vmcsctl_err("%s%s%s: path too long", a, sep, b);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int node_path(char *path, size_t size, const char *dir,
		     const char *name)
{
	return path_cat(path, size, dir, "/", name);
}

/* Read a whole file of the module into a new NUL-terminated buffer. */
int kernel_read(const char *dir, const char *name, char **buf, size_t *len)
{
	char path[4096], *b;
	int fd, ret;
	size_t n;

	ret = node_path(path, sizeof(path), dir, name);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return node_error(path);
	ret = read_fd(fd, NODE_MAX, &b, &n);
	close(fd);
	if (ret == -ENOMEM) {
		vmcsctl_err("%s: out of memory", path);
		return EXIT_MALFORMED;
	}
	if (ret) {
		errno = -ret;
		return node_error(path);
	}
	if (n > NODE_MAX) {
		free(b);
		vmcsctl_err("%s: larger than %d bytes", path, NODE_MAX);
		return EXIT_MALFORMED;
	}
	*buf = b;
	if (len)
		*len = n;
	return EXIT_OK;
}

/* Write @val as the whole content of a module file, in one write(). */
int kernel_write(const char *dir, const char *name, const char *val)
{
	size_t n = strlen(val);
	char path[4096];
	ssize_t done;
	int fd, ret;

	ret = node_path(path, sizeof(path), dir, name);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return node_error(path);
	do {
		done = write(fd, val, n);
	} while (done < 0 && errno == EINTR);
	if (done < 0) {
		if (errno == EINVAL) {
			vmcsctl_err("%s: the module refused '%s'", path, val);
			ret = EXIT_USAGE;
		} else {
			ret = node_error(path);
		}
		close(fd);
		return ret;
	}
	if (close(fd) || (size_t)done != n) {
		vmcsctl_err("%s: short write", path);
		return EXIT_NOMODULE;
	}
	return EXIT_OK;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a;
	unsigned int y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

int kernel_list_cpus(unsigned int **cpus, unsigned int *nr)
{
	unsigned int *list = NULL, n = 0, cap = 0, cpu;
	char path[4096];
	struct dirent *de;
	DIR *d;
	int ret;

	ret = node_path(path, sizeof(path), opts.debugfs, "cpus");
	if (ret)
		return ret;
	d = opendir(path);
	if (!d)
		return node_error(path);
	while ((de = readdir(d))) {
		if (!parse_cpu_name(de->d_name, &cpu))
			continue;
		if (n == cap) {
			unsigned int *nl;

			cap = cap ? cap * 2 : 64;
			nl = realloc(list, cap * sizeof(*list));
			if (!nl) {
				free(list);
				closedir(d);
				vmcsctl_err("out of memory");
				return EXIT_MALFORMED;
			}
			list = nl;
		}
		list[n++] = cpu;
	}
	closedir(d);
	if (!n) {
		free(list);
		vmcsctl_err("%s: no cpuN directory", path);
		return EXIT_MALFORMED;
	}
	qsort(list, n, sizeof(*list), cmp_uint);
	*cpus = list;
	*nr = n;
	return EXIT_OK;
}

int kernel_report(int (*read)(struct out *o, bool *consistent),
		  const char *busy_msg)
{
	bool consistent = false;
	struct out o = { 0 };
	int ret = -1, tries;

	for (tries = 0; tries < 5 && ret < 0; tries++) {
		out_free(&o);
		ret = read(&o, &consistent);
	}
	if (ret < 0) {
		vmcsctl_err("%s", busy_msg);
		ret = EXIT_NOMODULE;
	}
	if (!ret)
		ret = out_flush(&o, NULL);
	out_free(&o);
	if (ret)
		return ret;
	return consistent ? EXIT_OK : EXIT_DIFFER;
}

/* The kernel's log buffer is at most a few MiB (log_buf_len). */
#define KMSG_MAX	(64 * 1024 * 1024)

int kernel_log_open(const char *path, bool at_end)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		bool perm = errno == EACCES || errno == EPERM;

		vmcsctl_err("%s: %s%s", path, strerror(errno),
			    perm ? " (root, or kernel.dmesg_restrict=0)" : "");
		return -1;
	}
	if (at_end && lseek(fd, 0, SEEK_END) < 0) {
		vmcsctl_err("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int kernel_log_read(int fd, const char *path, char **buf, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *b, rec[8192];
	int ret = EXIT_OK;

	b = malloc(cap);
	if (!b) {
		vmcsctl_err("%s: out of memory", path);
		return EXIT_NOMODULE;
	}
	b[0] = '\0';
	/* One record per read(); EPIPE: records overwritten meanwhile. */
	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec));

		if (r < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		if (r == 0 || (r < 0 && errno == EAGAIN))
			break;
		if (r < 0) {
			vmcsctl_err("%s: %s", path, strerror(errno));
			ret = EXIT_NOMODULE;
			break;
		}
		if (n + r + 1 > cap) {
			char *nb = NULL;

			cap = 2 * (n + r + 1);
			if (cap <= KMSG_MAX)
				nb = realloc(b, cap);
			if (!nb) {
				vmcsctl_err("%s: more than %d bytes", path,
					    KMSG_MAX);
				ret = EXIT_NOMODULE;
				break;
			}
			b = nb;
		}
		memcpy(b + n, rec, r);
		n += r;
		b[n] = '\0';
	}
	if (ret) {
		free(b);
		return ret;
	}
	*buf = b;
	*len = n;
	return EXIT_OK;
}

int kernel_log(const char *path, char **buf, size_t *len)
{
	int fd = kernel_log_open(path, false), ret;

	if (fd < 0)
		return EXIT_NOMODULE;
	ret = kernel_log_read(fd, path, buf, len);
	close(fd);
	return ret;
}
