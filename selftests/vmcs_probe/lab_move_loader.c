// SPDX-License-Identifier: GPL-2.0
/*
 * LAB ONLY (never installed): run a command in a child process and move
 * that child to the next online CPU every 20 us or so until it exits:
 * the migration the upstream thread worried about, provoked, for a load
 * command whose process audit-load follows (audit_load.bats).
 *
 *   lab_move_loader COMMAND [ARG...]
 *
 * Exits with the command's status (128 + signal if it was killed).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char *argv[])
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long moves = 0;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (!pid) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		cpu_set_t set;

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("waitpid");
			return 2;
		}
		CPU_ZERO(&set);
		CPU_SET(moves++ % ncpu, &set);
		sched_setaffinity(pid, sizeof(set), &set);
		usleep(20);
	}
	fprintf(stderr, "lab_move_loader: %lu moves\n", moves);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
