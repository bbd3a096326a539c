"""doorbell_variant: the doorbell case with everything the bundled capture fixes drawn from
the seed, plus edge cases around the two rules:

* the doorbell: IPv4, or IPv6 from a ULA, a link-local, or a GLOBAL address inside the home's
  /64 (then listed in local_networks); random address, MAC, source port, GLOBAL remote,
  destination port 0 or 1, burst sizes (1-5) and gaps;
* edge gaps: on one 4-tuple (the doorbell's or the second one-way tuple's) outbound datagrams
  exactly 19.999999 s apart (no pinhole) and then exactly 20.000000 s apart (pinhole);
* a second one-way 4-tuple to port 3478 (STUN) or 8000 with >= 20 s silences (pinhole, no sink);
* a 4-tuple flagged as a pinhole that then gets a reply (later datagrams are not pinholes);
* TCP SYNs with retransmissions to port 0 or 1 of a GLOBAL address (sinks); a TCP SYN to port
  1 of a LAN host (not a sink); a connection to a GLOBAL port 1 whose SYN-ACK
  and ACK are not sinks; a UDP datagram from a remote's port 1 into the device (not a sink);
  UDP to port 1 of a LAN host and of a documentation address (not sinks);
* a random mix of the ordinary traffic (DNS, HTTPS, NTP, SMB, mDNS, SSDP, broadcast, ARP,
  camera stream), IPv4 and often IPv6.
"""
import ipaddress
import random

from .. import ordinary as o
from .. import payloads
from ..addresses import random_global, random_isp_64
from ..lan import Host
from . import Scenario
from .doorbell import doorbell_bursts
from .home import Home, random_mac

S, MS = o.S, o.MS
EDGE_BELOW = 19_999_999
EDGE_AT = 20_000_000


def _gap(rng):
    """A silence between bursts: sometimes under 20 s, usually 20 s .. 1.5 h (log-uniform)."""
    if rng.random() < 0.25:
        return rng.randrange(1 * S, 20 * S)
    return int(20 * S * (270 ** rng.random()))


def build(seed=1):
    rng = random.Random(seed)
    family = rng.choice(["v4", "v6-ula", "v6-ll", "v6-global"])
    prefix6 = None
    if family == "v6-global" or rng.random() < 0.5:
        prefix6 = random_isp_64(rng)
    home = Home(rng, fixed=False, prefix6=prefix6)
    lan = home.lan
    local_networks = [str(prefix6)] if prefix6 is not None else []

    t0 = rng.randrange(1_672_531_200, 1_735_689_600) * S  # sometime in 2023-2024
    duration = rng.randrange(30 * 60, 3 * 3600) * S
    t_end = t0 + duration

    # -- the device ----------------------------------------------------------
    iid = rng.getrandbits(64) | 0x0200_0000_0000_0000
    if family == "v4":
        addr = home.lan.subnet4.network_address + rng.randrange(70, 250)
    elif family == "v6-ula":
        ula = ipaddress.ip_network(((0xFD << 120) | (rng.getrandbits(56) << 64), 64))
        addr = ula.network_address + iid
    elif family == "v6-ll":
        addr = ipaddress.ip_address("fe80::") + iid
    else:
        addr = prefix6.network_address + iid
    device = lan.add(Host("device", random_mac(rng), addr))
    v = device.addrs[0].version
    remote = random_global(rng, v)
    sport = rng.randrange(1024, 65536)
    dport = rng.choice([0, 1])
    edge_on_doorbell = rng.random() < 0.5

    # -- the doorbell 4-tuple -------------------------------------------------
    n_bursts = rng.randrange(4, 13)
    bursts = [rng.randrange(1, 6) for _ in range(n_bursts)]
    gaps = [_gap(rng) for _ in range(n_bursts - 1)]
    if edge_on_doorbell:
        gaps[0], gaps[1] = EDGE_BELOW, EDGE_AT
    t = t0 + rng.randrange(5 * S, 120 * S)
    if v == 4:
        lan.arp_exchange(t - 2 * S, device, home.router)
    doorbell_bursts(lan, rng, t, addr, sport, remote, dport, bursts, gaps)

    # -- a second one-way 4-tuple to a non-sink port ---------------------------
    remote2, sport2, dport2 = random_global(rng, v), rng.randrange(1024, 65536), rng.choice([3478, 8000])
    t = t0 + rng.randrange(0, duration // 2)
    gaps2 = [rng.randrange(21 * S, 600 * S) for _ in range(rng.randrange(4, 10))]
    if not edge_on_doorbell:
        gaps2[0], gaps2[1] = EDGE_BELOW, EDGE_AT
    for g in [0] + gaps2:
        t += g
        body = payloads.stun_binding_request(rng) if dport2 == 3478 else b"KEEPALIVE " + payloads.opaque(rng, 4).hex().encode()
        lan.udp(t, addr, remote2, sport2, dport2, body)

    # -- flagged, then answered: later datagrams are not pinholes ----------------
    remote3, sport3, dport3 = random_global(rng, v), rng.randrange(1024, 65536), rng.randrange(9000, 9100)
    t = t0 + rng.randrange(0, duration // 2)
    hello = b"HELLO " + payloads.opaque(rng, 6).hex().encode()
    for g in (0, rng.randrange(20 * S, 90 * S), rng.randrange(1 * S, 60 * S)):
        t += g
        lan.udp(t, addr, remote3, sport3, dport3, hello)
    t += rng.randrange(30 * MS, 200 * MS)
    lan.udp(t, remote3, addr, dport3, sport3, b"WELCOME")
    for _ in range(rng.randrange(2, 5)):
        t += rng.randrange(20 * S, 200 * S)
        lan.udp(t, addr, remote3, sport3, dport3, hello)

    # -- TCP SYNs to port 0/1 of a GLOBAL address, with retransmissions (sinks) ----
    t = t0 + rng.randrange(0, duration - 60 * S)
    s = lan.tcp_session(addr, random_global(rng, v), rng.randrange(32768, 61000), rng.choice([0, 1]))
    s.syn(t)
    for back_off in (1, 2, 4)[:rng.randrange(1, 4)]:
        t += back_off * S
        s.syn(t, retransmit=True)

    # -- a connection to GLOBAL port 1: SYN (sink), SYN-ACK and ACK (not sinks) ----
    t = t0 + rng.randrange(0, duration - 60 * S)
    s = lan.tcp_session(addr, random_global(rng, v), rng.randrange(32768, 61000), 1)
    rtt = rng.randrange(20, 300) * MS
    t = s.connect(t, rtt)
    s.close(t + rng.randrange(1, 500) * MS, True, rtt)

    # -- UDP from a remote's port 1 into the device (not a sink) ----------------
    lan.udp(t0 + rng.randrange(0, duration), random_global(rng, v), addr, 1, rng.randrange(1024, 65536),
            b"PING")

    # -- LAN-side near misses: port 1 of a LAN host, port 1 of documentation space ------
    t = t0 + rng.randrange(0, duration - 60 * S)
    s = lan.tcp_session(home.laptop.ip4, home.nas.ip4, rng.randrange(32768, 61000), 1)
    s.syn(t)  # the NAS drops it silently (a RST would be a tshark expert warning)
    lan.udp(t0 + rng.randrange(0, duration), home.laptop.ip4, home.nas.ip4, o.ephemeral_port(rng), 1, b"probe\n")
    doc = "203.0.113.%d" % rng.randrange(1, 255) if rng.random() < 0.5 else "198.51.100.%d" % rng.randrange(1, 255)
    lan.udp(t0 + rng.randrange(0, duration), home.laptop.ip4, doc, o.ephemeral_port(rng), 1, b"probe\n")
    if prefix6 is not None:
        lan.udp(t0 + rng.randrange(0, duration), home.laptop.ip6, "2001:db8::%x" % rng.randrange(1, 0xFFFF),
                o.ephemeral_port(rng), rng.choice([0, 1]), b"probe\n")

    # -- ordinary traffic ----------------------------------------------------------
    home.ordinary_mix(t0, t_end, sessions=rng.randrange(4, 20), with_camera=rng.random() < 0.7,
                      camera_s=rng.randrange(10, 40))
    return Scenario(lan.frames(), local_networks)
