#!/bin/bash
# Purpose: a default route that the kernel removes silently (IPv4: no
# RTM_DELROUTE) still gives route-removed: on link down, on removal of the last
# address, and on link deletion (with the removed link's name); IPv6 too.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

veth_pair d0 d1
ip link set d1 up
ip link set d0 up
wait_event link-up d0 >/dev/null

add_default() {
	ip addr add 192.0.2.1/24 dev d0 2>/dev/null
	ip route add default via 192.0.2.254 dev d0 || fail "ip route add default"
	wait_event_with route-added d0 ROUTE_GATEWAY 192.0.2.254 "$1" >/dev/null
}

# 1. link down
add_default 1
ip link set d0 down
s=$(wait_event_with route-removed d0 ROUTE_GATEWAY 192.0.2.254 1)
expect_env "$s" ROUTE_DST default
expect_env "$s" FAMILY inet
expect_env "$s" ROUTE_TABLE main
ip route show default | grep -q . && fail "kernel still has the default route after link down?"
wait_event_with route-removed d0 ROUTE_DST 192.0.2.0/24 >/dev/null

# 2. last address removed
ip link set d0 up
wait_event link-up d0 2 >/dev/null
add_default 2
ip addr del 192.0.2.1/24 dev d0
s=$(wait_event_with route-removed d0 ROUTE_GATEWAY 192.0.2.254 2)
expect_env "$s" ROUTE_DST default

# 3. link deleted: IFACE is still the removed link's name.
add_default 3
idx=$(ifindex_of d0)
# IPv6 default route on the same link, removed with an RTM_DELROUTE.
ip -6 addr add 2001:db8:1::1/64 dev d0 nodad
ip -6 route add default via 2001:db8:1::ff dev d0
s=$(wait_event_with route-added d0 ROUTE_GATEWAY 2001:db8:1::ff)
expect_env "$s" ROUTE_DST default
ip link del d0
s=$(wait_event_with route-removed d0 ROUTE_GATEWAY 192.0.2.254 3)
expect_env "$s" IFINDEX "$idx"
expect_env "$s" ROUTE_DST default
s=$(wait_event_with route-removed d0 ROUTE_GATEWAY 2001:db8:1::ff)
expect_env "$s" ROUTE_DST default
expect_env "$s" FAMILY inet6
wait_event link-removed d0 >/dev/null
finish
