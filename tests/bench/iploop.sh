#!/bin/bash
# Purpose: the naive peer: `ip -o monitor ... | while read -r l; do HOOK "$l"; done`,
# the loop half, reading the monitor's lines on stdin.
#
# Usage: ip -o monitor OBJECTS | iploop.sh HOOK [ERE]
# Runs HOOK with the whole line as its argument for every line (or only for
# lines matching the extended regex ERE: an admin's filter, such as the
# default route's lines in a routing table flood).
hook=$1
filter=${2:-}
while IFS= read -r l; do
	if [ -z "$filter" ] || [[ $l =~ $filter ]]; then
		"$hook" "$l"
	fi
done
