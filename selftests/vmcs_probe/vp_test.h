/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vmcs_probe selftests: loading the module, reading
 * and writing its files, and looking at CPUs independently of the module.
 */
#ifndef VP_TEST_H
#define VP_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cpuid.h>

#define VP_SYSFS	"/sys/kernel/vmcs_probe"
#define VP_DEBUGFS	"/sys/kernel/debug/vmcs_probe"

static inline int vp_load(void)
{
	if (access(VP_SYSFS, F_OK) == 0)
		return 0;
	return system("modprobe vmcs_probe") == 0 ? 0 : -1;
}

static inline int vp_unload(void)
{
	if (access(VP_SYSFS, F_OK) != 0)
		return 0;
	return system("rmmod vmcs_probe") == 0 ? 0 : -1;
}

/* Read a whole file into buf; returns its length or -errno. */
static inline ssize_t vp_read(const char *path, char *buf, size_t size)
{
	ssize_t len = 0, n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -errno;
	buf[len] = '\0';
	return len;
}

/* Write a string in one write(); returns 0 or -errno. */
static inline int vp_write(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/* Number of possible CPUs, from /sys/devices/system/cpu/possible. */
static inline int vp_possible_cpus(void)
{
	char buf[256];
	int lo, hi;

	if (vp_read("/sys/devices/system/cpu/possible", buf, sizeof(buf)) < 0)
		return -1;
	if (sscanf(buf, "%d-%d", &lo, &hi) == 2)
		return hi + 1;
	return 1;
}

static inline bool vp_cpu_online(int cpu)
{
	char path[128], buf[8];

	if (cpu == 0)
		return true;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	if (vp_read(path, buf, sizeof(buf)) < 0)
		return true;
	return buf[0] == '1';
}

/* Run on @cpu and execute CPUID.1 there: ECX bit 5 is VMX. */
static inline int vp_cpuid_vmx_on(int cpu)
{
	unsigned int eax, ebx, ecx, edx;
	cpu_set_t old, set;

	if (sched_getaffinity(0, sizeof(old), &old))
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -1;
	__cpuid(1, eax, ebx, ecx, edx);
	sched_setaffinity(0, sizeof(old), &old);
	return !!(ecx & (1u << 5));
}

/* Read an MSR on @cpu through the msr driver; 0 or -errno. */
static inline int vp_rdmsr_on(int cpu, uint32_t index, uint64_t *val)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT) {
		if (system("modprobe msr 2>/dev/null") == 0)
			fd = open(path, O_RDONLY);
	}
	if (fd < 0)
		return -errno;
	if (pread(fd, val, sizeof(*val), index) != sizeof(*val))
		ret = -EIO;
	close(fd);
	return ret;
}

/*
 * Find the line of @file's text that starts with @key followed by a space
 * and copy it to @line.  Returns true when found.
 */
static inline bool vp_find_line(const char *text, const char *key,
				char *line, size_t size)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == ' ') {
			if (len >= size)
				len = size - 1;
			memcpy(line, p, len);
			line[len] = '\0';
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

#endif /* VP_TEST_H */
