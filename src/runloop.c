/* Purpose: epoll over the hooks' pidfds and pipes plus a signalfd, driving jobs.c
 * exactly as the daemon's loop does, for explain --run and replay. */
#include "runloop.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"

static void on_signal(struct watch *w, uint32_t events)
{
	struct runloop *rl = (struct runloop *)((char *)w - offsetof(struct runloop, sig_w));
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			jobs_child_exited(rl->jobs);
		} else if (!rl->stopping) {
			log_info("stopping on SIG%s: no new hooks; running ones may finish",
				 sigabbrev_np((int)si.ssi_signo));
			rl->stopping = true;
			jobs_shutdown(rl->jobs);
		}
	}
}

void runloop_init(struct runloop *rl, unsigned max_jobs, unsigned timeout_s)
{
	rl->stopping = false;
	rl->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rl->epfd < 0)
		fatal("epoll_create1");
	signal(SIGPIPE, SIG_IGN);
	rl->sigfd = watch_signalfd(SFD_CLOEXEC | SFD_NONBLOCK, SIGINT, SIGTERM, SIGCHLD, 0);
	if (watch_add(rl->epfd, &rl->sig_w, rl->sigfd, EPOLLIN, on_signal) < 0)
		fatal("epoll_ctl");
	rl->jobs = jobs_new(rl->epfd, max_jobs, timeout_s);
}

void runloop_free(struct runloop *rl)
{
	jobs_free(rl->jobs);
	close(rl->sigfd);
	close(rl->epfd);
}

void runloop_once(struct runloop *rl, int timeout_ms)
{
	struct epoll_event evs[32];
	uint64_t next;
	int n;

	jobs_pump(rl->jobs);
	next = jobs_next_deadline(rl->jobs);
	if (next) {
		uint64_t now = mono_ms();
		int due = next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
		if (timeout_ms < 0 || due < timeout_ms)
			timeout_ms = due;
	}
	n = epoll_wait(rl->epfd, evs, 32, timeout_ms);
	if (n < 0 && errno != EINTR)
		fatal("epoll_wait");
	for (int i = 0; i < n; i++) {
		struct watch *w = evs[i].data.ptr;
		w->fn(w, evs[i].events);
	}
	jobs_tick(rl->jobs, mono_ms());
}

void runloop_drain(struct runloop *rl)
{
	while (!jobs_idle(rl->jobs))
		runloop_once(rl, -1);
}

void runloop_wait(struct runloop *rl, uint64_t ms)
{
	uint64_t deadline = mono_ms() + ms;

	while (!rl->stopping && !jobs_idle(rl->jobs)) {
		uint64_t now = mono_ms();
		if (now >= deadline)
			return;
		runloop_once(rl, (int)(deadline - now > 60000 ? 60000 : deadline - now));
	}
}
