#!/bin/bash
# Purpose: the daemon under valgrind (memcheck, full leak check) through a
# short scenario (startup events, links, addresses, routes, rename, PPP double,
# bridge port, hooks that fail or hang) exits 0 on SIGTERM with no memory
# errors and no leaks. Valgrind 3.19 (Debian 12) has no pidfd_open (ENOSYS),
# so hook exits are noticed through the SIGCHLD fallback there.
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || skip "needs valgrind"
setup "$@"
NO_RECORD_RULE=1 write_config startup_events=yes timeout=2
printf '#!/bin/sh\necho "failing on purpose for $IFACE"\nexit 3\n' >"$T/failing"
printf '#!/bin/sh\nexec sleep 1000\n' >"$T/hang"
chmod 755 "$T/failing" "$T/hang"
cat >>"$CONF" <<CONF

[rule record]
run = $T/record

[rule failing]
event = address-added
run = $T/failing

[rule hang]
event = link-added
interface = vg1
run = $T/hang
CONF
set_daemon_wrapper valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect,possible \
	--show-leak-kinds=definite,indirect,possible \
	--log-file="$T/valgrind.log"
veth_pair vs0 vs1
ip link set vs0 up
ip link set vs1 up
START_TIMEOUT=60 start_daemon

logged() { # EVENT IFACE: waits for the daemon's log line
	wait_for_fixed "ifhookd: event $1 iface=$2 ifindex=" "$LOG" 30 ||
		fail "daemon under valgrind did not log $1 on $2"
}
veth_pair vg0 vg1
ip link set vg1 up
ip link set vg0 up
ip addr add 192.0.2.1/24 dev vg0
ip -6 addr add 2001:db8:1::1/64 dev vg0 nodad
ip route add 198.51.100.0/24 via 192.0.2.2
ip route replace 198.51.100.0/24 via 192.0.2.3
ip route add default via 192.0.2.254
logged route-changed vg0
ip link add br0 type bridge
ip link set vs0 master br0
ip link set vs0 nomaster
tunppp_start ppp0
ip link set ppp0 up
ip addr add 203.0.113.1 peer 203.0.113.2 dev ppp0
logged ppp-connect ppp0
tunppp_stop
logged ppp-disconnect ppp0
logged link-removed ppp0
ip link set vg0 down
logged route-removed vg0
ip link set vg0 name vgx
logged link-renamed vgx
ip link del vgx
ip link del br0
logged link-removed br0

# Valgrind has no pidfd_open: hooks run through the SIGCHLD fallback here.
wait_for 'failing\[[0-9]+\] exited with status 3' "$LOG" 30 ||
	fail "the failing hook's status was not logged"
wait_for 'hang\[[0-9]+\] timed out' "$LOG" 30 || fail "hang hook did not time out"
wait_event link-removed br0 1 30 >/dev/null

stop_daemon 60
if [ "$DAEMON_RC" != 0 ] || grep -q '^==[0-9]*==' "$T/valgrind.log"; then
	cat "$T/valgrind.log" >&2
	fail "daemon under valgrind exited with status $DAEMON_RC (99 = valgrind found errors)"
fi
grep -q '^ifhookd: exiting' "$LOG" || fail "no 'ifhookd: exiting' line"
echo "PASS: $TEST_NAME"
