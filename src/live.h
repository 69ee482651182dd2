/* Purpose: the live kernel feed of the daemon and the admin tools: subscribe,
 * dump, read, and resync after lost messages, into a classifier. */
#ifndef IFHOOKD_LIVE_H
#define IFHOOKD_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "classify.h"
#include "nl.h"

struct live {
	struct nl nl;
	struct classify cls;
	bool in_overrun;    /* between an ENOBUFS and the resync that answers it */
	uint64_t overruns;  /* ENOBUFS episodes, each answered by one resync */
	uint64_t resyncs, malformed;
};

/* Opens the sockets (subscribed first) and the classifier. Returns 0, or -1
 * with errno set. */
int live_open(struct live *lv, event_sink_fn sink, void *ctx, unsigned rcvbuf,
	      unsigned ppp_ipv6_wait_ms);
void live_close(struct live *lv);

/* Reads links, addresses and routes; their events carry origin, and are
 * given only when emit is set (else the cache fills silently). */
void live_dump(struct live *lv, enum event_origin origin, bool emit);

/* The event socket is readable: classify what it holds; after lost messages
 * (ENOBUFS) re-dump at once, with EVENT_ORIGIN=resync. */
void live_read(struct live *lv);

/* Milliseconds until the classifier's next deadline (-1: none), and the work
 * due now. */
int live_timeout(struct live *lv);
void live_tick(struct live *lv);

#endif
