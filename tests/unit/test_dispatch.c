/* Purpose: unit tests of dispatch: rules first in file order, then EVENT.d/,
 * then top-level hooks; argv in both args modes; RULE in the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "dispatch.h"
#include "testfs.h"
#include "unit.h"

/* "a b c" for an argv. */
static char *joined(char **argv)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i]; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, argv[i]);
	}
	return buf;
}

static const char *env_get(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

static struct event link_up(const char *iface)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EV_LINK_UP;
	ev.ifindex = 4;
	snprintf(ev.iface, sizeof(ev.iface), "%s", iface);
	ev.has_link = true;
	ev.link.up = true;
	return ev;
}

/* Three rules: "first" (two runs), "other" (only ppp*), "last" (args none). */
static char *run_first_a[] = {"/usr/bin/true", "--x", NULL};
static char *run_first_b[] = {"/usr/bin/false", NULL};
static char *run_other[] = {"/usr/bin/env", NULL};
static char *run_last[] = {"/usr/bin/printf", "only", "these", NULL};
static char *ppp_glob[] = {"ppp*"};

static struct command first_runs[] = {{run_first_a, 2}, {run_first_b, 1}};
static struct command other_runs[] = {{run_other, 1}};
static struct command last_runs[] = {{run_last, 3}};

static struct rule rules[] = {
	{.name = "first", .runs = first_runs, .n_runs = 2, .args = ARGS_IFACE_EVENT},
	{.name = "other",
	 .ifaces = {.pos = ppp_glob, .n_pos = 1},
	 .runs = other_runs,
	 .n_runs = 1,
	 .args = ARGS_IFACE_EVENT},
	{.name = "last", .runs = last_runs, .n_runs = 1, .args = ARGS_NONE},
};

static struct config cfg = {.rules = rules, .n_rules = 3};

static void clear_all(struct hook_spec *specs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hook_spec_clear(&specs[i]);
	free(specs);
}

TEST(dispatch_rules_then_event_dir_then_top_level)
{
	char *d = testfs_tmpdir("dsp"), *p;
	struct hooksdir *hd;
	struct hook_spec *s;
	struct event ev = link_up("eth0");
	size_t n;

	testfs_hook(d, "b-top", 0755);
	testfs_hook(d, "a-top", 0755);
	testfs_mkdir(d, "link-up.d");
	testfs_hook(d, "link-up.d/z-ev", 0755);
	testfs_hook(d, "link-up.d/m-ev", 0755);
	testfs_mkdir(d, "link-down.d");
	testfs_hook(d, "link-down.d/not-for-up", 0755);
	hd = hooksdir_new(d);

	n = dispatch_build(&cfg, hd, &ev, &s);
	CHECK(n == 7);
	if (n != 7)
		goto out;
	CHECK_STR(s[0].name, "rule first");
	CHECK_STR(joined(s[0].argv), "/usr/bin/true --x eth0 link-up");
	CHECK_STR(s[1].name, "rule first");
	CHECK_STR(joined(s[1].argv), "/usr/bin/false eth0 link-up");
	/* "other" wants ppp*: skipped. "last" has args = none. */
	CHECK_STR(s[2].name, "rule last");
	CHECK_STR(joined(s[2].argv), "/usr/bin/printf only these");
	CHECK_STR(env_get(s[0].envp, "RULE"), "first");
	CHECK_STR(env_get(s[2].envp, "RULE"), "last");

	p = testfs_path(d, "link-up.d/m-ev");
	CHECK_STR(s[3].name, p);
	CHECK(s[3].argv[0] && strcmp(s[3].argv[0], p) == 0);
	free(p);
	CHECK_STR(s[3].argv[1], "eth0");
	CHECK_STR(s[3].argv[2], "link-up");
	CHECK(s[3].argv[3] == NULL);
	CHECK(strstr(s[4].name, "/link-up.d/z-ev") != NULL);
	CHECK(strstr(s[5].name, "/a-top") != NULL);
	CHECK(strstr(s[6].name, "/b-top") != NULL);
	for (size_t i = 3; i < 7; i++) {
		CHECK_STR(env_get(s[i].envp, "RULE"), "");
		CHECK_STR(env_get(s[i].envp, "EVENT"), "link-up");
		CHECK_STR(env_get(s[i].envp, "IFACE"), "eth0");
	}
out:
	clear_all(s, n);
	hooksdir_free(hd);
	testfs_rmtree(d);
}

TEST(dispatch_rule_globs_select_rules)
{
	struct event ev = link_up("ppp0");
	struct hook_spec *s;
	size_t n = dispatch_build(&cfg, NULL, &ev, &s);

	CHECK(n == 4);
	if (n == 4) {
		CHECK_STR(s[2].name, "rule other");
		CHECK_STR(joined(s[2].argv), "/usr/bin/env ppp0 link-up");
		CHECK_STR(env_get(s[2].envp, "RULE"), "other");
		CHECK_STR(s[3].name, "rule last");
	}
	clear_all(s, n);
}

TEST(dispatch_route_events_skip_top_level)
{
	char *d = testfs_tmpdir("dsp");
	struct hooksdir *hd;
	struct hook_spec *s;
	struct event ev;
	struct config none = {0};
	size_t n;

	testfs_hook(d, "top", 0755);
	testfs_mkdir(d, "route-added.d");
	testfs_hook(d, "route-added.d/r", 0755);
	hd = hooksdir_new(d);
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_ROUTE_ADDED;
	ev.family = 2;
	ev.route.table = 254;

	n = dispatch_build(&none, hd, &ev, &s);
	CHECK(n == 1);
	if (n == 1) {
		CHECK(strstr(s[0].name, "/route-added.d/r") != NULL);
		/* A route without a device: IFACE is an empty argument. */
		CHECK_STR(s[0].argv[1], "");
		CHECK_STR(s[0].argv[2], "route-added");
		CHECK_STR(env_get(s[0].envp, "ROUTE_DST"), "default");
	}
	clear_all(s, n);
	ev.type = EV_ROUTE_REMOVED;
	n = dispatch_build(&none, hd, &ev, &s);
	CHECK(n == 0);
	CHECK(s == NULL);
	hooksdir_free(hd);
	testfs_rmtree(d);
}

TEST(dispatch_metacharacters_are_one_argument)
{
	struct event ev = link_up("a b;$(x)");
	struct hook_spec *s;
	size_t n = dispatch_build(&cfg, NULL, &ev, &s);

	CHECK(n == 3);
	if (n == 3) {
		CHECK_STR(s[1].argv[1], "a b;$(x)");
		CHECK(s[1].argv[3] == NULL);
	}
	clear_all(s, n);
}

/* args = pppd: run's words, then pppd's ip-up arguments, and the pppd
 * variables in the environment; other rules of the same event keep theirs. */
TEST(dispatch_args_pppd)
{
	static char *run_compat[] = {"/usr/bin/env", "/etc/ppp/ip-up.d", NULL};
	static char *ppp_events[] = {"ppp-connect", "ppp-disconnect"};
	struct command compat_runs[] = {{run_compat, 2}};
	struct rule two[] = {
		{.name = "compat",
		 .events = {.pos = ppp_events, .n_pos = 2},
		 .runs = compat_runs,
		 .n_runs = 1,
		 .args = ARGS_PPPD},
		{.name = "plain", .runs = compat_runs, .n_runs = 1, .args = ARGS_IFACE_EVENT},
	};
	struct config c = {.rules = two, .n_rules = 2};
	struct event ev = link_up("ppp0");
	struct hook_spec *s;
	size_t n;

	ev.type = EV_PPP_CONNECT;
	ev.family = 2;
	ev.ppp.local.family = 2;
	memcpy(ev.ppp.local.bytes, "\xc0\x00\x02\x01", 4);
	ev.ppp.remote.family = 2;
	memcpy(ev.ppp.remote.bytes, "\xc0\x00\x02\x02", 4);
	n = dispatch_build(&c, NULL, &ev, &s);
	CHECK(n == 2);
	if (n == 2) {
		CHECK_STR(joined(s[0].argv), "/usr/bin/env /etc/ppp/ip-up.d ppp0 "
					     " 0 192.0.2.1 192.0.2.2 ");
		CHECK(s[0].argv[3] && s[0].argv[3][0] == '\0');
		CHECK(s[0].argv[7] && s[0].argv[7][0] == '\0' && s[0].argv[8] == NULL);
		CHECK_STR(env_get(s[0].envp, "IPLOCAL"), "192.0.2.1");
		CHECK_STR(env_get(s[0].envp, "IPREMOTE"), "192.0.2.2");
		CHECK_STR(env_get(s[0].envp, "IFNAME"), "ppp0");
		CHECK_STR(env_get(s[0].envp, "PPP_TTY"), "");
		CHECK_STR(env_get(s[0].envp, "PPP_SPEED"), "0");
		CHECK_STR(env_get(s[0].envp, "PPP_IPPARAM"), "");
		CHECK_STR(env_get(s[0].envp, "RULE"), "compat");
		CHECK_STR(joined(s[1].argv),
			  "/usr/bin/env /etc/ppp/ip-up.d ppp0 ppp-connect");
		CHECK(env_get(s[1].envp, "IPLOCAL") == NULL);
		CHECK_STR(env_get(s[1].envp, "PPP_LOCAL"), "192.0.2.1");
	}
	clear_all(s, n);
}

TEST(dispatch_hook_spec_clear_is_idempotent)
{
	struct event ev = link_up("eth0");
	struct hook_spec *s;
	size_t n = dispatch_build(&cfg, NULL, &ev, &s);

	CHECK(n == 3);
	hook_spec_clear(&s[0]);
	CHECK(s[0].name == NULL && s[0].argv == NULL && s[0].envp == NULL);
	hook_spec_clear(&s[0]);
	clear_all(s, n);
}

/* The trust check is made when the hook starts (test_jobs_start.c): an event
 * that is coalesced away never pays for it. */
TEST(dispatch_leaves_the_trust_check_to_the_start)
{
	char *d = testfs_tmpdir("dsp-trust");
	char *prog = testfs_write(d, "prog", 0775, "#!/bin/sh\n"); /* group-writable */
	char *argv[] = { prog, NULL };
	struct command runs[] = { { argv, 1 } };
	struct rule r = { .name = "loose", .runs = runs, .n_runs = 1, .args = ARGS_NONE };
	struct config c = { .rules = &r, .n_rules = 1 };
	struct event ev = link_up("eth0");
	struct hook_spec *s;
	size_t n;

	n = dispatch_build(&c, NULL, &ev, &s);
	CHECK(n == 1);
	if (n == 1)
		CHECK_STR(s[0].argv[0], prog);
	clear_all(s, n);
	free(prog);
	testfs_rmtree(d);
}
