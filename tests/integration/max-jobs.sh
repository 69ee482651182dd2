#!/bin/bash
# Purpose: hooks of different interfaces run in parallel, but never more than
# max_jobs at once.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config max_jobs=2
# Each run leaves a directory while it runs and logs how many it saw at start.
cat >"$T/slow" <<HOOK
#!/bin/sh
mkdir '$T/running.'"\$EVENT_SEQ"
n=\$(ls -d '$T'/running.* | wc -l)
echo "\$n" >>'$T/concurrency'
sleep 0.6
rmdir '$T/running.'"\$EVENT_SEQ"
echo "\$IFACE" >>'$T/done'
HOOK
chmod 755 "$T/slow"
cat >>"$CONF" <<CONF

[rule slow]
event = link-added
interface = j*
run = $T/slow
CONF
start_daemon
t0=$(now_us)
for i in 0 2 4; do
	veth_pair "j$i" "j$((i + 1))"
done
poll_until 10 eval '[ "$(wc -l <"$T/done" 2>/dev/null)" = 6 ]' || fail "not all 6 hooks ran"
ms=$((($(now_us) - t0) / 1000))
max=$(sort -n "$T/concurrency" | tail -n 1)
[ "$max" -le 2 ] || fail "$max hooks ran at once with max_jobs = 2"
[ "$max" = 2 ] || fail "hooks of different interfaces never ran in parallel"
# 6 runs of 0.6 s, two at a time: at least 1.8 s.
[ "$ms" -ge 1700 ] || fail "6 hooks of 0.6 s done in $ms ms: more than 2 at once?"
info "6 hooks in $ms ms, at most $max at once"
finish
