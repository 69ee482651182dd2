#!/bin/bash
# Purpose: address and route events requested by a process inside a running
# hook's session carry CAUSED_BY_HOOK=1 (the kernel's message names the
# requester's netlink port id, its pid); the same kinds of change made from
# outside any hook, at the same time, do not. The hook keeps its `ip` alive
# (ip -batch reading commands from a pipe) so the daemon reads the events
# while it still runs, which makes the test deterministic.
. "$(dirname "$0")/../lib.sh"
setup "$@"
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null

NO_RECORD_RULE=1 write_config
write_recorder "$T/record"
cat >"$T/changer" <<HOOK
#!/bin/sh
# Adds (link-up) or removes (link-down) an address and a route on lo, and
# keeps ip alive for 1 s after its commands.
case "\$EVENT" in
link-up) op=add ;;
link-down) op=del ;;
*) exit 0 ;;
esac
{
	echo "address \$op 198.51.100.9/32 dev lo"
	echo "route \$op 203.0.113.0/24 dev lo"
	sleep 1
} | ip -batch -
echo done >>'$T/changer.done'
HOOK
chmod 755 "$T/changer"
cat >>"$CONF" <<CONF

[rule changer]
event = link-up link-down
interface = cb0
run = $T/changer

[rule record]
event = address-* route-*
interface = lo
run = $T/record
CONF
start_daemon
veth_pair cb0 pcb0
ip link set pcb0 up

# The hook adds .9 and a route; meanwhile the test adds .10 and another route.
ip link set cb0 up
s=$(wait_event_with address-added lo ADDRESS 198.51.100.9)
expect_env "$s" CAUSED_BY_HOOK 1
s=$(wait_event_with route-added lo ROUTE_DST 203.0.113.0/24)
expect_env "$s" CAUSED_BY_HOOK 1
ip address add 198.51.100.10/32 dev lo
ip route add 192.0.2.0/24 dev lo
s=$(wait_event_with address-added lo ADDRESS 198.51.100.10)
env_of "$s" CAUSED_BY_HOOK >/dev/null && fail "address added by the test (not a hook) has CAUSED_BY_HOOK"
s=$(wait_event_with route-added lo ROUTE_DST 192.0.2.0/24)
env_of "$s" CAUSED_BY_HOOK >/dev/null && fail "route added by the test (not a hook) has CAUSED_BY_HOOK"
# The hook (which waits for its ip) was running all along: the test's
# changes were read while a hook ran, yet are not marked.
grep -q '^ifhookd: hook rule changer\[[0-9]*\] exited' "$LOG" &&
	fail "the changer hook had exited before the test's own changes were read"
wait_for . "$T/changer.done" 5 || fail "the changer hook did not finish"

# Removals too; and after every hook is gone, nothing is marked.
ip link set cb0 down
s=$(wait_event_with address-removed lo ADDRESS 198.51.100.9)
expect_env "$s" CAUSED_BY_HOOK 1
s=$(wait_event_with route-removed lo ROUTE_DST 203.0.113.0/24)
expect_env "$s" CAUSED_BY_HOOK 1
poll_until 5 eval '[ "$(grep -c . "$T/changer.done")" = 2 ]' || fail "the changer hook did not finish twice"
wait_for '^ifhookd: hook rule changer\[[0-9]+\] exited' "$LOG" || fail "no exit line"
sleep 0.2
ip address del 198.51.100.10/32 dev lo
s=$(wait_event_with address-removed lo ADDRESS 198.51.100.10)
env_of "$s" CAUSED_BY_HOOK >/dev/null && fail "address removed by the test has CAUSED_BY_HOOK"
# Link events never carry it.
for f in "$EVDIR"/*.env; do
	ev=$(tr '\0' '\n' <"$f" | sed -n 's/^EVENT=//p')
	case $ev in address-* | route-*) ;; *) fail "recorded a $ev event" ;; esac
done
info "CAUSED_BY_HOOK=1 on the hook's address and route add and remove; not on the test's own"
finish
