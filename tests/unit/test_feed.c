/* Purpose: unit tests of the capture feed (replay's core): dump entries as
 * startup events, notifications as kernel events, requests and other netlink
 * families skipped, malformed messages reported by byte offset, the capture's
 * clock for PPP IPv6 waits, and unaligned packet data. */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "classify.h"
#include "feed.h"
#include "nlbuild.h"
#include "pcap.h"
#include "pcapbuild.h"
#include "unit.h"

#define UP (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)

struct got {
	char text[2048];
	char warnings[1024];
};

static void sink(void *ctx, const struct event *ev)
{
	struct got *g = ctx;
	size_t n = strlen(g->text);

	snprintf(g->text + n, sizeof(g->text) - n, "%s%s %s %s", n ? ", " : "",
		 event_name(ev->type), ev->iface, event_origin_name(ev->origin));
}

static void warn(void *ctx, const char *msg)
{
	struct got *g = ctx;
	size_t n = strlen(g->warnings);

	snprintf(g->warnings + n, sizeof(g->warnings) - n, "%s|", msg);
}

/* Replays data (any alignment) into a fresh classifier. */
static void replay(const uint8_t *data, size_t size, bool startup, struct got *g,
		   struct feed *out)
{
	struct classify c;
	struct pcap_reader r;
	struct pcap_packet p;
	struct feed f;
	char err[256];

	memset(g, 0, sizeof(*g));
	classify_init(&c, sink, g, 3000);
	feed_init(&f, &c, startup, warn, g);
	CHECK(pcap_open(&r, data, size, err, sizeof(err)) == 0);
	while (pcap_next(&r, &p, err, sizeof(err)) > 0)
		feed_packet(&f, &p);
	feed_finish(&f);
	classify_free(&c);
	*out = f;
}

static void link_msg(struct capbuf *c, int ifindex, const char *name, uint32_t flags,
		     uint16_t nlflags)
{
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	struct nl_link_spec s = { .type = RTM_NEWLINK, .ifindex = ifindex, .name = name,
				  .arphrd = ARPHRD_ETHER, .flags = flags,
				  .operstate = flags ? IF_OPER_UP : IF_OPER_DOWN };

	cap_msg(c, nlb_link(buf, &s), nlflags);
}

static void addr_msg(struct capbuf *c, int ifindex, const char *local, uint16_t nlflags)
{
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	struct nl_addr_spec s = { .type = RTM_NEWADDR, .family = AF_INET, .ifindex = ifindex,
				  .prefixlen = 24, .local = local, .flags = IFA_F_PERMANENT };

	cap_msg(c, nlb_addr(buf, &s), nlflags);
}

static void dump_then_change(struct capbuf *c)
{
	cap_init(c, 1700000000000000ull);
	link_msg(c, 2, "eth0", UP, NLM_F_MULTI);
	cap_done(c);
	cap_flush(c);
	addr_msg(c, 2, "192.0.2.1", 0);
	cap_flush(c);
}

TEST(feed_dump_is_startup_notifications_are_kernel)
{
	struct capbuf c;
	struct got g;
	struct feed f;

	dump_then_change(&c);
	replay(c.data, c.len, true, &g, &f);
	CHECK_STR(g.text, "link-added eth0 startup, link-up eth0 startup, "
			  "address-added eth0 kernel");
	CHECK(f.packets == 2 && f.messages == 2 && f.malformed == 0);
	replay(c.data, c.len, false, &g, &f);
	CHECK_STR(g.text, "address-added eth0 kernel");
	cap_free(&c);
}

/* What an nlmon capture holds besides our messages: requests of processes
 * (ip addr add), other netlink families, copies for each listener. */
TEST(feed_skips_requests_other_families_and_duplicates)
{
	struct capbuf c;
	struct got g;
	struct feed f;

	dump_then_change(&c);
	addr_msg(&c, 2, "198.51.100.1", NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
	cap_flush(&c);
	addr_msg(&c, 2, "198.51.100.2", 0);
	cap_flush_as(&c, PCAP_PKTTYPE_OUTGOING, PCAP_ARPHRD_NETLINK, 16 /* NETLINK_GENERIC */);
	addr_msg(&c, 2, "198.51.100.3", 0);
	cap_flush_as(&c, PCAP_PKTTYPE_KERNEL, PCAP_ARPHRD_NETLINK, NETLINK_ROUTE);
	addr_msg(&c, 2, "192.0.2.1", 0); /* a second listener's copy */
	cap_flush(&c);
	replay(c.data, c.len, true, &g, &f);
	CHECK_STR(g.text, "link-added eth0 startup, link-up eth0 startup, "
			  "address-added eth0 kernel");
	CHECK(f.requests == 2 && f.other == 1);
	CHECK_STR(g.warnings, "");
	cap_free(&c);
}

TEST(feed_reports_malformed_messages_by_byte_offset)
{
	struct capbuf c;
	struct got g;
	struct feed f;
	char want[128];
	size_t off;

	dump_then_change(&c);
	addr_msg(&c, 2, "198.51.100.1", 0);
	off = c.len + PCAP_REC_HDR_LEN + PCAP_COOKED_LEN;
	((struct nlmsghdr *)c.dgram)->nlmsg_len = 4000; /* past the datagram */
	cap_flush(&c);
	replay(c.data, c.len, true, &g, &f);
	CHECK(f.malformed == 1);
	snprintf(want, sizeof(want), "packet 3: netlink message at byte offset %zu says 4000 bytes",
		 off);
	if (!strstr(g.warnings, want)) {
		printf("  warnings: %s\n  wanted: %s\n", g.warnings, want);
		CHECK(!"no warning naming the offset");
	}
	cap_free(&c);
}

TEST(feed_data_of_any_alignment)
{
	struct capbuf c;
	struct got g;
	struct feed f;
	uint8_t *odd;

	dump_then_change(&c);
	odd = malloc(c.len + 1);
	memcpy(odd + 1, c.data, c.len);
	replay(odd + 1, c.len, true, &g, &f);
	CHECK_STR(g.text, "link-added eth0 startup, link-up eth0 startup, "
			  "address-added eth0 kernel");
	free(odd);
	cap_free(&c);
}

/* ppp_ipv6_wait runs on the capture's timestamps: the wait ends before the
 * packet that comes 5 s later, and at the end for one still pending. */
TEST(feed_ppp_ipv6_wait_on_capture_clock)
{
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	struct nl_link_spec l = { .type = RTM_NEWLINK, .ifindex = 7, .name = "ppp0",
				  .arphrd = ARPHRD_PPP, .kind = "ppp",
				  .flags = UP | IFF_POINTOPOINT, .operstate = IF_OPER_UNKNOWN };
	struct nl_addr_spec a = { .type = RTM_NEWADDR, .family = AF_INET6, .ifindex = 7,
				  .prefixlen = 128, .local = "fe80::1", .peer = "fe80::2",
				  .flags = IFA_F_PERMANENT, .scope = RT_SCOPE_LINK };
	struct capbuf c;
	struct got g;
	struct feed f;

	cap_init(&c, 1700000000000000ull);
	cap_msg(&c, nlb_link(buf, &l), 0);
	cap_flush(&c);
	cap_msg(&c, nlb_addr(buf, &a), 0);
	cap_flush(&c);
	cap_sleep_ms(&c, 5000);
	link_msg(&c, 2, "eth0", UP, 0);
	cap_flush(&c);
	replay(c.data, c.len, true, &g, &f);
	CHECK_STR(g.text, "link-added ppp0 kernel, link-up ppp0 kernel, address-added ppp0 kernel, "
			  "ppp-connect ppp0 kernel, link-added eth0 kernel, link-up eth0 kernel");
	cap_free(&c);

	cap_init(&c, 1700000000000000ull);
	cap_msg(&c, nlb_link(buf, &l), 0);
	cap_msg(&c, nlb_addr(buf, &a), 0);
	cap_flush(&c);
	replay(c.data, c.len, true, &g, &f);
	CHECK_STR(g.text, "link-added ppp0 kernel, link-up ppp0 kernel, address-added ppp0 kernel, "
			  "ppp-connect ppp0 kernel");
	cap_free(&c);
}

/* tcpdump -i any writes LINKTYPE_LINUX_SLL (113): its nlmon packets have the
 * same header; packets of other devices are not netlink and are skipped. */
TEST(feed_linux_sll_captures)
{
	struct capbuf c;
	struct got g;
	struct feed f;
	uint32_t sll = PCAP_LINKTYPE_LINUX_SLL;

	dump_then_change(&c);
	addr_msg(&c, 2, "198.51.100.7", 0);
	cap_flush_as(&c, 0, ARPHRD_ETHER, 0x0800);
	memcpy(c.data + 20, &sll, 4);
	replay(c.data, c.len, true, &g, &f);
	CHECK_STR(g.text, "link-added eth0 startup, link-up eth0 startup, "
			  "address-added eth0 kernel");
	CHECK(f.other == 1);
	cap_free(&c);
}
