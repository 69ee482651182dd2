#!/bin/bash
# Purpose: makes sure the packages needed to build (MODE "build") or to build
# and test (MODE "check") ifhookd are there: installs the missing ones with
# apt-get when root on Debian, otherwise says exactly what is missing and how
# to install it (exit 1). Silent when nothing is missing.
set -u

mode=${1:-}
case $mode in
build | check) ;;
*)
	echo "usage: $0 build|check" >&2
	exit 2
	;;
esac

# dpkg_has PKG: the Debian package is installed.
dpkg_has() {
	command -v dpkg-query >/dev/null 2>&1 &&
		[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# pc_has MODULE PKG: pkg-config knows MODULE (or, without pkg-config, the
# package is installed: pkg-config itself is then reported missing anyway).
pc_has() {
	if command -v pkg-config >/dev/null 2>&1; then
		pkg-config --exists "$1"
	else
		dpkg_has "$2"
	fi
}

# has_libfuzzer: clang can link -fsanitize=fuzzer (it prints the bare name
# when it has no such file).
has_libfuzzer() {
	[ -f "$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a" 2>/dev/null)" ]
}

missing=()
# need PKG CHECK...: PKG is missing unless CHECK succeeds.
need() {
	local pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing+=("$pkg")
}

need pkg-config command -v pkg-config
need libmnl-dev pc_has libmnl libmnl-dev
need libinih-dev pc_has inih libinih-dev
need gcc command -v gcc
need make command -v make
if [ "$mode" = check ]; then
	need iproute2 command -v ip
	need valgrind command -v valgrind
	need shellcheck command -v shellcheck
	need util-linux command -v unshare
	# record/replay, monitor and status tests: tcpdump reads our captures;
	# python3 and jq check JSON strictly and play slow status clients.
	need tcpdump command -v tcpdump
	need python3 command -v python3
	need jq command -v jq
	# The fuzz targets (make check runs them briefly): clang, and libFuzzer's
	# runtime, which clang-14 only recommends.
	need clang command -v clang
	need libclang-rt-14-dev has_libfuzzer
	# The real-PPP test (tests/ppp/): Debian's kernel in QEMU with pppd.
	need qemu-system-x86 command -v qemu-system-x86_64
	need ppp test -e /usr/sbin/pppd
	need cpio command -v cpio
	need kmod test -e /usr/sbin/depmod
	need xz-utils command -v xz
	# Deployment tests: the unit (systemd-analyze verify), the .deb (built,
	# linted, installed and purged), the fake NOTIFY_SOCKET and /dev/log.
	need systemd command -v systemd-analyze
	need dpkg-dev command -v dpkg-buildpackage
	need build-essential dpkg_has build-essential
	need debhelper command -v dh
	need lintian command -v lintian
	need python3 command -v python3
fi

[ "${#missing[@]}" = 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "ensure-deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	if apt-get update -q </dev/null >&2 &&
		apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; then
		exit 0
	fi
	echo "ensure-deps: apt-get could not install: ${missing[*]}" >&2
	exit 1
fi

echo "ensure-deps: missing for '$mode': ${missing[*]}" >&2
if command -v apt-get >/dev/null 2>&1; then
	echo "install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
else
	echo "install these (Debian package names) with your system's package manager" >&2
fi
exit 1
