/* Purpose: reads ifhookd.conf and the rules_dir files into a struct config,
 * reporting every problem as "path:line: message" in one run. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"

#define DEFAULT_HOOKS_DIR "hooks.d"
#define DEFAULT_RULES_DIR "rules.d"
/* Seconds are turned into milliseconds downstream; keep that within an int. */
#define MAX_SECONDS (INT_MAX / 1000)
#define MAX_JOBS 65536
#define RT_TABLE_LOCAL_ID 255u
#define RT_TABLE_MAIN_ID 254u

enum section { SEC_NONE, SEC_DAEMON, SEC_RULE, SEC_IGNORE };

enum daemon_key {
	DK_HOOKS_DIR,
	DK_RULES_DIR,
	DK_TIMEOUT,
	DK_MAX_JOBS,
	DK_STARTUP_EVENTS,
	DK_LOG,
	DK_PPP_IPV6_WAIT,
	DK_COUNT
};

static const char *const daemon_keys[DK_COUNT] = {
	[DK_HOOKS_DIR] = "hooks_dir",
	[DK_RULES_DIR] = "rules_dir",
	[DK_TIMEOUT] = "timeout",
	[DK_MAX_JOBS] = "max_jobs",
	[DK_STARTUP_EVENTS] = "startup_events",
	[DK_LOG] = "log",
	[DK_PPP_IPV6_WAIT] = "ppp_ipv6_wait",
};

enum rule_key {
	RK_EVENT,
	RK_INTERFACE,
	RK_KIND,
	RK_FAMILY,
	RK_ADDRESS,
	RK_DESTINATION,
	RK_TABLE,
	RK_RUN,
	RK_ARGS,
	RK_COUNT
};

static const char *const rule_keys[RK_COUNT] = {
	[RK_EVENT] = "event",
	[RK_INTERFACE] = "interface",
	[RK_KIND] = "kind",
	[RK_FAMILY] = "family",
	[RK_ADDRESS] = "address",
	[RK_DESTINATION] = "destination",
	[RK_TABLE] = "table",
	[RK_RUN] = "run",
	[RK_ARGS] = "args",
};

/* A run line whose program is resolved and checked once hooks_dir is known. */
struct pending_run {
	size_t rule;
	size_t run;
	int line;
};

struct parser {
	struct config *cfg;
	config_error_fn err;
	void *err_ctx;
	int errors;

	/* the file being read */
	const char *path;
	FILE *fp;
	int line;
	bool main_file;
	char *buf;
	size_t bufsz;

	enum section sec;
	size_t rule; /* index of the current [rule] in cfg->rules */
	int rule_key_line[RK_COUNT];
	int daemon_key_line[DK_COUNT];

	char *hooks_dir_raw;
	char *rules_dir_raw;

	struct pending_run *pending;
	size_t n_pending;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatal("config: malloc");
	return p;
}

static void *xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (!p)
		fatal("config: realloc");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		fatal("config: strdup");
	return d;
}

/* Reports "path:line: message" (or "path: message" for line 0). */
__attribute__((format(printf, 4, 5))) static void perr(struct parser *p, const char *path,
						       int line, const char *fmt, ...)
{
	char *msg = NULL, *full = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("config: vasprintf");
	if (line > 0)
		n = asprintf(&full, "%s:%d: %s", path, line, msg);
	else
		n = asprintf(&full, "%s: %s", path, msg);
	if (n < 0)
		fatal("config: asprintf");
	p->errors++;
	if (p->err)
		p->err(p->err_ctx, full);
	free(msg);
	free(full);
}

/* Values come from files anyone with write access may have edited; escape
 * them so a message cannot carry control characters to a terminal or log. */
#define SAFE_LEN 1024
#define SAFE(buf, s) log_safe((s), (buf), sizeof(buf))

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* dir/rel, or rel alone when it is absolute or dir is empty. */
static char *join_path(const char *dir, const char *rel)
{
	char *out;

	if (rel[0] == '/' || dir[0] == '\0')
		return xstrdup(rel);
	if (asprintf(&out, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", rel) < 0)
		fatal("config: asprintf");
	return out;
}

/* The directory part of path ("" when it has none), for relative settings. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (!slash)
		return xstrdup("");
	if (slash == path)
		return xstrdup("/");
	d = xmalloc((size_t)(slash - path) + 1);
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

/* ---- values ---------------------------------------------------------- */

static bool parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Seconds with up to three decimals ("1.5") into milliseconds. */
static bool parse_seconds_ms(const char *s, unsigned long long max_s, unsigned *ms)
{
	unsigned long long whole = 0, frac = 0;
	unsigned digits = 0, frac_digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (unsigned)(*s - '0');
		if (whole > max_s)
			return false;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, frac_digits++) {
			if (frac_digits == 3)
				return false;
			frac = frac * 10 + (unsigned)(*s - '0');
		}
		if (frac_digits == 0)
			return false;
	}
	if (*s || digits == 0)
		return false;
	while (frac_digits++ < 3)
		frac *= 10;
	if (whole * 1000 + frac > max_s * 1000)
		return false;
	*ms = (unsigned)(whole * 1000 + frac);
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* fnmatch takes an unclosed '[' literally; here it is almost certainly a
 * typo, so it is refused. Returns NULL or what is wrong. */
static const char *glob_problem(const char *g)
{
	for (const char *s = g; *s; s++) {
		if (*s == '\\') {
			if (!s[1])
				return "ends in a lone backslash";
			s++;
		} else if (*s == '[') {
			const char *c = s + 1;

			if (*c == '!' || *c == '^')
				c++;
			if (*c == ']') /* a leading ']' is a member, not the end */
				c++;
			while (*c && *c != ']')
				c++;
			if (!*c)
				return "has an unbalanced '['";
			s = c;
		}
	}
	return NULL;
}

static bool has_wildcard(const char *g)
{
	return strpbrk(g, "*?[\\") != NULL;
}

static void globs_add(char ***list, size_t *n, const char *word)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(word);
}

static void globs_free(struct globs *g)
{
	for (size_t i = 0; i < g->n_pos; i++)
		free(g->pos[i]);
	for (size_t i = 0; i < g->n_neg; i++)
		free(g->neg[i]);
	free(g->pos);
	free(g->neg);
	memset(g, 0, sizeof(*g));
}

static bool matches_some_event(const char *glob)
{
	for (int t = 0; t < EV_COUNT; t++)
		if (fnmatch(glob, event_name((enum event_type)t), 0) == 0)
			return true;
	return false;
}

/* Splits value on blanks into g, checking each glob. */
static void parse_globs(struct parser *p, enum rule_key key, const char *value,
			struct globs *g)
{
	char *copy = xstrdup(value), *save = NULL;
	char safe[SAFE_LEN];

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		bool neg = w[0] == '!';
		const char *pat = w + neg;
		const char *why;

		if (!*pat) {
			perr(p, p->path, p->line, "%s: '!' must be followed by a pattern",
			     rule_keys[key]);
			continue;
		}
		why = glob_problem(pat);
		if (why) {
			perr(p, p->path, p->line, "%s: bad pattern '%s': it %s", rule_keys[key],
			     SAFE(safe, pat), why);
			continue;
		}
		if (key == RK_EVENT && !matches_some_event(pat)) {
			perr(p, p->path, p->line, "event: '%s' matches no event name",
			     SAFE(safe, pat));
			continue;
		}
		if (key == RK_INTERFACE && !has_wildcard(pat) && strlen(pat) >= IF_NAMESIZE) {
			perr(p, p->path, p->line,
			     "interface: '%s' is longer than an interface name can be (%d)",
			     SAFE(safe, pat), IF_NAMESIZE - 1);
			continue;
		}
		if (neg)
			globs_add(&g->neg, &g->n_neg, pat);
		else
			globs_add(&g->pos, &g->n_pos, pat);
	}
	free(copy);
}

/* The kernel stores a route's destination with the host bits cleared, so a
 * destination with host bits set could never match. */
static bool host_bits_clear(const struct ipprefix *pfx, struct ipprefix *masked)
{
	unsigned bytes = ip_addr_len(pfx->addr.family);

	*masked = *pfx;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned bit = i * 8;
		uint8_t keep = bit >= pfx->len	    ? 0
			       : bit + 8 <= pfx->len ? 0xff
						     : (uint8_t)(0xff << (8 - (pfx->len - bit)));

		masked->addr.bytes[i] &= keep;
	}
	return ip_equal(&pfx->addr, &masked->addr);
}

/* ---- [rule NAME] ----------------------------------------------------- */

static struct rule *cur_rule(struct parser *p)
{
	return &p->cfg->rules[p->rule];
}

static void rule_key(struct parser *p, const char *name, const char *value)
{
	struct rule *r = cur_rule(p);
	char safe[SAFE_LEN], buf[IP_STRLEN];
	int key = -1;

	for (int i = 0; i < RK_COUNT; i++)
		if (strcmp(name, rule_keys[i]) == 0)
			key = i;
	if (key < 0) {
		perr(p, p->path, p->line, "unknown key '%s' in [rule]", SAFE(safe, name));
		return;
	}
	if (key != RK_RUN && p->rule_key_line[key]) {
		perr(p, p->path, p->line, "duplicate key '%s' (first set at line %d)", name,
		     p->rule_key_line[key]);
		return;
	}
	p->rule_key_line[key] = p->line;
	if (!*value) {
		perr(p, p->path, p->line, "%s: empty value", name);
		return;
	}

	switch ((enum rule_key)key) {
	case RK_EVENT:
		parse_globs(p, RK_EVENT, value, &r->events);
		break;
	case RK_INTERFACE:
		parse_globs(p, RK_INTERFACE, value, &r->ifaces);
		break;
	case RK_KIND:
		parse_globs(p, RK_KIND, value, &r->kinds);
		break;
	case RK_FAMILY:
		if (strcmp(value, "inet") == 0)
			r->family = AF_INET;
		else if (strcmp(value, "inet6") == 0)
			r->family = AF_INET6;
		else
			perr(p, p->path, p->line, "family: expected inet or inet6, not '%s'",
			     SAFE(safe, value));
		break;
	case RK_ADDRESS:
		if (ip_parse_prefix(value, &r->address))
			r->has_address = true;
		else
			perr(p, p->path, p->line,
			     "address: '%s' is not an IPv4 or IPv6 address or prefix",
			     SAFE(safe, value));
		break;
	case RK_DESTINATION: {
		struct ipprefix masked;

		if (strcmp(value, "default") == 0) {
			memset(&r->destination, 0, sizeof(r->destination));
			r->has_destination = true;
		} else if (!ip_parse_prefix(value, &r->destination)) {
			perr(p, p->path, p->line,
			     "destination: expected default or a prefix, not '%s'",
			     SAFE(safe, value));
		} else if (!host_bits_clear(&r->destination, &masked)) {
			perr(p, p->path, p->line,
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
		} else if (!parse_uint(value, UINT32_MAX, &t) || t == 0) {
			perr(p, p->path, p->line,
			     "table: expected main or a number from 1 to %u, not '%s'",
			     UINT32_MAX, SAFE(safe, value));
			break;
		}
		if (t == RT_TABLE_LOCAL_ID) {
			perr(p, p->path, p->line,
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
		else
			perr(p, p->path, p->line, "args: expected iface-event or none, not '%s'",
			     SAFE(safe, value));
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
	int key = -1;

	for (int i = 0; i < DK_COUNT; i++)
		if (strcmp(name, daemon_keys[i]) == 0)
			key = i;
	if (key < 0) {
		perr(p, p->path, p->line, "unknown key '%s' in [daemon]", SAFE(safe, name));
		return;
	}
	if (p->daemon_key_line[key]) {
		perr(p, p->path, p->line, "duplicate key '%s' (first set at line %d)", name,
		     p->daemon_key_line[key]);
		return;
	}
	p->daemon_key_line[key] = p->line;
	if (!*value) {
		perr(p, p->path, p->line, "%s: empty value", name);
		return;
	}

	switch ((enum daemon_key)key) {
	case DK_HOOKS_DIR:
		p->hooks_dir_raw = xstrdup(value);
		break;
	case DK_RULES_DIR:
		p->rules_dir_raw = xstrdup(value);
		break;
	case DK_TIMEOUT:
		if (parse_uint(value, MAX_SECONDS, &n) && n >= 1)
			cfg->timeout_s = (unsigned)n;
		else
			perr(p, p->path, p->line,
			     "timeout: expected whole seconds from 1 to %d, not '%s'",
			     MAX_SECONDS, SAFE(safe, value));
		break;
	case DK_MAX_JOBS:
		if (parse_uint(value, MAX_JOBS, &n) && n >= 1)
			cfg->max_jobs = (unsigned)n;
		else
			perr(p, p->path, p->line,
			     "max_jobs: expected a number from 1 to %d, not '%s'", MAX_JOBS,
			     SAFE(safe, value));
		break;
	case DK_STARTUP_EVENTS:
		if (!parse_bool(value, &cfg->startup_events))
			perr(p, p->path, p->line, "startup_events: expected yes or no, not '%s'",
			     SAFE(safe, value));
		break;
	case DK_LOG:
		if (strcmp(value, "stderr") == 0)
			cfg->log = LOG_TO_STDERR;
		else if (strcmp(value, "syslog") == 0)
			cfg->log = LOG_TO_SYSLOG;
		else
			perr(p, p->path, p->line, "log: expected stderr or syslog, not '%s'",
			     SAFE(safe, value));
		break;
	case DK_PPP_IPV6_WAIT:
		if (!parse_seconds_ms(value, MAX_SECONDS, &cfg->ppp_ipv6_wait_ms))
			perr(p, p->path, p->line,
			     "ppp_ipv6_wait: expected seconds from 0 to %d with at most 3 "
			     "decimals, not '%s'",
			     MAX_SECONDS, SAFE(safe, value));
		break;
	case DK_COUNT:
		break;
	}
}

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
static void start_section(struct parser *p, char *content)
{
	char safe[SAFE_LEN], safe2[SAFE_LEN];
	char *word = content, *rest, *end;

	memset(p->rule_key_line, 0, sizeof(p->rule_key_line));
	while (is_blank(*word))
		word++;
	end = word + strlen(word);
	while (end > word && is_blank(end[-1]))
		*--end = '\0';
	rest = word;
	while (*rest && !is_blank(*rest))
		rest++;
	if (*rest) {
		*rest++ = '\0';
		while (is_blank(*rest))
			rest++;
	}

	p->sec = SEC_IGNORE;
	if (strcmp(word, "daemon") == 0) {
		if (*rest)
			perr(p, p->path, p->line, "[daemon] takes no name");
		else if (!p->main_file)
			perr(p, p->path, p->line,
			     "[daemon] is only allowed in the main configuration file");
		else
			p->sec = SEC_DAEMON;
		return;
	}
	if (strcmp(word, "rule") != 0) {
		perr(p, p->path, p->line,
		     "unknown section [%s%s%s]; expected [daemon] or [rule NAME]",
		     SAFE(safe, word), *rest ? " " : "", SAFE(safe2, rest));
		return;
	}
	/* Keys of a rule with a bad name are still checked, so that one run
	 * reports everything. */
	if (!*rest) {
		perr(p, p->path, p->line, "[rule] needs a name: [rule NAME]");
		start_rule(p, NULL, false);
		return;
	}
	if (!rule_name_ok(rest)) {
		perr(p, p->path, p->line,
		     "rule name '%s' must not contain blanks or control characters",
		     SAFE(safe, rest));
		start_rule(p, NULL, false);
		return;
	}
	for (size_t i = 0; i < p->cfg->n_rules; i++) {
		const struct rule *o = &p->cfg->rules[i];

		if (o->name && strcmp(o->name, rest) == 0) {
			perr(p, p->path, p->line, "duplicate rule name '%s' (first defined at %s:%d)",
			     rest, o->file, o->line);
			break;
		}
	}
	start_rule(p, rest, true);
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	char safe[SAFE_LEN];

	/* Sections are tracked by the reader: inih truncates long names. */
	(void)section;
	if (!name || !value) /* a build of inih that reports new sections */
		return 1;
	switch (p->sec) {
	case SEC_NONE:
		perr(p, p->path, p->line, "'%s' outside of a section; expected %s first",
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

/* ---- the line reader ------------------------------------------------- */

/* Checks one line (leading whitespace already gone); starts sections.
 * Returns false for a malformed line, after reporting it. */
static bool check_line(struct parser *p, char *s)
{
	if (*s == '\0' || *s == ';' || *s == '#')
		return true;
	if (*s == '[') {
		char *close = strchr(s, ']'), *after;
		char content[256];
		size_t n;

		if (!close)
			goto bad;
		/* inih ends the header at an inline comment ("[a ;x]"). */
		for (char *c = s + 1; c < close; c++)
			if (*c == ';' && isspace((unsigned char)c[-1]))
				goto bad;
		after = close + 1;
		while (isspace((unsigned char)*after))
			after++;
		/* After ']' only an inline comment: ';' after whitespace. */
		if (*after && !(*after == ';' && after > close + 1))
			goto bad;
		n = (size_t)(close - s - 1);
		if (n >= sizeof(content))
			goto bad;
		memcpy(content, s + 1, n);
		content[n] = '\0';
		start_section(p, content);
		return true;
	}
	if (!is_key_char(*s))
		goto bad;
	while (is_key_char(*s))
		s++;
	while (is_blank(*s))
		s++;
	if (*s == '=')
		return true;
bad:
	perr(p, p->path, p->line, "expected '[section]' or 'key = value'");
	return false;
}

static char *hand_comment(char *str)
{
	strcpy(str, ";");
	return str;
}

/* inih's reader: one real line per call. Long lines, malformed lines and
 * indentation are dealt with here, because inih would split the first,
 * stop counting after the first error and join the last to the line before. */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	ssize_t got = getline(&p->buf, &p->bufsz, p->fp);
	size_t len;
	char *s;

	if (got < 0 || num < 2)
		return NULL;
	p->line++;
	len = (size_t)got;
	if (len && p->buf[len - 1] == '\n')
		p->buf[--len] = '\0';
	if (strlen(p->buf) != len) {
		perr(p, p->path, p->line, "line contains a NUL byte");
		return hand_comment(str);
	}
	if (len > (size_t)num - 1) {
		perr(p, p->path, p->line, "line too long (at most %d characters)", num - 1);
		return hand_comment(str);
	}
	s = p->buf;
	if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	if (!check_line(p, s))
		return hand_comment(str);
	memcpy(str, s, strlen(s) + 1);
	return str;
}

/* Returns false when the file could not be opened. */
static bool parse_file(struct parser *p, const char *path, bool main_file)
{
	int rc;

	p->fp = fopen(path, "re");
	if (!p->fp) {
		perr(p, path, 0, "%s", strerror(errno));
		return false;
	}
	p->path = path;
	p->line = 0;
	p->main_file = main_file;
	p->sec = SEC_NONE;
	memset(p->rule_key_line, 0, sizeof(p->rule_key_line));
	rc = ini_parse_stream(read_line, p, on_pair, p);
	if (ferror(p->fp))
		perr(p, path, 0, "read error: %s", strerror(errno));
	else if (rc > 0) /* a line our checks let through and inih did not like */
		perr(p, path, rc, "syntax error");
	else if (rc < 0)
		perr(p, path, 0, "cannot parse (inih error %d)", rc);
	fclose(p->fp);
	p->fp = NULL;
	return true;
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
		abs = join_path(cfg->hooks_dir, c->argv[0]);
		free(c->argv[0]);
		c->argv[0] = abs;
		if (stat(abs, &st) != 0)
			perr(p, r->file, pr->line, "run: %s: %s", SAFE(safe, abs), strerror(errno));
		else if (!S_ISREG(st.st_mode))
			perr(p, r->file, pr->line, "run: %s is not a regular file", SAFE(safe, abs));
		else if (access(abs, X_OK) != 0)
			perr(p, r->file, pr->line, "run: %s is not executable", SAFE(safe, abs));
	}
	p->n_pending = 0;
}

static void check_rules(struct parser *p, size_t first)
{
	char buf[IP_STRLEN];

	check_runs(p);
	for (size_t i = first; i < p->cfg->n_rules; i++) {
		const struct rule *r = &p->cfg->rules[i];

		if (r->n_runs == 0)
			perr(p, r->file, r->line, "rule has no 'run' line");
		/* Contradictions that would make a rule silently never match. */
		if (r->family && r->has_address && r->address.addr.family != r->family)
			perr(p, r->file, r->line, "address %s/%u is not of family %s",
			     ip_format(&r->address.addr, buf), r->address.len,
			     r->family == AF_INET ? "inet" : "inet6");
		if (r->family && r->has_destination && r->destination.addr.family &&
		    r->destination.addr.family != r->family)
			perr(p, r->file, r->line, "destination %s/%u is not of family %s",
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
		perr(p, p->cfg->path, line, "%s: %s: %s", key, SAFE(safe, dir), strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		perr(p, p->cfg->path, line, "%s: %s is not a directory", key, SAFE(safe, dir));
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
			perr(p, dir, 0, "%s", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		/* Like the shell's *.conf: no dotfiles, something before .conf. */
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".conf"))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *path = join_path(dir, names[i]);
		size_t first = p->cfg->n_rules;
		struct stat st;

		if (stat(path, &st) != 0)
			perr(p, path, 0, "%s", strerror(errno));
		else if (S_ISREG(st.st_mode)) {
			parse_file(p, path, false);
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
	globs_free(&r->events);
	globs_free(&r->ifaces);
	globs_free(&r->kinds);
	for (size_t i = 0; i < r->n_runs; i++) {
		for (size_t j = 0; j < r->runs[i].argc; j++)
			free(r->runs[i].argv[j]);
		free(r->runs[i].argv);
	}
	free(r->runs);
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
	cfg->ppp_ipv6_wait_ms = 3000;

	/* Without the main file there is nothing to say about the rest. */
	if (!parse_file(&p, cfg->path, true))
		goto out;

	dir = dir_of(path);
	cfg->hooks_dir_set = p.hooks_dir_raw != NULL;
	cfg->rules_dir_set = p.rules_dir_raw != NULL;
	cfg->hooks_dir = join_path(dir, cfg->hooks_dir_set ? p.hooks_dir_raw : DEFAULT_HOOKS_DIR);
	cfg->rules_dir = join_path(dir, cfg->rules_dir_set ? p.rules_dir_raw : DEFAULT_RULES_DIR);
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
	return cfg;
}
