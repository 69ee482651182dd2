/* Purpose: libFuzzer target: a stream of netlink messages through rtnl_parse
 * and a fresh classifier, each event's hook environment built and checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "env.h"
#include "event.h"
#include "fuzz_netlink.h"
#include "rtnl.h"

/* The longest ppp_ipv6_wait the config accepts, in ms (INT_MAX / 1000 s). */
#define MAX_WAIT_MS 2147483000u
#define FUZZ_MAX_INPUT (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const struct event *ev)
{
	fprintf(stderr, "fuzz_netlink: %s (event %d, iface '%.*s')\n", what, (int)ev->type,
		(int)sizeof(ev->iface), ev->iface);
	abort();
}

/* Every event must name a known type and give a well-formed environment. */
static void sink(void *ctx, const struct event *ev)
{
	char **envp;
	size_t n = 0;

	if ((unsigned)ev->type >= EV_COUNT)
		die("event type out of range", ev);
	envp = event_env(ev, "fuzz");
	for (char **e = envp; *e; e++, n++) {
		const char *eq = strchr(*e, '=');
		if (!eq || eq == *e)
			die("environment entry without NAME=", ev);
	}
	if (n < 7)
		die("environment lacks the common variables", ev);
	env_free(envp);
	(void)event_match_kind(ev);
	event_free(event_dup(ev));
	(*(uint64_t *)ctx)++;
}

static void count_link(void *ctx, struct link_entry *l)
{
	(void)l;
	(*(size_t *)ctx)++;
}

static void count_route(void *ctx, struct route_entry *r)
{
	(void)r;
	(*(size_t *)ctx)++;
}

/* The hash tables' counters must agree with their chains. */
static void check_state(struct state *st)
{
	size_t links = 0, routes = 0;

	state_links_foreach(st, count_link, &links);
	state_routes_foreach(st, count_route, &routes);
	if (links != st->n_links || routes != st->n_routes) {
		fprintf(stderr, "fuzz_netlink: cache counts %zu/%zu, chains %zu/%zu\n",
			st->n_links, st->n_routes, links, routes);
		abort();
	}
}

static const enum sync_class sync_classes[3] = { SYNC_LINKS, SYNC_ADDRS, SYNC_ROUTES };

static void control(struct classify *c, const struct nlmsghdr *nlh, uint64_t *now, int *syncing)
{
	uint32_t arg = nlh->nlmsg_seq;

	switch (nlh->nlmsg_type) {
	case FZ_CLOCK:
		*now += arg;
		break;
	case FZ_SYNC_BEGIN:
		/* The daemon dumps one class at a time. */
		if (*syncing >= 0)
			classify_sync_end(c, sync_classes[*syncing], *now);
		*syncing = (int)(arg % 3);
		c->origin = ORIGIN_RESYNC;
		classify_sync_begin(c, sync_classes[*syncing]);
		break;
	case FZ_SYNC_END:
		if (*syncing >= 0) {
			classify_sync_end(c, sync_classes[*syncing], *now);
			c->origin = ORIGIN_KERNEL;
			*syncing = -1;
		}
		break;
	case FZ_SET_WAIT:
		c->ppp_ipv6_wait_ms = arg % (MAX_WAIT_MS + 1);
		break;
	case FZ_SET_MODE:
		c->emit = !(arg & FZ_MODE_SILENT);
		c->origin = (arg & FZ_MODE_STARTUP) ? ORIGIN_STARTUP : ORIGIN_KERNEL;
		break;
	default:
		break; /* NLMSG_ERROR and the other reserved types: nothing */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct classify c;
	uint64_t events = 0, now = 1000;
	int syncing = -1;
	char *buf;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	/* An exact-size copy, so that ASan sees any read past the input and
	 * every message is as aligned as in the daemon's receive buffer. */
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	classify_init(&c, sink, &events, 3000);

	/* The walk of src/nl.c: a message needs a whole header and an nlmsg_len
	 * that fits what is left; the first one that does not ends the walk. The
	 * comparison is unsigned: libmnl 1.0.4's mnl_nlmsg_ok casts nlmsg_len to
	 * int, so a length of 2 GiB or more passed it and rtnl_parse read far past
	 * the buffer (seed regress-nlmsg-len-over-2g). */
	size_t off = 0;
	while (size - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(buf + off);
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > size - off)
			break;
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE) {
			control(&c, nlh, &now, &syncing);
		} else {
			struct rtnl_msg m;
			if (rtnl_parse(nlh, &m) != RTNL_MALFORMED)
				classify_msg(&c, &m, now);
			now++;
		}
		/* The daemon ticks after every wakeup. */
		classify_tick(&c, now);
		if (NLMSG_ALIGN(nlh->nlmsg_len) >= size - off)
			break;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (syncing >= 0)
		classify_sync_end(&c, sync_classes[syncing], now);
	classify_tick(&c, now + MAX_WAIT_MS + 1);
	check_state(&c.st);
	classify_free(&c);
	free(buf);
	return 0;
}
