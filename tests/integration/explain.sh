#!/bin/bash
# Purpose: `ifhookd explain` prints, in order, each hook an event would run
# (rules, then EVENT.d/, then top-level files) with its exact argv and
# environment (link facts from the kernel), then the rules that would not run
# and every skipped hooks_dir entry with the reason; it runs nothing unless
# --run, and then each hook gets exactly the environment it printed.
. "$(dirname "$0")/../lib.sh"
setup "$@"
NO_RECORD_RULE=1 write_config
mkdir -p "$HOOKS/address-added.d" "$HOOKS/route-added.d" "$HOOKS/nonsense.d"
write_recorder "$HOOKS/address-added.d/10-first" evd
write_recorder "$HOOKS/50-top" top
write_recorder "$T/ruled" rule
cp "$HOOKS/50-top" "$HOOKS/50-top~"
cp "$HOOKS/50-top" "$HOOKS/60-off.disabled"
printf '#!/bin/sh\n' >"$HOOKS/70-noexec"
mkdir -p "$T/loose" && chmod 777 "$T/loose" && write_recorder "$T/loose/hook" loose
cat >>"$CONF" <<EOF

[rule on-ppp]
event = address-added
interface = e*
run = $T/ruled --flag
[rule links-only]
event = link-*
run = $T/ruled
[rule loose]
event = address-*
run = $T/loose/hook
EOF
veth_pair e0 e1
ip link set e0 up
idx=$(ifindex_of e0)
mac=$(mac_of e0)

"$IFHOOKD" explain address-added e0 ADDRESS=203.0.113.5 PREFIXLEN=32 -c "$CONF" >"$T/out" 2>"$T/err" ||
	fail "explain: $(cat "$T/err")"
grep -q "^event address-added on e0: ifindex $idx, link facts from the kernel$" "$T/out" ||
	fail "header: $(head -n 1 "$T/out")"
mapfile -t runs < <(grep '^run ' "$T/out")
[ "${runs[0]}" = "run 1: rule on-ppp" ] || fail "run 1 is '${runs[0]}'"
[ "${runs[1]}" = "run 2: $HOOKS/address-added.d/10-first" ] || fail "run 2 is '${runs[1]}'"
[ "${runs[2]}" = "run 3: $HOOKS/50-top" ] || fail "run 3 is '${runs[2]}'"
[ "${#runs[@]}" = 3 ] || fail "${#runs[@]} hooks would run, want 3: ${runs[*]}"
grep -qxF "  argv: $T/ruled --flag e0 address-added" "$T/out" || fail "rule argv: $(grep argv "$T/out")"
for want in "EVENT=address-added" "IFACE=e0" "IFINDEX=$idx" "MAC=$mac" "ADDRESS=203.0.113.5" \
	"PREFIXLEN=32" "FAMILY=inet" "IP4_ADDRS=203.0.113.5/32" "LINK_STATE=down" "RULE=on-ppp"; do
	grep -qxF "    $want" "$T/out" || fail "environment lacks $want"
done
grep -q "^not run: rule links-only ($CONF:[0-9]*): its event does not match$" "$T/out" ||
	fail "no reason for links-only: $(grep '^not run' "$T/out")"
grep -q "^not run: rule loose: $T/loose/hook: .*writable" "$T/out" ||
	fail "no reason for the loose rule: $(grep '^not run' "$T/out")"
grep -qF "skipped: '$HOOKS/50-top~': editor backup file" "$T/out" || fail "50-top~ not listed"
grep -qF "skipped: $HOOKS/60-off.disabled: disabled" "$T/out" || fail "60-off.disabled not listed"
grep -qF "skipped: $HOOKS/70-noexec: not executable" "$T/out" || fail "70-noexec not listed"
grep -qF "skipped: $HOOKS/nonsense.d: a directory named after no event" "$T/out" ||
	fail "nonsense.d not listed"
grep -q '^3 hooks would run; 2 rules or rule commands not run; 4 hooks_dir entries skipped$' "$T/out" ||
	fail "summary: $(tail -n 1 "$T/out")"
[ ! -s "$EVLIST" ] || fail "explain ran a hook without --run"

# A route event: top-level files do not run, and explain says why.
"$IFHOOKD" explain route-added e0 ROUTE_DST=default ROUTE_GATEWAY=192.0.2.1 -c "$CONF" >"$T/route" ||
	fail "explain route-added"
grep -qF "skipped: $HOOKS/50-top: top-level files run for link-*, ppp-* and address-* events only" \
	"$T/route" || fail "route event: 50-top not explained: $(cat "$T/route")"
grep -q '^0 hooks would run' "$T/route" || fail "route event: $(tail -n 1 "$T/route")"

# --run: the same hooks run, each with exactly the environment printed.
"$IFHOOKD" explain address-added e0 ADDRESS=203.0.113.5 PREFIXLEN=32 -c "$CONF" --run \
	>"$T/run" 2>"$T/run.err" || fail "explain --run: $(cat "$T/run.err")"
grep -q '^ran 3 hooks: 0 failed' "$T/run" || fail "explain --run: $(tail -n 1 "$T/run")"
[ "$(wc -l <"$EVLIST")" = 3 ] || fail "--run ran $(wc -l <"$EVLIST") hooks, want 3"
n=0
for tag in rule evd top; do
	n=$((n + 1))
	printed=$(awk -v n="$n" '/^run /{r++} r==n && /^    /{sub(/^    /, ""); print}' "$T/run")
	want=""
	while IFS= read -r line; do
		v=""
		eval "v=${line#*=}" # explain prints values as shell words
		want+="${line%%=*}=$v"$'\n'
	done <<<"$printed"
	got=""
	while IFS= read -r -d '' kv; do
		got+="$kv"$'\n'
	done <"$(env_file 1 "$tag")"
	[ "$got" = "$want" ] || fail "hook $tag got another environment than printed:
--- printed ---
$want--- got ---
$got"
done

# Errors: unknown event, unknown variable, bad value: exit 2 and a reason.
"$IFHOOKD" explain link-sideways e0 -c "$CONF" 2>"$T/e1" >/dev/null
[ $? = 2 ] && grep -q "unknown event 'link-sideways'; the events are: link-added" "$T/e1" ||
	fail "unknown event: $(cat "$T/e1")"
"$IFHOOKD" explain link-up e0 COLOR=blue -c "$CONF" 2>"$T/e2" >/dev/null
[ $? = 2 ] && grep -q 'COLOR: not a variable of the hook contract' "$T/e2" || fail "$(cat "$T/e2")"
"$IFHOOKD" explain address-added e0 ADDRESS=1.2.3 -c "$CONF" 2>"$T/e3" >/dev/null
[ $? = 2 ] && grep -q "ADDRESS: invalid value '1.2.3'" "$T/e3" || fail "$(cat "$T/e3")"
# An interface the kernel does not have: facts assumed, still explained.
"$IFHOOKD" explain ppp-connect ppp7 PPP_LOCAL=192.0.2.1 PPP_REMOTE=192.0.2.2 -c "$CONF" >"$T/p" ||
	fail "explain ppp-connect ppp7"
grep -q '^event ppp-connect on ppp7: ifindex 0, link facts assumed' "$T/p" || fail "$(head -n 1 "$T/p")"
echo "PASS: $TEST_NAME"
