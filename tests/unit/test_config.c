/* Purpose: unit tests of the config parser: values, paths, rules_dir order,
 * and every class of error, all reported in one run with the right line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "testfs.h"
#include "unit.h"

struct errs {
	char *msg[128];
	int n;
};

static void collect(void *ctx, const char *msg)
{
	struct errs *e = ctx;

	if (e->n < 128)
		e->msg[e->n] = strdup(msg);
	e->n++;
}

static void errs_clear(struct errs *e)
{
	for (int i = 0; i < e->n && i < 128; i++)
		free(e->msg[i]);
	e->n = 0;
}

static void errs_print(const struct errs *e)
{
	for (int i = 0; i < e->n && i < 128; i++)
		printf("    got: %s\n", e->msg[i]);
}

/* True if exactly this message was reported. */
__attribute__((format(printf, 2, 3))) static bool has(const struct errs *e, const char *fmt,
						      ...)
{
	char *want;
	va_list ap;
	bool found = false;

	va_start(ap, fmt);
	if (vasprintf(&want, fmt, ap) < 0)
		abort();
	va_end(ap);
	for (int i = 0; i < e->n && i < 128; i++)
		if (strcmp(e->msg[i], want) == 0)
			found = true;
	if (!found)
		printf("    missing: %s\n", want);
	free(want);
	return found;
}

/* A hooks dir with an executable "ok" and a non-executable "noexec". */
static void make_hooks(const char *dir, const char *name)
{
	char *h = testfs_path(dir, name);

	testfs_mkdir(dir, name);
	testfs_hook(h, "ok", 0755);
	testfs_hook(h, "noexec", 0644);
	free(h);
}

TEST(config_good_file_builds_the_right_struct)
{
	char *d = testfs_tmpdir("cfg"), *conf, *want;
	struct errs e = {.n = 0};
	struct config *cfg;
	const struct rule *r;

	make_hooks(d, "hooks");
	testfs_mkdir(d, "rules");
	conf = testfs_write(d, "ifhookd.conf", 0644,
			    "; comment\n"
			    "# another comment\n"
			    "[daemon]\n"
			    "hooks_dir = hooks ; relative to this file\n"
			    "rules_dir = rules\n"
			    "timeout = 12\n"
			    "max_jobs = 3\n"
			    "startup_events = no\n"
			    "log = syslog\n"
			    "ppp_ipv6_wait = 1.5\n"
			    "\n"
			    "[rule up]\n"
			    "event = link-* !link-removed\n"
			    "interface = eth* !eth9\n"
			    "kind = ppp\n"
			    "family = inet\n"
			    "address = 203.0.113.0/24\n"
			    "destination = default\n"
			    "table = main\n"
			    "run = ok --flag  a:b=c\n"
			    "run = %s/hooks/ok #not-a-comment\n"
			    "args = none\n"
			    "[rule plain]\n"
			    "run = ok\n"
			    "table = 1000\n"
			    "destination = 2001:db8::/32\n",
			    d);
	free(testfs_write(d, "rules/20-b.conf", 0644, "[rule b]\nrun = ok\n"));
	free(testfs_write(d, "rules/10-a.conf", 0644, "[rule a]\nrun = ok\n"));

	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL);
	CHECK(e.n == 0);
	if (e.n)
		errs_print(&e);
	if (!cfg)
		goto out;
	CHECK_STR(cfg->path, conf);
	want = testfs_path(d, "hooks");
	CHECK_STR(cfg->hooks_dir, want);
	free(want);
	want = testfs_path(d, "rules");
	CHECK_STR(cfg->rules_dir, want);
	free(want);
	CHECK(cfg->hooks_dir_set && cfg->rules_dir_set);
	CHECK(cfg->timeout_s == 12);
	CHECK(cfg->max_jobs == 3);
	CHECK(cfg->startup_events == false);
	CHECK(cfg->log == LOG_TO_SYSLOG);
	CHECK(cfg->ppp_ipv6_wait_ms == 1500);

	CHECK(cfg->n_rules == 4);
	if (cfg->n_rules != 4)
		goto out;
	CHECK_STR(cfg->rules[0].name, "up");
	CHECK_STR(cfg->rules[1].name, "plain");
	CHECK_STR(cfg->rules[2].name, "a");
	CHECK_STR(cfg->rules[3].name, "b");

	r = &cfg->rules[0];
	CHECK_STR(r->file, conf);
	CHECK(r->line == 12);
	CHECK(r->events.n_pos == 1 && r->events.n_neg == 1);
	CHECK_STR(r->events.pos[0], "link-*");
	CHECK_STR(r->events.neg[0], "link-removed");
	CHECK(r->ifaces.n_pos == 1 && r->ifaces.n_neg == 1);
	CHECK_STR(r->ifaces.pos[0], "eth*");
	CHECK_STR(r->ifaces.neg[0], "eth9");
	CHECK(r->kinds.n_pos == 1);
	CHECK_STR(r->kinds.pos[0], "ppp");
	CHECK(r->family == AF_INET);
	CHECK(r->has_address && r->address.len == 24 && r->address.addr.family == AF_INET);
	CHECK(r->address.addr.bytes[0] == 203 && r->address.addr.bytes[2] == 113);
	CHECK(r->has_destination && r->destination.len == 0 &&
	      r->destination.addr.family == 0);
	CHECK(r->has_table && r->table == 254);
	CHECK(r->args == ARGS_NONE);
	CHECK(r->n_runs == 2);
	if (r->n_runs == 2) {
		want = testfs_path(d, "hooks/ok");
		CHECK(r->runs[0].argc == 3);
		CHECK_STR(r->runs[0].argv[0], want);
		CHECK_STR(r->runs[0].argv[1], "--flag");
		CHECK_STR(r->runs[0].argv[2], "a:b=c");
		CHECK(r->runs[0].argv[3] == NULL);
		/* '#' inside a line is not a comment. */
		CHECK(r->runs[1].argc == 2);
		CHECK_STR(r->runs[1].argv[0], want);
		CHECK_STR(r->runs[1].argv[1], "#not-a-comment");
		free(want);
	}

	r = &cfg->rules[1];
	CHECK(r->args == ARGS_IFACE_EVENT);
	CHECK(r->family == 0 && !r->has_address);
	CHECK(r->events.n_pos == 0 && r->ifaces.n_pos == 0 && r->kinds.n_pos == 0);
	CHECK(r->has_table && r->table == 1000);
	CHECK(r->has_destination && r->destination.addr.family == AF_INET6 &&
	      r->destination.len == 32);

	r = &cfg->rules[2];
	want = testfs_path(d, "rules/10-a.conf");
	CHECK_STR(r->file, want);
	free(want);
	CHECK(r->line == 1);
out:
	config_free(cfg);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_defaults_for_an_empty_file)
{
	char *d = testfs_tmpdir("cfg"), *conf = testfs_write(d, "c.conf", 0644, "%s", "");
	struct errs e = {.n = 0};
	struct config *cfg = config_load(conf, collect, &e);
	char *want;

	CHECK(cfg != NULL);
	CHECK(e.n == 0);
	if (cfg) {
		CHECK(cfg->timeout_s == 30);
		CHECK(cfg->max_jobs == 8);
		CHECK(cfg->startup_events == true);
		CHECK(cfg->log == LOG_TO_STDERR);
		CHECK(cfg->ppp_ipv6_wait_ms == 3000);
		CHECK(cfg->n_rules == 0);
		/* Missing default directories are fine. */
		CHECK(!cfg->hooks_dir_set && !cfg->rules_dir_set);
		want = testfs_path(d, "hooks.d");
		CHECK_STR(cfg->hooks_dir, want);
		free(want);
		want = testfs_path(d, "rules.d");
		CHECK_STR(cfg->rules_dir, want);
		free(want);
	}
	config_free(cfg);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_missing_file_is_path_colon_message)
{
	char *d = testfs_tmpdir("cfg"), *conf = testfs_path(d, "nope.conf");
	struct errs e = {.n = 0};
	struct config *cfg = config_load(conf, collect, &e);

	CHECK(cfg == NULL);
	CHECK(e.n == 1);
	CHECK(has(&e, "%s: No such file or directory", conf));
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

TEST(config_every_error_in_one_run_with_its_line)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	char *pad = repeat('x', 240);
	struct errs e = {.n = 0};
	struct config *cfg;

	make_hooks(d, "hooks.d");
	conf = testfs_write(d, "ifhookd.conf", 0644,
			    "[daemon]\n"		 /* 1 */
			    "timeout = 0\n"		 /* 2 */
			    "max_jobs = many\n"		 /* 3 */
			    "startup_events = maybe\n"	 /* 4 */
			    "log = journal\n"		 /* 5 */
			    "ppp_ipv6_wait = -1\n"	 /* 6 */
			    "colour = blue\n"		 /* 7 */
			    "timeout = 5\n"		 /* 8 */
			    "this line is garbage\n"	 /* 9 */
			    "hooks_dir =\n"		 /* 10 */
			    "[nonsense]\n"		 /* 11 */
			    "whatever = 1\n"		 /* 12 */
			    "[rule]\n"			 /* 13 */
			    "run = ok\n"		 /* 14 */
			    "[rule a]\n"		 /* 15 */
			    "event = lnk-*\n"		 /* 16 */
			    "interface = eth[0\n"	 /* 17 */
			    "family = ipx\n"		 /* 18 */
			    "address = 10.0.0.300\n"	 /* 19 */
			    "destination = 10.0.0.1/8\n" /* 20 */
			    "table = local\n"		 /* 21 */
			    "args = all\n"		 /* 22 */
			    "kind = !\n"		 /* 23 */
			    "run = missing\n"		 /* 24 */
			    "run = noexec\n"		 /* 25 */
			    "[rule a]\n"		 /* 26 */
			    "bogus = 1\n"		 /* 27 */
			    "table = 0\n"		 /* 28 */
			    "x = %s\n"			 /* 29 */
			    "[rule b] trailing\n"	 /* 30 */
			    "[rule c]\n"		 /* 31 */
			    "run = ok ; fine\n"		 /* 32 */
			    "event = link-up\n"		 /* 33 */
			    "event = link-down\n"	 /* 34 */
			    "[daemon]\n"		 /* 35 */
			    "rules_dir = nowhere\n",	 /* 36 */
			    pad);

	cfg = config_load(conf, collect, &e);
	CHECK(cfg == NULL);
	CHECK(has(&e, "%s:2: timeout: expected whole seconds from 1 to 2147483, not '0'", conf));
	CHECK(has(&e, "%s:3: max_jobs: expected a number from 1 to 65536, not 'many'", conf));
	CHECK(has(&e, "%s:4: startup_events: expected yes or no, not 'maybe'", conf));
	CHECK(has(&e, "%s:5: log: expected stderr or syslog, not 'journal'", conf));
	CHECK(has(&e,
		  "%s:6: ppp_ipv6_wait: expected seconds from 0 to 2147483 with at most 3 "
		  "decimals, not '-1'",
		  conf));
	CHECK(has(&e, "%s:7: unknown key 'colour' in [daemon]", conf));
	CHECK(has(&e, "%s:8: duplicate key 'timeout' (first set at line 2)", conf));
	CHECK(has(&e, "%s:9: expected '[section]' or 'key = value'", conf));
	CHECK(has(&e, "%s:10: hooks_dir: empty value", conf));
	CHECK(has(&e, "%s:11: unknown section [nonsense]; expected [daemon] or [rule NAME]",
		  conf));
	CHECK(has(&e, "%s:13: [rule] needs a name: [rule NAME]", conf));
	CHECK(has(&e, "%s:16: event: 'lnk-*' matches no event name", conf));
	CHECK(has(&e, "%s:17: interface: bad pattern 'eth[0': it has an unbalanced '['", conf));
	CHECK(has(&e, "%s:18: family: expected inet or inet6, not 'ipx'", conf));
	CHECK(has(&e, "%s:19: address: '10.0.0.300' is not an IPv4 or IPv6 address or prefix",
		  conf));
	CHECK(has(&e,
		  "%s:20: destination: '10.0.0.1/8' has host bits set; routes are stored as "
		  "10.0.0.0/8",
		  conf));
	CHECK(has(&e, "%s:21: table: routes in the local table (255) never produce events",
		  conf));
	CHECK(has(&e, "%s:22: args: expected iface-event, none or pppd, not 'all'", conf));
	CHECK(has(&e, "%s:23: kind: '!' must be followed by a pattern", conf));
	CHECK(has(&e, "%s:24: run: %s/hooks.d/missing: No such file or directory", conf, d));
	CHECK(has(&e, "%s:25: run: %s/hooks.d/noexec is not executable", conf, d));
	CHECK(has(&e, "%s:26: duplicate rule name 'a' (first defined at %s:15)", conf, conf));
	CHECK(has(&e, "%s:26: rule has no 'run' line", conf));
	CHECK(has(&e, "%s:27: unknown key 'bogus' in [rule]", conf));
	CHECK(has(&e, "%s:28: table: expected main or a number from 1 to 4294967295, not '0'",
		  conf));
	CHECK(has(&e, "%s:29: line too long (at most 199 characters)", conf));
	CHECK(has(&e, "%s:30: expected '[section]' or 'key = value'", conf));
	CHECK(has(&e, "%s:34: duplicate key 'event' (first set at line 33)", conf));
	CHECK(has(&e, "%s:36: rules_dir: %s/nowhere: No such file or directory", conf, d));
	/* Nothing else: no bogus key from the tail of the long line, no errors
	 * for keys of an unknown section, none for the good lines. */
	CHECK(e.n == 29);
	if (e.n != 29)
		errs_print(&e);
	errs_clear(&e);
	free(pad);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_long_line_limit_is_199_characters)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	char *ok = repeat('a', 199 - strlen("; ")), *bad = repeat('b', 200 - strlen("; "));
	/* The tail of a split line would look like a key to plain inih. */
	char *trap = repeat('c', 200);
	struct errs e = {.n = 0};
	struct config *cfg;

	conf = testfs_write(d, "c.conf", 0644,
			    "; %s\n"		 /* 1: 199 characters, fine */
			    "; %s\n"		 /* 2: 200 characters */
			    "[daemon]\n"	 /* 3 */
			    "; %s timeout = 7\n" /* 4 */
			    "max_jobs = 0\n",	 /* 5 */
			    ok, bad, trap);
	cfg = config_load(conf, collect, &e);
	CHECK(cfg == NULL);
	CHECK(has(&e, "%s:2: line too long (at most 199 characters)", conf));
	CHECK(has(&e, "%s:4: line too long (at most 199 characters)", conf));
	/* Line counting carries on right after a long line. */
	CHECK(has(&e, "%s:5: max_jobs: expected a number from 1 to 65536, not '0'", conf));
	CHECK(e.n == 3);
	errs_clear(&e);
	free(ok);
	free(bad);
	free(trap);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_indented_lines_are_ordinary_lines)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};
	struct config *cfg;

	make_hooks(d, "hooks.d");
	/* To plain inih, "  timeout = 9" would continue log's value. */
	conf = testfs_write(d, "c.conf", 0644,
			    "[daemon]\n"
			    "log = syslog\n"
			    "  timeout = 9\n"
			    "\tmax_jobs = 2\n"
			    "   [rule x]\n"
			    "    run = ok\n");
	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL);
	CHECK(e.n == 0);
	if (e.n)
		errs_print(&e);
	if (cfg) {
		CHECK(cfg->log == LOG_TO_SYSLOG);
		CHECK(cfg->timeout_s == 9);
		CHECK(cfg->max_jobs == 2);
		CHECK(cfg->n_rules == 1 && cfg->rules[0].n_runs == 1);
	}
	config_free(cfg);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_inline_comments)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};
	struct config *cfg;

	make_hooks(d, "hooks.d");
	conf = testfs_write(d, "c.conf", 0644,
			    "[daemon] ; the daemon\n"
			    "timeout = 5 ; seconds\n"
			    "max_jobs = 4\t; tab before\n"
			    "[rule x] ; a rule\n"
			    "interface = a;b # c\n"
			    "run = ok\n");
	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL);
	if (!cfg)
		errs_print(&e);
	if (cfg) {
		CHECK(cfg->timeout_s == 5);
		CHECK(cfg->max_jobs == 4);
		CHECK(cfg->n_rules == 1);
		/* ';' without whitespace before it, and '#', are part of the value. */
		CHECK(cfg->rules[0].ifaces.n_pos == 3);
		if (cfg->rules[0].ifaces.n_pos == 3) {
			CHECK_STR(cfg->rules[0].ifaces.pos[0], "a;b");
			CHECK_STR(cfg->rules[0].ifaces.pos[1], "#");
			CHECK_STR(cfg->rules[0].ifaces.pos[2], "c");
		}
	}
	config_free(cfg);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_empty_value_after_inline_comment)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};

	conf = testfs_write(d, "c.conf", 0644, "[daemon]\ntimeout = ; nothing\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:2: timeout: empty value", conf));
	CHECK(e.n == 1);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_relative_paths_from_the_config_dir)
{
	char *d = testfs_tmpdir("cfg"), *sub = testfs_path(d, "etc"), *conf, *want;
	struct errs e = {.n = 0};
	struct config *cfg;

	testfs_mkdir(d, "etc");
	make_hooks(d, "hooks");
	testfs_mkdir(d, "rules");
	conf = testfs_write(sub, "ifhookd.conf", 0644,
			    "[daemon]\nhooks_dir = ../hooks\nrules_dir = %s/rules\n"
			    "[rule r]\nrun = ok\n",
			    d);
	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL);
	if (!cfg)
		errs_print(&e);
	if (cfg) {
		want = testfs_path(sub, "../hooks");
		CHECK_STR(cfg->hooks_dir, want);
		free(want);
		want = testfs_path(d, "rules");
		CHECK_STR(cfg->rules_dir, want); /* absolute stays as is */
		free(want);
		want = testfs_path(sub, "../hooks/ok");
		CHECK_STR(cfg->rules[0].runs[0].argv[0], want);
		free(want);
	}
	config_free(cfg);
	errs_clear(&e);
	free(conf);
	free(sub);
	testfs_rmtree(d);
}

TEST(config_path_without_directory)
{
	char *d = testfs_tmpdir("cfg"), *conf, cwd[4096];
	struct errs e = {.n = 0};
	struct config *cfg;

	make_hooks(d, "hooks.d");
	conf = testfs_write(d, "ifhookd.conf", 0644, "[rule r]\nrun = ok\n");
	if (!getcwd(cwd, sizeof(cwd)) || chdir(d) != 0)
		abort();
	cfg = config_load("ifhookd.conf", collect, &e);
	if (chdir(cwd) != 0)
		abort();
	CHECK(cfg != NULL);
	if (!cfg)
		errs_print(&e);
	if (cfg) {
		CHECK_STR(cfg->hooks_dir, "hooks.d");
		CHECK_STR(cfg->rules_dir, "rules.d");
		CHECK_STR(cfg->rules[0].runs[0].argv[0], "hooks.d/ok");
	}
	config_free(cfg);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_rules_dir_in_byte_order)
{
	static const char *const files[] = {"B.conf", "a.conf", "10.conf", "9.conf", "_.conf"};
	char *d = testfs_tmpdir("cfg"), *conf, *rd;
	struct errs e = {.n = 0};
	struct config *cfg;

	make_hooks(d, "hooks.d");
	testfs_mkdir(d, "rules.d");
	rd = testfs_path(d, "rules.d");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		free(testfs_write(rd, files[i], 0644, "[rule %s]\nrun = ok\n", files[i]));
	/* Not rule files: */
	free(testfs_write(rd, "x.conf.disabled", 0644, "garbage\n"));
	free(testfs_write(rd, ".hidden.conf", 0644, "garbage\n"));
	free(testfs_write(rd, "notes.txt", 0644, "garbage\n"));
	testfs_mkdir(rd, "dir.conf");
	conf = testfs_write(d, "c.conf", 0644, "[rule main]\nrun = ok\n");

	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL);
	if (!cfg)
		errs_print(&e);
	if (cfg) {
		CHECK(cfg->n_rules == 6);
		if (cfg->n_rules == 6) {
			CHECK_STR(cfg->rules[0].name, "main");
			CHECK_STR(cfg->rules[1].name, "10.conf");
			CHECK_STR(cfg->rules[2].name, "9.conf");
			CHECK_STR(cfg->rules[3].name, "B.conf");
			CHECK_STR(cfg->rules[4].name, "_.conf");
			CHECK_STR(cfg->rules[5].name, "a.conf");
		}
	}
	config_free(cfg);
	errs_clear(&e);
	free(rd);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_rules_dir_file_errors)
{
	char *d = testfs_tmpdir("cfg"), *conf, *f1, *f2;
	struct errs e = {.n = 0};

	make_hooks(d, "hooks.d");
	testfs_mkdir(d, "rules.d");
	conf = testfs_write(d, "c.conf", 0644, "[rule dup]\nrun = ok\n");
	f1 = testfs_write(d, "rules.d/a.conf", 0644,
			  "timeout = 3\n" /* 1 */
			  "[daemon]\n"	  /* 2 */
			  "timeout = 3\n" /* 3: ignored, [daemon] was reported */
			  "[rule dup]\n"  /* 4 */
			  "run = ok\n");  /* 5 */
	f2 = testfs_write(d, "rules.d/b.conf", 0644,
			  "\n"
			  "[rule other]\n" /* 2 */
			  "run = noexec\n" /* 3 */
			  "run = .\n");	   /* 4 */
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:1: 'timeout' outside of a section; expected [rule NAME] first", f1));
	CHECK(has(&e, "%s:2: [daemon] is only allowed in the main configuration file", f1));
	CHECK(has(&e, "%s:4: duplicate rule name 'dup' (first defined at %s:1)", f1, conf));
	CHECK(has(&e, "%s:3: run: %s/hooks.d/noexec is not executable", f2, d));
	CHECK(has(&e, "%s:4: run: %s/hooks.d/. is not a regular file", f2, d));
	CHECK(e.n == 5);
	if (e.n != 5)
		errs_print(&e);
	errs_clear(&e);
	free(f1);
	free(f2);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_explicit_dirs_must_exist)
{
	char *d = testfs_tmpdir("cfg"), *conf, *file;
	struct errs e = {.n = 0};

	file = testfs_write(d, "plainfile", 0644, "x\n");
	conf = testfs_write(d, "c.conf", 0644,
			    "[daemon]\nhooks_dir = nohooks\nrules_dir = plainfile\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:2: hooks_dir: %s/nohooks: No such file or directory", conf, d));
	CHECK(has(&e, "%s:3: rules_dir: %s is not a directory", conf, file));
	CHECK(e.n == 2);
	if (e.n != 2)
		errs_print(&e);
	errs_clear(&e);
	free(file);
	free(conf);
	testfs_rmtree(d);
}

/* Loads "[daemon]\n" + one line; returns the config (NULL on error) and
 * leaves messages in e. */
static struct config *load_daemon_line(const char *dir, const char *line, struct errs *e)
{
	char *conf = testfs_write(dir, "one.conf", 0644, "[daemon]\n%s\n", line);
	struct config *cfg = config_load(conf, collect, e);

	free(conf);
	return cfg;
}

TEST(config_numbers_and_booleans)
{
	static const struct {
		const char *line;
		bool ok;
		unsigned timeout, jobs, wait_ms;
		int startup; /* -1: not checked */
	} cases[] = {
		{"timeout = 1", true, 1, 8, 3000, -1},
		{"timeout = 2147483", true, 2147483, 8, 3000, -1},
		{"timeout = 2147484", false, 0, 0, 0, -1},
		{"timeout = 99999999999999999999999", false, 0, 0, 0, -1},
		{"timeout = 1.5", false, 0, 0, 0, -1},
		{"timeout = +3", false, 0, 0, 0, -1},
		{"timeout = 3 s", false, 0, 0, 0, -1},
		{"max_jobs = 1", true, 30, 1, 3000, -1},
		{"max_jobs = 0", false, 0, 0, 0, -1},
		{"ppp_ipv6_wait = 0", true, 30, 8, 0, -1},
		{"ppp_ipv6_wait = 2", true, 30, 8, 2000, -1},
		{"ppp_ipv6_wait = 0.25", true, 30, 8, 250, -1},
		{"ppp_ipv6_wait = 1.005", true, 30, 8, 1005, -1},
		{"ppp_ipv6_wait = 1.0005", false, 0, 0, 0, -1},
		{"ppp_ipv6_wait = 1.", false, 0, 0, 0, -1},
		{"ppp_ipv6_wait = .5", false, 0, 0, 0, -1},
		{"ppp_ipv6_wait = 1e3", false, 0, 0, 0, -1},
		{"startup_events = yes", true, 30, 8, 3000, 1},
		{"startup_events = On", true, 30, 8, 3000, 1},
		{"startup_events = true", true, 30, 8, 3000, 1},
		{"startup_events = 1", true, 30, 8, 3000, 1},
		{"startup_events = off", true, 30, 8, 3000, 0},
		{"startup_events = FALSE", true, 30, 8, 3000, 0},
		{"startup_events = 0", true, 30, 8, 3000, 0},
		{"startup_events = no", true, 30, 8, 3000, 0},
		{"startup_events = nope", false, 0, 0, 0, -1},
	};
	char *d = testfs_tmpdir("cfg");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct errs e = {.n = 0};
		struct config *cfg = load_daemon_line(d, cases[i].line, &e);

		if ((cfg != NULL) != cases[i].ok || (cases[i].ok && e.n) ||
		    (!cases[i].ok && e.n != 1)) {
			printf("    case '%s'\n", cases[i].line);
			errs_print(&e);
			CHECK((cfg != NULL) == cases[i].ok);
			CHECK(e.n == (cases[i].ok ? 0 : 1));
		}
		if (cfg) {
			CHECK(cfg->timeout_s == cases[i].timeout);
			CHECK(cfg->max_jobs == cases[i].jobs);
			CHECK(cfg->ppp_ipv6_wait_ms == cases[i].wait_ms);
			if (cases[i].startup >= 0)
				CHECK(cfg->startup_events == (cases[i].startup == 1));
		}
		config_free(cfg);
		errs_clear(&e);
	}
	testfs_rmtree(d);
}

/* Loads one [rule] with the given extra line; returns the config or NULL. */
static struct config *load_rule_line(const char *dir, const char *line, struct errs *e)
{
	char *conf = testfs_write(dir, "rule.conf", 0644, "[rule r]\nrun = ok\n%s\n", line);
	struct config *cfg = config_load(conf, collect, e);

	free(conf);
	return cfg;
}

TEST(config_rule_values)
{
	static const struct {
		const char *line;
		bool ok;
	} cases[] = {
		{"table = main", true},
		{"table = 1", true},
		{"table = 4294967295", true},
		{"table = 4294967296", false},
		{"table = 255", false},
		{"table = local", false},
		{"table = default", false},
		{"table = -1", false},
		{"family = inet6", true},
		{"family = INET", false},
		{"address = 2001:db8::1", true},
		{"address = 10.0.0.0/33", false},
		{"address = host.example", false},
		{"destination = default", true},
		{"destination = 0.0.0.0/0", true},
		{"destination = 2001:db8::/32", true},
		{"destination = 2001:db8::1/32", false},
		{"destination = 192.0.2.0/24 extra", false},
		{"args = iface-event", true},
		{"args = none", true},
		{"args = None", false},
		{"args = pppd", false}, /* without event = ppp-*: every event */
		{"event = route-* !route-changed", true},
		{"event = *", true},
		{"event = link-[ud]*", true},
		{"event = !link-upp", false},
		{"event = link-[up", false},
		{"interface = [!e]*  eth\\*", true},
		{"interface = []]x", true},
		{"interface = eth\\", false},
		{"interface = averyveryverylongname", false},
		{"interface = averyveryverylong*", true},
		{"kind = veth !bridge", true},
		{"kind = !", false},
		{"weird-key = 1", false},
		{"Event = link-up", false},
		{"key: value", false},
		{"= value", false},
	};
	char *d = testfs_tmpdir("cfg");

	make_hooks(d, "hooks.d");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct errs e = {.n = 0};
		struct config *cfg = load_rule_line(d, cases[i].line, &e);

		if ((cfg != NULL) != cases[i].ok || (!cases[i].ok && e.n != 1)) {
			printf("    case '%s'\n", cases[i].line);
			errs_print(&e);
			CHECK((cfg != NULL) == cases[i].ok);
			CHECK(e.n == (cases[i].ok ? 0 : 1));
		}
		config_free(cfg);
		errs_clear(&e);
	}
	testfs_rmtree(d);
}

TEST(config_family_contradictions)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};

	make_hooks(d, "hooks.d");
	conf = testfs_write(d, "c.conf", 0644,
			    "[rule r]\nrun = ok\nfamily = inet6\naddress = 192.0.2.0/24\n"
			    "destination = 198.51.100.0/24\n"
			    "[rule ok]\nrun = ok\nfamily = inet6\ndestination = default\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:1: address 192.0.2.0/24 is not of family inet6", conf));
	CHECK(has(&e, "%s:1: destination 198.51.100.0/24 is not of family inet6", conf));
	CHECK(e.n == 2);
	if (e.n != 2)
		errs_print(&e);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_args_pppd_only_for_ppp_events)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};
	struct config *cfg;

	make_hooks(d, "hooks.d");
	conf = testfs_write(d, "c.conf", 0644,
			    "[rule up]\nrun = ok\nevent = ppp-connect\nargs = pppd\n"
			    "[rule both]\nrun = ok\nevent = ppp-*\nargs = pppd\n");
	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL && e.n == 0);
	if (cfg) {
		CHECK(cfg->rules[0].args == ARGS_PPPD && cfg->rules[1].args == ARGS_PPPD);
		config_free(cfg);
	}
	errs_print(&e);
	errs_clear(&e);
	free(conf);
	conf = testfs_write(d, "c.conf", 0644,
			    "[rule any]\nrun = ok\nargs = pppd\n"
			    "[rule mixed]\nrun = ok\nevent = ppp-connect link-*\nargs = pppd\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:1: args = pppd: the rule's events must be ppp-connect or "
		      "ppp-disconnect, but it matches link-added", conf));
	CHECK(has(&e, "%s:4: args = pppd: the rule's events must be ppp-connect or "
		      "ppp-disconnect, but it matches link-added", conf));
	CHECK(e.n == 2);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_bad_rule_names)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};

	make_hooks(d, "hooks.d");
	conf = testfs_write(d, "c.conf", 0644,
			    "[rule two words]\nrun = ok\n"
			    "[daemon x]\n"
			    "[rule ok ;comment]\n"
			    "[rule fine] ; comment\nrun = ok\n"
			    "[rule x]#\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:1: rule name 'two words' must not contain blanks or control characters",
		  conf));
	CHECK(has(&e, "%s:3: [daemon] takes no name", conf));
	CHECK(has(&e, "%s:4: expected '[section]' or 'key = value'", conf));
	CHECK(has(&e, "%s:7: expected '[section]' or 'key = value'", conf));
	CHECK(e.n == 4);
	if (e.n != 4)
		errs_print(&e);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_control_characters_are_escaped_in_messages)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};

	conf = testfs_write(d, "c.conf", 0644, "[daemon]\nlog = a\033[31mb\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:2: log: expected stderr or syslog, not 'a\\x1b[31mb'", conf));
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}

TEST(config_log_facility)
{
	static const struct {
		const char *line;
		int facility; /* -1: an error */
	} cases[] = {
		{"log = stderr", LOG_DAEMON},	  {"log_facility = daemon", LOG_DAEMON},
		{"log_facility = user", LOG_USER}, {"log_facility = local0", LOG_LOCAL0},
		{"log_facility = local7", LOG_LOCAL7}, {"log_facility = local8", -1},
		{"log_facility = kern", -1},	  {"log_facility = Daemon", -1},
	};
	char *d = testfs_tmpdir("cfg");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct errs e = {.n = 0};
		struct config *cfg = load_daemon_line(d, cases[i].line, &e);

		if (cases[i].facility < 0) {
			char *conf = testfs_path(d, "one.conf");
			const char *v = strchr(cases[i].line, '=') + 2;
			CHECK(cfg == NULL);
			CHECK(has(&e,
				  "%s:2: log_facility: expected daemon, user or local0 to local7, "
				  "not '%s'",
				  conf, v));
			free(conf);
		} else {
			CHECK(cfg != NULL && e.n == 0);
			if (cfg)
				CHECK(cfg->log_facility == cases[i].facility);
		}
		if ((cfg != NULL) != (cases[i].facility >= 0))
			printf("    case '%s'\n", cases[i].line);
		config_free(cfg);
		errs_clear(&e);
	}
	testfs_rmtree(d);
}

TEST(config_rule_user_and_group)
{
	char *d = testfs_tmpdir("cfg"), *conf;
	struct errs e = {.n = 0};
	struct config *cfg;
	struct passwd *pw = getpwnam("nobody");
	struct group *root = getgrgid(0);
	uid_t nobody_uid;
	gid_t nobody_gid;

	CHECK(pw != NULL && root != NULL);
	if (!pw || !root) {
		testfs_rmtree(d);
		return;
	}
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
	make_hooks(d, "hooks.d");

	/* user = NAME: its uid, primary group and group list. */
	cfg = load_rule_line(d, "user = nobody", &e);
	CHECK(cfg != NULL && e.n == 0);
	if (cfg) {
		const struct rule *r = &cfg->rules[0];
		bool has_primary = false;
		CHECK(r->has_user && !r->has_group);
		CHECK(r->uid == nobody_uid && r->gid == nobody_gid);
		CHECK(r->n_groups >= 1);
		for (size_t i = 0; i < r->n_groups; i++)
			has_primary |= r->groups[i] == nobody_gid;
		CHECK(has_primary);
	}
	config_free(cfg);
	errs_clear(&e);

	/* A number is accepted when it names an existing user or group;
	 * group = wins over the user's primary group, in either order. */
	conf = testfs_write(d, "c.conf", 0644,
			    "[rule a]\nrun = ok\ngroup = 0\nuser = %u\n"
			    "[rule b]\nrun = ok\nuser = nobody\ngroup = %s\n"
			    "[rule c]\nrun = ok\ngroup = %s\n"
			    "[rule plain]\nrun = ok\n",
			    (unsigned)nobody_uid, root->gr_name, root->gr_name);
	cfg = config_load(conf, collect, &e);
	CHECK(cfg != NULL && e.n == 0);
	errs_print(&e);
	if (cfg && cfg->n_rules == 4) {
		const struct rule *r = cfg->rules;
		CHECK(r[0].has_user && r[0].has_group && r[0].uid == nobody_uid && r[0].gid == 0);
		CHECK(r[1].has_user && r[1].has_group && r[1].uid == nobody_uid && r[1].gid == 0);
		CHECK(!r[2].has_user && r[2].has_group && r[2].gid == 0);
		CHECK(r[2].n_groups == 1 && r[2].groups[0] == 0);
		CHECK(!r[3].has_user && !r[3].has_group && r[3].n_groups == 0);
	}
	config_free(cfg);
	errs_clear(&e);
	free(conf);

	/* Unknown names are errors at their line, all of them reported. */
	conf = testfs_write(d, "c.conf", 0644,
			    "[rule a]\nrun = ok\nuser = no-such-user-ifhookd\n"
			    "group = no-such-group-ifhookd\nuser = nobody\n"
			    "[rule b]\nrun = ok\nuser = 4294967294\n");
	CHECK(config_load(conf, collect, &e) == NULL);
	CHECK(has(&e, "%s:3: user: no such user 'no-such-user-ifhookd'", conf));
	CHECK(has(&e, "%s:4: group: no such group 'no-such-group-ifhookd'", conf));
	CHECK(has(&e, "%s:5: duplicate key 'user' (first set at line 3)", conf));
	CHECK(has(&e, "%s:8: user: no such user '4294967294'", conf));
	CHECK(e.n == 4);
	if (e.n != 4)
		errs_print(&e);
	errs_clear(&e);
	free(conf);
	testfs_rmtree(d);
}
