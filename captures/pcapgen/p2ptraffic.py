"""Kalay and PPPP traffic for the P2P scenarios: datagrams with their ground-truth labels,
UID and port helpers, and the checks that keep negatives and labels honest.

Every P2P datagram is emitted through `kalay_send` / `pppp_send`, which attach to the frame
the label the truth reports: {"platform", "code", "uid", "key"}. The label comes from what
the generator put in the datagram (code, the UID it placed where the plugin's parser reads
one, the PSK it encrypted with), not from parsing the bytes.

`kalay_claimed` / `pppp_claimed` mirror the parsers' header checks (heuristics/detectors/p2p/kalay.cpp,
pppp.cpp). They are used only as assertions (the PSK a reader tries first must be the one
used) and to re-draw negative payloads that a reader would claim by accident.
"""
import struct

from . import p2p_kalay as kalay
from . import p2p_pppp as pppp

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
CS2_CHECK_LETTERS = "".join(c for c in UPPER if c not in "AIOQ")

# UDP ports tshark 4.0 maps to a dissector (from `tshark -G decodes`, >= 1024): P2P traffic on
# other ports must stay plain UDP data.
WIRESHARK_UDP_PORTS = frozenset(int(p) for p in """
1044 1052 1069 1089 1090 1091 1101 1113 1153 1194 1293 1547 1628 1629 1645 1646 1700 1701 1718
1719 1745 1755 1812 1813 1900 1985 2029 2048 2055 2067 2099 2123 2152 2157 2190 2221 2222 2231
2246 2268 2269 2313 2345 2424 2427 2428 2727 2887 2944 2945 2948 2949 2960 3000 3121 3130 3205
3222 3250 3333 3343 3357 3386 3389 3452 3455 3478 3483 3503 3540 3544 3567 3622 3671 3784 3785
3792 3799 3804 3819 3863 3956 4000 4011 4058 4305 4306 4307 4341 4342 4500 4533 4534 4551 4555
4556 4569 4665 4672 4713 4729 4739 4754 4784 4789 4790 4791 4991 5000 5001 5031 5050 5060 5072
5094 5246 5247 5264 5265 5350 5351 5353 5355 5404 5405 5436 5555 5567 5678 5683 5684 5868 6060
6073 6081 6084 6087 6118 6160 6343 6543 6635 6666 6696 6784 6970 7000 7001 7002 7003 7004 7005
7006 7007 7008 7009 7010 7021 7074 7075 7255 7275 7784 8000 8116 8161 8200 8211 8600 8611 8612
8613 8614 8755 8767 8805 8848 9003 9200 9201 9202 9203 9214 9600 9875 9877 9899 9901 9955 9956
9996 9999 10253 10500 11211 11273 11898 12000 12001 12002 12003 12004 12220 12222 12223 13400
13819 13907 13910 17220 17500 17754 17755 17756 18246 19132 19788 19948 19999 20000 20561 22222
23272 24576 24577 25826 26000 27036 27500 27910 27950 27951 27952 27953 27960 27961 27962 27963
30030 32000 32512 34962 34980 37008 41170 44818 45564 47000 47808 49999 54328 56000 56001 56500
56501 57000 57001 57032 57033 57500 57501 57532 57533 59000 59001 59032 59033 59500 59501 59532
59533 60001""".split())

KALAY_SERVER_PORT = 10240     # TUTK master servers
KALAY_LAN_PORT = 32761
PPPP_SERVER_PORT = 32100
PPPP_LAN_PORT = 32108


def free_port(rng, lo=20000, hi=65536, avoid=()):
    """A random UDP port that no stock Wireshark dissector is registered on."""
    while True:
        p = rng.randrange(lo, hi)
        if p not in WIRESHARK_UDP_PORTS and p not in avoid and p not in (
                KALAY_LAN_PORT, PPPP_SERVER_PORT, PPPP_LAN_PORT, KALAY_SERVER_PORT):
            return p


def tshark_trap(payload):
    """True if tshark 4.0 would dissect this UDP payload as something else on any port: the
    connectionless-COTP (CLTP) heuristic takes a first byte (length indicator) smaller than
    the datagram and a second byte 0x4X (UD TPDU), then reports it malformed."""
    return len(payload) >= 2 and payload[0] < len(payload) and payload[1] >> 4 == 4


def kalay_uid(rng):
    return "".join(rng.choice(UPPER + DIGITS) for _ in range(20))


def pppp_uid(rng, prefix=None):
    prefix = prefix or "".join(rng.choice(UPPER) for _ in range(rng.randrange(1, 9)))
    serial = rng.randrange(0, 1_000_000) if rng.random() < 0.9 else rng.randrange(1_000_000, 1 << 32)
    check = "".join(rng.choice(CS2_CHECK_LETTERS) for _ in range(rng.randrange(1, 9)))
    return "%s-%06d-%s" % (prefix, serial, check)


def _valid_kalay_uid(raw):
    return len(raw) == 20 and all(chr(c) in UPPER + DIGITS for c in raw)


# -- Kalay ----------------------------------------------------------------------
KALAY_UID_CODES = frozenset(int.from_bytes(kalay.CODES[k], "big") for k in (
    "lan_search", "search_reply", "get_public_ip", "device_address_query", "device_address_reply",
    "punch_request", "punch_ack", "punch_ok"))
KALAY_DATA_CODES = frozenset((0x070421, 0x080412))


def kalay_code(code):
    raw = kalay.CODES.get(code, code)
    return raw, int.from_bytes(raw, "big")


def kalay_payload(code, body, version, encoding, seq=0, extra=b"\x00" * 4, flags=None, uid=None):
    """Wire bytes and label of one Kalay message. encoding: plain, scrambled or partial.
    uid: the UID the body carries at its offset 0 (bytes 16..35), if any; the label names it
    only for the connection codes, the only ones whose UID kalay.cpp reads."""
    raw, code_int = kalay_code(code)
    if flags is None:
        flags = 0x0A if code_int in KALAY_DATA_CODES or code_int in (0x280412, 0x270421) else 0x02
    flags = (flags | kalay.FLAG_PARTIAL) if encoding == "partial" else (flags & ~kalay.FLAG_PARTIAL)
    plain = kalay.header(raw, len(body), version=version, flags=flags, seq=seq, extra=extra) + body
    if uid is not None:
        assert plain[16:36] == uid.encode("ascii") and _valid_kalay_uid(plain[16:36]), uid
    elif code_int in KALAY_UID_CODES:  # nothing at 16..35 that a reader could take for a UID
        assert not _valid_kalay_uid(plain[16:36])
    if encoding == "plain":
        # DCE/RPC's heuristic claims 04 02 datagrams of >= 80 bytes in tshark: plain ones stay short.
        assert len(plain) < 80, "plain Kalay messages must stay under 80 bytes"
        wire = plain
    else:
        wire = kalay.scramble_message(plain, tail_permuted=True)
    assert kalay_claimed(wire)
    assert not tshark_trap(wire), "Kalay %06x: tshark would misread it" % code_int
    label = {"platform": "kalay", "code": code_int,
             "uid": uid if code_int in KALAY_UID_CODES else None, "key": None}
    return wire, label


def kalay_send(lan, t, src, dst, sport, dport, code, body, version=0x19, encoding="scrambled", **kw):
    mac_kw = {k: kw.pop(k) for k in ("src_mac", "dst_mac", "beat") if k in kw}
    wire, label = kalay_payload(code, body, version, encoding, **kw)
    lan.udp(t, src, dst, sport, dport, wire, meta=label, **mac_kw)
    return label


def kalay_header_ok(h, n):
    return (n >= 16 and h[0] == 0x04 and h[1] == 0x02 and 0x10 <= h[2] <= 0x3F
            and struct.unpack_from("<H", h, 4)[0] == n - 16)


def kalay_claimed(data):
    """Would heuristics/detectors/p2p/kalay.cpp claim this UDP payload (plain or scrambled header)?"""
    if len(data) < 16 or len(data) - 16 > 0xFFFF:
        return False
    return kalay_header_ok(data, len(data)) or kalay_header_ok(kalay.descramble(data[:16]), len(data))


# -- PPPP -----------------------------------------------------------------------
PPPP_KNOWN_TYPES = frozenset([
    0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x18, 0x19, 0x20,
    0x21, 0x26, 0x30, 0x31, 0x32, 0x40, 0x41, 0x42, 0x43, 0x60, 0x61, 0x62, 0x63, 0x67, 0x68, 0x69,
    0x6A, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x78, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0x90,
    0x91, 0x92, 0x94, 0xA0, 0xA1, 0xA2, 0xD0, 0xD1, 0xD8, 0xE0, 0xE1, 0xF0, 0xF4, 0xF5, 0xF6, 0xF7,
    0xF8, 0xF9])
# Types whose body starts with the 20-byte UID where pppp_body.cpp reads it.
PPPP_UID_AT_0 = frozenset([0x10, 0x14, 0x18, 0x20, 0x31, 0x32, 0x41, 0x42, 0x60, 0x62, 0x67, 0x74, 0x80,
                           0x84, 0xF6])


def pppp_header_ok(h, n):
    return h[0] == 0xF1 and h[1] in PPPP_KNOWN_TYPES and (h[2] << 8 | h[3]) == n - 4


def pppp_claimed(data, extra_keys=()):
    """The key heuristics/detectors/p2p/pppp.cpp would read this payload with ("" = plaintext), or None:
    plaintext and the user's keys need a consistent header, the vendor keys a well-formed message too."""
    if len(data) < 4 or len(data) - 4 > 0xFFFF:
        return None
    if pppp_header_ok(data, len(data)):
        return ""
    for key in pppp.BUILTIN_KEYS:
        if pppp_header_ok(pppp.decrypt(data[:4], key), len(data)) and pppp.well_formed(pppp.decrypt(data, key)):
            return key
    for key in extra_keys:
        if pppp_header_ok(pppp.decrypt(data[:4], key), len(data)):
            return key
    return None


def pppp_payload(msg_type, body=b"", key="", uid=None, extra_keys=("myvendorkey",), flex=False):
    """Wire bytes and label of one PPPP message; uid: the UID the body carries at offset 0.
    flex: the body may grow by a zero byte if another key would read the header first."""
    t = pppp.TYPES.get(msg_type, msg_type)
    if flex and key:
        for _ in range(8):
            if pppp_claimed(pppp.encrypt(pppp.message(t, body), key), extra_keys) == key:
                break
            body += b"\x00"
    if flex and tshark_trap(pppp.encrypt(pppp.message(t, body), key) if key else pppp.message(t, body)):
        body = body[:max(4, (pppp.encrypt(b"\xf1", key)[0] if key else 0xF1) - 4)]  # len <= first byte
    plain = pppp.message(t, body)
    if uid is not None:
        assert t in PPPP_UID_AT_0 or (t in (0x87, 0x91) and len(body) == 20)
        assert plain[4:24] == pppp.uid_bytes(uid)
    wire = pppp.encrypt(plain, key) if key else plain
    assert not tshark_trap(wire), "PPPP %#x (%r): tshark would misread it" % (t, key)
    got = pppp_claimed(wire, extra_keys)
    assert got == key, "PPPP type %#x with key %r would be read with key %r" % (t, key, got)
    return wire, {"platform": "pppp", "code": t, "uid": uid, "key": key}


def pppp_send(lan, t, src, dst, sport, dport, msg_type, body=b"", key="", uid=None, flex=False, **kw):
    wire, label = pppp_payload(msg_type, body, key, uid, flex=flex)
    lan.udp(t, src, dst, sport, dport, wire, meta=label, **kw)
    return label


def drw(channel, index, data):
    return bytes([0xD1, channel]) + struct.pack(">H", index & 0xFFFF) + data


def drw_ack(channel, indices):
    return bytes([0xD1, channel]) + struct.pack(">H", len(indices)) + b"".join(
        struct.pack(">H", i & 0xFFFF) for i in indices)
