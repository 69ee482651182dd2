/* Purpose: the text of a status reply (text or JSON) from what the daemon
 * knows: its cache of links, its running hooks and queues, its counters. */
#ifndef IFHOOKD_STATUS_REPORT_H
#define IFHOOKD_STATUS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "jobs.h"
#include "state.h"

struct status_view {
	pid_t pid;
	uint64_t now_ms, started_ms; /* mono_ms() */
	bool dry_run;
	struct state *st;
	const struct jobs *jobs;
	uint64_t events, malformed, overruns, resyncs;
};

/* A malloc'd reply ending in a newline. */
char *status_format(const struct status_view *v, bool json);

#endif
