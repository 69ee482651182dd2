/* Purpose: validates rtnetlink messages and copies their attributes into plain structs. */
#include "rtnl.h"

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

/* libmnl's attribute accessors, here so that they inline: they are called
 * for every attribute read, and a call into the library costs more. The
 * length is valid: attrs_parse (or the nested walks) checked it. */
static inline uint16_t attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline uint16_t attr_len(const struct nlattr *a)
{
	return (uint16_t)(a->nla_len - NLA_HDRLEN);
}

static inline const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

/* Walks the attributes after a fixed header; fails if any attribute's length
 * is impossible, so truncated or corrupt input is counted, never read past.
 * Types above max are skipped: newer than our headers, or never read. */
static bool attrs_parse(const struct nlmsghdr *nlh, size_t hdrlen,
			const struct nlattr **tb, unsigned max)
{
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	size_t offset = MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < NLMSG_HDRLEN || payload < hdrlen)
		return false;
	memset(tb, 0, sizeof(*tb) * (max + 1));
	const char *start = (const char *)mnl_nlmsg_get_payload(nlh);
	if (offset > payload)
		return payload == hdrlen; /* no room for attributes at all */
	/* Every message walks all of its attributes (a veth's RTM_NEWLINK has
	 * some 30). */
	while (offset + sizeof(struct nlattr) <= payload) {
		const struct nlattr *attr = (const struct nlattr *)(start + offset);
		size_t len = attr->nla_len;
		unsigned type = attr_type(attr);

		if (len < sizeof(struct nlattr) || len > payload - offset)
			return false;
		if (type <= max)
			tb[type] = attr;
		offset += MNL_ALIGN(len);
	}
	/* The last attribute may lack its padding; a partial header may not be. */
	return offset >= payload;
}

static bool attr_u32(const struct nlattr *a, uint32_t *out)
{
	if (!a)
		return true;
	if (attr_len(a) < sizeof(uint32_t))
		return false;
	memcpy(out, attr_data(a), sizeof(*out));
	return true;
}

static bool attr_ip(const struct nlattr *a, uint8_t family, struct ipaddr *out)
{
	unsigned len = ip_addr_len(family);

	if (!a)
		return true;
	if (len == 0 || attr_len(a) != len)
		return false;
	out->family = family;
	memcpy(out->bytes, attr_data(a), len);
	return true;
}

/* Copies a string attribute, which the kernel NUL-terminates; a missing or
 * misplaced NUL is malformed rather than something to read past. */
static bool attr_str(const struct nlattr *a, char *out, size_t size)
{
	const char *s;
	size_t len;

	if (!a)
		return true;
	s = attr_data(a);
	len = attr_len(a);
	size_t n = strnlen(s, len);
	if (n == len || n >= size)
		return false;
	memcpy(out, s, n + 1);
	return true;
}

/* The highest link attribute parse_link reads: IFLA_MAX is over 60, and a
 * table that size is cleared for every link message. */
#define LINK_ATTR_MAX IFLA_LINKINFO

static enum rtnl_kind parse_link(const struct nlmsghdr *nlh, struct rtnl_link *l)
{
	const struct nlattr *tb[LINK_ATTR_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (!attrs_parse(nlh, sizeof(*ifi), tb, LINK_ATTR_MAX))
		return RTNL_MALFORMED;
	memset(l, 0, sizeof(*l));
	l->deleted = nlh->nlmsg_type == RTM_DELLINK;
	l->family = ifi->ifi_family;
	l->ifindex = ifi->ifi_index;
	l->type = ifi->ifi_type;
	l->flags = ifi->ifi_flags;
	if (l->ifindex <= 0)
		return RTNL_MALFORMED;
	if (tb[IFLA_IFNAME]) {
		if (!attr_str(tb[IFLA_IFNAME], l->name, sizeof(l->name)))
			return RTNL_MALFORMED;
		l->has_name = true;
	}
	if (tb[IFLA_MTU]) {
		if (!attr_u32(tb[IFLA_MTU], &l->mtu))
			return RTNL_MALFORMED;
		l->has_mtu = true;
	}
	if (tb[IFLA_OPERSTATE]) {
		if (attr_len(tb[IFLA_OPERSTATE]) < 1)
			return RTNL_MALFORMED;
		l->operstate = *(const uint8_t *)attr_data(tb[IFLA_OPERSTATE]);
		l->has_operstate = true;
	}
	if (tb[IFLA_ADDRESS]) {
		size_t n = attr_len(tb[IFLA_ADDRESS]);
		if (n > sizeof(l->mac))
			return RTNL_MALFORMED;
		l->mac_len = (uint8_t)n;
		memcpy(l->mac, attr_data(tb[IFLA_ADDRESS]), n);
	}
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *info = tb[IFLA_LINKINFO], *a;
		size_t left = attr_len(info);
		a = attr_data(info);
		/* Nested attributes get the same length checks as top-level ones. */
		while (left >= sizeof(struct nlattr)) {
			if (a->nla_len < sizeof(struct nlattr) || a->nla_len > left)
				return RTNL_MALFORMED;
			if (attr_type(a) == IFLA_INFO_KIND &&
			    !attr_str(a, l->kind, sizeof(l->kind)))
				return RTNL_MALFORMED;
			size_t step = MNL_ALIGN(a->nla_len);
			if (step >= left)
				break;
			left -= step;
			a = (const struct nlattr *)((const char *)a + step);
		}
	}
	return RTNL_LINK;
}

static enum rtnl_kind parse_addr(const struct nlmsghdr *nlh, struct rtnl_addr *a)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct ipaddr address = { 0 }, local = { 0 };

	if (!attrs_parse(nlh, sizeof(*ifa), tb, IFA_MAX))
		return RTNL_MALFORMED;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return RTNL_IGNORED;
	memset(a, 0, sizeof(*a));
	a->deleted = nlh->nlmsg_type == RTM_DELADDR;
	a->family = ifa->ifa_family;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->ifindex = (int)ifa->ifa_index;
	a->flags = ifa->ifa_flags;
	a->portid = nlh->nlmsg_pid;
	if (a->prefixlen > ip_addr_len(a->family) * 8 || a->ifindex <= 0)
		return RTNL_MALFORMED;
	/* The 8-bit ifa_flags cannot hold newer flags; IFA_FLAGS has them all. */
	if (!attr_u32(tb[IFA_FLAGS], &a->flags) ||
	    !attr_ip(tb[IFA_ADDRESS], a->family, &address) ||
	    !attr_ip(tb[IFA_LOCAL], a->family, &local))
		return RTNL_MALFORMED;
	/* IFA_LOCAL is our address; on a point-to-point link IFA_ADDRESS is the
	 * peer. IPv6 often sends only IFA_ADDRESS, which is then ours. */
	if (local.family) {
		a->local = local;
		if (address.family && !ip_equal(&address, &local))
			a->peer = address;
	} else if (address.family) {
		a->local = address;
	} else {
		return RTNL_MALFORMED;
	}
	return RTNL_ADDR;
}

static bool parse_multipath(const struct nlattr *mp, uint8_t family, struct rtnl_route *r)
{
	size_t left = attr_len(mp);
	const struct rtnexthop *nh = attr_data(mp);

	if (left < sizeof(*nh) || nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
		return false;
	r->oif = nh->rtnh_ifindex;
	/* The first nexthop's attributes follow its header; only the gateway matters. */
	size_t alen = nh->rtnh_len - RTNH_ALIGN(sizeof(*nh));
	const struct nlattr *a = (const struct nlattr *)RTNH_DATA(nh);
	if (nh->rtnh_len < RTNH_ALIGN(sizeof(*nh)))
		return true;
	while (alen >= sizeof(struct nlattr)) {
		if (a->nla_len < sizeof(struct nlattr) || a->nla_len > alen)
			return false;
		if (attr_type(a) == RTA_GATEWAY && !attr_ip(a, family, &r->gateway))
			return false;
		size_t step = MNL_ALIGN(a->nla_len);
		if (step >= alen)
			break;
		alen -= step;
		a = (const struct nlattr *)((const char *)a + step);
	}
	return true;
}

static enum rtnl_kind parse_route(const struct nlmsghdr *nlh, struct rtnl_route *r)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	uint32_t oif = 0;

	if (!attrs_parse(nlh, sizeof(*rtm), tb, RTA_MAX))
		return RTNL_MALFORMED;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return RTNL_IGNORED;
	memset(r, 0, sizeof(*r));
	r->deleted = nlh->nlmsg_type == RTM_DELROUTE;
	/* The kernel's notification of "ip route replace/change" carries
	 * NLM_F_REPLACE: the only way to tell a change from an addition. */
	r->replace = !r->deleted && (nlh->nlmsg_flags & NLM_F_REPLACE);
	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->tos = rtm->rtm_tos;
	r->protocol = rtm->rtm_protocol;
	r->type = rtm->rtm_type;
	r->rtm_flags = rtm->rtm_flags;
	r->table = rtm->rtm_table; /* 8 bits: RTA_TABLE below has the real one */
	r->portid = nlh->nlmsg_pid;
	r->dst.family = r->family;
	if (r->dst_len > ip_addr_len(r->family) * 8)
		return RTNL_MALFORMED;
	if (!attr_u32(tb[RTA_TABLE], &r->table) || !attr_ip(tb[RTA_DST], r->family, &r->dst) ||
	    !attr_ip(tb[RTA_GATEWAY], r->family, &r->gateway) ||
	    !attr_ip(tb[RTA_PREFSRC], r->family, &r->prefsrc) ||
	    !attr_u32(tb[RTA_OIF], &oif) || !attr_u32(tb[RTA_PRIORITY], &r->metric) ||
	    !attr_u32(tb[RTA_NH_ID], &r->nh_id))
		return RTNL_MALFORMED;
	r->oif = (int)oif;
	if (tb[RTA_VIA]) {
		/* An IPv4 route through an IPv6 gateway (RFC 5549). */
		const struct rtvia *via = attr_data(tb[RTA_VIA]);
		size_t n = attr_len(tb[RTA_VIA]);
		if (n < sizeof(*via) || n - sizeof(*via) != ip_addr_len(via->rtvia_family))
			return RTNL_MALFORMED;
		r->gateway.family = (uint8_t)via->rtvia_family;
		memcpy(r->gateway.bytes, via->rtvia_addr, n - sizeof(*via));
	}
	if (tb[RTA_MULTIPATH]) {
		r->multipath = true;
		if (!parse_multipath(tb[RTA_MULTIPATH], r->family, r))
			return RTNL_MALFORMED;
	}
	return RTNL_ROUTE;
}

enum rtnl_kind rtnl_parse(const struct nlmsghdr *nlh, struct rtnl_msg *out)
{
	enum rtnl_kind kind;

	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return out->kind = RTNL_MALFORMED;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		kind = parse_link(nlh, &out->u.link);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		kind = parse_addr(nlh, &out->u.addr);
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		kind = parse_route(nlh, &out->u.route);
		break;
	default:
		kind = RTNL_IGNORED;
	}
	return out->kind = kind;
}
