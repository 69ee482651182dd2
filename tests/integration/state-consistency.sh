#!/bin/bash
# Purpose: the events tell the truth as a whole: after startup events and a
# churn of links, renames, addresses and routes (including the IPv4 routes the
# kernel removes silently), replaying the hook's events (added minus removed)
# gives exactly the kernel's links, usable addresses and unicast routes.
. "$(dirname "$0")/../lib.sh"
setup "$@"
veth_pair pre0 pre1
ip link set pre0 up
ip link set pre1 up
ip addr add 203.0.113.1/24 dev pre0
ip route add 198.51.100.0/25 via 203.0.113.2 table 300
write_config startup_events=yes
start_daemon

veth_pair c0 c1
veth_pair d0 d1
for l in c0 c1 d0 d1; do ip link set "$l" up; done
ip addr add 192.0.2.1/24 dev c0
ip addr add 192.0.2.9/24 dev c0
ip addr add 198.51.100.200/25 dev d0
ip addr add 192.0.2.77 peer 192.0.2.78 dev d1
ip -6 addr add 2001:db8:c::1/64 dev c0 nodad
ip -6 addr add 2001:db8:d::1/64 dev d0 nodad
ip route add default via 192.0.2.254
ip route add 203.0.113.128/25 via 192.0.2.2 metric 10
ip route add 203.0.113.128/25 via 198.51.100.129 metric 20
ip route add 198.51.100.0/26 via 192.0.2.3 table 100
ip -6 route add 2001:db8:100::/48 via 2001:db8:c::2
ip -6 route add default via 2001:db8:d::2 metric 500
ip route replace 203.0.113.128/25 via 192.0.2.4 metric 10
ip addr del 192.0.2.1/24 dev c0 # the secondary 192.0.2.9 goes with it
ip link set d0 down
ip link set d0 name d0r
ip link set d0r up
ip addr add 198.51.100.201/25 dev d0r
ip link del c1
ip link set pre0 down
veth_pair e0 e1
ip link set e0 name e0r
ip -6 addr add 2001:db8:e::1/64 dev d0r nodad
ip -6 route add 2001:db8:200::/48 via 2001:db8:e::2
ip route add 192.0.2.128/25 via 198.51.100.130 table 100
ip route append 192.0.2.128/25 via 198.51.100.131 table 100
ip route add 203.0.113.0/24 via 198.51.100.130 proto static metric 7
barrier

# Replays events.list into "links", "addrs" and "routes" files, one key a line.
replay() {
	local s ev k base old
	local -A links=() addrs=() routes=()
	for s in $(cut -d' ' -f1 "$EVLIST" | sort -n); do
		ev=$(env_of "$s" EVENT)
		case $ev in
		link-added | link-renamed) links[$(env_of "$s" IFINDEX)]=$(env_of "$s" IFACE) ;;
		link-removed) unset "links[$(env_of "$s" IFINDEX)]" ;;
		address-*)
			k="$(env_of "$s" IFINDEX) $(env_of "$s" ADDRESS)/$(env_of "$s" PREFIXLEN)"
			if [ "$ev" = address-added ]; then addrs[$k]=1; else unset "addrs[$k]"; fi
			;;
		route-*)
			# The kernel's identity is (family, table, dst, metric), but IPv6
			# keeps one fe80::/64 per device: the device and gateway are part
			# of the key here, and route-changed replaces its same-base entry.
			base="$(env_of "$s" FAMILY) $(env_of "$s" ROUTE_DST) $(env_of "$s" ROUTE_TABLE) $(env_of "$s" ROUTE_METRIC)"
			k="$base $(env_of "$s" IFINDEX) via=$(env_of "$s" ROUTE_GATEWAY)"
			case $ev in
			route-added) routes[$k]=1 ;;
			route-removed) unset "routes[$k]" ;;
			route-changed)
				for old in "${!routes[@]}"; do
					[[ $old == "$base "* ]] && unset "routes[$old]"
				done
				routes[$k]=1
				;;
			esac
			;;
		esac
	done
	for k in "${!links[@]}"; do echo "$k ${links[$k]}"; done | sort >"$T/ev.links"
	printf '%s\n' "${!addrs[@]}" | grep . | sort >"$T/ev.addrs"
	printf '%s\n' "${!routes[@]}" | grep . | sort >"$T/ev.routes"
}

kernel() {
	ip -o link show | sed 's/^\([0-9]*\): \([^:@]*\)[:@].*/\1 \2/' | sort >"$T/k.links"
	# Usable addresses only (not tentative/dadfailed); "A peer P/L" is A/L.
	ip -o addr show | grep -vE ' (tentative|dadfailed) ' | awk '{
		a = $4; if ($5 == "peer") { split($6, p, "/"); sub(/\/.*/, "", a); a = a "/" p[2] }
		sub(/:$/, "", $1); print $1, a }' | sort >"$T/k.addrs"
	# Unicast routes outside the local table: "family dst table metric ifindex via=gw".
	{ ip -4 -o route show table all | sed 's/^/inet /'; ip -6 -o route show table all | sed 's/^/inet6 /'; } |
		awk -v links="$T/k.links" 'BEGIN { while ((getline l < links) > 0) { split(l, w, " "); idx[w[2]] = w[1] } }
		{
		f = $1; dst = $2
		if (dst ~ /^(local|broadcast|multicast|anycast|unreachable|blackhole|prohibit|throw|nat)$/) next
		table = "main"; metric = 0; dev = ""; gw = ""
		for (i = 3; i < NF; i++) {
			if ($i == "table") table = $(i + 1)
			if ($i == "metric") metric = $(i + 1)
			if ($i == "dev") dev = $(i + 1)
			if ($i == "via") gw = $(i + 1)
		}
		if (table == "local") next
		if (dst != "default" && dst !~ /\//) dst = dst (f == "inet" ? "/32" : "/128")
		print f, dst, table, metric, idx[dev], "via=" gw }' | sort >"$T/k.routes"
}

same() {
	replay
	kernel
	cmp -s "$T/ev.links" "$T/k.links" && cmp -s "$T/ev.addrs" "$T/k.addrs" &&
		cmp -s "$T/ev.routes" "$T/k.routes"
}
if ! poll_until 10 same; then
	for w in links addrs routes; do
		diff -u --label "events: $w" --label "kernel: $w" "$T/ev.$w" "$T/k.$w" >&2
	done
	fail "events replayed do not match the kernel's state (diff above: - events, + kernel)"
fi
info "$(wc -l <"$T/k.links") links, $(wc -l <"$T/k.addrs") addresses, $(wc -l <"$T/k.routes") routes agree"
finish
