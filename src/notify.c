/* Purpose: the sd_notify datagram protocol, spoken directly: one sendmsg of
 * "KEY=VALUE\n..." to the unix datagram socket named by $NOTIFY_SOCKET.
 *
 * Why not libsystemd: the protocol is a single datagram on a socket whose
 * path the manager hands over (systemd documents it as a stable interface in
 * sd_notify(3)), about forty lines here. Linking libsystemd for it would add a
 * large shared library and its dependencies to a daemon meant for routers and
 * embedded boxes, most of which (OpenWrt, Alpine, sysvinit) never run systemd.
 */
#include "notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

unsigned long long notify_monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000;
}

int notify_send(const char *fmt, ...)
{
	static bool warned;
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[1024];
	size_t len;
	socklen_t salen;
	va_list ap;
	int fd, rc;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	/* An absolute path, or '@' for a name in the abstract namespace, whose
	 * first byte is NUL in sun_path and whose length is the address length
	 * (no terminating NUL: it would be part of the name). */
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path)) {
		if (!warned)
			log_warnx("NOTIFY_SOCKET: not an absolute path or @name; not notifying");
		warned = true;
		return -1;
	}
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@') {
		sa.sun_path[0] = '\0';
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	} else {
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	}

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	/* A socket per message: notifications are rare (start, reload, stop),
	 * and nothing stays open across a fork or between messages. */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -1;
	} else {
		struct iovec iov = { .iov_base = msg, .iov_len = strlen(msg) };
		struct msghdr mh = { .msg_name = &sa, .msg_namelen = salen,
				     .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		do
			n = sendmsg(fd, &mh, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		rc = n < 0 ? -1 : 1;
		if (n < 0 && !warned)
			log_warn("NOTIFY_SOCKET %s", path);
		close(fd);
	}
	if (rc < 0)
		warned = true;
	return rc;
}
