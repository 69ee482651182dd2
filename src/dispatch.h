/* Purpose: turns one event into the ordered list of hook commands to run (pure). */
#ifndef IFHOOKD_DISPATCH_H
#define IFHOOKD_DISPATCH_H

#include <stddef.h>

#include "config.h"
#include "event.h"
#include "hooksdir.h"
#include "spawn.h"

struct hook_spec {
	char *name;  /* "rule NAME" or the hooks.d path, for logs */
	char *rule;  /* the rule's name, NULL for hooks.d files */
	char **argv; /* malloc'd, NULL-terminated */
	char **envp; /* from event_env */
	unsigned delay_ms; /* the rule's debounce for this event, 0 = none */
	struct spawn_ids ids; /* the rule's user and group; ids.groups is malloc'd */
};

/* Order: matching rules in file order (each run line in order), then
 * hooks_dir/EVENT.d/ files, then top-level files. hd may be NULL (no hooks
 * dir). Whether a program may run is checked when it starts (jobs.h), not
 * here: most events of a storm are coalesced away before that. Returns the
 * count; *out is malloc'd (NULL when 0). */
size_t dispatch_build(const struct config *cfg, struct hooksdir *hd,
		      const struct event *ev, struct hook_spec **out);
void hook_spec_clear(struct hook_spec *s);

#endif
