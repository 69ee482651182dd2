#!/bin/bash
# Purpose: interface names with shell metacharacters, quotes, a control
# character and a backslash reach the hook byte for byte in IFACE, OLD_IFACE
# and argv (nothing interprets them), and the daemon's log escapes them.
. "$(dirname "$0")/../lib.sh"
setup "$@"
write_config
start_daemon

n1='a$(id)b'
n2="q'x;y\"z|&"
n3=$'c\x01\\`d*'
veth_pair m0 m1
veth_pair m2 m3
wait_event link-added m2 >/dev/null
ip link set m0 name "$n1" || fail "ip link set m0 name '$n1'"
ip link set m1 name "$n2" || fail "ip link set m1 name \"$n2\""
ip link set m2 name "$n3" || fail "cannot name a link with \\x01 and a backslash"

check_name() { # SEQ NAME EVENT
	local -a argv
	expect_env "$1" IFACE "$2"
	mapfile -t argv < <(argv_of "$1")
	[ "${argv[1]}" = "$2" ] || fail "argv[1]='${argv[1]}', want '$2'"
	[ "${argv[2]}" = "$3" ] || fail "argv[2]='${argv[2]}', want '$3'"
}
s=$(wait_event link-renamed "$n1")
check_name "$s" "$n1" link-renamed
expect_env "$s" OLD_IFACE m0
s=$(wait_event link-renamed "$n2")
check_name "$s" "$n2" link-renamed
s=$(wait_event link-renamed "$n3")
check_name "$s" "$n3" link-renamed
expect_env "$s" OLD_IFACE m2

# Renamed again: the odd name is now OLD_IFACE.
ip link set "$n3" name m2b
s=$(wait_event link-renamed m2b)
expect_env "$s" OLD_IFACE "$n3"

ip link set "$n2" up
ip link set "$n1" up
ip addr add 192.0.2.1/24 dev "$n1"
s=$(wait_event link-up "$n1")
check_name "$s" "$n1" link-up
s=$(wait_event_with address-added "$n1" ADDRESS 192.0.2.1)
check_name "$s" "$n1" address-added
s=$(wait_event link-up "$n2")
check_name "$s" "$n2" link-up
ip link del "$n1"
s=$(wait_event link-removed "$n1")
check_name "$s" "$n1" link-removed

# The log: control characters and backslash escaped as \xNN, the rest verbatim.
grep -qF 'event link-renamed iface=c\x01\x5c`d* ifindex=' "$LOG" ||
	fail "log does not show the name as 'c\\x01\\x5c\`d*'"
grep -qF "event link-up iface=$n1 ifindex=" "$LOG" || fail "log lacks link-up for $n1"
if LC_ALL=C grep -q $'\x01' "$LOG"; then
	fail "raw control character in the daemon log"
fi
finish
