/* Purpose: builds a hook's environment from nothing (the daemon never calls setenv). */
#ifndef IFHOOKD_ENV_H
#define IFHOOKD_ENV_H

#include "event.h"

#define HOOK_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Returns a malloc'd NULL-terminated "NAME=value" array for ev, with
 * RULE=rule_name ("" for hooks.d files); free it with env_free. */
char **event_env(const struct event *ev, const char *rule_name);
void env_free(char **envp);

/* Kernel names used in the environment (exposed for tests and logs). */
const char *operstate_name(unsigned operstate);
const char *scope_name(unsigned scope, char buf[12]);
const char *iftype_name(unsigned type, char buf[12]);
const char *proto_name(unsigned proto, char buf[12]);
const char *table_name(unsigned table, char buf[12]);

#endif
