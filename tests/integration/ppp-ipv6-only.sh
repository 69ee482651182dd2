#!/bin/bash
# Purpose: a PPP link that gets only an IPv6 address gives ppp-connect after
# ppp_ipv6_wait seconds (FAMILY=inet6); a plain link down of a connected PPP
# link gives ppp-disconnect.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config ppp_ipv6_wait=1
start_daemon

tunppp_start ppp0
ip link set ppp0 up
wait_event link-up ppp0 >/dev/null
t0=$(now_us)
ip -6 addr add 2001:db8::1 peer 2001:db8::2 dev ppp0 nodad
wait_event_with address-added ppp0 ADDRESS 2001:db8::1 >/dev/null
s=$(wait_event ppp-connect ppp0 1 5)
t1=$(now_us)
[ $((t1 - t0)) -ge 900000 ] || fail "ppp-connect after $(((t1 - t0) / 1000)) ms, before ppp_ipv6_wait = 1 s"
expect_env "$s" FAMILY inet6
expect_env "$s" PPP_LOCAL 2001:db8::1
expect_env "$s" PPP_REMOTE 2001:db8::2

ip link set ppp0 down
d=$(wait_event ppp-disconnect ppp0)
expect_env "$d" PPP_LOCAL 2001:db8::1
wait_event link-down ppp0 >/dev/null
barrier
[ "$(log_event_count ppp-connect ppp0)" = 1 ] || fail "more than one ppp-connect"
tunppp_stop
wait_event link-removed ppp0 >/dev/null
[ "$(log_event_count ppp-disconnect ppp0)" = 1 ] || fail "ppp-disconnect again on removal"
finish
