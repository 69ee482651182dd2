/* Purpose: does a rule match an event (pure, no I/O). */
#ifndef IFHOOKD_RULES_H
#define IFHOOKD_RULES_H

#include <stdbool.h>

#include "config.h"
#include "event.h"

bool globs_match(const struct globs *g, const char *s);
/* Works out at load time what matching would otherwise redo per event (the
 * event types the rule takes, which patterns need no fnmatch). */
void rule_compile(struct rule *r);
bool rule_matches(const struct rule *r, const struct event *ev);
/* The first key of r that ev fails ("event", "interface", "kind", "family",
 * "address", "destination", "table"), or NULL when r matches. */
const char *rule_mismatch(const struct rule *r, const struct event *ev);

#endif
