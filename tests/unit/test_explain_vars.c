/* Purpose: unit tests of explain's NAME=VALUE mapping: each variable of the
 * hook contract read back into the event that gives it, the defaults, and
 * clear errors for unknown names and bad values. */
#include <net/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "env.h"
#include "explain_vars.h"
#include "testip.h"
#include "unit.h"

static char *env_text(const struct event *ev)
{
	char **envp = event_env(ev, "");
	size_t size = 1;
	char *out;

	for (size_t i = 0; envp[i]; i++)
		size += strlen(envp[i]) + 1;
	out = calloc(1, size);
	for (size_t i = 0; envp[i]; i++) {
		strcat(out, envp[i]);
		strcat(out, "\n");
	}
	env_free(envp);
	return out;
}

static int set(struct explain_event *x, const char *kv)
{
	char err[256];
	int rc = explain_var(x, kv, err, sizeof(err));

	if (rc < 0)
		printf("  %s: %s\n", kv, err);
	return rc;
}

/* Every variable of ev's environment, given back to explain, rebuilds an
 * event with exactly the same environment. */
static void round_trip(const struct event *ev)
{
	struct explain_event x;
	char **envp = event_env(ev, "");
	char err[256], *want = env_text(ev), *got;
	char iface[IF_NAMESIZE + 1] = "";

	memcpy(iface, ev->iface, IF_NAMESIZE);
	explain_init(&x, ev->type, iface);
	for (size_t i = 0; envp[i]; i++) {
		if (!strncmp(envp[i], "EVENT=", 6) || !strncmp(envp[i], "IFACE=", 6) ||
		    !strncmp(envp[i], "RULE=", 5) || !strncmp(envp[i], "PATH=", 5))
			continue;
		CHECK(set(&x, envp[i]) == 0);
	}
	CHECK(explain_finish(&x, err, sizeof(err)) == 0);
	got = env_text(&x.ev);
	CHECK_STR(got, want);
	free(got);
	free(want);
	env_free(envp);
	event_clear(&x.ev);
}

static struct event base(enum event_type t, const char *iface)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.seq = 42;
	ev.origin = ORIGIN_RESYNC;
	ev.ifindex = 7;
	snprintf(ev.iface, sizeof(ev.iface), "%s", iface);
	ev.has_link = true;
	ev.link.up = true;
	ev.link.operstate = IF_OPER_DORMANT;
	ev.link.type = ARPHRD_PPP;
	ev.link.mtu = 1492;
	snprintf(ev.link.kind, sizeof(ev.link.kind), "ppp");
	ev.link.ip4_addrs = strdup("203.0.113.5/32");
	ev.link.ip6_addrs = strdup("fe80::1/128 2001:db8::1/64");
	return ev;
}

TEST(explain_round_trip_address)
{
	struct event ev = base(EV_ADDRESS_ADDED, "ppp0");

	ev.family = AF_INET;
	ev.address.addr = testip_addr("203.0.113.5");
	ev.address.peer = testip_addr("203.0.113.1");
	ev.address.prefixlen = 32;
	ev.address.scope = RT_SCOPE_LINK;
	round_trip(&ev);
	event_clear(&ev);
}

TEST(explain_round_trip_route_ppp_rename)
{
	struct event ev = base(EV_ROUTE_CHANGED, "eth0");

	ev.family = AF_INET6;
	ev.link.type = 776; /* a type without a name: the number */
	snprintf(ev.link.mac, sizeof(ev.link.mac), "02:00:00:00:00:01");
	ev.route.dst = testip_addr("2001:db8::");
	ev.route.dst_len = 32;
	ev.route.gateway = testip_addr("fe80::1");
	ev.route.table = 100;
	ev.route.protocol = RTPROT_RA;
	ev.route.metric = 1024;
	round_trip(&ev);
	event_clear(&ev);

	ev = base(EV_PPP_DISCONNECT, "ppp1");
	ev.link.up = false;
	ev.family = AF_INET;
	ev.ppp.local = testip_addr("192.0.2.1");
	ev.ppp.remote = testip_addr("192.0.2.2");
	ev.caused_by_hook = true;
	round_trip(&ev);
	ev.ppp.connect_time_known = true; /* CONNECT_TIME=61 */
	ev.ppp.connect_time_ms = 61000;
	round_trip(&ev);
	event_clear(&ev);

	ev = base(EV_LINK_RENAMED, "wan");
	snprintf(ev.old_iface, sizeof(ev.old_iface), "eth1");
	round_trip(&ev);
	event_clear(&ev);
}

TEST(explain_address_defaults)
{
	struct explain_event x;
	char err[256], *text;

	explain_init(&x, EV_ADDRESS_ADDED, "ppp0");
	explain_default_link(&x);
	CHECK(set(&x, "ADDRESS=203.0.113.5") == 0);
	CHECK(explain_finish(&x, err, sizeof(err)) == 0);
	text = env_text(&x.ev);
	CHECK(strstr(text, "FAMILY=inet\nADDRESS=203.0.113.5\nPREFIXLEN=32\nSCOPE=global\n"));
	CHECK(strstr(text, "IP4_ADDRS=203.0.113.5/32\n"));
	CHECK(strstr(text, "LINK_STATE=up\n"));
	CHECK(strstr(text, "EVENT_ORIGIN=kernel\nEVENT_SEQ=1\n"));
	free(text);
	event_clear(&x.ev);

	/* address-removed: the address leaves the list it was in. */
	explain_init(&x, EV_ADDRESS_REMOVED, "eth0");
	explain_default_link(&x);
	x.ev.link.ip6_addrs = strdup("fe80::1/64 2001:db8::5/64");
	CHECK(set(&x, "ADDRESS=2001:db8::5") == 0);
	CHECK(set(&x, "PREFIXLEN=64") == 0);
	CHECK(explain_finish(&x, err, sizeof(err)) == 0);
	CHECK_STR(x.ev.link.ip6_addrs, "fe80::1/64");
	CHECK(x.ev.family == AF_INET6);
	event_clear(&x.ev);
}

TEST(explain_route_defaults)
{
	struct explain_event x;
	char err[256], *text;

	explain_init(&x, EV_ROUTE_REMOVED, "");
	CHECK(explain_finish(&x, err, sizeof(err)) == 0);
	text = env_text(&x.ev);
	CHECK(strstr(text, "FAMILY=inet\nROUTE_DST=default\nROUTE_GATEWAY=\nROUTE_TABLE=main\n"
			   "ROUTE_PROTO=boot\nROUTE_METRIC=0\n"));
	CHECK(!strstr(text, "LINK_STATE"));
	free(text);
	event_clear(&x.ev);

	explain_init(&x, EV_ROUTE_ADDED, "eth0");
	CHECK(set(&x, "ROUTE_GATEWAY=fe80::1") == 0);
	CHECK(set(&x, "ROUTE_TABLE=local") == 0);
	CHECK(explain_finish(&x, err, sizeof(err)) == 0);
	CHECK(x.ev.family == AF_INET6 && x.ev.route.dst.family == AF_INET6);
	CHECK(x.ev.route.table == 255);
	event_clear(&x.ev);
}

TEST(explain_errors)
{
	struct explain_event x;
	char err[256];

	explain_init(&x, EV_ADDRESS_ADDED, "ppp0");
	CHECK(explain_var(&x, "NOPE=1", err, sizeof(err)) < 0);
	CHECK(strstr(err, "NOPE: not a variable of the hook contract"));
	CHECK(explain_var(&x, "RULE=x", err, sizeof(err)) < 0);
	CHECK(explain_var(&x, "IFACE=x", err, sizeof(err)) < 0);
	CHECK(explain_var(&x, "ADDRESS", err, sizeof(err)) < 0);
	CHECK(strstr(err, "expected NAME=VALUE"));
	CHECK(explain_var(&x, "ADDRESS=300.1.1.1", err, sizeof(err)) < 0);
	CHECK(strstr(err, "ADDRESS: invalid value '300.1.1.1'"));
	CHECK(explain_var(&x, "PREFIXLEN=129", err, sizeof(err)) < 0);
	CHECK(explain_var(&x, "OPERSTATE=sleepy", err, sizeof(err)) < 0);
	CHECK(explain_var(&x, "IFTYPE=wobble", err, sizeof(err)) < 0);
	CHECK(explain_var(&x, "PPP_IFACE=ppp9", err, sizeof(err)) < 0);
	CHECK(explain_var(&x, "PPP_IFACE=ppp0", err, sizeof(err)) == 0);
	CHECK(explain_var(&x, "IFTYPE=ppp", err, sizeof(err)) == 0 && x.ev.link.type == 512);
	CHECK(explain_finish(&x, err, sizeof(err)) < 0);
	CHECK(strstr(err, "address-added needs ADDRESS="));
	event_clear(&x.ev);

	explain_init(&x, EV_LINK_UP, "eth0");
	CHECK(explain_var(&x, "FAMILY=inet", err, sizeof(err)) == 0);
	CHECK(explain_finish(&x, err, sizeof(err)) < 0);
	event_clear(&x.ev);
}
