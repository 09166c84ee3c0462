// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers of everything vmcsctl reads: the module's sysfs and debugfs
 * files (formats in sysfs-abi/) and snapshot files.  They take a buffer
 * and its length, trust nothing in it, and report the first problem as
 * "FILE:LINE: message" with exit code EXIT_MALFORMED.  No I/O here: the
 * reading is load.c's, and the fuzz targets drive these functions
 * directly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "vmcsctl.h"

#define LINE_MAX_LEN	1024
#define U32_ALL		0xffffffffULL
#define TOKS_MAX	16

struct lines {
	const struct text *t;
	size_t pos;
	unsigned int no;		/* 1-based number of the current line */
	char buf[LINE_MAX_LEN];
	char *tok[TOKS_MAX];
	unsigned int ntok;
};

static int perr(const struct lines *l, const char *fmt, ...) __printf(2, 3);

/* "NAME:LINE: message", or "NAME: message" for line 0. */
static int text_verr(const struct text *t, unsigned int line, const char *fmt,
		     va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line)
		vmcsctl_err("%s:%u: %s", t->name, line, msg);
	else
		vmcsctl_err("%s: %s", t->name, msg);
	return EXIT_MALFORMED;
}

static int perr(const struct lines *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_verr(l->t, l->no, fmt, ap);
	va_end(ap);
	return EXIT_MALFORMED;
}

int text_err(const struct text *t, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_verr(t, line, fmt, ap);
	va_end(ap);
	return EXIT_MALFORMED;
}

const char *text_line(const struct text *t, size_t *pos, size_t *len)
{
	const char *line, *nl;

	if (*pos >= t->len)
		return NULL;
	line = t->buf + *pos;
	nl = memchr(line, '\n', t->len - *pos);
	*len = nl ? (size_t)(nl - line) : t->len - *pos;
	*pos += *len + (nl ? 1 : 0);
	return line;
}

static void lines_init(struct lines *l, const struct text *t)
{
	l->t = t;
	l->pos = 0;
	l->no = 0;
	l->ntok = 0;
}

/*
 * The next non-blank line, split into words at blanks.  Returns 1 with a
 * line, 0 at the end, or an exit code (negated) on a bad line.
 */
static int next_line(struct lines *l)
{
	char *save = NULL, *w;
	const char *line;
	size_t n;

	while ((line = text_line(l->t, &l->pos, &n))) {
		l->no++;
		if (memchr(line, '\0', n))
			return -perr(l, "NUL byte in line");
		if (n >= sizeof(l->buf))
			return -perr(l, "line longer than %d bytes",
				     LINE_MAX_LEN - 1);
		memcpy(l->buf, line, n);
		l->buf[n] = '\0';
		l->ntok = 0;
		for (w = strtok_r(l->buf, " \t\r", &save); w;
		     w = strtok_r(NULL, " \t\r", &save)) {
			if (l->ntok == TOKS_MAX)
				return -perr(l, "too many words");
			l->tok[l->ntok++] = w;
		}
		if (l->ntok)
			return 1;
	}
	l->no++;
	return 0;
}

/* The next line, which must exist: 0 or an exit code. */
static int need_line(struct lines *l, const char *what)
{
	int r = next_line(l);

	if (r < 0)
		return -r;
	if (!r)
		return perr(l, "missing %s (file truncated?)", what);
	return 0;
}

bool parse_uint(const char *s, unsigned long long max,
		unsigned long long *val)
{
	u64 v;

	if (vp_dec_parse(s, strlen(s), max, &v))
		return false;
	*val = v;
	return true;
}

static bool parse_hex(const char *s, unsigned long long max,
		      unsigned long long *val)
{
	u64 v;

	if (vp_hex_parse(s, strlen(s), max, &v))
		return false;
	*val = v;
	return true;
}

bool parse_cpu_name(const char *s, unsigned int *cpu)
{
	unsigned long long v;

	if (strncmp(s, "cpu", 3) || !parse_uint(s + 3, VP_SNAPSHOT_CPU_LIMIT - 1,
						&v))
		return false;
	*cpu = (unsigned int)v;
	return true;
}

bool parse_kvm(const char *s, enum vp_kvm *kvm)
{
	return vp_kvm_parse(s, strlen(s), kvm);
}

const char *names_list(char *buf, size_t size, const char * const *names)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i] && n < size; i++) {
		const char *sep = names[i + 1] ? ", " : " or ";

		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				      i ? sep : "", names[i]);
	}
	return buf;
}

const char *kvm_names_list(void)
{
	static const char *names[VP_KVM_NR + 1];
	static char buf[128];
	enum vp_kvm k;

	if (buf[0])
		return buf;
	for (k = 0; k < VP_KVM_NR; k++)
		names[k] = vp_kvm_name(k);
	return names_list(buf, sizeof(buf), names);
}

static bool is_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '.' || *s == '-' || *s == ','))
			return false;
	return true;
}

static bool in_list(const char *s, const char * const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* Is @s one of the @n names of @names (report.h's tables)? */
static bool in_names(const char *s, const char * const *names, unsigned int n)
{
	while (n--)
		if (!strcmp(s, names[n]))
			return true;
	return false;
}

/* Copy a word of at most @size - 1 bytes. */
static int copy_word(struct lines *l, char *dst, size_t size,
		     const char *src, const char *what)
{
	if (!is_word(src) || strlen(src) >= size)
		return perr(l, "bad %s '%.40s'", what, src);
	str_copy(dst, size, src);
	return 0;
}

/* "key value" with exactly two words. */
static int want_pair(struct lines *l, const char *key)
{
	if (strcmp(l->tok[0], key))
		return perr(l, "expected '%s', found '%.40s'", key, l->tok[0]);
	if (l->ntok != 2)
		return perr(l, "expected '%s <value>'", key);
	return 0;
}

/* Start reading @t: its version line, and generation line if @gen. */
static int header(struct lines *l, const struct text *t,
		  unsigned long long *gen)
{
	unsigned long long v;
	int ret;

	lines_init(l, t);
	ret = need_line(l, "version line");
	if (ret)
		return ret;
	ret = want_pair(l, "version");
	if (ret)
		return ret;
	if (strcmp(l->tok[1], "1"))
		return perr(l, "unsupported format version '%.20s' (want 1)",
			    l->tok[1]);
	if (!gen)
		return 0;
	ret = need_line(l, "generation line");
	if (!ret)
		ret = want_pair(l, "generation");
	if (ret)
		return ret;
	if (!parse_uint(l->tok[1], ~0ULL, &v))
		return perr(l, "bad generation '%.40s'", l->tok[1]);
	*gen = v;
	return 0;
}

/* A file that holds one word (or number) and a newline. */
static int one_word(const struct text *t, struct lines *l, char *word,
		    size_t size)
{
	int r;

	lines_init(l, t);
	r = next_line(l);
	if (r < 0)
		return -r;
	if (!r)
		return perr(l, "empty");
	if (l->ntok != 1 || strlen(l->tok[0]) >= size)
		return perr(l, "expected one word");
	str_copy(word, size, l->tok[0]);
	r = next_line(l);
	if (r < 0)
		return -r;
	if (r)
		return perr(l, "unexpected text '%.40s'", l->tok[0]);
	return 0;
}

int parse_status_word(const struct text *t, char *word)
{
	struct lines l;
	int ret = one_word(t, &l, word, WORD_MAX);

	if (ret)
		return ret;
	l.no = 1;
	if (!in_names(word, vp_overall_names, VP_NR_OVERALL))
		return perr(&l, "unknown status '%.40s'", word);
	return 0;
}

int parse_generation(const struct text *t, unsigned long long *gen)
{
	char word[WORD_MAX];
	struct lines l;
	int ret = one_word(t, &l, word, sizeof(word));

	if (ret)
		return ret;
	l.no = 1;
	if (!parse_uint(word, ~0ULL, gen))
		return perr(&l, "bad generation '%s'", word);
	return 0;
}

int parse_choice(const struct text *t, struct choice *c)
{
	struct lines l;
	unsigned int i;
	int r;

	lines_init(&l, t);
	r = next_line(&l);
	if (r < 0)
		return -r;
	if (!r)
		return perr(&l, "empty");
	if (l.ntok > MODES_MAX)
		return perr(&l, "more than %d choices", MODES_MAX);
	c->nr = 0;
	c->current = -1;
	for (i = 0; i < l.ntok; i++) {
		char *w = l.tok[i];
		size_t n = strlen(w);

		if (w[0] == '[' && n > 2 && w[n - 1] == ']') {
			if (c->current >= 0)
				return perr(&l, "more than one current choice");
			c->current = (int)i;
			w[n - 1] = '\0';
			w++;
		}
		r = copy_word(&l, c->words[i], WORD_MAX, w, "choice");
		if (r)
			return r;
		c->nr++;
	}
	if (c->current < 0)
		return perr(&l, "no current choice in brackets");
	r = next_line(&l);
	if (r < 0)
		return -r;
	if (r)
		return perr(&l, "unexpected text '%.40s'", l.tok[0]);
	return 0;
}

static void field_set(struct vp_config *cfg, const struct vp_field *f, u64 v)
{
	char *p = (char *)cfg + f->offset;

	if (f->size == 4) {
		u32 w = (u32)v;

		memcpy(p, &w, sizeof(w));
	} else {
		memcpy(p, &v, sizeof(v));
	}
}

enum {
	SEEN_GEN,
	SEEN_KVM,
	SEEN_MODE,
	SEEN_CPU,
	SEEN_RESULT,
	SEEN_WARN,
	SEEN_REQUIRED,
	/* optional */
	SEEN_ERROR_MSR = SEEN_REQUIRED,
	SEEN_ERROR_BITS,
	SEEN_NR
};

/* A CPU number, or -1 where the module has none (no run yet). */
static bool parse_cpu_or_none(const char *s, int *cpu)
{
	unsigned long long v;

	if (!strcmp(s, "-1")) {
		*cpu = -1;
		return true;
	}
	if (!parse_uint(s, VP_SNAPSHOT_CPU_LIMIT - 1, &v))
		return false;
	*cpu = (int)v;
	return true;
}

int parse_config(const struct text *t, struct config_file *c)
{
	static const char * const keys[SEEN_NR] = {
		"generation", "kvm", "mode", "cpu", "result", "warnings",
		"error_msr", "error_bits"
	};
	unsigned char seen_field[64] = { 0 };
	unsigned int seen = 0, i;
	unsigned long long v, max;
	struct lines l;
	int ret, r;

	memset(c, 0, sizeof(*c));
	ret = header(&l, t, NULL);
	if (ret)
		return ret;
	while ((r = next_line(&l)) > 0) {
		const char *key = l.tok[0];
		const struct vp_field *f = vp_field_find(key);
		int k;

		if (f) {
			unsigned int idx = (unsigned int)(f - vp_fields);

			if (seen_field[idx])
				return perr(&l, "duplicate field '%s'", key);
			if (l.ntok != 2)
				return perr(&l, "expected '%s 0x<value>'", key);
			if (!parse_hex(l.tok[1], f->size == 4 ? U32_ALL : ~0ULL,
				       &v))
				return perr(&l, "bad value '%.40s' for %s",
					    l.tok[1], key);
			field_set(&c->cfg, f, v);
			seen_field[idx] = 1;
			continue;
		}
		for (k = 0; k < SEEN_NR; k++)
			if (!strcmp(key, keys[k]))
				break;
		if (k == SEEN_NR)
			return perr(&l, "unknown key '%.40s'", key);
		if (seen & (1u << k))
			return perr(&l, "duplicate '%s'", key);
		seen |= 1u << k;
		switch (k) {
		case SEEN_GEN:
			if (l.ntok != 2 || !parse_uint(l.tok[1], ~0ULL,
						       &c->generation))
				return perr(&l, "bad generation");
			break;
		case SEEN_KVM:
			if (l.ntok != 2 || !parse_kvm(l.tok[1], &c->kvm))
				return perr(&l, "bad kvm (want %s)",
					    kvm_names_list());
			break;
		case SEEN_MODE:
			if (l.ntok != 2)
				return perr(&l, "expected 'mode <name>'");
			ret = copy_word(&l, c->mode, sizeof(c->mode), l.tok[1],
					"mode");
			if (ret)
				return ret;
			break;
		case SEEN_CPU:
			if (l.ntok != 2 || !parse_cpu_or_none(l.tok[1], &c->cpu))
				return perr(&l, "bad cpu");
			break;
		case SEEN_ERROR_MSR:
		case SEEN_ERROR_BITS:
			max = k == SEEN_ERROR_MSR ? U32_ALL : ~0ULL;
			if (l.ntok != 2 || !parse_hex(l.tok[1], max, &v))
				return perr(&l, "expected '%s 0x<value>'", key);
			if (k == SEEN_ERROR_MSR)
				c->error_msr = (u32)v;
			else
				c->error_bits = v;
			break;
		case SEEN_RESULT: {
			const char *n = l.tok[1];
			bool neg = l.ntok == 3 && n[0] == '-';

			if (l.ntok != 3 || !parse_uint(n + neg, 4095, &v))
				return perr(&l, "expected 'result <errno> <reason>'");
			c->result = neg ? -(int)v : (int)v;
			ret = copy_word(&l, c->reason, sizeof(c->reason),
					l.tok[2], "reason");
			if (ret)
				return ret;
			break;
		}
		case SEEN_WARN:
			if (l.ntok != 2)
				return perr(&l, "expected 'warnings <none|name,...>'");
			ret = copy_word(&l, c->warnings, sizeof(c->warnings),
					l.tok[1], "warnings");
			if (ret)
				return ret;
			break;
		}
	}
	if (r < 0)
		return -r;
	for (i = 0; i < SEEN_REQUIRED; i++)
		if (!(seen & (1u << i)))
			return perr(&l, "missing '%s' line", keys[i]);
	for (i = 0; i < vp_nr_fields; i++)
		if (!seen_field[i])
			return perr(&l, "missing field '%s'", vp_fields[i].name);
	c->cfg.kvm = c->kvm;
	c->cfg.nested_enabled = c->cfg.nested.basic != 0;
	return 0;
}

/* Every comma-separated name in @s is a field of vp_fields[]. */
static int check_fields(struct lines *l, const char *s)
{
	char buf[FIELDS_MAX], *save = NULL, *w;

	if (strlen(s) >= sizeof(buf))
		return perr(l, "field list too long");
	str_copy(buf, sizeof(buf), s);
	if (!buf[0] || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return perr(l, "bad field list '%.40s'", s);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if (!vp_field_find(w))
			return perr(l, "unknown field '%.40s'", w);
	return 0;
}

/* The CPUs a per-CPU file has had a line for. */
struct cpu_seen {
	unsigned char bits[VP_SNAPSHOT_CPU_LIMIT / 8];
};

/* The N of a "cpu<N> ..." line, not in @seen yet: 0 or an exit code. */
static int line_cpu(struct lines *l, struct cpu_seen *seen, unsigned int *cpu)
{
	unsigned char bit;

	if (!parse_cpu_name(l->tok[0], cpu))
		return perr(l, "expected 'cpu<N>', found '%.40s'", l->tok[0]);
	bit = (unsigned char)(1u << (*cpu % 8));
	if (seen->bits[*cpu / 8] & bit)
		return perr(l, "duplicate %s", l->tok[0]);
	seen->bits[*cpu / 8] |= bit;
	return 0;
}

int array_grow(void **arr, unsigned int nr, size_t size)
{
	void *n;

	if (nr & (nr - 1) && nr > 8)
		return 0;
	n = realloc(*arr, (nr < 8 ? 8 : nr * 2) * size);
	if (!n)
		return -1;
	*arr = n;
	return 0;
}

int parse_compat(const struct text *t, struct compat_file *c)
{
	struct cpu_seen seen = { 0 };
	struct lines l;
	int ret, r;

	memset(c, 0, sizeof(*c));
	ret = header(&l, t, &c->generation);
	if (ret)
		return ret;
	while ((r = next_line(&l)) > 0) {
		struct compat_entry *e;
		unsigned int cpu;

		ret = line_cpu(&l, &seen, &cpu);
		if (ret)
			return ret;
		if (l.ntok < 2 || l.ntok > 3 || !in_names(l.tok[1], vp_compat_names, VP_NR_COMPAT))
			return perr(&l, "expected 'cpu<N> <status> [fields]'");
		if (l.ntok == 3) {
			ret = check_fields(&l, l.tok[2]);
			if (ret)
				return ret;
		}
		if (array_grow((void **)&c->cpus, c->nr, sizeof(*c->cpus)))
			return perr(&l, "out of memory");
		e = &c->cpus[c->nr++];
		e->cpu = cpu;
		str_copy(e->status, sizeof(e->status), l.tok[1]);
		str_copy(e->fields, sizeof(e->fields),
			 l.ntok == 3 ? l.tok[2] : "");
	}
	if (r < 0)
		return -r;
	return 0;
}

int parse_cpu_compat(const struct text *t, struct compat_entry *e,
		     unsigned long long *gen)
{
	unsigned long long ref, cpu, diff;
	bool have_status = false;
	struct lines l;
	int ret, r;

	memset(e, 0, sizeof(*e));
	ret = header(&l, t, gen);
	if (ret)
		return ret;
	while ((r = next_line(&l)) > 0) {
		if (!strcmp(l.tok[0], "status")) {
			if (have_status)
				return perr(&l, "duplicate 'status'");
			if (l.ntok != 2 || !in_names(l.tok[1], vp_compat_names, VP_NR_COMPAT))
				return perr(&l, "bad status");
			str_copy(e->status, sizeof(e->status), l.tok[1]);
			have_status = true;
		} else if (!strcmp(l.tok[0], "field")) {
			const struct vp_field *f;

			if (l.ntok != 8 || strcmp(l.tok[2], "ref") ||
			    strcmp(l.tok[4], "cpu") || strcmp(l.tok[6], "diff"))
				return perr(&l, "expected 'field <name> ref 0x<v> %s'",
					    "cpu 0x<v> diff 0x<bits>");
			f = vp_field_find(l.tok[1]);
			if (!f)
				return perr(&l, "unknown field '%.40s'",
					    l.tok[1]);
			if (!parse_hex(l.tok[3], ~0ULL, &ref) ||
			    !parse_hex(l.tok[5], ~0ULL, &cpu) ||
			    !parse_hex(l.tok[7], ~0ULL, &diff))
				return perr(&l, "bad number");
			if (strlen(e->fields) + strlen(f->name) + 2 >
			    sizeof(e->fields))
				return perr(&l, "too many fields");
			if (e->fields[0])
				strcat(e->fields, ",");
			strcat(e->fields, f->name);
		} else {
			return perr(&l, "unknown key '%.40s'", l.tok[0]);
		}
	}
	if (r < 0)
		return -r;
	if (!have_status)
		return perr(&l, "missing 'status' line");
	return 0;
}

int parse_support(const struct text *t, struct support_file *s)
{
	static const char kvm_line[] =
		"'kvm <version> exact|nearest_older kernel=<X.Y>'";
	static const char * const states[] = {
		"supported", "unsupported", "disabled", "offline", NULL
	};
	struct cpu_seen seen = { 0 };
	struct lines l;
	unsigned int i;
	int ret, r;

	memset(s, 0, sizeof(*s));
	ret = header(&l, t, &s->generation);
	if (ret)
		return ret;
	while ((r = next_line(&l)) > 0) {
		struct support_entry *e;
		unsigned int cpu;
		enum vp_kvm kvm;

		/* "kvm <version> exact|nearest_older kernel=<X.Y>", once, first */
		if (!strcmp(l.tok[0], "kvm")) {
			if (s->nr || s->kvm[0])
				return perr(&l, "'kvm' line out of place");
			if (l.ntok != 4 || !parse_kvm(l.tok[1], &kvm) ||
			    (strcmp(l.tok[2], "exact") &&
			     strcmp(l.tok[2], "nearest_older")) ||
			    strncmp(l.tok[3], "kernel=", 7))
				return perr(&l, "expected %s", kvm_line);
			str_copy(s->kvm, sizeof(s->kvm), l.tok[1]);
			s->kvm_exact = !strcmp(l.tok[2], "exact");
			ret = copy_word(&l, s->kernel, sizeof(s->kernel),
					l.tok[3] + 7, "kernel");
			if (ret)
				return ret;
			continue;
		}
		ret = line_cpu(&l, &seen, &cpu);
		if (ret)
			return ret;
		if (l.ntok < 3 || !in_list(l.tok[1], states) ||
		    strncmp(l.tok[2], "reason=", 7))
			return perr(&l, "expected 'cpu<N> <state> reason=<reason> ...'");
		for (i = 3; i < l.ntok; i++)
			if (!strchr(l.tok[i], '='))
				return perr(&l, "expected key=value, found '%.40s'",
					    l.tok[i]);
		if (array_grow((void **)&s->cpus, s->nr, sizeof(*s->cpus)))
			return perr(&l, "out of memory");
		e = &s->cpus[s->nr++];
		e->cpu = cpu;
		str_copy(e->state, sizeof(e->state), l.tok[1]);
		ret = copy_word(&l, e->reason, sizeof(e->reason), l.tok[2] + 7,
				"reason");
		if (ret)
			return ret;
	}
	if (r < 0)
		return -r;
	return 0;
}

int parse_trace(const struct text *t, struct trace_file *tr)
{
	static const char * const keys[] = {
		"mode", "source", "start_cpu", "end_cpu", "cpu_switches",
		"mixed", "duration_ns", "dropped", NULL
	};	/* all but dropped are required */
	unsigned long long v;
	int *cpu;
	unsigned int seen = 0, k;
	struct lines l;
	int ret, r;

	memset(tr, 0, sizeof(*tr));
	ret = header(&l, t, &tr->generation);
	if (ret)
		return ret;
	while ((r = next_line(&l)) > 0) {
		const char *key = l.tok[0];

		if (!strcmp(key, "read") || !strcmp(key, "cpuid")) {
			if (l.ntok != 4 || !parse_hex(l.tok[1], U32_ALL, &v) ||
			    strcmp(l.tok[2], "cpu") ||
			    !parse_uint(l.tok[3], VP_SNAPSHOT_CPU_LIMIT - 1, &v))
				return perr(&l, "expected '%s 0x<n> cpu <N>'",
					    key);
			tr->reads++;
			continue;
		}
		for (k = 0; keys[k]; k++)
			if (!strcmp(key, keys[k]))
				break;
		if (!keys[k])
			return perr(&l, "unknown key '%.40s'", key);
		if (seen & (1u << k))
			return perr(&l, "duplicate '%s'", key);
		seen |= 1u << k;
		if (l.ntok != 2)
			return perr(&l, "expected '%s <value>'", key);
		switch (k) {
		case 0:
			ret = copy_word(&l, tr->mode, sizeof(tr->mode),
					l.tok[1], "mode");
			break;
		case 1:
			ret = copy_word(&l, tr->source, sizeof(tr->source),
					l.tok[1], "source");
			break;
		case 5:
			if (strcmp(l.tok[1], "yes") && strcmp(l.tok[1], "no"))
				return perr(&l, "bad mixed (want yes or no)");
			tr->mixed = !strcmp(l.tok[1], "yes");
			break;
		case 2:
		case 3:
			cpu = k == 2 ? &tr->start_cpu : &tr->end_cpu;
			if (!parse_cpu_or_none(l.tok[1], cpu))
				return perr(&l, "bad %s '%.40s'", key, l.tok[1]);
			break;
		default:
			if (!parse_uint(l.tok[1], ~0ULL, &v))
				return perr(&l, "bad %s '%.40s'", key, l.tok[1]);
			if (k == 4)
				tr->cpu_switches = v;
			else if (k == 6)
				tr->duration_ns = v;
			else
				tr->dropped = v;
			break;
		}
		if (ret)
			return ret;
	}
	if (r < 0)
		return -r;
	for (k = 0; keys[k + 1]; k++)
		if (!(seen & (1u << k)))
			return perr(&l, "missing '%s' line", keys[k]);
	return 0;
}

int parse_snapshot(const struct text *t, struct vp_snapshot *snap)
{
	struct vp_snapshot_error e;

	if (vp_snapshot_parse(t->buf, t->len, snap, &e)) {
		vmcsctl_err("%s:%u: %s", t->name, e.line, e.msg);
		return EXIT_MALFORMED;
	}
	return 0;
}

void compat_file_free(struct compat_file *c)
{
	free(c->cpus);
	c->cpus = NULL;
	c->nr = 0;
}

void support_file_free(struct support_file *s)
{
	free(s->cpus);
	s->cpus = NULL;
	s->nr = 0;
}

int parse_feature_list(const struct text *t, bool *want)
{
	const struct vmx_feature *f;
	struct lines l;
	int r;

	memset(want, 0, vmx_nr_features * sizeof(*want));
	lines_init(&l, t);
	while ((r = next_line(&l)) > 0) {
		if (l.tok[0][0] == '#')
			continue;
		if (l.ntok > 1 && l.tok[1][0] != '#')
			return perr(&l, "more than one name on a line ('%.40s')",
				    l.tok[1]);
		f = vmx_feature_find(l.tok[0], strlen(l.tok[0]));
		if (!f)
			return perr(&l, "unknown nested feature '%.40s' (see migrate --features)",
				    l.tok[0]);
		want[f - vmx_features] = true;
	}
	return r < 0 ? -r : 0;
}

/* A boot_cpu list value: "-" or names (A-Z, 0-9, _, x, :) joined by ",". */
static int boot_list(struct lines *l, const char *tok, const char *key,
		     char *dst, size_t size)
{
	size_t n = strlen(key), i;
	const char *v = tok + n + 1;

	if (strncmp(tok, key, n) || tok[n] != '=')
		return perr(l, "expected '%s=...', found '%.40s'", key, tok);
	if (!*v || strlen(v) >= size)
		return perr(l, "bad %s list", key);
	for (i = 0; v[i]; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
		      v[i] == '_' || v[i] == ',' || v[i] == ':' || v[i] == 'x' ||
		      (v[i] >= 'a' && v[i] <= 'f') || (v[i] == '-' && !v[1])))
			return perr(l, "bad %s list '%.40s'", key, v);
	str_copy(dst, size, strcmp(v, "-") ? v : "");
	return 0;
}

int parse_boot_cpu(const struct text *t, struct boot_file *b)
{
	struct cpu_seen seen = { 0 };
	struct lines l;
	int ret, r;

	memset(b, 0, sizeof(*b));
	ret = header(&l, t, NULL);
	if (!ret)
		ret = need_line(&l, "kvm line");
	if (!ret)
		ret = want_pair(&l, "kvm");
	if (ret)
		return ret;
	if (!parse_kvm(l.tok[1], &b->kvm))
		return perr(&l, "bad kvm '%.20s'", l.tok[1]);
	while ((r = next_line(&l)) > 0) {
		struct boot_entry *e;
		unsigned int cpu;

		ret = line_cpu(&l, &seen, &cpu);
		if (ret)
			return ret;
		if (l.ntok != 5 || (strcmp(l.tok[1], "same") &&
				    strcmp(l.tok[1], "differs")))
			return perr(&l, "expected 'cpu<N> same|differs %s'",
				    "lacks=... has=... words=...");
		if (array_grow((void **)&b->cpus, b->nr, sizeof(*b->cpus)))
			return perr(&l, "out of memory");
		e = &b->cpus[b->nr++];
		e->cpu = cpu;
		e->differs = !strcmp(l.tok[1], "differs");
		ret = boot_list(&l, l.tok[2], "lacks", e->lacks,
				sizeof(e->lacks));
		if (!ret)
			ret = boot_list(&l, l.tok[3], "has", e->has,
					sizeof(e->has));
		if (!ret)
			ret = boot_list(&l, l.tok[4], "words", e->words,
					sizeof(e->words));
		if (ret)
			return ret;
		if (e->differs != (e->lacks[0] || e->has[0] || e->words[0]))
			return perr(&l, "'%s' contradicts its lists", l.tok[1]);
	}
	if (r < 0)
		return -r;
	return 0;
}

void boot_file_free(struct boot_file *b)
{
	free(b->cpus);
	b->cpus = NULL;
	b->nr = 0;
}
