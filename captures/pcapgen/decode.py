"""Minimal frame parser for the ground-truth oracle: Ethernet (+802.1Q), outer IPv4/IPv6, UDP/TCP.

It reads the emitted bytes rather than any generator metadata, so the truth is derived
independently from what is actually in the capture.
"""
import ipaddress
import struct
from collections import namedtuple

# payload: the UDP payload (None for TCP); tcp_payload: the TCP segment's data (b"" for a pure
# ACK / SYN, None for UDP).
Decoded = namedtuple("Decoded", "eth_src eth_dst eth_group ip_src ip_dst proto sport dport tcp_flags payload "
                     "tcp_payload", defaults=(None, None))

_V6_EXT = {0, 43, 60}


def decode(frame: bytes) -> Decoded:
    eth_dst, eth_src = frame[0:6], frame[6:12]
    group = bool(eth_dst[0] & 1)
    off = 12
    etype = struct.unpack_from("!H", frame, off)[0]
    off += 2
    while etype in (0x8100, 0x88A8) and len(frame) >= off + 4:
        etype = struct.unpack_from("!H", frame, off + 2)[0]
        off += 4
    src = dst = proto = sport = dport = flags = payload = tcp_payload = None
    l4 = None
    if etype == 0x0800 and len(frame) >= off + 20:
        ihl = (frame[off] & 0x0F) * 4
        total = struct.unpack_from("!H", frame, off + 2)[0]
        frag_off = struct.unpack_from("!H", frame, off + 6)[0] & 0x1FFF
        proto = frame[off + 9]
        src = ipaddress.IPv4Address(frame[off + 12:off + 16])
        dst = ipaddress.IPv4Address(frame[off + 16:off + 20])
        if frag_off == 0:
            l4 = frame[off + ihl:off + total]
    elif etype == 0x86DD and len(frame) >= off + 40:
        nh = frame[off + 6]
        src = ipaddress.IPv6Address(frame[off + 8:off + 24])
        dst = ipaddress.IPv6Address(frame[off + 24:off + 40])
        end = off + 40 + struct.unpack_from("!H", frame, off + 4)[0]
        p = off + 40
        first_fragment = True
        while True:
            if nh in _V6_EXT and p + 2 <= end:
                nh, p = frame[p], p + 8 + frame[p + 1] * 8
            elif nh == 44 and p + 8 <= end:
                first_fragment = (struct.unpack_from("!H", frame, p + 2)[0] >> 3) == 0
                nh, p = frame[p], p + 8
            elif nh == 51 and p + 2 <= end:
                nh, p = frame[p], p + (frame[p + 1] + 2) * 4
            else:
                break
        proto = nh
        if first_fragment:
            l4 = frame[p:end]
    if l4 is not None and proto in (6, 17) and len(l4) >= 4:
        sport, dport = struct.unpack_from("!HH", l4, 0)
        if proto == 6 and len(l4) >= 14:
            flags = l4[13]
            tcp_payload = l4[(l4[12] >> 4) * 4:]
        if proto == 17:
            payload = l4[8:]
    return Decoded(eth_src, eth_dst, group, src, dst, proto, sport, dport, flags, payload, tcp_payload)
