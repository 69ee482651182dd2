#!/bin/bash
# Purpose: `ifhookd -n` reports every configuration error in one run as
# path:line: message and exits 1, says "configuration OK" and exits 0 on a good
# configuration (indented lines, inline comments, rules.d), and reports a
# missing file as "path: message". Needs neither root nor a namespace.
. "$(dirname "$0")/../lib.sh"
[ -x "$IFHOOKD" ] || fail "$IFHOOKD not built (run make ifhookd)"
make_tmpdir

long="; $(printf '%0230d' 0)"
cat >"$CONF" <<EOF
# line 1: comment
[daemon]
timeout = abc
bogus_key = 1
startup_events = maybe
log = file

[frobnicate]

[rule r1]
event = link-up
family = ipx
address = 192.0.2.0/99
destination = not-a-prefix
table = abc
args = sometimes
run = /bin/true
$long
[rule no-run]
event = link-up

[rule bad-glob]
interface = [abc
run = /bin/true
EOF
printf '[daemon]\ntimeout = 3\n[rule ok]\nrun = /bin/true\nunknown = 2\n' >"$RULES/10-x.conf"

"$IFHOOKD" -n -c "$CONF" >"$T/out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "ifhookd -n on a bad config exited $rc, want 1: $(cat "$T/out")"
grep -q 'configuration OK' "$T/out" && fail "'configuration OK' printed for a bad config"
for where in "$CONF:3:" "$CONF:4:" "$CONF:5:" "$CONF:6:" "$CONF:8:" "$CONF:12:" \
	"$CONF:13:" "$CONF:14:" "$CONF:15:" "$CONF:16:" "$CONF:18:" "$CONF:19:" \
	"$CONF:23:" "$RULES/10-x.conf:1:" "$RULES/10-x.conf:5:"; do
	grep -q "^ifhookd: $where \|^$where " "$T/out" ||
		fail "no error reported as '$where message'; got:
$(cat "$T/out")"
done
grep -q "$CONF:18: .*too long" "$T/out" || fail "the long line is not reported as too long"
grep -q "$CONF:19: .*run" "$T/out" || fail "the rule without run is not reported"
n=$(grep -c "$T/.*:[0-9][0-9]*: " "$T/out")
[ "$n" = 15 ] || fail "$n errors reported, want 15 (bogus keys after a long line?):
$(cat "$T/out")"

# A good configuration, with the parser's traps: indented lines, inline
# comments, '#' comments, rules.d in byte order, relative paths.
rm -f "$RULES/10-x.conf"
cat >"$CONF" <<EOF
# a comment
[daemon]
  hooks_dir = hooks.d   ; relative to this file
rules_dir = rules.d
	timeout = 7 ; seconds
max_jobs = 2
startup_events = no
log = stderr
ppp_ipv6_wait = 2

[rule ppp-up]
event = ppp-connect link-*
interface = ppp* !ppp9
kind = ppp
family = inet
address = 203.0.113.0/24
destination = default
table = main
run = /bin/true --flag
run = relative-hook
args = none
EOF
printf '[rule more]\nevent = route-added\nrun = /bin/true\n' >"$RULES/10-more.conf"
printf '#!/bin/sh\n' >"$HOOKS/relative-hook"
chmod 755 "$HOOKS/relative-hook"
"$IFHOOKD" -n -c "$CONF" >"$T/out" 2>&1
rc=$?
[ "$rc" = 0 ] || fail "ifhookd -n on a good config exited $rc: $(cat "$T/out")"
grep -q 'configuration OK' "$T/out" || fail "no 'configuration OK': $(cat "$T/out")"

# --check, the long form, and a missing file.
"$IFHOOKD" --check --config "$CONF" >"$T/out" 2>&1 || fail "--check --config failed: $(cat "$T/out")"
"$IFHOOKD" -n -c "$T/missing.conf" >"$T/out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "ifhookd -n on a missing file exited $rc, want 1"
grep -q "$T/missing.conf: " "$T/out" || fail "missing file not reported as 'path: message': $(cat "$T/out")"
grep -q "$T/missing.conf:[0-9]" "$T/out" && fail "missing file reported with a line number"
echo "PASS: $TEST_NAME"
