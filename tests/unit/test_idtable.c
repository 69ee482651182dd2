/* Purpose: the id hash table with crowded hashes: lookups, removals that close gaps across the wrap, renames, shrinking. */
#include <stdlib.h>

#include "idtable.h"
#include "unit.h"

#define IDS 3000

/* Few distinct hashes whose slots sit at the end of any table size, so
 * that runs are long and wrap around to slot 0. */
static uint32_t hash_of(uint32_t id)
{
	return 0xfffffff0u + id % 7;
}

/* Every present id is found under its hash, exactly once, and nothing else is. */
static size_t check(const struct idtable *t, const bool *present)
{
	size_t bad = 0, found = 0;

	for (uint32_t h = 0; h < 7; h++) {
		size_t pos;
		for (uint32_t id = idtable_first(t, 0xfffffff0u + h, &pos); id;
		     id = idtable_next(t, 0xfffffff0u + h, &pos)) {
			bad += id >= IDS || !present[id] || hash_of(id) != 0xfffffff0u + h;
			found++;
		}
	}
	return bad + (found != t->n);
}

TEST(idtable_keeps_crowded_runs_findable_through_removals)
{
	struct idtable t = { 0 };
	bool *present = calloc(IDS, sizeof(*present));
	uint64_t rng = 12345;
	size_t bad = 0, n = 0;

	for (int round = 0; round < 20000; round++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		uint32_t id = 1 + (uint32_t)(rng >> 33) % (IDS - 1);
		if (present[id]) {
			idtable_remove(&t, hash_of(id), id);
			n--;
		} else {
			idtable_add(&t, hash_of(id), id);
			n++;
		}
		present[id] = !present[id];
		if (round % 500 == 0)
			bad += check(&t, present);
	}
	CHECK(bad == 0 && t.n == n);
	/* A rename keeps the slot: the id is found under its hash as the new one. */
	for (uint32_t id = 1; id + 7 < IDS; id++)
		if (present[id] && !present[id + 7]) {
			idtable_rename(&t, hash_of(id), id, id + 7);
			present[id] = false;
			present[id + 7] = true;
		}
	CHECK(check(&t, present) == 0);
	for (uint32_t id = 1; id < IDS; id++)
		if (present[id])
			idtable_remove(&t, hash_of(id), id);
	CHECK(t.n == 0 && t.slot == NULL && idtable_bytes(&t) == 0);
	free(present);
}

TEST(idtable_shrinks_as_it_empties)
{
	struct idtable t = { 0 };
	size_t peak;

	for (uint32_t id = 1; id <= 100000; id++)
		idtable_add(&t, id * 2654435761u, id);
	peak = idtable_bytes(&t);
	CHECK(peak >= 100000 * 8 * 4 / 3);
	for (uint32_t id = 1; id <= 99000; id++)
		idtable_remove(&t, id * 2654435761u, id);
	CHECK(idtable_bytes(&t) * 16 <= peak);
	idtable_free(&t);
	CHECK(t.slot == NULL && t.n == 0);
}
