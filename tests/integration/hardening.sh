#!/bin/bash
# Purpose: a hook runs only from a file nobody but root can change: a regular
# file (no symlink) owned by root, not group/other-writable, not setuid or
# setgid, in directories owned by root and not group/other-writable unless
# sticky (as written and as resolved). Other hooks.d files are skipped with
# "hooks: skipping PATH: REASON", rule programs with "hooks: not running PATH:
# REASON", each logged once. `ifhookd -n` lists the hooks.d ones as notes
# (exit 0) and the rule ones as path:line errors (exit 1).
. "$(dirname "$0")/../lib.sh"
setup "$@"
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null
nobody=$(id -u nobody 2>/dev/null) || skip "needs a user 'nobody'"
[ "$nobody" != 0 ] || skip "'nobody' is root here"
# The checks follow the chain up to /: the temp dir's own parents must pass.
case "$T" in /tmp/* | /var/tmp/*) ;; *) skip "temp dir $T is not under /tmp" ;; esac

NO_RECORD_RULE=1 write_config
# mkhook PATH [MODE]: a hook that leaves PATH's name in T/ran.
mkhook() {
	printf '#!/bin/sh\necho %s >>%s/ran\n' "$(basename "$1")" "$T" >"$1"
	chmod "${2:-755}" "$1"
}
mkhook "$HOOKS/10-ok"
mkhook "$HOOKS/20-groupw" 775
mkhook "$HOOKS/21-otherw" 757
ln -s 10-ok "$HOOKS/30-symlink"
mkhook "$HOOKS/40-setuid" 4755
mkhook "$HOOKS/41-setgid" 2755
mkhook "$HOOKS/50-nobody"
chown nobody "$HOOKS/50-nobody"
declare -A hd_reason=(
	[20-groupw]="writable by group or others"
	[21-otherw]="writable by group or others"
	[30-symlink]="is a symbolic link"
	[40-setuid]="setuid or setgid"
	[41-setgid]="setuid or setgid"
	[50-nobody]="owned by uid $nobody, not root"
)

# Rule programs in directories: world-writable, sticky, owned by nobody, and
# a root-owned symlink leading to the world-writable one.
mkdir -m 777 "$T/ww" && chmod 777 "$T/ww"
mkdir -m 1777 "$T/sticky" && chmod 1777 "$T/sticky"
mkdir "$T/nob" && chown nobody "$T/nob" && chmod 755 "$T/nob"
mkdir "$T/gw" && chmod 775 "$T/gw"
ln -s ww "$T/viasym"
mkhook "$T/ww/r-ww"
mkhook "$T/sticky/r-sticky"
mkhook "$T/nob/r-nob"
mkhook "$T/gw/r-gw"
mkhook "$T/r-groupw" 775
declare -A rule_reason=(
	["$T/ww/r-ww"]="directory $T/ww is writable by group or others"
	["$T/nob/r-nob"]="directory $T/nob is owned by uid $nobody, not root"
	["$T/gw/r-gw"]="directory $T/gw is writable by group or others"
	["$T/viasym/r-ww"]="directory $T/ww is writable by group or others"
	["$T/r-groupw"]="writable by group or others"
)

# 1. ifhookd -n with only hooks.d problems: notes, exit 0.
"$IFHOOKD" -n -c "$CONF" >"$T/check1" 2>&1 || fail "ifhookd -n exits $? for hooks.d notes only: $(cat "$T/check1")"
grep -q '^configuration OK$' "$T/check1" || fail "no 'configuration OK' with hooks.d notes only"
for f in "${!hd_reason[@]}"; do
	grep -qF "note: hooks: skipping $HOOKS/$f: ${hd_reason[$f]}" "$T/check1" ||
		fail "ifhookd -n: no 'note: hooks: skipping $HOOKS/$f: ${hd_reason[$f]}'; got:
$(cat "$T/check1")"
done
grep -q '10-ok' "$T/check1" && fail "ifhookd -n complains about the good hook"

# 2. The rules, each with its program.
{
	echo
	echo "[rule sticky]"
	echo "event = link-added"
	echo "run = $T/sticky/r-sticky"
	for p in "${!rule_reason[@]}"; do
		echo
		echo "[rule $(basename "$(dirname "$p")")-$(basename "$p")]"
		echo "event = link-added"
		echo "run = $p"
	done
} >>"$CONF"
"$IFHOOKD" -n -c "$CONF" >"$T/check2" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "ifhookd -n exits $rc with untrusted rule programs, want 1: $(cat "$T/check2")"
grep -q 'configuration OK' "$T/check2" && fail "'configuration OK' with untrusted rule programs"
for p in "${!rule_reason[@]}"; do
	n=$(grep -n "^run = $p\$" "$CONF" | cut -d: -f1)
	sec=$((n - 2))
	grep -qE "^$CONF:($n|$sec): rule [^:]*: $p: ${rule_reason[$p]}\$" "$T/check2" ||
		fail "ifhookd -n: '$p' not reported as an error '$CONF:LINE: rule NAME: $p: ${rule_reason[$p]}'; got:
$(cat "$T/check2")"
done
grep -q 'r-sticky' "$T/check2" && fail "ifhookd -n complains about a hook in a sticky directory"
info "ifhookd -n: $(grep -c '^note: ' "$T/check2") notes, $(grep -vc '^note: ' "$T/check2") errors"

# 3. The daemon: only the good hooks run; each refusal is logged once.
start_daemon
veth_pair hd0 phd0
wait_for_fixed "ifhookd: hook $HOOKS/10-ok[" "$LOG" || fail "the good hooks.d file did not run"
veth_pair hd1 phd1
poll_until 5 eval '[ "$(grep -c "^10-ok$" "$T/ran")" = 4 ]' ||
	fail "10-ok did not run for each of the 4 link-added events: $(sort "$T/ran" | uniq -c)"
poll_until 5 eval '[ "$(grep -c "^r-sticky$" "$T/ran")" = 4 ]' ||
	fail "the rule program in a sticky directory did not run 4 times: $(sort "$T/ran" | uniq -c)"
sleep 0.3
bad=$(grep -v -e '^10-ok$' -e '^r-sticky$' "$T/ran" | sort -u | tr '\n' ' ')
[ -z "$bad" ] || fail "untrusted hooks ran: $bad"
for f in "${!hd_reason[@]}"; do
	c=$(grep -cF "ifhookd: hooks: skipping $HOOKS/$f: ${hd_reason[$f]}" "$LOG")
	[ "$c" = 1 ] || fail "'hooks: skipping $HOOKS/$f: ${hd_reason[$f]}' logged $c times, want once"
done
for p in "${!rule_reason[@]}"; do
	c=$(grep -cF "ifhookd: hooks: not running $p: ${rule_reason[$p]} hook=$p action=refuse" "$LOG")
	[ "$c" = 1 ] || fail "'hooks: not running $p: ${rule_reason[$p]}' logged $c times, want once"
done
info "4 events: 10-ok and r-sticky ran 4 times each; ${#hd_reason[@]} hooks.d files and ${#rule_reason[@]} rule programs refused, each logged once"
finish
