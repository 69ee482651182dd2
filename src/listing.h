/* Purpose: one directory of hooks_dir as read at one moment: its entries in
 * byte order, each with its verdict (run, skip and why, or silent). */
#ifndef IFHOOKD_LISTING_H
#define IFHOOKD_LISTING_H

#include <stdbool.h>
#include <stddef.h>

enum verdict {
	V_RUN,
	V_HIDDEN,	 /* a dotfile: never run, never reported */
	V_EVENT_DIR,	 /* top level: the EVENT.d directory of a known event */
	V_SKIP,		 /* looks like a hook, is not run: reason says why */
	V_UNKNOWN_EVDIR, /* top level: an X.d directory where X is no event */
};

struct listing_entry {
	char *name;
	char *path; /* dir/name */
	enum verdict verdict;
	char *reason; /* V_SKIP only, else NULL */
};

struct listing {
	struct listing_entry *entries;
	size_t n;
	int error; /* errno if the directory could not be read, else 0 */
	/* Every verdict rests only on what a watch of this directory sees: its
	 * entries and their owner, mode and type. False when one rests on the
	 * directories above (trust.h) or the mount (noexec) instead. */
	bool lasting;
};

/* Reads dir, either hooks_dir itself (top) or one of its EVENT.d directories,
 * into l (which holds nothing yet, or has been freed). */
void listing_read(struct listing *l, const char *dir, bool top);
void listing_free(struct listing *l);

/* The event whose directory a top-level entry called name is ("link-up.d":
 * EV_LINK_UP), or -1. */
int listing_event_dir(const char *name);

#endif
