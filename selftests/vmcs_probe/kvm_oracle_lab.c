// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_oracle_lab: LAB ONLY.  Real kvm_intel as the oracle for any input.
 *
 * For each case (a snapshot, a kvm_intel parameter set, the CPU the load
 * runs on), feed the snapshot to lab_kvm_msr_shim, load Debian's real
 * kvm.ko and kvm_intel.ko from a thread bound to that CPU, and collect
 * what KVM did: the load's errno, the CPU its log line blames, its
 * effective parameters (/sys/module/kvm_intel/parameters) and the 18
 * nested VMX MSRs KVM_GET_MSRS returns on the /dev/kvm system fd.  Then
 * ask `vmcsctl compute --format kvm` the same question and, with
 * --module, the live vmcs_probe (source=hw, through the shim, its run
 * bound to the same CPU, debugfs kvm_view); every disagreement is a
 * failed case, named by field, MSR and bit, and its snapshot is kept.
 *
 *   kvm_oracle_lab [options] SNAPSHOT...
 *     --params "A=1 B=0"  a kvm_intel parameter set (repeatable; default:
 *                         KVM's defaults)
 *     --cpu N             bind the load to CPU N (repeatable; default 0)
 *     --fuzz N            N seeded mutations of the snapshots instead of
 *                         the snapshots themselves
 *     --seed S            first seed (default 1); case i uses S + i
 *     --module            compare the live vmcs_probe too
 *     --keep DIR          write the snapshot of every disagreement there
 *     --fresh-kvm         reload kvm.ko for every case, not only kvm_intel
 *     --move              no binding: a second thread moves the loader
 *                         between CPUs; compared against the CPU the
 *                         support probe and the setup ran on, skipped
 *                         where they ran on several
 *     --seed-argument N   the upstream thread's argument on the first
 *                         snapshot: N kvm_intel loads moved, N bound,
 *                         N vmcs_probe runs moved in each pinning mode;
 *                         prints "# seed-argument |" table rows
 *
 * Output: one TAP line per case, a "# cases N, agree N, disagree N,
 * per second X" summary; exit 1 on any disagreement.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "snapshot.h"
#include "vmx_bits.h"
#include "vp_test.h"

#define SHIM_DIR	"/sys/kernel/debug/lab_kvm_msr_shim"
#define NESTED_FIRST	VP_NESTED_FIRST
#define NESTED_NR	VP_NESTED_NR
#define MAX_PARAMS	64
#define MAX_SETS	16
#define MAX_CPUS	64
#define TEXT_MAX	(256 * 1024)

/* What one side (KVM, vmcsctl, vmcs_probe) says about one case. */
struct outcome {
	bool valid;
	int load;			/* 0 or -errno */
	int blame;			/* -1: none */
	unsigned int nr_params;
	char pname[MAX_PARAMS][256];
	char pval[MAX_PARAMS][64];
	bool have_msrs;
	uint64_t msr[NESTED_NR];
	/* KVM only: the CPUs that served its reads */
	unsigned int setup_cpus;	/* distinct CPUs of the global setup */
	unsigned int basic_reads;	/* setups begun: PROCBASED_CTLS reads */
	int last_cpu;			/* CPU of the last per-CPU check */
	bool last_done;			/* ... whose setup got through */
	int probe_cpu;			/* CPU of the support probe (CPUID.1) */
	char setup_cpu_list[128];
};

static struct {
	const char *kvm_version;	/* a row of engine.c's version table */
	bool virt_at_load;		/* kvm.ko has enable_virt_at_load */
	char kvm_ko[256], kvm_intel_ko[256];
	const char *sets[MAX_SETS];
	unsigned int nr_sets;
	int cpus[MAX_CPUS];
	unsigned int nr_cpus;
	unsigned long fuzz;
	unsigned long seed;
	bool module;
	bool move;
	bool fresh_kvm;			/* reload kvm.ko for every case */
	unsigned long seed_argument;	/* runs of each kind, or 0 */
	bool kvm_loaded;
	const char *keep;
	unsigned int tsc_khz;
	char release[128];		/* uname -r */
	char kvm_log[16384];		/* the last case's kernel log */
	unsigned long cases, agree, disagree;
} lab = { .seed = 1 };

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "kvm_oracle_lab: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

/* Run a shell command, its standard output into @buf.  Exit status. */
static int run_capture(const char *cmd, char *buf, size_t size)
{
	size_t got = 0, n;
	FILE *p = popen(cmd, "r");
	int st;

	if (!p)
		return -1;
	while (got < size - 1 && (n = fread(buf + got, 1, size - 1 - got, p)))
		got += n;
	buf[got] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- loading and unloading KVM ---- */

static int load_ko(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static void unload(const char *name)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK) ||
		    errno == ENOENT)
			return;
		usleep(10000);
	}
	die("cannot unload %s", name);
}

struct loader {
	int cpu;		/* -1: not bound */
	const char *params;
	int ret;
	pid_t tid;
	volatile bool done;
};

static void bind_to(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(tid, sizeof(set), &set);
}

static void *loader_thread(void *arg)
{
	struct loader *l = arg;

	l->tid = syscall(SYS_gettid);
	if (l->cpu >= 0)
		bind_to(l->tid, l->cpu);
	l->ret = load_ko(lab.kvm_intel_ko, l->params);
	l->done = true;
	return NULL;
}

/*
 * Run @fn in a thread bound to @cpu or, with @cpu -1, moved to the next
 * CPU every 20 us or so while it runs: the migration the upstream thread
 * worried about, provoked.
 */
static void run_thread_on(int cpu, void *(*fn)(void *), struct loader *l)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t t;
	int next = 0;

	l->cpu = cpu;
	l->done = false;
	l->tid = 0;
	pthread_create(&t, NULL, fn, l);
	if (cpu < 0) {
		while (!l->done) {
			if (l->tid)
				bind_to(l->tid, next++ % ncpu);
			usleep(20);
		}
	}
	pthread_join(t, NULL);
}

/* Load kvm_intel with @params, bound to @cpu or moved around. */
static int load_kvm_intel(int cpu, const char *params)
{
	struct loader l = { .params = params };

	run_thread_on(cpu, loader_thread, &l);
	return l.ret;
}

/* ---- what KVM did ---- */

static void add_param(struct outcome *o, const char *name, const char *val)
{
	if (o->nr_params >= MAX_PARAMS)
		return;
	snprintf(o->pname[o->nr_params], sizeof(o->pname[0]), "%s", name);
	snprintf(o->pval[o->nr_params], sizeof(o->pval[0]), "%s", val);
	o->nr_params++;
}

static void kvm_params(struct outcome *o)
{
	const char *dir = "/sys/module/kvm_intel/parameters";
	char path[512], val[64];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (vp_read(path, val, sizeof(val)) <= 0)
			continue;
		val[strcspn(val, "\n")] = '\0';
		add_param(o, de->d_name, val);
	}
	closedir(d);
}

/*
 * The CPU KVM's log blames, from the kernel log records of this case:
 * 6.12 "Inconsistent VMCS config on CPU N", "VMX not supported by CPU N",
 * "VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU N", "Failed to
 * setup VMCS config on CPU N"; 7.x "VMCS config on CPU N doesn't match
 * reference config:" in place of the first, and "VMX not fully enabled
 * on CPU N" (X86_FEATURE_VMX clear); 6.1 "kvm: CPU N feature
 * inconsistency!", "kvm: VMX is disabled on CPU N".
 */
static int kvm_blame(const char *log)
{
	static const char * const prefixes[] = {
		"Inconsistent VMCS config on CPU ",
		"VMX not supported by CPU ",
		"MSR_IA32_FEAT_CTL on CPU ",
		"Failed to setup VMCS config on CPU ",
		"VMCS config on CPU ",	/* 7.x: "... doesn't match reference" */
		"VMX not fully enabled on CPU ",	/* 7.x */
		"kvm: CPU ",		/* 6.1: "kvm: CPU N feature inconsistency!" */
		"kvm: VMX is disabled on CPU ",
	};
	unsigned int i;
	const char *at;
	int cpu;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		at = strstr(log, prefixes[i]);
		if (at && sscanf(at + strlen(prefixes[i]), "%d", &cpu) == 1)
			return cpu;
	}
	return -1;
}

/*
 * A CPU KVM refuses without a word: kvm_x86_check_processor_compatibility()
 * (6.1 and 6.12) fails a CPU whose CR4 reserved bits differ from the boot
 * CPU's before the VMX checks that log, and X86_FEATURE_VMX is one of
 * them.  The lowest online CPU whose "vmx" flag (as the kernel holds it,
 * /proc/cpuinfo) differs from the boot CPU's, or -1.
 */
static int silent_blame(void)
{
	static char info[1 << 20];
	int cpu = -1, boot_vmx = -1, vmx;
	char *line;

	if (vp_read("/proc/cpuinfo", info, sizeof(info)) <= 0)
		return -1;
	for (line = strtok(info, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "processor : %d", &cpu) == 1)
			continue;
		if (strncmp(line, "flags", 5))
			continue;
		vmx = strstr(line, " vmx") != NULL;
		if (boot_vmx < 0)
			boot_vmx = vmx;
		else if (vmx != boot_vmx)
			return cpu;
	}
	return -1;
}

/* KVM's own log lines of a failed load, as TAP comments. */
static void print_kvm_lines(const char *log)
{
	const char *p = log, *text;
	int n, shown = 0;

	while (*p && shown < 12) {
		n = strcspn(p, "\n");
		text = memchr(p, ';', n);
		if (text && (memmem(p, n, "kvm", 3))) {
			text++;
			printf("# kvm said: %.*s\n", (int)(n - (text - p)), text);
			shown++;
		}
		p += n + (p[n] == '\n');
	}
}

/* The kernel log records written since @fd was positioned. */
static void kmsg_read(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	buf[0] = '\0';
	while (got < size - 512) {
		n = read(fd, buf + got, 1024);
		if (n <= 0)
			break;
		got += n;
		buf[got] = '\0';
	}
}

/*
 * The CPUs that served KVM's global setup: the shim's log up to the
 * second read of IA32_VMX_PROCBASED_CTLS, the first MSR every
 * setup_vmcs_config() reads, where the per-CPU checks begin.
 */
static void setup_cpus(struct outcome *o)
{
	static char log[TEXT_MAX];
	unsigned int cpu, basic = 0;
	uint64_t seen = 0;
	char kind[16];
	unsigned int index;
	char *line;
	size_t used = 0;

	o->setup_cpus = 0;
	o->basic_reads = 0;
	o->last_cpu = -1;
	o->last_done = false;
	o->probe_cpu = -1;
	o->setup_cpu_list[0] = '\0';
	if (vp_read(SHIM_DIR "/log", log, sizeof(log)) < 0)
		return;
	for (line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%15s 0x%x cpu %u", kind, &index, &cpu) != 3)
			continue;
		/* KVM's first CPUID.1 is its VMX support probe. */
		if (!strcmp(kind, "cpuid") && index == 1 && o->probe_cpu < 0)
			o->probe_cpu = cpu;
		if (strncmp(kind, "rdmsr", 5))
			continue;
		if (index == 0x482)	/* every setup_vmcs_config() starts here */
			o->basic_reads = ++basic;
		if (basic >= 2) {
			/* the per-CPU checks: which CPU, did it get through */
			if ((int)cpu != o->last_cpu)
				o->last_done = false;
			o->last_cpu = cpu;
			/* nested_vmx_setup_ctls_msrs() follows a good setup */
			if (index == 0x489)
				o->last_done = true;
			continue;
		}
		if (cpu < 64 && !(seen & (1ULL << cpu))) {
			seen |= 1ULL << cpu;
			o->setup_cpus++;
			used += snprintf(o->setup_cpu_list + used,
					 sizeof(o->setup_cpu_list) - used,
					 "%s%u", used ? "," : "", cpu);
		}
	}
}

static void ask_kvm(int cpu, const char *params, struct outcome *o)
{
	static char log[TEXT_MAX];
	char kvm_args[64] = "", all_params[600];
	int kmsg, n;

	memset(o, 0, sizeof(*o));
	o->valid = true;
	o->blame = -1;
	vp_write(SHIM_DIR "/log", "clear\n", 6);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	lseek(kmsg, 0, SEEK_END);
	if (lab.virt_at_load)
		snprintf(kvm_args, sizeof(kvm_args), "enable_virt_at_load=0");
	/* kvm.ko keeps state kvm_intel clears (enable_apicv): fresh each time */
	if (!lab.kvm_loaded) {
		o->load = load_ko(lab.kvm_ko, kvm_args);
		if (o->load && o->load != -EEXIST)
			die("cannot load kvm.ko: %s", strerror(-o->load));
		lab.kvm_loaded = true;
	}
	/*
	 * kvm_intel only ever clears kvm.ko's enable_apicv; naming it on
	 * every load gives each case KVM's fresh default back.  The same
	 * for allow_smaller_maxphyaddr (kvm.ko's, a kvm_intel parameter),
	 * which 7.x's vmx_hardware_setup() only ever sets (ept=0) and only
	 * vmx_exit() clears: a load that fails after hardware setup (a CPU
	 * refused) leaves it set for the next one.
	 */
	snprintf(all_params, sizeof(all_params), "%s%s%s", params,
		 strstr(params, "enable_apicv=") ? "" : " enable_apicv=1",
		 strstr(params, "allow_smaller_maxphyaddr=") ? "" :
		 " allow_smaller_maxphyaddr=0");
	o->load = load_kvm_intel(cpu, all_params);
	setup_cpus(o);
	if (!o->load) {
		kvm_params(o);
		o->have_msrs = !vp_kvm_nested_msrs(o->msr, &n);
		unload("kvm_intel");
	}
	if (lab.fresh_kvm) {
		unload("kvm");
		lab.kvm_loaded = false;
	}
	kmsg_read(kmsg, log, sizeof(log));
	close(kmsg);
	/*
	 * Which CPU's check failed.  KVM names it in most cases.  Where it is
	 * silent, the per-CPU checks have begun once a second setup began
	 * (see setup_cpus()), and they walk the CPUs in ascending order:
	 * either the last CPU that read failed its own setup (6.1 says
	 * nothing then), or it got through (it went on to the nested MSRs)
	 * and the next CPU was refused by the CR4 comparison before it read
	 * anything.  Without nested MSRs to tell, the CR4 comparison's own
	 * rule decides (silent_blame()).
	 */
	if (o->load == -EIO) {
		o->blame = kvm_blame(log);
		if (o->blame < 0 && o->basic_reads >= 2) {
			if (!o->last_done)
				o->blame = o->last_cpu;
			else if (o->last_cpu + 1 < sysconf(_SC_NPROCESSORS_ONLN))
				o->blame = o->last_cpu + 1;
			if (strstr(params, "nested=0") || o->blame < 0)
				o->blame = silent_blame();
		}
	}

	snprintf(lab.kvm_log, sizeof(lab.kvm_log), "%s", log);
}

/* ---- what vmcsctl and vmcs_probe say ---- */

/* Parse the "--format kvm" lines (vmcsctl compute, debugfs kvm_view). */
static void parse_view(const char *text, struct outcome *o)
{
	char line[256], a[64], b[64];
	const char *p = text;
	unsigned int idx;
	unsigned long long v;
	int n;

	memset(o, 0, sizeof(*o));
	o->valid = true;
	o->blame = -1;
	while (*p) {
		n = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", n, p);
		p += n + (p[n] == '\n');
		if (sscanf(line, "load %d", &o->load) == 1)
			continue;
		if (!strcmp(line, "blame none"))
			continue;
		if (sscanf(line, "blame %d", &o->blame) == 1)
			continue;
		if (sscanf(line, "param %63s %63s", a, b) == 2) {
			add_param(o, a, b);
			continue;
		}
		if (sscanf(line, "msr 0x%x 0x%llx", &idx, &v) == 2 &&
		    idx >= NESTED_FIRST && idx < NESTED_FIRST + NESTED_NR) {
			o->msr[idx - NESTED_FIRST] = v;
			o->have_msrs = true;
		}
	}
}

/* The parameter set as vmcsctl options: "--param a=1 --param b=0". */
static void param_opts(const char *params, char *buf, size_t size)
{
	char copy[512], *tok, *save;
	size_t used = 0;

	snprintf(copy, sizeof(copy), "%s", params);
	buf[0] = '\0';
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		used += snprintf(buf + used, size - used, " --param %s", tok);
}

/* Has the snapshot @text a section of its own for @cpu? */
static bool has_section(const char *text, int cpu)
{
	static struct vp_snapshot snap;
	unsigned int i;

	if (vp_snapshot_parse(text, strlen(text), &snap, NULL))
		return false;
	for (i = 0; i < snap.nr_cpus; i++)
		if (snap.cpus[i].cpu == (u32)cpu)
			return true;
	return false;
}

/*
 * vmcsctl's answer.  A CPU the snapshot has no section for runs on the
 * first section's values (the shim does the same), which is also what
 * vmcsctl's reference defaults to.
 */
static void ask_vmcsctl(const char *snap_path, const char *text, int cpu,
			const char *params, struct outcome *o)
{
	static char out[TEXT_MAX];
	char cmd[1024], opts[600], ref[32] = "";
	int rc;

	param_opts(params, opts, sizeof(opts));
	if (has_section(text, cpu))
		snprintf(ref, sizeof(ref), " --ref-cpu %d", cpu);
	snprintf(cmd, sizeof(cmd),
		 "vmcsctl compute %s --format kvm --kvm %s%s --tsc-khz %u%s",
		 snap_path, lab.kvm_version, ref, lab.tsc_khz, opts);
	rc = run_capture(cmd, out, sizeof(out));
	if (rc != 0 && rc != 1) {
		fprintf(stderr, "%s: exit %d\n%s", cmd, rc, out);
		memset(o, 0, sizeof(*o));
		return;
	}
	parse_view(out, o);
}

/* Write sysfs "run" from a thread bound to l->cpu, or moved if -1. */
static void *probe_run_thread(void *arg)
{
	struct loader *l = arg;

	l->tid = syscall(SYS_gettid);
	if (l->cpu >= 0)
		bind_to(l->tid, l->cpu);
	l->ret = vp_write("/sys/kernel/vmcs_probe/run", "1\n", 2);
	l->done = true;
	return NULL;
}

static void ask_module(int cpu, const char *params, struct outcome *o)
{
	static char out[TEXT_MAX];
	char args[600], path[256];
	struct loader l = { 0 };
	int ret;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/vmcs_probe.ko",
		 lab.release);
	snprintf(args, sizeof(args), "kvm_version=%s %s", lab.kvm_version,
		 params);
	ret = load_ko(path, args);
	if (ret) {
		fprintf(stderr, "vmcs_probe %s: %s\n", args, strerror(-ret));
		return;
	}
	run_thread_on(cpu, probe_run_thread, &l);
	if (!l.ret && vp_read("/sys/kernel/debug/vmcs_probe/kvm_view", out,
				sizeof(out)) > 0)
		parse_view(out, o);
	unload("vmcs_probe");
}

/* ---- comparing ---- */

static const char *param_of(const struct outcome *o, const char *name)
{
	unsigned int i;

	for (i = 0; i < o->nr_params; i++)
		if (!strcmp(o->pname[i], name))
			return o->pval[i];
	return NULL;
}

/* Name bit @bit of MSR @index, as the SDM does. */
static void bit_name(u32 index, unsigned int bit, char *buf, size_t size)
{
	const struct vp_msr *m = vp_msr_find(index);
	const struct vp_bit *b = NULL;
	const char *half = "";

	if (m && (m->kind == VP_MSR_KIND_CTLS)) {
		half = bit >= 32 ? "allowed-1 " : "allowed-0 ";
		b = vp_bit_find(m->bits, bit % 32);
	} else if (m && m->kind == VP_MSR_KIND_EPT_VPID && bit >= 32) {
		b = vp_bit_find(m->hi_bits, bit - 32);
	} else if (m) {
		b = vp_bit_find(m->bits, bit);
	}
	snprintf(buf, size, "%s %s%s", m ? m->id : "?", half,
		 b ? b->name : "(unnamed)");
}

/* Print every difference between KVM and @o; the number of them. */
static int compare(const struct outcome *kvm, const struct outcome *o,
		   const char *who)
{
	unsigned int i, bit;
	const char *kv;
	int diffs = 0;
	char name[160];

	if (!o->valid) {
		printf("# %s gave no answer\n", who);
		return 1;
	}
	if (kvm->load != o->load) {
		printf("# load: kvm %d, %s %d\n", kvm->load, who, o->load);
		return 1;
	}
	if (kvm->load == -EIO && kvm->blame != o->blame) {
		printf("# blamed CPU: kvm %d, %s %d\n", kvm->blame, who,
		       o->blame);
		diffs++;
	}
	for (i = 0; i < o->nr_params; i++) {
		kv = param_of(kvm, o->pname[i]);
		if (!kv || strcmp(kv, o->pval[i])) {
			printf("# param %s: kvm %s, %s %s\n", o->pname[i],
			       kv ?: "(no such parameter)", who, o->pval[i]);
			diffs++;
		}
	}
	if (kvm->have_msrs != o->have_msrs) {
		printf("# nested MSRs: kvm %s, %s %s\n",
		       kvm->have_msrs ? "18" : "none", who,
		       o->have_msrs ? "18" : "none");
		return diffs + 1;
	}
	for (i = 0; kvm->have_msrs && i < NESTED_NR; i++) {
		uint64_t x = kvm->msr[i] ^ o->msr[i];

		for (bit = 0; bit < 64; bit++) {
			if (!(x & (1ULL << bit)))
				continue;
			bit_name(NESTED_FIRST + i, bit, name, sizeof(name));
			printf("# MSR 0x%x bit %u (%s): kvm %d, %s %d\n",
			       NESTED_FIRST + i, bit, name,
			       !!(kvm->msr[i] & (1ULL << bit)), who,
			       !!(o->msr[i] & (1ULL << bit)));
			diffs++;
		}
	}
	return diffs;
}

/* ---- mutations ---- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rng_below(uint64_t *s, unsigned int n)
{
	return rng_next(s) % n;
}

/* Signatures KVM treats specially: broken preemption timer, PERF erratum. */
static const u32 special_sigs[] = {
	0x000206e6, 0x00020652, 0x00020655, 0x000106e5, 0x000106a0,
	0x000106a1, 0x000106a4, 0x000106a5, 0x000306a8,	/* broken timer */
	0x000106a2, 0x000106e4, 0x000206c2, 0x000206f2,	/* PERF_GLOBAL erratum */
	0x00050654, 0x000806c1, 0x000306c3,		/* unremarkable */
};

static void set_msr(struct vp_raw *raw, u32 index, u64 val)
{
	int slot = vp_raw_slot(index);

	if (slot < 0)
		return;
	raw->msr[slot] = val;
	raw->known |= 1u << slot;
	raw->faulted &= ~(1u << slot);
}

static u64 get_msr(const struct vp_raw *raw, u32 index)
{
	u64 v = 0;

	vp_raw_read_msr(raw, index, &v);
	return v;
}

/* One mutation of one CPU's raw set; a few words saying what it was. */
static void mutate_raw(struct vp_raw *raw, uint64_t *rng, unsigned int op,
		       char *what, size_t size)
{
	static const u32 ctls[] = { 0x481, 0x482, 0x483, 0x484, 0x48b,
				    0x48d, 0x48e, 0x48f, 0x490, 0x492 };
	static const u32 faultable[] = { 0x485, 0x48b, 0x48c, 0x48d, 0x48e,
					 0x48f, 0x490, 0x491, 0x492, 0x3a };
	static const u64 feat_ctls[] = { 0x0, 0x1, 0x3, 0x5, 0x7 };
	unsigned int bit, slot;
	u32 index;
	u64 v;

	switch (op) {
	case 0: case 1: case 2:	/* a control bit, allowed-0 or allowed-1 */
		index = ctls[rng_below(rng, sizeof(ctls) / sizeof(ctls[0]))];
		bit = rng_below(rng, 64);
		set_msr(raw, index, get_msr(raw, index) ^ (1ULL << bit));
		snprintf(what, size, "0x%x^bit%u", index, bit);
		break;
	case 3:			/* EPT/VPID capabilities */
		bit = rng_below(rng, 64);
		set_msr(raw, 0x48c, get_msr(raw, 0x48c) ^ (1ULL << bit));
		snprintf(what, size, "0x48c^bit%u", bit);
		break;
	case 4:			/* a VMX_BASIC field */
		v = get_msr(raw, 0x480);
		switch (rng_below(rng, 5)) {
		case 0:
			v = (v & ~(0x1fffULL << 32)) |
			    ((u64)(rng_below(rng, 2) ? 0x1001 : 0x400) << 32);
			break;
		case 1:
			v = (v & ~(0xfULL << 50)) |
			    ((u64)rng_below(rng, 16) << 50);
			break;
		default:
			v ^= 1ULL << (48 + rng_below(rng, 9));
			break;
		}
		set_msr(raw, 0x480, v);
		snprintf(what, size, "0x480=0x%llx", (unsigned long long)v);
		break;
	case 5:			/* VMX_MISC */
		bit = rng_below(rng, 64);
		set_msr(raw, 0x485, get_msr(raw, 0x485) ^ (1ULL << bit));
		snprintf(what, size, "0x485^bit%u", bit);
		break;
	case 6:			/* an MSR faults */
		index = faultable[rng_below(rng, sizeof(faultable) /
					     sizeof(faultable[0]))];
		slot = vp_raw_slot(index);
		raw->faulted |= 1u << slot;
		raw->known |= 1u << slot;
		raw->msr[slot] = 0;
		snprintf(what, size, "0x%x=fault", index);
		break;
	case 7:			/* the CPU's signature */
		slot = vp_raw_cpuid_slot(1);
		raw->cpuid_eax[slot] = special_sigs[rng_below(rng,
			sizeof(special_sigs) / sizeof(special_sigs[0]))];
		snprintf(what, size, "sig=0x%x", raw->cpuid_eax[slot]);
		break;
	case 8:			/* SGX: leaf 0x12 and the highest leaf */
		raw->cpuid_eax[vp_raw_cpuid_slot(0x12)] ^= 1;
		raw->cpuid_eax[vp_raw_cpuid_slot(0)] =
			rng_below(rng, 2) ? 0x16 : 0xd;
		snprintf(what, size, "sgx1=%u,max=0x%x",
			 raw->cpuid_eax[vp_raw_cpuid_slot(0x12)] & 1,
			 raw->cpuid_eax[vp_raw_cpuid_slot(0)]);
		break;
	case 9:			/* IA32_FEAT_CTL */
		v = feat_ctls[rng_below(rng, 5)];
		set_msr(raw, 0x3a, v);
		snprintf(what, size, "0x3a=0x%llx", (unsigned long long)v);
		break;
	default:		/* CPUID.1:ECX.VMX */
		raw->cpuid1_ecx ^= VP_CPUID1_ECX_VMX;
		snprintf(what, size, "vmx=%u",
			 !!(raw->cpuid1_ecx & VP_CPUID1_ECX_VMX));
		break;
	}
}

/*
 * Mutate @snap with seed @seed: one to three mutations, each applied to
 * every CPU (the same change) or, one time in three, to one CPU only.
 * Writes a description into @what.
 */
static void mutate(struct vp_snapshot *snap, uint64_t seed, char *what,
		   size_t size)
{
	uint64_t rng = seed;
	unsigned int n = 1 + rng_below(&rng, 3), k, c, op, one;
	size_t used = 0;
	char w[64];

	what[0] = '\0';
	for (k = 0; k < n; k++) {
		op = rng_below(&rng, 13);
		one = rng_below(&rng, 3) == 0 ? rng_below(&rng, snap->nr_cpus) :
						UINT32_MAX;
		if (op == 12) {		/* a boot-CPU fact */
			snap->hdr.present |= VP_SNAP_HAS_UMIP;
			snap->hdr.boot_cpu_umip = !snap->hdr.boot_cpu_umip;
			used += snprintf(what + used, size - used, "%sumip=%d",
					 used ? " " : "",
					 snap->hdr.boot_cpu_umip);
			continue;
		}
		for (c = 0; c < snap->nr_cpus; c++) {
			uint64_t r = rng;	/* the same change on each CPU */

			if (one != UINT32_MAX && c != one)
				continue;
			mutate_raw(&snap->cpus[c].raw, &r, op, w, sizeof(w));
		}
		rng_next(&rng);
		rng_next(&rng);
		rng_next(&rng);
		used += snprintf(what + used, size - used, "%s%s%s%s",
				 used ? " " : "", w,
				 one == UINT32_MAX ? "@all" : "@cpu", "");
		if (one != UINT32_MAX)
			used += snprintf(what + used, size - used, "%u",
					 snap->cpus[one].cpu);
	}
}

/* ---- the seed's argument: where did the setup run, who got blamed ---- */

struct tally {
	unsigned int runs, mixed, loaded, failed;
	unsigned int blamed[MAX_CPUS];
};

static void tally_add(struct tally *t, int load, int blame, bool mixed)
{
	t->runs++;
	t->mixed += mixed;
	if (!load)
		t->loaded++;
	else if (blame >= 0 && blame < MAX_CPUS)
		t->blamed[blame]++;
	else
		t->failed++;
}

static void tally_print(const char *who, const char *how,
			const struct tally *t)
{
	char blamed[256] = "";
	size_t used = 0;
	int c;

	for (c = 0; c < MAX_CPUS; c++)
		if (t->blamed[c])
			used += snprintf(blamed + used, sizeof(blamed) - used,
					 "%sCPU %d: %u", used ? ", " : "", c,
					 t->blamed[c]);
	printf("# seed-argument | %s | %s | %u | %u | %s | %u | %u\n", who,
	       how, t->runs, t->mixed, used ? blamed : "-", t->loaded,
	       t->failed);
}

/* "mixed yes" in vmcs_probe's setup_trace. */
static bool probe_mixed(void)
{
	static char trace[TEXT_MAX];

	return vp_read("/sys/kernel/debug/vmcs_probe/setup_trace", trace,
			 sizeof(trace)) > 0 && strstr(trace, "\nmixed yes\n");
}

/*
 * The argument of the March 2023 thread, on the real KVM and on
 * vmcs_probe: @n loads of kvm_intel with the loader moved between CPUs
 * and @n bound to each CPU in turn, then @n runs of vmcs_probe's setup
 * (source=hw, through the shim) in each pinning mode with the writer
 * moved.  For each: how often the setup's reads came from more than one
 * CPU and which CPU the per-CPU check then refused.
 */
static void seed_argument(const char *text, unsigned int n)
{
	static const char * const modes[] = {
		"none", "migrate_disable", "preempt_disable",
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct outcome kvm, mod;
	struct tally t;
	char path[256], args[64], how[64];
	unsigned int i, m;
	int ret;

	if (vp_write(SHIM_DIR "/table", text, strlen(text)))
		die("%s", "the shim refused the table");
	printf("# seed-argument | who | load | runs | setup on >1 CPU | refused CPU | loaded | failed otherwise\n");
	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++) {
		ask_kvm(-1, "", &kvm);
		tally_add(&t, kvm.load, kvm.blame, kvm.setup_cpus > 1);
	}
	tally_print("kvm_intel", "unpinned, loader moved", &t);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++) {
		ask_kvm(i % ncpu, "", &kvm);
		tally_add(&t, kvm.load, kvm.blame, kvm.setup_cpus > 1);
	}
	tally_print("kvm_intel", "bound to each CPU in turn", &t);

	snprintf(path, sizeof(path), "/lib/modules/%s/extra/vmcs_probe.ko",
		 lab.release);
	snprintf(args, sizeof(args), "kvm_version=%s", lab.kvm_version);
	ret = load_ko(path, args);
	if (ret)
		die("cannot load vmcs_probe: %s", strerror(-ret));
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct loader l = { 0 };
		static char view[TEXT_MAX];

		if (vp_write("/sys/kernel/vmcs_probe/pinning_mode", modes[m],
			       strlen(modes[m])))
			die("cannot set pinning mode %s", modes[m]);
		memset(&t, 0, sizeof(t));
		for (i = 0; i < n; i++) {
			run_thread_on(-1, probe_run_thread, &l);
			memset(&mod, 0, sizeof(mod));
			if (!l.ret && vp_read("/sys/kernel/debug/vmcs_probe/kvm_view",
						view, sizeof(view)) > 0)
				parse_view(view, &mod);
			tally_add(&t, l.ret ? l.ret : mod.load, mod.blame,
				  probe_mixed());
		}
		snprintf(how, sizeof(how), "%s, writer moved", modes[m]);
		tally_print("vmcs_probe", how, &t);
	}
	unload("vmcs_probe");
}

/* ---- cases ---- */

struct text {
	char *buf;
	size_t used, size;
};

static int text_line(void *ctx, const char *line)
{
	struct text *t = ctx;
	int n = snprintf(t->buf + t->used, t->size - t->used, "%s\n", line);

	if (n < 0 || (size_t)n >= t->size - t->used)
		return -ENOSPC;
	t->used += n;
	return 0;
}

static void keep_case(const char *text, const char *name, const char *params,
		      int cpu)
{
	char path[512];
	FILE *f;

	if (!lab.keep)
		return;
	mkdir(lab.keep, 0755);
	snprintf(path, sizeof(path), "%s/case-%lu.snapshot", lab.keep,
		 lab.cases);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "# kvm_oracle_lab disagreement: %s\n# kvm %s, load on CPU %d, kvm_intel %s\n",
		name, lab.kvm_version, cpu, *params ? params : "(defaults)");
	fputs(text, f);
	fclose(f);
}

static void run_case(const char *name, const char *text, const char *params,
		     int cpu)
{
	static const char *path = "/tmp/kvm_oracle_lab.snapshot";
	struct outcome kvm, tool, mod;
	int diffs = 0;
	FILE *f;

	lab.cases++;
	if (vp_write(SHIM_DIR "/table", text, strlen(text)))
		die("the shim refused the table of %s", name);
	ask_kvm(lab.move ? -1 : cpu, params, &kvm);
	if (lab.move) {
		/*
		 * Unpinned: the setup ran where the scheduler put it.  Where
		 * it stayed on one CPU, vmcs_probe bound to that CPU must say
		 * what KVM did; a mixed setup no pinned run can reproduce.
		 */
		cpu = kvm.setup_cpus == 1 ? atoi(kvm.setup_cpu_list) :
		      kvm.setup_cpus == 0 ? kvm.probe_cpu : -1;
		if (cpu < 0 || (kvm.probe_cpu >= 0 && kvm.probe_cpu != cpu)) {
			printf("ok %lu - %s, loader moved: load %d, blame %d, support probe on CPU %d, setup on CPUs %s # SKIP init ran on several CPUs, nothing to compare\n",
			       lab.cases, name, kvm.load, kvm.blame,
			       kvm.probe_cpu,
			       kvm.setup_cpu_list[0] ? kvm.setup_cpu_list : "none");
			return;
		}
	}
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	fputs(text, f);
	fclose(f);
	ask_vmcsctl(path, text, cpu, params, &tool);
	diffs += compare(&kvm, &tool, "vmcsctl");
	if (lab.module) {
		ask_module(cpu, params, &mod);
		diffs += compare(&kvm, &mod, "vmcs_probe");
	}
	printf("%sok %lu - %s, kvm_intel %s, load %s CPU %d: load %d, blame %d, %s\n",
	       diffs ? "not " : "", lab.cases, name,
	       *params ? params : "(defaults)",
	       lab.move ? "moved, setup on" : "on", cpu, kvm.load, kvm.blame,
	       kvm.have_msrs ? "18 nested MSRs" : "no nested MSRs");
	fflush(stdout);
	if (diffs) {
		print_kvm_lines(lab.kvm_log);
		lab.disagree++;
		keep_case(text, name, params, cpu);
	} else {
		lab.agree++;
	}
}

static void setup(void)
{
	static char out[4096];
	char *p;

	if (run_capture("modprobe --show-depends kvm_intel", out,
			sizeof(out)))
		die("%s", "modprobe --show-depends kvm_intel failed");
	for (p = strtok(out, "\n"); p; p = strtok(NULL, "\n")) {
		char path[256];

		if (sscanf(p, "insmod %255s", path) != 1)
			continue;
		if (strstr(path, "/kvm-intel.ko") ||
		    strstr(path, "/kvm_intel.ko"))
			snprintf(lab.kvm_intel_ko, sizeof(lab.kvm_intel_ko),
				 "%s", path);
		else if (strstr(path, "/kvm.ko"))
			snprintf(lab.kvm_ko, sizeof(lab.kvm_ko), "%s", path);
		else
			load_ko(path, "");	/* irqbypass: loaded for good */
	}
	if (!lab.kvm_ko[0] || !lab.kvm_intel_ko[0])
		die("%s", "kvm.ko or kvm_intel.ko not found");
	if (vp_read(SHIM_DIR "/tsc_khz", out, sizeof(out)) <= 0)
		die("%s", "lab_kvm_msr_shim is not loaded");
	lab.tsc_khz = strtoul(out, NULL, 10);
	if (vp_read("/proc/sys/kernel/osrelease", lab.release,
		      sizeof(lab.release)) <= 0)
		die("%s", "no kernel release");
	lab.release[strcspn(lab.release, "\n")] = '\0';
	if (!lab.kvm_version) {
		unsigned int maj = 0, min = 0;
		bool exact;

		/* The module's own choice (engine.c's version table). */
		sscanf(lab.release, "%u.%u", &maj, &min);
		lab.kvm_version = vp_kvm_name(vp_kvm_for_kernel(maj, min,
								&exact));
	}
	/*
	 * From 6.12 kvm.ko does VMXON when kvm_intel loads unless told not
	 * to; this guest has no VMX and would hang.
	 */
	lab.virt_at_load = strcmp(lab.kvm_version, "6.1") != 0;
}

static char *load_file(const char *path)
{
	static char buf[VP_SNAPSHOT_MAX_SIZE + 1];
	char *copy;
	int n = vp_read(path, buf, sizeof(buf));

	if (n < 0)
		die("cannot read %s", path);
	copy = strdup(buf);
	if (!copy)
		die("%s", "out of memory");
	return copy;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int main(int argc, char *argv[])
{
	static struct vp_snapshot snap;
	static char text[VP_SNAPSHOT_MAX_SIZE];
	struct vp_snapshot_error err;
	struct timespec t0, t1;
	const char *snaps[64];
	unsigned int nr_snaps = 0, s, p, c;
	unsigned long i;
	char name[256], what[200];
	double secs;

	for (i = 1; i < (unsigned long)argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < (unsigned long)argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--params") && v && lab.nr_sets < MAX_SETS) {
			lab.sets[lab.nr_sets++] = v;
			i++;
		} else if (!strcmp(a, "--cpu") && v && lab.nr_cpus < MAX_CPUS) {
			lab.cpus[lab.nr_cpus++] = atoi(v);
			i++;
		} else if (!strcmp(a, "--fuzz") && v) {
			lab.fuzz = strtoul(v, NULL, 10);
			i++;
		} else if (!strcmp(a, "--seed") && v) {
			lab.seed = strtoul(v, NULL, 10);
			i++;
		} else if (!strcmp(a, "--keep") && v) {
			lab.keep = v;
			i++;
		} else if (!strcmp(a, "--kvm") && v) {
			lab.kvm_version = v;
			i++;
		} else if (!strcmp(a, "--module")) {
			lab.module = true;
		} else if (!strcmp(a, "--seed-argument") && v) {
			lab.seed_argument = strtoul(v, NULL, 10);
			i++;
		} else if (!strcmp(a, "--fresh-kvm")) {
			lab.fresh_kvm = true;
		} else if (!strcmp(a, "--move")) {
			lab.move = true;
		} else if (a[0] == '-') {
			die("unknown option '%s'", a);
		} else if (nr_snaps < 64) {
			snaps[nr_snaps++] = a;
		}
	}
	if (!nr_snaps)
		die("%s", "no snapshot given");
	if (!lab.nr_sets)
		lab.sets[lab.nr_sets++] = "";
	if (!lab.nr_cpus)
		lab.cpus[lab.nr_cpus++] = 0;
	setup();
	printf("# kvm_oracle_lab: KVM %s, tsc_khz %u, %u snapshot(s), %u parameter set(s), %u CPU choice(s)%s\n",
	       lab.kvm_version, lab.tsc_khz, nr_snaps, lab.nr_sets,
	       lab.nr_cpus, lab.fuzz ? ", fuzzing" : "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (lab.seed_argument) {
		seed_argument(load_file(snaps[0]), lab.seed_argument);
	} else if (!lab.fuzz) {
		for (s = 0; s < nr_snaps; s++)
			for (p = 0; p < lab.nr_sets; p++)
				for (c = 0; c < lab.nr_cpus; c++)
					run_case(base_name(snaps[s]),
						 load_file(snaps[s]),
						 lab.sets[p], lab.cpus[c]);
	}
	for (i = 0; i < lab.fuzz; i++) {
		uint64_t seed = lab.seed + i, rng = seed * 7919;
		char *base = load_file(snaps[rng_below(&rng, nr_snaps)]);
		struct text t = { text, 0, sizeof(text) };

		if (vp_snapshot_parse(base, strlen(base), &snap, &err))
			die("snapshot: %s", err.msg);
		mutate(&snap, seed, what, sizeof(what));
		if (vp_snapshot_emit(&snap, text_line, &t))
			die("%s", "emitting a mutated snapshot failed");
		snprintf(name, sizeof(name), "seed %llu (%s: %s)",
			 (unsigned long long)seed,
			 snap.hdr.present & VP_SNAP_HAS_SOURCE ?
			 snap.hdr.source : "snapshot", what);
		run_case(name, text, lab.sets[rng_below(&rng, lab.nr_sets)],
			 lab.cpus[rng_below(&rng, lab.nr_cpus)]);
		free(base);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (lab.kvm_loaded)
		unload("kvm");
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# cases %lu, agree %lu, disagree %lu, %.1f s, %.2f cases per second\n",
	       lab.cases, lab.agree, lab.disagree, secs,
	       secs > 0 ? lab.cases / secs : 0);
	return lab.disagree ? 1 : 0;
}
