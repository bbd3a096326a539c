#!/usr/bin/env python3
"""What each mix is made of, as tshark sees it: shares of protocol stacks on a sample.

    python3 bench/composition.py                      # every mix at its default size, 100k-packet samples
    python3 bench/composition.py --mix udp --sample 50000 --phs
    python3 bench/composition.py --mix udp --capture some.pcap

For each mix the capture is generated (or reused) as run.py does (bench/captures.py), and the
--sample packets in its middle are read by plain tshark (bench/harness.py's plain
configuration: no phonehome, so no Kalay or PPPP layer) with `-T fields -e frame.protocols`.
Printed per mix, as Markdown: the generator's packets by activity kind (whole capture), the
sample's packets by kind of traffic (TCP; UDP that a Wireshark dissector claims; UDP that none
claims: tshark's `udp` or `udp:data`, what every UDP heuristic of a plugin sees; other) and by
protocol stack; with --phs, tshark's own `-z io,phs` of the sample too.
"""
import argparse
import collections
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import captures  # noqa: E402
import harness  # noqa: E402
from harness import BenchError, log  # noqa: E402

UNCLAIMED = ("udp", "udp:data")


def stacks(setup, cap):
    """Counter of protocol stacks (frame.protocols without the leading eth:ethertype:)."""
    r = subprocess.run(setup.argv("plain", ["-n", "-r", cap, "-T", "fields", "-e", "frame.protocols"]),
                       cwd=setup.dir, capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError("tshark failed on %s: %s" % (cap, r.stderr.strip()))
    return collections.Counter(line.replace("eth:ethertype:", "", 1) for line in r.stdout.splitlines() if line)


def category(stack):
    layers = stack.split(":")
    if "udp" in layers:
        rest = ":".join(layers[layers.index("udp"):])
        return "UDP that no Wireshark dissector claims" if rest in UNCLAIMED else "UDP that a dissector claims"
    if "tcp" in layers:
        return "TCP"
    return "other (ARP, IP fragments, ...)"


def share_table(head, counter, total, most=None):
    lines = ["| %s | packets | share |" % head, "|---|---:|---:|"]
    items = counter.most_common()
    rest = items[most:] if most else []
    for key, n in items[:most] if most else items:
        lines.append("| %s | %s | %.1f%% |" % (key, "{:,}".format(n), 100 * n / total))
    if rest:
        n = sum(c for _, c in rest)
        lines.append("| %d more | %s | %.1f%% |" % (len(rest), "{:,}".format(n), 100 * n / total))
    return lines


def describe(setup, name, full, sample_n, workdir, gen_summary, phs):
    cap = captures.middle_slice(full, sample_n, workdir) if sample_n else full
    cap = setup.reachable(cap)
    st = stacks(setup, cap)
    total = sum(st.values())
    print()
    print("## %s: %s" % (name, full))
    if gen_summary:
        print()
        print("generator (whole capture): " + gen_summary[0])
        kinds = collections.Counter()
        for line in gen_summary[1:]:
            parts = line.split()
            if len(parts) == 3 and parts[1].isdigit() and parts[2].endswith("%"):   # a mix's "kind n share%"
                kinds[parts[0]] = int(parts[1])
        if kinds:
            print()
            print("\n".join(share_table("activity kind (generator)", kinds, sum(kinds.values()))))
    print()
    print("tshark 4.0 on %s packets%s:" % ("{:,}".format(total), "" if cap == full else " (%s)" % os.path.basename(cap)))
    print()
    cats = collections.Counter()
    for stack, n in st.items():
        cats[category(stack)] += n
    print("\n".join(share_table("kind of traffic", cats, total)))
    print()
    print("\n".join(share_table("protocol stack", st, total, most=15)))
    if phs:
        r = subprocess.run(setup.argv("plain", ["-n", "-q", "-r", cap, "-z", "io,phs"]), cwd=setup.dir,
                           capture_output=True, text=True)
        print()
        print("```")
        print(r.stdout.strip())
        print("```")



def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    captures.add_args(ap)
    ap.add_argument("--sample", type=int, default=100_000, help="packets read from the middle (0: all; default 100000)")
    ap.add_argument("--phs", action="store_true", help="also print tshark -z io,phs of the sample")
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--workdir", default="/tmp/phonehome-bench", help="capture folder (as run.py's)")
    a = ap.parse_args(argv)
    mixes = captures.selected(ap, a)
    os.makedirs(a.workdir, exist_ok=True)
    os.chmod(a.workdir, 0o755)
    try:
        with harness.scratch_setup(None, a.tshark, a.workdir) as setup:
            for mix in mixes:
                full, gen = captures.prepared(a, mix, a.workdir)
                describe(setup, mix, full, a.sample, a.workdir, gen["summary"], a.phs)
        return 0
    except BenchError as e:
        log("composition.py: error: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
