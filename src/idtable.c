/* Purpose: linear probing over (id, hash) slots, with backward-shift removal and resizing both ways. */
#include "idtable.h"

#include <stdbool.h>
#include <stdlib.h>

#include "xalloc.h"

#define MIN_SLOTS 16

static void place(struct idtable *t, struct idtable_slot e)
{
	size_t i = e.hash & t->mask;

	while (t->slot[i].id)
		i = (i + 1) & t->mask;
	t->slot[i] = e;
}

static void resize(struct idtable *t, size_t slots)
{
	struct idtable_slot *old = t->slot;
	size_t old_slots = old ? t->mask + 1 : 0;

	t->slot = xcalloc(slots, sizeof(*t->slot));
	t->mask = slots - 1;
	for (size_t i = 0; i < old_slots; i++)
		if (old[i].id)
			place(t, old[i]);
	free(old);
}

void idtable_add(struct idtable *t, uint32_t hash, uint32_t id)
{
	if (!t->slot)
		resize(t, MIN_SLOTS);
	else if ((t->n + 1) * 4 > (t->mask + 1) * 3)
		resize(t, (t->mask + 1) * 2);
	place(t, (struct idtable_slot){ .id = id, .hash = hash });
	t->n++;
}

static size_t find(const struct idtable *t, uint32_t hash, uint32_t id)
{
	size_t pos;

	for (uint32_t cur = idtable_first(t, hash, &pos); cur; cur = idtable_next(t, hash, &pos))
		if (cur == id)
			return pos;
	abort(); /* the caller's bookkeeping is broken: nothing sane to do */
}

/* Whether home lies cyclically in (gap, cur]: then the entry at cur may not
 * move back to gap, or a lookup starting at home would stop at the gap. */
static bool stays(size_t gap, size_t home, size_t cur)
{
	return gap <= cur ? gap < home && home <= cur : gap < home || home <= cur;
}

void idtable_remove(struct idtable *t, uint32_t hash, uint32_t id)
{
	size_t gap = find(t, hash, id);

	/* The entries after the gap that may fill it move back, so that no
	 * tombstone is left and the table can shrink at any time. */
	for (size_t cur = (gap + 1) & t->mask; t->slot[cur].id; cur = (cur + 1) & t->mask) {
		if (stays(gap, t->slot[cur].hash & t->mask, cur))
			continue;
		t->slot[gap] = t->slot[cur];
		gap = cur;
	}
	t->slot[gap].id = 0;
	t->n--;
	if (t->n == 0)
		idtable_free(t);
	else if (t->mask + 1 > MIN_SLOTS && t->n * 8 < t->mask + 1)
		resize(t, (t->mask + 1) / 2);
}

void idtable_rename(struct idtable *t, uint32_t hash, uint32_t id, uint32_t to_id)
{
	t->slot[find(t, hash, id)].id = to_id;
}

size_t idtable_bytes(const struct idtable *t)
{
	return t->slot ? (t->mask + 1) * sizeof(*t->slot) : 0;
}

void idtable_free(struct idtable *t)
{
	free(t->slot);
	t->slot = NULL;
	t->mask = 0;
	t->n = 0;
}
