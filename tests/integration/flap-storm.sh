#!/bin/bash
# Purpose: 10 000 admin down/up flaps of one veth (one ip -batch) while a slow
# hook (0.5 s) runs for its link events: waiting events coalesce, so the hook
# runs only a handful of times; its runs on each end alternate up, down, up...
# (no down hook without an up before it); the last event it saw matches each
# link's final state; and the daemon's peak RSS (VmHWM) stays small. Prints
# the flaps, events, hook runs and VmHWM as info.
. "$(dirname "$0")/../lib.sh"
setup "$@"
FLAPS=10000

NO_RECORD_RULE=1 write_config timeout=5
cat >"$T/slow" <<HOOK
#!/bin/sh
printf '%s %s %s\n' "\$EVENT_SEQ" "\$EVENT" "\$IFACE" >>'$T/runs'
sleep 0.5
HOOK
chmod 755 "$T/slow"
: >"$T/runs"
cat >>"$CONF" <<CONF

[rule slow]
event = link-up link-down
interface = st0 st1
run = $T/slow
CONF
# Wait for the hooks to settle: every started run has exited, for a while.
settled() {
	local s e
	s=$(grep -c '^ifhookd: hook rule slow\[[0-9]*\] started' "$LOG")
	e=$(grep -c '^ifhookd: hook rule slow\[[0-9]*\] exited' "$LOG")
	[ "$s" = "$e" ] || return 1
	sleep 0.7
	[ "$s" = "$(grep -c '^ifhookd: hook rule slow\[[0-9]*\] started' "$LOG")" ]
}

start_daemon
hwm0=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DAEMON_PID/status")
veth_pair st0 st1
ip link set st1 up
ip link set st0 up
poll_until 5 eval '[ "$(grep -c link-up "$T/runs")" = 2 ]' || fail "no link-up hook for st0 and st1"

poll_until 3 settled || fail "the first hooks did not finish"
for _ in $(seq "$FLAPS"); do
	echo "link set st0 down"
	echo "link set st0 up"
done >"$T/flaps.batch"
# st0 ends down: the last events are link-down on both ends.
echo "link set st0 down" >>"$T/flaps.batch"
t0=$(now_us)
ip -batch "$T/flaps.batch" || fail "ip -batch with $FLAPS flaps failed"
t1=$(now_us)
barrier
t2=$(now_us)
info "$FLAPS flaps in $(((t1 - t0) / 1000)) ms; daemon caught up $(((t2 - t1) / 1000)) ms later"

poll_until 15 settled || fail "hooks still running 15 s after the storm"
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DAEMON_PID/status")
rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DAEMON_PID/status")

nev=$(grep -c '^ifhookd: event link-\(up\|down\) iface=st[01] ' "$LOG")
runs=$(wc -l <"$T/runs")
ovr=$(grep -c '^ifhookd: netlink receive buffer overrun' "$LOG")
info "$FLAPS flaps: $nev link-up/link-down events on st0/st1, $runs hook runs" \
	"(overrun episodes: $ovr); peak RSS (VmHWM) $hwm kB (at ready: $hwm0 kB), RSS now $rss kB"
[ "$nev" -ge "$FLAPS" ] || [ "$ovr" -gt 0 ] ||
	fail "only $nev link events logged for $FLAPS flaps, and no overrun"
[ "$runs" -ge 4 ] || fail "the hook ran $runs times: want at least up and the final down on each end"
# Each end runs at most one 0.5 s hook at a time: during the storm, at most
# one run per 0.5 s, plus the last state, per end.
bound=$((2 * ((t2 - t0) / 500000 + 3)))
[ "$runs" -le "$bound" ] || fail "the hook ran $runs times for $FLAPS flaps (bound $bound): events did not coalesce"
[ "$hwm" -lt 8192 ] || fail "peak RSS $hwm kB during the storm (limit 8 MiB)"

# Per link: the runs alternate, starting with link-up, and the last one
# matches the final state.
for l in st0 st1; do
	seqs=$(awk -v l="$l" '$3 == l { print $2 }' "$T/runs" | tr '\n' ' ')
	prev=link-down
	for e in $seqs; do
		[ "$e" != "$prev" ] || fail "$l: two $e hooks in a row (runs: $seqs)"
		prev=$e
	done
	[ "$prev" = link-down ] || fail "$l ends down, but the last hook run was $prev (runs: $seqs)"
	ip -o link show dev "$l" | grep -q 'state DOWN\|state LOWERLAYERDOWN' ||
		fail "$l is not down at the end"
done
finish
