// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the snapshot parser (module/snapshot.c), fed any
 * bytes.  Whatever it accepts must survive emit -> parse unchanged, so
 * parser and emitter are fuzzed together.
 */
#include <stdlib.h>
#include <string.h>

#include "kvm_view.h"
#include "raw.h"
#include "snapshot.h"

static struct vp_snapshot a, b;
static char text[4 * 1024 * 1024];
static size_t len;

static int add_line(void *ctx, const char *line)
{
	size_t n = strlen(line);

	(void)ctx;
	if (n >= VP_SNAPSHOT_LINE_MAX || len + n + 1 > sizeof(text))
		abort();
	memcpy(text + len, line, n);
	len += n;
	text[len++] = '\n';
	return 0;
}

static int view_line(void *ctx, const char *line)
{
	(void)ctx;
	if (strlen(line) >= VP_KVM_VIEW_LINE_MAX || strchr(line, '\n'))
		abort();
	return 0;
}

/* Whatever the parser accepts, the engine and the kvm view digest. */
static void kvm_view(const struct vp_snapshot *s)
{
	static struct vp_config ref, cfg;
	struct vp_params in, eff;
	struct vp_kvm_view v = { .blame = -1 };
	struct vp_reader r;
	unsigned int i;

	vp_params_defaults(&in, s->hdr.kvm);
	vp_snapshot_fill_params(&s->hdr, &s->cpus[0], &in);
	vp_raw_reader(&r, &s->cpus[0].raw);
	v.kvm = in.kvm;
	v.ref_cpu = s->cpus[0].cpu;
	v.ref_support = VP_VMX_OK;
	v.ref_ret = vp_compute_reference(&in, &r, &ref, &eff);
	v.effective = &eff;
	v.ref = &ref;
	for (i = 0; !v.ref_ret && i < s->nr_cpus && v.blame < 0; i++) {
		vp_raw_reader(&r, &s->cpus[i].raw);
		if (vp_kvm_cpu_fails(VP_VMX_OK,
				     vp_compute_cpu(&eff, &ref, &r, &cfg),
				     &ref, &cfg))
			v.blame = (int)s->cpus[i].cpu;
	}
	if (vp_kvm_view_emit(&v, view_line, NULL))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct vp_snapshot_error err;
	unsigned int i;

	if (vp_snapshot_parse((const char *)data, size, &a, &err)) {
		/* A rejection names a line within the input and a reason. */
		if (!err.line || !err.msg[0] ||
		    strlen(err.msg) >= sizeof(err.msg))
			abort();
		return 0;
	}
	if (!a.nr_cpus || a.nr_cpus > VP_SNAPSHOT_MAX_CPUS)
		abort();
	len = 0;
	if (vp_snapshot_emit(&a, add_line, NULL))
		abort();
	if (vp_snapshot_parse(text, len, &b, &err))
		abort();
	if (a.nr_cpus != b.nr_cpus || a.hdr.present != b.hdr.present ||
	    strcmp(a.hdr.source, b.hdr.source) ||
	    a.hdr.tsc_khz != b.hdr.tsc_khz ||
	    a.hdr.hyperv_evmcs != b.hdr.hyperv_evmcs ||
	    a.hdr.param_present != b.hdr.param_present)
		abort();
	for (i = 0; i < VP_NR_KVM_PARAMS; i++)
		if ((a.hdr.param_present & (1u << i)) &&
		    a.hdr.param[i] != b.hdr.param[i])
			abort();
	for (i = 0; i < a.nr_cpus; i++)
		if (a.cpus[i].cpu != b.cpus[i].cpu ||
		    memcmp(&a.cpus[i].raw, &b.cpus[i].raw, sizeof(a.cpus[i].raw)))
			abort();
	if (vp_snapshot_find_cpu(&a, a.cpus[0].cpu) != &a.cpus[0])
		abort();
	kvm_view(&a);
	return 0;
}
