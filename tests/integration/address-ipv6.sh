#!/bin/bash
# Purpose: IPv6 address-added only once DAD completed (never while tentative,
# never for a DAD failure), address-removed, and the removal of IPv6 addresses
# when the link goes down.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair s0 s1
ip link set s1 up
ip link set s0 up
wait_event link-up s0 >/dev/null
# Let the link-local addresses finish DAD first.
poll_until 10 eval '! ip -6 addr show dev s0 | grep -q tentative' || fail "s0 link-local stays tentative"
poll_until 10 eval '! ip -6 addr show dev s1 | grep -q tentative' || fail "s1 link-local stays tentative"
s=$(wait_event address-added s0)
expect_env "$s" FAMILY inet6
expect_env "$s" SCOPE link
wait_event address-added s1 >/dev/null

base=$(log_event_count address-added s0)
ip -6 addr add 2001:db8:1::1/64 dev s0
ip -6 addr show dev s0 | grep -q '2001:db8:1::1/64 .*tentative' ||
	fail "the kernel did not mark 2001:db8:1::1 tentative (is DAD off?)"
# Read the log first, then the kernel: an event logged while the kernel still
# calls the address tentative afterwards was certainly emitted too early.
tentative_seen() {
	local logged
	logged=$(log_event_count address-added s0)
	if ip -6 addr show dev s0 | grep -q '2001:db8:1::1/64 .*tentative'; then
		[ "$logged" = "$base" ] || fail "address-added for 2001:db8:1::1 while still tentative"
		return 1
	fi
	return 0
}
poll_until 10 tentative_seen || fail "2001:db8:1::1 stays tentative"
s=$(wait_event_with address-added s0 ADDRESS 2001:db8:1::1)
expect_env "$s" PREFIXLEN 64
expect_env "$s" FAMILY inet6
expect_env "$s" SCOPE global
expect_env "$s" PEER ""
expect_word "$s" IP6_ADDRS 2001:db8:1::1/64
[ "$(count_event_with address-added s0 ADDRESS 2001:db8:1::1)" = 1 ] ||
	fail "tentative + usable gave more than one event"

# The same address on the peer: DAD fails there (dadfailed): no event.
log_mark
ip -6 addr add 2001:db8:1::1/64 dev s1
poll_until 10 eval 'ip -6 addr show dev s1 | grep -q dadfailed' ||
	fail "the kernel did not mark the duplicate dadfailed"
barrier
if log_events_since_mark | grep -qF 'event address-added iface=s1 '; then
	fail "address-added for a dadfailed address on s1"
fi
ip -6 addr del 2001:db8:1::1/64 dev s1

# nodad: usable at once.
ip -6 addr add 2001:db8:2::1/64 dev s0 nodad
wait_event_with address-added s0 ADDRESS 2001:db8:2::1 >/dev/null
ip -6 addr del 2001:db8:2::1/64 dev s0
s=$(wait_event_with address-removed s0 ADDRESS 2001:db8:2::1)
expect_env "$s" PREFIXLEN 64
expect_env "$s" FAMILY inet6
expect_no_word "$s" IP6_ADDRS 2001:db8:2::1/64

# Link down: the kernel removes IPv6 addresses (with RTM_DELADDR).
ip link set s0 down
wait_event link-down s0 >/dev/null
s=$(wait_event_with address-removed s0 ADDRESS 2001:db8:1::1)
expect_env "$s" FAMILY inet6
finish
