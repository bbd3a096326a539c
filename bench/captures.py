"""The captures the benchmarks read: each mix's and the flood's, generated once into the work
folder (under a name that says mix, size and seed) and reused, and slices of them.

A capture is generated into NAME.part and renamed when complete, so an interrupted generation
never leaves a short file that a later run would reuse; the generator's summary is kept next
to it as NAME.txt, with the generation's wall time.
"""
import argparse
import os
import subprocess
import sys
import time

from harness import BenchError, count_packets, log, parse_list
from mixes import MIXES

HERE = os.path.dirname(os.path.abspath(__file__))
FLOOD = "flood"
FLOOD_FLOWS = 1_000_000
ALL = tuple(MIXES) + (FLOOD,)


def default_size(mix):
    return FLOOD_FLOWS if mix == FLOOD else MIXES[mix].DEFAULT_PACKETS


def seed_arg(text):
    """--seed: a number, or "fresh" for a new one (printed by the scripts, so it can be reused)."""
    if text == "fresh":
        return int(time.time()) % 1_000_000 + 2     # 1 is the default seed and not fresh
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("--seed takes a number or 'fresh'")


def add_args(ap):
    """The options that choose the captures: --mix, --packets, --flows, --seed, --capture."""
    ap.add_argument("--mix", default="all", help="comma-separated: %s, or all (default)" % ", ".join(ALL))
    ap.add_argument("--packets", type=int, help="packets per home mix (default: each mix's, 1000000)")
    ap.add_argument("--flows", type=int, default=FLOOD_FLOWS, help="flows in the flood (default 1000000)")
    ap.add_argument("--seed", type=seed_arg, default=1, help="generator seed, or 'fresh' (default 1)")
    ap.add_argument("--capture", help="capture to use for the one --mix given (generated there if missing)")


def selected(ap, a):
    """The mixes the options name (an argparse error if --capture goes with more than one)."""
    mixes = list(ALL) if a.mix == "all" else parse_list(ap, "mix", a.mix, ALL)
    if a.capture and len(mixes) != 1:
        ap.error("--capture goes with exactly one --mix")
    return mixes


def prepared(a, mix, workdir):
    """(path, generator info as ensure() returns it) of `mix`'s full capture as the options
    say, generated first if missing."""
    size = a.flows if mix == FLOOD else (a.packets or default_size(mix))
    path = a.capture or capture_path(workdir, mix, size, a.seed)
    return path, ensure(path, mix, size, a.seed)


def capture_path(workdir, mix, size, seed):
    return os.path.join(workdir, "%s-%d-seed%d.pcap" % (mix, size, seed))


def generator_argv(mix, size, seed, out):
    if mix == FLOOD:
        return [sys.executable, os.path.join(HERE, "generate_flood.py"), "--flows", str(size),
                "--seed", str(seed), "--out", out]
    return [sys.executable, os.path.join(HERE, "generate_mix.py"), "--mix", mix, "--packets", str(size),
            "--seed", str(seed), "--out", out]


def ensure(path, mix, size, seed):
    """Generates `mix` (size: packets, or flows for the flood) at `path` unless it exists.
    Returns {"summary": the generator's summary lines, "generation_s": its wall time or None
    if the file was there already}."""
    info = path + ".txt"
    if os.path.isfile(path):
        lines = []
        if os.path.isfile(info):
            with open(info) as f:
                lines = f.read().splitlines()
        return {"summary": lines, "generation_s": None}
    log("generating %s (%s, %d %s, seed %d)" % (path, mix, size, "flows" if mix == FLOOD else "packets", seed))
    tmp = path + ".part"
    t0 = time.perf_counter()
    r = subprocess.run(generator_argv(mix, size, seed, tmp), capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if r.returncode != 0:
        raise BenchError("the %s generator failed: %s" % (mix, r.stderr.strip() or r.stdout.strip()))
    os.replace(tmp, path)
    out = r.stdout.replace(tmp, path)
    with open(info, "w") as f:
        f.write(out)
        f.write("generation wall time: %.1f s\n" % secs)
    for line in out.splitlines():
        log("  " + line)
    return {"summary": out.splitlines(), "generation_s": secs}


def middle_slice(path, count, workdir):
    """The `count` packets in the middle of `path` (editcap -r), written once into `workdir`
    and reused: a small sample with the full capture's composition, which a small generated
    capture of the web mix does not have."""
    total = count_packets(path)
    if total is None or count >= total:
        return path
    first = (total - count) // 2 + 1
    stem = os.path.splitext(os.path.basename(path))[0]
    out = os.path.join(workdir, "%s-slice%d-%d.pcap" % (stem, first, count))
    if not os.path.isfile(out):
        r = subprocess.run(["editcap", "-F", "pcap", "-r", path, out + ".part", "%d-%d" % (first, first + count - 1)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError("editcap failed: %s" % r.stderr.strip())
        os.replace(out + ".part", out)
    return out
