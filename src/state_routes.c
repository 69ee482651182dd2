/* Purpose: the route cache: compact records packed per layout, a hash index,
 * and per-device and per-source lists for the removals the kernel does not report. */
#include "state.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipaddr.h"
#include "log.h"
#include "xalloc.h"

/* Neighbours in one of a route's lists, by id; 0 ends the list. */
struct lnk {
	uint32_t next, prev;
};

/* The fixed part of a stored route. Its addresses follow in the record's
 * tail, only as long as their families need: dst (4 or 16 bytes), gateway
 * (0, 4 or 16: an IPv4 route may have an IPv6 one, RFC 5549), then for an
 * IPv4 preferred source a struct src_tail. A full table is mostly IPv6
 * prefixes without a gateway or IPv4 ones with one: 52 or 44 bytes each, in
 * arrays, where every route used to be a 96-byte allocation of its own. */
struct rec {
	uint32_t table;
	uint32_t metric;
	int32_t oif;
	uint32_t nh_id;
	uint32_t gen;
	struct lnk via; /* the routes through the same device, of the same family kind */
	uint8_t family;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t gw_family;
	uint8_t protocol;
	bool multipath;
	uint8_t pad[2];
	uint8_t tail[];
};

struct src_tail {
	uint8_t addr[4];
	struct lnk by_src; /* the routes with the same preferred source */
};

/* A layout ("class") per combination of address widths: dst 4 or 16 bytes,
 * gateway 0, 4 or 16, with or without an IPv4 preferred source. A route's
 * id is (slot + 1) << 4 | class, so no id is 0, and an id changes only when
 * a removal moves the route into its slot. */
#define CLASS_BITS 4
#define MAX_SLOTS ((UINT32_MAX >> CLASS_BITS) - 1)
#define MIN_CAP 64

struct layout {
	uint8_t dst, gw, stride;
	bool src;
};

#define LAYOUT(dst, gw, src)                                                             \
	{ dst, gw, sizeof(struct rec) + (dst) + (gw) + ((src) ? sizeof(struct src_tail) : 0), \
	  src }
static const struct layout layouts[ROUTE_CLASSES] = {
	LAYOUT(4, 0, false),   LAYOUT(4, 0, true),   LAYOUT(4, 4, false),
	LAYOUT(4, 4, true),    LAYOUT(4, 16, false), LAYOUT(4, 16, true),
	LAYOUT(16, 0, false),  LAYOUT(16, 0, true),  LAYOUT(16, 4, false),
	LAYOUT(16, 4, true),   LAYOUT(16, 16, false), LAYOUT(16, 16, true),
};

static unsigned class_of(uint8_t family, uint8_t gw_family, bool has_src)
{
	unsigned gw = ip_addr_len(gw_family);

	return (family == AF_INET6 ? 6 : 0) + (gw == 16 ? 2 : gw == 4 ? 1 : 0) * 2 + has_src;
}

static size_t dst_width(unsigned c)
{
	return layouts[c].dst;
}

static size_t gw_width(unsigned c)
{
	return layouts[c].gw;
}

static bool class_has_src(unsigned c)
{
	return layouts[c].src;
}

static size_t stride(unsigned c)
{
	return layouts[c].stride;
}

static unsigned id_class(uint32_t id)
{
	return id & ((1u << CLASS_BITS) - 1);
}

static uint32_t id_slot(uint32_t id)
{
	return (id >> CLASS_BITS) - 1;
}

static uint32_t make_id(uint32_t slot, unsigned c)
{
	return (slot + 1) << CLASS_BITS | c;
}

static struct rec *rec_at(const struct state *s, uint32_t id)
{
	unsigned c = id_class(id);

	return (struct rec *)(s->route_class[c].recs + (size_t)id_slot(id) * stride(c));
}

static struct src_tail *src_of(struct rec *r, unsigned c)
{
	return (struct src_tail *)(r->tail + dst_width(c) + gw_width(c));
}

static bool has_prefsrc(const uint8_t src[4])
{
	return src[0] | src[1] | src[2] | src[3];
}

/* ---------- hashing ---------- */

static uint32_t mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* The base only: routes with the same base land in the same probe run,
 * which state_route_same_base needs. */
static uint32_t base_hash(uint32_t table, uint32_t metric, uint32_t small, const uint8_t *dst,
			  size_t width)
{
	uint64_t a, b = 0, h;

	if (width == 16) {
		memcpy(&a, dst, 8);
		memcpy(&b, dst + 8, 8);
	} else {
		uint32_t w;
		memcpy(&w, dst, 4);
		a = w;
	}
	h = ((uint64_t)table << 32 | metric) * 0x9e3779b97f4a7c15ull;
	h = (h ^ a ^ (uint64_t)small << 40) * 0xff51afd7ed558ccdull;
	h = (h ^ h >> 29 ^ b) * 0xc4ceb9fe1a85ec53ull;
	return mix(h);
}

static uint32_t small_fields(uint8_t family, uint8_t dst_len, uint8_t tos)
{
	return (uint32_t)family << 16 | (uint32_t)dst_len << 8 | tos;
}

static uint32_t key_hash(const struct route_key *k)
{
	const struct route_base *b = &k->base;

	return base_hash(b->table, b->metric, small_fields(b->family, b->dst_len, b->tos), b->dst,
			 b->family == AF_INET6 ? 16 : 4);
}

static uint32_t rec_hash(const struct state *s, uint32_t id)
{
	const struct rec *r = rec_at(s, id);

	return base_hash(r->table, r->metric, small_fields(r->family, r->dst_len, r->tos), r->tail,
			 dst_width(id_class(id)));
}

/* ---------- records ---------- */

/* Addresses are 0, 4 or 16 bytes: with constant sizes the compiler copies
 * and compares them inline instead of calling the library. */
static void addr_copy(uint8_t *to, const uint8_t *from, size_t width)
{
	if (width == 16)
		memcpy(to, from, 16);
	else if (width == 4)
		memcpy(to, from, 4);
}

static bool addr_same(const uint8_t *a, const uint8_t *b, size_t width)
{
	return width == 16 ? memcmp(a, b, 16) == 0 : width == 4 ? memcmp(a, b, 4) == 0 : true;
}

static bool same_base(const struct rec *r, unsigned c, const struct route_key *k)
{
	return r->family == k->base.family && r->table == k->base.table &&
	       r->metric == k->base.metric && r->dst_len == k->base.dst_len &&
	       r->tos == k->base.tos && addr_same(r->tail, k->base.dst, dst_width(c));
}

/* Given the same base. */
static bool same_nexthop(const struct rec *r, unsigned c, const struct route_key *k)
{
	return r->oif == k->oif && r->gw_family == k->gw_family &&
	       addr_same(r->tail + dst_width(c), k->gw, gw_width(c));
}

static void decode(const struct state *s, uint32_t id, struct route_entry *out)
{
	unsigned c = id_class(id);
	struct rec *r = rec_at(s, id);

	memset(out, 0, sizeof(*out));
	out->id = id;
	out->key.base.table = r->table;
	out->key.base.metric = r->metric;
	out->key.base.family = r->family;
	out->key.base.dst_len = r->dst_len;
	out->key.base.tos = r->tos;
	addr_copy(out->key.base.dst, r->tail, dst_width(c));
	out->key.oif = r->oif;
	out->key.gw_family = r->gw_family;
	addr_copy(out->key.gw, r->tail + dst_width(c), gw_width(c));
	out->nh_id = r->nh_id;
	out->gen = r->gen;
	out->protocol = r->protocol;
	out->multipath = r->multipath;
	if (class_has_src(c))
		memcpy(out->prefsrc4, src_of(r, c)->addr, 4);
}

/* Everything but the list links. */
static void encode(struct rec *r, unsigned c, const struct route_entry *e)
{
	r->table = e->key.base.table;
	r->metric = e->key.base.metric;
	r->family = e->key.base.family;
	r->dst_len = e->key.base.dst_len;
	r->tos = e->key.base.tos;
	addr_copy(r->tail, e->key.base.dst, dst_width(c));
	r->oif = e->key.oif;
	r->gw_family = e->key.gw_family;
	addr_copy(r->tail + dst_width(c), e->key.gw, gw_width(c));
	r->nh_id = e->nh_id;
	r->gen = e->gen;
	r->protocol = e->protocol;
	r->multipath = e->multipath;
	if (class_has_src(c))
		memcpy(src_of(r, c)->addr, e->prefsrc4, 4);
}

/* ---------- giving memory back ---------- */

static size_t route_bytes(const struct state *s)
{
	size_t n = idtable_bytes(&s->route_index);

	for (unsigned c = 0; c < ROUTE_CLASSES; c++)
		n += (size_t)s->route_class[c].cap * stride(c);
	return n;
}

/* glibc keeps freed memory: below its mmap threshold, which rises to the
 * size of any mapped block freed (up to 32 MiB), arrays live in the heap,
 * and a heap top under twice that threshold is never returned. Once the
 * cache has shed half of its largest size since, give the heap back. Called
 * when arrays change size, a few dozen times from empty to a million. */
static void resized(struct state *s)
{
	size_t now = route_bytes(s);

	if (now > s->trimmed_at) {
		s->trimmed_at = now;
	} else if (now < s->trimmed_at / 2 && s->trimmed_at - now >= (1u << 20)) {
#ifdef __GLIBC__
		malloc_trim(0);
#endif
		s->trimmed_at = now;
	}
}

static void class_resize(struct state *s, unsigned c, uint32_t cap)
{
	struct route_class *rc = &s->route_class[c];

	if (cap == 0) {
		free(rc->recs);
		rc->recs = NULL;
	} else {
		rc->recs = xrealloc(rc->recs, (size_t)cap * stride(c));
	}
	rc->cap = cap;
	resized(s);
}

/* ---------- lists and their groups ---------- */

enum list { LIST_VIA, LIST_SRC };
enum group_kind { VIA_INET, VIA_OTHER, BY_SRC };

/* The ends of one list: the routes through a device (IPv4, or the other
 * families), or the routes with an IPv4 preferred source. */
struct route_group {
	uint32_t kind;
	uint32_t value; /* ifindex or IPv4 address */
	uint32_t head, tail;
};

static struct lnk *lnk_of(const struct state *s, uint32_t id, enum list l)
{
	struct rec *r = rec_at(s, id);

	return l == LIST_VIA ? &r->via : &src_of(r, id_class(id))->by_src;
}

static uint32_t group_hash_of(uint32_t kind, uint32_t value)
{
	return mix(((uint64_t)kind << 32 | value) * 0x9e3779b97f4a7c15ull);
}

static uint32_t group_hash(const struct state *s, uint32_t gid)
{
	const struct route_group *g = &s->groups[gid - 1];

	return group_hash_of(g->kind, g->value);
}

/* Which group the route's list l belongs to. */
static void group_key(const struct state *s, uint32_t id, enum list l, uint32_t *kind,
		      uint32_t *value)
{
	struct rec *r = rec_at(s, id);

	if (l == LIST_VIA) {
		*kind = r->family == AF_INET ? VIA_INET : VIA_OTHER;
		*value = (uint32_t)r->oif;
	} else {
		*kind = BY_SRC;
		memcpy(value, src_of(r, id_class(id))->addr, 4);
	}
}

static uint32_t group_find(struct state *s, uint32_t kind, uint32_t value)
{
	const struct route_group *hint = s->group_hint ? &s->groups[s->group_hint - 1] : NULL;
	uint32_t h;
	size_t p;

	/* A flood adds and removes routes through one device: skip the hash. */
	if (hint && hint->kind == kind && hint->value == value)
		return s->group_hint;
	h = group_hash_of(kind, value);
	for (uint32_t gid = idtable_first(&s->group_index, h, &p); gid;
	     gid = idtable_next(&s->group_index, h, &p)) {
		const struct route_group *g = &s->groups[gid - 1];
		if (g->kind == kind && g->value == value)
			return s->group_hint = gid;
	}
	return 0;
}

static struct route_group *group_of(struct state *s, uint32_t id, enum list l)
{
	uint32_t kind, value, gid;

	group_key(s, id, l, &kind, &value);
	gid = group_find(s, kind, value);
	if (!gid)
		abort(); /* a listed route without its group: the cache is corrupt */
	return &s->groups[gid - 1];
}

static void list_append(struct state *s, uint32_t id, enum list l)
{
	uint32_t kind, value, gid;
	struct route_group *g;

	group_key(s, id, l, &kind, &value);
	gid = group_find(s, kind, value);
	if (!gid) {
		if (s->n_groups == s->cap_groups) {
			s->cap_groups = s->cap_groups ? 2 * s->cap_groups : 16;
			s->groups = xrealloc(s->groups, s->cap_groups * sizeof(*s->groups));
		}
		gid = s->group_hint = ++s->n_groups;
		s->groups[gid - 1] = (struct route_group){ .kind = kind, .value = value };
		idtable_add(&s->group_index, group_hash_of(kind, value), gid);
	}
	g = &s->groups[gid - 1];
	*lnk_of(s, id, l) = (struct lnk){ .prev = g->tail };
	if (g->tail)
		lnk_of(s, g->tail, l)->next = id;
	else
		g->head = id;
	g->tail = id;
}

static void group_drop(struct state *s, struct route_group *g)
{
	uint32_t gid = (uint32_t)(g - s->groups) + 1, last = s->n_groups;

	s->group_hint = 0;
	idtable_remove(&s->group_index, group_hash(s, gid), gid);
	if (gid != last) {
		idtable_rename(&s->group_index, group_hash(s, last), last, gid);
		*g = s->groups[last - 1];
	}
	if (--s->n_groups == 0) {
		free(s->groups);
		s->groups = NULL;
		s->cap_groups = 0;
	}
}

static void list_unlink(struct state *s, uint32_t id, enum list l)
{
	struct route_group *g = group_of(s, id, l);
	struct lnk *k = lnk_of(s, id, l);

	if (k->prev)
		lnk_of(s, k->prev, l)->next = k->next;
	else
		g->head = k->next;
	if (k->next)
		lnk_of(s, k->next, l)->prev = k->prev;
	else
		g->tail = k->prev;
	if (!g->head)
		group_drop(s, g);
}

/* A route, unchanged, now has the id to: its neighbours learn it. */
static void list_moved(struct state *s, uint32_t to, enum list l)
{
	struct lnk *k = lnk_of(s, to, l);

	if (k->prev)
		lnk_of(s, k->prev, l)->next = to;
	else
		group_of(s, to, l)->head = to;
	if (k->next)
		lnk_of(s, k->next, l)->prev = to;
	else
		group_of(s, to, l)->tail = to;
}

/* ---------- adding and removing ---------- */

static uint32_t insert(struct state *s, const struct route_entry *e)
{
	unsigned c = class_of(e->key.base.family, e->key.gw_family, has_prefsrc(e->prefsrc4));
	struct route_class *rc = &s->route_class[c];
	uint32_t id;

	if (rc->n == rc->cap) {
		if (rc->cap >= MAX_SLOTS / 2)
			fatalx("route cache full");
		class_resize(s, c, rc->cap ? 2 * rc->cap : MIN_CAP);
	}
	id = make_id(rc->n++, c);
	encode(rec_at(s, id), c, e);
	idtable_add(&s->route_index, key_hash(&e->key), id);
	list_append(s, id, LIST_VIA);
	if (class_has_src(c))
		list_append(s, id, LIST_SRC);
	s->n_routes++;
	return id;
}

static void remove_id(struct state *s, uint32_t id)
{
	unsigned c = id_class(id);
	struct route_class *rc = &s->route_class[c];
	uint32_t last = make_id(rc->n - 1, c);

	idtable_remove(&s->route_index, rec_hash(s, id), id);
	list_unlink(s, id, LIST_VIA);
	if (class_has_src(c))
		list_unlink(s, id, LIST_SRC);
	s->moved_from = s->moved_to = 0;
	if (last != id) {
		/* The last record fills the hole: its id changes to this one. */
		memcpy(rec_at(s, id), rec_at(s, last), stride(c));
		idtable_rename(&s->route_index, rec_hash(s, id), last, id);
		list_moved(s, id, LIST_VIA);
		if (class_has_src(c))
			list_moved(s, id, LIST_SRC);
		s->moved_from = last;
		s->moved_to = id;
	}
	rc->n--;
	s->n_routes--;
	if (rc->n == 0)
		class_resize(s, c, 0);
	else if (rc->cap > MIN_CAP && rc->n < rc->cap / 4)
		class_resize(s, c, rc->cap / 2);
}

/* ---------- the API ---------- */

/* The first route with k's base whose nexthop is k's (or, !same, is not). */
static bool lookup(struct state *s, const struct route_key *k, bool same,
		   struct route_entry *out)
{
	uint32_t h = key_hash(k);
	size_t pos;

	for (uint32_t id = idtable_first(&s->route_index, h, &pos); id;
	     id = idtable_next(&s->route_index, h, &pos)) {
		unsigned c = id_class(id);
		const struct rec *r = rec_at(s, id);
		if (same_base(r, c, k) && same_nexthop(r, c, k) == same) {
			decode(s, id, out);
			return true;
		}
	}
	return false;
}

bool state_route(struct state *s, const struct route_key *k, struct route_entry *out)
{
	return lookup(s, k, true, out);
}

bool state_route_same_base(struct state *s, const struct route_key *k, struct route_entry *out)
{
	return lookup(s, k, false, out);
}

void state_route_put(struct state *s, struct route_entry *r)
{
	if (r->id) {
		unsigned c = id_class(r->id);
		struct rec *old = rec_at(s, r->id);
		/* Only what no index depends on changes in place. */
		if (c == class_of(r->key.base.family, r->key.gw_family, has_prefsrc(r->prefsrc4)) &&
		    same_base(old, c, &r->key) && same_nexthop(old, c, &r->key) &&
		    (!class_has_src(c) || memcmp(src_of(old, c)->addr, r->prefsrc4, 4) == 0)) {
			encode(old, c, r);
			return;
		}
		remove_id(s, r->id);
	}
	r->id = insert(s, r);
}

void state_route_remove(struct state *s, const struct route_entry *r)
{
	remove_id(s, r->id);
}

void state_routes_foreach(struct state *s, route_fn fn, void *ctx)
{
	struct route_entry e;

	/* Backwards: a removal moves the last record, already seen, into the
	 * hole, and nothing unseen moves. */
	for (unsigned c = 0; c < ROUTE_CLASSES; c++)
		for (uint32_t slot = s->route_class[c].n; slot-- > 0;) {
			decode(s, make_id(slot, c), &e);
			fn(ctx, &e);
		}
}

/* Newest first: a teardown undoes a setup in reverse, so a default route
 * goes before the prefix route that made its gateway reachable. */
static void walk(struct state *s, uint32_t kind, uint32_t value, enum list l, uint8_t family,
		 route_fn fn, void *ctx)
{
	uint32_t gid = group_find(s, kind, value);
	struct route_entry e;

	for (uint32_t id = gid ? s->groups[gid - 1].tail : 0, prev; id; id = prev) {
		prev = lnk_of(s, id, l)->prev;
		if (family && rec_at(s, id)->family != family)
			continue;
		decode(s, id, &e);
		s->moved_from = 0;
		fn(ctx, &e);
		/* A removal of id may have moved the next one to visit into its slot. */
		if (prev && prev == s->moved_from)
			prev = s->moved_to;
	}
}

void state_routes_via(struct state *s, int ifindex, uint8_t family, route_fn fn, void *ctx)
{
	if (family == AF_INET || family == 0)
		walk(s, VIA_INET, (uint32_t)ifindex, LIST_VIA, 0, fn, ctx);
	if (family != AF_INET)
		walk(s, VIA_OTHER, (uint32_t)ifindex, LIST_VIA, family, fn, ctx);
}

void state_routes_with_prefsrc(struct state *s, const uint8_t src[4], route_fn fn, void *ctx)
{
	uint32_t value;

	memcpy(&value, src, 4);
	if (value)
		walk(s, BY_SRC, value, LIST_SRC, 0, fn, ctx);
}

bool state_prefsrc_used(struct state *s, const uint8_t src[4])
{
	uint32_t value;

	memcpy(&value, src, 4);
	return value && group_find(s, BY_SRC, value);
}

void state_routes_free(struct state *s)
{
	idtable_free(&s->route_index);
	for (unsigned c = 0; c < ROUTE_CLASSES; c++)
		class_resize(s, c, 0);
	idtable_free(&s->group_index);
	free(s->groups);
	s->groups = NULL;
	s->n_groups = s->cap_groups = s->group_hint = 0;
	s->n_routes = 0;
	s->trimmed_at = 0;
}
