#!/bin/bash
# Purpose: prepares what the real-PPP test (tests/ppp/test.sh) boots: makes sure
# the host has qemu-system-x86_64, pppd, cpio, depmod/modprobe and xz (installs
# the missing packages with apt-get when root), and caches Debian's kernel
# (uncompressed vmlinux for a fast PVH boot, plus the bzImage), the three PPP
# modules in insmod order and a static busybox. The .debs are fetched with
# `apt-get download` and unpacked with `dpkg-deb -x`: nothing is installed on the
# host from them. The cache is $IFHOOKD_PPP_CACHE, else
# ${XDG_CACHE_HOME:-~/.cache}/ifhookd-ppp; IFHOOKD_PPP_REFRESH=1 rebuilds it.
# Prints the cache directory on stdout; exits 1 with the reason on stderr.
set -u
export LC_ALL=C
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

CACHE=${IFHOOKD_PPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ifhookd-ppp}
GUEST=$CACHE/guest
PPP_MODULES=(ppp_async) # modprobe --show-depends adds slhc and ppp_generic

say() { printf 'ppp-prepare: %s\n' "$*" >&2; }
die() {
	say "ERROR: $*"
	exit 1
}

# --- host packages ---

# Each tool the test needs and the Debian package that has it.
declare -A TOOL_PKG=([qemu-system-x86_64]=qemu-system-x86 [pppd]=ppp [cpio]=cpio
	[depmod]=kmod [modprobe]=kmod [xz]=xz-utils [apt-get]=apt [dpkg-deb]=dpkg)

# have TOOL: on PATH, or in an sbin directory (pppd is mode 4754 root:dip, so
# `command -v` misses it for other users, who can still read it to pack it).
have() {
	command -v "$1" >/dev/null 2>&1 || [ -e "/usr/sbin/$1" ] || [ -e "/sbin/$1" ]
}

missing_pkgs() {
	local t
	for t in "${!TOOL_PKG[@]}"; do
		have "$t" || echo "${TOOL_PKG[$t]}"
	done | sort -u
}

ensure_host_packages() {
	local -a miss
	mapfile -t miss < <(missing_pkgs)
	[ "${#miss[@]}" = 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		die "missing packages: ${miss[*]} (install them: sudo apt-get install --no-install-recommends ${miss[*]})"
	fi
	say "installing ${miss[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q </dev/null >"$CACHE/apt.log" 2>&1 ||
		die "apt-get update failed: $(tail -n 5 "$CACHE/apt.log")"
	# Wait for another apt or dpkg run rather than fail at once.
	apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "${miss[@]}" \
		</dev/null >>"$CACHE/apt.log" 2>&1 ||
		die "apt-get install ${miss[*]} failed: $(tail -n 5 "$CACHE/apt.log")"
	mapfile -t miss < <(missing_pkgs)
	[ "${#miss[@]}" = 0 ] || die "still missing after apt-get install: ${miss[*]}"
}

# --- kernel, modules, busybox ---

# kernel_pkg: the linux-image-VERSION-amd64 package linux-image-amd64 depends on.
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}

is_elf() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# extract_vmlinux BZIMAGE OUT: the uncompressed kernel ELF (booted through its
# PVH entry, ~2.7 s faster than the bzImage under TCG). Tries every xz, gzip
# and zstd header in the image, as the kernel's scripts/extract-vmlinux does.
extract_vmlinux() {
	local in=$1 out=$2 off magic cmd
	for magic in xz gzip zstd; do
		case $magic in
		xz) set -- '\xfd7zXZ\x00' xz -dc --single-stream ;;
		gzip) set -- '\x1f\x8b\x08' gzip -dc ;;
		zstd) set -- '\x28\xb5\x2f\xfd' zstd -dcq ;;
		esac
		command -v "$2" >/dev/null 2>&1 || continue
		local pattern=$1
		shift
		cmd=("$@")
		for off in $(grep -obUaP "$pattern" "$in" | cut -d: -f1); do
			tail -c +"$((off + 1))" "$in" | "${cmd[@]}" >"$out" 2>/dev/null
			if is_elf "$out"; then
				return 0
			fi
		done
	done
	rm -f "$out"
	return 1
}

# download DIR PKG...: apt-get download into DIR, its output in DIR/download.log.
download() {
	local dir=$1
	shift
	(cd "$dir" && apt-get download -q "$@") </dev/null >"$dir/download.log" 2>&1
}

build_guest_pieces() {
	local dl new pkg ver kdir line ko n=0
	dl=$(mktemp -d "$CACHE/download.XXXXXX") || die "mktemp in $CACHE"
	# apt-get download runs as _apt when root: let it write there.
	chmod 755 "$dl"
	trap 'rm -rf "$dl"' EXIT
	new=$dl/guest
	mkdir -p "$new/modules"

	pkg=$(kernel_pkg)
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
		say "apt-get update (apt does not know linux-image-amd64 yet)"
		apt-get update -q </dev/null >"$CACHE/apt.log" 2>&1 ||
			die "apt-get update failed: $(tail -n 5 "$CACHE/apt.log")"
		pkg=$(kernel_pkg)
	fi
	[ -n "$pkg" ] || die "apt-cache knows no dependency of linux-image-amd64 (run apt-get update as root)"
	say "downloading $pkg and busybox-static (apt-get download; nothing is installed)"
	if ! download "$dl" "$pkg" busybox-static && [ "$(id -u)" = 0 ]; then
		# Stale package lists name a kernel the archive no longer has.
		say "apt-get update, then again"
		apt-get update -q </dev/null >"$CACHE/apt.log" 2>&1 ||
			die "apt-get update failed: $(tail -n 5 "$CACHE/apt.log")"
		pkg=$(kernel_pkg)
		[ -n "$pkg" ] || die "apt-cache knows no dependency of linux-image-amd64"
		download "$dl" "$pkg" busybox-static
	fi || die "apt-get download $pkg busybox-static failed: $(tail -n 5 "$dl/download.log")"
	ver=${pkg#linux-image-}

	dpkg-deb -x "$dl/$pkg"_*.deb "$dl/k" || die "dpkg-deb -x $pkg"
	kdir=$dl/k/lib/modules/$ver
	[ -d "$kdir" ] || die "$pkg has no lib/modules/$ver"
	[ -f "$dl/k/boot/vmlinuz-$ver" ] || die "$pkg has no boot/vmlinuz-$ver"
	# Debian ships no modules.dep; modprobe then names the insmod order.
	depmod -b "$dl/k" "$ver" || die "depmod -b $dl/k $ver"
	: >"$new/modules.order"
	while read -r line; do
		set -- $line # "insmod /path/x.ko [options]"
		[ "${1:-}" = insmod ] || continue
		ko=$(basename "$2")
		cp "$2" "$new/modules/$ko" || die "cp $2"
		echo "$ko" >>"$new/modules.order"
		n=$((n + 1))
	done < <(modprobe -d "$dl/k" -S "$ver" --show-depends "${PPP_MODULES[@]}")
	if ! grep -qx ppp_generic.ko "$new/modules.order" || ! grep -qx ppp_async.ko "$new/modules.order"; then
		die "modprobe --show-depends ppp_async gave no ppp_generic.ko/ppp_async.ko ($n modules)"
	fi

	cp "$dl/k/boot/vmlinuz-$ver" "$new/bzImage" || die "cp vmlinuz"
	if ! extract_vmlinux "$new/bzImage" "$new/vmlinux"; then
		say "could not extract vmlinux from the bzImage: the test boots the bzImage (slower)"
	fi

	dpkg-deb -x "$dl"/busybox-static_*.deb "$dl/bb" || die "dpkg-deb -x busybox-static"
	cp "$dl/bb/bin/busybox" "$new/busybox" || die "busybox-static has no bin/busybox"
	"$new/busybox" unshare --help >/dev/null 2>&1 || die "this busybox has no unshare applet"

	echo "$ver" >"$new/version"
	touch "$new/complete"
	rm -rf "$GUEST"
	mv "$new" "$GUEST" || die "mv $new $GUEST"
	rm -rf "$dl"
	trap - EXIT
	say "cached kernel $ver ($(tr '\n' ' ' <"$GUEST/modules.order")) and busybox in $GUEST"
}

mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9>"$CACHE/.lock" || die "cannot open $CACHE/.lock"
flock -w 200 9 || die "$CACHE is locked by another run for 200 s"

ensure_host_packages
if [ "${IFHOOKD_PPP_REFRESH:-0}" = 1 ] || [ ! -f "$GUEST/complete" ]; then
	build_guest_pieces
fi
echo "$CACHE"
