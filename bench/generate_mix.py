#!/usr/bin/env python3
"""Generate a benchmark capture: a reproducible home network's traffic, one of several mixes.

    python3 bench/generate_mix.py --mix web --packets 1000000 --out /tmp/web.pcap [--seed 1] [--hours H]

Mixes (bench/mixes/, one module each; bench/README.md has their measured composition):
  web   TCP/web-heavy: DASH video and web over TLS, uploads, SMB, keepalives, a little P2P
        (the original benchmark capture, byte for byte)
  udp   UDP-heavy: RTP-like video streams and game traffic on random high ports, camera P2P
        (Kalay, PPPP and look-alikes), QUIC, DNS: most datagrams no Wireshark dissector claims
  iot   IoT chatter: many small devices' MQTT/TLS keepalives, cloud polling, DNS, NTP, mDNS,
        SSDP, DHCP, LAN broadcasts, a few cameras

The same mix, seed and arguments give a byte-identical file. Standard library only; frames
come from per-flow templates with arithmetic checksums, streamed in time order by a k-way
merge of one generator per activity, so 1M packets take seconds to a minute and little memory.
--hours defaults to the mix's own (web: 3 h at any size; udp, iot: scaled to the packet count
so that a smaller capture has a similar composition, if coarser below ~100k packets). The summary printed at the end gives the packets
by activity kind.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mixes import MIXES  # noqa: E402
from mixes.planner import write  # noqa: E402
from mixes.wire import S  # noqa: E402


def generate(mix, packets, seed, out, hours=None):
    """Writes the capture; returns (packets, bytes of frames, last time in us, counts by kind,
    planner). Raises ValueError when the plan falls short of `packets`."""
    cls = MIXES[mix]
    planner = cls(seed, packets, cls.default_hours(packets) if hours is None else hours)
    planner.plan()
    n, nbytes, last, counts = write(out, planner, packets)
    if n < packets:
        raise ValueError("only %d packets planned in %.2f h; raise --hours" % (n, planner.dur / 3600 / S))
    return n, nbytes, last, counts, planner


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--mix", default="web", choices=sorted(MIXES))
    ap.add_argument("--packets", type=int, help="packets (default: the mix's, 1000000)")
    ap.add_argument("--hours", type=float, help="capture time (default: the mix's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="phonehome-mix.pcap")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    packets = a.packets or MIXES[a.mix].DEFAULT_PACKETS
    t0 = time.time()
    try:
        n, nbytes, last, counts, planner = generate(a.mix, packets, a.seed, a.out, a.hours)
    except ValueError as e:
        sys.exit("generate_mix: %s" % e)
    if not a.quiet:
        print("%s: %s mix, %d packets, %.1f MB of frames, %.2f h, %d devices, %d activities, seed %d, %.1f s"
              % (a.out, a.mix, n, nbytes / 1e6, last / 3600 / S, len(planner.all), len(planner.acts), a.seed,
                 time.time() - t0))
        for kind, c in sorted(counts.items(), key=lambda kv: -kv[1]):
            print("  %-10s %8d  %5.1f%%" % (kind, c, 100 * c / n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
