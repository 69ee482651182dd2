#!/bin/bash
# Purpose: a hook's output beyond 64 KiB is read and discarded, with one log
# line "hook NAME[PID]: more than 64 KiB of output; discarding the rest": a
# hook printing 8 MiB of lines, and one printing a 4 MiB line without newline,
# both finish normally, the log gets about 64 KiB from each, the daemon's peak
# RSS does not grow, and the next hook's output is logged again.
. "$(dirname "$0")/../lib.sh"
setup "$@"
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null

NO_RECORD_RULE=1 write_config
cat >"$T/loud" <<HOOK
#!/bin/sh
yes 'a line of output from a loud hook, filling the log' | head -c 8388608
echo 'loud: last line' >&2
echo done >'$T/loud.done'
HOOK
cat >"$T/longline" <<HOOK
#!/bin/sh
head -c 4194304 /dev/zero | tr '\\0' x
echo done >'$T/longline.done'
HOOK
cat >"$T/quiet" <<HOOK
#!/bin/sh
echo "quiet hook says hello on \$IFACE"
HOOK
chmod 755 "$T/loud" "$T/longline" "$T/quiet"
cat >>"$CONF" <<CONF

[rule loud]
event = link-added
interface = oc0
run = $T/loud

[rule longline]
event = link-added
interface = oc1
run = $T/longline

[rule quiet]
event = link-added
interface = oc*
run = $T/quiet
CONF
start_daemon
kb() { sed -n "s/^$1:[[:space:]]*\\([0-9]*\\) kB/\\1/p" "/proc/$DAEMON_PID/status"; }
hwm0=$(kb VmHWM)

veth_pair oc0 poc0
veth_pair oc1 poc1
for n in loud longline; do
	wait_for . "$T/$n.done" 10 || fail "the $n hook did not finish"
	wait_for "^ifhookd: hook rule $n\\[[0-9]+\\] exited with status 0 hook=" "$LOG" 5 ||
		fail "the $n hook did not exit with status 0"
	c=$(grep -c "^ifhookd: hook rule $n\\[[0-9]*\\]: more than 64 KiB of output; discarding the rest hook=" "$LOG")
	[ "$c" = 1 ] || fail "$c 'more than 64 KiB of output' lines for the $n hook, want 1"
	bytes=$(grep "^ifhookd: rule $n\\[[0-9]*\\]: " "$LOG" | sed "s/^ifhookd: rule $n\\[[0-9]*\\]: //" | wc -c)
	[ "$bytes" -ge 60000 ] || fail "only $bytes bytes of the $n hook's output logged (want ~64 KiB)"
	[ "$bytes" -le 70000 ] || fail "$bytes bytes of the $n hook's output logged (cap 64 KiB)"
	info "$n hook: $bytes bytes of output logged, the rest discarded"
done
grep -q 'loud: last line' "$LOG" && fail "output after the cap was logged"
# Each hook has its own cap: the quiet hooks after them are logged.
wait_for_fixed 'quiet hook says hello on oc0' "$LOG" || fail "the next hook's output (oc0) was not logged"
wait_for_fixed 'quiet hook says hello on oc1' "$LOG" || fail "the next hook's output (oc1) was not logged"
hwm=$(kb VmHWM)
info "daemon peak RSS: $hwm0 kB before, $hwm kB after 12 MiB of hook output"
[ "$hwm" -le $((hwm0 + 512)) ] || fail "peak RSS grew from $hwm0 kB to $hwm kB"
[ "$(wc -c <"$LOG")" -lt 300000 ] || fail "the log grew to $(wc -c <"$LOG") bytes"
finish
