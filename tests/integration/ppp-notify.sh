#!/bin/bash
# Purpose: the example hook contrib/ppp/ppp-notify, installed in hooks_dir,
# against the PPP double (tunppp): it logs ppp-connect with the addresses and
# ppp-disconnect with the connection time (CONNECT_TIME), to stdout (the
# daemon's log) or through logger (a recording stub); a connection found at
# startup says so and ends "after an unknown time"; other interfaces and
# events are ignored.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config
cat >>"$CONF" <<EOF

[rule record]
event = ppp-*
run = $T/record
EOF
HOOKFILE=$HOOKS/ppp-notify
sed -e 's/^LOG_TO=syslog /LOG_TO=stdout /' "$TOP/contrib/ppp/ppp-notify" >"$HOOKFILE"
chmod 755 "$HOOKFILE"
grep -q '^LOG_TO=stdout ' "$HOOKFILE" || fail "could not set LOG_TO in the copy"
start_daemon

# hook_said TEXT: the daemon logged TEXT as a line of the hook's output.
hook_said() { wait_for_fixed "${HOOKFILE}[" "$LOG" && wait_for_fixed "]: $1" "$LOG"; }

# connect N: the PPP double up with 192.0.2.1 peer 192.0.2.2, and the Nth
# ppp-connect recorded.
connect() {
	tunppp_start ppp0
	ip link set ppp0 up
	ip addr add 192.0.2.1 peer 192.0.2.2 dev ppp0
	wait_event ppp-connect ppp0 "$1" >/dev/null
}

connect 1
hook_said "ppp-notify: ppp0 connected: local 192.0.2.1, remote 192.0.2.2" ||
	fail "no 'connected' line from ppp-notify"
sleep 1.3
tunppp_stop
s=$(wait_event ppp-disconnect ppp0)
t=$(env_of "$s" CONNECT_TIME) || fail "ppp-disconnect without CONNECT_TIME"
[[ $t =~ ^[12]$ ]] || fail "CONNECT_TIME='$t' after a 1.3 s connection"
hook_said "ppp-notify: ppp0 disconnected after 0:00:0$t ($t s): local 192.0.2.1, remote 192.0.2.2" ||
	fail "no 'disconnected after 0:00:0$t ($t s)' line from ppp-notify"

# A link outside LINKS: nothing.
sed -i "s/^LINKS='ppp\*' /LINKS='ppp1' /" "$HOOKFILE"
connect 2
tunppp_stop
wait_event ppp-disconnect ppp0 2 >/dev/null
barrier
n=$(grep -cF "]: ppp-notify: ppp0 " "$LOG")
[ "$n" = 2 ] || fail "ppp-notify logged about ppp0 outside LINKS ($n lines)"
sed -i "s/^LINKS='ppp1' /LINKS='ppp*' /" "$HOOKFILE"

# Through logger: a stub that records its arguments.
cat >"$T/logger" <<EOF
#!/bin/sh
printf '%s|' "\$@" >>'$T/logger.calls'
echo >>'$T/logger.calls'
EOF
chmod 755 "$T/logger"
sed -i -e 's/^LOG_TO=stdout /LOG_TO=syslog /' -e "s|^LOGGER='logger' |LOGGER='$T/logger' |" "$HOOKFILE"
connect 3
wait_for_fixed "-t|ppp-notify|-p|daemon.notice|--|ppp0 connected: local 192.0.2.1, remote 192.0.2.2|" \
	"$T/logger.calls" || fail "ppp-notify did not call logger for the connection: $(cat "$T/logger.calls" 2>&1)"

# Found at startup: the daemon restarts while ppp0 is connected.
stop_daemon
sed -i 's/^startup_events = no/startup_events = yes/' "$CONF"
: >"$EVLIST" # EVENT_SEQ starts again from 1
rm -f "$EVDIR"/*
start_daemon
wait_for_fixed "|ppp0 connected (already up when ifhookd started): local 192.0.2.1, remote 192.0.2.2|" \
	"$T/logger.calls" || fail "no 'already up' connection line: $(cat "$T/logger.calls")"
tunppp_stop
s=$(wait_event ppp-disconnect ppp0)
expect_env "$s" CONNECT_TIME ""
wait_for_fixed "|ppp0 disconnected after an unknown time: local 192.0.2.1, remote 192.0.2.2|" \
	"$T/logger.calls" || fail "no 'unknown time' line: $(cat "$T/logger.calls")"
grep -q 'ppp-notify' "$T/daemon.out" && fail "ppp-notify wrote to the daemon's stdout"
finish
