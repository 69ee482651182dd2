/* Purpose: the live kernel feed: subscribe, dump, read, and resync after lost
 * messages, into a classifier; shared by the daemon and the admin tools. */
#include "live.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <malloc.h>
#include <string.h>

#include "log.h"
#include "rtnl.h"
#include "watch.h"

#define DUMP_RETRIES 10
#define MALFORMED_LOG_MAX 10
#define TRIM_AFTER_EVENTS 10000

static void on_nlmsg(void *ctx, const struct nlmsghdr *nlh)
{
	struct live *lv = ctx;
	struct rtnl_msg m;

	if (rtnl_parse(nlh, &m) == RTNL_MALFORMED) {
		/* Skipped and counted; never trusted, never fatal. */
		if (++lv->malformed <= MALFORMED_LOG_MAX)
			log_warnx("skipped malformed netlink message (type %u, %u bytes; %llu so far)",
				  nlh->nlmsg_type, nlh->nlmsg_len, (unsigned long long)lv->malformed);
		return;
	}
	classify_msg(&lv->cls, &m, mono_ms());
}

int live_open(struct live *lv, event_sink_fn sink, void *ctx, unsigned rcvbuf,
	      unsigned ppp_ipv6_wait_ms)
{
	memset(lv, 0, sizeof(*lv));
	if (nl_open(&lv->nl, (int)rcvbuf) < 0)
		return -1;
	classify_init(&lv->cls, sink, ctx, ppp_ipv6_wait_ms);
	return 0;
}

void live_close(struct live *lv)
{
	classify_free(&lv->cls);
	nl_close(&lv->nl);
}

static void dump_class(struct live *lv, enum sync_class cls, uint16_t type)
{
	for (int attempt = 0;; attempt++) {
		classify_sync_begin(&lv->cls, cls);
		int rc = nl_dump(&lv->nl, type, on_nlmsg, lv);
		if (rc < 0) {
			/* Without a complete dump nothing can be swept safely. */
			log_warn("netlink dump (type %u) failed", type);
			classify_sync_abort(&lv->cls);
			return;
		}
		if (rc == 0 || attempt == DUMP_RETRIES) {
			classify_sync_end(&lv->cls, cls, mono_ms());
			return;
		}
		/* NLM_F_DUMP_INTR: the tables changed under the dump; redo it. */
		log_debug("netlink dump (type %u) interrupted, retrying", type);
	}
}

void live_dump(struct live *lv, enum event_origin origin, bool emit)
{
	lv->cls.origin = origin;
	lv->cls.emit = emit;
	dump_class(lv, SYNC_LINKS, RTM_GETLINK);
	dump_class(lv, SYNC_ADDRS, RTM_GETADDR);
	dump_class(lv, SYNC_ROUTES, RTM_GETROUTE);
	lv->cls.origin = ORIGIN_KERNEL;
	lv->cls.emit = true;
}

static void resync(struct live *lv)
{
	uint64_t t0 = mono_ms(), seq0 = lv->cls.seq;

	lv->resyncs++;
	live_dump(lv, ORIGIN_RESYNC, true);
	lv->in_overrun = false;
#ifdef __GLIBC__
	/* A resync during a flood holds an event for every route the lost
	 * messages were about until its sweep is done: hundreds of MB, which
	 * glibc keeps after they are freed unless asked to give them back.
	 * That takes ~20 ms per 100 000 events; after a small resync it would
	 * only cost page faults when the memory is needed again. */
	if (lv->cls.seq - seq0 >= TRIM_AFTER_EVENTS)
		malloc_trim(0);
#endif
	log_info("resync %llu done in %llu ms (%zu links, %zu routes)",
		 (unsigned long long)lv->resyncs, (unsigned long long)(mono_ms() - t0),
		 lv->cls.st.n_links, lv->cls.st.n_routes);
}

void live_read(struct live *lv)
{
	/* nl_read_events drains the socket, so one resync answers all the
	 * overruns of a burst. */
	int rc = nl_read_events(&lv->nl, on_nlmsg, lv);

	if (rc == 1) {
		if (!lv->in_overrun) {
			lv->overruns++;
			log_warnx("netlink receive buffer overrun: events were lost (%llu overruns); "
				  "resyncing",
				  (unsigned long long)lv->nl.enobufs + lv->nl.truncated);
		}
		lv->in_overrun = true;
		resync(lv);
		return;
	}
	if (rc < 0)
		log_warn("netlink read");
	if (lv->cls.want_route_resync) {
		/* A multipath or nexthop route may have gone without a message. */
		lv->cls.origin = ORIGIN_KERNEL;
		dump_class(lv, SYNC_ROUTES, RTM_GETROUTE);
	}
}

int live_timeout(struct live *lv)
{
	uint64_t next = classify_next_deadline(&lv->cls), now;

	if (!next)
		return -1;
	now = mono_ms();
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

void live_tick(struct live *lv)
{
	classify_tick(&lv->cls, mono_ms());
}
