/* Purpose: what the config parser's files share: the parser state, the
 * section and key names, and the functions each file offers the others. */
#ifndef IFHOOKD_CONFIG_PARSE_H
#define IFHOOKD_CONFIG_PARSE_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

enum section { SEC_NONE, SEC_DAEMON, SEC_RULE, SEC_IGNORE };

enum daemon_key {
	DK_HOOKS_DIR,
	DK_RULES_DIR,
	DK_TIMEOUT,
	DK_MAX_JOBS,
	DK_STARTUP_EVENTS,
	DK_LOG,
	DK_PPP_IPV6_WAIT,
	DK_RCVBUF,
	DK_LOG_FACILITY,
	DK_COUNT
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
	RK_DELAY,
	RK_DELAY_UP,
	RK_DELAY_DOWN,
	RK_USER,
	RK_GROUP,
	RK_COUNT
};

/* Indexed by enum rule_key; the names as written in a [rule]. */
extern const char *const cfg_rule_keys[RK_COUNT];

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

/* Values come from files anyone with write access may have edited; escape
 * them so a message cannot carry control characters to a terminal or log. */
#define SAFE_LEN 1024
#define SAFE(buf, s) log_safe((s), (buf), sizeof(buf))

static inline bool cfg_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* config_lines.c: the line reader under inih, and error reporting. */

/* Reports "path:line: message" (or "path: message" for line 0). */
void cfg_err(struct parser *p, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Reads one file into p->cfg. Returns false when it could not be opened. */
bool cfg_parse_file(struct parser *p, const char *path, bool main_file);

/* config_values.c: one value or path at a time. */

bool cfg_has_suffix(const char *s, const char *suffix);
char *cfg_join_path(const char *dir, const char *rel);
char *cfg_dir_of(const char *path);
bool cfg_parse_uint(const char *s, unsigned long long max, unsigned long long *out);
bool cfg_parse_seconds_ms(const char *s, unsigned long long max_s, unsigned *ms);
/* Bytes with an optional K, M or G suffix (powers of 1024). */
bool cfg_parse_size(const char *s, unsigned long long max, unsigned long long *out);
bool cfg_parse_bool(const char *s, bool *out);
void cfg_parse_globs(struct parser *p, enum rule_key key, const char *value, struct globs *g);
void cfg_globs_free(struct globs *g);
bool cfg_host_bits_clear(const struct ipprefix *pfx, struct ipprefix *masked);

/* config_keys.c: "key = value" lines of [daemon] and [rule NAME]. */

int cfg_on_pair(void *user, const char *section, const char *name, const char *value);

/* config.c: section headers. content is what lies between '[' and ']'. */

void cfg_start_section(struct parser *p, char *content);

#endif
