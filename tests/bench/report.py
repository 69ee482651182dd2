# Purpose: prints `make bench`'s table from the results file: each figure per tool, ifhookd's ratio to the best peer, and the issue's targets.
#
# Usage: python3 report.py RESULTS.tsv
# RESULTS lines: SCENARIO<TAB>TOOL<TAB>KEY<TAB>VALUE (scenario.sh, bench.sh).
# A tool that does not support a scenario has a "na" key with the reason; it
# is shown as n/a with a numbered note, never left out.
import statistics
import sys
from collections import defaultdict

TOOLS = ["ifhookd", "ipmon", "iploop", "pyroute2", "ifplugd", "bbifplugd", "netplug"]
NAMES = {"ifhookd": "ifhookd", "ipmon": "ip monitor", "iploop": "ip-mon loop",
         "pyroute2": "pyroute2", "ifplugd": "ifplugd", "bbifplugd": "bb ifplugd",
         "netplug": "netplug"}
# Peers that run a hook (ip monitor only prints: it is the floor, not a peer
# to beat on hook latency).
HOOK_PEERS = ["iploop", "pyroute2", "ifplugd", "bbifplugd", "netplug"]
W0, W = 31, 12

R = defaultdict(dict)   # (scenario, tool) -> {key: value}
META = {}
notes = []               # n/a and error reasons, numbered
note_ids = {}


def load(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) != 4:
                continue
            scen, tool, key, val = p
            if scen == "meta":
                META[key] = val
            else:
                R[(scen, tool)][key] = val


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def note(text):
    if text not in note_ids:
        notes.append(text)
        note_ids[text] = len(notes)
    return note_ids[text]


def missing(scen, tool):
    """The cell text when a scenario has no figure for a tool, or None."""
    d = R.get((scen, tool))
    if d is None:
        return "-"
    if "na" in d:
        return "n/a[%d]" % note("%s: %s" % (NAMES[tool], d["na"]))
    if "error" in d:
        return "ERR[%d]" % note("%s, %s: %s" % (NAMES[tool], scen, d["error"]))
    return None


def fmt(v, digits=3):
    if v is None:
        return "?"
    if isinstance(v, str):
        return v
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 1000:
        return "%.0f" % v
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3f" % v


def row(label, cells, best="", ratio="", target="", result=""):
    line = label.ljust(W0) + "".join(str(c).rjust(W) for c in cells)
    line += " | " + str(best).rjust(18) + str(ratio).rjust(9) + "  " + target
    if result:
        line += "  " + result
    print(line.rstrip())


def header(title):
    print()
    print("== " + title + " ==")
    row("", [NAMES[t] for t in TOOLS], "best peer", "ratio", "target", "")


def judge(ok, miss_text):
    return "met" if ok else "MISSED " + miss_text


def best_of(values, tools, lower=True):
    vals = [(values[t], t) for t in tools if isinstance(values.get(t), float)]
    if not vals:
        return None, None
    v, t = (min if lower else max)(vals)
    return v, t


def best_text(best, tool):
    """The best peer's figure and who it is."""
    if best is None:
        return ""
    return "%s %s" % (fmt(best), NAMES.get(tool, tool))


def ratio_text(mine, best):
    if not isinstance(mine, float) or not best:
        return ""
    r = mine / best
    return "%.0fx" % r if r >= 100 else "%.2fx" % r


# ---------------------------------------------------------------- latency

def latency():
    header("1. Reaction latency, ms from the trigger's syscall to the hook's first instruction"
           " (ip monitor: to its line); best peer = best that runs a hook")
    floor = R.get(("lat-spawn", "bare"), {})
    fl = {k: num(floor.get("spawn." + k + "_us")) for k in ("p50", "p99", "max")}
    if fl["p50"] is not None:
        print("spawn floor (timestamp, posix_spawn of the same hook; %s samples): p50 %s ms, p99 %s ms,"
              " max %s ms" % (floor.get("spawn.n", "?"), fmt(fl["p50"] / 1000), fmt(fl["p99"] / 1000),
                              fmt(fl["max"] / 1000)))
    for scen, series, what in (("lat-link", "all", "admin flap (down+up)"),
                               ("lat-addr", "addr", "address-added"),
                               ("lat-ppp", "ppp", "ppp-connect")):
        for stat in ("p50", "p99", "max"):
            vals, cells = {}, []
            for t in TOOLS:
                m = missing(scen, t)
                if m:
                    cells.append(m)
                    continue
                v = num(R[(scen, t)].get("%s.%s_us" % (series, stat)))
                vals[t] = v / 1000 if v is not None else None
                cells.append(fmt(vals[t]))
            best, bt = best_of(vals, HOOK_PEERS)
            target = result = ""
            mine = vals.get("ifhookd")
            if stat == "p99" and fl["p99"] is not None and isinstance(mine, float):
                lim = fl["p99"] / 1000 + 0.5
                target = "<= floor p99 + 0.5 = %s" % fmt(lim)
                result = judge(mine <= lim, "by %s ms" % fmt(mine - lim))
            if stat == "p50" and isinstance(mine, float) and best:
                target = "<= fastest peer (%s)" % NAMES[bt]
                result = judge(mine <= best, "by %s ms (%.0f%%)" % (fmt(mine - best),
                                                                   100 * (mine - best) / best))
            row("%s %s" % (what, stat), cells, best_text(best, bt), ratio_text(mine, best),
                target, result)
        counts = []
        for t in TOOLS:
            d = R.get((scen, t), {})
            n, miss = d.get(series + ".n"), d.get(series + ".miss")
            counts.append("%s/%s" % (n, miss) if n is not None else (missing(scen, t) or "-"))
        row("  samples/missed", counts)
        if fl["p50"] is not None and isinstance(num(R.get((scen, "ifhookd"), {}).get(series + ".p50_us")), float):
            share = num(R[(scen, "ifhookd")][series + ".p50_us"]) - fl["p50"]
            print("  ifhookd's own share at p50 (p50 - spawn floor p50): %s ms" % fmt(share / 1000))
        for t in TOOLS:
            d = R.get((scen, t), {})
            if "died" in d:
                print("  %s died: %s" % (NAMES[t], d["died"]))


# ---------------------------------------------------------------- storm

def storm_runs(size, tool):
    out = []
    for (scen, t), d in R.items():
        if t == tool and scen.startswith("storm-%s." % size):
            out.append(d)
    return out


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def storm():
    sizes = sorted({int(s.split("-")[1].split(".")[0]) for (s, t) in R
                    if s.startswith("storm-") and t != "-"})
    skipped = sorted(s for (s, t) in R if s.startswith("storm-") and t == "-")
    if not sizes:
        return
    header("2. Flap storm: %s admin down/up cycles in one ip -batch, round robin over N veths"
           " (medians over the runs)" % "10 000")
    for n in sizes:
        runs = {t: storm_runs(n, t) for t in TOOLS}
        print("-- %d link%s (%d veth pairs; both ends checked) --" % (n, "s" if n > 1 else "", n))

        def cells_of(fn):
            vals, cells = {}, []
            for t in TOOLS:
                rs = [d for d in runs[t] if "na" not in d and "error" not in d]
                if not rs:
                    scen = next((s for (s, tt) in R if tt == t and s.startswith("storm-%d." % n)), None)
                    cells.append(missing(scen, t) if scen else "-")
                    continue
                v = fn(rs)
                vals[t] = v
                cells.append(fmt(v) if not isinstance(v, str) else v)
            return vals, cells

        vals, cells = cells_of(lambda rs: "%d" % len(rs))
        row("runs", cells)
        vals, cells = cells_of(lambda rs: "n/a" if rs[0].get("hooks") == "n/a" else
                               med([num(d.get("hooks")) for d in rs]))
        row("hooks run", cells)
        vals, cells = cells_of(lambda rs: med([num(d.get("kchanges")) for d in rs]))
        row("state changes the kernel sent", cells)

        def wrong(rs):
            bad = [d for d in rs if num(d.get("wrong")) or "hooks" not in d or d.get("hooks") == "n/a"]
            if rs and rs[0].get("hooks") == "n/a":
                return "n/a"
            return "%d/%d" % (len([d for d in rs if num(d.get("wrong"))]), len(rs)) if bad or rs else "-"
        vals, cells = cells_of(wrong)
        mine = runs["ifhookd"]
        nbad = len([d for d in mine if num(d.get("wrong"))])
        row("runs with a wrong final state", cells, "", "",
            "0 of %d runs" % len(mine) if mine else "", judge(nbad == 0, "in %d of %d runs" % (nbad, len(mine)))
            if mine else "")
        vals, cells = cells_of(lambda rs: "n/a" if rs[0].get("hooks") == "n/a" else
                               "%d" % sum(int(num(d.get("wrong")) or 0) for d in rs))
        row("  wrong links, all runs", cells)
        vals, cells = cells_of(lambda rs: "n/a" if rs[0].get("hooks") == "n/a" else
                               "%d/%d" % (len([d for d in rs if num(d.get("over"))]), len(rs)))
        nover = len([d for d in mine if num(d.get("over"))])
        row("runs: more hooks than changes", cells, "", "", "never",
            judge(nover == 0, "in %d runs" % nover) if mine else "")
        vals, cells = cells_of(lambda rs: "%d/%d" % (len([d for d in rs if "died" in d]), len(rs)))
        row("runs where it died", cells)
        alive = lambda rs: [d for d in rs if "died" not in d]
        vals, cells = cells_of(lambda rs: med([num(d.get("cpu_ms")) for d in alive(rs)])
                               if alive(rs) else "died")
        best, bt = best_of(vals, [t for t in TOOLS if t != "ifhookd"])
        ipm = vals.get("ipmon")
        m = vals.get("ifhookd")
        row("CPU ms", cells, best_text(best, bt), ratio_text(m, best),
            "<= 2x ip monitor" + (" = %s" % fmt(2 * ipm) if isinstance(ipm, float) else ""),
            judge(m <= 2 * ipm, "by %s ms (%.2fx)" % (fmt(m - 2 * ipm), m / ipm))
            if isinstance(m, float) and isinstance(ipm, float) and ipm else "")
        vals, cells = cells_of(lambda rs: med([num(d.get("cpu_per_msg_us")) for d in alive(rs)])
                               if alive(rs) else "died")
        best, bt = best_of(vals, [t for t in TOOLS if t != "ifhookd"])
        m = vals.get("ifhookd")
        row("CPU us per kernel message", cells, best_text(best, bt), ratio_text(m, best),
            "<= 10", judge(m <= 10, "by %s us" % fmt(m - 10)) if isinstance(m, float) else "")
        vals, cells = cells_of(lambda rs: max([num(d.get("hwm_kb")) or 0 for d in alive(rs)]) / 1024
                               if alive(rs) else "died")
        best, bt = best_of(vals, [t for t in TOOLS if t != "ifhookd"])
        row("peak RSS MiB (all its processes)", cells, best_text(best, bt),
            ratio_text(vals.get("ifhookd"), best))
        vals, cells = cells_of(lambda rs: med([num(d.get("settle_s")) for d in rs]))
        row("s until quiet after the batch", cells)
        for t in TOOLS:
            deaths = [d["died"] for d in runs[t] if "died" in d]
            if deaths:
                print("  %s died in %d run(s): %s" % (NAMES[t], len(deaths), deaths[0]))
            wl = [d.get("wrong_list") for d in runs[t] if num(d.get("wrong"))]
            if wl and t == "ifhookd":
                print("  ifhookd wrong links: %s" % "; ".join(wl[:3]))
            busy = [d["busy"] for d in runs[t] if "busy" in d]
            if busy:
                print("  %s: %s (%d run(s))" % (NAMES[t], busy[0], len(busy)))
    for s in skipped:
        print("-- %s links: not run (%s) --" % (s.split("-")[1], R[(s, "-")].get("skipped", "?")))
    print("CPU = time on CPU (schedstat) of the tool's own processes, hooks excluded; kernel"
          " messages counted by a witness socket; best peer: peers that did not die")


# ---------------------------------------------------------------- flood

def compact(v):
    """analyze.py's default-route verdict in a cell's width."""
    if not v.startswith("wrong:"):
        return v
    ev, _, gw = v[len("wrong:"):].partition("_")
    short = {"route-added": "add", "route-changed": "chg", "route-removed": "rm"}.get(ev, ev)
    return "%s .%s" % (short, gw.rsplit(".", 1)[-1])


def flood():
    sizes = sorted({int(s.split("-")[1]) for (s, t) in R if s.startswith("flood-") and
                    s.split("-")[1].isdigit() and t != "-"})
    skipped = [(s, d) for (s, t), d in R.items() if s.startswith("flood-") and t == "-"]
    if not sizes and not skipped:
        return
    header("3. Route flood: routes added with ip -batch (a default route added halfway, replaced"
           " at the end), flushed, default route removed and re-added")
    print("routes: all /25../32 prefixes of 198.51.100.0/24 and 203.0.113.0/24 (1020 IPv4), the rest"
          " IPv6 /64s inside 2001:db8::/32, all via one veth; the rule: event = route-*,"
          " destination = default, table = main")
    for n in sizes:
        scen = "flood-%d" % n
        print("-- %d routes --" % n)

        def line(label, key, scale=1.0, target="", check=None, lower=True, peers=None):
            vals, cells = {}, []
            for t in TOOLS:
                m = missing(scen, t)
                if m:
                    cells.append(m)
                    continue
                raw = R[(scen, t)].get(key)
                v = num(raw)
                if v is None:
                    cells.append(raw if raw else "-")
                    continue
                vals[t] = v * scale
                cells.append(fmt(vals[t]))
            best, bt = best_of(vals, peers if peers is not None else
                               [t for t in TOOLS if t != "ifhookd"], lower)
            m = vals.get("ifhookd")
            row(label, cells, best_text(best, bt), ratio_text(m, best), target,
                check(m, vals) if check and isinstance(m, float) else "")
            return vals

        line("ip -batch add s", "add_ms", 0.001, peers=[])
        line("ip flush s", "flush_ms", 0.001, peers=[])
        line("kernel route messages", "kroute_msgs", peers=[])
        line("CPU s", "cpu_ms", 0.001)
        line("CPU us per kernel message", "cpu_per_msg_us", target="<= 10",
             check=lambda m, v: judge(m <= 10, "by %s us" % fmt(m - 10)))
        line("  ... x ip monitor", "cpu_per_msg_us", peers=[],
             target="<= 2x ip monitor",
             check=lambda m, v: judge(m <= 2 * v["ipmon"], "(%.2fx)" % (m / v["ipmon"]))
             if v.get("ipmon") else "")
        line("peak RSS MiB", "hwm_kb", 1 / 1024)
        line("RSS bytes per cached route", "rss_per_route_b", peers=[], target="<= 100",
             check=lambda m, v: judge(m <= 100, "by %s B" % fmt(m - 100)))
        line("RSS MiB after the flush", "rss_after_kb", 1 / 1024, peers=[])
        line("ENOBUFS episodes", "enobufs", peers=[])
        line("resyncs", "resyncs", peers=[])
        line("longest resync ms", "resync_max_ms", peers=[])
        for key, label in (("default_during", "default route hook, after adds"),
                           ("default_after", "default route hook, after flush")):
            cells = []
            for t in TOOLS:
                m = missing(scen, t)
                cells.append(m if m else compact(R[(scen, t)].get(key, "n/a" if t == "ipmon" else "-")))
            mine = R.get((scen, "ifhookd"), {}).get(key)
            row(label, cells, "", "", "ok = last hook says: there, right gateway",
                judge(mine == "ok", "(last hook: %s)" % mine) if mine else "")
        line("s until quiet after adds", "settle_add_s", peers=[])
        line("s until quiet after flush", "settle_flush_s", peers=[])
        for t in TOOLS:
            d = R.get((scen, t), {})
            for k in ("died", "busy_add", "busy_flush"):
                if k in d:
                    print("  %s: %s: %s" % (NAMES[t], k, d[k]))
    for s, d in sorted(skipped):
        print("-- %s routes: not run (%s) --" % (s.split("-")[1], d.get("skipped", "?")))
    print("ok/none/rm .253: the last default-route hook said the route is there with the right"
          " gateway / never ran / said removed (gateway's last byte)")


# ---------------------------------------------------------------- classifier

def classifier():
    d = R.get(("classifier", "ifhookd"))
    if not d:
        return
    print()
    print("== 4. Classifier: generated rtnetlink stream -> parse + classify + rule match"
          " (6 rules), no sockets ==")
    print("%-12s %12s %12s %10s %8s  %s" % ("stream", "msg/s", "Ir/msg", "bytes/msg", "events",
                                           "target"))
    for s in ("mixed", "link", "addr", "route", "link100k"):
        rate = num(d.get(s + ".msg_per_s"))
        ir = num(d.get(s + ".ir_per_msg"))
        t = ""
        if s == "mixed":
            parts = []
            if rate is not None:
                parts.append(judge(rate >= 1e6, "msg/s by %.0f%%" % (100 * (1e6 - rate) / 1e6)))
            if ir is not None:
                parts.append(judge(ir <= 2000, "Ir by %.0f (%.1fx)" % (ir - 2000, ir / 2000)))
            t = ">= 1 000 000 msg/s, <= 2000 Ir/msg: " + ", ".join(parts)
        elif ir is not None:
            t = "(Ir %s)" % judge(ir <= 2000, "%.1fx" % (ir / 2000))
        print("%-12s %12s %12s %10s %8s  %s" % (s, fmt(rate), fmt(ir), d.get(s + ".bytes_per_msg", "?"),
                                               d.get(s + ".events", "?"), t))
    print("streams: link = 64 veths x one admin down/up (3 RTM_NEWLINK of kernel size each);"
          " addr = IPv4 and IPv6 add/remove;")
    print("route = 10 000 IPv6 + 500 IPv4 routes added and deleted; mixed = the three in one;"
          " link100k = link with 100 000 routes cached")


# ---------------------------------------------------------------- idle

def idle():
    if not any(s == "idle" for (s, _) in R):
        return
    secs = META.get("idle_s", "?")
    header("5. Idle: %s s with no network change (one veth pair watched)" % secs)
    for key, label, scale, target, lim in (
            ("wakeups", "wakeups (voluntary ctx switches)", 1, "0", 0),
            ("nonvol", "involuntary ctx switches", 1, "", None),
            ("rss_kb", "RSS MiB", 1 / 1024, "<= 2", 2),
            ("procs", "processes", 1, "", None)):
        vals, cells = {}, []
        for t in TOOLS:
            m = missing("idle", t)
            if m:
                cells.append(m)
                continue
            v = num(R[("idle", t)].get(key))
            vals[t] = v * scale if v is not None else None
            cells.append(fmt(vals[t]))
        best, bt = best_of(vals, [t for t in TOOLS if t != "ifhookd"])
        m = vals.get("ifhookd")
        res = ""
        if lim is not None and isinstance(m, float):
            res = judge(m <= lim, "by %s" % fmt(m - lim))
        row(label, cells, best_text(best, bt), ratio_text(m, best) if best else "",
            target, res)
    for t in TOOLS:
        if "died" in R.get(("idle", t), {}):
            print("  %s died: %s" % (NAMES[t], R[("idle", t)]["died"]))


# ---------------------------------------------------------------- spawn

def spawn():
    if not any(s.startswith("spawn-") for (s, _) in R):
        return
    header("6. Spawn: address-added hooks per second (%s IPv6 addresses over 50 veths; serial ="
           " max_jobs 1, parallel = max_jobs 8)" % META.get("spawn_n", "?"))
    for mode in ("serial", "parallel"):
        scen = "spawn-" + mode
        bare = num(R.get((scen, "bare"), {}).get("per_s"))
        vals, cells = {}, []
        for t in TOOLS:
            m = missing(scen, t)
            if m:
                cells.append(m)
                continue
            if "died" in R[(scen, t)]:
                cells.append("died")
                print("  %s died after %s hooks: %s" % (NAMES[t], R[(scen, t)].get("hooks", "?"),
                                                      R[(scen, t)]["died"]))
                continue
            v = num(R[(scen, t)].get("per_s"))
            vals[t] = v
            cells.append(fmt(v))
        best, bt = best_of(vals, [t for t in TOOLS if t != "ifhookd"], lower=False)
        m = vals.get("ifhookd")
        res = ""
        if isinstance(m, float) and bare:
            res = judge(m >= 0.8 * bare, "(%.0f%% of bare)" % (100 * m / bare))
        row("%s hooks/s" % mode, cells, best_text(best, bt), ratio_text(m, best),
            ">= 80%% of bare %s = %s" % (fmt(bare) if bare else "?", fmt(0.8 * bare) if bare else "?"),
            res)
        if isinstance(m, float) and bare:
            print("  ifhookd = %.0f%% of the bare posix_spawn loop (%s/s, %s at once)"
                  % (100 * m / bare, fmt(bare), "1" if mode == "serial" else "8"))
        vals, cells = {}, []
        for t in TOOLS:
            m2 = missing(scen, t)
            cells.append(m2 if m2 else "died" if "died" in R[(scen, t)] else
                         fmt(num(R[(scen, t)].get("cpu_per_hook_us"))))
        bc = num(R.get((scen, "bare"), {}).get("cpu_per_hook_us"))
        row("  its own CPU us per hook", cells, "", "", "bare loop: %s" % fmt(bc) if bc else "")


# ---------------------------------------------------------------- startup

def startup():
    d = R.get(("startup", "ifhookd"))
    if not d:
        return
    header("7. Startup: exec to the \"ready\" line with %s links and %s routes present (median)"
           % (d.get("links", "?"), d.get("routes", "?")))
    for se in ("yes", "no"):
        for key, label, scale in (("ready_ms", "ready ms", 1), ("cpu_ms", "CPU ms", 1),
                                  ("hwm_kb", "peak RSS MiB", 1 / 1024)):
            cells = []
            for t in TOOLS:
                m = missing("startup", t)
                if m:
                    cells.append(m)
                    continue
                v = num(R[("startup", t)].get("%s.%s" % (key, se)))
                cells.append(fmt(v * scale if v is not None else None))
            row("%s (startup_events=%s)" % (label, se), cells)


def main():
    load(sys.argv[1])
    print("ifhookd benchmark (make bench%s): %s cores, kernel %s, load average %s at start,"
          " %s at end; %s s" % (" BENCH_QUICK=1" if META.get("quick") == "1" else "",
                                META.get("nproc", "?"), META.get("kernel", "?"),
                                META.get("load_start", "?"), META.get("load_end", "?"),
                                META.get("seconds", "?")))
    print("tools: %s; ip monitor/loop: %s; pyroute2 %s; ifplugd %s; busybox %s; netplug %s"
          % (META.get("ifhookd", "?"), META.get("iproute2", "?"), META.get("pyroute2", "?"),
             META.get("ifplugd", "?"), META.get("busybox", "?"), META.get("netplug", "?")))
    print("ip-mon loop = ip -o monitor | while read -r l; do HOOK \"$l\"; done; pyroute2 = IPRoute().bind(),"
          " get() loop, subprocess.run per event;")
    print("ifplugd = Debian's, polling (-u0 -d0), one process per interface; bb ifplugd = busybox"
          " ifplugd -M; ratio = ifhookd / best peer")
    latency()
    storm()
    flood()
    classifier()
    idle()
    spawn()
    startup()
    if notes:
        print()
        print("notes:")
        for i, n in enumerate(notes, 1):
            print("  [%d] %s" % (i, n))


if __name__ == "__main__":
    main()
