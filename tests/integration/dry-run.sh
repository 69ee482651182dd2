#!/bin/bash
# Purpose: `ifhookd --dry-run` runs as usual but logs each hook it would run,
# with its argv and environment, and starts none of them; a program a real run
# would refuse (not trusted) is refused, logged once, and not shown.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
write_recorder "$HOOKS/10-file" file
mkdir -m 777 "$T/ww" && chmod 777 "$T/ww"
write_recorder "$T/ww/loose" loose
cat >>"$CONF" <<EOF

[rule loose]
event = link-added
run = $T/ww/loose
EOF
start_daemon --dry-run -S none
veth_pair d0 d1
ip link set d0 up
wait_for_fixed "dry-run: rule record: argv: $T/record d0 link-added env: EVENT=link-added IFACE=d0 " \
	"$LOG" || fail "no dry-run line for the rule's hook on link-added d0"
wait_for_fixed "dry-run: $HOOKS/10-file: argv: $HOOKS/10-file d0 link-added env: EVENT=link-added " \
	"$LOG" || fail "no dry-run line for the hooks.d file on link-added d0"
idx=$(ifindex_of d0)
grep -qF "env: EVENT=link-added IFACE=d0 IFINDEX=$idx EVENT_ORIGIN=kernel " "$LOG" ||
	fail "the dry-run line lacks the environment"
grep -qF " RULE=record PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin " "$LOG" ||
	fail "the dry-run line lacks RULE or PATH"
ip link set d0 name 'd$(x)'
wait_for_fixed "dry-run: rule record: argv: $T/record 'd\$(x)' link-renamed env: EVENT=link-renamed IFACE='d\$(x)' " \
	"$LOG" || fail "metacharacters not quoted in the dry-run line"
barrier
[ ! -s "$EVLIST" ] || fail "a hook ran under --dry-run: $(cat "$EVLIST")"
refusal="ifhookd: hooks: not running $T/ww/loose: directory $T/ww is writable by group or others hook=$T/ww/loose action=refuse"
n=$(grep -cF "$refusal" "$LOG")
[ "$n" = 1 ] || fail "the untrusted rule program's refusal logged $n times, want once"
grep -qF 'dry-run: rule loose:' "$LOG" && fail "--dry-run showed a hook a real run would refuse"
grep -q 'started (' "$LOG" && fail "a hook was started under --dry-run"
finish
