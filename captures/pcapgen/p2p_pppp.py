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

BUILTIN_KEYS = ("camera", "SHIX", "SSD@cs2-network.", "vstarcam2019")

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
    k = fold_key(psk)
    out = bytearray()
    prev = 0                                       # previous ciphertext byte
    for p in data:
        c = p ^ TABLE[(k[prev & 3] + prev) & 0xFF]
        out.append(c)
        prev = c
    return bytes(out)


def decrypt(data, psk):
    k = fold_key(psk)
    out = bytearray()
    prev = 0
    for c in data:
        out.append(c ^ TABLE[(k[prev & 3] + prev) & 0xFF])
        prev = c
    return bytes(out)


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
    firsts = [encrypt(b"\xf1", k)[0] for k in BUILTIN_KEYS]
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
