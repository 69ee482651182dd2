/* Purpose: the daemon's event loop: netlink in, events through rules, hooks out. */
#ifndef IFHOOKD_DAEMON_H
#define IFHOOKD_DAEMON_H

#include <stdbool.h>

#include "config.h"

struct daemon_opts {
	const char *config_path; /* absolute, for reloads */
	bool verbose;
	bool dry_run;            /* log each hook with argv and environment; run none */
	const char *status_path; /* the status socket; NULL or "": none */
};

/* Runs until SIGTERM or SIGINT; takes ownership of cfg. Returns the exit status. */
int daemon_run(struct config *cfg, const struct daemon_opts *opts);

#endif
