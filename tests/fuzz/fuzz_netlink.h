/* Purpose: the control messages of the netlink fuzz input, shared by the
 * harness (fuzz_netlink.c) and the seed generator (gen_seeds.c). */
#ifndef IFHOOKD_FUZZ_NETLINK_H
#define IFHOOKD_FUZZ_NETLINK_H

#include <linux/netlink.h>

/* The input is a stream of netlink messages. Types at or above
 * NLMSG_MIN_TYPE go to rtnl_parse; the reserved control types below it,
 * which the daemon never parses, drive the classifier instead. Each takes
 * its argument from nlmsg_seq and needs no payload. */
#define FZ_CLOCK NLMSG_NOOP         /* the clock advances by arg ms */
#define FZ_SYNC_END NLMSG_DONE      /* the dump being read is complete */
#define FZ_SYNC_BEGIN NLMSG_OVERRUN /* a dump of class arg % 3 starts */
#define FZ_SET_WAIT 5               /* ppp_ipv6_wait = arg ms (within the config's limit) */
#define FZ_SET_MODE 6               /* arg: FZ_MODE_* bits */

#define FZ_SYNC_LINKS 0
#define FZ_SYNC_ADDRS 1
#define FZ_SYNC_ROUTES 2

#define FZ_MODE_SILENT 1  /* fill the cache without events (startup_events = no) */
#define FZ_MODE_STARTUP 2 /* events say EVENT_ORIGIN=startup */

#endif
