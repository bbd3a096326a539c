"""Application payloads that dissect cleanly: TLS 1.3 records, SMB2, SSDP, STUN, RTP-like audio.

Every function takes a random.Random for its random bytes, so output is deterministic.
"""
import struct


def _rand(rng, n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def _u8len(b: bytes) -> bytes:
    return bytes([len(b)]) + b


def _u16len(b: bytes) -> bytes:
    return struct.pack("!H", len(b)) + b


def _ext(etype: int, body: bytes) -> bytes:
    return struct.pack("!H", etype) + _u16len(body)


def _record(ctype: int, body: bytes, version=0x0303) -> bytes:
    return struct.pack("!BHH", ctype, version, len(body)) + body


def _handshake(htype: int, body: bytes) -> bytes:
    return bytes([htype]) + len(body).to_bytes(3, "big") + body


# -- TLS ---------------------------------------------------------------------
def tls_client_hello(rng, sni: str) -> bytes:
    host = sni.encode("ascii")
    exts = b"".join([
        _ext(0, _u16len(b"\x00" + _u16len(host))),                   # server_name
        _ext(10, _u16len(struct.pack("!HH", 0x001D, 0x0017))),        # supported_groups
        _ext(11, _u8len(b"\x00")),                                    # ec_point_formats
        _ext(13, _u16len(struct.pack("!HHHH", 0x0403, 0x0804, 0x0401, 0x0503))),
        _ext(16, _u16len(_u8len(b"h2") + _u8len(b"http/1.1"))),      # ALPN
        _ext(43, _u8len(struct.pack("!HH", 0x0304, 0x0303))),         # supported_versions
        _ext(45, _u8len(b"\x01")),                                    # psk_key_exchange_modes
        _ext(51, _u16len(struct.pack("!H", 0x001D) + _u16len(_rand(rng, 32)))),  # key_share
    ])
    suites = struct.pack("!HHHHH", 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F)
    body = b"\x03\x03" + _rand(rng, 32) + _u8len(_rand(rng, 32)) + _u16len(suites) + \
        _u8len(b"\x00") + _u16len(exts)
    return _record(22, _handshake(1, body), version=0x0301)


def tls_server_hello(rng, client_hello: bytes) -> bytes:
    """TLS 1.3 ServerHello echoing the client's session id, then ChangeCipherSpec."""
    sid = client_hello[5 + 4 + 2 + 32 + 1:5 + 4 + 2 + 32 + 1 + 32]
    exts = _ext(43, struct.pack("!H", 0x0304)) + \
        _ext(51, struct.pack("!H", 0x001D) + _u16len(_rand(rng, 32)))
    body = b"\x03\x03" + _rand(rng, 32) + _u8len(sid) + struct.pack("!HB", 0x1301, 0) + _u16len(exts)
    return _record(22, _handshake(2, body)) + tls_change_cipher_spec()


def tls_change_cipher_spec() -> bytes:
    return _record(20, b"\x01")


def tls_app_data(rng, size: int) -> bytes:
    """One opaque application_data record carrying `size` bytes (ciphertext + tag)."""
    return _record(23, _rand(rng, size))


# -- SMB2 over direct TCP (port 445) ------------------------------------------
SMB2_READ, SMB2_ECHO = 0x0008, 0x000D


def _smb2(command: int, message_id: int, body: bytes, response: bool, session_id=0x0000_1234_0000_0045,
          tree_id=5) -> bytes:
    flags = 0x1 if response else 0
    hdr = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 1, 0, command, 1, flags, 0, message_id,
                                   0xFEFF, tree_id, session_id, b"\x00" * 16)
    msg = hdr + body
    return b"\x00" + len(msg).to_bytes(3, "big") + msg  # direct-TCP transport header


def smb2_echo(message_id: int, response: bool) -> bytes:
    return _smb2(SMB2_ECHO, message_id, struct.pack("<HH", 4, 0), response)


def smb2_read_request(message_id: int, file_id: bytes, offset: int, length: int) -> bytes:
    body = struct.pack("<HBBIQ16sIIIHHB", 49, 0x50, 0, length, offset, file_id, 1, 0, 0, 0, 0, 0)
    return _smb2(SMB2_READ, message_id, body, False)


def smb2_read_response(rng, message_id: int, length: int) -> bytes:
    body = struct.pack("<HBBIII", 17, 0x50, 0, length, 0, 0) + _rand(rng, length)
    return _smb2(SMB2_READ, message_id, body, True)


# -- small UDP payloads ---------------------------------------------------------
def ssdp_msearch(st="ssdp:all") -> bytes:
    return ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
            "MX: 2\r\nST: %s\r\n\r\n" % st).encode("ascii")


def stun_binding_request(rng) -> bytes:
    return struct.pack("!HHI", 0x0001, 0, 0x2112A442) + _rand(rng, 12)


def rtp_like(seq: int, timestamp: int, ssrc: int, audio: bytes, pt=0) -> bytes:
    """12-byte RTP version-2 header + audio (160 bytes = 20 ms of 8 kHz G.711)."""
    return struct.pack("!BBHII", 0x80, pt & 0x7F, seq & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc) + audio


def opaque(rng, n: int) -> bytes:
    return _rand(rng, n)
