/* Purpose: builds a hook's environment from nothing (the daemon never calls setenv). */
#ifndef IFHOOKD_ENV_H
#define IFHOOKD_ENV_H

#include "event.h"

#define HOOK_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Returns a malloc'd NULL-terminated "NAME=value" array for ev, with
 * RULE=rule_name ("" for hooks.d files); free it with env_free. */
char **event_env(const struct event *ev, const char *rule_name);
/* The same, plus what pppd and Debian's /etc/ppp/ip-up wrapper give their
 * scripts (args = pppd): IFNAME, IPLOCAL, IPREMOTE, PPP_TTY, PPP_TTYNAME,
 * PPP_SPEED, PPP_IPPARAM. */
char **event_env_pppd(const struct event *ev, const char *rule_name);
void env_free(char **envp);

/* pppd's ip-up/ip-down arguments, "interface tty speed local-IP remote-IP
 * ipparam", as far as the kernel knows them. The tty, the speed and the
 * ipparam are pppd's own settings: they are the values pppd itself passes
 * when it has none (tests/ppp/ records what a real pppd passes). */
#define PPPD_ARGC 6
#define PPPD_TTY ""     /* pppd without a device name (pty, notty) */
#define PPPD_TTYNAME "" /* basename of PPPD_TTY, as Debian's ip-up derives it */
#define PPPD_SPEED "0"  /* pppd without a serial line (PPPoE): baud rate 0 */
#define PPPD_IPPARAM "" /* no ipparam (pppd then omits it; Debian's ip-up passes "") */
/* Fills argv[0..PPPD_ARGC-1] with malloc'd strings. */
void pppd_args(const struct event *ev, char **argv);

/* Kernel names used in the environment (exposed for tests and logs). */
const char *operstate_name(unsigned operstate);
const char *scope_name(unsigned scope, char buf[12]);
const char *iftype_name(unsigned type, char buf[12]);
const char *proto_name(unsigned proto, char buf[12]);
const char *table_name(unsigned table, char buf[12]);

#endif
