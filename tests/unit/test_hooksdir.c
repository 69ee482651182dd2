/* Purpose: unit tests of hooks.d lookup: skipped files and why, byte order,
 * EVENT.d directories, route events, skips logged only once, and the kept
 * listings: every change is seen at the next lookup, without waiting. */
#include <dirent.h>
#include <fcntl.h>
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

/* The next lookup lists exactly want (names as list_names gives them). */
#define CHECK_LIST(hd, dir, t, want)                                               \
	do {                                                                       \
		char *got_ = list_names(hd, dir, t);                               \
		CHECK_STR(got_, want);                                             \
		free(got_);                                                        \
	} while (0)

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

	/* Seen at the next call: a fix takes effect at once. */
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

/* ---- kept listings ---------------------------------------------------- */

/* Each change below is seen by the very next lookup: no sleep anywhere. */
TEST(hooksdir_sees_each_change_at_the_next_lookup)
{
	char *d = testfs_tmpdir("hd"), *got, *log, *a = testfs_path(d, "a");
	char *evd = testfs_path(d, "link-up.d"), *moved = testfs_path(d, "moved");
	struct hooksdir *hd;
	struct capture c;

	testfs_hook(d, "a", 0755);
	hd = hooksdir_new(d);
	CHECK_LIST(hd, d, EV_LINK_UP, "a");

	testfs_hook(d, "b", 0755); /* created */
	CHECK_LIST(hd, d, EV_LINK_UP, "a b");

	capture_start(&c);
	chmod(a, 0644); /* attributes */
	got = list_names(hd, d, EV_LINK_UP);
	log = capture_end(&c);
	CHECK_STR(got, "b");
	CHECK(count(log, "/a: not executable hook=") == 1);
	free(got);
	free(log);
	chmod(a, 0755);
	CHECK_LIST(hd, d, EV_LINK_UP, "a b");

	unlink(a); /* removed */
	CHECK_LIST(hd, d, EV_LINK_UP, "b");

	/* An EVENT.d made after lookups of its event found none, then filled,
	 * renamed away and back. */
	testfs_mkdir(d, "link-up.d");
	testfs_hook(evd, "x", 0755);
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/x b");
	testfs_hook(evd, "y", 0755);
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/x link-up.d/y b");
	if (rename(evd, moved) != 0)
		abort();
	capture_start(&c);
	CHECK_LIST(hd, d, EV_LINK_UP, "b");
	free(capture_end(&c)); /* "moved: is a directory" */
	testfs_hook(moved, "z", 0755); /* no longer its business */
	if (rename(moved, evd) != 0)
		abort();
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/x link-up.d/y link-up.d/z b");

	/* hooks_dir itself made group-writable: nothing in it is trusted. */
	capture_start(&c);
	chmod(d, 0775);
	got = list_names(hd, d, EV_LINK_UP);
	log = capture_end(&c);
	CHECK_STR(got, "");
	CHECK(count(log, " is writable by group or others hook=") == 4);
	free(got);
	free(log);
	chmod(d, 0700);
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/x link-up.d/y link-up.d/z b");

	hooksdir_free(hd);
	free(a);
	free(evd);
	free(moved);
	testfs_rmtree(d);
}

TEST(hooksdir_that_appears_later)
{
	char *d = testfs_tmpdir("hd"), *h = testfs_path(d, "h");
	struct hooksdir *hd = hooksdir_new(h);

	CHECK_LIST(hd, h, EV_LINK_UP, "");
	testfs_mkdir(d, "h");
	testfs_hook(h, "a", 0755);
	CHECK_LIST(hd, h, EV_LINK_UP, "a");
	/* And from then on it is watched like any other. */
	testfs_hook(h, "b", 0755);
	CHECK_LIST(hd, h, EV_LINK_UP, "a b");
	/* Gone, and back. */
	testfs_rmtree(testfs_path(d, "h"));
	CHECK_LIST(hd, h, EV_LINK_UP, "");
	testfs_mkdir(d, "h");
	testfs_hook(h, "c", 0755);
	CHECK_LIST(hd, h, EV_LINK_UP, "c");
	hooksdir_free(hd);
	free(h);
	testfs_rmtree(d);
}

/* A directory above hooks_dir renamed: the same path, another directory. */
TEST(hooksdir_renamed_parent)
{
	char *d = testfs_tmpdir("hd"), *parent = testfs_path(d, "p"), *old = testfs_path(d, "old");
	char *h = testfs_path(parent, "h");
	struct hooksdir *hd;

	testfs_mkdir(d, "p");
	testfs_mkdir(parent, "h");
	testfs_hook(h, "a", 0755);
	hd = hooksdir_new(h);
	CHECK_LIST(hd, h, EV_LINK_UP, "a");
	if (rename(parent, old) != 0)
		abort();
	testfs_mkdir(d, "p");
	testfs_mkdir(parent, "h");
	testfs_hook(h, "b", 0755);
	CHECK_LIST(hd, h, EV_LINK_UP, "b");
	hooksdir_free(hd);
	free(h);
	free(old);
	free(parent);
	testfs_rmtree(d);
}

/* A verdict that rests on a directory above hooks_dir, which no watch sees,
 * is not kept; one that does not is kept (a change above it is caught when
 * the hook would start, see test_jobs_start.c). */
TEST(hooksdir_keeps_only_what_its_watches_see)
{
	char *d = testfs_tmpdir("hd"), *h = testfs_path(d, "h"), *got, *log;
	struct hooksdir *hd;
	struct capture c;

	testfs_mkdir(d, "h");
	testfs_hook(h, "a", 0755);
	chmod(d, 0777);
	hd = hooksdir_new(h);
	capture_start(&c);
	got = list_names(hd, h, EV_LINK_UP);
	log = capture_end(&c);
	CHECK_STR(got, "");
	CHECK(count(log, " is writable by group or others hook=") == 1);
	free(got);
	free(log);
	chmod(d, 0700);
	CHECK_LIST(hd, h, EV_LINK_UP, "a");
	chmod(d, 0777);
	CHECK_LIST(hd, h, EV_LINK_UP, "a"); /* kept: nothing in h changed */
	chmod(d, 0700);
	hooksdir_free(hd);
	free(h);
	testfs_rmtree(d);
}

/* An EVENT.d that is a symlink to a directory not made yet: not watchable,
 * so read at every lookup until its target is there, then watched. */
TEST(hooksdir_event_dir_symlink_to_a_later_directory)
{
	char *d = testfs_tmpdir("hd"), *target = testfs_path(d, "target");
	char *h = testfs_path(d, "h"), *link;
	struct hooksdir *hd;
	struct capture c;

	testfs_mkdir(d, "h");
	link = testfs_path(h, "link-up.d");
	if (symlink(target, link) != 0)
		abort();
	hd = hooksdir_new(h);
	capture_start(&c);
	CHECK_LIST(hd, h, EV_LINK_UP, "");
	free(capture_end(&c)); /* "link-up.d: is a symbolic link" */
	testfs_mkdir(d, "target");
	testfs_hook(target, "x", 0755);
	CHECK_LIST(hd, h, EV_LINK_UP, "link-up.d/x");
	testfs_hook(target, "y", 0755);
	CHECK_LIST(hd, h, EV_LINK_UP, "link-up.d/x link-up.d/y");
	hooksdir_free(hd);
	free(link);
	free(h);
	free(target);
	testfs_rmtree(d);
}

/* Two EVENT.d names for one directory: inotify gives them one watch. */
TEST(hooksdir_two_event_dirs_one_directory)
{
	char *d = testfs_tmpdir("hd"), *up = testfs_path(d, "link-up.d");
	char *down = testfs_path(d, "link-down.d");
	struct hooksdir *hd;
	struct capture c;

	testfs_mkdir(d, "link-up.d");
	testfs_hook(up, "a", 0755);
	if (symlink("link-up.d", down) != 0)
		abort();
	hd = hooksdir_new(d);
	capture_start(&c);
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/a");
	free(capture_end(&c)); /* "link-down.d: is a symbolic link" */
	CHECK_LIST(hd, d, EV_LINK_DOWN, "link-down.d/a");
	testfs_hook(up, "b", 0755);
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/a link-up.d/b");
	CHECK_LIST(hd, d, EV_LINK_DOWN, "link-down.d/a link-down.d/b");
	testfs_hook(up, "c", 0755);
	CHECK_LIST(hd, d, EV_LINK_DOWN, "link-down.d/a link-down.d/b link-down.d/c");
	CHECK_LIST(hd, d, EV_LINK_UP, "link-up.d/a link-up.d/b link-up.d/c");
	hooksdir_free(hd);
	free(up);
	free(down);
	testfs_rmtree(d);
}

/* More changes than the inotify queue holds: the ones after it filled are
 * lost, and the overflow it reports instead must count as "anything". */
TEST(hooksdir_queue_overflow)
{
	char *d = testfs_tmpdir("hd"), *evd = testfs_path(d, "link-down.d"), *dot;
	long max = 0;
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "re");
	struct hooksdir *hd;

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 0;
		fclose(f);
	}
	testfs_mkdir(d, "link-down.d");
	testfs_hook(d, "a", 0755);
	hd = hooksdir_new(d);
	free(list_names(hd, d, EV_LINK_DOWN)); /* both directories watched */
	/* No limit to read, or one too large to reach quickly: nothing to test. */
	if (max > 0 && max <= 1000000) {
		dot = testfs_path(evd, ".x");
		/* Three events each, never two alike in a row (those merge). */
		for (long i = 0; i <= max / 2; i++) {
			int fd = open(dot, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (fd < 0)
				abort();
			close(fd); /* IN_CREATE, IN_CLOSE_WRITE */
			unlink(dot); /* IN_DELETE */
		}
		free(dot);
		testfs_hook(d, "late", 0755); /* its event is lost */
		CHECK_LIST(hd, d, EV_LINK_DOWN, "a late");
		/* And the watches work again afterwards. */
		testfs_hook(evd, "e", 0755);
		CHECK_LIST(hd, d, EV_LINK_DOWN, "link-down.d/e a late");
	}
	hooksdir_free(hd);
	free(evd);
	testfs_rmtree(d);
}

/* inotify fds open, and whether each is close-on-exec (a hook must not get it). */
static int inotify_fds(bool *all_cloexec)
{
	DIR *fds = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	*all_cloexec = true;
	if (!fds)
		abort();
	while ((de = readdir(fds))) {
		char path[300], target[64];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, "anon_inode:inotify") != 0)
			continue;
		n++;
		if (!(fcntl(atoi(de->d_name), F_GETFD) & FD_CLOEXEC))
			*all_cloexec = false;
	}
	closedir(fds);
	return n;
}

TEST(hooksdir_inotify_fd_is_close_on_exec_and_freed)
{
	char *d = testfs_tmpdir("hd");
	bool cloexec;
	int before = inotify_fds(&cloexec);
	struct hooksdir *hd = hooksdir_new(d);

	free(list_names(hd, d, EV_LINK_UP));
	CHECK(inotify_fds(&cloexec) == before + 1);
	CHECK(cloexec);
	hooksdir_free(hd);
	CHECK(inotify_fds(&cloexec) == before);
	testfs_rmtree(d);
}
