#!/bin/bash
# Purpose: one benchmark scenario for one tool, inside a fresh private network
# namespace: sets up veths (or a tun PPP double), starts the tool, drives the
# change, measures, stops everything, and appends its figures to RESULTS.
#
# Usage (from bench.sh): scenario.sh SCENARIO TOOL [ARG]
# It re-executes itself inside a new network namespace (`unshare -n`, same
# pid), which dies with it and everything it started.
#   SCENARIO: lat-link lat-addr lat-ppp lat-spawn storm flood idle spawn startup
#   TOOL: ifhookd ipmon iploop pyroute2 ifplugd bbifplugd netplug bare
#   ARG: storm: LINKS.RUN; flood: ROUTES; spawn: serial|parallel
# Needs from the environment: TOP BIN W RESULTS IFHOOKD TUNPPP PY BB and the
# counts bench.sh sets. Each result line is "SCENARIO<TAB>TOOL<TAB>KEY<TAB>VALUE".
# Only 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 are
# configured, and only in this namespace; no packet is ever sent.
set -u

SCEN=$1
TOOL=$2
ARG=${3:-}
LABEL=$SCEN${ARG:+-$ARG}
D=$W/$LABEL-$TOOL
HOOK=$D/stamp
STAMPS=$HOOK.out
TOOL_PIDS=()
ALL_PIDS=()
WPID=""

say() { printf 'bench: %s %s: %s\n' "$LABEL" "$TOOL" "$*" >&2; }
res() { printf '%s\t%s\t%s\t%s\n' "$LABEL" "$TOOL" "$1" "$2" >>"$RESULTS"; }
fail() {
	say "FAILED: $*"
	res error "$*"
	[ -f "$D/tool.log" ] && tail -n 5 "$D/tool.log" | sed 's/^/    /' >&2
	exit 1
}
now_us() { echo "${EPOCHREALTIME/./}"; }

pid_alive() {
	local s
	[ -r "/proc/$1/stat" ] || return 1
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}

# poll_until SECONDS CMD...: every 0.05 s until CMD succeeds; 1 on timeout.
poll_until() {
	local end=$(($(now_us) + ${1%.*} * 1000000))
	shift
	until "$@"; do
		[ "$(now_us)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# cpu_ns PID...: time on CPU (schedstat, ns) of every thread of the processes.
cpu_ns() {
	local p f v sum=0
	for p in "$@"; do
		for f in /proc/"$p"/task/*/schedstat; do
			read -r v _ 2>/dev/null <"$f" || continue
			sum=$((sum + v))
		done
	done
	echo "$sum"
}

# status_kb KEY PID...: the sum of a /proc/PID/status kB field.
status_kb() {
	local key=$1 p v sum=0
	shift
	for p in "$@"; do
		v=$(sed -n "s/^$key:[[:space:]]*\\([0-9]*\\).*/\\1/p" "/proc/$p/status" 2>/dev/null)
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

# ctx_sum KEY PID...: a context-switch counter summed over all threads.
ctx_sum() {
	local key=$1 p f v sum=0
	shift
	for p in "$@"; do
		for f in /proc/"$p"/task/*/status; do
			v=$(sed -n "s/^$key:[[:space:]]*//p" "$f" 2>/dev/null)
			sum=$((sum + ${v:-0}))
		done
	done
	echo "$sum"
}

lines_of() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# Kills whatever still runs in this private namespace (hooks a tool left
# behind in the background): everything here was started by this scenario.
kill_leftovers() {
	local me p ns
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

stop_all() {
	local p end
	for p in "${TOOL_PIDS[@]}" "${ALL_PIDS[@]}" $WPID; do
		kill -TERM "$p" 2>/dev/null
	done
	end=$(($(now_us) + 5000000))
	for p in "${TOOL_PIDS[@]}" "${ALL_PIDS[@]}" $WPID; do
		while pid_alive "$p" && [ "$(now_us)" -lt "$end" ]; do
			sleep 0.05
		done
	done
	TOOL_PIDS=()
	ALL_PIDS=()
	WPID=""
	kill_leftovers
}

cleanup() {
	trap - EXIT INT TERM
	stop_all
}

# ---- setup ----

if [ "${BENCH_NETNS:-}" != "$$" ]; then
	export BENCH_NETNS=$$
	exec unshare -n -- "$BASH" "$0" "$@"
fi
[ "$(ip -o link show | wc -l)" = 1 ] || {
	echo "scenario.sh: not in a fresh network namespace; refusing to touch interfaces" >&2
	exit 2
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
ip link set lo up
for c in all default; do
	echo 0 >"/proc/sys/net/ipv6/conf/$c/accept_dad" 2>/dev/null
done
rm -rf "$D"
mkdir -p "$D/hooks.d" "$D/rules.d" || exit 1
chmod 755 "$D"
cp "$BIN/stamp" "$HOOK" && chmod 755 "$HOOK" || exit 1
: >"$STAMPS"

# ---- tools ----

# No status socket where the daemon has one: several daemons run at once
# (the idle scenario, and maybe someone else's tests).
IFHOOKD_ARGS=()
if "$IFHOOKD" -h 2>&1 | grep -q -- '--socket'; then
	IFHOOKD_ARGS=(-S none)
fi

T_RULES=""    # ifhookd: the rule sections
T_DAEMON=()   # ifhookd: more [daemon] keys
T_OBJS="link" # ip monitor: the objects
T_LINES=0     # ipmon: time its lines (stamp --lines) instead of saving them
T_FILTER=""   # iploop: ERE of the lines that run the hook
T_PYMODE="link" # pyroute2: link | addr | route
T_IFACES=()   # ifplugd, busybox ifplugd: one process per interface
T_PATTERNS=() # netplug: -i patterns

na() {
	res na "$1"
	exit 0
}

need_tool() {
	case $TOOL in
	ifplugd) command -v ifplugd >/dev/null || na "not installed (apt-get install ifplugd)" ;;
	netplug) command -v netplugd >/dev/null || na "not installed (apt-get install netplug)" ;;
	pyroute2) "$PY" -c 'import pyroute2' 2>/dev/null || na "python3-pyroute2 not installed" ;;
	bbifplugd) [ -n "$BB" ] && [ -x "$BB" ] || na "busybox ifplugd unavailable: ${BB_REASON:-not built}" ;;
	esac
}

start_tool() {
	local i args=()
	need_tool
	case $TOOL in
	ifhookd)
		{
			echo "[daemon]"
			echo "hooks_dir = hooks.d"
			echo "rules_dir = rules.d"
			echo "timeout = 10"
			echo "startup_events = no"
			echo "log = stderr"
			[ "${#T_DAEMON[@]}" -gt 0 ] && printf '%s\n' "${T_DAEMON[@]}"
			echo
			printf '%s\n' "$T_RULES"
		} >"$D/ifhookd.conf"
		"$IFHOOKD" -f -c "$D/ifhookd.conf" "${IFHOOKD_ARGS[@]}" </dev/null >"$D/tool.out" \
			2>"$D/tool.log" &
		TOOL_PIDS=($!)
		poll_until 20 grep -qs '^ifhookd: ready (' "$D/tool.log" || fail "ifhookd did not get ready"
		;;
	ipmon)
		if [ "$T_LINES" = 1 ]; then
			mkfifo "$D/pipe"
			"$BIN/stamp" --lines "$STAMPS" <"$D/pipe" &
			ALL_PIDS+=($!)
			# shellcheck disable=SC2086 # T_OBJS is a word list
			ip -o monitor $T_OBJS >"$D/pipe" 2>"$D/tool.log" &
		else
			# shellcheck disable=SC2086
			ip -o monitor $T_OBJS >"$D/tool.out" 2>"$D/tool.log" &
		fi
		TOOL_PIDS=($!)
		sleep 0.3
		;;
	iploop)
		mkfifo "$D/pipe"
		bash "$TOP/tests/bench/iploop.sh" "$HOOK" "$T_FILTER" <"$D/pipe" 2>"$D/loop.log" &
		i=$!
		# shellcheck disable=SC2086
		ip -o monitor $T_OBJS >"$D/pipe" 2>"$D/tool.log" &
		TOOL_PIDS=($! "$i")
		sleep 0.3
		;;
	pyroute2)
		"$PY" "$TOP/tests/bench/pyloop.py" "$HOOK" "$T_PYMODE" </dev/null >"$D/tool.out" \
			2>"$D/tool.log" &
		TOOL_PIDS=($!)
		poll_until 20 grep -qs '^ready' "$D/tool.log" || fail "the pyroute2 loop did not get ready"
		;;
	ifplugd)
		for i in "${T_IFACES[@]}"; do
			ifplugd -n -s -i "$i" -r "$HOOK" -u0 -d0 -a -b -f -I -q </dev/null \
				>>"$D/tool.out" 2>>"$D/tool.log" &
			TOOL_PIDS+=($!)
		done
		sleep 1.5
		;;
	bbifplugd)
		for i in "${T_IFACES[@]}"; do
			"$BB" ifplugd -n -s -i "$i" -r "$HOOK" -u0 -d0 -a -f -I -q -M </dev/null \
				>>"$D/tool.out" 2>>"$D/tool.log" &
			TOOL_PIDS+=($!)
		done
		sleep 1
		;;
	netplug)
		for i in "${T_PATTERNS[@]}"; do
			args+=(-i "$i")
		done
		netplugd -F -c /dev/null "${args[@]}" -s "$HOOK" </dev/null >"$D/tool.out" \
			2>"$D/tool.log" &
		TOOL_PIDS=($!)
		sleep 1
		;;
	*) fail "unknown tool $TOOL" ;;
	esac
	for i in "${TOOL_PIDS[@]}"; do
		pid_alive "$i" || fail "$TOOL exited at start"
	done
}

# tool_alive: every process of the tool still runs.
tool_alive() {
	local p
	for p in "${TOOL_PIDS[@]}"; do
		pid_alive "$p" || return 1
	done
}

# quiet SECONDS: the hooks' stamp file did not grow for that long (max 20 s).
quiet() {
	local n m end=$(($(now_us) + 20000000))
	n=$(lines_of "$STAMPS")
	while :; do
		sleep "$1"
		m=$(lines_of "$STAMPS")
		[ "$m" = "$n" ] && return 0
		[ "$(now_us)" -lt "$end" ] || return 1
		n=$m
	done
}

# settle STEP MAX: waits until, for STEP seconds, no hook ran and the tool
# used under 2% of one CPU; at most MAX seconds. SETTLE_S = seconds waited
# (STEP included); returns 1 on timeout (the tool is still busy).
SETTLE_S=0
settle() {
	local step=$1 max=$2 t0 n m c0 c1 lim
	t0=$(now_us)
	lim=$(awk -v s="$step" 'BEGIN { printf "%d", s * 1e9 * 0.02 }')
	n=$(lines_of "$STAMPS")
	c0=$(cpu_ns "${TOOL_PIDS[@]}")
	while :; do
		sleep "$step"
		m=$(lines_of "$STAMPS")
		c1=$(cpu_ns "${TOOL_PIDS[@]}")
		SETTLE_S=$(awk -v a="$t0" -v b="$(now_us)" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
		if [ "$m" = "$n" ] && [ $((c1 - c0)) -lt "$lim" ]; then
			return 0
		fi
		tool_alive || return 0
		[ $(($(now_us) - t0)) -lt $((max * 1000000)) ] || return 1
		n=$m
		c0=$c1
	done
}

start_witness() {
	"$BIN/nlwatch" "$D/witness.txt" >"$D/witness.out" 2>&1 &
	WPID=$!
	poll_until 5 grep -qs '^ready' "$D/witness.out" || fail "nlwatch did not start"
}

stop_witness() {
	kill -TERM "$WPID" 2>/dev/null
	wait "$WPID" 2>/dev/null
	WPID=""
}

wval() { awk -v k="$1" '$1 == k { print $2 }' "$D/witness.txt" 2>/dev/null; }

# note_death: the tool (or some of its processes) ended by itself; records
# how many and why (the last error-like line it printed).
note_death() {
	local why p dead=0
	[ "$DIED" = 0 ] || return 0
	for p in "${TOOL_PIDS[@]}"; do
		pid_alive "$p" || dead=$((dead + 1))
	done
	why=$(grep -iE 'error|no buffer|exception|truncated|too small' "$D/tool.log" 2>/dev/null |
		tail -n 1 | tr '\t' ' ' | cut -c1-100)
	[ -n "$why" ] || why=$(grep -v '^ready' "$D/tool.log" 2>/dev/null | grep . | tail -n 1 |
		tr '\t' ' ' | cut -c1-100)
	res died "$dead of ${#TOOL_PIDS[@]} processes: ${why:-exited}"
	DIED=1
}
DIED=0

ms() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }
# per_msg NS MESSAGES: microseconds per message.
per_msg() { awk -v c="$1" -v n="${2:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / n / 1000; else print "?" }'; }

# ---- scenarios ----

# lat_result SERIESFILE: the trigger's series lines as results.
lat_results() {
	local line name kv
	while IFS= read -r line; do
		name=${line#series=}
		name=${name%% *}
		for kv in ${line#* }; do
			res "$name.${kv%%=*}" "${kv#*=}"
		done
	done <"$1"
}

links_only() {
	case $TOOL in
	ifplugd | bbifplugd | netplug) na "$1" ;;
	esac
}

scen_lat_link() {
	local n=$LAT_N timeout=3000
	ip link add la0 type veth peer name lb0 && ip link set lb0 up && ip link set la0 up ||
		fail "veth setup"
	T_RULES="[rule lat]
event = link-up link-down
interface = la0
run = $HOOK"
	T_OBJS="link"
	T_LINES=1
	T_IFACES=(la0)
	T_PATTERNS=(la0)
	T_PYMODE="link"
	if [ "$TOOL" = ifplugd ]; then
		n=$LAT_POLL_N # polls once a second: every sample takes up to 1 s
	fi
	start_tool
	quiet 0.5
	"$BIN/trigger" -t "$timeout" -r "$D/raw.txt" link la0 "$n" "$STAMPS" >"$D/series.txt" ||
		fail "trigger link"
	tool_alive || note_death
	lat_results "$D/series.txt"
}

scen_lat_addr() {
	links_only "links only: sees no addresses"
	ip link add la0 type veth peer name lb0 && ip link set lb0 up && ip link set la0 up ||
		fail "veth setup"
	T_RULES="[rule lat]
event = address-added
interface = la0
run = $HOOK"
	T_OBJS="link address"
	T_PYMODE=addr
	if [ "$TOOL" = ipmon ]; then
		T_OBJS="address"
		T_LINES=1
	fi
	start_tool
	quiet 0.5
	"$BIN/trigger" -r "$D/raw.txt" addr la0 "$LAT_N" "$STAMPS" >"$D/series.txt" ||
		fail "trigger addr"
	tool_alive || note_death
	lat_results "$D/series.txt"
}

scen_lat_ppp() {
	links_only "links only: cannot see the peer address that completes a PPP connection"
	[ -x "$TUNPPP" ] || fail "$TUNPPP not built"
	[ -c /dev/net/tun ] || na "no /dev/net/tun"
	mkfifo "$D/tunppp.in"
	"$TUNPPP" pp0 <>"$D/tunppp.in" >"$D/tunppp.out" 2>&1 &
	ALL_PIDS+=($!)
	poll_until 5 grep -qs '^ready' "$D/tunppp.out" || fail "tunppp did not get ready"
	T_RULES="[rule lat]
event = ppp-connect
run = $HOOK"
	T_OBJS="link address"
	T_PYMODE=addr
	if [ "$TOOL" = ipmon ]; then
		T_OBJS="address"
		T_LINES=1
	fi
	start_tool
	quiet 0.5
	"$BIN/trigger" -r "$D/raw.txt" ppp pp0 "$LAT_N" "$STAMPS" >"$D/series.txt" ||
		fail "trigger ppp"
	tool_alive || note_death
	lat_results "$D/series.txt"
}

scen_lat_spawn() {
	"$BIN/trigger" -r "$D/raw.txt" spawn "$HOOK" "$LAT_N" "$STAMPS" >"$D/series.txt" ||
		fail "trigger spawn"
	lat_results "$D/series.txt"
}

# storm LINKS.RUN: STORM_CYCLES admin down/up cycles over LINKS veths (round
# robin), in one ip -batch; the even-numbered ones end down.
scen_storm() {
	local nl=${ARG%.*} i c batch=$D/storm.batch base c0 c1 t0 t1 nmsg hwm
	{
		for ((i = 0; i < nl; i++)); do
			echo "link add sa$i type veth peer name sb$i"
			echo "link set sb$i up"
			echo "link set sa$i up"
		done
	} >"$D/setup.batch"
	ip -batch "$D/setup.batch" || fail "veth setup"
	for ((i = 0; i < nl; i++)); do
		T_IFACES+=("sa$i" "sb$i")
	done
	T_PATTERNS=('sa*' 'sb*')
	T_RULES="[rule storm]
event = link-up link-down
run = $HOOK"
	T_OBJS="link"
	T_PYMODE="link"
	{
		for ((c = 0; c < STORM_CYCLES; c++)); do
			i=$((c % nl))
			echo "link set sa$i down"
			echo "link set sa$i up"
		done
		for ((i = 0; i < nl; i += 2)); do
			echo "link set sa$i down"
		done
	} >"$batch"
	start_tool
	quiet 0.5
	start_witness
	base=$(lines_of "$STAMPS")
	c0=$(cpu_ns "${TOOL_PIDS[@]}")
	t0=$(now_us)
	ip -batch "$batch" || fail "ip -batch storm"
	t1=$(now_us)
	if [ "$TOOL" = ifplugd ] || [ "$TOOL" = bbifplugd ]; then
		settle 2.5 "$STORM_SETTLE_MAX" # they poll once a second
	else
		settle 0.5 "$STORM_SETTLE_MAX"
	fi || res busy "still busy ${SETTLE_S}s after the storm"
	c1=$(cpu_ns "${TOOL_PIDS[@]}")
	hwm=$(status_kb VmHWM "${TOOL_PIDS[@]}")
	tool_alive || note_death
	stop_witness
	ip -o link show >"$D/final.txt"
	nmsg=$(wval messages)
	res batch_ms $(((t1 - t0) / 1000))
	res settle_s "$SETTLE_S"
	res kmsgs "$nmsg"
	res kchanges "$(wval changes)"
	res kenobufs "$(wval enobufs)"
	if [ "$DIED" = 0 ]; then
		res cpu_ms "$(ms $((c1 - c0)))"
		res cpu_per_msg_us "$(per_msg $((c1 - c0)) "$nmsg")"
		res hwm_kb "$hwm"
	fi
	if [ "$TOOL" = ipmon ]; then
		res hooks "n/a"
		return
	fi
	"$PY" "$TOP/tests/bench/analyze.py" storm "$TOOL" "$STAMPS" "$base" "$D/final.txt" \
		"$D/witness.txt" >"$D/check.txt" || fail "analyze storm"
	while IFS='=' read -r k v; do
		res "$k" "$v"
	done <"$D/check.txt"
}

# flood ROUTES: ROUTES routes added with ip -batch, then flushed; a default
# route added in the middle of the flood, replaced at its end, removed and
# added again after the flush.
scen_flood() {
	local n=$ARG i c0 c1 c2 r0 r1 r2 h1 t0 t1 t2 t3 nmsg rmsg
	case $TOOL in
	ifplugd | bbifplugd | netplug) na "links only: does not read routes" ;;
	esac
	ip link add ra0 type veth peer name rb0 && ip link set rb0 up && ip link set ra0 up &&
		ip addr add 192.0.2.1/24 dev ra0 && ip addr add 2001:db8::1/64 dev ra0 nodad ||
		fail "veth setup"
	T_RULES="[rule default-route]
event = route-*
destination = default
table = main
run = $HOOK"
	T_OBJS="route"
	T_FILTER='^(Deleted )?default '
	T_PYMODE=route
	# IPv4: every prefix of length 25 to 32 inside 198.51.100.0/24 and
	# 203.0.113.0/24 (1020 routes); the rest IPv6 /64s inside 2001:db8::/32.
	"$PY" - "$n" "$D" <<'PY' || fail "batch generation"
import sys
n, d = int(sys.argv[1]), sys.argv[2]
v4 = []
for net in ("198.51.100", "203.0.113"):
    for plen in range(25, 33):
        step = 1 << (32 - plen)
        for a in range(0, 256, step):
            v4.append("%s.%d/%d" % (net, a, plen))
n6 = max(0, n - len(v4))
half = (len(v4) + n6) // 2
k = 0
with open(d + "/add.batch", "w") as f:
    for p in v4:
        f.write("route add %s dev ra0 proto 99\n" % p)
        k += 1
        if k == half:
            f.write("route add default via 192.0.2.254 dev ra0\n")
    for i in range(n6):
        f.write("route add 2001:db8:%x:%x::/64 dev ra0 proto 99\n" % (0x100 + (i >> 16), i & 0xffff))
        k += 1
        if k == half:
            f.write("route add default via 192.0.2.254 dev ra0\n")
    f.write("route replace default via 192.0.2.253 dev ra0\n")
PY
	echo "route flush proto 99" >"$D/flush.batch"
	printf 'route del default\nroute add default via 192.0.2.252 dev ra0\n' >"$D/after.batch"
	start_tool
	quiet 0.5
	start_witness
	c0=$(cpu_ns "${TOOL_PIDS[@]}")
	r0=$(status_kb VmRSS "${TOOL_PIDS[@]}")
	t0=$(now_us)
	ip -batch "$D/add.batch" || fail "ip -batch add"
	t1=$(now_us)
	settle 1 "$FLOOD_SETTLE_MAX" || res busy_add "still busy ${SETTLE_S}s after the adds"
	res settle_add_s "$SETTLE_S"
	c1=$(cpu_ns "${TOOL_PIDS[@]}")
	r1=$(status_kb VmRSS "${TOOL_PIDS[@]}")
	h1=$(status_kb VmHWM "${TOOL_PIDS[@]}")
	tool_alive || note_death
	res cached_routes "$(($(ip -4 route show proto 99 | wc -l) + $(ip -6 route show proto 99 | wc -l)))"
	if [ "$TOOL" != ipmon ]; then
		res default_during "$("$PY" "$TOP/tests/bench/analyze.py" default "$TOOL" "$STAMPS" 192.0.2.253)"
	fi
	t2=$(now_us)
	ip -4 -batch "$D/flush.batch" && ip -6 -batch "$D/flush.batch" || fail "ip -batch flush"
	t3=$(now_us)
	ip -batch "$D/after.batch" || fail "ip -batch after"
	settle 1 "$FLOOD_SETTLE_MAX" || res busy_flush "still busy ${SETTLE_S}s after the flush"
	res settle_flush_s "$SETTLE_S"
	c2=$(cpu_ns "${TOOL_PIDS[@]}")
	r2=$(status_kb VmRSS "${TOOL_PIDS[@]}")
	tool_alive || note_death
	if [ "$TOOL" != ipmon ]; then
		res default_after "$("$PY" "$TOP/tests/bench/analyze.py" default "$TOOL" "$STAMPS" 192.0.2.252)"
	fi
	stop_witness
	nmsg=$(wval messages)
	rmsg=$(wval route)
	res add_ms $(((t1 - t0) / 1000))
	res flush_ms $(((t3 - t2) / 1000))
	res kmsgs "$nmsg"
	res kroute_msgs "$rmsg"
	if [ "$DIED" = 0 ]; then
		res cpu_add_ms "$(ms $((c1 - c0)))"
		res cpu_flush_ms "$(ms $((c2 - c1)))"
		res cpu_ms "$(ms $((c2 - c0)))"
		res cpu_per_msg_us "$(per_msg $((c2 - c0)) "$nmsg")"
		res rss0_kb "$r0"
		res rss_peak_kb "$r1"
		res hwm_kb "$h1"
		res rss_after_kb "$r2"
		res rss_per_route_b "$(awk -v a="$r0" -v b="$r1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }')"
	fi
	case $TOOL in
	ifhookd)
		res enobufs "$(grep -c 'netlink receive buffer overrun' "$D/tool.log")"
		res resyncs "$(grep -c '^ifhookd: resync [0-9]* done' "$D/tool.log")"
		i=$(sed -n 's/^ifhookd: resync [0-9]* done in \([0-9]*\) ms.*/\1/p' "$D/tool.log" | sort -n | tail -n 1)
		res resync_max_ms "${i:-0}"
		;;
	*) res enobufs "$(grep -ci 'No buffer space' "$D/tool.log" "$D/tool.out" 2>/dev/null | awk -F: '{ s += $NF } END { print s + 0 }')" ;;
	esac
}

scen_idle() {
	local v0 v1 n0 n1
	ip link add ia0 type veth peer name ib0 && ip link set ib0 up && ip link set ia0 up ||
		fail "veth setup"
	T_RULES="[rule links]
event = link-*
run = $HOOK"
	T_OBJS="link address"
	T_PYMODE=addr
	T_IFACES=(ia0)
	T_PATTERNS=('ia*' 'ib*')
	start_tool
	sleep 2
	quiet 0.5
	v0=$(ctx_sum voluntary_ctxt_switches "${TOOL_PIDS[@]}")
	n0=$(ctx_sum nonvoluntary_ctxt_switches "${TOOL_PIDS[@]}")
	sleep "$IDLE_S"
	v1=$(ctx_sum voluntary_ctxt_switches "${TOOL_PIDS[@]}")
	n1=$(ctx_sum nonvoluntary_ctxt_switches "${TOOL_PIDS[@]}")
	tool_alive || note_death
	res seconds "$IDLE_S"
	res wakeups $((v1 - v0))
	res nonvol $((n1 - n0))
	res rss_kb "$(status_kb VmRSS "${TOOL_PIDS[@]}")"
	res hwm_kb "$(status_kb VmHWM "${TOOL_PIDS[@]}")"
	res procs "${#TOOL_PIDS[@]}"
}

# spawn serial|parallel: SPAWN_N IPv6 addresses (no DAD) added in one ip
# -batch, round robin over 50 veths (so no link's address list grows long);
# ifhookd runs their address-added hooks with max_jobs = 1 (serial: one at a
# time, like the loops) or 8 (parallel). Hooks per second from the first
# hook's start to the last one's; the bare posix_spawn loop is the limit.
scen_spawn() {
	local nif=50 i k batch=$D/addr.batch par=1 got c0 c1
	[ "$ARG" = parallel ] && par=8
	if [ "$TOOL" = bare ]; then
		"$BIN/trigger" spawnloop "$HOOK" "$SPAWN_N" "$par" >"$D/loop.txt" || fail "spawnloop"
		"$BIN/trigger" rate "$STAMPS" >"$D/rate.txt"
		res per_s "$(sed -n 's/.*per_s=\([0-9.]*\).*/\1/p' "$D/rate.txt")"
		res hooks "$(sed -n 's/.*hooks=\([0-9]*\).*/\1/p' "$D/rate.txt")"
		res cpu_per_hook_us "$(sed -n 's/.*cpu_per_spawn_us=\([0-9.]*\).*/\1/p' "$D/loop.txt")"
		return
	fi
	links_only "links only: no address events to run hooks for"
	[ "$TOOL" = ipmon ] && na "prints, runs no hook"
	if [ "$ARG" = parallel ] && [ "$TOOL" != ifhookd ]; then
		na "runs one hook at a time (same as serial)"
	fi
	for ((i = 0; i < nif; i++)); do
		echo "link add sp$i type veth peer name sq$i"
		echo "link set sq$i up"
		echo "link set sp$i up"
	done >"$D/links.batch"
	ip -batch "$D/links.batch" || fail "veth setup"
	T_RULES="[rule spawn]
event = address-added
run = $HOOK"
	T_DAEMON=("max_jobs = $par")
	T_OBJS="link address"
	T_PYMODE=addr
	for ((k = 0; k < SPAWN_N; k++)); do
		printf 'address add 2001:db8:5:%x::%x/128 dev sp%d nodad\n' $((k % nif)) $((k + 1)) $((k % nif))
	done >"$batch"
	start_tool
	quiet 0.5
	: >"$STAMPS"
	c0=$(cpu_ns "${TOOL_PIDS[@]}")
	ip -batch "$batch" || fail "ip -batch addresses"
	poll_until 120 eval '[ "$(lines_of "$STAMPS")" -ge "$SPAWN_N" ]' || res short "fewer hooks than addresses"
	settle 0.5 30
	c1=$(cpu_ns "${TOOL_PIDS[@]}")
	tool_alive || note_death
	got=$(lines_of "$STAMPS")
	[ "$DIED" = 0 ] && res cpu_per_hook_us "$(per_msg $((c1 - c0)) "$got")"
	"$BIN/trigger" rate "$STAMPS" >"$D/rate.txt"
	res per_s "$(sed -n 's/.*per_s=\([0-9.]*\).*/\1/p' "$D/rate.txt")"
	res hooks "$got"
}

# startup: STARTUP_LINKS links (veth pairs, up) and STARTUP_ROUTES routes,
# then exec to the "ready" line, STARTUP_REPEAT times each with
# startup_events = yes and no.
scen_startup() {
	local i n6 se r out
	[ "$TOOL" = ifhookd ] || na "no initial state to load and no ready signal"
	{
		for ((i = 0; i < STARTUP_LINKS / 2; i++)); do
			echo "link add ua$i type veth peer name ub$i"
			echo "link set ua$i up"
			echo "link set ub$i up"
		done
		echo "address add 192.0.2.1/24 dev ua0"
		echo "address add 2001:db8::1/64 dev ua0 nodad"
		echo "route add default via 192.0.2.254 dev ua0"
	} >"$D/links.batch"
	ip -batch "$D/links.batch" || fail "link setup"
	n6=$((STARTUP_ROUTES - 512))
	{
		for ((i = 0; i < 512; i++)); do
			if [ "$i" -lt 256 ]; then
				echo "route add 198.51.100.$i/32 dev ua0 proto 99"
			else
				echo "route add 203.0.113.$((i - 256))/32 dev ua0 proto 99"
			fi
		done
		for ((i = 0; i < n6; i++)); do
			printf 'route add 2001:db8:%x:%x::/64 dev ua0 proto 99\n' $((0x100 + (i >> 16))) $((i & 0xffff))
		done
	} >"$D/routes.batch"
	ip -batch "$D/routes.batch" || fail "route setup"
	res links "$(($(ip -o link show | wc -l) - 1))"
	res routes "$(($(ip -4 route show | wc -l) + $(ip -6 route show | wc -l)))"
	for se in yes no; do
		cat >"$D/startup-$se.conf" <<EOF
[daemon]
hooks_dir = hooks.d
rules_dir = rules.d
startup_events = $se
log = stderr

[rule uplink]
event = link-up link-down
interface = ua0
run = $HOOK

[rule default-route]
event = route-*
destination = default
run = $HOOK

[rule addresses]
event = address-added
run = $HOOK
EOF
		for ((r = 0; r < STARTUP_REPEAT; r++)); do
			out=$("$BIN/trigger" startup "ifhookd: ready (" "$D/startup-$se.$r.log" -- \
				"$IFHOOKD" -f -c "$D/startup-$se.conf" "${IFHOOKD_ARGS[@]}") ||
				fail "startup: no ready line"
			echo "$out" >>"$D/startup-$se.txt"
		done
		res "ready_ms.$se" "$(sed -n 's/.*ready_ms=\([0-9.]*\).*/\1/p' "$D/startup-$se.txt" | sort -n |
			awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
		res "cpu_ms.$se" "$(sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p' "$D/startup-$se.txt" | sort -n |
			awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
		res "hwm_kb.$se" "$(sed -n 's/.*hwm_kb=\([0-9]*\).*/\1/p' "$D/startup-$se.txt" | sort -n | tail -n 1)"
	done
}

case $SCEN in
lat-link) scen_lat_link ;;
lat-addr) scen_lat_addr ;;
lat-ppp) scen_lat_ppp ;;
lat-spawn) scen_lat_spawn ;;
storm) scen_storm ;;
flood) scen_flood ;;
idle) scen_idle ;;
spawn) scen_spawn ;;
startup) scen_startup ;;
*) fail "unknown scenario $SCEN" ;;
esac
exit 0
