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

#include "config.h"
#include "daemon.h"
#include "hooksdir.h"
#include "log.h"
#include "trust.h"

#define IFHOOKD_VERSION "0.1.0"
#define DEFAULT_CONFIG SYSCONFDIR "/ifhookd/ifhookd.conf"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ifhookd [-c FILE] [-f] [-n] [-v] [-h] [-V]\n"
		"Runs hook scripts on network events from the kernel (rtnetlink).\n\n"
		"  -c, --config FILE   configuration file (default %s)\n"
		"  -f, --foreground    stay in the foreground and log to stderr\n"
		"  -n, --check         check the configuration and hooks_dir, print every\n"
		"                      problem, exit 0 if there is none, else 1\n"
		"  -v, --verbose       also log each event and each hook start and exit\n"
		"  -h, --help          show this help\n"
		"  -V, --version       show the version\n\n"
		"Signals: SIGHUP reloads the configuration; SIGTERM or SIGINT stop taking\n"
		"events, let running hooks finish (up to their timeout) and exit.\n"
		"See ifhookd(8) and ifhookd.conf(5).\n",
		DEFAULT_CONFIG);
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
		{ NULL, 0, NULL, 0 },
	};
	const char *config_arg = DEFAULT_CONFIG;
	bool foreground = false, check = false, verbose = false;
	int opt, errors = 0;

	while ((opt = getopt_long(argc, argv, "c:fnvhV", longopts, NULL)) != -1) {
		switch (opt) {
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
		/* A rule whose program may not run (see trust.h) never runs. */
		for (size_t i = 0; cfg && i < cfg->n_rules; i++)
			for (size_t k = 0; k < cfg->rules[i].n_runs; k++) {
				char why[160];
				const char *prog = cfg->rules[i].runs[k].argv[0];
				if (trust_problem(prog, why, sizeof(why))) {
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
	if (!foreground) {
		detach(cfg->log == LOG_TO_STDERR);
		log_init(cfg->log, verbose);
	}
	struct daemon_opts opts = { .config_path = config_path, .verbose = verbose };
	int rc = daemon_run(cfg, &opts);
	free(config_path);
	return rc;
}
