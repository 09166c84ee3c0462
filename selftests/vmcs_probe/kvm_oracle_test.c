// SPDX-License-Identifier: GPL-2.0
/*
 * Fidelity against KVM itself.  Where VMX is usable and kvm_intel is
 * loaded with nested=1 (the Bochs lanes), KVM_GET_MSRS on the /dev/kvm
 * system fd returns the 18 nested VMX MSRs 0x480..0x491 that KVM's
 * nested_vmx_setup_ctls_msrs() computed.  vmcs_probe, loaded with the
 * same parameters as kvm_intel (and kvm), must report the very same
 * values, bit for bit, in debugfs nested_msrs; and every online CPU must
 * pass its compat check, as it did for kvm_intel, which loaded.
 *
 * Elsewhere (QEMU TCG: no VMX, no kvm_intel) every test is skipped.
 *
 * With VP_CAPTURE_DIR set, nested_msrs_match_kvm also writes what it saw
 * there, for tools/vm/capture: kvm_nested_msrs (KVM's values, in the
 * format of nested_msrs), reference, nested_msrs, kvm_params and
 * cpuN.msrs (debugfs cpus/cpuN/msrs), all read while the module was
 * loaded with kvm_intel's parameters.
 */
#include "vp_test.h"
#include "kselftest_harness.h"

#define TEXT_SIZE	(1 << 16)

/*
 * The parameters of kvm_intel (and kvm) that change what KVM computes,
 * with the name vmcs_probe gives them and KVM's default.
 */
static const struct {
	const char *module;
	const char *name;	/* in /sys/module/<module>/parameters */
	const char *arg;	/* vmcs_probe's parameter */
	const char *def;	/* KVM's default, as vp_module_param() gives it */
} kvm_params[] = {
	{ "kvm_intel", "vpid", "vpid", "1" },
	{ "kvm_intel", "vnmi", "vnmi", "1" },
	{ "kvm_intel", "flexpriority", "flexpriority", "1" },
	{ "kvm_intel", "ept", "ept", "1" },
	{ "kvm_intel", "unrestricted_guest", "unrestricted_guest", "1" },
	{ "kvm_intel", "eptad", "eptad", "1" },
	{ "kvm_intel", "enable_apicv", "enable_apicv", "1" },
	{ "kvm_intel", "enable_ipiv", "enable_ipiv", "1" },
	{ "kvm_intel", "nested", "nested", "1" },
	{ "kvm_intel", "pml", "pml", "1" },
	{ "kvm_intel", "error_on_inconsistent_vmcs_config",
	  "error_on_inconsistent_vmcs_config", "1" },
	{ "kvm_intel", "preemption_timer", "preemption_timer", "1" },
	{ "kvm_intel", "sgx", "sgx", "1" },
	{ "kvm_intel", "enable_shadow_vmcs", "enable_shadow_vmcs", "1" },
	{ "kvm_intel", "enlightened_vmcs", "enlightened_vmcs", "1" },
	{ "kvm_intel", "allow_smaller_maxphyaddr", "allow_smaller_maxphyaddr",
	  "0" },
};

static const char * const msr_names[VP_NESTED_NR] = {
	"BASIC", "PINBASED_CTLS", "PROCBASED_CTLS", "EXIT_CTLS",
	"ENTRY_CTLS", "MISC", "CR0_FIXED0", "CR0_FIXED1", "CR4_FIXED0",
	"CR4_FIXED1", "VMCS_ENUM", "PROCBASED_CTLS2", "EPT_VPID_CAP",
	"TRUE_PINBASED_CTLS", "TRUE_PROCBASED_CTLS", "TRUE_EXIT_CTLS",
	"TRUE_ENTRY_CTLS", "VMFUNC",
};

/*
 * The vmcs_probe arguments that reproduce kvm_intel's parameters: the
 * kernel's kvm_version, then every parameter whose value is not KVM's
 * default.  @log gets every parameter and its value.
 */
static void kvm_args(char *args, size_t size, char *log, size_t lsize,
		     const char *kvm_version)
{
	char val[128];
	size_t used, lused = 0;
	unsigned int i;

	used = snprintf(args, size, "kvm_version=%s", kvm_version);
	log[0] = '\0';
	for (i = 0; i < sizeof(kvm_params) / sizeof(kvm_params[0]); i++) {
		if (!vp_module_param(kvm_params[i].module, kvm_params[i].name,
				     val, sizeof(val)))
			continue;
		if (lused < lsize)
			lused += snprintf(log + lused, lsize - lused,
					  "%s%s.%s=%s", lused ? " " : "",
					  kvm_params[i].module,
					  kvm_params[i].name, val);
		if (strcmp(val, kvm_params[i].def) && used < size)
			used += snprintf(args + used, size - used, " %s=%s",
					 kvm_params[i].arg, val);
	}
}

static void capture_write(const char *name, const char *text)
{
	const char *dir = getenv("VP_CAPTURE_DIR");
	char path[512];
	FILE *f;

	if (!dir || !*dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

FIXTURE(oracle) {
	char args[1024];
	char params[2048];
	const char *kvm;
	char kvm_default[16];
	char text[TEXT_SIZE];
};

FIXTURE_SETUP(oracle)
{
	char val[16];
	int vmx = vp_cpuid_vmx_on(0);

	if (vmx <= 0)
		SKIP(return, "VMX is not usable here (CPUID.1:ECX.VMX clear: no VMX to compare with, e.g. QEMU TCG)");
	if (access("/sys/module/kvm_intel", F_OK))
		SKIP(return, "kvm_intel is not loaded: no KVM to compare with");
	if (access("/dev/kvm", F_OK))
		SKIP(return, "no /dev/kvm: no KVM to compare with");
	if (!vp_module_param("kvm_intel", "nested", val, sizeof(val)) ||
	    strcmp(val, "1"))
		SKIP(return, "kvm_intel is loaded with nested=%s: KVM reports no nested MSRs",
		     val);
	self->kvm = vp_kernel_kvm();
	if (!self->kvm) {
		/*
		 * A kernel that has no mirror of its own (7.x until it has
		 * one): the mirror the module picks for it, loaded without
		 * kvm_version, is what must match this kernel's KVM.
		 */
		ASSERT_EQ(0, vp_unload());
		ASSERT_EQ(0, vp_load_with(""));
		ASSERT_TRUE(vp_support_kvm(self->kvm_default,
					   sizeof(self->kvm_default)));
		self->kvm = self->kvm_default;
		TH_LOG("no mirror named for this kernel: the module's own choice, KVM %s",
		       self->kvm);
	}
	kvm_args(self->args, sizeof(self->args), self->params,
		 sizeof(self->params), self->kvm);
	ASSERT_EQ(0, vp_load_with(self->args))
		TH_LOG("modprobe vmcs_probe %s failed", self->args);
}

FIXTURE_TEARDOWN(oracle)
{
}

/*
 * KVM_GET_MSRS against debugfs nested_msrs, MSR by MSR, every value
 * logged.  @kvm_text (if not NULL) gets KVM's values as "0x<i> 0x<v>"
 * lines, @text the nested_msrs file.  Returns how many MSRs differ.
 */
static int compare_with_kvm(struct __test_metadata *_metadata, char *text,
			    size_t size, char *kvm_text, size_t ksize)
{
	uint64_t kvm[VP_NESTED_NR] = { 0 }, mod[VP_NESTED_NR] = { 0 };
	bool have[VP_NESTED_NR];
	int got = 0, ret, i, n, bad = 0;
	size_t used = 0;

	ret = vp_kvm_nested_msrs(kvm, &got);
	if (ret) {
		TH_LOG("KVM_GET_MSRS on /dev/kvm: %s, %d of %d MSRs returned",
		       strerror(-ret), got, VP_NESTED_NR);
		return VP_NESTED_NR;
	}
	if (vp_read(VP_DEBUGFS "/nested_msrs", text, size) <= 0) {
		TH_LOG("cannot read nested_msrs");
		return VP_NESTED_NR;
	}
	n = vp_parse_nested(text, have, mod);
	if (n != VP_NESTED_NR) {
		TH_LOG("nested_msrs has %d of the 18 MSRs:\n%s", n, text);
		return VP_NESTED_NR;
	}

	for (i = 0; i < VP_NESTED_NR; i++) {
		uint64_t diff = kvm[i] ^ mod[i];

		if (kvm_text && used < ksize)
			used += snprintf(kvm_text + used, ksize - used,
					 "0x%x 0x%llx\n", VP_NESTED_FIRST + i,
					 (unsigned long long)kvm[i]);
		if (!diff) {
			TH_LOG("0x%x %-19s kvm 0x%016llx module 0x%016llx same",
			       VP_NESTED_FIRST + i, msr_names[i],
			       (unsigned long long)kvm[i],
			       (unsigned long long)mod[i]);
			continue;
		}
		bad++;
		TH_LOG("0x%x %-19s kvm 0x%016llx module 0x%016llx DIFF 0x%016llx (kvm-only 0x%llx, module-only 0x%llx)",
		       VP_NESTED_FIRST + i, msr_names[i],
		       (unsigned long long)kvm[i], (unsigned long long)mod[i],
		       (unsigned long long)diff,
		       (unsigned long long)(kvm[i] & diff),
		       (unsigned long long)(mod[i] & diff));
	}
	return bad;
}

/* Every nested VMX MSR, bit for bit, against KVM_GET_MSRS. */
TEST_F_TIMEOUT(oracle, nested_msrs_match_kvm, 300)
{
	char kvm_text[2048];
	int bad;

	TH_LOG("kvm_intel: %s", self->params);
	TH_LOG("modprobe vmcs_probe %s", self->args);

	bad = compare_with_kvm(_metadata, self->text, sizeof(self->text),
			       kvm_text, sizeof(kvm_text));

	if (getenv("VP_CAPTURE_DIR") && bad < VP_NESTED_NR) {
		char path[128], *snap = malloc(TEXT_SIZE);
		int cpu, cpus = vp_possible_cpus();

		capture_write("kvm_nested_msrs", kvm_text);
		capture_write("nested_msrs", self->text);
		capture_write("kvm_params", self->params);
		if (snap && vp_read(VP_DEBUGFS "/reference", snap, TEXT_SIZE) > 0)
			capture_write("reference", snap);
		for (cpu = 0; snap && cpu < cpus; cpu++) {
			snprintf(path, sizeof(path),
				 VP_DEBUGFS "/cpus/cpu%d/msrs", cpu);
			if (vp_read(path, snap, TEXT_SIZE) <= 0)
				continue;
			snprintf(path, sizeof(path), "cpu%d.msrs", cpu);
			capture_write(path, snap);
		}
		free(snap);
	}
	EXPECT_EQ(0, bad)
		TH_LOG("%d of the 18 nested MSRs differ from KVM's", bad);
}

/*
 * The same comparison with kvm_intel reloaded with other parameters, so
 * that hardware_setup()'s parameter handling and the parameter-dependent
 * parts of nested_vmx_setup_ctls_msrs() are checked against KVM too.
 * Reloading kvm_intel takes minutes under Bochs, more than run_lane.sh's
 * budget for this binary: only with VP_ORACLE_PARAMS=1.
 */
TEST_F_TIMEOUT(oracle, nested_msrs_match_kvm_other_params, 1800)
{
	static const char * const sets[] = {
		"ept=0",
		"vpid=0 eptad=0 flexpriority=0 enable_shadow_vmcs=0 unrestricted_guest=0",
		"vnmi=0 pml=0 preemption_timer=0 enable_apicv=0 sgx=0",
	};
	char cmd[512], args[1024], params[2048];
	unsigned int i;
	int bad = 0;

	if (!getenv("VP_ORACLE_PARAMS"))
		SKIP(return, "reloads kvm_intel (minutes under Bochs): set VP_ORACLE_PARAMS=1");
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		int b;

		snprintf(cmd, sizeof(cmd),
			 "rmmod kvm_intel && modprobe kvm_intel nested=1 %s",
			 sets[i]);
		ASSERT_EQ(0, system(cmd)) TH_LOG("%s failed", cmd);
		kvm_args(args, sizeof(args), params, sizeof(params), self->kvm);
		TH_LOG("== modprobe kvm_intel nested=1 %s", sets[i]);
		TH_LOG("kvm_intel: %s", params);
		TH_LOG("modprobe vmcs_probe %s", args);
		ASSERT_EQ(0, vp_load_with(args));
		b = compare_with_kvm(_metadata, self->text, sizeof(self->text),
				     NULL, 0);
		TH_LOG("kvm_intel %s: %d MSR(s) differ", sets[i], b);
		bad += b;
	}
	/* Back to kvm_intel's defaults, as the guest loaded it. */
	EXPECT_EQ(0, system("rmmod kvm_intel && modprobe kvm_intel"));
	EXPECT_EQ(0, vp_load_with(self->args));
	EXPECT_EQ(0, bad);
}

/* kvm_intel loaded, so every CPU passed KVM's compat check: ours too. */
TEST_F_TIMEOUT(oracle, every_cpu_compat_ok, 300)
{
	int cpus = vp_possible_cpus(), cpu;
	char line[512], key[32], status[64];

	ASSERT_LT(0, vp_read(VP_DEBUGFS "/compat", self->text,
			     sizeof(self->text)));
	ASSERT_LT(0, cpus);
	for (cpu = 0; cpu < cpus; cpu++) {
		if (!vp_cpu_online(cpu))
			continue;
		snprintf(key, sizeof(key), "cpu%d", cpu);
		ASSERT_TRUE(vp_find_line(self->text, key, line, sizeof(line)))
			TH_LOG("compat has no line for %s:\n%s", key,
			       self->text);
		snprintf(key, sizeof(key), "cpu%d ok", cpu);
		EXPECT_STREQ(key, line);
	}
	ASSERT_LT(0, vp_read(VP_SYSFS "/status", status, sizeof(status)));
	EXPECT_STREQ("consistent\n", status);
}

static void log_line_diff(struct __test_metadata *_metadata,
			  const char *what, const char *a, const char *b)
{
	const char *p = a;
	int n = 0;

	/* Lines of @a that @b lacks (by key), and those that differ. */
	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char line[256], key[128], other[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (sscanf(line, "%127s", key) == 1) {
			if (!vp_find_line(b, key, other, sizeof(other))) {
				TH_LOG("%s: %-40s | other: (none)", what, line);
				n++;
			} else if (strcmp(line, other)) {
				TH_LOG("%s: %-40s | other: %s", what, line,
				       other);
				n++;
			}
		}
		p = end ? end + 1 : NULL;
	}
	TH_LOG("%s: %d line(s) differ", what, n);
}

/*
 * Version awareness (logged, not asserted): the same CPU seen through
 * the other KVM.  On the 6.12 kernel that is kvm_version=6.1.
 */
TEST_F_TIMEOUT(oracle, other_kvm_version_differs, 300)
{
	const char *other = !strcmp(self->kvm, "6.12") ? "6.1" : "6.12";
	char *ref = malloc(TEXT_SIZE), *ref_o = malloc(TEXT_SIZE);
	char *nst = malloc(TEXT_SIZE), *nst_o = malloc(TEXT_SIZE);
	char *tmp = malloc(TEXT_SIZE), args[1100];
	char *kv;

	ASSERT_TRUE(ref && ref_o && nst && nst_o && tmp);
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/reference", tmp, TEXT_SIZE));
	vp_reference_fields(tmp, ref, TEXT_SIZE);
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/nested_msrs", tmp, TEXT_SIZE));
	vp_reference_fields(tmp, nst, TEXT_SIZE);

	kv = strstr(self->args, "kvm_version=");
	ASSERT_NE(NULL, kv);
	snprintf(args, sizeof(args), "kvm_version=%s%s", other,
		 strchr(kv, ' ') ? strchr(kv, ' ') : "");
	ASSERT_EQ(0, vp_load_with(args)) TH_LOG("modprobe vmcs_probe %s", args);
	TH_LOG("this kernel: kvm_version=%s; other: modprobe vmcs_probe %s",
	       self->kvm, args);
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/reference", tmp, TEXT_SIZE));
	vp_reference_fields(tmp, ref_o, TEXT_SIZE);
	ASSERT_LT(0, vp_read(VP_DEBUGFS "/nested_msrs", tmp, TEXT_SIZE));
	vp_reference_fields(tmp, nst_o, TEXT_SIZE);

	log_line_diff(_metadata, "reference", ref, ref_o);
	log_line_diff(_metadata, "nested_msrs", nst, nst_o);

	/* Back to kvm_intel's own parameters. */
	EXPECT_EQ(0, vp_load_with(self->args));
	free(ref), free(ref_o), free(nst), free(nst_o), free(tmp);
}

TEST_HARNESS_MAIN
