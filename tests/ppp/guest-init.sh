#!/bin/sh
# Purpose: /init of the real-PPP test guest (tests/ppp/test.sh packs it into the
# initramfs). Under busybox sh it mounts the pseudo file systems, loads the PPP
# modules, starts ifhookd with a hook that records every event, then runs three
# pppd sessions on ppp0 (the peer pppd in its own network namespace) and ends
# them three ways: SIGTERM to our pppd, SIGTERM to the peer, SIGKILL of the
# peer. Then, with a second daemon running the example hooks of contrib/ppp/
# (ppp-notify, ppp-default-route) and `args = pppd` rules, and pppd's own
# ip-up/ip-down recording too, a fourth session ended by SIGTERM after 1.2 s
# (examples phase). It prints what the hooks recorded, the daemons' logs and
# pppd's logs on the console as "@@..." lines for the host to check, then
# powers off. Every wait is bounded, and a watchdog powers off whatever happens.
# shellcheck shell=dash

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
/bin/busybox --install -s

WATCHDOG=90 # seconds for the whole scenario
WAIT=20     # seconds for any single wait
MONITOR=""  # iproute2's ip, if packed: it logs the kernel's messages too
# shellcheck source=/dev/null
[ -f /etc/ppp-test.conf ] && . /etc/ppp-test.conf

LIST=/tmp/events.list
DLOG=/tmp/daemon.log
XLOG=/tmp/daemon-examples.log # the examples phase's daemon
IPR=/usr/lib/ifhookd-test/ip  # iproute2's ip (busybox's prints routes otherwise)
FAILED=0
DAEMON=""

# Centiseconds since boot (/proc/uptime always has two decimals).
ticks() {
	local up s c
	read -r up _ </proc/uptime
	s=${up%.*}
	c=${up#*.}
	c=${c#0}
	echo $((s * 100 + c))
}

step() { echo "@@STEP $(cut -d' ' -f1 /proc/uptime) $*"; }
err() {
	echo "@@ERROR $*"
	FAILED=1
}

# wait_until SECONDS CMD [ARGS]: polls CMD every 0.05 s; 1 on timeout.
wait_until() {
	local end
	end=$(($(ticks) + $1 * 100))
	shift
	while ! "$@"; do
		[ "$(ticks)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# count EVENT IFACE: how many such events the hook recorded.
count() { grep -c "^[0-9]* $1 $2\$" "$LIST"; }
has() { [ "$(count "$1" "$2")" -ge "$3" ]; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
all_gone() {
	local p
	for p in "$@"; do
		gone "$p" || return 1
	done
}
# ll_adds: how many address-added events of an IPv6 link-local address (the
# one ppp0 gets with IPV6CP) the hook recorded.
ll_adds() {
	local f n=0
	for f in $(grep -l 'ADDRESS=fe80:' /tmp/ev/*.env 2>/dev/null); do
		grep -q 'EVENT=address-added' "$f" && n=$((n + 1))
	done
	echo "$n"
}
has_ll() { [ "$(ll_adds)" -ge "$1" ]; }
no_ppp0() { [ ! -e /sys/class/net/ppp0 ]; }
daemon_ready() { grep -q '^ifhookd: ready (' "$DLOG"; }
# idle: as many hooks ended as started, the same for 0.3 s. (Events whose
# hooks had not started when their opposite came are coalesced away: they are
# logged, never run; the host accounts for them.)
hook_counts() {
	echo "$(grep -c '] started (' "$DLOG") $(grep -cE '] (exited with status|killed by signal)' "$DLOG")"
}
idle() {
	local a b
	a=$(hook_counts)
	[ "${a% *}" = "${a#* }" ] || return 1
	sleep 0.3
	b=$(hook_counts)
	[ "$a" = "$b" ]
}

# dump: everything the host checks or shows, between markers.
dump() {
	local f seq
	echo "@@EVENTS-BEGIN"
	for f in /tmp/ev/*.env; do
		[ -f "$f" ] || continue
		seq=${f##*/}
		seq=${seq%.env}
		tr '\0' '\n' <"$f" | sed "s/^/@@ENV $seq /"
	done
	sed 's/^/@@LIST /' "$LIST"
	echo "@@EVENTS-END $(wc -l <"$LIST")"
	sed 's/^/@@LOG /' "$DLOG"
	[ -f /tmp/monitor.log ] && sed 's/^/@@MON /' /tmp/monitor.log
	for f in /tmp/pppd-*.log; do
		[ -f "$f" ] || continue
		seq=${f##*/}
		sed "s/^/@@PPP ${seq%.log} /" "$f"
	done
	# The examples phase: NAME.argv and NAME.env as "@@IPUP NAME.KIND VALUE"
	# lines, the default routes, the second daemon's log.
	for f in /tmp/ipup/*.argv /tmp/ipup/*.env; do
		[ -f "$f" ] || continue
		tr '\0' '\n' <"$f" | sed "s|^|@@IPUP ${f##*/} |"
	done
	for f in /tmp/routes.*; do
		[ -f "$f" ] || continue
		sed "s|^|@@ROUTES ${f#/tmp/routes.} |" "$f"
	done
	[ -f "$XLOG" ] && sed 's/^/@@XLOG /' "$XLOG"
}

finish() {
	if [ "$FAILED" = 0 ]; then
		echo "@@RESULT ok"
	else
		echo "@@RESULT fail"
	fi
	dump
	step "dumped"
	echo "@@END"
	sync
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
# Only emergencies on the console: kernel lines would break ours.
echo 1 >/proc/sys/kernel/printk
# The console may still hold the firmware's last line: start a fresh one.
printf '\n@@BOOT %s\n' "$(uname -r)"
step "init"
mkdir -p /tmp/ev
: >"$LIST"
: >"$DLOG"

(
	sleep "$WATCHDOG"
	echo "@@ERROR watchdog: the scenario took more than $WATCHDOG s"
	FAILED=1
	finish
) &

while read -r ko; do
	insmod "/modules/$ko" || err "insmod $ko failed"
done </modules/order
[ -c /dev/ppp ] || err "no /dev/ppp after insmod"
ip link set lo up
if [ -n "$MONITOR" ]; then
	"$MONITOR" -ts -o monitor link address route >/tmp/monitor.log 2>&1 &
fi

/usr/sbin/ifhookd -f -v -c /etc/ifhookd/ifhookd.conf </dev/null >/tmp/daemon.out 2>"$DLOG" &
DAEMON=$!
wait_until "$WAIT" daemon_ready || err "no 'ifhookd: ready' line within $WAIT s"
step "daemon ready"

# barrier N: an address on lo; once its event is recorded, the daemon has
# classified every earlier kernel message.
barrier() {
	ip addr add "198.51.100.$1/32" dev lo || err "barrier $1: ip addr add"
	wait_until "$WAIT" has address-added lo "$1" || err "barrier $1: not recorded within $WAIT s"
}

OUTER=""
PEER=""
# session N: starts the pppd pair and waits for ppp-connect and the IPv6
# link-local address (IPV6CP) of the Nth connection.
session() {
	start_pair "$1"
	wait_until "$WAIT" has ppp-connect ppp0 "$1" || err "session $1: no ppp-connect within $WAIT s"
	wait_until "$WAIT" has_ll "$1" ||
		err "session $1: no address-added of an IPv6 link-local address within $WAIT s"
	step "session $1: connected (outer $OUTER, peer $PEER)"
}

# start_pair N: the pppd pair of session N (OUTER, PEER: their pids).
start_pair() {
	rm -f /run/peer.pid
	pppd nodetach noauth local noccp nodefaultroute unit 0 linkname outer \
		logfile "/tmp/pppd-outer$1.log" 192.0.2.1:192.0.2.2 \
		pty "echo \$\$ >/run/peer.pid; exec unshare -n /usr/sbin/pppd notty nodetach noauth local noccp nodefaultroute unit 0 linkname peer logfile /tmp/pppd-peer$1.log 192.0.2.2:192.0.2.1" \
		</dev/null >/dev/null 2>&1 &
	OUTER=$!
	step "session $1: pppd $OUTER started"
	wait_until "$WAIT" test -s /run/peer.pid || err "session $1: the peer pppd did not start"
	PEER=$(cat /run/peer.pid 2>/dev/null)
}

# hangup N HOW: ends session N and waits for link-removed and both pppds.
hangup() {
	case $2 in
	term-ours) kill -TERM "$OUTER" ;;
	term-peer) kill -TERM "$PEER" ;;
	kill-peer) kill -KILL "$PEER" ;;
	esac
	step "session $1: $2 sent"
	wait_until "$WAIT" has link-removed ppp0 "$1" || err "session $1 ($2): no link-removed within $WAIT s"
	wait_until "$WAIT" all_gone "$OUTER" "$PEER" || err "session $1 ($2): pppd still running after $WAIT s"
	wait_until "$WAIT" no_ppp0 || err "session $1 ($2): ppp0 still exists after $WAIT s"
	step "session $1: disconnected"
}

# --- the examples phase (tests/ppp/test.sh: check_examples) ---

x_ready() { grep -q '^ifhookd: ready (' "$XLOG"; }
x_said() { grep -q "]: $1" "$XLOG"; }
recorded() { grep -qx "$1" /tmp/ipup/list 2>/dev/null; }
default_via_ppp0() { "$IPR" -4 route show default | grep -q ' dev ppp0 '; }
defaults_restored() { "$IPR" -4 route show default | cmp -s - /tmp/routes.before; }
x_hook_counts() {
	echo "$(grep -c '] started (' "$XLOG") $(grep -cE '] (exited with status|killed by signal)' "$XLOG")"
}
x_idle() {
	local a
	a=$(x_hook_counts)
	[ "${a% *}" = "${a#* }" ] || return 1
	sleep 0.3
	[ "$a" = "$(x_hook_counts)" ]
}

# examples: session 4 under the example hooks, pppd's ip-up and ip-down
# recording what pppd passes, two default routes on lo to replace and restore.
examples() {
	local xd
	"$IPR" route add default dev lo || err "examples: ip route add default dev lo"
	"$IPR" route add default dev lo metric 300 || err "examples: ip route add ... metric 300"
	"$IPR" -4 route show default >/tmp/routes.before
	if ! cp /etc/ppp/record /etc/ppp/ip-up || ! cp /etc/ppp/record /etc/ppp/ip-down; then
		err "examples: cannot install pppd's ip-up and ip-down"
	fi
	/usr/sbin/ifhookd -f -v -S none -c /etc/ifhookd/examples.conf </dev/null \
		>/tmp/daemon-examples.out 2>"$XLOG" &
	xd=$!
	wait_until "$WAIT" x_ready || err "examples: no 'ifhookd: ready' line within $WAIT s"
	step "examples: daemon ready"
	start_pair 4
	for r in ifhookd-ppp-connect pppd-ip-up-192.0.2.1; do
		wait_until "$WAIT" recorded "$r" || err "examples: $r not recorded within $WAIT s"
	done
	wait_until "$WAIT" default_via_ppp0 || err "examples: no default route via ppp0 within $WAIT s"
	wait_until "$WAIT" x_said "ppp-notify: ppp0 connected" || err "examples: no ppp-notify connect line"
	"$IPR" -4 route show default >/tmp/routes.connected
	step "examples: connected (outer $OUTER, peer $PEER)"
	sleep 1.2
	kill -TERM "$OUTER"
	for r in ifhookd-ppp-disconnect pppd-ip-down-192.0.2.1; do
		wait_until "$WAIT" recorded "$r" || err "examples: $r not recorded within $WAIT s"
	done
	wait_until "$WAIT" all_gone "$OUTER" "$PEER" || err "examples: pppd still running after $WAIT s"
	wait_until "$WAIT" no_ppp0 || err "examples: ppp0 still exists after $WAIT s"
	wait_until "$WAIT" defaults_restored || err "examples: default routes not restored within $WAIT s"
	wait_until "$WAIT" x_said "ppp-notify: ppp0 disconnected" || err "examples: no ppp-notify disconnect line"
	wait_until "$WAIT" x_idle || err "examples: hooks still running after $WAIT s"
	"$IPR" -4 route show default >/tmp/routes.after
	rm -f /etc/ppp/ip-up /etc/ppp/ip-down
	kill -TERM "$xd"
	wait_until "$WAIT" gone "$xd" || err "examples: ifhookd still running $WAIT s after SIGTERM"
	wait "$xd" || err "examples: ifhookd exited with status $?"
	step "examples: done"
}

# The barriers' numbers are the host's phase boundaries: 1 before session 1,
# then one after each connect (2, 4, 6) and each disconnect (3, 5, 7).
n=1
barrier $n
for how in term-ours term-peer kill-peer; do
	[ "$FAILED" = 0 ] || break
	s=$((n / 2 + 1))
	session "$s"
	n=$((n + 1))
	barrier $n
	hangup "$s" "$how"
	n=$((n + 1))
	barrier $n
done
wait_until "$WAIT" idle || err "hooks still running $WAIT s after the last barrier"
kill -0 "$DAEMON" 2>/dev/null || err "ifhookd died during the scenario"
kill -TERM "$DAEMON"
wait_until "$WAIT" gone "$DAEMON" || err "ifhookd still running $WAIT s after SIGTERM"
wait "$DAEMON"
rc=$?
[ "$rc" = 0 ] || err "ifhookd exited with status $rc after SIGTERM"
step "recording daemon done"
# shellcheck disable=SC2031 # the watchdog's subshell has its own FAILED
if [ "$FAILED" = 0 ]; then
	examples
fi
step "done"
finish
