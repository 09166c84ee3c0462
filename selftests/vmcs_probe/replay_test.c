// SPDX-License-Identifier: GPL-2.0
/*
 * Replay of the Bochs captures (selftests/vmcs_probe/data, made by
 * tools/vm/capture): anywhere, VMX or not, vmcs_probe fed a model's
 * snapshot with source=replay must compute what it computed live on that
 * model (MODEL.reference, all field lines, the kvm line included) and
 * report the nested MSRs KVM itself returned there (MODEL.kvm_nested_msrs,
 * from KVM_GET_MSRS).  The module is loaded with the kvm_version of the
 * kernel the capture ran on (the snapshot's "kvm" line) and otherwise
 * default parameters, as kvm_intel was loaded for the capture.
 */
#include "vp_test.h"
#include "kselftest_harness.h"

#define SNAP_SIZE	(1 << 20)
#define TEXT_SIZE	(1 << 16)

FIXTURE(replay) {
	char dir[4096];
	char kvm[16];
	char *snap;
	ssize_t snap_len;
	char text[TEXT_SIZE];
	char want[TEXT_SIZE];
	char got[TEXT_SIZE];
};

FIXTURE_VARIANT(replay) {
	const char *model;
};

FIXTURE_VARIANT_ADD(replay, corei7_skylake_x) { .model = "corei7_skylake_x" };
FIXTURE_VARIANT_ADD(replay, corei7_icelake_u) { .model = "corei7_icelake_u" };
FIXTURE_VARIANT_ADD(replay, corei7_haswell_4770) { .model = "corei7_haswell_4770" };
FIXTURE_VARIANT_ADD(replay, tigerlake) { .model = "tigerlake" };

/* selftests/vmcs_probe/data: under $VP_TOP in a guest, else beside us. */
static void data_dir(char *dir, size_t size)
{
	const char *top = getenv("VP_TOP");
	char exe[1024];
	ssize_t n;

	if (top) {
		snprintf(dir, size, "%s/selftests/vmcs_probe/data", top);
		if (access(dir, F_OK) == 0)
			return;
	}
	/* build/selftests/vmcs_probe/replay_test -> top is three up. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0 && (exe[n] = '\0', strrchr(exe, '/'))) {
		*strrchr(exe, '/') = '\0';
		snprintf(dir, size, "%s/../../../selftests/vmcs_probe/data",
			 exe);
	} else {
		snprintf(dir, size, "selftests/vmcs_probe/data");
	}
}

static ssize_t read_data(const char *dir, const char *model, const char *ext,
			 char *buf, size_t size)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s.%s", dir, model, ext);
	return vp_read(path, buf, size);
}

FIXTURE_SETUP(replay)
{
	char cmd[256], line[256];

	data_dir(self->dir, sizeof(self->dir));
	self->snap = malloc(SNAP_SIZE);
	ASSERT_NE(NULL, self->snap);
	self->snap_len = read_data(self->dir, variant->model, "snapshot",
				   self->snap, SNAP_SIZE);
	if (self->snap_len < 0)
		SKIP(return, "no capture of %s (tools/vm/capture %s)",
		     variant->model, variant->model);
	ASSERT_TRUE(vp_find_line(self->snap, "kvm", line, sizeof(line)))
		TH_LOG("%s.snapshot has no kvm line", variant->model);
	ASSERT_EQ(1, sscanf(line, "kvm %15s", self->kvm));

	/* A fresh module, with the capture kernel's KVM. */
	ASSERT_EQ(0, vp_unload());
	snprintf(cmd, sizeof(cmd), "modprobe vmcs_probe kvm_version=%s",
		 self->kvm);
	ASSERT_EQ(0, system(cmd)) TH_LOG("%s failed", cmd);

	ASSERT_EQ(0, vp_write(VP_DEBUGFS "/snapshot", self->snap,
			      self->snap_len))
		TH_LOG("the module refused %s.snapshot (see dmesg)",
		       variant->model);
	ASSERT_EQ(0, vp_write(VP_DEBUGFS "/source", "replay", 6));
	ASSERT_EQ(0, vp_write(VP_SYSFS "/run", "1", 1));
}

FIXTURE_TEARDOWN(replay)
{
	free(self->snap);
	vp_unload();
}

/* Log each line of @a that @b does not have; returns how many. */
static int log_missing(struct __test_metadata *_metadata, const char *what,
		       const char *a, const char *b)
{
	const char *p = a;
	int n = 0;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *q = b;
		bool found = false;

		while (q && *q && !found) {
			const char *qe = strchr(q, '\n');
			size_t ql = qe ? (size_t)(qe - q) : strlen(q);

			found = ql == len && !memcmp(p, q, len);
			q = qe ? qe + 1 : NULL;
		}
		if (!found && len) {
			TH_LOG("%s: %.*s", what, (int)len, p);
			n++;
		}
		p = end ? end + 1 : NULL;
	}
	return n;
}

/* debugfs reference equals the live run's, field line for field line. */
static void expect_live_reference(struct __test_metadata *_metadata,
				  FIXTURE_DATA(replay) *self,
				  const FIXTURE_VARIANT(replay) *variant)
{
	char *buf = malloc(TEXT_SIZE);

	ASSERT_NE(NULL, buf);
	ASSERT_LT(0, read_data(self->dir, variant->model, "reference", buf,
			       TEXT_SIZE));
	vp_reference_fields(buf, self->want, sizeof(self->want));
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/reference", buf, TEXT_SIZE));
	vp_reference_fields(buf, self->got, sizeof(self->got));
	free(buf);
	if (strcmp(self->want, self->got)) {
		log_missing(_metadata, "live run only", self->want, self->got);
		log_missing(_metadata, "replay only", self->got, self->want);
	}
	EXPECT_STREQ(self->want, self->got);
}

TEST_F(replay, reference_matches_live_run)
{
	expect_live_reference(_metadata, self, variant);
}

/* debugfs nested_msrs equals what KVM_GET_MSRS returned on the model. */
static void expect_kvm_nested(struct __test_metadata *_metadata,
			      FIXTURE_DATA(replay) *self,
			      const FIXTURE_VARIANT(replay) *variant)
{
	uint64_t want[VP_NESTED_NR], got[VP_NESTED_NR];
	bool have_w[VP_NESTED_NR], have_g[VP_NESTED_NR];
	int i, bad = 0;

	ASSERT_LT(0, read_data(self->dir, variant->model, "kvm_nested_msrs",
			       self->text, sizeof(self->text)));
	ASSERT_EQ(VP_NESTED_NR, vp_parse_nested(self->text, have_w, want));
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/nested_msrs", self->text,
			     sizeof(self->text)));
	ASSERT_EQ(VP_NESTED_NR, vp_parse_nested(self->text, have_g, got))
		TH_LOG("nested_msrs:\n%s", self->text);
	for (i = 0; i < VP_NESTED_NR; i++) {
		if (want[i] == got[i])
			continue;
		bad++;
		TH_LOG("0x%x kvm 0x%016llx replay 0x%016llx diff 0x%016llx",
		       VP_NESTED_FIRST + i, (unsigned long long)want[i],
		       (unsigned long long)got[i],
		       (unsigned long long)(want[i] ^ got[i]));
	}
	EXPECT_EQ(0, bad);
}

TEST_F(replay, nested_msrs_match_kvm_capture)
{
	expect_kvm_nested(_metadata, self, variant);
}

/*
 * A bench "setup" publishes exactly what a run does (issue 16): on a
 * fresh module replaying the capture, with no run since the source
 * changed, "setup <mode> 1" leaves the capture's reference and KVM's
 * nested MSRs (not the host's UMIP, say), in one new generation.
 */
TEST_F(replay, bench_setup_publishes_what_run_does)
{
	static const char * const modes[] = {
		"none", "migrate_disable", "preempt_disable",
	};
	char cmd[256], val[64];
	unsigned int i;
	long gen;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ASSERT_EQ(0, vp_unload());
		snprintf(cmd, sizeof(cmd), "modprobe vmcs_probe kvm_version=%s",
			 self->kvm);
		ASSERT_EQ(0, system(cmd));
		ASSERT_EQ(0, vp_write(VP_DEBUGFS "/snapshot", self->snap,
				      self->snap_len));
		ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/source", "replay"));
		gen = vp_generation();
		snprintf(cmd, sizeof(cmd), "setup %s 1", modes[i]);
		ASSERT_EQ(0, vp_write_str(VP_DEBUGFS "/bench", cmd));
		EXPECT_EQ(gen + 1, vp_generation()) TH_LOG("%s", cmd);
		ASSERT_LT(0, vp_read(VP_DEBUGFS "/reference", self->text,
				     sizeof(self->text)));
		ASSERT_TRUE(vp_field(self->text, "mode", val, sizeof(val)));
		EXPECT_STREQ(modes[i], val);
		TH_LOG("after '%s':", cmd);
		expect_live_reference(_metadata, self, variant);
		expect_kvm_nested(_metadata, self, variant);
	}
}

TEST_HARNESS_MAIN
