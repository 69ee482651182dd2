/* Purpose: the cache of links (with their addresses) and routes, keyed as the kernel keys them. */
#ifndef IFHOOKD_STATE_H
#define IFHOOKD_STATE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
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
 * fe80::/64 per device, and IPv4 "ip route append" adds same-base aliases. */
struct route_key {
	struct route_base base;
	int32_t oif;
	uint8_t gw_family;
	uint8_t pad[3];
	uint8_t gw[16];
};

struct route_entry {
	struct route_entry *hnext;
	struct route_key key;
	uint32_t nh_id;
	uint32_t gen;
	uint8_t protocol;
	bool multipath;
	uint8_t prefsrc4[4]; /* IPv4 preferred source, for silent-removal inference */
};

struct state {
	struct link_entry **link_buckets;
	size_t n_link_buckets, n_links;
	struct route_entry **route_buckets;
	size_t n_route_buckets, n_routes;
};

void state_init(struct state *s);
void state_free(struct state *s);

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

struct route_entry *state_route(struct state *s, const struct route_key *k);
/* Some route with the same base but another key, or NULL. */
struct route_entry *state_route_same_base(struct state *s, const struct route_key *k);
/* Re-keys r within its bucket (only the nexthop part may differ). */
void state_route_rekey(struct route_entry *r, const struct route_key *k);
struct route_entry *state_route_add(struct state *s, const struct route_key *k);
void state_route_remove(struct state *s, struct route_entry *r);
/* Calls fn for each route; fn may remove the route it is given. */
void state_routes_foreach(struct state *s, void (*fn)(void *ctx, struct route_entry *r), void *ctx);

#endif
