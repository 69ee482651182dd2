#!/bin/bash
# Purpose: `make bench`: measures ifhookd's reaction latency, flap storms, route
# floods, classifier throughput, idle cost, spawn cost and startup, side by side
# with the tools an admin would use instead, and prints one table of figures,
# ratios and the issue's targets. Nothing in it passes or fails.
#
# Root only; every scenario runs in its own fresh private network namespace
# (tests/bench/scenario.sh), so the host's interfaces are never touched.
# Environment:
#   BENCH_QUICK=1          reduced counts (about 2-3 minutes) for development:
#                          20 latency samples, storms on 8 links only, a 20 000
#                          route flood, 200 hooks, 200 links and 20 000 routes
#                          at startup, 5 s idle
#   BENCH_STORM_RUNS=N     storms per size for ifhookd (default 20, quick 2)
#   BENCH_PEER_STORM_RUNS=N  storms per size for each peer (default 2, quick 1)
#   BENCH_TOOLS="..."      subset of: ifhookd ipmon iploop pyroute2 ifplugd bbifplugd netplug
#   BENCH_ONLY="..."       subset of: latency idle storm flood spawn startup classifier
#   BENCH_KEEP=1           keep the work directory (hook stamps, logs, raw samples)
#   BENCH_DEPS=0           do not run tests/bench/deps.sh (installs peers as root)
# The table goes to stdout and to build/bench/table.txt, the raw figures to
# build/bench/results.tsv.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 2
export TOP
export BIN=$TOP/build/bench
export IFHOOKD=${IFHOOKD:-$TOP/ifhookd}
export TUNPPP=${TUNPPP:-$TOP/build/tunppp}
export PY=/usr/bin/python3 # Debian's, which has python3-pyroute2

if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (network namespaces, veths, tun); run: sudo make bench" >&2
	exit 1
fi
for b in "$IFHOOKD" "$TUNPPP" "$BIN/stamp" "$BIN/trigger" "$BIN/nlwatch" "$BIN/classbench"; do
	[ -x "$b" ] || {
		echo "bench: $b is not built (run make bench)" >&2
		exit 1
	}
done
unshare -n true 2>/dev/null || {
	echo "bench: cannot create a network namespace (unshare -n)" >&2
	exit 1
}

QUICK=${BENCH_QUICK:-0}
q() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }
LAT_N=$(q 200 20)
LAT_POLL_N=$(q 20 3)
STORM_CYCLES=10000
STORM_RUNS=${BENCH_STORM_RUNS:-$(q 20 2)}
PEER_STORM_RUNS=${BENCH_PEER_STORM_RUNS:-$(q 2 1)}
STORM_SIZES=$(q "1 8 64" "8")
FLOOD_SIZES=$(q "100000 1000000" "20000")
FLOOD_SETTLE_MAX=$(q 120 20)
STORM_SETTLE_MAX=$(q 60 20)
IDLE_S=$(q 30 5)
SPAWN_N=$(q 1000 200)
STARTUP_LINKS=$(q 1000 200)
STARTUP_ROUTES=$(q 100000 20000)
STARTUP_REPEAT=$(q 3 1)
export LAT_N LAT_POLL_N STORM_CYCLES STORM_SETTLE_MAX FLOOD_SETTLE_MAX IDLE_S SPAWN_N STARTUP_LINKS \
	STARTUP_ROUTES STARTUP_REPEAT
CLASS_S=$(q 2 0.3)
CALLGRIND_ROUNDS=$(q 50 5)
# link100k fills 100 000 routes first, which is slow under valgrind.
CALLGRIND_STREAMS=$(q "" "link,addr,route,mixed")
TOOLS=${BENCH_TOOLS:-ifhookd ipmon iploop pyroute2 ifplugd bbifplugd netplug}
ONLY=${BENCH_ONLY:-latency idle storm flood spawn startup classifier}

export W
W=$(mktemp -d "${TMPDIR:-/tmp}/ifhookd-bench.XXXXXX") || exit 1
chmod 755 "$W"
export RESULTS=$W/results.tsv
: >"$RESULTS"
cleanup() {
	trap - EXIT INT TERM
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $W" >&2
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

T_START=${EPOCHREALTIME/./}
log() { printf 'bench [%4ds]: %s\n' $(((${EPOCHREALTIME/./} - T_START) / 1000000)) "$*" >&2; }
meta() { printf 'meta\t-\t%s\t%s\n' "$1" "$2" >>"$RESULTS"; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }
has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }

# ---- peers ----
export BB="" BB_REASON=""
if [ "${BENCH_DEPS:-1}" != 0 ]; then
	log "checking the peers (tests/bench/deps.sh)"
	bbline=$(tests/bench/deps.sh "$BIN" | tail -n 1)
else
	bbline="busybox: unavailable: BENCH_DEPS=0"
	[ -x "$BIN/busybox/busybox" ] && bbline="busybox: $BIN/busybox/busybox"
fi
case $bbline in
"busybox: unavailable: "*) BB_REASON=${bbline#busybox: unavailable: } ;;
"busybox: "*) BB=${bbline#busybox: } ;;
*) BB_REASON="deps.sh said nothing" ;;
esac

meta quick "$QUICK"
meta nproc "$(nproc)"
meta kernel "$(uname -r)"
meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta ifhookd "$("$IFHOOKD" -V 2>&1 | head -n 1)"
meta iproute2 "$(ip -V 2>&1 | head -n 1)"
meta pyroute2 "$(dpkg-query -W -f='${Version}' python3-pyroute2 2>/dev/null || echo none)"
meta ifplugd "$(dpkg-query -W -f='${Version}' ifplugd 2>/dev/null || echo none)"
meta netplug "$(dpkg-query -W -f='${Version}' netplug 2>/dev/null || echo none)"
meta busybox "${BB:+$("$BB" ifplugd -h 2>&1 | sed -n 's/^BusyBox \(v[^ ]*\).*/\1/p' | head -n 1)}${BB_REASON:+unavailable: $BB_REASON}"
meta storm_runs "$STORM_RUNS"
meta peer_storm_runs "$PEER_STORM_RUNS"
meta lat_n "$LAT_N"
meta lat_poll_n "$LAT_POLL_N"
meta idle_s "$IDLE_S"
meta spawn_n "$SPAWN_N"
meta flood_sizes "$FLOOD_SIZES"

# run SECONDS SCENARIO TOOL [ARG]: one scenario, bounded in time.
run() {
	local limit=$1 rc
	shift
	timeout -k 10 "$limit" bash tests/bench/scenario.sh "$@"
	rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		printf '%s\t%s\t%s\t%s\n' "$2${3:+-$3}" "$1" error "timed out after ${limit}s" >>"$RESULTS"
		log "$* timed out after ${limit}s"
	fi
}

if wants latency; then
	log "latency: spawn floor ($LAT_N samples)"
	run 300 lat-spawn bare
	for s in lat-link lat-addr lat-ppp; do
		for t in $TOOLS; do
			log "latency: $s $t"
			run 900 "$s" "$t"
		done
	done
fi

if wants idle; then
	log "idle: all tools at once, each in its own namespace, ${IDLE_S}s"
	for t in $TOOLS; do
		run $((IDLE_S + 120)) idle "$t" &
	done
	wait
fi

if wants storm; then
	if [ "$QUICK" = 1 ]; then
		printf 'storm-1\t-\tskipped\tBENCH_QUICK\nstorm-64\t-\tskipped\tBENCH_QUICK\n' >>"$RESULTS"
	fi
	for n in $STORM_SIZES; do
		for t in $TOOLS; do
			runs=$PEER_STORM_RUNS
			[ "$t" = ifhookd ] && runs=$STORM_RUNS
			for ((r = 1; r <= runs; r++)); do
				log "storm: $STORM_CYCLES cycles on $n links, $t, run $r of $runs"
				run 300 storm "$t" "$n.$r"
			done
		done
	done
fi

if wants flood; then
	for n in $FLOOD_SIZES; do
		for t in $TOOLS; do
			log "flood: $n routes, $t"
			run $((FLOOD_SETTLE_MAX * 2 + 600)) flood "$t" "$n"
		done
	done
	if [ "$QUICK" = 1 ]; then
		printf 'flood-1000000\t-\tskipped\tBENCH_QUICK\n' >>"$RESULTS"
		printf 'flood-100000\t-\tskipped\tBENCH_QUICK\n' >>"$RESULTS"
	fi
fi

if wants spawn; then
	for m in serial parallel; do
		log "spawn: $m, bare posix_spawn loop"
		run 300 spawn bare "$m"
		for t in $TOOLS; do
			log "spawn: $m, $t"
			run 300 spawn "$t" "$m"
		done
	done
fi

if wants startup; then
	log "startup: $STARTUP_LINKS links, $STARTUP_ROUTES routes"
	run 900 startup ifhookd
	for t in $TOOLS; do
		[ "$t" = ifhookd ] || run 60 startup "$t"
	done
fi

if wants classifier; then
	conf=$W/classbench.conf
	mkdir -p "$W/classbench/rules.d"
	cat >"$conf" <<EOF
; The rules of README.md's example plus a catch-all for links.
[daemon]
hooks_dir = classbench
rules_dir = classbench/rules.d

[rule ppp-up]
event = ppp-connect
interface = ppp* !ppp9
family = inet
run = /bin/true

[rule default-route]
event = route-*
destination = default
table = main
run = /bin/true
args = none

[rule uplink]
event = link-up link-down
interface = eth0
delay_up = 2s
run = /bin/true

[rule report]
event = ppp-connect
run = /bin/true

[rule links]
event = link-*
run = /bin/true

[rule lan]
event = address-added
address = 198.51.100.0/24
run = /bin/true
EOF
	log "classifier: throughput (${CLASS_S}s per stream)"
	"$BIN/classbench" -s "$CLASS_S" "$conf" >"$W/classbench.txt" 2>&1 ||
		echo "classbench failed: $(tail -n 3 "$W/classbench.txt")" >&2
	while IFS= read -r line; do
		case $line in
		stream=*)
			name=${line#stream=}
			name=${name%% *}
			for kv in ${line#* }; do
				printf 'classifier\tifhookd\t%s.%s\t%s\n' "$name" "${kv%%=*}" "${kv#*=}" >>"$RESULTS"
			done
			;;
		esac
	done <"$W/classbench.txt"
	if command -v valgrind >/dev/null; then
		log "classifier: instructions per message (callgrind, $CALLGRIND_ROUNDS rounds)"
		valgrind --tool=callgrind --callgrind-out-file="$W/callgrind.out" \
			--toggle-collect='bench_*' "$BIN/classbench" -r "$CALLGRIND_ROUNDS" \
			${CALLGRIND_STREAMS:+-o "$CALLGRIND_STREAMS"} "$conf" \
			>"$W/classbench-cg.txt" 2>"$W/callgrind.log"
		callgrind_annotate --inclusive=yes "$W/callgrind.out" >"$W/callgrind.txt" 2>/dev/null
		while IFS= read -r line; do
			name=${line#stream=}
			name=${name%% *}
			msgs=$(sed -n 's/.* messages=\([0-9]*\).*/\1/p' <<<"$line")
			ir=$(sed -n "s/^ *\\([0-9,]*\\) .*:bench_$name .*/\\1/p" "$W/callgrind.txt" | tr -d , | head -n 1)
			[ -n "$ir" ] && [ "${msgs:-0}" -gt 0 ] &&
				printf 'classifier\tifhookd\t%s.ir_per_msg\t%s\n' "$name" $((ir / msgs)) >>"$RESULTS"
		done < <(grep '^stream=' "$W/classbench-cg.txt")
		# Where the instructions go: the top functions by their own cost.
		callgrind_annotate "$W/callgrind.out" 2>/dev/null | sed -n '/file:function/,$p' |
			sed -n '3,12p' >"$BIN/callgrind-top.txt"
	else
		printf 'classifier\tifhookd\tir\tvalgrind not installed\n' >>"$RESULTS"
	fi
fi

meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
meta seconds $(((${EPOCHREALTIME/./} - T_START) / 1000000))
cp "$RESULTS" "$BIN/results.tsv"
"$PY" tests/bench/report.py "$RESULTS" | tee "$BIN/table.txt"
