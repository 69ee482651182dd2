#!/bin/bash
# Purpose: the real-PPP end-to-end test in make check: runs tests/ppp/test.sh
# (Debian's kernel in QEMU with a real pppd pair and the freshly built ifhookd;
# a QEMU that cannot start fails the test, it never skips).
exec bash "$(dirname "$0")/../ppp/test.sh" "$@"
