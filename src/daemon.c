/* Purpose: wires netlink, classifier, rules and jobs together in one epoll loop. */
#include "daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "classify.h"
#include "dispatch.h"
#include "hooksdir.h"
#include "jobs.h"
#include "live.h"
#include "log.h"
#include "notify.h"
#include "sbuf.h"
#include "evprint.h"
#include "status.h"
#include "status_report.h"
#include "watch.h"


struct daemon {
	const struct daemon_opts *opts;
	struct config *cfg;
	struct hooksdir *hd;
	int epfd;
	struct live lv; /* netlink sockets and the classifier */
	struct jobs *jobs;
	struct watch nl_w, sig_w;
	bool stopping;
	uint64_t events;
	uint64_t started_ms;
	struct status_server *status;
};

/* ---------- events to hooks ---------- */

static void on_event(void *ctx, const struct event *kernel_ev)
{
	struct daemon *d = ctx;
	/* A shallow copy: only the flag below differs; strings are shared. */
	struct event copy = *kernel_ev, *ev = &copy;
	struct hook_spec *specs = NULL;
	char safe[IF_NAMESIZE * 4 + 1];
	size_t n;

	d->events++;
	ev->caused_by_hook = jobs_pid_in_hook(d->jobs, ev->portid);
	log_debug("event %s iface=%s ifindex=%d origin=%s seq=%llu", event_name(ev->type),
		  log_safe(ev->iface, safe, sizeof(safe)), ev->ifindex,
		  event_origin_name(ev->origin), (unsigned long long)ev->seq);
	n = dispatch_build(d->cfg, d->hd, ev, &specs);
	jobs_add_event(d->jobs, ev, specs, n);
	free(specs);
}

/* ---------- netlink ---------- */

static void on_netlink(struct watch *w, uint32_t events)
{
	struct daemon *d = (struct daemon *)((char *)w - offsetof(struct daemon, nl_w));

	(void)events; /* an overrun shows as EPOLLERR: read anyway, keep the fd */
	if (!d->stopping)
		live_read(&d->lv);
}

/* ---------- signals and reload ---------- */

static void report_config_error(void *ctx, const char *msg)
{
	(void)ctx;
	log_warnx("%s", msg);
}

static void reload(struct daemon *d)
{
	/* A service manager waits for READY=1 again before it calls the reload
	 * done (sd_notify(3)); it comes on both outcomes. */
	notify_send("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading the configuration",
		    notify_monotonic_usec());
	struct config *cfg = config_load(d->opts->config_path, report_config_error, NULL);

	if (!cfg) {
		log_warnx("reload: configuration has errors; keeping the old one");
		notify_send("READY=1\nSTATUS=reload failed (configuration has errors); "
			    "running with the old one");
		return;
	}
	config_free(d->cfg);
	d->cfg = cfg;
	hooksdir_free(d->hd);
	d->hd = hooksdir_new(cfg->hooks_dir);
	jobs_set_limits(d->jobs, cfg->max_jobs, cfg->timeout_s);
	/* As hooks_dir's skipped files are, with the new hooksdir above. */
	jobs_forget_refusals(d->jobs);
	d->lv.cls.ppp_ipv6_wait_ms = cfg->ppp_ipv6_wait_ms;
	log_info("configuration reloaded (%zu rules)", cfg->n_rules);
	notify_send("READY=1\nSTATUS=running; configuration reloaded (%zu rules)", cfg->n_rules);
}

static void on_signal(struct watch *w, uint32_t events)
{
	struct daemon *d = (struct daemon *)((char *)w - offsetof(struct daemon, sig_w));
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(d);
		} else if (si.ssi_signo == SIGCHLD) {
			jobs_child_exited(d->jobs);
		} else if (!d->stopping) {
			log_info("exiting on SIG%s", sigabbrev_np((int)si.ssi_signo));
			notify_send("STOPPING=1\nSTATUS=exiting; waiting for running hooks");
			d->stopping = true;
			watch_del(d->epfd, &d->nl_w);
			jobs_shutdown(d->jobs);
		}
	}
}

static int setup_signals(void)
{
	/* A hook's closed pipe must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	/* SIGCHLD: needed only for hooks without a pidfd (kernel before 5.3,
	 * valgrind). */
	return watch_signalfd(SFD_CLOEXEC | SFD_NONBLOCK, SIGTERM, SIGINT, SIGHUP, SIGCHLD, 0);
}

/* ---------- status socket and --dry-run ---------- */

static char *status_reply(void *ctx, bool json)
{
	struct daemon *d = ctx;
	struct status_view v = {
		.pid = getpid(), .now_ms = mono_ms(), .started_ms = d->started_ms,
		.dry_run = d->opts->dry_run, .st = &d->lv.cls.st, .jobs = d->jobs,
		.events = d->events, .malformed = d->lv.malformed + d->lv.nl.malformed,
		.overruns = d->lv.overruns, .resyncs = d->lv.resyncs,
	};

	return status_format(&v, json);
}

static void log_dry_run(void *ctx, const struct hook_spec *spec, const char *label)
{
	struct sbuf b = { 0 };

	(void)ctx;
	(void)label;
	evprint_hook(&b, spec, false);
	log_info("%s", sbuf_str(&b));
	sbuf_free(&b);
}

/* ---------- loop ---------- */

static int next_timeout(struct daemon *d)
{
	uint64_t a = classify_next_deadline(&d->lv.cls), b = jobs_next_deadline(d->jobs);
	uint64_t next = !a ? b : !b ? a : (a < b ? a : b);

	if (!next)
		return -1; /* nothing due: sleep until the kernel speaks (no idle wakeups) */
	uint64_t now = mono_ms();
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

int daemon_run(struct config *cfg, const struct daemon_opts *opts)
{
	struct daemon d = { .opts = opts, .cfg = cfg };
	int sigfd;

	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d.epfd < 0)
		fatal("epoll_create1");
	sigfd = setup_signals();
	d.hd = hooksdir_new(cfg->hooks_dir);
	d.jobs = jobs_new(d.epfd, cfg->max_jobs, cfg->timeout_s);
	if (live_open(&d.lv, on_event, &d, cfg->rcvbuf, cfg->ppp_ipv6_wait_ms) < 0)
		fatal("netlink socket");
	/* Edge-free: EPOLLIN plus EPOLLERR, which is how ENOBUFS is signalled. */
	if (watch_add(d.epfd, &d.nl_w, nl_event_fd(&d.lv.nl), EPOLLIN, on_netlink) < 0 ||
	    watch_add(d.epfd, &d.sig_w, sigfd, EPOLLIN, on_signal) < 0)
		fatal("epoll_ctl");
	d.started_ms = mono_ms();
	if (opts->dry_run)
		jobs_set_dry_run(d.jobs, log_dry_run, NULL);
	if (opts->status_path && *opts->status_path)
		d.status = status_open(d.epfd, opts->status_path, status_reply, &d);

	/* Subscribed first (live_open), dumped second: nothing falls between. */
	live_dump(&d.lv, ORIGIN_STARTUP, cfg->startup_events);
	size_t n_addrs = 0;
	for (size_t b = 0; b < d.lv.cls.st.n_link_buckets; b++)
		for (struct link_entry *l = d.lv.cls.st.link_buckets[b]; l; l = l->hnext)
			n_addrs += l->n_addrs;
	log_info("ready (%zu links, %zu addresses, %zu routes)", d.lv.cls.st.n_links, n_addrs,
		 d.lv.cls.st.n_routes);
	/* Readiness for systemd (Type=notify): the initial dump is done, so
	 * every later change becomes an event. */
	notify_send("READY=1\nSTATUS=running (%zu links, %zu addresses, %zu routes at start)",
		    d.lv.cls.st.n_links, n_addrs, d.lv.cls.st.n_routes);

	while (!d.stopping || !jobs_idle(d.jobs)) {
		struct epoll_event evs[32];
		/* Hooks start only here, between batches, with the netlink socket
		 * drained: a burst has been coalesced first, and no hook starts
		 * for a state already undone. */
		jobs_pump(d.jobs);
		int n = epoll_wait(d.epfd, evs, 32, next_timeout(&d));

		if (n < 0 && errno != EINTR)
			fatal("epoll_wait");
		for (int i = 0; i < n; i++) {
			struct watch *w = evs[i].data.ptr;
			w->fn(w, evs[i].events);
		}
		uint64_t now = mono_ms();
		if (!d.stopping)
			classify_tick(&d.lv.cls, now);
		jobs_tick(d.jobs, now);
	}

	log_info("exiting (%llu events, %llu malformed messages skipped)",
		 (unsigned long long)d.events, (unsigned long long)d.lv.malformed);
	status_close(d.status);
	jobs_free(d.jobs);
	live_close(&d.lv);
	hooksdir_free(d.hd);
	config_free(d.cfg);
	close(sigfd);
	close(d.epfd);
	return 0;
}
