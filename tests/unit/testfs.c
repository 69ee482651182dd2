/* Purpose: scratch directories and files for unit tests that need a real
 * file system; every helper aborts on failure, as there is nothing to test then. */
#include "testfs.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *testfs_tmpdir(const char *tag)
{
	char *tmpl;

	if (asprintf(&tmpl, "/tmp/ifhookd-%s-XXXXXX", tag) < 0 || !mkdtemp(tmpl))
		abort();
	return tmpl;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void testfs_rmtree(char *dir)
{
	/* FTW_PHYS: a test's symlink must go, not what it points to. */
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *testfs_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}

void testfs_mkdir(const char *dir, const char *name)
{
	char *p = testfs_path(dir, name);

	if (mkdir(p, 0755) != 0)
		abort();
	free(p);
}

char *testfs_write(const char *dir, const char *name, mode_t mode, const char *fmt, ...)
{
	char *p = testfs_path(dir, name);
	FILE *f = fopen(p, "w");
	va_list ap;

	if (!f)
		abort();
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0)
		abort();
	/* chmod, not the creation mode: the umask must not change what a test sees. */
	if (chmod(p, mode) != 0)
		abort();
	return p;
}

void testfs_hook(const char *dir, const char *name, mode_t mode)
{
	free(testfs_write(dir, name, mode, "#!/bin/sh\n"));
}
