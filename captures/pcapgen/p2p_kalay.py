#!/usr/bin/env python3
"""Builders of ThroughTek Kalay (TUTK IOTC) UDP payloads, for the capture generator.

Stdlib only. The "Charlie" scrambler is written here independently of the C++ core
(heuristics/detectors/p2p/kalay_scrambler.cpp) so that captures built with it are a real
cross-check of the dissector, not the same code run twice. Layouts follow
/work/shared/protocols.md section 1 (go2rtc pkg/tutk, the TUTK SDK header).

Run it to check the scrambler against the published check values.
"""
import struct

# First 16 bytes of the SDK's key string "Charlie is the designer of P2P!!".
KEY = b"Charlie is the designer of P2P!!"[:16]
# Byte permutation of a 16-byte block: out[j] = in[PERM16[j]]. It is an involution.
PERM16 = (11, 9, 8, 15, 13, 10, 12, 14, 2, 1, 5, 0, 6, 4, 7, 3)
# Permutations of a 2-, 4- or 8-byte tail (variant "tail permuted"); also involutions.
TAIL_PERMS = {2: (1, 0), 4: (2, 3, 0, 1), 8: (7, 4, 3, 2, 1, 6, 5, 0)}

FLAG_PARTIAL = 0x01  # header flags bit 0: only bytes 16..63 of the body are scrambled

# Message codes, bytes 8..10 of the header; byte 10 is the direction.
CODES = {
    "lan_search": b"\x01\x06\x21",
    "search_reply": b"\x02\x06\x12",
    "get_public_ip": b"\x07\x10\x18",
    "device_address_query": b"\x03\x02\x34",
    "device_address_reply": b"\x01\x03\x43",
    "punch_request": b"\x01\x04\x33",
    "punch_ack": b"\x02\x04\x33",
    "punch_ok": b"\x04\x04\x33",
    "data_client_to_device": b"\x07\x04\x21",
    "data_device_to_client": b"\x08\x04\x12",
    "device_ping": b"\x28\x04\x12",
    "ping_ack": b"\x27\x04\x21",
}


def _rotl32(x, r):
    r &= 31
    return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF


def _rotate_words(block, base):
    """Rotate each little-endian u32 word at offset i left by base + i (negative: right)."""
    words = struct.unpack("<4I", block)
    return struct.pack("<4I", *(_rotl32(w, (base + 4 * k) % 32) for k, w in enumerate(words)))


def _descramble_block(b):
    t = _rotate_words(b, 3)                       # left by 3, 7, 11, 15
    t = bytes(t[PERM16[j]] for j in range(16))
    t = bytes(x ^ k for x, k in zip(t, KEY))
    return _rotate_words(t, 1)                    # left by 1, 5, 9, 13


def _scramble_block(b):
    # Exact inverse of _descramble_block: right rotations are left by 32 - r.
    words = struct.unpack("<4I", b)
    t = struct.pack("<4I", *(_rotl32(w, 32 - (1 + 4 * k)) for k, w in enumerate(words)))
    t = bytes(x ^ k for x, k in zip(t, KEY))
    t = bytes(t[PERM16[j]] for j in range(16))
    words = struct.unpack("<4I", t)
    return struct.pack("<4I", *(_rotl32(w, 32 - (3 + 4 * k)) for k, w in enumerate(words)))


def _tail(b, permute, scramble):
    perm = TAIL_PERMS.get(len(b)) if permute else None
    if perm is None:
        return bytes(x ^ k for x, k in zip(b, KEY))
    if scramble:                                  # XOR, then permute
        t = bytes(x ^ k for x, k in zip(b, KEY))
        return bytes(t[perm[j]] for j in range(len(b)))
    t = bytes(b[perm[j]] for j in range(len(b)))  # permute, then XOR
    return bytes(x ^ k for x, k in zip(t, KEY))


def scramble(data, tail_permuted=True):
    """Scramble a whole buffer: full 16-byte blocks, then the short tail."""
    full = len(data) - len(data) % 16
    out = b"".join(_scramble_block(data[i:i + 16]) for i in range(0, full, 16))
    return out + _tail(data[full:], tail_permuted, True)


def descramble(data, tail_permuted=True):
    full = len(data) - len(data) % 16
    out = b"".join(_descramble_block(data[i:i + 16]) for i in range(0, full, 16))
    return out + _tail(data[full:], tail_permuted, False)


def scramble_message(plain, tail_permuted=True):
    """Scramble a message; with FLAG_PARTIAL in the header only bytes 16..63 of the body are."""
    if len(plain) < 16 or not plain[3] & FLAG_PARTIAL:
        return scramble(plain, tail_permuted)
    end = min(len(plain), 64)
    return scramble(plain[:16], tail_permuted) + scramble(plain[16:end], tail_permuted) + plain[end:]


def header(code, body_len, version=0x19, flags=0x02, seq=0, extra=b"\x00" * 4):
    """The 16-byte plaintext header; `code` is a key of CODES or 3 raw bytes."""
    code = CODES.get(code, code)
    return b"\x04\x02" + bytes([version, flags]) + struct.pack("<HH", body_len, seq) + code + b"\x00" + extra


def message(code, body, **kw):
    return header(code, len(body), **kw) + body


def connect_by_uid(uid, session_id=b"\x11" * 8, stage=1, version=0x19):
    """68-byte LAN search / connect-by-UID (go2rtc ConnectByUID stages 1 and 2)."""
    body = bytearray(52)
    body[0:20] = uid.encode("ascii")[:20].ljust(20, b"\x00")
    body[36:40] = b"\x06\x00\x03\x03"             # SDK version 3.3.0.6, little-endian
    body[40:48] = session_id
    body[48] = stage
    return message("lan_search", bytes(body), version=version)


def device_address_reply(peer_ip, peer_port, version=0x19):
    """Server reply with the device's public address: port BE at 38..39, IP at 40..43."""
    body = bytearray(28)
    body[22:24] = struct.pack(">H", peer_port)
    body[24:28] = bytes(int(x) for x in peer_ip.split("."))
    return message("device_address_reply", bytes(body), version=version)


def device_ping(random8=b"\x5b\x0d\x42\x02\x07\x0a\xa8\xc0", version=0x12):
    """The 24-byte device ping (sequence 0, flags 0x0a)."""
    return message("device_ping", random8, version=version, flags=0x0a)


def session_data(channel, payload, seq=1, to_device=True, version=0x19):
    code = "data_client_to_device" if to_device else "data_device_to_client"
    return message(code, payload, version=version, flags=0x0a, seq=seq,
                   extra=b"\x00\x00" + struct.pack("<H", channel))


# -- SDK 4.x (go2rtc pkg/tutk conn_dtls.go): 16-bit command and flags at 8..11, CC51 framing --
SDK4_DISCOVERY_REQ, SDK4_DISCOVERY_RES = 0x0601, 0x0602
SDK4_SESSION_REQ, SDK4_SESSION_RES = 0x0402, 0x0404
SDK4_DATA_TX, SDK4_DATA_RX = 0x0407, 0x0408
SDK4_KEEPALIVE_REQ, SDK4_KEEPALIVE_RES = 0x0427, 0x0428
CC51_DISCOVERY, CC51_KEEPALIVE, CC51_DTLS = 0x1002, 0x1202, 0x1502


def sdk4_message(mode, command, flags, body, seq=0, extra=b"\x00" * 4, version=0x1A):
    """An IOTC message as SDK 4.x lays it out: 04 02 1a, mode, body length, sequence, then the
    command and its flags little-endian."""
    return (b"\x04\x02" + bytes([version, mode]) + struct.pack("<HHHH", len(body), seq, command, flags) + extra
            + body)


def sdk4_discovery(uid, session_id, stage=1, reply=False, sdk=b"\x01\x01\x02\x04"):
    """msgDisco: UID, the SDK release (4.2.1.1 as 01 01 02 04) at body 36, session id, stage."""
    body = bytearray(72)
    body[0:20] = uid.encode("ascii")[:20].ljust(20, b"\x00")
    body[36:40] = sdk
    body[40:48] = session_id
    body[48] = stage
    if reply:
        return sdk4_message(0x02, SDK4_DISCOVERY_RES, 0x0012, bytes(body))
    return sdk4_message(0x02, SDK4_DISCOVERY_REQ, 0x0021, bytes(body))


def sdk4_session(uid, session_id, reply=False):
    """msgSession (52 bytes): UID, session id, a time stamp; the reply carries the same fields."""
    body = uid.encode("ascii")[:20].ljust(20, b"\x00") + session_id + bytes(4) + struct.pack("<I", 1712836800)
    return sdk4_message(0x02, SDK4_SESSION_RES if reply else SDK4_SESSION_REQ, 0x0033, body)


def sdk4_data(payload, channel, session_id, seq, to_device=True):
    """msgTxData (mode 0x0b: bytes 16..63 scrambled): rid, channel, 01 marker, 0x0c, session id."""
    extra = session_id[:2] + bytes([channel, 0x01])
    body = struct.pack("<I", 0x0C) + session_id + payload
    return sdk4_message(0x0B, SDK4_DATA_TX if to_device else SDK4_DATA_RX, 0x0021 if to_device else 0x0012, body,
                        seq=seq, extra=extra)


def sdk4_keepalive(echo8, request=True):
    """msgKeepalive: the device's keepalive (0x0428) and the client's echo of it (0x0427)."""
    return sdk4_message(0x0A, SDK4_KEEPALIVE_REQ if request else SDK4_KEEPALIVE_RES,
                        0x0021 if request else 0x0012, echo8)


def dtls_record(content_type, fragment, epoch=0, seq=0, version=0xFEFD):
    return struct.pack(">BHH", content_type, version, epoch) + seq.to_bytes(6, "big") + struct.pack(">H",
                                                                                                   len(fragment)) + fragment


def dtls_handshake(msg_type, body, message_seq=0):
    return dtls_record(22, struct.pack(">B", msg_type) + len(body).to_bytes(3, "big") + struct.pack(">H", message_seq)
                       + bytes(3) + len(body).to_bytes(3, "big") + body)


def cc51(command, fields, tail=b"\xa5" * 20, response=False, seq=0, ticket=0, channel=None):
    """A CC51 frame: 51 CC, command, length (total - 12), FF FF when the device answers, sequence
    (or 10, channel for DTLS data), ticket, then the command's fields and the 20-byte HMAC tail."""
    total = 16 + len(fields) + len(tail)
    word = struct.pack("<H", 0x0010 | channel << 8) if channel is not None else struct.pack("<H", seq)
    head = (b"\x51\xcc\x00\x00" + struct.pack("<HH", command, total - 12) + (b"\xff\xff" if response else bytes(2))
            + bytes(2) + word + struct.pack("<H", ticket))
    return head + fields + tail


def _self_check():
    assert scramble(bytes(16)).hex() == "6e2e8d8c40d040ca2d6d280c40e4cad8"
    ping = bytes.fromhex("0402120a0800000028041200000000005b0d4202070aa8c0")
    assert ping == device_ping()
    assert scramble(ping)[:16].hex() == "4c6f8d0c40d040ca2d2d082dc0eecad8"
    for n in (0, 1, 2, 4, 8, 15, 16, 24, 68, 100):
        data = bytes((i * 37 + 5) & 0xFF for i in range(n))
        for permuted in (True, False):
            assert descramble(scramble(data, permuted), permuted) == data
    partial = message("data_client_to_device", bytes(range(100)), flags=0x0b)
    wire = scramble_message(partial)
    assert wire[64:] == partial[64:] and wire[16:64] != partial[16:64]
    print("p2p_kalay: scrambler matches the published check values")


if __name__ == "__main__":
    _self_check()
