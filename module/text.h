/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line of text being built in a caller's buffer, for the emitters
 * shared by the module and vmcsctl (snapshot.c, kvm_view.c, report.c):
 * never overflows (the rest is cut), always NUL-terminated; and the
 * numbers every parser reads (snapshot.c, input.c, vmcsctl's parse.c),
 * each adding its own rules on top.  Pure C.
 */
#ifndef VMCS_PROBE_TEXT_H
#define VMCS_PROBE_TEXT_H

#include "vmx_types.h"

struct vp_text {
	char *buf;
	unsigned int len;
	unsigned int cap;	/* including the NUL */
};

void vp_text_init(struct vp_text *t, char *buf, unsigned int cap);
void vp_text_chr(struct vp_text *t, char c);
void vp_text_mem(struct vp_text *t, const char *s, size_t n);
void vp_text_str(struct vp_text *t, const char *s);
/* "0x" and at least @digits hex digits. */
void vp_text_hex(struct vp_text *t, u64 v, unsigned int digits);
void vp_text_dec(struct vp_text *t, u64 v);
/* A signed decimal: "-5", "0". */
void vp_text_sdec(struct vp_text *t, long long v);

/*
 * Where an emitter hands each finished line, without its newline; a
 * non-zero return stops the emitter, which returns that value.
 */
typedef int (*vp_line_fn)(void *ctx, const char *line);

/* The longest "key value" line of the helpers below, with its NUL. */
#define VP_TEXT_LINE_MAX	256

/* "@key @word", "@key 0x@val" (at least @digits digits), "@key @val" */
int vp_line_word(vp_line_fn line, void *ctx, const char *key,
		 const char *word);
int vp_line_hex(vp_line_fn line, void *ctx, const char *key, u64 val,
		unsigned int digits);
int vp_line_sdec(vp_line_fn line, void *ctx, const char *key, long long val);
/* "@key 0x........ 0x........ ...": @n 32-bit words, as a CPUID leaf. */
int vp_line_words(vp_line_fn line, void *ctx, const char *key,
		  const u32 *words, unsigned int n);

/*
 * The @n bytes at @s as "0x" and one or more hex digits (either case,
 * leading zeros allowed), at most @max: 0, -EINVAL (syntax) or -ERANGE.
 */
int vp_hex_parse(const char *s, size_t n, u64 max, u64 *val);
/* The @n bytes at @s as decimal digits only, at most @max: likewise. */
int vp_dec_parse(const char *s, size_t n, u64 max, u64 *val);

#endif /* VMCS_PROBE_TEXT_H */
