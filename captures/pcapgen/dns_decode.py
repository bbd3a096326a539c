"""DNS message reading for the ground-truth oracle (unicast DNS, mDNS, LLMNR share the format):
names with compression pointers, and every record of every section. Independent of the
builders (dns, dns_records), so the truth reads what is in the frames."""
import ipaddress
import struct
from collections import namedtuple

TYPE_A, TYPE_CNAME, TYPE_AAAA = 1, 5, 28
ANSWER, AUTHORITY, ADDITIONAL = "answer", "authority", "additional"

# value: the address (A, AAAA), the target name (CNAME), else the raw rdata.
DnsRecord = namedtuple("DnsRecord", "section name rtype value")
DnsMessage = namedtuple("DnsMessage", "qid flags questions records")


def read_name(msg, off):
    """Read a possibly compressed name; returns (name, offset after it) or raises ValueError."""
    labels, end, hops = [], None, 0
    while True:
        if off >= len(msg):
            raise ValueError("name past the end")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg) or hops > 64:
                raise ValueError("bad pointer")
            if end is None:
                end = off + 2
            off, hops = (n & 0x3F) << 8 | msg[off + 1], hops + 1
        elif n & 0xC0:
            raise ValueError("bad label type")
        elif n == 0:
            return ".".join(labels), (end if end is not None else off + 1)
        else:
            labels.append(msg[off + 1:off + 1 + n].decode("latin-1"))
            off += 1 + n


def parse(msg):
    """The whole message as DnsMessage(qid, flags, [question names], [DnsRecord]), or None
    when it is cut short or malformed."""
    try:
        qid, flags, qd, an, ns, ar = struct.unpack_from("!HHHHHH", msg, 0)
        off, questions, records = 12, [], []
        for _ in range(qd):
            name, off = read_name(msg, off)
            questions.append(name)
            off += 4
        for section, count in ((ANSWER, an), (AUTHORITY, ns), (ADDITIONAL, ar)):
            for _ in range(count):
                name, off = read_name(msg, off)
                rtype, _cls, _ttl, rdlen = struct.unpack_from("!HHIH", msg, off)
                off += 10
                if off + rdlen > len(msg):
                    raise ValueError("rdata past the end")
                rdata = msg[off:off + rdlen]
                if rtype == TYPE_A and rdlen == 4:
                    value = ipaddress.IPv4Address(rdata)
                elif rtype == TYPE_AAAA and rdlen == 16:
                    value = ipaddress.IPv6Address(rdata)
                elif rtype == TYPE_CNAME:
                    value = read_name(msg, off)[0]
                else:
                    value = rdata
                records.append(DnsRecord(section, name, rtype, value))
                off += rdlen
    except (ValueError, struct.error):
        return None
    return DnsMessage(qid, flags, questions, records)
