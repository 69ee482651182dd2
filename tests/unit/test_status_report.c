/* Purpose: unit tests of the status reply: links sorted by ifindex with their
 * state and usable addresses, queue depth per interface, counters, and names
 * with metacharacters escaped in both formats. */
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "classify.h"
#include "env.h"
#include "jobs.h"
#include "nlbuild.h"
#include "rtnl.h"
#include "status_report.h"
#include "unit.h"
#include "xalloc.h"

static void feed(struct classify *c, struct nlmsghdr *nlh)
{
	struct rtnl_msg m;

	CHECK(rtnl_parse(nlh, &m) != RTNL_MALFORMED);
	classify_msg(c, &m, 1000);
}

static struct event *last;

static void sink(void *ctx, const struct event *ev)
{
	(void)ctx;
	event_free(last);
	last = event_dup(ev);
}

static void fill(struct classify *c)
{
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	uint32_t up = IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
	struct nl_link_spec l = { .type = RTM_NEWLINK, .ifindex = 9, .name = "a b\x01",
				  .arphrd = ARPHRD_ETHER, .flags = up, .operstate = IF_OPER_UP,
				  .kind = "veth" };
	struct nl_addr_spec a = { .type = RTM_NEWADDR, .family = AF_INET, .ifindex = 9,
				  .prefixlen = 24, .local = "192.0.2.1", .flags = IFA_F_PERMANENT };

	classify_init(c, sink, NULL, 3000);
	feed(c, nlb_link(buf, &l));
	feed(c, nlb_addr(buf, &a));
	a.local = "2001:db8::1";
	a.family = AF_INET6;
	a.prefixlen = 64;
	a.flags = IFA_F_TENTATIVE; /* not usable yet: not listed */
	feed(c, nlb_addr(buf, &a));
	l.ifindex = 2;
	l.name = "eth0";
	l.flags = 0;
	l.operstate = IF_OPER_DOWN;
	feed(c, nlb_link(buf, &l));
}

static void queue_one(struct jobs *j)
{
	struct hook_spec *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup("rule x");
	s->argv = xcalloc(2, sizeof(char *));
	s->argv[0] = xstrdup("/bin/true");
	s->envp = event_env(last, "x");
	jobs_add_event(j, last, s, 1);
	free(s);
}

TEST(status_text_and_json)
{
	struct classify c;
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct jobs *j = jobs_new(epfd, 4, 30);
	char *text, *json;

	fill(&c);
	queue_one(j); /* the last event was about eth0 (ifindex 2) */
	struct status_view v = { .pid = 123, .now_ms = 5500, .started_ms = 500, .st = &c.st,
				 .jobs = j, .events = 7, .overruns = 1, .resyncs = 1 };
	text = status_format(&v, false);
	json = status_format(&v, true);
	CHECK(strstr(text, "ifhookd 0.1.0: pid=123 uptime=5s\n"));
	CHECK(strstr(text, "counters: events=7 hooks_run=0 hooks_failed=0 hooks_timed_out=0 "
			   "hooks_not_started=0 hooks_refused=0 enobufs_episodes=1 resyncs=1 coalesced=0 "
			   "debounced=0 dropped=0 malformed=0\n"));
	CHECK(strstr(text, "links=2 routes=0\n"));
	const char *l2 = strstr(text, "link 2 eth0: state=down operstate=down type=ether "
				      "kind=veth mtu=1500 mac= addresses=\n");
	const char *l9 = strstr(text, "link 9 $'a b\\x01': state=up operstate=up type=ether "
				      "kind=veth mtu=1500 mac= addresses=192.0.2.1/24\n");
	CHECK(l2 && l9 && l2 < l9);
	CHECK(strstr(text, "queue eth0: ifindex=2 waiting=1 busy=no\n"));
	CHECK(strstr(json, "{\"version\":\"0.1.0\",\"pid\":123,\"uptime_s\":5,\"dry_run\":false,"
			   "\"counters\":{\"events\":7,"));
	CHECK(strstr(json, "{\"ifindex\":9,\"name\":\"a b\\u0001\",\"state\":\"up\","
			   "\"operstate\":\"up\",\"type\":\"ether\",\"kind\":\"veth\",\"mtu\":1500,"
			   "\"mac\":\"\",\"addresses\":[\"192.0.2.1/24\"]}"));
	CHECK(strstr(json, "\"hooks\":[],\"queues\":[{\"iface\":\"eth0\",\"ifindex\":2,"
			   "\"waiting\":1,\"busy\":false}]}\n"));
	free(text);
	free(json);
	jobs_free(j);
	classify_free(&c);
	event_free(last);
	last = NULL;
	close(epfd);
}
