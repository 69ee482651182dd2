/* Purpose: parser tests: valid fields, malformed and truncated bytes, and a mutation loop. */
#include <net/if.h> /* before the linux/ headers, which defer to it */
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "classify.h"
#include "nlbuild.h"
#include "rtnl.h"
#include "unit.h"

static char buf[NLBUF_SIZE] __attribute__((aligned(8)));

static struct nlmsghdr *sample_link(void)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct nl_link_spec s = { .type = RTM_NEWLINK, .ifindex = 3, .name = "veth0",
				  .arphrd = ARPHRD_ETHER, .flags = IFF_UP, .operstate = IF_OPER_UP,
				  .mtu = 1400, .kind = "veth", .mac = mac, .mac_len = 6 };
	return nlb_link(buf, &s);
}

TEST(link_fields_are_parsed)
{
	struct rtnl_msg m;

	CHECK(rtnl_parse(sample_link(), &m) == RTNL_LINK);
	CHECK_STR(m.u.link.name, "veth0");
	CHECK_STR(m.u.link.kind, "veth");
	CHECK(m.u.link.mtu == 1400 && m.u.link.has_mtu);
	CHECK(m.u.link.operstate == IF_OPER_UP && m.u.link.mac_len == 6 && m.u.link.mac[5] == 1);
	CHECK(!m.u.link.deleted && m.u.link.ifindex == 3);
}

TEST(point_to_point_address_local_and_peer)
{
	struct nl_addr_spec s = { .type = RTM_NEWADDR, .family = AF_INET, .ifindex = 7,
				  .prefixlen = 32, .local = "192.0.2.1", .peer = "192.0.2.2",
				  .flags = IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE, .portid = 4242 };
	struct rtnl_msg m;
	char ip[IP_STRLEN];

	CHECK(rtnl_parse(nlb_addr(buf, &s), &m) == RTNL_ADDR);
	CHECK_STR(ip_format(&m.u.addr.local, ip), "192.0.2.1");
	CHECK_STR(ip_format(&m.u.addr.peer, ip), "192.0.2.2");
	/* Flags above 8 bits only exist in IFA_FLAGS. */
	CHECK(m.u.addr.flags & IFA_F_NOPREFIXROUTE);
	CHECK(m.u.addr.portid == 4242);
	s.peer = NULL;
	CHECK(rtnl_parse(nlb_addr(buf, &s), &m) == RTNL_ADDR);
	CHECK(m.u.addr.peer.family == 0);
}

TEST(truncated_header_is_malformed)
{
	struct nlmsghdr *nlh = sample_link();
	struct rtnl_msg m;

	nlh->nlmsg_len = NLMSG_HDRLEN + 4; /* shorter than struct ifinfomsg */
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
	nlh->nlmsg_len = 8; /* shorter than the netlink header itself */
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
}

TEST(attribute_running_past_the_message_is_malformed)
{
	struct nlmsghdr *nlh = sample_link();
	struct nlattr *first = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) +
						 MNL_ALIGN(sizeof(struct ifinfomsg)));
	struct rtnl_msg m;

	first->nla_len = 0xfff0;
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
	first->nla_len = 2; /* shorter than an attribute header */
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
}

TEST(name_without_terminator_or_too_long_is_malformed)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct rtnl_msg m;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put(nlh, IFLA_IFNAME, 5, "veth0"); /* no NUL */
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
	nlh->nlmsg_len = NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "a-name-longer-than-ifnamsiz");
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
}

TEST(wrong_address_length_is_malformed_and_unknown_attributes_are_skipped)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct rtnl_msg m;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 3;
	mnl_attr_put_u32(nlh, 200, 7); /* a type newer than our headers */
	mnl_attr_put(nlh, IFA_LOCAL, 4, "\xc0\x00\x02\x01");
	CHECK(rtnl_parse(nlh, &m) == RTNL_ADDR);
	mnl_attr_put(nlh, IFA_ADDRESS, 3, "\xc0\x00\x02");
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
}

TEST(impossible_prefix_length_is_malformed)
{
	struct nl_route_spec s = { .type = RTM_NEWROUTE, .family = AF_INET, .table = 254,
				   .dst = "192.0.2.0", .dst_len = 24, .oif = 3 };
	struct nlmsghdr *nlh = nlb_route(buf, &s);
	struct rtnl_msg m;

	CHECK(rtnl_parse(nlh, &m) == RTNL_ROUTE);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_dst_len = 33;
	CHECK(rtnl_parse(nlh, &m) == RTNL_MALFORMED);
}

TEST(other_message_types_are_ignored)
{
	struct nlmsghdr *nlh = sample_link();
	struct rtnl_msg m;

	nlh->nlmsg_type = RTM_NEWNEIGH;
	CHECK(rtnl_parse(nlh, &m) == RTNL_IGNORED);
}

static void discard(void *ctx, const struct event *ev)
{
	(void)ev;
	(*(unsigned *)ctx)++;
}

/* Deterministic mutations of valid messages through parse and classify:
 * under ASan and UBSan this finds any read past the input. */
TEST(mutated_messages_never_crash)
{
	struct classify c;
	unsigned events = 0, malformed = 0;
	uint32_t seed = 12345;
	char work[NLBUF_SIZE] __attribute__((aligned(8)));

	classify_init(&c, discard, &events, 100);
	for (int i = 0; i < 30000; i++) {
		struct nlmsghdr *nlh;
		int kind = i % 3;
		if (kind == 0) {
			nlh = sample_link();
		} else if (kind == 1) {
			struct nl_addr_spec s = { .type = RTM_NEWADDR, .family = AF_INET6,
						  .ifindex = 3, .prefixlen = 64,
						  .local = "2001:db8::1", .peer = "2001:db8::2" };
			nlh = nlb_addr(buf, &s);
		} else {
			struct nl_route_spec s = { .type = RTM_NEWROUTE, .family = AF_INET,
						   .table = 254, .gateway = "192.0.2.1",
						   .oif = 3, .metric = 5 };
			nlh = nlb_route(buf, &s);
		}
		uint32_t len = nlh->nlmsg_len;
		memcpy(work, buf, sizeof(work));
		for (int flips = 0; flips < 1 + i % 4; flips++) {
			seed = seed * 1103515245u + 12345u;
			work[(seed >> 8) % len] = (char)(seed >> 24);
		}
		struct nlmsghdr *m_nlh = (struct nlmsghdr *)work;
		/* The socket layer guarantees nlmsg_len fits what was received. */
		if (m_nlh->nlmsg_len > len)
			m_nlh->nlmsg_len = len;
		struct rtnl_msg m;
		/* A fresh cache now and then: the mutations would otherwise pile
		 * thousands of addresses onto one link, which no kernel does. */
		if (i % 500 == 0) {
			classify_free(&c);
			classify_init(&c, discard, &events, 100);
		}
		if (rtnl_parse(m_nlh, &m) == RTNL_MALFORMED)
			malformed++;
		else
			classify_msg(&c, &m, 1000 + (uint64_t)i);
		classify_tick(&c, 1000 + (uint64_t)i);
	}
	CHECK(malformed > 0);
	CHECK(events > 0);
	classify_free(&c);
}
