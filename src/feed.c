/* Purpose: walks each captured datagram's netlink messages with the checks of
 * the live reader and hands the kernel's messages to the classifier. */
#include "feed.h"

#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl.h"

void feed_init(struct feed *f, struct classify *cls, bool startup_events, feed_warn_fn warn,
	       void *warn_ctx)
{
	memset(f, 0, sizeof(*f));
	f->cls = cls;
	f->startup_events = startup_events;
	f->warn = warn;
	f->warn_ctx = warn_ctx;
}

__attribute__((format(printf, 2, 3))) static void warnf(struct feed *f, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!f->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->warn(f->warn_ctx, msg);
}

static void feed_msg(struct feed *f, const struct nlmsghdr *nlh, size_t file_off)
{
	struct rtnl_msg m;

	/* Control messages (done, error, ack) carry no state. */
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return;
	/* The kernel never sets NLM_F_REQUEST: this is a request from a
	 * process (an nlmon capture sees those too), not a fact. */
	if (nlh->nlmsg_flags & NLM_F_REQUEST) {
		f->requests++;
		return;
	}
	f->messages++;
	if (rtnl_parse(nlh, &m) == RTNL_MALFORMED) {
		f->malformed++;
		warnf(f, "skipped malformed netlink message (type %u, %u bytes) at byte offset %zu",
		      nlh->nlmsg_type, nlh->nlmsg_len, file_off);
		return;
	}
	/* A dump entry is state found, as at the daemon's start; a capture
	 * made by ifhookd record starts with one. */
	bool dump = (nlh->nlmsg_flags & NLM_F_MULTI) != 0;
	f->cls->origin = dump ? ORIGIN_STARTUP : ORIGIN_KERNEL;
	f->cls->emit = !dump || f->startup_events;
	classify_msg(f->cls, &m, f->now_ms);
	f->cls->origin = ORIGIN_KERNEL;
	f->cls->emit = true;
}

void feed_packet(struct feed *f, const struct pcap_packet *p)
{
	uint64_t t = p->ts_ns / 1000000u;
	char *buf;
	size_t off = 0;

	f->packets++;
	if (t > f->now_ms)
		f->now_ms = t;
	/* Deadlines that fell before this packet come first. */
	classify_tick(f->cls, f->now_ms);
	/* nlmon sees every netlink family; only rtnetlink is ours. */
	if (p->hatype != PCAP_ARPHRD_NETLINK || p->protocol != NETLINK_ROUTE) {
		f->other++;
		return;
	}
	/* Kept by writers that record the kernel's direction: a request. */
	if (p->pkttype == PCAP_PKTTYPE_KERNEL) {
		f->requests++;
		return;
	}
	if (p->cut) {
		f->cut++;
		warnf(f, "packet %llu at byte offset %zu was cut short by the capture; "
			 "its last message is lost",
		      (unsigned long long)p->index, p->offset);
	}
	/* The file gives no alignment: copy, as the parser reads structs. */
	buf = malloc(p->len ? p->len : 1);
	if (!buf)
		return;
	memcpy(buf, p->data, p->len);
	while (p->len - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(buf + off);

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > p->len - off) {
			if (!p->cut) {
				f->malformed++;
				warnf(f, "packet %llu: netlink message at byte offset %zu says %u "
					 "bytes, %zu are left; rest of the packet skipped",
				      (unsigned long long)p->index, p->data_offset + off,
				      nlh->nlmsg_len, p->len - off);
			}
			break;
		}
		feed_msg(f, nlh, p->data_offset + off);
		if (NLMSG_ALIGN(nlh->nlmsg_len) >= p->len - off)
			break;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	free(buf);
}

void feed_finish(struct feed *f)
{
	uint64_t next = classify_next_deadline(f->cls);

	/* Each tick may arm no new deadline, so a few rounds are enough. */
	for (int i = 0; next && i < 16; i++) {
		if (next > f->now_ms)
			f->now_ms = next;
		classify_tick(f->cls, f->now_ms);
		next = classify_next_deadline(f->cls);
	}
}
