/* Purpose: ifhookd status: asks the running daemon over its unix socket and
 * prints the reply (links, running hooks, queues, counters). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "version.h"

#define CLIENT_TIMEOUT_MS 5000

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ifhookd status [--json] [-S PATH]\n"
		"Shows what the running daemon sees: links and their state, running hooks\n"
		"with pid and age, queued hooks per interface, and counters.\n"
		"  -S, --socket PATH  the daemon's status socket (default %s)\n"
		"      --json         one JSON object\n",
		DEFAULT_STATUS_SOCKET);
}

static int fail(const char *path, const char *what)
{
	fprintf(stderr, "ifhookd: status: %s: %s%s\n", path, what,
		errno == ENOENT || errno == ECONNREFUSED
			? " (is ifhookd running, with this -S path?)"
			: "");
	return 1;
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_STATUS_SOCKET;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	bool json = false, got = false;
	int opt, fd;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "S:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'S':
			path = optarg;
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
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "ifhookd: status: socket path too long\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail(path, strerror(errno));
	/* A daemon that turned us away may have closed already: its reply,
	 * if any, is still there to read. */
	if (write(fd, json ? "json\n" : "text\n", 5) != 5 && errno != EPIPE && errno != ECONNRESET)
		return fail(path, strerror(errno));
	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char buf[4096];
		ssize_t n;
		int rc = poll(&pfd, 1, CLIENT_TIMEOUT_MS);

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			errno = 0;
			close(fd);
			return fail(path, "no reply in time");
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return fail(path, strerror(errno));
		}
		if (n == 0)
			break;
		if (!got && n >= 6 && memcmp(buf, "error:", 6) == 0) {
			fprintf(stderr, "ifhookd: status: %s: %.*s", path, (int)n, buf);
			close(fd);
			return 1;
		}
		got = true;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	close(fd);
	if (!got) {
		errno = 0;
		return fail(path, "the daemon closed the connection without a reply");
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
