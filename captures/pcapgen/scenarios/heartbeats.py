"""heartbeats.pcap: 16 minutes of a home LAN with IoT devices that keep calling home on a
schedule (protocols.md sections 3 and 4), a device whose cloud is dead, and a chatty e-reader.

- thermostat 192.168.1.90: cleartext MQTT 3.1.1 to 1883 (CONNECT keep-alive 30, CONNACK),
  PINGREQ / PINGRESP every 30 s +- 0.5 s, two PUBLISH (QoS 1) / PUBACK at irregular times;
- sensor hub 192.168.1.91: MQTT over TLS to AWS IoT on 8883 (TLS 1.2 resumed handshake, SNI
  a1b2c3-ats.iot.eu-west-1.amazonaws.com, ALPN x-amzn-mqtt-ca; the name resolved through a
  CNAME), a 31-byte record (PINGREQ in TLS 1.2 AES-GCM) every 60 s +- 0.2 s, the 31-byte reply
  ~50 ms later;
- robot vacuum 192.168.1.92: one TLS 1.3 session on 443 to api-eu.roborock.com (never resolved:
  its name comes from the SNI), a 64-byte record every uniform 45..60 s, a 48-byte reply, and
  three bigger command records pushed by the cloud at random times;
- Kalay camera 192.168.1.93: a login (0x071018) to the same master server every 40 s +- 1 s,
  each answered;
- smart plug 192.168.1.94: resolves mqtt.smartplug-cloud.com, then SYNs to its port 8883 that
  are never answered: retransmitted 1, 3 and 7 s after the first SYN, a new source port about
  every 30 s (dead cloud from the 3rd SYN);
- e-reader 192.168.1.95: ~77 packets a minute of small TCP/UDP traffic to four hosts at
  exponential times (no heartbeat); two of its names share one address (the latest answer wins);
- phone: a server answered only after a SYN retransmission (2 SYNs: no dead cloud); TV: a
  server that answered once, later unanswered SYNs (never dead cloud);
- a light ordinary mix (DNS, HTTPS, NTP, SMB, mDNS, SSDP, ARP).
"""
import random

from .. import heartbeat as hb
from .. import ordinary as o
from ..lan import Host
from . import Scenario
from .home import Home

S, MS = o.S, o.MS
T0 = 1_713_164_400 * S          # 2024-04-15 07:00:00 UTC
DURATION = 16 * 60 * S

MQTT_BROKER = ("mqtt.ecotherm-cloud.net", "3.121.47.90")
AWS_IOT = ("a1b2c3-ats.iot.eu-west-1.amazonaws.com", ["iot-eu-west-1-ats.elb.amazonaws.com"], "52.29.118.203")
VACUUM = ("api-eu.roborock.com", "3.69.220.71")
KALAY_SERVER = ("m2.iotcplatform.com", "122.248.234.207")
DEAD = ("mqtt.smartplug-cloud.com", "47.254.152.20")
EREADER_TCP = [("sync.ebookstore.net", "99.84.211.17"), ("covers.ebookstore.net", "99.84.211.17"),
               ("api.ebookstore.net", "34.98.117.5")]
EREADER_UDP = [("push.ebookstore.net", "35.186.224.25"), ("stats.ebookstore.net", "157.240.21.35")]
SLOW = ("api.weather-widget.com", "104.21.48.77")
FLAKY = ("cast.tvmaker-cloud.com", "18.184.99.12")


def build(seed=24):
    rng = random.Random(seed)
    home = Home(rng, fixed=True)
    lan, router = home.lan, home.router.ip4
    t0, t1 = T0, T0 + DURATION
    thermo = lan.add(Host("thermostat", "18:b4:30:5c:7e:21", "192.168.1.90"))
    hub = lan.add(Host("sensorhub", "dc:a6:32:01:9b:44", "192.168.1.91"))
    vacuum = lan.add(Host("vacuum", "50:ec:50:3a:12:9f", "192.168.1.92"))
    cam = lan.add(Host("kalaycam", "00:0e:c6:7a:44:10", "192.168.1.93"))
    plug = lan.add(Host("plug", "d8:f1:5b:c2:08:6a", "192.168.1.94"))
    reader = lan.add(Host("ereader", "f0:27:2d:8e:5a:31", "192.168.1.95"))
    for k, h in enumerate((thermo, hub, vacuum, cam, plug, reader)):
        lan.arp_exchange(t0 + 500 * MS + k * 300 * MS, h, home.router)

    # thermostat: MQTT 1883, keep-alive 30
    t = hb.resolve(lan, rng, t0 + 4 * S, thermo, router, *MQTT_BROKER)
    connect = t + 300 * MS
    series = hb.plan_series(rng, connect + 30 * S, t1 - 10 * S, hb.jitter_interval(rng, 30 * S, 500 * MS),
                            30 * S, "mqtt")
    hb.mqtt_plain_client(lan, rng, thermo, MQTT_BROKER[1], series, connect, t1 - 3 * S, "ecotherm-5c7e21", 30,
                         publishes=[connect + 137_400 * MS, connect + 611_900 * MS])

    # sensor hub: MQTT over TLS 1.2 on 8883, 31-byte records every 60 s
    t = hb.resolve(lan, rng, t0 + 11 * S, hub, router, AWS_IOT[0], AWS_IOT[2], cname=AWS_IOT[1])
    connect = t + 200 * MS
    series = hb.plan_series(rng, connect + 60 * S, t1 - 10 * S, hb.jitter_interval(rng, 60 * S, 200 * MS),
                            60 * S, "mqtts")
    hb.tls_keepalive_session(lan, rng, hub, AWS_IOT[2], 8883, AWS_IOT[0], series, connect, t1 - 2 * S, 31, 31,
                             tls12=True, alpn="x-amzn-mqtt-ca", first=(len(hb.mqtt_connect("hub-019b44", 60)), 4))

    # vacuum: TLS 1.3 on 443, never resolved, records every U(45, 60) s
    connect = t0 + 20 * S
    series = hb.plan_series(rng, connect + 45 * S, t1 - 10 * S, hb.uniform_interval(rng, 45 * S, 60 * S),
                            52_500 * MS, "vacuum")
    cmds = [(connect + rng.randrange(60, 900) * S + rng.randrange(0, S), rng.randrange(300, 900),
             rng.randrange(120, 220)) for _ in range(3)]
    hb.tls_keepalive_session(lan, rng, vacuum, VACUUM[1], 443, VACUUM[0], series, connect, t1 - 4 * S, 64, 48,
                             commands=cmds)

    # Kalay camera: login every 40 +- 1 s to one master server
    hb.resolve(lan, rng, t0 + 6 * S, cam, router, *KALAY_SERVER)
    series = hb.plan_series(rng, t0 + 8 * S, t1 - 5 * S, hb.jitter_interval(rng, 40 * S, 1 * S), 40 * S, "kalay")
    hb.kalay_relogin(lan, rng, cam, "NB4Z8XPQ2M7TKC9R5W3D", KALAY_SERVER[1], series, 41237)

    # smart plug: a dead broker
    t = hb.resolve(lan, rng, t0 + 30 * S, plug, router, *DEAD)
    hb.dead_broker(lan, rng, plug, DEAD[1], 8883, t + 100 * MS, t1 - 60 * S,
                   hb.jitter_interval(rng, 30 * S, 2 * S))

    # e-reader: chatty, irregular
    t = t0 + 40 * S
    for name, addr in EREADER_TCP[:1] + EREADER_UDP:
        t = hb.resolve(lan, rng, t, reader, router, name, addr) + 50 * MS
    hb.chatty(lan, rng, reader, [(EREADER_TCP[0][1], EREADER_TCP[0][0]), (EREADER_TCP[2][1], EREADER_TCP[2][0])],
              [a for _, a in EREADER_UDP], t + 1 * S, t1 - 10 * S)
    # api.ebookstore.net is used without a lookup until minute 8; covers.* then renames sync.*'s address
    hb.resolve(lan, rng, t0 + 8 * 60 * S, reader, router, *EREADER_TCP[2])
    hb.resolve(lan, rng, t0 + 9 * 60 * S, reader, router, *EREADER_TCP[1])

    # phone: answered after one retransmission; TV: answered once, then unanswered SYNs
    t = hb.resolve(lan, rng, t0 + 200 * S, home.phone, router, *SLOW)
    hb.slow_server(lan, rng, home.phone, SLOW[1], 443, t + 5 * MS, SLOW[0])
    t = hb.resolve(lan, rng, t0 + 300 * S, home.tv, router, *FLAKY)
    hb.answered_then_dead(lan, rng, home.tv, FLAKY[1], 443, t + 5 * MS, FLAKY[0])

    home.ordinary_mix(t0, t1, sessions=6, with_camera=False)
    lan.arp_exchange(t0, home.laptop, home.router)
    return Scenario(lan.frames(), [], lan.p2p_labels(), "", lan.beat_marks())
