/* Purpose: writes the capture fixtures of tests/data/ (pcap, LINKTYPE_NETLINK):
 * the message sequences a real pppd and kernel produce (NETLINK.md), each
 * starting with the dump that ifhookd record writes first.
 *
 * Usage: gen_captures DIR      (make test-data regenerates tests/data/) */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nlbuild.h"
#include "pcap.h"
#include "pcapbuild.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#define T0 1700000000000000ull /* 2023-11-14T22:13:20Z: fixed, so files are reproducible */
#define UP (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)
#define ETH (IFF_BROADCAST | IFF_MULTICAST)
#define PPP (IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST)
#define MULTI NLM_F_MULTI

static char buf[NLBUF_SIZE] __attribute__((aligned(8)));
static const uint8_t mac_a[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x02 };
static const uint8_t mac_lo[6] = { 0 };

static void link_(struct capbuf *c, uint16_t type, uint8_t family, int ifindex, const char *name,
		  uint16_t arphrd, uint32_t flags, uint8_t oper, const char *kind,
		  const uint8_t *mac, uint16_t nlflags)
{
	struct nl_link_spec s = { .type = type, .family = family, .ifindex = ifindex,
				  .name = name, .arphrd = arphrd, .flags = flags,
				  .operstate = oper, .kind = kind, .mac = mac,
				  .mac_len = mac ? 6 : 0,
				  .mtu = arphrd == ARPHRD_LOOPBACK ? 65536 : 1500 };

	cap_msg(c, nlb_link(buf, &s), nlflags);
}

static void addr(struct capbuf *c, uint16_t type, uint8_t family, int ifindex, const char *local,
		 uint8_t plen, const char *peer, uint32_t flags, uint8_t scope, uint16_t nlflags)
{
	struct nl_addr_spec s = { .type = type, .family = family, .ifindex = ifindex,
				  .prefixlen = plen, .local = local, .peer = peer,
				  .flags = flags, .scope = scope };

	cap_msg(c, nlb_addr(buf, &s), nlflags);
}

static void route(struct capbuf *c, uint16_t type, const char *dst, uint8_t len, const char *gw,
		  const char *prefsrc, int oif, uint8_t proto, uint16_t nlflags)
{
	struct nl_route_spec s = { .type = type, .family = AF_INET, .table = RT_TABLE_MAIN,
				   .dst = dst, .dst_len = len, .gateway = gw, .prefsrc = prefsrc,
				   .oif = oif, .protocol = proto, .nlflags = nlflags };

	cap_msg(c, nlb_route(buf, &s), nlflags);
}

/* The first packets of every capture: ifhookd record's dump of links,
 * addresses and routes, each reply ending with NLMSG_DONE. */
static void dump_lo(struct capbuf *c, void (*more_links)(struct capbuf *),
		    void (*more_addrs)(struct capbuf *), void (*more_routes)(struct capbuf *))
{
	link_(c, RTM_NEWLINK, AF_UNSPEC, 1, "lo", ARPHRD_LOOPBACK, UP | IFF_LOOPBACK,
	      IF_OPER_UNKNOWN, NULL, mac_lo, MULTI);
	if (more_links)
		more_links(c);
	cap_done(c);
	cap_flush(c);
	addr(c, RTM_NEWADDR, AF_INET, 1, "127.0.0.1", 8, NULL, IFA_F_PERMANENT, RT_SCOPE_HOST,
	     MULTI);
	if (more_addrs)
		more_addrs(c);
	cap_done(c);
	cap_flush(c);
	if (more_routes)
		more_routes(c);
	cap_done(c);
	cap_flush(c);
	cap_sleep_ms(c, 500);
}

static void write_file(const char *dir, const char *name, struct capbuf *c)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(c->data, 1, c->len, f) != c->len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	cap_free(c);
}

/* NETLINK.md item 18: pppd connects. The address comes first (without a
 * peer, deleted, re-added with the peer), then the link goes up, then the
 * peer route and IPV6CP's link-local address. */
static void ppp_connect(const char *dir)
{
	struct capbuf c;

	cap_init(&c, T0);
	dump_lo(&c, NULL, NULL, NULL);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 7, "ppp0", ARPHRD_PPP, PPP, IF_OPER_DOWN, "ppp", NULL, 0);
	cap_flush(&c);
	addr(&c, RTM_NEWADDR, AF_INET, 7, "192.0.2.1", 32, NULL, IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	addr(&c, RTM_DELADDR, AF_INET, 7, "192.0.2.1", 32, NULL, IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	addr(&c, RTM_NEWADDR, AF_INET, 7, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 7, "ppp0", ARPHRD_PPP, PPP | UP, IF_OPER_UNKNOWN, "ppp",
	      NULL, 0);
	cap_flush(&c);
	route(&c, RTM_NEWROUTE, "192.0.2.2", 32, NULL, "192.0.2.1", 7, RTPROT_KERNEL,
	      NLM_F_CREATE | NLM_F_EXCL);
	cap_flush(&c);
	cap_sleep_ms(&c, 120);
	addr(&c, RTM_NEWADDR, AF_INET6, 7, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT,
	     RT_SCOPE_LINK, 0);
	cap_flush(&c);
	write_file(dir, "ppp-connect.pcap", &c);
}

static void ppp0_link(struct capbuf *c)
{
	link_(c, RTM_NEWLINK, AF_UNSPEC, 7, "ppp0", ARPHRD_PPP, PPP | UP, IF_OPER_UNKNOWN, "ppp",
	      NULL, MULTI);
}

static void ppp0_addrs(struct capbuf *c)
{
	addr(c, RTM_NEWADDR, AF_INET, 7, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, MULTI);
	addr(c, RTM_NEWADDR, AF_INET6, 7, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT,
	     RT_SCOPE_LINK, MULTI);
}

static void ppp0_routes(struct capbuf *c)
{
	route(c, RTM_NEWROUTE, "192.0.2.2", 32, NULL, "192.0.2.1", 7, RTPROT_KERNEL, MULTI);
	route(c, RTM_NEWROUTE, NULL, 0, NULL, NULL, 7, RTPROT_BOOT, MULTI);
}

/* NETLINK.md item 19: pppd disconnects (the capture starts connected, with
 * a default device route, as "defaultroute" sets). DELADDR inet, then
 * inet6, NEWLINK without IFF_UP, RTM_DELLINK 20 ms later; the IPv4 routes
 * go without a message. */
static void ppp_disconnect(const char *dir)
{
	struct capbuf c;

	cap_init(&c, T0);
	dump_lo(&c, ppp0_link, ppp0_addrs, ppp0_routes);
	addr(&c, RTM_DELADDR, AF_INET, 7, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	addr(&c, RTM_DELADDR, AF_INET6, 7, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT,
	     RT_SCOPE_LINK, 0);
	cap_flush(&c);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 7, "ppp0", ARPHRD_PPP, PPP, IF_OPER_DOWN, "ppp", NULL, 0);
	cap_flush(&c);
	cap_sleep_ms(&c, 20);
	link_(&c, RTM_DELLINK, AF_UNSPEC, 7, "ppp0", ARPHRD_PPP, PPP, IF_OPER_DOWN, "ppp", NULL, 0);
	cap_flush(&c);
	write_file(dir, "ppp-disconnect.pcap", &c);
}

static void eth0_up(struct capbuf *c)
{
	link_(c, RTM_NEWLINK, AF_UNSPEC, 2, "eth0", ARPHRD_ETHER, ETH | UP, IF_OPER_UP, NULL, mac_a,
	      MULTI);
}

static void eth0_addr(struct capbuf *c)
{
	addr(c, RTM_NEWADDR, AF_INET, 2, "198.51.100.2", 24, NULL, IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, MULTI);
}

static void eth0_routes(struct capbuf *c)
{
	route(c, RTM_NEWROUTE, "198.51.100.0", 24, NULL, "198.51.100.2", 2, RTPROT_KERNEL, MULTI);
	route(c, RTM_NEWROUTE, NULL, 0, "198.51.100.1", NULL, 2, RTPROT_STATIC, MULTI);
}

/* NETLINK.md item 27: "ip link set eth0 down" removes its IPv4 routes, the
 * default route included, without any RTM_DELROUTE. */
static void default_route_silent(const char *dir)
{
	struct capbuf c;

	cap_init(&c, T0);
	dump_lo(&c, eth0_up, eth0_addr, eth0_routes);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 2, "eth0", ARPHRD_ETHER, ETH, IF_OPER_DOWN, NULL, mac_a,
	      0);
	cap_flush(&c);
	write_file(dir, "default-route-silent.pcap", &c);
}

/* NETLINK.md items 22-23: an IPv6 address is usable only after duplicate
 * address detection; a duplicate never is; lifetime updates repeat it. */
static void ipv6_dad(const char *dir)
{
	struct capbuf c;

	cap_init(&c, T0);
	dump_lo(&c, eth0_up, NULL, NULL);
	addr(&c, RTM_NEWADDR, AF_INET6, 2, "2001:db8::1", 64, NULL,
	     IFA_F_TENTATIVE | IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	addr(&c, RTM_NEWADDR, AF_INET6, 2, "2001:db8::2", 64, NULL,
	     IFA_F_TENTATIVE | IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	cap_sleep_ms(&c, 1500);
	addr(&c, RTM_NEWADDR, AF_INET6, 2, "2001:db8::1", 64, NULL, IFA_F_PERMANENT,
	     RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	addr(&c, RTM_NEWADDR, AF_INET6, 2, "2001:db8::2", 64, NULL,
	     IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	cap_sleep_ms(&c, 1000);
	addr(&c, RTM_NEWADDR, AF_INET6, 2, "2001:db8::1", 64, NULL, 0, RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	addr(&c, RTM_NEWADDR, AF_INET6, 2, "2001:db8::1", 64, NULL, IFA_F_DEPRECATED,
	     RT_SCOPE_UNIVERSE, 0);
	cap_flush(&c);
	write_file(dir, "ipv6-dad.pcap", &c);
}

/* NETLINK.md item 12: a bridge port's AF_BRIDGE messages, RTM_DELLINK
 * included when it leaves the bridge, are no link events. */
static void bridge_port(const char *dir)
{
	struct capbuf c;

	cap_init(&c, T0);
	dump_lo(&c, NULL, NULL, NULL);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 3, "br0", ARPHRD_ETHER, ETH | UP, IF_OPER_UP, "bridge",
	      mac_b, 0);
	cap_flush(&c);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 4, "veth1", ARPHRD_ETHER, ETH | UP, IF_OPER_UP, "veth",
	      mac_a, 0);
	cap_flush(&c);
	link_(&c, RTM_NEWLINK, AF_BRIDGE, 4, "veth1", ARPHRD_ETHER, ETH | UP, IF_OPER_UP, NULL,
	      mac_a, 0);
	cap_flush(&c);
	cap_sleep_ms(&c, 300);
	link_(&c, RTM_DELLINK, AF_BRIDGE, 4, "veth1", ARPHRD_ETHER, ETH | UP, IF_OPER_UP, NULL,
	      mac_a, 0);
	cap_flush(&c);
	link_(&c, RTM_NEWLINK, AF_UNSPEC, 4, "veth1", ARPHRD_ETHER, ETH | UP, IF_OPER_UP, "veth",
	      mac_a, 0);
	cap_flush(&c);
	write_file(dir, "bridge-port.pcap", &c);
}

/* What an nlmon capture holds besides the events: "ip addr add"'s request
 * (NLM_F_REQUEST, its port id) and the kernel's ack, a copy of each
 * notification per listening socket, and other netlink families. Written
 * in the format tcpdump -i nlmon0 -w gives; not a real nlmon capture. */
static void nlmon_style(const char *dir)
{
	struct nl_addr_spec req = { .type = RTM_NEWADDR, .family = AF_INET, .ifindex = 2,
				    .prefixlen = 24, .local = "203.0.113.9",
				    .scope = RT_SCOPE_UNIVERSE, .portid = 4242 };
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} ack = { { sizeof(ack), NLMSG_ERROR, 0, 1, 4242 }, { 0, { 0, 0, 0, 0, 0 } } };
	struct capbuf c;
	struct nlmsghdr *nlh;

	cap_init(&c, T0);
	dump_lo(&c, eth0_up, NULL, NULL);
	nlh = nlb_addr(buf, &req);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = 1;
	cap_msg(&c, nlh, 0);
	cap_flush(&c);
	/* The notification, once for each of two listeners. */
	req.flags = IFA_F_PERMANENT;
	nlh = nlb_addr(buf, &req);
	cap_msg(&c, nlh, 0);
	cap_flush(&c);
	cap_msg(&c, nlh, 0);
	cap_flush(&c);
	cap_msg(&c, &ack.h, 0);
	cap_flush(&c);
	/* A generic netlink message (family 16) in the same capture. */
	cap_msg(&c, &ack.h, 0);
	cap_flush_as(&c, PCAP_PKTTYPE_OUTGOING, PCAP_ARPHRD_NETLINK, 16);
	write_file(dir, "nlmon-style.pcap", &c);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_captures DIR\n");
		return 2;
	}
	ppp_connect(argv[1]);
	ppp_disconnect(argv[1]);
	default_route_silent(argv[1]);
	ipv6_dad(argv[1]);
	bridge_port(argv[1]);
	nlmon_style(argv[1]);
	return 0;
}
