"""Building blocks of traffic, each a generator of (time in us, frame): TCP handshakes, bulk
transfers either way, closes, DNS lookups, TLS 1.3 openings; and the payload material they
carry (random bytes from one shared pool, TLS application_data records)."""
import random

from pcapgen import dns
from pcapgen import payloads as pl

from .wire import ACK, FIN, MS, MSS, PSH, ROUTER, SYN, SYN_OPTS, SYNACK_OPTS, flow

# One megabyte of random bytes drawn once: payloads are slices of it, far cheaper than
# drawing fresh bytes per packet, and the same for every seed (only the offsets vary).
POOL = random.Random(0x9E3779B9).randbytes(1 << 20)


def rbytes(rng, n):
    o = rng.randrange(len(POOL) - n)
    return POOL[o:o + n]


def tls_records(rng, n, rec=16408, version=b"\x17\x03\x03"):
    """`n` bytes of TLS application_data records (full records of `rec` bytes of ciphertext)."""
    out, left = [], n
    while left > 0:
        body = min(rec, left - 5)
        if body < 17:
            body = 17
        out.append(version + body.to_bytes(2, "big") + rbytes(rng, body))
        left -= body + 5
    return b"".join(out)


def ephemeral(rng):
    return rng.randrange(49152, 65536)


def addr_in(rng, prefix16):
    return "%s.%d.%d" % (prefix16, rng.randrange(256), rng.randrange(1, 255))


def handshake(t, tcp, rtt):
    yield t, tcp.c(SYN, opts=SYN_OPTS)
    yield t + rtt, tcp.s(SYN | ACK, opts=SYNACK_OPTS)
    yield t + rtt + 60, tcp.c(ACK)


def down(t, tcp, data, rate, ack_delay=40):
    """Server -> client bulk at `rate` bytes/us: MSS segments, the client ACKs every second."""
    n = len(data)
    gap = max(int(MSS / rate), ack_delay + 20)
    k = 0
    for off in range(0, n, MSS):
        last = off + MSS >= n
        yield t, tcp.s(ACK | PSH if last else ACK, data[off:off + MSS])
        k += 1
        if k & 1 == 0 or last:
            yield t + ack_delay, tcp.c(ACK)
        t += gap
    return t


def up(t, tcp, data, rate, rtt):
    """Client -> server bulk: MSS segments, the server's ACKs (every second) arrive rtt later;
    emitted in time order by holding the pending ACK times."""
    n = len(data)
    gap = max(int(MSS / rate), 30)
    pending = []
    k = 0
    for off in range(0, n, MSS):
        while pending and pending[0] <= t:
            yield pending.pop(0), tcp.s(ACK)
        last = off + MSS >= n
        yield t, tcp.c(ACK | PSH if last else ACK, data[off:off + MSS])
        k += 1
        if k & 1 == 0 or last:
            pending.append(t + rtt)
        t += gap
    for ta in pending:
        yield ta, tcp.s(ACK)
    return pending[-1] if pending else t


def close(t, tcp, rtt, from_client=True):
    if from_client:
        yield t, tcp.c(FIN | ACK)
        yield t + rtt, tcp.s(FIN | ACK)
        yield t + rtt + 50, tcp.c(ACK)
    else:
        yield t, tcp.s(FIN | ACK)
        yield t + 50, tcp.c(FIN | ACK)
        yield t + rtt + 50, tcp.s(ACK)


def dns_lookup(rng, t, dev, resolver, name, addrs, qtype=dns.TYPE_A):
    """Query and answer; the resolver is the router (LAN) or a public resolver."""
    if resolver == ROUTER.ip:
        o, i = flow(rng, dev, ROUTER.ipb, peer=ROUTER)
        rtt = rng.randrange(1, 40) * MS
    else:
        o, i = flow(rng, dev, resolver)
        rtt = rng.randrange(8, 35) * MS
    qid, port = rng.getrandbits(16), ephemeral(rng)
    yield t, o.udp(port, 53, dns.query(qid, name, qtype))
    yield t + rtt, i.udp(53, port, dns.response(qid, name, qtype, addrs, ttl=rng.choice((60, 300, 3600))))
    return t + rtt


def tls_open(rng, t, tcp, rtt, sni):
    """Handshake, TLS 1.3 ClientHello / ServerHello+CCS+encrypted flight, client Finished."""
    yield from handshake(t, tcp, rtt)
    t += rtt + 200
    ch = pl.tls_client_hello(rng, sni)
    yield t, tcp.c(ACK | PSH, ch)
    t += rtt
    flight = pl.tls_server_hello(rng, ch) + tls_records(rng, rng.randrange(2500, 5200))
    t = yield from down(t, tcp, flight, 6.0)
    yield t + 300, tcp.c(ACK | PSH, pl.tls_change_cipher_spec() + tls_records(rng, 74))
    return t + 300
