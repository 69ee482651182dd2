#!/bin/bash
# Purpose: an interface's queue is bounded. While a hook holds qb0, 5000
# distinct routes via qb0 each queue a hook: 4096 wait, the rest are dropped,
# counted and logged once ("hook queue for qb0 is full (4096 events): 1 events
# dropped"); the daemon's memory stays small; another interface's hooks still
# run; and on SIGTERM the waiting hooks are dropped, never started.
. "$(dirname "$0")/../lib.sh"
setup "$@"
N=5000

NO_RECORD_RULE=1 write_config
cat >"$T/hold" <<HOOK
#!/bin/sh
i=0
while [ ! -e '$T/release' ] && [ \$i -lt 200 ]; do
	sleep 0.05
	i=\$((i + 1))
done
HOOK
printf '#!/bin/sh\necho "$IFACE" >>%s/fast.ran\n' "$T" >"$T/fast"
chmod 755 "$T/hold" "$T/fast"
cat >>"$CONF" <<CONF

[rule hold]
event = link-up
interface = qb0
run = $T/hold

[rule fast]
event = route-added link-added
interface = qb0 other0
run = $T/fast
CONF
start_daemon
kb() { sed -n "s/^$1:[[:space:]]*\\([0-9]*\\) kB/\\1/p" "/proc/$DAEMON_PID/status"; }
hwm0=$(kb VmHWM)
veth_pair qb0 pqb0
ip link set pqb0 up
wait_for . "$T/fast.ran" || fail "no hook for qb0's link-added"
ip link set qb0 up
wait_for_fixed "hook rule hold[" "$LOG" || fail "the holding hook did not start"
: >"$T/fast.ran"

for i in $(seq 1 "$N"); do
	printf 'route add 2001:db8:1::%x/128 dev qb0\n' "$i"
done >"$T/routes.batch"
ip -6 -batch "$T/routes.batch" || fail "ip -batch with $N routes failed"
_routes_logged() {
	[ "$(grep -c '^ifhookd: event route-added iface=qb0 ' "$LOG")" -ge "$N" ]
}
poll_until 10 _routes_logged || fail "the daemon did not log $N route-added events on qb0"
wait_for '^ifhookd: hook queue for qb0 is full \(4096 events\): 1 events dropped' "$LOG" ||
	fail "no 'hook queue for qb0 is full (4096 events): 1 events dropped' line"
c=$(grep -c '^ifhookd: hook queue for ' "$LOG")
[ "$c" = 1 ] || fail "$c 'hook queue ... is full' lines for one episode of < 10000 drops, want 1"

# Another interface is not held up by qb0's full queue.
veth_pair other0 pother0
wait_for '^other0$' "$T/fast.ran" 5 || fail "other0's hook did not run while qb0's queue was full"
grep -q '^qb0$' "$T/fast.ran" && fail "a hook queued behind qb0's running hook started"
hwm=$(kb VmHWM)
info "$N routes while qb0 is held: 4096 waiting, $((N - 4096)) or more dropped; VmHWM $hwm0 kB at ready, $hwm kB now"
[ "$hwm" -lt 16384 ] || fail "peak RSS $hwm kB with 4096 waiting events"

# SIGTERM: the 4096 waiting hooks are dropped; the held one finishes.
t0=$(now_us)
kill -TERM "$DAEMON_PID"
wait_for_fixed 'ifhookd: exiting on SIGTERM' "$LOG" || fail "no 'exiting on SIGTERM' line"
touch "$T/release"
stop_daemon 10
t=$((($(now_us) - t0) / 1000))
[ "$DAEMON_RC" = 0 ] || fail "exit status $DAEMON_RC after SIGTERM"
grep -q '^qb0$' "$T/fast.ran" && fail "waiting hooks were started after SIGTERM"
info "exited $t ms after SIGTERM, the 4096 waiting hooks dropped"
echo "PASS: $TEST_NAME"
