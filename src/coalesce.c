/* Purpose: object identity and opposites of events, for coalescing and debounce (pure). */
#include "coalesce.h"

#include <string.h>

enum object { OBJ_NONE, OBJ_PRESENCE, OBJ_UPSTATE, OBJ_PPP, OBJ_ADDRESS, OBJ_ROUTE };

static enum object object_of(enum event_type t)
{
	switch (t) {
	case EV_LINK_ADDED:
	case EV_LINK_REMOVED:
		return OBJ_PRESENCE;
	case EV_LINK_UP:
	case EV_LINK_DOWN:
		return OBJ_UPSTATE;
	case EV_PPP_CONNECT:
	case EV_PPP_DISCONNECT:
		return OBJ_PPP;
	case EV_ADDRESS_ADDED:
	case EV_ADDRESS_REMOVED:
		return OBJ_ADDRESS;
	case EV_ROUTE_ADDED:
	case EV_ROUTE_REMOVED:
		return OBJ_ROUTE;
	default:
		return OBJ_NONE;
	}
}

bool event_same_object(const struct event *a, const struct event *b)
{
	enum object o = object_of(a->type);

	if (o == OBJ_NONE || o != object_of(b->type) || a->ifindex != b->ifindex)
		return false;
	switch (o) {
	case OBJ_ADDRESS:
		return a->address.prefixlen == b->address.prefixlen &&
		       ip_equal(&a->address.addr, &b->address.addr);
	case OBJ_ROUTE:
		/* The cache's route identity: table, destination, metric and the
		 * first nexthop (the device is the ifindex compared above). */
		return a->route.table == b->route.table && a->route.dst_len == b->route.dst_len &&
		       a->route.metric == b->route.metric && ip_equal(&a->route.dst, &b->route.dst) &&
		       ip_equal(&a->route.gateway, &b->route.gateway);
	default:
		return true;
	}
}

int event_opposite(enum event_type t)
{
	switch (t) {
	case EV_LINK_ADDED:
		return EV_LINK_REMOVED;
	case EV_LINK_REMOVED:
		return EV_LINK_ADDED;
	case EV_LINK_UP:
		return EV_LINK_DOWN;
	case EV_LINK_DOWN:
		return EV_LINK_UP;
	case EV_PPP_CONNECT:
		return EV_PPP_DISCONNECT;
	case EV_PPP_DISCONNECT:
		return EV_PPP_CONNECT;
	case EV_ADDRESS_ADDED:
		return EV_ADDRESS_REMOVED;
	case EV_ADDRESS_REMOVED:
		return EV_ADDRESS_ADDED;
	case EV_ROUTE_ADDED:
		return EV_ROUTE_REMOVED;
	case EV_ROUTE_REMOVED:
		return EV_ROUTE_ADDED;
	default:
		return -1;
	}
}

bool event_is_up(enum event_type t)
{
	return t == EV_LINK_UP || t == EV_PPP_CONNECT;
}

bool event_is_down(enum event_type t)
{
	return t == EV_LINK_DOWN || t == EV_PPP_DISCONNECT;
}
