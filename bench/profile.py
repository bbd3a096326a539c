#!/usr/bin/env python3
"""Where phonehome's time goes on each mix: callgrind instruction counts per packet.

    python3 bench/profile.py                          # every mix, a 10,000-packet slice, list pass
    python3 bench/profile.py --mix udp --slice 5000 --passes list,tree --cache-sim
    python3 bench/profile.py --mix web --capture /tmp/phonehome-bench/web-1000000-seed3.pcap

Instruction counts are deterministic, so unlike wall time they mean something on a loaded
machine. For each mix (its capture generated or reused as run.py does) and pass, tshark runs
under `valgrind --tool=callgrind` in both configurations of bench/harness.py, on the --slice
packets in the middle of the capture and on the first packet of that slice alone; the second
run's count (start-up, plugin registration, one packet) is subtracted, so

    per packet = (count on the slice - count on its first packet) / (slice - 1).

Printed per mix and pass: instructions per packet of plain tshark and with phonehome (and,
with --cache-sim, I1 and D1 misses: the plugin's cost is mostly instruction-cache misses,
bench/README.md), the code of phonehome.so itself per packet (self cost of its functions; the
rest of the difference is Wireshark's work on the plugin's behalf: fields, trees, allocation),
and phonehome.so's --top functions by instructions per packet with their share. Slow: each
run is ~50x slower than tshark alone, and tshark's start-up alone is ~0.9 G instructions.
A slice is a window of the capture: 10,000 packets of the udp mix are ~30 s of its hour, so
which sessions it catches (P2P views, QUIC, calls) moves the figures; profile larger or
several slices (--seed, --slice) before trusting shares.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import captures  # noqa: E402
import harness  # noqa: E402
import measure  # noqa: E402
from harness import BenchError, log  # noqa: E402

PLUGIN_OBJECT = "phonehome.so"
_PERCENT = re.compile(r"\(\s*[\d.]+%\)")
_TOKEN = r"(?:[\d,]+|\.)(?=\s)"        # a cost, or "." for none
_ROW = re.compile(r"^\s*(%s(?:\s+%s)*)\s+(\S.*?) \[(.+)\]\s*$" % (_TOKEN, _TOKEN))


def first_packet(path, workdir):
    out = os.path.join(workdir, os.path.splitext(os.path.basename(path))[0] + "-first.pcap")
    if not os.path.isfile(out):
        r = subprocess.run(["editcap", "-F", "pcap", "-r", path, out, "1"], capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError("editcap failed: %s" % r.stderr.strip())
    return out


def callgrind(setup, config, args, outdir, tag, cache_sim):
    """Runs tshark `args` under callgrind; returns the output file."""
    out = os.path.join(outdir, "callgrind.%s.%s.out" % (tag, config))
    wrapper = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "--dump-instr=no"]
    if cache_sim:
        wrapper.append("--cache-sim=yes")
    harness.run_measured(setup, config, args, wrapper=wrapper)
    return out


def annotate(path):
    """(event names, totals by event, {(function, object): costs by event}) of a callgrind
    output, self cost per function (callgrind_annotate --inclusive=no)."""
    r = subprocess.run(["callgrind_annotate", "--threshold=100", "--inclusive=no", "--auto=no", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError("callgrind_annotate failed: %s" % r.stderr.strip())
    events, totals, funcs = [], None, {}
    for line in r.stdout.splitlines():
        if line.startswith("Events shown:"):
            events = line.split(":", 1)[1].split()
            continue
        text = _PERCENT.sub("", line)
        if text.strip().endswith("PROGRAM TOTALS"):
            totals = _numbers(text.replace("PROGRAM TOTALS", ""))
            continue
        m = _ROW.match(text)
        if m and events:
            nums = _numbers(m.group(1))
            if len(nums) == len(events):
                key = (m.group(2), os.path.basename(m.group(3)))
                funcs[key] = [a + b for a, b in zip(funcs.get(key, [0] * len(nums)), nums)]
    if totals is None:
        raise BenchError("no PROGRAM TOTALS in callgrind_annotate's output for %s" % path)
    return events, dict(zip(events, totals)), {k: dict(zip(events, v)) for k, v in funcs.items()}


def _numbers(text):
    return [0 if x == "." else int(x.replace(",", "")) for x in text.split()]


def function_name(text):
    """The function of callgrind_annotate's "file:function" ("???:f", "src/x.cpp:ns::f(int)"),
    without its parameter list."""
    m = re.match(r"^(\?\?\?|[^:(]*\.[A-Za-z0-9]+):(.*)$", text)
    fn = (m.group(2) if m else text).replace("(anonymous namespace)", "{anon}")
    return fn.split("(", 1)[0].replace("{anon}", "(anonymous namespace)")


def per_packet(slice_run, first_run, n):
    """Per-packet costs: (slice - first packet) / (n - 1), by event."""
    return {e: (slice_run[e] - first_run.get(e, 0)) / max(1, n - 1) for e in slice_run}


def profile_pass(setup, mix, pname, sl, first, n, outdir, cache_sim, top):
    runs = {}
    for i, config in enumerate(measure.CONFIGS):
        args = measure.pass_args(pname, sl)[i]
        args1 = measure.pass_args(pname, first)[i]
        tag = "%s-%s" % (mix, pname)
        log("  %s %s %s: callgrind on %d packets and on the first one" % (mix, pname, config, n))
        runs[config] = (annotate(callgrind(setup, config, args, outdir, tag, cache_sim)),
                        annotate(callgrind(setup, config, args1, outdir, tag + "-first", cache_sim)))
    events = runs["plain"][0][0]
    shown = [e for e in ("Ir", "I1mr", "D1mr") if e in events]
    pp = {c: per_packet(runs[c][0][1], runs[c][1][1], n) for c in runs}
    print()
    print("### %s, %s pass: %s packets (%s)" % (mix, pname, "{:,}".format(n), os.path.basename(sl)))
    print()
    print("| configuration | " + " | ".join("%s per packet" % e for e in shown) + " |")
    print("|---|" + "---:|" * len(shown))
    print("| plain tshark | " + " | ".join("{:,.0f}".format(pp["plain"][e]) for e in shown) + " |")
    print("| with phonehome | " + " | ".join("%s (%s, %+.1f%%)" % (
        "{:,.0f}".format(pp["phonehome"][e]), "{:+,.0f}".format(pp["phonehome"][e] - pp["plain"][e]),
        100 * (pp["phonehome"][e] / pp["plain"][e] - 1) if pp["plain"][e] else 0) for e in shown) + " |")
    # phonehome.so's own functions: self cost on the slice minus on the first packet.
    sl_f, first_f = runs["phonehome"][0][2], runs["phonehome"][1][2]
    own = {}
    for (fn, obj), cost in sl_f.items():
        if obj == PLUGIN_OBJECT:
            base = first_f.get((fn, obj), {})
            own[function_name(fn)] = {e: (cost.get(e, 0) - base.get(e, 0)) / max(1, n - 1) for e in shown}
    total_own = {e: sum(c[e] for c in own.values()) for e in shown}
    added = pp["phonehome"]["Ir"] - pp["plain"]["Ir"]
    print()
    print("phonehome.so's own code: %s instructions per packet (%.1f%% of the run with phonehome)" % (
        "{:,.0f}".format(total_own["Ir"]), 100 * total_own["Ir"] / pp["phonehome"]["Ir"] if pp["phonehome"]["Ir"] else 0))
    if added > total_own["Ir"]:
        print("the rest of what phonehome adds (%s) is Wireshark's work on its behalf (fields, trees, allocation)"
              % "{:,.0f}".format(added - total_own["Ir"]))
    else:
        print("with phonehome, the rest of tshark runs %s fewer instructions per packet (datagrams that "
              "phonehome's Kalay and PPPP heuristics claim skip Wireshark's later UDP heuristics)"
              % "{:,.0f}".format(total_own["Ir"] - added))
    print()
    print("| phonehome.so function (self) | " + " | ".join("%s per packet" % e for e in shown) + " | share of Ir |")
    print("|---|" + "---:|" * (len(shown) + 1))
    for fn, c in sorted(own.items(), key=lambda kv: -kv[1]["Ir"])[:top]:
        print("| `%s` | %s | %.1f%% |" % (fn, " | ".join("{:,.1f}".format(c[e]) for e in shown),
                                         100 * c["Ir"] / total_own["Ir"] if total_own["Ir"] else 0))
    sys.stdout.flush()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    captures.add_args(ap)
    ap.add_argument("--slice", type=int, default=10000, help="packets profiled, from the middle (default 10000)")
    ap.add_argument("--passes", default="list", help="comma-separated: list, tree, report (default list)")
    ap.add_argument("--cache-sim", action="store_true", help="simulate the caches: I1 and D1 misses too")
    ap.add_argument("--top", type=int, default=12, help="phonehome.so functions listed (default 12)")
    harness.add_common_args(ap)
    a = ap.parse_args(argv)
    mixes = captures.selected(ap, a)
    passes = harness.parse_list(ap, "pass", a.passes, measure.PASSES)
    if a.slice < 2:
        ap.error("--slice must be >= 2")
    if not harness.prepare("profile.py", a):
        return 2
    try:
        with harness.scratch_setup(a.plugin, a.tshark, a.workdir) as setup:
            harness.check_configs(setup)
            outdir = setup.writable_dir("callgrind")
            print("# phonehome under callgrind: instructions per packet (start-up subtracted), %s"
                  % harness.tshark_version(setup))
            for mix in mixes:
                full, _ = captures.prepared(a, mix, a.workdir)
                sl = setup.reachable(captures.middle_slice(full, a.slice, a.workdir))
                first = setup.reachable(first_packet(sl, a.workdir))
                n = harness.count_packets(sl)
                for pname in passes:
                    profile_pass(setup, mix, pname, sl, first, n, outdir, a.cache_sim, a.top)
        return 0
    except BenchError as e:
        log("profile.py: error: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
