"""heartbeat_variant (--seed N): the heartbeats capture with everything drawn from the seed.

LAN subnet, MACs, start time and every remote address and name are random. Series (each with
at least 7 planned beats, at most 60):
- cleartext MQTT on 1883: keep-alive K in 5..300 s; pings every P = K x U(1.00, 1.10) with a
  jitter of +- min(0.5 s, P / 50);
- MQTT over TLS 1.2 (31-byte records) on 8883 or 443: its own K and P drawn the same way;
- a vacuum-like TLS 1.3 session on 443 or 8883: P in 20..120 s, intervals uniform in
  [0.85 P, 1.15 P], random fixed record sizes, 0-3 command records at random times;
- a Kalay camera re-logging in to one server every L +- 1 s, L in 30..60 s, on 10240 or a
  random server port.
In each series, with probability 1/2, one planned beat is missed (from index 3 on) and, with
probability 1/2, one extra packet of the same kind (request and reply, not beats) is sent
between two beats; at least one series of the capture has a missed beat and one an extra.
The dead broker: 8883, 1883, 443 or a random port; first retransmission after 1-3 s, then
doubling, 2-5 retransmissions; a new source port every G x U(0.9, 1.1), G in 15..120 s; 6-14
attempts. Negatives: a chatty device (40-90 packets a minute for 5-10 min, exponential
timing), browsing, NTP with doubling polls, a server answered after one SYN retransmission, a
server that answered once and then stopped answering, the ordinary mix. Some remotes are never
resolved (their name comes from the SNI). Duration: 8.5 times the longest period + 1 min, at
least 10 min. Under 5,000 frames.
"""
import random
import string

from .. import heartbeat as hb
from .. import ntp
from .. import ordinary as o
from ..addresses import GLOBAL, classify
from ..lan import Host
from ..p2ptraffic import free_port, kalay_uid
from . import Scenario
from .home import Home, random_mac

S, MS = o.S, o.MS
MAX_BEATS = 60
TLDS = ["com", "net", "io", "cn", "eu", "de", "co.uk"]


def _name(rng, prefix):
    word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(4, 10)))
    return "%s.%s-cloud.%s" % (prefix, word, rng.choice(TLDS))


def _keepalive_period(rng):
    k = rng.randrange(5, 301)
    p = k * S * rng.randrange(1000, 1101) // 1000
    return k, p, min(500 * MS, p // 50)


def build(seed=1):
    rng = random.Random(seed)
    home = Home(rng, fixed=False)
    lan, router = home.lan, home.router.ip4
    base = home.lan.subnet4.network_address
    t0 = (1_712_000_000 + rng.randrange(0, 30 * 86400)) * S
    used = set()

    def remote():
        while True:
            a = hb.global_addr(rng)
            if a not in used and classify(a) == GLOBAL:
                used.add(a)
                return a

    def device(name, last):
        h = lan.add(Host(name, random_mac(rng), base + last))
        return h

    lasts = rng.sample(range(70, 250), 8)
    thermo, hub, vacuum, cam, plug, chat, slow_dev, flaky_dev = (
        device(n, x) for n, x in zip(("mqtt", "mqtts", "vacuum", "kalay", "plug", "chatty", "slow", "flaky"), lasts))

    k1, p1, j1 = _keepalive_period(rng)
    k2, p2, j2 = _keepalive_period(rng)
    pv = rng.randrange(20, 121) * S
    lk = rng.randrange(30, 61) * S
    pmax = max(p1 + j1, p2 + j2, pv * 115 // 100, lk + S)
    duration = max(10 * 60 * S, pmax * 17 // 2 + 60 * S)
    t1 = t0 + duration
    flags = [(rng.random() < 0.5, rng.random() < 0.5) for _ in range(4)]
    if not any(m for m, _ in flags):
        i = rng.randrange(4)
        flags[i] = (True, flags[i][1])
    if not any(e for _, e in flags):
        i = rng.randrange(4)
        flags[i] = (flags[i][0], True)
    for k, h in enumerate((thermo, hub, vacuum, cam, plug, chat, slow_dev, flaky_dev)):
        lan.arp_exchange(t0 + 300 * MS + k * 170 * MS, h, home.router)

    def plan(start, interval, period, kind, f):
        sr = hb.plan_series(rng, start, t1 - 20 * S, interval, period, kind, MAX_BEATS, missed=f[0], extra=f[1])
        assert sr.beats() >= 6, (kind, sr.beats())
        return sr

    # cleartext MQTT
    broker, bname = remote(), _name(rng, "mqtt")
    t = hb.resolve(lan, rng, t0 + rng.randrange(2, 20) * S, thermo, router, bname, broker)
    connect = t + rng.randrange(50, 500) * MS
    sr = plan(connect + p1, hb.jitter_interval(rng, p1, j1), p1, "mqtt", flags[0])
    t_end = min(t1 - 5 * S, sr.times[-1] + p1 // 2 + 2 * S)
    pubs = [connect + rng.randrange(1, max(2, (t_end - connect) // S - 1)) * S + rng.randrange(0, S)
            for _ in range(rng.randrange(0, 4))]
    hb.mqtt_plain_client(lan, rng, thermo, broker, sr, connect, t_end,
                         "dev-%06x" % rng.getrandbits(24), k1, publishes=pubs, rtt=rng.randrange(10, 120) * MS)

    # MQTT over TLS 1.2
    srv, name = remote(), _name(rng, "%s-ats.iot" % "".join(rng.choice("0123456789abcdef") for _ in range(6)))
    t = t0 + rng.randrange(2, 30) * S
    if rng.random() < 0.7:
        t = hb.resolve(lan, rng, t, hub, router, name, srv,
                       cname=[_name(rng, "edge")] if rng.random() < 0.5 else None)
    connect = t + rng.randrange(50, 500) * MS
    sr = plan(connect + p2, hb.jitter_interval(rng, p2, j2), p2, "mqtts", flags[1])
    hb.tls_keepalive_session(lan, rng, hub, srv, rng.choice([8883, 443]), name, sr, connect,
                             min(t1 - 5 * S, sr.times[-1] + p2 // 2 + 2 * S), 31, 31, tls12=True,
                             alpn=rng.choice(["x-amzn-mqtt-ca", "mqtt", None]), first=(rng.randrange(30, 120), 4),
                             rtt=rng.randrange(20, 150) * MS)

    # vacuum-like TLS 1.3
    srv, name = remote(), _name(rng, "api")
    t = t0 + rng.randrange(2, 30) * S
    if rng.random() < 0.5:
        t = hb.resolve(lan, rng, t, vacuum, router, name, srv)
    connect = t + rng.randrange(50, 500) * MS
    sr = plan(connect + pv, hb.uniform_interval(rng, pv * 85 // 100, pv * 115 // 100), pv, "vacuum", flags[2])
    t_end = min(t1 - 5 * S, sr.times[-1] + pv // 2 + 2 * S)
    cmds = [(connect + rng.randrange(10 * S, t_end - connect - 5 * S), rng.randrange(200, 1200), rng.randrange(80, 300))
            for _ in range(rng.randrange(0, 4))]
    hb.tls_keepalive_session(lan, rng, vacuum, srv, rng.choice([443, 8883]), name, sr, connect, t_end,
                             rng.randrange(40, 140), rng.randrange(30, 140), commands=cmds,
                             rtt=rng.randrange(20, 150) * MS)

    # Kalay re-login
    srv = remote()
    hb.resolve(lan, rng, t0 + rng.randrange(1, 5) * S, cam, router, "m%d.iotcplatform.com" % rng.randrange(1, 6), srv)
    sr = plan(t0 + rng.randrange(6, 12) * S, hb.jitter_interval(rng, lk, S), lk, "kalay", flags[3])
    hb.kalay_relogin(lan, rng, cam, kalay_uid(rng), srv, sr, free_port(rng),
                     server_port=rng.choice([10240, free_port(rng)]), version=rng.choice([0x19, 0x1A]),
                     encoding=rng.choice(["scrambled", "partial"]))

    # dead broker
    srv, name = remote(), _name(rng, "mqtt")
    t = hb.resolve(lan, rng, t0 + rng.randrange(10, 120) * S, plug, router, name, srv)
    r = rng.randrange(1, 4)
    offsets = [r * ((1 << k) - 1) for k in range(1, rng.randrange(3, 7))]
    g = rng.randrange(15, 121) * S
    hb.dead_broker(lan, rng, plug, srv, rng.choice([8883, 1883, 443, rng.randrange(20000, 60000)]), t + 80 * MS, t1 - 30 * S,
                   hb.uniform_interval(rng, g * 9 // 10, g * 11 // 10), retrans=offsets, max_attempts=rng.randrange(6, 15))

    # negatives
    tcp_srv = [(remote(), _name(rng, "sync")) for _ in range(rng.randrange(1, 3))]
    udp_srv = [remote() for _ in range(rng.randrange(1, 3))]
    start = t0 + rng.randrange(20, max(21, (duration - 11 * 60 * S) // S)) * S
    for a, n in tcp_srv:
        start = hb.resolve(lan, rng, start, chat, router, n, a) + 20 * MS
    hb.chatty(lan, rng, chat, tcp_srv, udp_srv, start + S, start + rng.randrange(5, 11) * 60 * S,
              per_minute=rng.randrange(40, 91))
    srv, name = remote(), _name(rng, "www")
    t = hb.resolve(lan, rng, t0 + rng.randrange(30, 300) * S, slow_dev, router, name, srv)
    hb.slow_server(lan, rng, slow_dev, srv, 443, t + 5 * MS, name)
    srv, name = remote(), _name(rng, "cast")
    t = hb.resolve(lan, rng, t0 + rng.randrange(30, 300) * S, flaky_dev, router, name, srv)
    hb.answered_then_dead(lan, rng, flaky_dev, srv, 443, t + 5 * MS, name, gap_s=rng.randrange(20, 200),
                          syns=rng.randrange(3, 6))
    ntp_srv = remote()
    tp, poll = t0 + rng.randrange(5, 60) * S, 6
    while tp < t1 and poll <= 10:
        req = ntp.client_request(tp, poll)
        lan.udp(tp, home.nas.ip4, ntp_srv, 123, 123, req)
        lan.udp(tp + 20 * MS, ntp_srv, home.nas.ip4, 123, 123,
                ntp.server_reply(req, tp + 10 * MS, tp + 10 * MS + 40, refid_ip="10.1.2.3", poll=poll))
        tp += (1 << poll) * S
        poll += 1
    for _ in range(rng.randrange(3, 9)):
        srv, name = remote(), _name(rng, "www")
        t = hb.resolve(lan, rng, t0 + rng.randrange(5 * S, duration - 60 * S), home.laptop, router, name, srv)
        o.https_session(lan, t + 300, home.laptop, srv, name, rng, rng.randrange(15, 90) * MS,
                        exchanges=rng.randrange(1, 4))
    home.ordinary_mix(t0, t1, sessions=rng.randrange(2, 7), with_camera=False)
    lan.arp_exchange(t0, home.laptop, home.router)
    return Scenario(lan.frames(), [], lan.p2p_labels(), "", lan.beat_marks())
