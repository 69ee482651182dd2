/* Purpose: ownership and permission checks of a hook file and its directory chain. */
#include "trust.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* One directory of the chain. With the sticky bit (like /tmp) others may
 * write, but they cannot rename or remove entries they do not own. */
static const char *dir_problem(const char *dir, char *why, size_t size)
{
	struct stat st;

	if (lstat(dir, &st) != 0) {
		snprintf(why, size, "cannot stat %s: %s", dir, strerror(errno));
		return why;
	}
	if (!trusted_owner(st.st_uid)) {
		snprintf(why, size, "directory %s is owned by uid %u, not root", dir,
			 (unsigned)st.st_uid);
		return why;
	}
	/* A symlinked directory (/bin -> usr/bin): its owner was checked; the
	 * directory it leads to is checked in the resolved chain. */
	if (S_ISLNK(st.st_mode))
		return NULL;
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		snprintf(why, size, "directory %s is writable by group or others", dir);
		return why;
	}
	return NULL;
}

/* Every directory from dir up to /. */
static const char *chain_problem(const char *dir, char *why, size_t size)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf)) {
		snprintf(why, size, "path too long");
		return why;
	}
	for (;;) {
		if (dir_problem(buf[0] ? buf : "/", why, size))
			return why;
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			if (buf[0] && strcmp(buf, "/") != 0)
				return dir_problem("/", why, size);
			return NULL;
		}
		*slash = '\0';
	}
}

const char *trust_file_problem(const struct stat *st, char *why, size_t size)
{
	if (S_ISLNK(st->st_mode)) {
		snprintf(why, size, "is a symbolic link (hooks must be regular files)");
		return why;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, size, "not a regular file");
		return why;
	}
	if (!trusted_owner(st->st_uid)) {
		snprintf(why, size, "owned by uid %u, not root", (unsigned)st->st_uid);
		return why;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, size, "writable by group or others");
		return why;
	}
	if (st->st_mode & (S_ISUID | S_ISGID)) {
		snprintf(why, size, "setuid or setgid");
		return why;
	}
	return NULL;
}

const char *trust_dirs_problem(const char *path, char *why, size_t size)
{
	char dir[PATH_MAX], resolved[PATH_MAX];

	/* Nobody but root may rename or replace the file: check the directories
	 * as written (a symlinked one's owner counts) and as resolved. */
	if (path[0] != '/') {
		snprintf(why, size, "not an absolute path");
		return why;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (chain_problem(dir, why, size))
		return why;
	if (!realpath(dir[0] ? dir : "/", resolved)) {
		snprintf(why, size, "cannot resolve its directory: %s", strerror(errno));
		return why;
	}
	/* No symlink on the way (the usual case): the same chain, checked. */
	if (strcmp(resolved, dir[0] ? dir : "/") == 0)
		return NULL;
	return chain_problem(resolved, why, size);
}

const char *trust_problem(const char *path, char *why, size_t size)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		snprintf(why, size, "cannot stat: %s", strerror(errno));
		return why;
	}
	if (trust_file_problem(&st, why, size))
		return why;
	return trust_dirs_problem(path, why, size);
}

const char *trust_start_problem(const char *path, char *why, size_t size)
{
	if (trust_problem(path, why, size))
		return why;
	if (access(path, X_OK) != 0) {
		snprintf(why, size, "not executable");
		return why;
	}
	return NULL;
}
