/* Purpose: thin helpers over epoll_ctl, signalfd and CLOCK_MONOTONIC. */
#include "watch.h"

#include <signal.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>

#include "log.h"

int watch_add(int epfd, struct watch *w, int fd, uint32_t events,
	      void (*fn)(struct watch *w, uint32_t events))
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->fn = fn;
	w->fd = fd;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

void watch_del(int epfd, struct watch *w)
{
	if (w->fd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->fd = -1;
}

uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int watch_signalfd(int flags, ...)
{
	sigset_t set;
	va_list ap;
	int sig, fd;

	sigemptyset(&set);
	va_start(ap, flags);
	while ((sig = va_arg(ap, int)) != 0)
		sigaddset(&set, sig);
	va_end(ap);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		fatal("sigprocmask");
	fd = signalfd(-1, &set, flags);
	if (fd < 0)
		fatal("signalfd");
	return fd;
}
