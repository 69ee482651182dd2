#!/bin/bash
# Purpose: `ifhookd monitor` prints each event live, one line each, flushed:
# startup events first (none with --no-startup), then changes; --json gives
# one valid JSON object per line for any interface name (quotes, backslash,
# a control character, bytes that are not UTF-8); the text form reads back
# byte for byte in a shell; it needs no configuration and stops cleanly when
# its reader goes away.
. "$(dirname "$0")/../lib.sh"
setup "$@"
command -v python3 >/dev/null || skip "needs python3 (strict JSON check)"
command -v jq >/dev/null || skip "needs jq"

# Runs "ifhookd monitor ARGS" in the background: stdout to FILE, stderr to FILE.err.
start_monitor() {
	local out=$1
	shift
	(cd "$T" && exec "$IFHOOKD" monitor "$@" >"$out" 2>"$out.err") &
	BG_PIDS+=($!)
	wait_for_fixed 'ifhookd: monitoring (' "$out.err" ||
		fail "monitor $* did not say it is monitoring: $(cat "$out.err")"
}

start_monitor "$T/text"
start_monitor "$T/json" --json
start_monitor "$T/quiet" --no-startup
# Startup: lo is there, reported as state found.
grep -q '^EVENT=link-up IFACE=lo IFINDEX=1 EVENT_ORIGIN=startup ' "$T/text" ||
	fail "no startup link-up for lo: $(head -n 3 "$T/text")"
[ ! -s "$T/quiet" ] || fail "--no-startup printed: $(head -n 3 "$T/quiet")"

n1='a$(id)b'
n2="q'x\"y\\z"
n3=$'c\x01d'
n4=$'\xff\xfeok'
ip link add "$n1" type veth peer name "$n2" || fail "ip link add '$n1'"
ip link add "$n3" type veth peer name "$n4" || fail "ip link add with \\x01 and \\xff"
ip link add mend type veth peer name mend2
wait_for_fixed 'IFACE=mend2 ' "$T/text" || fail "monitor did not print link-added mend2"
wait_for_fixed '"IFACE":"mend2"' "$T/json" || fail "monitor --json did not print mend2"
wait_for_fixed 'IFACE=mend2 ' "$T/quiet" || fail "monitor --no-startup did not print mend2"
grep -q 'EVENT_ORIGIN=startup' "$T/quiet" && fail "--no-startup printed a startup event"

# Same events in both forms, line for line.
[ "$(wc -l <"$T/text")" = "$(wc -l <"$T/json")" ] ||
	fail "text has $(wc -l <"$T/text") lines, json $(wc -l <"$T/json")"

# JSON: every line is one object that a strict parser takes, with the names
# as documented (invalid UTF-8 bytes become U+FFFD).
python3 - "$T/json" "$n1" "$n2" "$n3" <<'PY' || fail "JSON lines are wrong (see above)"
import json, sys
path, want = sys.argv[1], set(sys.argv[2:]) | {"\ufffd\ufffdok"}
seen = set()
with open(path, "rb") as f:
    for n, raw in enumerate(f, 1):
        line = raw.decode("utf-8")          # the output itself is valid UTF-8
        obj = json.loads(line, strict=True)  # no raw control characters
        assert isinstance(obj, dict) and list(obj)[:3] == ["EVENT", "IFACE", "IFINDEX"], line
        assert obj["RULE"] == "", line
        assert all(isinstance(v, str) for v in obj.values()), line
        seen.add(obj["IFACE"])
missing = want - seen
if missing:
    print("names not seen:", [m.encode("unicode_escape") for m in missing], file=sys.stderr)
    sys.exit(1)
PY
jq -e . "$T/json" >/dev/null || fail "jq does not take the JSON lines"

# Text: each value is a shell word that reads back as the exact bytes.
got=()
while IFS= read -r line; do
	[[ $line == "EVENT=link-added "* ]] || continue
	word=${line#* IFACE=}
	word=${word%% IFINDEX=*}
	eval "v=$word"
	got+=("$v")
done <"$T/text"
for want in "$n1" "$n2" "$n3" "$n4"; do
	found=0
	for v in "${got[@]}"; do [ "$v" = "$want" ] && found=1; done
	[ "$found" = 1 ] || fail "text form: no link-added that reads back as $(printf '%q' "$want")"
done

# A reader that goes away ends the monitor (exit 0), even with no new event.
start=$(now_us)
timeout 10 bash -c '"$1" monitor | head -n 2 >/dev/null; exit "${PIPESTATUS[0]}"' _ "$IFHOOKD"
rc=$?
[ "$rc" = 0 ] || fail "monitor | head: monitor exited with $rc"
[ $(($(now_us) - start)) -lt 5000000 ] || fail "monitor | head took more than 5 s"
echo "PASS: $TEST_NAME"
