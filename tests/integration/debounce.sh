#!/bin/bash
# Purpose: per-rule debounce. With delay = 1s, an up-down flap inside the delay
# runs that rule's hook for neither; an up that holds fires once, after the
# delay and not before. With delay_down only, link-up fires at once, link-down
# after the delay, and a down reverted inside the delay runs nothing (neither
# the down nor the rule's hook for the up that reverted it). `ifhookd -n`
# accepts the formats 2s, 1.5 and 250ms and rejects a bad one as path:line.
. "$(dirname "$0")/../lib.sh"
setup "$@"
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null

NO_RECORD_RULE=1 write_config
cat >"$T/rec" <<HOOK
#!/bin/sh
printf '%s %s %s %s\n' "\$RULE" "\$EVENT" "\$IFACE" "\$(date +%s%3N)" >>'$T/runs'
HOOK
chmod 755 "$T/rec"
: >"$T/runs"

# The formats first (no daemon needed).
cp "$CONF" "$T/formats.conf"
cat >>"$T/formats.conf" <<CONF

[rule f]
delay = 2s
delay_up = 1.5
delay_down = 250ms
run = $T/rec
CONF
out=$("$IFHOOKD" -n -c "$T/formats.conf" 2>&1) || fail "ifhookd -n rejects delay = 2s, delay_up = 1.5, delay_down = 250ms: $out"
printf '[rule g]\ndelay = soon\nrun = %s\n' "$T/rec" >>"$T/formats.conf"
line=$(grep -n 'delay = soon' "$T/formats.conf" | cut -d: -f1)
out=$("$IFHOOKD" -n -c "$T/formats.conf" 2>&1) && fail "ifhookd -n accepts delay = soon"
[[ $out == *"$T/formats.conf:$line: "*delay* ]] || fail "delay = soon not reported as $T/formats.conf:$line: ...; got: $out"

cat >>"$CONF" <<CONF

[rule both]
event = link-up link-down
interface = db0
delay = 1s
run = $T/rec

[rule down-only]
event = link-up link-down
interface = db1
delay_down = 0.8
run = $T/rec
CONF
start_daemon
for l in db0 db1; do
	veth_pair "$l" "p$l"
	ip link set "p$l" up
done

# runs_of IFACE: "EVENT EVENT ..." the hook ran for on IFACE.
runs_of() { awk -v i="$1" '$3 == i { print $2 }' "$T/runs" | tr '\n' ' ' | sed 's/ $//'; }
# run_time EVENT IFACE: when the (last) such run happened, in ms.
run_time() { awk -v e="$1" -v i="$2" '$2 == e && $3 == i { t = $4 } END { print t }' "$T/runs"; }
now_ms() { echo $(($(now_us) / 1000)); }
_logged_ge() { [ "$(log_event_count "$2" "$3")" -ge "$1" ]; }
logged() { poll_until 5 _logged_ge "$@" || fail "daemon did not log $2 on $3 $1 times"; }

# 1. db0 flaps inside its delay: nothing. db1 goes up: fires at once.
t_up1=$(now_ms)
ip link set db1 up
ip link set db0 up
sleep 0.1
ip link set db0 down
logged 1 link-down db0
wait_for ' link-up db1 ' "$T/runs" 2 || fail "down-only: link-up on db1 did not fire at once"
d=$(($(run_time link-up db1) - t_up1))
[ "$d" -lt 700 ] || fail "down-only: link-up on db1 fired $d ms after the change (it has no up delay)"
sleep 1.3
r=$(runs_of db0)
[ -z "$r" ] || fail "both: an up-down flap inside the delay ran: $r"
info "flap inside delay = 1s: no run; link-up without delay_up: after $d ms"

# 2. db0 up and holding: one run, after 1 s. db1 down and holding: one run,
# after 0.8 s.
t0=$(now_ms)
ip link set db0 up
ip link set db1 down
wait_for ' link-down db1 ' "$T/runs" 3 || fail "down-only: link-down on db1 never fired"
wait_for ' link-up db0 ' "$T/runs" 3 || fail "both: link-up on db0 never fired"
d0=$(($(run_time link-up db0) - t0))
d1=$(($(run_time link-down db1) - t0))
[ "$d0" -ge 1000 ] || fail "both: link-up fired $d0 ms after the change, before its 1 s delay"
[ "$d1" -ge 800 ] || fail "down-only: link-down fired $d1 ms after the change, before its 0.8 s delay"
[ "$d0" -lt 2500 ] || fail "both: link-up fired $d0 ms after the change (delay 1 s)"
[ "$d1" -lt 2300 ] || fail "down-only: link-down fired $d1 ms after the change (delay 0.8 s)"
sleep 0.3
[ "$(runs_of db0)" = link-up ] || fail "both: runs after a held up: $(runs_of db0)"
info "held states: link-up (delay 1s) after $d0 ms, link-down (delay_down 0.8) after $d1 ms"

# 3. db1: up (at once), then down reverted by up inside the delay_down:
# neither the down nor the reverting up runs.
: >"$T/runs"
ip link set db1 up
wait_for ' link-up db1 ' "$T/runs" 2 || fail "down-only: link-up on db1 did not fire at once"
ip link set db1 down
sleep 0.1
ip link set db1 up
logged 3 link-up db1
sleep 1.1
r=$(runs_of db1)
[ "$r" = link-up ] || fail "down-only: up, then down-up inside delay_down ran: $r (want only the first link-up)"
info "down reverted inside delay_down: no run for the down nor for the up that reverted it"
grep -q 'db0' "$T/runs" && fail "both: db0 ran again: $(runs_of db0)"
finish
