"""LAN chatter every home has: mDNS queries (IPv4 and IPv6), SSDP searches, ARP, SMB2 echo."""
import ipaddress
import struct

from pcapgen import dns
from pcapgen import payloads as pl

from .blocks import ephemeral, handshake
from .wire import ACK, MS, PSH, ROUTER, S, Path, Path6, Tcp, flow, ip4b, macb


class LanChatter:
    """Activities of a device on its LAN (mixed into a Planner: self.dur, self.devs)."""

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
