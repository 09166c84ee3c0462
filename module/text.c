// SPDX-License-Identifier: GPL-2.0
/*
 * Lines of text in a caller's buffer (text.h), for the emitters shared by
 * the module and vmcsctl.
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
