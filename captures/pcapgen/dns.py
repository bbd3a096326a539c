"""DNS messages (RFC 1035): queries and responses with A / AAAA / PTR records."""
import ipaddress
import struct

TYPE_A, TYPE_PTR, TYPE_AAAA = 1, 12, 28
CLASS_IN = 1


def encode_name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        if not 0 < len(raw) < 64:
            raise ValueError("bad label in %r" % name)
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def query(qid: int, name: str, qtype=TYPE_A, rd=True) -> bytes:
    flags = 0x0100 if rd else 0
    return struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 0) + encode_name(name) + \
        struct.pack("!HH", qtype, CLASS_IN)


def response(qid: int, name: str, qtype, addresses, ttl=300, compress=True, rd=True) -> bytes:
    """Answer for `name` with one record per address (A or AAAA, per qtype).
    With compress=True each answer's owner name is a pointer to the question (0xc00c)."""
    flags = 0x8000 | (0x0100 if rd else 0) | 0x0080  # QR, RD, RA
    msg = struct.pack("!HHHHHH", qid, flags, 1, len(addresses), 0, 0)
    qname = encode_name(name)
    msg += qname + struct.pack("!HH", qtype, CLASS_IN)
    for addr in addresses:
        rdata = ipaddress.ip_address(addr).packed
        owner = b"\xc0\x0c" if compress else qname
        msg += owner + struct.pack("!HHIH", qtype, CLASS_IN, ttl, len(rdata)) + rdata
    return msg


TYPE_CNAME = 5


def response_chain(qid: int, name: str, qtype, chain, addresses, ttl=300, rd=True) -> bytes:
    """Answer for `name` through a CNAME chain: name -> chain[0] -> ... -> chain[-1], then one
    A / AAAA record per address owned by the last name. Names are written uncompressed."""
    flags = 0x8000 | (0x0100 if rd else 0) | 0x0080
    msg = struct.pack("!HHHHHH", qid, flags, 1, len(chain) + len(addresses), 0, 0)
    msg += encode_name(name) + struct.pack("!HH", qtype, CLASS_IN)
    owner = name
    for target in chain:
        rdata = encode_name(target)
        msg += encode_name(owner) + struct.pack("!HHIH", TYPE_CNAME, CLASS_IN, ttl, len(rdata)) + rdata
        owner = target
    for addr in addresses:
        rdata = ipaddress.ip_address(addr).packed
        msg += encode_name(owner) + struct.pack("!HHIH", qtype, CLASS_IN, ttl, len(rdata)) + rdata
    return msg
