/* Purpose: lists the hooks.d files to run for an event, in byte order, and
 * says (once) why any other file that looks like a hook is not run. */
#include "hooksdir.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "log.h"
#include "once.h"
#include "xalloc.h"

struct hooksdir {
	char *dir;
	struct once logged; /* (path, reason) pairs already logged */
	bool quiet; /* explain: logs nothing, it reports skipped files itself */
};

static char *event_dir(const char *dir, enum event_type t)
{
	return xasprintf("%s/%s.d", dir, event_name(t));
}

/* ---- runtime --------------------------------------------------------- */

struct hooksdir *hooksdir_new(const char *dir)
{
	struct hooksdir *hd = xcalloc(1, sizeof(*hd));

	hd->dir = xstrdup(dir);
	return hd;
}

void hooksdir_free(struct hooksdir *hd)
{
	if (!hd)
		return;
	once_clear(&hd->logged);
	free(hd->dir);
	free(hd);
}

/* True the first time (path, reason) is seen. */
static bool first_time(struct hooksdir *hd, const char *path, const char *reason)
{
	return !hd->quiet && once_first(&hd->logged, path, reason);
}

/* Logs each skipped file and each problem, once per (path, reason). */
static void log_skipped(struct hooksdir *hd, const char *dir, const struct listing *l)
{
	char safe[1024], field[1024];

	if (l->error) {
		/* A missing directory just has no hooks; anything else is news. */
		if (l->error != ENOENT && first_time(hd, dir, strerror(l->error))) {
			log_safe(dir, safe, sizeof(safe));
			errno = l->error;
			log_warn("hooks: cannot read %s", safe);
		}
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct listing_entry *e = &l->entries[i];

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

/* Appends the files of dir to run to *paths. */
static void collect(struct hooksdir *hd, const char *dir, bool top, char ***paths, size_t *n)
{
	struct listing l;

	listing_read(&l, dir, top);
	log_skipped(hd, dir, &l);
	append_runs(&l, paths, n);
	listing_free(&l);
}

size_t hooksdir_list(struct hooksdir *hd, enum event_type t, char ***paths)
{
	char *evdir;
	size_t n = 0;

	*paths = NULL;
	if (!hd)
		return 0;
	evdir = event_dir(hd->dir, t);
	collect(hd, evdir, false, paths, &n);
	free(evdir);
	/* Route events only run what was asked for by name: a router can
	 * carry a million routes. */
	if (!event_is_route(t))
		collect(hd, hd->dir, true, paths, &n);
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
	char *evdir;

	if (!hd)
		return;
	evdir = event_dir(hd->dir, t);
	skipped_in(evdir, false, false, fn, ctx);
	free(evdir);
	skipped_in(hd->dir, true, event_is_route(t), fn, ctx);
}
