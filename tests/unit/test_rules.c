/* Purpose: unit tests of rule matching: globs, exclusions, kind, family,
 * address, destination and table, each against the events they apply to. */
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "rules.h"
#include "testip.h"
#include "unit.h"

/* Globs from a string literal array; pointers into static storage. */
#define GLOBS(P, N)                                                                \
	((struct globs){.pos = (P), .n_pos = sizeof(P) / sizeof(*(P)), .neg = (N),         \
			.n_neg = sizeof(N) / sizeof(*(N))})

static struct ipprefix pfx(const char *s)
{
	struct ipprefix p;

	if (!ip_parse_prefix(s, &p))
		memset(&p, 0xee, sizeof(p));
	return p;
}

static struct event link_event(enum event_type t, const char *iface, const char *kind)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.ifindex = 3;
	snprintf(ev.iface, sizeof(ev.iface), "%s", iface);
	ev.has_link = true;
	ev.link.type = ARPHRD_ETHER;
	snprintf(ev.link.kind, sizeof(ev.link.kind), "%s", kind);
	return ev;
}

static struct event addr_event(const char *iface, const char *addr, uint8_t len)
{
	struct event ev = link_event(EV_ADDRESS_ADDED, iface, "");

	ev.address.addr = testip_addr(addr);
	ev.address.prefixlen = len;
	ev.family = ev.address.addr.family;
	return ev;
}

static struct event route_event(const char *dst, uint8_t len, uint32_t table)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EV_ROUTE_ADDED;
	ev.route.dst = testip_addr(dst);
	ev.route.dst_len = len;
	ev.route.table = table;
	ev.family = ev.route.dst.family;
	return ev;
}

static struct event ppp_event(const char *local)
{
	struct event ev = link_event(EV_PPP_CONNECT, "ppp0", "ppp");

	ev.link.type = ARPHRD_PPP;
	ev.ppp.local = testip_addr(local);
	ev.family = ev.ppp.local.family;
	return ev;
}

TEST(rules_globs_positive_and_negative)
{
	char *pos[] = {"eth*", "wlan?"}, *neg[] = {"eth9", "eth1[0-9]"};
	struct globs g = GLOBS(pos, neg);
	struct globs none = {0};
	char *only_neg_n[] = {"lo"};
	struct globs only_neg = {.neg = only_neg_n, .n_neg = 1};

	CHECK(globs_match(&g, "eth0"));
	CHECK(globs_match(&g, "wlan1"));
	CHECK(!globs_match(&g, "wlan10"));
	CHECK(!globs_match(&g, "eth9"));
	CHECK(!globs_match(&g, "eth12"));
	CHECK(globs_match(&g, "eth2"));
	CHECK(!globs_match(&g, "ppp0"));
	CHECK(globs_match(&none, "anything"));
	CHECK(globs_match(&none, ""));
	CHECK(globs_match(&only_neg, "eth0"));
	CHECK(!globs_match(&only_neg, "lo"));
}

TEST(rules_glob_flags_are_plain_fnmatch)
{
	/* Flags 0: '*' matches '/' and a leading '.'; "\\*" is a literal star. */
	char *pos[] = {"a*b", "\\*x"};
	struct globs g = {.pos = pos, .n_pos = 2};

	CHECK(globs_match(&g, "a/b"));
	CHECK(globs_match(&g, "a.b"));
	CHECK(globs_match(&g, "*x"));
	CHECK(!globs_match(&g, "yx"));
}

/* rule_compile's shortcuts (plain patterns without fnmatch, the event types
 * as a bitmask) give the answers fnmatch gives the same rule uncompiled. */
TEST(rules_compiled_match_as_fnmatch)
{
	char *pos[] = {"eth0", "ppp*", "*", "a*b", "\\*x", "w?an", "br[0-9]", "x**"};
	char *neg[] = {"ppp9", "eth*", "ppp1[0-9]"};
	const char *names[] = {"",     "eth0", "eth00", "eth", "ppp",  "ppp0", "ppp9", "ppp12",
			       "pp",   "ab",   "a/b",   "*x",  "yx",   "wlan", "br1",  "br10",
			       "x",    "xyz",  "eth1",  ".a",  "ppp9x"};
	char *ev_pos[] = {"link-*", "route-added"}, *ev_neg[] = {"link-removed"};

	for (size_t p = 0; p < sizeof(pos) / sizeof(*pos); p++)
		for (size_t n = 0; n <= sizeof(neg) / sizeof(*neg); n++) {
			struct rule plain = {.ifaces = {.pos = &pos[p], .n_pos = 1,
							.neg = &neg[n % 3], .n_neg = n < 3}};
			struct rule compiled = plain;

			rule_compile(&compiled);
			for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
				struct event ev = link_event(EV_LINK_UP, names[i], "");

				CHECK(rule_matches(&plain, &ev) == rule_matches(&compiled, &ev));
			}
		}

	struct rule plain = {.events = GLOBS(ev_pos, ev_neg)}, compiled = plain;
	rule_compile(&compiled);
	CHECK(compiled.event_mask != 0);
	CHECK(compiled.events.pos_plain == 3 && compiled.events.neg_plain == 1); /* all plain */
	for (int t = 0; t < EV_COUNT; t++) {
		struct event ev = link_event((enum event_type)t, "eth0", "");

		CHECK(rule_matches(&plain, &ev) == rule_matches(&compiled, &ev));
	}
}

TEST(rules_empty_rule_matches_everything)
{
	struct rule r = {.name = "all"};
	struct event l = link_event(EV_LINK_UP, "eth0", "");
	struct event rt = route_event("0.0.0.0", 0, 254);

	CHECK(rule_matches(&r, &l));
	CHECK(rule_matches(&r, &rt));
}

TEST(rules_event_and_interface_globs)
{
	char *ev_pos[] = {"link-*"}, *ev_neg[] = {"link-removed"};
	char *if_pos[] = {"eth*"}, *if_neg[] = {"eth9"};
	struct rule r = {.name = "r", .events = GLOBS(ev_pos, ev_neg),
			 .ifaces = GLOBS(if_pos, if_neg)};
	struct event ev = link_event(EV_LINK_UP, "eth0", "");

	CHECK(rule_matches(&r, &ev));
	ev.type = EV_LINK_REMOVED;
	CHECK(!rule_matches(&r, &ev));
	ev.type = EV_ADDRESS_ADDED;
	CHECK(!rule_matches(&r, &ev));
	ev.type = EV_LINK_DOWN;
	snprintf(ev.iface, sizeof(ev.iface), "eth9");
	CHECK(!rule_matches(&r, &ev));
	snprintf(ev.iface, sizeof(ev.iface), "wlan0");
	CHECK(!rule_matches(&r, &ev));
}

TEST(rules_kind)
{
	char *k_pos[] = {"ppp"}, *any[] = {"*"}, *not_bridge[] = {"bridge"}, *all[] = {"*"};
	struct rule want_ppp = {.kinds = {.pos = k_pos, .n_pos = 1}};
	struct rule want_any_kind = {.kinds = {.pos = any, .n_pos = 1}};
	struct rule no_bridge = {.kinds = {.neg = not_bridge, .n_neg = 1}};
	struct rule kindless = {.kinds = {.neg = all, .n_neg = 1}};
	struct event eth = link_event(EV_LINK_UP, "eth0", "");
	struct event br = link_event(EV_LINK_UP, "br0", "bridge");
	struct event veth = link_event(EV_LINK_UP, "v0", "veth");
	/* An ARPHRD_PPP link matches kind "ppp" whatever its IFLA_INFO_KIND. */
	struct event ppp = link_event(EV_LINK_UP, "ppp0", "");

	ppp.link.type = ARPHRD_PPP;
	CHECK(rule_matches(&want_ppp, &ppp));
	CHECK(!rule_matches(&want_ppp, &veth));
	CHECK(!rule_matches(&want_ppp, &eth));

	/* An empty kind never satisfies a kind the rule asks for, not even "*". */
	CHECK(!rule_matches(&want_any_kind, &eth));
	CHECK(rule_matches(&want_any_kind, &veth));

	/* Exclusions alone: a plain device is not a bridge. */
	CHECK(rule_matches(&no_bridge, &eth));
	CHECK(!rule_matches(&no_bridge, &br));
	CHECK(rule_matches(&no_bridge, &veth));

	/* "kind = !*": only devices without a kind. */
	CHECK(rule_matches(&kindless, &eth));
	CHECK(!rule_matches(&kindless, &veth));
}

TEST(rules_family)
{
	struct rule r = {.family = AF_INET6};
	struct event a6 = addr_event("eth0", "2001:db8::1", 64);
	struct event a4 = addr_event("eth0", "192.0.2.1", 24);
	struct event l = link_event(EV_LINK_UP, "eth0", "");

	CHECK(rule_matches(&r, &a6));
	CHECK(!rule_matches(&r, &a4));
	/* link-* events have no family: never match a rule with one. */
	CHECK(!rule_matches(&r, &l));
}

TEST(rules_address)
{
	struct rule r = {.has_address = true, .address = pfx("203.0.113.0/24")};
	struct event in = addr_event("eth0", "203.0.113.9", 32);
	struct event out = addr_event("eth0", "203.0.114.9", 24);
	struct event v6 = addr_event("eth0", "2001:db8::1", 64);
	struct event removed = addr_event("eth0", "203.0.113.200", 24);
	struct event l = link_event(EV_LINK_UP, "eth0", "");
	struct event ppp_in = ppp_event("203.0.113.77");
	struct event ppp_out = ppp_event("198.51.100.1");
	struct event rt = route_event("203.0.113.0", 24, 254);

	removed.type = EV_ADDRESS_REMOVED;
	CHECK(rule_matches(&r, &in));
	CHECK(rule_matches(&r, &removed));
	CHECK(!rule_matches(&r, &out));
	CHECK(!rule_matches(&r, &v6));
	CHECK(!rule_matches(&r, &l));
	CHECK(rule_matches(&r, &ppp_in));
	CHECK(!rule_matches(&r, &ppp_out));
	ppp_in.type = EV_PPP_DISCONNECT;
	CHECK(rule_matches(&r, &ppp_in));
	/* Route events have no address. */
	CHECK(!rule_matches(&r, &rt));
}

TEST(rules_destination_default)
{
	struct rule any_default = {.has_destination = true};
	struct rule v4_default = {.has_destination = true, .family = AF_INET};
	struct event d4 = route_event("0.0.0.0", 0, 254);
	struct event d6 = route_event("::", 0, 254);
	struct event net = route_event("192.0.2.0", 24, 254);
	struct event a = addr_event("eth0", "192.0.2.1", 24);

	CHECK(rule_matches(&any_default, &d4));
	CHECK(rule_matches(&any_default, &d6));
	CHECK(!rule_matches(&any_default, &net));
	CHECK(!rule_matches(&any_default, &a));
	CHECK(rule_matches(&v4_default, &d4));
	CHECK(!rule_matches(&v4_default, &d6));
	d4.type = EV_ROUTE_REMOVED;
	CHECK(rule_matches(&any_default, &d4));
	d4.type = EV_ROUTE_CHANGED;
	CHECK(rule_matches(&any_default, &d4));
}

TEST(rules_destination_exact_prefix)
{
	struct rule r = {.has_destination = true, .destination = pfx("192.0.2.0/24")};
	struct rule r6 = {.has_destination = true, .destination = pfx("2001:db8::/32")};
	struct event exact = route_event("192.0.2.0", 24, 254);
	struct event longer = route_event("192.0.2.128", 25, 254);
	struct event shorter = route_event("192.0.0.0", 16, 254);
	struct event other = route_event("198.51.100.0", 24, 254);
	struct event v6 = route_event("2001:db8::", 32, 254);
	struct event v6_64 = route_event("2001:db8::", 64, 254);

	CHECK(rule_matches(&r, &exact));
	CHECK(!rule_matches(&r, &longer));
	CHECK(!rule_matches(&r, &shorter));
	CHECK(!rule_matches(&r, &other));
	CHECK(!rule_matches(&r, &v6));
	CHECK(rule_matches(&r6, &v6));
	CHECK(!rule_matches(&r6, &v6_64));
	CHECK(!rule_matches(&r6, &exact));
}

TEST(rules_table_only_for_routes)
{
	struct rule r = {.has_table = true, .table = 254};
	struct rule r100 = {.has_table = true, .table = 100};
	struct event main_rt = route_event("0.0.0.0", 0, 254);
	struct event t100 = route_event("0.0.0.0", 0, 100);
	struct event l = link_event(EV_LINK_UP, "eth0", "");

	CHECK(rule_matches(&r, &main_rt));
	CHECK(!rule_matches(&r, &t100));
	CHECK(rule_matches(&r100, &t100));
	CHECK(!rule_matches(&r, &l));
}

TEST(rules_route_without_device)
{
	char *if_pos[] = {"eth*"}, *if_neg[] = {"eth9"};
	struct rule wants_eth = {.ifaces = {.pos = if_pos, .n_pos = 1}};
	struct rule not_eth9 = {.ifaces = {.neg = if_neg, .n_neg = 1}};
	struct event rt = route_event("0.0.0.0", 0, 254); /* iface "" */

	CHECK(!rule_matches(&wants_eth, &rt));
	CHECK(rule_matches(&not_eth9, &rt));
}

TEST(rules_all_conditions_together)
{
	char *ev[] = {"route-*"}, *ifs[] = {"ppp*"}, *kinds[] = {"ppp"};
	struct rule r = {.events = {.pos = ev, .n_pos = 1},
			 .ifaces = {.pos = ifs, .n_pos = 1},
			 .kinds = {.pos = kinds, .n_pos = 1},
			 .family = AF_INET,
			 .has_destination = true,
			 .has_table = true,
			 .table = 254};
	struct event rt = route_event("0.0.0.0", 0, 254);

	rt.ifindex = 9;
	snprintf(rt.iface, sizeof(rt.iface), "ppp0");
	rt.has_link = true;
	rt.link.type = ARPHRD_PPP;
	CHECK(rule_matches(&r, &rt));
	rt.route.table = 100;
	CHECK(!rule_matches(&r, &rt));
	rt.route.table = 254;
	rt.link.type = ARPHRD_ETHER;
	CHECK(!rule_matches(&r, &rt));
	rt.link.type = ARPHRD_PPP;
	snprintf(rt.iface, sizeof(rt.iface), "eth0");
	CHECK(!rule_matches(&r, &rt));
}
