/* Purpose: a growable string buffer for building output lines and replies. */
#ifndef IFHOOKD_SBUF_H
#define IFHOOKD_SBUF_H

#include <stddef.h>

struct sbuf {
	char *s;    /* always NUL-terminated once anything was added; may be NULL before */
	size_t len, cap;
};

void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty); stays owned by b. */
const char *sbuf_str(struct sbuf *b);
/* Hands the text over (malloc'd, never NULL) and empties b. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

#endif
