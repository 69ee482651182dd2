/* Purpose: the benchmark's witness: counts the rtnetlink messages the kernel sends and each link's up/down changes.
 *
 * Usage: nlwatch OUT
 * Subscribes to links, IPv4/IPv6 addresses and routes with a 512 MiB receive
 * buffer (SO_RCVBUFFORCE), learns every link's state from a dump, prints
 * "ready" on stdout, and counts until SIGTERM or SIGINT. Then it writes to OUT:
 *     messages N / link N / addr N / route N / enobufs N / changes N
 * and one "change IFNAME N" line per link: how often its state "up"
 * (IFF_UP and IFF_RUNNING, as ifhookd defines it) flipped in the messages.
 * Those are the state changes the kernel reported; no tool should run more
 * hooks than that. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_IFINDEX 65536

struct linkst {
	bool known, up;
	unsigned long changes;
	char name[IF_NAMESIZE];
};

static struct linkst links[MAX_IFINDEX];
static unsigned long long n_msgs, n_link, n_addr, n_route, n_enobufs;

static void die(const char *what)
{
	fprintf(stderr, "nlwatch: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_link(const struct nlmsghdr *h, bool from_dump)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	const struct rtattr *rta;
	struct linkst *l;
	bool up;

	if (len < 0 || ifi->ifi_family != AF_UNSPEC || ifi->ifi_index <= 0 ||
	    ifi->ifi_index >= MAX_IFINDEX)
		return;
	l = &links[ifi->ifi_index];
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_IFNAME) {
			size_t n = RTA_PAYLOAD(rta) < IF_NAMESIZE ? RTA_PAYLOAD(rta) : IF_NAMESIZE;
			memcpy(l->name, RTA_DATA(rta), n);
			l->name[IF_NAMESIZE - 1] = '\0';
		}
	}
	up = h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_UP) &&
	     (ifi->ifi_flags & IFF_RUNNING);
	if (l->known && l->up != up && !from_dump)
		l->changes++;
	l->known = true;
	l->up = up;
}

static void walk(const char *buf, ssize_t n, bool from_dump, bool *done)
{
	for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, (size_t)n);
	     h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
			if (done)
				*done = true;
			continue;
		}
		if (!from_dump)
			n_msgs++;
		switch (h->nlmsg_type) {
		case RTM_NEWLINK:
		case RTM_DELLINK:
			if (!from_dump)
				n_link++;
			on_link(h, from_dump);
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			n_addr++;
			break;
		case RTM_NEWROUTE:
		case RTM_DELROUTE:
			n_route++;
			break;
		}
	}
}

static void dump_links(void)
{
	static char buf[65536];
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = { .h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 } };
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	bool done = false;

	if (s < 0 || send(s, &req, sizeof(req), 0) < 0)
		die("link dump");
	while (!done) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("recv dump");
		walk(buf, n, true, &done);
	}
	close(s);
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
					       RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE };
	int rcv = 512 << 20;
	sigset_t mask;
	int s, sfd;
	FILE *out;

	if (argc != 2) {
		fprintf(stderr, "usage: nlwatch OUT\n");
		return 2;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (sfd < 0 || s < 0)
		die("socket");
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	dump_links();
	printf("ready\n");
	fflush(stdout);

	struct pollfd p[2] = { { .fd = s, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			die("poll");
		for (;;) {
			ssize_t n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);

			if (n < 0 && errno == ENOBUFS) {
				n_enobufs++;
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			walk(buf, n, false, NULL);
		}
		if (p[1].revents)
			break;
	}

	out = fopen(argv[1], "w");
	if (!out)
		die(argv[1]);
	unsigned long long changes = 0;
	for (int i = 0; i < MAX_IFINDEX; i++)
		changes += links[i].changes;
	fprintf(out, "messages %llu\nlink %llu\naddr %llu\nroute %llu\nenobufs %llu\nchanges %llu\n",
		n_msgs, n_link, n_addr, n_route, n_enobufs, changes);
	for (int i = 0; i < MAX_IFINDEX; i++)
		if (links[i].known && links[i].name[0])
			fprintf(out, "change %s %lu\n", links[i].name, links[i].changes);
	fclose(out);
	return 0;
}
