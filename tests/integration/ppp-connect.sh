#!/bin/bash
# Purpose: a PPP double (tun set to ARPHRD_PPP) gives exactly one ppp-connect
# (PPP_LOCAL, PPP_REMOTE, IFTYPE=ppp) after link-up and address-added, then
# ppp-disconnect with the last addresses and link-removed when the tun fd
# closes; a reconnect (new ifindex, same name) gives a new ppp-connect, also
# when the address comes before the link is up (pppd's order).
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

# --- connection 1: link up, then the address with its peer ---
tunppp_start ppp0
idx1=$(ifindex_of ppp0)
# (link-added may still say IFTYPE=none: tun registers the device before
# TUNSETLINK changes its type, which the kernel announces with a NEWLINK.)
s=$(wait_event link-added ppp0)
expect_env "$s" IFKIND tun
ip link set ppp0 up
up=$(wait_event link-up ppp0)
expect_env "$up" IFTYPE ppp
expect_env "$up" OPERSTATE unknown
ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
add=$(wait_event_with address-added ppp0 ADDRESS 192.0.2.1)
expect_env "$add" PEER 192.0.2.2
expect_env "$add" PREFIXLEN 32
con=$(wait_event ppp-connect ppp0)
expect_env "$con" PPP_IFACE ppp0
expect_env "$con" PPP_LOCAL 192.0.2.1
expect_env "$con" PPP_REMOTE 192.0.2.2
expect_env "$con" IFTYPE ppp
expect_env "$con" FAMILY inet
expect_env "$con" IFINDEX "$idx1"
expect_env "$con" LINK_STATE up
expect_before "$up" "$add" "link-up before address-added"
expect_before "$add" "$con" "address-added before ppp-connect"

# More addresses on the same connection: no second ppp-connect.
ip -6 addr add 2001:db8::1/64 dev ppp0 nodad
wait_event_with address-added ppp0 ADDRESS 2001:db8::1 >/dev/null
barrier
[ "$(log_event_count ppp-connect ppp0)" = 1 ] || fail "more than one ppp-connect for one connection"

# Closing the tun fd removes the device.
tunppp_stop
rm_s=$(wait_event link-removed ppp0)
dis=$(wait_event ppp-disconnect ppp0)
down=$(wait_event link-down ppp0)
expect_env "$dis" PPP_LOCAL 192.0.2.1
expect_env "$dis" PPP_REMOTE 192.0.2.2
expect_env "$dis" PPP_IFACE ppp0
expect_env "$dis" IFTYPE ppp
expect_env "$dis" IFINDEX "$idx1"
expect_before "$con" "$dis" "ppp-connect before ppp-disconnect"
expect_before "$dis" "$down" "ppp-disconnect before link-down"
expect_before "$down" "$rm_s" "link-down before link-removed"
a_rm=$(wait_event_with address-removed ppp0 ADDRESS 192.0.2.1)
expect_before "$a_rm" "$rm_s" "address-removed before link-removed"
expect_env "$rm_s" IFTYPE ppp
expect_word "$rm_s" IP4_ADDRS 192.0.2.1/32
[ "$(event_count ppp-disconnect ppp0)" = 1 ] || fail "more than one ppp-disconnect"

# --- connection 2: pppd's order: a peerless address, deleted, re-added with
# the peer, all before the link is up ---
tunppp_start ppp0
idx2=$(ifindex_of ppp0)
[ "$idx2" != "$idx1" ] || fail "the kernel reused ifindex $idx1 (test assumption)"
wait_event link-added ppp0 2 >/dev/null
log_mark
ip addr add 192.0.2.1/32 dev ppp0
ip addr del 192.0.2.1/32 dev ppp0
ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
barrier
if log_events_since_mark | grep -E 'event (address-added|address-removed|ppp-connect) iface=ppp0 '; then
	fail "address events on a PPP link that is not up yet"
fi
ip link set ppp0 up
con2=$(wait_event ppp-connect ppp0 2)
up2=$(wait_event link-up ppp0 2)
add2=$(wait_event_with address-added ppp0 ADDRESS 192.0.2.1 2)
expect_env "$add2" PEER 192.0.2.2
expect_env "$con2" IFINDEX "$idx2"
expect_env "$con2" PPP_LOCAL 192.0.2.1
expect_env "$con2" PPP_REMOTE 192.0.2.2
expect_before "$up2" "$add2" "link-up before address-added (connection 2)"
expect_before "$add2" "$con2" "address-added before ppp-connect (connection 2)"
tunppp_stop
dis2=$(wait_event ppp-disconnect ppp0 2)
expect_env "$dis2" IFINDEX "$idx2"
wait_event link-removed ppp0 2 >/dev/null
barrier
[ "$(log_event_count ppp-connect ppp0)" = 2 ] || fail "want exactly 2 ppp-connect in all"
[ "$(log_event_count ppp-disconnect ppp0)" = 2 ] || fail "want exactly 2 ppp-disconnect in all"
finish
