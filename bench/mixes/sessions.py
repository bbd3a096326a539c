"""Sessions people start: DASH video over TLS, web browsing over TLS (some over IPv6), camera
clip and NAS backup uploads, SMB2 file copies from the NAS."""
import ipaddress
import math
import struct

from pcapgen import payloads as pl

from .blocks import addr_in, close, dns_lookup, down, ephemeral, handshake, rbytes, tls_open, tls_records, up
from .wire import ACK, MS, MSS, PSH, ROUTER, RST, S, Path6, Tcp, flow

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


class Sessions:
    """Mixed into a Planner (self.devs["nas"] for the SMB copies). plan_*() draw a session's
    device, start and size from the planner's random stream and add it."""

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

    # -- the sessions --------------------------------------------------------------------------

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
