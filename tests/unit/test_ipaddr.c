/* Purpose: unit tests of ip_format: byte for byte what inet_ntop gives, for
 * the special forms and for a million addresses rich in zero words. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipaddr.h"
#include "unit.h"

static void check_like_inet_ntop(const struct ipaddr *a)
{
	char ours[IP_STRLEN], libc[IP_STRLEN];

	ip_format(a, ours);
	inet_ntop(a->family, a->bytes, libc, sizeof(libc));
	if (strcmp(ours, libc) != 0)
		CHECK_STR(ours, libc);
}

TEST(ip_format_special_forms)
{
	static const char *const texts[] = {
		"::", "::1", "::2", "1::", "fe80::", "fe80::1", "2001:db8::1", "2001:db8:0:1::",
		"2001:db8::1:0:0:1", "2001:0:0:1::1", "1:2:3:4:5:6:7:8", "1:0:3:4:5:6:7:8",
		"::ffff:192.0.2.1", "::192.0.2.1", "::ffff:0:c000:201", "0:0:0:1::",
		"::ffff:0.0.0.0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.100",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct ipaddr a = { .family = strchr(texts[i], ':') ? AF_INET6 : AF_INET };
		char out[IP_STRLEN];

		CHECK(inet_pton(a.family, texts[i], a.bytes) == 1);
		check_like_inet_ntop(&a);
		ip_format(&a, out);
		CHECK_STR(out, texts[i]);
	}
}

TEST(ip_format_agrees_with_inet_ntop_on_random_addresses)
{
	unsigned seed = 12345;

	for (int n = 0; n < 1000000; n++) {
		struct ipaddr a = { .family = n % 8 ? AF_INET6 : AF_INET };

		/* Words zero more often than not, so every run length and
		 * position of zero runs comes up. */
		for (int i = 0; i < 16; i += 2) {
			unsigned r = rand_r(&seed);
			unsigned w = r % 3 ? 0 : (r >> 2) % 4 ? (r >> 4) & 0xffff : (r >> 4) & 0xf;

			a.bytes[i] = (uint8_t)(w >> 8);
			a.bytes[i + 1] = (uint8_t)w;
		}
		if (n % 16 == 1) {
			memset(a.bytes, 0, 10);
			a.bytes[10] = a.bytes[11] = 0xff;
		}
		check_like_inet_ntop(&a);
		if (n % 1000 == 0) {
			char got[IP_PREFIX_STRLEN], want[IP_PREFIX_STRLEN + 8], ip[IP_STRLEN];
			unsigned len = (unsigned)n / 1000 % 129;
			size_t k = ip_format_prefix(&a, len, got);

			snprintf(want, sizeof(want), "%s/%u", ip_format(&a, ip), len);
			CHECK_STR(got, want);
			CHECK(k == strlen(want));
		}
	}
}
