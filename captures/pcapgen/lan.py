"""A home LAN model: hosts, a router, and a timeline of Ethernet frames.

Frames are collected as (ts_us, insertion order, bytes) and sorted by time at the end, so
scenario code can emit different conversations independently. Addresses of hosts added
to the LAN are "on the link" (their own MAC); every other unicast address is reached via
the router's MAC. Inbound frames from remote addresses carry the router's MAC and a
lower TTL / hop limit.
"""
import ipaddress

from . import ethernet as eth
from .ip import PROTO_TCP, PROTO_UDP, ipv4, ipv6
from .tcp_session import TcpSession
from .transport import tcp, udp


class Host:
    def __init__(self, name, mac, *addrs):
        self.name = name
        self.mac = mac
        self.addrs = [ipaddress.ip_address(a) for a in addrs]

    def addr(self, version=4):
        for a in self.addrs:
            if a.version == version:
                return a
        raise LookupError("%s has no IPv%d address" % (self.name, version))

    @property
    def ip4(self):
        return self.addr(4)

    @property
    def ip6(self):
        return self.addr(6)


class Lan:
    def __init__(self, rng, router: Host, subnet4="192.168.1.0/24"):
        self.rng = rng
        self.router = router
        self.subnet4 = ipaddress.ip_network(subnet4)
        self.hosts = {}
        self._frames = []
        self._meta = {}  # insertion index -> P2P label of the frame (see truth.py)
        self._beats = {}  # insertion index -> heartbeat mark {"kind", "period"} (see truth.py)
        self._quic_sni = {}  # insertion index -> SNI of the ClientHello in a QUIC Initial (see truth.py)
        self._ident = {}
        self.add(router)

    def add(self, host: Host):
        for a in host.addrs:
            self.hosts[a] = host
        return host

    # -- layer 2 ---------------------------------------------------------
    def mac_for(self, dst) -> str:
        dst = ipaddress.ip_address(dst)
        if dst.is_multicast or dst == ipaddress.IPv4Address("255.255.255.255"):
            return eth.multicast_mac(dst)
        if dst.version == 4 and dst == self.subnet4.broadcast_address:
            return eth.BROADCAST_MAC
        if dst in self.hosts:
            return self.hosts[dst].mac
        return self.router.mac

    def is_local_host(self, addr) -> bool:
        return ipaddress.ip_address(addr) in self.hosts

    def add_frame(self, ts: int, frame: bytes, meta=None, beat=None, quic_sni=None):
        if meta is not None:
            self._meta[len(self._frames)] = meta
        if beat is not None:
            self._beats[len(self._frames)] = beat
        if quic_sni is not None:
            self._quic_sni[len(self._frames)] = quic_sni
        self._frames.append((int(ts), len(self._frames), frame))

    def frames(self):
        """All frames sorted by time (ties keep emission order): [(ts_us, bytes)]."""
        return [(ts, f) for ts, _, f in sorted(self._frames, key=lambda x: (x[0], x[1]))]

    def p2p_labels(self):
        """The P2P label given to each frame when it was emitted (None for most), in the
        order of frames(): what the generator put in the datagram, not a parse of it."""
        return [self._meta.get(i) for _, i, _ in sorted(self._frames, key=lambda x: (x[0], x[1]))]

    def beat_marks(self):
        """The heartbeat mark given to each frame when it was emitted (None for most), in the
        order of frames(): {"kind": series kind, "period": planned mean period in s}. A mark
        says "this packet is a planned beat of a periodic series" (see truth.py)."""
        if not self._beats:
            return None
        return [self._beats.get(i) for _, i, _ in sorted(self._frames, key=lambda x: (x[0], x[1]))]

    def quic_snis(self):
        """The server name the generator put in the ClientHello of each QUIC Initial it emitted
        (None for every other frame), in the order of frames(); None if there is none at all.
        The truth takes remote_name from it instead of decrypting the Initial (see truth.py)."""
        if not self._quic_sni:
            return None
        return [self._quic_sni.get(i) for _, i, _ in sorted(self._frames, key=lambda x: (x[0], x[1]))]

    # -- layer 3 ---------------------------------------------------------
    def _ttl(self, src, ttl):
        if ttl is not None:
            return ttl
        if self.is_local_host(src):
            return 64
        return 44 + sum(ipaddress.ip_address(src).packed) % 16  # remote: deterministic, < 64

    def _next_ident(self, src):
        if not self.is_local_host(src):
            return self.rng.getrandbits(16)
        if src not in self._ident:
            self._ident[src] = self.rng.getrandbits(16)
        self._ident[src] = (self._ident[src] + 1) & 0xFFFF
        return self._ident[src]

    def ip_frame(self, ts, src, dst, proto, l4: bytes, ttl=None, src_mac=None, dst_mac=None, meta=None,
                 beat=None, quic_sni=None):
        src, dst = ipaddress.ip_address(src), ipaddress.ip_address(dst)
        smac = src_mac or (self.hosts[src].mac if src in self.hosts else self.router.mac)
        dmac = dst_mac or self.mac_for(dst)
        if src.version == 4:
            pkt = ipv4(src, dst, proto, l4, ttl=self._ttl(src, ttl), ident=self._next_ident(src))
            frame = eth.ethernet(dmac, smac, eth.ETH_IPV4, pkt)
        else:
            pkt = ipv6(src, dst, proto, l4, hop_limit=self._ttl(src, ttl))
            frame = eth.ethernet(dmac, smac, eth.ETH_IPV6, pkt)
        self.add_frame(ts, frame, meta, beat, quic_sni)

    def udp(self, ts, src, dst, sport, dport, payload: bytes, ttl=None, **kw):
        self.ip_frame(ts, src, dst, PROTO_UDP, udp(src, dst, sport, dport, payload), ttl, **kw)

    def tcp_segment(self, ts, src, dst, sport, dport, seq, ack, flags, payload=b"", window=65535,
                    options=b"", beat=None):
        self.ip_frame(ts, src, dst, PROTO_TCP,
                      tcp(src, dst, sport, dport, seq, ack, flags, payload, window, options), beat=beat)

    def tcp_session(self, client, server, cport, sport, isn_client=None, isn_server=None):
        client, server = ipaddress.ip_address(client), ipaddress.ip_address(server)

        def emit(ts, from_client, seq, ack, flags, payload, window, options, beat=None):
            if from_client:
                self.tcp_segment(ts, client, server, cport, sport, seq, ack, flags, payload, window, options,
                                 beat)
            else:
                self.tcp_segment(ts, server, client, sport, cport, seq, ack, flags, payload, window, options,
                                 beat)

        return TcpSession(emit,
                          self.rng.getrandbits(32) if isn_client is None else isn_client,
                          self.rng.getrandbits(32) if isn_server is None else isn_server)

    # -- ARP -------------------------------------------------------------
    def arp_exchange(self, ts, asker: Host, target: Host):
        self.add_frame(ts, eth.ethernet(eth.BROADCAST_MAC, asker.mac, eth.ETH_ARP,
                                        eth.arp(1, asker.mac, asker.ip4, "00:00:00:00:00:00", target.ip4)))
        self.add_frame(ts + 350, eth.ethernet(asker.mac, target.mac, eth.ETH_ARP,
                                              eth.arp(2, target.mac, target.ip4, asker.mac, asker.ip4)))
