/* Purpose: classifier tests fed real message bytes: link, address, route and pppd sequences. */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "classify.h"
#include "env.h"
#include "nlbuild.h"
#include "rtnl.h"
#include "unit.h"

#include <libmnl/libmnl.h>

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#define MAX_EVENTS 64
#define UP_RUNNING (IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST | IFF_MULTICAST)
#define DOWN_FLAGS (IFF_BROADCAST | IFF_MULTICAST)
#define PPP_FLAGS (IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST)

struct rec {
	struct classify c;
	struct event *ev[MAX_EVENTS];
	size_t n;
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	uint64_t now;
};

static void sink(void *ctx, const struct event *ev)
{
	struct rec *r = ctx;

	if (r->n < MAX_EVENTS)
		r->ev[r->n++] = event_dup(ev);
}

static struct rec *rec_new(unsigned ppp_wait_ms)
{
	struct rec *r = calloc(1, sizeof(*r));

	classify_init(&r->c, sink, r, ppp_wait_ms);
	r->now = 1000;
	return r;
}

static void rec_clear(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		event_free(r->ev[i]);
	r->n = 0;
}

static void rec_free(struct rec *r)
{
	rec_clear(r);
	classify_free(&r->c);
	free(r);
}

static void feed(struct rec *r, struct nlmsghdr *nlh)
{
	struct rtnl_msg m;

	CHECK(rtnl_parse(nlh, &m) != RTNL_MALFORMED);
	classify_msg(&r->c, &m, r->now);
}

/* "link-added eth0, link-up eth0": the events seen so far, then cleared. */
static const char *seen(struct rec *r)
{
	static char out[2048];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->n && o < sizeof(out); i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s %s", i ? ", " : "",
				      event_name(r->ev[i]->type), r->ev[i]->iface);
	return out;
}

static const char *var(const struct event *ev, const char *name)
{
	static char value[512];
	char **env = event_env(ev, "");
	size_t n = strlen(name);

	value[0] = '\0';
	strcpy(value, "(unset)");
	for (char **e = env; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
			snprintf(value, sizeof(value), "%s", *e + n + 1);
			break;
		}
	env_free(env);
	return value;
}

static void link_msg(struct rec *r, uint16_t type, int ifindex, const char *name, uint32_t flags,
		     uint8_t oper)
{
	struct nl_link_spec s = { .type = type, .family = AF_UNSPEC, .ifindex = ifindex,
				  .name = name, .arphrd = ARPHRD_ETHER, .flags = flags,
				  .operstate = oper, .kind = "veth" };
	feed(r, nlb_link(r->buf, &s));
}

static void ppp_msg(struct rec *r, uint16_t type, int ifindex, uint32_t flags, uint8_t oper)
{
	struct nl_link_spec s = { .type = type, .family = AF_UNSPEC, .ifindex = ifindex,
				  .name = "ppp0", .arphrd = ARPHRD_PPP, .flags = flags,
				  .operstate = oper, .kind = "ppp" };
	feed(r, nlb_link(r->buf, &s));
}

static void addr_msg(struct rec *r, uint16_t type, uint8_t family, int ifindex, const char *local,
		     uint8_t plen, const char *peer, uint32_t flags)
{
	struct nl_addr_spec s = { .type = type, .family = family, .ifindex = ifindex,
				  .prefixlen = plen, .local = local, .peer = peer,
				  .flags = flags, .scope = RT_SCOPE_UNIVERSE };
	feed(r, nlb_addr(r->buf, &s));
}

static void route_msg(struct rec *r, uint16_t type, uint16_t nlflags, const char *dst, uint8_t len,
		      const char *gw, int oif, uint32_t table)
{
	struct nl_route_spec s = { .type = type, .nlflags = nlflags, .family = AF_INET,
				   .table = table, .dst = dst, .dst_len = len, .gateway = gw,
				   .oif = oif, .protocol = RTPROT_BOOT };
	feed(r, nlb_route(r->buf, &s));
}

TEST(link_lifecycle_and_no_duplicate_events)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN);
	CHECK_STR(seen(r), "link-added veth0");
	CHECK_STR(var(r->ev[0], "LINK_STATE"), "down");
	CHECK_STR(var(r->ev[0], "IFKIND"), "veth");
	CHECK_STR(var(r->ev[0], "IFTYPE"), "ether");
	rec_clear(r);
	/* The same message again, and an MTU-only change: nothing to tell. */
	link_msg(r, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN);
	struct nl_link_spec mtu = { .type = RTM_NEWLINK, .ifindex = 3, .name = "veth0",
				    .arphrd = ARPHRD_ETHER, .flags = DOWN_FLAGS,
				    .operstate = IF_OPER_DOWN, .mtu = 9000, .kind = "veth" };
	feed(r, nlb_link(r->buf, &mtu));
	CHECK_STR(seen(r), "");
	CHECK(state_link(&r->c.st, 3)->mtu == 9000);
	/* Admin up without carrier is not up yet. */
	link_msg(r, RTM_NEWLINK, 3, "veth0", IFF_UP | DOWN_FLAGS, IF_OPER_LOWERLAYERDOWN);
	CHECK_STR(seen(r), "");
	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	CHECK_STR(seen(r), "link-up veth0");
	CHECK_STR(var(r->ev[0], "MTU"), "1500");
	CHECK_STR(var(r->ev[0], "OPERSTATE"), "up");
	rec_clear(r);
	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	CHECK_STR(seen(r), "");
	/* Carrier loss: IFF_UP stays, IFF_RUNNING goes. */
	link_msg(r, RTM_NEWLINK, 3, "veth0", IFF_UP | DOWN_FLAGS, IF_OPER_LOWERLAYERDOWN);
	CHECK_STR(seen(r), "link-down veth0");
	rec_clear(r);
	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	link_msg(r, RTM_DELLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	CHECK_STR(seen(r), "link-up veth0, link-down veth0, link-removed veth0");
	CHECK(r->ev[0]->seq < r->ev[1]->seq && r->ev[1]->seq < r->ev[2]->seq);
	rec_free(r);
}

TEST(rename_keeps_identity_and_reports_old_name)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 4, "eth1", UP_RUNNING, IF_OPER_UP);
	rec_clear(r);
	link_msg(r, RTM_NEWLINK, 4, "a$(id)b", UP_RUNNING, IF_OPER_UP);
	CHECK_STR(seen(r), "link-renamed a$(id)b");
	CHECK_STR(var(r->ev[0], "OLD_IFACE"), "eth1");
	CHECK_STR(var(r->ev[0], "IFINDEX"), "4");
	rec_free(r);
}

TEST(bridge_port_messages_are_not_link_events)
{
	struct rec *r = rec_new(0);
	struct nl_link_spec port = { .type = RTM_DELLINK, .family = AF_BRIDGE, .ifindex = 5,
				     .name = "veth5", .arphrd = ARPHRD_ETHER,
				     .flags = UP_RUNNING, .operstate = IF_OPER_UP };

	link_msg(r, RTM_NEWLINK, 5, "veth5", UP_RUNNING, IF_OPER_UP);
	rec_clear(r);
	port.type = RTM_NEWLINK;
	feed(r, nlb_link(r->buf, &port));
	port.type = RTM_DELLINK; /* the port left its bridge; the device lives on */
	feed(r, nlb_link(r->buf, &port));
	CHECK_STR(seen(r), "");
	CHECK(state_link(&r->c.st, 5) != NULL);
	rec_free(r);
}

TEST(ipv6_address_only_after_dad_and_lifetime_updates_are_silent)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	rec_clear(r);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL,
		 IFA_F_TENTATIVE | IFA_F_PERMANENT);
	CHECK_STR(seen(r), "");
	addr_msg(r, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, IFA_F_PERMANENT);
	CHECK_STR(seen(r), "address-added veth0");
	CHECK_STR(var(r->ev[0], "ADDRESS"), "2001:db8::1");
	CHECK_STR(var(r->ev[0], "PREFIXLEN"), "64");
	CHECK_STR(var(r->ev[0], "FAMILY"), "inet6");
	CHECK_STR(var(r->ev[0], "IP6_ADDRS"), "2001:db8::1/64");
	rec_clear(r);
	/* Lifetime refreshes and a deprecation repeat the same address. */
	addr_msg(r, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, 0);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, IFA_F_DEPRECATED);
	CHECK_STR(seen(r), "");
	/* A duplicate never becomes usable, so it never comes or goes. */
	addr_msg(r, RTM_NEWADDR, AF_INET6, 3, "2001:db8::2", 64, NULL,
		 IFA_F_TENTATIVE | IFA_F_DADFAILED);
	addr_msg(r, RTM_DELADDR, AF_INET6, 3, "2001:db8::2", 64, NULL, IFA_F_DADFAILED);
	CHECK_STR(seen(r), "");
	addr_msg(r, RTM_DELADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, 0);
	CHECK_STR(seen(r), "address-removed veth0");
	CHECK_STR(var(r->ev[0], "IP6_ADDRS"), "");
	rec_free(r);
}

TEST(ipv4_address_events_and_lifetime_only_update)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	rec_clear(r);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "198.51.100.7", 24, NULL, IFA_F_PERMANENT);
	CHECK_STR(seen(r), "address-added veth0, address-added veth0");
	CHECK_STR(var(r->ev[1], "IP4_ADDRS"), "192.0.2.1/24 198.51.100.7/24");
	CHECK_STR(var(r->ev[0], "SCOPE"), "global");
	CHECK_STR(var(r->ev[0], "PEER"), "");
	rec_clear(r);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, 0); /* finite lifetime now */
	CHECK_STR(seen(r), "");
	rec_free(r);
}

/* NETLINK.md item 18, as a real pppd 2.4.9 produces it. */
static void pppd_connect(struct rec *r, int ifindex)
{
	ppp_msg(r, RTM_NEWLINK, ifindex, PPP_FLAGS, IF_OPER_DOWN);
	addr_msg(r, RTM_NEWADDR, AF_INET, ifindex, "192.0.2.1", 32, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_DELADDR, AF_INET, ifindex, "192.0.2.1", 32, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_NEWADDR, AF_INET, ifindex, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT);
	ppp_msg(r, RTM_NEWLINK, ifindex, PPP_FLAGS | IFF_UP | IFF_RUNNING | IFF_LOWER_UP,
		IF_OPER_UNKNOWN);
	struct nl_route_spec peer = { .type = RTM_NEWROUTE, .family = AF_INET,
				      .table = RT_TABLE_MAIN, .dst = "192.0.2.2", .dst_len = 32,
				      .prefsrc = "192.0.2.1", .oif = ifindex,
				      .protocol = RTPROT_KERNEL };
	feed(r, nlb_route(r->buf, &peer));
	addr_msg(r, RTM_NEWADDR, AF_INET6, ifindex, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
}

TEST(pppd_connect_sequence_gives_one_ppp_connect_after_link_up)
{
	struct rec *r = rec_new(3000);

	pppd_connect(r, 7);
	CHECK_STR(seen(r), "link-added ppp0, link-up ppp0, address-added ppp0, ppp-connect ppp0, "
			   "route-added ppp0, address-added ppp0");
	const struct event *connect = r->ev[3];
	CHECK_STR(var(connect, "PPP_LOCAL"), "192.0.2.1");
	CHECK_STR(var(connect, "PPP_REMOTE"), "192.0.2.2");
	CHECK_STR(var(connect, "PPP_IFACE"), "ppp0");
	CHECK_STR(var(connect, "IFTYPE"), "ppp");
	CHECK_STR(var(connect, "IFKIND"), "ppp");
	CHECK_STR(var(connect, "FAMILY"), "inet");
	CHECK_STR(var(r->ev[2], "PEER"), "192.0.2.2");
	CHECK_STR(var(r->ev[2], "ADDRESS"), "192.0.2.1");
	CHECK_STR(event_match_kind(connect), "ppp");
	rec_free(r);
}

TEST(pppd_disconnect_sequence_and_reconnect)
{
	struct rec *r = rec_new(3000);

	pppd_connect(r, 7);
	rec_clear(r);
	/* NETLINK.md item 19: DELADDR inet, inet6, NEWLINK without UP, DELLINK. */
	addr_msg(r, RTM_DELADDR, AF_INET, 7, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT);
	addr_msg(r, RTM_DELADDR, AF_INET6, 7, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	ppp_msg(r, RTM_NEWLINK, 7, PPP_FLAGS, IF_OPER_DOWN);
	ppp_msg(r, RTM_DELLINK, 7, PPP_FLAGS, IF_OPER_DOWN);
	/* The peer route goes silently with the last IPv4 address. */
	CHECK_STR(seen(r), "address-removed ppp0, route-removed ppp0, address-removed ppp0, "
			   "ppp-disconnect ppp0, link-down ppp0, link-removed ppp0");
	const struct event *disc = r->ev[3];
	CHECK_STR(var(disc, "PPP_LOCAL"), "192.0.2.1");
	CHECK_STR(var(disc, "PPP_REMOTE"), "192.0.2.2");
	CHECK_STR(var(r->ev[5], "IP4_ADDRS"), "192.0.2.1/32");
	CHECK_STR(var(r->ev[5], "IP6_ADDRS"), "fe80::1/128");
	uint64_t last_seq = r->ev[5]->seq;
	rec_clear(r);
	/* pppd reconnects: same name, new ifindex, a new connection. */
	pppd_connect(r, 8);
	CHECK(r->n == 6 && r->ev[3]->type == EV_PPP_CONNECT && r->ev[3]->ifindex == 8);
	CHECK(r->n > 0 && r->ev[0]->seq > last_seq);
	rec_free(r);
}

/* CONNECT_TIME counts from the classifier's clock at ppp-connect, per
 * connection; a connection found in the startup dump has no known start. */
TEST(ppp_disconnect_carries_the_connection_time)
{
	struct rec *r = rec_new(3000);

	r->now = 50000;
	pppd_connect(r, 7);
	CHECK(r->n == 6 && r->ev[3]->type == EV_PPP_CONNECT);
	CHECK_STR(var(r->ev[3], "CONNECT_TIME"), "(unset)");
	rec_clear(r);
	r->now += 3723999; /* 1 h 2 min 3.999 s later */
	addr_msg(r, RTM_DELADDR, AF_INET, 7, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT);
	ppp_msg(r, RTM_NEWLINK, 7, PPP_FLAGS, IF_OPER_DOWN);
	ppp_msg(r, RTM_DELLINK, 7, PPP_FLAGS, IF_OPER_DOWN);
	const struct event *disc = NULL;
	for (size_t i = 0; i < r->n; i++)
		if (r->ev[i]->type == EV_PPP_DISCONNECT)
			disc = r->ev[i];
	CHECK(disc != NULL);
	if (disc) {
		CHECK(disc->ppp.connect_time_known && disc->ppp.connect_time_ms == 3723999);
		CHECK_STR(var(disc, "CONNECT_TIME"), "3723");
	}
	rec_clear(r);

	/* The next connection on the same name counts from its own connect. */
	r->now += 10000;
	pppd_connect(r, 8);
	rec_clear(r);
	r->now += 2500;
	ppp_msg(r, RTM_DELLINK, 8, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	CHECK(r->n > 0 && r->ev[0]->type == EV_PPP_DISCONNECT);
	if (r->n > 0)
		CHECK_STR(var(r->ev[0], "CONNECT_TIME"), "2");
	rec_clear(r);

	/* Up before the daemon started (startup dump, reported or not): unknown. */
	r->c.origin = ORIGIN_STARTUP;
	r->c.emit = false;
	pppd_connect(r, 9);
	r->c.origin = ORIGIN_KERNEL;
	r->c.emit = true;
	r->now += 99000;
	ppp_msg(r, RTM_DELLINK, 9, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	CHECK(r->n > 0 && r->ev[0]->type == EV_PPP_DISCONNECT);
	if (r->n > 0) {
		CHECK(!r->ev[0]->ppp.connect_time_known);
		CHECK_STR(var(r->ev[0], "CONNECT_TIME"), "");
	}
	rec_clear(r);

	/* A connection found by a resync started during the overrun: counted
	 * from the resync. */
	r->c.origin = ORIGIN_RESYNC;
	pppd_connect(r, 10);
	r->c.origin = ORIGIN_KERNEL;
	rec_clear(r);
	r->now += 7000;
	ppp_msg(r, RTM_DELLINK, 10, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	CHECK(r->n > 0 && r->ev[0]->type == EV_PPP_DISCONNECT);
	if (r->n > 0)
		CHECK_STR(var(r->ev[0], "CONNECT_TIME"), "7");
	rec_free(r);
}

/* An IPv6-only connection connects from the wait's end (classify_tick). */
TEST(ppp_ipv6_only_connection_time_counts_from_its_connect)
{
	struct rec *r = rec_new(3000);

	ppp_msg(r, RTM_NEWLINK, 9, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 9, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	classify_tick(&r->c, r->now + 3000);
	rec_clear(r);
	r->now += 3000 + 45000;
	ppp_msg(r, RTM_DELLINK, 9, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	CHECK(r->n > 0 && r->ev[0]->type == EV_PPP_DISCONNECT);
	if (r->n > 0)
		CHECK_STR(var(r->ev[0], "CONNECT_TIME"), "45");
	rec_free(r);
}

TEST(ppp_link_removed_without_going_down_first_still_disconnects)
{
	struct rec *r = rec_new(3000);

	pppd_connect(r, 7);
	rec_clear(r);
	ppp_msg(r, RTM_DELLINK, 7, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	CHECK(r->n >= 3 && r->ev[0]->type == EV_PPP_DISCONNECT && r->ev[1]->type == EV_LINK_DOWN &&
	      r->ev[r->n - 1]->type == EV_LINK_REMOVED);
	size_t disconnects = 0;
	for (size_t i = 0; i < r->n; i++)
		disconnects += r->ev[i]->type == EV_PPP_DISCONNECT;
	CHECK(disconnects == 1);
	rec_free(r);
}

TEST(ppp_ipv6_only_connects_after_the_wait)
{
	struct rec *r = rec_new(3000);

	ppp_msg(r, RTM_NEWLINK, 9, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 9, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	CHECK_STR(seen(r), "link-added ppp0, link-up ppp0, address-added ppp0");
	rec_clear(r);
	CHECK(classify_next_deadline(&r->c) == r->now + 3000);
	classify_tick(&r->c, r->now + 2999);
	CHECK_STR(seen(r), "");
	classify_tick(&r->c, r->now + 3000);
	CHECK_STR(seen(r), "ppp-connect ppp0");
	CHECK_STR(var(r->ev[0], "PPP_LOCAL"), "fe80::1");
	CHECK_STR(var(r->ev[0], "FAMILY"), "inet6");
	CHECK(classify_next_deadline(&r->c) == 0);
	rec_free(r);
}

TEST(ppp_ipv4_arriving_during_the_wait_wins)
{
	struct rec *r = rec_new(3000);

	ppp_msg(r, RTM_NEWLINK, 9, PPP_FLAGS | IFF_UP | IFF_RUNNING, IF_OPER_UNKNOWN);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 9, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	addr_msg(r, RTM_NEWADDR, AF_INET, 9, "203.0.113.5", 32, "203.0.113.1", IFA_F_PERMANENT);
	classify_tick(&r->c, r->now + 5000);
	size_t connects = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->ev[i]->type == EV_PPP_CONNECT) {
			connects++;
			CHECK_STR(var(r->ev[i], "PPP_LOCAL"), "203.0.113.5");
		}
	CHECK(connects == 1);
	rec_free(r);
}

TEST(default_route_removed_silently_on_admin_down_gives_route_removed)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	route_msg(r, RTM_NEWROUTE, 0, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	CHECK_STR(seen(r), "link-added veth0, link-up veth0, address-added veth0, route-added veth0");
	const struct event *added = r->ev[r->n - 1];
	CHECK_STR(var(added, "ROUTE_DST"), "default");
	CHECK_STR(var(added, "ROUTE_GATEWAY"), "192.0.2.254");
	CHECK_STR(var(added, "ROUTE_TABLE"), "main");
	CHECK_STR(var(added, "ROUTE_PROTO"), "boot");
	CHECK_STR(var(added, "IFACE"), "veth0");
	rec_clear(r);
	/* The kernel sends no RTM_DELROUTE for this. */
	link_msg(r, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN);
	CHECK_STR(seen(r), "link-down veth0, route-removed veth0");
	CHECK_STR(var(r->ev[1], "ROUTE_DST"), "default");
	rec_free(r);
}

TEST(carrier_loss_keeps_routes)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	route_msg(r, RTM_NEWROUTE, 0, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	rec_clear(r);
	link_msg(r, RTM_NEWLINK, 3, "veth0", IFF_UP | DOWN_FLAGS, IF_OPER_LOWERLAYERDOWN);
	CHECK_STR(seen(r), "link-down veth0");
	rec_free(r);
}

TEST(last_ipv4_address_removed_takes_its_routes)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "198.51.100.1", 24, NULL, IFA_F_PERMANENT);
	route_msg(r, RTM_NEWROUTE, 0, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	rec_clear(r);
	addr_msg(r, RTM_DELADDR, AF_INET, 3, "198.51.100.1", 24, NULL, 0);
	CHECK_STR(seen(r), "address-removed veth0");
	rec_clear(r);
	addr_msg(r, RTM_DELADDR, AF_INET, 3, "192.0.2.1", 24, NULL, 0);
	CHECK_STR(seen(r), "address-removed veth0, route-removed veth0");
	rec_free(r);
}

TEST(route_replace_is_route_changed_and_repeats_are_silent)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	link_msg(r, RTM_NEWLINK, 4, "veth1", UP_RUNNING, IF_OPER_UP);
	route_msg(r, RTM_NEWROUTE, NLM_F_CREATE, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	rec_clear(r);
	route_msg(r, RTM_NEWROUTE, 0, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	CHECK_STR(seen(r), "");
	route_msg(r, RTM_NEWROUTE, NLM_F_REPLACE, NULL, 0, "198.51.100.254", 4, RT_TABLE_MAIN);
	CHECK_STR(seen(r), "route-changed veth1");
	CHECK_STR(var(r->ev[0], "ROUTE_GATEWAY"), "198.51.100.254");
	rec_clear(r);
	route_msg(r, RTM_DELROUTE, 0, NULL, 0, "198.51.100.254", 4, RT_TABLE_MAIN);
	CHECK_STR(seen(r), "route-removed veth1");
	CHECK(r->c.st.n_routes == 0);
	rec_free(r);
}

TEST(local_table_cloned_and_non_unicast_routes_are_ignored)
{
	struct rec *r = rec_new(0);
	struct nl_route_spec s = { .type = RTM_NEWROUTE, .family = AF_INET,
				   .table = RT_TABLE_LOCAL, .dst = "192.0.2.1", .dst_len = 32,
				   .oif = 3, .protocol = RTPROT_KERNEL, .rtype = RTN_LOCAL };

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	rec_clear(r);
	feed(r, nlb_route(r->buf, &s));
	s.rtype = RTN_UNICAST; /* even unicast, in the local table */
	feed(r, nlb_route(r->buf, &s));
	s.table = RT_TABLE_MAIN;
	s.rtm_flags = RTM_F_CLONED;
	feed(r, nlb_route(r->buf, &s));
	s.rtm_flags = 0;
	s.rtype = RTN_BLACKHOLE;
	feed(r, nlb_route(r->buf, &s));
	CHECK_STR(seen(r), "");
	/* A table above 255 comes only in RTA_TABLE. */
	s.rtype = RTN_UNICAST;
	s.table = 1000;
	feed(r, nlb_route(r->buf, &s));
	CHECK(r->n == 1);
	CHECK_STR(r->n ? var(r->ev[0], "ROUTE_TABLE") : "", "1000");
	rec_free(r);
}

TEST(ipv6_same_prefix_on_two_links_are_two_routes)
{
	struct rec *r = rec_new(0);
	struct nl_route_spec s = { .type = RTM_NEWROUTE, .family = AF_INET6,
				   .table = RT_TABLE_MAIN, .dst = "fe80::", .dst_len = 64,
				   .oif = 3, .metric = 256, .protocol = RTPROT_KERNEL };

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	link_msg(r, RTM_NEWLINK, 4, "veth1", UP_RUNNING, IF_OPER_UP);
	rec_clear(r);
	feed(r, nlb_route(r->buf, &s));
	s.oif = 4;
	feed(r, nlb_route(r->buf, &s));
	CHECK_STR(seen(r), "route-added veth0, route-added veth1");
	CHECK_STR(var(r->ev[1], "ROUTE_DST"), "fe80::/64");
	CHECK_STR(var(r->ev[1], "ROUTE_METRIC"), "256");
	CHECK_STR(var(r->ev[1], "FAMILY"), "inet6");
	rec_free(r);
}

TEST(removed_link_events_keep_name_kind_and_addresses)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	route_msg(r, RTM_NEWROUTE, 0, "203.0.113.0", 24, "192.0.2.254", 3, RT_TABLE_MAIN);
	rec_clear(r);
	/* What "ip link del" sends: down, addresses deleted, then DELLINK. */
	link_msg(r, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN);
	addr_msg(r, RTM_DELADDR, AF_INET, 3, "192.0.2.1", 24, NULL, 0);
	link_msg(r, RTM_DELLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN);
	CHECK_STR(seen(r), "link-down veth0, route-removed veth0, address-removed veth0, "
			   "link-removed veth0");
	const struct event *removed = r->ev[r->n - 1];
	CHECK_STR(var(removed, "IFKIND"), "veth");
	CHECK_STR(var(removed, "IP4_ADDRS"), "192.0.2.1/24");
	CHECK(state_link(&r->c.st, 3) == NULL);
	rec_free(r);
}

/* MAC as "xx:xx:...", lower case, up to the 32 bytes rtnl.c accepts. */
TEST(mac_is_formatted_in_full)
{
	struct rec *r = rec_new(0);
	uint8_t mac[32];
	char want[96] = "";
	struct nl_link_spec s = { .type = RTM_NEWLINK, .family = AF_UNSPEC, .ifindex = 3,
				  .name = "ib0", .arphrd = ARPHRD_INFINIBAND, .flags = UP_RUNNING,
				  .operstate = IF_OPER_UP, .mac = mac, .mac_len = 32 };

	for (unsigned i = 0; i < 32; i++) {
		mac[i] = (uint8_t)(i * 37 + 0xa0);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), i ? ":%02x" : "%02x",
			 mac[i]);
	}
	feed(r, nlb_link(r->buf, &s));
	CHECK(r->n == 2);
	CHECK(strlen(want) == 95);
	CHECK_STR(var(r->ev[0], "MAC"), want);
	rec_clear(r);
	s.mac_len = 0;
	s.ifindex = 4;
	feed(r, nlb_link(r->buf, &s));
	CHECK(r->n == 2);
	CHECK_STR(var(r->ev[0], "MAC"), "");
	rec_free(r);
}

/* The sink sees IP4_ADDRS, IP6_ADDRS and MAC as a hook would, formatted from
 * the cache while the event is delivered; its copies keep them afterwards. */
struct live_rec {
	struct rec *r;
	char env[8][160];
	size_t n;
};

/* "EVENT MAC|IP4_ADDRS|IP6_ADDRS" (var's buffer is reused: one at a time). */
static void link_vars(const struct event *ev, char out[160])
{
	size_t o = (size_t)snprintf(out, 160, "%s ", event_name(ev->type));

	o += (size_t)snprintf(out + o, 160 - o, "%s|", var(ev, "MAC"));
	o += (size_t)snprintf(out + o, 160 - o, "%s|", var(ev, "IP4_ADDRS"));
	snprintf(out + o, 160 - o, "%s", var(ev, "IP6_ADDRS"));
}

static void live_sink(void *ctx, const struct event *ev)
{
	struct live_rec *lr = ctx;

	if (lr->n < 8)
		link_vars(ev, lr->env[lr->n++]);
	sink(lr->r, ev);
}

TEST(address_lists_as_delivered_and_as_copied)
{
	struct rec *r = rec_new(0);
	struct live_rec lr = { .r = r };
	uint8_t mac[6] = { 0x02, 0xab, 0x00, 0x0f, 0xf0, 0x9c };
	struct nl_link_spec up = { .type = RTM_NEWLINK, .family = AF_UNSPEC, .ifindex = 3,
				   .name = "veth0", .arphrd = ARPHRD_ETHER, .flags = UP_RUNNING,
				   .operstate = IF_OPER_UP, .kind = "veth", .mac = mac,
				   .mac_len = 6 };

	r->c.sink = live_sink;
	r->c.sink_ctx = &lr;
	feed(r, nlb_link(r->buf, &up));
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_DELADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(r, RTM_DELADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, IFA_F_PERMANENT);
	link_msg(r, RTM_DELLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	const char *want[] = {
		"link-added 02:ab:00:0f:f0:9c||",
		"link-up 02:ab:00:0f:f0:9c||",
		"address-added 02:ab:00:0f:f0:9c|192.0.2.1/24|",
		"address-added 02:ab:00:0f:f0:9c|192.0.2.1/24|2001:db8::1/64",
		"address-removed 02:ab:00:0f:f0:9c||2001:db8::1/64",
		"address-removed 02:ab:00:0f:f0:9c||",
		"link-down 02:ab:00:0f:f0:9c||",
		"link-removed 02:ab:00:0f:f0:9c|192.0.2.1/24|2001:db8::1/64",
	};
	CHECK(lr.n == 8 && r->n == 8);
	for (size_t i = 0; i < lr.n && i < r->n; i++) {
		char copied[160];

		CHECK_STR(lr.env[i], want[i]);
		/* The copies, read after the link is gone, say the same. */
		link_vars(r->ev[i], copied);
		CHECK_STR(copied, lr.env[i]);
	}
	rec_free(r);
}

TEST(startup_fill_can_be_silent_and_origin_is_reported)
{
	struct rec *r = rec_new(0);

	r->c.emit = false;
	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	CHECK_STR(seen(r), "");
	r->c.emit = true;
	r->c.origin = ORIGIN_STARTUP;
	link_msg(r, RTM_NEWLINK, 4, "veth1", UP_RUNNING, IF_OPER_UP);
	CHECK_STR(seen(r), "link-added veth1, link-up veth1");
	CHECK_STR(var(r->ev[0], "EVENT_ORIGIN"), "startup");
	CHECK_STR(var(r->ev[0], "EVENT_SEQ"), "1");
	rec_free(r);
}

TEST(resync_sweep_emits_only_the_differences)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	link_msg(r, RTM_NEWLINK, 4, "veth1", UP_RUNNING, IF_OPER_UP);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	rec_clear(r);
	r->c.origin = ORIGIN_RESYNC;
	classify_sync_begin(&r->c, SYNC_LINKS);
	link_msg(r, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN); /* changed */
	classify_sync_end(&r->c, SYNC_LINKS, r->now);               /* veth1 gone */
	classify_sync_begin(&r->c, SYNC_ADDRS);
	addr_msg(r, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	classify_sync_end(&r->c, SYNC_ADDRS, r->now);
	/* What is gone is reported first, then what changed. */
	CHECK_STR(seen(r), "link-down veth1, link-removed veth1, link-down veth0");
	CHECK_STR(r->n ? var(r->ev[0], "EVENT_ORIGIN") : "", "resync");
	rec_free(r);
}

TEST(multipath_route_on_a_downed_link_asks_for_a_route_dump)
{
	struct rec *r = rec_new(0);
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	struct nl_route_spec s = { .type = RTM_NEWROUTE, .family = AF_INET,
				   .table = RT_TABLE_MAIN, .oif = 0, .protocol = RTPROT_BOOT };
	struct nlmsghdr *nlh;
	struct rtnl_msg m;

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	nlh = nlb_route(buf, &s);
	/* Two nexthops, the first through ifindex 3. */
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (int i = 0; i < 2; i++) {
		struct rtnexthop *nh = mnl_nlmsg_get_payload_tail(nlh);
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*nh));
		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = 3 + i;
		nh->rtnh_len = sizeof(*nh);
	}
	mnl_attr_nest_end(nlh, mp);
	CHECK(rtnl_parse(nlh, &m) == RTNL_ROUTE && m.u.route.multipath && m.u.route.oif == 3);
	classify_msg(&r->c, &m, r->now);
	rec_clear(r);
	link_msg(r, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN);
	CHECK_STR(seen(r), "link-down veth0");
	CHECK(r->c.want_route_resync);
	rec_free(r);
}

TEST(a_peer_arriving_on_a_known_address_is_no_event)
{
	struct rec *r = rec_new(3000);

	ppp_msg(r, RTM_NEWLINK, 7, PPP_FLAGS | IFF_UP | IFF_RUNNING | IFF_LOWER_UP,
		IF_OPER_UNKNOWN);
	rec_clear(r);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 7, "fe80::1", 128, NULL, IFA_F_PERMANENT);
	CHECK_STR(seen(r), "address-added ppp0");
	CHECK_STR(var(r->ev[0], "PEER"), "");
	rec_clear(r);
	addr_msg(r, RTM_NEWADDR, AF_INET6, 7, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	CHECK_STR(seen(r), "");
	addr_msg(r, RTM_DELADDR, AF_INET6, 7, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	CHECK_STR(seen(r), "address-removed ppp0");
	CHECK_STR(r->n ? var(r->ev[0], "PEER") : "", "fe80::2");
	rec_free(r);
}

TEST(resync_reports_removals_before_what_replaced_them)
{
	struct rec *r = rec_new(0);

	link_msg(r, RTM_NEWLINK, 3, "veth0", UP_RUNNING, IF_OPER_UP);
	route_msg(r, RTM_NEWROUTE, 0, NULL, 0, "192.0.2.253", 3, RT_TABLE_MAIN);
	rec_clear(r);
	/* Messages were lost while the default route moved to another gateway:
	 * the resync's dump shows only the new one. */
	r->c.origin = ORIGIN_RESYNC;
	classify_sync_begin(&r->c, SYNC_ROUTES);
	route_msg(r, RTM_NEWROUTE, 0, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	CHECK_STR(seen(r), ""); /* held until the sweep */
	classify_sync_end(&r->c, SYNC_ROUTES, r->now);
	CHECK_STR(seen(r), "route-removed veth0, route-added veth0");
	CHECK_STR(r->n == 2 ? var(r->ev[1], "ROUTE_GATEWAY") : "", "192.0.2.254");
	CHECK(r->n == 2 && r->ev[0]->seq < r->ev[1]->seq);
	rec_free(r);
}
