"""The `web` mix: today's TCP/web-heavy home (the benchmark's original capture, unchanged, so
earlier figures stay comparable: the same seed and arguments give the same bytes as the
generate_mix.py of before the mixes).

45 devices on 192.168.1.0/24; packet shares (targets; the generator's summary gives the real
ones):
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
from .cameras import P2PCameras
from .cloud import CloudChatter
from .lan import LanChatter
from .planner import Planner
from .sessions import Sessions
from .wire import S


class WebMix(Planner, LanChatter, CloudChatter, P2PCameras, Sessions):
    NAME = "web"
    HOURS = 3.0              # fixed whatever the size (as before the mixes): see default_hours
    HOUSEHOLD = (("phone", 6, "f4:0f:24"), ("laptop", 3, "3c:22:fb"), ("desktop", 1, "d8:bb:c1"),
                 ("tablet", 2, "28:6a:ba"), ("tv", 3, "a8:23:fe"), ("streamer", 2, "b0:ee:7b"),
                 ("console", 1, "7c:bb:8a"), ("nas", 1, "00:11:32"), ("kalaycam", 2, "e0:62:34"),
                 ("ppppcam", 2, "b4:6d:c2"), ("cloudcam", 2, "2c:aa:8e"), ("doorbell", 1, "ac:cc:8e"),
                 ("plug", 6, "50:02:91"), ("mqttsensor", 3, "84:f3:eb"), ("speaker", 3, "f0:f5:bd"),
                 ("vacuum", 1, "78:11:dc"), ("hub", 2, "00:17:88"), ("thermostat", 1, "64:16:66"),
                 ("printer", 1, "30:05:5c"), ("ereader", 1, "f0:27:2d"), ("washer", 1, "88:57:1d"))

    @classmethod
    def default_hours(cls, packets):
        # Kept at 3 h for any size, as the original generator did: a small capture of this mix
        # is mostly background chatter, not the 1M capture's composition (slice a full-size
        # capture instead: run.py --slice).
        return cls.HOURS

    def plan(self):
        self.household()
        hours = self.dur / (3600 * S)

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

        # P2P live views, uploads, SMB copies, web and video fill the rest in fixed shares.
        self.fill(int(self.n * 1.1), [("p2p", 0.025, self.plan_p2p_session), ("upload", 0.06, self.plan_upload),
                                      ("smb", 0.035, self.plan_smb), ("web", 0.27, self.plan_web)],
                  self.plan_video)
