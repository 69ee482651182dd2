#!/bin/sh
# Purpose: the hook of the real-PPP test guest (installed as
# /etc/ifhookd/record): records each event's exact environment (NUL-separated,
# from /proc: the shell would add PWD to `env`) in /tmp/ev/SEQ.env (one fork: hooks are slow under TCG), then appends
# "SEQ EVENT IFACE" to /tmp/events.list, so a listed event is fully recorded.
# shellcheck shell=dash
cat "/proc/$$/environ" >"/tmp/ev/${EVENT_SEQ:-0}.env"
printf '%s %s %s\n' "${EVENT_SEQ:-?}" "${EVENT:-?}" "${IFACE-?}" >>/tmp/events.list
exit 0
