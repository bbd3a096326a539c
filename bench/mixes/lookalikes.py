"""UDP on the P2P cameras' ports that is neither Kalay nor PPPP, and the phone apps' LAN searches.

Cameras of other P2P platforms use the same well-known ports (32100, 32108, 32761, 10240,
10001) with their own, encrypted or proprietary datagrams; and near misses look like a Kalay or
PPPP header at first sight (F1 + a type PPPP does not know, F1 + a known type and a wrong
length, 04 02 + a plausible version and a wrong length). A plugin's P2P heuristics must reject
all of them: they are the common case on a camera-heavy home's UDP, and the cheapness of
rejecting them is what issue 16 measures. Every payload is checked against the readers'
header rules (pcapgen.p2ptraffic, as the test captures' negatives are) and against tshark's
CLTP heuristic, and drawn again if either would claim it.
"""
import struct

from pcapgen import p2p_pppp as pppp
from pcapgen import p2ptraffic as p2p

from .blocks import addr_in, ephemeral, rbytes
from .wire import BROADCAST_MAC, MS, S, Path, flow, ip4b

LOOKALIKE_PORTS = (p2p.PPPP_SERVER_PORT, p2p.PPPP_LAN_PORT, p2p.KALAY_LAN_PORT, p2p.KALAY_SERVER_PORT, 10001)
PPPP_UNKNOWN_TYPES = [t for t in range(256) if t not in p2p.PPPP_KNOWN_TYPES]
PPPP_KNOWN = sorted(p2p.PPPP_KNOWN_TYPES)
BROADCAST = ip4b("255.255.255.255")


def not_p2p(payload):
    return (not p2p.kalay_claimed(payload) and p2p.pppp_claimed(payload, ("myvendorkey",)) is None
            and not p2p.tshark_trap(payload))


def lookalike(rng, n, near_miss=0.2):
    """An n-byte datagram neither reader claims: random bytes, or (with probability
    near_miss) a near miss of a PPPP or Kalay header."""
    while True:
        body = rbytes(rng, n)
        if rng.random() < near_miss and n >= 16:
            r = rng.randrange(3)
            if r == 0:     # F1 + a type PPPP does not know, right length
                body = bytes([0xF1, rng.choice(PPPP_UNKNOWN_TYPES)]) + struct.pack(">H", n - 4) + body[4:]
            elif r == 1:   # F1 + a known type, wrong length
                body = bytes([0xF1, rng.choice(PPPP_KNOWN)]) + struct.pack(">H", (n + rng.randrange(1, 64)) & 0xFFFF) + body[4:]
            else:          # Kalay's 04 02 + a plausible version, wrong length
                body = b"\x04\x02" + bytes([rng.randrange(0x10, 0x40), 0x02]) + \
                    struct.pack("<H", (n - 16 + rng.randrange(1, 64)) & 0xFFFF) + body[6:]
        if not_p2p(body):
            return body


class P2PLookalikes:
    """Mixed into a Planner (self.dur, self.devs["ppppcam"] answers LAN searches)."""

    def lookalike_login(self, rng, d):
        """Another platform's camera: a login to its server every 20-40 s and a keepalive
        every 5-10 s, on one of the P2P ports, answered."""
        server = addr_in(rng, rng.choice(("47.91", "8.134", "121.40", "39.108")))
        o, i = flow(rng, d, server)
        sport, dport = p2p.free_port(rng), rng.choice(LOOKALIKE_PORTS)
        t = rng.randrange(0, 10 * S)
        next_login = t
        while t < self.dur:
            big = t >= next_login
            yield t, o.udp(sport, dport, lookalike(rng, rng.randrange(40, 100) if big else rng.randrange(16, 28)))
            yield t + rng.randrange(30, 200) * MS, i.udp(dport, sport, lookalike(rng, rng.randrange(20, 60)))
            if big:
                next_login = t + rng.randrange(20, 40) * S
            t += rng.randrange(5, 10) * S

    def lookalike_view(self, rng, d, t, secs):
        """A remote phone's live view of such a camera: bursts of 6-14 datagrams of 700-1200
        bytes every 100-400 ms from the camera's P2P port, small acknowledgements back."""
        client = addr_in(rng, rng.choice(("37.120", "77.20", "176.0")))
        o, i = flow(rng, d, client)
        dport, cport = rng.choice(LOOKALIKE_PORTS), p2p.free_port(rng)
        rtt = rng.randrange(40, 180) * MS
        end = t + secs * S
        while t < end:
            yield t, i.udp(cport, dport, lookalike(rng, rng.randrange(16, 48)))
            tt = t + rtt
            for _ in range(rng.randrange(6, 14)):
                yield tt, o.udp(dport, cport, lookalike(rng, rng.randrange(700, 1200), near_miss=0.05))
                tt += rng.randrange(5, 30) * MS
            t = tt + rng.randrange(50, 300) * MS

    def lan_search(self, rng, phone):
        """A camera app opened on a phone every 10-40 min: for 30 s, every 3 s, PPPP
        LAN_SEARCH to 255.255.255.255:32108 (a PPPP camera answers with PUNCH_PKT), a Kalay
        LAN search to :32761 and a 4-byte discovery to :10001."""
        out = Path(phone.mac, BROADCAST_MAC, phone.ipb, BROADCAST, 64, rng.getrandbits(16))
        cam = self.devs["ppppcam"][0]
        uid, key, _ = self.pppp_cam(0)
        reply, _ = flow(rng, cam, phone.ipb, peer=phone)
        kalay_uid = self.kalay_uid(0)
        t = rng.randrange(0, 600 * S)
        while t < self.dur:
            port, kport, uport = ephemeral(rng), ephemeral(rng), ephemeral(rng)
            for k in range(10):
                tt = t + k * 3 * S
                wire, _ = p2p.pppp_payload("LAN_SEARCH", b"", "")
                yield tt, out.udp(port, p2p.PPPP_LAN_PORT, wire)
                wire, _ = p2p.pppp_payload("PUNCH_PKT", pppp.uid_bytes(uid), key, uid=uid)
                yield tt + rng.randrange(2, 20) * MS, reply.udp(p2p.PPPP_LAN_PORT, port, wire)
                wire = p2p.kalay.connect_by_uid(kalay_uid, rbytes(rng, 8), 1)
                wire, _ = p2p.kalay_payload("lan_search", wire[16:], 0x19, "plain", uid=kalay_uid)
                yield tt + 25 * MS, out.udp(kport, p2p.KALAY_LAN_PORT, wire)
                yield tt + 30 * MS, out.udp(uport, 10001, b"\x01\x00\x00\x00")
            t += rng.randrange(600, 2400) * S
