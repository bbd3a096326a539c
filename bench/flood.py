#!/usr/bin/env python3
"""Run tshark with and without phonehome on the flood capture: exit status, peak memory, eviction.

    python3 bench/flood.py                        # 1M flows, 3 runs per configuration and pass
    python3 bench/flood.py --flows 100000 --runs 1
    python3 bench/flood.py --bound-mb 150         # fail when phonehome adds more than 150 MB

The flood (bench/generate_flood.py: a million distinct UDP and TCP flows from ~69k local
devices, port scans, pinholes, dead clouds, DNS answers, fragments, truncated and malformed
frames) is generated once into --workdir and reused (bench/captures.py). The two
configurations are bench/harness.py's (same user, HOME, environment and command line;
WIRESHARK_PLUGIN_DIR with Wireshark's bundled plugins, plus phonehome.so for one of them; as
root both run as nobody), alternately (bench/measure.py), on the passes given (default list
and report; tree too if asked):

  list    tshark -n -r FILE > /dev/null
  tree    tshark -n -V -r FILE > /dev/null
  report  tshark -n -q -r FILE -z conv,ip  (plain)  against  -z phonehome,devices  (phonehome)

This script checks robustness and the memory bound; the flood's time and memory ratios next
to issue 16's goals come from `run.py --mix flood` (the same measurements, without the checks).

Peak RSS is ru_maxrss of each tshark process (os.wait4). Checks, each failing the run:
  (a) every tshark exits 0 (no crash) and prints nothing on stderr but known noise;
  (b) every phonehome report contains the "State bounded:" line (a flow table evicted entries);
  (c) with --bound-mb, the median peak RSS with phonehome minus without stays within the bound
      on every pass (without it the differences are only printed).
"""
import argparse
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import captures  # noqa: E402
import harness  # noqa: E402
import measure  # noqa: E402
import tables  # noqa: E402
from harness import BenchError, log  # noqa: E402

PASSES = ("list", "tree", "report")
# stderr lines that are not a failure (none known so far for a pcap read as nobody).
KNOWN_NOISE = [re.compile(r"^\s*$")]


def unexpected_stderr(text):
    return [line for line in text.splitlines() if not any(p.match(line) for p in KNOWN_NOISE)]


def report_summary(text):
    """(devices, flagged packets: the sum of the finding columns, "State bounded:"/"Bounded:" lines)."""
    devices, flagged, notes, nfind, in_table = None, 0, [], 0, False
    for line in text.splitlines():
        if line.startswith("State bounded:") or line.startswith("Bounded:"):
            notes.append(line)
        elif line.startswith("Devices: ") and devices is None:
            devices = int(line.split()[1].rstrip(","))
        elif line.startswith("Device ") and "P2P /16s" in line:
            nfind = len(line.split("P2P /16s", 1)[1].split())
            in_table = True
        elif line.startswith("====="):
            in_table = False
        elif in_table and nfind and line.strip():
            flagged += sum(int(c) for c in line.split()[-nfind:])
    return devices or 0, flagged, notes


class Checks:
    """Checks (a) and (b) on every run, as measure.measure's callbacks, and what they found."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.failures = []
        self.reports = {}      # run index -> the phonehome report run's measurement and summary

    def fail(self, msg):
        self.failures.append(msg)
        log("  FAIL " + msg)

    def on_error(self, pname, config, i, e):     # (a): a non-zero exit or a signal
        self.fail("(a) %s %s run %d: %s" % (pname, config, i + 1, e))

    def on_run(self, pname, config, i, m, out):
        bad = unexpected_stderr(m["stderr"])
        if bad:
            self.fail("(a) %s %s run %d printed on stderr:\n%s" % (pname, config, i + 1, "\n".join(bad[:40])))
        if out and config == "phonehome":
            with open(out, errors="replace") as f:
                rows, flagged, notes = report_summary(f.read())
            m.update(devices=rows, flagged_packets=flagged, notes=notes)
            self.reports[i] = m
            if not any(n.startswith("State bounded:") for n in notes):
                self.fail("(b) report run %d has no \"State bounded:\" line" % (i + 1))

    def out_path(self, pname, config, i):
        return os.path.join(self.workdir, "flood-%s-%s.txt" % (pname, config)) if pname == "report" else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--flows", type=int, default=captures.FLOOD_FLOWS, help="flows in the flood (default 1000000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per configuration and pass (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--capture", help="flood capture to use; generated there if missing (default: in --workdir)")
    ap.add_argument("--passes", default="list,report", help="comma-separated: list, tree, report (default list,report)")
    ap.add_argument("--bound-mb", type=float, help="fail when median peak RSS with minus without phonehome "
                                                  "exceeds this many MB on a pass (default: only print it)")
    harness.add_common_args(ap)
    a = ap.parse_args(argv)

    passes = harness.parse_list(ap, "pass", a.passes, PASSES)
    if a.runs < 1 or a.flows < 1:
        ap.error("--runs and --flows must be >= 1")
    if not harness.prepare("flood.py", a):
        return 2
    try:
        with harness.scratch_setup(a.plugin, a.tshark, a.workdir) as setup:
            return run_checks(a, setup, passes, Checks(a.workdir))
    except BenchError as e:
        log("flood.py: error: %s" % e)
        return 1


def run_checks(a, setup, passes, checks):
    """The runs with checks (a) and (b), the table, check (c); returns the exit status."""
    cap, gen = captures.prepared(a, captures.FLOOD, a.workdir)
    cap = setup.reachable(cap)
    packets = harness.count_packets(cap)
    size = os.path.getsize(cap)
    plain_plugins, _ = harness.check_configs(setup)
    log("plugins: plain loads %d bundled plugins; phonehome loads the same + phonehome.so" % len(plain_plugins))
    harness.warm_page_cache(cap)

    results = measure.measure(setup, cap, passes, a.runs, out_path=checks.out_path, on_run=checks.on_run,
                              on_error=checks.on_error)
    summary = measure.summarize(results)
    print()
    print("capture: %s, %s packets, %.0f MB; %d run%s per configuration; %s" % (
        cap, "{:,}".format(packets) if packets else "?", size / 1e6, a.runs, "s" if a.runs > 1 else "",
        datetime.date.today().isoformat()))
    if gen["summary"]:
        print("generator: %s%s" % (gen["summary"][0], "" if gen["generation_s"] is None
                                   else " (%.1f s wall)" % gen["generation_s"]))
    print("machine: %s" % harness.machine())
    print()
    print("\n".join(tables.detail_table(summary, packets)))
    if checks.reports:
        last = checks.reports[max(checks.reports)]
        print()
        print("phonehome report: %d device rows, %d flagged packets (sum of the finding columns)"
              % (last["devices"], last["flagged_packets"]))
        for n in last["notes"]:
            print("  " + n)
    print()
    for pname, s in summary.items():     # (c)
        if "plain" not in s or "phonehome" not in s:
            continue
        d = (s["phonehome"]["peak_rss_bytes"] - s["plain"]["peak_rss_bytes"]) / 1e6
        if a.bound_mb is None:
            print("(c) %s: phonehome adds %+.0f MB of peak RSS (no --bound-mb given: not checked)" % (pname, d))
        elif d > a.bound_mb:
            checks.failures.append("(c) %s: phonehome adds %.0f MB of peak RSS, over the bound of %.0f MB"
                                   % (pname, d, a.bound_mb))
        else:
            print("(c) %s: phonehome adds %+.0f MB of peak RSS, within the bound of %.0f MB" % (pname, d, a.bound_mb))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": harness.machine(),
                       "capture": cap, "packets": packets, "bytes": size, "generator": gen, "runs": a.runs,
                       "plugin": a.plugin, "tshark": harness.tshark_version(setup), "results": results,
                       "summary": summary, "failures": checks.failures}, f, indent=1)
    if checks.failures:
        print()
        for msg in checks.failures:
            print("FAILED " + msg)
        return 1
    print("checks: (a) exit status and stderr ok, (b) \"State bounded:\" present%s" %
          ("" if a.bound_mb is None else ", (c) memory within the bound"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
