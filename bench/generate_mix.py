#!/usr/bin/env python3
"""Generate the benchmark capture: a reproducible home network, hours of traffic, >= 1M packets.

    python3 bench/generate_mix.py --packets 1000000 --out /tmp/phonehome-mix.pcap [--seed 1] [--hours 3]

The same seed and arguments give a byte-identical file. Standard library only; it reuses the
payload builders of captures/pcapgen (DNS, NTP, TLS, MQTT, Kalay, PPPP) but builds frames
itself, from per-flow templates (link header, addresses, pseudo-header sum precomputed once),
with checksums computed arithmetically, and streams the pcap sorted by a k-way merge of the
per-activity generators, so 1M packets take well under a minute and little memory.

The mix (packet shares are targets; the summary printed at the end gives the real ones):
  - video (~52%): TVs, streamers, phones, tablets, a console fetch 4-s DASH segments over
    TLS/TCP 443 from CDN addresses (1-4 Mbit/s), each segment a burst of MSS-sized segments
    carrying 16 KB TLS records, delayed ACKs;
  - web (~24%): phones, laptops, tablets: DNS lookup, TCP handshake, TLS 1.3 ClientHello with
    SNI, request/response exchanges of lognormal sizes, FIN;
  - camera clip uploads (~5%) and a NAS cloud backup: TLS/TCP uploads;
  - SMB2 between the laptops and the NAS (~3%), LAN chatter: ARP, mDNS (IPv4 and IPv6),
    SSDP, SMB2 echo;
  - DNS for every session, NTP from every device;
  - keepalives: MQTT on 1883 (CONNECT, PINGREQ/PINGRESP) and MQTT over TLS on 8883, TLS
    keepalives on 443 (vacuum, speakers, hubs), a dead MQTT broker (unanswered SYNs);
  - P2P: two ThroughTek Kalay cameras (scrambled logins every ~40 s, live-view sessions with
    a remote phone), two CS2 PPPP cameras (HELLO/DEV_LGN, DRW live-view sessions);
  - a doorbell's bursts of RTP-like datagrams to port 1 of a cloud address (sinks, pinholes).
"""
import argparse
import heapq
import ipaddress
import math
import os
import random
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "captures"))

from pcapgen import dns  # noqa: E402
from pcapgen import ntp  # noqa: E402
from pcapgen import payloads as pl  # noqa: E402
from pcapgen import heartbeat as hb  # noqa: E402
from pcapgen import p2p_pppp as pppp  # noqa: E402
from pcapgen import p2ptraffic as p2p  # noqa: E402
from pcapgen.pcap_writer import GLOBAL_HEADER, LINKTYPE_ETHERNET, MAGIC, RECORD_HEADER, SNAPLEN  # noqa: E402

S, MS = 1_000_000, 1000
M32 = 0xFFFFFFFF
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MSS = 1448                      # with timestamps off and a 1500-byte MTU minus options slack
START_US = 1_717_236_000 * S    # 2024-06-01 10:00 UTC

_IP4 = struct.Struct("!BBHHHBBH4s4s")
_IP6 = struct.Struct("!IHBB16s16s")
_TCP = struct.Struct("!HHIIBBHHH")
_UDP = struct.Struct("!HHHH")
SYN_OPTS = struct.pack("!BBH", 2, 4, 1460) + b"\x01\x01\x04\x02" + b"\x01\x03\x03\x07"
SYNACK_OPTS = struct.pack("!BBH", 2, 4, 1460) + b"\x01\x01\x04\x02" + b"\x01\x03\x03\x09"


def ip4b(text):
    return bytes(int(x) for x in text.split("."))


def macb(text):
    return bytes.fromhex(text.replace(":", ""))


# -- frames from templates ---------------------------------------------------------------------
class Path:
    """One direction of a flow between two IPv4 addresses: the Ethernet header, the addresses,
    the pseudo-header sum and the IP identification counter, computed once."""
    __slots__ = ("eth", "src", "dst", "ttl", "ident", "psum")

    def __init__(self, smac, dmac, src, dst, ttl, ident):
        self.eth = dmac + smac + b"\x08\x00"
        self.src, self.dst, self.ttl, self.ident = src, dst, ttl, ident
        self.psum = int.from_bytes(src + dst, "big")

    def ip(self, proto, l4):
        self.ident = (self.ident + 1) & 0xFFFF
        h = _IP4.pack(0x45, 0, 20 + len(l4), self.ident, 0x4000, self.ttl, proto, 0, self.src, self.dst)
        s = int.from_bytes(h, "big") % 0xFFFF
        f = self.eth + h[:10] + (0xFFFF - s if s else 0).to_bytes(2, "big") + h[12:] + l4
        return f if len(f) >= 60 else f + bytes(60 - len(f))

    def tcp(self, sport, dport, seq, ack, flags, win, payload=b"", opts=b""):
        seg = _TCP.pack(sport, dport, seq & M32, ack & M32, (20 + len(opts)) << 2, flags, win, 0, 0) + opts + payload
        n = len(seg)
        v = int.from_bytes(seg, "big")
        if n & 1:
            v <<= 8
        s = (self.psum + 6 + n + v) % 0xFFFF
        return self.ip(6, seg[:16] + (0xFFFF - s if s else 0).to_bytes(2, "big") + seg[18:])

    def udp(self, sport, dport, payload):
        n = 8 + len(payload)
        seg = _UDP.pack(sport, dport, n, 0) + payload
        v = int.from_bytes(seg, "big")
        if n & 1:
            v <<= 8
        s = (self.psum + 17 + n + v) % 0xFFFF
        return self.ip(17, seg[:6] + (0xFFFF - s).to_bytes(2, "big") + seg[8:])


class Path6(Path):
    """The same for IPv6 (no extension headers)."""
    __slots__ = ()

    def __init__(self, smac, dmac, src, dst, ttl, ident=0):
        super().__init__(smac, dmac, src, dst, ttl, ident)
        self.eth = dmac + smac + b"\x86\xdd"

    def ip(self, proto, l4):
        f = self.eth + _IP6.pack(6 << 28, len(l4), proto, self.ttl, self.src, self.dst) + l4
        return f if len(f) >= 60 else f + bytes(60 - len(f))


class Host:
    def __init__(self, name, kind, ip, mac, ip6=None):
        self.name, self.kind = name, kind
        self.ip, self.ipb, self.mac = ip, ip4b(ip), macb(mac)
        self.ip6 = ipaddress.IPv6Address(ip6).packed if ip6 else None
        self.ll6 = None


ROUTER = Host("router", "router", "192.168.1.1", "e4:8d:8c:1a:2b:01")


def flow(rng, dev, remote_ip, peer=None):
    """(outbound path, inbound path) between a device and a remote (via the router) or a LAN peer."""
    rb = ip4b(remote_ip) if isinstance(remote_ip, str) else remote_ip
    if peer is not None:
        return (Path(dev.mac, peer.mac, dev.ipb, rb, 64, rng.getrandbits(16)),
                Path(peer.mac, dev.mac, rb, dev.ipb, 64, rng.getrandbits(16)))
    ttl = 44 + sum(rb) % 16
    return (Path(dev.mac, ROUTER.mac, dev.ipb, rb, 64, rng.getrandbits(16)),
            Path(ROUTER.mac, dev.mac, rb, dev.ipb, ttl, rng.getrandbits(16)))


class Tcp:
    """A TCP connection's state; c()/s() return the next client/server segment's frame."""
    __slots__ = ("o", "i", "cp", "sp", "cseq", "sseq", "cwin", "swin")

    def __init__(self, rng, paths, cport, sport):
        self.o, self.i = paths
        self.cp, self.sp = cport, sport
        self.cseq, self.sseq = rng.getrandbits(32), rng.getrandbits(32)
        self.cwin, self.swin = rng.choice((502, 1024, 2052)), rng.choice((83, 235, 501))

    def c(self, flags, payload=b"", opts=b""):
        f = self.o.tcp(self.cp, self.sp, self.cseq, self.sseq if flags & ACK else 0, flags,
                       64240 if flags & SYN else self.cwin, payload, opts)
        self.cseq += len(payload) + (1 if flags & (SYN | FIN) else 0)
        return f

    def s(self, flags, payload=b"", opts=b""):
        f = self.i.tcp(self.sp, self.cp, self.sseq, self.cseq, flags,
                       65160 if flags & SYN else self.swin, payload, opts)
        self.sseq += len(payload) + (1 if flags & (SYN | FIN) else 0)
        return f


# -- payload material ----------------------------------------------------------------------------
POOL = random.Random(0x9E3779B9).randbytes(1 << 20)


def rbytes(rng, n):
    o = rng.randrange(len(POOL) - n)
    return POOL[o:o + n]


def tls_records(rng, n, rec=16408, version=b"\x17\x03\x03"):
    """`n` bytes of TLS application_data records (full records of `rec` bytes of ciphertext)."""
    out, left = [], n
    while left > 0:
        body = min(rec, left - 5)
        if body < 17:
            body = 17
        out.append(version + body.to_bytes(2, "big") + rbytes(rng, body))
        left -= body + 5
    return b"".join(out)


def ephemeral(rng):
    return rng.randrange(49152, 65536)


# -- building blocks (generators of (ts, frame)) ----------------------------------------------------
def handshake(t, tcp, rtt):
    yield t, tcp.c(SYN, opts=SYN_OPTS)
    yield t + rtt, tcp.s(SYN | ACK, opts=SYNACK_OPTS)
    yield t + rtt + 60, tcp.c(ACK)


def down(t, tcp, data, rate, ack_delay=40):
    """Server -> client bulk at `rate` bytes/us: MSS segments, the client ACKs every second."""
    n = len(data)
    gap = max(int(MSS / rate), ack_delay + 20)
    k = 0
    for off in range(0, n, MSS):
        last = off + MSS >= n
        yield t, tcp.s(ACK | PSH if last else ACK, data[off:off + MSS])
        k += 1
        if k & 1 == 0 or last:
            yield t + ack_delay, tcp.c(ACK)
        t += gap
    return t


def up(t, tcp, data, rate, rtt):
    """Client -> server bulk: MSS segments, the server's ACKs (every second) arrive rtt later;
    emitted in time order by holding the pending ACK times."""
    n = len(data)
    gap = max(int(MSS / rate), 30)
    pending = []
    k = 0
    for off in range(0, n, MSS):
        while pending and pending[0] <= t:
            yield pending.pop(0), tcp.s(ACK)
        last = off + MSS >= n
        yield t, tcp.c(ACK | PSH if last else ACK, data[off:off + MSS])
        k += 1
        if k & 1 == 0 or last:
            pending.append(t + rtt)
        t += gap
    for ta in pending:
        yield ta, tcp.s(ACK)
    return pending[-1] if pending else t


def close(t, tcp, rtt, from_client=True):
    if from_client:
        yield t, tcp.c(FIN | ACK)
        yield t + rtt, tcp.s(FIN | ACK)
        yield t + rtt + 50, tcp.c(ACK)
    else:
        yield t, tcp.s(FIN | ACK)
        yield t + 50, tcp.c(FIN | ACK)
        yield t + rtt + 50, tcp.s(ACK)


def dns_lookup(rng, t, dev, resolver, name, addrs, qtype=dns.TYPE_A):
    """Query and answer; the resolver is the router (LAN) or a public resolver."""
    if resolver == ROUTER.ip:
        o, i = flow(rng, dev, ROUTER.ipb, peer=ROUTER)
        rtt = rng.randrange(1, 40) * MS
    else:
        o, i = flow(rng, dev, resolver)
        rtt = rng.randrange(8, 35) * MS
    qid, port = rng.getrandbits(16), ephemeral(rng)
    yield t, o.udp(port, 53, dns.query(qid, name, qtype))
    yield t + rtt, i.udp(53, port, dns.response(qid, name, qtype, addrs, ttl=rng.choice((60, 300, 3600))))
    return t + rtt


def tls_open(rng, t, tcp, rtt, sni):
    """Handshake, TLS 1.3 ClientHello / ServerHello+CCS+encrypted flight, client Finished."""
    yield from handshake(t, tcp, rtt)
    t += rtt + 200
    ch = pl.tls_client_hello(rng, sni)
    yield t, tcp.c(ACK | PSH, ch)
    t += rtt
    flight = pl.tls_server_hello(rng, ch) + tls_records(rng, rng.randrange(2500, 5200))
    t = yield from down(t, tcp, flight, 6.0)
    yield t + 300, tcp.c(ACK | PSH, pl.tls_change_cipher_spec() + tls_records(rng, 74))
    return t + 300


# -- service catalogue ---------------------------------------------------------------------------
def addr_in(rng, prefix16):
    return "%s.%d.%d" % (prefix16, rng.randrange(256), rng.randrange(1, 255))


CDN = [("rr%d---sn-%s.googlevideo.com", "173.194"), ("ipv4-c%03d-fra002-ix.1.oca.nflxvideo.net", "45.57"),
       ("video-edge-%03d.fra05.abs.hls.ttvnw.net", "185.42"), ("vod-adaptive-%03d.akamaized.net", "23.55"),
       ("dash-%03d.cdn.dazn.com", "151.101"), ("media%03d.dssott.com", "104.18")]
WEB = [("www.google.com", "142.250"), ("www.wikipedia.org", "185.15"), ("www.bbc.co.uk", "151.101"),
       ("github.com", "140.82"), ("www.amazon.de", "52.94"), ("www.reddit.com", "151.101"),
       ("news.ycombinator.com", "209.216"), ("api.spotify.com", "35.186"), ("graph.facebook.com", "157.240"),
       ("www.instagram.com", "157.240"), ("login.microsoftonline.com", "20.190"), ("outlook.office.com", "52.97"),
       ("www.lemonde.fr", "151.101"), ("cdn.jsdelivr.net", "104.16"), ("fonts.gstatic.com", "142.250"),
       ("www.ebay.de", "23.35"), ("duckduckgo.com", "40.114"), ("www.theguardian.com", "151.101"),
       ("discord.com", "162.159"), ("web.whatsapp.com", "157.240"), ("icloud.com", "17.253"),
       ("www.nytimes.com", "151.101"), ("stackoverflow.com", "151.101"), ("pbs.twimg.com", "192.229")]
PUBLIC_DNS = ["1.1.1.1", "8.8.8.8", "9.9.9.9"]
NTP_SERVERS = ["162.159.200.123", "162.159.200.1", "216.239.35.0", "17.253.34.125", "129.250.35.251"]


class Planner:
    def __init__(self, seed, packets, hours):
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = packets
        self.dur = int(hours * 3600 * S)
        self.acts = []       # (start, kind, callable(rng) -> generator)
        self.est = {}        # kind -> estimated packets
        self.devs = {}
        self._k = 0
        self._phase = self.rng.random()

    def add(self, kind, est, gen_fn):
        self.acts.append((kind, gen_fn))
        self.est[kind] = self.est.get(kind, 0) + est

    # -- the household ---------------------------------------------------------------------
    def household(self):
        rng = self.rng
        kinds = [("phone", 6, "f4:0f:24"), ("laptop", 3, "3c:22:fb"), ("desktop", 1, "d8:bb:c1"),
                 ("tablet", 2, "28:6a:ba"), ("tv", 3, "a8:23:fe"), ("streamer", 2, "b0:ee:7b"),
                 ("console", 1, "7c:bb:8a"), ("nas", 1, "00:11:32"), ("kalaycam", 2, "e0:62:34"),
                 ("ppppcam", 2, "b4:6d:c2"), ("cloudcam", 2, "2c:aa:8e"), ("doorbell", 1, "ac:cc:8e"),
                 ("plug", 6, "50:02:91"), ("mqttsensor", 3, "84:f3:eb"), ("speaker", 3, "f0:f5:bd"),
                 ("vacuum", 1, "78:11:dc"), ("hub", 2, "00:17:88"), ("thermostat", 1, "64:16:66"),
                 ("printer", 1, "30:05:5c"), ("ereader", 1, "f0:27:2d"), ("washer", 1, "88:57:1d")]
        octet = 10
        for kind, count, oui in kinds:
            for k in range(count):
                mac = oui + ":%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                ip6 = None
                if kind in ("phone", "laptop", "tablet", "desktop"):
                    ip6 = "2a01:cb00:7a1c:4e00:%x:%x:%x:%x" % tuple(rng.getrandbits(16) for _ in range(4))
                h = Host("%s%d" % (kind, k + 1), kind, "192.168.1.%d" % octet, mac, ip6)
                h.ll6 = ipaddress.IPv6Address("fe80::%x:%x:%x:%x" % tuple(rng.getrandbits(16) for _ in range(4))).packed
                self.devs.setdefault(kind, []).append(h)
                octet += 1 + rng.randrange(3)
        self.all = [h for hs in self.devs.values() for h in hs]

    def of(self, *kinds):
        return [h for k in kinds for h in self.devs.get(k, [])]

    def when(self, rng, min_left_s=60):
        # Golden-ratio sequence (with a random phase): starts spread evenly over the capture,
        # so a truncated capture still has every kind of traffic in its last hours.
        self._k += 1
        u = (self._phase + self._k * 0.6180339887498949) % 1.0
        return int(u * max(1, self.dur - min_left_s * S))

    # -- planning ------------------------------------------------------------------------------
    def plan(self):
        self.household()
        rng, dur = self.rng, self.dur
        target = int(self.n * 1.1)
        hours = dur / (3600 * S)

        # Fixed background, by the hour.
        for d in self.all:
            self.add("ntp", 2 * int(hours * 3600 / 300), self._sub(self.ntp, d))
            self.add("lan", int(hours * 60), self._sub(self.mdns, d))
            self.add("lan", int(hours * 30), self._sub(self.arp, d))
        for d in self.of("phone", "laptop", "tv", "streamer", "desktop", "tablet", "console"):
            self.add("lan", int(hours * 60), self._sub(self.ssdp, d))
        for d in self.of("plug", "mqttsensor", "thermostat", "washer"):
            self.add("keepalive", int(hours * 3600 / 60 * 3), self._sub(self.mqtt, d))
        for d in self.of("speaker", "vacuum", "hub", "ereader", "tv", "cloudcam"):
            self.add("keepalive", int(hours * 3600 / 45 * 4), self._sub(self.tls_keepalive, d))
        self.add("keepalive", int(hours * 3600 / 60 * 4), self._sub(self.dead_broker, self.devs["plug"][0]))
        for k, d in enumerate(self.devs["kalaycam"]):
            self.add("p2p", int(hours * 3600 / 40 * 2), self._sub(self.kalay_login, d, k))
        for k, d in enumerate(self.devs["ppppcam"]):
            self.add("p2p", int(hours * 3600 / 18 * 2), self._sub(self.pppp_login, d, k))
        self.add("doorbell", 60, self._sub(self.doorbell, self.devs["doorbell"][0]))
        for d in self.of("laptop", "desktop"):
            self.add("lan", int(hours * 3600 / 30 * 4), self._sub(self.smb_echo, d))
        fixed = sum(self.est.values())

        # P2P live views, uploads, SMB copies, web and video fill the rest in fixed shares.
        rest = max(0, target - fixed)
        shares = [("p2p", 0.025, self.plan_p2p_session), ("upload", 0.06, self.plan_upload),
                  ("smb", 0.035, self.plan_smb), ("web", 0.27, self.plan_web)]
        for kind, share, fn in shares:
            goal = self.est.get(kind, 0) + share * rest
            while self.est.get(kind, 0) < goal:
                fn()
        while sum(self.est.values()) < target:
            self.plan_video()

    def _sub(self, fn, *args):
        return lambda rng: fn(rng, *args)

    def plan_video(self):
        rng = self.rng
        d = rng.choice(self.of("tv", "tv", "streamer", "phone", "phone", "tablet", "console", "laptop"))
        if d.kind in ("phone", "tablet", "laptop"):   # short clips and videos, adaptive SD
            secs = rng.randrange(20, 4 * 60)
            rate = rng.choice((0.5, 0.7, 0.9, 1.2)) * 1e6 / 8  # bytes/s
        else:                                          # news, trailers, part of an episode
            secs = rng.randrange(2 * 60, 8 * 60)
            rate = rng.choice((1.5, 2.0, 2.5)) * 1e6 / 8
        start = self.when(rng, secs + 60)
        est = int(secs * rate / MSS * 1.5) + 20
        self.add("video", est, lambda r: self.video(r, d, start, secs, rate))

    def plan_web(self):
        rng = self.rng
        d = rng.choice(self.of("phone", "phone", "laptop", "laptop", "desktop", "tablet"))
        start = self.when(rng)
        nreq = rng.randrange(1, 25)
        sizes = [int(min(3e6, rng.lognormvariate(math.log(18000), 1.3))) for _ in range(nreq)]
        est = 14 + sum(int(s / MSS * 1.5) + 3 for s in sizes)
        self.add("web", est, lambda r: self.web(r, d, start, sizes))

    def plan_upload(self):
        rng = self.rng
        d = rng.choice(self.of("cloudcam", "cloudcam", "nas"))
        start = self.when(rng)
        size = rng.randrange(300_000, 6_000_000)
        self.add("upload", int(size / MSS * 1.5) + 20, lambda r: self.upload(r, d, start, size))

    def plan_smb(self):
        rng = self.rng
        d = rng.choice(self.of("laptop", "desktop"))
        start = self.when(rng)
        nreads = rng.randrange(10, 200)
        self.add("smb", nreads * 36, lambda r: self.smb_copy(r, d, start, nreads))

    def plan_p2p_session(self):
        rng = self.rng
        k = rng.randrange(4)
        start = self.when(rng, 300)
        secs = rng.randrange(30, 240)
        if k < 2:
            d = self.devs["kalaycam"][k]
            self.add("p2p", secs * 14, lambda r: self.kalay_view(r, d, k, start, secs))
        else:
            d = self.devs["ppppcam"][k - 2]
            self.add("p2p", secs * 16, lambda r: self.pppp_view(r, d, k - 2, start, secs))

    # -- activities --------------------------------------------------------------------------------
    def resolver(self, rng, d):
        return ROUTER.ip if d.kind not in ("phone", "laptop") or rng.random() < 0.7 else rng.choice(PUBLIC_DNS)

    def video(self, rng, d, t, secs, rate):
        name_fmt, prefix = rng.choice(CDN)
        name = name_fmt % rng.randrange(1, 40) if "%s" not in name_fmt else \
            name_fmt % (rng.randrange(1, 9), "%04x" % rng.getrandbits(16))
        server = addr_in(rng, prefix)
        t = (yield from dns_lookup(rng, t, d, self.resolver(rng, d), name, [server])) + 40 * MS
        rtt = rng.randrange(4, 30) * MS
        tcp = Tcp(rng, flow(rng, d, server), ephemeral(rng), 443)
        t = yield from tls_open(rng, t, tcp, rtt, name)
        end = t + secs * S
        link = rng.choice((3.0, 6.0, 12.0))     # bytes/us while a segment downloads (24-96 Mbit/s)
        seg_s = 4
        while t < end:
            yield t, tcp.c(ACK | PSH, tls_records(rng, rng.randrange(350, 700)))
            t += rtt
            chunk = int(rate * seg_s * rng.uniform(0.8, 1.2))
            t2 = yield from down(t, tcp, tls_records(rng, chunk), link)
            t = max(t2, t + seg_s * S - rng.randrange(0, 400 * MS))  # the player paces segments
        yield from close(t, tcp, rtt)

    def web(self, rng, d, t, sizes):
        name, prefix = rng.choice(WEB)
        server = addr_in(rng, prefix)
        v6 = d.ip6 is not None and rng.random() < 0.08
        t = (yield from dns_lookup(rng, t, d, self.resolver(rng, d), name, [server])) + 30 * MS
        rtt = rng.randrange(8, 60) * MS
        if v6:  # global IPv6 of the home /64 (not listed in local_networks: no phonehome tree)
            sv6 = ipaddress.IPv6Address("2a00:1450:4001:%x::%x" % (rng.getrandbits(12), rng.getrandbits(16))).packed
            paths = (Path6(d.mac, ROUTER.mac, d.ip6, sv6, 64), Path6(ROUTER.mac, d.mac, sv6, d.ip6, 57))
        else:
            paths = flow(rng, d, server)
        tcp = Tcp(rng, paths, ephemeral(rng), 443)
        t = yield from tls_open(rng, t, tcp, rtt, name)
        link = rng.choice((1.5, 3.0, 6.0, 12.0))
        for size in sizes:
            t += int(rng.expovariate(1 / 1.5) * S) + 50 * MS
            yield t, tcp.c(ACK | PSH, tls_records(rng, rng.randrange(120, 900)))
            t += rtt
            t = yield from down(t, tcp, tls_records(rng, max(40, size)), link)
        t += rng.randrange(1, 30) * S
        if rng.random() < 0.1:
            yield t, tcp.c(RST | ACK)
        else:
            yield from close(t, tcp, rtt, rng.random() < 0.7)

    def upload(self, rng, d, t, size):
        name = "%s.%s" % (rng.choice(("upload", "clips", "backup")), rng.choice(("eu.camcloud.io", "s3.eu-central-1.amazonaws.com")))
        server = addr_in(rng, rng.choice(("52.219", "3.5", "18.192")))
        t = (yield from dns_lookup(rng, t, d, ROUTER.ip, name, [server])) + 30 * MS
        rtt = rng.randrange(15, 45) * MS
        tcp = Tcp(rng, flow(rng, d, server), ephemeral(rng), 443)
        t = yield from tls_open(rng, t, tcp, rtt, name)
        t = yield from up(t + 1000, tcp, tls_records(rng, size), rng.choice((1.0, 2.5, 5.0)), rtt)
        yield t + rtt, tcp.s(ACK | PSH, tls_records(rng, 260))
        yield t + rtt + 40, tcp.c(ACK)
        yield from close(t + 5 * S, tcp, rtt)

    def smb_copy(self, rng, d, t, nreads):
        nas = self.devs["nas"][0]
        tcp = Tcp(rng, flow(rng, d, nas.ipb, peer=nas), ephemeral(rng), 445)
        rtt = 400
        yield from handshake(t, tcp, rtt)
        t += 2 * MS
        fid = rbytes(rng, 16)
        for k in range(nreads):
            yield t, tcp.c(ACK | PSH, pl.smb2_read_request(k + 1, fid, k * 65536, 65536))
            t += 300
            body = struct.pack("<HBBIII", 17, 0x50, 0, 32768, 0, 0) + rbytes(rng, 32768)
            msg = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 1, 0, 8, 1, 1, 0, k + 1, 0xFEFF, 5,
                                           0x0000_1234_0000_0045, bytes(16)) + body
            t = yield from down(t, tcp, b"\x00" + len(msg).to_bytes(3, "big") + msg, 40.0, ack_delay=30)
            t += rng.randrange(100, 3000)
        yield from close(t + 10 * S, tcp, rtt)

    def ntp(self, rng, d):
        t = rng.randrange(0, 60 * S)
        server = rng.choice(NTP_SERVERS)
        o, i = flow(rng, d, server)
        port = 123 if d.kind in ("tv", "nas", "laptop", "desktop") else ephemeral(rng)
        poll = rng.choice((64, 256, 1024)) if d.kind in ("tv", "nas", "laptop", "desktop") else 300
        while t < self.dur:
            req = ntp.client_request(START_US + t)
            yield t, o.udp(port, 123, req)
            rtt = rng.randrange(8, 30) * MS
            yield t + rtt, i.udp(123, port, ntp.server_reply(req, START_US + t + rtt // 2, START_US + t + rtt // 2 + 30))
            t += poll * S + rng.randrange(-2 * S, 2 * S)

    def mdns(self, rng, d):
        t = rng.randrange(0, 120 * S)
        o4 = Path(d.mac, macb("01:00:5e:00:00:fb"), d.ipb, ip4b("224.0.0.251"), 255, 0)
        o6 = Path6(d.mac, macb("33:33:00:00:00:fb"), d.ll6, ipaddress.IPv6Address("ff02::fb").packed, 255)
        svc = rng.choice(("_googlecast._tcp.local", "_airplay._tcp.local", "_spotify-connect._tcp.local",
                          "_ipp._tcp.local", "_hap._tcp.local", "_smb._tcp.local"))
        while t < self.dur:
            q = dns.query(0, svc, dns.TYPE_PTR, rd=False)
            yield t, o4.udp(5353, 5353, q)
            if rng.random() < 0.5:
                yield t + 200, o6.udp(5353, 5353, q)
            t += rng.randrange(30, 210) * S

    def ssdp(self, rng, d):
        t = rng.randrange(0, 120 * S)
        o = Path(d.mac, macb("01:00:5e:7f:ff:fa"), d.ipb, ip4b("239.255.255.250"), 4, 0)
        port = ephemeral(rng)
        while t < self.dur:
            for k in range(rng.randrange(1, 4)):
                yield t + k * 100 * MS, o.udp(port, 1900, pl.ssdp_msearch(rng.choice(("ssdp:all", "urn:dial-multiscreen-org:service:dial:1"))))
            t += rng.randrange(60, 300) * S

    def arp(self, rng, d):
        t = rng.randrange(0, 120 * S)
        bc = macb("ff:ff:ff:ff:ff:ff")
        while t < self.dur:
            req = bc + d.mac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + d.mac + d.ipb + bytes(6) + ROUTER.ipb
            rep = d.mac + ROUTER.mac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + ROUTER.mac + ROUTER.ipb + d.mac + d.ipb
            yield t, req + bytes(18)
            yield t + 350, rep + bytes(18)
            t += rng.randrange(60, 180) * S

    def smb_echo(self, rng, d):
        nas = self.devs["nas"][0]
        tcp = Tcp(rng, flow(rng, d, nas.ipb, peer=nas), ephemeral(rng), 445)
        t = rng.randrange(0, 30 * S)
        yield from handshake(t, tcp, 300)
        k = 1000
        while t < self.dur:
            t += 30 * S + rng.randrange(0, 2 * MS)
            yield t, tcp.c(ACK | PSH, pl.smb2_echo(k, False))
            yield t + 300, tcp.s(ACK | PSH, pl.smb2_echo(k, True))
            yield t + 340, tcp.c(ACK)
            k += 1

    def mqtt(self, rng, d):
        broker = addr_in(rng, rng.choice(("18.185", "35.158", "52.29", "3.120")))
        keepalive = rng.choice((30, 60, 60, 120))
        t = rng.randrange(0, 60 * S)
        t = (yield from dns_lookup(rng, t, d, ROUTER.ip, "a%x-ats.iot.eu-west-1.amazonaws.com" % rng.getrandbits(24), [broker])) + 50 * MS
        rtt = rng.randrange(20, 60) * MS
        tcp = Tcp(rng, flow(rng, d, broker), ephemeral(rng), 1883)
        yield from handshake(t, tcp, rtt)
        t += rtt + 1 * MS
        yield t, tcp.c(ACK | PSH, hb.mqtt_connect("%s-%06x" % (d.kind, rng.getrandbits(24)), keepalive))
        yield t + rtt, tcp.s(ACK | PSH, hb.mqtt_connack())
        yield t + rtt + 60, tcp.c(ACK)
        pid = 1
        while t < self.dur:
            t += keepalive * S + rng.randrange(-200 * MS, 200 * MS)
            if rng.random() < 0.3:
                yield t - 7 * S, tcp.c(ACK | PSH, hb.mqtt_publish("tele/%s/state" % d.name, rbytes(rng, rng.randrange(20, 200)), pid))
                yield t - 7 * S + rtt, tcp.s(ACK | PSH, hb.mqtt_puback(pid))
                pid += 1
            yield t, tcp.c(ACK | PSH, hb.PINGREQ)
            yield t + rtt, tcp.s(ACK | PSH, hb.PINGRESP)
            yield t + rtt + 60, tcp.c(ACK)

    def tls_keepalive(self, rng, d):
        name = "%s.%s" % (rng.choice(("device-metrics", "avs-alexa", "api", "mqtt", "dp")),
                          rng.choice(("amazon.com", "googleapis.com", "tuyaeu.com", "roborock.com", "kobo.com")))
        server = addr_in(rng, rng.choice(("54.239", "142.250", "3.121", "52.58")))
        period = rng.choice((30, 45, 60, 90)) * S
        t = rng.randrange(0, 60 * S)
        t = (yield from dns_lookup(rng, t, d, ROUTER.ip, name, [server])) + 40 * MS
        rtt = rng.randrange(20, 80) * MS
        port = rng.choice((443, 443, 8883))
        tcp = Tcp(rng, flow(rng, d, server), ephemeral(rng), port)
        t = yield from tls_open(rng, t, tcp, rtt, name)
        req = rng.randrange(30, 60)
        while t < self.dur:
            t += period + int(period * rng.uniform(-0.12, 0.12))
            yield t, tcp.c(ACK | PSH, tls_records(rng, req))
            yield t + rtt, tcp.s(ACK | PSH, tls_records(rng, req + 4))
            yield t + rtt + 50, tcp.c(ACK)
            yield t + 2 * rtt, tcp.s(ACK)

    def dead_broker(self, rng, d):
        broker = ip4b("34.246.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)))
        t = rng.randrange(0, 60 * S)
        while t < self.dur:
            tcp = Tcp(rng, flow(rng, d, broker), ephemeral(rng), 8883)
            for off in (0, 1, 3, 7):
                if off:
                    tcp.cseq -= 1
                yield t + off * S + rng.randrange(0, 3 * MS), tcp.c(SYN, opts=SYN_OPTS)
            t += 60 * S + rng.randrange(0, 5 * S)

    KALAY_MASTERS = ["50.19.254.134", "122.248.234.207", "46.137.188.54", "120.24.59.150", "61.188.37.216"]

    def kalay_uid(self, k):
        return ["HXKTZ3N7WB8CD9EF2GP4", "7RMV2QJ4ZTX9LKC3B8NE"][k]

    def kalay_port(self, k):
        return [23781, 41877][k]

    def kalay_login(self, rng, d, k):
        uid = self.kalay_uid(k)
        port = self.kalay_port(k)
        public = ip4b("81.56.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)))
        paths = {m: flow(rng, d, m) for m in self.KALAY_MASTERS}
        t = rng.randrange(0, 40 * S)
        while t < self.dur:
            m = rng.choice(self.KALAY_MASTERS)
            o, i = paths[m]
            body = uid.encode() + bytes(4) + struct.pack("<I", rng.getrandbits(32))
            wire, _ = p2p.kalay_payload("get_public_ip", body, 0x19, "scrambled", uid=uid)
            yield t, o.udp(port, 10240, wire)
            reply = uid.encode() + struct.pack(">H", port) + public + bytes(2)
            wire, _ = p2p.kalay_payload(b"\x08\x10\x18", reply, 0x19, "scrambled", uid=uid)
            yield t + rng.randrange(30, 260) * MS, i.udp(10240, port, wire)
            t += rng.randrange(38, 43) * S

    def kalay_view(self, rng, d, k, t, secs):
        """A remote phone's live view: session data both ways, device pings."""
        client = addr_in(rng, rng.choice(("37.120", "77.20", "176.0")))
        cport = p2p.free_port(rng)
        o, i = flow(rng, d, client)
        dport = self.kalay_port(k)
        rtt = rng.randrange(40, 180) * MS
        end = t + secs * S
        seq_c = seq_d = 1
        next_ping = t + 500 * MS
        while t < end:
            wire, _ = p2p.kalay_payload("data_client_to_device", rbytes(rng, rng.choice((16, 24, 40))), 0x19,
                                        "scrambled", seq=seq_c, extra=b"\x00\x00\x00\x00")
            yield t, i.udp(cport, dport, wire)
            seq_c += 1
            tt = t + rtt
            for _ in range(rng.randrange(6, 14)):
                wire, _ = p2p.kalay_payload("data_device_to_client", rbytes(rng, rng.randrange(600, 1100)), 0x19,
                                            "partial", seq=seq_d & 0xFFFF, extra=b"\x00\x00\x01\x00")
                yield tt, o.udp(dport, cport, wire)
                seq_d += 1
                tt += rng.randrange(5, 30) * MS
            if tt >= next_ping:
                r8 = rbytes(rng, 8)
                wire, _ = p2p.kalay_payload("device_ping", r8, 0x12, "scrambled")
                yield tt, o.udp(dport, cport, wire)
                wire, _ = p2p.kalay_payload("ping_ack", r8, 0x19, "scrambled")
                yield tt + rtt, i.udp(cport, dport, wire)
                next_ping = tt + rng.randrange(800, 1200) * MS
                tt += rtt
            t = tt + rng.randrange(50, 300) * MS

    PPPP_SERVERS = ["47.254.13.48", "8.209.72.130", "120.78.210.62"]

    def pppp_cam(self, k):
        return (["VSTC-481922-LKMNP", "BATC-609580-HVDCS"][k], ["camera", "SSD@cs2-network."][k], [40117, 52044][k])

    def pppp_login(self, rng, d, k):
        uid, key, port = self.pppp_cam(k)
        paths = {s: flow(rng, d, s) for s in self.PPPP_SERVERS}
        public = "81.56.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
        t = rng.randrange(0, 20 * S)
        n = 0
        while t < self.dur:
            if n % 10 == 0:
                for s in self.PPPP_SERVERS:
                    o, i = paths[s]
                    wire, _ = p2p.pppp_payload("HELLO", b"", key)
                    yield t, o.udp(port, 32100, wire)
                    wire, _ = p2p.pppp_payload("HELLO_ACK", pppp.sockaddr(public, port), key)
                    yield t + rng.randrange(30, 200) * MS, i.udp(32100, port, wire)
                    t += rng.randrange(200, 260) * MS
            o, i = paths[self.PPPP_SERVERS[k]]
            body = pppp.uid_bytes(uid) + bytes([0x08, 0, 2, 1]) + pppp.sockaddr(d.ip, port)
            wire, _ = p2p.pppp_payload("DEV_LGN", body, key, uid=uid)
            yield t, o.udp(port, 32100, wire)
            wire, _ = p2p.pppp_payload("DEV_LGN_ACK", bytes([0, 16, 0, 0]), key)
            yield t + rng.randrange(30, 200) * MS, i.udp(32100, port, wire)
            n += 1
            t += rng.randrange(16, 20) * S

    def pppp_view(self, rng, d, k, t, secs):
        uid, key, dport = self.pppp_cam(k)
        client = addr_in(rng, rng.choice(("37.120", "77.20", "176.0")))
        cport = p2p.free_port(rng)
        o, i = flow(rng, d, client)
        rtt = rng.randrange(40, 180) * MS
        wire, _ = p2p.pppp_payload("PUNCH_PKT", pppp.uid_bytes(uid), key, uid=uid)
        yield t, i.udp(cport, dport, wire)
        wire, _ = p2p.pppp_payload("P2P_RDY", pppp.uid_bytes(uid), key, uid=uid)
        yield t + rtt, o.udp(dport, cport, wire)
        t += 2 * rtt
        end = t + secs * S
        idx_c, idx_d = 0, rng.randrange(0, 0x10000)
        next_alive = t + 500 * MS
        while t < end:
            wire, _ = p2p.pppp_payload("DRW", p2p.drw(0, idx_c, rbytes(rng, rng.choice((8, 12, 32)))), key, flex=True)
            yield t, i.udp(cport, dport, wire)
            wire, _ = p2p.pppp_payload("DRW_ACK", p2p.drw_ack(0, [idx_c]), key)
            yield t + rtt, o.udp(dport, cport, wire)
            idx_c += 1
            tt = t + rtt + 2 * MS
            sent = []
            for _ in range(rng.randrange(6, 14)):
                wire, _ = p2p.pppp_payload("DRW", p2p.drw(1, idx_d, rbytes(rng, rng.randrange(600, 1000))), "")
                yield tt, o.udp(dport, cport, wire)
                sent.append(idx_d)
                idx_d = (idx_d + 1) & 0xFFFF
                tt += rng.randrange(5, 30) * MS
            wire, _ = p2p.pppp_payload("DRW_ACK", p2p.drw_ack(1, sent), key)
            yield tt + rtt, i.udp(cport, dport, wire)
            tt += rtt
            if tt >= next_alive:
                wire, _ = p2p.pppp_payload("ALIVE", b"", key)
                yield tt, o.udp(dport, cport, wire)
                wire, _ = p2p.pppp_payload("ALIVE_ACK", b"", key)
                yield tt + rtt, i.udp(cport, dport, wire)
                next_alive = tt + rng.randrange(800, 1200) * MS
                tt += rtt
            t = tt + rng.randrange(50, 300) * MS

    def doorbell(self, rng, d):
        """Bursts of 1-5 RTP-like datagrams to port 1 of a cloud address, long silences."""
        o, _ = flow(rng, d, "106.13.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)))
        port = ephemeral(rng)
        ssrc, seq = rng.getrandbits(32), rng.getrandbits(16)
        t = rng.randrange(10 * S, 120 * S)
        while t < self.dur:
            for _ in range(rng.randrange(1, 6)):
                yield t, o.udp(port, 1, pl.rtp_like(seq, t // 125, ssrc, rbytes(rng, 160)))
                seq += 1
                t += rng.randrange(20, 300) * MS
            t += rng.randrange(63, 900) * S

    # -- output ------------------------------------------------------------------------------------
    def streams(self):
        out = []
        for aid, (kind, fn) in enumerate(self.acts):
            # Each activity has its own generator seeded from (seed, index): laziness and merge
            # order never change what it produces.
            rng = random.Random(self.seed * 1_000_003 + aid)
            out.append(_tagged(fn(rng), aid, kind))
        return out


def _tagged(gen, aid, kind):
    for t, f in gen:
        yield t, aid, kind, f


def write(path, planner, limit):
    counts, nbytes = {}, 0
    rec = RECORD_HEADER.pack
    last = 0
    n = 0
    with open(path, "wb", buffering=1 << 22) as f:
        f.write(GLOBAL_HEADER.pack(MAGIC, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET))
        for t, _aid, kind, frame in heapq.merge(*planner.streams()):
            if t < 0 or t >= planner.dur:
                continue
            if t < last:
                raise AssertionError("time went backwards")
            last = t
            sec, usec = divmod(START_US + t, S)
            f.write(rec(sec, usec, len(frame), len(frame)))
            f.write(frame)
            counts[kind] = counts.get(kind, 0) + 1
            nbytes += len(frame)
            n += 1
            if n >= limit:
                break
    return n, nbytes, last, counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--packets", type=int, default=1_000_000)
    ap.add_argument("--hours", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="phonehome-mix.pcap")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.time()
    planner = Planner(a.seed, a.packets, a.hours)
    planner.plan()
    n, nbytes, last, counts = write(a.out, planner, a.packets)
    if n < a.packets:
        sys.exit("generate_mix: only %d packets planned in %.1f h; raise --hours" % (n, a.hours))
    if not a.quiet:
        print("%s: %d packets, %.1f MB of frames, %.2f h, %d devices, %d activities, seed %d, %.1f s"
              % (a.out, n, nbytes / 1e6, last / 3600 / S, len(planner.all), len(planner.acts), a.seed,
                 time.time() - t0))
        for kind, c in sorted(counts.items(), key=lambda kv: -kv[1]):
            print("  %-10s %8d  %5.1f%%" % (kind, c, 100 * c / n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
