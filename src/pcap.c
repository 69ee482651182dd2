/* Purpose: the pcap file and packet headers of LINKTYPE_NETLINK captures,
 * written and checked byte by byte; every length is checked before use. */
#include "pcap.h"

#include <stdio.h>
#include <string.h>

#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du
#define MAGIC_NG 0x0a0d0d0au /* pcapng section header block */

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4); /* host order: the file says it is ours */
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16be(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t swap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

void pcap_file_header(uint8_t out[PCAP_FILE_HDR_LEN])
{
	uint16_t major = 2, minor = 4;

	memset(out, 0, PCAP_FILE_HDR_LEN);
	put32(out, MAGIC_US);
	memcpy(out + 4, &major, 2);
	memcpy(out + 6, &minor, 2);
	/* thiszone and sigfigs stay 0, as every writer leaves them */
	put32(out + 16, PCAP_SNAPLEN);
	put32(out + 20, PCAP_LINKTYPE_NETLINK);
}

void pcap_packet_header(uint8_t out[PCAP_REC_HDR_LEN + PCAP_COOKED_LEN], uint64_t ts_us,
			size_t len)
{
	uint8_t *c = out + PCAP_REC_HDR_LEN;
	uint32_t caplen = (uint32_t)(len + PCAP_COOKED_LEN);

	memset(out, 0, PCAP_REC_HDR_LEN + PCAP_COOKED_LEN);
	put32(out, (uint32_t)(ts_us / 1000000));
	put32(out + 4, (uint32_t)(ts_us % 1000000));
	put32(out + 8, caplen);
	put32(out + 12, caplen);
	put16be(c, PCAP_PKTTYPE_OUTGOING);
	put16be(c + 2, PCAP_ARPHRD_NETLINK);
	/* address length and address: 0; protocol (c + 14): NETLINK_ROUTE = 0 */
}

int pcap_open(struct pcap_reader *r, const uint8_t *data, size_t size, char *err, size_t errsize)
{
	uint32_t magic;
	uint16_t major;

	memset(r, 0, sizeof(*r));
	r->data = data;
	r->size = size;
	if (size < 4) {
		snprintf(err, errsize, "not a pcap file: only %zu bytes (byte offset 0)", size);
		return -1;
	}
	magic = get32(data);
	if (magic == MAGIC_NG) {
		snprintf(err, errsize,
			 "a pcapng file (byte offset 0): only classic pcap is read; "
			 "convert it with: editcap -F pcap IN OUT, or capture with tcpdump -w");
		return -1;
	}
	if (magic == swap32(MAGIC_US) || magic == swap32(MAGIC_NS)) {
		snprintf(err, errsize,
			 "captured on a host of the other byte order (magic at byte offset 0): "
			 "its netlink messages are in that order; not supported");
		return -1;
	}
	if (magic != MAGIC_US && magic != MAGIC_NS) {
		snprintf(err, errsize, "not a pcap file: magic 0x%08x at byte offset 0", magic);
		return -1;
	}
	if (size < PCAP_FILE_HDR_LEN) {
		snprintf(err, errsize, "truncated pcap file header: %zu of %d bytes (byte offset %zu)",
			 size, PCAP_FILE_HDR_LEN, size);
		return -1;
	}
	memcpy(&major, data + 4, 2);
	if (major != 2) {
		snprintf(err, errsize, "unknown pcap version %u at byte offset 4", major);
		return -1;
	}
	r->nsec = magic == MAGIC_NS;
	r->snaplen = get32(data + 16);
	/* The upper bits of the link type field hold FCS flags (unused here). */
	r->linktype = get32(data + 20) & 0x0fffffff;
	if (r->linktype != PCAP_LINKTYPE_NETLINK && r->linktype != PCAP_LINKTYPE_LINUX_SLL) {
		snprintf(err, errsize,
			 "link type %u at byte offset 20: expected %d (LINKTYPE_NETLINK, "
			 "as tcpdump -i nlmon0 -w writes)",
			 r->linktype, PCAP_LINKTYPE_NETLINK);
		return -1;
	}
	r->off = PCAP_FILE_HDR_LEN;
	return 0;
}

int pcap_next(struct pcap_reader *r, struct pcap_packet *p, char *err, size_t errsize)
{
	const uint8_t *h = r->data + r->off;
	size_t left = r->size - r->off;
	uint32_t sec, frac, caplen, origlen;

	memset(p, 0, sizeof(*p));
	if (left == 0)
		return 0;
	p->index = r->count + 1;
	p->offset = r->off;
	if (left < PCAP_REC_HDR_LEN) {
		snprintf(err, errsize,
			 "truncated record header of packet %llu at byte offset %zu: "
			 "%zu of %d bytes",
			 (unsigned long long)p->index, r->off, left, PCAP_REC_HDR_LEN);
		return -1;
	}
	sec = get32(h);
	frac = get32(h + 4);
	caplen = get32(h + 8);
	origlen = get32(h + 12);
	if (frac >= (r->nsec ? 1000000000u : 1000000u)) {
		snprintf(err, errsize,
			 "packet %llu at byte offset %zu: timestamp fraction %u out of range",
			 (unsigned long long)p->index, r->off, frac);
		return -1;
	}
	if (caplen > PCAP_SNAPLEN) {
		snprintf(err, errsize,
			 "packet %llu at byte offset %zu: captured length %u is larger than "
			 "any netlink datagram (%d)",
			 (unsigned long long)p->index, r->off, caplen, PCAP_SNAPLEN);
		return -1;
	}
	if (caplen > left - PCAP_REC_HDR_LEN) {
		snprintf(err, errsize,
			 "truncated packet %llu: its record header at byte offset %zu says "
			 "%u bytes, but only %zu are left at byte offset %zu",
			 (unsigned long long)p->index, r->off, caplen, left - PCAP_REC_HDR_LEN,
			 r->off + PCAP_REC_HDR_LEN);
		return -1;
	}
	if (caplen < PCAP_COOKED_LEN) {
		snprintf(err, errsize,
			 "packet %llu at byte offset %zu: %u bytes, too short for the %d-byte "
			 "cooked header",
			 (unsigned long long)p->index, r->off, caplen, PCAP_COOKED_LEN);
		return -1;
	}
	const uint8_t *c = h + PCAP_REC_HDR_LEN;
	p->ts_ns = (uint64_t)sec * 1000000000u + (r->nsec ? frac : (uint64_t)frac * 1000u);
	p->pkttype = get16be(c);
	p->hatype = get16be(c + 2);
	p->protocol = get16be(c + 14);
	p->data = c + PCAP_COOKED_LEN;
	p->len = caplen - PCAP_COOKED_LEN;
	p->data_offset = r->off + PCAP_REC_HDR_LEN + PCAP_COOKED_LEN;
	p->cut = origlen > caplen;
	r->off += PCAP_REC_HDR_LEN + caplen;
	r->count++;
	return 1;
}
