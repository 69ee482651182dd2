#!/bin/bash
# Purpose: with startup_events = yes the state found at start is reported with
# EVENT_ORIGIN=startup (link-added, link-up, address-added, route-added,
# ppp-connect), before any kernel event; with startup_events = no, nothing.
. "$(dirname "$0")/../lib.sh"
setup "$@"

veth_pair u0 u1
ip link set u1 up
ip link set u0 up
ip addr add 192.0.2.1/24 dev u0
ip -6 addr add 2001:db8:1::1/64 dev u0 nodad
ip route add default via 192.0.2.254
tunppp_start ppp0
ip link set ppp0 up
ip addr add 198.51.100.1 peer 198.51.100.2 dev ppp0

# Let IPv6 DAD finish first: its completion would be a (correct) kernel event.
poll_until 10 eval '! ip -6 addr show | grep -q tentative' || fail "addresses stay tentative"

write_config startup_events=yes
start_daemon

for l in lo u0 u1 ppp0; do
	s=$(wait_event link-added "$l")
	expect_env "$s" EVENT_ORIGIN startup
	expect_env "$s" IFINDEX "$(ifindex_of "$l")"
	up=$(wait_event link-up "$l")
	expect_env "$up" EVENT_ORIGIN startup
	expect_before "$s" "$up" "link-added $l before link-up $l"
done
expect_env "$(wait_event link-added lo)" IFTYPE loopback
s=$(wait_event_with address-added u0 ADDRESS 192.0.2.1)
expect_env "$s" EVENT_ORIGIN startup
expect_env "$s" PREFIXLEN 24
s=$(wait_event_with address-added u0 ADDRESS 2001:db8:1::1)
expect_env "$s" EVENT_ORIGIN startup
s=$(wait_event_with address-added lo ADDRESS 127.0.0.1)
expect_env "$s" EVENT_ORIGIN startup
s=$(wait_event_with route-added u0 ROUTE_DST default)
expect_env "$s" EVENT_ORIGIN startup
expect_env "$s" ROUTE_GATEWAY 192.0.2.254
s=$(wait_event ppp-connect ppp0)
expect_env "$s" EVENT_ORIGIN startup
expect_env "$s" PPP_LOCAL 198.51.100.1
expect_env "$s" PPP_REMOTE 198.51.100.2
last_startup=$(grep -c 'origin=startup' "$LOG")
[ "$(grep -c 'origin=kernel' "$LOG")" = 0 ] || fail "kernel events before any change"

# Afterwards: kernel events, with higher EVENT_SEQ.
ip link add w0 type veth peer name w1
s=$(wait_event link-added w0)
expect_env "$s" EVENT_ORIGIN kernel
[ "$s" -gt "$last_startup" ] || fail "kernel event seq $s not after the $last_startup startup events"
[ "$(event_count link-added u0)" = 1 ] || fail "u0 reported twice"
stop_daemon
[ "$DAEMON_RC" = 0 ] || fail "daemon exited with $DAEMON_RC"

# startup_events = no: nothing for the existing state.
: >"$EVLIST"
rm -f "$EVDIR"/*
write_config startup_events=no
start_daemon
barrier
[ "$(grep -c 'origin=startup' "$LOG")" = 0 ] || fail "startup events with startup_events = no"
expect_no_events_since_mark "startup_events = no"
finish
