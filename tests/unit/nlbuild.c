/* Purpose: assembles link, address and route messages with libmnl for the tests. */
#include "nlbuild.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

static void put_ip(struct nlmsghdr *nlh, uint16_t attr, uint8_t family, const char *text)
{
	unsigned char bytes[16];

	if (inet_pton(family, text, bytes) == 1)
		mnl_attr_put(nlh, attr, family == AF_INET ? 4 : 16, bytes);
}

struct nlmsghdr *nlb_link(char *buf, const struct nl_link_spec *s)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(buf, 0, NLBUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = s->type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = s->family;
	ifi->ifi_index = s->ifindex;
	ifi->ifi_type = s->arphrd;
	ifi->ifi_flags = s->flags;
	if (s->name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, s->name);
	mnl_attr_put_u32(nlh, IFLA_MTU, s->mtu ? s->mtu : 1500);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, s->operstate);
	if (s->mac_len)
		mnl_attr_put(nlh, IFLA_ADDRESS, s->mac_len, s->mac);
	if (s->kind) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, s->kind);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

struct nlmsghdr *nlb_addr(char *buf, const struct nl_addr_spec *s)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	memset(buf, 0, NLBUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = s->type;
	nlh->nlmsg_pid = s->portid;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = s->family;
	ifa->ifa_prefixlen = s->prefixlen;
	ifa->ifa_flags = (uint8_t)s->flags;
	ifa->ifa_scope = s->scope;
	ifa->ifa_index = (uint32_t)s->ifindex;
	if (s->family == AF_INET) {
		/* IPv4: IFA_LOCAL is ours, IFA_ADDRESS the peer (or ours again). */
		put_ip(nlh, IFA_ADDRESS, s->family, s->peer ? s->peer : s->local);
		put_ip(nlh, IFA_LOCAL, s->family, s->local);
	} else if (s->peer) {
		put_ip(nlh, IFA_ADDRESS, s->family, s->peer);
		put_ip(nlh, IFA_LOCAL, s->family, s->local);
	} else {
		put_ip(nlh, IFA_ADDRESS, s->family, s->local);
	}
	mnl_attr_put_u32(nlh, IFA_FLAGS, s->flags);
	return nlh;
}

struct nlmsghdr *nlb_route(char *buf, const struct nl_route_spec *s)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	memset(buf, 0, NLBUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = s->type;
	nlh->nlmsg_flags = s->nlflags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = s->family;
	rtm->rtm_dst_len = s->dst ? s->dst_len : 0;
	rtm->rtm_table = s->table < 256 ? (uint8_t)s->table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = s->protocol;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = s->rtype ? s->rtype : RTN_UNICAST;
	rtm->rtm_flags = s->rtm_flags;
	mnl_attr_put_u32(nlh, RTA_TABLE, s->table);
	if (s->dst)
		put_ip(nlh, RTA_DST, s->family, s->dst);
	if (s->gateway)
		put_ip(nlh, RTA_GATEWAY, s->family, s->gateway);
	if (s->prefsrc)
		put_ip(nlh, RTA_PREFSRC, s->family, s->prefsrc);
	if (s->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)s->oif);
	if (s->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, s->metric);
	return nlh;
}
