/* Purpose: stderr captured into a temp file while a piece of code runs; every
 * helper aborts on failure, as there is nothing to test then. */
#include "testlog.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void capture_start(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	if (!c->f)
		abort();
	c->saved = dup(2);
	dup2(fileno(c->f), 2);
}

char *capture_end(struct capture *c)
{
	long n;
	char *s;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	n = ftell(c->f);
	s = calloc(1, (size_t)n + 1);
	rewind(c->f);
	if (!s || (n > 0 && fread(s, 1, (size_t)n, c->f) != (size_t)n))
		abort();
	fclose(c->f);
	return s;
}

size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}
