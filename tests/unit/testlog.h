/* Purpose: what the code under test logs (to stderr), captured for unit tests
 * that check their log lines. */
#ifndef IFHOOKD_TESTLOG_H
#define IFHOOKD_TESTLOG_H

#include <stddef.h>
#include <stdio.h>

struct capture {
	int saved;
	FILE *f;
};

/* From now on, stderr goes to a temp file. */
void capture_start(struct capture *c);
/* Puts stderr back and returns what was written (malloc'd). */
char *capture_end(struct capture *c);
/* How often needle occurs in hay. */
size_t count(const char *hay, const char *needle);

#endif
