// SPDX-License-Identifier: GPL-2.0
/*
 * sweep: wall-clock timing in a lab guest, for tools/bench (make bench).
 *
 *   sweep write FILE N WORD...   N rounds; in each, write each WORD to
 *                                FILE (open, write, close) and time the
 *                                write() alone
 *   sweep cmd N CMD...           N rounds; in each, run each CMD with
 *                                /bin/sh -c and time fork to exit
 *
 * The WORDs (or CMDs) alternate within a round, so that a drift of the
 * emulator's speed hits them alike.  One line per WORD or CMD:
 *
 *   <index> n <N> min_ns <ns> median_ns <ns> max_ns <ns>
 *
 * Times are CLOCK_MONOTONIC.  Exit status: 0, 1 if any write or command
 * failed (no line is printed for it then), 2 usage.  Busybox date has no
 * %N, hence this helper; it is built static so the guest needs no
 * library.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int time_write(const char *file, const char *word, uint64_t *ns)
{
	size_t len = strlen(word);
	uint64_t t0;
	ssize_t r;
	int fd;

	fd = open(file, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "sweep: %s: %s\n", file, strerror(errno));
		return -1;
	}
	t0 = now_ns();
	r = write(fd, word, len);
	*ns = now_ns() - t0;
	close(fd);
	if (r != (ssize_t)len) {
		fprintf(stderr, "sweep: write '%s' to %s: %s\n", word, file,
			r < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

static int time_cmd(const char *cmd, uint64_t *ns)
{
	uint64_t t0 = now_ns();
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	*ns = now_ns() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "sweep: '%s' failed (status 0x%x)\n", cmd,
			status);
		return -1;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: sweep write FILE N WORD...\n"
			"       sweep cmd N CMD...\n");
	return 2;
}

int main(int argc, char **argv)
{
	int is_write, first, nr, i, k;
	const char *file = NULL;
	uint64_t **ns;
	long n;

	if (argc < 4)
		return usage();
	is_write = !strcmp(argv[1], "write");
	if (!is_write && strcmp(argv[1], "cmd"))
		return usage();
	if (is_write) {
		if (argc < 5)
			return usage();
		file = argv[2];
	}
	first = is_write ? 4 : 3;
	n = strtol(argv[first - 1], NULL, 10);
	if (n < 1 || n > 100000)
		return usage();
	nr = argc - first;

	ns = calloc(nr, sizeof(*ns));
	for (k = 0; ns && k < nr; k++) {
		ns[k] = calloc(n, sizeof(**ns));
		if (!ns[k])
			ns = NULL;
	}
	if (!ns)
		return 2;

	for (i = 0; i < n; i++) {
		for (k = 0; k < nr; k++) {
			int err = is_write ?
				  time_write(file, argv[first + k], &ns[k][i]) :
				  time_cmd(argv[first + k], &ns[k][i]);
			if (err)
				return 1;
		}
	}
	for (k = 0; k < nr; k++) {
		qsort(ns[k], n, sizeof(**ns), cmp_u64);
		printf("%d n %ld min_ns %llu median_ns %llu max_ns %llu\n", k, n,
		       (unsigned long long)ns[k][0],
		       (unsigned long long)ns[k][n / 2],
		       (unsigned long long)ns[k][n - 1]);
	}
	return 0;
}
