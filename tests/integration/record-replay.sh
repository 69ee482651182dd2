#!/bin/bash
# Purpose: `ifhookd record` captures what the kernel sends while links,
# addresses, routes and a PPP double come and go; the capture is a pcap file
# that tcpdump reads (and rewrites byte for byte); `ifhookd replay --dry-run`
# of it prints exactly what `ifhookd monitor` printed live (text and JSON);
# replay without --dry-run runs the hooks with exactly those environments.
# With the kernel's nlmon device, a tcpdump capture replays too.
. "$(dirname "$0")/../lib.sh"
setup "$@"
command -v tcpdump >/dev/null || skip "needs tcpdump"
command -v python3 >/dev/null || skip "needs python3"
# A link-local address finishing DAD a second after its link came up could
# land between record's stop and monitor's, and the two would differ.
no_dad

bg() { # OUT ARGS...: ifhookd ARGS in the background, stdout to OUT, stderr to OUT.err
	local out=$1
	shift
	"$IFHOOKD" "$@" >"$out" 2>"$out.err" &
	BG_PIDS+=($!)
	LAST_BG=$!
}

bg "$T/mon.txt" monitor
bg "$T/mon.json" monitor --json
bg "$T/rec.out" record "$T/cap.pcap"
REC=$LAST_BG
wait_for_fixed 'ifhookd: recording to ' "$T/rec.out.err" || fail "record did not start: $(cat "$T/rec.out.err")"
wait_for_fixed 'ifhookd: monitoring (' "$T/mon.txt.err" || fail "monitor did not start"
wait_for_fixed 'ifhookd: monitoring (' "$T/mon.json.err" || fail "monitor --json did not start"

# Changes of every kind, each waited for so no process can miss one.
veth_pair r0 r1
ip link set r0 up
ip link set r1 up
ip addr add 192.0.2.1/24 dev r0
ip -6 addr add 2001:db8::1/64 dev r0 nodad
ip route add default via 192.0.2.254
ip link set r1 name 'r$(x)'
tunppp_start ppp0
ip link set ppp0 up
ip addr add 198.51.100.1 peer 198.51.100.2 dev ppp0
wait_for_fixed 'EVENT=ppp-connect IFACE=ppp0 ' "$T/mon.txt" || fail "monitor: no ppp-connect"
tunppp_stop
ip link set r0 down
ip link add rend type veth peer name rend2
wait_for_fixed 'EVENT=link-added IFACE=rend2 ' "$T/mon.txt" || fail "monitor: no link-added rend2"
wait_for_fixed '"EVENT":"link-added","IFACE":"rend2"' "$T/mon.json" || fail "monitor --json: no rend2"
kill -INT "$REC"
wait "$REC"
rc=$?
[ "$rc" = 0 ] || fail "record exited with $rc after SIGINT"
grep -q '^ifhookd: record: [0-9]* packets .* written to ' "$T/rec.out.err" ||
	fail "record did not say what it wrote: $(cat "$T/rec.out.err")"
packets=$(sed -n 's/^ifhookd: record: \([0-9]*\) packets.*/\1/p' "$T/rec.out.err")
[ "$(stat -c %a "$T/cap.pcap")" = 600 ] || fail "capture mode is $(stat -c %a "$T/cap.pcap"), want 600"

# tcpdump reads it as LINKTYPE_NETLINK, every packet, and libpcap writes the
# same bytes back: the format is exactly what it expects.
tcpdump -r "$T/cap.pcap" >"$T/tcpdump.txt" 2>"$T/tcpdump.err" || fail "tcpdump -r: $(cat "$T/tcpdump.err")"
grep -q 'link-type NETLINK' "$T/tcpdump.err" || fail "tcpdump: $(cat "$T/tcpdump.err")"
n=$(grep -c '^[0-9][0-9]:' "$T/tcpdump.txt")
[ "$n" = "$packets" ] || fail "tcpdump saw $n packets, record wrote $packets"
tcpdump -r "$T/cap.pcap" -w "$T/copy.pcap" 2>/dev/null || fail "tcpdump -w"
cmp -s "$T/cap.pcap" "$T/copy.pcap" || fail "libpcap rewrites the capture differently"
if command -v tshark >/dev/null; then
	tshark -r "$T/cap.pcap" 2>/dev/null | grep -q 'Netlink route' ||
		fail "tshark does not dissect the capture as rtnetlink"
fi

# Replayed, the capture gives what monitor printed live.
: >"$T/empty.conf"
"$IFHOOKD" replay "$T/cap.pcap" --dry-run -c "$T/empty.conf" >"$T/rep.txt" 2>"$T/rep.err" ||
	fail "replay: $(cat "$T/rep.err")"
diff "$T/mon.txt" "$T/rep.txt" >"$T/diff" || fail "replay differs from monitor: $(head -20 "$T/diff")"
"$IFHOOKD" replay "$T/cap.pcap" --json --dry-run -c "$T/empty.conf" >"$T/rep.json" 2>/dev/null
diff "$T/mon.json" "$T/rep.json" >"$T/diff" || fail "replay --json differs: $(head -20 "$T/diff")"
grep -q 'EVENT=route-removed IFACE=r0 .*ROUTE_DST=default' "$T/rep.txt" ||
	fail "no silent default route removal in the replay"
grep -q "EVENT=link-renamed IFACE='r\$(x)' " "$T/rep.txt" || fail "no link-renamed 'r\$(x)'"

# Without --dry-run the hooks run, each with the environment monitor showed
# (RULE aside). At the capture's pace, as live, an event whose opposite came
# while it still waited behind a running hook is coalesced with it.
write_config startup_events=yes
"$IFHOOKD" replay "$T/cap.pcap" -c "$CONF" >/dev/null 2>"$T/run.err" || fail "replay: $(cat "$T/run.err")"
events=$(wc -l <"$T/mon.json")
coalesced=$(sed -n 's/.* \([0-9]*\) events coalesced.*/\1/p' "$T/run.err")
[ -n "$coalesced" ] || fail "no replay summary: $(cat "$T/run.err")"
[ "$(($(wc -l <"$EVLIST") + coalesced))" = "$events" ] ||
	fail "hooks ran for $(wc -l <"$EVLIST") events, $coalesced coalesced; monitor saw $events"
python3 - "$T/mon.json" "$EVDIR" <<'PY' || fail "a hook's environment differs from monitor's line"
import json, os, sys
for line in open(sys.argv[1], encoding="utf-8"):
    want = json.loads(line)
    seq = int(want["EVENT_SEQ"])
    path = os.path.join(sys.argv[2], "%06d.record.env" % seq)
    if not os.path.exists(path):
        continue  # coalesced (counted above)
    raw = open(path, "rb").read()
    got = dict(kv.split(b"=", 1) for kv in raw.split(b"\0") if kv)
    got = {k.decode(): v.decode("utf-8", "replace") for k, v in got.items()}
    assert got.pop("RULE") == "record" and want.pop("RULE") == ""
    if got != want:
        print("event", seq, "\n hook:", got, "\n monitor:", want, file=sys.stderr)
        sys.exit(1)
PY

# A real nlmon capture (tcpdump -i nlmon0) replays too, where the kernel has nlmon.
if ip link add nlmon0 type nlmon 2>/dev/null; then
	ip link set nlmon0 up
	tcpdump -i nlmon0 -w "$T/nlmon.pcap" -U 2>"$T/nlmon.err" &
	TD=$!
	BG_PIDS+=("$TD")
	wait_for 'listening on nlmon0' "$T/nlmon.err" || fail "tcpdump -i nlmon0: $(cat "$T/nlmon.err")"
	bg "$T/mon2.txt" monitor --no-startup # a listener, so the kernel sends notifications
	wait_for_fixed 'ifhookd: monitoring (' "$T/mon2.txt.err" || fail "monitor did not start"
	ip link add nl0 type veth peer name nl1
	ip addr add 203.0.113.1/24 dev nl0
	wait_for_fixed 'EVENT=address-added IFACE=nl0 ' "$T/mon2.txt" || fail "monitor: no nl0 address"
	sleep 0.5
	kill -INT "$TD"
	wait "$TD"
	"$IFHOOKD" replay "$T/nlmon.pcap" --dry-run -c "$T/empty.conf" >"$T/nlmon.txt" 2>"$T/nlmon-rep.err" ||
		fail "replay of the nlmon capture: $(cat "$T/nlmon-rep.err")"
	grep -q '^EVENT=link-added IFACE=nl0 ' "$T/nlmon.txt" || fail "nlmon replay: no link-added nl0"
	grep -q '^EVENT=address-added IFACE=nl0 .*ADDRESS=203.0.113.1 ' "$T/nlmon.txt" ||
		fail "nlmon replay: no address-added nl0"
	[ "$(grep -c '^EVENT=link-added IFACE=nl0 ' "$T/nlmon.txt")" = 1 ] ||
		fail "nlmon replay: link-added nl0 more than once"
else
	info "this kernel has no nlmon (ip link add type nlmon fails): no live nlmon capture;" \
		"tests/data/nlmon-style.pcap covers its format (replay-data)"
fi
echo "PASS: $TEST_NAME"
