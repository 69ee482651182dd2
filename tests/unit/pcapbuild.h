/* Purpose: builds pcap captures of netlink datagrams in memory, for the unit
 * tests and the capture generator (tests/tools/gen_captures.c). */
#ifndef IFHOOKD_PCAPBUILD_H
#define IFHOOKD_PCAPBUILD_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

struct capbuf {
	uint8_t *data;
	size_t len, cap;
	uint64_t ts_us; /* the next packet's time; each packet advances it 1 ms */
	/* The datagram being assembled. */
	uint8_t dgram[65536] __attribute__((aligned(8)));
	size_t dlen;
};

/* A new capture (file header written), starting at ts_us. */
void cap_init(struct capbuf *c, uint64_t ts_us);
void cap_free(struct capbuf *c);
/* Appends a copy of nlh to the datagram, with extra nlmsg_flags or'ed in. */
void cap_msg(struct capbuf *c, const struct nlmsghdr *nlh, uint16_t flags);
/* Appends an NLMSG_DONE to the datagram (the end of a dump). */
void cap_done(struct capbuf *c);
/* Writes the datagram as one packet (as ifhookd record and nlmon do). */
void cap_flush(struct capbuf *c);
/* The same with a chosen cooked header (packet type, ARPHRD, protocol). */
void cap_flush_as(struct capbuf *c, uint16_t pkttype, uint16_t hatype, uint16_t protocol);
/* Lets time pass before the next packet. */
void cap_sleep_ms(struct capbuf *c, uint64_t ms);

#endif
