/* Purpose: the benchmark's trivial hook: records CLOCK_MONOTONIC first thing, then its arguments.
 *
 * As a hook: `stamp ARGS...` appends one line to the file named like its own
 * executable plus ".out" (found through /proc/self/exe, since hooks get an
 * environment built from nothing and tools differ in what argv[0] is):
 *     NS<TAB>ARG1<TAB>ARG2...[<TAB>E:EVENT=...][<TAB>E:ROUTE_GATEWAY=...]...
 * NS is CLOCK_MONOTONIC in nanoseconds, taken before anything else. The line is
 * written with one write(2) to an O_APPEND file, so concurrent hooks never
 * interleave. Copy the binary into a directory per measurement.
 *
 * As a line reader: `stamp --lines FILE` reads standard input and appends
 * "NS<TAB>LINE" to FILE for every line, NS taken when the read returned: the
 * reaction time of a tool that only prints (ip monitor). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN 4096

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Appends s to buf at *len, replacing tabs and newlines by spaces. */
static void put(char *buf, size_t *len, const char *s)
{
	for (; *s && *len < LINE_MAX_LEN - 2; s++)
		buf[(*len)++] = (*s == '\t' || *s == '\n') ? ' ' : *s;
}

/* Starts a new field. */
static void tab(char *buf, size_t *len)
{
	if (*len < LINE_MAX_LEN - 2)
		buf[(*len)++] = '\t';
}

static int lines_mode(const char *path)
{
	static char in[65536], out[LINE_MAX_LEN * 4];
	char line[LINE_MAX_LEN];
	size_t ll = 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (;;) {
		ssize_t n = read(STDIN_FILENO, in, sizeof(in));
		unsigned long long ns = mono_ns();

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (in[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = in[i] == '\t' ? ' ' : in[i];
				continue;
			}
			line[ll] = '\0';
			int k = snprintf(out, sizeof(out), "%llu\t%s\n", ns, line);
			if (k > 0 && write(fd, out, (size_t)k) < 0)
				return 1;
			ll = 0;
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long ns = mono_ns();
	static const char *const vars[] = { "EVENT", "EVENT_ORIGIN", "ROUTE_DST", "ROUTE_GATEWAY" };
	char path[4096], buf[LINE_MAX_LEN];
	size_t len;
	ssize_t n;
	int fd;

	if (argc == 3 && strcmp(argv[1], "--lines") == 0)
		return lines_mode(argv[2]);

	n = readlink("/proc/self/exe", path, sizeof(path) - 5);
	if (n <= 0)
		return 1;
	memcpy(path + n, ".out", 5);

	len = (size_t)snprintf(buf, sizeof(buf), "%llu", ns);
	for (int i = 1; i < argc; i++) {
		tab(buf, &len);
		put(buf, &len, argv[i]);
	}
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++) {
		const char *v = getenv(vars[i]);

		if (!v)
			continue;
		tab(buf, &len);
		put(buf, &len, "E:");
		put(buf, &len, vars[i]);
		put(buf, &len, "=");
		put(buf, &len, v);
	}
	buf[len++] = '\n';

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	if (write(fd, buf, len) != (ssize_t)len)
		return 1;
	close(fd);
	return 0;
}
