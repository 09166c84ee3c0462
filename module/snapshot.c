// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot format (Documentation/snapshot-format.rst): parser and
 * emitter.  Shared by the module (replay, debugfs) and vmcsctl, and fed
 * untrusted input by both: every byte is checked, nothing is allocated,
 * and no string or formatting library is used, so that the same source
 * builds unchanged in the kernel and in user space.
 */
#include "snapshot.h"
#include "text.h"
#include "vmx_regs.h"

/* ---- bounded text building (the emitter's lines, error messages) ---- */

/* ---- tokens ---- */

/* A parameter name's length (no string library here). */
static size_t vp_name_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

struct vp_tok {
	const char *p;
	size_t n;
};

#define VP_MAX_TOKS	6	/* key and up to four values, plus one extra */
#define VP_TOK_SHOWN	40	/* longest token quoted in an error message */

static bool vp_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool vp_tok_is(const struct vp_tok *t, const char *s)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (s[i] != t->p[i])
			return false;
	return s[i] == '\0';
}

/* "0x" and 1 or more hex digits: 0, -EINVAL (syntax) or -ERANGE. */
static int vp_tok_hex(const struct vp_tok *t, u64 max, u64 *val)
{
	return vp_hex_parse(t->p, t->n, max, val);
}

/* Decimal digits only: 0, -EINVAL or -ERANGE (value > @max). */
static int vp_tok_dec(const struct vp_tok *t, u64 max, u64 *val)
{
	return vp_dec_parse(t->p, t->n, max, val);
}

/* ---- the parser ---- */

enum vp_state {
	VP_ST_MAGIC,		/* before the magic line */
	VP_ST_HEADER,		/* after it, before the first cpu line */
	VP_ST_CPU,		/* inside a cpu section */
	VP_ST_END,		/* after the end line */
};

struct vp_parser {
	struct vp_snapshot *snap;
	struct vp_snapshot_cpu *cur;	/* section being filled */
	struct vp_snapshot_error *err;
	enum vp_state state;
	unsigned int line;
	struct vp_tok tok[VP_MAX_TOKS];
	unsigned int ntok;		/* VP_MAX_TOKS means "or more" */
	struct vp_tok rest;		/* text after the first token, trimmed */
};

static void vp_text_tok(struct vp_text *t, const struct vp_tok *tok)
{
	vp_text_chr(t, '\'');
	if (tok->n > VP_TOK_SHOWN) {
		vp_text_mem(t, tok->p, VP_TOK_SHOWN);
		vp_text_str(t, "...");
	} else {
		vp_text_mem(t, tok->p, tok->n);
	}
	vp_text_chr(t, '\'');
}

/* Report "<what> <'token'><why>" on the current line. */
static int vp_error(struct vp_parser *ps, const char *what,
		    const struct vp_tok *tok, const char *why)
{
	struct vp_text t;

	if (!ps->err)
		return -EINVAL;
	vp_text_init(&t, ps->err->msg, VP_SNAPSHOT_ERR_MAX);
	ps->err->line = ps->line;
	vp_text_str(&t, what);
	if (tok) {
		vp_text_chr(&t, ' ');
		vp_text_tok(&t, tok);
	}
	if (why)
		vp_text_str(&t, why);
	return -EINVAL;
}

/* A value of @bits bits, reported as "bad <what>" or "<what> out of range". */
static int vp_value(struct vp_parser *ps, unsigned int idx, const char *what,
		    unsigned int bits, u64 *val)
{
	u64 max = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
	int ret;

	if (idx >= ps->ntok)
		return vp_error(ps, "missing", NULL, what);
	ret = vp_tok_hex(&ps->tok[idx], max, val);
	if (ret == -EINVAL && bits == 32)
		return vp_error(ps, "bad number", &ps->tok[idx],
				" (want 0x and up to 8 hex digits)");
	if (ret == -EINVAL)
		return vp_error(ps, "bad number", &ps->tok[idx],
				" (want 0x and up to 16 hex digits)");
	if (ret && bits == 32)
		return vp_error(ps, "value", &ps->tok[idx],
				" out of range (32 bits)");
	if (ret)
		return vp_error(ps, "value", &ps->tok[idx],
				" out of range (64 bits)");
	return 0;
}

/* No token after the first @n. */
static int vp_no_more(struct vp_parser *ps, unsigned int n)
{
	if (ps->ntok > n)
		return vp_error(ps, "trailing text", &ps->tok[n], NULL);
	return 0;
}

static int vp_parse_magic(struct vp_parser *ps)
{
	u64 version;
	int ret;

	if (!vp_tok_is(&ps->tok[0], VP_SNAPSHOT_MAGIC))
		return vp_error(ps, "bad magic", &ps->tok[0],
				" (want 'vmcs_probe-snapshot 1')");
	if (ps->ntok < 2)
		return vp_error(ps, "missing version", NULL, NULL);
	ret = vp_tok_dec(&ps->tok[1], 1000000, &version);
	if (ret == -EINVAL)
		return vp_error(ps, "bad version", &ps->tok[1], NULL);
	if (ret || version != VP_SNAPSHOT_VERSION)
		return vp_error(ps, "unsupported version", &ps->tok[1],
				" (want 1)");
	ret = vp_no_more(ps, 2);
	if (ret)
		return ret;
	ps->state = VP_ST_HEADER;
	ps->snap->magic_line = ps->line;
	return 0;
}

static int vp_parse_source(struct vp_parser *ps)
{
	struct vp_snapshot_header *hdr = &ps->snap->hdr;
	size_t i;

	if (!ps->rest.n)
		return vp_error(ps, "missing text after 'source'", NULL, NULL);
	if (ps->rest.n >= VP_SNAPSHOT_SOURCE_MAX)
		return vp_error(ps, "source text too long (max 127 bytes)",
				NULL, NULL);
	for (i = 0; i < ps->rest.n; i++) {
		char c = ps->rest.p[i];

		if (c < 0x20 || c > 0x7e)
			return vp_error(ps, "source text not printable ASCII",
					NULL, NULL);
		hdr->source[i] = c;
	}
	hdr->source[i] = '\0';
	return 0;
}

static int vp_parse_kvm(struct vp_parser *ps)
{
	if (ps->ntok < 2)
		return vp_error(ps, "missing", NULL, " KVM version");
	if (vp_kvm_parse(ps->tok[1].p, ps->tok[1].n, &ps->snap->hdr.kvm))
		return vp_no_more(ps, 2);
	return vp_error(ps, "unknown KVM version", &ps->tok[1],
			" (want 6.1, 6.12, 7.2 or 7.3)");
}

/*
 * The header's facts about the machine, one row each: its key, its
 * presence flag, its kind, where it lives in the header and in struct
 * vp_params, and what a reader is told when a snapshot lacks it (NULL:
 * nothing).  Parsing, emitting (in this order), the reader's warnings,
 * vp_snapshot_fill_params() and vp_snapshot_header_set_params() all walk
 * this table: a new fact is a new row.  A row marked svm is kvm_amd's: its
 * place in the parameters is in struct vp_svm_params, and only the _svm_
 * variants of those two functions walk it.
 */
enum vp_fact_kind {
	VP_FACT_BOOL,		/* "key 0|1", a bool */
	VP_FACT_KHZ,		/* "key <decimal kHz>", a u32 */
	VP_FACT_HEX32,		/* "key 0x<hex>", a u32 */
};

/* clang-format off */
#define VP_FACT(_key, _flag, _kind, _hdr, _param, _missing)		\
	{ .key = _key, .flag = _flag, .kind = _kind,			\
	  .hdr_off = offsetof(struct vp_snapshot_header, _hdr),	\
	  .param_off = offsetof(struct vp_params, _param),		\
	  .missing = _missing }
#define VP_SVM_FACT(_key, _flag, _kind, _hdr, _param)			\
	{ .key = _key, .flag = _flag, .kind = _kind, .svm = true,	\
	  .hdr_off = offsetof(struct vp_snapshot_header, _hdr),	\
	  .param_off = offsetof(struct vp_svm_params, _param) }
/* clang-format on */

static const struct vp_header_fact {
	const char *key;
	u32 flag;
	enum vp_fact_kind kind;
	size_t hdr_off;
	size_t param_off;
	const char *missing;
	bool svm;
} vp_header_facts[] = {
	VP_FACT("boot_cpu_intel", VP_SNAP_HAS_INTEL, VP_FACT_BOOL,
		boot_cpu_intel, boot_cpu_intel,
		"no 'boot_cpu_intel' line: the reader's default vendor applies"),
	VP_FACT("boot_cpu_nx", VP_SNAP_HAS_NX, VP_FACT_BOOL,
		boot_cpu_nx, boot_cpu_nx,
		"no 'boot_cpu_nx' line: the reader's default NX applies"),
	VP_FACT("boot_cpu_umip", VP_SNAP_HAS_UMIP, VP_FACT_BOOL,
		boot_cpu_umip, boot_cpu_umip,
		"no 'boot_cpu_umip' line: the reader's default UMIP applies"),
	VP_FACT("boot_cpu_mpx", VP_SNAP_HAS_MPX, VP_FACT_BOOL,
		boot_cpu_mpx, boot_cpu_mpx,
		"no 'boot_cpu_mpx' line: the reader's default MPX applies"),
	VP_FACT("tsc_khz", VP_SNAP_HAS_TSC_KHZ, VP_FACT_KHZ,
		tsc_khz, tsc_khz, NULL),
	VP_FACT("hyperv_evmcs", VP_SNAP_HAS_EVMCS, VP_FACT_BOOL,
		hyperv_evmcs, hyperv_evmcs_usable, NULL),
	/*
	 * What only the 7.x rows read (CET capabilities, the preemption
	 * timer's maximum).  Snapshots older than these lines are of hosts
	 * without CET, read as 0.
	 */
	VP_FACT("boot_cpu_shstk", VP_SNAP_HAS_SHSTK, VP_FACT_BOOL,
		boot_cpu_shstk, boot_cpu_shstk, NULL),
	VP_FACT("boot_cpu_ibt", VP_SNAP_HAS_IBT, VP_FACT_BOOL,
		boot_cpu_ibt, boot_cpu_ibt, NULL),
	VP_FACT("host_xss_cet", VP_SNAP_HAS_XSS_CET, VP_FACT_BOOL,
		host_xss_cet, host_xss_cet, NULL),
	VP_FACT("boot_cpu_hypervisor", VP_SNAP_HAS_HYPERVISOR, VP_FACT_BOOL,
		boot_cpu_hypervisor, boot_cpu_hypervisor, NULL),
	VP_FACT("cpuid15_eax", VP_SNAP_HAS_CPUID15_EAX, VP_FACT_HEX32,
		cpuid15_eax, cpuid15_eax, NULL),
	VP_FACT("cpuid15_ebx", VP_SNAP_HAS_CPUID15_EBX, VP_FACT_HEX32,
		cpuid15_ebx, cpuid15_ebx, NULL),
	/*
	 * The Kconfig of the kernel whose KVM is mirrored, where it changes
	 * the result or which kvm_intel parameters exist; a reader without
	 * these lines takes Debian's config of that KVM version.
	 */
	VP_FACT("config_x86_64", VP_SNAP_HAS_X86_64, VP_FACT_BOOL,
		config_x86_64, config_x86_64, NULL),
	VP_FACT("config_hyperv", VP_SNAP_HAS_HYPERV, VP_FACT_BOOL,
		config_hyperv, config_hyperv, NULL),
	VP_FACT("config_x86_sgx_kvm", VP_SNAP_HAS_SGX_KVM, VP_FACT_BOOL,
		config_x86_sgx_kvm, config_x86_sgx_kvm, NULL),
	VP_FACT("config_kvm_hyperv", VP_SNAP_HAS_KVM_HYPERV, VP_FACT_BOOL,
		config_kvm_hyperv, config_kvm_hyperv, NULL),
	VP_FACT("config_kvm_intel_prove_ve", VP_SNAP_HAS_PROVE_VE,
		VP_FACT_BOOL, config_kvm_intel_prove_ve,
		config_kvm_intel_prove_ve, NULL),
	/*
	 * kvm_amd's: the boot CPU's vendor (AMD or Hygon), SVM and SEV flags,
	 * family and model (7.x's avic=auto), and its SVM feature word.  A
	 * snapshot with boot_cpu_amd 1 is an SVM snapshot.
	 */
	VP_SVM_FACT("boot_cpu_amd", VP_SNAP_HAS_AMD, VP_FACT_BOOL,
		    boot_cpu_amd, boot_amd),
	VP_SVM_FACT("boot_cpu_svm", VP_SNAP_HAS_SVM, VP_FACT_BOOL,
		    boot_cpu_svm, boot_svm),
	VP_SVM_FACT("boot_cpu_sev", VP_SNAP_HAS_SEV, VP_FACT_BOOL,
		    boot_cpu_sev, boot_sev),
	VP_SVM_FACT("boot_cpu_family", VP_SNAP_HAS_FAMILY, VP_FACT_HEX32,
		    boot_cpu_family, boot_family),
	VP_SVM_FACT("boot_cpu_model", VP_SNAP_HAS_MODEL, VP_FACT_HEX32,
		    boot_cpu_model, boot_model),
	VP_SVM_FACT("boot_svm_edx", VP_SNAP_HAS_SVM_EDX, VP_FACT_HEX32,
		    boot_svm_edx, boot_svm_edx),
};

static const struct vp_header_fact *vp_fact_find(const struct vp_tok *key)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vp_header_facts); i++)
		if (vp_tok_is(key, vp_header_facts[i].key))
			return &vp_header_facts[i];
	return NULL;
}

/* The fact's place in a header or a struct vp_params. */
static void *vp_fact_at(const void *base, size_t off)
{
	return (char *)base + off;
}

static int vp_parse_bool(struct vp_parser *ps, bool *val)
{
	if (ps->ntok < 2)
		return vp_error(ps, "missing value", NULL, " (want 0 or 1)");
	if (vp_tok_is(&ps->tok[1], "0"))
		*val = false;
	else if (vp_tok_is(&ps->tok[1], "1"))
		*val = true;
	else
		return vp_error(ps, "bad value", &ps->tok[1], " (want 0 or 1)");
	return vp_no_more(ps, 2);
}

/* A line of the header_facts table. */
static int vp_parse_fact(struct vp_parser *ps, const struct vp_header_fact *f)
{
	struct vp_snapshot_header *hdr = &ps->snap->hdr;
	u64 khz;
	int ret;

	if (hdr->present & f->flag)
		return vp_error(ps, "duplicate", &ps->tok[0], NULL);
	hdr->present |= f->flag;
	if (f->kind == VP_FACT_BOOL)
		return vp_parse_bool(ps, vp_fact_at(hdr, f->hdr_off));
	if (f->kind == VP_FACT_HEX32) {
		ret = vp_value(ps, 1, " value", 32, &khz);
		if (ret)
			return ret;
		*(u32 *)vp_fact_at(hdr, f->hdr_off) = (u32)khz;
		return vp_no_more(ps, 2);
	}

	if (ps->ntok < 2)
		return vp_error(ps, "missing value", NULL, " (want decimal kHz)");
	ret = vp_tok_dec(&ps->tok[1], 0xffffffffULL, &khz);
	if (ret == -EINVAL)
		return vp_error(ps, "bad tsc_khz", &ps->tok[1],
				" (want decimal kHz)");
	if (ret)
		return vp_error(ps, "tsc_khz", &ps->tok[1],
				" out of range (32 bits)");
	*(u32 *)vp_fact_at(hdr, f->hdr_off) = (u32)khz;
	return vp_no_more(ps, 2);
}

/*
 * The value of a param line: 0 or 1 for a bool, else decimal up to @max
 * (@range names its width in the message).
 */
static int vp_parse_param_value(struct vp_parser *ps, bool is_bool, u64 max,
				const char *range, u64 *v)
{
	int ret;

	if (is_bool) {
		if (vp_tok_is(&ps->tok[2], "0"))
			*v = 0;
		else if (vp_tok_is(&ps->tok[2], "1"))
			*v = 1;
		else
			return vp_error(ps, "bad value", &ps->tok[2],
					" (want 0 or 1)");
	} else {
		ret = vp_tok_dec(&ps->tok[2], max, v);
		if (ret == -EINVAL)
			return vp_error(ps, "bad value", &ps->tok[2],
					" (want decimal)");
		if (ret)
			return vp_error(ps, "value", &ps->tok[2], range);
	}
	return vp_no_more(ps, 3);
}

/*
 * The value of a param line into @vals[@i], each name once: a bool (0 or
 * 1), else decimal up to @max (@range names its width in the message).
 */
static int vp_parse_param_into(struct vp_parser *ps, u32 *vals, u32 *present,
			       unsigned int i, bool is_bool, u64 max,
			       const char *range)
{
	u64 v;
	int ret;

	if (*present & BIT(i))
		return vp_error(ps, "duplicate param", &ps->tok[1], NULL);
	if (ps->ntok < 3)
		return vp_error(ps, "missing value of", &ps->tok[1], NULL);
	ret = vp_parse_param_value(ps, is_bool, max, range, &v);
	if (ret)
		return ret;
	vals[i] = (u32)v;
	*present |= BIT(i);
	return 0;
}

/*
 * "param <name> <value>": a kvm_intel parameter (a bool or a u32), or one
 * of kvm_amd's that kvm_intel lacks (a bool or a ushort); the names they
 * share are one parameter, as in the module.
 */
static int vp_parse_param(struct vp_parser *ps)
{
	struct vp_snapshot_header *hdr = &ps->snap->hdr;
	const struct vp_svm_param *sd;
	const struct vp_kvm_param *d;

	if (ps->ntok < 2)
		return vp_error(ps, "missing parameter name", NULL, NULL);
	d = vp_kvm_param_find(ps->tok[1].p, ps->tok[1].n);
	sd = vp_svm_param_find(ps->tok[1].p, ps->tok[1].n);
	if (d)
		return vp_parse_param_into(ps, hdr->param, &hdr->param_present,
					   d - vp_kvm_params,
					   d->type == VP_KVM_PARAM_BOOL,
					   0xffffffffULL,
					   " out of range (32 bits)");
	if (sd)
		return vp_parse_param_into(ps, hdr->svm_param,
					   &hdr->svm_param_present,
					   sd - vp_svm_params,
					   sd->type != VP_SVM_PARAM_USHORT,
					   0xffff, " out of range (16 bits)");
	return vp_error(ps, "unknown kvm_intel parameter", &ps->tok[1],
			" (nor kvm_amd's)");
}

static void vp_cpu_clear(struct vp_snapshot_cpu *c, u32 cpu)
{
	unsigned int i;

	c->cpu = cpu;
	c->present = 0;
	for (i = 0; i < VP_RAW_NR_MSRS; i++)
		c->raw.msr[i] = 0;
	for (i = 0; i < VP_RAW_NR_CPUID; i++)
		c->raw.cpuid_eax[i] = 0;
	c->raw.known = 0;
	c->raw.faulted = 0;
	c->raw.cpuid1_ecx = 0;
	c->svm_present = 0;
	c->svm = (struct vp_svm_cpu){ .vm_cr_fault = true };
}

static int vp_parse_cpu(struct vp_parser *ps)
{
	struct vp_snapshot *snap = ps->snap;
	unsigned int i;
	u64 cpu;
	int ret;

	if (ps->ntok < 2)
		return vp_error(ps, "missing cpu number", NULL, NULL);
	ret = vp_tok_dec(&ps->tok[1], VP_SNAPSHOT_CPU_LIMIT - 1, &cpu);
	if (ret == -EINVAL)
		return vp_error(ps, "bad cpu number", &ps->tok[1],
				" (want decimal)");
	if (ret)
		return vp_error(ps, "cpu number", &ps->tok[1],
				" out of range (max 8191)");
	ret = vp_no_more(ps, 2);
	if (ret)
		return ret;
	for (i = 0; i < snap->nr_cpus; i++)
		if (snap->cpus[i].cpu == cpu)
			return vp_error(ps, "duplicate cpu", &ps->tok[1], NULL);
	if (snap->nr_cpus >= VP_SNAPSHOT_MAX_CPUS)
		return vp_error(ps, "more than 256 cpu sections", NULL, NULL);
	ps->cur = &snap->cpus[snap->nr_cpus++];
	vp_cpu_clear(ps->cur, (u32)cpu);
	ps->cur->line = ps->line;
	ps->state = VP_ST_CPU;
	return 0;
}

static int vp_parse_cpuid1_ecx(struct vp_parser *ps)
{
	u64 v;
	int ret;

	if (ps->cur->present & VP_SNAP_CPU_HAS_CPUID1_ECX)
		return vp_error(ps, "duplicate 'cpuid1_ecx' in this cpu section",
				NULL, NULL);
	ret = vp_value(ps, 1, " value", 32, &v);
	if (!ret)
		ret = vp_no_more(ps, 2);
	if (ret)
		return ret;
	ps->cur->raw.cpuid1_ecx = (u32)v;
	ps->cur->present |= VP_SNAP_CPU_HAS_CPUID1_ECX;
	return 0;
}

static int vp_parse_cpuid(struct vp_parser *ps)
{
	u64 leaf, v;
	int ret, slot;

	if (ps->ntok < 2)
		return vp_error(ps, "missing CPUID leaf", NULL, NULL);
	ret = vp_tok_hex(&ps->tok[1], 0xffffffffULL, &leaf);
	slot = ret ? -1 : vp_raw_cpuid_slot((u32)leaf);
	if (ret == -EINVAL)
		return vp_error(ps, "bad CPUID leaf", &ps->tok[1], NULL);
	if (slot < 0)
		return vp_error(ps, "unknown CPUID leaf", &ps->tok[1],
				" (want 0x0, 0x1 or 0x12)");
	if (ps->cur->present & VP_SNAP_CPU_HAS_CPUID(slot))
		return vp_error(ps, "duplicate CPUID leaf", &ps->tok[1],
				" in this cpu section");
	ret = vp_value(ps, 2, " EAX value", 32, &v);
	if (!ret)
		ret = vp_no_more(ps, 3);
	if (ret)
		return ret;
	ps->cur->raw.cpuid_eax[slot] = (u32)v;
	ps->cur->present |= VP_SNAP_CPU_HAS_CPUID(slot);
	return 0;
}

static int vp_parse_msr(struct vp_parser *ps)
{
	struct vp_raw *raw = &ps->cur->raw;
	u64 index, v = 0;
	int ret, slot;

	if (ps->ntok < 2)
		return vp_error(ps, "missing MSR index", NULL, NULL);
	ret = vp_tok_hex(&ps->tok[1], 0xffffffffULL, &index);
	slot = ret ? -1 : vp_raw_slot((u32)index);
	if (ret == -EINVAL)
		return vp_error(ps, "bad MSR index", &ps->tok[1], NULL);
	if (slot < 0)
		return vp_error(ps, "unknown MSR", &ps->tok[1],
				" (want 0x3a or 0x480..0x493)");
	if (raw->known & BIT(slot))
		return vp_error(ps, "duplicate MSR", &ps->tok[1],
				" in this cpu section");
	if (ps->ntok >= 3 && vp_tok_is(&ps->tok[2], "fault")) {
		raw->faulted |= BIT(slot);
	} else {
		ret = vp_value(ps, 2, " MSR value", 64, &v);
		if (ret)
			return ret;
	}
	ret = vp_no_more(ps, 3);
	if (ret)
		return ret;
	raw->msr[slot] = v;
	raw->known |= BIT(slot);
	return 0;
}

/* A bool line of a cpu section's SVM facts, once per section. */
static int vp_parse_svm_bool(struct vp_parser *ps, u32 flag, bool *val)
{
	if (ps->cur->svm_present & flag)
		return vp_error(ps, "duplicate", &ps->tok[0],
				" in this cpu section");
	ps->cur->svm_present |= flag;
	return vp_parse_bool(ps, val);
}

/*
 * "cpuid_ext_ecx 0x<hex>" (CPUID 0x80000001 ECX) or "cpuid_svm <eax> <ebx>
 * <ecx> <edx>" (CPUID 0x8000000A): @n words of 32 bits.
 */
static int vp_parse_svm_words(struct vp_parser *ps, u32 flag, u32 *words,
			      unsigned int n)
{
	unsigned int i;
	u64 v;
	int ret;

	if (ps->cur->svm_present & flag)
		return vp_error(ps, "duplicate", &ps->tok[0],
				" in this cpu section");
	for (i = 0; i < n; i++) {
		ret = vp_value(ps, 1 + i, " value", 32, &v);
		if (ret)
			return ret;
		words[i] = (u32)v;
	}
	ret = vp_no_more(ps, 1 + n);
	if (ret)
		return ret;
	ps->cur->svm_present |= flag;
	return 0;
}

/* "vm_cr 0x<hex>" or "vm_cr fault": VM_CR (0xc0010114) on that CPU. */
static int vp_parse_vm_cr(struct vp_parser *ps)
{
	struct vp_svm_cpu *c = &ps->cur->svm;
	u64 v = 0;
	int ret;

	if (ps->cur->svm_present & VP_SNAP_SVM_HAS_VM_CR)
		return vp_error(ps, "duplicate", &ps->tok[0],
				" in this cpu section");
	c->vm_cr_fault = ps->ntok >= 2 && vp_tok_is(&ps->tok[1], "fault");
	if (!c->vm_cr_fault) {
		ret = vp_value(ps, 1, " MSR value", 64, &v);
		if (ret)
			return ret;
	}
	ret = vp_no_more(ps, 2);
	if (ret)
		return ret;
	c->vm_cr = v;
	ps->cur->svm_present |= VP_SNAP_SVM_HAS_VM_CR;
	return 0;
}

/* A cpu section's SVM line, or 1 if @key is none. */
static int vp_parse_svm_key(struct vp_parser *ps, const struct vp_tok *key)
{
	struct vp_svm_cpu *c = &ps->cur->svm;

	if (vp_tok_is(key, "vendor_amd"))
		return vp_parse_svm_bool(ps, VP_SNAP_SVM_HAS_VENDOR, &c->amd);
	if (vp_tok_is(key, "cpu_has_svm"))
		return vp_parse_svm_bool(ps, VP_SNAP_SVM_HAS_FLAG,
					 &c->cpu_has_svm);
	if (vp_tok_is(key, "cpuid_ext_ecx"))
		return vp_parse_svm_words(ps, VP_SNAP_SVM_HAS_EXT_ECX,
					  &c->ext_ecx, 1);
	if (vp_tok_is(key, "cpuid_svm"))
		return vp_parse_svm_words(ps, VP_SNAP_SVM_HAS_LEAF, c->svm_leaf,
					  4);
	if (vp_tok_is(key, "vm_cr"))
		return vp_parse_vm_cr(ps);
	return 1;
}

static bool vp_is_svm_cpu_key(const struct vp_tok *key)
{
	return vp_tok_is(key, "vendor_amd") || vp_tok_is(key, "cpu_has_svm") ||
	       vp_tok_is(key, "cpuid_ext_ecx") || vp_tok_is(key, "cpuid_svm") ||
	       vp_tok_is(key, "vm_cr");
}

/* One line that is neither blank nor a comment, after the magic line. */
static int vp_parse_key(struct vp_parser *ps)
{
	struct vp_snapshot_header *hdr = &ps->snap->hdr;
	const struct vp_tok *key = &ps->tok[0];
	const struct vp_header_fact *fact = vp_fact_find(key);
	bool header_key = fact || vp_tok_is(key, "source") ||
			  vp_tok_is(key, "kvm") || vp_tok_is(key, "param");
	bool cpu_key = vp_tok_is(key, "cpuid1_ecx") ||
		       vp_tok_is(key, "cpuid") || vp_tok_is(key, "msr") ||
		       vp_is_svm_cpu_key(key);

	if (header_key && ps->state != VP_ST_HEADER)
		return vp_error(ps, "header key", key,
				" after the first cpu section");
	if (cpu_key && ps->state != VP_ST_CPU)
		return vp_error(ps, "key", key, " outside a cpu section");

	if (vp_tok_is(key, "source")) {
		if (hdr->present & VP_SNAP_HAS_SOURCE)
			return vp_error(ps, "duplicate", key, NULL);
		hdr->present |= VP_SNAP_HAS_SOURCE;
		return vp_parse_source(ps);
	}
	if (vp_tok_is(key, "kvm")) {
		if (hdr->present & VP_SNAP_HAS_KVM)
			return vp_error(ps, "duplicate", key, NULL);
		hdr->present |= VP_SNAP_HAS_KVM;
		return vp_parse_kvm(ps);
	}
	if (fact)
		return vp_parse_fact(ps, fact);
	if (vp_tok_is(key, "param"))
		return vp_parse_param(ps);
	if (vp_tok_is(key, "cpu"))
		return vp_parse_cpu(ps);
	if (vp_tok_is(key, "cpuid1_ecx"))
		return vp_parse_cpuid1_ecx(ps);
	if (vp_tok_is(key, "cpuid"))
		return vp_parse_cpuid(ps);
	if (vp_tok_is(key, "msr"))
		return vp_parse_msr(ps);
	if (cpu_key)
		return vp_parse_svm_key(ps, key);
	if (vp_tok_is(key, "end")) {
		if (!ps->snap->nr_cpus)
			return vp_error(ps, "no cpu section before 'end'",
					NULL, NULL);
		ps->state = VP_ST_END;
		return vp_no_more(ps, 1);
	}
	return vp_error(ps, "unknown key", key, NULL);
}

/*
 * Split one line into tokens.  A token starting with '#' starts a comment
 * that runs to the end of the line; the text of a source line (ps->rest)
 * is everything after the key, '#' included.
 */
static void vp_tokenize(struct vp_parser *ps, const char *p, size_t n)
{
	size_t i = 0;

	ps->ntok = 0;
	ps->rest.p = p;
	ps->rest.n = 0;
	while (i < n) {
		size_t start;

		if (vp_is_space(p[i])) {
			i++;
			continue;
		}
		start = i;
		if (ps->ntok == 1 && !ps->rest.n) {
			size_t end = n;

			while (end > start && vp_is_space(p[end - 1]))
				end--;
			ps->rest.p = p + start;
			ps->rest.n = end - start;
		}
		if (p[i] == '#')
			break;
		while (i < n && !vp_is_space(p[i]))
			i++;
		if (ps->ntok == VP_MAX_TOKS)
			break;
		ps->tok[ps->ntok].p = p + start;
		ps->tok[ps->ntok].n = i - start;
		ps->ntok++;
	}
}

static void vp_snapshot_clear(struct vp_snapshot *snap)
{
	snap->hdr.present = 0;
	snap->hdr.source[0] = '\0';
	snap->hdr.kvm = VP_KVM_6_1;
	snap->hdr.boot_cpu_intel = false;
	snap->hdr.boot_cpu_nx = false;
	snap->hdr.boot_cpu_umip = false;
	snap->hdr.boot_cpu_mpx = false;
	snap->hdr.tsc_khz = 0;
	snap->hdr.hyperv_evmcs = false;
	snap->hdr.param_present = 0;
	snap->hdr.svm_param_present = 0;
	snap->magic_line = 0;
	snap->nr_cpus = 0;
}

int vp_snapshot_parse(const char *buf, size_t len, struct vp_snapshot *snap,
		      struct vp_snapshot_error *err)
{
	struct vp_parser ps = {
		.snap = snap,
		.err = err,
		.state = VP_ST_MAGIC,
	};
	size_t pos = 0;
	int ret;

	vp_snapshot_clear(snap);
	if (len > VP_SNAPSHOT_MAX_SIZE) {
		/* Blame the line holding the first byte over the limit. */
		ps.line = 1;
		for (pos = 0; pos < VP_SNAPSHOT_MAX_SIZE; pos++)
			if (buf[pos] == '\n')
				ps.line++;
		vp_error(&ps, "input larger than 1048576 bytes", NULL, NULL);
		return -E2BIG;
	}
	while (pos < len) {
		size_t start = pos;
		const char *line = buf + pos;

		while (pos < len && buf[pos] != '\n') {
			if (!buf[pos]) {
				ps.line++;
				return vp_error(&ps, "NUL byte in line", NULL,
						NULL);
			}
			pos++;
		}
		ps.line++;
		vp_tokenize(&ps, line, pos - start);
		if (pos < len)
			pos++;		/* the newline */
		if (!ps.ntok)
			continue;	/* blank or comment */
		switch (ps.state) {
		case VP_ST_MAGIC:
			ret = vp_parse_magic(&ps);
			break;
		case VP_ST_END:
			ret = vp_error(&ps, "text after 'end'", NULL, NULL);
			break;
		default:
			ret = vp_parse_key(&ps);
			break;
		}
		if (ret)
			return ret;
	}
	if (!ps.line)
		ps.line = 1;
	if (ps.state == VP_ST_MAGIC)
		return vp_error(&ps, "missing 'vmcs_probe-snapshot 1' line",
				NULL, NULL);
	if (ps.state != VP_ST_END)
		return vp_error(&ps, "missing 'end' line", NULL, NULL);
	return 0;
}

/* ---- the emitter ---- */

/* "param <name> <value>", a bool as 0 or 1. */
static int vp_emit_param(vp_line_fn line, void *ctx, const char *name,
			 bool is_bool, u32 v)
{
	char key[VP_TEXT_LINE_MAX];
	struct vp_text t;

	vp_text_init(&t, key, sizeof(key));
	vp_text_str(&t, "param ");
	vp_text_str(&t, name);
	return vp_line_sdec(line, ctx, key, is_bool ? !!v : v);
}

int vp_snapshot_emit_header(const struct vp_snapshot_header *hdr,
			    vp_line_fn line, void *ctx)
{
	char buf[VP_SNAPSHOT_LINE_MAX];
	struct vp_text t;
	unsigned int i;
	int ret;

	ret = line(ctx, VP_SNAPSHOT_MAGIC " 1");
	if (ret)
		return ret;
	if (hdr->present & VP_SNAP_HAS_SOURCE && hdr->source[0]) {
		vp_text_init(&t, buf, sizeof(buf));
		vp_text_str(&t, "source ");
		/* Keep the line parseable whatever the caller put there. */
		for (i = 0; i < VP_SNAPSHOT_SOURCE_MAX - 1 && hdr->source[i];
		     i++) {
			char c = hdr->source[i];

			vp_text_chr(&t, c < 0x20 || c > 0x7e ? '?' : c);
		}
		while (t.len > 7 && t.buf[t.len - 1] == ' ')
			t.buf[--t.len] = '\0';
		if (t.len > 7)
			ret = line(ctx, buf);
	}
	if (!ret && hdr->present & VP_SNAP_HAS_KVM)
		ret = vp_line_word(line, ctx, "kvm", vp_kvm_name(hdr->kvm));
	for (i = 0; !ret && i < ARRAY_SIZE(vp_header_facts); i++) {
		const struct vp_header_fact *f = &vp_header_facts[i];
		const void *at = vp_fact_at(hdr, f->hdr_off);

		if (!(hdr->present & f->flag))
			continue;
		if (f->kind == VP_FACT_HEX32)
			ret = vp_line_hex(line, ctx, f->key, *(const u32 *)at, 8);
		else if (f->kind == VP_FACT_BOOL)
			ret = vp_line_sdec(line, ctx, f->key, *(const bool *)at);
		else
			ret = vp_line_sdec(line, ctx, f->key, *(const u32 *)at);
	}
	for (i = 0; !ret && i < VP_NR_KVM_PARAMS; i++) {
		const struct vp_kvm_param *d = &vp_kvm_params[i];

		if (hdr->param_present & BIT(i))
			ret = vp_emit_param(line, ctx, d->name,
					    d->type == VP_KVM_PARAM_BOOL,
					    hdr->param[i]);
	}
	for (i = 0; !ret && i < VP_SVM_NR_PARAMS; i++) {
		const struct vp_svm_param *d = &vp_svm_params[i];

		if (hdr->svm_param_present & BIT(i))
			ret = vp_emit_param(line, ctx, d->name,
					    d->type != VP_SVM_PARAM_USHORT,
					    hdr->svm_param[i]);
	}
	return ret;
}

/*
 * The header's facts of one engine (@svm: kvm_amd's rows) from the
 * engine's parameters @p (to_header), or those the header gives into @p.
 */
static void vp_fact_copy(const struct vp_header_fact *f, void *dst,
			 size_t dst_off, const void *src, size_t src_off)
{
	if (f->kind == VP_FACT_BOOL)
		*(bool *)vp_fact_at(dst, dst_off) =
			*(const bool *)vp_fact_at(src, src_off);
	else
		*(u32 *)vp_fact_at(dst, dst_off) =
			*(const u32 *)vp_fact_at(src, src_off);
}

static void vp_facts_to_header(struct vp_snapshot_header *hdr, const void *p,
			       bool svm)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vp_header_facts); i++) {
		const struct vp_header_fact *f = &vp_header_facts[i];

		if (f->svm != svm)
			continue;
		hdr->present |= f->flag;
		vp_fact_copy(f, hdr, f->hdr_off, p, f->param_off);
	}
}

static void vp_facts_from_header(const struct vp_snapshot_header *hdr,
				 void *p, bool svm)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vp_header_facts); i++) {
		const struct vp_header_fact *f = &vp_header_facts[i];

		if (f->svm == svm && (hdr->present & f->flag))
			vp_fact_copy(f, p, f->param_off, hdr, f->hdr_off);
	}
}

void vp_snapshot_header_set_params(struct vp_snapshot_header *hdr,
				   const struct vp_params *p)
{
	unsigned int i;

	vp_facts_to_header(hdr, p, false);
	hdr->param_present = 0;
	for (i = 0; i < VP_NR_KVM_PARAMS; i++) {
		if (!vp_kvm_param_exists(p, &vp_kvm_params[i]))
			continue;
		hdr->param[i] = vp_kvm_param_get(p, &vp_kvm_params[i]);
		hdr->param_present |= BIT(i);
	}
}

void vp_snapshot_header_set_svm_params(struct vp_snapshot_header *hdr,
				       const struct vp_svm_params *p)
{
	unsigned int i;

	vp_facts_to_header(hdr, p, true);
	hdr->svm_param_present = 0;
	for (i = 0; i < VP_SVM_NR_PARAMS; i++) {
		const struct vp_svm_param *d = &vp_svm_params[i];

		if (!vp_svm_param_exists(p->kvm, d) ||
		    vp_kvm_param_find(d->name, vp_name_len(d->name)) ||
		    (d->offset == offsetof(struct vp_svm_params, avic) &&
		     p->avic_auto))
			continue;
		hdr->svm_param[i] = vp_svm_param_get(p, d);
		hdr->svm_param_present |= BIT(i);
	}
}

int vp_snapshot_emit_cpu(u32 cpu, const struct vp_raw *raw,
			 vp_line_fn line, void *ctx)
{
	char key[VP_TEXT_LINE_MAX];
	struct vp_text t;
	unsigned int i;
	int ret;

	ret = vp_line_sdec(line, ctx, "cpu", cpu);
	if (!ret)
		ret = vp_line_hex(line, ctx, "cpuid1_ecx", raw->cpuid1_ecx, 8);
	for (i = 0; !ret && i < VP_RAW_NR_CPUID; i++) {
		vp_text_init(&t, key, sizeof(key));
		vp_text_str(&t, "cpuid ");
		vp_text_hex(&t, vp_raw_cpuid_leaves[i], 1);
		ret = vp_line_hex(line, ctx, key, raw->cpuid_eax[i], 8);
	}
	for (i = 0; !ret && i < VP_RAW_NR_MSRS; i++) {
		if (!(raw->known & BIT(i)))
			continue;
		vp_text_init(&t, key, sizeof(key));
		vp_text_str(&t, "msr ");
		vp_text_hex(&t, vp_msrs[i].index, 1);
		if (raw->faulted & BIT(i))
			ret = vp_line_word(line, ctx, key, "fault");
		else
			ret = vp_line_hex(line, ctx, key, raw->msr[i], 16);
	}
	return ret;
}

int vp_snapshot_emit_svm_cpu(const struct vp_svm_cpu *c, u32 present,
			     vp_line_fn line, void *ctx)
{
	int ret = 0;

	if (present & VP_SNAP_SVM_HAS_VENDOR)
		ret = vp_line_sdec(line, ctx, "vendor_amd", c->amd);
	if (!ret && present & VP_SNAP_SVM_HAS_FLAG)
		ret = vp_line_sdec(line, ctx, "cpu_has_svm", c->cpu_has_svm);
	if (!ret && present & VP_SNAP_SVM_HAS_EXT_ECX)
		ret = vp_line_hex(line, ctx, "cpuid_ext_ecx", c->ext_ecx, 8);
	if (!ret && present & VP_SNAP_SVM_HAS_LEAF)
		ret = vp_line_words(line, ctx, "cpuid_svm", c->svm_leaf, 4);
	if (ret || !(present & VP_SNAP_SVM_HAS_VM_CR))
		return ret;
	if (c->vm_cr_fault)
		return vp_line_word(line, ctx, "vm_cr", "fault");
	return vp_line_hex(line, ctx, "vm_cr", c->vm_cr, 16);
}

int vp_snapshot_emit_end(vp_line_fn line, void *ctx)
{
	return line(ctx, "end");
}

int vp_snapshot_emit(const struct vp_snapshot *snap,
		     vp_line_fn line, void *ctx)
{
	unsigned int i;
	int ret;

	ret = vp_snapshot_emit_header(&snap->hdr, line, ctx);
	for (i = 0; !ret && i < snap->nr_cpus && i < VP_SNAPSHOT_MAX_CPUS; i++) {
		const struct vp_snapshot_cpu *c = &snap->cpus[i];

		ret = vp_snapshot_emit_cpu(c->cpu, &c->raw, line, ctx);
		if (!ret)
			ret = vp_snapshot_emit_svm_cpu(&c->svm, c->svm_present,
						       line, ctx);
	}
	return ret ? ret : vp_snapshot_emit_end(line, ctx);
}

/* ---- using a snapshot ---- */

static const struct {
	u32 flag;
	const char *msg;
} vp_cpu_facts[] = {
	{ VP_SNAP_CPU_HAS_CPUID1_ECX,
	  "no 'cpuid1_ecx' line in this cpu section: 0, no VMX" },
	{ VP_SNAP_CPU_HAS_CPUID(0),
	  "no 'cpuid 0x0' line in this cpu section: 0, no SGX leaf" },
	{ VP_SNAP_CPU_HAS_CPUID(1),
	  "no 'cpuid 0x1' line in this cpu section: signature 0, no erratum matches" },
	{ VP_SNAP_CPU_HAS_CPUID(2),
	  "no 'cpuid 0x12' line in this cpu section: 0, no SGX" },
};

unsigned int vp_snapshot_check(const struct vp_snapshot *snap,
			       vp_snapshot_warn_fn warn, void *ctx)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(vp_header_facts); i++) {
		if (!vp_header_facts[i].missing ||
		    (snap->hdr.present & vp_header_facts[i].flag))
			continue;
		warn(ctx, snap->magic_line, vp_header_facts[i].missing);
		n++;
	}
	for (i = 0; i < snap->nr_cpus && i < VP_SNAPSHOT_MAX_CPUS; i++) {
		const struct vp_snapshot_cpu *c = &snap->cpus[i];

		for (j = 0; j < ARRAY_SIZE(vp_cpu_facts); j++) {
			if (c->present & vp_cpu_facts[j].flag)
				continue;
			warn(ctx, c->line, vp_cpu_facts[j].msg);
			n++;
		}
	}
	return n;
}

const struct vp_snapshot_cpu *vp_snapshot_find_cpu(const struct vp_snapshot *snap,
						   u32 cpu)
{
	unsigned int i;

	if (!snap->nr_cpus)
		return NULL;
	for (i = 0; i < snap->nr_cpus && i < VP_SNAPSHOT_MAX_CPUS; i++)
		if (snap->cpus[i].cpu == cpu)
			return &snap->cpus[i];
	return &snap->cpus[0];
}

/* 7.x's VMXON revision: the boot CPU's IA32_VMX_BASIC, as captured. */
static void vp_snapshot_boot_vmx_basic(const struct vp_snapshot_cpu *boot,
				       struct vp_params *p)
{
	int slot = vp_raw_slot(VP_MSR_VMX_BASIC);

	p->boot_vmx_basic_known = false;
	if (!boot || slot < 0 || !(boot->raw.known & BIT(slot)) ||
	    boot->raw.faulted & BIT(slot))
		return;
	p->boot_vmx_basic = boot->raw.msr[slot];
	p->boot_vmx_basic_known = true;
}

void vp_snapshot_fill_params(const struct vp_snapshot_header *hdr,
			     const struct vp_snapshot_cpu *boot,
			     struct vp_params *p)
{
	int slot = vp_raw_cpuid_slot(0x1);
	unsigned int i;

	vp_facts_from_header(hdr, p, false);
	for (i = 0; i < VP_NR_KVM_PARAMS; i++)
		if (hdr->param_present & BIT(i))
			vp_kvm_param_set(p, &vp_kvm_params[i], hdr->param[i]);
	if (boot && slot >= 0)
		p->boot_cpuid_sig = boot->raw.cpuid_eax[slot];
	vp_snapshot_boot_vmx_basic(boot, p);
}

void vp_snapshot_fill_svm_params(const struct vp_snapshot_header *hdr,
				 struct vp_svm_params *p)
{
	unsigned int i;

	vp_facts_from_header(hdr, p, true);
	if (hdr->present & VP_SNAP_HAS_NX)
		p->boot_nx = hdr->boot_cpu_nx;
	if (hdr->present & VP_SNAP_HAS_X86_64)
		p->config_x86_64 = hdr->config_x86_64;
	for (i = 0; i < VP_SVM_NR_PARAMS; i++) {
		const struct vp_svm_param *d = &vp_svm_params[i];
		const struct vp_kvm_param *k;

		k = vp_kvm_param_find(d->name, vp_name_len(d->name));
		if (k && hdr->param_present & BIT(k - vp_kvm_params)) {
			vp_svm_param_set(p, d, hdr->param[k - vp_kvm_params]);
		} else if (hdr->svm_param_present & BIT(i)) {
			vp_svm_param_set(p, d, hdr->svm_param[i]);
			if (d->offset == offsetof(struct vp_svm_params, avic))
				p->avic_auto = false;
		}
	}
}

bool vp_snapshot_is_svm(const struct vp_snapshot *snap)
{
	return (snap->hdr.present & VP_SNAP_HAS_AMD) && snap->hdr.boot_cpu_amd;
}
