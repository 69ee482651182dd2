#!/bin/bash
# Purpose: rules from the config file and rules.d/*.conf (byte order): event,
# interface (with !exclusions), kind, family, address, destination and table
# filters; run words with args = iface-event (default) and args = none; run
# relative to hooks_dir; several run lines; RULE = the rule's name.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
CALLS=$T/calls.list
: >"$CALLS"
# Appends "SEQ|RULE|ADDRESS|ROUTE_DST|ROUTE_TABLE|argv0|argv1|..." in one write.
cat >"$T/argrec" <<HOOK
#!/bin/sh
line="\$EVENT_SEQ|\$RULE|\${ADDRESS-}|\${ROUTE_DST-}|\${ROUTE_TABLE-}"
for a in "\$0" "\$@"; do line="\$line|\$a"; done
printf '%s\n' "\$line" >>'$CALLS'
HOOK
chmod 755 "$T/argrec"
mkdir "$HOOKS/helpers"
cp "$T/argrec" "$HOOKS/helpers/rel-hook"
cat >>"$CONF" <<CONF

[rule args-default]
event = link-added
interface = rl*
run = $T/argrec one two

[rule args-none]
event = link-added
interface = rl0
run = $T/argrec three
args = none

[rule relative]
event = link-up
interface = rl0
run = helpers/rel-hook rel

[rule globs]
event = link-* !link-added
interface = rl* !rl1*
kind = veth
run = $T/argrec globs

[rule two-runs]
event = link-renamed
run = $T/argrec first
run = $T/argrec second

[rule addr]
event = address-added
family = inet
address = 198.51.100.0/24
run = $T/argrec addr

[rule kind]
kind = bridge
run = $T/argrec kind

[rule family]
event = address-added
interface = rl0
family = inet6
run = $T/argrec family

[rule route]
event = route-*
destination = default
table = main
run = $T/argrec route
CONF
cat >"$RULES/20-second.conf" <<CONF
[rule from-20]
event = link-added
interface = rl0
run = $T/argrec from-20
CONF
cat >"$RULES/10-first.conf" <<CONF
; comments are fine here
[rule from-10]
event = link-added
interface = rl0
run = $T/argrec from-10
CONF
echo "[rule not-conf]" >"$RULES/30-ignored.txt"
start_daemon

calls() { # RULE: the lines for that rule, without the SEQ
	grep -F "|$1|" "$CALLS" | cut -d'|' -f2-
}
expect_calls() { # RULE WANT...: exactly these lines (any order: interfaces run in parallel)
	local rule=$1 got want
	shift
	got=$(calls "$rule" | LC_ALL=C sort)
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)
	[ "$got" = "$want" ] || fail "rule $rule ran as:
$got
want:
$want"
}

ip link add rl0 type veth peer name rl1
ip link add br9 type bridge
wait_event link-added rl0 >/dev/null
wait_event link-added br9 >/dev/null
ip link set rl1 up
ip link set rl0 up
ip link set br9 up
wait_event link-up rl0 >/dev/null
wait_event link-up rl1 >/dev/null
ip addr add 198.51.100.5/24 dev rl0
ip addr add 203.0.113.5/24 dev rl0
ip -6 addr add 2001:db8::5/64 dev rl0 nodad
ip route add default via 198.51.100.1
ip route add default via 198.51.100.1 table 100
ip route add 192.0.2.0/24 via 198.51.100.1
wait_event_with route-added rl0 ROUTE_DST 192.0.2.0/24 >/dev/null
ip link set rl1 down
ip link set rl1 name rl1x
# A later event on each interface: its hooks run after all earlier ones there.
ip link set rl0 down
wait_event link-down rl0 >/dev/null
wait_event link-renamed rl1x >/dev/null
wait_event link-up br9 >/dev/null

expect_calls args-default \
	"args-default||||$T/argrec|one|two|rl0|link-added" \
	"args-default||||$T/argrec|one|two|rl1|link-added"
expect_calls args-none "args-none||||$T/argrec|three"
expect_calls relative "relative||||$HOOKS/helpers/rel-hook|rel|rl0|link-up"
expect_calls globs \
	"globs||||$T/argrec|globs|rl0|link-up" \
	"globs||||$T/argrec|globs|rl0|link-down"
expect_calls two-runs \
	"two-runs||||$T/argrec|first|rl1x|link-renamed" \
	"two-runs||||$T/argrec|second|rl1x|link-renamed"
expect_calls addr "addr|198.51.100.5|||$T/argrec|addr|rl0|address-added"
# (the link going down at the end removes the default route: route-removed)
expect_calls route "route||default|main|$T/argrec|route|rl0|route-added" \
	"route||default|main|$T/argrec|route|rl0|route-removed"
expect_calls from-10 "from-10||||$T/argrec|from-10|rl0|link-added"
expect_calls from-20 "from-20||||$T/argrec|from-20|rl0|link-added"
[ "$(calls two-runs | cut -d'|' -f6 | tr '\n' ' ')" = "first second " ] ||
	fail "the run lines of rule two-runs did not run in order"
[ -n "$(calls kind)" ] || fail "rule kind (kind = bridge) never ran"
calls kind | grep -vF "|br9|" && fail "rule kind (kind = bridge) ran for another link"
calls family | grep -qF "|2001:db8::5|" || fail "rule family (inet6) did not run for 2001:db8::5"
calls family | cut -d'|' -f2 | grep -vF ':' && fail "rule family (inet6) ran for an IPv4 address"
[ -z "$(calls not-conf)" ] || fail "a rules.d file not named *.conf was read"

# Order for one event: rules in file order, rules.d files in byte order.
s=$(wait_event link-added rl0)
order=$(grep "^$s|" "$CALLS" | cut -d'|' -f2 | tr '\n' ' ')
[ "$order" = "args-default args-none from-10 from-20 " ] ||
	fail "rules for link-added rl0 ran in order '$order'"
s=$(wait_event link-up rl0)
expect_env "$s" RULE record
finish
