#!/bin/bash
# Purpose: a port leaving a bridge makes the kernel send an AF_BRIDGE
# RTM_DELLINK for a device that still exists: no link-removed (nor a new
# link-added), and the link stays known under the same ifindex.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

ip link add br0 type bridge || skip "no bridge support"
s=$(wait_event link-added br0)
expect_env "$s" IFKIND bridge
veth_pair p0 p1
idx=$(ifindex_of p0)
wait_event link-added p0 >/dev/null
ip link set p0 master br0 || fail "ip link set p0 master br0"
ip link set br0 up
ip link set p1 up
ip link set p0 up
wait_event link-up p0 >/dev/null

log_mark
ip link set p0 nomaster || fail "ip link set p0 nomaster"
barrier
if log_events_since_mark | grep -E 'event link-(removed|added) iface=p0 '; then
	fail "a port leaving its bridge gave link-removed/link-added"
fi

# Still the same link: a rename is reported as such, same ifindex.
ip link set p0 down
ip link set p0 name p0x
s=$(wait_event link-renamed p0x)
expect_env "$s" OLD_IFACE p0
expect_env "$s" IFINDEX "$idx"

# Enslave again and delete the bridge: the bridge is removed, the port is not.
ip link set p0x master br0
log_mark
ip link del br0
wait_event link-removed br0 >/dev/null
barrier
if log_events_since_mark | grep -F 'event link-removed iface=p0x '; then
	fail "deleting the bridge reported its port as removed"
fi
ip link del p0x
s=$(wait_event link-removed p0x)
expect_env "$s" IFINDEX "$idx"
finish
