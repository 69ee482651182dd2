#!/bin/bash
# Purpose: where and how the daemon logs. Under systemd (JOURNAL_STREAM naming
# the very file that is stderr) every stderr line starts with its "<N>"
# priority, as journald expects; with JOURNAL_STREAM naming something else, or
# only INVOCATION_ID set, there are no prefixes. With log = syslog the lines go
# to /dev/log with ident ifhookd[PID] and the facility of log_facility (a
# private mount namespace puts a python3 receiver at /dev/log).
. "$(dirname "$0")/../lib.sh"
setup "$@"

# run_until_ready LOGFILE ENV...: the daemon in the foreground with -v and the
# given environment, stderr to LOGFILE, until its ready line; then SIGTERM.
run_until_ready() {
	local log=$1 pid
	shift
	env "$@" "$IFHOOKD" -f -v -c "$CONF" </dev/null 2>"$log" &
	pid=$!
	DAEMON_PID=$pid
	wait_for 'ifhookd: ready \(' "$log" || fail "no ready line in $log: $(cat "$log")"
	kill -TERM "$pid"
	poll_until 5 pid_gone "$pid" || fail "daemon did not stop"
	wait "$pid" || fail "daemon exited with status $?"
	# shellcheck disable=SC2034 # lib.sh's cleanup reads it
	DAEMON_PID=""
}

# startup_events: lo's link-added is logged at debug level (-v) before ready.
NO_RECORD_RULE=1 write_config startup_events=yes
J=$T/journal.err
: >"$J"
stream=$(stat -c '%d:%i' "$J")
run_until_ready "$J" JOURNAL_STREAM="$stream" NOTIFY_SOCKET=relative
grep -q '^<6>ifhookd: ready (' "$J" || fail "no '<6>' before the ready line: $(head -n 5 "$J")"
grep -q '^<4>ifhookd: NOTIFY_SOCKET: not an absolute path' "$J" || fail "no '<4>' before a warning"
grep -q '^<7>ifhookd: event link-added iface=lo ' "$J" || fail "no '<7>' before a -v (debug) line"
grep -q '^<6>ifhookd: exiting' "$J" || fail "no '<6>' before the exiting line"
bad=$(grep -v '^<[0-7]>ifhookd: ' "$J")
[ -z "$bad" ] || fail "lines without a priority prefix under JOURNAL_STREAM: $bad"

for envs in "JOURNAL_STREAM=1:1" "INVOCATION_ID=0123456789abcdef0123456789abcdef" "JOURNAL_STREAM=$stream-x"; do
	: >"$T/plain.err"
	run_until_ready "$T/plain.err" "$envs"
	grep -q '^<' "$T/plain.err" && fail "priority prefixes with only $envs: $(head -n 3 "$T/plain.err")"
done
info "JOURNAL_STREAM=$stream: <4> <6> <7> prefixes; none with a foreign JOURNAL_STREAM or INVOCATION_ID alone"

# ---- syslog: ident, LOG_PID and facility ----
command -v python3 >/dev/null || skip "needs python3 (the fake /dev/log)"
unshare -m true 2>/dev/null || skip "cannot create a mount namespace (unshare -m)"
mkdir "$T/dev"
: >"$T/dev/null"
python3 - "$T/dev/log" "$T/syslog.out" <<'EOF' &
# Purpose: fake syslog daemon: records each datagram sent to /dev/log.
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".bound", "w").close()
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(8192).decode("utf-8", "replace").rstrip("\n") + "\n")
        f.flush()
EOF
BG_PIDS+=("$!")
poll_until 5 test -e "$T/syslog.out.bound" || fail "fake syslog did not bind"
chmod 666 "$T/dev/log"
NO_RECORD_RULE=1 write_config startup_events=yes log=syslog log_facility=local3
# Without -f the daemon detaches and logs as configured; only in its own mount
# namespace is /dev the directory holding the fake log socket and /dev/null.
unshare -m --propagation private -- sh -c '
	mount --bind /dev/null "$1/dev/null" && mount --bind "$1/dev" /dev && exec "$2" -v -c "$3"
' sh "$T" "$IFHOOKD" "$CONF" 2>"$T/detached.err" || fail "detaching daemon failed: $(cat "$T/detached.err")"
# local3 = 19, info = 6: <158>
wait_for '^<158>.* ifhookd\[[0-9]+\]: ready \(' "$T/syslog.out" ||
	fail "no '<158>... ifhookd[PID]: ready' in syslog: $(cat "$T/syslog.out")"
grep -qE '^<159>.* ifhookd\[[0-9]+\]: event link-added iface=lo ' "$T/syslog.out" ||
	fail "no debug line (<159>) with -v in syslog"
pid=$(sed -n 's/.* ifhookd\[\([0-9]*\)\]: ready (.*/\1/p' "$T/syslog.out" | head -n 1)
pid_alive "$pid" || fail "detached daemon $pid not running"
DAEMON_PID=$pid
kill -TERM "$pid"
poll_until 5 pid_gone "$pid" || fail "detached daemon did not stop"
# shellcheck disable=SC2034 # lib.sh's cleanup reads it
DAEMON_PID=""
wait_for "^<158>.* ifhookd\\[$pid\\]: exiting" "$T/syslog.out" || fail "no exiting line in syslog"
[ ! -s "$T/detached.err" ] || fail "the detached daemon wrote to stderr: $(cat "$T/detached.err")"
info "syslog: $(grep -c . "$T/syslog.out") lines, facility local3, ident ifhookd[$pid]"
[ -n "${SHOW_LOG:-}" ] && cat "$T/syslog.out" "$J" >&2
echo "PASS: $TEST_NAME"
