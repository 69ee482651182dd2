#!/bin/bash
# Purpose: IPv4 address-added / address-removed with ADDRESS, PREFIXLEN, FAMILY,
# SCOPE, PEER and the link's IP4_ADDRS.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair a0 a1
ip link set a1 up
ip link set a0 up
wait_event link-up a0 >/dev/null

ip addr add 192.0.2.1/24 dev a0
s=$(wait_event_with address-added a0 ADDRESS 192.0.2.1)
expect_env "$s" ADDRESS 192.0.2.1
expect_env "$s" PREFIXLEN 24
expect_env "$s" FAMILY inet
expect_env "$s" SCOPE global
expect_env "$s" PEER ""
expect_env "$s" IFKIND veth
expect_word "$s" IP4_ADDRS 192.0.2.1/24

# A point-to-point address: IFA_LOCAL is ours, IFA_ADDRESS the peer.
ip addr add 198.51.100.7/32 peer 198.51.100.8 dev a0
s=$(wait_event_with address-added a0 ADDRESS 198.51.100.7)
expect_env "$s" PREFIXLEN 32
expect_env "$s" PEER 198.51.100.8
expect_word "$s" IP4_ADDRS 192.0.2.1/24

ip addr add 203.0.113.5/28 dev a0 scope link
s=$(wait_event_with address-added a0 ADDRESS 203.0.113.5)
expect_env "$s" SCOPE link
expect_env "$s" PREFIXLEN 28

ip addr add 203.0.113.65/26 dev a0 scope host
s=$(wait_event_with address-added a0 ADDRESS 203.0.113.65)
expect_env "$s" SCOPE host

# IPv4 addresses on a down link are still usable: the event comes at once.
ip addr add 198.51.100.33/27 dev a1
ip link set a1 down
ip addr add 203.0.113.200/29 dev a1
wait_event_with address-added a1 ADDRESS 198.51.100.33 >/dev/null
wait_event_with address-added a1 ADDRESS 203.0.113.200 >/dev/null

ip addr del 192.0.2.1/24 dev a0
s=$(wait_event_with address-removed a0 ADDRESS 192.0.2.1)
expect_env "$s" PREFIXLEN 24
expect_env "$s" FAMILY inet
expect_no_word "$s" IP4_ADDRS 192.0.2.1/24
expect_word "$s" IP4_ADDRS 203.0.113.5/28
[ "$(count_event_with address-added a0 ADDRESS 192.0.2.1)" = 1 ] ||
	fail "more than one address-added for 192.0.2.1"
[ "$(count_event_with address-removed a0 ADDRESS 192.0.2.1)" = 1 ] ||
	fail "more than one address-removed for 192.0.2.1"
finish
