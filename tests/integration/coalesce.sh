#!/bin/bash
# Purpose: waiting events coalesce into the net change. While a link's hook
# runs, up-down-up gives no extra run (at most one down/up pair); down-up-down
# while its down hook runs starts no up hook for a link that is down again; an
# address added and removed meanwhile runs nothing. With the daemon stopped
# (SIGSTOP) during a burst, everything arrives in one batch: a link added,
# brought up, given an address and deleted runs no hook at all, and
# up-down-up of another link runs one link-up hook.
. "$(dirname "$0")/../lib.sh"
setup "$@"

# No IPv6 link-local addresses and routes coming and going with the links.
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null
NO_RECORD_RULE=1 write_config
# Records each run at its start; a link event's run then lasts until the
# test creates T/release (5 s at most), so "while the hook runs" is certain.
cat >"$T/hook" <<HOOK
#!/bin/sh
printf '%s %s %s %s\n' "\$EVENT_SEQ" "\$EVENT" "\$IFACE" "\$ADDRESS" >>'$T/runs'
case "\$EVENT" in
link-up|link-down)
	i=0
	while [ ! -e '$T/release' ] && [ \$i -lt 100 ]; do
		sleep 0.05
		i=\$((i + 1))
	done
	;;
esac
HOOK
touch "$T/release"
chmod 755 "$T/hook"
: >"$T/runs"
cat >>"$CONF" <<CONF

[rule all]
event = link-* address-*
interface = cl* cx*
run = $T/hook
CONF
start_daemon

# runs_of IFACE: the events the hook ran for on IFACE, in order, one line.
runs_of() { awk -v i="$1" '$3 == i { print $2 }' "$T/runs" | tr '\n' ' ' | sed 's/ $//'; }
started() { grep -c "^ifhookd: hook rule all\[[0-9]*\] started" "$LOG"; }
exited() { grep -c "^ifhookd: hook rule all\[[0-9]*\] exited" "$LOG"; }
idle() { [ "$(started)" = "$(exited)" ]; }
# settle: no hook running now nor 0.4 s later (a queued one starts as soon as
# the one before it exits).
settle() {
	poll_until 10 idle || fail "hooks still running"
	sleep 0.4
	poll_until 10 idle || fail "hooks still running"
}

# link NAME: a veth whose peer pNAME is up, so NAME is up once set up.
link() {
	ip link add "$1" type veth peer name "p$1" || fail "ip link add $1"
	ip link set "p$1" up
}
link cl0
wait_event_line() { wait_for "^[0-9]+ $1 $2 " "$T/runs" "${3:-5}" || fail "no $1 hook on $2"; }
wait_event_line link-added cl0
settle

# logged N EVENT IFACE: waits until the daemon has logged N such events (it
# read them while the hook was held).
_logged_ge() { [ "$(log_event_count "$2" "$3")" -ge "$1" ]; }
logged() {
	poll_until 5 _logged_ge "$@" || fail "daemon did not log $2 on $3 $1 times"
}
hold() { rm -f "$T/release"; }
release() { touch "$T/release"; }

# A: up, then down-up-down-up while the up hook runs: nothing more (the net
# change is none; the brief's bound is at most one extra down/up pair).
hold
ip link set cl0 up
wait_event_line link-up cl0
for s in down up down up; do
	ip link set cl0 "$s"
done
logged 3 link-up cl0
release
settle
r=$(runs_of cl0)
n=$(log_event_count link-down cl0)
[ "$n" = 2 ] || fail "A: daemon logged $n link-down events on cl0, want 2"
[ "$r" = "link-added link-up" ] || fail "A: up, then down-up-down-up while the up hook ran gave runs: $r"
info "A: up + (down up down up while busy) -> runs: $r"

# B: down, then up-down while the down hook runs: no up hook starts for a
# link already down again, and no second down.
: >"$T/runs"
hold
ip link set cl0 down
wait_event_line link-down cl0
ip link set cl0 up
ip link set cl0 down
logged 4 link-down cl0
release
settle
r=$(runs_of cl0)
[ "$r" = link-down ] || fail "B: down, then up-down while the down hook ran gave runs: $r"
info "B: down + (up down while busy) -> runs: $r"

# C: an address added and removed while the link's hook runs: nothing.
: >"$T/runs"
hold
ip link set cl0 up
wait_event_line link-up cl0
ip address add 192.0.2.7/32 dev cl0
ip address del 192.0.2.7/32 dev cl0
ip address add 192.0.2.8/32 dev cl0
logged 2 address-added cl0
release
settle
r=$(runs_of cl0)
[ "$(log_event_count address-added cl0)" = 2 ] || fail "C: address-added not logged twice"
[ "$r" = "link-up address-added" ] || fail "C: add+del of one address while busy, add of another: runs: $r"
grep -q ' address-added cl0 192.0.2.8$' "$T/runs" || fail "C: the address that stayed has no hook run"
info "C: up + (add .7, del .7, add .8 while busy) -> runs: $r"

# D: the daemon stopped while a link comes and goes and another flaps: one
# batch, coalesced before any hook can start.
: >"$T/runs"
kill -STOP "$DAEMON_PID"
link cx0
ip link set cx0 up
ip address add 192.0.2.9/24 dev cx0
ip link del cx0
link cx1
ip link set cx1 up
ip link set cx1 down
ip link set cx1 up
kill -CONT "$DAEMON_PID"
wait_for_fixed "ifhookd: event link-removed iface=cx0 " "$LOG" || fail "D: cx0's removal not logged"
wait_event_line link-up cx1
settle
r0=$(runs_of cx0)
r1=$(runs_of cx1)
[ -z "$r0" ] || fail "D: a link added and removed in one batch ran hooks: $r0"
[ "$r1" = "link-added link-up" ] || fail "D: added, up, down, up in one batch gave runs: $r1"
info "D: (cx0 added up addressed removed; cx1 added up down up) in one batch -> cx0: none, cx1: $r1"
finish
