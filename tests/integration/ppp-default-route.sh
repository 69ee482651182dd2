#!/bin/bash
# Purpose: the example hook contrib/ppp/ppp-default-route, installed in
# hooks_dir, against the PPP double (tunppp) next to a veth uplink with two
# default routes (metric 0 and 500): ppp-connect makes ppp0 the default with
# the hook's METRIC, removing (and saving under STATE_DIR) only the defaults
# with a metric <= METRIC; ppp-disconnect restores exactly the routes there
# were; with METRIC=100 the metric-0 route is replaced too; a daemon restart
# while connected (startup ppp-connect) keeps the first saved state.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config
cat >>"$CONF" <<EOF

[rule record]
event = ppp-*
run = $T/record
EOF
HOOKFILE=$HOOKS/ppp-default-route
STATE=$T/state
sed -e "s|^STATE_DIR=/run/ifhookd/ppp-default-route |STATE_DIR=$STATE |" \
	"$TOP/contrib/ppp/ppp-default-route" >"$HOOKFILE"
chmod 755 "$HOOKFILE"
grep -q "^STATE_DIR=$STATE " "$HOOKFILE" || fail "could not set STATE_DIR in the copy"

veth_pair e0 e1
ip link set e0 up
ip link set e1 up
ip addr add 198.51.100.1/24 dev e0
ip route add default via 198.51.100.254 dev e0 proto static
ip route add default via 198.51.100.253 dev e0 metric 500
ORIG=$(printf '%s\n' "default via 198.51.100.254 dev e0 proto static" \
	"default via 198.51.100.253 dev e0 metric 500")

defaults() { ip -4 route show default | sed 's/ *$//' | sort; }
WANT=""
defaults_are_want() { [ "$(defaults)" = "$WANT" ]; }
# expect_defaults WHAT LINE...: the IPv4 default routes become exactly these.
expect_defaults() {
	local what=$1
	shift
	WANT=$(printf '%s\n' "$@" | sort)
	poll_until "$WAIT_TIMEOUT" defaults_are_want ||
		fail "$what: default routes are [$(defaults | paste -sd,)], want [$(echo "$WANT" | paste -sd,)]"
}
hook_done() { # hook_done N: the Nth run of the hook for a ppp-* event ended
	[ "$(grep -cE "hook $HOOKFILE\[[0-9]+\] exited with status 0 .* event=ppp-" "$LOG")" -ge "$1" ]
}

start_daemon
expect_defaults "before" "default via 198.51.100.254 dev e0 proto static" \
	"default via 198.51.100.253 dev e0 metric 500"

# --- METRIC=0: the metric-0 default is replaced, the metric-500 one stays ---
tunppp_start ppp0
ip link set ppp0 up
ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
wait_event ppp-connect ppp0 >/dev/null
expect_defaults "after ppp-connect (METRIC=0)" "default dev ppp0 scope link" \
	"default via 198.51.100.253 dev e0 metric 500"
[ "$(cat "$STATE/ppp0")" = "default via 198.51.100.254 dev e0 proto static" ] ||
	fail "saved state is '$(cat "$STATE/ppp0")'"
grep -qF "]: ppp-default-route: ppp0: default route via ppp0, metric 0, table main" "$LOG" ||
	fail "the hook did not log the new default route"
tunppp_stop
wait_event ppp-disconnect ppp0 >/dev/null
expect_defaults "after ppp-disconnect (METRIC=0)" "$ORIG"
poll_until 5 test ! -e "$STATE/ppp0" || fail "state file left after ppp-disconnect"

# --- METRIC=100: every default with a metric <= 100 goes, and comes back ---
sed -i 's/^METRIC=0 /METRIC=100 /' "$HOOKFILE"
tunppp_start ppp0
ip link set ppp0 up
ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
wait_event ppp-connect ppp0 2 >/dev/null
expect_defaults "after ppp-connect (METRIC=100)" "default dev ppp0 scope link metric 100" \
	"default via 198.51.100.253 dev e0 metric 500"

# The daemon restarts while connected: its startup ppp-connect runs the hook
# again, which keeps the routes it saved the first time.
saved=$(cat "$STATE/ppp0")
stop_daemon
sed -i 's/^startup_events = no/startup_events = yes/' "$CONF"
start_daemon
poll_until "$WAIT_TIMEOUT" hook_done 1 || fail "the hook did not run for the startup ppp-connect"
grep -q 'ppp-default-route.*event=ppp-connect iface=ppp0' "$LOG" || fail "not run for ppp-connect"
[ "$(cat "$STATE/ppp0")" = "$saved" ] || fail "restart changed the saved routes to '$(cat "$STATE/ppp0")'"
expect_defaults "after a restart (METRIC=100)" "default dev ppp0 scope link metric 100" \
	"default via 198.51.100.253 dev e0 metric 500"
tunppp_stop
expect_defaults "after ppp-disconnect (METRIC=100)" "$ORIG"
poll_until 5 test ! -e "$STATE/ppp0" || fail "state file left after ppp-disconnect"
grep -qF "]: ppp-default-route: ppp0: restored default via 198.51.100.254 dev e0 proto static" \
	"$LOG" || fail "the hook did not log the restored route"
finish
