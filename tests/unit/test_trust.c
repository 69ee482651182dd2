/* Purpose: tests of the hook trust checks: file type, owner, modes, directory chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testfs.h"
#include "trust.h"
#include "unit.h"

static const char *problem(const char *path)
{
	static char why[256];

	return trust_problem(path, why, sizeof(why));
}

TEST(trust_plain_executable_in_private_dir_is_trusted)
{
	char *d = testfs_tmpdir("trust");
	char *f = testfs_write(d, "hook", 0755, "#!/bin/sh\n");

	CHECK_STR(problem(f), NULL);
	free(f);
	testfs_rmtree(d);
}

TEST(trust_rejects_writable_setuid_symlink_and_relative)
{
	char *d = testfs_tmpdir("trust");
	char *f = testfs_write(d, "hook", 0755, "#!/bin/sh\n");
	char *link = testfs_path(d, "link");

	chmod(f, 0775);
	CHECK_STR(problem(f), "writable by group or others");
	chmod(f, 0757);
	CHECK_STR(problem(f), "writable by group or others");
	chmod(f, 04755);
	CHECK_STR(problem(f), "setuid or setgid");
	chmod(f, 0755);
	if (symlink(f, link) != 0)
		abort();
	CHECK_STR(problem(link), "is a symbolic link (hooks must be regular files)");
	CHECK_STR(problem("relative/hook"), "cannot stat: No such file or directory");
	free(link);
	free(f);
	testfs_rmtree(d);
}

TEST(trust_rejects_a_writable_directory_in_the_chain_but_not_a_sticky_one)
{
	char *d = testfs_tmpdir("trust");
	char *sub = testfs_path(d, "sub");
	char *f;
	char want[512];

	if (mkdir(sub, 0755) != 0)
		abort();
	f = testfs_write(sub, "hook", 0755, "#!/bin/sh\n");
	CHECK_STR(problem(f), NULL);
	chmod(d, 0777);
	snprintf(want, sizeof(want), "directory %s is writable by group or others", d);
	CHECK_STR(problem(f), want);
	chmod(d, 01777); /* like /tmp: others cannot rename what they do not own */
	CHECK_STR(problem(f), NULL);
	chmod(d, 0700);
	free(f);
	free(sub);
	testfs_rmtree(d);
}

TEST(trust_accepts_system_binaries_through_symlinked_directories)
{
	/* On merged-/usr systems /bin is a symlink to usr/bin. */
	CHECK_STR(problem("/bin/true"), NULL);
}
