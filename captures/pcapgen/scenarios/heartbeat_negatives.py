"""heartbeat_negatives.pcap: 12 minutes of ordinary traffic that is busy, sometimes regular,
but holds no heartbeat and no dead cloud (truth: no "heartbeat", no "dead_cloud").

- laptop: a large download, one TCP 443 flow (TLS 1.3, ~3,000 full-size segments, an ACK
  every second segment); web browsing: many short HTTPS connections to different hosts at
  irregular (exponential) times, each after a DNS lookup;
- TV: an RTP-like video stream (UDP, PT 96) from a server every 20 ms for 60 s, and an
  HLS-like fetch (one TLS session, a request record and a response of varying size) every
  ~2 s (uniform 1.6..2.4 s) for the same minute;
- NAS and TV: NTP polls from port 123 with doubling intervals 64, 128, 256 s, answered;
- phone: request / response traffic at random times (an API over one TLS session, and UDP
  request / reply pairs), every remote resolved first.
"""
import random

from .. import heartbeat as hb
from .. import ntp
from .. import ordinary as o
from .. import payloads as pl
from ..p2ptraffic import free_port
from . import Scenario
from .home import Home

S, MS = o.S, o.MS
T0 = 1_713_261_600 * S          # 2024-04-16 10:00:00 UTC
DURATION = 12 * 60 * S
DOWNLOAD = ("dl.ubuntu-mirror.example-cdn.net", "151.101.2.132")
VIDEO = ("live.streamtv-cdn.com", "23.62.233.14")
HLS = ("hls.streamtv-cdn.com", "23.62.233.30")
NTP = ("pool.ntp.org", "162.159.200.1")
API = ("api.socialapp.io", "157.240.221.60")
GAME = ("eu.game-relay.net", "185.50.104.12")
SITES = [("www.%s" % d, a) for d, a in (
    ("wikipedia.org", "185.15.59.224"), ("github.com", "140.82.121.4"), ("bbc.co.uk", "151.101.0.81"),
    ("theguardian.com", "151.101.65.111"), ("debian.org", "130.89.148.77"), ("python.org", "151.101.192.223"),
    ("mozilla.org", "34.149.100.209"), ("lemonde.fr", "104.18.14.217"), ("spiegel.de", "128.65.210.8"),
    ("nytimes.com", "151.101.1.164"), ("reddit.com", "151.101.129.140"), ("stackoverflow.com", "104.18.32.7"),
    ("arxiv.org", "151.101.3.42"), ("openstreetmap.org", "130.117.76.9"), ("kernel.org", "139.178.84.217"),
    ("apache.org", "151.101.2.132"), ("gnu.org", "209.51.188.116"), ("rust-lang.org", "18.66.233.48"),
    ("golang.org", "142.250.185.81"), ("ietf.org", "104.16.44.99"), ("w3.org", "104.18.22.19"),
    ("ycombinator.com", "209.216.230.207"))]


def _big(rng, n):
    return rng.getrandbits(8 * n).to_bytes(n, "little")


def records(rng, total):
    """`total` bytes of TLS 1.3 application data records, none above 2^14 + 17 bytes of body."""
    out = b""
    while total > 0:
        n = min(total, 16401)
        out += pl.tls_app_data(rng, n)
        total -= n
    return out


def download(lan, rng, dev, server, sni, t, segments=3000, rtt=18 * MS):
    """TLS 1.3 download of `segments` full-size segments; the client ACKs every second one."""
    s = lan.tcp_session(dev.ip4, server, o.ephemeral_port(rng), 443)
    t = s.connect(t, rtt)
    ch = pl.tls_client_hello(rng, sni)
    t = s.exchange(t + MS, ch, pl.tls_server_hello(rng, ch) + pl.tls_app_data(rng, 3100), rtt)
    t = s.send(t + 2 * MS, True, pl.tls_change_cipher_spec() + pl.tls_app_data(rng, 53) + pl.tls_app_data(rng, 420),
               rtt)
    body = b""
    while len(body) < segments * s.mss:   # full 16 KiB TLS 1.3 records (+ type byte + tag)
        body += pl._record(23, _big(rng, 16384 + 17))
    body = body[:segments * s.mss]
    cut = body.rfind(b"\x17\x03\x03")     # end on a record boundary: trim the last partial record
    while cut > 0 and cut + 5 + 16401 != len(body):
        body = body[:cut]
        cut = body.rfind(b"\x17\x03\x03")
    t += rtt
    n = 0
    for i in range(0, len(body), s.mss):
        t += 110 + rng.randrange(0, 40)   # ~100 Mbit/s
        s.segment(t, False, body[i:i + s.mss], push=(i + s.mss >= len(body)))
        n += 1
        if n % 2 == 0 or i + s.mss >= len(body):
            s.ack(t + 40)
    return s.close(t + 3 * S, True, rtt), n


def build(seed=25):
    rng = random.Random(seed)
    home = Home(rng, fixed=True)
    lan, router = home.lan, home.router.ip4
    t0, t1 = T0, T0 + DURATION
    for k, h in enumerate((home.laptop, home.tv, home.nas, home.phone)):
        lan.arp_exchange(t0 + k * 200 * MS, h, home.router)

    # laptop: one large download, then browsing at irregular times
    t = hb.resolve(lan, rng, t0 + 10 * S, home.laptop, router, *DOWNLOAD)
    download(lan, rng, home.laptop, DOWNLOAD[1], DOWNLOAD[0], t + 2 * MS)
    t = t0 + 20 * S
    order = list(SITES)
    rng.shuffle(order)
    for name, addr in order:
        t += int(rng.expovariate(1 / (25 * S)))
        if t > t1 - 40 * S:
            break
        t2 = hb.resolve(lan, rng, t, home.laptop, router, name, addr, rtt=rng.randrange(2, 20) * MS)
        o.https_session(lan, t2 + 300, home.laptop, addr, name, rng, rng.randrange(15, 90) * MS,
                        exchanges=rng.randrange(1, 4))

    # TV: a minute of video (RTP-like every 20 ms) and an HLS-like fetch every ~2 s
    tv = home.tv
    tv_start = t0 + 240 * S
    t = hb.resolve(lan, rng, tv_start, tv, router, *VIDEO)
    sport, dport = free_port(rng), free_port(rng)
    lan.udp(t + MS, tv.ip4, VIDEO[1], dport, sport, pl.rtp_like(0, 0, rng.getrandbits(32), pl.opaque(rng, 40), pt=96))
    o.one_way_stream(lan, t + 60 * MS, VIDEO[1], tv.ip4, sport, dport, 60 * S, 20 * MS, rng, size=240)
    t = hb.resolve(lan, rng, t + 100 * MS, tv, router, *HLS)
    s = lan.tcp_session(tv.ip4, HLS[1], o.ephemeral_port(rng), 443)
    t = s.connect(t + MS, 22 * MS)
    ch = pl.tls_client_hello(rng, HLS[0])
    t = s.exchange(t + MS, ch, pl.tls_server_hello(rng, ch) + pl.tls_app_data(rng, 2800), 22 * MS)
    t = s.send(t + MS, True, pl.tls_change_cipher_spec() + pl.tls_app_data(rng, 53), 22 * MS)
    tf = t + 500 * MS
    while tf < tv_start + 62 * S:
        end = s.exchange(tf, pl.tls_app_data(rng, rng.randrange(280, 460)),
                         records(rng, rng.randrange(4000, 48000)), 22 * MS, server_think=rng.randrange(2, 30) * MS)
        tf = max(end + 50 * MS, tf + rng.randrange(1600, 2400) * MS)
    s.close(tf + 5 * S, True, 22 * MS)

    # NTP from port 123, doubling poll intervals
    for host, start in ((home.nas, t0 + 15 * S), (tv, t0 + 95 * S)):
        t = hb.resolve(lan, rng, start, host, router, *NTP)
        tp, poll = t + 5 * MS, 6
        while tp < t1 and poll <= 9:
            req = ntp.client_request(tp, poll)
            lan.udp(tp, host.ip4, NTP[1], 123, 123, req)
            recv = tp + 9 * MS
            lan.udp(tp + 19 * MS, NTP[1], host.ip4, 123, 123,
                    ntp.server_reply(req, recv, recv + 40, refid_ip="10.18.4.1", poll=poll))
            tp += (1 << poll) * S
            poll += 1

    # phone: request / response at random times
    phone = home.phone
    t = hb.resolve(lan, rng, t0 + 30 * S, phone, router, *API)
    s = lan.tcp_session(phone.ip4, API[1], o.ephemeral_port(rng), 443)
    t = s.connect(t + MS, 35 * MS)
    ch = pl.tls_client_hello(rng, API[0])
    t = s.exchange(t + MS, ch, pl.tls_server_hello(rng, ch) + pl.tls_app_data(rng, 3300), 35 * MS)
    t = s.send(t + MS, True, pl.tls_change_cipher_spec() + pl.tls_app_data(rng, 53), 35 * MS)
    while True:
        t += rng.randrange(1 * S, 40 * S)
        if t > t1 - 30 * S:
            break
        t = s.exchange(t, pl.tls_app_data(rng, rng.randrange(100, 900)), pl.tls_app_data(rng, rng.randrange(200, 5000)),
                       35 * MS, server_think=rng.randrange(5, 200) * MS)
    s.close(t + 2 * S, True, 35 * MS)
    t = hb.resolve(lan, rng, t0 + 50 * S, phone, router, *GAME)
    sport, dport, ssrc = o.ephemeral_port(rng), free_port(rng), rng.getrandbits(32)
    seq = 0
    while t < t1 - 10 * S:
        t += int(rng.expovariate(1 / (6 * S))) + MS
        lan.udp(t, phone.ip4, GAME[1], sport, dport, pl.rtp_like(seq, t // 125, ssrc, pl.opaque(rng, rng.randrange(20, 200)),
                                                                  pt=98))
        lan.udp(t + rng.randrange(20, 90) * MS, GAME[1], phone.ip4, dport, sport,
                pl.rtp_like(seq, t // 125, ssrc ^ 1, pl.opaque(rng, rng.randrange(20, 400)), pt=98))
        seq += 1

    o.mdns_query(lan, t0 + 77 * S, phone)
    o.ssdp_search(lan, t0 + 140 * S, home.laptop, rng)
    return Scenario(lan.frames(), [], lan.p2p_labels(), "", lan.beat_marks())
