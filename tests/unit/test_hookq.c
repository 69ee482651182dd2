/* Purpose: coalescing, debounce, bounds and ordering of the per-interface hook queues. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hookq.h"
#include "testip.h"
#include "unit.h"
#include "xalloc.h"

static struct event ev_of(enum event_type t, int ifindex, const char *iface)
{
	struct event ev = { .type = t, .ifindex = ifindex };

	snprintf(ev.iface, sizeof(ev.iface), "%s", iface);
	return ev;
}

static struct event addr_ev(enum event_type t, int ifindex, const char *ip)
{
	struct event ev = ev_of(t, ifindex, "eth0");

	ev.family = AF_INET;
	ev.address.addr = testip_addr(ip);
	ev.address.prefixlen = 24;
	return ev;
}

/* One hook spec per event, from rule `rule` (NULL: a hooks.d file). */
static void add(struct hookqs *qs, const struct event *ev, const char *rule, unsigned delay_ms,
		uint64_t now)
{
	struct hook_spec spec = { 0 };

	spec.name = xasprintf("%s", rule ? rule : "file");
	spec.rule = rule ? xstrdup(rule) : NULL;
	spec.argv = xcalloc(2, sizeof(char *));
	spec.argv[0] = xasprintf("%s", event_name(ev->type));
	spec.delay_ms = delay_ms;
	hookqs_add(qs, ev, &spec, 1, now);
}

/* Starts and finishes every runnable hook, returning "EVENT IFACE, ...". */
static const char *drain(struct hookqs *qs)
{
	static char out[1024];
	size_t o = 0;
	struct hook_spec spec;
	char label[64];
	struct hookq *q;

	out[0] = '\0';
	while ((q = hookqs_next(qs, &spec, label, sizeof(label)))) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? ", " : "", label);
		hook_spec_clear(&spec);
		hookqs_done(qs, q);
	}
	return out;
}

TEST(hookq_up_down_up_while_busy_is_nothing_more)
{
	struct hookqs qs;
	struct hook_spec spec;
	char label[64];
	struct event up = ev_of(EV_LINK_UP, 3, "eth0"), down = ev_of(EV_LINK_DOWN, 3, "eth0");

	hookqs_init(&qs, 100);
	add(&qs, &up, NULL, 0, 0);
	struct hookq *running = hookqs_next(&qs, &spec, label, sizeof(label));
	CHECK(running != NULL);
	CHECK_STR(label, "link-up eth0");
	/* While link-up's hook runs the link flaps 10000 times. */
	for (int i = 0; i < 10000; i++) {
		add(&qs, &down, NULL, 0, 0);
		add(&qs, &up, NULL, 0, 0);
	}
	CHECK(qs.n_pending == 0);
	CHECK(qs.coalesced == 20000);
	hook_spec_clear(&spec);
	hookqs_done(&qs, running);
	CHECK_STR(drain(&qs), "");
	/* An odd number of changes leaves one: the net change. */
	add(&qs, &down, NULL, 0, 0);
	CHECK_STR(drain(&qs), "link-down eth0");
	hookqs_free(&qs);
}

TEST(hookq_down_waits_for_its_started_partner)
{
	struct hookqs qs;
	struct hook_spec spec;
	char label[64];
	struct event up = ev_of(EV_LINK_UP, 3, "eth0"), down = ev_of(EV_LINK_DOWN, 3, "eth0");

	hookqs_init(&qs, 100);
	add(&qs, &up, NULL, 0, 0);
	struct hookq *q = hookqs_next(&qs, &spec, label, sizeof(label));
	add(&qs, &down, NULL, 0, 0); /* its partner already started: it stays */
	CHECK(qs.n_pending == 1);
	CHECK(hookqs_next(&qs, &spec, label, sizeof(label)) == NULL); /* serial per interface */
	hook_spec_clear(&spec);
	hookqs_done(&qs, q);
	CHECK_STR(drain(&qs), "link-down eth0");
	hookqs_free(&qs);
}

TEST(hookq_event_without_hooks_still_cancels_its_opposite)
{
	struct hookqs qs;
	struct event up = ev_of(EV_LINK_UP, 3, "eth0"), down = ev_of(EV_LINK_DOWN, 3, "eth0");

	hookqs_init(&qs, 100);
	add(&qs, &up, "on-up", 0, 0);
	hookqs_add(&qs, &down, NULL, 0, 0); /* no rule wants link-down */
	CHECK_STR(drain(&qs), "");
	hookqs_free(&qs);
}

TEST(hookq_addresses_cancel_per_address_and_links_vanish_whole)
{
	struct hookqs qs;
	struct event a1 = addr_ev(EV_ADDRESS_ADDED, 3, "192.0.2.1");
	struct event a2 = addr_ev(EV_ADDRESS_ADDED, 3, "192.0.2.2");
	struct event r1 = addr_ev(EV_ADDRESS_REMOVED, 3, "192.0.2.1");

	hookqs_init(&qs, 100);
	add(&qs, &a1, NULL, 0, 0);
	add(&qs, &a2, NULL, 0, 0);
	add(&qs, &r1, NULL, 0, 0);
	CHECK(qs.n_pending == 1);
	CHECK_STR(drain(&qs), "address-added eth0");

	/* A link added and removed before any hook ran: all of it goes. */
	struct event added = ev_of(EV_LINK_ADDED, 9, "veth9"), up = ev_of(EV_LINK_UP, 9, "veth9");
	struct event down = ev_of(EV_LINK_DOWN, 9, "veth9"), gone = ev_of(EV_LINK_REMOVED, 9, "veth9");
	struct event addr = addr_ev(EV_ADDRESS_ADDED, 9, "198.51.100.1");
	add(&qs, &added, NULL, 0, 0);
	add(&qs, &up, NULL, 0, 0);
	add(&qs, &addr, NULL, 0, 0);
	add(&qs, &down, NULL, 0, 0);
	add(&qs, &gone, NULL, 0, 0);
	CHECK(qs.n_pending == 0);
	CHECK_STR(drain(&qs), "");
	hookqs_free(&qs);
}

TEST(hookq_interfaces_run_in_parallel_and_in_order)
{
	struct hookqs qs;
	struct hook_spec s1, s2, s3;
	char label[64];
	struct event up3 = ev_of(EV_LINK_UP, 3, "eth0"), up4 = ev_of(EV_LINK_UP, 4, "eth1");
	struct event a3 = addr_ev(EV_ADDRESS_ADDED, 3, "192.0.2.1");

	hookqs_init(&qs, 100);
	add(&qs, &up3, NULL, 0, 0);
	add(&qs, &a3, NULL, 0, 0);
	add(&qs, &up4, NULL, 0, 0);
	struct hookq *q3 = hookqs_next(&qs, &s1, label, sizeof(label));
	CHECK_STR(label, "link-up eth0");
	struct hookq *q4 = hookqs_next(&qs, &s2, label, sizeof(label));
	CHECK_STR(label, "link-up eth1"); /* eth0 is busy: eth1 need not wait */
	CHECK(hookqs_next(&qs, &s3, label, sizeof(label)) == NULL);
	hookqs_done(&qs, q3);
	CHECK(hookqs_next(&qs, &s3, label, sizeof(label)) == q3);
	CHECK_STR(label, "address-added eth0");
	hook_spec_clear(&s1);
	hook_spec_clear(&s2);
	hook_spec_clear(&s3);
	hookqs_done(&qs, q3);
	hookqs_done(&qs, q4);
	hookqs_free(&qs);
}

TEST(hookq_reconnected_ppp_waits_for_the_old_links_hooks)
{
	struct hookqs qs;
	struct hook_spec s1, s2;
	char label[64];
	struct event disc = ev_of(EV_PPP_DISCONNECT, 7, "ppp0"), conn = ev_of(EV_PPP_CONNECT, 8, "ppp0");

	hookqs_init(&qs, 100);
	add(&qs, &disc, NULL, 0, 0);
	struct hookq *old = hookqs_next(&qs, &s1, label, sizeof(label));
	add(&qs, &conn, NULL, 0, 0);
	CHECK(hookqs_next(&qs, &s2, label, sizeof(label)) == NULL);
	hook_spec_clear(&s1);
	hookqs_done(&qs, old);
	CHECK_STR(drain(&qs), "ppp-connect ppp0");
	hookqs_free(&qs);
}

TEST(hookq_debounce_fires_after_the_delay_and_a_revert_cancels_both)
{
	struct hookqs qs;
	struct event up = ev_of(EV_LINK_UP, 3, "eth0"), down = ev_of(EV_LINK_DOWN, 3, "eth0");

	hookqs_init(&qs, 100);
	add(&qs, &up, "slow", 2000, 1000);
	add(&qs, &up, NULL, 0, 1000); /* an undelayed hook runs at once */
	CHECK_STR(drain(&qs), "link-up eth0");
	CHECK(hookqs_release_due(&qs, 2999) == 3000);
	CHECK_STR(drain(&qs), "");
	CHECK(hookqs_release_due(&qs, 3000) == 0);
	CHECK_STR(drain(&qs), "link-up eth0");

	/* Down then up again within the delay: the rule sees neither. */
	add(&qs, &down, "slow", 2000, 5000);
	add(&qs, &up, "slow", 2000, 6000);
	CHECK(qs.debounced == 1);
	CHECK(hookqs_release_due(&qs, 9000) == 0);
	CHECK_STR(drain(&qs), "");
	/* A revert cancels a delayed hook even if its rule does not match the
	 * revert (a rule only for link-down): the state did not hold. */
	add(&qs, &down, "down-only", 2000, 10000);
	hookqs_add(&qs, &up, NULL, 0, 10500);
	hookqs_release_due(&qs, 20000);
	CHECK_STR(drain(&qs), "");
	/* Delayed hooks are released in due order, not arrival order. */
	struct event a1 = addr_ev(EV_ADDRESS_ADDED, 3, "192.0.2.1");
	struct event a2 = addr_ev(EV_ADDRESS_ADDED, 3, "192.0.2.2");
	add(&qs, &a1, "late", 3000, 30000);
	add(&qs, &a2, "early", 1000, 30000);
	add(&qs, &down, "b", 2000, 30000);
	CHECK(hookqs_release_due(&qs, 31000) == 32000);
	CHECK(hookqs_release_due(&qs, 40000) == 0);
	struct hook_spec spec;
	char label[64];
	const char *want[] = { "early", "b", "late" };
	for (int i = 0; i < 3; i++) {
		struct hookq *q = hookqs_next(&qs, &spec, label, sizeof(label));
		CHECK(q != NULL);
		if (!q)
			break;
		CHECK_STR(spec.rule, want[i]);
		hook_spec_clear(&spec);
		hookqs_done(&qs, q);
	}
	hookqs_free(&qs);
}

TEST(hookq_a_full_queue_drops_and_counts)
{
	struct hookqs qs;

	hookqs_init(&qs, 3);
	for (int i = 0; i < 5; i++) {
		char ip[32];
		snprintf(ip, sizeof(ip), "192.0.2.%d", i + 1);
		struct event a = addr_ev(EV_ADDRESS_ADDED, 3, ip);
		add(&qs, &a, NULL, 0, 0);
	}
	CHECK(qs.n_pending == 3 && qs.dropped == 2);
	hookqs_free(&qs);
}
