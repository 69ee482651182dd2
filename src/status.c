/* Purpose: accepts status clients, reads one request line, writes the report,
 * all non-blocking with a deadline per client (a timerfd in the same epoll). */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "watch.h"
#include "xalloc.h"

#define REQ_MAX 64
#define BUSY_REPLY "error: too many status clients at once; try again\n"

struct client {
	struct status_server *srv;
	struct watch w; /* fd -1: free slot */
	uint64_t deadline_ms;
	char req[REQ_MAX];
	size_t req_len;
	char *out; /* the reply once built */
	size_t out_len, out_off;
};

struct status_server {
	int epfd;
	char *path;
	dev_t dev;
	ino_t ino;
	struct watch listen_w, timer_w;
	status_report_fn fn;
	void *ctx;
	/* A fixed array: a slot freed in one epoll batch is never freed memory
	 * that a later event of the batch may still name. */
	struct client clients[STATUS_MAX_CLIENTS];
};

static void arm_timer(struct status_server *s)
{
	struct itimerspec its = { 0 };
	uint64_t next = 0, now = mono_ms();

	for (int i = 0; i < STATUS_MAX_CLIENTS; i++)
		if (s->clients[i].w.fd >= 0 && (!next || s->clients[i].deadline_ms < next))
			next = s->clients[i].deadline_ms;
	if (next) {
		uint64_t ms = next > now ? next - now : 1;
		its.it_value.tv_sec = (time_t)(ms / 1000);
		its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	}
	timerfd_settime(s->timer_w.fd, 0, &its, NULL);
}

static void client_close(struct client *c)
{
	int fd = c->w.fd;

	if (fd < 0)
		return;
	watch_del(c->srv->epfd, &c->w);
	close(fd);
	free(c->out);
	c->out = NULL;
	c->req_len = c->out_len = c->out_off = 0;
}

static void client_write(struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->w.fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* The rest when the client reads; never wait for it here. */
			struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = &c->w };
			epoll_ctl(c->srv->epfd, EPOLL_CTL_MOD, c->w.fd, &ev);
			return;
		}
		if (n <= 0)
			break;
		c->out_off += (size_t)n;
	}
	client_close(c);
}

static void client_request(struct client *c)
{
	bool json;

	while (c->req_len && (c->req[c->req_len - 1] == '\n' || c->req[c->req_len - 1] == '\r'))
		c->req_len--;
	c->req[c->req_len] = '\0';
	if (strcmp(c->req, "json") == 0 || strcmp(c->req, "text") == 0) {
		json = c->req[0] == 'j';
		c->out = c->srv->fn(c->srv->ctx, json);
	} else {
		c->out = xstrdup("error: unknown request (expected \"text\" or \"json\")\n");
	}
	c->out_len = strlen(c->out);
	client_write(c);
}

static void on_client(struct watch *w, uint32_t events)
{
	struct client *c = (struct client *)((char *)w - offsetof(struct client, w));

	if (w->fd < 0)
		return; /* closed earlier in this batch */
	if (c->out) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			client_write(c);
		return;
	}
	for (;;) {
		ssize_t n = recv(w->fd, c->req + c->req_len, REQ_MAX - 1 - c->req_len, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			client_close(c);
			return;
		}
		c->req_len += (size_t)n;
		/* A whole line, or the client's end of the request (EOF). */
		if (n == 0 || memchr(c->req, '\n', c->req_len) || c->req_len == REQ_MAX - 1) {
			client_request(c);
			return;
		}
	}
}

static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	/* The socket's mode already keeps others out; this also holds if
	 * someone loosens it. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	return cred.uid == 0 || cred.uid == geteuid();
}

static void on_listen(struct watch *w, uint32_t events)
{
	struct status_server *s =
		(struct status_server *)((char *)w - offsetof(struct status_server, listen_w));

	(void)events;
	for (;;) {
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c = NULL;

		if (fd < 0)
			break; /* EAGAIN, or a client gone before we took it */
		for (int i = 0; i < STATUS_MAX_CLIENTS && !c; i++)
			if (s->clients[i].w.fd < 0)
				c = &s->clients[i];
		if (!c || !peer_allowed(fd)) {
			/* One try, never waiting: the socket buffer is empty. */
			if (!c)
				send(fd, BUSY_REPLY, sizeof(BUSY_REPLY) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		c->deadline_ms = mono_ms() + STATUS_CLIENT_MS;
		if (watch_add(s->epfd, &c->w, fd, EPOLLIN, on_client) < 0) {
			c->w.fd = -1;
			close(fd);
		}
	}
	arm_timer(s);
}

static void on_timer(struct watch *w, uint32_t events)
{
	struct status_server *s =
		(struct status_server *)((char *)w - offsetof(struct status_server, timer_w));
	uint64_t expirations, now = mono_ms();

	(void)events;
	if (read(w->fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		return;
	for (int i = 0; i < STATUS_MAX_CLIENTS; i++)
		if (s->clients[i].w.fd >= 0 && s->clients[i].deadline_ms <= now)
			client_close(&s->clients[i]); /* too slow: dropped */
	arm_timer(s);
}

/* Replaces a socket nobody listens on; refuses anything else. */
static bool make_room(const char *path)
{
	struct stat st;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;
	bool live;

	if (lstat(path, &st) < 0)
		return errno == ENOENT;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("status: %s exists and is not a socket; no status socket", path);
		return false;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	live = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	if (live) {
		log_warnx("status: %s: another ifhookd answers there; no status socket", path);
		return false;
	}
	return unlink(path) == 0;
}

struct status_server *status_open(int epfd, const char *path, status_report_fn fn, void *ctx)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct status_server *s;
	struct stat st;
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_warnx("status: socket path too long: %s", path);
		return NULL;
	}
	if (!make_room(path))
		return NULL;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("status: socket");
		return NULL;
	}
	/* Created 0600 from the start: no window where others may connect. */
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || chmod(path, 0600) < 0 || listen(fd, STATUS_MAX_CLIENTS) < 0 ||
	    stat(path, &st) < 0) {
		log_warn("status: %s", path);
		close(fd);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->epfd = epfd;
	s->path = xstrdup(path);
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->fn = fn;
	s->ctx = ctx;
	for (int i = 0; i < STATUS_MAX_CLIENTS; i++) {
		s->clients[i].srv = s;
		s->clients[i].w.fd = -1;
	}
	s->timer_w.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->timer_w.fd < 0 || watch_add(epfd, &s->listen_w, fd, EPOLLIN, on_listen) < 0 ||
	    watch_add(epfd, &s->timer_w, s->timer_w.fd, EPOLLIN, on_timer) < 0)
		fatal("status: epoll");
	log_debug("status: listening on %s", path);
	return s;
}

void status_close(struct status_server *s)
{
	struct stat st;

	if (!s)
		return;
	for (int i = 0; i < STATUS_MAX_CLIENTS; i++)
		client_close(&s->clients[i]);
	close(s->listen_w.fd);
	close(s->timer_w.fd);
	/* Only our own socket: another daemon may have replaced it since. */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	free(s->path);
	free(s);
}
