/* Purpose: JSON and shell-word escaping of arbitrary bytes (interface names may hold any). */
#include "escape.h"

#include <string.h>

static const char hex[] = "0123456789abcdef";

static int cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* E0 needs A0.. (no overlong form), ED stops at 9F (no surrogates). */
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
		return s[1] >= lo && s[1] <= hi && cont(s[2]) ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* F0 needs 90.. (no overlong form), F4 stops at 8F (U+10FFFF). */
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
		return s[1] >= lo && s[1] <= hi && cont(s[2]) && cont(s[3]) ? 4 : 0;
	}
	return 0;
}

void esc_json(struct sbuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	sbuf_addc(b, '"');
	while (*s) {
		size_t n = utf8_seq_len(s);

		if (n == 0) {
			sbuf_add(b, "\\ufffd");
			s++;
		} else if (*s == '"' || *s == '\\') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)*s++);
		} else if (*s < 0x20 || *s == 0x7f) {
			char u[7] = { '\\', 'u', '0', '0', hex[*s >> 4], hex[*s & 15], 0 };
			sbuf_add(b, u);
			s++;
		} else {
			sbuf_addn(b, (const char *)s, n);
			s += n;
		}
	}
	sbuf_addc(b, '"');
}

static int bare_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("%+,./:=@_-", c) != NULL;
}

void esc_shell(struct sbuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int bare = *s != '\0', plain = 1;

	for (const unsigned char *p = s; *p;) {
		size_t n = utf8_seq_len(p);

		if (!bare_char(*p))
			bare = 0;
		if (n == 0 || *p < 0x20 || *p == 0x7f) {
			plain = 0;
			break;
		}
		p += n;
	}
	if (bare) {
		sbuf_add(b, str);
		return;
	}
	if (plain) {
		sbuf_addc(b, '\'');
		for (; *s; s++) {
			if (*s == '\'')
				sbuf_add(b, "'\\''");
			else
				sbuf_addc(b, (char)*s);
		}
		sbuf_addc(b, '\'');
		return;
	}
	sbuf_add(b, "$'");
	while (*s) {
		size_t n = utf8_seq_len(s);

		if (n == 0 || *s < 0x20 || *s == 0x7f) {
			char x[5] = { '\\', 'x', hex[*s >> 4], hex[*s & 15], 0 };
			sbuf_add(b, x);
			s++;
		} else if (*s == '\'' || *s == '\\') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)*s++);
		} else {
			sbuf_addn(b, (const char *)s, n);
			s += n;
		}
	}
	sbuf_addc(b, '\'');
}

void esc_shell_assignment(struct sbuf *b, const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (!eq) {
		esc_shell(b, kv);
		return;
	}
	sbuf_addn(b, kv, (size_t)(eq - kv + 1));
	if (eq[1])
		esc_shell(b, eq + 1);
}
