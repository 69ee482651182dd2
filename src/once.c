/* Purpose: a small set of (path, reason) pairs: few problems are ever logged,
 * so a list searched only when a new problem shows up is enough. */
#include "once.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

bool once_first(struct once *o, const char *path, const char *reason)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->path[i], path) == 0 && strcmp(o->reason[i], reason) == 0)
			return false;
	o->path = xrealloc(o->path, (o->n + 1) * sizeof(*o->path));
	o->reason = xrealloc(o->reason, (o->n + 1) * sizeof(*o->reason));
	o->path[o->n] = xstrdup(path);
	o->reason[o->n] = xstrdup(reason);
	o->n++;
	return true;
}

void once_clear(struct once *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->path[i]);
		free(o->reason[i]);
	}
	free(o->path);
	free(o->reason);
	memset(o, 0, sizeof(*o));
}
