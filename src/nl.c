/* Purpose: opens, subscribes and reads the rtnetlink sockets; only kernel messages pass. */
#include "nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

/* 32 KiB holds any single dump datagram the kernel builds for us. */
#define NL_BUFSIZE 32768

static void set_rcvbuf(struct nl *n, int want)
{
	int fd = mnl_socket_get_fd(n->events);
	socklen_t len = sizeof(n->rcvbuf);

	/* SO_RCVBUF is capped at 2 x net.core.rmem_max; SO_RCVBUFFORCE is not,
	 * but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &n->rcvbuf, &len) < 0)
		n->rcvbuf = 0;
	/* The kernel reports twice what it accounts as payload. */
	if (n->rcvbuf < want)
		log_info("netlink receive buffer is %d bytes (asked for %d)", n->rcvbuf, want);
	else
		log_debug("netlink receive buffer is %d bytes", n->rcvbuf);
}

int nl_open(struct nl *n, int rcvbuf)
{
	unsigned groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
			  RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
	int one = 1;

	memset(n, 0, sizeof(*n));
	n->events = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	n->requests = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!n->events || !n->requests)
		goto fail;
	/* Subscribe before the first dump, so no change falls between the two.
	 * NETLINK_NO_ENOBUFS is never set: it would hide lost events. */
	if (mnl_socket_bind(n->events, groups, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(n->requests, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	set_rcvbuf(n, rcvbuf);
	/* Strict checking makes the kernel reject malformed dump requests
	 * instead of guessing; failure just means an older kernel. */
	setsockopt(mnl_socket_get_fd(n->requests), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
		   sizeof(one));
	n->seq = (uint32_t)time(NULL);
	return 0;
fail:
	nl_close(n);
	return -1;
}

void nl_close(struct nl *n)
{
	int saved = errno;

	if (n->events)
		mnl_socket_close(n->events);
	if (n->requests)
		mnl_socket_close(n->requests);
	n->events = n->requests = NULL;
	errno = saved;
}

int nl_event_fd(const struct nl *n)
{
	return mnl_socket_get_fd(n->events);
}

/* Receives one datagram and checks that the kernel (nl_pid 0) sent it;
 * mnl_socket_recvfrom hides the sender, so recvmsg is used directly. */
static ssize_t recv_from_kernel(struct nl *n, int fd, char *buf, size_t size, int flags)
{
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { buf, size };
		struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t len = recvmsg(fd, &msg, flags);

		if (len < 0)
			return errno == EINTR ? (errno = EINTR, -1) : -1;
		if (msg.msg_flags & MSG_TRUNC) {
			n->truncated++;
			errno = ENOBUFS; /* the rest of it is lost: treat as an overrun */
			return -1;
		}
		if (msg.msg_namelen != sizeof(sa) || sa.nl_pid != 0) {
			n->foreign++;
			continue;
		}
		if (n->raw)
			n->raw(n->raw_ctx, buf, (size_t)len);
		return len;
	}
}

/* Walks the messages of one datagram; a message whose length runs past the
 * datagram ends the walk and is counted. */
static int walk(struct nl *n, const char *buf, size_t len, nl_msg_fn fn, void *ctx,
		uint32_t seq, uint32_t portid, bool *done, bool *intr)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int left = (int)len;

	/* libmnl 1.0.4's mnl_nlmsg_ok compares (int)nlmsg_len, so a length of
	 * 2 GiB or more passed it as negative: compare unsigned as well. */
	while (mnl_nlmsg_ok(nlh, left) && nlh->nlmsg_len <= (uint32_t)left) {
		if (seq && (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != portid))
			goto next;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (nlh->nlmsg_type == NLMSG_DONE) {
			*done = true;
			/* A dump's error can arrive inside NLMSG_DONE (libmnl 1.0.4's
			 * default callback ignores it). */
			if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
				int err;
				memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
				if (err < 0) {
					errno = -err;
					return -1;
				}
			}
			return 0;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
				n->malformed++;
			} else if (e->error) {
				*done = true;
				errno = -e->error;
				return -1;
			}
			goto next;
		}
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
			fn(ctx, nlh);
next:
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	if (left > 0)
		n->malformed++;
	return 0;
}

void nl_walk_events(struct nl *n, const char *buf, size_t len, nl_msg_fn fn, void *ctx)
{
	bool done = false, intr = false;

	walk(n, buf, len, fn, ctx, 0, 0, &done, &intr);
}

int nl_read_events(struct nl *n, nl_msg_fn fn, void *ctx)
{
	static char buf[NL_BUFSIZE] __attribute__((aligned(8)));
	int fd = mnl_socket_get_fd(n->events);
	int lost = 0;

	for (;;) {
		ssize_t len = recv_from_kernel(n, fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return lost;
			if (errno == EINTR)
				continue;
			/* The socket stays usable after an overrun; later reads
			 * return what the kernel could still queue. */
			if (errno == ENOBUFS) {
				n->enobufs++;
				lost = 1;
				continue;
			}
			return -1;
		}
		nl_walk_events(n, buf, (size_t)len, fn, ctx);
	}
}

int nl_dump(struct nl *n, uint16_t type, nl_msg_fn fn, void *ctx)
{
	static char buf[NL_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int fd = mnl_socket_get_fd(n->requests);
	uint32_t portid = mnl_socket_get_portid(n->requests);
	bool done = false, intr = false;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++n->seq;
	/* All-zero headers: strict checking rejects e.g. ifi_change = ~0. */
	if (type == RTM_GETLINK)
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	else if (type == RTM_GETADDR)
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg));
	else
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	if (mnl_socket_sendto(n->requests, nlh, nlh->nlmsg_len) < 0)
		return -1;
	while (!done) {
		ssize_t len = recv_from_kernel(n, fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (walk(n, buf, (size_t)len, fn, ctx, n->seq, portid, &done, &intr) < 0)
			return -1;
	}
	return intr ? 1 : 0;
}
