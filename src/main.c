/* Purpose: command line, --check, detaching, then the event loop. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "daemon.h"
#include "hooksdir.h"
#include "log.h"
#include "trust.h"
#include "version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ifhookd [-c FILE] [-f] [-l TARGET] [-n] [-v] [--dry-run] [-S PATH] [-h] [-V]\n"
		"       ifhookd monitor|explain|record|replay|status ... (-h for each)\n"
		"Runs hook scripts on network events from the kernel (rtnetlink).\n\n"
		"  -c, --config FILE   configuration file (default %s)\n"
		"  -f, --foreground    stay in the foreground and log to stderr\n"
		"  -l, --log TARGET    log to stderr or syslog, whatever -f and the\n"
		"                      configuration's log say (init scripts: -f -l syslog)\n"
		"  -n, --check         check the configuration and hooks_dir, print every\n"
		"                      problem, exit 0 if there is none, else 1\n"
		"  -v, --verbose       also log each event and each hook start and exit\n"
		"      --dry-run       log each hook with its argv and environment; run none\n"
		"  -S, --socket PATH   status socket (default %s; \"none\": no socket)\n"
		"  -h, --help          show this help\n"
		"  -V, --version       show the version\n\n"
		"Commands: monitor (print events live), explain EVENT IFACE (what would run),\n"
		"record FILE.pcap, replay FILE.pcap, status (ask the running daemon).\n\n"
		"Signals: SIGHUP reloads the configuration; SIGTERM or SIGINT stop taking\n"
		"events, let running hooks finish (up to their timeout) and exit.\n"
		"See ifhookd(8) and ifhookd.conf(5).\n",
		DEFAULT_CONFIG, DEFAULT_STATUS_SOCKET);
}

static void print_error(void *ctx, const char *msg)
{
	int *count = ctx;

	(*count)++;
	fprintf(stderr, "%s\n", msg);
}

static void print_hooks_problem(void *ctx, bool is_error, const char *msg)
{
	int *count = ctx;

	if (is_error)
		(*count)++;
	fprintf(stderr, "%s%s\n", is_error ? "" : "note: ", msg);
}

/* Reloads after chdir("/") need the config's absolute path. */
static char *absolute_path(const char *path)
{
	char cwd[PATH_MAX];
	char *out;

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return strdup(path);
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

static void detach(bool keep_stderr)
{
	pid_t pid = fork();
	int null;

	if (pid < 0)
		fatal("fork");
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		fatal("setsid");
	if (chdir("/") < 0)
		fatal("chdir /");
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		fatal("/dev/null");
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	if (!keep_stderr)
		dup2(null, STDERR_FILENO);
	close(null);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "socket", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_arg = DEFAULT_CONFIG, *socket_arg = DEFAULT_STATUS_SOCKET;
	bool foreground = false, check = false, verbose = false, dry_run = false;
	int opt, errors = 0, log_arg = -1;

	/* "ifhookd COMMAND ...": the admin tools (commands.h). */
	if (argc > 1 && command_find(argv[1]))
		return command_find(argv[1])(argc - 1, argv + 1);
	while ((opt = getopt_long(argc, argv, "c:fnvhVS:l:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (strcmp(optarg, "stderr") == 0)
				log_arg = LOG_TO_STDERR;
			else if (strcmp(optarg, "syslog") == 0)
				log_arg = LOG_TO_SYSLOG;
			else {
				fprintf(stderr, "ifhookd: --log: expected stderr or syslog\n");
				return 2;
			}
			break;
		case 'D':
			dry_run = true;
			break;
		case 'S':
			socket_arg = optarg;
			break;
		case 'c':
			config_arg = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'n':
			check = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ifhookd %s\n", IFHOOKD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ifhookd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	log_init(LOG_TO_STDERR, verbose);

	char *config_path = absolute_path(config_arg);
	if (!config_path)
		fatal("out of memory");
	struct config *cfg = config_load(config_path, print_error, &errors);
	if (check) {
		/* A rule whose program may not run (see trust.h) never runs:
		 * the very check the daemon makes when the hook would start. */
		for (size_t i = 0; cfg && i < cfg->n_rules; i++)
			for (size_t k = 0; k < cfg->rules[i].n_runs; k++) {
				char why[160];
				const char *prog = cfg->rules[i].runs[k].argv[0];
				if (trust_start_problem(prog, why, sizeof(why))) {
					fprintf(stderr, "%s:%d: rule %s: %s: %s\n", cfg->rules[i].file,
						cfg->rules[i].line, cfg->rules[i].name, prog, why);
					errors++;
				}
			}
		/* A default hooks_dir that does not exist just means no hooks. */
		if (cfg && (cfg->hooks_dir_set || access(cfg->hooks_dir, F_OK) == 0))
			hooksdir_check(cfg->hooks_dir, print_hooks_problem, &errors);
		if (!cfg || errors) {
			config_free(cfg);
			free(config_path);
			return 1;
		}
		printf("configuration OK\n");
		config_free(cfg);
		free(config_path);
		return 0;
	}
	if (!cfg) {
		fprintf(stderr, "ifhookd: %s: configuration has errors, not starting\n", config_path);
		free(config_path);
		return 1;
	}
	/* -l wins; else -f means stderr, and a detached daemon does what the
	 * configuration says. */
	enum log_target target = log_arg >= 0	 ? (enum log_target)log_arg
				 : foreground ? LOG_TO_STDERR
					      : cfg->log;
	if (!foreground)
		detach(target == LOG_TO_STDERR);
	log_set_facility(cfg->log_facility);
	log_init(target, verbose);
	char *status_path = strcmp(socket_arg, "none") == 0 ? NULL : absolute_path(socket_arg);
	struct daemon_opts opts = { .config_path = config_path, .verbose = verbose,
				    .dry_run = dry_run, .status_path = status_path };
	int rc = daemon_run(cfg, &opts);
	free(config_path);
	free(status_path);
	return rc;
}
