#!/bin/bash
# Purpose: messages that change nothing an event describes give no event:
# repeated NEWLINK (promisc, txqueuelen, repeated up), MTU-only changes and
# IPv4 address lifetime updates. The cache still learns the new MTU.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair n0 n1
ip link set n1 up
ip link set n0 up
wait_event link-up n0 >/dev/null
wait_event link-up n1 >/dev/null
ip addr add 192.0.2.1/24 dev n0 valid_lft 300 preferred_lft 300
wait_event address-added n0 >/dev/null
# IPv6 link-local addresses come 1-2 s after up (DAD): let them arrive first.
wait_event address-added n0 2 >/dev/null
wait_event address-added n1 >/dev/null

log_mark
ip link set n0 mtu 1400 || fail "ip link set n0 mtu 1400"
ip link set n0 up
ip link set n0 promisc on
ip link set n0 promisc off
ip link set n0 txqueuelen 500
ip link set n1 mtu 1280
ip addr change 192.0.2.1/24 dev n0 valid_lft 200 preferred_lft 100 ||
	fail "ip addr change (lifetime update)"
ip addr change 192.0.2.1/24 dev n0 valid_lft forever preferred_lft forever
barrier
expect_no_events_since_mark "MTU, promisc, txqueuelen, repeated up and lifetime updates"

# The next real event carries the MTU learned silently.
ip addr add 198.51.100.1/24 dev n0
s=$(wait_event address-added n0 3)
expect_env "$s" MTU 1400
expect_env "$s" ADDRESS 198.51.100.1
finish
