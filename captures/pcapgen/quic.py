"""QUIC v1 Initial packets with real Initial protection (RFC 9001 section 5), so that tshark
decrypts them cleanly: HKDF-SHA256 (hmac), AES-128 (a small pure-Python implementation),
AES-128-GCM for the payload and AES-ECB header protection. Standard library only; slow, but
only a handful of packets are built."""
import hashlib
import hmac
import struct

INITIAL_SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")

# -- AES-128 ---------------------------------------------------------------------
_SBOX = []


def _init_sbox():
    # The AES S-box from the multiplicative inverse in GF(2^8) and the affine map.
    p = q = 1
    sbox = [0] * 256
    while True:
        p = p ^ ((p << 1) & 0xFF) ^ (0x1B if p & 0x80 else 0)
        q ^= q << 1
        q ^= q << 2
        q ^= q << 4
        q &= 0xFF
        if q & 0x80:
            q ^= 0x09
        x = q ^ (((q << 1) | (q >> 7)) & 0xFF) ^ (((q << 2) | (q >> 6)) & 0xFF) ^ \
            (((q << 3) | (q >> 5)) & 0xFF) ^ (((q << 4) | (q >> 4)) & 0xFF)
        sbox[p] = x ^ 0x63
        if p == 1:
            break
    sbox[0] = 0x63
    _SBOX.extend(sbox)


_init_sbox()


def _xtime(a):
    return ((a << 1) ^ 0x1B) & 0xFF if a & 0x80 else a << 1


def _expand_key(key):
    w = [list(key[i:i + 4]) for i in range(0, 16, 4)]
    rcon = 1
    for i in range(4, 44):
        t = list(w[i - 1])
        if i % 4 == 0:
            t = [_SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _xtime(rcon)
        w.append([a ^ b for a, b in zip(w[i - 4], t)])
    return [sum(w[r * 4:r * 4 + 4], []) for r in range(11)]


def aes_encrypt_block(round_keys, block):
    s = [a ^ b for a, b in zip(block, round_keys[0])]
    for r in range(1, 11):
        s = [_SBOX[b] for b in s]
        s = [s[(i + 4 * (i % 4)) % 16] for i in range(16)]          # ShiftRows (column-major)
        if r != 10:
            out = []
            for c in range(4):
                a = s[4 * c:4 * c + 4]
                x = a[0] ^ a[1] ^ a[2] ^ a[3]
                out += [a[i] ^ x ^ _xtime(a[i] ^ a[(i + 1) % 4]) for i in range(4)]
            s = out
        s = [a ^ b for a, b in zip(s, round_keys[r])]
    return bytes(s)


# -- AES-128-GCM -------------------------------------------------------------------
def _gf_mult(x, y):
    r, v = 0, x
    for i in range(127, -1, -1):
        if (y >> i) & 1:
            r ^= v
        v = (v >> 1) ^ (0xE1 << 120) if v & 1 else v >> 1
    return r


def _ghash(h, aad, ct):
    def blocks(b):
        b = b + bytes(-len(b) % 16)
        return [int.from_bytes(b[i:i + 16], "big") for i in range(0, len(b), 16)]
    y = 0
    for blk in blocks(aad) + blocks(ct) + [(len(aad) * 8) << 64 | len(ct) * 8]:
        y = _gf_mult(y ^ blk, h)
    return y


def aes_gcm_encrypt(key, iv12, plaintext, aad):
    rk = _expand_key(key)
    h = int.from_bytes(aes_encrypt_block(rk, bytes(16)), "big")
    ct = bytearray()
    for i in range(0, len(plaintext), 16):
        ks = aes_encrypt_block(rk, iv12 + struct.pack("!I", 2 + i // 16))
        ct += bytes(a ^ b for a, b in zip(plaintext[i:i + 16], ks))
    s = _ghash(h, aad, bytes(ct))
    tag = int.from_bytes(aes_encrypt_block(rk, iv12 + struct.pack("!I", 1)), "big") ^ s
    return bytes(ct) + tag.to_bytes(16, "big")


# -- HKDF and the Initial keys -------------------------------------------------------
def _hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def _hkdf_expand_label(secret, label, length):
    full = b"tls13 " + label.encode()
    info = struct.pack("!H", length) + bytes([len(full)]) + full + b"\x00"
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(secret, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def initial_keys(original_dcid, server):
    initial = _hkdf_extract(INITIAL_SALT_V1, original_dcid)
    secret = _hkdf_expand_label(initial, "server in" if server else "client in", 32)
    return (_hkdf_expand_label(secret, "quic key", 16), _hkdf_expand_label(secret, "quic iv", 12),
            _hkdf_expand_label(secret, "quic hp", 16))


def _varint(n):
    if n < 0x40:
        return bytes([n])
    if n < 0x4000:
        return struct.pack("!H", 0x4000 | n)
    return struct.pack("!I", 0x80000000 | n)


def initial_packet(original_dcid, dcid, scid, pn, frames, server=False, pad_to=None):
    """A protected QUIC v1 Initial packet (4-byte packet number) carrying `frames`."""
    key, iv, hp = initial_keys(original_dcid, server)
    pn_len = 4
    if pad_to is not None:
        overhead = 1 + 4 + 1 + len(dcid) + 1 + len(scid) + 1 + 2 + pn_len + 16
        frames = frames + bytes(max(0, pad_to - overhead - len(frames)))   # PADDING frames
    length = pn_len + len(frames) + 16
    first = 0xC0 | (pn_len - 1)
    hdr = bytes([first]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    hdr += _varint(0) + struct.pack("!H", 0x4000 | length)
    pn_bytes = struct.pack("!I", pn)
    header = hdr + pn_bytes
    nonce = bytes(a ^ b for a, b in zip(iv, bytes(8) + pn_bytes))
    payload = aes_gcm_encrypt(key, nonce, frames, header)
    sample = payload[4 - pn_len:4 - pn_len + 16]
    mask = aes_encrypt_block(_expand_key(hp), sample)
    first_p = first ^ (mask[0] & 0x0F)
    pn_p = bytes(a ^ b for a, b in zip(pn_bytes, mask[1:1 + pn_len]))
    return bytes([first_p]) + hdr[1:] + pn_p + payload


def crypto_frame(data, offset=0):
    return b"\x06" + _varint(offset) + _varint(len(data)) + data


def ack_frame(largest):
    return b"\x02" + _varint(largest) + _varint(0) + _varint(0) + _varint(0)


def _self_check():
    # RFC 9001 appendix A.1 keys for DCID 8394c8f03e515708.
    key, iv, hp = initial_keys(bytes.fromhex("8394c8f03e515708"), False)
    assert key.hex() == "1f369613dd76d5467730efcbe3b1a22d", key.hex()
    assert iv.hex() == "fa044b2f42a3fd3b46fb255c", iv.hex()
    assert hp.hex() == "9f50449e04a0e810283a1e9933adedd2", hp.hex()
    # FIPS-197 C.1 AES-128 vector.
    rk = _expand_key(bytes(range(16)))
    assert aes_encrypt_block(rk, bytes.fromhex("00112233445566778899aabbccddeeff")).hex() == \
        "69c4e0d86a7b0430d8cdb78070b4c55a"
    # GCM test case 2 (McGrew & Viega): zero key, zero IV, one zero block.
    out = aes_gcm_encrypt(bytes(16), bytes(12), bytes(16), b"")
    assert out.hex() == "0388dace60b6a392f328c2b971b2fe78" "ab6e47d42cec13bdf53a67b21257bddf", out.hex()
    print("quic: AES, GCM and Initial keys match the published vectors")


if __name__ == "__main__":
    _self_check()
