/* Purpose: IP address literals for building test events. */
#ifndef IFHOOKD_TESTIP_H
#define IFHOOKD_TESTIP_H

#include "ipaddr.h"

/* s as an IPv4 or IPv6 address; family 0 when it is neither. */
struct ipaddr testip_addr(const char *s);

#endif
