/* Purpose: formatting, parsing and prefix tests for struct ipaddr. */
#include "ipaddr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

unsigned ip_addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

bool ip_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, ip_addr_len(a->family)) == 0;
}

/* Appends v in decimal; returns the new end. */
static char *put_dec(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

static char *put_ipv4(char *o, const uint8_t *b)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*o++ = '.';
		o = put_dec(o, b[i]);
	}
	return o;
}

/* Appends w in lowercase hex without leading zeros. */
static char *put_hex16(char *o, unsigned w)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(w >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*o++ = hex[(w >> shift) & 15];
	return o;
}

/* The text inet_ntop gives, byte for byte (RFC 5952: the first longest run of
 * two or more zero words as "::", and an IPv4-mapped or -compatible address
 * with its IPv4 part dotted), without its sprintf per word: an IP6_ADDRS
 * list of a busy link is formatted for every hook of that link. */
static char *put_ipv6(char *o, const uint8_t *b)
{
	unsigned w[8];
	int best = -1, best_len = 0, run = -1;

	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
		if (w[i] == 0 && run < 0)
			run = i;
		if (run >= 0 && (w[i] != 0 || i == 7)) {
			int len = (w[i] == 0 ? i + 1 : i) - run;
			if (len > best_len) {
				best = run;
				best_len = len;
			}
			run = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*o++ = ':';
			continue;
		}
		if (i)
			*o++ = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return put_ipv4(o, b + 12);
		o = put_hex16(o, w[i]);
	}
	if (best >= 0 && best + best_len == 8)
		*o++ = ':';
	return o;
}

static char *put_ip(char *o, const struct ipaddr *a)
{
	if (a->family == AF_INET)
		return put_ipv4(o, a->bytes);
	if (a->family == AF_INET6)
		return put_ipv6(o, a->bytes);
	return o;
}

const char *ip_format(const struct ipaddr *a, char out[IP_STRLEN])
{
	*put_ip(out, a) = '\0';
	return out;
}

size_t ip_format_prefix(const struct ipaddr *a, unsigned prefixlen, char out[IP_PREFIX_STRLEN])
{
	char *end = put_ip(out, a);

	*end++ = '/';
	end = put_dec(end, prefixlen > 128 ? 128 : prefixlen);
	*end = '\0';
	return (size_t)(end - out);
}

bool ip_parse_prefix(const char *s, struct ipprefix *out)
{
	char buf[IP_STRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned maxlen;

	if (n == 0 || n >= IP_STRLEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr.bytes) == 1)
		out->addr.family = AF_INET;
	else if (inet_pton(AF_INET6, buf, out->addr.bytes) == 1)
		out->addr.family = AF_INET6;
	else
		return false;
	maxlen = ip_addr_len(out->addr.family) * 8;
	if (!slash) {
		out->len = (uint8_t)maxlen;
		return true;
	}
	char *end;
	const char *digits = slash + 1;
	if (*digits < '0' || *digits > '9')
		return false;
	unsigned long len = strtoul(digits, &end, 10);
	if (*end != '\0' || len > maxlen)
		return false;
	out->len = (uint8_t)len;
	return true;
}

bool ip_prefix_contains(const struct ipprefix *p, const struct ipaddr *a)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (p->addr.family != a->family)
		return false;
	if (memcmp(p->addr.bytes, a->bytes, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((p->addr.bytes[full] & mask) != (a->bytes[full] & mask))
			return false;
	}
	return true;
}
