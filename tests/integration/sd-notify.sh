#!/bin/bash
# Purpose: readiness for systemd without libsystemd: with NOTIFY_SOCKET set
# (a path, then an '@' abstract name) the daemon sends READY=1 with a STATUS=
# once its initial dump is done, RELOADING=1 (with MONOTONIC_USEC=) then
# READY=1 around each SIGHUP reload, good or bad, and STOPPING=1 on SIGTERM;
# a bad NOTIFY_SOCKET is a warning, never fatal; hooks never see the variable.
# A python3 datagram receiver plays systemd.
. "$(dirname "$0")/../lib.sh"
setup "$@"
command -v python3 >/dev/null || skip "needs python3 (the fake NOTIFY_SOCKET receiver)"

# start_receiver ADDR OUT: one line in OUT per datagram, newlines as '|'.
start_receiver() {
	python3 - "$1" "$2" <<'EOF' &
# Purpose: fake service manager: records what arrives on NOTIFY_SOCKET.
import os, socket, sys
addr, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
open(out + ".bound", "w").close()
with open(out, "a") as f:
    while True:
        data = s.recv(4096)
        f.write(data.decode("utf-8", "replace").replace("\n", "|") + "\n")
        f.flush()
EOF
	BG_PIDS+=("$!")
	poll_until 5 test -e "$2.bound" || fail "receiver did not bind $1"
}

write_config
NOTES=$T/notify.log
start_receiver "$T/notify.sock" "$NOTES"
export NOTIFY_SOCKET=$T/notify.sock
start_daemon
unset NOTIFY_SOCKET
wait_for '^READY=1\|STATUS=running \([0-9]+ links, [0-9]+ addresses, [0-9]+ routes at start\)$' "$NOTES" ||
	fail "no READY=1 with STATUS= after the ready line; got: $(cat "$NOTES")"
[ "$(grep -c 'READY=1' "$NOTES")" = 1 ] || fail "more than one READY=1 at start: $(cat "$NOTES")"

# Hooks do not inherit NOTIFY_SOCKET (their environment is built from nothing).
veth_pair n0 n1
s=$(wait_event link-added n0)
env_of "$s" NOTIFY_SOCKET >/dev/null && fail "a hook got NOTIFY_SOCKET"

# A good reload, then a bad one: both end in READY=1.
kill -HUP "$DAEMON_PID"
wait_for '^READY=1\|STATUS=running; configuration reloaded \(1 rules\)$' "$NOTES" ||
	fail "no READY=1 after a good reload; got: $(cat "$NOTES")"
cp "$CONF" "$T/good.conf"
echo "bogus line" >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for '^READY=1\|STATUS=reload failed' "$NOTES" ||
	fail "no READY=1 after a failed reload; got: $(cat "$NOTES")"
cp "$T/good.conf" "$CONF"
n=$(grep -cE '^RELOADING=1\|MONOTONIC_USEC=[0-9]+\|STATUS=' "$NOTES")
[ "$n" = 2 ] || fail "$n RELOADING=1 messages with MONOTONIC_USEC= for 2 reloads; got: $(cat "$NOTES")"
order=$(cut -d'|' -f1 "$NOTES" | tr '\n' ' ')
[ "$order" = "READY=1 RELOADING=1 READY=1 RELOADING=1 READY=1 " ] ||
	fail "notifications in the wrong order: $order"

stop_daemon
[ "$DAEMON_RC" = 0 ] || fail "daemon exited with status $DAEMON_RC"
grep -q '^STOPPING=1|' "$NOTES" || fail "no STOPPING=1 on SIGTERM; got: $(cat "$NOTES")"
info "path socket: $(cut -d'|' -f1 "$NOTES" | tr '\n' ' ')"

# The abstract namespace: NOTIFY_SOCKET=@name.
ABS=$T/abstract.log
start_receiver "@ifhookd-test-$$" "$ABS"
: >"$LOG"
export NOTIFY_SOCKET=@ifhookd-test-$$
start_daemon
unset NOTIFY_SOCKET
wait_for '^READY=1\|STATUS=running' "$ABS" || fail "no READY=1 on an abstract socket; got: $(cat "$ABS")"
stop_daemon
grep -q '^STOPPING=1|' "$ABS" || fail "no STOPPING=1 on the abstract socket"

# A relative path is not a socket address: one warning, and the daemon runs.
: >"$LOG"
export NOTIFY_SOCKET=relative/path
start_daemon
unset NOTIFY_SOCKET
kill -HUP "$DAEMON_PID"
wait_for 'configuration reloaded' "$LOG" || fail "no reload with a bad NOTIFY_SOCKET"
n=$(grep -c 'NOTIFY_SOCKET: not an absolute path or @name; not notifying' "$LOG")
[ "$n" = 1 ] || fail "$n warnings about a bad NOTIFY_SOCKET, want 1"
info "abstract socket got READY=1 and STOPPING=1; a relative NOTIFY_SOCKET gave one warning"
finish
