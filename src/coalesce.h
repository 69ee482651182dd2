/* Purpose: which events cancel each other: the rules that keep hooks on current state. */
#ifndef IFHOOKD_COALESCE_H
#define IFHOOKD_COALESCE_H

#include <stdbool.h>

#include "event.h"

/* Do a and b describe the same thing: the same link's presence, its up
 * state, its PPP connection, the same address or the same route? */
bool event_same_object(const struct event *a, const struct event *b);

/* The event that undoes t (link-up for link-down, ...), or -1 when none
 * (link-renamed, route-changed). */
int event_opposite(enum event_type t);

/* Events whose hooks set something up: debounce uses delay_up for these. */
bool event_is_up(enum event_type t);
bool event_is_down(enum event_type t);

#endif
