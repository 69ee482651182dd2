#!/bin/bash
# Purpose: the hook contract: argv = [hook, IFACE, EVENT], an environment built
# from nothing (only documented variables, nothing inherited from the daemon),
# the fixed PATH, RULE, EVENT_SEQ increasing and matching the daemon's log, and
# the variables each kind of event must carry; per-interface event order.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

# Each step waits until the hook has run for the previous one: an event whose
# opposite arrives before its hook started is coalesced away (by design).
veth_pair e0 e1
ip link set e1 up
ip link set e0 up
wait_event link-up e0 >/dev/null
ip addr add 192.0.2.1/24 dev e0
wait_event_with address-added e0 ADDRESS 192.0.2.1 >/dev/null
ip -6 addr add 2001:db8:1::1/64 dev e0 nodad
wait_event_with address-added e0 ADDRESS 2001:db8:1::1 >/dev/null
ip route add 198.51.100.0/24 via 192.0.2.2
wait_event_with route-added e0 ROUTE_DST 198.51.100.0/24 >/dev/null
ip route replace 198.51.100.0/24 via 192.0.2.3
wait_event_with route-changed e0 ROUTE_DST 198.51.100.0/24 >/dev/null
ip route del 198.51.100.0/24
wait_event_with route-removed e0 ROUTE_DST 198.51.100.0/24 >/dev/null
ip addr del 192.0.2.1/24 dev e0
wait_event_with address-removed e0 ADDRESS 192.0.2.1 >/dev/null
ip link set e0 down
wait_event link-down e0 >/dev/null
ip link set e0 name e0r
ip link del e0r
wait_event link-removed e0r >/dev/null
wait_event link-removed e1 >/dev/null
barrier
wait_event link-added barp1 >/dev/null

# Hooks for one interface run one after another in event order: in the order
# the hook appended its lines, each interface's SEQs increase.
awk '{ if (($3 in last) && $1 + 0 <= last[$3]) { print "iface " $3 ": seq " $1 " ran after " last[$3]; bad = 1 }
	last[$3] = $1 + 0 } END { exit bad }' "$EVLIST" >&2 || fail "hooks of one interface ran out of event order"

common="EVENT IFACE IFINDEX EVENT_ORIGIN EVENT_SEQ RULE PATH"
link="LINK_STATE OPERSTATE IFKIND IFTYPE MTU MAC IP4_ADDRS IP6_ADDRS"
addr="ADDRESS PREFIXLEN FAMILY SCOPE PEER"
route="ROUTE_DST ROUTE_GATEWAY ROUTE_TABLE ROUTE_PROTO ROUTE_METRIC FAMILY"
ppp="PPP_IFACE PPP_LOCAL PPP_REMOTE FAMILY"
allowed=" $common $link $addr $route $ppp OLD_IFACE CONNECT_TIME "

seen_types=" "
prev=0
for s in $(sort -n "$EVLIST" | cut -d' ' -f1); do
	[ "$s" -gt "$prev" ] || fail "EVENT_SEQ not strictly increasing: $prev then $s"
	prev=$s
	ev=$(env_of "$s" EVENT) || fail "event $s without EVENT"
	seen_types="$seen_types$ev "
	ifc=$(env_of "$s" IFACE)
	# Nothing but documented variables; in particular nothing inherited.
	while IFS= read -r -d '' kv; do
		[[ $allowed == *" ${kv%%=*} "* ]] || fail "event $s ($ev): undocumented variable '${kv%%=*}'"
	done <"$(env_file "$s")"
	expect_env "$s" PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	expect_env "$s" RULE record
	expect_env "$s" EVENT_ORIGIN kernel
	expect_env_match "$s" IFINDEX '^[0-9]+$'
	# argv: the hook, IFACE, EVENT.
	mapfile -t argv < <(argv_of "$s")
	[ "${#argv[@]}" = 3 ] || fail "event $s ($ev): argc ${#argv[@]}, want 3: ${argv[*]}"
	[ "${argv[0]}" = "$T/record" ] || fail "event $s: argv[0]='${argv[0]}'"
	[ "${argv[1]}" = "$ifc" ] || fail "event $s: argv[1]='${argv[1]}', IFACE='$ifc'"
	[ "${argv[2]}" = "$ev" ] || fail "event $s: argv[2]='${argv[2]}', EVENT='$ev'"
	# The same seq, event and interface in the daemon's log.
	grep -qxF "ifhookd: event $ev iface=$ifc ifindex=$(env_of "$s" IFINDEX) origin=kernel seq=$s" "$LOG" ||
		fail "event $s ($ev $ifc) not logged with seq=$s"
	want="$common"
	case $ev in
	link-* | ppp-* | address-*) want="$want $link" ;;
	route-*) [ -n "$ifc" ] && want="$want $link" ;;
	esac
	case $ev in
	address-*) want="$want $addr" ;;
	route-*) want="$want $route" ;;
	ppp-*) want="$want $ppp" ;;
	link-renamed) want="$want OLD_IFACE" ;;
	esac
	for v in $want; do
		env_of "$s" "$v" >/dev/null || fail "event $s ($ev $ifc): $v missing"
	done
	case $ev in
	link-*) for v in $addr $route $ppp; do
		env_of "$s" "$v" >/dev/null && fail "event $s ($ev): $v set on a link event"
	done ;;
	esac
	if st=$(env_of "$s" LINK_STATE); then
		[[ $st =~ ^(up|down)$ ]] || fail "event $s: LINK_STATE='$st'"
	fi
done
for t in link-added link-up link-down link-removed link-renamed address-added \
	address-removed route-added route-changed route-removed; do
	[[ $seen_types == *" $t "* ]] || fail "the scenario produced no $t"
done

# Values on specific events.
s=$(wait_event link-up e0)
expect_env "$s" IFINDEX "$(grep -F 'event link-added iface=e0 ' "$LOG" | sed 's/.*ifindex=\([0-9]*\).*/\1/')"
expect_env "$s" IFKIND veth
expect_env "$s" IFTYPE ether
expect_env_match "$s" MAC '^([0-9a-f]{2}:){5}[0-9a-f]{2}$'
expect_env "$s" MTU 1500
expect_env "$s" OPERSTATE up
s=$(wait_event_with route-added e0 ROUTE_DST 198.51.100.0/24)
expect_env "$s" ROUTE_GATEWAY 192.0.2.2
expect_env "$s" ROUTE_TABLE main
expect_env "$s" FAMILY inet
s=$(wait_event_with address-added e0 ADDRESS 2001:db8:1::1)
expect_env "$s" FAMILY inet6
expect_env "$s" PREFIXLEN 64
s=$(wait_event link-renamed e0r)
expect_env "$s" OLD_IFACE e0
finish
