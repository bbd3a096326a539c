"""The `iot` mix: a smart home's chatter, many small devices talking to their clouds and to
each other all day, a few cameras.

80 devices on 192.168.1.0/24 (plugs, bulbs, switches, sensors, speakers, hubs, thermostats,
appliances, two cloud cameras, two Kalay and two PPPP cameras, another platform's P2P camera,
a doorbell, a few phones); 1M packets span about 12 hours (hours in proportion to packets, so a
smaller capture has a similar composition). Packet shares (seed 1, 1M
packets; bench/README.md has the table as tshark sees it):
  - keepalive (22%): MQTT on 1883 (CONNECT, PINGREQ/PINGRESP, PUBLISH) and MQTT/TLS or TLS
    keepalives on 8883/443, a dead broker's unanswered SYNs;
  - poll (14%): a new HTTPS connection to the device's cloud every 1-5 minutes (DNS every
    fifth, handshake, TLS 1.3, request, answer, FIN);
  - lan (28%): Tuya-style encrypted broadcasts to UDP 6667 every 5 s, mDNS queries and
    service responses, SSDP NOTIFY and M-SEARCH, ARP, DHCP leases and renewals;
  - dns, ntp (7%): lookups of the devices' cloud and telemetry names, clock sync;
  - p2p (8%): Kalay and PPPP cameras' logins and a few remote live views, one camera of
    another P2P platform;
  - upload (13%) and web (9%): motion clips of the cloud cameras over TLS/TCP, phones'
    app sessions.
"""
from .cameras import P2PCameras
from .cloud import CloudChatter
from .iotchatter import IotChatter
from .lan import LanChatter
from .lookalikes import P2PLookalikes
from .planner import Planner
from .sessions import Sessions
from .wire import S


class IotMix(Planner, LanChatter, CloudChatter, IotChatter, P2PCameras, P2PLookalikes, Sessions):
    NAME = "iot"
    PACKETS_PER_HOUR = 70_000       # 1M packets: about 14 hours planned, 12.4 written
    ADDRESS_GAP = 2
    HOUSEHOLD = (("plug", 18, "50:02:91"), ("bulb", 14, "d8:a0:11"), ("switch", 6, "c4:dd:57"),
                 ("sensor", 10, "84:f3:eb"), ("speaker", 4, "f0:f5:bd"), ("hub", 3, "00:17:88"),
                 ("thermostat", 2, "64:16:66"), ("tv", 2, "a8:23:fe"), ("streamer", 1, "b0:ee:7b"),
                 ("cloudcam", 2, "2c:aa:8e"), ("kalaycam", 2, "e0:62:34"), ("ppppcam", 2, "b4:6d:c2"),
                 ("p2pcam", 1, "48:3f:e9"), ("doorbell", 1, "ac:cc:8e"), ("vacuum", 1, "78:11:dc"),
                 ("washer", 1, "88:57:1d"), ("fridge", 1, "70:2c:1f"), ("purifier", 2, "5c:e5:0c"),
                 ("printer", 1, "30:05:5c"), ("ereader", 1, "f0:27:2d"), ("phone", 3, "f4:0f:24"),
                 ("laptop", 1, "3c:22:fb"), ("tablet", 1, "28:6a:ba"))

    def plan(self):
        self.household()
        secs = self.dur / S

        # Everything periodic, by the hour.
        for d in self.all:
            self.add("ntp", 2 * int(secs / 300), self._sub(self.ntp, d))
            self.add("lan", int(secs / 120 * 2), self._sub(self.arp, d))
            self.add("lan", int(secs / 1800 * 2) + 4, self._sub(self.dhcp_lease, d, 3600))
            self.add("dns", int(secs / 160 * 2), self._sub(self.dns_chatter, d))
        for d in self.of("speaker", "hub", "tv", "streamer", "phone", "tablet", "laptop", "printer", "bulb"):
            self.add("lan", int(secs / 120 * 1.5), self._sub(self.mdns, d))
        for d in self.of("speaker", "hub", "tv", "streamer", "printer", "sensor"):
            self.add("lan", int(secs / 180), self._sub(self.mdns_responder, d))
        for d in self.of("tv", "streamer", "speaker", "hub"):
            self.add("lan", int(secs / 120 * 6), self._sub(self.ssdp_notify, d))
        for d in self.of("phone", "tablet", "laptop", "tv"):
            self.add("lan", int(secs / 180 * 2), self._sub(self.ssdp, d))
        for d in self.of("plug"):
            self.add("lan", int(secs / 5), self._sub(self.tuya_broadcast, d))
        for d in self.of("plug", "bulb", "sensor"):
            self.add("keepalive", int(secs / 67 * 3.6), self._sub(self.mqtt, d))
        for d in self.of("switch", "speaker", "hub", "cloudcam", "vacuum", "doorbell", "purifier", "ereader"):
            self.add("keepalive", int(secs / 56 * 4), self._sub(self.tls_keepalive, d))
        self.add("keepalive", int(secs / 60 * 4), self._sub(self.dead_broker, self.devs["plug"][0]))
        for d in self.of("switch", "thermostat", "hub", "washer", "fridge", "purifier", "vacuum", "tv", "speaker",
                         "phone", "tablet", "plug")[::2] + self.of("thermostat", "fridge", "washer"):
            period = self.rng.randrange(60, 300)
            self.add("poll", int(secs / period * 20), self._sub(self.cloud_poll, d, period))
        for k, d in enumerate(self.devs["kalaycam"]):
            self.add("p2p", int(secs / 40 * 2), self._sub(self.kalay_login, d, k))
        for k, d in enumerate(self.devs["ppppcam"]):
            self.add("p2p", int(secs / 18 * 2), self._sub(self.pppp_login, d, k))
        for d in self.of("p2pcam"):
            self.add("p2p", int(secs / 7.5 * 2), self._sub(self.lookalike_login, d))
        self.add("doorbell", int(secs / 480 * 3), self._sub(self.doorbell, self.devs["doorbell"][0]))

        # Motion clips, phones' app sessions and remote live views fill the rest.
        # (plan_p2p_session's estimates are ~2/3 of what its live views send.)
        self.fill_balanced(int(self.n * 1.1), [("upload", 0.55, self.plan_upload), ("web", 0.33, self.plan_web),
                                               ("p2p", 0.12, self.plan_p2p_session)])
