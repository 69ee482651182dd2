/* Purpose: unit tests of hooks.d lookup: skipped files and why, byte order,
 * EVENT.d directories, route events, and skips logged only once. */
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hooksdir.h"
#include "log.h"
#include "unit.h"

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/ifhookd-hd-XXXXXX";

	if (!mkdtemp(tmpl))
		abort();
	return strdup(tmpl);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rmtree(char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

static char *in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}

static void put(const char *dir, const char *name, mode_t mode)
{
	char *p = in(dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		abort();
	if (write(fd, "#!/bin/sh\n", 10) != 10)
		abort();
	close(fd);
	chmod(p, mode);
	free(p);
}

static void mkd(const char *dir, const char *name)
{
	char *p = in(dir, name);

	if (mkdir(p, 0755) != 0)
		abort();
	free(p);
}

/* stderr captured into a temp file while a piece of code runs. */
struct capture {
	int saved;
	FILE *f;
};

static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	c->saved = dup(2);
	dup2(fileno(c->f), 2);
}

/* Returns what was written (malloc'd). */
static char *capture_end(struct capture *c)
{
	long n;
	char *s;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	n = ftell(c->f);
	s = calloc(1, (size_t)n + 1);
	rewind(c->f);
	if (n > 0 && fread(s, 1, (size_t)n, c->f) != (size_t)n)
		abort();
	fclose(c->f);
	return s;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The listed paths, each with the dir prefix removed, space-separated. */
static char *list_names(struct hooksdir *hd, const char *dir, enum event_type t)
{
	char **paths, *out;
	size_t n = hooksdir_list(hd, t, &paths), len = 1, dl = strlen(dir) + 1;

	for (size_t i = 0; i < n; i++)
		len += strlen(paths[i]) + 1;
	out = calloc(1, len);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		/* Every path must be dir/name. */
		CHECK(strncmp(paths[i], dir, dl - 1) == 0 && paths[i][dl - 1] == '/');
		strcat(out, paths[i] + dl);
		free(paths[i]);
	}
	free(paths);
	return out;
}

static void make_tree(const char *d)
{
	char *fifo = in(d, "fifo");

	put(d, "50-run", 0755);
	put(d, "foo.sh", 0755);  /* run-parts would skip it; we do not */
	put(d, "Zeta", 0755);	  /* byte order: upper case first */
	put(d, "10-first", 0755);
	put(d, ".hidden", 0755); /* silent */
	put(d, "old~", 0755);
	put(d, "x.dpkg-old", 0755);
	put(d, "x.dpkg-dist", 0755);
	put(d, "y.rpmnew", 0755);
	put(d, "y.rpmsave", 0755);
	put(d, "y.rpmorig", 0755);
	put(d, ".z.swp", 0644);	  /* dotfile: silent */
	put(d, "z.swp", 0755);
	put(d, "w.disabled", 0755);
	put(d, "readme", 0644);
	mkd(d, "subdir");
	if (mkfifo(fifo, 0755) != 0)
		abort();
	free(fifo);
	mkd(d, "link-up.d");
	put(d, "link-up.d/20-b", 0755);
	put(d, "link-up.d/10-a", 0755);
	put(d, "link-up.d/off~", 0755);
	mkd(d, "link-up.d/nested");
	mkd(d, "route-added.d");
	put(d, "route-added.d/r", 0755);
	mkd(d, "bogus.d");
	put(d, "bogus.d/never", 0755);
}

TEST(hooksdir_order_and_skips)
{
	char *d = tmpdir(), *got, *log;
	struct hooksdir *hd;
	struct capture c;

	make_tree(d);
	hd = hooksdir_new(d);
	log_init(LOG_TO_STDERR, false);
	capture_start(&c);
	got = list_names(hd, d, EV_LINK_UP);
	log = capture_end(&c);
	CHECK_STR(got, "link-up.d/10-a link-up.d/20-b 10-first 50-run Zeta foo.sh");
	free(got);

	CHECK(count(log, "ifhookd: hooks: skipping ") == 13);
	CHECK(strstr(log, "/old~: editor backup file (ends in ~)\n"));
	CHECK(strstr(log, "/x.dpkg-old: dpkg leftover (.dpkg-)\n"));
	CHECK(strstr(log, "/x.dpkg-dist: dpkg leftover (.dpkg-)\n"));
	CHECK(strstr(log, "/y.rpmnew: rpm leftover\n"));
	CHECK(strstr(log, "/y.rpmsave: rpm leftover\n"));
	CHECK(strstr(log, "/y.rpmorig: rpm leftover\n"));
	CHECK(strstr(log, "/z.swp: editor swap file (.swp)\n"));
	CHECK(strstr(log, "/w.disabled: disabled (.disabled)\n"));
	CHECK(strstr(log, "/readme: not executable\n"));
	CHECK(strstr(log, "/subdir: is a directory\n"));
	CHECK(strstr(log, "/fifo: not a regular file\n"));
	CHECK(strstr(log, "/link-up.d/off~: editor backup file (ends in ~)\n"));
	CHECK(strstr(log, "/link-up.d/nested: is a directory\n"));
	CHECK(strstr(log, "/bogus.d: no event of that name, so its files never run\n"));
	CHECK(strstr(log, "hooks: skipping ") && !strstr(log, ".hidden") &&
	      !strstr(log, ".z.swp") && !strstr(log, "route-added.d"));
	free(log);

	/* The second lookup logs nothing new. */
	capture_start(&c);
	got = list_names(hd, d, EV_LINK_UP);
	log = capture_end(&c);
	CHECK_STR(got, "link-up.d/10-a link-up.d/20-b 10-first 50-run Zeta foo.sh");
	CHECK_STR(log, "");
	free(got);
	free(log);
	hooksdir_free(hd);
	rmtree(d);
}

TEST(hooksdir_a_new_reason_is_logged_again)
{
	char *d = tmpdir(), *got, *log, *p;
	struct hooksdir *hd;
	struct capture c;

	put(d, "h", 0644);
	hd = hooksdir_new(d);
	capture_start(&c);
	free(list_names(hd, d, EV_LINK_DOWN));
	free(list_names(hd, d, EV_LINK_UP));
	log = capture_end(&c);
	CHECK(count(log, "/h: not executable") == 1);
	free(log);

	/* Read afresh at every call: a fix takes effect at once. */
	p = in(d, "h");
	chmod(p, 0755);
	got = list_names(hd, d, EV_LINK_DOWN);
	CHECK_STR(got, "h");
	free(got);
	unlink(p);
	mkdir(p, 0755);
	capture_start(&c);
	got = list_names(hd, d, EV_LINK_DOWN);
	log = capture_end(&c);
	CHECK_STR(got, "");
	CHECK(count(log, "/h: is a directory") == 1);
	free(got);
	free(log);
	free(p);
	hooksdir_free(hd);
	rmtree(d);
}

TEST(hooksdir_route_events_use_only_their_directory)
{
	char *d = tmpdir(), *got;
	struct hooksdir *hd;
	struct capture c;

	make_tree(d);
	hd = hooksdir_new(d);
	capture_start(&c);
	got = list_names(hd, d, EV_ROUTE_ADDED);
	free(capture_end(&c));
	CHECK_STR(got, "route-added.d/r");
	free(got);
	got = list_names(hd, d, EV_ROUTE_REMOVED);
	CHECK_STR(got, "");
	free(got);
	/* Address and PPP events get the top-level files too. */
	capture_start(&c);
	got = list_names(hd, d, EV_ADDRESS_ADDED);
	free(capture_end(&c));
	CHECK_STR(got, "10-first 50-run Zeta foo.sh");
	free(got);
	capture_start(&c);
	got = list_names(hd, d, EV_PPP_CONNECT);
	free(capture_end(&c));
	CHECK_STR(got, "10-first 50-run Zeta foo.sh");
	free(got);
	hooksdir_free(hd);
	rmtree(d);
}

TEST(hooksdir_missing_dir_and_symlinks)
{
	char *d = tmpdir(), *missing = in(d, "nope"), *got, *log, *target, *link;
	struct hooksdir *hd = hooksdir_new(missing);
	char **paths = (char **)1;
	struct capture c;

	capture_start(&c);
	CHECK(hooksdir_list(hd, EV_LINK_UP, &paths) == 0);
	log = capture_end(&c);
	CHECK(paths == NULL);
	CHECK_STR(log, "");
	free(log);
	hooksdir_free(hd);
	CHECK(hooksdir_list(NULL, EV_LINK_UP, &paths) == 0);

	/* A symlink to an executable is a hook; a dangling one is skipped. */
	put(d, "real", 0755);
	target = in(d, "real");
	link = in(d, "via-link");
	if (symlink(target, link) != 0)
		abort();
	free(link);
	link = in(d, "dangling");
	if (symlink(missing, link) != 0)
		abort();
	hd = hooksdir_new(d);
	capture_start(&c);
	got = list_names(hd, d, EV_LINK_ADDED);
	log = capture_end(&c);
	CHECK_STR(got, "real via-link");
	CHECK(strstr(log, "/dangling: cannot stat: No such file or directory\n"));
	free(got);
	free(log);
	hooksdir_free(hd);
	free(link);
	free(target);
	free(missing);
	rmtree(d);
}

struct reports {
	char text[4096];
	int errors, notes;
};

static void on_report(void *ctx, bool is_error, const char *msg)
{
	struct reports *r = ctx;

	if (is_error)
		r->errors++;
	else
		r->notes++;
	strncat(r->text, is_error ? "E " : "N ", sizeof(r->text) - strlen(r->text) - 1);
	strncat(r->text, msg, sizeof(r->text) - strlen(r->text) - 1);
	strncat(r->text, "\n", sizeof(r->text) - strlen(r->text) - 1);
}

TEST(hooksdir_check_reports_everything)
{
	char *d = tmpdir(), *missing = in(d, "nope");
	struct reports r = {.errors = 0};
	int n;

	make_tree(d);
	n = hooksdir_check(d, on_report, &r);
	CHECK(n == 1);
	CHECK(r.errors == 1);
	CHECK(r.notes == 13);
	CHECK(strstr(r.text, "E hooks: ") && strstr(r.text, "/bogus.d: no event of that name"));
	CHECK(strstr(r.text, "N hooks: skipping ") && strstr(r.text, "/readme: not executable\n"));
	/* Files inside known EVENT.d directories are checked too. */
	CHECK(strstr(r.text, "/link-up.d/off~: editor backup file (ends in ~)\n"));
	CHECK(strstr(r.text, "/link-up.d/nested: is a directory\n"));
	CHECK(!strstr(r.text, "foo.sh"));
	CHECK(!strstr(r.text, "bogus.d/never"));

	memset(&r, 0, sizeof(r));
	CHECK(hooksdir_check(missing, on_report, &r) == 1);
	CHECK(r.errors == 1);
	CHECK(strstr(r.text, "/nope: No such file or directory\n") != NULL);
	free(missing);
	rmtree(d);
}
