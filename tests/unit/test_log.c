/* Purpose: unit tests of log.c's pure helpers: escaping for text and for
 * key=value fields, and the syslog facility names. */
#include <syslog.h>

#include "log.h"
#include "unit.h"

TEST(log_safe_escapes_controls_and_backslashes_only)
{
	char out[64];

	CHECK_STR(log_safe("eth0", out, sizeof(out)), "eth0");
	CHECK_STR(log_safe("a b=c\"d", out, sizeof(out)), "a b=c\"d");
	CHECK_STR(log_safe("x\\y\n\033\177", out, sizeof(out)), "x\\x5cy\\x0a\\x1b\\x7f");
}

TEST(log_field_never_splits)
{
	char out[64];

	CHECK_STR(log_field("/etc/ifhookd/hooks.d/up", out, sizeof(out)), "/etc/ifhookd/hooks.d/up");
	CHECK_STR(log_field("a b=c\"d\\e\n", out, sizeof(out)), "a\\x20b\\x3dc\\x22d\\x5ce\\x0a");
	CHECK_STR(log_field("", out, sizeof(out)), "");
	/* Truncated at a whole escape, never in the middle of one. */
	CHECK_STR(log_field("          ", out, 12), "\\x20\\x20");
}

TEST(log_facility_names)
{
	CHECK(log_facility_from_name("daemon") == LOG_DAEMON);
	CHECK(log_facility_from_name("user") == LOG_USER);
	CHECK(log_facility_from_name("local0") == LOG_LOCAL0);
	CHECK(log_facility_from_name("local7") == LOG_LOCAL7);
	CHECK(log_facility_from_name("kern") == -1);
	CHECK(log_facility_from_name("local8") == -1);
	CHECK(log_facility_from_name("") == -1);
}
