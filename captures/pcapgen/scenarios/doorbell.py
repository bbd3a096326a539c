"""The bundled doorbell capture (protocols.md section 5): about 3 hours of a home LAN in which
the doorbell 192.168.1.20 sends 172-byte RTP-like UDP datagrams from port 51506 to
106.13.0.0 port 1 in short bursts separated by irregular silences, and nothing comes back."""
import random

from .. import ordinary as o
from .. import payloads
from ..lan import Host
from . import Scenario
from .home import Home

S, MS = o.S, o.MS
T0 = 1_710_007_200 * S          # 2024-03-09 18:00:00 UTC
DURATION = 3 * 3600 * S
DOORBELL_IP, DOORBELL_MAC, DOORBELL_PORT = "192.168.1.20", "ac:cc:8e:5a:07:14", 51506
SINK_IP, SINK_PORT = "106.13.0.0", 1
# Silences between bursts (s) and burst sizes: from about a minute to about 1.5 hours.
GAPS_S = [63, 412, 1840, 95, 5230, 730, 188, 1377]
BURSTS = [3, 1, 5, 2, 4, 1, 3, 2, 5]


def doorbell_bursts(lan, rng, t, src, sport, dst, dport, bursts, gaps_us):
    """Bursts of RTP-like datagrams 20-300 ms apart; gaps_us[i] separates burst i and i+1
    (last datagram to first datagram). Returns the list of send times."""
    seq, ts_rtp, ssrc = rng.getrandbits(16), rng.getrandbits(32), rng.getrandbits(32)
    times = []
    for i, n in enumerate(bursts):
        for k in range(n):
            if k:
                t += rng.randrange(20 * MS, 300 * MS + 1)
            audio = bytes(0xFF ^ (rng.getrandbits(4)) for _ in range(160))  # quiet G.711 u-law
            lan.udp(t, src, dst, sport, dport, payloads.rtp_like(seq, ts_rtp, ssrc, audio))
            times.append(t)
            seq, ts_rtp = seq + 1, ts_rtp + 160
        if i < len(gaps_us):
            t += gaps_us[i]
    return times


def build(seed=5):
    rng = random.Random(seed)
    home = Home(rng, fixed=True)
    lan = home.lan
    doorbell = lan.add(Host("doorbell", DOORBELL_MAC, DOORBELL_IP))
    t_end = T0 + DURATION

    # The doorbell finds its gateway, then calls home.
    lan.arp_exchange(T0 + 40 * S, doorbell, home.router)
    gaps = [g * S + rng.randrange(0, S) for g in GAPS_S]
    doorbell_bursts(lan, rng, T0 + 41 * S, doorbell.ip4, DOORBELL_PORT, SINK_IP, SINK_PORT, BURSTS, gaps)

    home.ordinary_mix(T0, t_end, sessions=24, camera_s=42)
    # Near misses that are not sinks: port 1 of a LAN host, port 1 of a documentation address.
    lan.udp(T0 + 2_400 * S + 123_456, home.laptop.ip4, home.nas.ip4, o.ephemeral_port(rng), 1, b"probe\n")
    lan.udp(T0 + 4_100 * S + 654_321, home.laptop.ip4, "203.0.113.7", o.ephemeral_port(rng), 1, b"probe\n")
    # Bracket the capture so it spans the full 3 hours.
    lan.arp_exchange(T0, home.laptop, home.router)
    lan.arp_exchange(t_end, home.tv, home.router)
    return Scenario(lan.frames(), [])
