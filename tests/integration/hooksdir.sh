#!/bin/bash
# Purpose: hooks.d: executable files run for link/address events with
# argv = [path, IFACE, EVENT] and RULE=""; EVENT.d/ files run only for EVENT
# (route events too) and before top-level files; foo.sh runs; backups (foo~),
# dotfiles, *.dpkg-*, *.disabled, *.swp, *.rpmnew, non-executables and
# directories do not, and skipped files are logged once; a file dropped in,
# made non-executable or an EVENT.d made later takes effect at the next event.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config
ORDER=$T/order.list
: >"$ORDER"
# hookfile PATH TAG: appends "TAG SEQ EVENT IFACE" to order.list.
hookfile() {
	cat >"$1" <<HOOK
#!/bin/sh
printf '%s %s %s %s\n' '$2' "\$EVENT_SEQ" "\$EVENT" "\$IFACE" >>'$ORDER'
HOOK
	chmod 755 "$1"
}
write_recorder "$HOOKS/20-record.sh"
hookfile "$HOOKS/10-first" first
hookfile "$HOOKS/30-last.sh" last
for bad in '20-record.sh~' .hidden 40.dpkg-old 41.dpkg-dist 42.disabled 43.swp 44.rpmnew \
	45.rpmsave 46.rpmorig; do
	hookfile "$HOOKS/$bad" "BAD:$bad"
done
hookfile "$HOOKS/50-noexec" "BAD:noexec"
chmod 644 "$HOOKS/50-noexec"
mkdir "$HOOKS/60-dir" "$HOOKS/link-up.d" "$HOOKS/route-added.d"
hookfile "$HOOKS/link-up.d/05-up" up
hookfile "$HOOKS/link-up.d/06-up~" "BAD:up~"
hookfile "$HOOKS/route-added.d/r" route
start_daemon

veth_pair h0 h1
ip link set h1 up
ip link set h0 up
ip addr add 192.0.2.1/24 dev h0
wait_event_with address-added h0 ADDRESS 192.0.2.1 >/dev/null

s=$(wait_event link-added h0)
expect_env "$s" RULE ""
mapfile -t argv < <(argv_of "$s")
[ "${argv[*]}" = "$HOOKS/20-record.sh h0 link-added" ] || fail "argv: ${argv[*]}"
s=$(wait_event link-up h0)
expect_env "$s" EVENT link-up

# Top-level files never run for route events (routers have many), EVENT.d does.
wait_for ' route-added h0$' "$ORDER" || fail "route-added.d/r did not run"
grep -E '^(top|first|last) [0-9]+ route-' "$ORDER" && fail "a top-level hook ran for a route event"
grep -E '^up [0-9]+ link-(added|down) ' "$ORDER" && fail "link-up.d/ hook ran for another event"
grep '^BAD:' "$ORDER" && fail "a file that must be skipped was run"

# Order for link-up h0: link-up.d/05-up, then 10-first, 20-record.sh, 30-last.sh.
useq=$(wait_event link-up h0)
got=$(awk -v s="$useq" '$2 == s { print $1 }' "$ORDER" | tr '\n' ' ')
[ "$got" = "up first last " ] || fail "hooks for link-up ran as '$got', want 'up first last' (record between)"

# Every skipped file that looks like a hook is logged, once.
for bad in '20-record.sh~' 40.dpkg-old 42.disabled 43.swp 44.rpmnew 50-noexec 'link-up.d/06-up~'; do
	n=$(grep -cF "$HOOKS/$bad" "$LOG")
	[ "$n" = 1 ] || fail "skipped file $bad logged $n times, want once"
done

# A hook dropped in now runs at the next event.
hookfile "$HOOKS/70-late" late
ip link set h0 down
s=$(wait_event link-down h0)
wait_for "^late $s link-down h0\$" "$ORDER" 5 || fail "new hook 70-late not run at the next event"

# The same for a hook made non-executable and an EVENT.d made after the start.
chmod 644 "$HOOKS/70-late"
mkdir "$HOOKS/link-up.d/new" "$HOOKS/link-down.d"
mv "$HOOKS/link-up.d/new" "$HOOKS/link-up.d/07-moved-in"
hookfile "$HOOKS/link-up.d/07-moved-in/x" "BAD:in-a-subdir"
hookfile "$HOOKS/link-down.d/01-new" newdir
ip link set h0 up
up=$(wait_event link-up h0 2)
ip link set h0 down
s=$(wait_event link-down h0 2)
wait_for "^newdir $s link-down h0\$" "$ORDER" 5 || fail "link-down.d/, made after the start, not run"
# One queue per interface: link-up's hooks are done before link-down's start.
grep -q "^last $up link-up h0\$" "$ORDER" || fail "the hooks of link-up $up did not run"
grep -q "^late $up " "$ORDER" && fail "70-late ran after chmod 644"
grep -qF "ifhookd: hooks: skipping $HOOKS/link-up.d/07-moved-in: is a directory" "$LOG" ||
	fail "a directory moved into link-up.d/ is not reported"
grep '^BAD:' "$ORDER" && fail "a file that must be skipped was run"
finish
