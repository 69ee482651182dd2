/* Purpose: the datagram walk of src/nl.c: every length is checked before use. */
#include <linux/rtnetlink.h>
#include <string.h>

#include "nl.h"
#include "unit.h"

static void count(void *ctx, const struct nlmsghdr *nlh)
{
	(void)nlh;
	(*(int *)ctx)++;
}

TEST(nl_walk_refuses_a_length_of_2gib_or_more)
{
	/* Found by fuzz_netlink: nlmsg_len 0xfffffff0 passed libmnl's signed
	 * mnl_nlmsg_ok and led to reads far past the datagram. */
	static const unsigned char bytes[32] __attribute__((aligned(8))) = {
		0xf0, 0xff, 0xff, 0xff, 0x10, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
		0,    0,    0,    0,    0x03, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct nl n;
	int calls = 0;

	memset(&n, 0, sizeof(n));
	nl_walk_events(&n, (const char *)bytes, sizeof(bytes), count, &calls);
	CHECK(calls == 0);
	CHECK(n.malformed == 1);
}

TEST(nl_walk_passes_whole_messages_and_counts_a_truncated_tail)
{
	char buf[64] __attribute__((aligned(8)));
	struct nlmsghdr *a = (struct nlmsghdr *)buf, *b = (struct nlmsghdr *)(buf + 32);
	struct nl n;
	int calls = 0;

	memset(buf, 0, sizeof(buf));
	memset(&n, 0, sizeof(n));
	a->nlmsg_len = 32;
	a->nlmsg_type = RTM_NEWLINK;
	b->nlmsg_len = 40; /* runs 8 bytes past the datagram */
	b->nlmsg_type = RTM_NEWLINK;
	nl_walk_events(&n, buf, sizeof(buf), count, &calls);
	CHECK(calls == 1);
	CHECK(n.malformed == 1);
}
