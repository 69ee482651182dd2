/* Purpose: reads one directory of hooks_dir and judges each entry: runs, is
 * skipped (and why), or is silent (dotfiles, EVENT.d directories). */
#include "listing.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "trust.h"
#include "xalloc.h"

#define REASON_MAX 160

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Files that packaging tools and editors leave behind; run-parts skips most
 * of these too, but, unlike run-parts, "foo.sh" is a hook like any other. */
static const char *name_problem(const char *name)
{
	if (has_suffix(name, "~"))
		return "editor backup file (ends in ~)";
	if (strstr(name, ".dpkg-"))
		return "dpkg leftover (.dpkg-)";
	if (has_suffix(name, ".rpmnew") || has_suffix(name, ".rpmsave") ||
	    has_suffix(name, ".rpmorig"))
		return "rpm leftover";
	if (has_suffix(name, ".swp"))
		return "editor swap file (.swp)";
	if (has_suffix(name, ".disabled"))
		return "disabled (.disabled)";
	return NULL;
}

int listing_event_dir(const char *name)
{
	size_t n = strlen(name);
	char stem[64];

	if (n < 3 || !has_suffix(name, ".d") || n - 2 >= sizeof(stem))
		return -1;
	memcpy(stem, name, n - 2);
	stem[n - 2] = '\0';
	return event_from_name(stem);
}

/* Clears *lasting when the verdict rests on what no watch of the directory
 * sees (see struct listing). */
static enum verdict judge(const char *path, const char *name, bool top, char reason[REASON_MAX],
			  bool *lasting)
{
	const char *why;
	struct stat st;

	if (name[0] == '.')
		return V_HIDDEN;
	why = name_problem(name);
	if (why) {
		snprintf(reason, REASON_MAX, "%s", why);
		return V_SKIP;
	}
	/* lstat: a symlink is never a hook, since whoever owns its target could
	 * change what runs; trust_file_problem says so for the file itself. */
	if (lstat(path, &st) != 0) {
		snprintf(reason, REASON_MAX, "cannot stat: %s", strerror(errno));
		return V_SKIP;
	}
	if (S_ISDIR(st.st_mode)) {
		if (top && has_suffix(name, ".d") && strlen(name) >= 3)
			return listing_event_dir(name) >= 0 ? V_EVENT_DIR : V_UNKNOWN_EVDIR;
		snprintf(reason, REASON_MAX, "is a directory");
		return V_SKIP;
	}
	if (trust_file_problem(&st, reason, REASON_MAX))
		return V_SKIP;
	if (trust_dirs_problem(path, reason, REASON_MAX)) {
		*lasting = false;
		return V_SKIP;
	}
	/* access() also honours noexec mounts, which mode bits would not. */
	if (access(path, X_OK) != 0) {
		snprintf(reason, REASON_MAX, "not executable");
		if (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))
			*lasting = false; /* the mount, then */
		return V_SKIP;
	}
	return V_RUN;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct listing_entry *)a)->name,
		      ((const struct listing_entry *)b)->name);
}

void listing_read(struct listing *l, const char *dir, bool top)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	memset(l, 0, sizeof(*l));
	l->lasting = true;
	if (!d) {
		l->error = errno;
		/* A name that is missing, or a file, is news to a watch of the
		 * parent when that changes; an unreadable directory may be fixed
		 * where no watch sees it. */
		l->lasting = errno == ENOENT || errno == ENOTDIR;
		return;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		l->entries = xrealloc(l->entries, (l->n + 1) * sizeof(*l->entries));
		memset(&l->entries[l->n], 0, sizeof(l->entries[l->n]));
		l->entries[l->n].name = xstrdup(de->d_name);
		l->n++;
	}
	closedir(d);
	if (l->n)
		qsort(l->entries, l->n, sizeof(*l->entries), cmp_name);
	for (size_t i = 0; i < l->n; i++) {
		struct listing_entry *e = &l->entries[i];
		char reason[REASON_MAX];

		e->path = xasprintf("%s/%s", dir, e->name);
		e->verdict = judge(e->path, e->name, top, reason, &l->lasting);
		if (e->verdict == V_SKIP)
			e->reason = xstrdup(reason);
	}
}

void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->entries[i].name);
		free(l->entries[i].path);
		free(l->entries[i].reason);
	}
	free(l->entries);
	memset(l, 0, sizeof(*l));
}
