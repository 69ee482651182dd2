/* Purpose: unit tests of JSON and shell escaping of untrusted names:
 * control characters, quotes, backslashes and bytes that are not UTF-8. */
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"
#include "unit.h"

static const char *json(const char *s)
{
	static char out[512];
	struct sbuf b = { 0 };

	esc_json(&b, s);
	snprintf(out, sizeof(out), "%s", sbuf_str(&b));
	sbuf_free(&b);
	return out;
}

static const char *sh(const char *s)
{
	static char out[512];
	struct sbuf b = { 0 };

	esc_shell(&b, s);
	snprintf(out, sizeof(out), "%s", sbuf_str(&b));
	sbuf_free(&b);
	return out;
}

TEST(utf8_lengths)
{
	CHECK(utf8_seq_len((const unsigned char *)"a") == 1);
	CHECK(utf8_seq_len((const unsigned char *)"\xc3\xa9") == 2);
	CHECK(utf8_seq_len((const unsigned char *)"\xe2\x82\xac") == 3);
	CHECK(utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80") == 4);
	CHECK(utf8_seq_len((const unsigned char *)"\xc0\xaf") == 0);         /* overlong '/' */
	CHECK(utf8_seq_len((const unsigned char *)"\xe0\x80\xaf") == 0);     /* overlong */
	CHECK(utf8_seq_len((const unsigned char *)"\xed\xa0\x80") == 0);     /* surrogate */
	CHECK(utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80") == 0); /* > U+10FFFF */
	CHECK(utf8_seq_len((const unsigned char *)"\xe2\x82") == 0);         /* cut short */
	CHECK(utf8_seq_len((const unsigned char *)"\x80") == 0);
	CHECK(utf8_seq_len((const unsigned char *)"\xff") == 0);
}

TEST(json_strings)
{
	CHECK_STR(json("eth0"), "\"eth0\"");
	CHECK_STR(json(""), "\"\"");
	CHECK_STR(json("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(json("a\nb\tc\x01\x1f\x7f"), "\"a\\u000ab\\u0009c\\u0001\\u001f\\u007f\"");
	CHECK_STR(json("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
	CHECK_STR(json("\xff" "a"), "\"\\ufffda\"");
	CHECK_STR(json("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	CHECK_STR(json("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(json("x\xe2\x82"), "\"x\\ufffd\\ufffd\"");
	CHECK_STR(json("a$(id)b"), "\"a$(id)b\"");
}

TEST(shell_words)
{
	CHECK_STR(sh("eth0"), "eth0");
	CHECK_STR(sh("/usr/local/sbin:/bin"), "/usr/local/sbin:/bin");
	CHECK_STR(sh("fe80::1/64"), "fe80::1/64");
	CHECK_STR(sh(""), "''");
	CHECK_STR(sh("a b"), "'a b'");
	CHECK_STR(sh("it's"), "'it'\\''s'");
	CHECK_STR(sh("a$(id)b"), "'a$(id)b'");
	CHECK_STR(sh("a\\b"), "'a\\b'");
	CHECK_STR(sh("caf\xc3\xa9"), "'caf\xc3\xa9'");
	CHECK_STR(sh("a\x01z"), "$'a\\x01z'");
	CHECK_STR(sh("\xff"), "$'\\xff'");
	CHECK_STR(sh("'\\\n"), "$'\\'\\\\\\x0a'");
}

TEST(shell_assignments)
{
	struct sbuf b = { 0 };

	esc_shell_assignment(&b, "RULE=");
	sbuf_add(&b, " ");
	esc_shell_assignment(&b, "IFACE=a b");
	sbuf_add(&b, " ");
	esc_shell_assignment(&b, "X=y=z");
	CHECK_STR(sbuf_str(&b), "RULE= IFACE='a b' X=y=z");
	sbuf_free(&b);
}
