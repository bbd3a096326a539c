"""p2p_negatives.pcap: 30 minutes of UDP traffic that a Kalay / PPPP detector must NOT claim,
around ordinary home traffic. No frame has a P2P label and no frame has any finding.

* DCE/RPC over UDP (payloads starting 04 00 / 04 02) replayed from two public captures
  (pcapgen/data/dcerpc_udp.txt), on their original ports and on random high ports;
* DNS near misses: names that contain but do not end with the Kalay domains
  (notiotcplatform.com, iotcplatform.com.example.net, kalay.net, kalayservice.co, ...);
* QUIC v1 Initials (long header 0xc., version 00000001) to UDP 443, answered: real Initial
  protection (pcapgen.quic), so that tshark decrypts them without a warning; each client
  Initial carries the ClientHello's SNI as a mark (lan.quic_snis()) for the truth's remote_name;
* STUN binding requests / success responses (RFC 5389 magic cookie) on 3478 and random ports;
* DTLS 1.2 ClientHello records on random ports;
* random payloads (seeded sizes and bytes) on random ports and on 32100, 32108, 32761, 10240;
* traps: F1 + a type PPPP does not know, F1 + a known type with a wrong length, 04 02 + a
  plausible version with a wrong length.
Every payload is checked against the readers' header rules (pcapgen.p2ptraffic, with the
"myvendorkey" key too) and against tshark's CLTP heuristic, and drawn again if it would match.
"""
import os
import random
import struct

from .. import ordinary as o
from .. import p2ptraffic as p2p
from .. import payloads, quic
from . import Scenario
from .home import Home

S, MS = o.S, o.MS
T0 = 1_712_750_400 * S          # 2024-04-10 12:00:00 UTC
DURATION = 30 * 60 * S
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "dcerpc_udp.txt")
NEAR_MISSES = ["notiotcplatform.com", "iotcplatform.com.example.net", "kalay.net", "kalayservice.co",
               "m1-iotcplatform.com", "kalaynet.cn", "www.kalay.net.cn.example.org", "iotcplatform.co"]
SERVERS = ["52.28.14.99", "104.16.132.229", "142.250.185.99", "34.117.59.81"]
P2P_PORTS = (p2p.PPPP_SERVER_PORT, p2p.PPPP_LAN_PORT, p2p.KALAY_LAN_PORT, p2p.KALAY_SERVER_PORT)


def _safe(payload):
    return (not p2p.kalay_claimed(payload) and p2p.pppp_claimed(payload, ("myvendorkey",)) is None
            and not p2p.tshark_trap(payload))


def _dcerpc_payloads():
    out = []
    with open(DATA, encoding="ascii") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                sport, dport, hexs = line.split()
                out.append((int(sport), int(dport), bytes.fromhex(hexs)))
    return out


def _quic_exchange(lan, rng, t, client, server, sport):
    """A QUIC v1 handshake start with real Initial protection (tshark decrypts it): the
    client's Initial (CRYPTO ClientHello, padded to 1200 bytes), the server's Initial (ACK,
    CRYPTO ServerHello) and the client's ACK-only Initial."""
    odcid = bytes(rng.getrandbits(8) for _ in range(8))
    cscid = bytes(rng.getrandbits(8) for _ in range(8))
    sscid = bytes(rng.getrandbits(8) for _ in range(8))
    name = rng.choice(o.SITES)
    ch = payloads.tls_client_hello(rng, name)
    sh = payloads.tls_server_hello(rng, ch)
    sh = sh[5:5 + struct.unpack_from("!H", sh, 3)[0]]
    ch = ch[5:]
    # The truth's remote_name takes the SNI from this mark, not by decrypting the Initial.
    lan.udp(t, client, server, sport, 443,
            quic.initial_packet(odcid, odcid, cscid, 0, quic.crypto_frame(ch), pad_to=1200), quic_sni=name)
    t += rng.randrange(20, 60) * MS
    lan.udp(t, server, client, 443, sport,
            quic.initial_packet(odcid, cscid, sscid, 0, quic.ack_frame(0) + quic.crypto_frame(sh), server=True))
    t += rng.randrange(1, 5) * MS
    lan.udp(t, client, server, sport, 443, quic.initial_packet(odcid, sscid, cscid, 1, quic.ack_frame(0),
                                                               pad_to=1200))


def _stun(rng, response=False, mapped=None):
    tid = bytes(rng.getrandbits(8) for _ in range(12))
    if not response:
        return struct.pack("!HHI", 0x0001, 0, 0x2112A442) + tid, tid
    ip, port = mapped
    xport = port ^ 0x2112
    xip = bytes(a ^ b for a, b in zip(bytes(int(x) for x in ip.split(".")), b"\x21\x12\xa4\x42"))
    attr = struct.pack("!HHBBH", 0x0020, 8, 0, 1, xport) + xip
    return attr, tid


def _stun_pair(rng, mapped):
    req, tid = _stun(rng)
    attr, _ = _stun(rng, True, mapped)
    resp = struct.pack("!HHI", 0x0101, len(attr), 0x2112A442) + tid + attr
    return req, resp


def _dtls_client_hello(rng):
    suites = struct.pack("!HHHH", 0xC02B, 0xC02F, 0xC00A, 0x002F)
    exts = struct.pack("!HH", 0x000A, 4) + struct.pack("!HH", 2, 0x0017)           # supported_groups
    exts += struct.pack("!HHB", 0x000B, 2, 1) + b"\x00"                             # ec_point_formats
    body = (b"\xfe\xfd" + bytes(rng.getrandbits(8) for _ in range(32)) + b"\x00" + b"\x00"
            + struct.pack("!H", len(suites)) + suites + b"\x01\x00" + struct.pack("!H", len(exts)) + exts)
    hs = bytes([1]) + len(body).to_bytes(3, "big") + struct.pack("!H", 0) + (0).to_bytes(3, "big") + \
        len(body).to_bytes(3, "big") + body
    return bytes([22]) + b"\xfe\xff" + struct.pack("!H", 0) + (0).to_bytes(6, "big") + struct.pack("!H", len(hs)) + hs


def _random_payload(rng, n, first=None):
    while True:
        b = bytearray(rng.getrandbits(8) for _ in range(n))
        if first is not None:
            b[:len(first)] = first
        # Printable-free, version-free first byte: stay clear of RTP/RTCP (0x80..0xBF) heuristics.
        if first is None and 0x80 <= b[0] <= 0xBF:
            continue
        if _safe(bytes(b)):
            return bytes(b)


def build(seed=23):
    rng = random.Random(seed)
    home = Home(rng, fixed=True)
    lan = home.lan
    t1 = T0 + DURATION

    def at():
        return T0 + rng.randrange(0, DURATION)

    # DCE/RPC over UDP: on the original ports between LAN hosts, then on random high ports.
    for k, (sport, dport, payload) in enumerate(_dcerpc_payloads()):
        assert not p2p.kalay_claimed(payload) and p2p.pppp_claimed(payload, ("myvendorkey",)) is None
        a, b = (home.laptop, home.nas) if k % 2 else (home.nas, home.laptop)
        lan.udp(at(), a.ip4, b.ip4, sport, dport, payload)
        lan.udp(at(), a.ip4, b.ip4, p2p.free_port(rng, 40000), p2p.free_port(rng, 40000), payload)
    # DNS near misses, to the router and to a public resolver.
    for i, name in enumerate(NEAR_MISSES):
        o.dns_lookup(lan, at(), home.laptop, home.router.ip4 if i % 2 else "1.1.1.1", name,
                     [SERVERS[i % len(SERVERS)]], 3 * MS, rng)
    # QUIC Initials to 443, each answered.
    for _ in range(6):
        _quic_exchange(lan, rng, at(), home.laptop.ip4, rng.choice(SERVERS), o.ephemeral_port(rng))
    # STUN on 3478 and on random ports, answered.
    for k in range(8):
        t, port = at(), p2p.free_port(rng, 40000)
        dport = 3478 if k % 2 else p2p.free_port(rng, 20000)
        srv = rng.choice(SERVERS)
        req, resp = _stun_pair(rng, ("81.2.69.%d" % rng.randrange(1, 255), port))
        lan.udp(t, home.phone.ip4, srv, port, dport, req)
        lan.udp(t + rng.randrange(20, 90) * MS, srv, home.phone.ip4, dport, port, resp)
    # DTLS ClientHello records on random ports.
    for _ in range(5):
        lan.udp(at(), home.laptop.ip4, rng.choice(SERVERS), p2p.free_port(rng, 40000), p2p.free_port(rng, 20000),
                _dtls_client_hello(rng))
    # Random payloads on random ports and on the P2P ports (LAN, broadcast and Internet).
    for k in range(60):
        n = rng.choice([4, 8, 13, 16, 20, 24, 36, 44, 68, 100, 172, 300, 512, 1000])
        payload = _random_payload(rng, n)
        dport = P2P_PORTS[k % 4] if k % 3 == 0 else p2p.free_port(rng, 20000)
        dst = [home.nas.ip4, "255.255.255.255", rng.choice(SERVERS)][k % 3]
        lan.udp(at(), home.tv.ip4, dst, p2p.free_port(rng, 40000), dport, payload)
    # Traps: F1 + unknown type, F1 + known type with a wrong length, 04 02 with a wrong length.
    unknown = [x for x in range(256) if x not in p2p.PPPP_KNOWN_TYPES]
    for k in range(24):
        n = rng.choice([4, 8, 24, 44, 64, 120])
        if k % 3 == 0:
            t = rng.choice(unknown)
            first = bytes([0xF1, t]) + struct.pack(">H", n - 4)
        elif k % 3 == 1:
            t = rng.choice(sorted(p2p.PPPP_KNOWN_TYPES))
            first = bytes([0xF1, t]) + struct.pack(">H", n - 4 + rng.choice([-3, -1, 1, 2, 16]) & 0xFFFF)
        else:
            first = b"\x04\x02" + bytes([rng.choice([0x12, 0x19, 0x1A]), 0x02]) + \
                struct.pack("<H", (n - 16 + rng.choice([-8, -1, 1, 4, 100])) & 0xFFFF)
        payload = _random_payload(rng, n, first)
        dport = P2P_PORTS[k % 4] if k % 2 else p2p.free_port(rng, 20000)
        dst = home.camera.ip4 if k % 4 < 2 else rng.choice(SERVERS)
        t = at()
        sport = p2p.free_port(rng, 40000)
        lan.udp(t, home.phone.ip4, dst, sport, dport, payload)
    home.ordinary_mix(T0, t1, sessions=10, camera_s=10)
    lan.arp_exchange(T0, home.laptop, home.router)
    return Scenario(lan.frames(), [], lan.p2p_labels(), "", None, lan.quic_snis())
