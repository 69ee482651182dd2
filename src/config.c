/* Purpose: reads ifhookd.conf and the rules_dir files into a struct config,
 * reporting every problem as "path:line: message" in one run. Section
 * headers, the checks made once a file is read, and the entry points. */
#include "config_parse.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "rules.h"
#include "xalloc.h"

#define DEFAULT_HOOKS_DIR "hooks.d"
#define DEFAULT_RULES_DIR "rules.d"

/* ---- sections -------------------------------------------------------- */

static void start_rule(struct parser *p, const char *name, bool name_ok)
{
	struct config *cfg = p->cfg;
	struct rule *r;

	cfg->rules = xrealloc(cfg->rules, (cfg->n_rules + 1) * sizeof(*cfg->rules));
	r = &cfg->rules[cfg->n_rules];
	memset(r, 0, sizeof(*r));
	r->name = name_ok ? xstrdup(name) : NULL;
	r->file = xstrdup(p->path);
	r->line = p->line;
	r->args = ARGS_IFACE_EVENT;
	p->rule = cfg->n_rules++;
	p->sec = SEC_RULE;
}

static bool rule_name_ok(const char *name)
{
	for (const char *s = name; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return *name != '\0';
}

/* content is what lies between '[' and ']'. */
void cfg_start_section(struct parser *p, char *content)
{
	char safe[SAFE_LEN], safe2[SAFE_LEN];
	char *word = content, *rest, *end;

	memset(p->rule_key_line, 0, sizeof(p->rule_key_line));
	while (cfg_is_blank(*word))
		word++;
	end = word + strlen(word);
	while (end > word && cfg_is_blank(end[-1]))
		*--end = '\0';
	rest = word;
	while (*rest && !cfg_is_blank(*rest))
		rest++;
	if (*rest) {
		*rest++ = '\0';
		while (cfg_is_blank(*rest))
			rest++;
	}

	p->sec = SEC_IGNORE;
	if (strcmp(word, "daemon") == 0) {
		if (*rest)
			cfg_err(p, p->path, p->line, "[daemon] takes no name");
		else if (!p->main_file)
			cfg_err(p, p->path, p->line,
				"[daemon] is only allowed in the main configuration file");
		else
			p->sec = SEC_DAEMON;
		return;
	}
	if (strcmp(word, "rule") != 0) {
		cfg_err(p, p->path, p->line,
			"unknown section [%s%s%s]; expected [daemon] or [rule NAME]",
			SAFE(safe, word), *rest ? " " : "", SAFE(safe2, rest));
		return;
	}
	/* Keys of a rule with a bad name are still checked, so that one run
	 * reports everything. */
	if (!*rest) {
		cfg_err(p, p->path, p->line, "[rule] needs a name: [rule NAME]");
		start_rule(p, NULL, false);
		return;
	}
	if (!rule_name_ok(rest)) {
		cfg_err(p, p->path, p->line,
			"rule name '%s' must not contain blanks or control characters",
			SAFE(safe, rest));
		start_rule(p, NULL, false);
		return;
	}
	for (size_t i = 0; i < p->cfg->n_rules; i++) {
		const struct rule *o = &p->cfg->rules[i];

		if (o->name && strcmp(o->name, rest) == 0) {
			cfg_err(p, p->path, p->line,
				"duplicate rule name '%s' (first defined at %s:%d)", rest, o->file,
				o->line);
			break;
		}
	}
	start_rule(p, rest, true);
}

/* ---- after a file ---------------------------------------------------- */

static void check_runs(struct parser *p)
{
	struct config *cfg = p->cfg;
	char safe[SAFE_LEN];

	for (size_t i = 0; i < p->n_pending; i++) {
		const struct pending_run *pr = &p->pending[i];
		struct rule *r = &cfg->rules[pr->rule];
		struct command *c = &r->runs[pr->run];
		struct stat st;
		char *abs;

		if (c->argc == 0)
			continue; /* reported as an empty value */
		abs = cfg_join_path(cfg->hooks_dir, c->argv[0]);
		free(c->argv[0]);
		c->argv[0] = abs;
		if (stat(abs, &st) != 0)
			cfg_err(p, r->file, pr->line, "run: %s: %s", SAFE(safe, abs),
				strerror(errno));
		else if (!S_ISREG(st.st_mode))
			cfg_err(p, r->file, pr->line, "run: %s is not a regular file",
				SAFE(safe, abs));
		else if (access(abs, X_OK) != 0)
			cfg_err(p, r->file, pr->line, "run: %s is not executable", SAFE(safe, abs));
	}
	p->n_pending = 0;
}

/* args = pppd gives pppd's ip-up/ip-down arguments, which only a PPP
 * connection or disconnection has: the rule's events must be those. */
static void check_pppd_args(struct parser *p, const struct rule *r)
{
	for (int t = 0; t < EV_COUNT; t++) {
		if (t == EV_PPP_CONNECT || t == EV_PPP_DISCONNECT)
			continue;
		if (globs_match(&r->events, event_name((enum event_type)t))) {
			cfg_err(p, r->file, r->line,
				"args = pppd: the rule's events must be ppp-connect or "
				"ppp-disconnect, but it matches %s",
				event_name((enum event_type)t));
			return;
		}
	}
}

static void check_rules(struct parser *p, size_t first)
{
	char buf[IP_STRLEN];

	check_runs(p);
	for (size_t i = first; i < p->cfg->n_rules; i++) {
		const struct rule *r = &p->cfg->rules[i];

		if (r->n_runs == 0)
			cfg_err(p, r->file, r->line, "rule has no 'run' line");
		if (r->args == ARGS_PPPD)
			check_pppd_args(p, r);
		/* Contradictions that would make a rule silently never match. */
		if (r->family && r->has_address && r->address.addr.family != r->family)
			cfg_err(p, r->file, r->line, "address %s/%u is not of family %s",
				ip_format(&r->address.addr, buf), r->address.len,
				r->family == AF_INET ? "inet" : "inet6");
		if (r->family && r->has_destination && r->destination.addr.family &&
		    r->destination.addr.family != r->family)
			cfg_err(p, r->file, r->line, "destination %s/%u is not of family %s",
				ip_format(&r->destination.addr, buf), r->destination.len,
				r->family == AF_INET ? "inet" : "inet6");
	}
}

/* An explicitly set directory must exist; a default one may be missing. */
static void check_dir_setting(struct parser *p, const char *key, const char *dir, int line)
{
	char safe[SAFE_LEN];
	struct stat st;

	if (stat(dir, &st) != 0)
		cfg_err(p, p->cfg->path, line, "%s: %s: %s", key, SAFE(safe, dir), strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		cfg_err(p, p->cfg->path, line, "%s: %s is not a directory", key, SAFE(safe, dir));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void parse_rules_dir(struct parser *p)
{
	const char *dir = p->cfg->rules_dir;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		/* A missing default rules_dir is fine; a set one was reported. */
		if (errno != ENOENT && errno != ENOTDIR)
			cfg_err(p, dir, 0, "%s", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		/* Like the shell's *.conf: no dotfiles, something before .conf. */
		if (de->d_name[0] == '.' || !cfg_has_suffix(de->d_name, ".conf"))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *path = cfg_join_path(dir, names[i]);
		size_t first = p->cfg->n_rules;
		struct stat st;

		if (stat(path, &st) != 0)
			cfg_err(p, path, 0, "%s", strerror(errno));
		else if (S_ISREG(st.st_mode)) {
			cfg_parse_file(p, path, false);
			check_rules(p, first);
		}
		/* rule->file points to its own copy, so path can go now. */
		free(path);
		free(names[i]);
	}
	free(names);
}

/* ---- entry points ---------------------------------------------------- */

static void rule_clear(struct rule *r)
{
	free(r->name);
	free(r->file);
	cfg_globs_free(&r->events);
	cfg_globs_free(&r->ifaces);
	cfg_globs_free(&r->kinds);
	for (size_t i = 0; i < r->n_runs; i++) {
		for (size_t j = 0; j < r->runs[i].argc; j++)
			free(r->runs[i].argv[j]);
		free(r->runs[i].argv);
	}
	free(r->runs);
	free(r->groups);
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_rules; i++)
		rule_clear(&cfg->rules[i]);
	free(cfg->rules);
	free(cfg->path);
	free(cfg->hooks_dir);
	free(cfg->rules_dir);
	free(cfg);
}

struct config *config_load(const char *path, config_error_fn err, void *ctx)
{
	struct config *cfg = xmalloc(sizeof(*cfg));
	struct parser p = {.cfg = cfg, .err = err, .err_ctx = ctx};
	char *dir;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(path);
	cfg->timeout_s = 30;
	cfg->max_jobs = 8;
	cfg->startup_events = true;
	cfg->log = LOG_TO_STDERR;
	cfg->log_facility = LOG_DAEMON;
	cfg->ppp_ipv6_wait_ms = 3000;
	/* A busy router's burst (a BGP session flap) fits; the kernel's default
	 * of 212992 bytes overflows within a few thousand routes. */
	cfg->rcvbuf = 8u * 1024 * 1024;

	/* Without the main file there is nothing to say about the rest. */
	if (!cfg_parse_file(&p, cfg->path, true))
		goto out;

	dir = cfg_dir_of(path);
	cfg->hooks_dir_set = p.hooks_dir_raw != NULL;
	cfg->rules_dir_set = p.rules_dir_raw != NULL;
	cfg->hooks_dir =
		cfg_join_path(dir, cfg->hooks_dir_set ? p.hooks_dir_raw : DEFAULT_HOOKS_DIR);
	cfg->rules_dir =
		cfg_join_path(dir, cfg->rules_dir_set ? p.rules_dir_raw : DEFAULT_RULES_DIR);
	free(dir);
	if (cfg->hooks_dir_set)
		check_dir_setting(&p, "hooks_dir", cfg->hooks_dir, p.daemon_key_line[DK_HOOKS_DIR]);
	if (cfg->rules_dir_set)
		check_dir_setting(&p, "rules_dir", cfg->rules_dir, p.daemon_key_line[DK_RULES_DIR]);
	check_rules(&p, 0);
	parse_rules_dir(&p);

out:
	free(p.buf);
	free(p.pending);
	free(p.hooks_dir_raw);
	free(p.rules_dir_raw);
	if (p.errors) {
		config_free(cfg);
		return NULL;
	}
	/* Once, here: matching every event would otherwise redo it. */
	for (size_t i = 0; i < cfg->n_rules; i++)
		rule_compile(&cfg->rules[i]);
	return cfg;
}
