/* Purpose: the two rtnetlink sockets: one subscribed to events, one for dumps. */
#ifndef IFHOOKD_NL_H
#define IFHOOKD_NL_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

struct nl {
	struct mnl_socket *events;
	struct mnl_socket *requests;
	uint32_t seq;
	int rcvbuf;           /* what the kernel granted for the event socket */
	uint64_t enobufs;     /* receive-buffer overruns seen */
	uint64_t truncated;   /* datagrams larger than our buffer */
	uint64_t foreign;     /* datagrams not from the kernel, dropped */
	uint64_t malformed;   /* messages whose lengths did not add up */
	/* When set (after nl_open), gets every datagram the kernel sent us,
	 * events and dump replies alike, before it is parsed (ifhookd record). */
	void (*raw)(void *ctx, const void *buf, size_t len);
	void *raw_ctx;
};

typedef void (*nl_msg_fn)(void *ctx, const struct nlmsghdr *nlh);

/* Opens both sockets and subscribes the event socket to link, address and
 * route groups. Returns 0, or -1 with errno set. */
int nl_open(struct nl *n, int rcvbuf);
void nl_close(struct nl *n);
int nl_event_fd(const struct nl *n);

/* Reads every pending datagram on the event socket and calls fn for each
 * message. Returns 0 once drained, 1 if messages were lost (ENOBUFS or a
 * truncated datagram: the caller must resync), -1 on another error. */
int nl_read_events(struct nl *n, nl_msg_fn fn, void *ctx);

/* Calls fn for each whole message of one received datagram; a message whose
 * length runs past the datagram ends the walk and counts as malformed. */
void nl_walk_events(struct nl *n, const char *buf, size_t len, nl_msg_fn fn, void *ctx);

/* Dumps RTM_GETLINK, RTM_GETADDR or RTM_GETROUTE (both families) and calls fn
 * for each entry. Returns 0, 1 if the dump was interrupted by a change
 * (NLM_F_DUMP_INTR: redo it), -1 with errno on error. */
int nl_dump(struct nl *n, uint16_t type, nl_msg_fn fn, void *ctx);

#endif
