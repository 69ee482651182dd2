/* Purpose: the link hash table and per-link address arrays (routes: state_routes.c). */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
	s->n_link_buckets = 64;
	s->link_buckets = xcalloc(s->n_link_buckets, sizeof(*s->link_buckets));
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
	free(s->link_buckets);
	state_routes_free(s);
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
