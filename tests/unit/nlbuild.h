/* Purpose: builds rtnetlink message bytes for unit tests, as the kernel would send them. */
#ifndef IFHOOKD_NLBUILD_H
#define IFHOOKD_NLBUILD_H

#include <linux/netlink.h>
#include <stdint.h>

#define NLBUF_SIZE 4096

struct nl_link_spec {
	uint16_t type;   /* RTM_NEWLINK / RTM_DELLINK */
	uint8_t family;  /* AF_UNSPEC, or AF_BRIDGE for a bridge port */
	int ifindex;
	const char *name;
	uint16_t arphrd;
	uint32_t flags;
	uint8_t operstate;
	uint32_t mtu;
	const char *kind; /* NULL: no IFLA_LINKINFO */
	const uint8_t *mac;
	unsigned mac_len;
};

struct nl_addr_spec {
	uint16_t type; /* RTM_NEWADDR / RTM_DELADDR */
	uint8_t family;
	int ifindex;
	uint8_t prefixlen;
	const char *local;
	const char *peer; /* NULL: IFA_ADDRESS = local (or only IFA_ADDRESS for IPv6) */
	uint32_t flags;
	uint8_t scope;
	uint32_t portid;
};

struct nl_route_spec {
	uint16_t type; /* RTM_NEWROUTE / RTM_DELROUTE */
	uint16_t nlflags;
	uint8_t family;
	uint32_t table;
	const char *dst; /* NULL: default */
	uint8_t dst_len;
	const char *gateway;
	const char *prefsrc;
	int oif;
	uint32_t metric;
	uint8_t protocol;
	uint8_t rtype; /* 0 means RTN_UNICAST */
	uint32_t rtm_flags;
};

struct nlmsghdr *nlb_link(char *buf, const struct nl_link_spec *s);
struct nlmsghdr *nlb_addr(char *buf, const struct nl_addr_spec *s);
struct nlmsghdr *nlb_route(char *buf, const struct nl_route_spec *s);

#endif
