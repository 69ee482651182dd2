/* Purpose: applies parsed kernel messages to the cache and emits the events they imply. */
#ifndef IFHOOKD_CLASSIFY_H
#define IFHOOKD_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "rtnl.h"
#include "state.h"

/* Receives each event; ev and its strings are valid only during the call. */
typedef void (*event_sink_fn)(void *ctx, const struct event *ev);

struct classify {
	struct state st;
	event_sink_fn sink;
	void *sink_ctx;
	enum event_origin origin;
	bool emit;          /* false: fill the cache silently (startup_events = no) */
	uint64_t seq;       /* last EVENT_SEQ handed out */
	uint64_t now_ms;    /* time of the message being applied */
	uint32_t portid;    /* requester of the message being applied */
	/* During a resync, events the dump causes wait here until the sweep
	 * has reported what is gone, so that hooks see removals first: a
	 * default route replaced while messages were lost ends as "added". */
	struct event **held;
	size_t n_held, cap_held;
	bool holding;
	unsigned ppp_ipv6_wait_ms;
	/* Earliest PPP IPv6 deadline armed (0 = none). It may be stale-early
	 * after a disconnect; that costs one scan, not a missed deadline. */
	uint64_t ppp_deadline_hint_ms;
	uint32_t gen[3];    /* per object class, for resync sweeps: link, addr, route */
	bool want_route_resync; /* a multipath/nexthop route may have gone silently */
	uint64_t ignored_links; /* AF_BRIDGE and other non-device link messages */
};

enum sync_class { SYNC_LINKS, SYNC_ADDRS, SYNC_ROUTES };

void classify_init(struct classify *c, event_sink_fn sink, void *ctx, unsigned ppp_ipv6_wait_ms);
void classify_free(struct classify *c);

/* Applies one message at time now_ms (CLOCK_MONOTONIC milliseconds). */
void classify_msg(struct classify *c, const struct rtnl_msg *m, uint64_t now_ms);

/* PPP links waiting for IPv4 before an IPv6-only ppp-connect: the earliest
 * deadline (0 = none), and the work due at now_ms. */
uint64_t classify_next_deadline(struct classify *c);
void classify_tick(struct classify *c, uint64_t now_ms);

/* A dump of one class brackets its entries with these: whatever the cache
 * had that the dump did not mention is then removed, with its events. */
void classify_sync_begin(struct classify *c, enum sync_class cls);
void classify_sync_end(struct classify *c, enum sync_class cls, uint64_t now_ms);
/* A dump that failed: nothing is swept, held events go out as they are. */
void classify_sync_abort(struct classify *c);

/* explain: fills ev's link facts (and last PPP addresses) from the cached
 * link named name, as an event about it would carry them; false if none. */
bool classify_link_by_name(struct classify *c, const char *name, struct event *ev);

#endif
