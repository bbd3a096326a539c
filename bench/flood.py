#!/usr/bin/env python3
"""Run tshark with and without phonehome on the flood capture: exit status, peak memory, eviction.

    python3 bench/flood.py                        # 1M flows, 3 runs per configuration and pass
    python3 bench/flood.py --flows 100000 --runs 1
    python3 bench/flood.py --bound-mb 150         # fail when phonehome adds more than 150 MB

The flood (bench/generate_flood.py: a million distinct UDP and TCP flows from ~69k local
devices, port scans, pinholes, dead clouds, DNS answers, fragments, truncated and malformed
frames) is generated once into --workdir and reused. The two configurations are bench/run.py's
(same user, HOME, environment and command line; WIRESHARK_PLUGIN_DIR with Wireshark's bundled
plugins, plus phonehome.so for one of them; as root both run as nobody), alternately, on two
passes:

  list    tshark -n -r FILE > /dev/null
  report  tshark -n -q -r FILE -z conv,ip  (plain)  against  -z phonehome,devices  (phonehome)

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
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run as bench  # noqa: E402  (bench/run.py: Setup, run_once, check_configs, ...)

PASSES = {"list": bench.PASSES["list"], "report": bench.PASSES["report"]}
# stderr lines that are not a failure (none known so far for a pcap read as nobody).
KNOWN_NOISE = [re.compile(r"^\s*$")]


def log(msg):
    bench.log(msg)


def unexpected_stderr(text):
    return [line for line in text.splitlines() if not any(p.match(line) for p in KNOWN_NOISE)]


def generate(path, flows, seed):
    """Generates the flood at `path` unless it exists; returns the generator's summary lines."""
    info = path + ".txt"
    if os.path.isfile(path):   # reused as is; its summary if the generator wrote one
        if os.path.isfile(info):
            with open(info) as f:
                return f.read().splitlines(), None
        return [], None
    log("generating %s (%d flows, seed %d)" % (path, flows, seed))
    tmp = path + ".part"
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, os.path.join(HERE, "generate_flood.py"), "--flows", str(flows),
                        "--seed", str(seed), "--out", tmp], capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if r.returncode != 0:
        raise bench.BenchError("the generator failed: %s" % r.stderr.strip())
    os.replace(tmp, path)
    out = r.stdout.replace(tmp, path)
    lines = out.splitlines()
    with open(info, "w") as f:
        f.write(out)
    for line in lines:
        log("  " + line)
    return lines, secs


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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--flows", type=int, default=1_000_000, help="flows in the flood (default 1000000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per configuration and pass (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--capture", help="flood capture to use; generated there if missing (default: in --workdir)")
    ap.add_argument("--passes", default="list,report", help="comma-separated: list, report")
    ap.add_argument("--bound-mb", type=float, help="fail when median peak RSS with minus without phonehome "
                                                  "exceeds this many MB on a pass (default: only print it)")
    bench.add_common_args(ap)
    a = ap.parse_args(argv)

    passes = bench.parse_passes(ap, a.passes, PASSES)
    if a.runs < 1 or a.flows < 1:
        ap.error("--runs and --flows must be >= 1")
    if not bench.prepare("flood.py", a):
        return 2

    setup = None
    failures = []
    try:
        cap = a.capture or os.path.join(a.workdir, "flood-%d-seed%d.pcap" % (a.flows, a.seed))
        gen_lines, gen_secs = generate(cap, a.flows, a.seed)
        setup = bench.Setup(a.plugin, a.tshark, a.workdir)
        if not setup.readable(cap):
            copy = os.path.join(setup.dir, os.path.basename(cap))
            log("copying the capture where the benchmark user can read it: %s" % copy)
            shutil.copyfile(cap, copy)
            os.chmod(copy, 0o644)
            cap = copy
        packets = bench.count_packets(cap)
        size = os.path.getsize(cap)
        plain_plugins, _ = bench.check_configs(setup)
        log("plugins: plain loads %d bundled plugins; phonehome loads the same + phonehome.so" % len(plain_plugins))
        bench.warm_page_cache(cap)

        results = {}
        reports = {}
        for pname in passes:
            plain_args, ph_args = ([x.format(cap=cap) for x in args] for args in PASSES[pname])
            res = {"plain": [], "phonehome": []}
            for i, config in bench.alternating(a.runs):
                args = plain_args if config == "plain" else ph_args
                out = os.path.join(a.workdir, "flood-%s-%s.txt" % (pname, config)) if pname == "report" else None
                try:
                    wall, rss, stderr = bench.run_once(setup, config, args, out)
                except bench.BenchError as e:   # non-zero exit or a signal
                    failures.append("(a) %s %s run %d: %s" % (pname, config, i + 1, e))
                    log("  FAIL " + failures[-1])
                    continue
                bad = unexpected_stderr(stderr)
                if bad:
                    failures.append("(a) %s %s run %d printed on stderr:\n%s" % (pname, config, i + 1,
                                                                                 "\n".join(bad[:40])))
                    log("  FAIL " + failures[-1])
                entry = {"wall_s": wall, "peak_rss_bytes": rss}
                if out and config == "phonehome":
                    with open(out, errors="replace") as f:
                        text = f.read()
                    rows, flagged, notes = report_summary(text)
                    entry.update(devices=rows, flagged_packets=flagged, notes=notes)
                    reports[i] = entry
                    if not any(n.startswith("State bounded:") for n in notes):
                        failures.append("(b) report run %d has no \"State bounded:\" line" % (i + 1))
                        log("  FAIL " + failures[-1])
                res[config].append(entry)
                log("  %-6s %-9s run %d/%d: %7.2f s  %6s MB" % (pname, config, i + 1, a.runs, wall,
                                                                bench.fmt_mb(rss)))
            results[pname] = res

        diffs = print_table(results, cap, packets, size, gen_lines, gen_secs, a)
        if reports:
            last = reports[max(reports)]
            print()
            print("phonehome report: %d device rows, %d flagged packets (sum of the finding columns)"
                  % (last["devices"], last["flagged_packets"]))
            for n in last["notes"]:
                print("  " + n)
        print()
        for pname, d in diffs.items():
            if a.bound_mb is None:
                print("(c) %s: phonehome adds %.0f MB of peak RSS (no --bound-mb given: not checked)" % (pname, d))
            elif d > a.bound_mb:
                failures.append("(c) %s: phonehome adds %.0f MB of peak RSS, over the bound of %.0f MB"
                                % (pname, d, a.bound_mb))
            else:
                print("(c) %s: phonehome adds %.0f MB of peak RSS, within the bound of %.0f MB" % (pname, d, a.bound_mb))
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": bench.machine(),
                           "capture": cap, "packets": packets, "bytes": size, "generator": gen_lines,
                           "generation_s": gen_secs, "runs": a.runs, "plugin": a.plugin,
                           "tshark": bench.tshark_version(setup), "results": results, "failures": failures},
                          f, indent=1)
        if failures:
            print()
            for msg in failures:
                print("FAILED " + msg)
            return 1
        print("checks: (a) exit status and stderr ok, (b) \"State bounded:\" present%s" %
              ("" if a.bound_mb is None else ", (c) memory within the bound"))
        return 0
    except bench.BenchError as e:
        log("flood.py: error: %s" % e)
        return 1
    finally:
        if setup is not None:
            setup.cleanup()


def print_table(results, cap, packets, size, gen_lines, gen_secs, a):
    print()
    print("capture: %s, %s packets, %.0f MB; %d runs per configuration; %s" % (
        cap, "{:,}".format(packets) if packets else "?", size / 1e6, a.runs, datetime.date.today().isoformat()))
    if gen_lines:
        print("generator: %s%s" % (gen_lines[0], "" if gen_secs is None else " (%.1f s wall)" % gen_secs))
    print("machine: %s" % bench.machine())
    print()
    print("| pass | configuration | median wall (s) | min-max (s) | median peak RSS (MB) | RSS ratio | RSS with - without (MB) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    diffs = {}
    for pname, res in results.items():
        med = {}
        for config in ("plain", "phonehome"):
            runs = res[config]
            if not runs:
                continue
            walls = [r["wall_s"] for r in runs]
            rss = [r["peak_rss_bytes"] for r in runs]
            med[config] = (statistics.median(walls), statistics.median(rss))
            label = config
            if pname == "report":
                label += " (-z conv,ip)" if config == "plain" else " (-z phonehome,devices)"
            ratio = diff = ""
            if config == "phonehome" and "plain" in med:
                ratio = "%.3f" % (med["phonehome"][1] / med["plain"][1])
                d = (med["phonehome"][1] - med["plain"][1]) / 1e6
                diff = "%+.0f" % d
                diffs[pname] = d
            print("| %s | %s | %.2f | %.2f-%.2f | %s | %s | %s |" % (
                pname, label, med[config][0], min(walls), max(walls), bench.fmt_mb(med[config][1]), ratio, diff))
    return diffs


if __name__ == "__main__":
    sys.exit(main())
