/* Purpose: wires netlink, classifier, rules and jobs together in one epoll loop. */
#include "daemon.h"

#include <errno.h>
#include <linux/rtnetlink.h>
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
#include "log.h"
#include "nl.h"
#include "notify.h"
#include "rtnl.h"
#include "sbuf.h"
#include "evprint.h"
#include "status.h"
#include "status_report.h"
#include "watch.h"

#define DUMP_RETRIES 10
#define MALFORMED_LOG_MAX 10

struct daemon {
	const struct daemon_opts *opts;
	struct config *cfg;
	struct hooksdir *hd;
	int epfd;
	struct nl nl;
	struct classify cls;
	struct jobs *jobs;
	struct watch nl_w, sig_w;
	bool stopping;
	bool resync_wanted;
	bool in_overrun; /* between an ENOBUFS and the resync that answers it */
	uint64_t events, malformed, resyncs;
	uint64_t overruns;   /* ENOBUFS episodes: each answered by one resync */
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

static void on_nlmsg(void *ctx, const struct nlmsghdr *nlh)
{
	struct daemon *d = ctx;
	struct rtnl_msg m;

	if (rtnl_parse(nlh, &m) == RTNL_MALFORMED) {
		/* Skipped and counted; never trusted, never fatal. */
		if (++d->malformed <= MALFORMED_LOG_MAX)
			log_warnx("skipped malformed netlink message (type %u, %u bytes; %llu so far)",
				  nlh->nlmsg_type, nlh->nlmsg_len, (unsigned long long)d->malformed);
		return;
	}
	classify_msg(&d->cls, &m, mono_ms());
}

static void dump_class(struct daemon *d, enum sync_class cls, uint16_t type)
{
	for (int attempt = 0;; attempt++) {
		classify_sync_begin(&d->cls, cls);
		int rc = nl_dump(&d->nl, type, on_nlmsg, d);
		if (rc < 0) {
			/* Without a complete dump nothing can be swept safely. */
			log_warn("netlink dump (type %u) failed", type);
			classify_sync_abort(&d->cls);
			return;
		}
		if (rc == 0 || attempt == DUMP_RETRIES) {
			classify_sync_end(&d->cls, cls, mono_ms());
			return;
		}
		/* NLM_F_DUMP_INTR: the tables changed under the dump; redo it. */
		log_debug("netlink dump (type %u) interrupted, retrying", type);
	}
}

static void dump_all(struct daemon *d)
{
	dump_class(d, SYNC_LINKS, RTM_GETLINK);
	dump_class(d, SYNC_ADDRS, RTM_GETADDR);
	dump_class(d, SYNC_ROUTES, RTM_GETROUTE);
}

static void resync(struct daemon *d)
{
	uint64_t t0 = mono_ms();

	d->resyncs++;
	d->cls.origin = ORIGIN_RESYNC;
	dump_all(d);
	d->cls.origin = ORIGIN_KERNEL;
	d->resync_wanted = false;
	d->in_overrun = false;
	log_info("resync %llu done in %llu ms (%zu links, %zu routes)",
		 (unsigned long long)d->resyncs, (unsigned long long)(mono_ms() - t0),
		 d->cls.st.n_links, d->cls.st.n_routes);
}

static void on_netlink(struct watch *w, uint32_t events)
{
	struct daemon *d = (struct daemon *)((char *)w - offsetof(struct daemon, nl_w));

	(void)events; /* an overrun shows as EPOLLERR: read anyway, keep the fd */
	if (d->stopping)
		return;
	int rc = nl_read_events(&d->nl, on_nlmsg, d);
	if (rc == 1) {
		if (!d->in_overrun) {
			d->overruns++;
			log_warnx("netlink receive buffer overrun: events were lost (%llu overruns); resyncing",
				  (unsigned long long)d->nl.enobufs + d->nl.truncated);
		}
		d->in_overrun = true;
		d->resync_wanted = true;
	} else if (rc < 0) {
		log_warn("netlink read");
	}
	if (d->cls.want_route_resync && !d->resync_wanted) {
		d->cls.origin = ORIGIN_KERNEL;
		dump_class(d, SYNC_ROUTES, RTM_GETROUTE);
	}
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
	d->cls.ppp_ipv6_wait_ms = cfg->ppp_ipv6_wait_ms;
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
	sigset_t set;
	struct sigaction ign = { .sa_handler = SIG_IGN };

	/* A hook's closed pipe must not kill the daemon. */
	sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Needed only for hooks without a pidfd (kernel before 5.3, valgrind). */
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* ---------- status socket and --dry-run ---------- */

static char *status_reply(void *ctx, bool json)
{
	struct daemon *d = ctx;
	struct status_view v = {
		.pid = getpid(), .now_ms = mono_ms(), .started_ms = d->started_ms,
		.dry_run = d->opts->dry_run, .st = &d->cls.st, .jobs = d->jobs,
		.events = d->events, .malformed = d->malformed + d->nl.malformed,
		.overruns = d->overruns, .resyncs = d->resyncs,
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
	uint64_t a = classify_next_deadline(&d->cls), b = jobs_next_deadline(d->jobs);
	uint64_t next = !a ? b : !b ? a : (a < b ? a : b);

	if (d->resync_wanted)
		return 0;
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
	if (sigfd < 0)
		fatal("signalfd");
	d.hd = hooksdir_new(cfg->hooks_dir);
	d.jobs = jobs_new(d.epfd, cfg->max_jobs, cfg->timeout_s);
	classify_init(&d.cls, on_event, &d, cfg->ppp_ipv6_wait_ms);
	if (nl_open(&d.nl, (int)cfg->rcvbuf) < 0)
		fatal("netlink socket");
	/* Edge-free: EPOLLIN plus EPOLLERR, which is how ENOBUFS is signalled. */
	if (watch_add(d.epfd, &d.nl_w, nl_event_fd(&d.nl), EPOLLIN, on_netlink) < 0 ||
	    watch_add(d.epfd, &d.sig_w, sigfd, EPOLLIN, on_signal) < 0)
		fatal("epoll_ctl");
	d.started_ms = mono_ms();
	if (opts->dry_run)
		jobs_set_dry_run(d.jobs, log_dry_run, NULL);
	if (opts->status_path && *opts->status_path)
		d.status = status_open(d.epfd, opts->status_path, status_reply, &d);

	/* Subscribed first (nl_open), dumped second: nothing falls between. */
	d.cls.origin = ORIGIN_STARTUP;
	d.cls.emit = cfg->startup_events;
	dump_all(&d);
	d.cls.origin = ORIGIN_KERNEL;
	d.cls.emit = true;
	size_t n_addrs = 0;
	for (size_t b = 0; b < d.cls.st.n_link_buckets; b++)
		for (struct link_entry *l = d.cls.st.link_buckets[b]; l; l = l->hnext)
			n_addrs += l->n_addrs;
	log_info("ready (%zu links, %zu addresses, %zu routes)", d.cls.st.n_links, n_addrs,
		 d.cls.st.n_routes);
	/* Readiness for systemd (Type=notify): the initial dump is done, so
	 * every later change becomes an event. */
	notify_send("READY=1\nSTATUS=running (%zu links, %zu addresses, %zu routes at start)",
		    d.cls.st.n_links, n_addrs, d.cls.st.n_routes);

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
		if (!d.stopping) {
			classify_tick(&d.cls, now);
			if (d.resync_wanted)
				resync(&d);
		}
		jobs_tick(d.jobs, now);
	}

	log_info("exiting (%llu events, %llu malformed messages skipped)",
		 (unsigned long long)d.events, (unsigned long long)d.malformed);
	status_close(d.status);
	jobs_free(d.jobs);
	classify_free(&d.cls);
	nl_close(&d.nl);
	hooksdir_free(d.hd);
	config_free(d.cfg);
	close(sigfd);
	close(d.epfd);
	return 0;
}
