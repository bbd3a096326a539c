"""The household shared by the scenarios: router, laptop, TV, NAS, camera, phone, and a
random-but-seeded mix of their ordinary traffic."""
import ipaddress

from .. import ordinary as o
from ..lan import Host, Lan

S, MS = o.S, o.MS
RESOLVER4, RESOLVER6 = "1.1.1.1", "2606:4700:4700::1111"
NTP_SERVER4 = "162.159.200.123"   # time.cloudflare.com
CAMERA_CLOUD4 = "52.57.114.23"
HTTPS_SERVERS4 = ["185.15.59.224", "140.82.121.6", "151.101.0.81", "142.250.185.99",
                  "104.16.132.229", "3.120.181.40", "13.107.42.14", "34.117.59.81"]
HTTPS_SERVERS6 = ["2a00:1450:4001:82b::2003", "2606:4700::6810:84e5", "2a03:2880:f12d:83:face:b00c:0:25de"]


def random_mac(rng):
    b = [rng.getrandbits(8) for _ in range(6)]
    b[0] &= 0xFC  # unicast, globally administered
    return ":".join("%02x" % x for x in b)


def random_subnet4(rng):
    kind = rng.randrange(3)
    if kind == 0:
        return ipaddress.ip_network("192.168.%d.0/24" % rng.randrange(0, 255))
    if kind == 1:
        return ipaddress.ip_network("10.%d.%d.0/24" % (rng.randrange(256), rng.randrange(256)))
    return ipaddress.ip_network("172.%d.%d.0/24" % (rng.randrange(16, 32), rng.randrange(256)))


class Home:
    """Hosts of the LAN. fixed=True uses the bundled captures' fixed MACs and 192.168.1.0/24."""

    def __init__(self, rng, fixed=True, subnet4=None, prefix6=None):
        self.rng = rng
        net = ipaddress.ip_network(subnet4 or ("192.168.1.0/24" if fixed else random_subnet4(rng)))
        base = net.network_address
        mac = (lambda m: m) if fixed else (lambda m: random_mac(rng))
        self.router = Host("router", mac("a4:91:b1:0c:2e:01"), base + 1)
        self.lan = Lan(rng, self.router, str(net))
        self.prefix6 = ipaddress.ip_network(prefix6) if prefix6 else None

        def host(name, m, last, iid):
            addrs = [base + last]
            if self.prefix6 is not None:
                addrs.append(self.prefix6.network_address + iid)
            return self.lan.add(Host(name, mac(m), *addrs))

        self.laptop = host("laptop", "3c:22:fb:71:9a:10", 23, 0x3e22_fbff_fe71_9a10)
        self.tv = host("tv", "70:2a:d5:44:01:c7", 31, 0x722a_d5ff_fe44_01c7)
        self.nas = host("nas", "00:11:32:8e:5f:40", 40, 0x0211_32ff_fe8e_5f40)
        self.camera = host("camera", "e0:4f:43:19:b2:3d", 52, 0xe24f_43ff_fe19_b23d)
        self.phone = host("phone", "f6:0e:9b:d3:21:88", 61, 0xf40e_9bff_fed3_2188)

    def ordinary_mix(self, t0, t1, sessions=20, with_camera=True, camera_s=45):
        """Random ordinary traffic in [t0, t1): nothing in it is a finding."""
        rng, lan, h = self.rng, self.lan, self
        span = t1 - t0

        def at():
            return t0 + rng.randrange(0, span)

        # TV keeps its clock: NTP every 64..1024 s, always answered.
        o.ntp_series(lan, t0 + rng.randrange(1 * S, 30 * S), t1, h.tv, NTP_SERVER4, rng)
        # Laptop browsing: DNS (router or 1.1.1.1, A or AAAA), then HTTPS.
        for i in range(sessions):
            t = at()
            use_v6 = self.prefix6 is not None and i % 3 == 2
            if use_v6:
                srv = rng.choice(HTTPS_SERVERS6)
                t = o.dns_lookup(lan, t, h.laptop, RESOLVER6, rng.choice(o.SITES), [srv], 14 * MS, rng)
            else:
                srv = rng.choice(HTTPS_SERVERS4)
                resolver = h.router.ip4 if i % 2 else RESOLVER4
                rtt = 2 * MS if i % 2 else 15 * MS
                t = o.dns_lookup(lan, t, h.laptop, resolver, rng.choice(o.SITES), [srv], rtt, rng,
                                 compress=bool(i % 4))
            if i % 5 == 4:
                o.dns_lookup(lan, t + 50, h.laptop, RESOLVER4, rng.choice(o.SITES),
                             ["2a00:1450:4001:82b::2003"], 15 * MS, rng)
            o.https_session(lan, t + 400, h.laptop, srv, "www.example.org", rng,
                            rng.randrange(20, 60) * MS, exchanges=rng.randrange(1, 4))
        # LAN-only: laptop <-> NAS over SMB2, ARP first.
        for _ in range(3):
            t = at()
            lan.arp_exchange(t, h.laptop, h.nas)
            o.smb_session(lan, t + 2 * MS, h.laptop, h.nas, rng, reads=rng.randrange(1, 4))
        # Discovery chatter: mDNS, SSDP, subnet broadcast, ARP.
        for _ in range(max(2, span // (600 * S))):
            o.mdns_query(lan, at(), rng.choice([h.phone, h.tv, h.laptop]))
            if self.prefix6 is not None:
                o.mdns_query_v6(lan, at(), h.phone)
        for _ in range(3):
            o.ssdp_search(lan, at(), rng.choice([h.phone, h.laptop]), rng)
            o.subnet_broadcast(lan, at(), h.nas)
            lan.arp_exchange(at(), h.router, rng.choice([h.tv, h.phone, h.camera]))
        # Camera: continuous one-way upload, 20 ms apart, never 20 s silent.
        if with_camera:
            t = t0 + rng.randrange(0, max(1, span - camera_s * S))
            o.one_way_stream(lan, t, h.camera.ip4, CAMERA_CLOUD4, o.ephemeral_port(rng), 10500,
                             camera_s * S, 20 * MS, rng)
