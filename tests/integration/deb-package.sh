#!/bin/bash
# Purpose: the Debian package (slow: about 30 s). Builds it with
# `dpkg-buildpackage -us -uc -b` in a copy of the tree, checks its contents
# with dpkg-deb -c and lintian (no error or warning), installs it with dpkg -i
# (postinst must start nothing without systemd), runs the installed daemon with
# the installed configuration in a private network namespace, then purges it
# and checks that nothing of it is left. Skipped where an ifhookd is already
# installed on this machine, which it would not touch.
. "$(dirname "$0")/../lib.sh"
require_root
for c in dpkg-buildpackage dh lintian dpkg-deb unshare; do
	command -v "$c" >/dev/null || skip "needs $c (contrib/ensure-deps.sh check installs it)"
done
if dpkg-query -W -f='${Status}' ifhookd 2>/dev/null | grep -q installed; then
	skip "a package ifhookd is installed on this machine; not touching it"
fi
for p in /usr/sbin/ifhookd /etc/ifhookd /lib/systemd/system/ifhookd.service \
	/usr/lib/systemd/system/ifhookd.service /usr/share/doc/ifhookd; do
	[ ! -e "$p" ] || skip "$p exists outside any package; not touching it"
done
make_tmpdir
INSTALLED=0
purge_if_ours() {
	[ "$INSTALLED" = 1 ] && dpkg --purge ifhookd >/dev/null 2>&1
	INSTALLED=0
}
# Purge on any exit, then lib.sh's cleanup with the exit status unchanged.
on_exit() {
	local rc=$?
	purge_if_ours
	(exit "$rc")
	cleanup
}
trap on_exit EXIT

# ifhookd processes running /usr/sbin/ifhookd, by pid.
installed_daemons() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = /usr/sbin/ifhookd ] && echo "${p#/proc/}"
	done
	return 0
}

# ---- build ----
SRC=$T/ifhookd-0.1.0
mkdir "$SRC"
(cd "$TOP" && tar --exclude=./build --exclude=./ifhookd --exclude=./.git --exclude='./debian/.debhelper' \
	-cf - .) | (cd "$SRC" && tar -xf -) || fail "cannot copy the tree"
start=$(now_us)
(cd "$SRC" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1 ||
	fail "dpkg-buildpackage failed: $(tail -n 40 "$T/build.log")"
info "dpkg-buildpackage: $((($(now_us) - start) / 1000000)) s"
DEB=$(ls "$T"/ifhookd_*_*.deb 2>/dev/null | head -n 1)
[ -f "$DEB" ] || fail "no .deb built: $(ls "$T")"

# ---- contents ----
dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|; s|/$||' >"$T/contents"
# The files alone (not directories, which other packages share).
dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ {print $NF}' | sed 's|^\./|/|' >"$T/files"
for f in /usr/sbin/ifhookd /etc/ifhookd/ifhookd.conf /etc/ifhookd/hooks.d /etc/ifhookd/rules.d \
	/usr/share/man/man8/ifhookd.8.gz /usr/share/man/man5/ifhookd.conf.5.gz \
	/usr/share/doc/ifhookd/copyright /usr/share/doc/ifhookd/examples/hooks.d/log-event \
	/usr/share/doc/ifhookd/examples/systemd/nonroot.conf \
	/usr/share/doc/ifhookd/examples/sysvinit/ifhookd /usr/share/doc/ifhookd/examples/openrc/ifhookd; do
	grep -qx -- "$f" "$T/contents" || fail "$f is not in the package: $(cat "$T/contents")"
done
grep -qE '^(/usr)?/lib/systemd/system/ifhookd.service$' "$T/contents" || fail "no systemd unit in the package"
grep -q '^/etc/init.d' "$T/contents" && fail "the package ships an init.d script (postinst would start it)"
[ "$(dpkg-deb -f "$DEB" Package)" = ifhookd ] || fail "wrong Package field"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./conffiles >"$T/conffiles" || fail "no conffiles"
grep -qx /etc/ifhookd/ifhookd.conf "$T/conffiles" || fail "ifhookd.conf is not a conffile"

# ---- lintian: no errors, no warnings (info and pedantic notes are shown) ----
CHANGES=$(ls "$T"/ifhookd_*.changes | head -n 1)
lintian --pedantic "$CHANGES" >"$T/lintian.out" 2>&1
bad=$(grep -E '^[EW]: ' "$T/lintian.out")
[ -z "$bad" ] || fail "lintian: $bad"
grep -E '^[IPXO]: ' "$T/lintian.out" | while IFS= read -r l; do info "lintian: $l"; done

# ---- install: files in place, nothing started ----
before=$(installed_daemons)
dpkg -i "$DEB" >"$T/dpkg-i.log" 2>&1 || fail "dpkg -i failed: $(cat "$T/dpkg-i.log")"
INSTALLED=1
[ "$(dpkg-query -W -f='${Status}' ifhookd)" = "install ok installed" ] || fail "not installed after dpkg -i"
[ -x /usr/sbin/ifhookd ] || fail "no /usr/sbin/ifhookd after dpkg -i"
[ -f /etc/ifhookd/ifhookd.conf ] || fail "no /etc/ifhookd/ifhookd.conf after dpkg -i"
sleep 0.5
after=$(installed_daemons)
if [ -n "$after" ] && [ "$after" != "$before" ]; then
	kill -TERM $after 2>/dev/null
	fail "postinst started a daemon (pids $after) although systemd is not running"
fi
if [ -d /run/systemd/system ]; then
	info "note: systemd is running here; postinst may have started the unit"
fi
/usr/sbin/ifhookd -V | grep -qx 'ifhookd 0.1.0' || fail "installed ifhookd -V: $(/usr/sbin/ifhookd -V)"
/usr/sbin/ifhookd -h | grep -q '(default /etc/ifhookd/ifhookd.conf)' || fail "the package's binary was not built with SYSCONFDIR=/etc"
/usr/sbin/ifhookd -n >"$T/check" 2>&1 || fail "ifhookd -n with the installed configuration: $(cat "$T/check")"
if command -v systemd-analyze >/dev/null; then
	unit=$(grep -E 'lib/systemd/system/ifhookd.service$' "$T/contents" | head -n 1)
	systemd-analyze verify --man=no "$unit" >"$T/verify" 2>&1 && [ ! -s "$T/verify" ] ||
		fail "systemd-analyze verify $unit: $(cat "$T/verify")"
fi

# It starts: the installed daemon with the installed configuration, in a
# private network namespace, until its ready line, then SIGTERM.
unshare -n /usr/sbin/ifhookd -f -v 2>"$T/run.log" &
pid=$!
wait_for '^ifhookd: ready \(' "$T/run.log" 30 || { kill -KILL "$pid"; fail "installed daemon not ready: $(cat "$T/run.log")"; }
kill -TERM "$pid"
wait "$pid" || fail "installed daemon exited with status $? after SIGTERM: $(cat "$T/run.log")"

# ---- purge: nothing left ----
dpkg --purge ifhookd >"$T/purge.log" 2>&1 || fail "dpkg --purge failed: $(cat "$T/purge.log")"
INSTALLED=0
dpkg-query -W -f='${Status}' ifhookd 2>/dev/null | grep -q 'installed' && fail "still installed after purge"
while IFS= read -r f; do
	[ ! -e "$f" ] || fail "left after purge: $f"
done <"$T/files"
for d in /etc/ifhookd /usr/share/doc/ifhookd; do
	[ ! -e "$d" ] || fail "left after purge: $d"
done
for f in /etc/systemd/system/multi-user.target.wants/ifhookd.service \
	/var/lib/systemd/deb-systemd-helper-enabled/ifhookd.service.dsh-also \
	/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/ifhookd.service; do
	[ ! -e "$f" ] && [ ! -L "$f" ] || fail "left after purge: $f"
done
info "built, lintian clean, installed without starting, ran, purged without leftovers"
echo "PASS: $TEST_NAME"
