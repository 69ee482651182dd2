/* Purpose: lists the hooks.d files to run for an event, in byte order, and
 * says (once) why any other file that looks like a hook is not run. */
#include "hooksdir.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "once.h"
#include "trust.h"
#include "xalloc.h"

struct hooksdir {
	char *dir;
	struct once logged; /* (path, reason) pairs already logged */
	bool quiet; /* explain: logs nothing, it reports skipped files itself */
};

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

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

/* "link-up.d" -> true; sets *known to whether the stem names an event. */
static bool is_event_dir_name(const char *name, bool *known)
{
	size_t n = strlen(name);
	char stem[64];

	if (n < 3 || !has_suffix(name, ".d") || n - 2 >= sizeof(stem)) {
		*known = false;
		return n >= 3 && has_suffix(name, ".d");
	}
	memcpy(stem, name, n - 2);
	stem[n - 2] = '\0';
	*known = event_from_name(stem) >= 0;
	return true;
}

enum verdict {
	V_RUN,
	V_SILENT,	 /* dotfiles and the known EVENT.d directories */
	V_SKIP,		 /* looks like a hook, is not run: reason says why */
	V_UNKNOWN_EVDIR, /* top-level X.d where X is no event */
};

static enum verdict judge(const char *path, const char *name, bool top, char reason[160])
{
	const char *why;
	struct stat st;

	if (name[0] == '.')
		return V_SILENT;
	why = name_problem(name);
	if (why) {
		snprintf(reason, 160, "%s", why);
		return V_SKIP;
	}
	/* lstat: a symlink is never a hook, since whoever owns its target could
	 * change what runs; trust_problem says so for the file itself. */
	if (lstat(path, &st) != 0) {
		snprintf(reason, 160, "cannot stat: %s", strerror(errno));
		return V_SKIP;
	}
	if (S_ISDIR(st.st_mode)) {
		bool known;

		if (top && is_event_dir_name(name, &known))
			return known ? V_SILENT : V_UNKNOWN_EVDIR;
		snprintf(reason, 160, "is a directory");
		return V_SKIP;
	}
	if (trust_start_problem(path, reason, 160))
		return V_SKIP;
	return V_RUN;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir (sorted by strcmp, byte order), or -1 with errno set. */
static long read_names(const char *dir, char ***out)
{
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*out = NULL;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return (long)n;
}

static void free_names(char **names, long n)
{
	for (long i = 0; i < n; i++)
		free(names[i]);
	free(names);
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

/* Appends the files of dir to run to *paths. */
static void collect(struct hooksdir *hd, const char *dir, bool top, char ***paths, size_t *n)
{
	char **names, reason[160], safe[1024], field[1024];
	long count = read_names(dir, &names);

	if (count < 0) {
		/* A missing directory just has no hooks; anything else is news. */
		if (errno != ENOENT && first_time(hd, dir, strerror(errno)))
			log_warn("hooks: cannot read %s", log_safe(dir, safe, sizeof(safe)));
		return;
	}
	for (long i = 0; i < count; i++) {
		char *path = join(dir, names[i]);

		switch (judge(path, names[i], top, reason)) {
		case V_RUN:
			*paths = xrealloc(*paths, (*n + 1) * sizeof(**paths));
			(*paths)[(*n)++] = path;
			path = NULL;
			break;
		case V_SKIP:
			if (first_time(hd, path, reason))
				log_info("hooks: skipping %s: %s hook=%s action=skip",
					 log_safe(path, safe, sizeof(safe)), reason,
					 log_field(path, field, sizeof(field)));
			break;
		case V_UNKNOWN_EVDIR:
			if (first_time(hd, path, "unknown event directory"))
				log_warnx("hooks: %s: no event of that name, so its files "
					  "never run",
					  log_safe(path, safe, sizeof(safe)));
			break;
		case V_SILENT:
			break;
		}
		free(path);
	}
	free_names(names, count);
}

size_t hooksdir_list(struct hooksdir *hd, enum event_type t, char ***paths)
{
	char *evdir, *name;
	size_t n = 0;

	*paths = NULL;
	if (!hd)
		return 0;
	name = xasprintf("%s.d", event_name(t));
	evdir = join(hd->dir, name);
	free(name);
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
	char **names, reason[160], safe[1024];
	long count = read_names(dir, &names);
	int errors = 0;

	if (count < 0) {
		report_fmt(report, ctx, true, "hooks: %s: %s", log_safe(dir, safe, sizeof(safe)),
			   strerror(errno));
		return 1;
	}
	for (long i = 0; i < count; i++) {
		char *path = join(dir, names[i]);
		bool known;

		switch (judge(path, names[i], top, reason)) {
		case V_SKIP:
			report_fmt(report, ctx, false, "hooks: skipping %s: %s",
				   log_safe(path, safe, sizeof(safe)), reason);
			break;
		case V_UNKNOWN_EVDIR:
			report_fmt(report, ctx, true,
				   "hooks: %s: no event of that name, so its files never run",
				   log_safe(path, safe, sizeof(safe)));
			errors++;
			break;
		case V_SILENT:
			if (top && is_event_dir_name(names[i], &known) && known)
				errors += check_dir(path, false, report, ctx);
			break;
		case V_RUN:
			break;
		}
		free(path);
	}
	free_names(names, count);
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
	char **names, reason[160];
	long count = read_names(dir, &names);

	if (count < 0) {
		if (errno != ENOENT)
			fn(ctx, dir, strerror(errno));
		return;
	}
	for (long i = 0; i < count; i++) {
		char *path = join(dir, names[i]);

		if (names[i][0] == '.') {
			fn(ctx, path, "hidden file (the name starts with a dot)");
			free(path);
			continue;
		}
		switch (judge(path, names[i], top, reason)) {
		case V_SKIP:
			fn(ctx, path, reason);
			break;
		case V_UNKNOWN_EVDIR:
			fn(ctx, path, "a directory named after no event: its files never run");
			break;
		case V_RUN:
			if (top && route)
				fn(ctx, path,
				   "top-level files run for link-*, ppp-* and address-* events only; "
				   "route events run the files of EVENT.d/");
			break;
		case V_SILENT:
			break; /* another event's EVENT.d/ */
		}
		free(path);
	}
	free_names(names, count);
}

void hooksdir_skipped(struct hooksdir *hd, enum event_type t, hooksdir_skip_fn fn, void *ctx)
{
	char *name, *evdir;

	if (!hd)
		return;
	name = xasprintf("%s.d", event_name(t));
	evdir = join(hd->dir, name);
	free(name);
	skipped_in(evdir, false, false, fn, ctx);
	free(evdir);
	skipped_in(hd->dir, true, event_is_route(t), fn, ctx);
}
