#!/bin/bash
# Purpose: runs one libFuzzer target (build/fuzz/fuzz_NAME) for SECONDS from
# its seed corpus in a scratch copy, so the tree is never modified. Ends with
# one summary line (runs, exec/s, cov); on a crash prints the crashing input
# as hex and libFuzzer's output, and exits 1.
#
# usage: tests/fuzz/fuzz.sh NAME SECONDS [WORKDIR]
# Without WORKDIR the scratch directory is temporary; with it, the corpus
# grown there is kept for the next run (make fuzz uses build/fuzz/work/NAME).
set -u

cd "$(dirname "$0")/../.." || exit 2
name=${1:?usage: $0 NAME SECONDS [WORKDIR]}
seconds=${2:?usage: $0 NAME SECONDS [WORKDIR]}
work=${3:-}
bin=build/fuzz/fuzz_$name
seeds=tests/fuzz/corpus/$name

if [ ! -x "$bin" ]; then
	echo "$bin not built; run make test-build (needs clang)"
	exit 1
fi
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/ifhookd-fuzz-$name.XXXXXX") || exit 2
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/corpus" "$work/tmp" || exit 2
# Seeds that are already there are kept as they are.
cp -n "$seeds"/* "$work/corpus/" 2>/dev/null
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*

opts=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
	-artifact_prefix="$work/")
[ -f "tests/fuzz/$name.dict" ] && opts+=(-dict="tests/fuzz/$name.dict")

# The targets make their temporary files under TMPDIR; a crash cannot leave
# them behind outside the scratch directory.
TMPDIR=$work/tmp ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" "${opts[@]}" "$work/corpus" >"$work/log" 2>&1
rc=$?

# "#1234	DONE   cov: 567 ft: ... exec/s: 89 rss: ..."
last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$work/log" | tail -n 1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
summary="fuzz_$name: ${runs:-?} runs in $seconds s, ${rate:-?} exec/s, cov: ${cov:-?}, ft: ${ft:-?}, corpus $(find "$work/corpus" -type f | wc -l) files"

mapfile -t artifacts < <(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o \
	-name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
if [ "$rc" = 0 ] && [ "${#artifacts[@]}" = 0 ]; then
	echo "$summary"
	exit 0
fi
echo "fuzz_$name failed (exit status $rc)"
for a in "${artifacts[@]}"; do
	echo "--- $(basename "$a") ($(wc -c <"$a") bytes), as hex ---"
	od -An -tx1 -v "$a"
	cp "$a" "build/fuzz/" 2>/dev/null && echo "(kept as build/fuzz/$(basename "$a"))"
done
echo "--- libFuzzer output ---"
cat "$work/log"
echo "$summary"
exit 1
