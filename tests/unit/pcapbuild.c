/* Purpose: in-memory pcap writer for tests, on top of src/pcap.c's headers. */
#include "pcapbuild.h"

#include <stdlib.h>
#include <string.h>

#include "pcap.h"

static void put(struct capbuf *c, const void *p, size_t n)
{
	if (c->len + n > c->cap) {
		c->cap = (c->len + n) * 2;
		c->data = realloc(c->data, c->cap);
		if (!c->data)
			abort();
	}
	memcpy(c->data + c->len, p, n);
	c->len += n;
}

void cap_init(struct capbuf *c, uint64_t ts_us)
{
	uint8_t hdr[PCAP_FILE_HDR_LEN];

	c->data = NULL;
	c->len = c->cap = c->dlen = 0;
	c->ts_us = ts_us;
	pcap_file_header(hdr);
	put(c, hdr, sizeof(hdr));
}

void cap_free(struct capbuf *c)
{
	free(c->data);
	c->data = NULL;
}

void cap_msg(struct capbuf *c, const struct nlmsghdr *nlh, uint16_t flags)
{
	size_t n = NLMSG_ALIGN(nlh->nlmsg_len);
	struct nlmsghdr *copy;

	if (c->dlen + n > sizeof(c->dgram))
		abort();
	memset(c->dgram + c->dlen, 0, n);
	memcpy(c->dgram + c->dlen, nlh, nlh->nlmsg_len);
	copy = (struct nlmsghdr *)(c->dgram + c->dlen);
	copy->nlmsg_flags |= flags;
	c->dlen += n;
}

void cap_done(struct capbuf *c)
{
	struct {
		struct nlmsghdr h;
		int err;
	} done = { { NLMSG_HDRLEN + sizeof(int), NLMSG_DONE, NLM_F_MULTI, 0, 0 }, 0 };

	cap_msg(c, &done.h, 0);
}

void cap_flush_as(struct capbuf *c, uint16_t pkttype, uint16_t hatype, uint16_t protocol)
{
	uint8_t hdr[PCAP_REC_HDR_LEN + PCAP_COOKED_LEN];
	uint8_t *cooked = hdr + PCAP_REC_HDR_LEN;

	pcap_packet_header(hdr, c->ts_us, c->dlen);
	cooked[0] = (uint8_t)(pkttype >> 8);
	cooked[1] = (uint8_t)pkttype;
	cooked[2] = (uint8_t)(hatype >> 8);
	cooked[3] = (uint8_t)hatype;
	cooked[14] = (uint8_t)(protocol >> 8);
	cooked[15] = (uint8_t)protocol;
	put(c, hdr, sizeof(hdr));
	put(c, c->dgram, c->dlen);
	c->dlen = 0;
	c->ts_us += 1000;
}

void cap_flush(struct capbuf *c)
{
	cap_flush_as(c, PCAP_PKTTYPE_OUTGOING, PCAP_ARPHRD_NETLINK, NETLINK_ROUTE);
}

void cap_sleep_ms(struct capbuf *c, uint64_t ms)
{
	c->ts_us += ms * 1000;
}
