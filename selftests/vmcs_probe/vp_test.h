/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vmcs_probe selftests: loading the module, reading
 * and writing its files, and looking at CPUs independently of the module.
 */
#ifndef VP_TEST_H
#define VP_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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
#include <sys/ioctl.h>
#include <linux/kvm.h>

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

/* Read a small file and strip the trailing newline. */
static inline int vp_read_word(const char *path, char *buf, size_t size)
{
	ssize_t n = vp_read(path, buf, size);

	if (n < 0)
		return n;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static inline int vp_write_str(const char *path, const char *s)
{
	return vp_write(path, s, strlen(s));
}

static inline long vp_generation(void)
{
	char buf[32];

	if (vp_read_word(VP_SYSFS "/generation", buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/* The value of "key <value>" in a file's text, as a string. */
static inline bool vp_field(const char *text, const char *key, char *val,
			    size_t size)
{
	char line[512];

	const char *v;
	size_t len;

	if (!vp_find_line(text, key, line, sizeof(line)))
		return false;
	v = line + strlen(key) + 1;
	len = strlen(v);
	if (len >= size)
		len = size - 1;
	memcpy(val, v, len);
	val[len] = '\0';
	return true;
}

/* The Bochs Skylake-X capture, the snapshot replayed by the tests. */
static inline const char *vp_snapshot_file(void)
{
	static const char file[] =
		"selftests/vmcs_probe/data/corei7_skylake_x.snapshot";
	const char *top = getenv("VP_TOP");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", file);
	return path;
}

/* Load the replay snapshot and select source=replay; 0 or -errno. */
static inline int vp_use_replay(void)
{
	static char text[1 << 20];
	ssize_t n;
	int ret;

	n = vp_read(vp_snapshot_file(), text, sizeof(text));
	if (n < 0)
		return n;
	ret = vp_write(VP_DEBUGFS "/snapshot", text, n);
	if (ret)
		return ret;
	return vp_write_str(VP_DEBUGFS "/source", "replay");
}

static inline int vp_run(void)
{
	return vp_write_str(VP_SYSFS "/run", "1");
}

/* Back to the defaults between tests. */
static inline void vp_reset(void)
{
	vp_write_str(VP_DEBUGFS "/inject", "clear");
	vp_write_str(VP_DEBUGFS "/read_delay_us", "0");
	vp_write_str(VP_DEBUGFS "/source", "hw");
	vp_write_str(VP_SYSFS "/pinning_mode", "none");
	vp_write_str(VP_SYSFS "/hotplug_policy", "report");
}

/* The status word of cpu<N> in debugfs compat ("" if absent). */
static inline void vp_compat_of(int cpu, char *status, size_t size)
{
	static char text[1 << 16];
	char key[32], line[512];

	status[0] = '\0';
	snprintf(key, sizeof(key), "cpu%d", cpu);
	if (vp_read(VP_DEBUGFS "/compat", text, sizeof(text)) < 0 ||
	    !vp_find_line(text, key, line, sizeof(line)))
		return;
	sscanf(line + strlen(key), " %31s", status);
	(void)size;
}

/* ---- module parameters, reloads, "0x<index> 0x<value>" lists ---- */

#include <sys/utsname.h>

/*
 * The mirror of the running kernel's own KVM, from its release: "6.1",
 * "6.12", "7.2" or "7.3"; NULL for a kernel without one (the module then
 * picks the nearest older mirror and says so in debugfs support).
 */
static inline const char *vp_kernel_kvm(void)
{
	static const char * const mirrors[] = { "7.3", "7.2", "6.12", "6.1" };
	struct utsname u;
	unsigned int i;
	size_t n;

	if (uname(&u))
		return NULL;
	for (i = 0; i < sizeof(mirrors) / sizeof(mirrors[0]); i++) {
		n = strlen(mirrors[i]);
		if (!strncmp(u.release, mirrors[i], n) &&
		    (!u.release[n] || u.release[n] == '.' ||
		     u.release[n] == '-'))
			return mirrors[i];
	}
	return NULL;
}

/*
 * The KVM the loaded module mirrors, from the "kvm <version> ..." line of
 * debugfs support; false without it.
 */
static inline bool vp_support_kvm(char *kvm, size_t size)
{
	char text[512], *p;

	if (size < 16 ||
	    vp_read(VP_DEBUGFS "/support", text, sizeof(text)) <= 0)
		return false;
	p = strstr(text, "\nkvm ");
	return p && sscanf(p + 5, "%15s", kvm) == 1;
}

/*
 * A module parameter as sysfs shows it, trailing newline removed; bools
 * as "1"/"0" (sysfs says Y/N).  Returns false when there is no such file.
 */
static inline bool vp_module_param(const char *module, const char *name,
				   char *val, size_t size)
{
	char path[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module,
		 name);
	n = vp_read(path, val, size);
	if (n < 0)
		return false;
	while (n > 0 && (val[n - 1] == '\n' || val[n - 1] == ' '))
		val[--n] = '\0';
	if (!strcmp(val, "Y"))
		strcpy(val, "1");
	else if (!strcmp(val, "N"))
		strcpy(val, "0");
	return true;
}

/*
 * Make sure vmcs_probe is loaded with exactly @args ("name=value ...",
 * every name a parameter of vmcs_probe): keep the loaded module when
 * each of them already has that value, else unload and load it with
 * them.  Parameters not in @args are not looked at.  0 or -1.
 */
static inline int vp_load_with(const char *args)
{
	char copy[1024], cmd[1200], val[128], *save = NULL, *tok;
	bool same = access(VP_SYSFS, F_OK) == 0;

	snprintf(copy, sizeof(copy), "%s", args);
	for (tok = strtok_r(copy, " ", &save); tok && same;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			return -1;
		*eq = '\0';
		if (!vp_module_param("vmcs_probe", tok, val, sizeof(val)) ||
		    strcmp(val, eq + 1))
			same = false;
	}
	if (same)
		return 0;
	if (vp_unload())
		return -1;
	snprintf(cmd, sizeof(cmd), "modprobe vmcs_probe %s", args);
	return system(cmd) == 0 ? 0 : -1;
}

#define VP_NESTED_FIRST	0x480
#define VP_NESTED_NR	18	/* 0x480 .. 0x491 */

/*
 * KVM_GET_MSRS on the /dev/kvm system fd: the nested VMX MSRs KVM
 * computed.  0 when all 18 came back (*got of them), else -errno.
 */
static inline int vp_kvm_nested_msrs(uint64_t *val, int *got)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[VP_NESTED_NR];
	} m;
	int fd, i, n;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = VP_NESTED_NR;
	for (i = 0; i < VP_NESTED_NR; i++)
		m.e[i].index = VP_NESTED_FIRST + i;
	*got = 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = ioctl(fd, KVM_GET_MSRS, &m);
	i = errno;
	close(fd);
	if (n < 0)
		return -i;
	*got = n;
	for (i = 0; i < n; i++)
		val[i] = m.e[i].data;
	return n == VP_NESTED_NR ? 0 : -ENODATA;
}

/*
 * Parse the "0x<index> 0x<value>" lines of @text (other lines ignored)
 * for indexes 0x480..0x491: @have[i] and @val[i] for index 0x480 + i.
 * Returns the number of pairs found, or -1 on a duplicate.
 */
static inline int vp_parse_nested(const char *text, bool *have,
				  uint64_t *val)
{
	const char *p = text;
	int n = 0;

	memset(have, 0, VP_NESTED_NR * sizeof(*have));
	while (p && *p) {
		unsigned long long idx, v;
		char tail;

		if (sscanf(p, "0x%llx 0x%llx%c", &idx, &v, &tail) >= 2 &&
		    idx >= VP_NESTED_FIRST &&
		    idx < VP_NESTED_FIRST + VP_NESTED_NR) {
			if (have[idx - VP_NESTED_FIRST])
				return -1;
			have[idx - VP_NESTED_FIRST] = true;
			val[idx - VP_NESTED_FIRST] = v;
			n++;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/*
 * The lines of a debugfs "reference" that describe the configuration:
 * all but version, generation, mode and cpu (which say when and where a
 * run happened, not what it computed).  Copied to @out, one per line.
 */
static inline void vp_reference_fields(const char *text, char *out,
				       size_t size)
{
	static const char * const skip[] = {
		"version ", "generation ", "mode ", "cpu ",
	};
	const char *p = text;
	size_t used = 0;

	out[0] = '\0';
	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool keep = len > 0;
		unsigned int i;

		for (i = 0; keep && i < sizeof(skip) / sizeof(skip[0]); i++)
			if (!strncmp(p, skip[i], strlen(skip[i])))
				keep = false;
		if (keep && used + len + 2 <= size) {
			memcpy(out + used, p, len);
			used += len;
			out[used++] = '\n';
			out[used] = '\0';
		}
		p = end ? end + 1 : NULL;
	}
}

#endif /* VP_TEST_H */
