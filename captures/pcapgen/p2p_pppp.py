#!/usr/bin/env python3
"""Builders of CS2 Network PPPP UDP payloads, for the capture generator.

Stdlib only. P2P_Proprietary_Encrypt is written here independently of the C++ core
(heuristics/detectors/p2p/pppp_cipher.cpp) so that captures built with it cross-check the
dissector. Layouts follow /work/shared/protocols.md section 2 (pmarrapese/iot
pppp.fdesc, magicus/pppp-dissector, DavidVentura/cam-reverse).

Run it to check the cipher against the published check values.
"""
import struct

# The fixed 256-byte substitution table shared by all PPPP implementations.
TABLE = bytes.fromhex(
    "7c9ce84a13dedcb22f2123e4307b3d8c" "bc0b270c3cf79ae7087196009785efc1"
    "1fc4dba1c2ebd901faba3b05b8158783" "2872d18b5ad6da9358feaacc6e1bf0a3"
    "88ab43c00db545384f502266207f075b" "14981d9ba72ab9a8cbf1fc4947063eb1"
    "0e043a945eee541134dd4df9ecc7c9e3" "781a6f706ba4bda95dd5f8e5bb26af42"
    "37d8e1020aae5f1cc573094e6924906d" "12b319ad748a2940f52dbea559e0f479"
    "d24bce8982488425c6912ba2fb8fe9a6" "b09e3f65f603312eac0f952c5ced39b7"
    "336c567eb4a0fd7a815351868d9f77ff" "6a80dfe2bf10d775645776f355cdd0c8"
    "18e6364162cf99f2324c67606192cad3" "ea637d16b68ed46835c3529d46441e17"
)

# The published vendor keys heuristics/detectors/p2p/pppp_keys.cpp tries, in its order (sources there).
BUILTIN_KEYS = ("camera", "SHIX", "SSD@cs2-network.", "vstarcam2019", "aqarager19kn", "@@@@....", "VMSV",
                "FERRY@88", "mycamera", "Deng123abc", "Duncom", "JX20130716", "hyWHzyhtzH", "JYDGAOZHANP2P",
                "SZGMBESTER")

TYPES = {
    "HELLO": 0x00, "HELLO_ACK": 0x01, "HELLO_TO": 0x02, "HELLO_TO_ACK": 0x03,
    "QUERY_DID": 0x08, "QUERY_DID_ACK": 0x09, "DEV_LGN": 0x10, "DEV_LGN_ACK": 0x11,
    "P2P_REQ": 0x20, "P2P_REQ_ACK": 0x21, "LAN_SEARCH": 0x30, "LAN_NOTIFY": 0x31,
    "PUNCH_TO": 0x40, "PUNCH_PKT": 0x41, "P2P_RDY": 0x42, "P2P_RDY_ACK": 0x43,
    "DRW": 0xD0, "DRW_ACK": 0xD1, "ALIVE": 0xE0, "ALIVE_ACK": 0xE1, "CLOSE": 0xF0,
}


def fold_key(psk):
    """Fold a PSK string into the cipher's four seed bytes."""
    b = psk.encode("latin-1") if isinstance(psk, str) else bytes(psk)
    k0 = sum(b) & 0xFF
    k1 = (-sum(b)) & 0xFF
    k2 = sum(x // 3 for x in b) & 0xFF
    k3 = 0
    for x in b:
        k3 ^= x
    return (k0, k1, k2, k3)


def encrypt(data, psk):
    return encrypt_seed(data, fold_key(psk))


def encrypt_seed(data, k):
    """Encrypt under the four seed bytes themselves (a key nobody published)."""
    out = bytearray()
    prev = 0                                       # previous ciphertext byte
    for p in data:
        c = p ^ TABLE[(k[prev & 3] + prev) & 0xFF]
        out.append(c)
        prev = c
    return bytes(out)


def decrypt(data, psk):
    return decrypt_seed(data, fold_key(psk))


def decrypt_seed(data, k):
    out = bytearray()
    prev = 0
    for c in data:
        out.append(c ^ TABLE[(k[prev & 3] + prev) & 0xFF])
        prev = c
    return bytes(out)


# Body sizes of the fixed layouts of pmarrapese/iot pppp.fdesc (two where a type is reused), which a
# message must have to be read under a vendor key the reader only guesses (pppp_layout.cpp).
BODY_SIZES = {
    0x00: (0,), 0x01: (16,), 0x02: (32,), 0x03: (0,), 0x10: (40,), 0x11: (4,), 0x12: (44,), 0x13: (8,),
    0x14: (104,), 0x15: (4,), 0x18: (20,), 0x19: (8,), 0x20: (36,), 0x21: (4,), 0x30: (0,), 0x31: (20,),
    0x32: (20,), 0x40: (16,), 0x41: (20, 24), 0x42: (20, 24), 0x43: (0,), 0x60: (28,), 0x61: (4,), 0x62: (44,),
    0x63: (4,), 0x67: (20,), 0x68: (0,), 0x70: (0,), 0x71: (0,), 0x72: (0,), 0x73: (8,), 0x74: (84,),
    0x75: (8,), 0x78: (4,), 0x80: (40,), 0x81: (4,), 0x82: (20,), 0x83: (28,), 0x84: (20,), 0x85: (28,),
    0x90: (0,), 0x91: (20, 16), 0x92: (24, 20), 0x94: (116,), 0xA0: (40,), 0xA1: (4,), 0xA2: (60,),
    0xE0: (0,), 0xE1: (0,), 0xF0: (0,), 0xF6: (20,), 0xF7: (4,),
}
UID_AT_0 = frozenset([0x10, 0x14, 0x18, 0x20, 0x31, 0x32, 0x41, 0x42, 0x60, 0x62, 0x67, 0x74, 0x80, 0x84, 0xF6])


def _uid_part_ok(b):
    n = 0
    while n < 8 and 0x41 <= b[n] <= 0x5A:
        n += 1
    return n > 0 and all(x == 0 for x in b[n:8])


def uid_ok(b):
    """The 20 bytes read as a UID: 1-8 upper-case letters then NULs, serial, the same again."""
    return len(b) >= 20 and _uid_part_ok(b[:8]) and _uid_part_ok(b[12:20])


def well_formed(plain):
    """A decrypted message fits its type's layout: size, UID, DRW marker and counts."""
    t, body = plain[1], plain[4:]
    n = len(body)
    if t in BODY_SIZES:
        if n not in BODY_SIZES[t]:
            return False
    elif t in (0x08, 0x09):
        return 1 <= n <= 64
    elif t == 0x69:
        return n >= 4 and n == 4 + 16 * body[0]
    elif t == 0x87:
        return n == 20 and uid_ok(body) or n >= 4 and n == 4 + 20 * body[0]
    elif t in (0xD0, 0xD8):
        return n >= 4 and body[0] == 0xD1
    elif t == 0xD1:
        return n >= 4 and body[0] == 0xD1 and n == 4 + 2 * struct.unpack(">H", body[2:4])[0]
    elif t == 0xF8:
        return n >= 8
    else:
        return False
    if t in UID_AT_0 or (t == 0x91 and n == 20):
        return uid_ok(body)
    if t in (0x83, 0x85):
        return uid_ok(body[4:])
    return True


def message(msg_type, body=b""):
    t = TYPES.get(msg_type, msg_type)
    return bytes([0xF1, t]) + struct.pack(">H", len(body)) + body


def uid_bytes(uid):
    """'BATC-609580-HVDCS' -> char prefix[8], u32 BE serial, char check[8]."""
    prefix, serial, check = uid.split("-")
    return (prefix.encode("ascii").ljust(8, b"\x00") + struct.pack(">I", int(serial))
            + check.encode("ascii").ljust(8, b"\x00"))


def sockaddr(ip, port, family=2):
    """16-byte sockaddr as in DEV_LGN: family u16 BE, port u16 LE, IPv4 bytes reversed, 8 zero."""
    return (struct.pack(">H", family) + struct.pack("<H", port)
            + bytes(reversed([int(x) for x in ip.split(".")])) + bytes(8))


def dev_lgn(uid, local_ip, local_port, nat_type=0x08, api_version=(0, 2, 1), family=0):
    """Device login to a server; family 0 reproduces the cam-reverse capture."""
    body = uid_bytes(uid) + bytes([nat_type, *api_version]) + sockaddr(local_ip, local_port, family)
    return message("DEV_LGN", body)


def punch_pkt(uid):
    return message("PUNCH_PKT", uid_bytes(uid))


def p2p_rdy(uid):
    return message("P2P_RDY", uid_bytes(uid))


def drw(channel, index, data):
    return message("DRW", bytes([0xD1, channel]) + struct.pack(">H", index) + data)


def drw_ack(channel, indices):
    body = bytes([0xD1, channel]) + struct.pack(">H", len(indices))
    return message("DRW_ACK", body + b"".join(struct.pack(">H", i) for i in indices))


def _self_check():
    assert len(TABLE) == 256 and len(set(TABLE)) == 256
    assert fold_key("camera") == (0x69, 0x97, 0xCC, 0x19)
    firsts = [encrypt(b"\xf1", k)[0] for k in BUILTIN_KEYS[:4]]
    assert firsts == [0x2C, 0x9F, 0xB1, 0xE4], [hex(x) for x in firsts]
    assert encrypt(message("LAN_SEARCH"), "camera").hex() == "2cba5f5d"
    sample = bytes.fromhex("f1100028424154430000000000094d2c48564443530000000800020100006c7d"
                           "6528a8c0" + "00" * 8)
    assert dev_lgn("BATC-609580-HVDCS", "192.168.40.101", 32108) == sample
    for k in BUILTIN_KEYS:
        assert decrypt(encrypt(sample, k), k) == sample
    print("p2p_pppp: cipher matches the published check values")


if __name__ == "__main__":
    _self_check()
