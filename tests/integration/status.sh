#!/bin/bash
# Purpose: `ifhookd status` (text and --json) over the daemon's unix socket
# (mode 0600): links with their state, a running hook with its pid and age,
# the queue depth of its interface, and the counters; a client that never
# sends its request, or a crowd of them, never stalls the daemon; a stale
# socket is replaced and the socket goes when the daemon exits.
. "$(dirname "$0")/../lib.sh"
setup "$@"
command -v python3 >/dev/null || skip "needs python3 (slow clients)"
command -v jq >/dev/null || skip "needs jq"
SOCK=$T/ifhookd.sock
write_config timeout=60
cat >>"$CONF" <<EOF

[rule slow]
event = link-up
interface = s0
run = /bin/sleep 30
args = none
EOF
# A stale socket from a daemon that died: replaced.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$SOCK"
start_daemon -S "$SOCK"
[ "$(stat -c '%F %a %U' "$SOCK")" = "socket 600 root" ] ||
	fail "socket is $(stat -c '%F %a %U' "$SOCK"), want a socket 600 root"

veth_pair s0 s1
ip link set s1 up
ip link set s0 up
wait_for 'hook rule slow\[[0-9]+\] started' "$LOG" || fail "the slow hook did not start"
pid=$(sed -n 's/.*hook rule slow\[\([0-9]*\)\] started.*/\1/p' "$LOG" | head -n 1)
# More events for s0 wait behind the running hook.
ip addr add 192.0.2.1/24 dev s0
ip addr add 192.0.2.2/24 dev s0
barrier
"$IFHOOKD" status -S "$SOCK" >"$T/st" 2>"$T/st.err" || fail "status: $(cat "$T/st.err")"
grep -q '^ifhookd [0-9.]*: pid=[0-9]* uptime=[0-9]*s$' "$T/st" || fail "header: $(head -n 1 "$T/st")"
grep -q "^link $(ifindex_of s0) s0: state=up operstate=up type=ether kind=veth mtu=1500 mac=$(mac_of s0) addresses=192.0.2.1/24,192.0.2.2/24\$" \
	"$T/st" || fail "no line for s0: $(grep '^link' "$T/st")"
grep -q "^hook rule slow: pid=$pid age=[0-9.]*s iface=s0 ifindex=$(ifindex_of s0)\$" "$T/st" ||
	fail "no running hook line: $(grep '^hook' "$T/st")"
grep -q "^queue s0: ifindex=$(ifindex_of s0) waiting=[1-9][0-9]* busy=yes\$" "$T/st" ||
	fail "no queue line for s0: $(grep '^queue' "$T/st")"
grep -q '^counters: events=[1-9][0-9]* hooks_run=[1-9][0-9]* hooks_failed=0 hooks_timed_out=0 ' "$T/st" ||
	fail "counters: $(grep '^counters' "$T/st")"

"$IFHOOKD" status --json -S "$SOCK" >"$T/st.json" || fail "status --json"
jq -e --argjson pid "$pid" '.hooks[0].pid == $pid and .hooks[0].name == "rule slow"
	and .hooks[0].age_ms >= 0 and (.links | map(select(.name == "s0"))[0].state == "up")
	and (.queues | map(select(.iface == "s0"))[0].waiting >= 1)
	and .counters.events >= 5 and .counters.enobufs_episodes == 0 and .counters.resyncs == 0' \
	"$T/st.json" >/dev/null || fail "status --json: $(cat "$T/st.json")"

# A client that connects and never asks is dropped after 2 s; meanwhile the
# daemon answers others at once.
python3 - "$SOCK" >"$T/slow" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
t = time.time()
data = s.recv(100)
print("closed after %.1f s with %d bytes" % (time.time() - t, len(data)))
PY
SLOW=$!
BG_PIDS+=("$SLOW")
sleep 0.2 # let it connect
start=$(now_us)
"$IFHOOKD" status -S "$SOCK" >/dev/null || fail "status with a silent client connected"
[ $(($(now_us) - start)) -lt 1000000 ] || fail "status took over 1 s with a silent client connected"
wait "$SLOW"
grep -q '^closed after [12]\.[0-9] s with 0 bytes$' "$T/slow" || fail "silent client: $(cat "$T/slow")"

# Sixteen silent clients fill every slot: the next is turned away at once
# (told it is busy), the daemon goes on, and once they are dropped status answers.
python3 - "$SOCK" >"$T/crowd" <<'PY' &
import socket, sys, time
socks = []
for i in range(16):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    socks.append(s)
print("connected", flush=True)
time.sleep(3)
PY
CROWD=$!
BG_PIDS+=("$CROWD")
wait_for_fixed connected "$T/crowd" || fail "the crowd of clients did not connect"
"$IFHOOKD" status -S "$SOCK" >/dev/null 2>"$T/full.err" && fail "a 17th client was served"
grep -q 'error: too many status clients at once' "$T/full.err" || fail "17th client: $(cat "$T/full.err")"
ip link add s9 type veth peer name s9p
wait_for_fixed 'ifhookd: event link-added iface=s9 ' "$LOG" || fail "the crowd stalled the daemon"
poll_until 5 "$IFHOOKD" status -S "$SOCK" >/dev/null 2>&1 || fail "status never answered after the crowd"
wait "$CROWD"

kill -TERM "$pid" # the slow hook
finish
