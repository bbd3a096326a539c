"""The `udp` mix: a home with cameras and screens, where most datagrams are UDP that no
Wireshark dissector claims (issue 16's UDP-heavy home).

34 devices on 192.168.1.0/24. The busiest hour of an evening (1M packets span about an hour;
hours in proportion to packets, so a smaller capture has a similar composition; sessions are
shortened to a third of the capture at most). Packet shares (seed 1, 1M packets; bench/README.md has the table as tshark sees
it: 69% of the packets are UDP that no Wireshark dissector claims):
  - rtp (28%): two IP cameras recording to the NAS, RTP-like H.264 on even high ports
    (192-384 kbit/s, 25 fps, an I frame every 2 s), the NAS's RTCP receiver reports;
  - game (21%): consoles, a PC, a laptop and phones in online games: the client's input at
    30 or 60 Hz (30-90 bytes), the server's snapshots at 20, 30 or 60 Hz (60-500 bytes), on
    game servers' high ports;
  - quic (24%): video and pages over QUIC v1 to UDP 443 (Initial with SNI, Handshake,
    1-RTT short-header bulk, ACKs), each after a DNS lookup;
  - call (10%): video calls through a relay on UDP 8801-8810: STUN, then RTP video and
    audio both ways on one 5-tuple, RTCP;
  - p2p (7%) and lookalike (4%): Kalay and PPPP cameras' logins and remote live views;
    cameras of other P2P platforms on the same ports (32100, 32108, 32761, 10240, 10001)
    with payloads neither reader claims, near misses of both headers; phones' LAN searches;
  - web (6%): TLS/TCP browsing; keepalives (MQTT, TLS), DNS, NTP, mDNS, SSDP, ARP, a doorbell.
"""
import math

from .cameras import P2PCameras
from .cloud import CloudChatter
from .lan import LanChatter
from .lookalikes import P2PLookalikes
from .planner import Planner
from .sessions import Sessions
from .streams import Streams, rtp_packets_per_s
from .wire import S


class UdpMix(Planner, LanChatter, CloudChatter, P2PCameras, P2PLookalikes, Streams, Sessions):
    NAME = "udp"
    PACKETS_PER_HOUR = 1_000_000    # the busiest hour of an evening
    HOUSEHOLD = (("phone", 5, "f4:0f:24"), ("laptop", 2, "3c:22:fb"), ("desktop", 1, "d8:bb:c1"),
                 ("tablet", 2, "28:6a:ba"), ("tv", 2, "a8:23:fe"), ("streamer", 1, "b0:ee:7b"),
                 ("console", 2, "7c:bb:8a"), ("nas", 1, "00:11:32"), ("ipcam", 2, "bc:ad:28"),
                 ("kalaycam", 2, "e0:62:34"), ("ppppcam", 2, "b4:6d:c2"), ("p2pcam", 3, "48:3f:e9"),
                 ("doorbell", 1, "ac:cc:8e"), ("plug", 4, "50:02:91"), ("speaker", 2, "f0:f5:bd"),
                 ("hub", 1, "00:17:88"), ("printer", 1, "30:05:5c"))

    def plan(self):
        self.household()
        hours = self.dur / (3600 * S)
        secs = hours * 3600

        # Background, by the hour.
        for d in self.all:
            self.add("ntp", 2 * int(secs / 300), self._sub(self.ntp, d))
            self.add("lan", int(hours * 60), self._sub(self.mdns, d))
            self.add("lan", int(hours * 30), self._sub(self.arp, d))
        for d in self.of("phone", "laptop", "desktop", "tablet", "tv", "streamer", "console"):
            self.add("lan", int(hours * 60), self._sub(self.ssdp, d))
            self.add("dns", int(secs / 32 * 2), self._sub(self.dns_chatter, d, 5, 60))
        for d in self.of("plug"):
            self.add("keepalive", int(secs / 60 * 3), self._sub(self.mqtt, d))
        for d in self.of("speaker", "hub", "tv"):
            self.add("keepalive", int(secs / 45 * 4), self._sub(self.tls_keepalive, d))
        for d in self.of("ipcam"):
            kbps = self.rng.choice((192, 256, 384))
            self.add("rtp", int(secs * (rtp_packets_per_s(kbps) + 0.2)), self._sub(self.recorder_stream, d, kbps))
        for k, d in enumerate(self.devs["kalaycam"]):
            self.add("p2p", int(secs / 40 * 2), self._sub(self.kalay_login, d, k))
        for k, d in enumerate(self.devs["ppppcam"]):
            self.add("p2p", int(secs / 18 * 2), self._sub(self.pppp_login, d, k))
        for d in self.of("p2pcam"):
            self.add("lookalike", int(secs / 7.5 * 2), self._sub(self.lookalike_login, d))
        for d in self.of("phone")[:2]:
            self.add("lookalike", int(secs / 1500 * 40), self._sub(self.lan_search, d))
        self.add("doorbell", 60, self._sub(self.doorbell, self.devs["doorbell"][0]))

        # Sessions fill the rest in fixed shares.
        self.fill_balanced(int(self.n * 1.1), [
            ("game", 0.25, self.plan_game), ("quic", 0.35, self.plan_quic), ("call", 0.15, self.plan_call),
            # plan_p2p_session's estimates are ~2/3 of what its live views send: 0.07 gives ~10%
            ("p2p", 0.07, self.plan_p2p_session), ("web", 0.11, self.plan_web),
            ("lookalike", 0.07, self.plan_lookalike_view)])

    def plan_game(self):
        rng = self.rng
        d = rng.choice(self.of("console", "console", "desktop", "laptop", "phone"))
        secs = self.span(rng.randrange(3 * 60, 20 * 60))
        chz, shz = rng.choice((30, 60)), rng.choice((20, 30, 60))
        start = self.when(rng, secs + 10)
        self.add("game", secs * (chz + shz), lambda r: self.game(r, d, start, secs, chz, shz))

    def plan_call(self):
        rng = self.rng
        d = rng.choice(self.of("phone", "phone", "laptop", "tablet", "desktop"))
        secs = self.span(rng.randrange(60, 5 * 60))
        up, down = rng.choice((250, 400, 600, 800)), rng.choice((400, 700, 1000, 1500))
        start = self.when(rng, secs + 10)
        est = int(secs * (rtp_packets_per_s(up) + rtp_packets_per_s(down) + 100.5)) + 2
        self.add("call", est, lambda r: self.video_call(r, d, start, secs, up, down))

    def plan_lookalike_view(self):
        rng = self.rng
        d = rng.choice(self.of("p2pcam"))
        secs = self.span(rng.randrange(30, 240))
        start = self.when(rng, secs + 10)
        self.add("lookalike", secs * 22, lambda r: self.lookalike_view(r, d, start, secs))

    def plan_quic(self):
        rng = self.rng
        d = rng.choice(self.of("phone", "phone", "tablet", "tv", "streamer", "laptop"))
        if rng.random() < 0.5:     # a video: a 4-s segment every 4 s at 1-2.5 Mbit/s
            secs = self.span(rng.randrange(30, 6 * 60))
            rate = rng.choice((1.0, 1.5, 2.5)) * 1e6 / 8
            chunks = [(4.0 if k else 0.05, int(rate * 4 * rng.uniform(0.8, 1.2))) for k in range(secs // 4)]
        else:                      # a page: a few requests of lognormal sizes
            chunks = [(rng.expovariate(1 / 1.5), int(min(2e6, rng.lognormvariate(math.log(20000), 1.3))))
                      for _ in range(rng.randrange(1, 12))]
        start = self.when(rng, sum(c[0] for c in chunks) + 60)
        est = 8 + sum(int(size / 1250 * 1.5) + 2 for _, size in chunks)
        link = rng.choice((3.0, 6.0, 12.0))
        self.add("quic", est, lambda r: self.quic_fetch(r, d, start, chunks, link))
