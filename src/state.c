/* Purpose: hash tables for links and routes, and per-link address arrays. */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
	s->n_link_buckets = 64;
	s->link_buckets = xcalloc(s->n_link_buckets, sizeof(*s->link_buckets));
	s->n_route_buckets = 256;
	s->route_buckets = xcalloc(s->n_route_buckets, sizeof(*s->route_buckets));
}

static void link_free(struct link_entry *l)
{
	free(l->addrs);
	free(l->departed);
	free(l);
}

void state_free(struct state *s)
{
	for (size_t i = 0; i < s->n_link_buckets; i++)
		for (struct link_entry *l = s->link_buckets[i], *next; l; l = next) {
			next = l->hnext;
			link_free(l);
		}
	for (size_t i = 0; i < s->n_route_buckets; i++)
		for (struct route_entry *r = s->route_buckets[i], *next; r; r = next) {
			next = r->hnext;
			free(r);
		}
	free(s->link_buckets);
	free(s->route_buckets);
	memset(s, 0, sizeof(*s));
}

static size_t link_bucket(const struct state *s, int ifindex)
{
	return (size_t)(unsigned)ifindex % s->n_link_buckets;
}

struct link_entry *state_link(struct state *s, int ifindex)
{
	for (struct link_entry *l = s->link_buckets[link_bucket(s, ifindex)]; l; l = l->hnext)
		if (l->ifindex == ifindex)
			return l;
	return NULL;
}

static void links_grow(struct state *s)
{
	size_t old_n = s->n_link_buckets;
	struct link_entry **old = s->link_buckets;

	s->n_link_buckets = old_n * 2;
	s->link_buckets = xcalloc(s->n_link_buckets, sizeof(*s->link_buckets));
	for (size_t i = 0; i < old_n; i++)
		for (struct link_entry *l = old[i], *next; l; l = next) {
			next = l->hnext;
			size_t b = link_bucket(s, l->ifindex);
			l->hnext = s->link_buckets[b];
			s->link_buckets[b] = l;
		}
	free(old);
}

struct link_entry *state_link_add(struct state *s, int ifindex)
{
	struct link_entry *l = xcalloc(1, sizeof(*l));

	if (s->n_links >= s->n_link_buckets)
		links_grow(s);
	l->ifindex = ifindex;
	size_t b = link_bucket(s, ifindex);
	l->hnext = s->link_buckets[b];
	s->link_buckets[b] = l;
	s->n_links++;
	return l;
}

void state_link_remove(struct state *s, struct link_entry *l)
{
	for (struct link_entry **pp = &s->link_buckets[link_bucket(s, l->ifindex)]; *pp;
	     pp = &(*pp)->hnext)
		if (*pp == l) {
			*pp = l->hnext;
			s->n_links--;
			link_free(l);
			return;
		}
}

void state_links_foreach(struct state *s, void (*fn)(void *ctx, struct link_entry *l), void *ctx)
{
	for (size_t i = 0; i < s->n_link_buckets; i++)
		for (struct link_entry *l = s->link_buckets[i], *next; l; l = next) {
			next = l->hnext;
			fn(ctx, l);
		}
}

struct addr_entry *link_addr_find(struct link_entry *l, uint8_t family,
				  const struct ipaddr *local, uint8_t prefixlen)
{
	for (size_t i = 0; i < l->n_addrs; i++) {
		struct addr_entry *a = &l->addrs[i];
		if (a->local.family == family && a->prefixlen == prefixlen &&
		    ip_equal(&a->local, local))
			return a;
	}
	return NULL;
}

static void *grow(void *arr, size_t *cap, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 4;
	void *p = xrealloc(arr, n * elem);

	*cap = n;
	return p;
}

struct addr_entry *link_addr_add(struct link_entry *l)
{
	if (l->n_addrs == l->cap_addrs)
		l->addrs = grow(l->addrs, &l->cap_addrs, sizeof(*l->addrs));
	struct addr_entry *a = &l->addrs[l->n_addrs++];
	memset(a, 0, sizeof(*a));
	return a;
}

void link_addr_remove(struct link_entry *l, struct addr_entry *a)
{
	size_t i = (size_t)(a - l->addrs);

	/* Keep the order addresses arrived in: IP4_ADDRS lists them that way. */
	memmove(&l->addrs[i], &l->addrs[i + 1], (l->n_addrs - i - 1) * sizeof(*a));
	l->n_addrs--;
}

void link_departed_push(struct link_entry *l, const struct addr_entry *a)
{
	if (l->n_departed == l->cap_departed)
		l->departed = grow(l->departed, &l->cap_departed, sizeof(*l->departed));
	l->departed[l->n_departed++] = *a;
}

size_t link_count_family(const struct link_entry *l, uint8_t family)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n_addrs; i++)
		n += l->addrs[i].local.family == family;
	return n;
}

static size_t route_hash(const struct state *s, const struct route_key *k)
{
	/* FNV-1a over the base only: same-base routes share a bucket. */
	uint32_t h = 2166136261u;
	const uint8_t *p = (const uint8_t *)&k->base;

	for (size_t i = 0; i < sizeof(k->base); i++)
		h = (h ^ p[i]) * 16777619u;
	return h & (s->n_route_buckets - 1);
}

struct route_entry *state_route(struct state *s, const struct route_key *k)
{
	for (struct route_entry *r = s->route_buckets[route_hash(s, k)]; r; r = r->hnext)
		if (memcmp(&r->key, k, sizeof(*k)) == 0)
			return r;
	return NULL;
}

struct route_entry *state_route_same_base(struct state *s, const struct route_key *k)
{
	for (struct route_entry *r = s->route_buckets[route_hash(s, k)]; r; r = r->hnext)
		if (memcmp(&r->key.base, &k->base, sizeof(k->base)) == 0 &&
		    memcmp(&r->key, k, sizeof(*k)) != 0)
			return r;
	return NULL;
}

void state_route_rekey(struct route_entry *r, const struct route_key *k)
{
	r->key = *k;
}

static void routes_grow(struct state *s)
{
	size_t old_n = s->n_route_buckets;
	struct route_entry **old = s->route_buckets;

	s->n_route_buckets = old_n * 2;
	s->route_buckets = xcalloc(s->n_route_buckets, sizeof(*s->route_buckets));
	for (size_t i = 0; i < old_n; i++)
		for (struct route_entry *r = old[i], *next; r; r = next) {
			next = r->hnext;
			size_t b = route_hash(s, &r->key);
			r->hnext = s->route_buckets[b];
			s->route_buckets[b] = r;
		}
	free(old);
}

struct route_entry *state_route_add(struct state *s, const struct route_key *k)
{
	struct route_entry *r = xcalloc(1, sizeof(*r));

	if (s->n_routes >= s->n_route_buckets)
		routes_grow(s);
	r->key = *k;
	size_t b = route_hash(s, k);
	r->hnext = s->route_buckets[b];
	s->route_buckets[b] = r;
	s->n_routes++;
	return r;
}

void state_route_remove(struct state *s, struct route_entry *r)
{
	for (struct route_entry **pp = &s->route_buckets[route_hash(s, &r->key)]; *pp;
	     pp = &(*pp)->hnext)
		if (*pp == r) {
			*pp = r->hnext;
			s->n_routes--;
			free(r);
			return;
		}
}

void state_routes_foreach(struct state *s, void (*fn)(void *ctx, struct route_entry *r), void *ctx)
{
	/* The buckets never shrink: after a flood is gone, walking them for
	 * nothing made every admin down and IPv4 address removal pay for it. */
	if (!s->n_routes)
		return;
	for (size_t i = 0; i < s->n_route_buckets; i++)
		for (struct route_entry *r = s->route_buckets[i], *next; r; r = next) {
			next = r->hnext;
			fn(ctx, r);
		}
}
