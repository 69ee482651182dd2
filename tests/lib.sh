# Purpose: shared helpers for the integration tests: root check, a private network
# namespace, a temp dir, a config with a recording hook, the real daemon in the
# foreground, bounded polling waits, and cleanup. Sourced by tests/integration/*.sh.
# shellcheck shell=bash
#
# A test script does:
#     . "$(dirname "$0")/../lib.sh"
#     setup "$@"          # root check, re-exec inside `unshare -n`, temp dir, trap
#     write_config        # [daemon] + a rule running the recorder for every event
#     start_daemon        # ./ifhookd -f -v -c CONF, waits for its "ready" line
#     ... ip commands, wait_event, expect_env ...
#     finish              # SIGTERM, expects exit 0 and "exiting", prints PASS
# Exit status: 0 pass, 77 skip, anything else fail (with a "FAIL: reason" line).
# Only 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 are used,
# and only inside the private namespace: the host's interfaces are never touched.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IFHOOKD=${IFHOOKD:-$TOP/ifhookd}
TUNPPP=${TUNPPP:-$TOP/build/tunppp}
TEST_NAME=$(basename "$0" .sh)

T=""              # the temp dir
DAEMON_PID=""
DAEMON_RC=""
DAEMON_WRAPPER=() # e.g. (valgrind --error-exitcode=99): prefix of the daemon command
BG_PIDS=()        # helpers (tunppp, ...) to stop at cleanup
WAIT_TIMEOUT=${WAIT_TIMEOUT:-10}

info() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }

skip() {
	printf 'SKIP: %s: %s\n' "$TEST_NAME" "$*" >&2
	exit 77
}

# Prints the reason, then what the daemon said and which events the hooks saw.
fail() {
	printf 'FAIL: %s: %s\n' "$TEST_NAME" "$*" >&2
	if [ -n "$T" ] && [ -f "$T/daemon.log" ]; then
		printf -- '--- daemon log (last 60 lines) ---\n' >&2
		tail -n 60 "$T/daemon.log" | cat -v >&2
	fi
	if [ -n "$T" ] && [ -f "$T/events.list" ]; then
		printf -- '--- events recorded by the hook (SEQ EVENT IFACE) ---\n' >&2
		sort -n "$T/events.list" | cat -v >&2
	fi
	# In a command substitution only the subshell would exit: tell the test.
	[ "$BASHPID" = "$$" ] || kill -USR1 "$$"
	exit 1
}
trap 'exit 1' USR1

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# True while pid exists and is not a zombie (kill -0 succeeds on zombies).
pid_alive() {
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

pid_gone() { ! pid_alive "$1"; }

now_us() { echo "${EPOCHREALTIME/./}"; }

# poll_until TIMEOUT CMD [ARGS...]: runs CMD every 0.05 s until it succeeds
# (return 0) or TIMEOUT seconds (may be fractional) have passed (return 1).
poll_until() {
	local timeout=$1 deadline
	shift
	deadline=$(($(now_us) + $(awk -v t="$timeout" 'BEGIN { printf "%d", t * 1000000 }')))
	while :; do
		"$@" && return 0
		[ "$(now_us)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# wait_for PATTERN FILE [TIMEOUT]: waits until FILE has a line matching the
# extended regex PATTERN. Returns 1 on timeout (the caller says what failed).
wait_for() {
	poll_until "${3:-$WAIT_TIMEOUT}" grep -qE -e "$1" "$2" 2>/dev/null
}

# wait_for_fixed STRING FILE [TIMEOUT]: the same with a fixed string.
wait_for_fixed() {
	poll_until "${3:-$WAIT_TIMEOUT}" grep -qF -e "$1" "$2" 2>/dev/null
}

# Re-executes the test inside a new network namespace (`unshare -n`): the same
# pid, so the namespace dies with the test and its children.
enter_netns() {
	if [ "${IFHOOKD_TEST_NETNS:-}" != "$$" ]; then
		unshare -n true 2>/dev/null || skip "cannot create a network namespace (unshare -n)"
		export IFHOOKD_TEST_NETNS=$$
		exec unshare -n -- "$BASH" "$0" "$@"
	fi
	# Refuse to go on anywhere but in a fresh namespace: only lo may exist.
	local n
	n=$(ip -o link show | wc -l)
	[ "$n" = 1 ] || fail "not in a fresh network namespace ($n links); refusing to touch interfaces"
	ip link set lo up || fail "ip link set lo up"
}

# no_dad: in our namespace, IPv6 addresses (link-local ones too) are usable at
# once, so no event waits on a DAD timer and lands after what a test waits for.
no_dad() {
	local c
	for c in all default lo; do
		echo 0 >"/proc/sys/net/ipv6/conf/$c/accept_dad" 2>/dev/null
	done
}

# Kills whatever is still running in our private namespace (hooks the daemon
# left behind, helpers): all of it was started by this test.
kill_netns_leftovers() {
	local me p ns
	[ "${IFHOOKD_TEST_NETNS:-}" = "$$" ] || return 0
	me=$(readlink /proc/$$/ns/net) || return 0
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$$" ] && continue
		[ "$p" = "$BASHPID" ] && continue
		ns=$(readlink "/proc/$p/ns/net" 2>/dev/null) || continue
		[ "$ns" = "$me" ] && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	if [ -n "$DAEMON_PID" ] && pid_alive "$DAEMON_PID"; then
		kill -TERM "$DAEMON_PID" 2>/dev/null
		poll_until 3 pid_gone "$DAEMON_PID" || kill -KILL "$DAEMON_PID" 2>/dev/null
	fi
	for p in "${BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	kill_netns_leftovers
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "${KEEP_TMP:-}" ]; then
			info "kept $T"
		else
			rm -rf "$T"
		fi
	fi
	exit "$rc"
}

# setup "$@": the common start of every namespace test.
setup() {
	require_root
	[ -x "$IFHOOKD" ] || fail "$IFHOOKD not built (run make ifhookd)"
	command -v ip >/dev/null || skip "needs ip (iproute2)"
	command -v unshare >/dev/null || skip "needs unshare (util-linux)"
	enter_netns "$@"
	make_tmpdir
}

# make_tmpdir: the temp dir and the cleanup trap (used alone by tests that
# need no namespace).
make_tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/ifhookd-$TEST_NAME.XXXXXX") || fail "mktemp"
	chmod 755 "$T"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	CONF=$T/ifhookd.conf
	LOG=$T/daemon.log
	EVLIST=$T/events.list
	EVDIR=$T/events
	HOOKS=$T/hooks.d
	RULES=$T/rules.d
	mkdir -p "$EVDIR" "$HOOKS" "$RULES"
	: >"$EVLIST"
}

# write_recorder PATH [TAG [LIST]]: a hook that records one event. The hook
# gets no inherited environment, so every path is baked in. It writes the exact
# environment it was given (/proc/$$/environ: dash would add PWD to `env`) to
# EVDIR/SEQ.TAG.env and its argv to EVDIR/SEQ.TAG.argv, both NUL-separated,
# then appends "SEQ EVENT IFACE" to LIST (default events.list): once that line
# is there, both files are complete.
write_recorder() {
	local path=$1 tag=${2:-record} list=${3:-$EVLIST}
	cat >"$path" <<EOF
#!/bin/sh
# Purpose: ifhookd integration-test hook: records this event's environment and argv.
seq=\$(printf '%06d' "\${EVENT_SEQ:-0}")
cat /proc/\$\$/environ >'$EVDIR/'"\$seq"'.$tag.env'
printf '%s\\0' "\$0" "\$@" >'$EVDIR/'"\$seq"'.$tag.argv'
printf '%s %s %s\\n' "\${EVENT_SEQ:-?}" "\${EVENT:-?}" "\${IFACE-?}" >>'$list'
exit 0
EOF
	chmod 755 "$path"
}

# write_config [KEY=VALUE ...]: CONF with a [daemon] section (defaults below,
# overridden or extended by the arguments) and, unless NO_RECORD_RULE=1, the
# rule "record" that runs $T/record for every event. Append more with cat >>.
write_config() {
	local -A kv=([hooks_dir]=hooks.d [rules_dir]=rules.d [timeout]=5
		[startup_events]=no [log]=stderr)
	local -a order=(hooks_dir rules_dir timeout startup_events log)
	local a k
	for a in "$@"; do
		k=${a%%=*}
		[ -n "${kv[$k]+set}" ] || order+=("$k")
		kv[$k]=${a#*=}
	done
	write_recorder "$T/record"
	{
		echo "; ifhookd integration test $TEST_NAME"
		echo "[daemon]"
		for k in "${order[@]}"; do
			echo "$k = ${kv[$k]}"
		done
		if [ "${NO_RECORD_RULE:-0}" != 1 ]; then
			echo
			echo "[rule record]"
			echo "run = $T/record"
		fi
	} >"$CONF"
}

# set_daemon_wrapper CMD [ARGS...]: start the daemon as CMD ARGS... ifhookd ...
set_daemon_wrapper() { DAEMON_WRAPPER=("$@"); }

# start_daemon [ARGS...]: runs `ifhookd -f -v -c CONF ARGS` in the background
# (without -v when DAEMON_VERBOSE=0),
# stderr to LOG, with a marker variable that must never reach a hook, and waits
# for its ready line.
start_daemon() {
	local timeout=${START_TIMEOUT:-$WAIT_TIMEOUT}
	local v=-v
	[ "${DAEMON_VERBOSE:-1}" = 1 ] || v=-f # DAEMON_VERBOSE=0: without -v
	IFHOOKD_TEST_LEAK=must-not-reach-hooks \
		"${DAEMON_WRAPPER[@]}" "$IFHOOKD" -f "$v" -c "$CONF" "$@" \
		</dev/null >"$T/daemon.out" 2>"$LOG" &
	DAEMON_PID=$!
	LOG_MARK=0
	if ! poll_until "$timeout" daemon_ready; then
		pid_alive "$DAEMON_PID" || fail "daemon exited before its ready line"
		fail "no 'ifhookd: ready' line within $timeout s"
	fi
}

daemon_ready() {
	grep -q '^ifhookd: ready (' "$LOG" 2>/dev/null && return 0
	pid_alive "$DAEMON_PID" || return 0 # start_daemon tells which
	return 1
}

# stop_daemon [TIMEOUT]: SIGTERM and a bounded wait; DAEMON_RC = exit status.
stop_daemon() {
	local timeout=${1:-$WAIT_TIMEOUT}
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID" 2>/dev/null
	if ! poll_until "$timeout" pid_gone "$DAEMON_PID"; then
		kill -KILL "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=""
		fail "daemon still running $timeout s after SIGTERM"
	fi
	wait "$DAEMON_PID"
	DAEMON_RC=$?
	DAEMON_PID=""
}

# finish: stops the daemon, which must exit 0 after logging "exiting", and
# reports the pass.
finish() {
	stop_daemon "${1:-$WAIT_TIMEOUT}"
	[ "$DAEMON_RC" = 0 ] || fail "daemon exited with status $DAEMON_RC after SIGTERM"
	grep -q '^ifhookd: exiting' "$LOG" || fail "no 'ifhookd: exiting' line after SIGTERM"
	if [ -n "${SHOW_LOG:-}" ]; then # for debugging: what a passing run saw
		cat -v "$LOG" >&2
		sort -n "$EVLIST" | cat -v >&2
	fi
	echo "PASS: $TEST_NAME"
	exit 0
}

# --- events seen by the recording hook (events.list) ---

# event_seqs EVENT IFACE [LIST]: the SEQs of recorded events, ascending.
# IFACE is compared byte for byte; "*" matches any interface.
event_seqs() {
	local want_ev=$1 want_if=$2 list=${3:-$EVLIST} line rest s e i
	while IFS= read -r line; do
		s=${line%% *}
		rest=${line#* }
		e=${rest%% *}
		i=${rest#* }
		[ "$e" = "$want_ev" ] || continue
		[ "$want_if" = "*" ] || [ "$i" = "$want_if" ] || continue
		echo "$s"
	done <"$list" | sort -n
}

event_count() { event_seqs "$@" | wc -l; }

_has_n_events() { [ "$(event_count "$1" "$2" "$4")" -ge "$3" ]; }

# wait_event EVENT IFACE [N [TIMEOUT [LIST]]]: waits for the Nth (default 1st)
# recorded EVENT on IFACE and prints its SEQ.
wait_event() {
	local ev=$1 ifc=$2 n=${3:-1} timeout=${4:-$WAIT_TIMEOUT} list=${5:-$EVLIST}
	poll_until "$timeout" _has_n_events "$ev" "$ifc" "$n" "$list" ||
		fail "hook did not get $ev on '$ifc' (occurrence $n) within $timeout s"
	event_seqs "$ev" "$ifc" "$list" | sed -n "${n}p"
}

# env_file SEQ [TAG]
env_file() { printf '%s/%06d.%s.env' "$EVDIR" "$1" "${2:-record}"; }

# env_of SEQ VAR [TAG]: prints VAR's value in that event's environment;
# returns 1 when VAR is not set at all.
env_of() {
	local file kv
	file=$(env_file "$1" "${3:-record}")
	[ -f "$file" ] || fail "no environment recorded for event $1 ($file)"
	while IFS= read -r -d '' kv; do
		if [ "${kv%%=*}" = "$2" ]; then
			printf '%s' "${kv#*=}"
			return 0
		fi
	done <"$file"
	return 1
}

# expect_env SEQ VAR VALUE [TAG]: VAR must be set to exactly VALUE.
expect_env() {
	local got ev
	ev=$(env_of "$1" EVENT "${4:-record}")
	got=$(env_of "$1" "$2" "${4:-record}") || fail "event $1 ($ev): $2 is not set (want '$3')"
	[ "$got" = "$3" ] || fail "event $1 ($ev): $2='$got', want '$3'"
}

# expect_env_match SEQ VAR ERE [TAG]: VAR must be set and match the regex.
expect_env_match() {
	local got ev
	ev=$(env_of "$1" EVENT "${4:-record}")
	got=$(env_of "$1" "$2" "${4:-record}") || fail "event $1 ($ev): $2 is not set"
	[[ $got =~ $3 ]] || fail "event $1 ($ev): $2='$got' does not match /$3/"
}

# expect_words SEQ VAR WORD: VAR (a space-separated list) must contain WORD.
expect_word() {
	local got ev
	ev=$(env_of "$1" EVENT)
	got=$(env_of "$1" "$2") || fail "event $1 ($ev): $2 is not set"
	[[ " $got " == *" $3 "* ]] || fail "event $1 ($ev): $2='$got' lacks '$3'"
}

expect_no_word() {
	local got ev
	ev=$(env_of "$1" EVENT)
	got=$(env_of "$1" "$2") || fail "event $1 ($ev): $2 is not set"
	[[ " $got " != *" $3 "* ]] || fail "event $1 ($ev): $2='$got' still has '$3'"
}

# argv_of SEQ [TAG]: the recorded argv, one element per line (cat -v for safety).
argv_of() {
	tr '\0' '\n' <"$(printf '%s/%06d.%s.argv' "$EVDIR" "$1" "${2:-record}")"
}

# expect_order SEQ1 SEQ2 WHAT: SEQ1 must be before SEQ2.
expect_before() {
	[ "$1" -lt "$2" ] || fail "$3 (seq $1 is not before seq $2)"
}

# --- events as logged by the daemon (-v), authoritative for "no event" ---

# log_event_count EVENT IFACE: "ifhookd: event EVENT iface=IFACE ifindex=" lines.
log_event_count() {
	grep -cF -e "ifhookd: event $1 iface=$2 ifindex=" "$LOG"
}

# barrier: a fresh event after everything done so far; once the daemon has
# logged it, it has classified every earlier kernel message.
BARRIER_N=0
barrier() {
	BARRIER_N=$((BARRIER_N + 1))
	ip link add "bar$BARRIER_N" type veth peer name "barp$BARRIER_N" ||
		fail "cannot create barrier link"
	wait_for_fixed "ifhookd: event link-added iface=barp$BARRIER_N ifindex=" "$LOG" ||
		fail "daemon did not log link-added for barrier link barp$BARRIER_N"
	wait_for_fixed "ifhookd: event link-added iface=bar$BARRIER_N ifindex=" "$LOG" ||
		fail "daemon did not log link-added for barrier link bar$BARRIER_N"
}

# expect_no_log_event EVENT IFACE WHY: after a barrier, nothing was logged.
expect_no_log_event() {
	local n
	n=$(log_event_count "$1" "$2")
	[ "$n" = 0 ] || fail "$3: daemon logged $n x '$1' on '$2'"
}

# --- links ---

ifindex_of() {
	local out
	out=$(ip -o link show dev "$1") || fail "no link '$1'"
	echo "${out%%:*}"
}

mac_of() {
	ip -o link show dev "$1" | sed -n 's/.*link\/[a-z]* \([0-9a-f:]*\) .*/\1/p'
}

# veth_pair A B: both ends, both down.
veth_pair() {
	ip link add "$1" type veth peer name "$2" || fail "ip link add $1 type veth peer name $2"
}

# tunppp_start NAME: a PPP double (build/tunppp) that lives until tunppp_stop.
# Its stdin is a FIFO it opens read-write itself, so it never sees EOF.
TUNPPP_PID=""
tunppp_start() {
	[ -x "$TUNPPP" ] || fail "$TUNPPP not built (run make build/tunppp)"
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
	local fifo="$T/tunppp.$1.$$.$RANDOM"
	mkfifo "$fifo" || fail "mkfifo"
	"$TUNPPP" "$1" <>"$fifo" >"$fifo.out" 2>&1 &
	TUNPPP_PID=$!
	BG_PIDS+=("$TUNPPP_PID")
	wait_for '^ready$' "$fifo.out" 5 || fail "tunppp $1 did not get ready: $(cat "$fifo.out")"
}

# tunppp_stop: SIGTERM; the tun fd closes and the device disappears.
tunppp_stop() {
	kill -TERM "$TUNPPP_PID" || fail "tunppp already gone"
	wait "$TUNPPP_PID" 2>/dev/null
	TUNPPP_PID=""
}

# log_mark / log_events_since_mark: the daemon's event lines logged after the mark.
LOG_MARK=0
log_mark() { LOG_MARK=$(wc -l <"$LOG"); }
log_events_since_mark() {
	tail -n +"$((LOG_MARK + 1))" "$LOG" | grep -F 'ifhookd: event '
}

# expect_no_events_since_mark WHY: after a barrier, only barrier links may
# have events since the mark.
expect_no_events_since_mark() {
	local extra
	extra=$(log_events_since_mark | grep -vE 'iface=barp?[0-9]+ ifindex=')
	[ -z "$extra" ] || fail "$1: unexpected events: $extra"
}

# find_event EVENT IFACE VAR VALUE [N]: prints the SEQ of the Nth (default 1st)
# recorded EVENT on IFACE whose VAR is VALUE.
find_event() {
	local s n=${5:-1} val
	for s in $(event_seqs "$1" "$2"); do
		val=$(env_of "$s" "$3") || val=""
		[ "$val" = "$4" ] || continue
		n=$((n - 1))
		[ "$n" -gt 0 ] && continue
		echo "$s"
		return 0
	done
	return 1
}

_find_event_quiet() { find_event "$@" >/dev/null; }

# wait_event_with EVENT IFACE VAR VALUE [N [TIMEOUT]]: waits for such an event
# (other events of the same name, such as IPv6 link-local ones, are ignored).
wait_event_with() {
	local timeout=${6:-$WAIT_TIMEOUT}
	poll_until "$timeout" _find_event_quiet "$1" "$2" "$3" "$4" "${5:-1}" ||
		fail "hook did not get $1 on '$2' with $3=$4 (occurrence ${5:-1}) within $timeout s"
	find_event "$1" "$2" "$3" "$4" "${5:-1}"
}

# count_event_with EVENT IFACE VAR VALUE: how many such events were recorded.
count_event_with() {
	local s n=0 val
	for s in $(event_seqs "$1" "$2"); do
		val=$(env_of "$s" "$3") || val=""
		[ "$val" = "$4" ] && n=$((n + 1))
	done
	echo "$n"
}
