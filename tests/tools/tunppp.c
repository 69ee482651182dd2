/* Purpose: a PPP link double for the integration tests: creates a tun device
 * switched to ARPHRD_PPP, says "ready", and keeps it until stdin reaches EOF or
 * SIGTERM/SIGINT arrives; closing the fd then removes the (non-persistent) device.
 *
 * Usage: tunppp NAME
 * The kernel reports the device with ifi_type ARPHRD_PPP (512) and kind "tun",
 * which is what ifhookd must treat as PPP (never IFF_POINTOPOINT). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "tunppp: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Waits for EOF on stdin or a termination signal; other input is discarded. */
static void wait_for_end(int sfd)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	char buf[256];

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[1].revents)
			return; /* SIGTERM or SIGINT */
		if (pfd[0].revents & POLLNVAL)
			return; /* no stdin at all: nothing will ever tell us to stay */
		if (pfd[0].revents) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
				return;
		}
	}
}

int main(int argc, char **argv)
{
	struct ifreq ifr;
	sigset_t mask;
	int fd, sfd;

	if (argc != 2 || strlen(argv[1]) == 0 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: tunppp NAME (1 to %d bytes)\n", IFNAMSIZ - 1);
		return 2;
	}

	/* Signals become an fd event, so there is no window between checking a
	 * flag and blocking in poll. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		die("sigprocmask");
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	signal(SIGPIPE, SIG_IGN);

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open /dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	memcpy(ifr.ifr_name, argv[1], strlen(argv[1]));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die("TUNSETIFF");
	/* The kernel refuses TUNSETLINK (EBUSY) once the device is up; a fresh
	 * tun device is down, so this must happen before anyone sets it up. */
	if (ioctl(fd, TUNSETLINK, (unsigned long)ARPHRD_PPP) < 0)
		die("TUNSETLINK ARPHRD_PPP");

	if (printf("ready\n") < 0 || fflush(stdout) == EOF)
		die("stdout");

	wait_for_end(sfd);
	close(fd); /* not TUNSETPERSIST: the device goes away with the fd */
	return 0;
}
