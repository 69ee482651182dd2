/* Purpose: decides whether a rule matches an event; pure, so every case is unit-tested. */
#include "rules.h"

#include <fnmatch.h>

bool globs_match(const struct globs *g, const char *s)
{
	bool pos = g->n_pos == 0;

	for (size_t i = 0; !pos && i < g->n_pos; i++)
		pos = fnmatch(g->pos[i], s, 0) == 0;
	if (!pos)
		return false;
	for (size_t i = 0; i < g->n_neg; i++)
		if (fnmatch(g->neg[i], s, 0) == 0)
			return false;
	return true;
}

/* Plain devices (and events without a link) have no kind. A rule that asks
 * for a kind ("kind = *" included) does not match them; exclusions alone
 * ("kind = !bridge") let them through, since they are not bridges. */
static bool kind_matches(const struct globs *g, const char *kind)
{
	if (!*kind)
		return g->n_pos == 0;
	return globs_match(g, kind);
}

static bool address_matches(const struct rule *r, const struct event *ev)
{
	switch (ev->type) {
	case EV_ADDRESS_ADDED:
	case EV_ADDRESS_REMOVED:
		return ip_prefix_contains(&r->address, &ev->address.addr);
	case EV_PPP_CONNECT:
	case EV_PPP_DISCONNECT:
		return ip_prefix_contains(&r->address, &ev->ppp.local);
	default:
		return false;
	}
}

static bool destination_matches(const struct rule *r, const struct event *ev)
{
	const struct ipprefix *d = &r->destination;

	if (!event_is_route(ev->type))
		return false;
	/* "default" without a family: the default route of either family. */
	if (d->addr.family == 0)
		return ev->route.dst_len == 0;
	/* Exact prefix: same length and same network bits. */
	return ev->route.dst_len == d->len && ip_prefix_contains(d, &ev->route.dst);
}

const char *rule_mismatch(const struct rule *r, const struct event *ev)
{
	if (!globs_match(&r->events, event_name(ev->type)))
		return "event";
	if (!globs_match(&r->ifaces, ev->iface))
		return "interface";
	if ((r->kinds.n_pos || r->kinds.n_neg) && !kind_matches(&r->kinds, event_match_kind(ev)))
		return "kind";
	/* Events without a family (link-*) never match a rule that sets one. */
	if (r->family && r->family != ev->family)
		return "family";
	if (r->has_address && !address_matches(r, ev))
		return "address";
	if (r->has_destination && !destination_matches(r, ev))
		return "destination";
	if (r->has_table && (!event_is_route(ev->type) || ev->route.table != r->table))
		return "table";
	return NULL;
}

bool rule_matches(const struct rule *r, const struct event *ev)
{
	return rule_mismatch(r, ev) == NULL;
}
