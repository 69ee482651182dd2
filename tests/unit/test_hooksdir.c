/* Purpose: unit tests of hooks.d lookup: skipped files and why, byte order,
 * EVENT.d directories, route events, and skips logged only once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hooksdir.h"
#include "log.h"
#include "testfs.h"
#include "testlog.h"
#include "unit.h"

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
	char *fifo = testfs_path(d, "fifo");

	testfs_hook(d, "50-run", 0755);
	testfs_hook(d, "foo.sh", 0755);  /* run-parts would skip it; we do not */
	testfs_hook(d, "Zeta", 0755);	  /* byte order: upper case first */
	testfs_hook(d, "10-first", 0755);
	testfs_hook(d, ".hidden", 0755); /* silent */
	testfs_hook(d, "old~", 0755);
	testfs_hook(d, "x.dpkg-old", 0755);
	testfs_hook(d, "x.dpkg-dist", 0755);
	testfs_hook(d, "y.rpmnew", 0755);
	testfs_hook(d, "y.rpmsave", 0755);
	testfs_hook(d, "y.rpmorig", 0755);
	testfs_hook(d, ".z.swp", 0644);	  /* dotfile: silent */
	testfs_hook(d, "z.swp", 0755);
	testfs_hook(d, "w.disabled", 0755);
	testfs_hook(d, "readme", 0644);
	testfs_mkdir(d, "subdir");
	if (mkfifo(fifo, 0755) != 0)
		abort();
	free(fifo);
	testfs_mkdir(d, "link-up.d");
	testfs_hook(d, "link-up.d/20-b", 0755);
	testfs_hook(d, "link-up.d/10-a", 0755);
	testfs_hook(d, "link-up.d/off~", 0755);
	testfs_mkdir(d, "link-up.d/nested");
	testfs_mkdir(d, "route-added.d");
	testfs_hook(d, "route-added.d/r", 0755);
	testfs_mkdir(d, "bogus.d");
	testfs_hook(d, "bogus.d/never", 0755);
}

TEST(hooksdir_order_and_skips)
{
	char *d = testfs_tmpdir("hd"), *got, *log;
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
	CHECK(strstr(log, "/old~: editor backup file (ends in ~) hook="));
	CHECK(strstr(log, "/x.dpkg-old: dpkg leftover (.dpkg-) hook="));
	CHECK(strstr(log, "/x.dpkg-dist: dpkg leftover (.dpkg-) hook="));
	CHECK(strstr(log, "/y.rpmnew: rpm leftover hook="));
	CHECK(strstr(log, "/y.rpmsave: rpm leftover hook="));
	CHECK(strstr(log, "/y.rpmorig: rpm leftover hook="));
	CHECK(strstr(log, "/z.swp: editor swap file (.swp) hook="));
	CHECK(strstr(log, "/w.disabled: disabled (.disabled) hook="));
	CHECK(strstr(log, "/readme: not executable hook="));
	CHECK(strstr(log, "/subdir: is a directory hook="));
	CHECK(strstr(log, "/fifo: not a regular file hook="));
	CHECK(strstr(log, "/link-up.d/off~: editor backup file (ends in ~) hook="));
	CHECK(strstr(log, "/link-up.d/nested: is a directory hook="));
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
	testfs_rmtree(d);
}

TEST(hooksdir_a_new_reason_is_logged_again)
{
	char *d = testfs_tmpdir("hd"), *got, *log, *p;
	struct hooksdir *hd;
	struct capture c;

	testfs_hook(d, "h", 0644);
	hd = hooksdir_new(d);
	capture_start(&c);
	free(list_names(hd, d, EV_LINK_DOWN));
	free(list_names(hd, d, EV_LINK_UP));
	log = capture_end(&c);
	CHECK(count(log, "/h: not executable") == 1);
	free(log);

	/* Read afresh at every call: a fix takes effect at once. */
	p = testfs_path(d, "h");
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
	testfs_rmtree(d);
}

TEST(hooksdir_route_events_use_only_their_directory)
{
	char *d = testfs_tmpdir("hd"), *got;
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
	testfs_rmtree(d);
}

TEST(hooksdir_missing_dir_and_symlinks)
{
	char *d = testfs_tmpdir("hd"), *missing = testfs_path(d, "nope");
	char *got, *log, *target, *link;
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

	/* Symlinks are never hooks (their target's owner could change what runs),
	 * dangling or not. */
	testfs_hook(d, "real", 0755);
	target = testfs_path(d, "real");
	link = testfs_path(d, "via-link");
	if (symlink(target, link) != 0)
		abort();
	free(link);
	link = testfs_path(d, "dangling");
	if (symlink(missing, link) != 0)
		abort();
	hd = hooksdir_new(d);
	capture_start(&c);
	got = list_names(hd, d, EV_LINK_ADDED);
	log = capture_end(&c);
	CHECK_STR(got, "real");
	CHECK(strstr(log, "/via-link: is a symbolic link (hooks must be regular files) hook="));
	CHECK(strstr(log, "/dangling: is a symbolic link (hooks must be regular files) hook="));
	free(got);
	free(log);
	hooksdir_free(hd);
	free(link);
	free(target);
	free(missing);
	testfs_rmtree(d);
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
	char *d = testfs_tmpdir("hd"), *missing = testfs_path(d, "nope");
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
	testfs_rmtree(d);
}
