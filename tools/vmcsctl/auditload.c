// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsctl audit-load: where KVM's own setup read its MSRs.  Runs a load
 * command (default: modprobe kvm_intel) with tracefs' msr:read_msr event
 * on, filtered to the VMX (or SVM) capability MSRs, and
 * sched:sched_process_fork to follow the command's processes (modprobe,
 * an install rule's shell and taskset...), in a tracefs instance of its
 * own.  The reads by those processes are the vendor module's setup;
 * reads in other contexts are KVM's per-CPU checks (IPIs, hotplug
 * threads) or anyone else.  Mixed: the setup's reads ran on more than
 * one CPU.  Then the kernel log lines the load printed, explained.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vmcsctl.h"

static const char audit_usage[] =
	"Usage: vmcsctl audit-load [--tracefs DIR] [--svm] [-- COMMAND [ARG...]]\n"
	"       vmcsctl audit-load --trace FILE --pid PID\n"
	"Run COMMAND (default: modprobe kvm_intel; with --svm, modprobe kvm_amd)\n"
	"with the msr:read_msr trace event on, filtered to the VMX capability\n"
	"MSRs (with --svm: the SVM ones), and show each read by COMMAND's\n"
	"processes with its CPU, whether those ran on more than one CPU\n"
	"(mixed), COMMAND's outcome and the kernel log lines it caused,\n"
	"explained.  Needs root and tracefs (default /sys/kernel/tracing).\n"
	"--trace: report on a saved trace file instead, PID being the command.\n"
	"Exit status 0 one CPU, 1 mixed or no read, 2 usage, 3 no tracefs or\n"
	"not root, 4 unreadable trace.\n";

/* IA32_FEAT_CTL and the VMX capability MSRs; VM_CR, VM_HSAVE_PA, EFER. */
static const char vmx_filter[] = "msr == 0x3a || (msr >= 0x480 && msr <= 0x493)";
static const char svm_filter[] =
	"msr == 0xc0000080 || (msr >= 0xc0010114 && msr <= 0xc0010118)";

struct audit {
	char inst[4200];		/* our tracefs instance */
	bool made;
};

static int tw(const struct audit *a, const char *name, const char *val)
{
	char path[4400];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", a->inst, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		vmcsctl_err("%s: %s", path, strerror(errno));
		return EXIT_NOMODULE;
	}
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	if (!ok)
		vmcsctl_err("%s: '%s': %s", path, val, strerror(errno));
	close(fd);
	return ok ? EXIT_OK : EXIT_NOMODULE;
}

static void audit_cleanup(struct audit *a)
{
	if (!a->made)
		return;
	tw(a, "events/msr/read_msr/enable", "0");
	tw(a, "events/sched/sched_process_fork/enable", "0");
	if (rmdir(a->inst))
		vmcsctl_err("%s: %s (remove it by hand)", a->inst,
			    strerror(errno));
	a->made = false;
}

static int audit_setup(struct audit *a, const char *tracefs, bool svm)
{
	char path[4300];
	int ret;

	snprintf(path, sizeof(path), "%s/events/msr/read_msr", tracefs);
	if (access(path, F_OK)) {
		vmcsctl_err("%s: %s (tracefs not mounted there, or a kernel without MSR tracepoints)",
			    path, strerror(errno));
		return EXIT_NOMODULE;
	}
	if (geteuid()) {
		vmcsctl_err("audit-load needs root (tracefs, loading modules)");
		return EXIT_NOMODULE;
	}
	snprintf(a->inst, sizeof(a->inst), "%s/instances/vmcsctl-audit-%d",
		 tracefs, (int)getpid());
	if (mkdir(a->inst, 0700)) {
		vmcsctl_err("%s: %s", a->inst, strerror(errno));
		return EXIT_NOMODULE;
	}
	a->made = true;
	ret = tw(a, "buffer_size_kb", "4096");
	if (!ret)
		ret = tw(a, "events/msr/read_msr/filter",
			 svm ? svm_filter : vmx_filter);
	if (!ret)
		ret = tw(a, "events/sched/sched_process_fork/enable", "1");
	if (!ret)
		ret = tw(a, "events/msr/read_msr/enable", "1");
	if (!ret)
		ret = tw(a, "tracing_on", "1");
	return ret;
}

/* Run @argv; its wait status, or -1 (reported). */
static int run_cmd(char *argv[], pid_t *pid)
{
	int status;

	fflush(NULL);
	*pid = fork();
	if (*pid < 0) {
		vmcsctl_err("fork: %s", strerror(errno));
		return -1;
	}
	if (!*pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(*pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static bool in_set(const int *set, unsigned int n, int pid)
{
	while (n--)
		if (set[n] == pid)
			return true;
	return false;
}

/* The report; EXIT_OK (one CPU) or EXIT_DIFFER. */
static int report(struct out *o, const struct msr_trace *tr, pid_t child)
{
	int *tree = calloc(tr->nr + 1, sizeof(*tree));
	unsigned int i, nt = 0, mine = 0, other = 0;
	unsigned long long cpus = 0, other_cpus = 0;
	int first = -1;
	bool mixed = false;
	char task[32];

	if (!tree) {
		o->oom = true;
		return EXIT_MALFORMED;
	}
	tree[nt++] = child;
	out_printf(o, "reads by the command:\n");
	out_printf(o, "  LINE  CPU  TASK                  MSR         VALUE\n");
	for (i = 0; i < tr->nr; i++) {
		const struct trace_rec *r = &tr->recs[i];

		if (r->kind == TRACE_FORK) {
			if (in_set(tree, nt, r->pid))
				tree[nt++] = r->child;
			continue;
		}
		if (!in_set(tree, nt, r->pid)) {
			other++;
			other_cpus |= 1ULL << (r->cpu % 64);
			continue;
		}
		mine++;
		if (first < 0)
			first = r->cpu;
		mixed |= (int)r->cpu != first;
		cpus |= 1ULL << (r->cpu % 64);
		snprintf(task, sizeof(task), "%.15s-%d", r->comm, r->pid);
		out_printf(o, "  %-5u %-4u %-21s 0x%-9x 0x%016llx%s\n",
			   r->line, r->cpu, task, r->msr, r->val,
			   r->fault ? " #GP" : "");
	}
	free(tree);
	out_printf(o, "setup reads: %u, on CPU", mine);
	for (i = 0; i < 64; i++)
		if (cpus & (1ULL << i))
			out_printf(o, " %u", i);
	if (!mine)
		out_printf(o, ": none (was the module loaded already?)\n");
	else
		out_printf(o, ": %s\n", mixed ? "MIXED" : "one CPU");
	out_printf(o, "other reads: %u (KVM's per-CPU checks, other tasks) on CPU", other);
	for (i = 0; i < 64; i++)
		if (other_cpus & (1ULL << i))
			out_printf(o, " %u", i);
	out_printf(o, "\n");
	return mine && !mixed ? EXIT_OK : EXIT_DIFFER;
}

static int report_saved(const char *path, pid_t pid)
{
	struct msr_trace tr = { 0 };
	struct text t = { .name = path };
	struct out o = { 0 };
	char *buf = NULL;
	int ret;

	ret = read_file(path, &buf, &t.len);
	if (ret)
		return ret;
	t.buf = buf;
	ret = parse_msr_trace(&t, &tr);
	if (!ret) {
		int r;

		ret = report(&o, &tr, pid);
		r = out_flush(&o, NULL);
		if (r)
			ret = r;
	}
	out_free(&o);
	msr_trace_free(&tr);
	free(buf);
	return ret;
}

int auditload_main(int argc, char *argv[])
{
	char modprobe[] = "modprobe", mod[] = "kvm_intel", amd[] = "kvm_amd";
	char *def_cmd[3] = { modprobe, mod, NULL };
	const char *tracefs = "/sys/kernel/tracing", *kmsg = "/dev/kmsg";
	struct text t = { 0 }, lt = { 0 };
	struct audit a = { 0 };
	struct msr_trace tr = { 0 };
	struct out o = { 0 };
	char **cmd = NULL, *buf = NULL, *log = NULL, path[4400];
	const char *saved = NULL;
	unsigned long long spid = 0;
	bool svm = false;
	int i, ret, status, fd = -1;
	pid_t pid;

	for (i = 1; i < argc && !cmd; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("%s", audit_usage);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--tracefs") && i + 1 < argc) {
			tracefs = argv[++i];
		} else if (!strcmp(argv[i], "--svm")) {
			svm = true;
		} else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
			saved = argv[++i];
		} else if (!strcmp(argv[i], "--pid") && i + 1 < argc) {
			if (!parse_uint(argv[++i], 0x7fffffff, &spid)) {
				vmcsctl_err("--pid: '%s' is not a PID", argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--") && i + 1 < argc) {
			cmd = argv + i + 1;
		} else {
			return usage_error(audit_usage);
		}
	}
	if (saved || spid)
		return saved && spid && !cmd ? report_saved(saved, spid) :
					       usage_error(audit_usage);
	if (svm)
		def_cmd[1] = amd;
	if (!cmd)
		cmd = def_cmd;
	ret = audit_setup(&a, tracefs, svm);
	if (!ret) {
		fd = kernel_log_open(kmsg, true);
		if (fd < 0)
			ret = EXIT_NOMODULE;
	}
	if (ret) {
		audit_cleanup(&a);
		return ret;
	}
	status = run_cmd(cmd, &pid);
	tw(&a, "tracing_on", "0");
	snprintf(path, sizeof(path), "%s/trace", a.inst);
	ret = read_file(path, &buf, &t.len);
	audit_cleanup(&a);
	if (!ret) {
		t.name = path;
		t.buf = buf;
		ret = parse_msr_trace(&t, &tr);
	}
	if (!ret) {
		out_printf(&o, "command:  ");
		for (i = 0; cmd[i]; i++)
			out_printf(&o, "%s%s", i ? " " : "", cmd[i]);
		if (status < 0)
			out_printf(&o, "\noutcome:  could not run\n");
		else if (WIFEXITED(status))
			out_printf(&o, "\noutcome:  exit %d\n", WEXITSTATUS(status));
		else
			out_printf(&o, "\noutcome:  killed by signal %d\n",
				   WTERMSIG(status));
		ret = report(&o, &tr, pid);
		if (!kernel_log_read(fd, kmsg, &log, &lt.len)) {
			lt.name = kmsg;
			lt.buf = log;
			out_printf(&o, "kernel log of the load:\n");
			if (explain_text(&o, &lt, NULL) == EXIT_OK)
				out_printf(&o, "  no KVM message about a CPU\n");
		}
		i = out_flush(&o, NULL);
		if (i)
			ret = i;
	}
	close(fd);
	out_free(&o);
	msr_trace_free(&tr);
	free(buf);
	free(log);
	return ret;
}
