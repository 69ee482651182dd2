/* Purpose: per-interface event queues with coalescing, debounce and a bound (no I/O). */
#include "hookq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "log.h"
#include "xalloc.h"

void hookqs_init(struct hookqs *qs, size_t max_per_queue)
{
	memset(qs, 0, sizeof(*qs));
	qs->max_per_queue = max_per_queue ? max_per_queue : 1;
}

static void pending_free(struct pending *p)
{
	for (size_t i = p->next_spec; i < p->n; i++)
		hook_spec_clear(&p->specs[i]);
	free(p->specs);
	event_free(p->ev);
	free(p);
}

static void delayed_free(struct delayed *d)
{
	hook_spec_clear(&d->spec);
	event_free(d->ev);
	free(d);
}

static struct hookq *queue_find(struct hookqs *qs, int ifindex, const char *iface, bool create)
{
	for (struct hookq *q = qs->queues; q; q = q->next)
		if (q->ifindex == ifindex)
			return q;
	if (!create)
		return NULL;
	struct hookq *q = xcalloc(1, sizeof(*q));
	q->ifindex = ifindex;
	snprintf(q->iface, sizeof(q->iface), "%s", iface);
	if (qs->tail)
		qs->tail->next = q;
	else
		qs->queues = q;
	qs->tail = q;
	return q;
}

static void queue_free_if_idle(struct hookqs *qs, struct hookq *q)
{
	struct hookq *prev = NULL;

	if (q->head || q->busy)
		return;
	for (struct hookq *it = qs->queues; it; prev = it, it = it->next) {
		if (it != q)
			continue;
		if (prev)
			prev->next = q->next;
		else
			qs->queues = q->next;
		if (qs->tail == q)
			qs->tail = prev;
		free(q);
		return;
	}
}

static void queue_unlink(struct hookqs *qs, struct hookq *q, struct pending *victim)
{
	struct pending *prev = NULL;

	for (struct pending *p = q->head; p; prev = p, p = p->next) {
		if (p != victim)
			continue;
		if (prev)
			prev->next = p->next;
		else
			q->head = p->next;
		if (q->tail == p)
			q->tail = prev;
		q->n_pending--;
		qs->n_pending--;
		pending_free(p);
		return;
	}
}

static void queue_append(struct hookqs *qs, struct hookq *q, const struct event *ev,
			 struct hook_spec *specs, size_t n)
{
	if (q->n_pending >= qs->max_per_queue) {
		/* Coalescing keeps one event per object, so only a flood of
		 * distinct objects (routes) gets here. */
		if (qs->dropped++ == 0 || qs->dropped % 10000 == 0)
			log_warnx("hook queue for %s is full (%zu events): %llu events dropped",
				  q->iface[0] ? q->iface : "(no interface)", q->n_pending,
				  (unsigned long long)qs->dropped);
		for (size_t i = 0; i < n; i++)
			hook_spec_clear(&specs[i]);
		return;
	}
	struct pending *p = xcalloc(1, sizeof(*p));
	p->ev = event_dup(ev);
	if (!p->ev)
		fatal("event_dup");
	p->specs = xmalloc(n * sizeof(*specs));
	memcpy(p->specs, specs, n * sizeof(*specs));
	p->n = n;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->n_pending++;
	qs->n_pending++;
}

/* The last waiting event about the same thing as ev, or NULL. */
static struct pending *last_about(struct hookq *q, const struct event *ev)
{
	struct pending *found = NULL;

	for (struct pending *p = q->head; p; p = p->next)
		if (event_same_object(p->ev, ev))
			found = p;
	return found;
}

/* A revert inside a delay: every delayed hook about the same thing waiting
 * for the opposite state is cancelled, whichever rules the revert matches.
 * Returns the cancelled hooks' rule names (malloc'd, NULL-terminated). */
static char **cancel_reverted(struct hookqs *qs, const struct event *ev)
{
	int opposite = event_opposite(ev->type);
	char **rules = xcalloc(1, sizeof(*rules));
	size_t n = 0;

	for (struct delayed **pp = &qs->delayed; opposite >= 0 && *pp;) {
		struct delayed *d = *pp;
		if ((int)d->ev->type != opposite || !event_same_object(d->ev, ev)) {
			pp = &d->next;
			continue;
		}
		*pp = d->next;
		rules = xrealloc(rules, (n + 2) * sizeof(*rules));
		rules[n++] = xstrdup(d->spec.rule ? d->spec.rule : "");
		rules[n] = NULL;
		delayed_free(d);
		qs->debounced++;
	}
	return rules;
}

static bool in_list(char **list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static void delay_spec(struct hookqs *qs, const struct event *ev, struct hook_spec *spec,
		       uint64_t now_ms)
{
	struct delayed *d = xcalloc(1, sizeof(*d));

	d->due_ms = now_ms + spec->delay_ms;
	d->ev = event_dup(ev);
	if (!d->ev)
		fatal("event_dup");
	d->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	/* Kept in due order (ties in arrival order), so release keeps order. */
	struct delayed **pp = &qs->delayed;
	while (*pp && (*pp)->due_ms <= d->due_ms)
		pp = &(*pp)->next;
	d->next = *pp;
	*pp = d;
}

void hookqs_add(struct hookqs *qs, const struct event *ev, struct hook_spec *specs, size_t n,
		uint64_t now_ms)
{
	size_t kept = 0;

	/* Debounce first: a revert cancels delayed hooks, and those rules'
	 * hooks for the revert itself; delayed hooks leave the list. */
	char **reverted = cancel_reverted(qs, ev);
	for (size_t i = 0; i < n; i++) {
		if (specs[i].rule && in_list(reverted, specs[i].rule))
			hook_spec_clear(&specs[i]);
		else if (specs[i].delay_ms)
			delay_spec(qs, ev, &specs[i], now_ms);
		else
			specs[kept++] = specs[i];
	}
	for (char **r = reverted; *r; r++)
		free(*r);
	free(reverted);

	/* Coalesce: an event undoes a waiting opposite about the same thing,
	 * whether or not it has hooks of its own. */
	struct hookq *q = queue_find(qs, ev->ifindex, ev->iface, false);
	struct pending *last = q ? last_about(q, ev) : NULL;
	if (last && last->next_spec == 0 && (int)last->ev->type == event_opposite(ev->type)) {
		bool link_never_seen = last->ev->type == EV_LINK_ADDED;
		queue_unlink(qs, q, last);
		qs->coalesced += 2;
		/* Hooks never saw this link: nothing waiting about it matters. */
		for (struct pending *p = q->head, *next; link_never_seen && p; p = next) {
			next = p->next;
			if (p->next_spec == 0) {
				queue_unlink(qs, q, p);
				qs->coalesced++;
			}
		}
		for (size_t i = 0; i < kept; i++)
			hook_spec_clear(&specs[i]);
		queue_free_if_idle(qs, q);
		return;
	}
	if (!kept)
		return;
	q = queue_find(qs, ev->ifindex, ev->iface, true);
	queue_append(qs, q, ev, specs, kept);
	queue_free_if_idle(qs, q);
}

uint64_t hookqs_release_due(struct hookqs *qs, uint64_t now_ms)
{
	uint64_t next = 0;

	while (qs->delayed) {
		struct delayed *d = qs->delayed;
		if (d->due_ms > now_ms) {
			next = d->due_ms;
			break;
		}
		qs->delayed = d->next;
		/* The state held for the whole delay: the hook joins its queue. */
		struct hookq *q = queue_find(qs, d->ev->ifindex, d->ev->iface, true);
		d->spec.delay_ms = 0;
		queue_append(qs, q, d->ev, &d->spec, 1);
		memset(&d->spec, 0, sizeof(d->spec));
		delayed_free(d);
		queue_free_if_idle(qs, q);
	}
	return next;
}

static bool waits_for_older_namesake(const struct hookqs *qs, const struct hookq *q)
{
	for (const struct hookq *it = qs->queues; it && it != q; it = it->next)
		if (it->ifindex != q->ifindex && q->iface[0] && strcmp(it->iface, q->iface) == 0)
			return true;
	return false;
}

struct hookq *hookqs_next(struct hookqs *qs, struct hook_spec *spec, char *label, size_t label_size)
{
	for (struct hookq *q = qs->queues; q; q = q->next) {
		if (q->busy || !q->head || waits_for_older_namesake(qs, q))
			continue;
		struct pending *p = q->head;
		char safe[IF_NAMESIZE * 4 + 1];
		snprintf(label, label_size, "%s %s", event_name(p->ev->type),
			 log_safe(p->ev->iface, safe, sizeof(safe)));
		*spec = p->specs[p->next_spec++];
		if (p->next_spec == p->n)
			queue_unlink(qs, q, p);
		q->busy = true;
		return q;
	}
	return NULL;
}

void hookqs_done(struct hookqs *qs, struct hookq *q)
{
	q->busy = false;
	queue_free_if_idle(qs, q);
}

void hookqs_drop_all(struct hookqs *qs)
{
	for (struct hookq *q = qs->queues, *next; q; q = next) {
		next = q->next;
		while (q->head)
			queue_unlink(qs, q, q->head);
		queue_free_if_idle(qs, q);
	}
	while (qs->delayed) {
		struct delayed *d = qs->delayed;
		qs->delayed = d->next;
		delayed_free(d);
	}
}

void hookqs_free(struct hookqs *qs)
{
	hookqs_drop_all(qs);
	/* Busy queues stay allocated until their hook ends; at exit free them. */
	while (qs->queues) {
		struct hookq *q = qs->queues;
		qs->queues = q->next;
		free(q);
	}
	qs->tail = NULL;
}
