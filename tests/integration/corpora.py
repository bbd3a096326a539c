"""The public capture corpora in ../shared/captures/corpora (nDPI,
suricata-verify and Zeek test traces; see SOURCES.md there), read in place:
which captures there are, which of them CI scans, and one tshark pass with
the plugin over a capture.

Also a command for scanning many captures at once (two tshark processes at a
time, results cached per plugin build):

    python3 tests/integration/corpora.py            # every capture: totals per finding
    python3 tests/integration/corpora.py --ci       # the CI subset only
    python3 tests/integration/corpora.py --json out.json ndpi/sip.pcap ...

The test (test_corpora.py) takes the same cache from PHONEHOME_CORPORA_CACHE
when set (a developer's shortcut: a rebuilt plugin gets a cache of its own).
"""
import argparse
import concurrent.futures
import csv
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import time

from tshark_env import EXPECTED, PLUGIN, SERIES, SOURCE_DIR

CORPORA = os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "captures", "corpora"))
KNOWN = os.path.join(CORPORA, "known.json")
GOLDEN = os.path.join(EXPECTED, "corpora.findings.json")

# The fixed sample of the CI subset: the captures whose name hashes to 0
# modulo SAMPLE_MODULUS (about a tenth of each corpus, independent of the
# plugin's findings and stable as files are added).
SAMPLE_MODULUS = 10

# One pass per capture: the frames with a finding or a P2P claim, what
# Wireshark's TCP analysis says about them, and the frames Wireshark's endpoint
# and conversation statistics count apart from phonehome: those with more
# than one IP header (tunnels, ICMP errors quoting a packet), where Wireshark
# counts every header and phonehome the packet's own, and IP fragments
# (Wireshark 4.0 counts an IPv6 datagram's fragments once); then phonehome's
# reports and Wireshark's statistics of all frames.
SCAN_FIELDS = ("frame.number", "phonehome.pattern", "kalay.code", "pppp.type", "tcp.analysis.retransmission",
               "tcp.analysis.fast_retransmission", "tcp.analysis.spurious_retransmission")
SCAN_FILTER = ("phonehome.pattern || kalay || pppp || count(ip) > 1 || count(ipv6) > 1 || (ip && ipv6) || "
               "ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fraghdr")
SCAN_STATS = ("phonehome,devices.csv", "phonehome,remotes.csv", "endpoints,ip", "endpoints,ipv6", "conv,ip",
              "conv,ipv6")


def all_captures():
    """Every capture file, as 'corpus/name' relative to CORPORA."""
    found = []
    for corpus in sorted(os.listdir(CORPORA)):
        folder = os.path.join(CORPORA, corpus)
        if os.path.isdir(folder):
            found += [corpus + "/" + name for name in sorted(os.listdir(folder))]
    return found


def load_known():
    with open(KNOWN, encoding="utf-8") as f:
        return json.load(f)


def in_sample(capture):
    return int(hashlib.sha256(capture.encode()).hexdigest(), 16) % SAMPLE_MODULUS == 0


def load_golden():
    """{capture: {"counts": {finding: frames}, "review": why}} of every
    capture with a finding (expected/corpora.findings.json)."""
    if not os.path.exists(GOLDEN):
        return {}
    with open(GOLDEN, encoding="utf-8") as f:
        return json.load(f)


# Captures a full scan once failed on, kept in every CI scan: an ICMPv6
# error whose quote is missing (Wireshark's ICMPv6 dissector throws inside
# the quote and leaves the frame marked as an error packet, which hid
# phonehome's report record of the frame).
REGRESSIONS = ("zeek/icmp__icmp6-destunreach-no-context.pcap",)


def ci_captures():
    """Every capture known.json names, every capture with a finding in the
    golden file (where a change of the rules shows first), the regressions
    above and the fixed sample (where new false findings would)."""
    known = {e["capture"] for kind in ("must_not", "must_keep") for e in load_known()[kind]}
    flagged = set(load_golden())
    return [c for c in all_captures() if c in known or c in flagged or c in REGRESSIONS or in_sample(c)]


def selected_captures():
    """The captures the test scans: PHONEHOME_CORPORA=all for every one, a
    comma-separated list of corpus/name for those, else the CI subset."""
    chosen = os.environ.get("PHONEHOME_CORPORA", "")
    if chosen == "all":
        return all_captures()
    return chosen.split(",") if chosen else ci_captures()


def readable_by_anyone(path):
    """Whether tshark run as nobody can read the file in place."""
    if not os.stat(path).st_mode & stat.S_IROTH:
        return False
    d = os.path.dirname(os.path.abspath(path))
    while d != os.path.dirname(d):
        if not os.stat(d).st_mode & stat.S_IXOTH:
            return False
        d = os.path.dirname(d)
    return True


def scan(tshark, capture):
    """One tshark pass with the plugin over a corpus capture. Returns a dict:
    rc and stderr of the run; frames: {number: {"patterns": [...], "p2p":
    bool (claimed by kalay or pppp), "retransmission": bool}} of the frames
    with a finding or a claim; counted_apart: whether some frame is one
    Wireshark's statistics count apart (see SCAN_FILTER); stats: the text of
    the reports and statistics (SCAN_STATS);
    and, when the run failed or complained, plain_rc and plain_stderr of the
    same dissection without the plugin (some captures are corrupt on purpose,
    and Wireshark's own dissectors abort on a few)."""
    path = os.path.join(CORPORA, capture)
    if not readable_by_anyone(path):
        path = tshark.stage(path)
    args = ["-n", "-r", path, "-Y", SCAN_FILTER, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in SCAN_FIELDS:
        args += ["-e", f]
    for z in SCAN_STATS:
        args += ["-z", z]
    start = time.monotonic()
    proc = subprocess.run(tshark.command(args), capture_output=True, cwd=tshark.work)
    result = {"rc": proc.returncode, "stderr": proc.stderr.decode("utf-8", "replace"), "frames": {},
              "counted_apart": False, "seconds": round(time.monotonic() - start, 2)}
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    rows = 0
    for line in lines:
        number, patterns, kalay, pppp, *retrans = (line.split("\t") + [""] * len(SCAN_FIELDS))[:len(SCAN_FIELDS)]
        if not number.isdigit():
            break
        rows += 1
        frame = {"patterns": sorted(p for p in patterns.split(",") if p), "p2p": bool(kalay or pppp),
                 "retransmission": any(retrans)}
        if frame["patterns"] or frame["p2p"]:
            result["frames"][int(number)] = frame
        else:
            result["counted_apart"] = True
    result["stats"] = "\n".join(lines[rows:])
    if result["rc"] != 0 or result["stderr"].strip():
        # The same dissection (a filter makes tshark build the tree) without the plugin.
        plain_args = ["-n", "-r", path, "-Y", "frame", "-T", "fields", "-e", "frame.number"]
        plain = subprocess.run(tshark.command(plain_args, plugin=False), capture_output=True, cwd=tshark.work)
        result["plain_rc"] = plain.returncode
        result["plain_stderr"] = plain.stderr.decode("utf-8", "replace")
    return result


def without_pids_and_times(stderr):
    """tshark's stderr without what changes from run to run (its process id
    and the time of each warning)."""
    return re.sub(r"\(tshark:\d+\) [\d:.]+ ", "(tshark) ", stderr)


def fails_like_plain_tshark(result):
    """Whether a run that failed or complained did so exactly as tshark
    without the plugin does on the same capture."""
    return result["rc"] == result.get("plain_rc") and \
        without_pids_and_times(result["stderr"]) == without_pids_and_times(result.get("plain_stderr", ""))


def csv_block(stats, header):
    """The rows of the CSV report in `stats` whose header starts with `header`."""
    lines = stats.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header):
            end = i + 1
            while end < len(lines) and lines[end] and not lines[end].startswith(("device,", "=")):
                end += 1
            return list(csv.DictReader(io.StringIO("\n".join(lines[i:end]))))
    return []


def finding_counts(result):
    """Frames per finding of one scan, findings with none left out."""
    counts = {}
    for frame in result["frames"].values():
        for p in frame["patterns"]:
            counts[p] = counts.get(p, 0) + 1
    return dict(sorted(counts.items()))


def updated_golden(golden, counts):
    """The golden file with the scanned captures' new counts: a capture
    whose counts changed (or that is new) gets an UNREVIEWED note, which the
    test rejects until a reviewer writes what its findings are; a capture
    with no finding any more leaves it. Captures not scanned stay."""
    out = dict(golden)
    for capture, c in counts.items():
        old = golden.get(capture)
        if not c:
            out.pop(capture, None)
        elif not old or old["counts"] != c:
            was = "new" if not old else "was %s: %s" % (json.dumps(old["counts"], sort_keys=True), old["review"])
            out[capture] = {"counts": c, "review": "UNREVIEWED (%s)" % was}
    return out


def frames_with(result, finding):
    return sorted(n for n, f in result["frames"].items() if finding in f["patterns"])


def scan_many(tshark, captures, jobs=2, cache_dir=None):
    """{capture: scan result}, `jobs` tshark processes at a time; with
    cache_dir, results are kept per plugin build (the plugin file's hash)."""
    cache = None
    if cache_dir:
        # Per plugin build, tshark version and scan.
        key = hashlib.sha256()
        with open(PLUGIN, "rb") as f:
            key.update(f.read())
        key.update(json.dumps([SCAN_FIELDS, SCAN_FILTER, SCAN_STATS, SERIES]).encode())
        cache = os.path.join(cache_dir, key.hexdigest()[:16])
        os.makedirs(cache, exist_ok=True)

    def one(capture):
        cached = cache and os.path.join(cache, capture.replace("/", "__") + ".json")
        if cached and os.path.exists(cached):
            with open(cached, encoding="utf-8") as f:
                r = json.load(f)
            r["frames"] = {int(k): v for k, v in r["frames"].items()}
            return r
        r = scan(tshark, capture)
        if cached:
            with open(cached, "w", encoding="utf-8") as f:
                json.dump(r, f)
        return r

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(zip(captures, pool.map(one, captures)))


def main():
    from tshark_env import Tshark
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("captures", nargs="*", help="corpus/name of captures (default: all)")
    ap.add_argument("--ci", action="store_true", help="the CI subset only")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default="/tmp/phonehome-corpora-cache", help="result cache ('' for none)")
    ap.add_argument("--json", help="write {capture: {finding: frames}} here")
    args = ap.parse_args()
    captures = args.captures or (ci_captures() if args.ci else all_captures())
    tshark = Tshark()
    try:
        results = scan_many(tshark, captures, args.jobs, args.cache or None)
    finally:
        tshark.close()
    totals = {}
    for capture, r in results.items():
        for k, v in finding_counts(r).items():
            totals[k] = totals.get(k, 0) + v
        if (r["rc"] or r["stderr"].strip()) and not fails_like_plain_tshark(r):
            print("differs from plain tshark: %s (rc %d vs %s)" % (capture, r["rc"], r.get("plain_rc")))
    print("captures: %d; frames per finding: %s" % (len(results), json.dumps(totals, sort_keys=True)))
    if args.json:
        frames = {}
        for capture, r in results.items():
            frames[capture] = {k: frames_with(r, k) for k in finding_counts(r)}
            frames[capture]["_p2p_claims"] = sorted(n for n, f in r["frames"].items() if f["p2p"])
            frames[capture]["_retrans_beats"] = sorted(n for n, f in r["frames"].items()
                                                      if f["retransmission"] and "heartbeat" in f["patterns"])
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(frames, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    sys.exit(main())
