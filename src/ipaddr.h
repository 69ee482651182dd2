/* Purpose: a family-tagged IPv4/IPv6 address and prefix helpers (no I/O). */
#ifndef IFHOOKD_IPADDR_H
#define IFHOOKD_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IP_STRLEN 46 /* INET6_ADDRSTRLEN */

struct ipaddr {
	uint8_t family; /* AF_INET, AF_INET6, or 0 for none */
	uint8_t bytes[16];
};

struct ipprefix {
	struct ipaddr addr;
	uint8_t len;
};

bool ip_equal(const struct ipaddr *a, const struct ipaddr *b);
/* Formats the address; "" for family 0. Returns out. */
const char *ip_format(const struct ipaddr *a, char out[IP_STRLEN]);
/* "ADDR/LEN" into out (IP_PREFIX_STRLEN bytes); returns its length. */
#define IP_PREFIX_STRLEN (IP_STRLEN + 4)
size_t ip_format_prefix(const struct ipaddr *a, unsigned prefixlen, char out[IP_PREFIX_STRLEN]);
/* Parses "addr" or "addr/len"; without /len the prefix is a host prefix. */
bool ip_parse_prefix(const char *s, struct ipprefix *out);
bool ip_prefix_contains(const struct ipprefix *p, const struct ipaddr *a);
unsigned ip_addr_len(uint8_t family);

#endif
