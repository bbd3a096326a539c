#!/usr/bin/env python3
"""Benchmark tshark with and without phonehome on each home mix and the flood, separately.

    python3 bench/run.py                                 # every mix and the flood, default sizes, 5 runs
    python3 bench/run.py --mix udp --runs 7 --seed fresh --json udp.json
    python3 bench/run.py --mix web,iot --passes list,tree
    python3 bench/run.py --mix all --slice 20000 --runs 1    # a smoke run on 20k-packet slices

Mixes (bench/mixes/, bench/README.md): web (TCP/web-heavy), udp (UDP-heavy: cameras, streams,
games, P2P), iot (IoT chatter), flood (a million distinct flows: bench/generate_flood.py).
Each capture is generated once into --workdir as MIX-SIZE-seedSEED.pcap and reused; --seed
fresh draws a new seed (printed, and kept in the JSON) so that figures are not tuned to one
capture. --slice N measures the N packets in the middle of each capture instead (a quick look
with each mix's composition; not the benchmark's figures).

For each mix, the two configurations of bench/harness.py (plain tshark, and the same plus
phonehome.so) run alternately, --runs times each, on each pass of bench/measure.py (list:
tshark -n -r; tree: tshark -n -V -r; report: -z conv,ip against -z phonehome,devices). The
tables give medians of wall time, CPU time (user + system) and peak RSS (ru_maxrss), and the
ratios phonehome / plain next to issue 16's goals (home mixes: list <= 1.03, tree <= 1.05,
memory <= 1.05; the flood: time <= 1.15, memory <= 1.10). Missing a goal is reported, not an
error: the exit status is non-zero only when something failed (a generator, a tshark, the
plugin not loading, the configurations differing).
"""
import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import captures  # noqa: E402
import harness  # noqa: E402
import measure  # noqa: E402
import tables  # noqa: E402
from harness import BenchError, log  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    captures.add_args(ap)
    ap.add_argument("--slice", type=int, help="measure only the N packets in the middle of each capture")
    ap.add_argument("--runs", type=int, default=5, help="runs per configuration and pass (default 5)")
    ap.add_argument("--passes", default="list,tree,report", help="comma-separated: list, tree, report")
    ap.add_argument("--keep-output", action="store_true", help="keep every report pass output in --workdir")
    harness.add_common_args(ap)
    a = ap.parse_args(argv)

    mixes = captures.selected(ap, a)
    passes = harness.parse_list(ap, "pass", a.passes, measure.PASSES)
    if a.runs < 1:
        ap.error("--runs must be >= 1")
    if not harness.prepare("run.py", a):
        return 2

    record = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": harness.machine(),
              "load_average_before": harness.load_average(), "plugin": a.plugin, "runs": a.runs, "seed": a.seed,
              "slice": a.slice, "passes": passes, "mixes": {}}
    try:
        with harness.scratch_setup(a.plugin, a.tshark, a.workdir) as setup:
            return measure_all(a, setup, mixes, passes, record)
    except BenchError as e:
        log("run.py: error: %s" % e)
        return 1


def measure_all(a, setup, mixes, passes, record):
    """Each mix's runs and table, then the summary of all; returns the exit status."""
    plain_plugins, _ = harness.check_configs(setup)
    log("plugins: plain loads %d bundled plugins; phonehome loads the same + phonehome.so" % len(plain_plugins))
    record["tshark"] = harness.tshark_version(setup)
    log("seed %d" % a.seed)
    rows = []
    for mix in mixes:
        packets, summary = measure_mix(a, setup, mix, passes, record)
        rows.append((mix, packets, summary))
    print()
    print("## Summary: phonehome / plain tshark, medians of %d run%s%s; %s; %s" % (
        a.runs, "s" if a.runs > 1 else "", ", %d-packet slices" % a.slice if a.slice else "",
        datetime.date.today().isoformat(), record["tshark"]))
    print("machine: %s; load average before: %s" % (
        record["machine"], " ".join("%.1f" % x for x in record["load_average_before"] or ())))
    print()
    print("\n".join(tables.summary_table(rows)))
    missed = tables.verdict(rows)
    print()
    print("goals: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    record["load_average_after"] = harness.load_average()
    if a.json:
        with open(a.json, "w") as f:
            json.dump(record, f, indent=1)
    return 0


def measure_mix(a, setup, mix, passes, record):
    """One mix: its capture (or slice), the alternating runs, its table; returns (packets,
    summary) and keeps every measurement in record["mixes"][mix]."""
    full, gen = captures.prepared(a, mix, a.workdir)
    cap = setup.reachable(captures.middle_slice(full, a.slice, a.workdir) if a.slice else full)
    packets = harness.count_packets(cap)
    harness.warm_page_cache(cap)

    def out_path(pname, config, i):
        if pname == "report" and (a.keep_output or i == 0):
            return os.path.join(a.workdir, "report-%s-%s%s.txt" % (mix, config, "-%d" % i if i else ""))
        return None

    results = measure.measure(setup, cap, passes, a.runs, label="%-5s " % mix, out_path=out_path)
    summary = measure.summarize(results)
    print()
    print("## %s: %s, %s packets, %.0f MB; seed %d; %d run%s per configuration" % (
        mix, cap, "{:,}".format(packets) if packets else "?", os.path.getsize(cap) / 1e6, a.seed, a.runs,
        "s" if a.runs > 1 else ""))
    if gen["summary"]:
        print("generator: " + gen["summary"][0])
    print()
    print("\n".join(tables.detail_table(summary, packets)))
    sys.stdout.flush()
    record["mixes"][mix] = {"capture": cap, "full_capture": full, "packets": packets, "bytes": os.path.getsize(cap),
                            "generator": gen, "results": results, "summary": summary}
    return packets, summary


if __name__ == "__main__":
    sys.exit(main())
