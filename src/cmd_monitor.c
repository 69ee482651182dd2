/* Purpose: ifhookd monitor: prints each event as it is classified, with the
 * exact environment a hooks.d file would get; runs no hook, needs no config. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "commands.h"
#include "evprint.h"
#include "live.h"
#include "log.h"
#include "watch.h"

/* The configuration's defaults (ifhookd.conf(5)). */
#define MONITOR_RCVBUF (8u * 1024 * 1024)
#define MONITOR_PPP_IPV6_WAIT_MS 3000

struct monitor {
	bool json;
	bool out_closed;
};

static void on_event(void *ctx, const struct event *ev)
{
	struct monitor *m = ctx;

	if (!m->out_closed && evprint_event(stdout, ev, m->json) < 0)
		m->out_closed = true; /* e.g. "| head" is done: stop quietly */
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ifhookd monitor [--json] [--no-startup]\n"
		     "Prints each event with the environment a hook would get (RULE empty),\n"
		     "one line each; --json: one JSON object per line. Runs no hook.\n"
		     "  --no-startup   do not print the state found at start (EVENT_ORIGIN=startup)\n");
}

int cmd_monitor(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-startup", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct monitor m = { 0 };
	bool startup = true;
	struct live lv;
	int opt, sigfd;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			m.json = true;
			break;
		case 'S':
			startup = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigfd = watch_signalfd(SFD_CLOEXEC, SIGINT, SIGTERM, 0);
	if (live_open(&lv, on_event, &m, MONITOR_RCVBUF, MONITOR_PPP_IPV6_WAIT_MS) < 0)
		fatal("netlink socket");
	/* Subscribed first (live_open), dumped second, as the daemon does. */
	live_dump(&lv, ORIGIN_STARTUP, startup);
	log_info("monitoring (%zu links, %zu routes); Ctrl-C stops", lv.cls.st.n_links,
		 lv.cls.st.n_routes);

	while (!m.out_closed) {
		/* stdout too: a pipe whose reader went away reports POLLERR,
		 * so "monitor | head" ends even when no event comes. */
		struct pollfd pfd[3] = {
			{ .fd = nl_event_fd(&lv.nl), .events = POLLIN },
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = STDOUT_FILENO, .events = 0 },
		};
		int n = poll(pfd, 3, live_timeout(&lv));

		if (n < 0 && errno != EINTR)
			fatal("poll");
		if (n > 0 && (pfd[1].revents || (pfd[2].revents & (POLLERR | POLLHUP))))
			break;
		/* An overrun shows as POLLERR: read anyway. */
		if (n > 0 && pfd[0].revents)
			live_read(&lv);
		live_tick(&lv);
	}
	live_close(&lv);
	close(sigfd);
	return 0;
}
