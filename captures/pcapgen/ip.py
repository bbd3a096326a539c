"""IPv4 and IPv6 headers (no options, no extension headers)."""
import ipaddress
import struct

from .checksum import inet_checksum

PROTO_TCP = 6
PROTO_UDP = 17


def ipv4(src, dst, proto: int, payload: bytes, ttl=64, ident=0, df=True, tos=0) -> bytes:
    total = 20 + len(payload)
    flags_frag = 0x4000 if df else 0
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, total, ident & 0xFFFF, flags_frag, ttl, proto, 0,
                      ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    csum = inet_checksum(hdr)
    return hdr[:10] + struct.pack("!H", csum) + hdr[12:] + payload


def ipv6(src, dst, next_header: int, payload: bytes, hop_limit=64, flow_label=0, tclass=0) -> bytes:
    first = (6 << 28) | (tclass << 20) | (flow_label & 0xFFFFF)
    return struct.pack("!IHBB", first, len(payload), next_header, hop_limit) + \
        ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + payload


def pseudo_header(src, dst, proto: int, length: int) -> bytes:
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if s.version != d.version:
        raise ValueError("mixed address families")
    if s.version == 4:
        return s.packed + d.packed + struct.pack("!BBH", 0, proto, length)
    return s.packed + d.packed + struct.pack("!IxxxB", length, proto)
