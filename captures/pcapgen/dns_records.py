"""DNS messages assembled record by record, with name compression (RFC 1035 section 4.1.4),
for the multicast and link-local resolvers (mDNS, LLMNR) whose messages carry several
sections: questions, answers, authority, additional records.

A record is Record(name, rtype, rdata, ttl, cache_flush). Its rdata is raw bytes, or a
name (PTR), or ("srv", priority, weight, port, target) so that the names inside it can be
compressed as real responders do. cache_flush sets the top bit of the class (mDNS, RFC 6762
section 10.2) on records the responder owns uniquely.
"""
import ipaddress
import struct
from collections import namedtuple

TYPE_A, TYPE_PTR, TYPE_TXT, TYPE_AAAA, TYPE_SRV = 1, 12, 16, 28, 33
CLASS_IN, CACHE_FLUSH = 1, 0x8000

Record = namedtuple("Record", "name rtype rdata ttl cache_flush", defaults=(120, False))


def a(name, addr, ttl=120, cache_flush=True):
    return Record(name, TYPE_A, ipaddress.IPv4Address(addr).packed, ttl, cache_flush)


def aaaa(name, addr, ttl=120, cache_flush=True):
    return Record(name, TYPE_AAAA, ipaddress.IPv6Address(addr).packed, ttl, cache_flush)


def ptr(name, target, ttl=4500):
    return Record(name, TYPE_PTR, target, ttl, False)  # shared record: no cache-flush


def srv(name, target, port, ttl=120, priority=0, weight=0):
    return Record(name, TYPE_SRV, ("srv", priority, weight, port, target), ttl, True)


def txt(name, strings, ttl=4500):
    raw = b"".join(bytes([len(s)]) + s for s in (x.encode("utf-8") for x in strings)) or b"\x00"
    return Record(name, TYPE_TXT, raw, ttl, True)


class _Writer:
    """Appends to a message, pointing at the longest suffix of a name already written."""

    def __init__(self, header: bytes):
        self.buf = bytearray(header)
        self.seen = {}  # lower-case suffix -> offset

    def name(self, name: str, compress=True):
        labels = name.rstrip(".").split(".")
        for i in range(len(labels)):
            suffix = ".".join(labels[i:]).lower()
            if compress and suffix in self.seen:
                self.buf += struct.pack("!H", 0xC000 | self.seen[suffix])
                return
            if len(self.buf) < 0x3FFF:
                self.seen.setdefault(suffix, len(self.buf))
            raw = labels[i].encode("utf-8")
            if not 0 < len(raw) < 64:
                raise ValueError("bad label in %r" % name)
            self.buf += bytes([len(raw)]) + raw
        self.buf += b"\x00"

    def record(self, r: Record, compress):
        self.name(r.name, compress)
        self.buf += struct.pack("!HHI", r.rtype, CLASS_IN | (CACHE_FLUSH if r.cache_flush else 0), r.ttl)
        at = len(self.buf)
        self.buf += b"\x00\x00"  # rdlength, filled in below
        if isinstance(r.rdata, str):
            self.name(r.rdata, compress)
        elif isinstance(r.rdata, tuple):
            _, prio, weight, port, target = r.rdata
            self.buf += struct.pack("!HHH", prio, weight, port)
            self.name(target, compress)
        else:
            self.buf += r.rdata
        struct.pack_into("!H", self.buf, at, len(self.buf) - at - 2)


def message(qid, flags, questions=(), answers=(), authority=(), additional=(), compress=True) -> bytes:
    """questions: [(name, qtype)] (class IN); the other sections: [Record]."""
    w = _Writer(struct.pack("!HHHHHH", qid, flags, len(questions), len(answers), len(authority),
                            len(additional)))
    for name, qtype in questions:
        w.name(name, compress)
        w.buf += struct.pack("!HH", qtype, CLASS_IN)
    for section in (answers, authority, additional):
        for r in section:
            w.record(r, compress)
    return bytes(w.buf)
