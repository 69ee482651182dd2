#!/bin/bash
# Purpose: per-rule `user =` / `group =`: the hook runs with that uid, gid and
# group list and without capabilities, the daemon logs uid= gid= on the start
# line; a daemon that cannot switch ids (no CAP_SETUID/CAP_SETGID) reports
# "cannot start ... step=..." and never runs that hook as itself.
. "$(dirname "$0")/../lib.sh"
setup "$@"
getent passwd nobody >/dev/null || skip "no user nobody"
nobody_uid=$(id -u nobody)
nobody_gid=$(id -g nobody)
nobody_groups=$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ')
root_group=$(getent group 0 | cut -d: -f1)
# id -G lists the effective group too: with group = root, 0 joins nobody's list.
both_groups=$({ echo 0; id -G nobody | tr ' ' '\n'; } | sort -nu | tr '\n' ' ')

NO_RECORD_RULE=1 write_config
# One line: ids, sorted group list, effective capabilities.
cat >"$T/whoami" <<'EOF'
#!/bin/sh
# Purpose: ifhookd test hook: prints who it runs as.
groups=$(id -G | tr ' ' '\n' | sort -n | tr '\n' ' ')
cap=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
echo "ids uid=$(id -u) gid=$(id -g) groups=[$groups] capeff=$cap rule=$RULE"
EOF
chmod 755 "$T/whoami"
cat >>"$CONF" <<CONF

[rule as-nobody]
event = link-added
interface = u0
user = nobody
run = $T/whoami

[rule group-only]
event = link-added
interface = u0
group = $nobody_gid
run = $T/whoami

[rule both]
event = link-added
interface = u0
user = $nobody_uid
group = $root_group
run = $T/whoami

[rule as-daemon]
event = link-added
interface = u0
run = $T/whoami
CONF
"$IFHOOKD" -n -c "$CONF" >"$T/check" 2>&1 || fail "ifhookd -n: $(cat "$T/check")"

start_daemon
veth_pair u0 u1
for r in as-nobody group-only both as-daemon; do
	wait_for "rule $r\\[[0-9]+\\]: ids .* rule=$r\$" "$LOG" || fail "rule $r: no ids line"
done
line() { sed -n "s/.*rule $1\\[[0-9]*\\]: ids //p" "$LOG" | head -n 1; }

got=$(line as-nobody)
[[ $got == "uid=$nobody_uid gid=$nobody_gid groups=[$nobody_groups] capeff=0000000000000000 "* ]] ||
	fail "user = nobody: got '$got', want uid=$nobody_uid gid=$nobody_gid groups=[$nobody_groups] and no capabilities"
[ "$nobody_uid" = 65534 ] || info "note: nobody is uid $nobody_uid here"
got=$(line group-only)
[[ $got == "uid=0 gid=$nobody_gid groups=[$nobody_gid ] "* ]] ||
	fail "group = $nobody_gid alone: got '$got', want uid 0, gid and only group $nobody_gid"
got=$(line both)
[[ $got == "uid=$nobody_uid gid=0 groups=[$both_groups] capeff=0000000000000000 "* ]] ||
	fail "user = $nobody_uid, group = $root_group: got '$got'"
got=$(line as-daemon)
[[ $got == "uid=0 gid=0 "* ]] || fail "a rule without user/group: got '$got', want the daemon's ids"

# With -v, the start line carries the ids as fields.
grep -qE "hook rule as-nobody\[[0-9]+\] started \(link-added u0\) hook=$T/whoami rule=as-nobody pid=[0-9]+ uid=$nobody_uid gid=$nobody_gid event=link-added iface=u0 seq=[0-9]+$" "$LOG" ||
	fail "no start line with uid= gid= fields for rule as-nobody"
stop_daemon
[ "$DAEMON_RC" = 0 ] || fail "daemon exited with status $DAEMON_RC"

# Without CAP_SETGID/CAP_SETUID (bounding set, so root's exec of the daemon
# does not get them), the switch fails: reported, and nothing runs as root.
command -v setpriv >/dev/null || skip "needs setpriv (util-linux) for the no-capability half"
: >"$LOG"
set_daemon_wrapper setpriv --bounding-set=-setuid,-setgid --
ip link del u0
start_daemon
veth_pair u0 u1
wait_for "rule as-daemon\\[[0-9]+\\]: ids " "$LOG" || fail "as-daemon did not run without CAP_SETUID"
wait_for "hook rule as-nobody: cannot start $T/whoami: setgroups: Operation not permitted hook=$T/whoami rule=as-nobody error=EPERM step=setgroups event=link-added iface=u0 seq=[0-9]+$" "$LOG" ||
	fail "no 'cannot start ... setgroups: Operation not permitted ... step=setgroups' line"
sleep 0.2
n=$(grep -c ": ids " "$LOG")
[ "$n" = 1 ] || fail "$n hooks ran without CAP_SETUID, want only as-daemon: $(grep ': ids ' "$LOG")"
info "user=nobody ran as uid $nobody_uid without capabilities; group-only and both as configured; without CAP_SETGID: refused with step=setgroups"
finish
