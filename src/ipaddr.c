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

const char *ip_format(const struct ipaddr *a, char out[IP_STRLEN])
{
	out[0] = '\0';
	if (a->family == AF_INET || a->family == AF_INET6)
		inet_ntop(a->family, a->bytes, out, IP_STRLEN);
	return out;
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
