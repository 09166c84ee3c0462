// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl pin-kvm: a modprobe.d "install" rule that runs every load of
 * kvm_intel and kvm_amd, udev's alias loads included, bound to one CPU,
 * so that KVM's own setup (setup_vmcs_config() and the rest of the
 * vendor module's init) reads one CPU's MSRs.  The rule lives in a file
 * of its own that nothing else writes: removing it restores the state
 * before.  Any other install rule for those modules is refused, since
 * modprobe would run only one of them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vmcsctl.h"

static const char pinkvm_usage[] =
	"Usage: vmcsctl pin-kvm [--root DIR] --cpu N | --remove | --status\n"
	"--cpu N: write /etc/modprobe.d/vmcs_probe-pin-kvm.conf, whose\n"
	"install rules run every load of kvm_intel and kvm_amd under taskset -c N,\n"
	"keeping the load's options.  --remove: delete that file.  --status:\n"
	"show it and any other install rule for the two modules.  --root: a\n"
	"directory to use as /.  Exit status 0 done (--status: pinned), 1 not\n"
	"pinned, 2 usage or CPU N not online, 3 no permission or no taskset,\n"
	"5 refused: an install rule vmcsctl did not write is in the way.\n";

#define RULE_FILE	"/etc/modprobe.d/vmcs_probe-pin-kvm.conf"
#define MARKER		"# vmcsctl pin-kvm"

static const char * const kvm_mods[] = { "kvm_intel", "kvm_amd", NULL };

/* kmod's configuration directories, highest priority first. */
static const char * const conf_dirs[] = {
	"/etc/modprobe.d",
	"/run/modprobe.d",
	"/usr/local/lib/modprobe.d",
	"/lib/modprobe.d",
	"/usr/lib/modprobe.d",
};

struct pin {
	const char *root;
	char rule[4096];		/* root + RULE_FILE */
	unsigned int foreign;		/* other files' rules for kvm_mods */
	bool report;			/* print them */
	const char *file;		/* the file being scanned */
};

/* @path (absolute) under --root. */
static int root_path(char *buf, size_t size, const char *root,
		     const char *path)
{
	return path_cat(buf, size, root, "", path);
}

static void foreign_rule(void *ctx, unsigned int line, const char *mod,
			 const char *cmd)
{
	struct pin *p = ctx;

	p->foreign++;
	if (p->report)
		fprintf(stderr, "%s: %s:%u: install %s %s\n", prog, p->file,
			line, mod, cmd);
}

/* Read @path whole (NULL buf: missing): 0 or an exit code. */
static int slurp(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	*buf = NULL;
	if (fd < 0 && errno == ENOENT)
		return EXIT_OK;
	if (fd < 0) {
		vmcsctl_err("%s: %s", path, strerror(errno));
		return EXIT_NOMODULE;
	}
	e = read_fd(fd, 1 << 20, buf, len);
	close(fd);
	if (e) {
		vmcsctl_err("%s: %s", path, strerror(-e));
		return EXIT_NOMODULE;
	}
	return EXIT_OK;
}

/* Install rules for kvm_mods in every config file but ours. */
static int scan_foreign(struct pin *p)
{
	char dir[4096], path[8192];
	struct dirent *de;
	unsigned int i;
	size_t len;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(conf_dirs); i++) {
		int ret = root_path(dir, sizeof(dir), p->root, conf_dirs[i]);
		DIR *d;

		if (ret)
			return ret;
		d = opendir(dir);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			struct text t;
			size_t n = strlen(de->d_name);

			if (n < 6 || strcmp(de->d_name + n - 5, ".conf"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (!strcmp(path, p->rule))
				continue;
			if (slurp(path, &buf, &len) || !buf)
				continue;
			t = (struct text){ .name = path, .buf = buf, .len = len };
			p->file = path;
			modprobe_install_rules(&t, kvm_mods, foreign_rule, p);
			free(buf);
		}
		closedir(d);
	}
	return EXIT_OK;
}

/* Is our file there, and ours?  1 ours, 0 missing, or an exit code. */
static int ours(struct pin *p, char **buf)
{
	size_t len;
	int ret;

	ret = slurp(p->rule, buf, &len);
	if (ret)
		return -ret;
	if (!*buf)
		return 0;
	if (strncmp(*buf, MARKER, strlen(MARKER))) {
		vmcsctl_err("%s:1: not written by vmcsctl pin-kvm; left alone",
			    p->rule);
		free(*buf);
		*buf = NULL;
		return -EXIT_REFUSED;
	}
	return 1;
}

/* The first of @cands that exists under the root, as a path without it. */
static const char *find_prog(const char *root, const char * const *cands)
{
	char path[4096];

	for (; *cands; cands++) {
		if (root_path(path, sizeof(path), root, *cands))
			return NULL;
		if (access(path, X_OK) == 0)
			return *cands;
	}
	return NULL;
}

/* No online file: CPU 0 on most machines, which cannot go offline. */
static bool cpu_online(const char *root, unsigned int cpu)
{
	char rel[64], path[4096], *buf;
	bool online;
	size_t len;

	snprintf(rel, sizeof(rel), "/sys/devices/system/cpu/cpu%u", cpu);
	if (root_path(path, sizeof(path), root, rel) || access(path, F_OK))
		return false;
	snprintf(rel, sizeof(rel), "/sys/devices/system/cpu/cpu%u/online", cpu);
	if (root_path(path, sizeof(path), root, rel) ||
	    slurp(path, &buf, &len))
		return false;
	online = !buf || buf[0] == '1';
	free(buf);
	return online;
}

static int pin_write(struct pin *p, unsigned int cpu)
{
	static const char * const tasksets[] = { "/usr/bin/taskset",
						 "/bin/taskset", NULL };
	static const char * const modprobes[] = { "/sbin/modprobe",
						  "/usr/sbin/modprobe", NULL };
	const char *taskset, *modprobe;
	char path[4096], tmp[8192], *old = NULL;
	unsigned int m;
	FILE *f;
	int ret;

	if (!cpu_online(p->root, cpu)) {
		vmcsctl_err("CPU %u is not online: every load of KVM would fail",
			    cpu);
		return EXIT_USAGE;
	}
	taskset = find_prog(p->root, tasksets);
	modprobe = find_prog(p->root, modprobes);
	if (!taskset || !modprobe) {
		vmcsctl_err("no %s under %s/: cannot pin",
			    taskset ? "modprobe (kmod)" : "taskset (util-linux)",
			    p->root);
		return EXIT_NOMODULE;
	}
	ret = ours(p, &old);
	free(old);
	if (ret < 0)
		return -ret;
	p->report = true;
	ret = scan_foreign(p);
	if (ret)
		return ret;
	if (p->foreign) {
		vmcsctl_err("refused: modprobe would run only one install rule per module, and the ones above are not vmcsctl's");
		return EXIT_REFUSED;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", p->rule);
	/* /etc/modprobe.d, and /etc under --root. */
	str_copy(path, sizeof(path), p->rule);
	*strrchr(path, '/') = '\0';
	*strrchr(path, '/') = '\0';
	for (m = 0; m < 2; m++) {
		if (mkdir(path, 0755) && errno != EEXIST) {
			vmcsctl_err("%s: %s", path, strerror(errno));
			return EXIT_NOMODULE;
		}
		path[strlen(path)] = '/';
	}
	f = fopen(tmp, "w");
	if (!f) {
		vmcsctl_err("%s: %s", tmp, strerror(errno));
		return EXIT_NOMODULE;
	}
	fprintf(f, "%s: every load of KVM's vendor modules, udev's alias\n",
		MARKER);
	fprintf(f, "# loads included, runs bound to CPU %u.  Written by vmcsctl;\n",
		cpu);
	fprintf(f, "# remove with 'vmcsctl pin-kvm --remove'.\n");
	for (m = 0; kvm_mods[m]; m++)
		fprintf(f, "install %s %s -c %u %s --ignore-install %s $CMDLINE_OPTS\n",
			kvm_mods[m], taskset, cpu, modprobe, kvm_mods[m]);
	if (fclose(f) || rename(tmp, p->rule)) {
		vmcsctl_err("%s: %s", p->rule, strerror(errno));
		unlink(tmp);
		return EXIT_NOMODULE;
	}
	printf("pinned: kvm_intel and kvm_amd load on CPU %u (%s)\n", cpu,
	       p->rule);
	return EXIT_OK;
}

static int pin_remove(struct pin *p)
{
	char *old = NULL;
	int ret = ours(p, &old);

	free(old);
	if (ret < 0)
		return -ret;
	if (!ret) {
		printf("not pinned: no %s\n", p->rule);
		return EXIT_OK;
	}
	if (unlink(p->rule)) {
		vmcsctl_err("%s: %s", p->rule, strerror(errno));
		return EXIT_NOMODULE;
	}
	printf("removed %s\n", p->rule);
	return EXIT_OK;
}

static int pin_status(struct pin *p)
{
	char *buf = NULL;
	int ret = ours(p, &buf);
	const char *c;

	if (ret < 0)
		return -ret;
	p->report = true;
	if (scan_foreign(p)) {
		free(buf);
		return EXIT_NOMODULE;
	}
	if (!ret) {
		printf("not pinned: no %s%s\n", p->rule,
		       p->foreign ? " (other install rules: above)" : "");
		return EXIT_DIFFER;
	}
	c = strstr(buf, " -c ");
	printf("pinned: kvm_intel and kvm_amd load on CPU %u (%s)\n",
	       c ? (unsigned int)strtoul(c + 4, NULL, 10) : 0, p->rule);
	free(buf);
	return EXIT_OK;
}

int pinkvm_main(int argc, char *argv[])
{
	struct pin p = { .root = "" };
	unsigned long long cpu = 0;
	int i, action = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("%s", pinkvm_usage);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--root") && i + 1 < argc) {
			p.root = argv[++i];
		} else if (!strcmp(argv[i], "--cpu") && i + 1 < argc &&
			   !action) {
			if (!parse_uint(argv[++i], KLOG_CPU_MAX, &cpu)) {
				vmcsctl_err("--cpu: '%s' is not a CPU number",
					    argv[i]);
				return EXIT_USAGE;
			}
			action = 'c';
		} else if (!strcmp(argv[i], "--remove") && !action) {
			action = 'r';
		} else if (!strcmp(argv[i], "--status") && !action) {
			action = 's';
		} else {
			action = 0;
			break;
		}
	}
	if (!action)
		return usage_error(pinkvm_usage);
	if (root_path(p.rule, sizeof(p.rule), p.root, RULE_FILE))
		return EXIT_USAGE;
	if (action == 'c')
		return pin_write(&p, cpu);
	return action == 'r' ? pin_remove(&p) : pin_status(&p);
}
