# Purpose: the pyroute2 peer: the event loop of the tutorials (bind, get() in a loop, subprocess.run per event).
#
# Usage: python3 pyloop.py HOOK MODE
#   MODE link   link messages:    HOOK IFNAME up|down (up = IFF_UP and IFF_RUNNING)
#        addr   link and address: as link, plus HOOK IFNAME address-added|address-removed ADDR
#        route  default routes:   HOOK default route-added|route-removed GATEWAY
# Prints "ready" on stderr once bound. Like the tutorials, it handles no
# error: an ENOBUFS (OSError 105) from a receive buffer overrun ends it, with
# its traceback on stderr; the benchmark reports that.
import subprocess
import sys

from pyroute2 import IPRoute

IFF_UP = 0x1
IFF_RUNNING = 0x40


def main():
    hook, mode = sys.argv[1], sys.argv[2]
    ipr = IPRoute()
    ipr.bind()
    print("ready", file=sys.stderr, flush=True)
    while True:
        for msg in ipr.get():
            ev = msg.get("event")
            if ev in ("RTM_NEWLINK", "RTM_DELLINK") and mode in ("link", "addr"):
                flags = msg["flags"]
                up = ev == "RTM_NEWLINK" and flags & IFF_UP and flags & IFF_RUNNING
                subprocess.run([hook, msg.get_attr("IFLA_IFNAME") or "?", "up" if up else "down"])
            elif ev in ("RTM_NEWADDR", "RTM_DELADDR") and mode == "addr":
                name = msg.get_attr("IFA_LABEL") or str(msg["index"])
                what = "address-added" if ev == "RTM_NEWADDR" else "address-removed"
                addr = msg.get_attr("IFA_LOCAL") or msg.get_attr("IFA_ADDRESS") or "?"
                subprocess.run([hook, name, what, addr])
            elif ev in ("RTM_NEWROUTE", "RTM_DELROUTE") and mode == "route":
                if msg["dst_len"] != 0 or msg.get_attr("RTA_TABLE") != 254:
                    continue
                what = "route-added" if ev == "RTM_NEWROUTE" else "route-removed"
                subprocess.run([hook, "default", what, msg.get_attr("RTA_GATEWAY") or ""])


if __name__ == "__main__":
    main()
