#!/bin/bash
# Purpose: drop-in compatibility with pppd's scripts: the example rules of
# contrib/ppp/ip-up-compat.conf (args = pppd, through contrib/ppp/run-ip-up
# and Debian's run-parts) run an unmodified ip-up.d / ip-down.d pair, written
# the usual Debian way, on the PPP double (tunppp): each script gets pppd's
# six arguments (ppp0 '' 0 192.0.2.1 192.0.2.2 '') and the PPP_*
# variables, its route change takes effect, run-parts semantics hold (byte
# order; foo.sh and non-executables skipped), ip-down.d gets CONNECT_TIME; and
# `args = pppd` on a rule that matches other events is a configuration error.
. "$(dirname "$0")/../lib.sh"
setup "$@"
command -v run-parts >/dev/null || skip "needs run-parts (debianutils)"
NO_RECORD_RULE=1 write_config
PPP=$T/ppp
mkdir -p "$T/lib" "$PPP/ip-up.d" "$PPP/ip-down.d"
install -m 0755 "$TOP/contrib/ppp/run-ip-up" "$T/lib/run-ip-up"
# The shipped example, with this test's paths.
sed -e "s|/usr/local/lib/ifhookd/run-ip-up|$T/lib/run-ip-up|" -e "s|/etc/ppp/|$PPP/|" \
	"$TOP/contrib/ppp/ip-up-compat.conf" >"$RULES/ip-up-compat.conf"
grep -q "^run = $T/lib/run-ip-up $PPP/ip-up.d\$" "$RULES/ip-up-compat.conf" ||
	fail "could not adapt ip-up-compat.conf"

# A typical /etc/ppp/ip-up.d script (the test's own: it records what it got
# in $T/got.up.* where a real one would only log).
cat >"$PPP/ip-up.d/50-branch-route" <<EOF
#!/bin/sh
# /etc/ppp/ip-up.d/50-branch-route: route the branch office's network over the
# PPP link to it. pppd runs this through /etc/ppp/ip-up and run-parts as
#   50-branch-route interface tty speed local-IP remote-IP ipparam
# with PPP_IFACE, PPP_TTY, PPP_SPEED, PPP_LOCAL, PPP_REMOTE and PPP_IPPARAM
# set from those arguments.
set -e

# Only the link to the branch office.
[ "\$PPP_IFACE" = ppp0 ] || exit 0

ip route add 198.51.100.0/24 via "\$PPP_REMOTE" dev "\$PPP_IFACE"
echo "branch-route: \$1 up: \$4 -> \$5 (tty \$2, speed \$3)"

printf '%s\n' "\$#" "\$1" "\$2" "\$3" "\$4" "\$5" "\$6" >'$T/got.up.args'
cat /proc/\$\$/environ >'$T/got.up.env'
EOF
cat >"$PPP/ip-down.d/50-branch-route" <<EOF
#!/bin/sh
# /etc/ppp/ip-down.d/50-branch-route: the route went with the link; say so.
[ "\$PPP_IFACE" = ppp0 ] || exit 0
ip route del 198.51.100.0/24 dev "\$1" 2>/dev/null || true
echo "branch-route: \$1 down after \${CONNECT_TIME:-?} s"
printf '%s\n' "\$#" "\$1" "\$2" "\$3" "\$4" "\$5" "\$6" >'$T/got.down.args'
cat /proc/\$\$/environ >'$T/got.down.env'
EOF
# run-parts order and names: 10-first runs before 50-..., the others never.
for f in 10-first 20-skipped.sh 30-not-executable; do
	printf '#!/bin/sh\necho %s >>%s\n' "$f" "$T/order" >"$PPP/ip-up.d/$f"
done
printf '#!/bin/sh\necho 90-last >>%s\n' "$T/order" >"$PPP/ip-up.d/90-last"
chmod 0755 "$PPP"/ip-up.d/* "$PPP"/ip-down.d/*
chmod 0644 "$PPP/ip-up.d/30-not-executable"

"$IFHOOKD" -n -c "$CONF" >"$T/check.out" 2>&1 || fail "ifhookd -n: $(cat "$T/check.out")"
start_daemon

# env_in FILE VAR: VAR's value in a recorded /proc/PID/environ.
env_in() {
	local kv
	while IFS= read -r -d '' kv; do
		if [ "${kv%%=*}" = "$2" ]; then
			printf '%s' "${kv#*=}"
			return 0
		fi
	done <"$1"
	return 1
}
expect_in() { # expect_in FILE VAR VALUE
	local got
	got=$(env_in "$1" "$2") || fail "$(basename "$1"): $2 is not set (want '$3')"
	[ "$got" = "$3" ] || fail "$(basename "$1"): $2='$got', want '$3'"
}

tunppp_start ppp0
ip link set ppp0 up
ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
wait_for_fixed "" "$T/got.up.env" || fail "ip-up.d/50-branch-route did not run"
poll_until 5 test -s "$T/got.up.env" || fail "ip-up.d/50-branch-route did not finish"
[ "$(cat "$T/got.up.args")" = "$(printf '%s\n' 6 ppp0 '' 0 192.0.2.1 192.0.2.2 '')" ] ||
	fail "ip-up.d got the arguments [$(paste -sd'|' "$T/got.up.args")], want [6|ppp0||0|192.0.2.1|192.0.2.2|]"
for kv in PPP_IFACE=ppp0 PPP_LOCAL=192.0.2.1 PPP_REMOTE=192.0.2.2 PPP_TTY= \
	PPP_TTYNAME= PPP_SPEED=0 PPP_IPPARAM= IFNAME=ppp0 IPLOCAL=192.0.2.1 \
	IPREMOTE=192.0.2.2 EVENT=ppp-connect RULE=ppp-ip-up FAMILY=inet; do
	expect_in "$T/got.up.env" "${kv%%=*}" "${kv#*=}"
done
env_in "$T/got.up.env" CONNECT_TIME >/dev/null && fail "CONNECT_TIME set for ip-up"
route=$(ip -4 route show 198.51.100.0/24)
[ "${route% }" = "198.51.100.0/24 via 192.0.2.2 dev ppp0" ] ||
	fail "the route ip-up.d added is '$route'"
poll_until 5 grep -q 90-last "$T/order" || fail "ip-up.d/90-last did not run"
[ "$(paste -sd' ' "$T/order")" = "10-first 90-last" ] ||
	fail "run-parts ran [$(paste -sd' ' "$T/order")], want [10-first 90-last] (50-branch-route recorded itself)"

sleep 1.2
tunppp_stop
wait_for_fixed "" "$T/got.down.env" || fail "ip-down.d/50-branch-route did not run"
poll_until 5 test -s "$T/got.down.env" || fail "ip-down.d/50-branch-route did not finish"
[ "$(cat "$T/got.down.args")" = "$(printf '%s\n' 6 ppp0 '' 0 192.0.2.1 192.0.2.2 '')" ] ||
	fail "ip-down.d got the arguments [$(paste -sd'|' "$T/got.down.args")]"
expect_in "$T/got.down.env" EVENT ppp-disconnect
expect_in "$T/got.down.env" PPP_REMOTE 192.0.2.2
t=$(env_in "$T/got.down.env" CONNECT_TIME) || fail "ip-down.d: no CONNECT_TIME"
[[ $t =~ ^[12]$ ]] || fail "ip-down.d: CONNECT_TIME='$t' after a 1.2 s connection"
[ -z "$(ip -4 route show 198.51.100.0/24)" ] || fail "the branch route outlived the link"
[ "$(paste -sd' ' "$T/order")" = "10-first 90-last" ] || fail "ip-up.d ran again at disconnect"
# The scripts' output reaches the daemon's log, tagged with the rule.
grep -qE "rule ppp-ip-up\[[0-9]+\]: branch-route: ppp0 up: 192\.0\.2\.1 -> 192\.0\.2\.2 \(tty , speed 0\)\$" \
	"$LOG" || fail "ip-up.d's output is not in the daemon's log"
wait_for "rule ppp-ip-down\[[0-9]+\]: branch-route: ppp0 down after [12] s\$" "$LOG" ||
	fail "ip-down.d's output is not in the daemon's log"

# args = pppd only with ppp-connect/ppp-disconnect.
cat >"$T/bad.conf" <<EOF
[daemon]
hooks_dir = hooks.d
[rule bad]
event = ppp-* link-up
run = $T/lib/run-ip-up $PPP/ip-up.d
args = pppd
EOF
if "$IFHOOKD" -n -c "$T/bad.conf" >"$T/bad.out" 2>&1; then
	fail "ifhookd -n accepted args = pppd on link-up"
fi
grep -qF "$T/bad.conf:3: args = pppd: the rule's events must be ppp-connect or ppp-disconnect, but it matches link-up" \
	"$T/bad.out" || fail "ifhookd -n said: $(cat "$T/bad.out")"
finish
