#!/bin/bash
# Purpose: runs every test (unit tests plain and under ASan/UBSan, shellcheck,
# each integration script) and ends with the single line "N passed, N failed"
# (", N skipped" when something was skipped); exits non-zero if anything failed.
#
# Unit binaries print "PASS suite:name" / "FAIL suite:name"; each line counts.
# Each libFuzzer target (tests/fuzz/fuzz.sh) runs FUZZ_CHECK_SECONDS (15) from
# its seeds and counts as one test, fuzz:NAME.
# Each tests/integration/*.sh counts as one test: exit 0 pass, 77 skip, else
# fail; its output is shown only when it did not pass. A skip counts as a
# failure under CI=true or when running as root (then nothing should need to
# be skipped). Set TESTS="name ..." to run only those integration scripts.

cd "$(dirname "$0")/.." || exit 2

passed=0
failed=0
skipped=0
strict=0
if [ "${CI:-}" = true ] || [ "$(id -u)" = 0 ]; then
	strict=1
fi
out=$(mktemp "${TMPDIR:-/tmp}/ifhookd-run.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT

# note_skip NAME REASON: a skip, or a failure when skips are not acceptable.
note_skip() {
	if [ "$strict" = 1 ]; then
		echo "FAIL $1 (skipped, which does not count as passing here: $2)"
		failed=$((failed + 1))
	else
		echo "SKIP $1: $2"
		skipped=$((skipped + 1))
	fi
}

run_unit() {
	local bin=$1 rc p f
	if [ ! -x "$bin" ]; then
		echo "FAIL $bin (not built; run make test-build)"
		failed=$((failed + 1))
		return
	fi
	"$bin" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	passed=$((passed + p))
	failed=$((failed + f))
	grep '^FAIL ' "$out"
	if [ "$rc" != 0 ] || [ "$f" != 0 ]; then
		if [ "$f" = 0 ]; then
			# It crashed or failed outside a test: that is a failure too.
			echo "FAIL $bin (exit status $rc, no FAIL line)"
			failed=$((failed + 1))
		fi
		echo "--- output of $bin ---"
		cat "$out"
	fi
	echo "$bin: $p PASS and $f FAIL lines"
}

run_shellcheck() {
	local files
	if ! command -v shellcheck >/dev/null; then
		note_skip lint:shellcheck "shellcheck not installed"
		return
	fi
	# Every shell script of the tree: *.sh, and files whose #! line names a
	# shell (hooks, init scripts); each is checked as the shell it names.
	mapfile -t files < <(find tests contrib hooks.d .ci -path tests/fuzz/corpus -prune -o \
		-type f -print | sort | while IFS= read -r f; do
		case $f in *.sh) echo "$f" && continue ;; esac
		head -n 1 "$f" | grep -qE '^#! ?(/usr)?/(s?bin)/(env )?(ba|da|a)?sh( |$)|^#!/sbin/openrc-run$' &&
			echo "$f"
	done)
	if shellcheck -S warning "${files[@]}" >"$out" 2>&1; then
		echo "PASS lint:shellcheck"
		passed=$((passed + 1))
	else
		echo "FAIL lint:shellcheck"
		cat "$out"
		failed=$((failed + 1))
	fi
}

# run_fuzz NAME: a short run of build/fuzz/fuzz_NAME; on a crash its input
# (as hex) and libFuzzer's output are shown.
run_fuzz() {
	if tests/fuzz/fuzz.sh "$1" "${FUZZ_CHECK_SECONDS:-15}" >"$out" 2>&1; then
		echo "PASS fuzz:$1 ($(tail -n 1 "$out"))"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz:$1"
		sed 's/^/    /' "$out" | cat -v
		failed=$((failed + 1))
	fi
}

run_integration() {
	local t=$1 name rc start ms reason
	name=$(basename "$t" .sh)
	start=${EPOCHREALTIME/./}
	timeout -k 5 240 bash "$t" >"$out" 2>&1
	rc=$?
	ms=$(((${EPOCHREALTIME/./} - start) / 1000))
	case $rc in
	0)
		echo "PASS integration:$name (${ms} ms)"
		passed=$((passed + 1))
		;;
	77)
		reason=$(sed -n 's/^SKIP: [^:]*: //p' "$out" | head -n 1)
		note_skip "integration:$name" "${reason:-exit status 77}"
		;;
	*)
		[ "$rc" = 124 ] && echo "(killed after 240 s)"
		echo "FAIL integration:$name (exit status $rc, ${ms} ms)"
		sed 's/^/    /' "$out" | cat -v
		failed=$((failed + 1))
		;;
	esac
}

suite_start=${EPOCHREALTIME/./}
if [ -z "${TESTS:-}" ]; then
	run_unit build/unit-tests
	run_unit build/asan/unit-tests
	run_shellcheck
	run_fuzz netlink
	run_fuzz config
	run_fuzz pcap
	tests=(tests/integration/*.sh)
else
	tests=()
	for n in $TESTS; do
		tests+=("tests/integration/${n%.sh}.sh")
	done
fi
integ_start=${EPOCHREALTIME/./}
for t in "${tests[@]}"; do
	[ -f "$t" ] || { echo "FAIL $t (no such test)"; failed=$((failed + 1)); continue; }
	run_integration "$t"
done
now=${EPOCHREALTIME/./}
echo "integration tests took $(((now - integ_start) / 1000000)) s, everything $(((now - suite_start) / 1000000)) s"

if [ "$skipped" != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
