#!/bin/bash
# Purpose: background children a hook leaves behind with their output
# redirected (so no pipe ties them to the hook) are ended with their process
# group when the daemon stops: SIGTERM leaves no orphaned hook process.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config timeout=5
cat >"$T/spawner" <<HOOK
#!/bin/sh
sleep 1000 >/dev/null 2>&1 &
echo \$! >$T/child.pid
HOOK
chmod 755 "$T/spawner"
cat >>"$CONF" <<CONF

[rule spawner]
event = link-added
interface = or0
run = $T/spawner
CONF
start_daemon
veth_pair or0 or1
wait_for . "$T/child.pid" || fail "the hook did not start its child"
child=$(cat "$T/child.pid")
wait_for_fixed "hook rule spawner[" "$LOG" || fail "no hook start line"
# The hook itself has exited; its child lives on, detached from the pipe.
wait_for 'spawner\[[0-9]+\] exited with status 0' "$LOG" || fail "the hook did not exit"
pid_alive "$child" || fail "the background child died before the test could look"
stop_daemon 10
[ "$DAEMON_RC" = 0 ] || fail "exit status $DAEMON_RC after SIGTERM"
poll_until 5 pid_gone "$child" || fail "background child $child outlived the daemon"
echo "PASS: $TEST_NAME"
