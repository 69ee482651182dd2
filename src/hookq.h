/* Purpose: what to run next: per-interface queues of events' hooks, coalesced and debounced. */
#ifndef IFHOOKD_HOOKQ_H
#define IFHOOKD_HOOKQ_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dispatch.h"
#include "event.h"

/* The hooks of one event that have not all started yet. */
struct pending {
	struct pending *next;
	struct event *ev;
	struct hook_spec *specs;
	size_t n, next_spec; /* next_spec > 0: started, no longer cancellable */
};

/* One interface's queue (keyed by ifindex; 0 for routes without a device). */
struct hookq {
	struct hookq *next;
	int ifindex;
	char iface[IF_NAMESIZE];
	struct pending *head, *tail;
	size_t n_pending;
	bool busy; /* one of its hooks is running */
};

/* A rule's hook held back by its delay until the new state has held. */
struct delayed {
	struct delayed *next;
	uint64_t due_ms;
	struct event *ev;
	struct hook_spec spec;
};

struct hookqs {
	struct hookq *queues, *tail;
	struct delayed *delayed;
	size_t n_pending;       /* events waiting, all queues */
	size_t max_per_queue;   /* bound per interface */
	uint64_t coalesced;     /* events cancelled by their opposite before any hook ran */
	uint64_t debounced;     /* delayed hooks cancelled by a revert */
	uint64_t dropped;       /* events refused because a queue was full */
};

void hookqs_init(struct hookqs *qs, size_t max_per_queue);
void hookqs_free(struct hookqs *qs);

/* Adds an event and its hooks (ownership of specs[0..n) is taken; the array
 * itself stays the caller's). An event undoes a not-yet-started opposite
 * event about the same thing: both vanish, so hooks see the net change.
 * Hooks with a delay wait in the delayed list; a revert cancels them. */
void hookqs_add(struct hookqs *qs, const struct event *ev, struct hook_spec *specs, size_t n,
		uint64_t now_ms);

/* Moves delayed hooks that are due into their queues; returns the next due
 * time, 0 if none remain. */
uint64_t hookqs_release_due(struct hookqs *qs, uint64_t now_ms);

/* The next hook to start, in queue order, from a queue that is not busy and
 * not waiting for an older queue of the same name (a PPP link reconnecting
 * under its old name waits for the old link's hooks). Marks the queue busy
 * and moves the hook into *spec. label gets "EVENT IFACE". NULL if none. */
struct hookq *hookqs_next(struct hookqs *qs, struct hook_spec *spec, char *label, size_t label_size);

/* The running hook of q ended: q may start its next one (or be freed). */
void hookqs_done(struct hookqs *qs, struct hookq *q);

/* Drops every waiting and delayed hook (shutdown). */
void hookqs_drop_all(struct hookqs *qs);

#endif
