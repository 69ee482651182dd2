/* Purpose: inotify on a few directories, drained on demand: the kernel queues
 * each change before the call that made it returns, so a reader that drains
 * the queue sees every change made before it looked. */
#include "dirwatch.h"

#include <errno.h>
#include <limits.h>
#include <sys/inotify.h>
#include <unistd.h>

/* Whatever can change which entries there are or how they are judged (name,
 * type, owner, mode); IN_CLOSE_WRITE too, for a hook rewritten in place. */
#define WATCHED                                                                           \
	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE | \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

int dirwatch_open(struct dirwatch *w)
{
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return w->fd < 0 ? -1 : 0;
}

void dirwatch_close(struct dirwatch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

int dirwatch_add(struct dirwatch *w, const char *dir)
{
	return inotify_add_watch(w->fd, dir, WATCHED);
}

void dirwatch_remove(struct dirwatch *w, int wd)
{
	inotify_rm_watch(w->fd, wd);
}

static enum dirwatch_change change_of(const struct inotify_event *ie)
{
	if (ie->mask & IN_Q_OVERFLOW)
		return DW_OVERFLOW;
	/* IN_IGNORED: the watch is over (its directory removed, its file
	 * system unmounted, or inotify_rm_watch). */
	if (ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT))
		return DW_GONE;
	return ie->len ? DW_ENTRY : DW_SELF;
}

/* Room for at least one event with the longest name, or read fails. */
#define BUF_SIZE 4096
_Static_assert(BUF_SIZE >= sizeof(struct inotify_event) + NAME_MAX + 1, "buffer too small");

int dirwatch_changes(struct dirwatch *w, dirwatch_fn fn, void *ctx)
{
	char buf[BUF_SIZE] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		for (ssize_t off = 0; off < n;) {
			const struct inotify_event *ie = (const struct inotify_event *)(buf + off);

			fn(ctx, ie->wd, change_of(ie), ie->len ? ie->name : "");
			off += (ssize_t)(sizeof(*ie) + ie->len);
		}
	}
}
