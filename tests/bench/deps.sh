#!/bin/bash
# Purpose: installs what `make bench` needs (the peers it compares ifhookd with,
# valgrind, python3) with apt-get as root on Debian, and builds busybox's
# ifplugd applet, which Debian's busybox lacks, from Debian's source package.
#
# Usage: tests/bench/deps.sh BUILD_DIR
# Prints "busybox: PATH" when the applet is there, or "busybox: unavailable:
# REASON" (the benchmark then shows busybox ifplugd as n/a with that reason).
# Never fails because of a peer: a peer that cannot be had is reported, not
# fatal. The source package is fetched through a private apt configuration
# under BUILD_DIR (a deb-src line for the release this machine runs), so the
# system's apt sources are left as they are.
set -u

out=${1:?usage: deps.sh BUILD_DIR}
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)

dpkg_has() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

pkgs=(ifplugd netplug python3 python3-pyroute2 valgrind iproute2 util-linux gcc make
	libmnl-dev libinih-dev pkg-config dpkg-dev bzip2 xz-utils)
missing=()
for p in "${pkgs[@]}"; do
	dpkg_has "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "deps: missing ${missing[*]} (install them as root with apt-get)" >&2
	else
		echo "deps: installing ${missing[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null 2>&1
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
			echo "deps: apt-get install ${missing[*]} failed" >&2
	fi
fi
# ---- busybox ifplugd ----
bb=$out/busybox/busybox
if [ -x "$bb" ] && "$bb" ifplugd -h 2>&1 | grep -q 'ifplugd'; then
	echo "busybox: $bb"
	exit 0
fi
unavailable() {
	echo "busybox: unavailable: $*"
	exit 0
}
command -v apt-get >/dev/null || unavailable "no apt-get to fetch Debian's busybox source"
command -v dpkg-source >/dev/null || unavailable "dpkg-source (dpkg-dev) is missing"
. /etc/os-release 2>/dev/null
codename=${VERSION_CODENAME:-}
[ -n "$codename" ] || unavailable "unknown Debian release (/etc/os-release)"
apt=$out/apt
mkdir -p "$apt/lists/partial" "$apt/src"
mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*\/debian\)[[:space:]]*$/\1/p' \
	/etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\+\(http[^ ]*\/debian\)[[:space:]].*/\1/p' \
	/etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || unavailable "no Debian mirror found in the apt sources"
echo "deb-src $mirror $codename main" >"$apt/sources.list"
aptopts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt/lists" -o Debug::NoLocking=1)
apt-get "${aptopts[@]}" update >"$apt/update.log" 2>&1 ||
	unavailable "apt-get update of the deb-src index failed (see $apt/update.log)"
(cd "$apt/src" && apt-get "${aptopts[@]}" source --download-only busybox) >"$apt/source.log" 2>&1 ||
	unavailable "apt-get source busybox failed (see $apt/source.log)"
dsc=$(find "$apt/src" -maxdepth 1 -name 'busybox_*.dsc' | sort | tail -n 1)
[ -n "$dsc" ] || unavailable "no busybox .dsc downloaded"
rm -rf "$out/busybox"
dpkg-source -x "$dsc" "$out/busybox" >"$apt/extract.log" 2>&1 ||
	unavailable "dpkg-source -x failed (see $apt/extract.log)"
# A minimal configuration: nothing but the ifplugd applet (and its usage text).
(
	cd "$out/busybox" || exit 1
	make allnoconfig >/dev/null 2>&1 || exit 1
	sed -i -e 's/^# CONFIG_IFPLUGD is not set/CONFIG_IFPLUGD=y/' \
		-e 's/^# CONFIG_SHOW_USAGE is not set/CONFIG_SHOW_USAGE=y/' .config
	yes '' | make oldconfig >/dev/null 2>&1
	grep -q '^CONFIG_IFPLUGD=y' .config || exit 1
	make -j"$(nproc)" busybox >"$apt/build.log" 2>&1
) || unavailable "building busybox with CONFIG_IFPLUGD failed (see $apt/build.log)"
[ -x "$bb" ] || unavailable "the busybox build made no binary"
echo "busybox: $bb"
