"""A device's ties to the cloud: NTP, MQTT keepalives on 1883, TLS keepalives on 443/8883,
a dead broker's unanswered SYNs, the DNS lookups of apps and telemetry."""
from pcapgen import dns
from pcapgen import heartbeat as hb
from pcapgen import ntp

from .blocks import addr_in, dns_lookup, ephemeral, handshake, rbytes, tls_open, tls_records
from .planner import START_US
from .wire import ACK, MS, PSH, ROUTER, S, SYN, SYN_OPTS, Tcp, flow, ip4b

NTP_SERVERS = ["162.159.200.123", "162.159.200.1", "216.239.35.0", "17.253.34.125", "129.250.35.251"]
# Names apps and devices look up over and over (telemetry, ads, time, push, configuration).
CHATTER_NAMES = ["connectivitycheck.gstatic.com", "time.android.com", "mtalk.google.com", "clients4.google.com",
                 "api.amazon.com", "device-metrics-us.amazon.com", "captive.apple.com", "gateway.icloud.com",
                 "graph.facebook.com", "app-measurement.com", "firebaseinstallations.googleapis.com",
                 "settings.crashlytics.com", "api.tuyaeu.com", "a2.tuyaeu.com", "mqtt.meross.com",
                 "ocsp.digicert.com", "pool.ntp.org", "fw.ota.example-iot.com", "api.smartthings.com",
                 "dp.roborock.com", "in.appcenter.ms", "config.edge.skype.com", "push.prod.netflix.com"]


class CloudChatter:
    """Keepalives and clock sync (mixed into a Planner: self.dur)."""

    def ntp(self, rng, d):
        t = rng.randrange(0, 60 * S)
        server = rng.choice(NTP_SERVERS)
        o, i = flow(rng, d, server)
        port = 123 if d.kind in ("tv", "nas", "laptop", "desktop") else ephemeral(rng)
        poll = rng.choice((64, 256, 1024)) if d.kind in ("tv", "nas", "laptop", "desktop") else 300
        while t < self.dur:
            req = ntp.client_request(START_US + t)
            yield t, o.udp(port, 123, req)
            rtt = rng.randrange(8, 30) * MS
            yield t + rtt, i.udp(123, port, ntp.server_reply(req, START_US + t + rtt // 2, START_US + t + rtt // 2 + 30))
            t += poll * S + rng.randrange(-2 * S, 2 * S)

    def mqtt(self, rng, d):
        broker = addr_in(rng, rng.choice(("18.185", "35.158", "52.29", "3.120")))
        keepalive = rng.choice((30, 60, 60, 120))
        t = rng.randrange(0, 60 * S)
        t = (yield from dns_lookup(rng, t, d, ROUTER.ip, "a%x-ats.iot.eu-west-1.amazonaws.com" % rng.getrandbits(24), [broker])) + 50 * MS
        rtt = rng.randrange(20, 60) * MS
        tcp = Tcp(rng, flow(rng, d, broker), ephemeral(rng), 1883)
        yield from handshake(t, tcp, rtt)
        t += rtt + 1 * MS
        yield t, tcp.c(ACK | PSH, hb.mqtt_connect("%s-%06x" % (d.kind, rng.getrandbits(24)), keepalive))
        yield t + rtt, tcp.s(ACK | PSH, hb.mqtt_connack())
        yield t + rtt + 60, tcp.c(ACK)
        pid = 1
        while t < self.dur:
            t += keepalive * S + rng.randrange(-200 * MS, 200 * MS)
            if rng.random() < 0.3:
                yield t - 7 * S, tcp.c(ACK | PSH, hb.mqtt_publish("tele/%s/state" % d.name, rbytes(rng, rng.randrange(20, 200)), pid))
                yield t - 7 * S + rtt, tcp.s(ACK | PSH, hb.mqtt_puback(pid))
                pid += 1
            yield t, tcp.c(ACK | PSH, hb.PINGREQ)
            yield t + rtt, tcp.s(ACK | PSH, hb.PINGRESP)
            yield t + rtt + 60, tcp.c(ACK)

    def tls_keepalive(self, rng, d):
        name = "%s.%s" % (rng.choice(("device-metrics", "avs-alexa", "api", "mqtt", "dp")),
                          rng.choice(("amazon.com", "googleapis.com", "tuyaeu.com", "roborock.com", "kobo.com")))
        server = addr_in(rng, rng.choice(("54.239", "142.250", "3.121", "52.58")))
        period = rng.choice((30, 45, 60, 90)) * S
        t = rng.randrange(0, 60 * S)
        t = (yield from dns_lookup(rng, t, d, ROUTER.ip, name, [server])) + 40 * MS
        rtt = rng.randrange(20, 80) * MS
        port = rng.choice((443, 443, 8883))
        tcp = Tcp(rng, flow(rng, d, server), ephemeral(rng), port)
        t = yield from tls_open(rng, t, tcp, rtt, name)
        req = rng.randrange(30, 60)
        while t < self.dur:
            t += period + int(period * rng.uniform(-0.12, 0.12))
            yield t, tcp.c(ACK | PSH, tls_records(rng, req))
            yield t + rtt, tcp.s(ACK | PSH, tls_records(rng, req + 4))
            yield t + rtt + 50, tcp.c(ACK)
            yield t + 2 * rtt, tcp.s(ACK)

    def dead_broker(self, rng, d):
        broker = ip4b("34.246.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)))
        t = rng.randrange(0, 60 * S)
        while t < self.dur:
            tcp = Tcp(rng, flow(rng, d, broker), ephemeral(rng), 8883)
            for off in (0, 1, 3, 7):
                if off:
                    tcp.cseq -= 1
                yield t + off * S + rng.randrange(0, 3 * MS), tcp.c(SYN, opts=SYN_OPTS)
            t += 60 * S + rng.randrange(0, 5 * S)

    def dns_chatter(self, rng, d, lo_s=20, hi_s=300):
        """Lookups through the router of a few names the device's apps use, every lo_s-hi_s
        seconds; one in five for AAAA."""
        names = rng.sample(CHATTER_NAMES, 4)
        t = rng.randrange(0, 60 * S)
        while t < self.dur:
            name = rng.choice(names)
            if rng.random() < 0.2:
                addr = "2a00:1450:4001:8%02x::200e" % rng.randrange(256)
                t = yield from dns_lookup(rng, t, d, ROUTER.ip, name, [addr], dns.TYPE_AAAA)
            else:
                t = yield from dns_lookup(rng, t, d, ROUTER.ip, name, [addr_in(rng, rng.choice(("142.250", "52.94", "104.16")))])
            t += rng.randrange(lo_s, hi_s) * S
