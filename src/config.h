/* Purpose: the configuration object; parsing builds it, the runtime only reads it. */
#ifndef IFHOOKD_CONFIG_H
#define IFHOOKD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipaddr.h"
#include "log.h"

/* A list of fnmatch globs; entries starting with '!' exclude. */
struct globs {
	char **pos;
	size_t n_pos;
	char **neg;
	size_t n_neg;
	/* Set by rule_compile: bit i when pos[i] (neg[i]) is plain, a literal
	 * or a literal and one trailing '*', compared without fnmatch. Globs
	 * built by hand leave them 0 and get the same answers from fnmatch. */
	uint64_t pos_plain, neg_plain;
};

/* ARGS_PPPD: pppd's ip-up argument order (ppp-connect/ppp-disconnect only). */
enum args_mode { ARGS_IFACE_EVENT, ARGS_NONE, ARGS_PPPD };

struct command {
	char **argv; /* NULL-terminated; argv[0] is an absolute path */
	size_t argc;
};

struct rule {
	char *name;
	char *file; /* where it was defined, for messages */
	int line;
	struct globs events;    /* empty = any event */
	/* Set by rule_compile: bit (1 << type) for each event type the events
	 * globs match. 0 (rules built by hand, or matching nothing): the globs
	 * are matched against the event's name instead. */
	uint32_t event_mask;
	struct globs ifaces;    /* empty = any interface */
	struct globs kinds;     /* empty = any kind */
	uint8_t family;         /* 0 = any */
	bool has_address;
	struct ipprefix address;
	bool has_destination;
	struct ipprefix destination; /* default = len 0, family 0 means either */
	bool has_table;
	uint32_t table;
	struct command *runs;
	size_t n_runs;
	enum args_mode args;
	/* Debounce: fire only if the new state still holds this long; a revert
	 * inside the delay cancels both silently. delay_up applies to link-up and
	 * ppp-connect, delay_down to link-down and ppp-disconnect (default: delay). */
	unsigned delay_ms;
	unsigned delay_up_ms, delay_down_ms;
	bool has_delay_up, has_delay_down;
	/* user = / group =, resolved when the configuration is loaded: the
	 * hook runs with uid, gid as its group and groups as supplementary
	 * groups (the user's, from the group database; with group = alone,
	 * only gid). Unset: the daemon's own ids. */
	bool has_user, has_group;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t n_groups;
};

struct config {
	char *path;
	char *hooks_dir;  /* absolute, or relative to the cwd when the config path was */
	char *rules_dir;
	bool hooks_dir_set; /* given in the file: then a missing one is an error */
	bool rules_dir_set;
	unsigned timeout_s;
	unsigned max_jobs;
	bool startup_events;
	enum log_target log;
	int log_facility;  /* syslog facility: LOG_DAEMON, LOG_USER, LOG_LOCAL0..7 */
	unsigned ppp_ipv6_wait_ms; /* how long ppp-connect waits for IPv4 once IPv6 is there */
	unsigned rcvbuf;           /* netlink event socket receive buffer, bytes */
	struct rule *rules;
	size_t n_rules;
};

/* Called once per problem, with "path:line: message" already formatted. */
typedef void (*config_error_fn)(void *ctx, const char *msg);

/* Parses path and its rules_dir; reports every error through err and returns
 * NULL if there was any, else the new object. */
struct config *config_load(const char *path, config_error_fn err, void *ctx);
void config_free(struct config *cfg);

#endif
