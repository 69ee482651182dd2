#!/bin/bash
# Purpose: a hook that never exits on one interface does not delay another
# interface's hooks; it is killed at the timeout (logged), and only then do the
# later hooks of its own interface run.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config timeout=3
cat >"$T/hang" <<HOOK
#!/bin/sh
echo started >'$T/hang.started'
exec sleep 1000
HOOK
chmod 755 "$T/hang"
cat >>"$CONF" <<CONF

[rule hang]
event = link-up
interface = hang0
run = $T/hang

[rule record]
run = $T/record
CONF
start_daemon

veth_pair hang0 hangp
veth_pair oth0 othp
ip link set hangp up
ip link set othp up
ip link set hang0 up
wait_for '^started$' "$T/hang.started" || fail "the hanging hook did not start"
t0=$(now_us)
ip link set oth0 up
wait_event link-up oth0 1 2.5 >/dev/null
t1=$(now_us)
grep -q 'timed out' "$LOG" && fail "other interface's hook ran only after the hung hook's timeout"
info "other interface's hook ran $(((t1 - t0) / 1000)) ms after its event"
wait_event link-up hangp 1 2.5 >/dev/null

# The hung hook times out: SIGTERM to its group, logged.
wait_for 'ifhookd: hook rule hang\[[0-9]+\] timed out after 3 s' "$LOG" 6 ||
	fail "no 'hook rule hang[PID] timed out after 3 s' line"
wait_for 'ifhookd: hook rule hang\[[0-9]+\] killed by signal 15 \(SIGTERM\)' "$LOG" 3 ||
	fail "no 'killed by signal 15 (SIGTERM)' line for the hung hook"
# hang0's own later hook (rule record, same event) runs after it.
s=$(wait_event link-up hang0 1 3)
expect_env "$s" RULE record
finish
