#!/usr/bin/env python3
"""Generate the flood capture: a million distinct UDP and TCP flows, oddities, state-table churn.

    python3 bench/generate_flood.py --flows 1000000 --out /tmp/flood.pcap [--seed 1] [--hours 2]

The same seed and arguments give a byte-identical file. Standard library only (it reuses
captures/pcapgen's DNS builder and pcap constants); frames are built from byte templates with
arithmetic checksums and streamed in time order through one heap of pending packets, so 1M
flows (~1.4M packets) take well under two minutes and little memory.

Local devices: all of 192.168.0.0/16 (the router is 192.168.0.1), unique-local IPv6 devices
in fd5e:1a2b:3c4d:1::/64 and a few global IPv6 ones (2a01:cb00:7a1c:4e00::/64: the plugin
classifies those as Internet hosts unless they are configured as local networks). Remotes are
random globally routable addresses (IPv4 outside every special-purpose block, IPv6 in
2000::/3 outside 2001::/23 and 2001:db8::/32). Shares of flows (the summary printed at the end
gives the real counts):

  - udp: single datagrams with random payloads (0-64 bytes) to random ports (30%);
    answered datagrams (6%); a 4-tuple resent after 21-120 s of silence, sometimes a third
    time, sometimes answered afterwards (pinholes, 4%); keepalive-like series of 4-6
    same-size datagrams every 25-60 s (heartbeats, 1%); datagrams to port 1 or 0 (sinks,
    some resent after a silence, 2%); empty datagrams (1%);
  - tcp: port scans, one device sending SYNs to 50-1200 ports of one remote, a few answered
    with RST (22%); SYNs from any device to any remote on common ports, some answered with a
    SYN-ACK or RST (15%); SYNs retried 3-4 times over 3-7 s (same or new source port), rarely
    answered (dead clouds, 4%); small data segments without a handshake, either way,
    sometimes ACKed (8%);
  - dns: queries to the router or a public resolver and responses with 1-4 A records of
    random remotes (3%); some later flows go to those addresses.

Besides the flows (not counted as flows), per 100 flows: 2 fragmented IPv4 UDP datagrams
(complete in or out of order, overlapping, duplicated, missing the first, a middle or the last
fragment), 1.5 truncated frames (capture length below the wire length, cut inside the IPv4,
IPv6, TCP or UDP header; or an IPv4 total length beyond the frame) and 0.5 malformed headers
(IHL below 5 or beyond the packet, IP version 0/6/7 under the IPv4 EtherType, version 4 under
the IPv6 one, UDP length 0 or beyond the datagram, TCP data offset below 5).

A flow is a distinct (protocol, addresses, ports) tuple; the file holds at least --flows of
them. Flow starts are spread evenly over --hours (default 2); each packet's timestamp is at or
after the previous one's.
"""
import argparse
import bisect
import heapq
import os
import random
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "captures"))

from pcapgen import dns  # noqa: E402
from pcapgen.pcap_writer import GLOBAL_HEADER, LINKTYPE_ETHERNET, MAGIC, RECORD_HEADER, SNAPLEN  # noqa: E402

S, MS = 1_000_000, 1000
M32 = 0xFFFFFFFF
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
START_US = 1_780_000_000 * S     # 2026-05-28 20:26:40 UTC

_IP4 = struct.Struct("!BBHHHBBH4s4s")
_IP6 = struct.Struct("!IHBB16s16s")
_TCP = struct.Struct("!HHIIBBHHH")
_UDP = struct.Struct("!HHHH")
SYN_OPTS = struct.pack("!BBH", 2, 4, 1460) + b"\x01\x01\x04\x02" + b"\x01\x03\x03\x07"

ROUTER_MAC = bytes.fromhex("e48d8c1a2b01")
ROUTER_IP = bytes([192, 168, 0, 1])
PUBLIC_DNS = [bytes([1, 1, 1, 1]), bytes([8, 8, 8, 8]), bytes([9, 9, 9, 9]), bytes([149, 112, 112, 112])]
ET4, ET6 = b"\x08\x00", b"\x86\xdd"
POOL = random.Random(0x5EED5EED).randbytes(1 << 20)

TCP_PORTS = (443, 443, 443, 80, 80, 8883, 1883, 8080, 8443, 22, 23, 554, 5683, 7547, 2323, 5222, 3478, 9000)
UDP_PORTS = (443, 123, 3478, 5683, 10240, 32100, 19302, 4500, 500, 1194, 51820, 8001, 6881, 27015)
VENDORS = ("tuyaeu.com", "iot.eu-west-1.amazonaws.com", "xiaomi.net", "meethue.com", "ezvizlife.com",
           "hik-connect.com", "tplinkcloud.com", "ring.com", "wyzecam.com", "dahuap2p.com", "googleapis.com",
           "roborock.com", "sonos.com", "ecovacs.com", "ewelink.cc")


def cksum(v):
    """The Internet checksum of data whose big-endian integer value is `v` (even length)."""
    s = v % 0xFFFF
    return 0xFFFF - s if s else 0


def remote4(rng):
    """A random globally routable IPv4 address (none of the special-purpose blocks)."""
    while True:
        v = rng.getrandbits(32)
        a = v >> 24
        if a == 0 or a == 10 or a == 127 or a >= 224:
            continue
        if a == 100 and (v >> 22) == (0x64400000 >> 22):
            continue
        if a == 169 and (v >> 16) == 0xA9FE:
            continue
        if a == 172 and (v >> 20) == (0xAC100000 >> 20):
            continue
        if a == 192 and ((v >> 16) == 0xC0A8 or (v >> 8) == 0xC00000 or (v >> 8) == 0xC00002):
            continue
        if a == 198 and ((v >> 17) == (0xC6120000 >> 17) or (v >> 8) == 0xC63364):
            continue
        if a == 203 and (v >> 8) == 0xCB0071:
            continue
        return v.to_bytes(4, "big")


V6_REMOTE_PREFIXES = (0x2400, 0x2403, 0x2600, 0x2604, 0x2606, 0x2800, 0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2c0f)


def remote6(rng):
    return (rng.choice(V6_REMOTE_PREFIXES) << 112 | rng.getrandbits(112)).to_bytes(16, "big")


class Device:
    __slots__ = ("ip", "mac", "v6", "out", "inn")

    def __init__(self, ip, mac):
        self.ip, self.mac, self.v6 = ip, mac, len(ip) == 16
        et = ET6 if self.v6 else ET4
        self.out = ROUTER_MAC + mac + et   # device -> router: destination MAC first
        self.inn = mac + ROUTER_MAC + et


# -- frame builders (eth: the 14-byte link header) -----------------------------------------------------
def ip4(eth, src, dst, proto, l4, ident, ttl=64, frag=0x4000):
    h = _IP4.pack(0x45, 0, 20 + len(l4), ident, frag, ttl, proto, 0, src, dst)
    f = eth + h[:10] + cksum(int.from_bytes(h, "big")).to_bytes(2, "big") + h[12:] + l4
    return f if len(f) >= 60 else f + bytes(60 - len(f))


def ip6(eth, src, dst, proto, l4, hlim=64):
    f = eth + _IP6.pack(0x60000000, len(l4), proto, hlim, src, dst) + l4
    return f if len(f) >= 60 else f + bytes(60 - len(f))


def udp_seg(src, dst, sport, dport, payload):
    n = 8 + len(payload)
    seg = _UDP.pack(sport, dport, n, 0) + payload
    v = int.from_bytes(seg, "big")
    if n & 1:
        v <<= 8
    s = (int.from_bytes(src + dst, "big") + 17 + n + v) % 0xFFFF
    return seg[:6] + (0xFFFF - s).to_bytes(2, "big") + seg[8:]


def tcp_seg(src, dst, sport, dport, seq, ack, flags, win, payload=b"", opts=b""):
    seg = _TCP.pack(sport, dport, seq & M32, ack & M32, (20 + len(opts)) << 2, flags, win, 0, 0) + opts + payload
    n = len(seg)
    v = int.from_bytes(seg, "big")
    if n & 1:
        v <<= 8
    return seg[:16] + cksum(int.from_bytes(src + dst, "big") + 6 + n + v).to_bytes(2, "big") + seg[18:]


def frame(eth, src, dst, proto, l4, ident, ttl):
    if len(src) == 16:
        return ip6(eth, src, dst, proto, l4, ttl)
    return ip4(eth, src, dst, proto, l4, ident, ttl)


class Flood:
    def __init__(self, seed, flows, hours):
        self.rng = rng = random.Random(seed)
        self.n = flows
        self.dur = int(hours * 3600 * S)
        self.heap = []
        self.seq = 0
        self.flows = 0
        self.counts = {}        # category -> (activities, flows)
        self.recent = []        # addresses from DNS answers, reused as remotes
        nv4 = min(65533, max(16, flows // 15))
        nula = min(4000, max(4, flows // 300))
        ngua = 8
        self.v4 = [Device(bytes([192, 168, k >> 8, k & 255]), b"\x02\x00\xc0\xa8" + bytes([k >> 8, k & 255]))
                   for k in range(2, 2 + nv4)]
        self.ula = [Device(bytes.fromhex("fd5e1a2b3c4d0001") + rng.getrandbits(64).to_bytes(8, "big"),
                           b"\x02\x06" + k.to_bytes(4, "big")) for k in range(nula)]
        self.gua = [Device(bytes.fromhex("2a01cb007a1c4e00") + rng.getrandbits(64).to_bytes(8, "big"),
                           b"\x02\x07" + k.to_bytes(4, "big")) for k in range(ngua)]
        self.ndevices = nv4 + nula + ngua
        # (name, activities per 100 flows, handler); a port scan makes ~625 flows on average.
        table = [
            ("udp_single", 30, self.udp_single), ("udp_answered", 6, self.udp_answered),
            ("udp_pinhole", 4, self.udp_pinhole), ("udp_keepalive", 1, self.udp_keepalive),
            ("udp_sink", 2, self.udp_sink), ("udp_empty", 1, self.udp_empty),
            ("tcp_scan", 22 / 625, self.tcp_scan), ("tcp_syn", 15, self.tcp_syn),
            ("tcp_dead", 4 / 1.5, self.tcp_dead), ("tcp_data", 8, self.tcp_data), ("dns", 3, self.dns),
            ("ip_fragments", 2, self.fragments), ("truncated", 1.5, self.truncated), ("malformed", 0.5, self.malformed),
        ]
        self.names = [t[0] for t in table]
        self.handlers = [t[2] for t in table]
        acc, self.cum = 0.0, []
        for _, w, _ in table:
            acc += w
            self.cum.append(acc)
        # Activities per flow: spaces flow starts so that N flows span the capture.
        self.step = self.dur / flows

    # -- helpers ------------------------------------------------------------------------------------------
    def push(self, t, f, wire=0):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, f, wire or len(f)))

    def device(self):
        r = self.rng.random()
        if r < 0.96:
            return self.v4[int(r / 0.96 * len(self.v4))]
        if r < 0.995:
            return self.rng.choice(self.ula)
        return self.rng.choice(self.gua)

    def remote(self, d):
        rng = self.rng
        if d.v6:
            return remote6(rng)
        if self.recent and rng.random() < 0.15:
            return rng.choice(self.recent)
        return remote4(rng)

    def payload(self, lo=0, hi=64):
        n = self.rng.randint(lo, hi)
        o = self.rng.randrange(len(POOL) - n)
        return POOL[o:o + n]

    def udp(self, t, d, rem, sport, dport, payload, inbound=False, ttl=64):
        rng = self.rng
        if inbound:
            f = frame(d.inn, rem, d.ip, 17, udp_seg(rem, d.ip, dport, sport, payload), rng.getrandbits(16),
                      44 + rem[-1] % 16)
        else:
            f = frame(d.out, d.ip, rem, 17, udp_seg(d.ip, rem, sport, dport, payload), rng.getrandbits(16), ttl)
        self.push(t, f)

    def tcp(self, t, d, rem, sport, dport, seq, ack, flags, payload=b"", inbound=False, opts=b""):
        rng = self.rng
        if inbound:
            f = frame(d.inn, rem, d.ip, 6, tcp_seg(rem, d.ip, dport, sport, seq, ack, flags,
                                                  65160 if flags & SYN else 501, payload, opts),
                      rng.getrandbits(16), 44 + rem[-1] % 16)
        else:
            f = frame(d.out, d.ip, rem, 6, tcp_seg(d.ip, rem, sport, dport, seq, ack, flags,
                                                  64240 if flags & SYN else 1024, payload, opts),
                      rng.getrandbits(16), 64)
        self.push(t, f)

    def eport(self):
        return self.rng.randrange(32768, 65536)

    # -- UDP --------------------------------------------------------------------------------------------------
    def udp_single(self, t):
        d = self.device()
        rng = self.rng
        dport = rng.choice(UDP_PORTS) if rng.random() < 0.3 else rng.randrange(1024, 65536)
        self.udp(t, d, self.remote(d), self.eport(), dport, self.payload())
        return 1

    def udp_answered(self, t):
        d = self.device()
        rem, sport, dport = self.remote(d), self.eport(), self.rng.choice(UDP_PORTS)
        self.udp(t, d, rem, sport, dport, self.payload(1))
        self.udp(t + self.rng.randrange(5, 200) * MS, d, rem, sport, dport, self.payload(1), inbound=True)
        return 1

    def udp_pinhole(self, t):
        rng = self.rng
        d = self.device()
        rem, sport, dport = self.remote(d), self.eport(), rng.randrange(1024, 65536)
        self.udp(t, d, rem, sport, dport, self.payload(1))
        t += rng.randrange(21, 121) * S + rng.randrange(S)
        self.udp(t, d, rem, sport, dport, self.payload(1))
        if rng.random() < 0.5:
            t += rng.randrange(21, 91) * S + rng.randrange(S)
            self.udp(t, d, rem, sport, dport, self.payload(1))
        if rng.random() < 0.15:
            self.udp(t + rng.randrange(10, 300) * MS, d, rem, sport, dport, self.payload(1), inbound=True)
        return 1

    def udp_keepalive(self, t):
        rng = self.rng
        d = self.device()
        rem, sport, dport = self.remote(d), self.eport(), rng.choice(UDP_PORTS)
        period = rng.choice((25, 30, 45, 60)) * S
        p = self.payload(8, 48)
        for _ in range(rng.randrange(4, 7)):
            self.udp(t, d, rem, sport, dport, p)
            t += period + rng.randrange(-period // 100, period // 100)
        return 1

    def udp_sink(self, t):
        rng = self.rng
        d = self.device()
        rem, sport, dport = self.remote(d), self.eport(), 1 if rng.random() < 0.9 else 0
        for _ in range(rng.randrange(1, 3)):
            self.udp(t, d, rem, sport, dport, self.payload(1))
            t += rng.randrange(20, 300) * MS
        if rng.random() < 0.4:
            self.udp(t + rng.randrange(21, 120) * S, d, rem, sport, dport, self.payload(1))
        return 1

    def udp_empty(self, t):
        d = self.device()
        self.udp(t, d, self.remote(d), self.eport(), self.rng.randrange(1, 65536), b"")
        return 1

    # -- TCP -----------------------------------------------------------------------------------------------
    def tcp_scan(self, t):
        rng = self.rng
        d = self.device()
        rem = remote6(rng) if d.v6 else remote4(rng)
        nports = rng.randrange(50, 1201)
        if rng.random() < 0.5:
            first = rng.randrange(0, 65536 - nports)
            ports = range(first, first + nports)
        else:
            ports = rng.sample(range(65536), nports)
        sport = self.eport()
        gap = rng.randrange(200, 3000)   # microseconds between SYNs
        for port in ports:
            seq = rng.getrandbits(32)
            self.tcp(t, d, rem, sport, port, seq, 0, SYN, opts=b"\x02\x04\x05\xb4")
            if rng.random() < 0.08:
                self.tcp(t + rng.randrange(10, 150) * MS, d, rem, sport, port, 0, seq + 1, RST | ACK, inbound=True)
            t += gap
        return nports

    def tcp_syn(self, t):
        rng = self.rng
        d = self.device()
        rem, sport, dport = self.remote(d), self.eport(), rng.choice(TCP_PORTS)
        seq, r = rng.getrandbits(32), rng.random()
        self.tcp(t, d, rem, sport, dport, seq, 0, SYN, opts=SYN_OPTS)
        rtt = rng.randrange(10, 250) * MS
        if r < 0.15:
            self.tcp(t + rtt, d, rem, sport, dport, rng.getrandbits(32), seq + 1, SYN | ACK, inbound=True,
                     opts=b"\x02\x04\x05\xb4")
        elif r < 0.25:
            self.tcp(t + rtt, d, rem, sport, dport, 0, seq + 1, RST | ACK, inbound=True)
        elif r < 0.30:
            self.tcp(t + rng.randrange(200, 900) * MS, d, rem, sport, dport, seq, 0, SYN, opts=SYN_OPTS)
        return 1

    def tcp_dead(self, t):
        rng = self.rng
        d = self.device()
        rem, dport = self.remote(d), rng.choice(TCP_PORTS)
        new_ports = rng.random() < 0.25
        sport, seq = self.eport(), rng.getrandbits(32)
        offsets = (0, 1, 3, 7) if rng.random() < 0.5 else (0, 1, 3)
        flows = 0
        for off in offsets:
            if new_ports or not flows:
                sport, seq = self.eport(), rng.getrandbits(32)
                flows += 1
            self.tcp(t + off * S + rng.randrange(3 * MS), d, rem, sport, dport, seq, 0, SYN, opts=SYN_OPTS)
        if rng.random() < 0.1:
            self.tcp(t + offsets[-1] * S + 80 * MS, d, rem, sport, dport, 0, seq + 1, RST | ACK, inbound=True)
        return flows

    def tcp_data(self, t):
        rng = self.rng
        d = self.device()
        rem, sport, dport = self.remote(d), self.eport(), rng.choice(TCP_PORTS)
        a, b = rng.getrandbits(32), rng.getrandbits(32)
        p = self.payload(1)
        inbound = rng.random() < 0.3
        if inbound:
            self.tcp(t, d, rem, sport, dport, b, a, ACK | PSH, p, inbound=True)
            if rng.random() < 0.3:
                self.tcp(t + 40 * MS, d, rem, sport, dport, a, b + len(p), ACK)
        else:
            self.tcp(t, d, rem, sport, dport, a, b, ACK | PSH, p)
            if rng.random() < 0.3:
                self.tcp(t + rng.randrange(10, 200) * MS, d, rem, sport, dport, b, a + len(p), ACK, inbound=True)
        return 1

    # -- DNS ---------------------------------------------------------------------------------------------
    def dns(self, t):
        rng = self.rng
        d = self.v4[rng.randrange(len(self.v4))]
        name = "%s%x.%s" % (rng.choice(("a", "api-", "mqtt-", "d", "log.", "cdn-")), rng.getrandbits(32),
                            rng.choice(VENDORS))
        addrs = [remote4(rng) for _ in range(rng.randrange(1, 5))]
        qid, sport = rng.getrandbits(16), self.eport()
        q, r = dns.query(qid, name), dns.response(qid, name, dns.TYPE_A, addrs, ttl=rng.choice((60, 300, 3600)))
        rtt = rng.randrange(1, 40) * MS
        if rng.random() < 0.6:
            out = d.mac + ROUTER_MAC + ET4
            self.push(t, ip4(ROUTER_MAC + d.mac + ET4, d.ip, ROUTER_IP, 17, udp_seg(d.ip, ROUTER_IP, sport, 53, q),
                             rng.getrandbits(16)))
            self.push(t + rtt, ip4(out, ROUTER_IP, d.ip, 17, udp_seg(ROUTER_IP, d.ip, 53, sport, r),
                                   rng.getrandbits(16)))
        else:
            res = rng.choice(PUBLIC_DNS)
            self.udp(t, d, res, sport, 53, q)
            self.udp(t + rtt + 10 * MS, d, res, sport, 53, r, inbound=True)
        rec = self.recent
        for a in addrs:
            if len(rec) < 4096:
                rec.append(a)
            else:
                rec[rng.randrange(4096)] = a
        return 1

    # -- oddities (not counted as flows) -------------------------------------------------------------------------
    def fragments(self, t):
        """An IPv4 UDP datagram cut into 16-byte fragments, delivered in one of several ways."""
        rng = self.rng
        d = self.v4[rng.randrange(len(self.v4))]
        rem, ident = remote4(rng), rng.getrandbits(16)
        seg = udp_seg(d.ip, rem, self.eport(), rng.randrange(1024, 65536), self.payload(24, 64))
        pieces = [(off, seg[off:off + 16]) for off in range(0, len(seg), 16)]
        way = rng.randrange(7)
        if way == 1:
            pieces.reverse()                                         # out of order
        elif way == 2:
            pieces.insert(1, (8, self.payload(16, 16)))              # overlaps the first two
        elif way == 3:
            pieces.insert(1, pieces[0])                              # duplicate
        elif way == 4:
            pieces = pieces[1:]                                      # first missing
        elif way == 5:
            pieces = pieces[:-1]                                     # last missing
        elif way == 6 and len(pieces) > 2:
            del pieces[len(pieces) // 2]                             # a middle one missing
        last = len(seg)
        for off, data in pieces:
            mf = 0x2000 if off + len(data) < last else 0
            self.push(t, ip4(d.out, d.ip, rem, 17, data, ident, 64, mf | (off >> 3)))
            t += rng.randrange(50, 2000)
        return 0

    def truncated(self, t):
        """A frame captured short (cut inside a header), or an IPv4 total length beyond the frame."""
        rng = self.rng
        d = self.device()
        rem = self.remote(d)
        p = self.payload(0, 64)
        tcp = rng.random() < 0.5
        if tcp:
            l4 = tcp_seg(d.ip, rem, self.eport(), rng.choice(TCP_PORTS), rng.getrandbits(32), rng.getrandbits(32),
                         ACK | PSH, 1024, p)
        else:
            l4 = udp_seg(d.ip, rem, self.eport(), rng.choice(UDP_PORTS), p)
        f = frame(d.out, d.ip, rem, 6 if tcp else 17, l4, rng.getrandbits(16), 64)
        iplen = 40 if d.v6 else 20
        where = rng.randrange(4)
        if where == 0:                                   # inside the IP header
            cut = 14 + rng.randrange(1, iplen)
        elif where == 1:                                 # inside the TCP/UDP header
            cut = 14 + iplen + rng.randrange(1, 20 if tcp else 8)
        elif where == 2 and p:                           # inside the payload
            cut = 14 + iplen + (20 if tcp else 8) + rng.randrange(0, len(p))
        elif not d.v6:                                   # not cut, but IPv4 claims more bytes
            f = bytearray(f)
            f[16:18] = (len(f) - 14 + rng.randrange(1, 400)).to_bytes(2, "big")
            self.push(t, bytes(f))
            return 0
        else:
            cut = 14 + rng.randrange(1, iplen)
        self.push(t, f[:cut], len(f))
        return 0

    def malformed(self, t):
        rng = self.rng
        d = self.v4[rng.randrange(len(self.v4))]
        rem = remote4(rng)
        p = self.payload(0, 32)
        kind = rng.randrange(8)
        l4 = udp_seg(d.ip, rem, self.eport(), rng.randrange(1024, 65536), p)
        f = bytearray(ip4(d.out, d.ip, rem, 17, l4, rng.getrandbits(16)))
        if kind == 0:
            f[14] = 0x40 | rng.randrange(5)                      # IHL 0-4
        elif kind == 1:
            f[14] = 0x4F                                         # IHL 15: 60 bytes of header
        elif kind == 2:
            f[14] = rng.choice((0x05, 0x65, 0x75))               # version 0, 6, 7
        elif kind == 3:
            f[12:14] = ET6                                       # an IPv4 packet under the IPv6 EtherType
        elif kind == 4:
            f[38:40] = b"\x00\x00"                               # UDP length 0
        elif kind == 5:
            f[38:40] = (len(l4) + rng.randrange(1, 200)).to_bytes(2, "big")  # UDP length beyond the datagram
        elif kind == 6:
            f[16:18] = rng.randrange(0, 20).to_bytes(2, "big")   # IPv4 total length below the header
        else:
            l4 = tcp_seg(d.ip, rem, self.eport(), 443, rng.getrandbits(32), 0, SYN, 64240)
            f = bytearray(ip4(d.out, d.ip, rem, 6, l4, rng.getrandbits(16)))
            f[46] = rng.randrange(5) << 4                        # TCP data offset below 5
        self.push(t, bytes(f))
        return 0

    # -- output ----------------------------------------------------------------------------------------
    def write(self, path):
        rng, heap, cum, handlers, names = self.rng, self.heap, self.cum, self.handlers, self.names
        counts = {n: [0, 0] for n in names}
        total = cum[-1]
        rec = RECORD_HEADER.pack
        pop = heapq.heappop
        npk = nbytes = 0
        last = now = 0
        with open(path, "wb", buffering=1 << 22) as f:
            w = f.write
            w(GLOBAL_HEADER.pack(MAGIC, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET))

            def flush(upto):
                nonlocal npk, nbytes, last
                while heap and heap[0][0] <= upto:
                    t, _, fr, wire = pop(heap)
                    if t < last:
                        raise AssertionError("time went backwards")
                    last = t
                    sec, usec = divmod(START_US + t, S)
                    w(rec(sec, usec, len(fr), wire))
                    w(fr)
                    npk += 1
                    nbytes += len(fr)

            while self.flows < self.n:
                now = max(now, int(self.flows * self.step + rng.random() * self.step))
                flush(now)
                k = bisect.bisect_left(cum, rng.random() * total)
                made = handlers[k](now)
                self.flows += made
                c = counts[names[k]]
                c[0] += 1
                c[1] += made
            flush(1 << 62)
        self.counts = counts
        return npk, nbytes, last


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--flows", type=int, default=1_000_000, help="distinct flows, at least (default 1000000)")
    ap.add_argument("--hours", type=float, default=2.0, help="capture time the flow starts span (default 2)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="phonehome-flood.pcap")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.flows < 1 or a.hours <= 0:
        ap.error("--flows and --hours must be positive")
    t0 = time.time()
    g = Flood(a.seed, a.flows, a.hours)
    n, nbytes, last = g.write(a.out)
    if not a.quiet:
        print("%s: %d packets, %d flows, %.1f MB of frames, %.2f h, %d local devices, seed %d, %.1f s"
              % (a.out, n, g.flows, nbytes / 1e6, last / 3600 / S, g.ndevices, a.seed, time.time() - t0))
        print("  %-14s %10s %10s" % ("activity", "count", "flows"))
        for name in g.names:
            acts, flows = g.counts[name]
            print("  %-14s %10d %10d" % (name, acts, flows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
