/* Purpose: builds a hook's environment from nothing: the documented
 * variables of the hook contract and nothing else. */
#include "env.h"

#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "xalloc.h"

#define MAX_VARS 40

struct env_builder {
	const char *name[MAX_VARS];
	const char *value[MAX_VARS];
	size_t n;
};

static void add(struct env_builder *b, const char *name, const char *value)
{
	if (b->n == MAX_VARS)
		fatalx("env: too many variables");
	b->name[b->n] = name;
	b->value[b->n] = value ? value : "";
	b->n++;
}

/* One block: the pointer array, then the strings, so env_free is one free(). */
static char **pack(const struct env_builder *b)
{
	size_t size = (b->n + 1) * sizeof(char *);
	char **envp, *s;

	for (size_t i = 0; i < b->n; i++)
		size += strlen(b->name[i]) + 1 + strlen(b->value[i]) + 1;
	envp = xmalloc(size);
	s = (char *)(envp + b->n + 1);
	for (size_t i = 0; i < b->n; i++) {
		size_t nl = strlen(b->name[i]), vl = strlen(b->value[i]);

		envp[i] = s;
		memcpy(s, b->name[i], nl);
		s[nl] = '=';
		memcpy(s + nl + 1, b->value[i], vl + 1);
		s += nl + 1 + vl + 1;
	}
	envp[b->n] = NULL;
	return envp;
}

void env_free(char **envp)
{
	free(envp);
}

const char *operstate_name(unsigned operstate)
{
	static const char *const names[] = {
		[IF_OPER_UNKNOWN] = "unknown",	 [IF_OPER_NOTPRESENT] = "notpresent",
		[IF_OPER_DOWN] = "down",	 [IF_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
		[IF_OPER_TESTING] = "testing",	 [IF_OPER_DORMANT] = "dormant",
		[IF_OPER_UP] = "up",
	};

	return operstate < sizeof(names) / sizeof(names[0]) ? names[operstate] : "unknown";
}

static const char *number(unsigned v, char buf[12])
{
	snprintf(buf, 12, "%u", v);
	return buf;
}

const char *scope_name(unsigned scope, char buf[12])
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return "global";
	case RT_SCOPE_SITE:
		return "site";
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_HOST:
		return "host";
	default:
		return number(scope, buf);
	}
}

const char *iftype_name(unsigned type, char buf[12])
{
	switch (type) {
	case ARPHRD_ETHER:
		return "ether";
	case ARPHRD_LOOPBACK:
		return "loopback";
	case ARPHRD_PPP:
		return "ppp";
	case ARPHRD_NONE:
		return "none";
	case ARPHRD_TUNNEL:
		return "ipip";
	case ARPHRD_TUNNEL6:
		return "tunnel6";
	case ARPHRD_SIT:
		return "sit";
	case ARPHRD_IPGRE:
		return "gre";
	case ARPHRD_IP6GRE:
		return "ip6gre";
	case ARPHRD_INFINIBAND:
		return "infiniband";
	case ARPHRD_IEEE80211:
		return "ieee802.11";
	case ARPHRD_CAN:
		return "can";
	case ARPHRD_RAWIP:
		return "rawip";
	case ARPHRD_VOID:
		return "void";
	default:
		return number(type, buf);
	}
}

const char *proto_name(unsigned proto, char buf[12])
{
	switch (proto) {
	case RTPROT_REDIRECT:
		return "redirect";
	case RTPROT_KERNEL:
		return "kernel";
	case RTPROT_BOOT:
		return "boot";
	case RTPROT_STATIC:
		return "static";
	case RTPROT_RA:
		return "ra";
	case RTPROT_DHCP:
		return "dhcp";
	default:
		return number(proto, buf);
	}
}

const char *table_name(unsigned table, char buf[12])
{
	switch (table) {
	case RT_TABLE_MAIN:
		return "main";
	case RT_TABLE_DEFAULT:
		return "default";
	case RT_TABLE_LOCAL:
		return "local";
	default:
		return number(table, buf);
	}
}

static const char *family_name(unsigned family, char buf[12])
{
	if (family == AF_INET)
		return "inet";
	if (family == AF_INET6)
		return "inet6";
	if (family == 0)
		return "";
	return number(family, buf);
}

/* Copies a fixed-size name field, terminated even if the field is full. */
static const char *field(const char *src, size_t size, char *out)
{
	memcpy(out, src, size);
	out[size] = '\0';
	return out;
}

static char **build_env(const struct event *ev, const char *rule_name, bool pppd)
{
	struct env_builder b = {.n = 0};
	char iface[IF_NAMESIZE + 1], old_iface[IF_NAMESIZE + 1];
	char kind[KIND_LEN + 1], mac[MAC_STRLEN + 1];
	char ifindex[24], seq[24], mtu[12], iftype[12], fam[12];
	char addr[IP_STRLEN], prefixlen[12], scope[12], peer[IP_STRLEN];
	char dst[IP_STRLEN + 4], gw[IP_STRLEN], table[12], proto[12], metric[12];
	char local[IP_STRLEN], remote[IP_STRLEN], connect_time[24];
	char *ip4_addrs = NULL, *ip6_addrs = NULL;
	unsigned family = ev->family;
	char **envp;

	snprintf(ifindex, sizeof(ifindex), "%d", ev->ifindex);
	snprintf(seq, sizeof(seq), "%" PRIu64, ev->seq);
	add(&b, "EVENT", event_name(ev->type));
	add(&b, "IFACE", field(ev->iface, sizeof(ev->iface), iface));
	add(&b, "IFINDEX", ifindex);
	add(&b, "EVENT_ORIGIN", event_origin_name(ev->origin));
	add(&b, "EVENT_SEQ", seq);
	add(&b, "RULE", rule_name);
	add(&b, "PATH", HOOK_PATH);
	if (ev->caused_by_hook)
		add(&b, "CAUSED_BY_HOOK", "1");

	if (ev->has_link) {
		const struct event_link *l = &ev->link;

		snprintf(mtu, sizeof(mtu), "%" PRIu32, l->mtu);
		add(&b, "LINK_STATE", l->up ? "up" : "down");
		add(&b, "OPERSTATE", operstate_name(l->operstate));
		add(&b, "IFKIND", field(l->kind, sizeof(l->kind), kind));
		add(&b, "IFTYPE", iftype_name(l->type, iftype));
		add(&b, "MTU", mtu);
		add(&b, "MAC", field(l->mac, sizeof(l->mac), mac));
		ip4_addrs = event_addr_list(ev, AF_INET);
		ip6_addrs = event_addr_list(ev, AF_INET6);
		add(&b, "IP4_ADDRS", ip4_addrs);
		add(&b, "IP6_ADDRS", ip6_addrs);
	}
	if (ev->type == EV_LINK_RENAMED)
		add(&b, "OLD_IFACE", field(ev->old_iface, sizeof(ev->old_iface), old_iface));

	switch (ev->type) {
	case EV_ADDRESS_ADDED:
	case EV_ADDRESS_REMOVED: {
		const struct event_address *a = &ev->address;

		if (!family)
			family = a->addr.family;
		snprintf(prefixlen, sizeof(prefixlen), "%u", a->prefixlen);
		add(&b, "FAMILY", family_name(family, fam));
		add(&b, "ADDRESS", ip_format(&a->addr, addr));
		add(&b, "PREFIXLEN", prefixlen);
		add(&b, "SCOPE", scope_name(a->scope, scope));
		add(&b, "PEER", ip_format(&a->peer, peer));
		break;
	}
	case EV_ROUTE_ADDED:
	case EV_ROUTE_REMOVED:
	case EV_ROUTE_CHANGED: {
		const struct event_route *r = &ev->route;

		if (!family)
			family = r->dst.family;
		if (r->dst_len == 0)
			snprintf(dst, sizeof(dst), "default");
		else
			snprintf(dst, sizeof(dst), "%s/%u", ip_format(&r->dst, addr), r->dst_len);
		snprintf(metric, sizeof(metric), "%" PRIu32, r->metric);
		add(&b, "FAMILY", family_name(family, fam));
		add(&b, "ROUTE_DST", dst);
		add(&b, "ROUTE_GATEWAY", ip_format(&r->gateway, gw));
		add(&b, "ROUTE_TABLE", table_name(r->table, table));
		add(&b, "ROUTE_PROTO", proto_name(r->protocol, proto));
		add(&b, "ROUTE_METRIC", metric);
		break;
	}
	case EV_PPP_CONNECT:
	case EV_PPP_DISCONNECT:
		if (!family)
			family = ev->ppp.local.family;
		add(&b, "FAMILY", family_name(family, fam));
		add(&b, "PPP_IFACE", iface);
		add(&b, "PPP_LOCAL", ip_format(&ev->ppp.local, local));
		add(&b, "PPP_REMOTE", ip_format(&ev->ppp.remote, remote));
		/* pppd's ip-down name, in whole seconds as pppd counts them;
		 * empty when the connection began before the daemon. */
		if (ev->type == EV_PPP_DISCONNECT) {
			connect_time[0] = '\0';
			if (ev->ppp.connect_time_known)
				snprintf(connect_time, sizeof(connect_time), "%" PRIu64,
					 ev->ppp.connect_time_ms / 1000);
			add(&b, "CONNECT_TIME", connect_time);
		}
		if (pppd) {
			add(&b, "IFNAME", iface);
			add(&b, "IPLOCAL", local);
			add(&b, "IPREMOTE", remote);
			add(&b, "PPP_TTY", PPPD_TTY);
			add(&b, "PPP_TTYNAME", PPPD_TTYNAME);
			add(&b, "PPP_SPEED", PPPD_SPEED);
			add(&b, "PPP_IPPARAM", PPPD_IPPARAM);
		}
		break;
	default:
		break;
	}
	envp = pack(&b);
	free(ip4_addrs);
	free(ip6_addrs);
	return envp;
}

char **event_env(const struct event *ev, const char *rule_name)
{
	return build_env(ev, rule_name, false);
}

char **event_env_pppd(const struct event *ev, const char *rule_name)
{
	return build_env(ev, rule_name, true);
}

void pppd_args(const struct event *ev, char **argv)
{
	char iface[IF_NAMESIZE + 1], ip[IP_STRLEN];

	argv[0] = xstrdup(field(ev->iface, sizeof(ev->iface), iface));
	argv[1] = xstrdup(PPPD_TTY);
	argv[2] = xstrdup(PPPD_SPEED);
	argv[3] = xstrdup(ip_format(&ev->ppp.local, ip));
	argv[4] = xstrdup(ip_format(&ev->ppp.remote, ip));
	argv[5] = xstrdup(PPPD_IPPARAM);
}
