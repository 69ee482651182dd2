#!/bin/bash
# Purpose: on SIGTERM the daemon takes no more events, lets a running hook
# finish (within its timeout), kills a hook that outlives it, and exits 0
# after logging "exiting".
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config timeout=3
printf '#!/bin/sh\nsleep 1\necho done >%s/slow.done\n' "$T" >"$T/slow"
printf '#!/bin/sh\necho $$ >%s/hang.pid\nexec sleep 1000\n' "$T" >"$T/hang"
chmod 755 "$T/slow" "$T/hang"
cat >>"$CONF" <<CONF

[rule slow]
event = link-added
interface = sd0
run = $T/slow
CONF
start_daemon
veth_pair sd0 sd1
wait_for_fixed 'hook rule slow[' "$LOG" || fail "slow hook did not start"
stop_daemon 10
[ "$DAEMON_RC" = 0 ] || fail "exit status $DAEMON_RC after SIGTERM"
[ -f "$T/slow.done" ] || fail "the running hook was not allowed to finish"
grep -q '^ifhookd: exiting' "$LOG" || fail "no 'exiting' line"

# A hook that never ends: killed at its timeout, the daemon still exits 0.
cat >>"$CONF" <<CONF

[rule hang]
event = link-added
interface = sd2
run = $T/hang
CONF
start_daemon
veth_pair sd2 sd3
wait_for . "$T/hang.pid" || fail "hang hook did not start"
t0=$(now_us)
stop_daemon 15
t=$((($(now_us) - t0) / 1000))
[ "$DAEMON_RC" = 0 ] || fail "exit status $DAEMON_RC after SIGTERM with a hung hook"
pid_alive "$(cat "$T/hang.pid")" && fail "the hung hook outlived the daemon"
[ "$t" -le 9000 ] || fail "took $t ms to exit (timeout 3 s + 5 s grace at most)"
info "exited $t ms after SIGTERM with a hung hook"
echo "PASS: $TEST_NAME"
