#!/bin/bash
# Purpose: the real-PPP end-to-end test. Boots Debian's kernel in QEMU (TCG)
# with an initramfs holding busybox, pppd, the PPP modules and the freshly
# built ./ifhookd with a recording hook (tests/ppp/guest-init.sh runs the
# scenario: three pppd sessions on ppp0, ended by SIGTERM to our pppd, SIGTERM
# to the peer and SIGKILL of the peer), then checks on the host, from what the
# hook recorded in the guest, every ppp0 event around each connect and
# disconnect: the exact sequence (routes aside) and the route events as a set,
# PPP_LOCAL/PPP_REMOTE, IFKIND/IFTYPE, one ppp-connect and one ppp-disconnect
# per session, a new IFINDEX per session and EVENT_SEQ increasing; and, from
# the daemon's -v log, that every event it classified either reached the hook
# or was cancelled by its opposite before any hook ran (coalescing). Then the
# examples phase (check_examples): a fourth session under a second daemon
# running contrib/ppp/ppp-notify and ppp-default-route and an `args = pppd`
# rule, compared with what the real pppd passes its own ip-up and ip-down
# (arguments, IFNAME/IPLOCAL/IPREMOTE, CONNECT_TIME).
# Exit 0 pass, 1 fail: it never skips; a QEMU that cannot start is a failure.
# Needs no root once tests/ppp/prepare.sh has what it needs (as root, that
# script installs the missing packages).
# Environment: IFHOOKD (the binary), IFHOOKD_PPP_CACHE (see prepare.sh),
# IFHOOKD_PPP_BZIMAGE=1 (boot the compressed kernel), IFHOOKD_PPP_WAIT
# (seconds for each wait in the guest, 45), IFHOOKD_PPP_WATCHDOG (seconds for
# the guest's whole scenario, 180), IFHOOKD_PPP_MONITOR=0 (no `ip monitor` log
# of the kernel's messages in the guest), KEEP_TMP=1 (keep the temp dir of a
# failed run), VERBOSE=1 (print the guest's timeline and every recorded event).
set -u
export LC_ALL=C
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
IFHOOKD=${IFHOOKD:-$TOP/ifhookd}
GUEST_WATCHDOG=${IFHOOKD_PPP_WATCHDOG:-180} # s, inside the guest
GUEST_WAIT=${IFHOOKD_PPP_WAIT:-45}         # s, for each wait inside the guest (TCG on a loaded 2-core host is slow)
QEMU_TIMEOUT=$((GUEST_WATCHDOG + 60))      # s, for the whole qemu run

T=""
CONSOLE=""
REPORT=() # ppp0's events, one line per phase (report_phase)
SESSIONS=3
HOWS=(term-ours term-peer kill-peer) # how session 1, 2, 3 end (guest-init.sh)

say() { printf 'ppp-real: %s\n' "$*"; }
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# fail REASON: prints the reason, then what the guest said (steps, errors, the
# daemon's log, the recorded events, pppd's logs) or the raw console.
fail() {
	printf 'FAIL: ppp-real: %s\n' "$*" >&2
	if [ "${#REPORT[@]}" != 0 ]; then
		printf -- '--- ppp0 events by phase (SEQ:event; [coalesced]: logged, no hook ran) ---\n' >&2
		printf '%s\n' "${REPORT[@]}" >&2
	fi
	if [ -n "$CONSOLE" ] && [ -s "$CONSOLE" ]; then
		if grep -q '^@@' "$CONSOLE"; then
			printf -- '--- guest steps and errors ---\n' >&2
			grep -E '^@@(BOOT|STEP|ERROR|RESULT)' "$CONSOLE" >&2
			printf -- '--- daemon log in the guest ---\n' >&2
			sed -n 's/^@@LOG //p' "$CONSOLE" | tail -n 150 | cat -v >&2
			printf -- '--- events recorded by the hook (SEQ EVENT IFACE) ---\n' >&2
			sed -n 's/^@@LIST //p' "$CONSOLE" | cat -v >&2
			printf -- '--- pppd logs ---\n' >&2
			sed -n 's/^@@PPP //p' "$CONSOLE" | tail -n 80 | cat -v >&2
		fi
		printf -- '--- console, last 40 lines other than @@ ---\n' >&2
		grep -v '^@@' "$CONSOLE" | tail -n 40 | cat -v >&2
	fi
	if [ -n "$T" ] && [ -s "$T/qemu.err" ]; then
		printf -- '--- qemu stderr ---\n' >&2
		tail -n 20 "$T/qemu.err" | cat -v >&2
	fi
	exit 1
}

cleanup() {
	local rc=$?
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$rc" != 0 ] && [ -n "${KEEP_TMP:-}" ]; then
			say "kept $T" >&2
		else
			rm -rf "$T"
		fi
	fi
	exit "$rc"
}

# copy_with_libs FILE DEST: FILE at ROOT/DEST and every library ldd lists at
# its own path.
copy_with_libs() {
	local f=$1 dest=$2 lib libs
	mkdir -p "$ROOT/$(dirname "$dest")"
	cp -L "$f" "$ROOT/$dest" || fail "cp $f"
	libs=$(ldd "$f" 2>/dev/null) || fail "ldd $f failed"
	if grep -q 'not found' <<<"$libs"; then
		fail "ldd $f: $(grep 'not found' <<<"$libs" | tr '\n' ' ')"
	fi
	for lib in $(grep -o '/[^ ]*' <<<"$libs"); do
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib" || fail "cp $lib"
	done
}

build_initramfs() {
	local pppd d
	ROOT=$T/root
	for d in bin sbin usr/bin usr/sbin etc/ifhookd/hooks.d etc/ifhookd/rules.d etc/ppp \
		proc sys dev tmp run var modules; do
		mkdir -p "$ROOT/$d"
	done
	ln -s ../run "$ROOT/var/run"
	printf 'WATCHDOG=%s\nWAIT=%s\n' "$GUEST_WATCHDOG" "$GUEST_WAIT" >"$ROOT/etc/ppp-test.conf"
	cp "$GUEST/busybox" "$ROOT/bin/busybox" || fail "cp busybox"
	ln -s busybox "$ROOT/bin/sh"
	# pppd is mode 4754 root:dip: readable, not always executable, for others.
	for pppd in /usr/sbin/pppd /sbin/pppd ""; do
		[ -r "$pppd" ] && break
	done
	[ -n "$pppd" ] || fail "no readable /usr/sbin/pppd (prepare.sh should have installed ppp)"
	copy_with_libs "$pppd" /usr/sbin/pppd
	chmod 0755 "$ROOT/usr/sbin/pppd"
	copy_with_libs "$IFHOOKD" /usr/sbin/ifhookd
	# iproute2's ip: the examples phase sets routes with it and
	# ppp-default-route reads `ip route show` as iproute2 prints it.
	ip -V 2>/dev/null | grep -q iproute2 || fail "the host's ip is not iproute2's"
	copy_with_libs "$(command -v ip)" /usr/lib/ifhookd-test/ip
	if [ "${IFHOOKD_PPP_MONITOR:-1}" = 1 ]; then
		echo "MONITOR=/usr/lib/ifhookd-test/ip" >>"$ROOT/etc/ppp-test.conf"
	fi
	cp "$GUEST"/modules/*.ko "$ROOT/modules/" || fail "cp modules"
	cp "$GUEST/modules.order" "$ROOT/modules/order" || fail "cp modules.order"
	install -m 0755 "$HERE/guest-init.sh" "$ROOT/init" || fail "install init"
	install -m 0755 "$HERE/guest-record.sh" "$ROOT/etc/ifhookd/record" || fail "install record"
	cat >"$ROOT/etc/ifhookd/ifhookd.conf" <<-EOF
		; ifhookd real-PPP test (tests/ppp/test.sh): record every event.
		[daemon]
		hooks_dir = hooks.d
		rules_dir = rules.d
		timeout = 10
		startup_events = no
		log = stderr

		[rule record]
		run = /etc/ifhookd/record
	EOF
	build_examples
	(cd "$ROOT" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) >"$T/initrd" ||
		fail "cpio"
}

# The examples phase (guest-init.sh: examples): a second daemon with the
# example hooks ppp-notify (to its log) and ppp-default-route in its
# hooks_dir, and rules with args = pppd running guest-ipup.sh, which pppd also
# runs as its own /etc/ppp/ip-up and ip-down.
build_examples() {
	local x=$ROOT/etc/ifhookd/examples.d
	mkdir -p "$x"
	install -m 0755 "$HERE/guest-ipup.sh" "$ROOT/etc/ppp/record" || fail "install ppp/record"
	install -m 0755 "$HERE/guest-ipup.sh" "$ROOT/etc/ifhookd/pppd-record" || fail "install pppd-record"
	sed -e 's/^LOG_TO=syslog /LOG_TO=stdout /' "$TOP/contrib/ppp/ppp-notify" >"$x/ppp-notify"
	grep -q '^LOG_TO=stdout ' "$x/ppp-notify" || fail "could not set LOG_TO in ppp-notify"
	sed -e "s|^IP='ip' |IP='/usr/lib/ifhookd-test/ip' |" "$TOP/contrib/ppp/ppp-default-route" \
		>"$x/ppp-default-route"
	grep -q "^IP='/usr/lib/ifhookd-test/ip' " "$x/ppp-default-route" ||
		fail "could not set IP in ppp-default-route"
	chmod 0755 "$x/ppp-notify" "$x/ppp-default-route"
	cat >"$ROOT/etc/ifhookd/examples.conf" <<-EOF
		; ifhookd real-PPP test (tests/ppp/test.sh), examples phase.
		[daemon]
		hooks_dir = examples.d
		timeout = 10
		startup_events = no
		log = stderr

		[rule pppd-up]
		event = ppp-connect
		run = /etc/ifhookd/pppd-record
		args = pppd

		[rule pppd-down]
		event = ppp-disconnect
		run = /etc/ifhookd/pppd-record
		args = pppd
	EOF
}

boot_guest() {
	local kernel=$GUEST/vmlinux rc
	if [ "${IFHOOKD_PPP_BZIMAGE:-0}" = 1 ] || [ ! -f "$kernel" ]; then
		kernel=$GUEST/bzImage
	fi
	command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 not found"
	timeout -k 5 "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -m 256M -smp 1 \
		-nodefaults -no-user-config -nographic -serial stdio -no-reboot \
		-kernel "$kernel" -initrd "$T/initrd" \
		-append "console=ttyS0 panic=-1 quiet cryptomgr.notests" \
		</dev/null >"$T/console.raw" 2>"$T/qemu.err"
	rc=$?
	tr -d '\r' <"$T/console.raw" >"$CONSOLE"
	grep -q '@@BOOT ' "$CONSOLE" ||
		fail "QEMU did not start the guest (qemu exit status $rc, kernel $kernel)"
	[ "$rc" = 124 ] && fail "qemu still running after $QEMU_TIMEOUT s (the guest watchdog did not power off)"
	grep -q '^@@END' "$CONSOLE" || fail "the guest did not finish (qemu exit status $rc)"
	[ "$rc" = 0 ] || fail "qemu exited with status $rc"
}

# --- what the guest reported ---

declare -A ENV        # ENV[SEQ:VAR]=value, from the hook's records
declare -A EVT IFC    # recorded events: EVT[SEQ], IFC[SEQ]
SEQS=()               # recorded SEQs, ascending
declare -A LEVT LIFC  # events the daemon logged (-v): every one it classified
LAST_SEQ=0            # the last logged SEQ

opposite() {
	case $1 in
	link-added) echo link-removed ;; link-removed) echo link-added ;;
	link-up) echo link-down ;; link-down) echo link-up ;;
	ppp-connect) echo ppp-disconnect ;; ppp-disconnect) echo ppp-connect ;;
	address-added) echo address-removed ;; address-removed) echo address-added ;;
	route-added) echo route-removed ;; route-removed) echo route-added ;;
	*) echo none ;;
	esac
}

# check_coalesced IFACE SEQ...: logged events on IFACE that no hook ran for.
# The daemon cancels a waiting event when its opposite about the same thing
# comes before any hook started: they must pair up so.
check_coalesced() {
	local ifc=$1 s e o i found
	shift
	local -a open=()
	for s in "$@"; do
		e=${LEVT[$s]}
		o=$(opposite "$e")
		found=""
		for ((i = ${#open[@]} - 1; i >= 0; i--)); do
			if [ "${LEVT[${open[$i]}]}" = "$o" ]; then
				found=$i
				break
			fi
		done
		if [ -n "$found" ]; then
			open=("${open[@]:0:found}" "${open[@]:found+1}")
		else
			open+=("$s")
		fi
	done
	[ "${#open[@]}" = 0 ] || fail "events the daemon logged on $ifc but no hook ran for, not cancelled by an opposite event: $(for s in "${open[@]}"; do printf '%s:%s ' "$s" "${LEVT[$s]}"; done)"
}

load_events() {
	local seq kv line n_end ev ifc idx s n
	local -A last_on=()
	while IFS= read -r line; do
		read -r _ seq kv <<<"$line"
		seq=$((10#$seq))
		ENV[$seq:${kv%%=*}]=${kv#*=}
	done < <(grep '^@@ENV ' "$CONSOLE")
	# The hook's list is in the order the hooks ran: on one interface, that
	# is event order, so EVENT_SEQ must increase.
	while read -r seq ev ifc; do
		[ -z "${EVT[$seq]:-}" ] || fail "event $seq recorded twice"
		SEQS+=("$seq")
		EVT[$seq]=$ev
		IFC[$seq]=$ifc
		[ "$seq" -gt "${last_on[$ifc]:-0}" ] ||
			fail "hooks on '$ifc' ran event $seq after event ${last_on[$ifc]}: EVENT_SEQ does not increase"
		last_on[$ifc]=$seq
	done < <(sed -n 's/^@@LIST //p' "$CONSOLE")
	mapfile -t SEQS < <(printf '%s\n' "${SEQS[@]}" | sort -n)
	n_end=$(sed -n 's/^@@EVENTS-END //p' "$CONSOLE")
	[ "${#SEQS[@]}" = "$n_end" ] || fail "console lost event lines: ${#SEQS[@]} listed, guest said $n_end"

	# The daemon's log: EVENT_SEQ is 1, 2, 3... for the events of one run.
	n=0
	while read -r ev ifc idx seq; do
		n=$((n + 1))
		[ "$seq" = "$n" ] || fail "the daemon logged seq=$seq as its event number $n"
		LEVT[$seq]=$ev
		LIFC[$seq]=$ifc
		if [ -n "${EVT[$seq]:-}" ]; then
			[ "${EVT[$seq]} ${IFC[$seq]}" = "$ev $ifc" ] ||
				fail "event $seq: logged as '$ev $ifc', recorded as '${EVT[$seq]} ${IFC[$seq]}'"
			expect "$seq" EVENT_SEQ "$seq"
			expect "$seq" EVENT "$ev"
			expect "$seq" IFACE "$ifc"
			expect "$seq" IFINDEX "$idx"
		fi
	done < <(sed -n 's/^@@LOG ifhookd: event \([^ ]*\) iface=\([^ ]*\) ifindex=\([0-9]*\) origin=kernel seq=\([0-9]*\)$/\1 \2 \3 \4/p' "$CONSOLE")
	LAST_SEQ=$n
	[ "$(grep -c '^@@LOG ifhookd: event ' "$CONSOLE")" = "$n" ] ||
		fail "the daemon logged events with an origin other than kernel, or unparsable event lines"
	for s in "${SEQS[@]}"; do
		[ -n "${LEVT[$s]:-}" ] || fail "event $s (${EVT[$s]} ${IFC[$s]}) was recorded but never logged"
	done
	for ifc in ppp0 lo; do
		mapfile -t idx < <(for ((s = 1; s <= LAST_SEQ; s++)); do
			[ "${LIFC[$s]}" = "$ifc" ] && [ -z "${EVT[$s]:-}" ] && echo "$s"
		done)
		check_coalesced "$ifc" "${idx[@]}"
	done
	grep -q '^@@LOG ifhookd: exiting (' "$CONSOLE" || fail "no 'ifhookd: exiting' in the daemon log"
}

# describe SEQ: one recorded event in a line.
describe() {
	local s=$1 e=${EVT[$1]}
	case $e in
	address-*)
		printf '%s(%s %s/%s%s)' "$e" "${ENV[$s:FAMILY]:-}" "${ENV[$s:ADDRESS]:-}" \
			"${ENV[$s:PREFIXLEN]:-}" "${ENV[$s:PEER]:+ peer ${ENV[$s:PEER]}}"
		;;
	route-*)
		printf '%s(%s %s%s table %s)' "$e" "${ENV[$s:FAMILY]:-}" "${ENV[$s:ROUTE_DST]:-}" \
			"${ENV[$s:ROUTE_GATEWAY]:+ via ${ENV[$s:ROUTE_GATEWAY]}}" "${ENV[$s:ROUTE_TABLE]:-}"
		;;
	ppp-*)
		printf '%s(%s %s %s)' "$e" "${ENV[$s:FAMILY]:-}" "${ENV[$s:PPP_LOCAL]:-}" "${ENV[$s:PPP_REMOTE]:-}" ;;
	*) printf '%s' "$e" ;;
	esac
}

# expect SEQ VAR VALUE
expect() {
	[ "${ENV[$1:$2]+set}" = set ] || fail "event $1 (${EVT[$1]:-?} ${IFC[$1]:-?}): $2 is not set (want '$3')"
	[ "${ENV[$1:$2]}" = "$3" ] || fail "event $1 (${EVT[$1]} ${IFC[$1]}): $2='${ENV[$1:$2]}', want '$3'"
}

expect_match() {
	[[ ${ENV[$1:$2]:-} =~ $3 ]] || fail "event $1 (${EVT[$1]} ${IFC[$1]}): $2='${ENV[$1:$2]:-}' does not match /$3/"
}

# BARRIER[k]: the SEQ of address-added 198.51.100.k on lo (guest-init.sh).
declare -A BARRIER
find_barriers() {
	local s k
	for s in "${SEQS[@]}"; do
		[ "${IFC[$s]}" = lo ] || continue
		[ "${EVT[$s]}" = address-added ] || fail "event $s: unexpected ${EVT[$s]} on lo"
		k=${ENV[$s:ADDRESS]#198.51.100.}
		BARRIER[$k]=$s
	done
	for ((k = 1; k <= 2 * SESSIONS + 1; k++)); do
		[ -n "${BARRIER[$k]:-}" ] || fail "barrier $k (address-added 198.51.100.$k on lo) not recorded"
		[ "$k" = 1 ] || [ "${BARRIER[$k]}" -gt "${BARRIER[$((k - 1))]}" ] ||
			fail "barrier $k (seq ${BARRIER[$k]}) before barrier $((k - 1))"
	done
}

# phase FROM TO: the ppp0 events strictly between two SEQs. REC: recorded,
# routes aside; REC_ROUTES: recorded route events; LOGGED: the names of every
# logged event, routes aside (what the daemon classified, before coalescing);
# LOGGED_ALL: the same with the routes.
REC=()
REC_ROUTES=()
LOGGED=""
LOGGED_ALL=""
phase() {
	local s
	REC=()
	REC_ROUTES=()
	LOGGED=""
	LOGGED_ALL=""
	for ((s = $1 + 1; s < $2; s++)); do
		[ "${LIFC[$s]}" = ppp0 ] || continue
		LOGGED_ALL+=" ${LEVT[$s]}"
		case ${LEVT[$s]} in
		route-*) [ -n "${EVT[$s]:-}" ] && REC_ROUTES+=("$s") ;;
		*)
			LOGGED+=" ${LEVT[$s]}"
			[ -n "${EVT[$s]:-}" ] && REC+=("$s")
			;;
		esac
	done
	LOGGED=${LOGGED# }
	LOGGED_ALL=${LOGGED_ALL# }
}

# names SEQ...: "event" or "event/family" for address events.
names() {
	local s out=()
	for s in "$@"; do
		case ${EVT[$s]} in
		address-*) out+=("${EVT[$s]}/${ENV[$s:FAMILY]:-?}") ;;
		*) out+=("${EVT[$s]}") ;;
		esac
	done
	echo "${out[*]}"
}

# route_set SEQ...: the recorded route events, sorted, as "event family dst".
route_set() {
	local s
	for s in "$@"; do
		echo "${EVT[$s]} ${ENV[$s:FAMILY]:-} ${ENV[$s:ROUTE_DST]:-}"
	done | sort
}

report_phase() {
	local s line=""
	for ((s = $2 + 1; s < $3; s++)); do
		[ "${LIFC[$s]}" = ppp0 ] || continue
		if [ -n "${EVT[$s]:-}" ]; then
			line+=" $s:$(describe "$s")"
		else
			line+=" $s:${LEVT[$s]}[coalesced]"
		fi
	done
	REPORT+=("$1:$line")
}

# What hooks get, routes aside (README: "A PPP connection gives link-up,
# address-added..., ppp-connect; a disconnection address-removed...,
# ppp-disconnect, link-down, link-removed. On PPP links address-added waits
# until the link is up."). IPv4 (IPCP) completes before IPv6 (IPV6CP).
EXPECT_CONNECT="link-added link-up address-added/inet ppp-connect address-added/inet6"
EXPECT_DISCONNECT="address-removed/inet address-removed/inet6 ppp-disconnect link-down link-removed"
# What the daemon classifies (its -v log), routes aside. pppd adds its IPv6
# link-local address without the peer, then repeats it with the peer
# (IFA_ADDRESS). When the kernel's DAD pass (instant on a NOARP link, but
# deferred to a workqueue) ends before pppd's repeat, the address is announced
# without the peer; the peer arriving later is no event (the address never
# went away), and the address-removed at disconnect carries it. Otherwise the
# first usable message already has the peer. So address-added/inet6 has PEER
# set or empty, as the kernel raced.
EXPECT_LOG_CONNECT="link-added link-up address-added ppp-connect address-added"
EXPECT_LOG_DISCONNECT="address-removed address-removed ppp-disconnect link-down link-removed"

check_events() {
	local n s from to got idx prev_idx=0 prev_con=0 prev_dis=0 con dis how ll peer_ll want
	for ((s = 1; s <= LAST_SEQ; s++)); do
		case "${LIFC[$s]}" in
		ppp0 | lo) ;;
		*) fail "event $s: ${LEVT[$s]} on '${LIFC[$s]}' (a ppp1 would mean pppd did not get unit 0)" ;;
		esac
	done
	phase 0 "${BARRIER[1]}"
	[ -z "$LOGGED_ALL" ] || fail "ppp0 events before the first pppd started: $LOGGED_ALL"
	phase "${BARRIER[$((2 * SESSIONS + 1))]}" $((LAST_SEQ + 1))
	[ -z "$LOGGED_ALL" ] || fail "ppp0 events after the last disconnect: $LOGGED_ALL"

	for ((n = 1; n <= SESSIONS; n++)); do
		how=${HOWS[$((n - 1))]}
		# --- connect n ---
		from=${BARRIER[$((2 * n - 1))]}
		to=${BARRIER[$((2 * n))]}
		report_phase "connect $n" "$from" "$to"
		phase "$from" "$to"
		got=$(names "${REC[@]}")
		[ "$got" = "$EXPECT_CONNECT" ] ||
			fail "connect $n: hooks got '$got' on ppp0 (routes aside), want '$EXPECT_CONNECT'"
		[ "$LOGGED" = "$EXPECT_LOG_CONNECT" ] ||
			fail "connect $n: the daemon logged '$LOGGED' on ppp0 (routes aside), want '$EXPECT_LOG_CONNECT'"
		set -- "${REC[@]}"
		idx=${ENV[$1:IFINDEX]:-}
		[[ $idx =~ ^[0-9]+$ ]] || fail "connect $n: link-added IFINDEX='$idx'"
		[ "$idx" -gt "$prev_idx" ] || fail "connect $n: IFINDEX $idx is not new (previous $prev_idx)"
		for s in "${REC[@]}" "${REC_ROUTES[@]}"; do
			expect "$s" IFINDEX "$idx"
			expect "$s" IFKIND ppp
			expect "$s" IFTYPE ppp
			expect "$s" EVENT_ORIGIN kernel
			expect "$s" RULE record
		done
		expect "$1" LINK_STATE down
		expect "$2" LINK_STATE up
		expect "$2" OPERSTATE unknown
		expect "$3" FAMILY inet
		expect "$3" ADDRESS 192.0.2.1
		expect "$3" PEER 192.0.2.2
		expect "$3" PREFIXLEN 32
		expect "$3" SCOPE global
		con=$4
		expect "$con" PPP_IFACE ppp0
		expect "$con" PPP_LOCAL 192.0.2.1
		expect "$con" PPP_REMOTE 192.0.2.2
		expect "$con" FAMILY inet
		expect "$con" LINK_STATE up
		expect "$con" IP4_ADDRS 192.0.2.1/32
		expect "$5" FAMILY inet6
		expect_match "$5" ADDRESS '^fe80:'
		expect_match "$5" PEER '^(fe80:.*)?$'
		expect "$5" PREFIXLEN 128
		expect "$5" SCOPE link
		ll=${ENV[$5:ADDRESS]}
		peer_ll=${ENV[$5:PEER]}
		# Announced before the peer was known: the peer's /128 route names it.
		if [ -z "$peer_ll" ]; then
			for s in "${REC_ROUTES[@]}"; do
				case "${ENV[$s:FAMILY]:-} ${ENV[$s:ROUTE_DST]:-}" in
				"inet6 $ll/128") ;;
				"inet6 fe80:"*) peer_ll=${ENV[$s:ROUTE_DST]%/128} ;;
				esac
			done
		fi
		want=$(printf '%s\n' "route-added inet 192.0.2.2/32" "route-added inet6 $ll/128" \
			"route-added inet6 $peer_ll/128" | sort)
		got=$(route_set "${REC_ROUTES[@]}")
		[ "$got" = "$want" ] || fail "connect $n: route events on ppp0 are [$(echo "$got" | paste -sd,)], want [$(echo "$want" | paste -sd,)]"
		for s in "${REC_ROUTES[@]}"; do
			expect "$s" ROUTE_TABLE main
			expect "$s" ROUTE_PROTO kernel
			expect "$s" ROUTE_GATEWAY ""
		done
		[ "$con" -gt "$prev_dis" ] || fail "connect $n: ppp-connect seq $con not after the previous ppp-disconnect $prev_dis"
		[ "$con" -gt "$prev_con" ] || fail "connect $n: EVENT_SEQ $con not increasing"

		# --- disconnect n ---
		from=$to
		to=${BARRIER[$((2 * n + 1))]}
		report_phase "disconnect $n ($how)" "$from" "$to"
		phase "$from" "$to"
		got=$(names "${REC[@]}")
		[ "$got" = "$EXPECT_DISCONNECT" ] ||
			fail "disconnect $n ($how): hooks got '$got' on ppp0 (routes aside), want '$EXPECT_DISCONNECT'"
		[ "$LOGGED" = "$EXPECT_LOG_DISCONNECT" ] ||
			fail "disconnect $n ($how): the daemon logged '$LOGGED' on ppp0 (routes aside), want '$EXPECT_LOG_DISCONNECT'"
		set -- "${REC[@]}"
		for s in "${REC[@]}" "${REC_ROUTES[@]}"; do
			expect "$s" IFINDEX "$idx"
			expect "$s" IFKIND ppp
			expect "$s" IFTYPE ppp
			expect "$s" EVENT_ORIGIN kernel
		done
		expect "$1" ADDRESS 192.0.2.1
		expect "$1" PEER 192.0.2.2
		expect "$2" ADDRESS "$ll"
		expect "$2" PEER "$peer_ll"
		dis=$3
		expect "$dis" PPP_IFACE ppp0
		expect "$dis" PPP_LOCAL 192.0.2.1
		expect "$dis" PPP_REMOTE 192.0.2.2
		expect "$dis" FAMILY inet
		expect "$4" LINK_STATE down
		# README: link-removed lists the addresses removed during teardown.
		expect "$5" IP4_ADDRS 192.0.2.1/32
		expect "$5" IP6_ADDRS "$ll/128"
		want=$(printf '%s\n' "route-removed inet 192.0.2.2/32" "route-removed inet6 $ll/128" \
			"route-removed inet6 $peer_ll/128" | sort)
		got=$(route_set "${REC_ROUTES[@]}")
		[ "$got" = "$want" ] || fail "disconnect $n ($how): route events on ppp0 are [$(echo "$got" | paste -sd,)], want [$(echo "$want" | paste -sd,)]"
		prev_idx=$idx
		prev_con=$con
		prev_dis=$dis
	done
	# Exactly one ppp-connect and one ppp-disconnect per session, logged and run.
	local c=0 d=0 lc=0 ld=0
	for ((s = 1; s <= LAST_SEQ; s++)); do
		case ${LEVT[$s]} in
		ppp-connect) lc=$((lc + 1)) ;;
		ppp-disconnect) ld=$((ld + 1)) ;;
		esac
		case ${EVT[$s]:-} in
		ppp-connect) c=$((c + 1)) ;;
		ppp-disconnect) d=$((d + 1)) ;;
		esac
	done
	[ "$c $d $lc $ld" = "$SESSIONS $SESSIONS $SESSIONS $SESSIONS" ] ||
		fail "ppp-connect/ppp-disconnect: hooks got $c/$d, the daemon logged $lc/$ld, want $SESSIONS each"
}

# --- the examples phase ---

# xargv NAME: what guest-ipup.sh recorded as NAME's argv, one per line.
xargv() {
	awk -v p="@@IPUP $1.argv " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' "$CONSOLE"
}
# xenv NAME VAR: VAR's value in NAME's environment; 1 if unset.
xenv() {
	awk -v p="@@IPUP $1.env $2=" 'index($0, p) == 1 { print substr($0, length(p) + 1); f = 1 }
		END { exit !f }' "$CONSOLE"
}
xroutes() { sed -n "s/^@@ROUTES $1 //p" "$CONSOLE" | sed 's/ *$//' | sort; }

# What pppd passes its own ip-up/ip-down, next to what ifhookd passes a rule
# with args = pppd; the example hooks' effects (tests/ppp/guest-init.sh).
check_examples() {
	local n want got v pt it
	local -a pa ia
	for n in pppd-ip-up-192.0.2.1 pppd-ip-down-192.0.2.1 ifhookd-ppp-connect ifhookd-ppp-disconnect; do
		[ -n "$(xargv "$n")" ] || fail "examples: nothing recorded as $n"
	done
	# ifhookd: interface tty speed local remote ipparam, with the placeholders.
	want=$(printf '%s\n' /etc/ifhookd/pppd-record ppp0 '' 0 192.0.2.1 192.0.2.2 '')
	for n in connect disconnect; do
		got=$(xargv "ifhookd-ppp-$n")
		[ "$got" = "$want" ] || fail "examples: args = pppd gave ppp-$n [$(echo "$got" | paste -sd'|')], want [$(echo "$want" | paste -sd'|')]"
	done
	# pppd: the same interface, tty and addresses in the same places (a
	# `pty` link has no device name: pppd passes an empty tty too, and its
	# speed is the pty's). pppd omits an unset ipparam.
	for n in up:connect down:disconnect; do
		mapfile -t pa < <(xargv "pppd-ip-${n%:*}-192.0.2.1")
		mapfile -t ia < <(xargv "ifhookd-ppp-${n#*:}")
		[ "${pa[0]}" = "/etc/ppp/ip-${n%:*}" ] || fail "examples: pppd ran '${pa[0]}'"
		for v in 1 2 4 5; do
			[ "${pa[$v]:-}" = "${ia[$v]}" ] ||
				fail "examples: ip-${n%:*} argument $v: pppd passed '${pa[$v]:-}', ifhookd '${ia[$v]}'"
		done
		for v in IFNAME IPLOCAL IPREMOTE; do
			pt=$(xenv "pppd-ip-${n%:*}-192.0.2.1" "$v") || fail "examples: pppd's ip-${n%:*} got no $v"
			it=$(xenv "ifhookd-ppp-${n#*:}" "$v") || fail "examples: ppp-${n#*:} with args = pppd got no $v"
			[ "$pt" = "$it" ] || fail "examples: ip-${n%:*} $v: pppd '$pt', ifhookd '$it'"
		done
	done
	say "examples: pppd's ip-up got [$(xargv pppd-ip-up-192.0.2.1 | paste -sd'|')], args = pppd [$(xargv ifhookd-ppp-connect | paste -sd'|')]"
	say "examples: pppd's ip-up environment: $(sed -n 's/^@@IPUP pppd-ip-up-192\.0\.2\.1\.env \([A-Za-z_0-9]*\)=.*/\1/p' "$CONSOLE" | sort | paste -sd' ')"
	# CONNECT_TIME: pppd's and ifhookd's, for a session of 1.2 s or more.
	pt=$(xenv pppd-ip-down-192.0.2.1 CONNECT_TIME) || fail "examples: pppd's ip-down got no CONNECT_TIME"
	it=$(xenv ifhookd-ppp-disconnect CONNECT_TIME) || fail "examples: ifhookd's ppp-disconnect has no CONNECT_TIME"
	[[ $pt =~ ^[0-9]+$ && $it =~ ^[0-9]+$ ]] || fail "examples: CONNECT_TIME pppd '$pt', ifhookd '$it'"
	# Both in whole seconds from nearly the same moments: at most 1 apart.
	if [ "$it" -lt 1 ] || [ $((pt - it)) -gt 1 ] || [ $((it - pt)) -gt 1 ]; then
		fail "examples: CONNECT_TIME pppd $pt, ifhookd $it (a session of 1.2 s or more)"
	fi
	xenv ifhookd-ppp-connect CONNECT_TIME >/dev/null && fail "examples: CONNECT_TIME set on ppp-connect"
	say "examples: CONNECT_TIME pppd $pt, ifhookd $it"
	# ppp-notify, in the second daemon's log.
	grep -q "^@@XLOG ifhookd: /etc/ifhookd/examples.d/ppp-notify\[[0-9]*\]: ppp-notify: ppp0 connected: local 192.0.2.1, remote 192.0.2.2\$" "$CONSOLE" ||
		fail "examples: no ppp-notify connect line"
	grep -q "^@@XLOG ifhookd: /etc/ifhookd/examples.d/ppp-notify\[[0-9]*\]: ppp-notify: ppp0 disconnected after 0:00:0$it ($it s): local 192.0.2.1, remote 192.0.2.2\$" "$CONSOLE" ||
		fail "examples: no ppp-notify line 'disconnected after 0:00:0$it ($it s)'"
	# ppp-default-route: ppp0 replaced the metric-0 default and gave it back.
	want=$(printf '%s\n' "default dev lo scope link" "default dev lo scope link metric 300" | sort)
	[ "$(xroutes before)" = "$want" ] || fail "examples: default routes before: [$(xroutes before | paste -sd,)]"
	got=$(xroutes connected)
	[ "$got" = "$(printf '%s\n' "default dev ppp0 scope link" "default dev lo scope link metric 300" | sort)" ] ||
		fail "examples: default routes while connected: [$(echo "$got" | paste -sd,)]"
	[ "$(xroutes after)" = "$want" ] || fail "examples: default routes after: [$(xroutes after | paste -sd,)]"
	if grep -E '^@@XLOG .*(exited with status [1-9]|killed by signal)' "$CONSOLE"; then
		fail "examples: a hook failed"
	fi
	grep -q '^@@XLOG ifhookd: exiting (' "$CONSOLE" || fail "examples: no 'ifhookd: exiting' from the second daemon"
}

# --- main ---

[ -x "$IFHOOKD" ] || fail "$IFHOOKD not built (run make ifhookd)"
T=$(mktemp -d "${TMPDIR:-/tmp}/ifhookd-ppp-real.XXXXXX") || fail "mktemp"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
CONSOLE=$T/console.log

t0=$(now_ms)
CACHE=$("$HERE/prepare.sh") || fail "tests/ppp/prepare.sh could not prepare the guest"
GUEST=$CACHE/guest
t1=$(now_ms)
build_initramfs
t2=$(now_ms)
boot_guest
t3=$(now_ms)

grep -q '^@@RESULT ok' "$CONSOLE" ||
	fail "the guest scenario failed: $(sed -n 's/^@@ERROR //p' "$CONSOLE" | head -n 3 | tr '\n' ';')"
load_events
find_barriers
check_events
check_examples

for line in "${REPORT[@]}"; do
	say "$line"
done
if [ -n "${VERBOSE:-}" ]; then
	sed -n 's/^@@STEP /guest at /p' "$CONSOLE"
	for s in "${SEQS[@]}"; do
		printf '%s %s %s\n' "$s" "${IFC[$s]}" "$(describe "$s")"
	done
fi
say "prepare $((t1 - t0)) ms, initramfs $((t2 - t1)) ms, qemu $((t3 - t2)) ms ($(cat "$GUEST/version"))"
echo "PASS: ppp-real"
exit 0
