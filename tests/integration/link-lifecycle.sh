#!/bin/bash
# Purpose: link-added, link-up, link-down and link-removed on a veth pair, with
# their link facts (IFKIND=veth, IFTYPE=ether, MAC, MTU, OPERSTATE), link-up only
# once IFF_RUNNING (carrier), and link-removed carrying the last known facts.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair v0 v1
idx0=$(ifindex_of v0)
s=$(wait_event link-added v0)
expect_env "$s" IFACE v0
expect_env "$s" IFINDEX "$idx0"
expect_env "$s" IFKIND veth
expect_env "$s" IFTYPE ether
expect_env "$s" LINK_STATE down
expect_env "$s" MTU 1500
expect_env "$s" MAC "$(mac_of v0)"
expect_env "$s" EVENT_ORIGIN kernel
wait_event link-added v1 >/dev/null

# v1 up alone: admin up but no carrier (its peer is down): not "up" yet.
ip link set v1 up
barrier
expect_no_log_event link-up v1 "v1 is UP without carrier (not RUNNING)"

ip link set v0 up
s=$(wait_event link-up v0)
expect_env "$s" LINK_STATE up
expect_env "$s" OPERSTATE up
expect_env "$s" IFKIND veth
s1=$(wait_event link-up v1)
expect_env "$s1" OPERSTATE up

# Admin down on v0: v0 goes down, and v1 loses its carrier.
ip link set v0 down
s=$(wait_event link-down v0)
expect_env "$s" LINK_STATE down
expect_env "$s" OPERSTATE down
s=$(wait_event link-down v1)
expect_env "$s" LINK_STATE down
expect_env "$s" OPERSTATE lowerlayerdown

ip link set v0 up
wait_event link-up v0 2 >/dev/null
wait_event link-up v1 2 >/dev/null

ip addr add 192.0.2.1/24 dev v0
wait_event address-added v0 >/dev/null

# Removing an up link: link-down, then link-removed with its last known facts.
ip link del v0
rm_s=$(wait_event link-removed v0)
down_s=$(wait_event link-down v0 2)
expect_before "$down_s" "$rm_s" "link-down v0 must come before link-removed v0"
expect_env "$rm_s" IFINDEX "$idx0"
expect_env "$rm_s" IFKIND veth
expect_env "$rm_s" IFTYPE ether
expect_word "$rm_s" IP4_ADDRS 192.0.2.1/24
wait_event link-removed v1 >/dev/null
[ "$(event_count link-removed v0)" = 1 ] || fail "more than one link-removed for v0"
[ "$(event_count link-added v0)" = 1 ] || fail "more than one link-added for v0"
finish
