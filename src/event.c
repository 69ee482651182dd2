/* Purpose: event names, the address lists, and the copy/free of an event's heap parts. */
#include "event.h"

#include <linux/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "xalloc.h"

static const char *const names[EV_COUNT] = {
	[EV_LINK_ADDED] = "link-added",
	[EV_LINK_REMOVED] = "link-removed",
	[EV_LINK_UP] = "link-up",
	[EV_LINK_DOWN] = "link-down",
	[EV_LINK_RENAMED] = "link-renamed",
	[EV_PPP_CONNECT] = "ppp-connect",
	[EV_PPP_DISCONNECT] = "ppp-disconnect",
	[EV_ADDRESS_ADDED] = "address-added",
	[EV_ADDRESS_REMOVED] = "address-removed",
	[EV_ROUTE_ADDED] = "route-added",
	[EV_ROUTE_REMOVED] = "route-removed",
	[EV_ROUTE_CHANGED] = "route-changed",
};

const char *event_name(enum event_type t)
{
	return (unsigned)t < EV_COUNT ? names[t] : "unknown";
}

int event_from_name(const char *name)
{
	for (int i = 0; i < EV_COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *event_origin_name(enum event_origin o)
{
	return o == ORIGIN_STARTUP ? "startup" : o == ORIGIN_RESYNC ? "resync" : "kernel";
}

bool event_is_route(enum event_type t)
{
	return t == EV_ROUTE_ADDED || t == EV_ROUTE_REMOVED || t == EV_ROUTE_CHANGED;
}

const char *event_match_kind(const struct event *ev)
{
	if (!ev->has_link)
		return "";
	if (ev->link.type == ARPHRD_PPP)
		return "ppp";
	return ev->link.kind;
}

char *event_addr_list(const struct event *ev, uint8_t family)
{
	const struct event_addr_source *src = &ev->link.src;
	const char *owned = family == AF_INET ? ev->link.ip4_addrs : ev->link.ip6_addrs;

	if (src->format)
		return src->format(src->link, family, src->with_departed);
	return xstrdup(owned ? owned : "");
}

void event_own_addrs(struct event *ev)
{
	if (!ev->link.src.format)
		return;
	ev->link.ip4_addrs = event_addr_list(ev, AF_INET);
	ev->link.ip6_addrs = event_addr_list(ev, AF_INET6);
	memset(&ev->link.src, 0, sizeof(ev->link.src));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct event *event_dup(const struct event *ev)
{
	struct event *copy = malloc(sizeof(*copy));

	if (!copy)
		return NULL;
	*copy = *ev;
	if (ev->link.src.format) {
		event_own_addrs(copy); /* the source lives only as long as the sink call */
	} else {
		copy->link.ip4_addrs = dup_or_null(ev->link.ip4_addrs);
		copy->link.ip6_addrs = dup_or_null(ev->link.ip6_addrs);
	}
	return copy;
}

void event_clear(struct event *ev)
{
	free(ev->link.ip4_addrs);
	free(ev->link.ip6_addrs);
	ev->link.ip4_addrs = ev->link.ip6_addrs = NULL;
	memset(&ev->link.src, 0, sizeof(ev->link.src));
}

void event_free(struct event *ev)
{
	if (!ev)
		return;
	event_clear(ev);
	free(ev);
}

/* Without snprintf, which cost more than the rest of the classifier when
 * every event formatted its link's MAC. */
void event_format_mac(char out[MAC_STRLEN], const uint8_t *mac, unsigned len)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	/* rtnl.c allows at most 32 bytes: 32 * 3 - 1 characters and the NUL. */
	for (unsigned i = 0; i < len && i < MAC_STRLEN / 3; i++) {
		if (i)
			*p++ = ':';
		*p++ = hex[mac[i] >> 4];
		*p++ = hex[mac[i] & 0xf];
	}
	*p = '\0';
}
