"""Link-Local Multicast Name Resolution (RFC 4795): a query for a single-label name sent to
224.0.0.252 / ff02::1:3 port 5355, and the unicast response from the host that owns the name,
which echoes the question and answers with its own A or AAAA record (TTL 30 s, as Windows and
systemd-resolved use).
"""
from . import dns_records as rr

PORT = 5355
GROUP4, GROUP6 = "224.0.0.252", "ff02::1:3"
FLAG_RESPONSE = 0x8000


def query(qid, name, qtype=rr.TYPE_A) -> bytes:
    return rr.message(qid, 0, questions=[(name, qtype)])


def response(qid, name, addr, ttl=30) -> bytes:
    """The owner's answer: the question echoed, one A / AAAA record (owner compressed to it)."""
    v6 = ":" in str(addr)
    rec = rr.aaaa(name, addr, ttl, cache_flush=False) if v6 else rr.a(name, addr, ttl, cache_flush=False)
    return rr.message(qid, FLAG_RESPONSE, questions=[(name, rr.TYPE_AAAA if v6 else rr.TYPE_A)], answers=[rec])
