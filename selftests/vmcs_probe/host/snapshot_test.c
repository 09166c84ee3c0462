// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the snapshot parser and emitter (module/snapshot.c):
 * a table of malformed inputs, each rejected on the right line, and
 * emit -> parse round trips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "snapshot.h"

#define HDR "vmcs_probe-snapshot 1\n"

/* A two-CPU snapshot using every kind of line. */
static const char good[] =
	"# leading comment\n"
	"\n"
	HDR
	"source test machine # not a comment\n"
	"kvm 6.12\n"
	"boot_cpu_intel 1\n"
	"boot_cpu_nx 1\n"
	"boot_cpu_umip 0\n"
	"boot_cpu_mpx 1\n"
	"tsc_khz 2100000\n"
	"hyperv_evmcs 1\n"
	"param ept 0\n"
	"param ple_window_max 4294967295\n"
	"param sgx 1\n"
	"cpu 3\n"
	"  cpuid1_ecx 0x7ffefbff   # trailing comment\n"
	"cpuid 0x0 0x16\n"
	"cpuid 0x1 0x50654\n"
	"cpuid 0x12 0x0\n"
	"msr 0x3a 0x5\n"
	"msr 0x480 0x00d810000000002b\n"
	"msr 0x481 0xFF00000016\n"
	"msr 0x492 fault\n"
	"cpu 7\n"
	"\tmsr 0x493 0xffffffffffffffff\r\n"
	"end\n"
	"# trailing comment\n";

static struct vp_snapshot snap, snap2;

/* The index of kvm_intel parameter @name in vp_kvm_params[]. */
static unsigned int pidx(const char *name)
{
	const struct vp_kvm_param *d = vp_kvm_param_find(name, strlen(name));

	return d ? (unsigned int)(d - vp_kvm_params) : VP_NR_KVM_PARAMS;
}

TEST(parse_good)
{
	struct vp_snapshot_error err = { 0 };
	const struct vp_snapshot_cpu *c;

	ASSERT_EQ(0, vp_snapshot_parse(good, strlen(good), &snap, &err))
		TH_LOG("line %u: %s", err.line, err.msg);
	EXPECT_EQ(VP_SNAP_HAS_SOURCE | VP_SNAP_HAS_KVM | VP_SNAP_HAS_INTEL |
		  VP_SNAP_HAS_NX | VP_SNAP_HAS_UMIP | VP_SNAP_HAS_MPX |
		  VP_SNAP_HAS_TSC_KHZ | VP_SNAP_HAS_EVMCS,
		  snap.hdr.present);
	EXPECT_EQ(2100000, snap.hdr.tsc_khz);
	EXPECT_TRUE(snap.hdr.hyperv_evmcs);
	EXPECT_EQ(BIT(pidx("ept")) | BIT(pidx("ple_window_max")) |
		  BIT(pidx("sgx")), snap.hdr.param_present);
	EXPECT_EQ(0, snap.hdr.param[pidx("ept")]);
	EXPECT_EQ(0xffffffffu, snap.hdr.param[pidx("ple_window_max")]);
	EXPECT_EQ(1, snap.hdr.param[pidx("sgx")]);
	EXPECT_STREQ("test machine # not a comment", snap.hdr.source);
	EXPECT_EQ(VP_KVM_6_12, snap.hdr.kvm);
	EXPECT_TRUE(snap.hdr.boot_cpu_intel && snap.hdr.boot_cpu_nx &&
		    snap.hdr.boot_cpu_mpx);
	EXPECT_FALSE(snap.hdr.boot_cpu_umip);
	ASSERT_EQ(2, snap.nr_cpus);

	c = &snap.cpus[0];
	EXPECT_EQ(3, c->cpu);
	EXPECT_EQ(0x7ffefbff, c->raw.cpuid1_ecx);
	EXPECT_EQ(0x16, c->raw.cpuid_eax[vp_raw_cpuid_slot(0)]);
	EXPECT_EQ(0x50654, c->raw.cpuid_eax[vp_raw_cpuid_slot(1)]);
	EXPECT_EQ(0, c->raw.cpuid_eax[vp_raw_cpuid_slot(0x12)]);
	EXPECT_EQ(0xf, c->present);
	EXPECT_EQ(5, c->raw.msr[vp_raw_slot(0x3a)]);
	EXPECT_EQ(0x00d810000000002bULL, c->raw.msr[vp_raw_slot(0x480)]);
	EXPECT_EQ(0xff00000016ULL, c->raw.msr[vp_raw_slot(0x481)]);
	EXPECT_EQ(BIT(vp_raw_slot(0x3a)) | BIT(vp_raw_slot(0x480)) |
		  BIT(vp_raw_slot(0x481)) | BIT(vp_raw_slot(0x492)),
		  c->raw.known);
	EXPECT_EQ(BIT(vp_raw_slot(0x492)), c->raw.faulted);

	c = &snap.cpus[1];
	EXPECT_EQ(7, c->cpu);
	EXPECT_EQ(0, c->present);
	EXPECT_EQ(BIT(vp_raw_slot(0x493)), c->raw.known);
	EXPECT_EQ(~0ULL, c->raw.msr[vp_raw_slot(0x493)]);
}

TEST(find_cpu)
{
	ASSERT_EQ(0, vp_snapshot_parse(good, strlen(good), &snap, NULL));
	EXPECT_EQ(&snap.cpus[0], vp_snapshot_find_cpu(&snap, 3));
	EXPECT_EQ(&snap.cpus[1], vp_snapshot_find_cpu(&snap, 7));
	/* Absent: the first section stands in (the replay rule). */
	EXPECT_EQ(&snap.cpus[0], vp_snapshot_find_cpu(&snap, 0));
	EXPECT_EQ(&snap.cpus[0], vp_snapshot_find_cpu(&snap, 8191));
	snap.nr_cpus = 0;
	EXPECT_EQ(NULL, vp_snapshot_find_cpu(&snap, 0));
}

TEST(fill_params)
{
	struct vp_params p;

	ASSERT_EQ(0, vp_snapshot_parse(good, strlen(good), &snap, NULL));
	vp_params_defaults(&p, snap.hdr.kvm);
	p.boot_cpu_umip = true;
	p.boot_cpu_intel = false;
	vp_snapshot_fill_params(&snap.hdr, &snap.cpus[0], &p);
	EXPECT_TRUE(p.boot_cpu_intel);
	EXPECT_TRUE(p.boot_cpu_nx);
	EXPECT_FALSE(p.boot_cpu_umip);
	EXPECT_TRUE(p.boot_cpu_mpx);
	EXPECT_EQ(0x50654, p.boot_cpuid_sig);
	EXPECT_EQ(2100000, p.tsc_khz);
	EXPECT_TRUE(p.hyperv_evmcs_usable);
	EXPECT_FALSE(p.ept);
	EXPECT_EQ(0xffffffffu, p.ple_window_max);
	EXPECT_TRUE(p.enable_sgx);
	/* Parameters without a line keep their value. */
	EXPECT_TRUE(p.vpid && p.nested && p.enable_apicv);
	EXPECT_EQ(4096, p.ple_window);

	/* Absent facts are left alone. */
	snap.hdr.present = VP_SNAP_HAS_NX;
	snap.hdr.param_present = 0;
	p.tsc_khz = 7;
	p.ept = true;
	snap.hdr.boot_cpu_nx = false;
	p.boot_cpu_umip = true;
	vp_snapshot_fill_params(&snap.hdr, NULL, &p);
	EXPECT_FALSE(p.boot_cpu_nx);
	EXPECT_TRUE(p.boot_cpu_umip);
	EXPECT_EQ(0x50654, p.boot_cpuid_sig);
	EXPECT_EQ(7, p.tsc_khz);
	EXPECT_TRUE(p.ept);
}

/* The module's live header: every fact and every parameter. */
TEST(header_set_params)
{
	struct vp_snapshot_header h = { 0 };
	struct vp_params p, q;
	unsigned int i;

	vp_params_defaults(&p, VP_KVM_6_12);
	p.tsc_khz = 3000000;
	p.pml = false;
	p.ple_gap = 0;
	p.config_x86_sgx_kvm = false;
	p.boot_cpu_umip = true;
	vp_snapshot_header_set_params(&h, &p);
	EXPECT_EQ(VP_SNAP_HAS_INTEL | VP_SNAP_HAS_NX | VP_SNAP_HAS_UMIP |
		  VP_SNAP_HAS_MPX | VP_SNAP_HAS_TSC_KHZ | VP_SNAP_HAS_EVMCS |
		  VP_SNAP_HAS_X86_64 | VP_SNAP_HAS_HYPERV |
		  VP_SNAP_HAS_SGX_KVM | VP_SNAP_HAS_KVM_HYPERV |
		  VP_SNAP_HAS_PROVE_VE | VP_SNAP_HAS_SHSTK | VP_SNAP_HAS_IBT |
		  VP_SNAP_HAS_XSS_CET | VP_SNAP_HAS_HYPERVISOR |
		  VP_SNAP_HAS_CPUID15_EAX | VP_SNAP_HAS_CPUID15_EBX, h.present);
	EXPECT_TRUE(h.boot_cpu_umip);
	EXPECT_FALSE(h.config_x86_sgx_kvm);
	/*
	 * Every parameter of 6.12 but sgx, which needs CONFIG_X86_SGX_KVM;
	 * cet and mbec are 7.2's.
	 */
	EXPECT_EQ((BIT(VP_NR_KVM_PARAMS) - 1) & ~BIT(pidx("sgx")) &
		  ~BIT(pidx("cet")) & ~BIT(pidx("mbec")), h.param_present);

	vp_params_defaults(&q, VP_KVM_6_12);
	vp_snapshot_fill_params(&h, NULL, &q);
	EXPECT_EQ(3000000, q.tsc_khz);
	EXPECT_FALSE(q.pml);
	EXPECT_EQ(0, q.ple_gap);
	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		const struct vp_kvm_param *d = &vp_kvm_params[i];

		if (i == 17)
			continue;
		EXPECT_EQ(vp_kvm_param_get(&p, d), vp_kvm_param_get(&q, d))
			TH_LOG("%s", d->name);
	}
}

/* ---- missing lines ---- */

struct warns {
	unsigned int n;
	unsigned int line[8];
	char msg[8][VP_SNAPSHOT_ERR_MAX * 2];
};

static void note_warn(void *ctx, unsigned int line, const char *msg)
{
	struct warns *w = ctx;

	if (w->n < 8) {
		w->line[w->n] = line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", msg);
	}
	w->n++;
}

TEST(check_missing_lines)
{
	static const char partial[] =
		"# comment\n"
		HDR
		"boot_cpu_intel 1\n"
		"boot_cpu_umip 0\n"
		"cpu 0\n"
		"cpuid1_ecx 0x20\n"
		"cpuid 0x0 0x16\n"
		"cpuid 0x12 0x0\n"
		"msr 0x480 0x1\n"
		"end\n";
	struct warns w = { 0 };

	/* good: a full header; cpu 7 (line 24) has no CPUID line at all. */
	ASSERT_EQ(0, vp_snapshot_parse(good, strlen(good), &snap, NULL));
	EXPECT_EQ(3, snap.magic_line);
	EXPECT_EQ(15, snap.cpus[0].line);
	EXPECT_EQ(24, snap.cpus[1].line);
	EXPECT_EQ(4, vp_snapshot_check(&snap, note_warn, &w));
	EXPECT_EQ(24, w.line[0]);
	EXPECT_STREQ("no 'cpuid1_ecx' line in this cpu section: 0, no VMX",
		     w.msg[0]);
	EXPECT_EQ(24, w.line[3]);

	/* Two header facts and one CPUID line missing; MSRs never count. */
	memset(&w, 0, sizeof(w));
	ASSERT_EQ(0, vp_snapshot_parse(partial, strlen(partial), &snap, NULL));
	EXPECT_EQ(3, vp_snapshot_check(&snap, note_warn, &w));
	EXPECT_EQ(2, w.line[0]);
	EXPECT_STREQ("no 'boot_cpu_nx' line: the reader's default NX applies",
		     w.msg[0]);
	EXPECT_EQ(2, w.line[1]);
	EXPECT_STREQ("no 'boot_cpu_mpx' line: the reader's default MPX applies",
		     w.msg[1]);
	EXPECT_EQ(5, w.line[2]);
	EXPECT_STREQ("no 'cpuid 0x1' line in this cpu section: signature 0, no erratum matches",
		     w.msg[2]);
}

/* ---- emitter ---- */

struct out {
	char buf[1 << 20];
	size_t len;
	unsigned int lines;
	unsigned int stop_at;	/* fail on this line (1-based), 0: never */
};

static int out_line(void *ctx, const char *line)
{
	struct out *o = ctx;
	size_t n = strlen(line);

	if (++o->lines == o->stop_at)
		return -ENOSPC;
	if (n >= VP_SNAPSHOT_LINE_MAX || strchr(line, '\n') ||
	    o->len + n + 1 >= sizeof(o->buf))
		return -EOVERFLOW;
	memcpy(o->buf + o->len, line, n);
	o->len += n;
	o->buf[o->len++] = '\n';
	o->buf[o->len] = '\0';
	return 0;
}

static bool same_snapshot(const struct vp_snapshot *a,
			  const struct vp_snapshot *b)
{
	unsigned int i;

	if (a->hdr.present != b->hdr.present || a->nr_cpus != b->nr_cpus ||
	    strcmp(a->hdr.source, b->hdr.source) ||
	    ((a->hdr.present & VP_SNAP_HAS_KVM) && a->hdr.kvm != b->hdr.kvm) ||
	    a->hdr.boot_cpu_intel != b->hdr.boot_cpu_intel ||
	    a->hdr.boot_cpu_nx != b->hdr.boot_cpu_nx ||
	    a->hdr.boot_cpu_umip != b->hdr.boot_cpu_umip ||
	    a->hdr.boot_cpu_mpx != b->hdr.boot_cpu_mpx ||
	    a->hdr.tsc_khz != b->hdr.tsc_khz ||
	    a->hdr.hyperv_evmcs != b->hdr.hyperv_evmcs ||
	    a->hdr.param_present != b->hdr.param_present)
		return false;
	for (i = 0; i < VP_NR_KVM_PARAMS; i++)
		if ((a->hdr.param_present & BIT(i)) &&
		    a->hdr.param[i] != b->hdr.param[i])
			return false;
	for (i = 0; i < a->nr_cpus; i++)
		if (a->cpus[i].cpu != b->cpus[i].cpu ||
		    memcmp(&a->cpus[i].raw, &b->cpus[i].raw,
			   sizeof(struct vp_raw)))
			return false;
	return true;
}

static struct out out;

TEST(round_trip_good)
{
	struct vp_snapshot_error err = { 0 };

	ASSERT_EQ(0, vp_snapshot_parse(good, strlen(good), &snap, NULL));
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(0, vp_snapshot_emit(&snap, out_line, &out));
	ASSERT_EQ(0, vp_snapshot_parse(out.buf, out.len, &snap2, &err))
		TH_LOG("line %u: %s\n%s", err.line, err.msg, out.buf);
	EXPECT_TRUE(same_snapshot(&snap, &snap2)) TH_LOG("%s", out.buf);
	/* Emitting again gives the same bytes. */
	{
		static struct out again;

		ASSERT_EQ(0, vp_snapshot_emit(&snap2, out_line, &again));
		EXPECT_STREQ(out.buf, again.buf);
	}
}

/*
 * An SVM snapshot: the vendor, the SVM facts and kvm_amd's parameters in
 * the header, the SVM lines per CPU; parsed, used and emitted again.
 */
static const char svm_text[] =
	HDR
	"boot_cpu_nx 1\n"
	"boot_cpu_amd 1\n"
	"boot_cpu_svm 0\n"
	"boot_cpu_sev 0\n"
	"boot_cpu_family 0x17\n"
	"boot_cpu_model 0x01\n"
	"boot_svm_edx 0x00000001\n"
	"param nested 1\n"
	"param npt 1\n"
	"param pause_filter_count 2000\n"
	"cpu 0\n"
	"vendor_amd 1\n"
	"cpu_has_svm 0\n"
	"cpuid_ext_ecx 0x00000000\n"
	"cpuid_svm 0x00000000 0x00000000 0x00000000 0x00000000\n"
	"vm_cr fault\n"
	"cpu 1\n"
	"vendor_amd 1\n"
	"cpu_has_svm 1\n"
	"cpuid_ext_ecx 0x00000004\n"
	"cpuid_svm 0x00000001 0x00000010 0x00000000 0x00000001\n"
	"vm_cr 0x0000000000000008\n"
	"end\n";

TEST(svm_snapshot)
{
	struct vp_snapshot_error err = { 0 };
	struct vp_svm_params p;
	struct vp_svm_setup s;
	static struct out again;

	ASSERT_EQ(0, vp_snapshot_parse(svm_text, strlen(svm_text), &snap,
				       &err))
		TH_LOG("line %u: %s", err.line, err.msg);
	EXPECT_TRUE(vp_snapshot_is_svm(&snap));
	ASSERT_EQ(2, snap.nr_cpus);
	EXPECT_EQ(VP_SNAP_SVM_ALL, snap.cpus[0].svm_present);
	EXPECT_FALSE(snap.cpus[0].svm.cpu_has_svm);
	EXPECT_TRUE(snap.cpus[0].svm.vm_cr_fault);
	EXPECT_TRUE(snap.cpus[1].svm.cpu_has_svm);
	EXPECT_EQ(0x10, snap.cpus[1].svm.svm_leaf[1]);
	EXPECT_EQ(8, snap.cpus[1].svm.vm_cr);
	EXPECT_FALSE(snap.cpus[1].svm.vm_cr_fault);

	/* The facts and parameters reach the engine. */
	vp_svm_params_defaults(&p, VP_KVM_6_12);
	vp_snapshot_fill_svm_params(&snap.hdr, &p);
	EXPECT_FALSE(p.boot_svm);
	EXPECT_EQ(0x17, p.boot_family);
	EXPECT_EQ(2000, p.pause_filter_count);
	EXPECT_TRUE(p.avic_auto);
	/* 6.12 asks the loading CPU: refused from CPU 0, runs from CPU 1. */
	EXPECT_EQ(-EOPNOTSUPP, vp_svm_compute_reference(&p, &snap.cpus[0].svm,
							&s));
	EXPECT_EQ(0, vp_svm_compute_reference(&p, &snap.cpus[1].svm, &s));
	EXPECT_EQ(-EIO, vp_svm_check_processor_compat(VP_KVM_6_12,
						      &snap.cpus[0].svm));

	/* Emitted, it is the same text (the SVM lines after the others). */
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(0, vp_snapshot_emit(&snap, out_line, &out));
	ASSERT_EQ(0, vp_snapshot_parse(out.buf, out.len, &snap2, &err))
		TH_LOG("line %u: %s\n%s", err.line, err.msg, out.buf);
	memset(&again, 0, sizeof(again));
	ASSERT_EQ(0, vp_snapshot_emit(&snap2, out_line, &again));
	EXPECT_STREQ(out.buf, again.buf);
	EXPECT_NE(NULL, strstr(out.buf, "param pause_filter_count 2000\n"));
	EXPECT_NE(NULL, strstr(out.buf, "cpuid_svm 0x00000001 0x00000010"));
	EXPECT_EQ(0, memcmp(&snap.cpus[1].svm, &snap2.cpus[1].svm,
			    sizeof(struct vp_svm_cpu)));

	/* The module's side: header lines from engine parameters. */
	memset(&snap2.hdr, 0, sizeof(snap2.hdr));
	p.avic_auto = true;
	p.kvm = VP_KVM_7_2;
	vp_snapshot_header_set_svm_params(&snap2.hdr, &p);
	EXPECT_TRUE(snap2.hdr.present & VP_SNAP_HAS_SVM_EDX);
	EXPECT_EQ(0x17, snap2.hdr.boot_cpu_family);
	/* gmet is kvm_amd's own; nested is kvm_intel's too; avic is auto. */
	EXPECT_TRUE(snap2.hdr.svm_param_present &
		    BIT(vp_svm_param_find("gmet", 4) - vp_svm_params));
	EXPECT_FALSE(snap2.hdr.svm_param_present &
		     BIT(vp_svm_param_find("nested", 6) - vp_svm_params));
	EXPECT_FALSE(snap2.hdr.svm_param_present &
		     BIT(vp_svm_param_find("avic", 4) - vp_svm_params));
	EXPECT_FALSE(snap2.hdr.svm_param_present &
		     BIT(vp_svm_param_find("debug_swap", 10) - vp_svm_params));
}

/* Pseudo-random snapshots: every value, flag and count the format has. */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

TEST(round_trip_random)
{
	struct vp_snapshot_error err = { 0 };
	unsigned int iter, i, j;

	for (iter = 0; iter < 200; iter++) {
		memset(&snap, 0, sizeof(snap));
		snap.hdr.present = rng() & 0xff;
		if (snap.hdr.present & VP_SNAP_HAS_SOURCE)
			snprintf(snap.hdr.source, sizeof(snap.hdr.source),
				 "run %u #%llx", iter, rng());
		snap.hdr.kvm = rng() % VP_KVM_NR;
		snap.hdr.boot_cpu_intel = (snap.hdr.present & VP_SNAP_HAS_INTEL) && (rng() & 1);
		snap.hdr.boot_cpu_nx = (snap.hdr.present & VP_SNAP_HAS_NX) && (rng() & 1);
		snap.hdr.boot_cpu_umip = (snap.hdr.present & VP_SNAP_HAS_UMIP) && (rng() & 1);
		snap.hdr.boot_cpu_mpx = (snap.hdr.present & VP_SNAP_HAS_MPX) && (rng() & 1);
		if (snap.hdr.present & VP_SNAP_HAS_TSC_KHZ)
			snap.hdr.tsc_khz = (u32)rng();
		snap.hdr.hyperv_evmcs = (snap.hdr.present & VP_SNAP_HAS_EVMCS) && (rng() & 1);
		snap.hdr.param_present = (u32)rng() & (BIT(VP_NR_KVM_PARAMS) - 1);
		for (j = 0; j < VP_NR_KVM_PARAMS; j++)
			if (snap.hdr.param_present & BIT(j))
				snap.hdr.param[j] =
					vp_kvm_params[j].type == VP_KVM_PARAM_BOOL ?
					(u32)(rng() & 1) : (u32)rng();
		snap.nr_cpus = iter == 0 ? VP_SNAPSHOT_MAX_CPUS :
			       1 + rng() % 8;
		for (i = 0; i < snap.nr_cpus; i++) {
			struct vp_raw *r = &snap.cpus[i].raw;

			snap.cpus[i].cpu = iter == 1 ? 8191 - i : i * 31;
			r->cpuid1_ecx = (u32)rng();
			for (j = 0; j < VP_RAW_NR_CPUID; j++)
				r->cpuid_eax[j] = (u32)rng();
			r->known = (u32)rng() & (BIT(VP_RAW_NR_MSRS) - 1);
			r->faulted = (u32)rng() & r->known;
			for (j = 0; j < VP_RAW_NR_MSRS; j++)
				if ((r->known & BIT(j)) &&
				    !(r->faulted & BIT(j)))
					r->msr[j] = rng() >> (rng() % 64);
		}
		memset(&out, 0, sizeof(out));
		ASSERT_EQ(0, vp_snapshot_emit(&snap, out_line, &out));
		ASSERT_EQ(0, vp_snapshot_parse(out.buf, out.len, &snap2, &err))
			TH_LOG("iter %u line %u: %s", iter, err.line, err.msg);
		ASSERT_TRUE(same_snapshot(&snap, &snap2))
			TH_LOG("iter %u:\n%s", iter, out.buf);
	}
}

TEST(emit_parts_and_stop)
{
	struct vp_snapshot_error err = { 0 };
	unsigned int total;

	ASSERT_EQ(0, vp_snapshot_parse(good, strlen(good), &snap, NULL));
	/* Header + cpu sections + end, the way the module's files do it. */
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(0, vp_snapshot_emit_header(&snap.hdr, out_line, &out));
	ASSERT_EQ(0, vp_snapshot_emit_cpu(snap.cpus[1].cpu, &snap.cpus[1].raw,
					  out_line, &out));
	ASSERT_EQ(0, vp_snapshot_emit_end(out_line, &out));
	ASSERT_EQ(0, vp_snapshot_parse(out.buf, out.len, &snap2, &err))
		TH_LOG("line %u: %s", err.line, err.msg);
	ASSERT_EQ(1, snap2.nr_cpus);
	EXPECT_EQ(7, snap2.cpus[0].cpu);
	EXPECT_EQ(0, memcmp(&snap.cpus[1].raw, &snap2.cpus[0].raw,
			    sizeof(struct vp_raw)));

	/* A callback error stops the emitter at once and is passed back. */
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(0, vp_snapshot_emit(&snap, out_line, &out));
	total = out.lines;
	for (out.stop_at = 1; out.stop_at <= total; out.stop_at++) {
		out.lines = 0;
		out.len = 0;
		EXPECT_EQ(-ENOSPC, vp_snapshot_emit(&snap, out_line, &out));
		EXPECT_EQ(out.stop_at, out.lines);
	}
}

TEST(emit_sanitizes_source)
{
	struct vp_snapshot_error err = { 0 };

	memset(&snap, 0, sizeof(snap));
	snap.hdr.present = VP_SNAP_HAS_SOURCE;
	snprintf(snap.hdr.source, sizeof(snap.hdr.source), "tab\there\x01 ");
	snap.nr_cpus = 1;
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(0, vp_snapshot_emit(&snap, out_line, &out));
	ASSERT_EQ(0, vp_snapshot_parse(out.buf, out.len, &snap2, &err))
		TH_LOG("line %u: %s", err.line, err.msg);
	EXPECT_STREQ("tab?here?", snap2.hdr.source);
}

/* ---- malformed input ---- */

/* @text is refused on @line, with @msg and @msg2 in the message. */
static void expect_refused(struct __test_metadata *_metadata,
			   const char *text, unsigned int line,
			   const char *msg, const char *msg2)
{
	struct vp_snapshot_error err = {};

	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, strlen(text), &snap, &err))
		TH_LOG("accepted: %s", text);
	EXPECT_EQ(line, err.line)
		TH_LOG("%s: line %u: %s", text, err.line, err.msg);
	EXPECT_TRUE(strstr(err.msg, msg) && strstr(err.msg, msg2))
		TH_LOG("%s: '%s' lacks '%s' or '%s'", text, err.msg, msg, msg2);
	/* No error record: still rejected, nothing written. */
	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, strlen(text), &snap, NULL));
}

struct bad {
	const char *text;
	unsigned int line;
	const char *msg;	/* a substring of the message */
};

#define CPU0 "cpu 0\n"

static const struct bad bad[] = {
	{ "", 1, "missing 'vmcs_probe-snapshot 1'" },
	{ "# only a comment\n\n", 2, "missing 'vmcs_probe-snapshot 1'" },
	{ "vmcs_probe-snapshot\n", 1, "missing version" },
	{ "vmcs-probe-snapshot 1\n", 1, "bad magic" },
	{ "vmcs_probe-snapshot 2\n", 1, "unsupported version '2'" },
	{ "vmcs_probe-snapshot 99999999999999999999\n", 1, "unsupported version" },
	{ "vmcs_probe-snapshot x1\n", 1, "bad version" },
	{ "vmcs_probe-snapshot 1 1\n", 1, "trailing text '1'" },
	{ HDR, 1, "missing 'end'" },
	{ HDR "end\n", 2, "no cpu section" },
	{ HDR CPU0 "msr 0x480 0x1\n", 3, "missing 'end'" },
	{ HDR CPU0 "end\nend\n", 4, "text after 'end'" },
	{ HDR CPU0 "end\n\n# fine\ncpu 1\n", 6, "text after 'end'" },
	{ HDR CPU0 "end extra\n", 3, "trailing text 'extra'" },
	{ HDR "cpu\nend\n", 2, "missing cpu number" },
	{ HDR "cpu -1\nend\n", 2, "bad cpu number '-1'" },
	{ HDR "cpu 0x1\nend\n", 2, "bad cpu number" },
	{ HDR "cpu 8192\nend\n", 2, "out of range" },
	{ HDR "cpu 99999999999999999999999\nend\n", 2, "out of range" },
	{ HDR "cpu 1\ncpu 2\ncpu 1\nend\n", 4, "duplicate cpu '1'" },
	{ HDR "cpu 1 2\nend\n", 2, "trailing text '2'" },
};

/*
 * Lines refused in the header or in a cpu section of an otherwise good
 * snapshot (malformed_lines() puts them there): the last line is the one
 * refused.
 */
struct bad_line {
	const char *lines;
	const char *msg;	/* a substring of the message */
};

static const struct bad_line bad_header[] = {
	{ "frobnicate 1\n", "unknown key 'frobnicate'" },
	{ "msr 0x480 0x1\n", "outside a cpu section" },
	{ "kvm 6.2\n", "unknown KVM version '6.2'" },
	{ "source \x7f\n", "not printable" },
	{ "boot_cpu_nx 2\n", "bad value '2'" },
	{ "tsc_khz 0x10\n", "bad tsc_khz '0x10'" },
	{ "tsc_khz 4294967296\n", "out of range (32 bits)" },
	{ "hyperv_evmcs Y\n", "bad value 'Y'" },
	{ "param\n", "missing parameter name" },
	{ "param pt_mode 0\n", "unknown kvm_intel parameter 'pt_mode'" },
	{ "param enable_pmu 1\n", "unknown kvm_intel parameter" },
	{ "param ept Y\n", "bad value 'Y' (want 0 or 1)" },
	{ "param ept 2\n", "bad value '2'" },
	{ "param ple_gap -1\n", "bad value '-1' (want decimal)" },
	{ "param ple_gap 4294967296\n", "out of range (32 bits)" },
	{ "param ept 0\nparam vpid 1\nparam ept 1\n", "duplicate param 'ept'" },
	/* the SVM lines */
	{ "vendor_amd 1\n", "outside a cpu section" },
	{ "param npt 2\n", "bad value '2'" },
	{ "param pause_filter_count 65536\n", "out of range (16 bits)" },
	{ "param gmet 1\nparam gmet 0\n", "duplicate param 'gmet'" },
	{ "boot_svm_edx 0x100000000\n", "out of range (32 bits)" },
};

static const struct bad_line bad_cpu[] = {
	{ "MSR 0x480 0x1\n", "unknown key 'MSR'" },
	{ "cpuid1_ecx 0x100000000\n", "out of range (32 bits)" },
	{ "cpuid1_ecx 0x1\ncpuid1_ecx 0x1\n", "duplicate 'cpuid1_ecx'" },
	{ "cpuid1_ecx\n", "missing value" },
	{ "cpuid1_ecx 12\n", "bad number '12'" },
	{ "cpuid1_ecx 0x\n", "bad number '0x'" },
	{ "cpuid 0x7 0x0\n", "unknown CPUID leaf '0x7'" },
	{ "cpuid 0x1 0x123456789\n", "out of range (32 bits)" },
	{ "cpuid 0x1 0x1\ncpuid 0x1 0x1\n", "duplicate CPUID leaf" },
	{ "cpuid 0x0\n", "missing EAX value" },
	{ "cpuid 0x0 0x1 0x2\n", "trailing text '0x2'" },
	{ "msr 0x494 0x0\n", "unknown MSR '0x494'" },
	{ "msr 0x100000480 0x0\n", "unknown MSR" },
	{ "msr 480 0x0\n", "bad MSR index '480'" },
	{ "msr 0x480 0x1\nmsr 0x480 0x1\n", "duplicate MSR '0x480'" },
	{ "msr 0x480 0x10000000000000000\n", "out of range (64 bits)" },
	{ "msr 0x480 0xfffffffffffffffff\n", "out of range (64 bits)" },
	{ "msr 0x480 0xg\n", "bad number '0xg'" },
	{ "msr 0x480 faulted\n", "bad number 'faulted'" },
	{ "msr 0x480\n", "missing MSR value" },
	{ "msr 0x480 0x1 junk\n", "trailing text 'junk'" },
	{ "msr 0x480 fault 0x1\n", "trailing text '0x1'" },
	{ "msr\n", "missing MSR index" },
	{ "msr 0x480 0x1 a b c d\n", "trailing text 'a'" },
	/* the SVM lines */
	{ "cpuid_svm 0x1 0x8 0x0\n", "missing value" },
	{ "cpuid_svm 0x1 0x8 0x0 0x1 0x2\n", "trailing text '0x2'" },
	{ "cpuid_ext_ecx 0x100000000\n", "out of range (32 bits)" },
	{ "vendor_amd 2\n", "bad value '2'" },
	{ "vm_cr faulty\n", "bad number 'faulty'" },
	{ "vm_cr fault 0x1\n", "trailing text '0x1'" },
	{ "cpu_has_svm 1\ncpu_has_svm 1\n", "duplicate 'cpu_has_svm'" },
	{ "boot_cpu_amd 1\n", "after the first cpu section" },
};

TEST(malformed)
{
	unsigned int i;

	ASSERT_GE(ARRAY_SIZE(bad), 20);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_refused(_metadata, bad[i].text, bad[i].line, bad[i].msg,
			       "");
}

static unsigned int nr_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* @rows put between @before and @after: refused on their last line. */
static void malformed_lines(struct __test_metadata *_metadata,
			    const struct bad_line *rows, unsigned int nr,
			    const char *before, const char *after)
{
	char text[512];
	unsigned int i;

	for (i = 0; i < nr; i++) {
		snprintf(text, sizeof(text), "%s%s%s", before, rows[i].lines,
			 after);
		expect_refused(_metadata, text,
			       nr_lines(before) + nr_lines(rows[i].lines),
			       rows[i].msg, "");
	}
}

TEST(malformed_header_line)
{
	malformed_lines(_metadata, bad_header, ARRAY_SIZE(bad_header), HDR,
			CPU0 "end\n");
}

TEST(malformed_cpu_line)
{
	malformed_lines(_metadata, bad_cpu, ARRAY_SIZE(bad_cpu), HDR CPU0,
			"end\n");
}

/*
 * What every header key shares, one row per key: a line without the
 * value, a second line of the key, a word after the value and the key
 * after the first cpu section are each refused, on the line they are on.
 */
static const struct {
	const char *key;	/* "param NAME" for a kvm_intel parameter */
	const char *value;	/* a good one */
	const char *missing;	/* the message for a line without it */
} header_keys[] = {
	{ "kvm", "6.1", "missing" },
	{ "source", "a", "missing text" },
	{ "boot_cpu_intel", "1", "missing value" },
	{ "boot_cpu_nx", "1", "missing value" },
	{ "boot_cpu_umip", "1", "missing value" },
	{ "boot_cpu_mpx", "1", "missing value" },
	{ "tsc_khz", "1", "missing value" },
	{ "hyperv_evmcs", "0", "missing value" },
	{ "boot_cpu_shstk", "1", "missing value" },
	{ "boot_cpu_ibt", "1", "missing value" },
	{ "host_xss_cet", "1", "missing value" },
	{ "boot_cpu_hypervisor", "0", "missing value" },
	{ "cpuid15_eax", "0x1", "missing value" },
	{ "cpuid15_ebx", "0x1", "missing value" },
	{ "config_x86_64", "1", "missing value" },
	{ "config_hyperv", "1", "missing value" },
	{ "config_x86_sgx_kvm", "1", "missing value" },
	{ "config_kvm_hyperv", "1", "missing value" },
	{ "config_kvm_intel_prove_ve", "0", "missing value" },
	{ "param ept", "0", "missing value of 'ept'" },
};

TEST(malformed_header_keys)
{
	char text[256], name[40];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(header_keys); i++) {
		const char *key = header_keys[i].key;
		const char *val = header_keys[i].value;

		snprintf(name, sizeof(name), "'%s'", strrchr(key, ' ') ?
			 strrchr(key, ' ') + 1 : key);
		snprintf(text, sizeof(text), HDR "%s\n" CPU0 "end\n", key);
		expect_refused(_metadata, text, 2, header_keys[i].missing, "");
		snprintf(text, sizeof(text), HDR "%s %s\n%s %s\n" CPU0 "end\n",
			 key, val, key, val);
		expect_refused(_metadata, text, 3, "duplicate", name);
		snprintf(text, sizeof(text), HDR CPU0 "%s %s\nend\n", key, val);
		expect_refused(_metadata, text, 3,
			       "after the first cpu section", "");
		/* The good value alone is accepted. */
		snprintf(text, sizeof(text), HDR "%s %s\n" CPU0 "end\n",
			 key, val);
		EXPECT_EQ(0, vp_snapshot_parse(text, strlen(text), &snap, NULL))
			TH_LOG("refused: %s", text);
		/* A source line's text is the rest of the line. */
		if (!strcmp(key, "source"))
			continue;
		snprintf(text, sizeof(text), HDR "%s %s more\n" CPU0 "end\n",
			 key, val);
		expect_refused(_metadata, text, 2, "trailing text 'more'", "");
	}
}

TEST(malformed_nul_byte)
{
	static const char text[] = HDR CPU0 "msr 0x480\0 0x1\nend\n";
	struct vp_snapshot_error err = { 0 };

	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, sizeof(text) - 1, &snap,
					     &err));
	EXPECT_EQ(3, err.line);
	EXPECT_NE(NULL, strstr(err.msg, "NUL byte"));
}

/* Not NUL-terminated: the parser reads exactly len bytes. */
TEST(length_is_respected)
{
	static const char text[] = HDR CPU0 "end\nGARBAGE";
	struct vp_snapshot_error err = { 0 };

	EXPECT_EQ(0, vp_snapshot_parse(text, strlen(HDR CPU0 "end"), &snap,
				       &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, strlen(text), &snap, &err));
	EXPECT_EQ(4, err.line);
}

TEST(too_many_cpus)
{
	static char text[16384];
	struct vp_snapshot_error err = { 0 };
	size_t len = 0;
	unsigned int i;

	len += sprintf(text + len, HDR);
	for (i = 0; i < VP_SNAPSHOT_MAX_CPUS; i++)
		len += sprintf(text + len, "cpu %u\n", i);
	len += sprintf(text + len, "end\n");
	EXPECT_EQ(0, vp_snapshot_parse(text, len, &snap, &err));
	EXPECT_EQ(VP_SNAPSHOT_MAX_CPUS, snap.nr_cpus);

	len -= 4;
	len += sprintf(text + len, "cpu %u\nend\n", i);
	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, len, &snap, &err));
	EXPECT_EQ(VP_SNAPSHOT_MAX_CPUS + 2, err.line);
	EXPECT_NE(NULL, strstr(err.msg, "more than 256 cpu sections"));
}

TEST(too_large)
{
	struct vp_snapshot_error err = { 0 };
	size_t len = VP_SNAPSHOT_MAX_SIZE + 1, i;
	char *text = malloc(len);

	ASSERT_NE(NULL, text);
	/* A valid snapshot padded with comment lines of 99 '#' + newline. */
	memset(text, '#', len);
	for (i = 99; i < len; i += 100)
		text[i] = '\n';
	memcpy(text, HDR CPU0 "end\n", strlen(HDR CPU0 "end\n"));
	EXPECT_EQ(0, vp_snapshot_parse(text, VP_SNAPSHOT_MAX_SIZE, &snap,
				       &err)) TH_LOG("%u %s", err.line, err.msg);
	EXPECT_EQ(-E2BIG, vp_snapshot_parse(text, len, &snap, &err));
	/*
	 * Before byte 1048576: the 3 newlines of the snapshot and those at
	 * 99, 199, ..., 1048499 (10485 of them), so it is on line 10489.
	 */
	EXPECT_EQ(3 + 10485 + 1, err.line);
	EXPECT_NE(NULL, strstr(err.msg, "larger than 1048576"));
	free(text);
}

TEST(long_token_is_truncated_in_message)
{
	static char text[512];
	struct vp_snapshot_error err = { 0 };

	snprintf(text, sizeof(text), HDR CPU0 "%0300d 1\nend\n", 7);
	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, strlen(text), &snap, &err));
	EXPECT_EQ(3, err.line);
	EXPECT_NE(NULL, strstr(err.msg, "unknown key '000"));
	EXPECT_NE(NULL, strstr(err.msg, "...'"));
	EXPECT_LT(strlen(err.msg), sizeof(err.msg));
}

TEST(source_length_limit)
{
	static char text[512];
	struct vp_snapshot_error err = { 0 };
	char src[200];

	memset(src, 'a', sizeof(src));
	src[VP_SNAPSHOT_SOURCE_MAX - 1] = '\0';
	snprintf(text, sizeof(text), HDR "source %s\n" CPU0 "end\n", src);
	EXPECT_EQ(0, vp_snapshot_parse(text, strlen(text), &snap, &err));
	EXPECT_EQ(VP_SNAPSHOT_SOURCE_MAX - 1, strlen(snap.hdr.source));
	src[VP_SNAPSHOT_SOURCE_MAX - 1] = 'a';
	src[VP_SNAPSHOT_SOURCE_MAX] = '\0';
	snprintf(text, sizeof(text), HDR "source %s\n" CPU0 "end\n", src);
	EXPECT_EQ(-EINVAL, vp_snapshot_parse(text, strlen(text), &snap, &err));
	EXPECT_EQ(2, err.line);
	EXPECT_NE(NULL, strstr(err.msg, "too long"));
}

TEST_HARNESS_MAIN
