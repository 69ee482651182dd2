#!/bin/bash
# Purpose: the captures of tests/data/ (pppd connect and disconnect, silent
# default route removal, IPv6 DAD, bridge port, nlmon-style extras) replay to
# exactly the events and dry-run hooks of their .events files, and are what
# tests/tools/gen_captures.c writes; --json lines parse; malformed and
# truncated files fail with a clear error naming the byte offset, before
# anything runs, and never crash. Needs neither root nor a namespace.
. "$(dirname "$0")/../lib.sh"
[ -x "$IFHOOKD" ] || fail "$IFHOOKD not built (run make ifhookd)"
make_tmpdir
DATA=$TOP/tests/data
GEN=$TOP/build/gen_captures

# The fixtures are the generator's output (make test-data rewrites them).
[ -x "$GEN" ] || fail "$GEN not built (run make test-build)"
mkdir "$T/gen"
"$GEN" "$T/gen" || fail "gen_captures failed"
for f in "$T"/gen/*.pcap; do
	cmp -s "$f" "$DATA/$(basename "$f")" ||
		fail "tests/data/$(basename "$f") is not what gen_captures writes (make test-data)"
done

n=0
for f in "$DATA"/*.pcap; do
	want=${f%.pcap}.events
	[ -f "$want" ] || fail "no $(basename "$want") for $(basename "$f")"
	"$IFHOOKD" replay "$f" --dry-run -c "$DATA/replay.conf" >"$T/got" 2>"$T/err" ||
		fail "replay $(basename "$f"): $(cat "$T/err")"
	grep -v '^#' "$want" >"$T/want"
	diff -u "$T/want" "$T/got" >"$T/diff" ||
		fail "replay of $(basename "$f") differs from $(basename "$want"): $(head -40 "$T/diff")"
	grep -q ' 0 malformed' "$T/err" || fail "$(basename "$f"): $(cat "$T/err")"
	"$IFHOOKD" replay "$f" --json --dry-run -c "$DATA/replay.conf" >"$T/json" 2>/dev/null
	[ "$(wc -l <"$T/json")" = "$(wc -l <"$T/got")" ] || fail "--json: another number of lines"
	if command -v jq >/dev/null; then
		jq -e 'has("EVENT") or has("dry_run")' "$T/json" >/dev/null ||
			fail "--json lines of $(basename "$f") are not what they should be"
	fi
	n=$((n + 1))
done
[ "$n" -ge 6 ] || fail "only $n captures in tests/data"

# Malformed and truncated files: exit 1, the byte offset named, nothing
# printed on stdout (the whole file is checked before anything runs).
bad() { # FILE WHAT-THE-ERROR-SAYS
	local rc
	"$IFHOOKD" replay "$1" --dry-run -c "$DATA/replay.conf" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = 1 ] || fail "$(basename "$1"): exit status $rc, want 1 ($(cat "$T/err"))"
	grep -qF -e "$2" "$T/err" || fail "$(basename "$1"): error lacks '$2': $(cat "$T/err")"
	[ ! -s "$T/out" ] || fail "$(basename "$1"): printed events although the file is broken"
}
src=$DATA/ppp-connect.pcap
size=$(stat -c %s "$src")
for cut in 0 3 10 23 30 39 41 100 $((size - 1)); do
	head -c "$cut" "$src" >"$T/cut$cut.pcap"
	case $cut in
	0 | 3) bad "$T/cut$cut.pcap" "byte offset 0" ;;
	10 | 23) bad "$T/cut$cut.pcap" "truncated pcap file header: $cut of 24 bytes (byte offset $cut)" ;;
	30 | 39) bad "$T/cut$cut.pcap" "truncated record header of packet 1 at byte offset 24" ;;
	*) bad "$T/cut$cut.pcap" "byte offset" ;;
	esac
done
bad "$T/cut41.pcap" "truncated packet 1: its record header at byte offset 24 says"
printf 'hello, this is not a capture at all' >"$T/text.pcap"
bad "$T/text.pcap" "not a pcap file: magic 0x"
{ printf '\x0a\x0d\x0d\x0a'; head -c 100 /dev/zero; } >"$T/ng.pcap"
bad "$T/ng.pcap" "pcapng file (byte offset 0)"
{ head -c 20 "$src"; printf '\x01\x00\x00\x00'; tail -c +25 "$src"; } >"$T/ether.pcap"
bad "$T/ether.pcap" "link type 1 at byte offset 20"
{ head -c 32 "$src"; printf '\xff\xff\xff\x7f'; tail -c +37 "$src"; } >"$T/huge.pcap"
bad "$T/huge.pcap" "packet 1 at byte offset 24: captured length 2147483647"
"$IFHOOKD" replay "$T/nonexistent.pcap" -c "$DATA/replay.conf" 2>"$T/err"
[ $? = 1 ] && grep -q 'No such file or directory' "$T/err" || fail "missing file: $(cat "$T/err")"

# A malformed netlink message inside a good capture: skipped, its offset named.
cp "$src" "$T/badmsg.pcap"
printf '\xff\x0f\x00\x00' | dd of="$T/badmsg.pcap" bs=1 seek=56 conv=notrunc status=none
"$IFHOOKD" replay "$T/badmsg.pcap" --dry-run -c "$DATA/replay.conf" >"$T/out" 2>"$T/err" ||
	fail "replay with a malformed message failed: $(cat "$T/err")"
grep -q 'packet 1: netlink message at byte offset 56 says 4095 bytes' "$T/err" ||
	fail "malformed message not reported by offset: $(cat "$T/err")"
grep -q '^EVENT=ppp-connect IFACE=ppp0 ' "$T/out" || fail "the rest of the capture was not replayed"
echo "PASS: $TEST_NAME"
