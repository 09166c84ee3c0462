// SPDX-License-Identifier: GPL-2.0
/*
 * Lines of text in a caller's buffer, and the numbers in them (text.h),
 * for the emitters and parsers shared by the module and vmcsctl.
 */
#include "text.h"

void vp_text_init(struct vp_text *t, char *buf, unsigned int cap)
{
	t->buf = buf;
	t->len = 0;
	t->cap = cap;
	buf[0] = '\0';
}

void vp_text_chr(struct vp_text *t, char c)
{
	if (t->len + 1 < t->cap) {
		t->buf[t->len++] = c;
		t->buf[t->len] = '\0';
	}
}

void vp_text_mem(struct vp_text *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vp_text_chr(t, s[i]);
}

void vp_text_str(struct vp_text *t, const char *s)
{
	while (*s)
		vp_text_chr(t, *s++);
}

/* "0x" and at least @digits hex digits. */
void vp_text_hex(struct vp_text *t, u64 v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int n = 1;

	while (n < 16 && (v >> (4 * n)))
		n++;
	if (n < digits)
		n = digits;
	vp_text_str(t, "0x");
	while (n--)
		vp_text_chr(t, hex[(v >> (4 * n)) & 0xf]);
}

void vp_text_dec(struct vp_text *t, u64 v)
{
	char digits[20];
	unsigned int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n--)
		vp_text_chr(t, digits[n]);
}

void vp_text_sdec(struct vp_text *t, long long v)
{
	if (v < 0) {
		vp_text_chr(t, '-');
		vp_text_dec(t, -(u64)v);
	} else {
		vp_text_dec(t, v);
	}
}

static int vp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vp_hex_parse(const char *s, size_t n, u64 max, u64 *val)
{
	u64 v = 0;
	size_t i;

	if (n < 3 || s[0] != '0' || s[1] != 'x')
		return -EINVAL;
	for (i = 2; i < n; i++)
		if (vp_hex_digit(s[i]) < 0)
			return -EINVAL;
	for (i = 2; i < n; i++) {
		if (v >> 60)
			return -ERANGE;
		v = (v << 4) | (u64)vp_hex_digit(s[i]);
	}
	if (v > max)
		return -ERANGE;
	*val = v;
	return 0;
}

int vp_dec_parse(const char *s, size_t n, u64 max, u64 *val)
{
	u64 v = 0, d;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < n; i++) {
		d = (u64)(s[i] - '0');
		if (v > (max - d) / 10 || d > max)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

/* "@key " in @buf, for the line helpers below. */
static void vp_text_key(struct vp_text *t, char *buf, const char *key)
{
	vp_text_init(t, buf, VP_TEXT_LINE_MAX);
	vp_text_str(t, key);
	vp_text_chr(t, ' ');
}

int vp_line_word(vp_line_fn line, void *ctx, const char *key,
		 const char *word)
{
	char buf[VP_TEXT_LINE_MAX];
	struct vp_text t;

	vp_text_key(&t, buf, key);
	vp_text_str(&t, word);
	return line(ctx, buf);
}

int vp_line_hex(vp_line_fn line, void *ctx, const char *key, u64 val,
		unsigned int digits)
{
	char buf[VP_TEXT_LINE_MAX];
	struct vp_text t;

	vp_text_key(&t, buf, key);
	vp_text_hex(&t, val, digits);
	return line(ctx, buf);
}

int vp_line_sdec(vp_line_fn line, void *ctx, const char *key, long long val)
{
	char buf[VP_TEXT_LINE_MAX];
	struct vp_text t;

	vp_text_key(&t, buf, key);
	vp_text_sdec(&t, val);
	return line(ctx, buf);
}

int vp_line_words(vp_line_fn line, void *ctx, const char *key,
		  const u32 *words, unsigned int n)
{
	char buf[VP_TEXT_LINE_MAX];
	struct vp_text t;
	unsigned int i;

	vp_text_init(&t, buf, sizeof(buf));
	vp_text_str(&t, key);
	for (i = 0; i < n; i++) {
		vp_text_chr(&t, ' ');
		vp_text_hex(&t, words[i], 8);
	}
	return line(ctx, buf);
}
