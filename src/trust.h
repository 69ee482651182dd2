/* Purpose: may a file be executed as a hook: can nobody but root have changed it? */
#ifndef IFHOOKD_TRUST_H
#define IFHOOKD_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* NULL if path is a regular file (not a symlink) owned by root or by the
 * daemon's user, not writable by group or others, not setuid or setgid, and
 * every directory above it (as written and as resolved) is owned by root (or
 * the daemon's user) and not writable by group or others unless sticky.
 * Otherwise a reason, written into why. */
const char *trust_problem(const char *path, char *why, size_t size);

/* Its two halves: the file itself, as lstat(2) found it, and the directories
 * above path (which must be absolute). */
const char *trust_file_problem(const struct stat *st, char *why, size_t size);
const char *trust_dirs_problem(const char *path, char *why, size_t size);

/* What a hook must pass to start: trust_problem, then may the daemon execute
 * it (access(2), which also honours noexec mounts). NULL, or the reason. */
const char *trust_start_problem(const char *path, char *why, size_t size);

#endif
