"""Frames from per-flow templates: Ethernet + IPv4/IPv6 + TCP/UDP with arithmetic checksums.

A Path holds one direction of a flow (link header, addresses, pseudo-header sum, IP
identification counter), computed once, so building a frame costs a struct.pack and one big
integer sum instead of a byte-by-byte checksum: that is what lets a generator write a million
packets in seconds.
"""
import ipaddress
import struct

S, MS = 1_000_000, 1000
M32 = 0xFFFFFFFF
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MSS = 1448                      # with timestamps off and a 1500-byte MTU minus options slack

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
BROADCAST_MAC = macb("ff:ff:ff:ff:ff:ff")


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
