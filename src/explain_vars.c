/* Purpose: maps NAME=VALUE of the hook contract onto struct event for explain,
 * with the inverse of every name env.c writes. */
#include "explain_vars.h"

#include <errno.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "env.h"
#include "xalloc.h"

void explain_init(struct explain_event *x, enum event_type t, const char *iface)
{
	memset(x, 0, sizeof(*x));
	x->ev.type = t;
	x->ev.origin = ORIGIN_KERNEL;
	x->ev.seq = 1;
	memcpy(x->ev.iface, iface, strnlen(iface, sizeof(x->ev.iface)));
}

static bool went_down(enum event_type t)
{
	return t == EV_LINK_DOWN || t == EV_LINK_REMOVED || t == EV_PPP_DISCONNECT;
}

void explain_default_link(struct explain_event *x)
{
	struct event_link *l = &x->ev.link;
	bool ppp = x->ev.type == EV_PPP_CONNECT || x->ev.type == EV_PPP_DISCONNECT;

	x->ev.has_link = true;
	l->up = !went_down(x->ev.type);
	l->type = ppp ? ARPHRD_PPP : ARPHRD_ETHER;
	/* Links without carrier management (PPP) say unknown while up. */
	l->operstate = !l->up ? IF_OPER_DOWN : ppp ? IF_OPER_UNKNOWN : IF_OPER_UP;
	l->mtu = 1500;
	snprintf(l->kind, sizeof(l->kind), "%s", ppp ? "ppp" : "");
}

/* ---- values ---- */

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A name as env.c writes it, or a number; max is the largest value. */
static bool parse_named(const char *s, const char *(*name)(unsigned, char[12]), uint32_t max,
			uint32_t *out)
{
	char buf[12];

	if (parse_u32(s, out))
		return *out <= max;
	for (uint32_t v = 0; v <= max; v++)
		if (strcmp(name(v, buf), s) == 0) {
			*out = v;
			return true;
		}
	return false;
}

static bool parse_ip(const char *s, struct ipaddr *out)
{
	struct ipprefix p;

	if (!*s) {
		memset(out, 0, sizeof(*out));
		return true; /* empty: none */
	}
	if (strchr(s, '/') || !ip_parse_prefix(s, &p))
		return false;
	*out = p.addr;
	return true;
}

static bool copy_str(char *dst, size_t size, const char *s)
{
	if (strlen(s) >= size)
		return false;
	memset(dst, 0, size);
	memcpy(dst, s, strlen(s));
	return true;
}

static void set_list(char **list, const char *s)
{
	free(*list);
	*list = xstrdup(s);
}

/* ---- NAME=VALUE ---- */

int explain_var(struct explain_event *x, const char *kv, char *err, size_t errsize)
{
	struct event *ev = &x->ev;
	const char *eq = strchr(kv, '=');
	char name[32];
	const char *v;
	uint32_t u;
	bool ok = true, link = false;

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(name)) {
		snprintf(err, errsize, "'%s': expected NAME=VALUE", kv);
		return -1;
	}
	memcpy(name, kv, (size_t)(eq - kv));
	name[eq - kv] = '\0';
	v = eq + 1;

	if (!strcmp(name, "EVENT") || !strcmp(name, "IFACE")) {
		snprintf(err, errsize, "%s: give it as the EVENT or IFACE argument", name);
		return -1;
	} else if (!strcmp(name, "RULE") || !strcmp(name, "PATH")) {
		snprintf(err, errsize, "%s: set by ifhookd for each hook, not by the event", name);
		return -1;
	} else if (!strcmp(name, "IFINDEX")) {
		ok = parse_u32(v, &u) && u <= INT32_MAX;
		ev->ifindex = (int)u;
	} else if (!strcmp(name, "EVENT_ORIGIN")) {
		ok = true;
		if (!strcmp(v, "kernel"))
			ev->origin = ORIGIN_KERNEL;
		else if (!strcmp(v, "startup"))
			ev->origin = ORIGIN_STARTUP;
		else if (!strcmp(v, "resync"))
			ev->origin = ORIGIN_RESYNC;
		else
			ok = false;
	} else if (!strcmp(name, "EVENT_SEQ")) {
		char *end;
		errno = 0;
		ev->seq = strtoull(v, &end, 10);
		ok = *v >= '0' && *v <= '9' && !*end && !errno;
	} else if (!strcmp(name, "CAUSED_BY_HOOK")) {
		ok = !strcmp(v, "1") || !*v;
		ev->caused_by_hook = !strcmp(v, "1");
	} else if (!strcmp(name, "LINK_STATE")) {
		ok = !strcmp(v, "up") || !strcmp(v, "down");
		ev->link.up = !strcmp(v, "up");
		x->have_state = link = true;
	} else if (!strcmp(name, "OPERSTATE")) {
		ok = false;
		for (unsigned i = 0; i <= IF_OPER_UP; i++)
			if (!strcmp(operstate_name(i), v)) {
				ev->link.operstate = (uint8_t)i;
				ok = link = true;
			}
	} else if (!strcmp(name, "IFKIND")) {
		ok = link = copy_str(ev->link.kind, sizeof(ev->link.kind), v);
	} else if (!strcmp(name, "IFTYPE")) {
		ok = link = parse_named(v, iftype_name, 0xffff, &u);
		ev->link.type = (uint16_t)u;
	} else if (!strcmp(name, "MTU")) {
		ok = link = parse_u32(v, &ev->link.mtu);
	} else if (!strcmp(name, "MAC")) {
		ok = link = copy_str(ev->link.mac, sizeof(ev->link.mac), v);
	} else if (!strcmp(name, "IP4_ADDRS")) {
		set_list(&ev->link.ip4_addrs, v);
		x->have_ip4 = link = true;
	} else if (!strcmp(name, "IP6_ADDRS")) {
		set_list(&ev->link.ip6_addrs, v);
		x->have_ip6 = link = true;
	} else if (!strcmp(name, "OLD_IFACE")) {
		ok = copy_str(ev->old_iface, sizeof(ev->old_iface), v);
	} else if (!strcmp(name, "ADDRESS")) {
		ok = *v && parse_ip(v, &ev->address.addr);
		x->have_address = ok;
	} else if (!strcmp(name, "PREFIXLEN")) {
		ok = parse_u32(v, &u) && u <= 128;
		ev->address.prefixlen = (uint8_t)u;
		x->have_prefixlen = true;
	} else if (!strcmp(name, "SCOPE")) {
		ok = parse_named(v, scope_name, 255, &u);
		ev->address.scope = (uint8_t)u;
	} else if (!strcmp(name, "PEER")) {
		ok = parse_ip(v, &ev->address.peer);
	} else if (!strcmp(name, "ROUTE_DST")) {
		struct ipprefix p;
		if (!strcmp(v, "default")) {
			memset(&ev->route.dst, 0, sizeof(ev->route.dst));
			ev->route.dst_len = 0;
		} else if ((ok = ip_parse_prefix(v, &p))) {
			ev->route.dst = p.addr;
			ev->route.dst_len = p.len;
		}
		x->have_dst = true;
	} else if (!strcmp(name, "ROUTE_GATEWAY")) {
		ok = parse_ip(v, &ev->route.gateway);
	} else if (!strcmp(name, "ROUTE_TABLE")) {
		ok = parse_named(v, table_name, 255, &ev->route.table);
		x->have_table = true;
	} else if (!strcmp(name, "ROUTE_PROTO")) {
		ok = parse_named(v, proto_name, 255, &u);
		ev->route.protocol = (uint8_t)u;
		x->have_proto = true;
	} else if (!strcmp(name, "ROUTE_METRIC")) {
		ok = parse_u32(v, &ev->route.metric);
	} else if (!strcmp(name, "PPP_IFACE")) {
		ok = strncmp(v, ev->iface, sizeof(ev->iface)) == 0;
		if (!ok) {
			snprintf(err, errsize, "PPP_IFACE is always IFACE");
			return -1;
		}
	} else if (!strcmp(name, "PPP_LOCAL")) {
		ok = parse_ip(v, &ev->ppp.local);
	} else if (!strcmp(name, "PPP_REMOTE")) {
		ok = parse_ip(v, &ev->ppp.remote);
	} else if (!strcmp(name, "CONNECT_TIME")) {
		/* Seconds; empty: a connection older than the daemon. */
		u = 0;
		ok = !*v || parse_u32(v, &u);
		ev->ppp.connect_time_known = *v != '\0';
		ev->ppp.connect_time_ms = (uint64_t)u * 1000;
	} else if (!strcmp(name, "FAMILY")) {
		ok = !strcmp(v, "inet") || !strcmp(v, "inet6");
		ev->family = !strcmp(v, "inet") ? AF_INET : AF_INET6;
		x->have_family = true;
	} else {
		snprintf(err, errsize,
			 "%s: not a variable of the hook contract (see ifhookd(8), ENVIRONMENT)",
			 name);
		return -1;
	}
	if (!ok) {
		snprintf(err, errsize, "%s: invalid value '%s'", name, v);
		return -1;
	}
	if (link)
		ev->has_link = true;
	return 0;
}

/* ---- what follows from the rest ---- */

/* Adds or removes "addr/len" in the space-separated list. */
static void list_update(char **list, const char *item, bool add)
{
	const char *cur = *list ? *list : "";
	size_t n = strlen(item);
	char *out = xmalloc(strlen(cur) + n + 2);
	bool found = false;

	out[0] = '\0';
	for (const char *p = cur; *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);

		if (len == n && !memcmp(p, item, n))
			found = true;
		if (len && !(len == n && !memcmp(p, item, n) && !add)) {
			if (out[0])
				strcat(out, " ");
			strncat(out, p, len);
		}
		p += len + (sp ? 1 : 0);
	}
	if (add && !found) {
		if (out[0])
			strcat(out, " ");
		strcat(out, item);
	}
	free(*list);
	*list = out;
}

int explain_finish(struct explain_event *x, char *err, size_t errsize)
{
	struct event *ev = &x->ev;
	bool addr_ev = ev->type == EV_ADDRESS_ADDED || ev->type == EV_ADDRESS_REMOVED;
	bool ppp_ev = ev->type == EV_PPP_CONNECT || ev->type == EV_PPP_DISCONNECT;

	if (addr_ev) {
		if (!x->have_address) {
			snprintf(err, errsize, "%s needs ADDRESS=", event_name(ev->type));
			return -1;
		}
		if (!x->have_prefixlen)
			ev->address.prefixlen = (uint8_t)(ip_addr_len(ev->address.addr.family) * 8);
		if (!x->have_family)
			ev->family = ev->address.addr.family;
		if (ev->address.addr.family != ev->family) {
			snprintf(err, errsize, "FAMILY does not match ADDRESS");
			return -1;
		}
		bool v4 = ev->family == AF_INET;
		if (ev->has_link && !(v4 ? x->have_ip4 : x->have_ip6)) {
			char ip[IP_STRLEN], item[IP_STRLEN + 5];
			snprintf(item, sizeof(item), "%s/%u", ip_format(&ev->address.addr, ip),
				 ev->address.prefixlen);
			list_update(v4 ? &ev->link.ip4_addrs : &ev->link.ip6_addrs, item,
				    ev->type == EV_ADDRESS_ADDED);
		}
	} else if (event_is_route(ev->type)) {
		if (!x->have_family)
			ev->family = ev->route.dst.family ? ev->route.dst.family
				   : ev->route.gateway.family ? ev->route.gateway.family
							      : AF_INET;
		if (!ev->route.dst.family)
			ev->route.dst.family = ev->family;
		if (!x->have_table)
			ev->route.table = RT_TABLE_MAIN;
		if (!x->have_proto)
			ev->route.protocol = RTPROT_BOOT; /* what "ip route add" sets */
	} else if (ppp_ev) {
		if (!x->have_family)
			ev->family = ev->ppp.local.family;
	} else if (x->have_family) {
		snprintf(err, errsize, "FAMILY: link-* events have none");
		return -1;
	}
	if (ev->type == EV_LINK_UP && !x->have_state)
		ev->link.up = true;
	if (went_down(ev->type) && !x->have_state)
		ev->link.up = false;
	return 0;
}
