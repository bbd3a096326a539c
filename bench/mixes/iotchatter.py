"""What small smart-home devices say all day: short HTTPS polls of their cloud, DHCP leases,
SSDP NOTIFY and mDNS announcements of themselves, Tuya-style LAN broadcasts."""
import struct
import zlib

from pcapgen import dhcp
from pcapgen import mdns
from pcapgen import ssdp

from .blocks import addr_in, close, dns_lookup, down, ephemeral, tls_open, tls_records
from .wire import ACK, BROADCAST_MAC, MS, PSH, ROUTER, S, Path, Tcp, flow, ip4b, macb

POLL_CLOUDS = [("api.tuyaeu.com", "3.121"), ("a1.tuyaeu.com", "18.185"), ("iot.meross.com", "52.28"),
               ("api.ecobee.com", "52.2"), ("home.nest.com", "142.250"), ("api.switch-bot.com", "54.239"),
               ("de.iot.mi.com", "47.254"), ("api.ring.com", "52.94"), ("eu-api.coolkit.cc", "35.157"),
               ("use1-api.tplinkra.com", "3.92"), ("api-eu.netatmo.com", "51.145"), ("wap.tplinkcloud.com", "18.194")]
MDNS_SERVICES = [("_hap._tcp.local", 8080), ("_googlecast._tcp.local", 8009), ("_airplay._tcp.local", 7000),
                 ("_hue._tcp.local", 443), ("_matter._tcp.local", 5540), ("_sonos._tcp.local", 1443),
                 ("_esphomelib._tcp.local", 6053)]
SSDP_TYPES = ["upnp:rootdevice", "urn:schemas-upnp-org:device:MediaRenderer:1",
              "urn:schemas-upnp-org:service:AVTransport:1", "urn:dial-multiscreen-org:service:dial:1",
              "urn:schemas-upnp-org:device:Basic:1"]
BROADCAST = ip4b("255.255.255.255")


def mac_text(d):
    return ":".join("%02x" % b for b in d.mac)


class IotChatter:
    """Mixed into a Planner (self.dur)."""

    def cloud_poll(self, rng, d, period_s):
        """A new HTTPS connection to the device's cloud every period_s (+-20%): a DNS lookup
        every few polls, handshake, TLS, a request, a 300-3000-byte answer, FIN."""
        name, prefix = rng.choice(POLL_CLOUDS)
        server = addr_in(rng, prefix)
        t = rng.randrange(0, period_s * S)
        k = 0
        while t < self.dur:
            if k % 5 == 0:
                t = (yield from dns_lookup(rng, t, d, ROUTER.ip, name, [server])) + 20 * MS
            rtt = rng.randrange(20, 90) * MS
            tcp = Tcp(rng, flow(rng, d, server), ephemeral(rng), 443)
            tt = yield from tls_open(rng, t, tcp, rtt, name)
            yield tt + 5 * MS, tcp.c(ACK | PSH, tls_records(rng, rng.randrange(200, 600)))
            tt = yield from down(tt + 5 * MS + rtt, tcp, tls_records(rng, rng.randrange(300, 3000)), 3.0)
            yield from close(tt + 100 * MS, tcp, rtt)
            k += 1
            t += int(period_s * S * rng.uniform(0.8, 1.2))

    def dhcp_lease(self, rng, d, lease_s):
        """DISCOVER, OFFER, REQUEST, ACK at the start, then a unicast REQUEST/ACK renewal every
        half lease (hosts name and vendor class in the requests, as udhcpc sends them)."""
        mac = mac_text(d)
        bcast = Path(d.mac, BROADCAST_MAC, bytes(4), BROADCAST, 64, rng.getrandbits(16))
        to_dev = Path(ROUTER.mac, d.mac, ROUTER.ipb, d.ipb, 64, rng.getrandbits(16))
        renew, _ = flow(rng, d, ROUTER.ipb, peer=ROUTER)
        kw = dict(subnet_mask="255.255.255.0", router=ROUTER.ip, dns_servers=[ROUTER.ip], lease_s=lease_s)
        host, vendor = d.name.replace("_", "-"), "udhcp 1.%d.%d" % (rng.randrange(24, 36), rng.randrange(4))
        t = rng.randrange(0, min(lease_s, 600) * S)
        xid = rng.getrandbits(32)
        yield t, bcast.udp(68, 67, dhcp.discover(xid, mac, host, vendor))
        yield t + 3 * MS, to_dev.udp(67, 68, dhcp.offer(xid, mac, d.ip, ROUTER.ip, **kw))
        yield t + 6 * MS, bcast.udp(68, 67, dhcp.request(xid, mac, host, vendor, requested=d.ip, server=ROUTER.ip))
        yield t + 9 * MS, to_dev.udp(67, 68, dhcp.ack(xid, mac, d.ip, ROUTER.ip, **kw))
        t += lease_s // 2 * S
        while t < self.dur:
            xid = rng.getrandbits(32)
            yield t, renew.udp(68, 67, dhcp.request(xid, mac, host, vendor, ciaddr=d.ip))
            yield t + 4 * MS, to_dev.udp(67, 68, dhcp.ack(xid, mac, d.ip, ROUTER.ip, ciaddr=d.ip, **kw))
            t += lease_s // 2 * S + rng.randrange(0, 5 * S)

    def ssdp_notify(self, rng, d):
        """NOTIFY ssdp:alive for each of 2-4 advertised types, sent twice, every 60-180 s."""
        o = Path(d.mac, macb("01:00:5e:7f:ff:fa"), d.ipb, ip4b(ssdp.GROUP4), ssdp.HOP_LIMIT, 0)
        uuid = "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                                              rng.getrandbits(16), rng.getrandbits(48))
        server = rng.choice(("Linux/4.9 UPnP/1.0 %s/1.0", "FreeRTOS/10 UPnP/1.1 %s/2.3", "IpBridge/1.60 UPnP/1.0 %s/1.0")) \
            % d.kind
        location = "http://%s:%d/description.xml" % (d.ip, rng.choice((80, 1400, 49152, 8008)))
        types = rng.sample(SSDP_TYPES, rng.randrange(2, 5))
        t = rng.randrange(0, 120 * S)
        while t < self.dur:
            for k, nt in enumerate(types * 2):
                yield t + k * 30 * MS, o.udp(1900, 1900, ssdp.notify_alive(server, location, uuid, nt))
            t += rng.randrange(60, 180) * S

    def mdns_responder(self, rng, d):
        """The device's service response (PTR, SRV, TXT, A) to the mDNS group every 60-300 s."""
        o = Path(d.mac, macb("01:00:5e:00:00:fb"), d.ipb, ip4b(mdns.GROUP4), mdns.HOP_LIMIT, 0)
        service, port = rng.choice(MDNS_SERVICES)
        host = "%s-%04x.local" % (d.kind, rng.getrandbits(16))
        txt = ["id=%012x" % rng.getrandbits(48), "md=%s" % d.kind, "c#=%d" % rng.randrange(1, 40)]
        msg = mdns.service_response(service, "%s %d" % (d.kind.title(), rng.randrange(1, 9)), host, port, txt, [d.ip])
        t = rng.randrange(0, 120 * S)
        while t < self.dur:
            yield t, o.udp(5353, 5353, msg)
            t += rng.randrange(60, 300) * S

    def tuya_broadcast(self, rng, d):
        """A Tuya-style device's encrypted announcement to 255.255.255.255:6667 every 5 s:
        000055aa, sequence, command 0x13, length, return code, 152 encrypted bytes, CRC, 0000aa55."""
        o = Path(d.mac, BROADCAST_MAC, d.ipb, BROADCAST, 64, rng.getrandbits(16))
        body = rng.randbytes(152)           # the same encrypted announcement every time
        msg = struct.pack(">IIIII", 0x000055AA, 0, 0x13, len(body) + 12, 0) + body
        msg += struct.pack(">II", zlib.crc32(msg), 0x0000AA55)
        t = rng.randrange(0, 5 * S)
        while t < self.dur:
            yield t, o.udp(6667, 6667, msg)
            t += 5 * S + rng.randrange(-20 * MS, 20 * MS)
