/* Purpose: remembers which (path, reason) pairs were logged, so that each is logged once. */
#ifndef IFHOOKD_ONCE_H
#define IFHOOKD_ONCE_H

#include <stdbool.h>
#include <stddef.h>

/* Zeroed is empty. */
struct once {
	char **path;
	char **reason;
	size_t n;
};

/* True the first time (path, reason) is seen; remembers it. */
bool once_first(struct once *o, const char *path, const char *reason);
/* Forgets everything (and frees it); o is empty again. */
void once_clear(struct once *o);

#endif
