/* Purpose: lists the hooks.d files to run for an event, in byte order, and
 * says (once) why any other file that looks like a hook is not run; keeps each
 * directory's listing until inotify reports a change in it. */
#include "hooksdir.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirwatch.h"
#include "listing.h"
#include "log.h"
#include "once.h"
#include "xalloc.h"

/* One directory (hooks_dir, or one of its EVENT.d) and what was last read. */
struct cached {
	char *dir;
	bool top;
	struct listing l;
	bool read;  /* l holds a listing */
	bool valid; /* nothing changed since it was read: it is still true */
	int wd;	    /* its inotify watch, -1 none */
};

struct hooksdir {
	struct cached top, evdirs[EV_COUNT];
	struct dirwatch dw; /* fd -1: not open (yet, or any more) */
	dev_t dev;	    /* the directory at hooks_dir's path when its watch was set */
	ino_t ino;
	bool lost;	    /* a change may have gone unreported: start over */
	struct once logged; /* (path, reason) pairs already logged */
	bool quiet;	    /* explain: logs nothing, it reports skipped files itself */
};

/* ---- runtime --------------------------------------------------------- */

static void cached_init(struct cached *c, char *dir, bool top)
{
	c->dir = dir;
	c->top = top;
	c->wd = -1;
}

static void cached_clear(struct cached *c)
{
	if (c->read)
		listing_free(&c->l);
	c->read = false;
	c->valid = false;
}

struct hooksdir *hooksdir_new(const char *dir)
{
	struct hooksdir *hd = xcalloc(1, sizeof(*hd));

	cached_init(&hd->top, xstrdup(dir), true);
	for (int t = 0; t < EV_COUNT; t++)
		cached_init(&hd->evdirs[t], xasprintf("%s/%s.d", dir, event_name(t)), false);
	hd->dw.fd = -1;
	return hd;
}

void hooksdir_free(struct hooksdir *hd)
{
	if (!hd)
		return;
	dirwatch_close(&hd->dw);
	cached_clear(&hd->top);
	free(hd->top.dir);
	for (int t = 0; t < EV_COUNT; t++) {
		cached_clear(&hd->evdirs[t]);
		free(hd->evdirs[t].dir);
	}
	once_clear(&hd->logged);
	free(hd);
}

/* True the first time (path, reason) is seen. */
static bool first_time(struct hooksdir *hd, const char *path, const char *reason)
{
	return !hd->quiet && once_first(&hd->logged, path, reason);
}

/* What a change reported for c means beyond c itself. */
static void on_change_of(struct hooksdir *hd, struct cached *c, enum dirwatch_change what,
			 const char *name)
{
	int t;

	c->valid = false;
	if (c != &hd->top)
		return; /* an EVENT.d: its watch is renewed when it is read again */
	switch (what) {
	case DW_GONE:
		hd->lost = true;
		break;
	case DW_SELF: /* hooks_dir's owner or mode: every file's trust */
		for (t = 0; t < EV_COUNT; t++)
			hd->evdirs[t].valid = false;
		break;
	case DW_ENTRY: /* an EVENT.d created, removed or replaced */
		t = listing_event_dir(name);
		if (t >= 0)
			hd->evdirs[t].valid = false;
		break;
	case DW_OVERFLOW:
		break;
	}
}

static void on_change(void *ctx, int wd, enum dirwatch_change what, const char *name)
{
	struct hooksdir *hd = ctx;

	if (what == DW_OVERFLOW)
		hd->lost = true;
	/* One directory may be watched under several names (an EVENT.d that
	 * is a symlink to another, or to hooks_dir): inotify gives them one
	 * watch. A watch already replaced matches none. */
	if (wd >= 0 && hd->top.wd == wd)
		on_change_of(hd, &hd->top, what, name);
	for (int t = 0; wd >= 0 && t < EV_COUNT; t++)
		if (hd->evdirs[t].wd == wd)
			on_change_of(hd, &hd->evdirs[t], what, name);
}

static bool watch_in_use(const struct hooksdir *hd, int wd)
{
	if (hd->top.wd == wd)
		return true;
	for (int t = 0; t < EV_COUNT; t++)
		if (hd->evdirs[t].wd == wd)
			return true;
	return false;
}

/* Drops every watch, and with them every listing. */
static void forget(struct hooksdir *hd)
{
	dirwatch_close(&hd->dw);
	hd->top.wd = -1;
	hd->top.valid = false;
	for (int t = 0; t < EV_COUNT; t++) {
		hd->evdirs[t].wd = -1;
		hd->evdirs[t].valid = false;
	}
	hd->lost = false;
}

/* Takes in what changed since the last lookup. False when hooks_dir has no
 * watch (missing, no inotify, the watch limit): then this lookup reads every
 * directory afresh, and the next one tries to set the watch again. */
static bool watching(struct hooksdir *hd)
{
	struct stat st;

	if (hd->top.wd >= 0) {
		if (dirwatch_changes(&hd->dw, on_change, hd) < 0)
			hd->lost = true;
		/* A directory above hooks_dir renamed puts another directory at
		 * its path; the watch follows the old one and cannot tell. */
		if (!hd->lost && (stat(hd->top.dir, &st) != 0 || st.st_dev != hd->dev ||
				  st.st_ino != hd->ino))
			hd->lost = true;
		if (!hd->lost)
			return true;
		forget(hd);
	}
	if (hd->dw.fd < 0 && dirwatch_open(&hd->dw) < 0)
		return false;
	hd->top.wd = dirwatch_add(&hd->dw, hd->top.dir);
	if (hd->top.wd < 0)
		return false;
	/* After the watch: a change in between is queued, not missed. */
	if (stat(hd->top.dir, &st) != 0) {
		forget(hd);
		return false;
	}
	hd->dev = st.st_dev;
	hd->ino = st.st_ino;
	return true;
}

/* An EVENT.d that could not be watched: will the watch of hooks_dir see it
 * come? Yes if its name is absent, or names a file: making it a directory is
 * a change of hooks_dir. Not if it is a symlink, or a directory past the
 * watch limit. */
static bool parent_sees_it_come(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) != 0)
		return errno == ENOENT;
	return !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode);
}

/* Logs each skipped file and each problem, once per (path, reason). */
static void log_skipped(struct hooksdir *hd, const struct cached *c)
{
	char safe[1024], field[1024];

	if (c->l.error) {
		/* A missing directory just has no hooks; anything else is news. */
		if (c->l.error != ENOENT && first_time(hd, c->dir, strerror(c->l.error))) {
			log_safe(c->dir, safe, sizeof(safe));
			errno = c->l.error;
			log_warn("hooks: cannot read %s", safe);
		}
		return;
	}
	for (size_t i = 0; i < c->l.n; i++) {
		const struct listing_entry *e = &c->l.entries[i];

		if (e->verdict == V_SKIP && first_time(hd, e->path, e->reason))
			log_info("hooks: skipping %s: %s hook=%s action=skip",
				 log_safe(e->path, safe, sizeof(safe)), e->reason,
				 log_field(e->path, field, sizeof(field)));
		else if (e->verdict == V_UNKNOWN_EVDIR &&
			 first_time(hd, e->path, "unknown event directory"))
			log_warnx("hooks: %s: no event of that name, so its files never run",
				  log_safe(e->path, safe, sizeof(safe)));
	}
}

/* c's listing: the one kept, unless something changed; then read again. */
static const struct listing *current(struct hooksdir *hd, struct cached *c, bool watched)
{
	bool lasting = true;

	if (c->valid)
		return &c->l;
	cached_clear(c);
	if (watched && !c->top) {
		/* The watch first, so that a change while reading is queued.
		 * Set again at each read: the name may lead elsewhere now (the
		 * same directory keeps its watch, and its descriptor). */
		int old = c->wd;

		c->wd = dirwatch_add(&hd->dw, c->dir);
		if (old >= 0 && old != c->wd && !watch_in_use(hd, old))
			dirwatch_remove(&hd->dw, old);
		lasting = c->wd >= 0 || parent_sees_it_come(c->dir);
	}
	listing_read(&c->l, c->dir, c->top);
	c->read = true;
	c->valid = watched && lasting && c->l.lasting;
	log_skipped(hd, c);
	return &c->l;
}

/* Appends the paths of the files l runs to *paths. */
static void append_runs(const struct listing *l, char ***paths, size_t *n)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->entries[i].verdict != V_RUN)
			continue;
		*paths = xrealloc(*paths, (*n + 1) * sizeof(**paths));
		(*paths)[(*n)++] = xstrdup(l->entries[i].path);
	}
}

size_t hooksdir_list(struct hooksdir *hd, enum event_type t, char ***paths)
{
	size_t n = 0;
	bool watched;

	*paths = NULL;
	if (!hd)
		return 0;
	watched = watching(hd);
	append_runs(current(hd, &hd->evdirs[t], watched), paths, &n);
	/* Route events only run what was asked for by name: a router can
	 * carry a million routes. */
	if (!event_is_route(t))
		append_runs(current(hd, &hd->top, watched), paths, &n);
	return n;
}

/* ---- --check --------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static void report_fmt(hooksdir_report_fn report,
							     void *ctx, bool is_error,
							     const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	report(ctx, is_error, msg);
	free(msg);
}

static int check_dir(const char *dir, bool top, hooksdir_report_fn report, void *ctx)
{
	struct listing l;
	char safe[1024];
	int errors = 0;

	listing_read(&l, dir, top);
	if (l.error) {
		report_fmt(report, ctx, true, "hooks: %s: %s", log_safe(dir, safe, sizeof(safe)),
			   strerror(l.error));
		return 1;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct listing_entry *e = &l.entries[i];

		switch (e->verdict) {
		case V_SKIP:
			report_fmt(report, ctx, false, "hooks: skipping %s: %s",
				   log_safe(e->path, safe, sizeof(safe)), e->reason);
			break;
		case V_UNKNOWN_EVDIR:
			report_fmt(report, ctx, true,
				   "hooks: %s: no event of that name, so its files never run",
				   log_safe(e->path, safe, sizeof(safe)));
			errors++;
			break;
		case V_EVENT_DIR:
			errors += check_dir(e->path, false, report, ctx);
			break;
		case V_RUN:
		case V_HIDDEN:
			break;
		}
	}
	listing_free(&l);
	return errors;
}

int hooksdir_check(const char *dir, hooksdir_report_fn report, void *ctx)
{
	return check_dir(dir, true, report, ctx);
}

/* ---- explain ---------------------------------------------------------- */

void hooksdir_set_quiet(struct hooksdir *hd, bool quiet)
{
	hd->quiet = quiet;
}

static void skipped_in(const char *dir, bool top, bool route, hooksdir_skip_fn fn, void *ctx)
{
	struct listing l;

	listing_read(&l, dir, top);
	if (l.error) {
		if (l.error != ENOENT)
			fn(ctx, dir, strerror(l.error));
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct listing_entry *e = &l.entries[i];

		switch (e->verdict) {
		case V_HIDDEN:
			fn(ctx, e->path, "hidden file (the name starts with a dot)");
			break;
		case V_SKIP:
			fn(ctx, e->path, e->reason);
			break;
		case V_UNKNOWN_EVDIR:
			fn(ctx, e->path, "a directory named after no event: its files never run");
			break;
		case V_RUN:
			if (top && route)
				fn(ctx, e->path,
				   "top-level files run for link-*, ppp-* and address-* events only; "
				   "route events run the files of EVENT.d/");
			break;
		case V_EVENT_DIR:
			break; /* another event's EVENT.d/ */
		}
	}
	listing_free(&l);
}

void hooksdir_skipped(struct hooksdir *hd, enum event_type t, hooksdir_skip_fn fn, void *ctx)
{
	if (!hd)
		return;
	skipped_in(hd->evdirs[t].dir, false, false, fn, ctx);
	skipped_in(hd->top.dir, true, event_is_route(t), fn, ctx);
}
