/* Purpose: ifhookd record: writes every datagram the kernel sends on the event
 * and dump sockets to a pcap file (LINKTYPE_NETLINK), one packet each, flushed. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"
#include "watch.h"
#include "nl.h"
#include "pcap.h"
#include "xalloc.h"

#define RECORD_RCVBUF (8u * 1024 * 1024)
#define DUMP_RETRIES 3

struct recorder {
	const char *path;
	int fd;
	uint64_t packets, bytes;
};

static void write_all(struct recorder *r, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(r->fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fatal("record: write %s", r->path);
		buf += n;
		len -= (size_t)n;
	}
}

/* Each datagram is one packet, as nlmon shows it; a plain write(2) per
 * packet, so a reader (tcpdump -r -) has it at once. */
static void on_datagram(void *ctx, const void *data, size_t len)
{
	struct recorder *r = ctx;
	struct timespec ts;
	uint8_t *pkt = xmalloc(PCAP_REC_HDR_LEN + PCAP_COOKED_LEN + len);

	clock_gettime(CLOCK_REALTIME, &ts);
	pcap_packet_header(pkt, (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u, len);
	memcpy(pkt + PCAP_REC_HDR_LEN + PCAP_COOKED_LEN, data, len);
	write_all(r, pkt, PCAP_REC_HDR_LEN + PCAP_COOKED_LEN + len);
	free(pkt);
	r->packets++;
	r->bytes += len;
}

static void ignore_msg(void *ctx, const struct nlmsghdr *nlh)
{
	(void)ctx;
	(void)nlh;
}

/* The replies are recorded by on_datagram as they arrive. */
static void dump_all(struct nl *nl)
{
	static const uint16_t types[] = { RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE };

	for (size_t i = 0; i < 3; i++)
		for (int attempt = 0; attempt <= DUMP_RETRIES; attempt++) {
			int rc = nl_dump(nl, types[i], ignore_msg, NULL);
			if (rc < 0)
				log_warn("record: netlink dump (type %u) failed", types[i]);
			if (rc <= 0)
				break;
		}
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ifhookd record FILE.pcap\n"
		     "Writes the rtnetlink messages the daemon would read (the initial dump,\n"
		     "then every change) to FILE.pcap (- for standard output) until SIGINT or\n"
		     "SIGTERM. tcpdump -r and Wireshark read it; ifhookd replay replays it.\n");
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct recorder r = { 0 };
	uint8_t hdr[PCAP_FILE_HDR_LEN];
	struct nl nl;
	int opt, sigfd;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 2;
	}
	r.path = argv[optind];
	/* A closed pipe is a write error, reported. */
	signal(SIGPIPE, SIG_IGN);
	sigfd = watch_signalfd(SFD_CLOEXEC, SIGINT, SIGTERM, 0);
	if (strcmp(r.path, "-") == 0) {
		r.fd = STDOUT_FILENO;
		r.path = "standard output";
	} else {
		/* A capture shows the machine's addresses and routes: 0600. */
		r.fd = open(r.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (r.fd < 0)
			fatal("record: %s", r.path);
	}
	pcap_file_header(hdr);
	write_all(&r, hdr, sizeof(hdr));
	if (nl_open(&nl, (int)RECORD_RCVBUF) < 0)
		fatal("netlink socket");
	nl.raw = on_datagram;
	nl.raw_ctx = &r;
	/* Subscribed first (nl_open), dumped second: the capture starts with
	 * the state, as the daemon sees it at start. */
	dump_all(&nl);
	log_info("recording to %s (%llu packets of initial state); Ctrl-C stops", r.path,
		 (unsigned long long)r.packets);

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = nl_event_fd(&nl), .events = POLLIN },
			{ .fd = sigfd, .events = POLLIN },
		};
		int n = poll(pfd, 2, -1);

		if (n < 0 && errno != EINTR)
			fatal("poll");
		if (n > 0 && pfd[1].revents)
			break;
		if (n > 0 && pfd[0].revents && nl_read_events(&nl, ignore_msg, NULL) == 1) {
			/* The kernel dropped messages meant for us: say so, and
			 * record a fresh dump so a replay can catch up. */
			log_warnx("record: netlink receive buffer overrun: messages were lost; "
				  "recording a new dump");
			dump_all(&nl);
		}
	}
	nl_close(&nl);
	if (r.fd != STDOUT_FILENO && close(r.fd) < 0)
		fatal("record: close %s", r.path);
	log_info("record: %llu packets (%llu bytes of netlink messages) written to %s",
		 (unsigned long long)r.packets, (unsigned long long)r.bytes, r.path);
	close(sigfd);
	return 0;
}
