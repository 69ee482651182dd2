/* Purpose: finds the hooks.d files to run for an event and says why others are skipped. */
#ifndef IFHOOKD_HOOKSDIR_H
#define IFHOOKD_HOOKSDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"

typedef void (*hooksdir_report_fn)(void *ctx, bool is_error, const char *msg);

struct hooksdir;

/* dir may be missing, or appear later. Files dropped in (or removed, renamed,
 * chmod'ed or chown'ed) take effect at the next event: each directory's
 * listing is kept until inotify reports a change in it, and the lookup itself
 * takes in the changes (a read that never blocks), so whatever changed before
 * an event's lookup counts for that event. A directory that cannot be watched
 * (dir missing, no inotify, the watch limit) is read afresh at every lookup,
 * and the watch is tried again at the next. hooksdir_free closes the inotify
 * fd, which is close-on-exec. */
struct hooksdir *hooksdir_new(const char *dir);
void hooksdir_free(struct hooksdir *hd);

/* Paths (malloc'd, absolute or as joined with dir) to run for an event of type
 * t: files in dir/EVENT.d/ first, then (for link-*, ppp-* and address-* only)
 * the top-level files, each directory in byte order. Every skipped file that
 * looks like a hook is logged once per (path, reason) with log_info. Returns
 * the count; *paths is a malloc'd array the caller frees with each entry. */
size_t hooksdir_list(struct hooksdir *hd, enum event_type t, char ***paths);

/* For --check: reports every skipped file (is_error false) and every problem
 * (missing or unreadable dir, unknown EVENT.d directory: is_error true).
 * Returns the number of errors. */
int hooksdir_check(const char *dir, hooksdir_report_fn report, void *ctx);

/* explain: no logging from hd (skipped files are reported by the caller). */
void hooksdir_set_quiet(struct hooksdir *hd, bool quiet);

/* explain: calls fn for each entry of dir/EVENT.d/ and dir that an event of
 * type t does not run, with the reason, in the order they are read. */
typedef void (*hooksdir_skip_fn)(void *ctx, const char *path, const char *reason);
void hooksdir_skipped(struct hooksdir *hd, enum event_type t, hooksdir_skip_fn fn, void *ctx);

#endif
