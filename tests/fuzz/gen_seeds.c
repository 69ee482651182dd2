/* Purpose: writes the netlink fuzz seeds (real message sequences built with
 * tests/unit/nlbuild.c, plus the harness's control messages) into a directory. */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_netlink.h"
#include "nlbuild.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#define UP_RUNNING (IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST | IFF_MULTICAST)
#define DOWN_FLAGS (IFF_BROADCAST | IFF_MULTICAST)
#define PPP_FLAGS (IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST)
#define PPP_UP (PPP_FLAGS | IFF_UP | IFF_RUNNING | IFF_LOWER_UP)

/* One seed: messages appended back to back, as in one datagram. */
struct seed {
	char data[8192];
	size_t len;
};

static char msgbuf[NLBUF_SIZE] __attribute__((aligned(8)));
static const char *outdir;

static void put(struct seed *s, const struct nlmsghdr *nlh)
{
	size_t n = NLMSG_ALIGN(nlh->nlmsg_len);

	if (s->len + n > sizeof(s->data)) {
		fprintf(stderr, "gen_seeds: seed too large\n");
		exit(1);
	}
	memcpy(s->data + s->len, nlh, nlh->nlmsg_len);
	memset(s->data + s->len + nlh->nlmsg_len, 0, n - nlh->nlmsg_len);
	s->len += n;
}

static void save(struct seed *s, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->data, 1, s->len, f) != s->len || fclose(f) != 0) {
		fprintf(stderr, "gen_seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	s->len = 0;
}

/* A harness control message: just a header, its argument in nlmsg_seq. */
static void ctl(struct seed *s, uint16_t type, uint32_t arg)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = type, .nlmsg_seq = arg };

	put(s, &h);
}

static void link_msg(struct seed *s, uint16_t type, int ifindex, const char *name,
		     uint32_t flags, uint8_t oper, const char *kind)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	struct nl_link_spec l = { .type = type, .ifindex = ifindex, .name = name,
				  .arphrd = ARPHRD_ETHER, .flags = flags, .operstate = oper,
				  .kind = kind, .mac = mac, .mac_len = 6 };

	put(s, nlb_link(msgbuf, &l));
}

static void ppp_msg(struct seed *s, uint16_t type, int ifindex, uint32_t flags, uint8_t oper)
{
	struct nl_link_spec l = { .type = type, .ifindex = ifindex, .name = "ppp0",
				  .arphrd = ARPHRD_PPP, .flags = flags, .operstate = oper,
				  .mtu = 1492, .kind = "ppp" };

	put(s, nlb_link(msgbuf, &l));
}

static void addr_msg(struct seed *s, uint16_t type, uint8_t family, int ifindex,
		     const char *local, uint8_t plen, const char *peer, uint32_t flags)
{
	struct nl_addr_spec a = { .type = type, .family = family, .ifindex = ifindex,
				  .prefixlen = plen, .local = local, .peer = peer,
				  .flags = flags, .scope = RT_SCOPE_UNIVERSE };

	put(s, nlb_addr(msgbuf, &a));
}

static struct nlmsghdr *route(uint16_t type, uint16_t nlflags, uint8_t family, const char *dst,
			      uint8_t len, const char *gw, int oif, uint32_t table)
{
	struct nl_route_spec r = { .type = type, .nlflags = nlflags, .family = family,
				   .table = table, .dst = dst, .dst_len = len, .gateway = gw,
				   .oif = oif, .protocol = RTPROT_BOOT };

	return nlb_route(msgbuf, &r);
}

static void veth_up(struct seed *s, int ifindex, const char *name)
{
	link_msg(s, RTM_NEWLINK, ifindex, name, UP_RUNNING, IF_OPER_UP, "veth");
}

/* ---- links ---- */

static void seed_links(void)
{
	struct seed s = { .len = 0 };

	link_msg(&s, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	veth_up(&s, 3, "veth0");
	veth_up(&s, 3, "veth0"); /* a repeat is silent */
	/* Carrier loss: UP stays, RUNNING and LOWER_UP go. */
	link_msg(&s, RTM_NEWLINK, 3, "veth0", IFF_UP | DOWN_FLAGS, IF_OPER_LOWERLAYERDOWN, "veth");
	veth_up(&s, 3, "veth0");
	link_msg(&s, RTM_DELLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	save(&s, "link-lifecycle");

	veth_up(&s, 4, "eth0");
	veth_up(&s, 4, "wan0"); /* rename: same index, new name */
	link_msg(&s, RTM_NEWLINK, 4, "wan0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	link_msg(&s, RTM_NEWLINK, 5, "br0", UP_RUNNING, IF_OPER_UP, "bridge");
	save(&s, "link-rename");

	/* NETLINK.md item 12: bridge-port messages are AF_BRIDGE. */
	link_msg(&s, RTM_NEWLINK, 5, "br0", UP_RUNNING, IF_OPER_UP, "bridge");
	veth_up(&s, 6, "veth1");
	struct nl_link_spec port = { .type = RTM_NEWLINK, .family = AF_BRIDGE, .ifindex = 6,
				     .name = "veth1", .arphrd = ARPHRD_ETHER,
				     .flags = UP_RUNNING, .operstate = IF_OPER_UP };
	put(&s, nlb_link(msgbuf, &port));
	port.type = RTM_DELLINK;
	put(&s, nlb_link(msgbuf, &port));
	save(&s, "bridge-port");
}

/* ---- addresses ---- */

static void seed_addrs(void)
{
	struct seed s = { .len = 0 };

	veth_up(&s, 3, "veth0");
	addr_msg(&s, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(&s, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, 0); /* lifetime update */
	addr_msg(&s, RTM_NEWADDR, AF_INET, 3, "198.51.100.7", 32, "198.51.100.8", IFA_F_PERMANENT);
	addr_msg(&s, RTM_DELADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(&s, RTM_DELADDR, AF_INET, 3, "198.51.100.7", 32, "198.51.100.8", IFA_F_PERMANENT);
	save(&s, "addr-ipv4");

	/* NETLINK.md item 22: tentative, then usable after DAD; a duplicate fails. */
	veth_up(&s, 3, "veth0");
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL,
		 IFA_F_PERMANENT | IFA_F_TENTATIVE);
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, IFA_F_PERMANENT);
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 3, "fe80::1", 64, NULL, IFA_F_PERMANENT);
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 3, "2001:db8::2", 64, NULL,
		 IFA_F_TENTATIVE | IFA_F_DADFAILED);
	/* Item 24: link down removes the IPv6 addresses. */
	link_msg(&s, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	addr_msg(&s, RTM_DELADDR, AF_INET6, 3, "2001:db8::1", 64, NULL, IFA_F_PERMANENT);
	addr_msg(&s, RTM_DELADDR, AF_INET6, 3, "fe80::1", 64, NULL, IFA_F_PERMANENT);
	link_msg(&s, RTM_DELLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	save(&s, "addr-ipv6-dad");
}

/* ---- routes ---- */

static void seed_routes(void)
{
	struct seed s = { .len = 0 };

	veth_up(&s, 3, "veth0");
	addr_msg(&s, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	put(&s, route(RTM_NEWROUTE, 0, AF_INET, "192.0.2.0", 24, NULL, 3, RT_TABLE_MAIN));
	put(&s, route(RTM_NEWROUTE, 0, AF_INET, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN));
	/* "ip route replace": NLM_F_REPLACE, a new gateway. */
	put(&s, route(RTM_NEWROUTE, NLM_F_REPLACE, AF_INET, NULL, 0, "192.0.2.253", 3,
		      RT_TABLE_MAIN));
	put(&s, route(RTM_NEWROUTE, 0, AF_INET, "192.0.2.1", 32, NULL, 3, RT_TABLE_LOCAL));
	put(&s, route(RTM_NEWROUTE, 0, AF_INET, "203.0.113.0", 24, "192.0.2.9", 3, 1000));
	put(&s, route(RTM_DELROUTE, 0, AF_INET, "203.0.113.0", 24, "192.0.2.9", 3, 1000));
	/* Item 27: admin down drops the IPv4 routes without RTM_DELROUTE. */
	link_msg(&s, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	save(&s, "routes-ipv4");

	veth_up(&s, 3, "veth0");
	veth_up(&s, 4, "veth1");
	put(&s, route(RTM_NEWROUTE, 0, AF_INET6, "fe80::", 64, NULL, 3, RT_TABLE_MAIN));
	put(&s, route(RTM_NEWROUTE, 0, AF_INET6, "fe80::", 64, NULL, 4, RT_TABLE_MAIN));
	put(&s, route(RTM_NEWROUTE, 0, AF_INET6, NULL, 0, "fe80::1", 3, RT_TABLE_MAIN));
	put(&s, route(RTM_DELROUTE, 0, AF_INET6, NULL, 0, "fe80::1", 3, RT_TABLE_MAIN));
	link_msg(&s, RTM_DELLINK, 4, "veth1", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	save(&s, "routes-ipv6");

	/* Item 28: multipath, a nexthop object, and an IPv6 gateway for IPv4. */
	veth_up(&s, 3, "veth0");
	veth_up(&s, 4, "veth1");
	struct nlmsghdr *nlh = route(RTM_NEWROUTE, 0, AF_INET, "198.51.100.0", 24, NULL, 0,
				     RT_TABLE_MAIN);
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (int i = 0; i < 2; i++) {
		struct rtnexthop *nh = mnl_nlmsg_get_payload_tail(nlh);
		uint8_t gw[4] = { 192, 0, 2, (uint8_t)(10 + i) };

		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = 3 + i;
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*nh));
		mnl_attr_put(nlh, RTA_GATEWAY, sizeof(gw), gw);
		nh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) -
						(char *)nh);
	}
	mnl_attr_nest_end(nlh, mp);
	put(&s, nlh);
	nlh = route(RTM_NEWROUTE, 0, AF_INET, "198.51.100.128", 25, NULL, 3, RT_TABLE_MAIN);
	mnl_attr_put_u32(nlh, RTA_NH_ID, 17);
	put(&s, nlh);
	nlh = route(RTM_NEWROUTE, 0, AF_INET, "203.0.113.0", 24, NULL, 4, RT_TABLE_MAIN);
	struct {
		struct rtvia via;
		uint8_t addr[16];
	} via = { .via.rtvia_family = AF_INET6 };
	inet_pton(AF_INET6, "fe80::2", via.addr);
	mnl_attr_put(nlh, RTA_VIA, sizeof(via.via) + 16, &via);
	put(&s, nlh);
	link_msg(&s, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	save(&s, "routes-multipath");
}

/* ---- PPP (NETLINK.md items 18 and 19, as pppd 2.4.9 does it) ---- */

static void pppd_connect(struct seed *s, int ifindex)
{
	ppp_msg(s, RTM_NEWLINK, ifindex, PPP_FLAGS, IF_OPER_DOWN);
	addr_msg(s, RTM_NEWADDR, AF_INET, ifindex, "192.0.2.1", 32, NULL, IFA_F_PERMANENT);
	addr_msg(s, RTM_DELADDR, AF_INET, ifindex, "192.0.2.1", 32, NULL, IFA_F_PERMANENT);
	addr_msg(s, RTM_NEWADDR, AF_INET, ifindex, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT);
	ppp_msg(s, RTM_NEWLINK, ifindex, PPP_UP, IF_OPER_UNKNOWN);
	struct nl_route_spec peer = { .type = RTM_NEWROUTE, .family = AF_INET,
				      .table = RT_TABLE_MAIN, .dst = "192.0.2.2", .dst_len = 32,
				      .prefsrc = "192.0.2.1", .oif = ifindex,
				      .protocol = RTPROT_KERNEL };
	put(s, nlb_route(msgbuf, &peer));
	addr_msg(s, RTM_NEWADDR, AF_INET6, ifindex, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
}

static void pppd_disconnect(struct seed *s, int ifindex)
{
	addr_msg(s, RTM_DELADDR, AF_INET, ifindex, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT);
	addr_msg(s, RTM_DELADDR, AF_INET6, ifindex, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	ppp_msg(s, RTM_NEWLINK, ifindex, PPP_FLAGS, IF_OPER_DOWN);
	ctl(s, FZ_CLOCK, 20); /* RTM_DELLINK follows 4-35 ms later */
	ppp_msg(s, RTM_DELLINK, ifindex, PPP_FLAGS, IF_OPER_DOWN);
}

static void seed_ppp(void)
{
	struct seed s = { .len = 0 };

	pppd_connect(&s, 7);
	save(&s, "ppp-connect");

	pppd_connect(&s, 7);
	pppd_disconnect(&s, 7);
	save(&s, "ppp-disconnect");

	pppd_connect(&s, 7);
	pppd_disconnect(&s, 7);
	pppd_connect(&s, 8); /* same name, new ifindex */
	ppp_msg(&s, RTM_DELLINK, 8, PPP_UP, IF_OPER_UNKNOWN); /* pppd killed */
	save(&s, "ppp-reconnect");

	/* IPv6 only: ppp-connect once the wait for IPv4 has passed. */
	ctl(&s, FZ_SET_WAIT, 3000);
	ppp_msg(&s, RTM_NEWLINK, 9, PPP_UP, IF_OPER_UNKNOWN);
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 9, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	ctl(&s, FZ_CLOCK, 3500);
	addr_msg(&s, RTM_DELADDR, AF_INET6, 9, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	ppp_msg(&s, RTM_DELLINK, 9, PPP_FLAGS, IF_OPER_DOWN);
	save(&s, "ppp-ipv6-only");

	/* IPv4 arrives during the wait, and no wait at all. */
	ppp_msg(&s, RTM_NEWLINK, 9, PPP_UP, IF_OPER_UNKNOWN);
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 9, "fe80::1", 128, "fe80::2", IFA_F_PERMANENT);
	ctl(&s, FZ_CLOCK, 1000);
	addr_msg(&s, RTM_NEWADDR, AF_INET, 9, "192.0.2.1", 32, "192.0.2.2", IFA_F_PERMANENT);
	ctl(&s, FZ_SET_WAIT, 0);
	ppp_msg(&s, RTM_NEWLINK, 10, PPP_UP, IF_OPER_UNKNOWN);
	addr_msg(&s, RTM_NEWADDR, AF_INET6, 10, "fe80::3", 128, NULL, IFA_F_PERMANENT);
	save(&s, "ppp-ipv4-during-wait");
}

/* ---- resync and startup ---- */

static void seed_sync(void)
{
	struct seed s = { .len = 0 };

	/* Startup with startup_events = no: the first dump fills silently. */
	ctl(&s, FZ_SET_MODE, FZ_MODE_SILENT | FZ_MODE_STARTUP);
	veth_up(&s, 3, "veth0");
	addr_msg(&s, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	ctl(&s, FZ_SET_MODE, 0);
	veth_up(&s, 4, "veth1");
	save(&s, "startup-silent");

	/* After an overrun: re-dump each class and sweep what was not seen. */
	veth_up(&s, 3, "veth0");
	veth_up(&s, 4, "veth1");
	addr_msg(&s, RTM_NEWADDR, AF_INET, 3, "192.0.2.1", 24, NULL, IFA_F_PERMANENT);
	addr_msg(&s, RTM_NEWADDR, AF_INET, 4, "198.51.100.1", 24, NULL, IFA_F_PERMANENT);
	put(&s, route(RTM_NEWROUTE, 0, AF_INET, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN));
	put(&s, route(RTM_NEWROUTE, 0, AF_INET, "203.0.113.0", 24, "198.51.100.9", 4,
		      RT_TABLE_MAIN));
	ctl(&s, FZ_SYNC_BEGIN, FZ_SYNC_LINKS);
	link_msg(&s, RTM_NEWLINK, 3, "veth0", DOWN_FLAGS, IF_OPER_DOWN, "veth");
	ctl(&s, FZ_SYNC_END, 0);
	ctl(&s, FZ_SYNC_BEGIN, FZ_SYNC_ADDRS);
	ctl(&s, FZ_SYNC_END, 0);
	ctl(&s, FZ_SYNC_BEGIN, FZ_SYNC_ROUTES);
	ctl(&s, FZ_SYNC_END, 0);
	save(&s, "resync");
}

/* Just a name and flags: the smallest link message that creates a link. */
static void bare_link(struct seed *s, uint16_t type, int ifindex, uint32_t flags)
{
	char name[IF_NAMESIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	ifi->ifi_type = ARPHRD_ETHER;
	ifi->ifi_flags = flags;
	snprintf(name, sizeof(name), "v%d", ifindex);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	put(s, nlh);
}

/* More links than the cache's first hash table holds (64 buckets), within
 * libFuzzer's default 4 KiB: some go, then a resync finds every third. */
static void seed_many(void)
{
	struct seed s = { .len = 0 };

	for (int i = 1; i <= 70; i++)
		bare_link(&s, RTM_NEWLINK, i, i % 2 ? UP_RUNNING : DOWN_FLAGS);
	for (int i = 5; i <= 70; i += 10)
		bare_link(&s, RTM_DELLINK, i, DOWN_FLAGS);
	ctl(&s, FZ_SYNC_BEGIN, FZ_SYNC_LINKS);
	for (int i = 3; i <= 70; i += 3)
		bare_link(&s, RTM_NEWLINK, i, UP_RUNNING);
	ctl(&s, FZ_SYNC_END, 0);
	save(&s, "many-links");
}

/* ---- what the parser must refuse or skip ---- */

static void seed_odd(void)
{
	struct seed s = { .len = 0 };
	struct nlmsghdr *nlh;

	veth_up(&s, 3, "veth0");
	/* Not link, address or route: ignored. */
	nlh = route(RTM_NEWROUTE, 0, AF_INET, NULL, 0, "192.0.2.254", 3, RT_TABLE_MAIN);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	put(&s, nlh);
	/* Header shorter than struct ifinfomsg. */
	nlh = nlb_link(msgbuf, &(struct nl_link_spec){ .type = RTM_NEWLINK, .ifindex = 3,
						       .name = "veth0" });
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	put(&s, nlh);
	/* An attribute whose length runs past the message. */
	nlh = nlb_link(msgbuf, &(struct nl_link_spec){ .type = RTM_NEWLINK, .ifindex = 3,
						       .name = "veth0" });
	((struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) +
			   MNL_ALIGN(sizeof(struct ifinfomsg))))->nla_len = 0x7ff0;
	put(&s, nlh);
	/* An unknown attribute type is skipped. */
	nlh = nlb_link(msgbuf, &(struct nl_link_spec){ .type = RTM_NEWLINK, .ifindex = 3,
						       .name = "veth0" });
	mnl_attr_put_u32(nlh, 0x3ff, 1);
	put(&s, nlh);
	ctl(&s, NLMSG_ERROR, 0);
	/* The last message claims more than is left: the walk stops there. */
	veth_up(&s, 5, "veth5");
	s.len -= 8;
	save(&s, "odd-messages");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	seed_links();
	seed_addrs();
	seed_routes();
	seed_ppp();
	seed_sync();
	seed_many();
	seed_odd();
	return 0;
}
