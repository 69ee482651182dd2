/* Purpose: tests of the config value parsers: durations and sizes. */
#include <limits.h>

#include "config_parse.h"
#include "unit.h"

TEST(values_durations_in_seconds_and_milliseconds)
{
	unsigned ms = 0;

	CHECK(cfg_parse_seconds_ms("2", 100, &ms) && ms == 2000);
	CHECK(cfg_parse_seconds_ms("2s", 100, &ms) && ms == 2000);
	CHECK(cfg_parse_seconds_ms("1.5", 100, &ms) && ms == 1500);
	CHECK(cfg_parse_seconds_ms("250ms", 100, &ms) && ms == 250);
	/* A millisecond value above the limit in seconds is still fine. */
	CHECK(cfg_parse_seconds_ms("3000000ms", INT_MAX / 1000, &ms) && ms == 3000000);
	CHECK(!cfg_parse_seconds_ms("101", 100, &ms));
	CHECK(!cfg_parse_seconds_ms("100001ms", 100, &ms));
	CHECK(!cfg_parse_seconds_ms("1.5ms", 100, &ms));
	CHECK(!cfg_parse_seconds_ms("ms", 100, &ms));
	CHECK(!cfg_parse_seconds_ms("2m", 100, &ms));
}

TEST(values_sizes_with_suffixes)
{
	unsigned long long n = 0;

	CHECK(cfg_parse_size("8M", 1ull << 30, &n) && n == 8ull << 20);
	CHECK(cfg_parse_size("512K", 1ull << 30, &n) && n == 512ull << 10);
	CHECK(cfg_parse_size("65536", 1ull << 30, &n) && n == 65536);
	CHECK(cfg_parse_size("1G", 1ull << 30, &n) && n == 1ull << 30);
	CHECK(!cfg_parse_size("2G", 1ull << 30, &n));
	CHECK(!cfg_parse_size("8MB", 1ull << 30, &n));
	CHECK(!cfg_parse_size("M", 1ull << 30, &n));
}
