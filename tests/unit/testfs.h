/* Purpose: scratch directories and files for unit tests that need a real
 * file system; every helper aborts on failure, as there is nothing to test then. */
#ifndef IFHOOKD_TESTFS_H
#define IFHOOKD_TESTFS_H

#include <sys/types.h>

/* A new empty directory /tmp/ifhookd-TAG-XXXXXX (malloc'd). */
char *testfs_tmpdir(const char *tag);
/* Removes dir and everything below it, then frees dir. */
void testfs_rmtree(char *dir);
/* "dir/name" (malloc'd). */
char *testfs_path(const char *dir, const char *name);
void testfs_mkdir(const char *dir, const char *name);
/* Writes dir/name with the given mode and returns its path (malloc'd). */
char *testfs_write(const char *dir, const char *name, mode_t mode, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A shell-script hook dir/name with the given mode. */
void testfs_hook(const char *dir, const char *name, mode_t mode);

#endif
