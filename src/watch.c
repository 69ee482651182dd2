/* Purpose: thin helpers over epoll_ctl and CLOCK_MONOTONIC. */
#include "watch.h"

#include <sys/epoll.h>
#include <time.h>

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
