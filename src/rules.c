/* Purpose: decides whether a rule matches an event; pure, so every case is unit-tested. */
#include "rules.h"

#include <fnmatch.h>
#include <string.h>

/* With flags 0, fnmatch treats every character but these as itself. */
static bool plain_pattern(const char *pat)
{
	size_t n = strcspn(pat, "*?[\\");

	return pat[n] == '\0' || (pat[n] == '*' && pat[n + 1] == '\0');
}

/* fnmatch(pat, s, 0) == 0 for a plain pattern. */
static bool plain_match(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (*pat == '*' && !pat[1])
			return true;
		if (*pat != *s)
			return false;
	}
	return *s == '\0';
}

static bool pattern_match(const char *pat, bool plain, const char *s)
{
	return plain ? plain_match(pat, s) : fnmatch(pat, s, 0) == 0;
}

/* Bit i of a plain mask: only the first 64 patterns have one; others use fnmatch. */
static bool is_plain(uint64_t mask, size_t i)
{
	return i < 64 && (mask >> i) & 1;
}

bool globs_match(const struct globs *g, const char *s)
{
	bool pos = g->n_pos == 0;

	for (size_t i = 0; !pos && i < g->n_pos; i++)
		pos = pattern_match(g->pos[i], is_plain(g->pos_plain, i), s);
	if (!pos)
		return false;
	for (size_t i = 0; i < g->n_neg; i++)
		if (pattern_match(g->neg[i], is_plain(g->neg_plain, i), s))
			return false;
	return true;
}

static uint64_t plain_mask(char **pats, size_t n)
{
	uint64_t mask = 0;

	for (size_t i = 0; i < n && i < 64; i++)
		if (plain_pattern(pats[i]))
			mask |= (uint64_t)1 << i;
	return mask;
}

static void globs_compile(struct globs *g)
{
	g->pos_plain = plain_mask(g->pos, g->n_pos);
	g->neg_plain = plain_mask(g->neg, g->n_neg);
}

void rule_compile(struct rule *r)
{
	globs_compile(&r->events);
	globs_compile(&r->ifaces);
	globs_compile(&r->kinds);
	r->event_mask = 0;
	for (int t = 0; t < EV_COUNT; t++)
		if (globs_match(&r->events, event_name((enum event_type)t)))
			r->event_mask |= 1u << t;
}

/* Whether the compiled event types rule t out; false when not compiled. */
static bool event_excluded(const struct rule *r, enum event_type t)
{
	return r->event_mask && (unsigned)t < EV_COUNT && !((r->event_mask >> t) & 1);
}

static bool event_matches(const struct rule *r, enum event_type t)
{
	if (r->event_mask && (unsigned)t < EV_COUNT)
		return (r->event_mask >> t) & 1;
	return globs_match(&r->events, event_name(t));
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
	if (!event_matches(r, ev->type))
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
	/* Every rule meets every event, and most are for other events: those
	 * are settled here, without rule_mismatch's call and stack frame. */
	if (event_excluded(r, ev->type))
		return false;
	return rule_mismatch(r, ev) == NULL;
}
