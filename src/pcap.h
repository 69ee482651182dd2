/* Purpose: reads and writes pcap captures of netlink messages (LINKTYPE_NETLINK)
 * from and to memory: no I/O, so the reader is unit-tested and fuzzed. */
#ifndef IFHOOKD_PCAP_H
#define IFHOOKD_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The classic pcap format (not pcapng), as tcpdump -w writes it:
 *   file header (24 bytes): magic, version 2.4, thiszone, sigfigs, snaplen, linktype;
 *   per packet a record header (16 bytes): seconds, micro- (or nano-) seconds,
 *   captured length, original length; then the captured bytes.
 * For LINKTYPE_NETLINK (253) each packet starts with the 16-byte header of a
 * Linux "cooked" capture (LINKTYPE_LINUX_SLL), all fields big-endian:
 *   packet type (2), ARPHRD type (2) = ARPHRD_NETLINK (824), address length
 *   (2), address (8), protocol (2) = the netlink family (NETLINK_ROUTE = 0);
 * then one datagram: netlink messages in the capturing host's byte order.
 * That is what libpcap writes for an nlmon device, whose packets the packet
 * socket sees as outgoing (type 4). */
#define PCAP_LINKTYPE_NETLINK 253
#define PCAP_LINKTYPE_LINUX_SLL 113
#define PCAP_FILE_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16
#define PCAP_COOKED_LEN 16
#define PCAP_ARPHRD_NETLINK 824
#define PCAP_PKTTYPE_OUTGOING 4
#define PCAP_PKTTYPE_KERNEL 7 /* PACKET_KERNEL: sent to the kernel (a request) */
#define PCAP_SNAPLEN 262144   /* tcpdump's default; no datagram we read is larger */

/* ---- writing ---- */

/* The file header, in this host's byte order (as tcpdump writes it). */
void pcap_file_header(uint8_t out[PCAP_FILE_HDR_LEN]);
/* The record header and cooked header of one datagram of len bytes received
 * at ts_us (microseconds since the epoch), protocol NETLINK_ROUTE. */
void pcap_packet_header(uint8_t out[PCAP_REC_HDR_LEN + PCAP_COOKED_LEN], uint64_t ts_us,
			size_t len);

/* ---- reading ---- */

struct pcap_reader {
	const uint8_t *data;
	size_t size, off;
	bool nsec;      /* timestamps in nanoseconds (magic a1b23c4d) */
	uint32_t linktype;
	uint32_t snaplen;
	uint64_t count; /* packets returned so far */
};

struct pcap_packet {
	uint64_t index;     /* 1, 2, 3... */
	size_t offset;      /* byte offset of its record header in the file */
	uint64_t ts_ns;     /* nanoseconds since the epoch */
	uint16_t pkttype, hatype, protocol; /* from the cooked header */
	const uint8_t *data; /* the datagram (after the cooked header); unaligned */
	size_t len;
	size_t data_offset; /* byte offset of data in the file */
	bool cut;           /* the capture kept fewer bytes than the packet had */
};

/* Checks the file header. Returns 0, or -1 with a message naming the byte
 * offset in err (pcapng, other byte order, other link types: refused). */
int pcap_open(struct pcap_reader *r, const uint8_t *data, size_t size, char *err, size_t errsize);
/* The next packet: 1, 0 at the end, -1 with a message naming the byte
 * offset in err when the file is truncated or malformed there. */
int pcap_next(struct pcap_reader *r, struct pcap_packet *p, char *err, size_t errsize);

#endif
