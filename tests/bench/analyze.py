# Purpose: reads what the benchmark's hooks recorded: final link states after a storm, the default route's last event.
#
# Usage:
#   analyze.py storm TOOL STAMPS BASELINE FINAL WITNESS
#       STAMPS: the hook's "NS\tARGS..." lines; those before line BASELINE
#       (0-based count) came before the storm. FINAL: `ip -o link show`
#       after it. WITNESS: nlwatch's counts. Prints key=value lines: hooks
#       (run during the storm), wrong (links whose last reported state is not
#       their final one; a link never reported keeps its state from before
#       the storm, which was up), wrong_list, over (links with more hooks
#       than state changes the kernel reported), checked.
#   analyze.py default TOOL STAMPS GATEWAY
#       Whether the last default-route hook says the default route is there
#       with GATEWAY: prints ok, none, or wrong:WHAT.
import re
import sys

LINK_RE = re.compile(r"^(Deleted )?(\d+): ([^:@ ]+)(@[^:]+)?: <([^>]*)>.*? state (\S+)")


def ip_line_state(line):
    """(name, up) from an `ip -o link` or `ip -o monitor link` line, or None."""
    m = LINK_RE.match(line)
    if not m:
        return None
    deleted, _, name, _, flags, state = m.groups()
    up = not deleted and "UP" in flags.split(",") and state in ("UP", "UNKNOWN")
    return name, up


def record_state(tool, fields):
    """(name, up) that one hook run reported, or None if it is no link report."""
    if tool == "ifhookd":
        if len(fields) >= 2 and fields[1] in ("link-up", "link-down"):
            return fields[0], fields[1] == "link-up"
        return None
    if tool in ("ifplugd", "bbifplugd", "pyroute2"):
        if len(fields) >= 2 and fields[1] in ("up", "down"):
            return fields[0], fields[1] == "up"
        return None
    if tool == "netplug":
        if len(fields) >= 2 and fields[1] in ("in", "out", "probe"):
            return fields[0], fields[1] == "in"
        return None
    if tool == "iploop":
        return ip_line_state(fields[0]) if fields else None
    return None


def read_stamps(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0].isdigit():
                continue
            out.append([p for p in parts[1:] if not p.startswith("E:")])
    return out


def storm(tool, stamps, baseline, final, witness):
    baseline = int(baseline)
    recs = read_stamps(stamps)
    kernel = {}
    with open(final, encoding="utf-8", errors="replace") as f:
        for line in f:
            st = ip_line_state(line.strip())
            if st and st[0] != "lo":
                kernel[st[0]] = st[1]
    changes = {}
    with open(witness, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 3 and p[0] == "change":
                changes[p[1]] = int(p[2])
    last = {}
    hooks = {}
    for i, fields in enumerate(recs):
        st = record_state(tool, fields)
        if not st:
            continue
        last[st[0]] = st[1]
        if i >= baseline:
            hooks[st[0]] = hooks.get(st[0], 0) + 1
    wrong = [n for n, up in sorted(kernel.items()) if last.get(n, True) != up]
    over = [n for n in sorted(kernel) if hooks.get(n, 0) > changes.get(n, 0)]
    print("hooks=%d" % max(0, len(recs) - baseline))
    print("wrong=%d" % len(wrong))
    print("wrong_list=%s" % ",".join(wrong[:8]))
    print("over=%d" % len(over))
    print("over_list=%s" % ",".join("%s:%d>%d" % (n, hooks.get(n, 0), changes.get(n, 0))
                                    for n in over[:4]))
    print("checked=%d" % len(kernel))


def default(tool, stamps, gateway):
    last = None
    with open(stamps, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            env = dict(p[2:].split("=", 1) for p in parts[1:] if p.startswith("E:") and "=" in p)
            args = [p for p in parts[1:] if not p.startswith("E:")]
            if tool == "ifhookd":
                if env.get("ROUTE_DST") != "default":
                    continue
                last = (env.get("EVENT", ""), env.get("ROUTE_GATEWAY", ""))
            elif tool == "pyroute2":
                if len(args) >= 3 and args[0] == "default":
                    last = (args[1], args[2])
            elif tool == "iploop":
                if not args:
                    continue
                m = re.match(r"^(Deleted )?default via (\S+)", args[0])
                if m:
                    last = ("route-removed" if m.group(1) else "route-added", m.group(2))
    if last is None:
        print("none")
    elif last[0] in ("route-added", "route-changed") and last[1] == gateway:
        print("ok")
    else:
        print("wrong:%s_%s" % (last[0], last[1] or "nogw"))


def main():
    if len(sys.argv) == 7 and sys.argv[1] == "storm":
        storm(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "default":
        default(*sys.argv[2:])
    else:
        print(__doc__ or "usage: see the source", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
