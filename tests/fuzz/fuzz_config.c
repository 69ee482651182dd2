/* Purpose: libFuzzer target: the input as a config file (and, after a line
 * "%%", one rules_dir file) through config_load and config_free. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/* Text after the first "\n%%\n" goes to rules.d/fuzz.conf. */
#define SPLIT "\n%%\n"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One directory per process, under $TMPDIR: the main file, the default
 * rules_dir with at most one file, and the default hooks_dir with one
 * executable "hook" that relative run lines can name. */
static char dir[PATH_MAX];
static char main_path[PATH_MAX + 32], rules_dir[PATH_MAX + 32], rules_path[PATH_MAX + 64];
static char hooks_dir[PATH_MAX + 32], hook_path[PATH_MAX + 64];

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "fuzz_config: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

/* A new file each time: truncating and rewriting one makes ext4 flush it
 * on close (auto_da_alloc), which costs more than the parse. */
static void write_file(const char *path, const uint8_t *data, size_t size, mode_t mode)
{
	int fd;

	if (unlink(path) != 0 && errno != ENOENT)
		fail("cannot remove", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		fail("cannot create", path);
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);
		if (n < 0 && errno != EINTR)
			fail("cannot write", path);
		done += n > 0 ? (size_t)n : 0;
	}
	if (close(fd) != 0)
		fail("cannot close", path);
}

static void cleanup(void)
{
	unlink(main_path);
	unlink(rules_path);
	unlink(hook_path);
	rmdir(rules_dir);
	rmdir(hooks_dir);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char hook[] = "#!/bin/sh\nexit 0\n";
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	char made[PATH_MAX];

	snprintf(made, sizeof(made), "%s/ifhookd-fuzz-config.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(made))
		fail("cannot create", made);
	/* Absolute, so that every loaded run path must be absolute too. */
	if (!realpath(made, dir))
		fail("cannot resolve", made);
	snprintf(main_path, sizeof(main_path), "%s/ifhookd.conf", dir);
	snprintf(rules_dir, sizeof(rules_dir), "%s/rules.d", dir);
	snprintf(rules_path, sizeof(rules_path), "%s/fuzz.conf", rules_dir);
	snprintf(hooks_dir, sizeof(hooks_dir), "%s/hooks.d", dir);
	snprintf(hook_path, sizeof(hook_path), "%s/hook", hooks_dir);
	if (mkdir(rules_dir, 0755) != 0)
		fail("cannot create", rules_dir);
	if (mkdir(hooks_dir, 0755) != 0)
		fail("cannot create", hooks_dir);
	write_file(hook_path, (const uint8_t *)hook, sizeof(hook) - 1, 0755);
	atexit(cleanup);
	return 0;
}

static void count(void *ctx, const char *msg)
{
	if (!msg || !*msg) {
		fprintf(stderr, "fuzz_config: empty error message\n");
		abort();
	}
	(*(unsigned *)ctx)++;
}

static void bad(const char *what, const struct rule *r)
{
	fprintf(stderr, "fuzz_config: loaded, but %s (rule '%s' at %s:%d)\n", what,
		r && r->name ? r->name : "", r && r->file ? r->file : "", r ? r->line : 0);
	abort();
}

/* What the runtime relies on in a config that loaded. */
static void check_config(const struct config *cfg)
{
	if (!cfg->hooks_dir || !cfg->rules_dir || cfg->timeout_s < 1 || cfg->max_jobs < 1)
		bad("daemon settings out of range", NULL);
	for (size_t i = 0; i < cfg->n_rules; i++) {
		const struct rule *r = &cfg->rules[i];

		if (!r->name || !*r->name || !r->file || r->line < 1)
			bad("a rule without name or origin", r);
		if (r->n_runs == 0)
			bad("a rule without run", r);
		for (size_t j = 0; j < r->n_runs; j++) {
			const struct command *c = &r->runs[j];
			if (c->argc == 0 || !c->argv || c->argv[c->argc] != NULL)
				bad("a run with an empty or unterminated argv", r);
			if (c->argv[0][0] != '/')
				bad("a run path that is not absolute", r);
			for (size_t k = 0; k < c->argc; k++)
				if (!c->argv[k] || !*c->argv[k])
					bad("an empty word in a run", r);
		}
		if (r->family && r->family != AF_INET && r->family != AF_INET6)
			bad("an unknown family", r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *split = memmem(data, size, SPLIT, strlen(SPLIT));
	size_t main_len = split ? (size_t)(split - data) + 1 : size;
	unsigned errors = 0;
	struct config *cfg;

	write_file(main_path, data, main_len, 0644);
	if (split) {
		size_t skip = main_len + strlen(SPLIT) - 1;
		write_file(rules_path, data + skip, size - skip, 0644);
	} else if (unlink(rules_path) != 0 && errno != ENOENT) {
		fail("cannot remove", rules_path);
	}
	cfg = config_load(main_path, count, &errors);
	/* NULL exactly when something was reported. */
	if (!cfg != (errors > 0)) {
		fprintf(stderr, "fuzz_config: config %s with %u errors reported\n",
			cfg ? "loaded" : "refused", errors);
		abort();
	}
	if (cfg)
		check_config(cfg);
	config_free(cfg);
	return 0;
}
