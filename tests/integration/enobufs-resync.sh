#!/bin/bash
# Purpose: a burst of hundreds of changes (ip -batch: links added, flapped and
# removed, ~200 IPv4 and some IPv6 addresses added and partly removed, default
# routes added, one of them lost with its link). First with the default
# receive buffer (8M): no overrun, and every change is absorbed. Then with
# rcvbuf = 1K: the burst overruns the buffer; the daemon logs each episode
# once and answers it with one resync (events with EVENT_ORIGIN=resync).
# Both times, the last event the hooks saw for every link, address and
# main-table route matches the kernel's final state. Prints, as info, the
# message rate, events per second absorbed and how long a resync took.
. "$(dirname "$0")/../lib.sh"
setup "$@"
command -v python3 >/dev/null || skip "needs python3"

# The final state must not depend on DAD timers.
no_dad

# A light recorder (one line per event, tab-separated): SEQ EVENT IFINDEX IFACE
# ORIGIN FAMILY ADDRESS PREFIXLEN ROUTE_DST ROUTE_TABLE ROUTE_METRIC ROUTE_GATEWAY.
cat >"$T/rec" <<HOOK
#!/bin/sh
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "\$EVENT_SEQ" "\$EVENT" "\$IFINDEX" \
	"\$IFACE" "\$EVENT_ORIGIN" "\$FAMILY" "\$ADDRESS" "\$PREFIXLEN" "\$ROUTE_DST" \
	"\$ROUTE_TABLE" "\$ROUTE_METRIC" "\$ROUTE_GATEWAY" >>"\$1"
HOOK
chmod 755 "$T/rec"

# The burst (-force: a command that fails does not stop the batch).
batch=$T/burst.batch
{
	for i in 0 1 2 3 4 5 6 7; do
		echo "link add e$i type veth peer name f$i"
	done
	for i in 0 1 2 3 4 5 6 7; do
		echo "link set e$i up"
		echo "link set f$i up"
	done
	# ~200 IPv4 addresses over e0..e7: /24s, so primaries and secondaries.
	for j in $(seq 1 200); do
		echo "address add 192.0.2.$j/24 dev e$((j % 8))"
	done
	for i in 0 1 2 3 4 5 6 7; do
		for k in 1 2 3 4 5 6; do
			echo "address add 2001:db8:$i::$k/64 dev e$i nodad"
		done
	done
	echo "route add default via 192.0.2.254 dev e0"
	echo "route add default via 192.0.2.253 dev e1 metric 100"
	echo "route add 203.0.113.0/24 via 192.0.2.252 dev e2"
	echo "route add default via 2001:db8:1::ff dev e1"
	# Flaps: e0 ends down (its default route is gone with it), e3 ends up;
	# each down flushes the link's IPv6 addresses.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		for i in 0 2 3 4; do
			echo "link set e$i down"
			echo "link set e$i up"
		done
	done
	echo "link set e0 down"
	# Every third IPv4 address removed (a primary takes its secondaries).
	for j in $(seq 3 3 200); do
		echo "address del 192.0.2.$j/24 dev e$((j % 8))"
	done
	for i in 1 3 5; do
		echo "address del 2001:db8:$i::2/64 dev e$i"
	done
	echo "link set f5 down"
	echo "link del e6"
	echo "link add g0 type veth peer name h0"
	echo "link set h0 up"
	echo "link set g0 up"
	echo "address add 198.51.100.1/24 dev g0"
	echo "link del g0"
	echo "link add g1 type veth peer name h1"
	echo "link set h1 up"
	echo "link set g1 up"
	echo "address add 198.51.100.2/24 dev g1"
	echo "route add default via 198.51.100.254 dev g1 metric 50"
	echo "link set g1 down"
	echo "link set g1 up"
} >"$batch"
ncmd=$(wc -l <"$batch")

# Wait until every hook has run: as many exit lines as start lines, for a while.
hooks_settled() {
	local s e
	s=$(grep -c '^ifhookd: hook rule rec\[[0-9]*\] started' "$LOG")
	e=$(grep -c '^ifhookd: hook rule rec\[[0-9]*\] exited with status 0' "$LOG")
	[ "$s" = "$e" ] || return 1
	sleep 0.3
	[ "$s" = "$(grep -c '^ifhookd: hook rule rec\[[0-9]*\] started' "$LOG")" ]
}

# check_final_state LIST: the last recorded event of every object against the
# kernel's state now.
check_final_state() {
	ip -j link show >"$T/k.link" || fail "ip -j link"
	ip -j address show >"$T/k.addr" || fail "ip -j address"
	ip -4 -j route show table main >"$T/k.route4" || fail "ip -4 -j route"
	ip -6 -j route show table main >"$T/k.route6" || fail "ip -6 -j route"
	python3 - "$1" "$T/k.link" "$T/k.addr" "$T/k.route4" "$T/k.route6" >"$T/check.out" 2>&1 <<'PY'
import ipaddress, json, sys

rec_path, link_path, addr_path, route4_path, route6_path = sys.argv[1:6]
last = {}  # object -> (seq, event, line)
for line in open(rec_path, encoding="utf-8", errors="replace"):
    f = line.rstrip("\n").split("\t")
    if len(f) != 12:
        print("bad record line:", repr(line)); sys.exit(1)
    seq, ev, ifindex, iface, origin, fam, addr, plen, dst, table, metric, gw = f
    seq = int(seq)
    if ev in ("link-added", "link-removed"):
        key = ("presence", ifindex)
    elif ev in ("link-up", "link-down"):
        key = ("up", ifindex)
    elif ev in ("address-added", "address-removed"):
        key = ("addr", ifindex, str(ipaddress.ip_address(addr)), int(plen))
    elif ev in ("route-added", "route-removed", "route-changed"):
        if table != "main":
            continue
        if dst == "default":
            net = ipaddress.ip_network("0.0.0.0/0" if fam == "inet" else "::/0")
        else:
            net = ipaddress.ip_network(dst, strict=False)
        g = str(ipaddress.ip_address(gw)) if gw else ""
        key = ("route", ifindex, str(net), int(metric or 0), g)
        if ev == "route-changed":
            ev = "route-added"
    else:
        continue
    if key not in last or last[key][0] < seq:
        last[key] = (seq, ev, line.strip())

links = json.load(open(link_path))
by_name = {l["ifname"]: str(l["ifindex"]) for l in links}
present = set()
want = {}  # object -> the event its current state implies
for l in links:
    idx = str(l["ifindex"])
    present.add(idx)
    want[("presence", idx)] = "link-added"
    up = "UP" in l.get("flags", []) and l.get("operstate") in ("UP", "UNKNOWN")
    want[("up", idx)] = "link-up" if up else "link-down"
for l in json.load(open(addr_path)):
    idx = str(l["ifindex"])
    for a in l.get("addr_info", []):
        if a.get("tentative") or a.get("dadfailed"):
            continue
        want[("addr", idx, str(ipaddress.ip_address(a["local"])), int(a["prefixlen"]))] = "address-added"
for path, v6 in ((route4_path, False), (route6_path, True)):
    for rt in json.load(open(path)):
        if rt.get("type", "unicast") != "unicast" or "nexthops" in rt or "dev" not in rt:
            continue
        dst = rt["dst"]
        if dst == "default":
            net = ipaddress.ip_network("::/0" if v6 else "0.0.0.0/0")
        else:
            net = ipaddress.ip_network(dst, strict=False)
        g = str(ipaddress.ip_address(rt["gateway"])) if rt.get("gateway") else ""
        want[("route", by_name[rt["dev"]], str(net), int(rt.get("metric", 0)), g)] = "route-added"

absent = {"presence": "link-removed", "up": "link-down", "addr": "address-removed", "route": "route-removed"}
seen_absent = set(absent.values()) | {None}
bad = []
counts = {}
for key in set(want) | set(last):
    got = last.get(key, (0, None, "(no event)"))
    w = want.get(key)
    counts[key[0]] = counts.get(key[0], 0) + 1
    if w is None:
        # Gone from the kernel: the hooks' last word must say so (or they
        # never heard of it).
        if got[1] not in seen_absent:
            bad.append("%s: gone from the kernel, last event %s" % (key, got[2]))
    elif got[1] != w and not (w == "link-down" and got[1] is None):
        bad.append("%s: kernel says %s, last event %s" % (key, w, got[2]))
for b in sorted(bad):
    print(b)
print("objects checked:", ", ".join("%s %d" % kv for kv in sorted(counts.items())))
sys.exit(1 if bad else 0)
PY

	[ "$?" = 0 ] || fail "the hooks' last events disagree with the kernel's final state:
$(cat "$T/check.out")"
	info "$(tail -n 1 "$T/check.out")"
}

# burst PHASE RCVBUF: a fresh daemon, the burst, the final state; sets
# nev nres novr resync_ms for the caller.
burst() {
	local phase=$1 rcvbuf=$2 list="$T/rec.$1.list" mon t0 t1 t2 batch_ms total_ms nmsg
	local rb resync_lines nresync
	: >"$list"
	NO_RECORD_RULE=1 write_config rcvbuf="$rcvbuf" startup_events=yes
	cat >>"$CONF" <<CONF

[rule rec]
run = $T/rec $list
args = none
CONF
	start_daemon
	rb=$(sed -n 's/^ifhookd: netlink receive buffer is \([0-9]*\) bytes.*/\1/p' "$LOG" | head -n 1)
	info "$phase: rcvbuf = $rcvbuf: the kernel gave ${rb:-?} bytes"

	# A witness with a large buffer counts the kernel's messages of the burst.
	ip -o monitor link address route >"$T/monitor.out" 2>&1 &
	mon=$!
	BG_PIDS+=("$mon")
	sleep 0.2
	t0=$(now_us)
	ip -force -batch "$batch" 2>"$T/batch.err"
	t1=$(now_us)
	batch_ms=$(((t1 - t0) / 1000))
	[ "$batch_ms" -gt 0 ] || batch_ms=1
	# One more change after everything: once the daemon logged it, the burst
	# is fully read (and any resync done).
	barrier
	t2=$(now_us)
	total_ms=$(((t2 - t0) / 1000))
	kill -TERM "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	nmsg=$(grep -cv -e 'bar[p]*[0-9]' -e 'No buffer' "$T/monitor.out")
	grep -q 'No buffer' "$T/monitor.out" && info "(ip monitor overran too: a lower bound)"
	nev=$(grep -c '^ifhookd: event ' "$LOG")
	nres=$(grep -c '^ifhookd: event .* origin=resync ' "$LOG")
	novr=$(grep -c '^ifhookd: netlink receive buffer overrun: events were lost ([0-9]* overruns); resyncing' "$LOG")
	resync_lines=$(grep -E '^ifhookd: resync [0-9]+ done in [0-9]+ ms \([0-9]+ links, [0-9]+ routes\)' "$LOG")
	nresync=$(printf '%s\n' "$resync_lines" | grep -c .)
	resync_ms=$(printf '%s\n' "$resync_lines" | sed -n 's/.* done in \([0-9]*\) ms.*/\1/p' | sort -n | tail -n 1)
	# Logged once per episode: each overrun line is answered by one resync.
	[ "$nresync" = "$novr" ] || fail "$phase: $nresync resync lines for $novr overrun lines"
	info "$phase: $ncmd changes ($(grep -c . "$T/batch.err") refused: addresses already gone" \
		"with their primary or their link's IPv6 flush), $nmsg kernel messages" \
		"in $batch_ms ms = $((nmsg * 1000 / batch_ms)) messages/s offered"
	# In sync when the barrier was seen (polled every 50 ms): lower bounds.
	info "$phase: $nev events ($nres from $nresync resyncs, longest ${resync_ms:-0} ms), in" \
		"sync $total_ms ms after the burst began: at least $((nev * 1000 / total_ms)) events/s" \
		"and $((nmsg * 1000 / total_ms)) kernel messages/s absorbed"
	poll_until 20 hooks_settled || fail "$phase: hooks still running 20 s after the burst"
	grep -q 'hook rule rec\[[0-9]*\] \(exited with status [1-9]\|killed\)' "$LOG" &&
		fail "$phase: a recording hook failed"
	info "$phase: $(wc -l <"$list") hook runs for $nev events (the rest coalesced)"
	check_final_state "$list"
	stop_daemon
	[ "$DAEMON_RC" = 0 ] || fail "$phase: daemon exited with status $DAEMON_RC after SIGTERM"
}

burst "8M" 8M
[ "$novr" = 0 ] || fail "overrun with the default 8M receive buffer"
for l in $(ip -o link show | sed -n 's/^[0-9]*: \([^:@]*\)[:@].*/\1/p'); do
	[ "$l" = lo ] || ip link del "$l" 2>/dev/null
done

burst "1K" 1K
[ "$novr" -gt 0 ] || fail "no 'netlink receive buffer overrun' line after $ncmd changes with rcvbuf = 1K"
[ "$nres" -gt 0 ] || fail "the resync emitted no event with EVENT_ORIGIN=resync"
echo "PASS: $TEST_NAME"
