/* Purpose: ifhookd explain: synthesises an event and prints every hook it would
 * run (argv and environment, in order) and everything that would not run and
 * why; runs them only with --run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "dispatch.h"
#include "escape.h"
#include "evprint.h"
#include "explain_vars.h"
#include "hooksdir.h"
#include "live.h"
#include "log.h"
#include "rules.h"
#include "runloop.h"
#include "trust.h"
#include "version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ifhookd explain EVENT IFACE [VAR=VALUE ...] [-c FILE] [--run]\n"
		"Prints, in order, each hook an event would run (its argv and environment)\n"
		"and each rule or hooks_dir file that would not run, with the reason.\n"
		"VAR=VALUE sets a variable of the hook environment (ADDRESS, PREFIXLEN,\n"
		"PEER, FAMILY, ROUTE_DST, ROUTE_GATEWAY, IFTYPE, PPP_LOCAL, ...); the link\n"
		"facts of IFACE come from the kernel when it has that interface.\n"
		"  -c, --config FILE  default %s\n"
		"      --run          also run the hooks, as the daemon would\n"
		"example: ifhookd explain address-added ppp0 ADDRESS=203.0.113.5 PREFIXLEN=32\n",
		DEFAULT_CONFIG);
}

static void no_event(void *ctx, const struct event *ev)
{
	(void)ctx;
	(void)ev;
}

/* Link facts as an event about IFACE would carry them now. */
static const char *kernel_facts(struct explain_event *x)
{
	struct live lv;
	bool found;

	if (!x->ev.iface[0])
		return "no interface";
	if (live_open(&lv, no_event, NULL, 65536, 0) < 0)
		return NULL;
	live_dump(&lv, ORIGIN_STARTUP, false);
	found = classify_link_by_name(&lv.cls, x->ev.iface, &x->ev);
	live_close(&lv);
	return found ? "link facts from the kernel" : NULL;
}

static void print_spec(size_t i, const struct hook_spec *s)
{
	struct sbuf b = { 0 };

	sbuf_addf(&b, "run %zu: ", i + 1);
	if (s->rule)
		sbuf_add(&b, "rule ");
	esc_shell(&b, s->rule ? s->rule : s->name);
	sbuf_add(&b, "\n  argv: ");
	evprint_argv(&b, s->argv, false);
	sbuf_add(&b, "\n  env:\n");
	for (size_t k = 0; s->envp[k]; k++) {
		sbuf_add(&b, "    ");
		esc_shell_assignment(&b, s->envp[k]);
		sbuf_addc(&b, '\n');
	}
	if (s->delay_ms)
		sbuf_addf(&b, "  debounce: starts after %u ms if the state still holds\n",
			  s->delay_ms);
	fputs(sbuf_str(&b), stdout);
	sbuf_free(&b);
}

struct counts {
	size_t skipped;
};

static void print_skipped(void *ctx, const char *path, const char *reason)
{
	struct counts *c = ctx;
	struct sbuf b = { 0 };

	c->skipped++;
	sbuf_add(&b, "skipped: ");
	esc_shell(&b, path);
	sbuf_addf(&b, ": %s\n", reason);
	fputs(sbuf_str(&b), stdout);
	sbuf_free(&b);
}

/* Rules that do not match, and rule commands refused (see trust.h). */
static size_t print_rules_not_run(const struct config *cfg, const struct event *ev)
{
	size_t n = 0;

	for (size_t i = 0; cfg && i < cfg->n_rules; i++) {
		const struct rule *r = &cfg->rules[i];
		const char *key = rule_mismatch(r, ev);
		struct sbuf b = { 0 };

		if (key) {
			sbuf_add(&b, "not run: rule ");
			esc_shell(&b, r->name ? r->name : "");
			sbuf_addf(&b, " (%s:%d): its %s does not match\n", r->file, r->line, key);
			n++;
		}
		for (size_t k = 0; !key && k < r->n_runs; k++) {
			char why[160];
			if (!trust_start_problem(r->runs[k].argv[0], why, sizeof(why)))
				continue;
			sbuf_add(&b, "not run: rule ");
			esc_shell(&b, r->name ? r->name : "");
			sbuf_add(&b, ": ");
			esc_shell(&b, r->runs[k].argv[0]);
			sbuf_addf(&b, ": %s\n", why);
			n++;
		}
		fputs(sbuf_str(&b), stdout);
		sbuf_free(&b);
	}
	return n;
}

static void print_config_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int run_hooks(const struct config *cfg, const struct event *ev, struct hook_spec *specs,
		     size_t n)
{
	struct runloop rl;
	struct jobs_stats st;

	runloop_init(&rl, cfg->max_jobs, cfg->timeout_s);
	jobs_add_event(rl.jobs, ev, specs, n);
	runloop_drain(&rl);
	jobs_get_stats(rl.jobs, &st);
	runloop_free(&rl);
	/* A refusal here means the file changed since the list was printed. */
	printf("ran %llu hooks: %llu failed, %llu could not start, %llu timed out\n",
	       (unsigned long long)st.started, (unsigned long long)st.failed,
	       (unsigned long long)(st.spawn_errors + st.refused),
	       (unsigned long long)st.timed_out);
	return st.failed || st.spawn_errors || st.refused ? 1 : 0;
}

/* The daemon checks each program when the hook starts (jobs.h); the hooks it
 * would refuse are listed as not run (print_rules_not_run), not as runs. */
static size_t drop_refused(struct hook_spec *specs, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		char why[160];

		if (trust_start_problem(specs[i].argv[0], why, sizeof(why)))
			hook_spec_clear(&specs[i]);
		else
			specs[kept++] = specs[i];
	}
	return kept;
}

static int explain(struct config *cfg, struct explain_event *x, bool run)
{
	struct hooksdir *hd = cfg ? hooksdir_new(cfg->hooks_dir) : NULL;
	struct hook_spec *specs = NULL;
	struct counts counts = { 0 };
	size_t n, not_run;
	int rc = 0;

	if (hd)
		hooksdir_set_quiet(hd, true);
	n = dispatch_build(cfg, hd, &x->ev, &specs);
	n = drop_refused(specs, n);
	for (size_t i = 0; i < n; i++)
		print_spec(i, &specs[i]);
	not_run = print_rules_not_run(cfg, &x->ev);
	hooksdir_skipped(hd, x->ev.type, print_skipped, &counts);
	printf("%zu hooks would run; %zu rules or rule commands not run; %zu hooks_dir entries "
	       "skipped\n",
	       n, not_run, counts.skipped);
	fflush(stdout);
	if (run && n) {
		rc = run_hooks(cfg, &x->ev, specs, n); /* takes the specs */
	} else {
		for (size_t i = 0; i < n; i++)
			hook_spec_clear(&specs[i]);
	}
	free(specs);
	hooksdir_free(hd);
	return rc;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "run", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *facts;
	struct explain_event x;
	struct config *cfg = NULL;
	bool run = false;
	char err[256], safe[IF_NAMESIZE * 4 + 1];
	int opt, type, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'r':
			run = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return 2;
	}
	log_init(LOG_TO_STDERR, false);
	type = event_from_name(argv[optind]);
	if (type < 0) {
		fprintf(stderr, "ifhookd: explain: unknown event '%s'; the events are:", argv[optind]);
		for (int t = 0; t < EV_COUNT; t++)
			fprintf(stderr, " %s", event_name((enum event_type)t));
		fprintf(stderr, "\n");
		return 2;
	}
	if (strlen(argv[optind + 1]) >= IF_NAMESIZE) {
		fprintf(stderr, "ifhookd: explain: interface name longer than %d bytes\n",
			IF_NAMESIZE - 1);
		return 2;
	}
	explain_init(&x, (enum event_type)type, argv[optind + 1]);
	facts = kernel_facts(&x);
	if (!facts && !event_is_route(x.ev.type)) {
		explain_default_link(&x);
		facts = "link facts assumed (the kernel has no such interface)";
	} else if (!facts) {
		facts = "no link facts (the kernel has no such interface)";
	}
	log_init(LOG_TO_STDERR, run); /* --run: each hook's start and exit */
	for (int i = optind + 2; i < argc; i++)
		if (explain_var(&x, argv[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "ifhookd: explain: %s\n", err);
			event_clear(&x.ev);
			return 2;
		}
	if (explain_finish(&x, err, sizeof(err)) < 0) {
		fprintf(stderr, "ifhookd: explain: %s\n", err);
		event_clear(&x.ev);
		return 2;
	}
	if (!config && access(DEFAULT_CONFIG, F_OK) == 0)
		config = DEFAULT_CONFIG;
	if (config) {
		/* Relative paths in it are relative to its directory, and hooks
		 * must have absolute paths (trust.h): resolve it first. */
		char *abs = realpath(config, NULL);
		cfg = config_load(abs ? abs : config, print_config_error, NULL);
		free(abs);
		if (!cfg) {
			fprintf(stderr, "ifhookd: explain: %s: configuration has errors\n", config);
			event_clear(&x.ev);
			return 1;
		}
	}
	printf("event %s on %s: ifindex %d, %s\n", event_name(x.ev.type),
	       log_safe(x.ev.iface, safe, sizeof(safe)), x.ev.ifindex, facts);
	if (!cfg)
		printf("no configuration (%s does not exist): nothing would run\n", DEFAULT_CONFIG);
	rc = explain(cfg, &x, run);
	event_clear(&x.ev);
	config_free(cfg);
	return rc;
}
