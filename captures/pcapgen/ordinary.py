"""Ordinary home traffic: DNS, HTTPS, NTP, SMB, mDNS, SSDP, subnet broadcast, ARP, a camera stream.

None of it produces a finding: every UDP 4-tuple towards a GLOBAL address either gets an
answer or never falls silent for 20 s, and no packet goes to port 0 or 1 of a GLOBAL address.
All times are integer microseconds.
"""
import ipaddress

from . import dns, ntp, payloads

S = 1_000_000
MS = 1_000

SITES = ["www.wikipedia.org", "api.github.com", "www.bbc.co.uk", "fonts.gstatic.com",
         "update.example-cdn.net", "mail.proton.me", "www.debian.org", "news.ycombinator.com"]


def ephemeral_port(rng):
    return rng.randrange(49152, 65536)


def dns_lookup(lan, t, client, resolver, name, answers, rtt, rng, qtype=None, compress=True):
    """One query from a fresh ephemeral port and its answer. Returns the answer time."""
    resolver = ipaddress.ip_address(resolver)
    if qtype is None:
        qtype = dns.TYPE_AAAA if answers and ipaddress.ip_address(answers[0]).version == 6 else dns.TYPE_A
    qid = rng.getrandbits(16)
    port = ephemeral_port(rng)
    src = client.addr(resolver.version)
    lan.udp(t, src, resolver, port, 53, dns.query(qid, name, qtype))
    lan.udp(t + rtt, resolver, src, 53, port, dns.response(qid, name, qtype, answers, compress=compress))
    return t + rtt


def https_session(lan, t, client, server, sni, rng, rtt, exchanges=2):
    """TCP 443: handshake, TLS 1.3 ClientHello / ServerHello, opaque records, FIN. Returns end."""
    server = ipaddress.ip_address(server)
    s = lan.tcp_session(client.addr(server.version), server, ephemeral_port(rng), 443)
    t = s.connect(t, rtt)
    ch = payloads.tls_client_hello(rng, sni)
    sh = payloads.tls_server_hello(rng, ch) + payloads.tls_app_data(rng, rng.randrange(2500, 4200))
    t = s.exchange(t + 200, ch, sh, rtt, server_think=300)
    fin = payloads.tls_change_cipher_spec() + payloads.tls_app_data(rng, 53)
    for _ in range(exchanges):
        req = fin + payloads.tls_app_data(rng, rng.randrange(90, 600))
        fin = b""
        resp = payloads.tls_app_data(rng, rng.randrange(200, 9000))
        t = s.exchange(t + rng.randrange(2 * MS, 400 * MS), req, resp, rtt, server_think=rng.randrange(1, 40) * MS)
    return s.close(t + rng.randrange(1 * S, 20 * S), True, rtt)


def ntp_series(lan, t, t_end, client, server, rng, rtt=18 * MS, port=123):
    """Client polls server:123 from a fixed port every 64..1024 s; each poll is answered."""
    server = ipaddress.ip_address(server)
    src = client.addr(server.version)
    poll = 6
    while t < t_end:
        req = ntp.client_request(t, poll)
        lan.udp(t, src, server, port, 123, req)
        recv = t + rtt // 2
        lan.udp(t + rtt, server, src, 123, port,
                ntp.server_reply(req, recv, recv + 40, refid_ip="17.253.34.125", poll=poll))
        poll = rng.choice([6, 7, 8, 9, 10])
        t += (1 << poll) * S + rng.randrange(0, 900 * MS)


def smb_session(lan, t, client, nas, rng, reads=3):
    """TCP 445 between two LAN hosts: SMB2 echo then a few READs. Returns end."""
    s = lan.tcp_session(client.ip4, nas.ip4, ephemeral_port(rng), 445)
    rtt = 400
    t = s.connect(t, rtt)
    mid = rng.randrange(10, 500)
    t = s.exchange(t + 300, payloads.smb2_echo(mid, False), payloads.smb2_echo(mid, True), rtt)
    fid = payloads.opaque(rng, 16)
    off = 0
    for _ in range(reads):
        mid += 1
        n = rng.choice([4096, 8192, 16384])
        t = s.exchange(t + rng.randrange(1, 50) * MS, payloads.smb2_read_request(mid, fid, off, n),
                       payloads.smb2_read_response(rng, mid, n), rtt)
        off += n
    return s.close(t + 5 * S, True, rtt)


# mDNS queries carry a random ID: with ID 0, tshark flags repeated identical queries
# as "DNS query retransmission" (an expert warning).
def mdns_query(lan, t, host, service="_googlecast._tcp.local"):
    lan.udp(t, host.ip4, "224.0.0.251", 5353, 5353,
            dns.query(lan.rng.getrandbits(16), service, dns.TYPE_PTR, rd=False), ttl=255)


def mdns_query_v6(lan, t, host, service="_googlecast._tcp.local"):
    lan.udp(t, host.ip6, "ff02::fb", 5353, 5353,
            dns.query(lan.rng.getrandbits(16), service, dns.TYPE_PTR, rd=False), ttl=255)


def ssdp_search(lan, t, host, rng):
    lan.udp(t, host.ip4, "239.255.255.250", ephemeral_port(rng), 1900, payloads.ssdp_msearch(), ttl=4)


def subnet_broadcast(lan, t, host, port=32412):
    """A discovery datagram to the subnet broadcast address (Ethernet ff:ff:ff:ff:ff:ff)."""
    lan.udp(t, host.ip4, lan.subnet4.broadcast_address, ephemeral_port(lan.rng) if port else 0, port,
            b"M-SEARCH * HTTP/1.1\r\n\r\n")


def one_way_stream(lan, t, src, dst, sport, dport, duration, interval, rng, size=320):
    """A continuous one-way UDP stream (a camera uploading RTP video, PT 96). Returns end."""
    end = t + duration
    seq, ts_rtp, ssrc = rng.getrandbits(16), rng.getrandbits(32), rng.getrandbits(32)
    while t < end:
        lan.udp(t, src, dst, sport, dport, payloads.rtp_like(seq, ts_rtp, ssrc, payloads.opaque(rng, size - 12), pt=96))
        seq, ts_rtp = seq + 1, ts_rtp + interval * 90 // 1000
        t += interval
    return t - interval
