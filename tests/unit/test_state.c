/* Purpose: the route cache against a plain array model, through random adds,
 * changes and removals: lookups, per-device and per-source lists, memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "state.h"
#include "unit.h"

#define MODEL_MAX 4096
#define N_OIFS 6

/* Each model route's gen is its index here, so a route the cache hands
 * back names its model entry. */
struct model {
	struct route_entry r[MODEL_MAX];
	bool live[MODEL_MAX];
	size_t n_live;
	uint32_t seen[MODEL_MAX]; /* visit stamps */
	uint32_t stamp;
};

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const uint8_t srcs[3][4] = { { 192, 0, 2, 1 }, { 192, 0, 2, 2 }, { 198, 51, 100, 1 } };

/* Random nexthop part and preferred source, on a route of a given base. */
static void random_nexthop(struct route_entry *e)
{
	memset(e->key.gw, 0, sizeof(e->key.gw));
	memset(e->prefsrc4, 0, sizeof(e->prefsrc4));
	e->key.oif = (int32_t)rnd(N_OIFS);
	switch (rnd(3)) {
	case 0:
		e->key.gw_family = 0;
		break;
	case 1:
		e->key.gw_family = AF_INET6; /* on an IPv4 route: RFC 5549 */
		e->key.gw[0] = 0xfe;
		e->key.gw[15] = (uint8_t)rnd(4);
		break;
	default:
		e->key.gw_family = e->key.base.family;
		e->key.gw[0] = 10;
		e->key.gw[3] = (uint8_t)rnd(4);
	}
	if (e->key.base.family == AF_INET && rnd(3) == 0)
		memcpy(e->prefsrc4, srcs[rnd(3)], 4);
}

/* Few distinct bases, so that same-base routes and collisions are common. */
static void random_route(struct route_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->key.base.family = rnd(2) ? AF_INET : AF_INET6;
	e->key.base.table = rnd(8) ? 254 : 1000 + rnd(3);
	e->key.base.metric = rnd(3) * 100;
	e->key.base.dst_len = (uint8_t)(e->key.base.family == AF_INET ? 24 : 64);
	e->key.base.dst[0] = e->key.base.family == AF_INET ? 10 : 0x20;
	e->key.base.dst[1] = (uint8_t)rnd(40);
	e->key.base.dst[2] = (uint8_t)rnd(30);
	random_nexthop(e);
	e->protocol = (uint8_t)rnd(5);
	e->nh_id = rnd(4) ? 0 : rnd(100);
	e->multipath = rnd(5) == 0;
}

static bool same(const struct route_entry *a, const struct route_entry *b)
{
	return memcmp(&a->key, &b->key, sizeof(a->key)) == 0 && a->nh_id == b->nh_id &&
	       a->gen == b->gen && a->protocol == b->protocol && a->multipath == b->multipath &&
	       memcmp(a->prefsrc4, b->prefsrc4, 4) == 0;
}

static size_t model_find(struct model *m, const struct route_key *k)
{
	for (size_t i = 0; i < MODEL_MAX; i++)
		if (m->live[i] && memcmp(&m->r[i].key, k, sizeof(*k)) == 0)
			return i;
	return MODEL_MAX;
}

static size_t model_free_slot(struct model *m)
{
	for (size_t i = 0; i < MODEL_MAX; i++)
		if (!m->live[i])
			return i;
	return MODEL_MAX;
}

struct visit {
	struct model *m;
	struct state *s;
	size_t n, bad;
	int oif;        /* -1: any */
	uint8_t family; /* 0: any */
	const uint8_t *src;
	bool remove_odd; /* remove every other route visited */
};

static void visit(void *ctx, struct route_entry *r)
{
	struct visit *v = ctx;
	uint32_t i = r->gen;

	if (i >= MODEL_MAX || !v->m->live[i] || !same(r, &v->m->r[i]) ||
	    v->m->seen[i] == v->m->stamp || (v->oif >= 0 && r->key.oif != v->oif) ||
	    (v->family && r->key.base.family != v->family) ||
	    (v->src && memcmp(r->prefsrc4, v->src, 4) != 0)) {
		v->bad++;
		return;
	}
	v->m->seen[i] = v->m->stamp;
	if (v->remove_odd && v->n % 2) {
		state_route_remove(v->s, r);
		v->m->live[i] = false;
		v->m->n_live--;
	}
	v->n++;
}

static size_t model_count(struct model *m, int oif, uint8_t family, const uint8_t *src)
{
	size_t n = 0;

	for (size_t i = 0; i < MODEL_MAX; i++)
		n += m->live[i] && (oif < 0 || m->r[i].key.oif == oif) &&
		     (!family || m->r[i].key.base.family == family) &&
		     (!src || memcmp(m->r[i].prefsrc4, src, 4) == 0);
	return n;
}

/* Everything the cache can be asked agrees with the model. */
static void check_all(struct state *s, struct model *m)
{
	struct visit v = { .m = m, .s = s, .oif = -1 };
	struct route_entry e;
	size_t bad = 0;

	CHECK(s->n_routes == m->n_live);
	for (size_t i = 0; i < MODEL_MAX; i++)
		if (m->live[i] && (!state_route(s, &m->r[i].key, &e) || !same(&e, &m->r[i])))
			bad++;
	CHECK(bad == 0);
	m->stamp++;
	state_routes_foreach(s, visit, &v);
	CHECK(v.bad == 0 && v.n == m->n_live);
	for (int oif = 0; oif < N_OIFS; oif++) {
		static const uint8_t families[] = { 0, AF_INET, AF_INET6 };
		for (size_t f = 0; f < 3; f++) {
			v = (struct visit){ .m = m, .s = s, .oif = oif, .family = families[f] };
			m->stamp++;
			state_routes_via(s, oif, families[f], visit, &v);
			CHECK(v.bad == 0 && v.n == model_count(m, oif, families[f], NULL));
		}
	}
	for (size_t k = 0; k < 3; k++) {
		v = (struct visit){ .m = m, .s = s, .oif = -1, .src = srcs[k] };
		m->stamp++;
		state_routes_with_prefsrc(s, srcs[k], visit, &v);
		size_t want = model_count(m, -1, AF_INET, srcs[k]);
		CHECK(v.bad == 0 && v.n == want);
		CHECK(state_prefsrc_used(s, srcs[k]) == (want > 0));
	}
}

static void step(struct state *s, struct model *m)
{
	struct route_entry e;
	size_t i;

	switch (rnd(10)) {
	case 0: /* remove some */
	case 1:
		i = rnd(MODEL_MAX);
		if (!m->live[i])
			return;
		CHECK(state_route(s, &m->r[i].key, &e));
		state_route_remove(s, &e);
		m->live[i] = false;
		m->n_live--;
		return;
	case 2: /* change attributes, or the nexthop (a replace) */
	case 3:
		i = rnd(MODEL_MAX);
		if (!m->live[i] || !state_route(s, &m->r[i].key, &e))
			return;
		e.protocol = (uint8_t)rnd(5);
		e.nh_id = rnd(2) ? 0 : rnd(100);
		if (rnd(2)) {
			struct route_entry n = e;
			random_nexthop(&n);
			if (model_find(m, &n.key) < MODEL_MAX)
				return;
			e.key = n.key;
			memcpy(e.prefsrc4, n.prefsrc4, 4);
		}
		state_route_put(s, &e);
		m->r[i] = e;
		return;
	default: /* add */
		random_route(&e);
		if (state_route(s, &e.key, &e) || (i = model_free_slot(m)) == MODEL_MAX) {
			CHECK(model_find(m, &e.key) < MODEL_MAX || m->n_live == MODEL_MAX);
			return;
		}
		CHECK(model_find(m, &e.key) == MODEL_MAX);
		e.gen = (uint32_t)i;
		state_route_put(s, &e);
		CHECK(e.id != 0);
		m->r[i] = e;
		m->live[i] = true;
		m->n_live++;
	}
}

static bool empty(const struct state *s)
{
	for (unsigned c = 0; c < ROUTE_CLASSES; c++)
		if (s->route_class[c].recs || s->route_class[c].cap)
			return false;
	return !s->route_index.slot && !s->group_index.slot && !s->groups && s->n_routes == 0;
}

TEST(route_cache_agrees_with_a_model_through_random_changes)
{
	struct state s;
	struct model *m = calloc(1, sizeof(*m));

	state_init(&s);
	for (int round = 0; round < 60; round++) {
		for (int k = 0; k < 500; k++)
			step(&s, m);
		check_all(&s, m);
	}
	state_free(&s);
	free(m);
}

TEST(route_walks_survive_removing_what_they_visit)
{
	struct state s;
	struct model *m = calloc(1, sizeof(*m));

	state_init(&s);
	while (m->n_live < 3000)
		step(&s, m);
	for (int oif = 0; oif < N_OIFS; oif++) {
		struct visit v = { .m = m, .s = &s, .oif = oif, .remove_odd = true };
		m->stamp++;
		size_t want = model_count(m, oif, 0, NULL);
		state_routes_via(&s, oif, 0, visit, &v);
		CHECK(v.bad == 0 && v.n == want);
		check_all(&s, m);
	}
	for (size_t k = 0; k < 3; k++) {
		struct visit v = { .m = m, .s = &s, .oif = -1, .src = srcs[k], .remove_odd = true };
		m->stamp++;
		size_t want = model_count(m, -1, 0, srcs[k]);
		state_routes_with_prefsrc(&s, srcs[k], visit, &v);
		CHECK(v.bad == 0 && v.n == want);
		check_all(&s, m);
	}
	struct visit v = { .m = m, .s = &s, .oif = -1, .remove_odd = true };
	m->stamp++;
	size_t want = m->n_live;
	state_routes_foreach(&s, visit, &v);
	CHECK(v.bad == 0 && v.n == want);
	check_all(&s, m);
	state_free(&s);
	free(m);
}

static void remove_it(void *ctx, struct route_entry *r)
{
	state_route_remove(ctx, r);
}

TEST(an_emptied_route_cache_holds_no_memory)
{
	struct state s;
	struct route_entry e;

	state_init(&s);
	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < 50000; i++) {
			memset(&e, 0, sizeof(e));
			e.key.base.family = i % 3 ? AF_INET6 : AF_INET;
			e.key.base.table = 254;
			memcpy(e.key.base.dst, &i, 4);
			e.key.oif = (int32_t)(i % 7);
			if (i % 5 == 0)
				memcpy(e.prefsrc4, srcs[i % 3], 4);
			state_route_put(&s, &e);
		}
		CHECK(s.n_routes == 50000);
		/* The first round flushes by device, the second all at once. */
		if (round == 0)
			for (int oif = 0; oif < 7; oif++)
				state_routes_via(&s, oif, 0, remove_it, &s);
		else
			state_routes_foreach(&s, remove_it, &s);
		CHECK(empty(&s));
	}
	state_free(&s);
}

TEST(a_route_whose_layout_changes_keeps_its_lists_right)
{
	struct state s;
	struct route_entry e, got;
	const uint8_t src[4] = { 192, 0, 2, 1 };

	state_init(&s);
	memset(&e, 0, sizeof(e));
	e.key.base.family = AF_INET;
	e.key.base.dst_len = 24;
	e.key.base.dst[0] = 203;
	e.key.oif = 3;
	state_route_put(&s, &e);
	/* A preferred source appears, then the gateway and device change. */
	memcpy(e.prefsrc4, src, 4);
	state_route_put(&s, &e);
	CHECK(state_prefsrc_used(&s, src));
	e.key.gw_family = AF_INET;
	e.key.gw[0] = 192;
	e.key.oif = 4;
	state_route_put(&s, &e);
	CHECK(s.n_routes == 1);
	CHECK(state_route(&s, &e.key, &got) && got.id == e.id && same(&got, &e));
	memset(e.prefsrc4, 0, 4);
	state_route_put(&s, &e);
	CHECK(!state_prefsrc_used(&s, src));
	state_route_remove(&s, &e);
	CHECK(empty(&s));
	state_free(&s);
}
