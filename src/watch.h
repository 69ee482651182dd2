/* Purpose: epoll registration of fds with a callback each, signals as an fd, and the monotonic clock. */
#ifndef IFHOOKD_WATCH_H
#define IFHOOKD_WATCH_H

#include <stdint.h>

struct watch {
	void (*fn)(struct watch *w, uint32_t events);
	int fd;
};

int watch_add(int epfd, struct watch *w, int fd, uint32_t events,
	      void (*fn)(struct watch *w, uint32_t events));
void watch_del(int epfd, struct watch *w);
uint64_t mono_ms(void);

/* Blocks the signals listed (ending with 0) and returns a signalfd that
 * reads them, with flags (SFD_*); exits through fatal() when it cannot. */
int watch_signalfd(int flags, ...);

#endif
