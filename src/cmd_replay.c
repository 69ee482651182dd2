/* Purpose: ifhookd replay: feeds a pcap capture of rtnetlink messages through
 * the classifier, rules and hook queues of the daemon (hooks run unless --dry-run). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "dispatch.h"
#include "evprint.h"
#include "feed.h"
#include "hooksdir.h"
#include "log.h"
#include "pcap.h"
#include "readfile.h"
#include "runloop.h"
#include "version.h"

struct replay {
	const char *path;
	bool json, dry_run;
	struct config *cfg;
	struct hooksdir *hd;
	struct runloop rl;
	uint64_t events;
};

static void on_event(void *ctx, const struct event *ev)
{
	struct replay *rp = ctx;
	struct hook_spec *specs = NULL;
	size_t n;

	rp->events++;
	evprint_event(stdout, ev, rp->json);
	n = dispatch_build(rp->cfg, rp->hd, ev, &specs);
	jobs_add_event(rp->rl.jobs, ev, specs, n);
	free(specs);
}

static void on_dry_run(void *ctx, const struct hook_spec *spec, const char *label)
{
	struct replay *rp = ctx;
	struct sbuf b = { 0 };

	(void)label;
	evprint_hook(&b, spec, rp->json);
	sbuf_addc(&b, '\n');
	fputs(sbuf_str(&b), stdout);
	fflush(stdout);
	sbuf_free(&b);
}

static void on_warn(void *ctx, const char *msg)
{
	struct replay *rp = ctx;

	log_warnx("replay: %s: %s", rp->path, msg);
}

static void print_config_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ifhookd replay FILE.pcap [--dry-run] [--json] [-c FILE] [-v]\n"
		"Feeds a capture (ifhookd record, or tcpdump -i nlmon0 -w) through the\n"
		"classifier and rules, printing each event; hooks run unless --dry-run,\n"
		"which prints each hook that would run instead.\n"
		"  -c, --config FILE  rules and hooks_dir (default %s, if it exists)\n"
		"      --json         events and hooks as JSON Lines\n"
		"  -v, --verbose      log each hook's start and exit\n",
		DEFAULT_CONFIG);
}

/* Reads every record once before anything runs: a broken file runs no hook. */
static int check_file(const uint8_t *data, size_t size, char *err, size_t errsize)
{
	struct pcap_reader r;
	struct pcap_packet p;
	int rc;

	if (pcap_open(&r, data, size, err, errsize) < 0)
		return -1;
	while ((rc = pcap_next(&r, &p, err, errsize)) > 0)
		;
	return rc;
}

static int replay_file(struct replay *rp, const uint8_t *data, size_t size)
{
	struct pcap_reader r;
	struct pcap_packet p;
	struct classify cls;
	struct feed f;
	char err[256];

	if (check_file(data, size, err, sizeof(err)) < 0) {
		fprintf(stderr, "ifhookd: replay: %s: %s\n", rp->path, err);
		return 1;
	}
	pcap_open(&r, data, size, err, sizeof(err));
	classify_init(&cls, on_event, rp, rp->cfg ? rp->cfg->ppp_ipv6_wait_ms : 3000);
	feed_init(&f, &cls, rp->cfg ? rp->cfg->startup_events : true, on_warn, rp);
	while (!rp->rl.stopping && pcap_next(&r, &p, err, sizeof(err)) > 0) {
		/* The capture's pace, for the hooks: while one runs or waits
		 * for its debounce, the next packet comes as late as it came
		 * live, so queues coalesce and debounce as they did. With
		 * nothing pending, time changes nothing and is skipped. */
		uint64_t t = p.ts_ns / 1000000u;
		if (f.now_ms && t > f.now_ms)
			runloop_wait(&rp->rl, t - f.now_ms);
		feed_packet(&f, &p);
		/* Hooks start between packets, as the daemon starts them
		 * between reads. */
		runloop_once(&rp->rl, 0);
	}
	if (!rp->rl.stopping)
		feed_finish(&f);
	runloop_drain(&rp->rl);
	struct jobs_stats js;
	jobs_get_stats(rp->rl.jobs, &js);
	log_info("replay: %s: %llu packets, %llu messages, %llu events; skipped %llu requests, "
		 "%llu of other netlink families, %llu malformed; hooks: %llu run, %llu failed, "
		 "%llu events coalesced, %llu debounced",
		 rp->path, (unsigned long long)f.packets, (unsigned long long)f.messages,
		 (unsigned long long)rp->events, (unsigned long long)f.requests,
		 (unsigned long long)f.other, (unsigned long long)f.malformed,
		 (unsigned long long)js.started, (unsigned long long)js.failed,
		 (unsigned long long)js.coalesced, (unsigned long long)js.debounced);
	classify_free(&cls);
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay rp = { 0 };
	const char *config = NULL;
	bool verbose = false;
	uint8_t *data;
	size_t size;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'n':
			rp.dry_run = true;
			break;
		case 'j':
			rp.json = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 2;
	}
	rp.path = argv[optind];
	log_init(LOG_TO_STDERR, verbose);
	if (!config && access(DEFAULT_CONFIG, F_OK) == 0)
		config = DEFAULT_CONFIG;
	if (config) {
		char *abs = realpath(config, NULL); /* see cmd_explain.c */
		rp.cfg = config_load(abs ? abs : config, print_config_error, NULL);
		free(abs);
		if (!rp.cfg) {
			fprintf(stderr, "ifhookd: replay: %s: configuration has errors\n", config);
			return 1;
		}
		rp.hd = hooksdir_new(rp.cfg->hooks_dir);
	} else {
		log_info("replay: no configuration (%s does not exist): events only", DEFAULT_CONFIG);
	}
	data = read_whole_file(rp.path, &size);
	if (!data) {
		fprintf(stderr, "ifhookd: replay: %s: %s\n", rp.path, strerror(errno));
		config_free(rp.cfg);
		hooksdir_free(rp.hd);
		return 1;
	}
	runloop_init(&rp.rl, rp.cfg ? rp.cfg->max_jobs : 8, rp.cfg ? rp.cfg->timeout_s : 30);
	if (rp.dry_run)
		jobs_set_dry_run(rp.rl.jobs, on_dry_run, &rp);
	rc = replay_file(&rp, data, size);
	runloop_free(&rp.rl);
	free(data);
	hooksdir_free(rp.hd);
	config_free(rp.cfg);
	return rc;
}
