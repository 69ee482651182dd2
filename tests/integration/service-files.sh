#!/bin/bash
# Purpose: the service files of contrib/: the systemd unit and its non-root
# drop-in pass `systemd-analyze verify` without a warning and say what they
# must (Type=notify, -f, SIGHUP reload...); the SysV script has its LSB header
# and really starts, reports, reloads and stops the daemon with
# start-stop-daemon (in a private network namespace, paths under a temp dir);
# the OpenRC and OpenWrt procd scripts pass sh -n and shellcheck and set what
# their init system needs; the OpenWrt package Makefile parses and installs
# the right files (against a stub of the SDK's rules.mk and package.mk).
. "$(dirname "$0")/../lib.sh"
setup "$@"
C=$TOP/contrib

# has_line FILE ERE WHAT: FILE has a line matching ERE.
has_line() { grep -qE -- "$2" "$1" || fail "${1#"$TOP/"}: no $3 (/$2/)"; }

# lint_sh FILE: sh -n, and shellcheck (every level) when installed.
lint_sh() {
	sh -n "$1" || fail "sh -n ${1#"$TOP/"}"
	if command -v shellcheck >/dev/null; then
		shellcheck -s sh "$1" >"$T/sc.out" 2>&1 || fail "shellcheck ${1#"$TOP/"}: $(cat "$T/sc.out")"
	fi
	[ "$(sed -n 2,3p "$1" | grep -c '^# Purpose: ')" = 1 ] || fail "${1#"$TOP/"}: no '# Purpose:' line after the #! line"
}

# ---- systemd ----
U=$C/systemd/ifhookd.service
has_line "$U" '^# Purpose: ' "Purpose line"
has_line "$U" '^Type=notify$' "Type=notify"
has_line "$U" '^NotifyAccess=main$' "NotifyAccess=main"
has_line "$U" '^ExecStart=/usr/sbin/ifhookd -f$' "ExecStart with -f"
has_line "$U" '^ExecReload=/bin/kill -HUP \$MAINPID$' "ExecReload sending SIGHUP"
has_line "$U" '^KillMode=mixed$' "KillMode=mixed (hooks may finish after SIGTERM)"
has_line "$U" '^Documentation=man:ifhookd\(8\)' "Documentation="
has_line "$U" '^WantedBy=multi-user.target$' "WantedBy="
has_line "$U" '^ProtectSystem=true$' "the sandbox (ProtectSystem=true)"
D=$C/systemd/nonroot.conf
has_line "$D" '^# Purpose: ' "Purpose line"
has_line "$D" '^User=ifhookd$' "User="
has_line "$D" '^AmbientCapabilities=CAP_NET_ADMIN$' "AmbientCapabilities=CAP_NET_ADMIN"
has_line "$D" '^CapabilityBoundingSet=CAP_NET_ADMIN$' "CapabilityBoundingSet=CAP_NET_ADMIN"
if command -v systemd-analyze >/dev/null; then
	# verify wants ExecStart's binary to exist: point it at the built one.
	mkdir -p "$T/units/ifhookd.service.d"
	sed "s|^ExecStart=/usr/sbin/ifhookd|ExecStart=$IFHOOKD|" "$U" >"$T/units/ifhookd.service"
	systemd-analyze verify --man=no "$T/units/ifhookd.service" >"$T/verify" 2>&1 && [ ! -s "$T/verify" ] ||
		fail "systemd-analyze verify ifhookd.service: $(cat "$T/verify")"
	sed "s|^ExecStart=/usr/sbin/ifhookd|ExecStart=$IFHOOKD|" "$D" >"$T/units/ifhookd.service.d/nonroot.conf"
	SYSTEMD_UNIT_PATH="$T/units:" systemd-analyze verify --man=no ifhookd.service >"$T/verify" 2>&1 &&
		[ ! -s "$T/verify" ] || fail "systemd-analyze verify with nonroot.conf: $(cat "$T/verify")"
	# And verify does complain about a bad key in the drop-in (the check works).
	echo "NoSuchKey=1" >>"$T/units/ifhookd.service.d/nonroot.conf"
	SYSTEMD_UNIT_PATH="$T/units:" systemd-analyze verify --man=no ifhookd.service >"$T/verify" 2>&1
	grep -q NoSuchKey "$T/verify" || fail "systemd-analyze verify did not read the drop-in"
	info "systemd: unit and non-root drop-in verified"
else
	skip "needs systemd-analyze (Debian package systemd; contrib/ensure-deps.sh check installs it)"
fi

# ---- SysV init ----
S=$C/sysvinit/ifhookd
lint_sh "$S"
sed -n '/^### BEGIN INIT INFO$/,/^### END INIT INFO$/p' "$S" >"$T/lsb"
[ -s "$T/lsb" ] || fail "sysvinit: no LSB header"
for k in Provides Required-Start Required-Stop Default-Start Default-Stop Short-Description Description; do
	grep -qE "^# $k: +[^ ]" "$T/lsb" || fail "sysvinit: LSB header without $k"
done
grep -qE '^# Default-Start: +2 3 4 5$' "$T/lsb" || fail "sysvinit: Default-Start is not 2 3 4 5"
for a in start stop restart reload force-reload status; do
	grep -qE "^(\\| )?[a-z| -]*\\b$a\\b[a-z| -]*\\)" "$S" || fail "sysvinit: no '$a)' action"
done
if [ -r /lib/lsb/init-functions ] && command -v start-stop-daemon >/dev/null; then
	# The script itself, with its paths moved under $T; a copy of the
	# binary, as start-stop-daemon matches /proc/PID/exe (a rebuild of the
	# tree's binary while this runs would make it "(deleted)").
	cp "$IFHOOKD" "$T/ifhookd"
	NO_RECORD_RULE=1 write_config
	write_recorder "$T/rec-a" a
	write_recorder "$T/rec-b" b
	printf '\n[rule a]\nevent = link-added\nrun = %s\n' "$T/rec-a" >>"$CONF"
	sed -e "s|^DAEMON=.*|DAEMON=$T/ifhookd|" -e "s|^PIDFILE=.*|PIDFILE=$T/ifhookd.pid|" \
		-e "s|^IFHOOKD_CONFIG=.*|IFHOOKD_CONFIG=$CONF|" -e "s|/etc/default/\$NAME|$T/default|g" \
		"$S" >"$T/init"
	chmod 755 "$T/init"
	echo 'IFHOOKD_OPTS="-S none"' >"$T/default"
	"$T/init" start >"$T/init.out" 2>&1 || fail "init start: $(cat "$T/init.out")"
	poll_until 5 test -s "$T/ifhookd.pid" || fail "init start: no pidfile"
	pid=$(cat "$T/ifhookd.pid")
	DAEMON_PID=$pid
	pid_alive "$pid" || fail "init start: daemon $pid not running"
	# start-stop-daemon writes the pidfile in its child, before execve.
	poll_until 5 eval '[ "$(readlink "/proc/$pid/exe")" = "$T/ifhookd" ]' || fail "init start: pid $pid is not ifhookd: $(readlink "/proc/$pid/exe") $(tr "\\0" " " <"/proc/$pid/cmdline")"
	"$T/init" status >"$T/init.out" 2>&1 || fail "init status with the daemon running: $(cat "$T/init.out")"
	"$T/init" start >"$T/init.out" 2>&1 || fail "init start when running: $(cat "$T/init.out")"
	[ "$(cat "$T/ifhookd.pid")" = "$pid" ] || fail "a second start replaced the daemon"
	sleep 0.5 # its initial dump: the daemon logs to syslog, nothing to wait for here
	veth_pair sa0 sa1
	wait_event link-added sa0 1 10 >/dev/null
	# reload: rule a becomes rule b, same daemon.
	sed -i "s|^\\[rule a\\]|[rule b]|; s|^run = $T/rec-a|run = $T/rec-b|" "$CONF"
	"$T/init" reload >"$T/init.out" 2>&1 || fail "init reload: $(cat "$T/init.out")"
	sleep 0.5
	veth_pair sb0 sb1
	poll_until 10 eval '[ -n "$(ls "$EVDIR" | grep "\.b\.env$")" ]' || fail "after init reload, rule b did not run"
	[ "$(cat "$T/ifhookd.pid")" = "$pid" ] && pid_alive "$pid" || fail "reload restarted the daemon"
	# A broken configuration: reload refuses (exit 1), the daemon stays.
	echo "broken" >>"$CONF"
	"$T/init" reload >"$T/init.out" 2>&1 && fail "init reload with a broken configuration exited 0"
	pid_alive "$pid" || fail "the daemon died on a refused reload"
	sed -i '$d' "$CONF"
	"$T/init" stop >"$T/init.out" 2>&1 || fail "init stop: $(cat "$T/init.out")"
	pid_gone "$pid" || fail "init stop: daemon $pid still running"
	# shellcheck disable=SC2034 # lib.sh's cleanup reads it
	DAEMON_PID=""
	[ ! -e "$T/ifhookd.pid" ] || fail "init stop left the pidfile"
	"$T/init" stop >"$T/init.out" 2>&1 || fail "init stop when stopped exited $?"
	"$T/init" status >/dev/null 2>&1
	rc=$?
	[ "$rc" = 3 ] || fail "init status when stopped exited $rc, want 3 (LSB: not running)"
	echo "broken" >>"$CONF"
	"$T/init" start >"$T/init.out" 2>&1 && fail "init start with a broken configuration exited 0"
	[ ! -e "$T/ifhookd.pid" ] || fail "a refused start left a pidfile"
	info "sysvinit: start, status, reload (good and refused), stop, status, refused start"
else
	info "sysvinit: no /lib/lsb/init-functions or start-stop-daemon here: syntax and header only"
fi

# ---- OpenRC ----
O=$C/openrc/ifhookd
lint_sh "$O"
[ "$(head -n 1 "$O")" = "#!/sbin/openrc-run" ] || fail "openrc: first line is not #!/sbin/openrc-run"
has_line "$O" '^command="/usr/sbin/ifhookd"$' "command="
has_line "$O" '^command_args="-f -l syslog ' "command_args with -f -l syslog"
has_line "$O" '^command_background="yes"$' "command_background"
has_line "$O" '^pidfile=' "pidfile="
has_line "$O" '^extra_started_commands="reload"$' "reload as an extra started command"
has_line "$O" '^depend\(\) \{$' "depend()"
has_line "$O" '^reload\(\) \{$' "reload()"
has_line "$O" '--signal HUP' "SIGHUP in reload"
info "openrc: syntax, shellcheck, fields"

# ---- OpenWrt ----
W=$C/openwrt/files/ifhookd.init
lint_sh "$W"
[ "$(head -n 1 "$W")" = "#!/bin/sh /etc/rc.common" ] || fail "openwrt: first line is not #!/bin/sh /etc/rc.common"
has_line "$W" '^USE_PROCD=1$' "USE_PROCD=1"
has_line "$W" '^START=[0-9]+$' "START="
has_line "$W" '^start_service\(\) \{$' "start_service()"
has_line "$W" 'procd_set_param command "\$PROG" -f -l syslog' "procd command with -f -l syslog"
has_line "$W" '^reload_service\(\) \{$' "reload_service()"
has_line "$W" 'procd_send_signal ifhookd .* HUP' "SIGHUP in reload_service"
M=$C/openwrt/Makefile
has_line "$M" '^# Purpose: ' "Purpose line"
for v in PKG_NAME:=ifhookd 'PKG_VERSION:=[0-9.]+' 'PKG_RELEASE:=[0-9]+' 'include \$\(TOPDIR\)/rules.mk' \
	'include \$\(INCLUDE_DIR\)/package.mk' 'define Package/ifhookd$' 'define Package/ifhookd/install$' \
	'define Package/ifhookd/conffiles$' '\$\(eval \$\(call BuildPackage,ifhookd\)\)'; do
	has_line "$M" "^$v" "$v"
done
version=$(sed -n 's/^#define IFHOOKD_VERSION "\(.*\)"/\1/p' "$TOP"/src/*.h | head -n 1)
has_line "$M" "^PKG_VERSION:=$version\$" "PKG_VERSION matching the source ($version)"
# A stub SDK: BuildPackage runs Build/Prepare and Package/NAME/install with
# echoing tools, so make parses the whole file and expands both recipes.
mkdir -p "$T/sdk/include"
: >"$T/sdk/rules.mk"
cat >"$T/sdk/include/package.mk" <<'EOF'
# Purpose: stub of OpenWrt's package.mk for the ifhookd service-files test.
PKG_BUILD_DIR = /stub/build/$(PKG_NAME)-$(PKG_VERSION)
INSTALL_DIR = echo INSTALL_DIR
INSTALL_BIN = echo INSTALL_BIN
INSTALL_CONF = echo INSTALL_CONF
CP = echo CP
define BuildPackage
stub-all:
	@echo "NAME=$(PKG_NAME) VERSION=$(PKG_VERSION)-$(PKG_RELEASE) MAKE_FLAGS=$(MAKE_FLAGS)"
	@echo "DEPENDS=$$(strip $$(DEPENDS))"
	$$(call Build/Prepare)
	$$(call Package/$(1)/install,/stub/root)
$$(eval $$(Package/$(1)))
endef
EOF
make -s -C "$C/openwrt" -f Makefile TOPDIR="$T/sdk" INCLUDE_DIR="$T/sdk/include" \
	IFHOOKD_SRC=/stub/src stub-all >"$T/owrt.out" 2>&1 || fail "OpenWrt Makefile: $(cat "$T/owrt.out")"
for want in "NAME=ifhookd VERSION=$version-" "DEPENDS=+libmnl +libinih @USE_GLIBC" \
	"CP /stub/src/Makefile /stub/src/src /stub/src/contrib /stub/build/ifhookd-$version/" \
	"INSTALL_BIN /stub/build/ifhookd-$version/ifhookd /stub/root/usr/sbin/ifhookd" \
	"INSTALL_BIN ./files/ifhookd.init /stub/root/etc/init.d/ifhookd" \
	"INSTALL_CONF /stub/build/ifhookd-$version/contrib/ifhookd.conf.installed /stub/root/etc/ifhookd/ifhookd.conf"; do
	grep -qF -- "$want" "$T/owrt.out" || fail "OpenWrt Makefile: no '$want' in: $(cat "$T/owrt.out")"
done
grep -q 'MAKE_FLAGS=.*PREFIX=/usr SYSCONFDIR=/etc' "$T/owrt.out" || fail "OpenWrt Makefile: MAKE_FLAGS without PREFIX=/usr SYSCONFDIR=/etc"
info "openwrt: procd script and package Makefile"
echo "PASS: $TEST_NAME"
