/* Purpose: allocation that cannot fail: out of memory is fatal, so callers
 * never carry a NULL check of their own. */
#ifndef IFHOOKD_XALLOC_H
#define IFHOOKD_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *old, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
