/* Purpose: one-line renderings of events and hooks for the admin tools: hook
 * environments as shell assignments or JSON objects, argv as shell words. */
#ifndef IFHOOKD_EVPRINT_H
#define IFHOOKD_EVPRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "dispatch.h"
#include "event.h"
#include "sbuf.h"

/* "EVENT=link-up IFACE=eth0 ..." (values as esc_shell words), or
 * {"EVENT":"link-up","IFACE":"eth0",...}: every variable in envp, in order. */
void evprint_env(struct sbuf *b, char *const *envp, bool json);
/* argv as shell words separated by spaces, or a JSON array. */
void evprint_argv(struct sbuf *b, char *const *argv, bool json);

/* The environment a hooks.d file would get for ev (RULE empty), as one line
 * on out, flushed. Returns -1 when writing failed (a closed pipe). */
int evprint_event(FILE *out, const struct event *ev, bool json);

/* A hook that is not run: "dry-run: NAME: argv: WORDS env: ASSIGNMENTS", or
 * {"dry_run":NAME,"argv":[...],"env":{...}} (no newline). */
void evprint_hook(struct sbuf *b, const struct hook_spec *s, bool json);

#endif
