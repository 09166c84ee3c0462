// SPDX-License-Identifier: GPL-2.0
/*
 * The reading half of parse.c: a file (or stdin, through io.c) or one of
 * the module's nodes (through kernel.c), read whole into memory, then
 * handed to its parser.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcsctl.h"

static void warn_missing(void *ctx, unsigned int line, const char *msg)
{
	vmcsctl_err("warning: %s:%u: %s", (const char *)ctx, line, msg);
}

int load_snapshot(const char *path, struct vp_snapshot **snap)
{
	struct text t = { .name = path };
	char *buf;
	int ret;

	ret = read_file(path, &buf, &t.len);
	if (ret)
		return ret;
	t.buf = buf;
	*snap = malloc(sizeof(**snap));
	if (!*snap) {
		free(buf);
		vmcsctl_err("out of memory");
		return EXIT_MALFORMED;
	}
	ret = parse_snapshot(&t, *snap);
	free(buf);
	if (ret) {
		free(*snap);
		*snap = NULL;
		return ret;
	}
	vp_snapshot_check(*snap, warn_missing, (void *)path);
	return 0;
}

const struct vp_snapshot_cpu *
snapshot_section(const struct vp_snapshot *snap, const char *path,
		 unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < snap->nr_cpus; i++)
		if (snap->cpus[i].cpu == cpu)
			return &snap->cpus[i];
	vmcsctl_err("%s: no section for CPU %u", path, cpu);
	return NULL;
}

int load_snapshot_cpu(const char *path, bool want_cpu, unsigned int cpu,
		      struct vp_snapshot **snap,
		      const struct vp_snapshot_cpu **sc)
{
	int ret = load_snapshot(path, snap);

	if (ret)
		return ret;
	*sc = want_cpu ? snapshot_section(*snap, path, cpu) : &(*snap)->cpus[0];
	if (!*sc) {
		free(*snap);
		*snap = NULL;
		return EXIT_USAGE;
	}
	return 0;
}

int node_load(struct node *n, const char *dir, const char *name)
{
	int ret;

	n->buf = NULL;
	ret = kernel_read(dir, name, &n->buf, &n->t.len);
	if (ret)
		return ret;
	snprintf(n->path, sizeof(n->path), "%s/%s", dir, name);
	n->t.name = n->path;
	n->t.buf = n->buf;
	return 0;
}

void node_free(struct node *n)
{
	free(n->buf);
	n->buf = NULL;
}

int load_config(const char *dir, const char *name, struct config_file *c)
{
	struct node n;
	int ret;

	ret = node_load(&n, dir, name);
	if (ret)
		return ret;
	ret = parse_config(&n.t, c);
	node_free(&n);
	return ret;
}

int load_node_snapshot(const char *dir, const char *name,
		       struct vp_snapshot **snap)
{
	struct node n;
	int ret;

	ret = node_load(&n, dir, name);
	if (ret)
		return ret;
	*snap = malloc(sizeof(**snap));
	ret = *snap ? parse_snapshot(&n.t, *snap) : EXIT_MALFORMED;
	node_free(&n);
	if (ret) {
		free(*snap);
		*snap = NULL;
	}
	return ret;
}

int load_sysfs_words(unsigned long long *generation, char *status)
{
	struct node gen = { 0 }, word = { 0 };
	int ret;

	ret = node_load(&gen, opts.sysfs, "generation");
	if (!ret)
		ret = parse_generation(&gen.t, generation);
	if (!ret)
		ret = node_load(&word, opts.sysfs, "status");
	if (!ret)
		ret = parse_status_word(&word.t, status);
	node_free(&gen);
	node_free(&word);
	return ret;
}
