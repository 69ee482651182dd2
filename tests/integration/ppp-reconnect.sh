#!/bin/bash
# Purpose: the example hook contrib/ppp/ppp-reconnect, installed in hooks_dir,
# against the PPP double (tunppp), with pon, poff and systemctl replaced by
# stubs (its PON, POFF and SYSTEMCTL settings) that record each call and, when
# told to, ask the test to bring ppp0 back:
# 1. after ppp-disconnect, attempts come after 0.3, 0.6, 1.2, 1.2 s (doubling,
#    capped by MAX_DELAY), each followed by CONNECT_WAIT; the 4th connects;
# 2. a connection shorter than STABLE_TIME keeps the backoff, a longer one
#    resets it;
# 3. `ppp-reconnect stop` (marker + poff) makes the next ppp-disconnect give
#    up; `start` (pon) brings it back; a stop while a loop waits ends the loop;
# 4. a pppd for the peer still running (persist) skips the attempt;
# 5. MAX_TRIES gives up; 6. METHOD=systemd uses systemctl start/restart.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config
cat >>"$CONF" <<EOF

[rule record]
event = ppp-*
run = $T/record
EOF
STATE=$T/state
RECONNECT_LOG=$T/reconnect.log
CALLS=$T/calls
HOOKFILE=$HOOKS/ppp-reconnect
sed -e "s|^METHOD=pon |METHOD=pon |" \
	-e "s|^PEER=provider |PEER=testpeer |" \
	-e "s|^UNIT=ppp@provider.service |UNIT=ppp@testpeer.service |" \
	-e "s|^FIRST_DELAY=5 |FIRST_DELAY=0.3 |" \
	-e "s|^MAX_DELAY=300 |MAX_DELAY=1.2 |" \
	-e "s|^CONNECT_WAIT=60 |CONNECT_WAIT=0.5 |" \
	-e "s|^STABLE_TIME=120 |STABLE_TIME=1 |" \
	-e "s|^EXIT_WAIT=5 |EXIT_WAIT=0.3 |" \
	-e "s|^STATE_DIR=/run/ifhookd/ppp-reconnect\$|STATE_DIR=$STATE|" \
	-e "s|^LOG=syslog |LOG=$RECONNECT_LOG |" \
	-e "s|^PON=/usr/bin/pon\$|PON=$T/pon|" \
	-e "s|^POFF=/usr/bin/poff\$|POFF=$T/poff|" \
	-e "s|^SYSTEMCTL=/bin/systemctl\$|SYSTEMCTL=$T/systemctl|" \
	"$TOP/contrib/ppp/ppp-reconnect" >"$HOOKFILE"
chmod 755 "$HOOKFILE"
[ "$(grep -cE "^(PEER=testpeer|FIRST_DELAY=0.3|MAX_DELAY=1.2|CONNECT_WAIT=0.5|STABLE_TIME=1|EXIT_WAIT=0.3) |^(STATE_DIR=$STATE|LOG=$RECONNECT_LOG |PON=$T/pon|POFF=$T/poff|SYSTEMCTL=$T/systemctl)" "$HOOKFILE")" = 11 ] ||
	fail "could not set the settings in the copy"

# The stubs: each call is a line "NAME ARGS... EPOCH_MS" in CALLS; in mode
# "connect", pon and systemctl start/restart leave a request for the test.
echo fail >"$T/mode"
for stub in pon poff systemctl; do
	cat >"$T/$stub" <<EOF
#!/bin/sh
echo "$stub \$* \$(date +%s%3N)" >>'$CALLS'
case "$stub \$1" in
"systemctl is-active") [ -e '$T/unit-active' ]; exit ;;
"pon "* | "systemctl start" | "systemctl restart")
	[ "\$(cat '$T/mode')" = connect ] && : >'$T/request' ;;
esac
exit 0
EOF
	chmod 755 "$T/$stub"
done
: >"$CALLS"
start_daemon

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
n_calls() { grep -c "^$1 " "$CALLS"; }
_has_calls() { [ "$(n_calls "$1")" -ge "$2" ]; }
# wait_calls NAME N [TIMEOUT]: the Nth call of NAME; prints its time (ms).
wait_calls() {
	poll_until "${3:-$WAIT_TIMEOUT}" _has_calls "$1" "$2" ||
		fail "no call $2 of $1 within ${3:-$WAIT_TIMEOUT} s; calls: $(paste -sd, "$CALLS"); log: $(cat "$RECONNECT_LOG" 2>/dev/null)"
	grep "^$1 " "$CALLS" | sed -n "$2p" | awk '{ print $NF }'
}
# gap WHAT FROM TO WANT_MS: TO - FROM is WANT_MS, give or take the time a
# hook and a poll take (-60 ms .. +700 ms).
gap() {
	local d=$(($3 - $2))
	if [ "$d" -lt $(($4 - 60)) ] || [ "$d" -gt $(($4 + 700)) ]; then
		fail "$1: $d ms, want about $4 ms; calls: $(paste -sd, "$CALLS"); log: $(cat "$RECONNECT_LOG")"
	fi
}
# no_more_calls NAME N SECONDS: still only N calls of NAME after SECONDS.
no_more_calls() {
	sleep "$3"
	[ "$(n_calls "$1")" = "$2" ] || fail "$1 called again: $(paste -sd, "$CALLS"); log: $(cat "$RECONNECT_LOG")"
}

CONNECTS=0
# connect: ppp0 up with its addresses, ppp-connect recorded and seen by the hook.
connect() {
	tunppp_start ppp0
	ip link set ppp0 up
	ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
	CONNECTS=$((CONNECTS + 1))
	wait_event ppp-connect ppp0 "$CONNECTS" >/dev/null
	poll_until "$WAIT_TIMEOUT" test -e "$STATE/ppp0.up" || fail "the hook did not record ppp-connect"
}
# serve: waits for a stub's request and connects.
serve() {
	poll_until "$WAIT_TIMEOUT" test -e "$T/request" ||
		fail "no connect request; calls: $(paste -sd, "$CALLS"); log: $(cat "$RECONNECT_LOG")"
	rm -f "$T/request"
	connect
}
DISCONNECTS=0
T0=0
# disconnect: ppp0 goes; T0 is the time (ms) just before.
disconnect() {
	T0=$(now_ms)
	tunppp_stop
	DISCONNECTS=$((DISCONNECTS + 1))
	wait_event ppp-disconnect ppp0 "$DISCONNECTS" >/dev/null
}
loop_gone() { ! pgrep -f "$HOOKFILE --loop" >/dev/null; }
admin() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$HOOKFILE" "$@"; }

# --- 1. backoff 0.3, 0.6, 1.2, then capped at 1.2; the 4th attempt connects ---
connect
disconnect
c1=$(wait_calls pon 1)
c2=$(wait_calls pon 2)
c3=$(wait_calls pon 3)
echo connect >"$T/mode"
c4=$(wait_calls pon 4)
serve
gap "ppp-disconnect to attempt 1" "$T0" "$c1" 300
gap "attempt 1 to 2 (0.5 wait + 0.6)" "$c1" "$c2" 1100
gap "attempt 2 to 3 (0.5 wait + 1.2)" "$c2" "$c3" 1700
gap "attempt 3 to 4 (0.5 wait + 1.2, capped)" "$c3" "$c4" 1700
grep -q "^pon testpeer " "$CALLS" || fail "pon was not called with the peer: $(head -n 1 "$CALLS")"
poll_until 5 loop_gone || fail "the loop did not end after the connection came back"
grep -qE "ppp0: (attempt 4: connected|the connection is back)" "$RECONNECT_LOG" || fail "log: $(cat "$RECONNECT_LOG")"
[ "$(cat "$STATE/ppp0.tries")" = 4 ] || fail "tries: $(cat "$STATE/ppp0.tries")"
[ "$(admin status)" = "ppp0: connected" ] || fail "status says '$(admin status)'"

# --- 2. a short connection keeps the backoff (attempt 5: 1.2 s) ---
disconnect
c5=$(wait_calls pon 5)
gap "short connection: ppp-disconnect to attempt 5" "$T0" "$c5" 1200
serve
sleep 1.2 # longer than STABLE_TIME: the backoff starts again
disconnect
c6=$(wait_calls pon 6)
gap "stable connection: ppp-disconnect to attempt 1" "$T0" "$c6" 300
serve
poll_until 5 loop_gone || fail "loop still running"

# --- 3. stopped on purpose ---
admin stop >/dev/null || fail "ppp-reconnect stop failed"
[ -e "$STATE/ppp0.stop" ] || fail "stop left no marker"
wait_calls poff 1 >/dev/null
grep -q "^poff testpeer " "$CALLS" || fail "poff not called with the peer"
disconnect
wait_for "ppp-reconnect: ppp0 was stopped on purpose \(.*ppp0.stop\): not reconnecting" "$LOG" ||
	fail "the hook did not say it gives up"
[ "$(admin status)" = "ppp0: stopped on purpose ($STATE/ppp0.stop)" ] || fail "status: $(admin status)"
no_more_calls pon 6 1.5
admin start >/dev/null || fail "ppp-reconnect start failed"
[ ! -e "$STATE/ppp0.stop" ] || fail "start left the marker"
wait_calls pon 7 >/dev/null
serve
# A stop while the loop waits: it gives up at its next check, without pon.
echo fail >"$T/mode"
disconnect
wait_calls pon 8 >/dev/null
admin stop >/dev/null
poll_until 3 loop_gone || fail "the waiting loop did not end after stop"
grep -q "ppp0: stopped on purpose (.*ppp0.stop); giving up" "$RECONNECT_LOG" || fail "log: $(cat "$RECONNECT_LOG")"
no_more_calls pon 8 1.5
echo connect >"$T/mode"
admin start >/dev/null
wait_calls pon 9 >/dev/null
serve

# --- 4. a pppd for the peer still running: no second one ---
# A stand-in: a program named pppd (cat, reading a FIFO that never ends)
# with pon's arguments.
mkfifo "$T/fake.fifo"
cp "$(command -v cat)" "$T/pppd"
"$T/pppd" - call testpeer <>"$T/fake.fifo" >/dev/null 2>&1 &
FAKE=$!
BG_PIDS+=("$FAKE")
fake_up() { [ "$(cat "/proc/$FAKE/comm")" = pppd ] && tr '\0' ' ' <"/proc/$FAKE/cmdline" | grep -q ' call testpeer $'; }
poll_until 3 fake_up || fail "fake pppd not running"
disconnect
wait_for "attempt 1 skipped: pppd for the connection is still running" "$RECONNECT_LOG" ||
	fail "no skipped attempt: $(cat "$RECONNECT_LOG")"
[ "$(n_calls pon)" = 9 ] || fail "pon called while pppd was running"
kill "$FAKE"
wait "$FAKE" 2>/dev/null
wait_calls pon 10 >/dev/null
serve

# --- 5. MAX_TRIES ---
sed -i 's/^MAX_TRIES=0 /MAX_TRIES=2 /' "$HOOKFILE"
echo fail >"$T/mode"
sleep 1.1 # stable: the count starts from 1
disconnect
wait_calls pon 12 >/dev/null
wait_for "ppp0: giving up after 2 attempts in a row" "$RECONNECT_LOG" 5 || fail "no give-up: $(cat "$RECONNECT_LOG")"
poll_until 3 loop_gone || fail "loop still running after giving up"
no_more_calls pon 12 1

# --- 6. METHOD=systemd ---
sed -i -e 's/^METHOD=pon /METHOD=systemd /' -e 's/^MAX_TRIES=2 /MAX_TRIES=0 /' "$HOOKFILE"
echo connect >"$T/mode"
admin start >/dev/null
wait_calls systemctl 1 >/dev/null
serve
disconnect
wait_calls systemctl 3 >/dev/null
serve
[ "$(grep '^systemctl ' "$CALLS" | awk '{ NF--; print }' | paste -sd,)" = \
	"systemctl start ppp@testpeer.service,systemctl is-active --quiet ppp@testpeer.service,systemctl restart ppp@testpeer.service" ] ||
	fail "systemctl calls: $(grep '^systemctl ' "$CALLS" | paste -sd,)"
[ "$(n_calls pon)" = 12 ] || fail "pon called with METHOD=systemd"
poll_until 5 loop_gone || fail "loop still running"
finish
