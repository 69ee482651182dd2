/* Purpose: turns the "key = value" lines of [daemon] and [rule NAME] into
 * fields of struct config, one key at a time, reporting every bad one. */
#include "config_parse.h"

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "xalloc.h"

/* Seconds are turned into milliseconds downstream; keep that within an int. */
#define MAX_SECONDS (INT_MAX / 1000)
#define MAX_JOBS 65536
#define RT_TABLE_LOCAL_ID 255u
#define RT_TABLE_MAIN_ID 254u

static const char *const daemon_keys[DK_COUNT] = {
	[DK_HOOKS_DIR] = "hooks_dir",
	[DK_RULES_DIR] = "rules_dir",
	[DK_TIMEOUT] = "timeout",
	[DK_MAX_JOBS] = "max_jobs",
	[DK_STARTUP_EVENTS] = "startup_events",
	[DK_LOG] = "log",
	[DK_PPP_IPV6_WAIT] = "ppp_ipv6_wait",
	[DK_RCVBUF] = "rcvbuf",
	[DK_LOG_FACILITY] = "log_facility",
};

const char *const cfg_rule_keys[RK_COUNT] = {
	[RK_EVENT] = "event",
	[RK_INTERFACE] = "interface",
	[RK_KIND] = "kind",
	[RK_FAMILY] = "family",
	[RK_ADDRESS] = "address",
	[RK_DESTINATION] = "destination",
	[RK_TABLE] = "table",
	[RK_RUN] = "run",
	[RK_ARGS] = "args",
	[RK_DELAY] = "delay",
	[RK_DELAY_UP] = "delay_up",
	[RK_DELAY_DOWN] = "delay_down",
	[RK_USER] = "user",
	[RK_GROUP] = "group",
};

/* The index of name in keys[n], after the checks every section makes: the
 * key is known, set once (but for `repeatable`), and not empty. -1 after
 * reporting what is wrong. seen[] holds the line each key was last set at. */
static int key_index(struct parser *p, const char *section, const char *const *keys, int n,
		     int *seen, int repeatable, const char *name, const char *value)
{
	char safe[SAFE_LEN];
	int key = -1;

	for (int i = 0; i < n; i++)
		if (strcmp(name, keys[i]) == 0)
			key = i;
	if (key < 0) {
		cfg_err(p, p->path, p->line, "unknown key '%s' in [%s]", SAFE(safe, name),
			section);
		return -1;
	}
	if (key != repeatable && seen[key]) {
		cfg_err(p, p->path, p->line, "duplicate key '%s' (first set at line %d)", name,
			seen[key]);
		return -1;
	}
	seen[key] = p->line;
	if (!*value) {
		cfg_err(p, p->path, p->line, "%s: empty value", name);
		return -1;
	}
	return key;
}

/* ---- [rule NAME] ----------------------------------------------------- */

/* The passwd entry of a name or a number (which must exist too). */
static struct passwd *lookup_user(const char *value)
{
	unsigned long long n;
	struct passwd *pw = getpwnam(value);

	if (!pw && cfg_parse_uint(value, UINT32_MAX - 1, &n))
		pw = getpwuid((uid_t)n);
	return pw;
}

static struct group *lookup_group(const char *value)
{
	unsigned long long n;
	struct group *gr = getgrnam(value);

	if (!gr && cfg_parse_uint(value, UINT32_MAX - 1, &n))
		gr = getgrgid((gid_t)n);
	return gr;
}

/* user = NAME|UID: its uid, its primary group (unless group = says
 * otherwise) and its supplementary groups, read now rather than in the
 * child, where reading the group database is not safe. */
static void set_user(struct parser *p, struct rule *r, const char *value)
{
	char safe[SAFE_LEN];
	struct passwd *pw = lookup_user(value);
	int n = 16;

	if (!pw) {
		cfg_err(p, p->path, p->line, "user: no such user '%s'", SAFE(safe, value));
		return;
	}
	r->has_user = true;
	r->uid = pw->pw_uid;
	if (!r->has_group)
		r->gid = pw->pw_gid;
	for (;;) {
		int want = n;
		r->groups = xrealloc(r->groups, (size_t)n * sizeof(*r->groups));
		if (getgrouplist(pw->pw_name, pw->pw_gid, r->groups, &n) >= 0)
			break;
		if (n <= want) /* no growth asked for: give up on the extra groups */
			n = 0;
		if (n == 0) {
			r->groups[0] = pw->pw_gid;
			n = 1;
			break;
		}
	}
	r->n_groups = (size_t)n;
}

/* group = NAME|GID: the primary group; alone, also the only group. */
static void set_group(struct parser *p, struct rule *r, const char *value)
{
	char safe[SAFE_LEN];
	struct group *gr = lookup_group(value);

	if (!gr) {
		cfg_err(p, p->path, p->line, "group: no such group '%s'", SAFE(safe, value));
		return;
	}
	r->has_group = true;
	r->gid = gr->gr_gid;
	if (!r->has_user) {
		r->groups = xrealloc(r->groups, sizeof(*r->groups));
		r->groups[0] = gr->gr_gid;
		r->n_groups = 1;
	}
}

static struct rule *cur_rule(struct parser *p)
{
	return &p->cfg->rules[p->rule];
}

static void rule_key(struct parser *p, const char *name, const char *value)
{
	struct rule *r = cur_rule(p);
	char safe[SAFE_LEN], buf[IP_STRLEN];
	int key = key_index(p, "rule", cfg_rule_keys, RK_COUNT, p->rule_key_line, RK_RUN, name,
			    value);

	if (key < 0)
		return;

	switch ((enum rule_key)key) {
	case RK_EVENT:
		cfg_parse_globs(p, RK_EVENT, value, &r->events);
		break;
	case RK_INTERFACE:
		cfg_parse_globs(p, RK_INTERFACE, value, &r->ifaces);
		break;
	case RK_KIND:
		cfg_parse_globs(p, RK_KIND, value, &r->kinds);
		break;
	case RK_FAMILY:
		if (strcmp(value, "inet") == 0)
			r->family = AF_INET;
		else if (strcmp(value, "inet6") == 0)
			r->family = AF_INET6;
		else
			cfg_err(p, p->path, p->line, "family: expected inet or inet6, not '%s'",
				SAFE(safe, value));
		break;
	case RK_ADDRESS:
		if (ip_parse_prefix(value, &r->address))
			r->has_address = true;
		else
			cfg_err(p, p->path, p->line,
				"address: '%s' is not an IPv4 or IPv6 address or prefix",
				SAFE(safe, value));
		break;
	case RK_DESTINATION: {
		struct ipprefix masked;

		if (strcmp(value, "default") == 0) {
			memset(&r->destination, 0, sizeof(r->destination));
			r->has_destination = true;
		} else if (!ip_parse_prefix(value, &r->destination)) {
			cfg_err(p, p->path, p->line,
				"destination: expected default or a prefix, not '%s'",
				SAFE(safe, value));
		} else if (!cfg_host_bits_clear(&r->destination, &masked)) {
			cfg_err(p, p->path, p->line,
				"destination: '%s' has host bits set; routes are stored as %s/%u",
				SAFE(safe, value), ip_format(&masked.addr, buf), masked.len);
		} else {
			r->has_destination = true;
		}
		break;
	}
	case RK_TABLE: {
		unsigned long long t;

		if (strcmp(value, "main") == 0) {
			t = RT_TABLE_MAIN_ID;
		} else if (strcmp(value, "local") == 0) {
			t = RT_TABLE_LOCAL_ID;
		} else if (!cfg_parse_uint(value, UINT32_MAX, &t) || t == 0) {
			cfg_err(p, p->path, p->line,
				"table: expected main or a number from 1 to %u, not '%s'",
				UINT32_MAX, SAFE(safe, value));
			break;
		}
		if (t == RT_TABLE_LOCAL_ID) {
			cfg_err(p, p->path, p->line,
				"table: routes in the local table (255) never produce events");
			break;
		}
		r->table = (uint32_t)t;
		r->has_table = true;
		break;
	}
	case RK_RUN: {
		char *copy = xstrdup(value), *save = NULL;
		struct command *c;

		r->runs = xrealloc(r->runs, (r->n_runs + 1) * sizeof(*r->runs));
		c = &r->runs[r->n_runs];
		memset(c, 0, sizeof(*c));
		for (char *w = strtok_r(copy, " \t", &save); w;
		     w = strtok_r(NULL, " \t", &save)) {
			c->argv = xrealloc(c->argv, (c->argc + 2) * sizeof(*c->argv));
			c->argv[c->argc++] = xstrdup(w);
			c->argv[c->argc] = NULL;
		}
		free(copy);
		p->pending = xrealloc(p->pending, (p->n_pending + 1) * sizeof(*p->pending));
		p->pending[p->n_pending++] =
			(struct pending_run){.rule = p->rule, .run = r->n_runs, .line = p->line};
		r->n_runs++;
		break;
	}
	case RK_ARGS:
		if (strcmp(value, "iface-event") == 0)
			r->args = ARGS_IFACE_EVENT;
		else if (strcmp(value, "none") == 0)
			r->args = ARGS_NONE;
		else if (strcmp(value, "pppd") == 0)
			r->args = ARGS_PPPD;
		else
			cfg_err(p, p->path, p->line,
				"args: expected iface-event, none or pppd, not '%s'",
				SAFE(safe, value));
		break;
	case RK_DELAY:
	case RK_DELAY_UP:
	case RK_DELAY_DOWN: {
		unsigned ms;
		if (!cfg_parse_seconds_ms(value, MAX_SECONDS, &ms)) {
			cfg_err(p, p->path, p->line,
				"%s: expected seconds (2, 1.5s) or milliseconds (250ms), not '%s'",
				name, SAFE(safe, value));
		} else if (key == RK_DELAY) {
			r->delay_ms = ms;
		} else if (key == RK_DELAY_UP) {
			r->delay_up_ms = ms;
			r->has_delay_up = true;
		} else {
			r->delay_down_ms = ms;
			r->has_delay_down = true;
		}
		break;
	}
	case RK_USER:
		set_user(p, r, value);
		break;
	case RK_GROUP:
		set_group(p, r, value);
		break;
	case RK_COUNT:
		break;
	}
}

/* ---- [daemon] -------------------------------------------------------- */

static void daemon_key(struct parser *p, const char *name, const char *value)
{
	struct config *cfg = p->cfg;
	char safe[SAFE_LEN];
	unsigned long long n;
	int key = key_index(p, "daemon", daemon_keys, DK_COUNT, p->daemon_key_line, -1, name,
			    value);

	if (key < 0)
		return;

	switch ((enum daemon_key)key) {
	case DK_HOOKS_DIR:
		p->hooks_dir_raw = xstrdup(value);
		break;
	case DK_RULES_DIR:
		p->rules_dir_raw = xstrdup(value);
		break;
	case DK_TIMEOUT:
		if (cfg_parse_uint(value, MAX_SECONDS, &n) && n >= 1)
			cfg->timeout_s = (unsigned)n;
		else
			cfg_err(p, p->path, p->line,
				"timeout: expected whole seconds from 1 to %d, not '%s'",
				MAX_SECONDS, SAFE(safe, value));
		break;
	case DK_MAX_JOBS:
		if (cfg_parse_uint(value, MAX_JOBS, &n) && n >= 1)
			cfg->max_jobs = (unsigned)n;
		else
			cfg_err(p, p->path, p->line,
				"max_jobs: expected a number from 1 to %d, not '%s'", MAX_JOBS,
				SAFE(safe, value));
		break;
	case DK_STARTUP_EVENTS:
		if (!cfg_parse_bool(value, &cfg->startup_events))
			cfg_err(p, p->path, p->line, "startup_events: expected yes or no, not '%s'",
				SAFE(safe, value));
		break;
	case DK_LOG:
		if (strcmp(value, "stderr") == 0)
			cfg->log = LOG_TO_STDERR;
		else if (strcmp(value, "syslog") == 0)
			cfg->log = LOG_TO_SYSLOG;
		else
			cfg_err(p, p->path, p->line, "log: expected stderr or syslog, not '%s'",
				SAFE(safe, value));
		break;
	case DK_LOG_FACILITY: {
		int f = log_facility_from_name(value);

		if (f < 0)
			cfg_err(p, p->path, p->line,
				"log_facility: expected daemon, user or local0 to local7, not '%s'",
				SAFE(safe, value));
		else
			cfg->log_facility = f;
		break;
	}
	case DK_PPP_IPV6_WAIT:
		if (!cfg_parse_seconds_ms(value, MAX_SECONDS, &cfg->ppp_ipv6_wait_ms))
			cfg_err(p, p->path, p->line,
				"ppp_ipv6_wait: expected seconds from 0 to %d with at most 3 "
				"decimals, not '%s'",
				MAX_SECONDS, SAFE(safe, value));
		break;
	case DK_RCVBUF:
		/* At least 1K (tests force overruns with tiny buffers); at most 1G. */
		if (cfg_parse_size(value, 1ull << 30, &n) && n >= 1024)
			cfg->rcvbuf = (unsigned)n;
		else
			cfg_err(p, p->path, p->line,
				"rcvbuf: expected bytes from 1K to 1G (8M, 512K, 65536), not '%s'",
				SAFE(safe, value));
		break;
	case DK_COUNT:
		break;
	}
}

/* ---- dispatch by section --------------------------------------------- */

/* inih's handler, called once per "key = value" line. */
int cfg_on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	char safe[SAFE_LEN];

	/* Sections are tracked by the reader: inih truncates long names. */
	(void)section;
	if (!name || !value) /* a build of inih that reports new sections */
		return 1;
	switch (p->sec) {
	case SEC_NONE:
		cfg_err(p, p->path, p->line, "'%s' outside of a section; expected %s first",
			SAFE(safe, name), p->main_file ? "[daemon] or [rule NAME]" : "[rule NAME]");
		break;
	case SEC_DAEMON:
		daemon_key(p, name, value);
		break;
	case SEC_RULE:
		rule_key(p, name, value);
		break;
	case SEC_IGNORE: /* the section header was already reported */
		break;
	}
	return 1;
}
