/* Purpose: classifier throughput: a generated rtnetlink stream through parse, classify and rule match, no sockets.
 *
 * Usage: classbench [-r ROUNDS] [-s SECONDS] [-o STREAM[,STREAM...]] CONFIG
 * CONFIG is an ifhookd configuration; its rules are matched against every
 * event, as the daemon does before it looks at hooks (dispatch reads
 * hooks_dir from disk, which is not the classifier's cost and is left out).
 *
 * Four streams, each replayed ROUNDS times (or, without -r, for about SECONDS
 * each), each of them leaving the cache as it found it:
 *   link   64 veth links, each through one admin down/up cycle as the kernel
 *          reports it: 3 RTM_NEWLINK (down; up without carrier; running), of
 *          kernel size (~1.3 KB: stats, AF_SPEC... padded in like the kernel's)
 *   addr   64 IPv4 addresses added and removed, 64 IPv6 ones added tentative,
 *          then usable, then removed
 *   route  10 000 IPv6 /64 and 500 IPv4 /32 routes added, then deleted
 *   mixed  the three above interleaved as one stream
 *   link100k  the link stream with 100 000 IPv6 routes in the cache (admin
 *          down makes the classifier look for the link's IPv4 routes)
 * Prints per stream: "stream=NAME messages=N seconds=S msg_per_s=R events=E".
 * The timed work is in bench_STREAM functions so that
 * `valgrind --tool=callgrind --toggle-collect='bench_*'` counts just it. */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"
#include "config.h"
#include "nlbuild.h"
#include "rtnl.h"
#include "rules.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif
#ifndef IF_OPER_UP
#define IF_OPER_DOWN 2
#define IF_OPER_UP 6
#endif

#define N_LINKS 64
#define FIRST_IFINDEX 10

struct stream {
	char *buf;
	size_t len, cap, n;
};

struct sink {
	const struct config *cfg;
	unsigned long long events, matches;
};

static uint64_t fake_ms = 1000;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void push(struct stream *s, const struct nlmsghdr *nlh)
{
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);

	if (s->len + len > s->cap) {
		s->cap = (s->cap ? s->cap * 2 : 1 << 20) + len;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(s->buf + s->len, nlh, nlh->nlmsg_len);
	memset(s->buf + s->len + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	s->len += len;
	s->n++;
}

static void append(struct stream *dst, const struct stream *src)
{
	for (size_t off = 0; off < src->len;) {
		const struct nlmsghdr *nlh = (const void *)(src->buf + off);

		push(dst, nlh);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

/* The attributes a 6.x kernel adds to a veth's link message. */
static void pad_link(struct nlmsghdr *nlh)
{
	static const uint16_t u32s[] = { IFLA_TXQLEN, IFLA_MIN_MTU, IFLA_MAX_MTU, IFLA_GROUP,
					 IFLA_PROMISCUITY, IFLA_NUM_TX_QUEUES, IFLA_GSO_MAX_SEGS,
					 IFLA_GSO_MAX_SIZE, IFLA_NUM_RX_QUEUES, IFLA_CARRIER_CHANGES,
					 IFLA_CARRIER_UP_COUNT, IFLA_CARRIER_DOWN_COUNT, IFLA_LINK,
					 IFLA_NEW_NETNSID };
	static const uint8_t zero[512];
	struct nlattr *af, *n;

	for (size_t i = 0; i < sizeof(u32s) / sizeof(*u32s); i++)
		mnl_attr_put_u32(nlh, u32s[i], 1);
	mnl_attr_put_u8(nlh, IFLA_LINKMODE, 0);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, 1);
	mnl_attr_put_u8(nlh, IFLA_PROTO_DOWN, 0);
	mnl_attr_put_strz(nlh, IFLA_QDISC, "noqueue");
	mnl_attr_put(nlh, IFLA_MAP, 32, zero);
	mnl_attr_put(nlh, IFLA_BROADCAST, 6, "\xff\xff\xff\xff\xff\xff");
	mnl_attr_put(nlh, IFLA_STATS64, 200, zero);
	mnl_attr_put(nlh, IFLA_STATS, 96, zero);
	n = mnl_attr_nest_start(nlh, IFLA_XDP);
	mnl_attr_put_u8(nlh, 2 /* IFLA_XDP_ATTACHED */, 0);
	mnl_attr_nest_end(nlh, n);
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	n = mnl_attr_nest_start(nlh, AF_INET);
	mnl_attr_put(nlh, 1 /* IFLA_INET_CONF */, 132, zero);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u32(nlh, 1 /* IFLA_INET6_FLAGS */, 0);
	mnl_attr_put(nlh, 5 /* IFLA_INET6_CACHEINFO */, 16, zero);
	mnl_attr_put(nlh, 2 /* IFLA_INET6_CONF */, 240, zero);
	mnl_attr_put(nlh, 3 /* IFLA_INET6_STATS */, 296, zero);
	mnl_attr_put(nlh, 6 /* IFLA_INET6_ICMP6STATS */, 56, zero);
	mnl_attr_put(nlh, 7 /* IFLA_INET6_TOKEN */, 16, zero);
	mnl_attr_put_u8(nlh, 8 /* IFLA_INET6_ADDR_GEN_MODE */, 0);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, af);
}

static void link_msg(struct stream *s, int i, uint32_t flags, uint8_t oper)
{
	char buf[NLBUF_SIZE], name[IF_NAMESIZE];
	uint8_t mac[6] = { 0x02, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };
	struct nl_link_spec sp = { .type = RTM_NEWLINK, .family = AF_UNSPEC,
				   .ifindex = FIRST_IFINDEX + i, .name = name,
				   .arphrd = ARPHRD_ETHER, .flags = flags, .operstate = oper,
				   .mtu = 1500, .kind = "veth", .mac = mac, .mac_len = 6 };
	struct nlmsghdr *nlh;

	snprintf(name, sizeof(name), "vb%d", i);
	nlh = nlb_link(buf, &sp);
	pad_link(nlh);
	push(s, nlh);
}

#define F_DOWN (IFF_BROADCAST | IFF_MULTICAST)
#define F_UP (F_DOWN | IFF_UP)
#define F_RUN (F_UP | IFF_RUNNING | IFF_LOWER_UP)

static void build_links(struct stream *s)
{
	for (int i = 0; i < N_LINKS; i++) {
		link_msg(s, i, F_UP, IF_OPER_UP); /* admin down: first the flags... */
		link_msg(s, i, F_DOWN, IF_OPER_DOWN);
		link_msg(s, i, F_RUN, IF_OPER_UP); /* ...up: running again */
	}
}

static void addr_msg(struct stream *s, uint16_t type, uint8_t family, int i, const char *a,
		     uint8_t plen, uint32_t flags)
{
	char buf[NLBUF_SIZE];
	struct nl_addr_spec sp = { .type = type, .family = family, .ifindex = FIRST_IFINDEX + i,
				   .prefixlen = plen, .local = a, .flags = flags,
				   .scope = RT_SCOPE_UNIVERSE };

	push(s, nlb_addr(buf, &sp));
}

static void build_addrs(struct stream *s)
{
	for (int i = 0; i < N_LINKS; i++) {
		char a4[32], a6[64];

		snprintf(a4, sizeof(a4), "198.51.100.%d", i + 1);
		snprintf(a6, sizeof(a6), "2001:db8:1::%x", i + 1);
		addr_msg(s, RTM_NEWADDR, AF_INET, i, a4, 24, IFA_F_PERMANENT);
		addr_msg(s, RTM_NEWADDR, AF_INET6, i, a6, 64, IFA_F_PERMANENT | IFA_F_TENTATIVE);
		addr_msg(s, RTM_NEWADDR, AF_INET6, i, a6, 64, IFA_F_PERMANENT);
		addr_msg(s, RTM_DELADDR, AF_INET, i, a4, 24, IFA_F_PERMANENT);
		addr_msg(s, RTM_DELADDR, AF_INET6, i, a6, 64, IFA_F_PERMANENT);
	}
}

static void route_msg(struct stream *s, uint16_t type, uint8_t family, const char *dst,
		      uint8_t len, int link)
{
	char buf[NLBUF_SIZE];
	struct nl_route_spec sp = { .type = type, .family = family, .table = RT_TABLE_MAIN,
				    .dst = dst, .dst_len = len, .oif = FIRST_IFINDEX + link,
				    .metric = family == AF_INET6 ? 1024 : 0,
				    .protocol = RTPROT_STATIC };

	push(s, nlb_route(buf, &sp));
}

/* n6 IPv6 /64s (and with_v4: n6/20 IPv4 /32s from 198.51.100.0/24 and
 * 203.0.113.0/24, at most 512) added, then deleted; or only one of the two. */
static void build_routes(struct stream *s, int n6, uint16_t type_only, bool with_v4)
{
	for (int pass = 0; pass < 2; pass++) {
		uint16_t type = pass ? RTM_DELROUTE : RTM_NEWROUTE;

		if (type_only && type != type_only)
			continue;
		for (int i = 0; i < n6; i++) {
			char d[64];
			int k = i / 20;

			snprintf(d, sizeof(d), "2001:db8:%x:%x::", 0x100 + (i >> 16), i & 0xffff);
			route_msg(s, type, AF_INET6, d, 64, i % N_LINKS);
			if (with_v4 && i % 20 == 0 && k < 512) {
				snprintf(d, sizeof(d), "%s.%d", k < 256 ? "198.51.100" : "203.0.113",
					 k % 256);
				route_msg(s, type, AF_INET, d, 32, i % N_LINKS);
			}
		}
	}
}

static void on_event(void *ctx, const struct event *ev)
{
	struct sink *k = ctx;

	k->events++;
	for (size_t i = 0; i < k->cfg->n_rules; i++)
		if (rule_matches(&k->cfg->rules[i], ev))
			k->matches++;
}

static void feed(struct classify *c, const struct stream *s)
{
	struct rtnl_msg m;

	for (size_t off = 0; off < s->len;) {
		const struct nlmsghdr *nlh = (const void *)(s->buf + off);

		if (rtnl_parse(nlh, &m) != RTNL_MALFORMED)
			classify_msg(c, &m, fake_ms++);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

/* One function per stream, never inlined: callgrind's --toggle-collect. */
#define BENCH_FN(NAME)                                                                     \
	__attribute__((noinline)) void bench_##NAME(struct classify *c, const struct stream *s, \
						    long rounds);                          \
	__attribute__((noinline)) void bench_##NAME(struct classify *c, const struct stream *s, \
						    long rounds)                           \
	{                                                                                  \
		for (long r = 0; r < rounds; r++)                                          \
			feed(c, s);                                                        \
	}
BENCH_FN(link)
BENCH_FN(addr)
BENCH_FN(route)
BENCH_FN(mixed)
BENCH_FN(link100k)

typedef void (*bench_fn)(struct classify *, const struct stream *, long);

static const char *only; /* -o NAME[,NAME...]: just those streams */

static bool wanted(const char *name)
{
	size_t n = strlen(name);

	if (!only)
		return true;
	for (const char *p = only; (p = strstr(p, name)); p += n)
		if ((p == only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void run(const char *name, bench_fn fn, struct classify *c, struct sink *k,
		const struct stream *s, long rounds, double seconds)
{
	unsigned long long ev0 = k->events;
	double t0, t;

	if (!wanted(name))
		return;
	if (rounds <= 0) {
		/* Calibrate: rounds for about `seconds`, from one timed round. */
		t0 = now_s();
		fn(c, s, 1);
		t = now_s() - t0;
		rounds = t > 0 ? (long)(seconds / t) : 1000;
		if (rounds < 1)
			rounds = 1;
		ev0 = k->events;
	}
	t0 = now_s();
	fn(c, s, rounds);
	t = now_s() - t0;
	printf("stream=%s messages=%llu seconds=%.3f msg_per_s=%.0f events=%llu rounds=%ld "
	       "bytes_per_msg=%zu\n",
	       name, (unsigned long long)s->n * (unsigned long long)rounds, t,
	       (double)s->n * (double)rounds / t, k->events - ev0, rounds, s->len / s->n);
	fflush(stdout);
}

static void config_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "classbench: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct stream links = { 0 }, addrs = { 0 }, routes = { 0 }, mixed = { 0 }, setup = { 0 };
	struct stream fill = { 0 };
	struct classify c;
	struct sink k = { 0 };
	long rounds = 0;
	double seconds = 2.0;
	int opt;

	while ((opt = getopt(argc, argv, "r:s:o:")) != -1) {
		if (opt == 'r')
			rounds = atol(optarg);
		else if (opt == 's')
			seconds = atof(optarg);
		else if (opt == 'o')
			only = optarg;
		else
			return 2;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: classbench [-r ROUNDS] [-s SECONDS] [-o STREAM] CONFIG\n");
		return 2;
	}
	k.cfg = config_load(argv[optind], config_error, NULL);
	if (!k.cfg)
		return 1;

	for (int i = 0; i < N_LINKS; i++)
		link_msg(&setup, i, F_RUN, IF_OPER_UP);
	build_links(&links);
	build_addrs(&addrs);
	build_routes(&routes, 10000, 0, true);
	/* mixed: links, then addresses, then routes, as one stream. */
	append(&mixed, &links);
	append(&mixed, &addrs);
	append(&mixed, &routes);

	classify_init(&c, on_event, &k, 10000);
	feed(&c, &setup); /* the links exist and are up */
	c.emit = true;

	run("link", bench_link, &c, &k, &links, rounds, seconds);
	run("addr", bench_addr, &c, &k, &addrs, rounds, seconds);
	run("route", bench_route, &c, &k, &routes, rounds ? (rounds + 99) / 100 : 0, seconds);
	run("mixed", bench_mixed, &c, &k, &mixed, rounds ? (rounds + 99) / 100 : 0, seconds);

	if (!wanted("link100k"))
		goto out;
	/* 100 000 IPv6 routes cached, spread over the links (IPv6 only, so that
	 * admin down, which drops a link's IPv4 routes, leaves the cache as it is). */
	build_routes(&fill, 100000, RTM_NEWROUTE, false);
	feed(&c, &fill);
	printf("cached_routes=%zu\n", c.st.n_routes);
	run("link100k", bench_link100k, &c, &k, &links, rounds ? (rounds + 9) / 10 : 0, seconds);
out:
	printf("events=%llu matches=%llu\n", k.events, k.matches);

	classify_free(&c);
	config_free((struct config *)k.cfg);
	free(links.buf);
	free(addrs.buf);
	free(routes.buf);
	free(mixed.buf);
	free(setup.buf);
	free(fill.buf);
	return 0;
}
