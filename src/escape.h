/* Purpose: writes untrusted byte strings (interface names, hook values) safely
 * as JSON strings and as shell words, so one event stays one line. */
#ifndef IFHOOKD_ESCAPE_H
#define IFHOOKD_ESCAPE_H

#include <stddef.h>

#include "sbuf.h"

/* Length of the valid UTF-8 sequence at s (1..4; 1 for ASCII), or 0 when
 * the bytes there are not valid UTF-8 (overlong forms and surrogates
 * included). s is NUL-terminated. */
size_t utf8_seq_len(const unsigned char *s);

/* Appends s as a JSON string with its quotes. Valid UTF-8 is kept as is;
 * '"' and '\' are escaped; control characters (below 0x20) and DEL are
 * written as \u00XX; each byte that is not part of valid UTF-8 becomes
 * \ufffd (the replacement character), so any JSON parser accepts the line. */
void esc_json(struct sbuf *b, const char *s);

/* Appends s as one word that sh/bash reads back as exactly s: bare when it
 * only has [A-Za-z0-9%+,./:=@_-], else in single quotes, else, when it has
 * control characters, DEL or bytes that are not UTF-8, as $'...' with those
 * bytes as \xNN. The empty string gives ''. */
void esc_shell(struct sbuf *b, const char *s);

/* "NAME=value" with the value as esc_shell gives it (nothing for ""). */
void esc_shell_assignment(struct sbuf *b, const char *name_eq_value);

#endif
