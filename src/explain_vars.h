/* Purpose: builds the event that ifhookd explain synthesises from the hook
 * environment's own names (ADDRESS=..., ROUTE_DST=...), without I/O. */
#ifndef IFHOOKD_EXPLAIN_VARS_H
#define IFHOOKD_EXPLAIN_VARS_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"

struct explain_event {
	struct event ev;
	/* Which values were given, so defaults and derived values leave them be. */
	bool have_family, have_address, have_prefixlen, have_dst, have_table, have_proto;
	bool have_ip4, have_ip6, have_state;
};

/* Starts ev: type, iface, origin kernel, seq 1. Link facts are the caller's
 * (from the kernel, or explain_default_link). */
void explain_init(struct explain_event *x, enum event_type t, const char *iface);
/* Link facts for an interface the kernel does not have: up unless the event
 * says it went down, IFTYPE ppp (kind ppp) for ppp-* events, else ether. */
void explain_default_link(struct explain_event *x);

/* Applies one "NAME=VALUE" (a variable of the hook contract). Returns 0, or
 * -1 with a message in err. */
int explain_var(struct explain_event *x, const char *assignment, char *err, size_t errsize);

/* Fills what was not given and follows from what was: FAMILY from the
 * addresses, PREFIXLEN 32/128, ROUTE_DST default, table main, the new
 * address in IP4_ADDRS/IP6_ADDRS of address-added (out of those of
 * address-removed). Returns 0, or -1 with err (address-* without ADDRESS). */
int explain_finish(struct explain_event *x, char *err, size_t errsize);

#endif
