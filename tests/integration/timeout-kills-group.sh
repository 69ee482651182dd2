#!/bin/bash
# Purpose: a timed-out hook's whole process group dies: its background child
# with SIGTERM, and one that ignores SIGTERM with SIGKILL 5 s later.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config timeout=1
cat >"$T/spawner" <<HOOK
#!/bin/sh
sleep 1000 &
echo \$! >'$T/child1.pid'
(trap '' TERM; exec sleep 1001) &
echo \$! >'$T/child2.pid'
echo started >'$T/started'
wait
HOOK
chmod 755 "$T/spawner"
cat >>"$CONF" <<CONF

[rule spawner]
event = link-added
interface = k0
run = $T/spawner
CONF
start_daemon

veth_pair k0 k1
wait_for '^started$' "$T/started" || fail "hook did not start"
c1=$(cat "$T/child1.pid")
c2=$(cat "$T/child2.pid")
pid_alive "$c1" && pid_alive "$c2" || fail "background children not running"
wait_for 'ifhookd: hook rule spawner\[[0-9]+\] timed out after 1 s' "$LOG" 4 ||
	fail "no timeout logged for the hook"
poll_until 2 pid_gone "$c1" || fail "background child $c1 survived the timeout's SIGTERM"
pid_alive "$c2" || fail "the SIGTERM-ignoring child died at SIGTERM (test broken?)"
poll_until 8 pid_gone "$c2" || fail "SIGTERM-ignoring child $c2 not killed (SIGKILL to the group)"
info "both children killed"
finish
