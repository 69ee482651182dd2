/* Purpose: feeds the netlink messages of captured packets (pcap.h) to the
 * classifier, as the daemon feeds live ones: the core of replay (no I/O). */
#ifndef IFHOOKD_FEED_H
#define IFHOOKD_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "classify.h"
#include "pcap.h"

typedef void (*feed_warn_fn)(void *ctx, const char *msg);

struct feed {
	struct classify *cls;
	bool startup_events; /* dump entries give events (EVENT_ORIGIN=startup) */
	feed_warn_fn warn;   /* may be NULL */
	void *warn_ctx;
	uint64_t now_ms;     /* the capture's clock: latest packet time seen */
	uint64_t packets, messages;
	uint64_t requests;   /* sent to the kernel (nlmon sees them too): skipped */
	uint64_t other;      /* other netlink families or not netlink: skipped */
	uint64_t malformed;  /* skipped, each reported through warn */
	uint64_t cut;        /* packets the capture truncated (snaplen) */
};

void feed_init(struct feed *f, struct classify *cls, bool startup_events, feed_warn_fn warn,
	       void *warn_ctx);

/* Classifies one packet's messages: notifications as EVENT_ORIGIN=kernel,
 * dump entries (NLM_F_MULTI) as startup. Time is the packet's timestamp, so
 * PPP IPv6 waits run on the capture's clock; it never goes backwards. */
void feed_packet(struct feed *f, const struct pcap_packet *p);

/* The capture ended: lets the time of any pending wait pass. */
void feed_finish(struct feed *f);

#endif
