/* Purpose: parses rtnetlink message bytes into plain structs (no I/O, fuzzable). */
#ifndef IFHOOKD_RTNL_H
#define IFHOOKD_RTNL_H

#include <linux/netlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "ipaddr.h"

enum rtnl_kind { RTNL_IGNORED, RTNL_LINK, RTNL_ADDR, RTNL_ROUTE, RTNL_MALFORMED };

struct rtnl_link {
	bool deleted;
	uint8_t family; /* AF_UNSPEC describes the device; AF_BRIDGE is a bridge port */
	int ifindex;
	uint16_t type;
	uint32_t flags;
	bool has_name;
	char name[IF_NAMESIZE];
	bool has_operstate;
	uint8_t operstate;
	bool has_mtu;
	uint32_t mtu;
	char kind[KIND_LEN];
	uint8_t mac_len;
	uint8_t mac[32];
};

struct rtnl_addr {
	bool deleted;
	uint8_t family;
	uint8_t prefixlen;
	uint8_t scope;
	int ifindex;
	uint32_t flags; /* IFA_F_*, from the 32-bit IFA_FLAGS when present */
	struct ipaddr local;
	struct ipaddr peer; /* family 0 unless point-to-point */
	uint32_t portid;    /* nlmsg_pid: the requester, 0 for the kernel itself */
};

struct rtnl_route {
	bool deleted;
	bool replace; /* NLM_F_REPLACE: it replaced a route with the same base */
	uint8_t family;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t protocol;
	uint8_t type;
	uint32_t rtm_flags;
	uint32_t table;
	struct ipaddr dst;
	struct ipaddr gateway; /* first nexthop's for multipath */
	struct ipaddr prefsrc;
	int oif;               /* first nexthop's for multipath */
	uint32_t metric;
	uint32_t nh_id;
	bool multipath;
	uint32_t portid;
};

struct rtnl_msg {
	enum rtnl_kind kind;
	union {
		struct rtnl_link link;
		struct rtnl_addr addr;
		struct rtnl_route route;
	} u;
};

/* Parses one message whose nlmsg_len the caller already checked fits the
 * buffer. Anything not a link, address or route message is RTNL_IGNORED;
 * a message whose lengths or attributes do not add up is RTNL_MALFORMED. */
enum rtnl_kind rtnl_parse(const struct nlmsghdr *nlh, struct rtnl_msg *out);

#endif
