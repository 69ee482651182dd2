/* Purpose: the cache of links (with their addresses) and routes, keyed as the kernel keys them. */
#ifndef IFHOOKD_STATE_H
#define IFHOOKD_STATE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "idtable.h"
#include "ipaddr.h"

struct addr_entry {
	struct ipaddr local;
	struct ipaddr peer;
	uint8_t prefixlen;
	uint8_t scope;
	bool announced; /* address-added was emitted and address-removed not yet */
	uint32_t flags;
	uint32_t gen;
};

struct link_entry {
	struct link_entry *hnext;
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[KIND_LEN];
	uint16_t type;
	uint8_t operstate;
	uint8_t mac_len;
	uint32_t flags;
	uint32_t mtu;
	uint8_t mac[32];
	bool up;
	uint32_t gen;
	struct addr_entry *addrs;
	size_t n_addrs, cap_addrs;
	/* Addresses removed since the link last came up or gained one: the
	 * kernel deletes them just before RTM_DELLINK, and link-removed should
	 * still say what the link had. */
	struct addr_entry *departed;
	size_t n_departed, cap_departed;
	bool ppp_connected;
	struct ipaddr ppp_local, ppp_remote; /* last known, kept after disconnect */
	uint64_t ppp_v6_deadline_ms;        /* 0 = not waiting */
	uint64_t ppp_connect_ms;            /* classifier time of the ppp-connect */
	bool ppp_connect_known;             /* false: found connected at startup */
};

/* What the kernel matches when it replaces a route: family, table, dst/len,
 * tos, metric. Hashing uses only this, so a replaced route is found by it. */
struct route_base {
	uint32_t table;
	uint32_t metric;
	uint8_t family;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t pad;
	uint8_t dst[16];
};

/* A route's identity: the base plus its first nexthop. IPv6 keeps one
 * fe80::/64 per device, and IPv4 "ip route append" adds same-base aliases.
 * Address bytes past their family's length must be zero: the cache keeps
 * only the family's length (4 bytes of an IPv4 dst, none of a missing gw). */
struct route_key {
	struct route_base base;
	int32_t oif;
	uint8_t gw_family;
	uint8_t pad[3];
	uint8_t gw[16];
};

/* A route as the cache hands it out: a copy, decoded from its compact form
 * (state_routes.c). Changes are stored back with state_route_put. */
struct route_entry {
	uint32_t id; /* the cache's handle, 0 for none; valid until a route is removed */
	struct route_key key;
	uint32_t nh_id;
	uint32_t gen;
	uint8_t protocol;
	bool multipath;
	uint8_t prefsrc4[4]; /* IPv4 preferred source, for silent-removal inference */
};

/* The stored routes of one layout (address widths, with or without an
 * IPv4 preferred source), packed: a removal moves the last one into the
 * hole, so that memory shrinks as routes go. */
struct route_class {
	uint8_t *recs;
	uint32_t n, cap;
};

#define ROUTE_CLASSES 12

struct route_group;

struct state {
	struct link_entry **link_buckets;
	size_t n_link_buckets, n_links;
	size_t n_routes;
	struct route_class route_class[ROUTE_CLASSES];
	struct idtable route_index; /* route ids by the hash of their base */
	/* Lists of routes: per first-nexthop device and family, and per IPv4
	 * preferred source, for inferring the removals the kernel does not
	 * report at the cost of the routes concerned, not of the whole cache. */
	struct route_group *groups;
	uint32_t n_groups, cap_groups;
	struct idtable group_index;
	uint32_t group_hint; /* the group found last, or 0 */
	uint32_t moved_from, moved_to; /* the last move of a removal, for iterators */
	size_t trimmed_at; /* route memory when malloc_trim last ran */
};

void state_init(struct state *s);
void state_free(struct state *s);
/* state_free's part for routes. */
void state_routes_free(struct state *s);

struct link_entry *state_link(struct state *s, int ifindex);
struct link_entry *state_link_add(struct state *s, int ifindex);
void state_link_remove(struct state *s, struct link_entry *l);
/* Calls fn for each link; fn may remove the link it is given. */
void state_links_foreach(struct state *s, void (*fn)(void *ctx, struct link_entry *l), void *ctx);

struct addr_entry *link_addr_find(struct link_entry *l, uint8_t family,
				  const struct ipaddr *local, uint8_t prefixlen);
struct addr_entry *link_addr_add(struct link_entry *l);
void link_addr_remove(struct link_entry *l, struct addr_entry *a);
void link_departed_push(struct link_entry *l, const struct addr_entry *a);
size_t link_count_family(const struct link_entry *l, uint8_t family);

/* Fills in *out with the route keyed k; false if none. */
bool state_route(struct state *s, const struct route_key *k, struct route_entry *out);
/* Some route with the same base but another key. */
bool state_route_same_base(struct state *s, const struct route_key *k, struct route_entry *out);
/* Stores r: a new route when r->id is 0 (r->id is then set), else over the
 * route r->id, whose key may change (a replace keeps only the base). */
void state_route_put(struct state *s, struct route_entry *r);
void state_route_remove(struct state *s, const struct route_entry *r);

/* The callbacks get a copy of each route and may remove that route, and no
 * other; they must not add or change routes. */
typedef void (*route_fn)(void *ctx, struct route_entry *r);
void state_routes_foreach(struct state *s, route_fn fn, void *ctx);
/* The routes whose first nexthop is through ifindex, of that family (0:
 * any; IPv4 first), newest first (a changed key counts as new). */
void state_routes_via(struct state *s, int ifindex, uint8_t family, route_fn fn, void *ctx);
/* The routes whose IPv4 preferred source is src, newest first. 0.0.0.0
 * means no preferred source: no route has it. */
void state_routes_with_prefsrc(struct state *s, const uint8_t src[4], route_fn fn, void *ctx);
bool state_prefsrc_used(struct state *s, const uint8_t src[4]);

#endif
