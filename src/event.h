/* Purpose: the events ifhookd emits and the plain facts each one carries. */
#ifndef IFHOOKD_EVENT_H
#define IFHOOKD_EVENT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "ipaddr.h"

enum event_type {
	EV_LINK_ADDED,
	EV_LINK_REMOVED,
	EV_LINK_UP,
	EV_LINK_DOWN,
	EV_LINK_RENAMED,
	EV_PPP_CONNECT,
	EV_PPP_DISCONNECT,
	EV_ADDRESS_ADDED,
	EV_ADDRESS_REMOVED,
	EV_ROUTE_ADDED,
	EV_ROUTE_REMOVED,
	EV_ROUTE_CHANGED,
	EV_COUNT
};

/* resync: found by a re-dump after the kernel dropped messages (ENOBUFS). */
enum event_origin { ORIGIN_KERNEL, ORIGIN_STARTUP, ORIGIN_RESYNC };

#define KIND_LEN 32
#define MAC_STRLEN 96 /* up to 32 bytes as "xx:" */

/* Where the classifier's events get IP4_ADDRS and IP6_ADDRS from. Formatting
 * them costs more than classifying the message, and only a hook's environment
 * needs them, so they are formatted when asked for (event_addr_list).
 * Borrowed: link points into the classifier's cache and is valid only while
 * the event is handed to the sink; event_dup formats the lists instead. */
struct event_addr_source {
	/* A malloc'd "a/p a/p" of link's addresses of family; NULL: no source. */
	char *(*format)(const void *link, uint8_t family, bool with_departed);
	const void *link;
	bool with_departed; /* link-removed: the addresses deleted just before */
};

/* What an event knows about its link; copied, so it outlives the link (the
 * address lists only once event_dup has made them owned strings). */
struct event_link {
	bool up;           /* IFF_UP && IFF_RUNNING */
	uint8_t operstate; /* IF_OPER_* */
	uint16_t type;     /* ARPHRD_* */
	uint32_t mtu;
	char kind[KIND_LEN];
	char mac[MAC_STRLEN];
	/* Read them with event_addr_list: while src.format is set, these are
	 * NULL and the lists come from src. */
	char *ip4_addrs; /* "a/p a/p", heap, may be NULL */
	char *ip6_addrs;
	struct event_addr_source src;
};

struct event_address {
	struct ipaddr addr;
	uint8_t prefixlen;
	uint8_t scope; /* RT_SCOPE_* */
	struct ipaddr peer; /* family 0 when none */
};

struct event_route {
	struct ipaddr dst; /* family set even for default */
	uint8_t dst_len;
	struct ipaddr gateway; /* family 0 when none */
	uint32_t table;
	uint8_t protocol;
	uint32_t metric;
};

struct event_ppp {
	struct ipaddr local;
	struct ipaddr remote;
	/* ppp-disconnect: how long the connection lasted, from the classifier's
	 * clock at its ppp-connect; unknown for a connection that was already up
	 * when the daemon started (its start is not in the kernel's state). */
	bool connect_time_known;
	uint64_t connect_time_ms;
};

struct event {
	enum event_type type;
	enum event_origin origin;
	uint64_t seq;
	int ifindex; /* 0 when the event has no interface (route without dev) */
	char iface[IF_NAMESIZE];
	char old_iface[IF_NAMESIZE]; /* link-renamed only */
	bool has_link;               /* link facts below are valid */
	struct event_link link;
	uint8_t family; /* AF_INET/AF_INET6 for address, route, ppp events; else 0 */
	struct event_address address; /* address-* */
	struct event_route route;     /* route-* */
	struct event_ppp ppp;         /* ppp-* */
	/* nlmsg_pid of the address or route message behind the event: the
	 * netlink port of the process that asked for the change (0: kernel). */
	uint32_t portid;
	bool caused_by_hook; /* that process belongs to a running hook */
};

/* "xx:xx:..." (lowercase, as %02x), up to 32 bytes. */
void event_format_mac(char out[MAC_STRLEN], const uint8_t *mac, unsigned len);

const char *event_name(enum event_type t);
/* Returns the type for a name, or -1. */
int event_from_name(const char *name);
const char *event_origin_name(enum event_origin o);
bool event_is_route(enum event_type t);

/* Kind used for rule matching: "ppp" for any ARPHRD_PPP link, else IFKIND. */
const char *event_match_kind(const struct event *ev);

/* IP4_ADDRS (family AF_INET) or IP6_ADDRS: a malloc'd string, "" for none. */
char *event_addr_list(const struct event *ev, uint8_t family);
/* Formats the address lists of a borrowed source into owned strings, so that
 * ev may outlive the sink call; nothing to do when it has no source. */
void event_own_addrs(struct event *ev);

/* Deep copy (its address lists owned) / release of the heap parts. */
struct event *event_dup(const struct event *ev);
void event_free(struct event *ev);
void event_clear(struct event *ev);

#endif
