/* Purpose: turns kernel messages into events by comparing them with the cache. */
#include "classify.h"

#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "xalloc.h"

/* ---------- building events ---------- */

/* event_addr_source's format: IP4_ADDRS/IP6_ADDRS of the cached link. */
static char *addr_list(const void *link, uint8_t family, bool with_departed)
{
	const struct link_entry *l = link;
	size_t cap = 1, len = 0;
	char *out;

	cap += (l->n_addrs + (with_departed ? l->n_departed : 0)) * (IP_PREFIX_STRLEN + 1);
	out = xmalloc(cap);
	out[0] = '\0';
	for (int pass = 0; pass < (with_departed ? 2 : 1); pass++) {
		const struct addr_entry *arr = pass ? l->departed : l->addrs;
		size_t n = pass ? l->n_departed : l->n_addrs;
		for (size_t i = 0; i < n; i++) {
			if (arr[i].local.family != family || (!pass && !arr[i].announced))
				continue;
			/* Not snprintf: a busy link's list is built for every
			 * hook of that link. cap holds " ADDR/LEN" each. */
			if (len)
				out[len++] = ' ';
			len += ip_format_prefix(&arr[i].local, arr[i].prefixlen, out + len);
		}
	}
	return out;
}

static void fill_link(struct event *ev, const struct link_entry *l, bool with_departed)
{
	ev->has_link = true;
	ev->ifindex = l->ifindex;
	memcpy(ev->iface, l->name, sizeof(ev->iface));
	ev->link.up = l->up;
	ev->link.operstate = l->operstate;
	ev->link.type = l->type;
	ev->link.mtu = l->mtu;
	memcpy(ev->link.kind, l->kind, sizeof(ev->link.kind));
	event_format_mac(ev->link.mac, l->mac, l->mac_len);
	/* Formatted only if a hook's environment asks: emit() hands the event
	 * to the sink before anything changes the link. */
	ev->link.src = (struct event_addr_source){ .format = addr_list, .link = l,
						    .with_departed = with_departed };
}

static void emit(struct classify *c, struct event *ev)
{
	if (c->emit && c->holding) {
		struct event *copy = event_dup(ev);
		if (!copy)
			fatal("event_dup");
		if (c->n_held == c->cap_held) {
			c->cap_held = c->cap_held ? 2 * c->cap_held : 64;
			c->held = xrealloc(c->held, c->cap_held * sizeof(*c->held));
		}
		c->held[c->n_held++] = copy;
	} else if (c->emit) {
		ev->portid = c->portid;
		ev->seq = ++c->seq;
		ev->origin = c->origin;
		c->sink(c->sink_ctx, ev);
	}
	event_clear(ev);
}

static void emit_link(struct classify *c, enum event_type t, const struct link_entry *l,
		      const char *old_name)
{
	struct event ev = { .type = t };

	fill_link(&ev, l, t == EV_LINK_REMOVED);
	if (old_name)
		snprintf(ev.old_iface, sizeof(ev.old_iface), "%s", old_name);
	emit(c, &ev);
}

static void emit_addr(struct classify *c, enum event_type t, const struct link_entry *l,
		      const struct addr_entry *a)
{
	struct event ev = { .type = t };

	fill_link(&ev, l, false);
	ev.family = a->local.family;
	ev.address.addr = a->local;
	ev.address.prefixlen = a->prefixlen;
	ev.address.scope = a->scope;
	ev.address.peer = a->peer;
	emit(c, &ev);
}

static void emit_route(struct classify *c, enum event_type t, const struct route_entry *r)
{
	struct event ev = { .type = t };
	const struct link_entry *l = r->key.oif ? state_link(&c->st, r->key.oif) : NULL;

	if (l)
		fill_link(&ev, l, false);
	else
		ev.ifindex = r->key.oif;
	ev.family = r->key.base.family;
	ev.route.dst.family = r->key.base.family;
	memcpy(ev.route.dst.bytes, r->key.base.dst, sizeof(r->key.base.dst));
	ev.route.dst_len = r->key.base.dst_len;
	ev.route.gateway.family = r->key.gw_family;
	memcpy(ev.route.gateway.bytes, r->key.gw, sizeof(r->key.gw));
	ev.route.table = r->key.base.table;
	ev.route.protocol = r->protocol;
	ev.route.metric = r->key.base.metric;
	emit(c, &ev);
}

static void emit_ppp(struct classify *c, enum event_type t, const struct link_entry *l)
{
	struct event ev = { .type = t };

	fill_link(&ev, l, false);
	ev.family = l->ppp_local.family;
	ev.ppp.local = l->ppp_local;
	ev.ppp.remote = l->ppp_remote;
	if (t == EV_PPP_DISCONNECT && l->ppp_connect_known) {
		ev.ppp.connect_time_known = true;
		if (c->now_ms > l->ppp_connect_ms)
			ev.ppp.connect_time_ms = c->now_ms - l->ppp_connect_ms;
	}
	emit(c, &ev);
}

/* ---------- PPP ---------- */

static bool is_ppp(const struct link_entry *l)
{
	/* ifi_type, never IFF_POINTOPOINT: tun, GRE and WireGuard set that too. */
	return l->type == ARPHRD_PPP;
}

static const struct addr_entry *ppp_local_addr(const struct link_entry *l, uint8_t family)
{
	const struct addr_entry *fallback = NULL;

	for (size_t i = 0; i < l->n_addrs; i++) {
		const struct addr_entry *a = &l->addrs[i];
		if (!a->announced || a->local.family != family)
			continue;
		if (a->peer.family)
			return a;
		if (family == AF_INET6 && !fallback)
			fallback = a;
	}
	return fallback;
}

static void ppp_connect(struct classify *c, struct link_entry *l, const struct addr_entry *a)
{
	l->ppp_connected = true;
	l->ppp_local = a->local;
	l->ppp_remote = a->peer;
	l->ppp_v6_deadline_ms = 0;
	/* CONNECT_TIME counts from here. A connection found in the startup dump
	 * began before the daemon did, at a time the kernel does not report. */
	l->ppp_connect_ms = c->now_ms;
	l->ppp_connect_known = c->origin != ORIGIN_STARTUP;
	emit_ppp(c, EV_PPP_CONNECT, l);
}

static void ppp_disconnect(struct classify *c, struct link_entry *l)
{
	l->ppp_connected = false;
	l->ppp_v6_deadline_ms = 0;
	emit_ppp(c, EV_PPP_DISCONNECT, l);
}

/* ppp-connect needs the link up and its local address known, whichever comes
 * last. IPCP (IPv4) normally completes first; an IPv6-only link connects once
 * ppp_ipv6_wait has passed without IPv4. */
static void ppp_check(struct classify *c, struct link_entry *l)
{
	const struct addr_entry *a;

	if (!is_ppp(l) || !l->up || l->ppp_connected)
		return;
	a = ppp_local_addr(l, AF_INET);
	if (a) {
		ppp_connect(c, l, a);
		return;
	}
	a = ppp_local_addr(l, AF_INET6);
	if (!a) {
		l->ppp_v6_deadline_ms = 0;
	} else if (c->ppp_ipv6_wait_ms == 0) {
		ppp_connect(c, l, a);
	} else if (!l->ppp_v6_deadline_ms) {
		l->ppp_v6_deadline_ms = c->now_ms + c->ppp_ipv6_wait_ms;
		if (!l->ppp_v6_deadline_ms)
			l->ppp_v6_deadline_ms = 1;
		if (!c->ppp_deadline_hint_ms || l->ppp_v6_deadline_ms < c->ppp_deadline_hint_ms)
			c->ppp_deadline_hint_ms = l->ppp_v6_deadline_ms;
	}
}

/* ---------- addresses ---------- */

static bool addr_usable(uint32_t flags)
{
	return !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
}

/* pppd adds, deletes and re-adds its address before the link is up: on a PPP
 * link, addresses are announced only once it is up. */
static bool can_announce(const struct link_entry *l)
{
	return !is_ppp(l) || l->up;
}

static void announce(struct classify *c, struct link_entry *l, struct addr_entry *a)
{
	a->announced = true;
	l->n_departed = 0;
	emit_addr(c, EV_ADDRESS_ADDED, l, a);
}

static void announce_pending(struct classify *c, struct link_entry *l)
{
	for (size_t i = 0; i < l->n_addrs; i++)
		if (!l->addrs[i].announced && addr_usable(l->addrs[i].flags))
			announce(c, l, &l->addrs[i]);
}

static void remove_routes_via(struct classify *c, int ifindex, uint8_t family);
static void remove_routes_with_prefsrc(struct classify *c, const struct ipaddr *src);

static void addr_gone(struct classify *c, struct link_entry *l, struct addr_entry *a)
{
	struct addr_entry gone = *a;

	link_addr_remove(l, a);
	if (gone.announced) {
		emit_addr(c, EV_ADDRESS_REMOVED, l, &gone);
		link_departed_push(l, &gone);
	}
	if (gone.local.family != AF_INET)
		return;
	/* The kernel drops IPv4 routes without RTM_DELROUTE when the last IPv4
	 * address of their device goes, and routes whose preferred source was
	 * the address. Infer those removals here. */
	if (link_count_family(l, AF_INET) == 0)
		remove_routes_via(c, l->ifindex, AF_INET);
	remove_routes_with_prefsrc(c, &gone.local);
}

static void on_addr(struct classify *c, const struct rtnl_addr *m)
{
	struct link_entry *l = state_link(&c->st, m->ifindex);
	struct addr_entry *a;

	if (!l)
		return;
	a = link_addr_find(l, m->family, &m->local, m->prefixlen);
	if (m->deleted) {
		if (a)
			addr_gone(c, l, a);
		return;
	}
	if (!a) {
		a = link_addr_add(l);
		a->local = m->local;
		a->prefixlen = m->prefixlen;
	}
	/* A new or changed peer on a known address is no event: the address
	 * never went away. (pppd's IPv6 link-local arrives from the kernel's
	 * autoconf first, usable at once on a NOARP link, then again with the
	 * peer IPV6CP negotiated.) Later events carry the new PEER. */
	a->peer = m->peer;
	a->scope = m->scope;
	a->flags = m->flags;
	a->gen = c->gen[SYNC_ADDRS];
	/* Lifetime-only updates repeat the same address: no event. A tentative
	 * IPv6 address becomes usable when DAD clears IFA_F_TENTATIVE. */
	if (a->announced && !addr_usable(a->flags)) {
		a->announced = false;
		emit_addr(c, EV_ADDRESS_REMOVED, l, a);
	} else if (!a->announced && addr_usable(a->flags) && can_announce(l)) {
		announce(c, l, a);
	}
	ppp_check(c, l);
}

/* ---------- routes ---------- */

static bool route_tracked(const struct rtnl_route *r)
{
	/* Local-table entries (every address makes some) and cloned cache
	 * entries are not routes an admin configured. */
	return r->type == RTN_UNICAST && r->table != RT_TABLE_LOCAL &&
	       !(r->rtm_flags & RTM_F_CLONED);
}

static void route_key_of(const struct rtnl_route *r, struct route_key *k)
{
	memset(k, 0, sizeof(*k)); /* padding is hashed and compared too */
	k->base.table = r->table;
	k->base.metric = r->metric;
	k->base.family = r->family;
	k->base.dst_len = r->dst_len;
	k->base.tos = r->tos;
	memcpy(k->base.dst, r->dst.bytes, ip_addr_len(r->family));
	k->oif = r->oif;
	k->gw_family = r->gateway.family;
	memcpy(k->gw, r->gateway.bytes, ip_addr_len(r->gateway.family));
}

static void on_route(struct classify *c, const struct rtnl_route *m)
{
	struct route_key k;
	struct route_entry r;
	enum event_type t = EV_ROUTE_ADDED;

	if (!route_tracked(m))
		return;
	route_key_of(m, &k);
	bool found = state_route(&c->st, &k, &r);
	if (m->deleted) {
		if (found) {
			emit_route(c, EV_ROUTE_REMOVED, &r);
			state_route_remove(&c->st, &r);
		}
		return;
	}
	if (!found && m->replace && state_route_same_base(&c->st, &k, &r)) {
		t = EV_ROUTE_CHANGED; /* r.id stays: the stored route takes the new key */
	} else if (!found) {
		memset(&r, 0, sizeof(r));
	} else {
		t = EV_COUNT; /* same route again (a dump, a repeated add): nothing new */
		if (r.nh_id != m->nh_id || r.multipath != m->multipath)
			t = EV_ROUTE_CHANGED;
	}
	r.key = k;
	r.nh_id = m->nh_id;
	r.multipath = m->multipath;
	r.protocol = m->protocol;
	r.gen = c->gen[SYNC_ROUTES];
	memset(r.prefsrc4, 0, sizeof(r.prefsrc4));
	if (m->prefsrc.family == AF_INET)
		memcpy(r.prefsrc4, m->prefsrc.bytes, 4);
	state_route_put(&c->st, &r);
	if (t != EV_COUNT)
		emit_route(c, t, &r);
}

struct route_sweep {
	struct classify *c;
	int ifindex;
	uint8_t family;
	const struct ipaddr *prefsrc;
};

static void sweep_via(void *ctx, struct route_entry *r)
{
	struct route_sweep *s = ctx;

	if (r->key.oif != s->ifindex || (s->family && r->key.base.family != s->family))
		return;
	/* Multipath and nexthop-object routes survive while another nexthop
	 * lives; the cache does not know all their nexthops, so ask the kernel. */
	if (r->multipath || r->nh_id) {
		s->c->want_route_resync = true;
		return;
	}
	emit_route(s->c, EV_ROUTE_REMOVED, r);
	state_route_remove(&s->c->st, r);
}

/* The cache lists routes per device: this costs what the device has. */
static void remove_routes_via(struct classify *c, int ifindex, uint8_t family)
{
	struct route_sweep s = { .c = c, .ifindex = ifindex, .family = family };

	state_routes_via(&c->st, ifindex, family, sweep_via, &s);
}

struct addr_search {
	const struct ipaddr *addr;
	bool found;
};

static void find_addr_anywhere(void *ctx, struct link_entry *l)
{
	struct addr_search *s = ctx;

	for (size_t i = 0; i < l->n_addrs && !s->found; i++)
		s->found = ip_equal(&l->addrs[i].local, s->addr);
}

static void sweep_prefsrc(void *ctx, struct route_entry *r)
{
	struct route_sweep *s = ctx;

	if (r->key.base.family != AF_INET || memcmp(r->prefsrc4, s->prefsrc->bytes, 4) != 0)
		return;
	emit_route(s->c, EV_ROUTE_REMOVED, r);
	state_route_remove(&s->c->st, r);
}

/* 0.0.0.0 takes no routes with it: fib_sync_down_addr() ignores it, and to
 * the cache it means "no preferred source". */
static void remove_routes_with_prefsrc(struct classify *c, const struct ipaddr *src)
{
	struct addr_search search = { .addr = src };
	struct route_sweep s = { .c = c, .prefsrc = src };

	/* Most addresses are no route's preferred source: then the links'
	 * addresses need no search. */
	if (!state_prefsrc_used(&c->st, src->bytes))
		return;
	state_links_foreach(&c->st, find_addr_anywhere, &search);
	if (!search.found)
		state_routes_with_prefsrc(&c->st, src->bytes, sweep_prefsrc, &s);
}

/* ---------- links ---------- */

static bool flags_up(uint32_t flags)
{
	/* IFF_RUNNING means operstate UP or UNKNOWN (links without carrier
	 * management, such as PPP, tun and lo, stay UNKNOWN while up). */
	return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

static void link_went_down(struct classify *c, struct link_entry *l)
{
	l->up = false;
	if (l->ppp_connected)
		ppp_disconnect(c, l);
	l->ppp_v6_deadline_ms = 0;
	emit_link(c, EV_LINK_DOWN, l, NULL);
}

static void link_removed(struct classify *c, struct link_entry *l)
{
	if (l->up)
		link_went_down(c, l);
	else if (l->ppp_connected)
		ppp_disconnect(c, l);
	/* The kernel normally deletes the addresses first; any left are gone now. */
	while (l->n_addrs) {
		struct addr_entry gone = l->addrs[l->n_addrs - 1];
		l->n_addrs--;
		if (gone.announced) {
			emit_addr(c, EV_ADDRESS_REMOVED, l, &gone);
			link_departed_push(l, &gone);
		}
	}
	/* IPv4 routes through a deleted device vanish without RTM_DELROUTE. */
	remove_routes_via(c, l->ifindex, 0);
	emit_link(c, EV_LINK_REMOVED, l, NULL);
	state_link_remove(&c->st, l);
}

static void on_link(struct classify *c, const struct rtnl_link *m)
{
	struct link_entry *l;

	/* Only AF_UNSPEC messages describe the device. AF_BRIDGE ones describe a
	 * bridge port, and a port leaving its bridge sends RTM_DELLINK while the
	 * device itself lives on. */
	if (m->family != AF_UNSPEC) {
		c->ignored_links++;
		return;
	}
	l = state_link(&c->st, m->ifindex);
	if (m->deleted) {
		if (l)
			link_removed(c, l);
		return;
	}
	bool created = !l;
	if (created) {
		if (!m->has_name)
			return;
		l = state_link_add(&c->st, m->ifindex);
	}
	char old_name[IF_NAMESIZE];
	memcpy(old_name, l->name, sizeof(old_name));
	/* ifi_change is useless for dedup (carrier, MTU and name changes come
	 * with 0), so every field is compared with the cache instead. */
	bool renamed = !created && m->has_name && strcmp(old_name, m->name) != 0;
	uint32_t old_flags = l->flags;
	if (m->has_name)
		memcpy(l->name, m->name, sizeof(l->name));
	l->type = m->type;
	memcpy(l->kind, m->kind, sizeof(l->kind));
	l->flags = m->flags;
	if (m->has_operstate)
		l->operstate = m->operstate;
	if (m->has_mtu)
		l->mtu = m->mtu;
	l->mac_len = m->mac_len;
	memcpy(l->mac, m->mac, m->mac_len);
	l->gen = c->gen[SYNC_LINKS];

	bool was_up = l->up, now_up = flags_up(l->flags);
	/* link-added and link-renamed already tell the current state; link-up
	 * or link-down follow them. */
	l->up = now_up;
	if (created)
		emit_link(c, EV_LINK_ADDED, l, NULL);
	if (renamed)
		emit_link(c, EV_LINK_RENAMED, l, old_name);
	if (!was_up && now_up) {
		l->n_departed = 0;
		emit_link(c, EV_LINK_UP, l, NULL);
		if (is_ppp(l))
			announce_pending(c, l);
	} else if (was_up && !now_up) {
		link_went_down(c, l);
	}
	/* Admin down (not carrier loss) makes the kernel drop the device's IPv4
	 * routes silently, the default route included. */
	if ((old_flags & IFF_UP) && !(l->flags & IFF_UP))
		remove_routes_via(c, l->ifindex, AF_INET);
	ppp_check(c, l);
}

/* ---------- entry points ---------- */

void classify_init(struct classify *c, event_sink_fn sink, void *ctx, unsigned ppp_ipv6_wait_ms)
{
	memset(c, 0, sizeof(*c));
	state_init(&c->st);
	c->sink = sink;
	c->sink_ctx = ctx;
	c->emit = true;
	c->origin = ORIGIN_KERNEL;
	c->ppp_ipv6_wait_ms = ppp_ipv6_wait_ms;
}

void classify_free(struct classify *c)
{
	for (size_t i = 0; i < c->n_held; i++)
		event_free(c->held[i]);
	free(c->held);
	state_free(&c->st);
}

void classify_msg(struct classify *c, const struct rtnl_msg *m, uint64_t now_ms)
{
	c->now_ms = now_ms;
	/* Link messages carry no requester; address and route ones do, and
	 * every event they lead to was caused by that request. */
	c->portid = m->kind == RTNL_ADDR ? m->u.addr.portid :
		    m->kind == RTNL_ROUTE ? m->u.route.portid : 0;
	switch (m->kind) {
	case RTNL_LINK:
		on_link(c, &m->u.link);
		break;
	case RTNL_ADDR:
		on_addr(c, &m->u.addr);
		break;
	case RTNL_ROUTE:
		on_route(c, &m->u.route);
		break;
	default:
		break;
	}
	c->portid = 0;
}

struct deadline_scan {
	struct classify *c;
	uint64_t min;
	bool fire;
};

static void scan_deadline(void *ctx, struct link_entry *l)
{
	struct deadline_scan *s = ctx;

	if (!l->ppp_v6_deadline_ms)
		return;
	if (s->fire && l->ppp_v6_deadline_ms <= s->c->now_ms) {
		const struct addr_entry *a;
		l->ppp_v6_deadline_ms = 0;
		if (l->up && !l->ppp_connected && (a = ppp_local_addr(l, AF_INET6)))
			ppp_connect(s->c, l, a);
		return;
	}
	if (!s->min || l->ppp_v6_deadline_ms < s->min)
		s->min = l->ppp_v6_deadline_ms;
}

uint64_t classify_next_deadline(struct classify *c)
{
	return c->ppp_deadline_hint_ms;
}

void classify_tick(struct classify *c, uint64_t now_ms)
{
	struct deadline_scan s = { .c = c, .fire = true };

	/* Called after every wakeup: the links are scanned only when a
	 * deadline may be due, never per message. */
	if (!c->ppp_deadline_hint_ms || now_ms < c->ppp_deadline_hint_ms)
		return;
	c->now_ms = now_ms;
	state_links_foreach(&c->st, scan_deadline, &s);
	c->ppp_deadline_hint_ms = s.min;
}

void classify_sync_begin(struct classify *c, enum sync_class cls)
{
	c->gen[cls]++;
	c->holding = c->origin == ORIGIN_RESYNC;
}

/* Hands the held events to the sink, in the order they were made. */
static void release_held(struct classify *c)
{
	c->holding = false;
	for (size_t i = 0; i < c->n_held; i++) {
		struct event *ev = c->held[i];
		ev->portid = 0;
		ev->seq = ++c->seq;
		ev->origin = c->origin;
		c->sink(c->sink_ctx, ev);
		event_free(ev);
	}
	c->n_held = 0;
}

struct sync_sweep {
	struct classify *c;
	uint32_t gen;
};

static void sweep_stale_link(void *ctx, struct link_entry *l)
{
	struct sync_sweep *s = ctx;

	if (l->gen != s->gen)
		link_removed(s->c, l);
}

static void sweep_stale_addrs(void *ctx, struct link_entry *l)
{
	struct sync_sweep *s = ctx;

	for (size_t i = l->n_addrs; i-- > 0;)
		if (l->addrs[i].gen != s->gen)
			addr_gone(s->c, l, &l->addrs[i]);
}

static void sweep_stale_route(void *ctx, struct route_entry *r)
{
	struct sync_sweep *s = ctx;

	if (r->gen != s->gen) {
		emit_route(s->c, EV_ROUTE_REMOVED, r);
		state_route_remove(&s->c->st, r);
	}
}

void classify_sync_end(struct classify *c, enum sync_class cls, uint64_t now_ms)
{
	struct sync_sweep s = { .c = c, .gen = c->gen[cls] };

	c->now_ms = now_ms;
	c->holding = false; /* the sweep's removals go first */
	if (cls == SYNC_LINKS)
		state_links_foreach(&c->st, sweep_stale_link, &s);
	else if (cls == SYNC_ADDRS)
		state_links_foreach(&c->st, sweep_stale_addrs, &s);
	else
		state_routes_foreach(&c->st, sweep_stale_route, &s);
	if (cls == SYNC_ROUTES)
		c->want_route_resync = false;
	release_held(c);
}

bool classify_link_by_name(struct classify *c, const char *name, struct event *ev)
{
	for (size_t b = 0; b < c->st.n_link_buckets; b++)
		for (struct link_entry *l = c->st.link_buckets[b]; l; l = l->hnext) {
			if (strncmp(l->name, name, sizeof(l->name)) != 0)
				continue;
			fill_link(ev, l, false);
			event_own_addrs(ev); /* explain keeps ev after the cache is gone */
			ev->ppp.local = l->ppp_local;
			ev->ppp.remote = l->ppp_remote;
			return true;
		}
	return false;
}

void classify_sync_abort(struct classify *c)
{
	release_held(c);
}
