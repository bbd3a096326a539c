"""NetBIOS Name Service (RFC 1001 / 1002), UDP 137: the broadcast name registrations a
B-node (Windows, Samba's nmbd) sends when it starts, and a positive name query response.

A NetBIOS name is 15 characters padded with spaces plus a suffix byte: 0x00 is the
workstation service (the host's own name), 0x20 the file server service. Group names
(a workgroup, G bit set in the NB flags) name no single host. On the wire the 16 bytes are
"first-level encoded" (RFC 1001 section 14.1: each half-byte as a letter 'A' + value, 32
letters) and written as one DNS-style label.
"""
import ipaddress
import struct

PORT = 137
SUFFIX_WORKSTATION, SUFFIX_SERVER = 0x00, 0x20
TYPE_NB, CLASS_IN = 0x0020, 0x0001
FLAGS_REGISTRATION = 0x2910   # opcode 5 (registration), RD, B (broadcast)
FLAGS_QUERY = 0x0110          # opcode 0, RD, B
FLAGS_QUERY_RESPONSE = 0x8500  # R, opcode 0, AA, RD
NB_GROUP = 0x8000
TTL_DEFAULT = 300000          # seconds, what Windows and nmbd register with


def encode_name(name: str, suffix: int) -> bytes:
    """The first-level encoded name as a 32-byte label, then the empty scope (root)."""
    raw = name.upper().encode("ascii")
    if len(raw) > 15:
        raise ValueError("NetBIOS name longer than 15 characters: %r" % name)
    raw = raw.ljust(15, b" ") + bytes([suffix])
    return b"\x20" + bytes(c for b in raw for c in (0x41 + (b >> 4), 0x41 + (b & 0x0F))) + b"\x00"


def _nb_rdata(addr, group):
    return struct.pack("!HH", 6, NB_GROUP if group else 0) + ipaddress.IPv4Address(addr).packed


def registration(trn_id, name, suffix, addr, group=False, ttl=TTL_DEFAULT) -> bytes:
    """Name registration request, broadcast: the name as question, an additional NB record
    (owner = pointer to the question) giving the registering host's address."""
    return struct.pack("!HHHHHH", trn_id, FLAGS_REGISTRATION, 1, 0, 0, 1) + encode_name(name, suffix) + \
        struct.pack("!HH", TYPE_NB, CLASS_IN) + \
        struct.pack("!HHHI", 0xC00C, TYPE_NB, CLASS_IN, ttl) + _nb_rdata(addr, group)


def query(trn_id, name, suffix) -> bytes:
    return struct.pack("!HHHHHH", trn_id, FLAGS_QUERY, 1, 0, 0, 0) + encode_name(name, suffix) + \
        struct.pack("!HH", TYPE_NB, CLASS_IN)


def query_response(trn_id, name, suffix, addr, ttl=TTL_DEFAULT) -> bytes:
    """Positive name query response from the name's owner (unicast to the querier)."""
    return struct.pack("!HHHHHH", trn_id, FLAGS_QUERY_RESPONSE, 0, 1, 0, 0) + encode_name(name, suffix) + \
        struct.pack("!HHI", TYPE_NB, CLASS_IN, ttl) + _nb_rdata(addr, False)
