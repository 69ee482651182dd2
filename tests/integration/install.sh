#!/bin/bash
# Purpose: `make install` / `make uninstall` into a DESTDIR: the binary, the man
# pages, the configuration (never overwritten, never removed), the examples
# (hooks and service files with this install's paths, none enabled); PREFIX,
# SBINDIR, SYSCONFDIR, MANDIR and DOCDIR honoured; after uninstall only the
# configuration is left. Needs no root and no namespace.
. "$(dirname "$0")/../lib.sh"
[ -x "$IFHOOKD" ] || fail "$IFHOOKD not built (run make ifhookd)"
command -v make >/dev/null || skip "needs make"
make_tmpdir

# mk ARGS...: make in the source tree, never rebuilding the binary (-o): a
# different SYSCONFDIR must not leak into the tree's objects.
mk() { make -s -C "$TOP" -o ifhookd "$@" >>"$T/make.out" 2>&1 || fail "make $*: $(cat "$T/make.out")"; }

# expect_file PATH MODE: a regular file with that mode.
expect_file() {
	[ -f "$1" ] || fail "not installed: ${1#"$R"}"
	[ "$(stat -c %a "$1")" = "$2" ] || fail "${1#"$R"}: mode $(stat -c %a "$1"), want $2"
}

R=$T/root
mk install DESTDIR="$R" PREFIX=/usr SYSCONFDIR=/etc
EX=$R/usr/share/doc/ifhookd/examples
expect_file "$R/usr/sbin/ifhookd" 755
expect_file "$R/usr/share/man/man8/ifhookd.8" 644
expect_file "$R/usr/share/man/man5/ifhookd.conf.5" 644
expect_file "$R/etc/ifhookd/ifhookd.conf" 644
cmp -s "$R/etc/ifhookd/ifhookd.conf" "$TOP/contrib/ifhookd.conf.installed" ||
	fail "the installed configuration is not contrib/ifhookd.conf.installed"
for d in hooks.d rules.d; do
	[ -d "$R/etc/ifhookd/$d" ] || fail "no $d directory"
	[ -z "$(ls -A "$R/etc/ifhookd/$d")" ] || fail "$d is not empty: examples must not be enabled"
done
expect_file "$EX/hooks.d/log-event" 755
expect_file "$EX/ifhookd.conf" 644
expect_file "$EX/systemd/ifhookd.service" 644
expect_file "$EX/systemd/nonroot.conf" 644
expect_file "$EX/sysvinit/ifhookd" 755
expect_file "$EX/openrc/ifhookd" 755
for f in ppp-reconnect ppp-default-route ppp-notify run-ip-up; do
	expect_file "$EX/ppp/$f" 755
done
expect_file "$EX/ppp/ip-up-compat.conf" 644
grep -qx 'ExecStart=/usr/sbin/ifhookd -f' "$EX/systemd/ifhookd.service" || fail "example unit: wrong ExecStart"
cmp -s "$R/usr/sbin/ifhookd" "$IFHOOKD" || fail "the installed binary is not the built one"
# The installed configuration is valid as it is (relative dirs next to it).
"$R/usr/sbin/ifhookd" -n -c "$R/etc/ifhookd/ifhookd.conf" >"$T/check" 2>&1 ||
	fail "installed configuration does not pass -n: $(cat "$T/check")"
# The man pages format without warnings.
if command -v groff >/dev/null; then
	for m in man8/ifhookd.8 man5/ifhookd.conf.5; do
		w=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$R/usr/share/man/$m" 2>&1)
		[ -z "$w" ] || fail "groff warnings for $m: $w"
	done
fi
n=$(find "$R" -type f | wc -l)
[ "$n" = 15 ] || fail "$n files installed, want 15: $(find "$R" -type f | sed "s|^$R||")"

# Re-install over a changed configuration: kept as the admin left it.
echo "; changed by the admin" >>"$R/etc/ifhookd/ifhookd.conf"
cp "$R/etc/ifhookd/ifhookd.conf" "$T/admin.conf"
echo "[rule local]" >"$R/etc/ifhookd/rules.d/local.conf"
mk install DESTDIR="$R" PREFIX=/usr SYSCONFDIR=/etc
cmp -s "$R/etc/ifhookd/ifhookd.conf" "$T/admin.conf" || fail "make install overwrote a changed configuration"
[ -f "$R/etc/ifhookd/rules.d/local.conf" ] || fail "make install removed a rules.d file"

# Uninstall: the configuration and a non-empty rules.d stay, nothing else.
mk uninstall DESTDIR="$R" PREFIX=/usr SYSCONFDIR=/etc
left=$(cd "$R" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./etc/ifhookd/ifhookd.conf ./etc/ifhookd/rules.d/local.conf " ] ||
	fail "after uninstall, left: $left"
[ ! -e "$R/usr/share/doc/ifhookd" ] || fail "uninstall left usr/share/doc/ifhookd"
[ ! -e "$R/etc/ifhookd/hooks.d" ] || fail "uninstall left the empty hooks.d"
grep -q "kept $R/etc/ifhookd/rules.d (not empty)" "$T/make.out" || fail "uninstall did not say it kept rules.d"
rm "$R/etc/ifhookd/rules.d/local.conf"
mk uninstall DESTDIR="$R" PREFIX=/usr SYSCONFDIR=/etc
left=$(cd "$R" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./etc/ifhookd/ifhookd.conf " ] || fail "after the second uninstall, left: $left"
cmp -s "$R/etc/ifhookd/ifhookd.conf" "$T/admin.conf" || fail "uninstall changed the configuration"

# Every directory variable moves its part, and the examples follow.
R2=$T/root2
mk install DESTDIR="$R2" PREFIX=/opt/ifh SBINDIR=/opt/ifh/bin SYSCONFDIR=/opt/etc \
	MANDIR=/opt/man DOCDIR=/opt/doc
expect_file "$R2/opt/ifh/bin/ifhookd" 755
expect_file "$R2/opt/man/man8/ifhookd.8" 644
expect_file "$R2/opt/man/man5/ifhookd.conf.5" 644
expect_file "$R2/opt/etc/ifhookd/ifhookd.conf" 644
expect_file "$R2/opt/doc/examples/hooks.d/log-event" 755
grep -qx 'ExecStart=/opt/ifh/bin/ifhookd -f' "$R2/opt/doc/examples/systemd/ifhookd.service" ||
	fail "example unit does not name SBINDIR"
grep -qx 'DAEMON=/opt/ifh/bin/ifhookd' "$R2/opt/doc/examples/sysvinit/ifhookd" ||
	fail "example sysvinit script does not name SBINDIR"
grep -qx 'IFHOOKD_CONFIG=/opt/etc/ifhookd/ifhookd.conf' "$R2/opt/doc/examples/sysvinit/ifhookd" ||
	fail "example sysvinit script does not name SYSCONFDIR"
mk uninstall DESTDIR="$R2" PREFIX=/opt/ifh SBINDIR=/opt/ifh/bin SYSCONFDIR=/opt/etc \
	MANDIR=/opt/man DOCDIR=/opt/doc
left=$(cd "$R2" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./opt/etc/ifhookd/ifhookd.conf " ] || fail "custom dirs: after uninstall, left: $left"
info "installed 10 files, kept a changed configuration, uninstalled to the configuration alone; custom dirs too"
echo "PASS: $TEST_NAME"
