/* Purpose: unit tests of the pcap reader and writer: the exact header bytes,
 * a round trip, and a clear error naming the byte offset for every kind of
 * malformed or truncated file (every prefix of a good file included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlbuild.h"
#include "pcap.h"
#include "pcapbuild.h"
#include "unit.h"

static struct capbuf *three_packets(void)
{
	static struct capbuf c;
	char buf[NLBUF_SIZE] __attribute__((aligned(8)));
	struct nl_link_spec l = { .type = 16 /* RTM_NEWLINK */, .ifindex = 2, .name = "eth0",
				  .arphrd = 1 };

	cap_free(&c); /* the previous test's */
	cap_init(&c, 1700000000123456ull);
	cap_msg(&c, nlb_link(buf, &l), 0);
	cap_flush(&c);
	l.ifindex = 3;
	l.name = "eth1";
	cap_msg(&c, nlb_link(buf, &l), 0);
	cap_msg(&c, nlb_link(buf, &l), 0);
	cap_flush(&c);
	cap_done(&c);
	cap_flush(&c);
	return &c;
}

/* Runs the reader over data; returns the error text ("" when none) and the
 * number of packets read. */
static const char *read_all(const uint8_t *data, size_t size, int *packets)
{
	static char err[256];
	struct pcap_reader r;
	struct pcap_packet p;
	int rc;

	err[0] = '\0';
	*packets = 0;
	if (pcap_open(&r, data, size, err, sizeof(err)) < 0)
		return err;
	while ((rc = pcap_next(&r, &p, err, sizeof(err))) > 0) {
		(*packets)++;
		CHECK(p.data + p.len <= data + size);
	}
	if (rc == 0)
		err[0] = '\0';
	return err;
}

TEST(pcap_file_header_bytes)
{
	uint8_t h[PCAP_FILE_HDR_LEN];
	uint32_t v;
	uint16_t major, minor;

	pcap_file_header(h);
	memcpy(&v, h, 4);
	CHECK(v == 0xa1b2c3d4u); /* host order, microseconds */
	memcpy(&major, h + 4, 2);
	memcpy(&minor, h + 6, 2);
	CHECK(major == 2 && minor == 4);
	memcpy(&v, h + 16, 4);
	CHECK(v == 262144);
	memcpy(&v, h + 20, 4);
	CHECK(v == 253);
}

TEST(pcap_cooked_header_is_what_nlmon_gives)
{
	uint8_t h[PCAP_REC_HDR_LEN + PCAP_COOKED_LEN];
	static const uint8_t cooked[16] = { 0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	uint32_t v;

	pcap_packet_header(h, 1700000000123456ull, 100);
	memcpy(&v, h, 4);
	CHECK(v == 1700000000u);
	memcpy(&v, h + 4, 4);
	CHECK(v == 123456u);
	memcpy(&v, h + 8, 4);
	CHECK(v == 116); /* the cooked header counts */
	memcpy(&v, h + 12, 4);
	CHECK(v == 116);
	/* outgoing (4), ARPHRD_NETLINK (824 = 0x338), NETLINK_ROUTE: big-endian */
	CHECK(memcmp(h + PCAP_REC_HDR_LEN, cooked, 16) == 0);
}

TEST(pcap_round_trip)
{
	struct capbuf *c = three_packets();
	struct pcap_reader r;
	struct pcap_packet p;
	char err[256];

	CHECK(pcap_open(&r, c->data, c->len, err, sizeof(err)) == 0);
	CHECK(r.linktype == 253 && !r.nsec);
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 1);
	CHECK(p.index == 1 && p.offset == 24 && p.data_offset == 56);
	CHECK(p.ts_ns == 1700000000123456000ull);
	CHECK(p.pkttype == 4 && p.hatype == 824 && p.protocol == 0 && !p.cut);
	CHECK(p.len == NLMSG_ALIGN(((const struct nlmsghdr *)p.data)->nlmsg_len));
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 1);
	CHECK(p.index == 2 && p.ts_ns == 1700000000124456000ull);
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 1);
	CHECK(p.len == 20);
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 0);
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 0);
}

TEST(pcap_nanosecond_files)
{
	struct capbuf *c = three_packets();
	uint8_t *d = malloc(c->len);
	uint32_t magic = 0xa1b23c4du, frac = 5;
	struct pcap_reader r;
	struct pcap_packet p;
	char err[256];

	memcpy(d, c->data, c->len);
	memcpy(d, &magic, 4);
	memcpy(d + 24 + 4, &frac, 4);
	CHECK(pcap_open(&r, d, c->len, err, sizeof(err)) == 0);
	CHECK(r.nsec);
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 1);
	CHECK(p.ts_ns == 1700000000000000005ull);
	free(d);
}

static void expect_error(const uint8_t *d, size_t n, const char *part1, const char *part2)
{
	int packets;
	const char *err = read_all(d, n, &packets);

	if (!strstr(err, part1) || (part2 && !strstr(err, part2))) {
		printf("  error was: \"%s\"\n", err);
		CHECK(!"error text lacks the expected part");
	}
}

TEST(pcap_header_errors)
{
	struct capbuf *c = three_packets();
	uint8_t *d = malloc(c->len);
	uint32_t v;

	memcpy(d, c->data, c->len);
	expect_error(d, 0, "only 0 bytes", "byte offset 0");
	expect_error(d, 3, "only 3 bytes", "byte offset 0");
	expect_error(d, 10, "truncated pcap file header", "byte offset 10");
	expect_error((const uint8_t *)"GIF89a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24,
		     "not a pcap file: magic 0x", "byte offset 0");
	v = 0x0a0d0d0au;
	memcpy(d, &v, 4);
	expect_error(d, c->len, "pcapng", "byte offset 0");
	v = 0xd4c3b2a1u;
	memcpy(d, &v, 4);
	expect_error(d, c->len, "other byte order", "byte offset 0");
	memcpy(d, c->data, c->len);
	d[4] = 9;
	expect_error(d, c->len, "unknown pcap version 9", "byte offset 4");
	memcpy(d, c->data, c->len);
	v = 1; /* LINKTYPE_ETHERNET */
	memcpy(d + 20, &v, 4);
	expect_error(d, c->len, "link type 1 at byte offset 20", NULL);
	free(d);
}

TEST(pcap_record_errors)
{
	struct capbuf *c = three_packets();
	uint8_t *d = malloc(c->len);
	uint32_t v;

	memcpy(d, c->data, c->len);
	expect_error(d, 24 + 10, "truncated record header of packet 1 at byte offset 24",
		     "10 of 16 bytes");
	expect_error(d, 24 + 16 + 20, "truncated packet 1", "byte offset 24");
	v = 10; /* shorter than the cooked header */
	memcpy(d + 24 + 8, &v, 4);
	expect_error(d, c->len, "packet 1 at byte offset 24: 10 bytes, too short", NULL);
	v = 0x7fffffff;
	memcpy(d + 24 + 8, &v, 4);
	expect_error(d, c->len, "captured length 2147483647", "byte offset 24");
	memcpy(d, c->data, c->len);
	v = 1000000; /* microseconds must stay below a second */
	memcpy(d + 24 + 4, &v, 4);
	expect_error(d, c->len, "timestamp fraction", "byte offset 24");
	free(d);
}

/* Every prefix of a good file: no crash (ASan checks the reads), and an error
 * unless the cut falls exactly between packets. */
TEST(pcap_every_truncation)
{
	struct capbuf *c = three_packets();
	size_t bounds[8], nb = 0;
	struct pcap_reader r;
	struct pcap_packet p;
	char err[256];

	pcap_open(&r, c->data, c->len, err, sizeof(err));
	bounds[nb++] = 24;
	while (pcap_next(&r, &p, err, sizeof(err)) > 0)
		bounds[nb++] = r.off;
	for (size_t n = 0; n < c->len; n++) {
		uint8_t *d = malloc(n ? n : 1);
		int packets;
		bool boundary = false;

		memcpy(d, c->data, n);
		for (size_t i = 0; i < nb; i++)
			boundary |= bounds[i] == n;
		const char *e = read_all(d, n, &packets);
		if (boundary != (e[0] == '\0') || (e[0] && !strstr(e, "byte offset"))) {
			printf("  prefix of %zu bytes: \"%s\"\n", n, e);
			CHECK(!"wrong verdict on a truncated file");
		}
		free(d);
	}
}

TEST(pcap_cut_packets_are_marked)
{
	struct capbuf *c = three_packets();
	struct pcap_reader r;
	struct pcap_packet p;
	uint32_t orig = 5000;
	char err[256];

	memcpy(c->data + 24 + 12, &orig, 4);
	pcap_open(&r, c->data, c->len, err, sizeof(err));
	CHECK(pcap_next(&r, &p, err, sizeof(err)) == 1);
	CHECK(p.cut);
}
