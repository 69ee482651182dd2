/* Purpose: IP address literals for building test events. */
#include "testip.h"

#include <arpa/inet.h>
#include <sys/socket.h>

struct ipaddr testip_addr(const char *s)
{
	struct ipaddr a = {0};

	if (inet_pton(AF_INET, s, a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, a.bytes) == 1)
		a.family = AF_INET6;
	return a;
}
