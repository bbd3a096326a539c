"""Heartbeat traffic for the heartbeat scenarios: MQTT 3.1.1 messages, TLS 1.2 records, beat
schedules, and the device lives built from them (protocols.md sections 3 and 4).

A "beat" is a packet the generator plans as part of a periodic series. Every beat is emitted
with a mark {"kind": K, "period": P} (lan.Lan.beat_marks): K names the series' kind (the oracle
separates series by flow, direction and kind), P is the planned mean period in seconds (the
mean of the interval distribution, not a measurement). Missed beats are simply not emitted;
extra packets of the same kind at off-beat times carry no mark. Replies to beats (PINGRESP,
server acks) are a series of their own in the other direction, also marked.

All times are integer microseconds; every random draw comes from the scenario's rng.
"""
import ipaddress
import struct

from . import dns
from . import ordinary as o
from . import payloads as pl
from .p2ptraffic import free_port, kalay_send

S, MS = o.S, o.MS


# -- MQTT 3.1.1 ------------------------------------------------------------------------------
PINGREQ, PINGRESP = b"\xc0\x00", b"\xd0\x00"


def _remaining_length(n):
    out = b""
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def _mqtt_str(s):
    raw = s.encode("utf-8")
    return struct.pack("!H", len(raw)) + raw


def mqtt_connect(client_id, keepalive, username=None, password=None):
    """CONNECT, protocol level 4, clean session; Keep Alive (u16 BE) after the flags byte."""
    flags = 0x02 | (0x80 if username is not None else 0) | (0x40 if password is not None else 0)
    var = _mqtt_str("MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive)
    body = _mqtt_str(client_id)
    if username is not None:
        body += _mqtt_str(username)
    if password is not None:
        body += _mqtt_str(password)
    return b"\x10" + _remaining_length(len(var) + len(body)) + var + body


def mqtt_connack(session_present=False, rc=0):
    return bytes([0x20, 2, 1 if session_present else 0, rc])


def mqtt_publish(topic, payload, packet_id):
    """PUBLISH QoS 1."""
    var = _mqtt_str(topic) + struct.pack("!H", packet_id)
    return b"\x32" + _remaining_length(len(var) + len(payload)) + var + payload


def mqtt_puback(packet_id):
    return b"\x40\x02" + struct.pack("!H", packet_id)


# -- TLS 1.2 (abbreviated handshake: session resumption, so no certificate in clear) ---------
SUITE_ECDHE_RSA_AES128_GCM = 0xC02F


def tls12_client_hello(rng, sni, alpn=()):
    """TLS 1.2 ClientHello offering a session id to resume, with SNI (and ALPN if given)."""
    host = sni.encode("ascii")
    exts = [pl._ext(0, pl._u16len(b"\x00" + pl._u16len(host))),
            pl._ext(10, pl._u16len(struct.pack("!HH", 0x0017, 0x0018))),
            pl._ext(11, pl._u8len(b"\x00")),
            pl._ext(13, pl._u16len(struct.pack("!HHHH", 0x0401, 0x0501, 0x0403, 0x0503))),
            pl._ext(23, b""),                                  # extended_master_secret
            pl._ext(0xFF01, b"\x00")]                          # renegotiation_info
    if alpn:
        exts.insert(4, pl._ext(16, pl._u16len(b"".join(pl._u8len(a.encode("ascii")) for a in alpn))))
    suites = struct.pack("!HHHH", SUITE_ECDHE_RSA_AES128_GCM, 0xC030, 0x009C, 0x002F)
    body = b"\x03\x03" + pl._rand(rng, 32) + pl._u8len(pl._rand(rng, 32)) + pl._u16len(suites) + \
        pl._u8len(b"\x00") + pl._u16len(b"".join(exts))
    return pl._record(22, pl._handshake(1, body), version=0x0301)


def tls12_server_resume(rng, client_hello, alpn=None):
    """ServerHello echoing the client's session id (resumption), ChangeCipherSpec and the
    encrypted Finished (8-byte explicit nonce + 16 + 16-byte tag)."""
    sid = client_hello[5 + 4 + 2 + 32 + 1:5 + 4 + 2 + 32 + 1 + 32]
    exts = pl._ext(0xFF01, b"\x00") + pl._ext(23, b"")
    if alpn:
        exts += pl._ext(16, pl._u16len(pl._u8len(alpn.encode("ascii"))))
    body = b"\x03\x03" + pl._rand(rng, 32) + pl._u8len(sid) + \
        struct.pack("!HB", SUITE_ECDHE_RSA_AES128_GCM, 0) + pl._u16len(exts)
    return pl._record(22, pl._handshake(2, body)) + pl.tls_change_cipher_spec() + pl._record(22, pl._rand(rng, 40))


def tls12_client_finished(rng):
    return pl.tls_change_cipher_spec() + pl._record(22, pl._rand(rng, 40))


def tls12_app_data(rng, plain_len):
    """An AES-GCM application_data record for `plain_len` bytes: 5 + 8 + plain_len + 16 on the wire."""
    return pl._record(23, pl._rand(rng, 8 + plain_len + 16))


def tls13_app_data(rng, wire_len):
    """A TLS 1.3 application_data record of `wire_len` bytes on the wire (header included)."""
    return pl.tls_app_data(rng, wire_len - 5)


# -- schedules -------------------------------------------------------------------------------
def beat_times(rng, t0, t1, interval, max_beats=None):
    """Times t0, t0 + interval(), ... below t1 (interval() draws one interval in us)."""
    out, t = [], t0
    while t < t1 and (max_beats is None or len(out) < max_beats):
        out.append(t)
        t += interval()
    return out


def uniform_interval(rng, lo_us, hi_us):
    return lambda: rng.randrange(lo_us, hi_us + 1)


def jitter_interval(rng, period_us, jitter_us):
    return lambda: period_us + rng.randrange(-jitter_us, jitter_us + 1)


def off_beat_time(rng, times, k=None):
    """A time between two planned beats, at least a fifth of the gap away from both."""
    k = rng.randrange(2, len(times) - 1) if k is None else k
    a, b = times[k], times[k + 1]
    return a + (b - a) // 5 + rng.randrange(0, max(1, 3 * (b - a) // 5))


def mark(kind, period_us):
    return {"kind": kind, "period": round(period_us / S, 6)}


class Series:
    """A planned periodic series: beat times, an optional missed beat (index), optional extra
    off-beat packets (times), the planned mean period."""

    def __init__(self, rng, times, period_us, kind, missed=None, extra=()):
        self.times, self.period_us, self.kind = times, period_us, kind
        self.missed = missed
        self.extra = sorted(extra)

    def events(self):
        """[(t, is_beat)] in time order, the missed beat left out."""
        ev = [(t, True) for i, t in enumerate(self.times) if i != self.missed]
        ev += [(t, False) for t in self.extra]
        return sorted(ev)

    def beats(self):
        return len(self.times) - (self.missed is not None)


def plan_series(rng, t0, t1, interval, period_us, kind, max_beats=None, missed=False, extra=False):
    times = beat_times(rng, t0, t1, interval, max_beats)
    m = rng.randrange(3, len(times) - 2) if missed else None
    ex = []
    if extra:
        k = rng.randrange(2, len(times) - 1)
        ex = [off_beat_time(rng, times, k)]
    return Series(rng, times, period_us, kind, m, ex)


def _drop_near(times, avoid, gap_us):
    """The times at least gap_us away from every time in `avoid`."""
    return [t for t in times if all(abs(t - a) >= gap_us for a in avoid)]


# -- lives -----------------------------------------------------------------------------------
def resolve(lan, rng, t, host, resolver, name, addr, rtt=3 * MS, cname=None):
    """A (or AAAA) lookup from a fresh port, answered, optionally through a CNAME chain."""
    addr = ipaddress.ip_address(addr)
    if cname is None:
        return o.dns_lookup(lan, t, host, resolver, name, [str(addr)], rtt, rng)
    qtype = dns.TYPE_AAAA if addr.version == 6 else dns.TYPE_A
    qid, port = rng.getrandbits(16), o.ephemeral_port(rng)
    src = host.addr(ipaddress.ip_address(resolver).version)
    lan.udp(t, src, resolver, port, 53, dns.query(qid, name, qtype))
    lan.udp(t + rtt, resolver, src, 53, port, dns.response_chain(qid, name, qtype, cname, [str(addr)]))
    return t + rtt


def mqtt_plain_client(lan, rng, dev, broker, series: Series, t_connect, t_end, client_id, keepalive,
                      publishes=(), port=1883, rtt=25 * MS, cport=None):
    """Cleartext MQTT on TCP `port`: CONNECT (keep-alive), CONNACK, PINGREQ / PINGRESP at the
    series' times (beats marked in both directions), PUBLISH QoS 1 / PUBACK at `publishes`
    (kept >= 2 s from pings), FIN at t_end. Returns the number of frames' worth of nothing."""
    s = lan.tcp_session(dev.ip4, broker, cport or o.ephemeral_port(rng), port)
    t = s.connect(t_connect, rtt)
    t = s.exchange(t + 2 * MS, mqtt_connect(client_id, keepalive), mqtt_connack(), rtt, server_think=MS)
    ev = [(tb, "ping", beat) for tb, beat in series.events()]
    pings = [tb for tb, _ in series.events()]
    ev += [(tp, "pub", False) for tp in _drop_near(sorted(publishes), pings, 2 * S)]
    pid = rng.randrange(1, 200)
    last = t
    for tb, what, beat in sorted(ev):
        assert tb > last, "MQTT events overlap"
        r = rtt + rng.randrange(-3 * MS, 3 * MS)
        if what == "ping":
            m_req = mark(series.kind + "_req", series.period_us) if beat else None
            m_rsp = mark(series.kind + "_rsp", series.period_us) if beat else None
            last = s.exchange(tb, PINGREQ, PINGRESP, r, beat=m_req, reply_beat=m_rsp)
        else:
            pid += 1
            topic = "%s/state" % client_id
            body = ('{"t":%d,"v":%d}' % (rng.randrange(150, 290), rng.randrange(0, 100))).encode()
            last = s.exchange(tb, mqtt_publish(topic, body, pid), mqtt_puback(pid), r)
    s.close(max(t_end, last + 1 * S), True, rtt)


def tls_keepalive_session(lan, rng, dev, server, port, sni, series: Series, t_connect, t_end, req_len,
                          rsp_len, tls12=False, alpn=None, first=None, commands=(), rtt=50 * MS):
    """A long TLS session: handshake (TLS 1.2 resumption with ALPN, or the TLS 1.3 helpers), an
    optional first exchange `first` = (request plaintext length, response plaintext length),
    then a record of `req_len` bytes on the wire from the device at each beat, answered ~rtt
    later by a record of `rsp_len` bytes (both marked), and bigger command records pushed by
    the server at `commands` = [(t, cmd_wire_len, reply_wire_len)] (kept >= 2 s from beats)."""
    s = lan.tcp_session(dev.ip4, server, o.ephemeral_port(rng), port)
    t = s.connect(t_connect, rtt)
    if tls12:
        ch = tls12_client_hello(rng, sni, (alpn,) if alpn else ())
        t = s.exchange(t + MS, ch, tls12_server_resume(rng, ch, alpn), rtt, server_think=MS)
        fin = tls12_client_finished(rng)

        def rec(n):  # n = wire length
            return tls12_app_data(rng, n - 29)
    else:
        ch = pl.tls_client_hello(rng, sni)
        t = s.exchange(t + MS, ch, pl.tls_server_hello(rng, ch) + pl.tls_app_data(rng, rng.randrange(2500, 4200)),
                       rtt, server_think=MS)
        # 161 bytes on the wire: never the size of a keepalive record (40..139)
        fin = pl.tls_change_cipher_spec() + pl.tls_app_data(rng, 150)
        rec = (lambda n: tls13_app_data(rng, n))
    if first:
        req = fin + (tls12_app_data(rng, first[0]) if tls12 else tls13_app_data(rng, first[0]))
        rsp = tls12_app_data(rng, first[1]) if tls12 else tls13_app_data(rng, first[1])
        t = s.exchange(t + 5 * MS, req, rsp, rtt, server_think=2 * MS)
    else:
        t = s.send(t + 5 * MS, True, fin, rtt)
    beats = [tb for tb, _ in series.events()]
    ev = [(tb, "beat", b) for tb, b in series.events()]
    ev += [(tc, "cmd", (a, b)) for tc, a, b in sorted(commands) if all(abs(tc - x) >= 2 * S for x in beats)]
    last = t
    for tb, what, arg in sorted(ev):
        assert tb > last, "TLS session events overlap"
        r = rtt + rng.randrange(-5 * MS, 5 * MS)
        if what == "beat":
            m_req = mark(series.kind + "_req", series.period_us) if arg else None
            m_rsp = mark(series.kind + "_rsp", series.period_us) if arg else None
            last = s.exchange(tb, rec(req_len), rec(rsp_len), r, beat=m_req, reply_beat=m_rsp)
        else:
            cmd, reply = arg
            t2 = s.send(tb, False, rec(cmd), r)
            last = s.send(t2 + rng.randrange(80, 400) * MS, True, rec(reply), r)
    s.close(max(t_end, last + 1 * S), True, rtt)


def kalay_relogin(lan, rng, cam, uid, server, series: Series, cam_port, server_port=10240, version=0x19,
                  encoding="scrambled"):
    """A Kalay camera's login (get public IP, 0x071018, same code and server every time) at
    the series' times, each answered by the server (0x081018); both marked when a beat."""
    public_ip = ipaddress.IPv4Address("81.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)))
    for t, beat in series.events():
        body = uid.encode() + bytes(4) + struct.pack("<I", rng.getrandbits(32))
        kalay_send(lan, t, cam.ip4, server, cam_port, server_port, "get_public_ip", body, version, encoding,
                   uid=uid, beat=mark(series.kind + "_req", series.period_us) if beat else None)
        reply = uid.encode() + struct.pack(">H", cam_port) + public_ip.packed + bytes(2)
        kalay_send(lan, t + rng.randrange(30, 260) * MS, server, cam.ip4, server_port, cam_port, b"\x08\x10\x18",
                   reply, version, encoding, uid=uid,
                   beat=mark(series.kind + "_rsp", series.period_us) if beat else None)


def dead_broker(lan, rng, dev, broker, port, t0, t1, attempt_gap, retrans=(1, 3, 7), max_attempts=None):
    """TCP SYNs to broker:port that are never answered: each attempt from a new source port,
    retransmitted at the `retrans` offsets (seconds after its first SYN); attempts start
    attempt_gap() us apart. Returns the number of SYNs sent."""
    t, n, attempts = t0, 0, 0
    while t < t1 and (max_attempts is None or attempts < max_attempts):
        s = lan.tcp_session(dev.ip4, broker, o.ephemeral_port(rng), port)
        s.syn(t)
        for off in retrans:
            s.syn(t + int(off * S) + rng.randrange(0, 3 * MS), retransmit=True)
        n += 1 + len(retrans)
        attempts += 1
        t += max(attempt_gap(), int(retrans[-1] * S) + 1 * S if retrans else 1 * S)
    return n


def slow_server(lan, rng, dev, server, port, t, sni, rtt=40 * MS):
    """A TCP connection answered only after one SYN retransmission (2 SYNs: no dead cloud),
    then a short TLS exchange and FIN."""
    s = lan.tcp_session(dev.ip4, server, o.ephemeral_port(rng), port)
    s.syn(t)
    t += 1 * S + rng.randrange(0, 3 * MS)
    s.syn(t, retransmit=True)
    s.syn_ack(t + rtt)
    s.ack(t + rtt + 100)
    t += rtt + 100
    ch = pl.tls_client_hello(rng, sni)
    t = s.exchange(t + MS, ch, pl.tls_server_hello(rng, ch) + pl.tls_app_data(rng, 2900), rtt)
    t = s.exchange(t + 20 * MS, pl.tls_change_cipher_spec() + pl.tls_app_data(rng, 53) + pl.tls_app_data(rng, 180),
                   pl.tls_app_data(rng, 700), rtt)
    return s.close(t + 2 * S, True, rtt)


def answered_then_dead(lan, rng, dev, server, port, t, sni, gap_s=60, syns=4, rtt=40 * MS):
    """A server that answers once (a short TLS session), then stops answering: later SYNs to
    it are never dead cloud (a segment came from it earlier)."""
    t = slow_server(lan, rng, dev, server, port, t, sni, rtt)
    t += gap_s * S
    s = lan.tcp_session(dev.ip4, server, o.ephemeral_port(rng), port)
    s.syn(t)
    off = 0
    for k in range(1, syns):
        off += (1 << (k - 1)) * S
        s.syn(t + off, retransmit=True)
    return t + off


def chatty(lan, rng, dev, tcp_servers, udp_servers, t0, t1, per_minute=77):
    """Small traffic at exponential times (no periodicity): TLS records both ways on long TCP
    443 sessions (3 frames per exchange) and UDP request / reply pairs with an RTP-like
    header on free ports (2 frames), ~per_minute packets a minute in all."""
    sessions = []
    for srv, sni in tcp_servers:
        s = lan.tcp_session(dev.ip4, srv, o.ephemeral_port(rng), 443)
        t = s.connect(t0 + rng.randrange(0, 2 * S), 30 * MS)
        ch = pl.tls_client_hello(rng, sni)
        t = s.exchange(t + MS, ch, pl.tls_server_hello(rng, ch) + pl.tls_app_data(rng, rng.randrange(2500, 4200)),
                       30 * MS)
        t = s.send(t + 5 * MS, True, pl.tls_change_cipher_spec() + pl.tls_app_data(rng, 53), 30 * MS)
        sessions.append([s, t])
    udp = [(srv, o.ephemeral_port(rng), free_port(rng), rng.getrandbits(32), rng.getrandbits(16)) for srv in udp_servers]
    frames_per_event = (3 * len(sessions) + 2 * len(udp)) / (len(sessions) + len(udp))
    mean_gap = 60 * S / (per_minute / frames_per_event)
    t = t0 + 3 * S
    n = 0
    while True:
        t += int(rng.expovariate(1 / mean_gap)) + 1
        if t >= t1:
            break
        k = rng.randrange(len(sessions) + len(udp))
        if k < len(sessions):
            s, busy = sessions[k]
            if t <= busy + 5 * MS:
                continue
            sessions[k][1] = s.exchange(t, pl.tls_app_data(rng, rng.randrange(30, 260)),
                                        pl.tls_app_data(rng, rng.randrange(30, 600)), rng.randrange(20, 60) * MS)
        else:
            srv, sport, dport, ssrc, seq = udp[k - len(sessions)]
            udp[k - len(sessions)] = (srv, sport, dport, ssrc, seq + 1)
            lan.udp(t, dev.ip4, srv, sport, dport, pl.rtp_like(seq, t // 125, ssrc, pl.opaque(rng, rng.randrange(8, 90)),
                                                                pt=97))
            lan.udp(t + rng.randrange(15, 80) * MS, srv, dev.ip4, dport, sport,
                    pl.rtp_like(seq, t // 125, ssrc ^ 0xFFFF, pl.opaque(rng, rng.randrange(8, 120)), pt=97))
        n += 1
    for s, busy in sessions:
        s.close(max(t1, busy + S), True, 30 * MS)
    return n


def global_addr(rng, prefixes=("3", "13", "18", "34", "35", "44", "47", "52", "54", "63", "99", "104", "120",
                               "139", "147", "157", "159", "161", "185")):
    """A random unicast address in a cloud-looking /8."""
    return "%s.%d.%d.%d" % (rng.choice(prefixes), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
