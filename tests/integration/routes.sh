#!/bin/bash
# Purpose: route-added / route-changed / route-removed for IPv4 and IPv6 with
# ROUTE_DST, ROUTE_GATEWAY, ROUTE_TABLE, ROUTE_PROTO, ROUTE_METRIC, FAMILY and
# IFACE = output device; a different metric is a different route; no events
# for local-table or non-unicast routes.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair r0 r1
ip link set r1 up
ip link set r0 up
wait_event link-up r0 >/dev/null
ip addr add 192.0.2.1/24 dev r0

# The kernel's prefix route for the address.
s=$(wait_event_with route-added r0 ROUTE_DST 192.0.2.0/24)
expect_env "$s" ROUTE_PROTO kernel
expect_env "$s" ROUTE_TABLE main
expect_env "$s" ROUTE_GATEWAY ""
expect_env "$s" FAMILY inet
expect_env "$s" IFINDEX "$(ifindex_of r0)"

ip route add 198.51.100.0/24 via 192.0.2.2 dev r0
s=$(wait_event_with route-added r0 ROUTE_DST 198.51.100.0/24)
expect_env "$s" ROUTE_GATEWAY 192.0.2.2
expect_env "$s" ROUTE_TABLE main
expect_env "$s" ROUTE_PROTO boot
expect_env "$s" ROUTE_METRIC 0
expect_env "$s" FAMILY inet
expect_env "$s" IFKIND veth
expect_env "$s" LINK_STATE up

# Same identity (family, table, dst, tos, metric), new gateway: route-changed.
ip route replace 198.51.100.0/24 via 192.0.2.3 dev r0
s=$(wait_event_with route-changed r0 ROUTE_DST 198.51.100.0/24)
expect_env "$s" ROUTE_GATEWAY 192.0.2.3
expect_env "$s" ROUTE_METRIC 0

# A different metric is a different route for the kernel: route-added.
ip route add 198.51.100.0/24 via 192.0.2.2 dev r0 metric 50 proto static
s=$(wait_event_with route-added r0 ROUTE_METRIC 50)
expect_env "$s" ROUTE_DST 198.51.100.0/24
expect_env "$s" ROUTE_PROTO static
expect_env "$s" ROUTE_GATEWAY 192.0.2.2

ip route add 203.0.113.0/24 via 192.0.2.2 table 100
s=$(wait_event_with route-added r0 ROUTE_DST 203.0.113.0/24)
expect_env "$s" ROUTE_TABLE 100

ip route add default via 192.0.2.254
s=$(wait_event_with route-added r0 ROUTE_DST default)
expect_env "$s" ROUTE_GATEWAY 192.0.2.254
expect_env "$s" ROUTE_TABLE main

ip route del 198.51.100.0/24 via 192.0.2.3 dev r0 metric 0
s=$(wait_event_with route-removed r0 ROUTE_DST 198.51.100.0/24)
expect_env "$s" ROUTE_GATEWAY 192.0.2.3
expect_env "$s" ROUTE_METRIC 0
[ "$(count_event_with route-removed r0 ROUTE_METRIC 50)" = 0 ] ||
	fail "deleting the metric 0 route reported the metric 50 one"

# IPv6.
ip -6 addr add 2001:db8:1::1/64 dev r0 nodad
ip -6 route add 2001:db8:2::/64 via 2001:db8:1::2
s=$(wait_event_with route-added r0 ROUTE_DST 2001:db8:2::/64)
expect_env "$s" FAMILY inet6
expect_env "$s" ROUTE_GATEWAY 2001:db8:1::2
expect_env "$s" ROUTE_METRIC 1024
expect_env "$s" ROUTE_TABLE main
ip -6 route replace 2001:db8:2::/64 via 2001:db8:1::3
s=$(wait_event_with route-changed r0 ROUTE_DST 2001:db8:2::/64)
expect_env "$s" ROUTE_GATEWAY 2001:db8:1::3
ip -6 route del 2001:db8:2::/64
s=$(wait_event_with route-removed r0 ROUTE_DST 2001:db8:2::/64)
expect_env "$s" FAMILY inet6

# Not unicast: no event. Local table: never.
log_mark
ip route add blackhole 203.0.113.128/25
ip route add unreachable 198.51.100.128/25
barrier
if log_events_since_mark | grep -F 'event route-'; then
	fail "route event for a blackhole/unreachable route"
fi
for s in $(event_seqs route-added '*') $(event_seqs route-removed '*'); do
	t=$(env_of "$s" ROUTE_TABLE)
	[ "$t" != local ] && [ "$t" != 255 ] || fail "route event $s for the local table"
done
finish
