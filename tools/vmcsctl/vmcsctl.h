/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcsctl: what the subcommands share.
 *
 *   vmcsctl.c  the subcommand table and main()
 *   kernel.c   the only code that touches the module's files
 *   parse.c    parsers of the module's files and of snapshot files: pure,
 *              buffer in, structure out (the fuzz targets drive them)
 *   load.c     read a file or a module node whole, then parse it
 *   side.c     one side of decode and diff: the module's or a file's
 *              configuration and the raw MSRs it came from
 *   offline.c  the engine run on a snapshot, and the config text format
 *   out.c      output built in memory, printed at the end
 *   opts.c     a subcommand's options: --help, bad options, the
 *              parsers of their arguments
 *   features.c the nested VMX features by QEMU's vmx-* names
 *   export.c   dump's prometheus and nfd formats
 *   <cmd>.c    one subcommand each
 */
#ifndef VMCSCTL_H
#define VMCSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "kvm_view.h"
#include "kvm_boot.h"
#include "kvm_layout.h"
#include "raw.h"
#include "report.h"
#include "snapshot.h"
#include "vmx_bits.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* The kernel's __printf(); the indirection keeps checkpatch quiet. */
#define VMCSCTL_ATTR(x)	__attribute__(x)
#ifndef __printf
#define __printf(a, b)	VMCSCTL_ATTR((format(printf, a, b)))
#endif

/* strcpy() that truncates to @size - 1 bytes and always terminates. */
#define str_copy(dst, size, src) snprintf((dst), (size), "%s", (src))

/* Exit codes, documented in Documentation/vmcsctl.rst (vmcsctl.8). */
enum {
	EXIT_OK = 0,		/* success, consistent, equal */
	EXIT_DIFFER = 1,	/* inconsistent, or the two sides differ */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOMODULE = 3,	/* module not loaded, or no permission */
	EXIT_MALFORMED = 4,	/* malformed input (file, kernel output) */
	EXIT_REFUSED = 5,	/* pin-kvm: a rule it did not write in the way */
};

struct vmcsctl_opts {
	const char *sysfs;	/* /sys/kernel/vmcs_probe */
	const char *debugfs;	/* /sys/kernel/debug/vmcs_probe */
	bool quiet;		/* no error messages (fuzzing) */
};

extern struct vmcsctl_opts opts;
extern const char *prog;

void vmcsctl_err(const char *fmt, ...) __printf(1, 2);

/* ---- out.c ---- */

struct out {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
};

void out_printf(struct out *o, const char *fmt, ...) __printf(2, 3);
void out_json_str(struct out *o, const char *s);
/* Write everything to @path ("-" or NULL: stdout); 0 or an exit code. */
int out_flush(struct out *o, const char *path);
void out_free(struct out *o);
/* A line of a shared emitter (report.c, kvm_view.c) into the out @ctx. */
int out_line(void *ctx, const char *line);

/* ---- io.c ---- */

/*
 * Read @fd to its end, or until more than @max bytes came, into a new
 * NUL-terminated buffer: 0, or -errno (nothing allocated).
 */
int read_fd(int fd, size_t max, char **buf, size_t *len);
/* Read a file (path "-" is stdin) whole: 0 or an exit code. */
int read_file(const char *path, char **buf, size_t *len);

/* ---- kernel.c ---- */

/* "@a@sep@b" into @path: 0, or EXIT_USAGE (reported) if it is too long. */
int path_cat(char *path, size_t size, const char *a, const char *sep,
	     const char *b);
int kernel_read(const char *dir, const char *name, char **buf, size_t *len);
int kernel_write(const char *dir, const char *name, const char *val);
/*
 * The running kernel's log as /dev/kmsg (@path) holds it now, one record
 * a line: 0 or an exit code (EXIT_NOMODULE: cannot be read).
 */
int kernel_log(const char *path, char **buf, size_t *len);
/*
 * The same in two steps: open @path (positioned after the records it
 * holds now if @at_end), later read what came since.  -1 (reported) or
 * the descriptor; 0 or an exit code.
 */
int kernel_log_open(const char *path, bool at_end);
int kernel_log_read(int fd, const char *path, char **buf, size_t *len);
/*
 * Whether the module's debugfs directory can be read; if not, @why says
 * why.  Without it (debugfs=off, not mounted, not root) only the sysfs
 * files are there: status, run and mode make do with them.
 */
bool kernel_debugfs(const char **why);
/*
 * The same, with the warning "no @what: DIR: why (debugfs off, not
 * mounted or not root)" on stderr when it cannot be read.
 */
bool kernel_debugfs_warn(const char *what);
/* The N of every debugfs cpus/cpuN, sorted; 0 or an exit code. */
int kernel_list_cpus(unsigned int **cpus, unsigned int *nr);
/*
 * Build @o with @read, which returns < 0 when the module's generation
 * changed while it read; retried a few times, then printed.  Returns 0,
 * an exit code, or EXIT_DIFFER when *consistent came back false.
 */
int kernel_report(int (*read)(struct out *o, bool *consistent),
		  const char *busy_msg);

/* ---- parse.c ---- */

/* A file's text with its name, for error messages. */
struct text {
	const char *name;
	const char *buf;
	size_t len;
};

#define WORD_MAX	32
#define MODES_MAX	8

/* pinning_mode, hotplug_policy: "a [b] c". */
struct choice {
	char words[MODES_MAX][WORD_MAX];
	unsigned int nr;
	int current;		/* index in words */
};

/* reference, cpus/cpuN/config. */
struct config_file {
	unsigned long long generation;
	enum vp_kvm kvm;
	char mode[WORD_MAX];
	int cpu;		/* -1: none (no run yet) */
	int result;
	char reason[64];
	char warnings[256];
	u32 error_msr;		/* optional lines, 0 if absent */
	u64 error_bits;
	struct vp_config cfg;
};

/* One line of compat, or the whole of cpus/cpuN/compat. */
#define FIELDS_MAX	512
struct compat_entry {
	unsigned int cpu;
	char status[WORD_MAX];
	char fields[FIELDS_MAX];	/* comma separated, may be empty */
};

struct compat_file {
	unsigned long long generation;
	unsigned int nr;
	struct compat_entry *cpus;	/* malloc()ed */
};

/* support: one line per possible CPU. */
struct support_entry {
	unsigned int cpu;
	char state[WORD_MAX];
	char reason[WORD_MAX];
};

struct support_file {
	unsigned long long generation;
	char kvm[WORD_MAX];		/* the mirrored KVM; "" from older modules */
	bool kvm_exact;			/* it is the running kernel's own */
	char kernel[WORD_MAX];		/* the running kernel, "X.Y" */
	unsigned int nr;
	struct support_entry *cpus;	/* malloc()ed */
};

struct trace_file {
	unsigned long long generation;
	char mode[WORD_MAX];
	char source[WORD_MAX];
	int start_cpu;			/* -1: no access recorded */
	int end_cpu;
	unsigned long long cpu_switches;
	bool mixed;
	unsigned long long duration_ns;
	unsigned long long dropped;	/* trace entries not recorded */
	unsigned int reads;		/* read and cpuid lines */
};

/* boot_cpu: one line per online CPU. */
struct boot_entry {
	unsigned int cpu;
	bool differs;
	char lacks[512];		/* feature names, comma separated */
	char has[512];
	char words[512];		/* NAME:0xBITS, comma separated */
};

struct boot_file {
	enum vp_kvm kvm;
	unsigned int nr;
	struct boot_entry *cpus;	/* malloc()ed */
};

int parse_status_word(const struct text *t, char *word);
int parse_generation(const struct text *t, unsigned long long *gen);
int parse_choice(const struct text *t, struct choice *c);
int parse_config(const struct text *t, struct config_file *c);
int parse_compat(const struct text *t, struct compat_file *c);
int parse_cpu_compat(const struct text *t, struct compat_entry *e,
		     unsigned long long *gen);
int parse_support(const struct text *t, struct support_file *s);
int parse_trace(const struct text *t, struct trace_file *tr);
int parse_snapshot(const struct text *t, struct vp_snapshot *snap);
/*
 * A list of nested features by QEMU name, one a line, '#' starts a
 * comment (what migrate --golden prints): @want[i] for vmx_features[i].
 */
int parse_feature_list(const struct text *t, bool *want);
void compat_file_free(struct compat_file *c);
void support_file_free(struct support_file *s);
int parse_boot_cpu(const struct text *t, struct boot_file *b);
void boot_file_free(struct boot_file *b);

bool parse_uint(const char *s, unsigned long long max,
		unsigned long long *val);
/*
 * The line of @t at *@pos (NULL at its end), its length without the
 * newline in *@len; *@pos moves to the next one.
 */
const char *text_line(const struct text *t, size_t *pos, size_t *len);
/* "NAME:LINE: message" on stderr; returns EXIT_MALFORMED. */
int text_err(const struct text *t, unsigned int line, const char *fmt, ...)
	__printf(3, 4);
/*
 * Make room for element @nr of the malloc()ed array *@arr of @size-byte
 * elements that holds @nr now (capacity doubles at powers of two): 0 or
 * -1 (out of memory, *@arr unchanged).
 */
int array_grow(void **arr, unsigned int nr, size_t size);
/* "cpuN" -> N. */
bool parse_cpu_name(const char *s, unsigned int *cpu);
bool parse_kvm(const char *s, enum vp_kvm *kvm);
/* "a, b or c": the NULL-terminated @names in @buf, for messages. */
const char *names_list(char *buf, size_t size, const char * const *names);
/* "6.1, 6.12, 7.2 or 7.3": every mirrored KVM, for messages. */
const char *kvm_names_list(void);

/* ---- klog.c ---- */

#define KLOG_LINE_MAX	1024		/* longer log lines: their start */
#define KLOG_ARG_MAX	64
#define KLOG_EVENTS_MAX	65536
#define KLOG_CPU_MAX	65535

/* One KVM message found in a log. */
struct klog_event {
	const struct vp_klog_msg *msg;
	unsigned int line;		/* 1-based, in the input */
	int cpu;			/* -1: the message names none */
	char arg[KLOG_ARG_MAX];		/* its %s, if any */
	char text[160];			/* the message as logged */
	u32 offset, ref, val, mismatch;	/* VP_KLOG_OFFSET only */
};

struct klog {
	struct klog_event *ev;		/* malloc()ed */
	unsigned int nr;
};

/* Every KVM message of @t in order: 0 or EXIT_MALFORMED (reported). */
int parse_klog(const struct text *t, struct klog *k);
void klog_free(struct klog *k);

/* ---- ktrace.c ---- */

#define TRACE_RECS_MAX	(1024 * 1024)

enum trace_kind {
	TRACE_READ_MSR,
	TRACE_FORK,
};

struct trace_rec {
	enum trace_kind kind;
	unsigned int line;
	unsigned int cpu;
	int pid;			/* the task the line is of */
	char comm[32];
	u32 msr;			/* TRACE_READ_MSR */
	u64 val;
	bool fault;
	int child;			/* TRACE_FORK */
};

struct msr_trace {
	struct trace_rec *recs;		/* malloc()ed, in the file's order */
	unsigned int nr;
};

/* read_msr and sched_process_fork lines of a tracefs trace file. */
int parse_msr_trace(const struct text *t, struct msr_trace *tr);
void msr_trace_free(struct msr_trace *tr);

/* ---- modprobe.c ---- */

/*
 * Call @fn for every "install" rule of the modprobe.d file @t for one of
 * the modules in the NULL-terminated @mods ('-' and '_' alike), with the
 * rule's first line and its command.  Returns how many there were.
 */
int modprobe_install_rules(const struct text *t, const char * const *mods,
			   void (*fn)(void *ctx, unsigned int line,
				      const char *mod, const char *cmd),
			   void *ctx);

/* ---- opts.c ---- */

/*
 * A subcommand without options: "--help" (or "-h") as its only argument
 * prints @usage, anything else is usage_error().  Returns the exit code.
 */
int usage_or_help(int argc, char *argv[], const char *usage);
/* A bad command line: @usage on stderr; returns EXIT_USAGE. */
int usage_error(const char *usage);

/* What an option's argument is, and what its val points to. */
enum opt_type {
	OPT_FLAG,	/* no argument; bool, set (or val NULL) */
	OPT_STRING,	/* const char *: the argument */
	OPT_CPU,	/* unsigned int: a CPU number */
	OPT_KVM,	/* enum vp_kvm: a mirrored KVM ("6.12") */
	OPT_CHOICE,	/* int: the argument's index in names */
	OPT_PARAM,	/* struct vp_snapshot_header: param_arg() */
	OPT_CALL,	/* fn(val, argument): 0 or an exit code (reported) */
};

/*
 * One option of a subcommand, in a table ended by { 0 }.  (cppcheck does
 * not see the values change through the table's pointers: where a test
 * of one follows opts_parse() at once, keep them in a struct, as dump.)
 */
struct opt {
	const char *name;		/* --NAME */
	char short_name;		/* -C as well, if not 0 */
	enum opt_type type;
	void *val;
	unsigned int *seen;		/* if not NULL: counts the times given */
	const char * const *names;	/* OPT_CHOICE: NULL-terminated */
	int (*fn)(void *val, const char *arg);	/* OPT_CALL */
};

/* Options a subcommand may have, besides --help. */
#define OPTS_MAX	15

/*
 * Parse the options of @argv per @options, and --help (-h), which prints
 * @usage to stdout.  Returns -1 with optind at the first operand, or the
 * exit code: EXIT_OK after --help; EXIT_USAGE with @usage on stderr for
 * an unknown option or a missing argument, or with a message for a bad
 * argument; OPT_CALL's.
 */
int opts_parse(int argc, char *argv[], const struct opt *options,
	       const char *usage);
/* --kvm's argument: false after an error message. */
bool opt_kvm(const char *arg, enum vp_kvm *kvm);

/* ---- load.c ---- */

/*
 * read_file() + parse_snapshot() into a new snapshot; on stderr, a warning
 * for each line vp_snapshot_check() finds missing.
 */
int load_snapshot(const char *path, struct vp_snapshot **snap);
/*
 * load_snapshot(), and in @sc its section of CPU @cpu if @want_cpu, else
 * its first: 0 or an exit code (EXIT_USAGE: no such section).
 */
int load_snapshot_cpu(const char *path, bool want_cpu, unsigned int cpu,
		      struct vp_snapshot **snap,
		      const struct vp_snapshot_cpu **sc);
/*
 * The section of CPU @cpu in @snap (read from @path), or NULL after
 * "PATH: no section for CPU N" on stderr.
 */
const struct vp_snapshot_cpu *
snapshot_section(const struct vp_snapshot *snap, const char *path,
		 unsigned int cpu);
/* One module file, read whole. */
struct node {
	char path[4096];
	char *buf;
	struct text t;
};

int node_load(struct node *n, const char *dir, const char *name);
void node_free(struct node *n);
/* Read and parse one module file. */
int load_config(const char *dir, const char *name, struct config_file *c);
int load_node_snapshot(const char *dir, const char *name,
		       struct vp_snapshot **snap);
/*
 * sysfs generation and status (a word of WORD_MAX): what the module says
 * without debugfs.  0 or an exit code.
 */
int load_sysfs_words(unsigned long long *generation, char *status);

/* ---- offline.c ---- */

struct offline_cpu {
	u32 cpu;
	enum vp_support support;
	int ret;			/* of vp_compute_cpu() */
	enum vp_compat_status status;
	u64 diff;			/* the fields that differ, as a mask */
	struct vp_config cfg;
};

struct offline {
	struct vp_params params;	/* as given */
	struct vp_params effective;	/* as KVM leaves them */
	u32 ref_cpu;
	enum vp_support ref_support;
	int ref_ret;
	struct vp_config ref;
	unsigned int nr;
	struct offline_cpu cpus[VP_SNAPSHOT_MAX_CPUS];
	enum vp_overall status;		/* as sysfs status */
};

/*
 * What the reference computation of @snap on its section @ref starts
 * from: KVM @kvm's parameter defaults with the snapshot's facts (and
 * @ovr's, if not NULL, over them) in @p, a reader of @ref's raw MSRs in
 * @rd.  Then vp_compute_reference(), or _row() with another engine row.
 */
void offline_setup(const struct vp_snapshot *snap, enum vp_kvm kvm,
		   const struct vp_snapshot_cpu *ref,
		   const struct vp_snapshot_header *ovr, struct vp_params *p,
		   struct vp_reader *rd);
/*
 * Compute reference and CPUs; @ref NULL: the first section.  @ovr, if not
 * NULL, overrides the snapshot's header facts (vp_snapshot_fill_params()).
 */
void offline_compute(const struct vp_snapshot *snap, enum vp_kvm kvm,
		     const struct vp_snapshot_cpu *ref,
		     const struct vp_snapshot_header *ovr, struct offline *r);
enum vp_kvm offline_default_kvm(const struct vp_snapshot *snap);
/*
 * KVM's load from the offline results: the reference CPU's support and
 * setup, then the compat check of every CPU in ascending order, as
 * for_each_online_cpu() walks them, stopping at the first failure.
 * Fills @v (which points into @r) and returns the load's errno.
 */
int offline_kvm_load(const struct offline *r, struct vp_kvm_view *v);
/* What vp_vmx_support() says of a CPU's raw inputs. */
enum vp_support raw_support(const struct vp_raw *raw);
/*
 * "NAME=VALUE" (a kvm_intel parameter) into @ovr: 0, or EXIT_USAGE with
 * a message that starts with @what (e.g. "--param ").
 */
int param_arg(struct vp_snapshot_header *ovr, const char *arg,
	      const char *what);
void warnings_str(u32 warnings, char *buf, size_t size);
/*
 * A configuration computed offline, in the reference/config format of
 * debugfs (report.c writes both), generation 0, mode none.
 */
void print_config(struct out *o, const struct vp_config *cfg, u32 cpu,
		  int ret, enum vp_support support);
void config_file_from(struct config_file *c, const struct vp_config *cfg,
		      u32 cpu, int ret);
/* The bits of one vp_bit entry, in place. */
u64 field_mask(const struct vp_bit *b);
/*
 * Names of the set bits of @v per @bits, in @buf ("" if none); the
 * reserved default1 bits of a control word as default1=0x..., any other
 * bit without a name as unnamed=0x....
 */
void bit_names(const struct vp_bit *bits, u64 v, char *buf, size_t size);
/*
 * The fields in which configurations @ca (side @a) and @cb (side
 * @b) differ, a line each with both values (and, if @note_uncompared, a
 * note on those KVM does not compare), then the bits that differ, then
 * @then(@ctx, field index) if not NULL.  Returns how many.
 */
unsigned int diff_fields(struct out *o, const char *a,
			 const struct vp_config *ca, const char *b,
			 const struct vp_config *cb, bool note_uncompared,
			 void (*then)(void *ctx, unsigned int field), void *ctx);

/* ---- side.c ---- */

/* A configuration and, if known, the raw inputs it came from. */
struct side {
	char label[4200];
	bool have_raw;
	u32 cpu;
	struct vp_raw raw;
	struct config_file cfg;
};

/*
 * @spec: "reference" or "live" (the module's reference, or with
 * @file_ref false, "live" means the module's cpu0), "cpuN" (the
 * module's), "FILE" (the snapshot's reference if @file_ref, else its
 * first or @cpu's section) or "FILE:cpuN".  0 or an exit code.
 */
int side_load(const char *spec, bool want_raw, bool file_ref,
	      bool want_cpu, unsigned int cpu, struct side *s);

/* ---- features.c ---- */

/* A nested VMX feature: QEMU's name of a bit of a VMX MSR. */
struct vmx_feature {
	u32 msr;		/* as QEMU's feature word reads it */
	u8 bit;			/* 0..63 of the MSR's value */
	const char *qemu;	/* "vmx-rdseed-exit" */
};

extern const struct vmx_feature vmx_features[];
extern const unsigned int vmx_nr_features;

/* The feature named by the @len bytes at @name, or NULL. */
const struct vmx_feature *vmx_feature_find(const char *name, size_t len);
/* Whether its MSR is a control MSR (allowed-0 low, allowed-1 high). */
bool vmx_feature_is_control(const struct vmx_feature *f);
/*
 * Whether @val, a value of the feature's MSR, offers it: for a control,
 * may be 1 and need not be (QEMU's reading); else the bit is set.
 */
bool vmx_feature_in(const struct vmx_feature *f, u64 val);
/* The SDM's name of the bit (vmx_bits.c), or "-". */
const char *vmx_feature_sdm(const struct vmx_feature *f);
/*
 * @have[i]: whether the nested MSRs of @cfg (what KVM_GET_MSRS returns)
 * offer vmx_features[i]; none if nested is off.
 */
void vmx_features_of(const struct vp_config *cfg, bool *have);

/* ---- subcommands ---- */

/* mode.c: check @mode against the module's list and select it. */
int mode_set(const char *mode);

int status_main(int argc, char *argv[]);
int mode_main(int argc, char *argv[]);
int run_main(int argc, char *argv[]);
int dump_main(int argc, char *argv[]);
int decode_main(int argc, char *argv[]);
int diff_main(int argc, char *argv[]);
int compute_main(int argc, char *argv[]);
int migrate_main(int argc, char *argv[]);
/* export.c: dump --format prometheus (@nfd false) or nfd. */
int export_dump(bool nfd, const char *output);
int explain_main(int argc, char *argv[]);
/*
 * explain's output for log text @t into @o; @l: the layout for 7.x
 * offsets (NULL: the newest).  EXIT_OK (no KVM message), EXIT_DIFFER
 * or EXIT_MALFORMED (reported).
 */
int explain_text(struct out *o, const struct text *t,
		 const struct vp_layout *l);
int auditload_main(int argc, char *argv[]);
int pinkvm_main(int argc, char *argv[]);

/*
 * Split "FILE:cpuN" when FILE exists and the whole does not; returns the
 * length of FILE, or 0 if @spec names a file as it is (side.c).
 */
size_t file_cpu_split(const char *spec, unsigned int *cpu);
/* kvmdiff.c: vmcsctl diff --kvm; the number of differences, -1 no memory */
int kvm_diff_print(enum vp_kvm a, enum vp_kvm b,
		   const struct vp_snapshot *snap,
		   const struct vp_snapshot_cpu *ref, struct out *o);

/* svm.c: an SVM snapshot, with kvm_amd's rules */
int svm_compute(struct out *o, const struct vp_snapshot *snap,
		enum vp_kvm kvm, const struct vp_snapshot_cpu *ref,
		const struct vp_snapshot_header *ovr);
void svm_decode(struct out *o, const struct vp_snapshot_cpu *c);
int svm_side(const char *spec, bool *svm, struct vp_snapshot_cpu *c);
unsigned int svm_diff(struct out *o, const struct vp_svm_cpu *a,
		      const struct vp_svm_cpu *b);

#endif
