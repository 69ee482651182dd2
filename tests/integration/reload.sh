#!/bin/bash
# Purpose: SIGHUP re-reads the configuration, its rules_dir and its hooks_dir.
# A broken configuration is reported (every error as path:line: message, then
# "reload: configuration has errors; keeping the old one") and the old one
# stays in force. A good one is announced ("configuration reloaded (N rules)")
# and applies to new events only: old events are not fired again.
. "$(dirname "$0")/../lib.sh"
setup "$@"
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null

NO_RECORD_RULE=1 write_config
# rec TAG: records "TAG EVENT IFACE SEQ".
for tag in A B C H; do
	cat >"$T/rec$tag" <<HOOK
#!/bin/sh
printf '%s %s %s %s\n' $tag "\$EVENT" "\$IFACE" "\$EVENT_SEQ" >>'$T/runs'
HOOK
	chmod 755 "$T/rec$tag"
done
: >"$T/runs"
cp "$CONF" "$T/base.conf"
cat >>"$CONF" <<CONF

[rule A]
event = link-added
interface = rl*
run = $T/recA
CONF
start_daemon

# runs_for IFACE: the tags that ran for link-added on IFACE, sorted.
runs_for() { awk -v i="$1" '$2 == "link-added" && $3 == i { print $1 }' "$T/runs" | sort | tr -d '\n'; }
_ran() { [ "$(runs_for "$1")" = "$2" ]; }
expect_runs() {
	poll_until 5 _ran "$1" "$2" || fail "$3: link-added on $1 ran '$(runs_for "$1")', want '$2'"
}
reloads() { grep -c "^ifhookd: $1" "$LOG"; }

veth_pair rl0 prl0
expect_runs rl0 A "before any reload"

# A broken configuration: four errors, and a rule B that must not take effect.
cat "$T/base.conf" >"$CONF"
cat >>"$CONF" <<CONF
max_jobs = lots
bogus_key = 1

[rule A]
event = link-added
interface = rl*
run = $T/recA

[rule B]
event = link-added
interface = rl*
family = ipx
run = $T/recB

[rule no-run]
event = link-up
CONF
kill -HUP "$DAEMON_PID"
wait_for_fixed 'ifhookd: reload: configuration has errors; keeping the old one' "$LOG" ||
	fail "no 'reload: configuration has errors; keeping the old one' line"
# Each error as path:line: message (the rule without run at its section).
for pat in 'max_jobs = lots' 'bogus_key = 1' 'family = ipx' '\[rule no-run\]'; do
	n=$(grep -n "^$pat\$" "$CONF" | cut -d: -f1)
	grep -q "^ifhookd: $CONF:$n: " "$LOG" || fail "'$pat' (line $n) not reported as $CONF:$n: message"
done
grep -q "^ifhookd: $CONF:[0-9]*: .*run" "$LOG" || fail "the rule without run is not reported"
nerr=$(grep -c "^ifhookd: $CONF:[0-9]*: " "$LOG")
[ "$nerr" -ge 4 ] || fail "only $nerr errors logged for a configuration with 4"
[ "$(reloads 'configuration reloaded')" = 0 ] || fail "a broken configuration was reloaded"
veth_pair rl1 prl1
expect_runs rl1 A "after a broken reload (the old configuration stays)"
info "broken configuration: $nerr errors logged, old one kept"

# A good configuration: rule B instead of A, rule C in rules_dir, and another
# hooks_dir whose file runs for link events.
mkdir "$T/hooks2.d"
cp "$T/recH" "$T/hooks2.d/10-h"
sed 's|^hooks_dir = .*|hooks_dir = hooks2.d|' "$T/base.conf" >"$CONF"
cat >>"$CONF" <<CONF

[rule B]
event = link-added
interface = rl*
run = $T/recB
CONF
printf '[rule C]\nevent = link-added\ninterface = rl*\nrun = %s\n' "$T/recC" >"$RULES/10-c.conf"
"$IFHOOKD" -n -c "$CONF" >/dev/null 2>&1 || fail "the good configuration does not pass -n: $("$IFHOOKD" -n -c "$CONF" 2>&1)"
nev=$(grep -c '^ifhookd: event ' "$LOG")
kill -HUP "$DAEMON_PID"
wait_for_fixed 'ifhookd: configuration reloaded (2 rules)' "$LOG" ||
	fail "no 'configuration reloaded (2 rules)' line"
sleep 0.3
[ "$(grep -c '^ifhookd: event ' "$LOG")" = "$nev" ] || fail "the reload emitted events"
veth_pair rl2 prl2
expect_runs rl2 BCH "after a good reload"
sleep 0.3
# Old events are not fired again for the new rules and hooks.
for l in rl0 rl1; do
	r=$(runs_for "$l")
	[ "$r" = A ] || fail "after the reload, link-added on $l ran '$r' (old events fired again?)"
done
grep -q '^[BCH] .* prl[01] ' "$T/runs" && fail "new hooks ran for events from before the reload"
info "good configuration: 'configuration reloaded (2 rules)'; rules B, C and hooks2.d/10-h for new events only"
finish
