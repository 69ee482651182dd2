/* Purpose: the classifier's inferred IPv4 route removals (admin down, link and
 * address removal) through route replaces, resyncs, floods and flushes. */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "classify.h"
#include "testip.h"
#include "unit.h"

#define MAX_LINES 32

/* The messages are built as parsed structs, not bytes: test_classify.c
 * covers the parsing, these tests the cache and its inferences. */
struct tc {
	struct classify c;
	char lines[MAX_LINES][96];
	size_t n_lines;
	size_t removed[2]; /* route-removed events: IPv4, IPv6 */
	char out[MAX_LINES * 98];
};

static void sink(void *ctx, const struct event *ev)
{
	struct tc *t = ctx;
	char dst[IP_STRLEN];

	if (ev->type == EV_ROUTE_REMOVED)
		t->removed[ev->family == AF_INET6]++;
	if (t->n_lines == MAX_LINES)
		return;
	if (event_is_route(ev->type))
		snprintf(t->lines[t->n_lines++], sizeof(t->lines[0]), "%s %s/%u dev %d",
			 event_name(ev->type), ip_format(&ev->route.dst, dst), ev->route.dst_len,
			 ev->ifindex);
	else
		snprintf(t->lines[t->n_lines++], sizeof(t->lines[0]), "%s %d",
			 event_name(ev->type), ev->ifindex);
}

static struct tc *tc_new(void)
{
	struct tc *t = calloc(1, sizeof(*t));

	classify_init(&t->c, sink, t, 0);
	return t;
}

static void tc_free(struct tc *t)
{
	classify_free(&t->c);
	free(t);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The events since the last call, sorted (several routes removed by one
 * message come in no particular order), joined by ", "; then forgotten. */
static const char *got(struct tc *t)
{
	size_t o = 0;

	qsort(t->lines, t->n_lines, sizeof(t->lines[0]), cmp_line);
	t->out[0] = '\0';
	for (size_t i = 0; i < t->n_lines; i++)
		o += (size_t)snprintf(t->out + o, sizeof(t->out) - o, "%s%s", i ? ", " : "",
				      t->lines[i]);
	t->n_lines = 0;
	t->removed[0] = t->removed[1] = 0;
	return t->out;
}

static void msg(struct tc *t, enum rtnl_kind kind, const void *body, size_t len)
{
	struct rtnl_msg m = { .kind = kind };

	memcpy(&m.u, body, len);
	classify_msg(&t->c, &m, 1000);
}

/* up: IFF_UP and running; admin_up without up: carrier lost. */
static void link_set(struct tc *t, int ifindex, bool admin_up, bool up)
{
	struct rtnl_link l = { .family = AF_UNSPEC, .ifindex = ifindex, .type = ARPHRD_ETHER,
			       .has_name = true };

	snprintf(l.name, sizeof(l.name), "l%d", ifindex);
	l.flags = (admin_up ? IFF_UP : 0) | (up ? IFF_RUNNING : 0);
	msg(t, RTNL_LINK, &l, sizeof(l));
}

static void link_del(struct tc *t, int ifindex)
{
	struct rtnl_link l = { .deleted = true, .family = AF_UNSPEC, .ifindex = ifindex,
			       .type = ARPHRD_ETHER };

	msg(t, RTNL_LINK, &l, sizeof(l));
}

static void addr_set(struct tc *t, bool deleted, int ifindex, const char *local)
{
	struct rtnl_addr a = { .deleted = deleted, .family = AF_INET, .prefixlen = 24,
			       .ifindex = ifindex, .flags = IFA_F_PERMANENT,
			       .local = testip_addr(local) };

	msg(t, RTNL_ADDR, &a, sizeof(a));
}

enum op { ADD, DEL, REPLACE };

struct rt {
	const char *dst; /* "prefix/len" */
	int oif;
	const char *gw, *src;
	uint32_t nh_id;
	bool multipath;
	uint8_t protocol;
};

static void route(struct tc *t, enum op op, struct rt s)
{
	struct ipprefix p;
	struct rtnl_route r = { .deleted = op == DEL, .replace = op == REPLACE,
				.table = RT_TABLE_MAIN, .type = RTN_UNICAST, .oif = s.oif,
				.nh_id = s.nh_id, .multipath = s.multipath,
				.protocol = s.protocol ? s.protocol : RTPROT_STATIC };

	CHECK(ip_parse_prefix(s.dst, &p));
	r.family = p.addr.family;
	r.dst = p.addr;
	r.dst_len = p.len;
	r.metric = r.family == AF_INET6 ? 1024 : 0;
	if (s.gw)
		r.gateway = testip_addr(s.gw); /* IPv6 on an IPv4 route: RTA_VIA */
	if (s.src)
		r.prefsrc = testip_addr(s.src);
	msg(t, RTNL_ROUTE, &r, sizeof(r));
}

static void v4_routes(struct tc *t, enum op op, int oif, int n)
{
	char d[32];

	for (int i = 0; i < n; i++) {
		snprintf(d, sizeof(d), "10.%d.%d.%d/32", oif, i >> 8, i & 255);
		route(t, op, (struct rt){ .dst = d, .oif = oif });
	}
}

static void v6_routes(struct tc *t, enum op op, int oif, int n)
{
	char d[48];

	for (int i = 0; i < n; i++) {
		snprintf(d, sizeof(d), "2001:db8:%x:%x::/64", oif, i);
		route(t, op, (struct rt){ .dst = d, .oif = oif });
	}
}

TEST(admin_down_takes_only_that_links_ipv4_routes)
{
	struct tc *t = tc_new();

	link_set(t, 3, true, true);
	link_set(t, 4, true, true);
	v4_routes(t, ADD, 3, 300);
	v6_routes(t, ADD, 3, 200);
	v4_routes(t, ADD, 4, 100);
	v6_routes(t, ADD, 4, 50);
	got(t);
	link_set(t, 3, true, false); /* carrier loss: nothing goes */
	CHECK_STR(got(t), "link-down 3");
	link_set(t, 3, false, false);
	CHECK(t->removed[0] == 300 && t->removed[1] == 0);
	CHECK(t->c.st.n_routes == 350);
	got(t);
	link_set(t, 3, true, true);
	link_set(t, 3, false, false); /* again: nothing left to take */
	CHECK_STR(got(t), "link-down 3, link-up 3");
	/* A removed link takes its routes of both families. */
	link_del(t, 4);
	CHECK(t->removed[0] == 100 && t->removed[1] == 50);
	CHECK(t->c.st.n_routes == 200);
	tc_free(t);
}

TEST(a_replaced_route_is_removed_with_its_new_link_only)
{
	struct tc *t = tc_new();

	link_set(t, 3, true, true);
	link_set(t, 4, true, true);
	route(t, ADD, (struct rt){ .dst = "0.0.0.0/0", .oif = 3, .gw = "192.0.2.254" });
	route(t, REPLACE, (struct rt){ .dst = "0.0.0.0/0", .oif = 4, .gw = "198.51.100.254" });
	CHECK_STR(got(t), "link-added 3, link-added 4, link-up 3, link-up 4, "
			  "route-added 0.0.0.0/0 dev 3, route-changed 0.0.0.0/0 dev 4");
	link_set(t, 3, false, false);
	CHECK_STR(got(t), "link-down 3");
	link_set(t, 4, false, false);
	CHECK_STR(got(t), "link-down 4, route-removed 0.0.0.0/0 dev 4");
	CHECK(t->c.st.n_routes == 0);
	tc_free(t);
}

TEST(a_replaced_route_through_an_ipv6_gateway_still_goes_on_admin_down)
{
	struct tc *t = tc_new();

	link_set(t, 3, true, true);
	link_set(t, 4, true, true);
	route(t, ADD, (struct rt){ .dst = "203.0.113.0/24", .oif = 3, .gw = "192.0.2.254" });
	/* RFC 5549: an IPv4 route through an IPv6 nexthop. */
	route(t, REPLACE, (struct rt){ .dst = "203.0.113.0/24", .oif = 4, .gw = "fe80::1" });
	got(t);
	link_set(t, 3, false, false);
	CHECK_STR(got(t), "link-down 3");
	link_set(t, 4, false, false);
	CHECK_STR(got(t), "link-down 4, route-removed 203.0.113.0/24 dev 4");
	tc_free(t);
}

TEST(a_route_updated_in_place_keeps_its_place_in_the_index)
{
	struct tc *t = tc_new();
	struct rt a = { .dst = "203.0.113.0/24", .oif = 3 };

	link_set(t, 3, true, true);
	route(t, ADD, a);
	a.protocol = RTPROT_BOOT; /* the same route again: no event */
	route(t, ADD, a);
	CHECK_STR(got(t), "link-added 3, link-up 3, route-added 203.0.113.0/24 dev 3");
	/* A nexthop object: only a dump can tell whether it survived. */
	a.nh_id = 7;
	route(t, ADD, a);
	link_set(t, 3, false, false);
	CHECK_STR(got(t), "link-down 3, route-changed 203.0.113.0/24 dev 3");
	CHECK(t->c.want_route_resync);
	t->c.want_route_resync = false;
	link_set(t, 3, true, true);
	a.nh_id = 0;
	route(t, ADD, a);
	link_set(t, 3, false, false);
	CHECK_STR(got(t), "link-down 3, link-up 3, route-changed 203.0.113.0/24 dev 3, "
			  "route-removed 203.0.113.0/24 dev 3");
	CHECK(!t->c.want_route_resync);
	tc_free(t);
}

TEST(routes_go_with_their_preferred_source_wherever_it_was)
{
	struct tc *t = tc_new();

	link_set(t, 3, true, true);
	link_set(t, 4, true, true);
	link_set(t, 5, true, true);
	addr_set(t, false, 3, "192.0.2.1");
	addr_set(t, false, 3, "192.0.2.2");
	addr_set(t, false, 3, "192.0.2.3");
	addr_set(t, false, 4, "198.51.100.1");
	addr_set(t, false, 5, "192.0.2.1"); /* the same address on another link */
	route(t, ADD, (struct rt){ .dst = "203.0.113.0/24", .oif = 4, .src = "192.0.2.1" });
	route(t, ADD, (struct rt){ .dst = "203.0.113.0/25", .oif = 4, .src = "192.0.2.1" });
	route(t, ADD, (struct rt){ .dst = "203.0.113.128/25", .oif = 4, .src = "192.0.2.3" });
	v4_routes(t, ADD, 4, 20);
	got(t);
	/* The /25 moves to another source. */
	route(t, ADD, (struct rt){ .dst = "203.0.113.0/25", .oif = 4, .src = "192.0.2.2" });
	CHECK_STR(got(t), "");
	addr_set(t, true, 3, "192.0.2.1"); /* still on link 5 */
	CHECK_STR(got(t), "address-removed 3");
	addr_set(t, true, 5, "192.0.2.1");
	CHECK_STR(got(t), "address-removed 5, route-removed 203.0.113.0/24 dev 4");
	addr_set(t, true, 3, "192.0.2.2");
	CHECK_STR(got(t), "address-removed 3, route-removed 203.0.113.0/25 dev 4");
	/* An address no route prefers: nothing but itself. */
	addr_set(t, false, 3, "192.0.2.9");
	got(t);
	addr_set(t, true, 3, "192.0.2.9");
	CHECK_STR(got(t), "address-removed 3");
	CHECK(t->c.st.n_routes == 21);
	tc_free(t);
}

TEST(resync_sweep_and_later_inference_agree)
{
	struct tc *t = tc_new();

	link_set(t, 3, true, true);
	v4_routes(t, ADD, 3, 10);
	v6_routes(t, ADD, 3, 10);
	got(t);
	/* Messages were lost: the dump has only the first 4 of each family. */
	t->c.origin = ORIGIN_RESYNC;
	classify_sync_begin(&t->c, SYNC_ROUTES);
	v4_routes(t, ADD, 3, 4);
	v6_routes(t, ADD, 3, 4);
	classify_sync_end(&t->c, SYNC_ROUTES, 1000);
	CHECK(t->removed[0] == 6 && t->removed[1] == 6);
	CHECK(t->c.st.n_routes == 8);
	got(t);
	t->c.origin = ORIGIN_KERNEL;
	link_set(t, 3, false, false);
	CHECK(t->removed[0] == 4 && t->removed[1] == 0);
	got(t);
	link_del(t, 3);
	CHECK(t->removed[0] == 0 && t->removed[1] == 4);
	CHECK(t->c.st.n_routes == 0);
	tc_free(t);
}

TEST(a_flushed_flood_leaves_nothing_to_infer)
{
	struct tc *t = tc_new();

	for (int l = 3; l < 7; l++) {
		link_set(t, l, true, true);
		v4_routes(t, ADD, l, 500);
		v6_routes(t, ADD, l, 2000);
	}
	CHECK(t->c.st.n_routes == 10000);
	for (int l = 3; l < 7; l++) {
		v4_routes(t, DEL, l, 500);
		v6_routes(t, DEL, l, 2000);
	}
	CHECK(t->c.st.n_routes == 0);
	got(t);
	for (int l = 3; l < 7; l++)
		link_set(t, l, false, false);
	CHECK_STR(got(t), "link-down 3, link-down 4, link-down 5, link-down 6");
	/* And the cache works as new afterwards. */
	link_set(t, 3, true, true);
	v4_routes(t, ADD, 3, 2);
	link_del(t, 3);
	CHECK_STR(got(t), "link-down 3, link-removed 3, link-up 3, "
			  "route-added 10.3.0.0/32 dev 3, route-added 10.3.0.1/32 dev 3, "
			  "route-removed 10.3.0.0/32 dev 3, route-removed 10.3.0.1/32 dev 3");
	tc_free(t);
}

TEST(a_removed_link_keeps_multipath_routes_for_the_dump_to_decide)
{
	struct tc *t = tc_new();

	link_set(t, 3, true, true);
	route(t, ADD, (struct rt){ .dst = "203.0.113.0/24", .oif = 3, .multipath = true });
	route(t, ADD, (struct rt){ .dst = "198.51.100.0/24", .oif = 3 });
	got(t);
	link_del(t, 3);
	CHECK_STR(got(t), "link-down 3, link-removed 3, route-removed 198.51.100.0/24 dev 3");
	CHECK(t->c.want_route_resync);
	CHECK(t->c.st.n_routes == 1);
	/* The ifindex comes back as another link: the dump says the multipath
	 * route is gone, and the new link's routes are its own. */
	link_set(t, 3, true, true);
	route(t, ADD, (struct rt){ .dst = "192.0.2.0/24", .oif = 3 });
	t->c.origin = ORIGIN_RESYNC;
	classify_sync_begin(&t->c, SYNC_ROUTES);
	route(t, ADD, (struct rt){ .dst = "192.0.2.0/24", .oif = 3 });
	classify_sync_end(&t->c, SYNC_ROUTES, 1000);
	t->c.origin = ORIGIN_KERNEL;
	got(t);
	link_set(t, 3, false, false);
	CHECK_STR(got(t), "link-down 3, route-removed 192.0.2.0/24 dev 3");
	CHECK(t->c.st.n_routes == 0);
	tc_free(t);
}
