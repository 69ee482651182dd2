/* Purpose: an open-addressing hash table of 32-bit ids whose keys live in the caller's storage. */
#ifndef IFHOOKD_IDTABLE_H
#define IFHOOKD_IDTABLE_H

#include <stddef.h>
#include <stdint.h>

/* Ids are nonzero handles into the caller's own arrays, which hold the keys;
 * the table keeps each id with its key's 32-bit hash, so that probing,
 * resizing and removal never touch the caller's records (a resize of a
 * million entries reads 8 MB in order, not a million scattered records),
 * and a lookup looks at a record only when the whole hash matches.
 * Linear probing, at most 3/4 full, no tombstones; it shrinks as it empties,
 * and an empty table holds no memory. */
struct idtable_slot {
	uint32_t id; /* 0: free */
	uint32_t hash;
};

struct idtable {
	struct idtable_slot *slot; /* NULL while empty */
	size_t mask;               /* number of slots - 1 */
	size_t n;
};

/* The ids stored under this very hash, until an empty slot ends them:
 *   for (id = idtable_first(t, h, &pos); id; id = idtable_next(t, h, &pos)) */
static inline uint32_t idtable_scan(const struct idtable *t, uint32_t hash, size_t *pos)
{
	for (;; *pos = (*pos + 1) & t->mask)
		if (!t->slot[*pos].id || t->slot[*pos].hash == hash)
			return t->slot[*pos].id;
}

static inline uint32_t idtable_first(const struct idtable *t, uint32_t hash, size_t *pos)
{
	if (!t->slot)
		return 0;
	*pos = hash & t->mask;
	return idtable_scan(t, hash, pos);
}

static inline uint32_t idtable_next(const struct idtable *t, uint32_t hash, size_t *pos)
{
	*pos = (*pos + 1) & t->mask;
	return idtable_scan(t, hash, pos);
}

/* Adds id (not present yet) under hash. */
void idtable_add(struct idtable *t, uint32_t hash, uint32_t id);
/* Removes id, present under hash. */
void idtable_remove(struct idtable *t, uint32_t hash, uint32_t id);
/* The entry of id, present under hash, now names to_id instead. */
void idtable_rename(struct idtable *t, uint32_t hash, uint32_t id, uint32_t to_id);
/* Bytes of memory held. */
size_t idtable_bytes(const struct idtable *t);
void idtable_free(struct idtable *t);

#endif
