/* Purpose: the benchmark's trigger: timestamps one syscall that changes the network and waits for the hook's stamp.
 *
 * trigger link IFACE COUNT STAMPS   COUNT admin flaps (down, then up) with SIOCSIFFLAGS
 * trigger addr IFACE COUNT STAMPS   COUNT RTM_NEWADDR requests (198.51.100.7/32), each
 *                                   removed again untimed
 * trigger ppp IFACE COUNT STAMPS    COUNT PPP connections: untimed down, address
 *                                   removal and up, then the timed RTM_NEWADDR of
 *                                   192.0.2.1 peer 192.0.2.2
 * trigger spawn HOOK COUNT STAMPS   the spawn floor: timestamp, posix_spawn(HOOK)
 * trigger spawnloop HOOK COUNT PAR  a bare posix_spawn loop, PAR children at once
 * trigger rate STAMPS               hooks per second from the first to the last stamp
 * trigger startup PREFIX LOG -- CMD...
 *                                   time from exec of CMD to its first stderr line
 *                                   starting with PREFIX; then SIGTERM
 * Options (before the mode's arguments): -t MS time to wait for a stamp
 * (default 3000), -q MS quiet time before each sample (default 20), -g MS
 * extra gap after each sample (default 0), -r FILE raw samples (ns).
 *
 * STAMPS is the file the hook (stamp.c) appends "NS\t..." lines to; it is
 * created empty here and watched with inotify. A sample is the time from the
 * trigger's CLOCK_MONOTONIC, taken right before the syscall, to the first
 * stamp at or after it. Before each sample the file must have been quiet
 * for -q ms, so hooks for other events (the tool's own echoes) are not
 * counted. Prints one "series=NAME n=... miss=... p50_us=... p99_us=...
 * max_us=... mean_us=..." line per series. */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int opt_timeout_ms = 3000, opt_quiet_ms = 20, opt_gap_ms;
static const char *opt_raw;
static FILE *raw_fp;

static void die(const char *what)
{
	fprintf(stderr, "trigger: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---------- samples ---------- */

struct series {
	const char *name;
	int64_t *v;
	size_t n, cap, miss;
};

static void series_add(struct series *s, int64_t ns)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("realloc");
	}
	s->v[s->n++] = ns;
	if (raw_fp)
		fprintf(raw_fp, "%s %lld\n", s->name, (long long)ns);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of samples at or below. */
static double pct_us(const int64_t *v, size_t n, double p)
{
	size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)v[rank - 1] / 1000.0;
}

static void series_print(struct series *s)
{
	double sum = 0;

	if (s->n == 0) {
		printf("series=%s n=0 miss=%zu\n", s->name, s->miss);
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp64);
	for (size_t i = 0; i < s->n; i++)
		sum += (double)s->v[i];
	printf("series=%s n=%zu miss=%zu p50_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f "
	       "min_us=%.1f\n",
	       s->name, s->n, s->miss, pct_us(s->v, s->n, 50), pct_us(s->v, s->n, 99),
	       (double)s->v[s->n - 1] / 1000.0, sum / (double)s->n / 1000.0,
	       (double)s->v[0] / 1000.0);
}

static struct series merge(const char *name, const struct series *a, const struct series *b)
{
	struct series m = { .name = name };
	FILE *saved = raw_fp;

	raw_fp = NULL; /* the parts were written already */
	for (size_t i = 0; i < a->n; i++)
		series_add(&m, a->v[i]);
	for (size_t i = 0; i < b->n; i++)
		series_add(&m, b->v[i]);
	m.miss = a->miss + b->miss;
	raw_fp = saved;
	return m;
}

/* ---------- the stamp file ---------- */

struct stamps {
	const char *path;
	int fd, ino;
	off_t off; /* start of the first line not yet consumed */
};

static void stamps_open(struct stamps *s, const char *path)
{
	s->path = path;
	s->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (s->fd < 0)
		die(path);
	s->ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (s->ino < 0)
		die("inotify_init1");
	if (inotify_add_watch(s->ino, path, IN_MODIFY) < 0)
		die("inotify_add_watch");
	s->off = 0;
}

static void drain_inotify(int ino)
{
	char buf[4096];

	while (read(ino, buf, sizeof(buf)) > 0)
		;
}

/* Waits until nothing was written for quiet_ms (at most 10 s), then skips
 * everything written so far. */
static void stamps_quiet(struct stamps *s, int quiet_ms)
{
	int64_t end = mono_ns() + 10000000000LL;
	struct pollfd p = { .fd = s->ino, .events = POLLIN };
	struct stat st;

	while (quiet_ms > 0 && poll(&p, 1, quiet_ms) != 0 && mono_ns() < end)
		drain_inotify(s->ino);
	drain_inotify(s->ino);
	if (fstat(s->fd, &st) < 0)
		die("fstat");
	s->off = st.st_size;
}

/* The first complete line at or after s->off whose stamp is >= t0; every
 * complete line read is consumed. Returns the stamp, or -1 if none yet. */
static int64_t stamps_scan(struct stamps *s, int64_t t0)
{
	char buf[65536];

	for (;;) {
		ssize_t n = pread(s->fd, buf, sizeof(buf) - 1, s->off);
		char *line = buf, *nl;

		if (n <= 0)
			return -1;
		buf[n] = '\0';
		while ((nl = memchr(line, '\n', (size_t)(buf + n - line)))) {
			long long v = strtoll(line, NULL, 10);

			s->off += nl + 1 - line;
			line = nl + 1;
			if (v >= t0)
				return v;
		}
		if (line == buf)
			return -1; /* a partial line: wait for the rest */
	}
}

/* Waits up to timeout_ms for a stamp taken at or after t0. */
static int64_t stamps_wait(struct stamps *s, int64_t t0, int timeout_ms)
{
	int64_t end = t0 + (int64_t)timeout_ms * 1000000LL;
	struct pollfd p = { .fd = s->ino, .events = POLLIN };

	for (;;) {
		int64_t v = stamps_scan(s, t0), now;

		if (v >= 0)
			return v;
		now = mono_ns();
		if (now >= end)
			return -1;
		if (poll(&p, 1, (int)((end - now) / 1000000 + 1)) > 0)
			drain_inotify(s->ino);
	}
}

static void sample(struct series *ser, struct stamps *s, int64_t t0)
{
	int64_t v = stamps_wait(s, t0, opt_timeout_ms);

	if (v < 0)
		ser->miss++;
	else
		series_add(ser, v - t0);
	if (opt_gap_ms)
		sleep_ms(opt_gap_ms);
}

/* ---------- the changes ---------- */

static void set_up(int sock, const char *ifname, bool up, bool timed, struct series *ser,
		   struct stamps *st)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS");
	if (up)
		ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
	else
		ifr.ifr_flags = (short)(ifr.ifr_flags & ~IFF_UP);
	if (timed)
		stamps_quiet(st, opt_quiet_ms);
	int64_t t0 = mono_ns();
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS");
	if (timed)
		sample(ser, st, t0);
}

struct nlreq {
	struct nlmsghdr h;
	struct ifaddrmsg a;
	char attrs[64];
};

static void put_attr(struct nlreq *r, uint16_t type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static uint32_t nl_seq;

/* Sends RTM_NEWADDR or RTM_DELADDR for local (and peer) /32 on ifindex;
 * returns the send time. The acknowledgement is read by nl_ack. */
static int64_t addr_req(int nl, uint16_t type, int ifindex, const char *local, const char *peer)
{
	struct nlreq r;
	struct in_addr l, p;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	r.h.nlmsg_type = type;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			  (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	r.h.nlmsg_seq = ++nl_seq;
	r.a.ifa_family = AF_INET;
	r.a.ifa_prefixlen = 32;
	r.a.ifa_index = (unsigned)ifindex;
	if (inet_pton(AF_INET, local, &l) != 1 || (peer && inet_pton(AF_INET, peer, &p) != 1)) {
		errno = EINVAL;
		die("address");
	}
	put_attr(&r, IFA_LOCAL, &l, 4);
	put_attr(&r, IFA_ADDRESS, peer ? &p : &l, 4);
	int64_t t0 = mono_ns();
	if (sendto(nl, &r, r.h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof(k)) < 0)
		die("sendto");
	return t0;
}

/* Reads the acknowledgement of the last request; returns its error (0, -E...). */
static int nl_ack(int nl)
{
	char buf[8192];

	for (;;) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recv ack");
		}
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == nl_seq)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
}

static int nl_open(void)
{
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("netlink socket");
	return nl;
}

static int ifindex_of(const char *ifname)
{
	int i = (int)if_nametoindex(ifname);

	if (!i)
		die(ifname);
	return i;
}

static int mode_link(const char *ifname, int count, const char *path)
{
	struct series down = { .name = "down" }, up = { .name = "up" }, all;
	struct stamps st;
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (sock < 0)
		die("socket");
	stamps_open(&st, path);
	for (int i = 0; i < count; i++) {
		set_up(sock, ifname, false, true, &down, &st);
		set_up(sock, ifname, true, true, &up, &st);
	}
	all = merge("all", &down, &up);
	series_print(&down);
	series_print(&up);
	series_print(&all);
	return 0;
}

static int mode_addr(const char *ifname, int count, const char *path)
{
	struct series s = { .name = "addr" };
	struct stamps st;
	int nl = nl_open(), idx = ifindex_of(ifname);

	stamps_open(&st, path);
	for (int i = 0; i < count; i++) {
		stamps_quiet(&st, opt_quiet_ms);
		int64_t t0 = addr_req(nl, RTM_NEWADDR, idx, "198.51.100.7", NULL);
		sample(&s, &st, t0);
		if (nl_ack(nl) != 0) {
			errno = EEXIST;
			die("RTM_NEWADDR 198.51.100.7");
		}
		addr_req(nl, RTM_DELADDR, idx, "198.51.100.7", NULL);
		nl_ack(nl);
	}
	series_print(&s);
	return 0;
}

static int mode_ppp(const char *ifname, int count, const char *path)
{
	struct series s = { .name = "ppp" };
	struct stamps st;
	int nl = nl_open(), idx = ifindex_of(ifname);
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (sock < 0)
		die("socket");
	stamps_open(&st, path);
	for (int i = 0; i < count; i++) {
		/* Disconnect (untimed): down, address gone, up again. */
		set_up(sock, ifname, false, false, NULL, NULL);
		addr_req(nl, RTM_DELADDR, idx, "192.0.2.1", "192.0.2.2");
		nl_ack(nl); /* absent the first time: fine */
		set_up(sock, ifname, true, false, NULL, NULL);
		stamps_quiet(&st, opt_quiet_ms);
		int64_t t0 = addr_req(nl, RTM_NEWADDR, idx, "192.0.2.1", "192.0.2.2");
		sample(&s, &st, t0);
		if (nl_ack(nl) != 0) {
			errno = EEXIST;
			die("RTM_NEWADDR 192.0.2.1 peer 192.0.2.2");
		}
	}
	series_print(&s);
	return 0;
}

static int mode_spawn(const char *hook, int count, const char *path)
{
	struct series s = { .name = "spawn" };
	struct stamps st;
	char *argv[] = { (char *)hook, "spawn", "floor", NULL };
	char *envp[] = { NULL };

	stamps_open(&st, path);
	for (int i = 0; i < count; i++) {
		pid_t pid;

		stamps_quiet(&st, opt_quiet_ms);
		int64_t t0 = mono_ns();
		if ((errno = posix_spawn(&pid, hook, NULL, NULL, argv, envp)) != 0)
			die("posix_spawn");
		sample(&s, &st, t0);
		waitpid(pid, NULL, 0);
	}
	series_print(&s);
	return 0;
}

static int mode_spawnloop(const char *hook, int count, int par)
{
	char *argv[] = { (char *)hook, "spawn", "loop", NULL };
	char *envp[] = { NULL };
	int running = 0, started = 0;
	int64_t t0 = mono_ns();

	while (started < count || running > 0) {
		while (running < par && started < count) {
			pid_t pid;

			if ((errno = posix_spawn(&pid, hook, NULL, NULL, argv, envp)) != 0)
				die("posix_spawn");
			running++;
			started++;
		}
		if (waitpid(-1, NULL, 0) > 0)
			running--;
	}
	double s = (double)(mono_ns() - t0) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru); /* the loop's own CPU, not its children's */
	double cpu_us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	printf("spawned=%d parallel=%d seconds=%.3f per_s=%.1f cpu_per_spawn_us=%.1f\n", count, par,
	       s, count / s, cpu_us / count);
	return 0;
}

static int mode_rate(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	long long first = -1, last = -1, n = 0;

	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		long long v = strtoll(line, NULL, 10);

		if (v <= 0)
			continue;
		if (first < 0 || v < first)
			first = v;
		if (v > last)
			last = v;
		n++;
	}
	fclose(f);
	if (n < 2 || last <= first) {
		printf("hooks=%lld seconds=0 per_s=0\n", n);
		return 0;
	}
	double s = (double)(last - first) / 1e9;
	printf("hooks=%lld seconds=%.3f per_s=%.1f\n", n, s, (double)(n - 1) / s);
	return 0;
}

/* ---------- startup ---------- */

static long status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = strtol(line + kl + 1, NULL, 10);
	fclose(f);
	return v;
}

static long long sched_ns(pid_t pid)
{
	char path[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int mode_startup(const char *prefix, const char *log, char **cmd)
{
	posix_spawn_file_actions_t fa;
	int pfd[2], logfd;
	pid_t pid;
	char buf[65536], line[4096];
	size_t ll = 0, pl = strlen(prefix);
	int64_t t0, t1 = -1;
	long hwm = -1, rss = -1;
	long long cpu = -1;

	logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0)
		die(log);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		die("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	t0 = mono_ns();
	if ((errno = posix_spawn(&pid, cmd[0], &fa, NULL, cmd, environ)) != 0)
		die(cmd[0]);
	close(pfd[1]);
	for (;;) {
		ssize_t n = read(pfd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write(logfd, buf, (size_t)n) < 0)
			die("write log");
		for (ssize_t i = 0; i < n && t1 < 0; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = '\0';
			ll = 0;
			if (strncmp(line, prefix, pl) == 0) {
				t1 = mono_ns();
				hwm = status_kb(pid, "VmHWM");
				rss = status_kb(pid, "VmRSS");
				cpu = sched_ns(pid);
				kill(pid, SIGTERM);
			}
		}
	}
	waitpid(pid, NULL, 0);
	if (t1 < 0) {
		printf("ready_ms=-1\n");
		return 1;
	}
	printf("ready_ms=%.1f hwm_kb=%ld rss_kb=%ld cpu_ms=%.1f\n", (double)(t1 - t0) / 1e6, hwm,
	       rss, (double)cpu / 1e6);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: trigger [-t MS] [-q MS] [-g MS] [-r FILE] MODE ARGS (see the source)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "+t:q:g:r:")) != -1) {
		switch (c) {
		case 't': opt_timeout_ms = atoi(optarg); break;
		case 'q': opt_quiet_ms = atoi(optarg); break;
		case 'g': opt_gap_ms = atoi(optarg); break;
		case 'r': opt_raw = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	if (opt_raw && !(raw_fp = fopen(opt_raw, "w")))
		die(opt_raw);
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argv[0];
	if (strcmp(m, "link") == 0 && argc == 4)
		return mode_link(argv[1], atoi(argv[2]), argv[3]);
	if (strcmp(m, "addr") == 0 && argc == 4)
		return mode_addr(argv[1], atoi(argv[2]), argv[3]);
	if (strcmp(m, "ppp") == 0 && argc == 4)
		return mode_ppp(argv[1], atoi(argv[2]), argv[3]);
	if (strcmp(m, "spawn") == 0 && argc == 4)
		return mode_spawn(argv[1], atoi(argv[2]), argv[3]);
	if (strcmp(m, "spawnloop") == 0 && argc == 4)
		return mode_spawnloop(argv[1], atoi(argv[2]), atoi(argv[3]));
	if (strcmp(m, "rate") == 0 && argc == 2)
		return mode_rate(argv[1]);
	if (strcmp(m, "startup") == 0 && argc >= 5 && strcmp(argv[3], "--") == 0)
		return mode_startup(argv[1], argv[2], argv + 4);
	usage();
	return 2;
}
