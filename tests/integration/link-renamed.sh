#!/bin/bash
# Purpose: a rename (same ifindex, new IFLA_IFNAME) gives link-renamed with
# OLD_IFACE, and nothing else; later events use the new name.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair r0 r1
idx=$(ifindex_of r0)
wait_event link-added r0 >/dev/null
log_mark
ip link set r0 name r0new || fail "ip link set r0 name r0new"
s=$(wait_event link-renamed r0new)
expect_env "$s" OLD_IFACE r0
expect_env "$s" IFINDEX "$idx"
expect_env "$s" IFKIND veth
barrier
[ "$(log_events_since_mark | grep -cvE 'iface=barp?[0-9]+ ifindex=')" = 1 ] ||
	fail "a rename must give exactly one event: $(log_events_since_mark)"

ip link set r1 up
ip link set r0new up
s=$(wait_event link-up r0new)
expect_env "$s" IFINDEX "$idx"
[ "$(event_count link-up r0)" = 0 ] || fail "link-up reported under the old name r0"

# Rename twice more: OLD_IFACE follows.
ip link set r0new down
ip link set r0new name r0b
s=$(wait_event link-renamed r0b)
expect_env "$s" OLD_IFACE r0new
finish
