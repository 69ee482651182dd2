/* Purpose: a small event loop that runs hooks through the daemon's job queues,
 * for the commands that run hooks outside the daemon (explain --run, replay). */
#ifndef IFHOOKD_RUNLOOP_H
#define IFHOOKD_RUNLOOP_H

#include <stdbool.h>

#include "jobs.h"
#include "watch.h"

struct runloop {
	int epfd, sigfd;
	struct watch sig_w;
	struct jobs *jobs;
	bool stopping; /* SIGINT or SIGTERM: queued hooks dropped, running ones end */
};

/* Blocks SIGINT, SIGTERM and SIGCHLD into a signalfd (call before anything
 * else reads those signals). */
void runloop_init(struct runloop *rl, unsigned max_jobs, unsigned timeout_s);
void runloop_free(struct runloop *rl);

/* Starts what may start, handles what is ready, waits at most timeout_ms
 * (0: not at all). */
void runloop_once(struct runloop *rl, int timeout_ms);
/* Until every hook has finished (or been killed after its timeout). */
void runloop_drain(struct runloop *rl);
/* Lets up to ms pass for the hooks, returning early once nothing is running,
 * queued or delayed: then no time can change what happens next. */
void runloop_wait(struct runloop *rl, uint64_t ms);

#endif
