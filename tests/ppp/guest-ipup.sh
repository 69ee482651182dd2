#!/bin/sh
# Purpose: a recorder for the real-PPP test guest's examples phase, installed
# both as pppd's own /etc/ppp/ip-up and ip-down and as the program of ifhookd
# rules with `args = pppd`, so the host can compare what each passes: it
# writes its exact environment (from /proc, NUL-separated) to
# /tmp/ipup/NAME.env, its argv ($0 first, NUL-separated) to NAME.argv, then
# appends NAME to /tmp/ipup/list. NAME is ifhookd-EVENT when ifhookd ran it,
# else pppd-SCRIPT-LOCALIP (pppd-ip-up-192.0.2.1: the peer pppd, in its own
# network namespace but on the same files, records as pppd-ip-up-192.0.2.2).
# shellcheck shell=dash
PATH=/usr/sbin:/usr/bin:/sbin:/bin
if [ -n "${EVENT:-}" ]; then
	name=ifhookd-$EVENT
else
	name=pppd-${0##*/}-${4:-}
fi
mkdir -p /tmp/ipup
cat "/proc/$$/environ" >"/tmp/ipup/$name.env"
printf '%s\0' "$0" "$@" >"/tmp/ipup/$name.argv"
echo "$name" >>/tmp/ipup/list
exit 0
