/* Purpose: which watched directories changed since the last look (inotify,
 * read without blocking at the moment of looking, never from the event loop). */
#ifndef IFHOOKD_DIRWATCH_H
#define IFHOOKD_DIRWATCH_H

/* fd -1: not open. */
struct dirwatch {
	int fd;
};

enum dirwatch_change {
	DW_ENTRY,    /* an entry (name) was created, removed, renamed, written,
		      * or changed owner or mode */
	DW_SELF,     /* the directory itself changed owner or mode */
	DW_GONE,     /* the directory was removed or renamed, or its watch ended */
	DW_OVERFLOW, /* changes were lost (wd -1): assume anything changed */
};

typedef void (*dirwatch_fn)(void *ctx, int wd, enum dirwatch_change what, const char *name);

/* 0, or -1 with errno (no inotify, or too many instances). Close-on-exec. */
int dirwatch_open(struct dirwatch *w);
void dirwatch_close(struct dirwatch *w); /* ends every watch */

/* Watches dir (a symlink to one is followed); returns the watch descriptor,
 * or -1 with errno (ENOENT, ENOTDIR, ENOSPC for the watch limit, ...). */
int dirwatch_add(struct dirwatch *w, const char *dir);
void dirwatch_remove(struct dirwatch *w, int wd);

/* Calls fn for each change queued since the last call, without blocking.
 * Changes made before the call returns are reported by it or the next one.
 * Returns 0, or -1 if reading failed: then assume anything changed. */
int dirwatch_changes(struct dirwatch *w, dirwatch_fn fn, void *ctx);

#endif
