/* Purpose: runs hooks: serial per interface, parallel across interfaces, with timeouts. */
#ifndef IFHOOKD_JOBS_H
#define IFHOOKD_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dispatch.h"
#include "event.h"

struct jobs;

struct jobs_stats {
	uint64_t started, failed, timed_out, spawn_errors;
	uint64_t refused; /* not started: the program failed trust_start_problem */
	uint64_t coalesced, debounced, dropped;
	size_t running, pending;
};

struct jobs *jobs_new(int epfd, unsigned max_jobs, unsigned timeout_s);
void jobs_free(struct jobs *j);
void jobs_set_limits(struct jobs *j, unsigned max_jobs, unsigned timeout_s);

/* Queues the hooks of one event (ownership of specs[0..n) is taken; the
 * array stays the caller's), after coalescing and debounce (see hookq.h).
 * Called with n == 0 too: an event without hooks can still cancel a waiting
 * opposite. Nothing starts until jobs_pump. */
void jobs_add_event(struct jobs *j, const struct event *ev, struct hook_spec *specs, size_t n);

/* Starts waiting hooks up to max_jobs. The daemon calls it once the netlink
 * socket is drained, so a burst is coalesced before any hook starts. Right
 * before each start (and before a --dry-run shows it), its program is checked
 * (trust_start_problem, trust.h): a refused hook is skipped, its queue goes
 * on, and the refusal is logged once per (path, reason). */
void jobs_pump(struct jobs *j);

/* After a reload: refusals that persist are logged again, once each. */
void jobs_forget_refusals(struct jobs *j);

/* Is pid (a netlink port id) a process of a running hook's session? Only
 * while that process lives can it be told; this reads /proc. */
bool jobs_pid_in_hook(const struct jobs *j, uint32_t pid);

/* The daemon got SIGCHLD: notice exits of hooks that have no pidfd. */
void jobs_child_exited(struct jobs *j);

/* Deadline work (timeouts, group kills) due at now; next deadline or 0. */
void jobs_tick(struct jobs *j, uint64_t now_ms);
uint64_t jobs_next_deadline(const struct jobs *j);

/* Drops queued hooks, lets running ones finish up to their timeout and
 * kills the process groups of any that linger. */
void jobs_shutdown(struct jobs *j);
bool jobs_idle(const struct jobs *j);
void jobs_get_stats(const struct jobs *j, struct jobs_stats *out);

/* --dry-run: from now on each hook due to start goes to fn (with "EVENT
 * IFACE" as label) and counts as done at once; nothing is spawned. */
typedef void (*jobs_dry_run_fn)(void *ctx, const struct hook_spec *spec, const char *label);
void jobs_set_dry_run(struct jobs *j, jobs_dry_run_fn fn, void *ctx);

/* For ifhookd status: each running hook, and each interface queue. */
struct jobs_run_info {
	const char *name;
	int pid;
	uint64_t started_ms; /* mono_ms() */
	const char *iface;   /* may be NULL; not terminated if IF_NAMESIZE long */
	int ifindex;
};
typedef void (*jobs_run_fn)(void *ctx, const struct jobs_run_info *ri);
void jobs_foreach_run(const struct jobs *j, jobs_run_fn fn, void *ctx);
struct hookq;
typedef void (*jobs_queue_fn)(void *ctx, const struct hookq *q);
void jobs_foreach_queue(const struct jobs *j, jobs_queue_fn fn, void *ctx);

#endif
