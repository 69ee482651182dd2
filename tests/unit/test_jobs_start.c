/* Purpose: unit tests of the check made when a hook starts: a hook whose
 * program may not run is refused then (also under --dry-run), counted, logged
 * once per (path, reason), and its queue goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs.h"
#include "log.h"
#include "testfs.h"
#include "testlog.h"
#include "unit.h"
#include "xalloc.h"

/* The programs --dry-run was shown, space-separated, each without its dir. */
struct shown {
	char names[512];
};

static void on_dry_run(void *ctx, const struct hook_spec *spec, const char *label)
{
	struct shown *sh = ctx;
	const char *slash = strrchr(spec->argv[0], '/');

	(void)label;
	if (sh->names[0])
		strncat(sh->names, " ", sizeof(sh->names) - strlen(sh->names) - 1);
	strncat(sh->names, slash ? slash + 1 : spec->argv[0],
		sizeof(sh->names) - strlen(sh->names) - 1);
}

/* One link-up event on its own interface (so nothing coalesces), running
 * the programs in order. */
static void add_event(struct jobs *j, int ifindex, char *const *progs, size_t n)
{
	struct event ev = { .type = EV_LINK_UP, .ifindex = ifindex };
	struct hook_spec *specs = xcalloc(n, sizeof(*specs));

	snprintf(ev.iface, sizeof(ev.iface), "eth%d", ifindex);
	for (size_t i = 0; i < n; i++) {
		specs[i].name = xstrdup(progs[i]);
		specs[i].argv = xcalloc(2, sizeof(char *));
		specs[i].argv[0] = xstrdup(progs[i]);
	}
	jobs_add_event(j, &ev, specs, n);
	free(specs);
}

static uint64_t refused(const struct jobs *j)
{
	struct jobs_stats st;

	jobs_get_stats(j, &st);
	return st.refused;
}

TEST(jobs_refuse_a_program_when_it_would_start)
{
	char *d = testfs_tmpdir("jobs");
	char *good = testfs_write(d, "good", 0755, "#!/bin/sh\n");
	char *loose = testfs_write(d, "loose", 0775, "#!/bin/sh\n"); /* group-writable */
	char *noexec = testfs_write(d, "noexec", 0644, "#!/bin/sh\n");
	char *both[] = { loose, good, noexec };
	char want[1024], *log;
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct jobs *j = jobs_new(epfd, 4, 30);
	struct shown sh = { "" };
	struct capture c;

	log_init(LOG_TO_STDERR, false);
	jobs_set_dry_run(j, on_dry_run, &sh);
	capture_start(&c);
	add_event(j, 1, both, 3);
	add_event(j, 2, both, 3);
	jobs_pump(j);
	log = capture_end(&c);
	/* The refused ones are not shown; the one after them still is. */
	CHECK_STR(sh.names, "good good");
	CHECK(refused(j) == 4);
	snprintf(want, sizeof(want),
		 "ifhookd: hooks: not running %s: writable by group or others hook=%s "
		 "action=refuse\n",
		 loose, loose);
	CHECK(count(log, want) == 1);
	CHECK(count(log, "/noexec: not executable hook=") == 1);
	CHECK(count(log, "not running") == 2);
	free(log);

	/* Queued while fine, changed before it starts: refused, logged once. */
	sh.names[0] = '\0';
	add_event(j, 3, &good, 1);
	chmod(good, 0757);
	capture_start(&c);
	jobs_pump(j);
	add_event(j, 4, &good, 1);
	jobs_pump(j);
	log = capture_end(&c);
	CHECK_STR(sh.names, "");
	CHECK(refused(j) == 6);
	CHECK(count(log, "/good: writable by group or others hook=") == 1);
	free(log);

	/* After a reload, a refusal that persists is logged again. */
	jobs_forget_refusals(j);
	capture_start(&c);
	add_event(j, 5, &good, 1);
	jobs_pump(j);
	log = capture_end(&c);
	CHECK(count(log, "/good: writable by group or others hook=") == 1);
	free(log);
	chmod(good, 0755);
	add_event(j, 6, &good, 1);
	jobs_pump(j);
	CHECK_STR(sh.names, "good");
	CHECK(jobs_idle(j));

	jobs_free(j);
	close(epfd);
	free(good);
	free(loose);
	free(noexec);
	testfs_rmtree(d);
}
