#!/usr/bin/env python3
"""Generate phonehome's test captures and their ground truth (standard library only).

  python3 captures/generate.py
      Regenerate every bundled capture in captures/ (doorbell.pcap, ordinary.pcap, kalay.pcap,
      pppp.pcap, p2p_negatives.pcap, heartbeats.pcap, heartbeat_negatives.pcap, identity.pcap
      and their .truth.json files). Seeds are fixed: the output
      is byte-identical on every run.

  python3 captures/generate.py SCENARIO [--seed N] [--out F.pcap] [--truth F.json]
      Write one capture. SCENARIO is one of: doorbell, doorbell_variant, negatives, and the
      P2P scenarios registered by pcapgen/p2p_scenarios.py: kalay, pppp, p2p_variant,
      p2p_negatives, pppp_recovery, the heartbeat scenarios registered by
      pcapgen/heartbeat_scenarios.py: heartbeats, heartbeat_negatives, heartbeat_variant, and the
      identity scenarios registered by pcapgen/identity_scenarios.py: identity, identity_variant.
      doorbell_variant randomises everything the bundled doorbell fixes (address family,
      addresses, MAC, ports, bursts, gaps, edge gaps of exactly 20 s and 19.999999 s, ...).
      --out defaults to SCENARIO[_seedN].pcap in the current directory; --truth defaults to
      the --out name with .truth.json instead of .pcap.
      p2p_variant randomises the kalay and pppp captures (UIDs, keys, ports, versions, ...).
      pppp_recovery: PPPP cameras under fresh random keys nobody published, and look-alikes.
      heartbeat_variant randomises the heartbeats capture (periods, jitter, missed and extra
      beats, ports, addresses, the dead broker's retry schedule, negatives).
      identity_variant randomises the identity capture (devices, MACs, names, vendor classes,
      SSDP servers, address families, which protocols announce and when, remotes, names).

The truth format and rules are described in captures/README.md.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pcapgen import truth as truth_mod  # noqa: E402
from pcapgen.pcap_writer import write_pcap  # noqa: E402
from pcapgen.scenarios import bundled, registry  # noqa: E402


def write(scenario, seed, out, truth_path):
    sc = registry()[scenario](seed)
    write_pcap(out, sc.frames)
    t = truth_mod.compute_scenario(sc, os.path.basename(out))
    with open(truth_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(truth_mod.dumps(t))
    return sc, t


def summary(path, sc, t):
    counts = {}
    for fr in t["frames"]:
        for k in fr["findings"]:
            counts[k] = counts.get(k, 0) + 1
    return "%s: %d frames, %s" % (path, len(sc.frames),
                                  ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items())) or "no findings")


def main(argv=None):
    scenarios = sorted(registry())
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", choices=scenarios,
                    help="scenario to generate; omit to regenerate all bundled captures")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: the bundled seed, or 1)")
    ap.add_argument("--out", help="output pcap path")
    ap.add_argument("--truth", help="output truth JSON path")
    ap.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    a = ap.parse_args(argv)
    if a.scenario is None:
        if a.seed is not None or a.out or a.truth:
            ap.error("--seed/--out/--truth need a SCENARIO")
        for scenario, stem, seed in bundled():
            out = os.path.join(HERE, stem + ".pcap")
            sc, t = write(scenario, seed, out, os.path.join(HERE, stem + ".truth.json"))
            if not a.quiet:
                print(summary(os.path.relpath(out), sc, t))
        return 0
    seed = a.seed
    if seed is None:
        seed = next((s for n, _, s in bundled() if n == a.scenario), 1)
    out = a.out or ("%s_seed%d.pcap" % (a.scenario, seed))
    truth_path = a.truth or (out[:-5] if out.endswith(".pcap") else out) + ".truth.json"
    sc, t = write(a.scenario, seed, out, truth_path)
    if not a.quiet:
        print(summary(out, sc, t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
