/* Purpose: subscribe-then-dump and resync for the admin tools, the same
 * sequence as the daemon's, without hooks. */
#include "live.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "log.h"
#include "rtnl.h"
#include "watch.h"

#define DUMP_RETRIES 10

static void on_nlmsg(void *ctx, const struct nlmsghdr *nlh)
{
	struct live *lv = ctx;
	struct rtnl_msg m;

	if (rtnl_parse(nlh, &m) == RTNL_MALFORMED) {
		lv->malformed++;
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
			return;
		}
		if (rc == 0 || attempt == DUMP_RETRIES) {
			classify_sync_end(&lv->cls, cls, mono_ms());
			return;
		}
		/* NLM_F_DUMP_INTR: the tables changed under the dump; redo it. */
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

void live_read(struct live *lv)
{
	int rc = nl_read_events(&lv->nl, on_nlmsg, lv);

	if (rc == 1) {
		lv->overruns++;
		log_warnx("netlink receive buffer overrun: events were lost; resyncing");
		lv->resyncs++;
		live_dump(lv, ORIGIN_RESYNC, true);
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
