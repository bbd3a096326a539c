"""UDP and TCP with checksums over the IPv4 or IPv6 pseudo-header."""
import struct

from .checksum import inet_checksum
from .ip import PROTO_TCP, PROTO_UDP, pseudo_header

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def udp(src, dst, sport: int, dport: int, payload: bytes) -> bytes:
    length = 8 + len(payload)
    seg = struct.pack("!HHHH", sport, dport, length, 0) + payload
    csum = inet_checksum(pseudo_header(src, dst, PROTO_UDP, length) + seg)
    if csum == 0:
        csum = 0xFFFF  # 0 means "no checksum" in UDP
    return seg[:6] + struct.pack("!H", csum) + seg[8:]


def tcp_options(mss=None, sack_perm=False, wscale=None) -> bytes:
    opts = b""
    if mss is not None:
        opts += struct.pack("!BBH", 2, 4, mss)
    if sack_perm:
        opts += b"\x01\x01\x04\x02"  # NOP NOP SACK_PERM
    if wscale is not None:
        opts += struct.pack("!BBBB", 1, 3, 3, wscale)  # NOP WS
    while len(opts) % 4:
        opts += b"\x01"
    return opts


def tcp(src, dst, sport: int, dport: int, seq: int, ack: int, flags: int, payload=b"",
        window=65535, options=b"") -> bytes:
    if len(options) % 4:
        raise ValueError("TCP options must be padded to 4 bytes")
    offset = (20 + len(options)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      offset << 4, flags, window, 0, 0) + options
    seg = hdr + payload
    csum = inet_checksum(pseudo_header(src, dst, PROTO_TCP, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", csum) + seg[18:]
