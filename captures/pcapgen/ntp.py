"""NTPv4 client and server packets (RFC 5905), 48 bytes, no extensions."""
import ipaddress
import struct

NTP_EPOCH_OFFSET = 2208988800  # seconds from 1900-01-01 to 1970-01-01


def ntp_timestamp(ts_us: int) -> int:
    """64-bit NTP timestamp for integer microseconds since the Unix epoch."""
    sec, usec = divmod(ts_us, 1_000_000)
    return ((sec + NTP_EPOCH_OFFSET) << 32) | ((usec << 32) // 1_000_000)


def _packet(li, mode, stratum, poll, precision, root_delay, root_disp, refid: bytes,
            ref, orig, recv, xmit) -> bytes:
    return struct.pack("!BBbbII4sQQQQ", (li << 6) | (4 << 3) | mode, stratum, poll, precision,
                       root_delay, root_disp, refid, ref, orig, recv, xmit)


def client_request(ts_us: int, poll=6) -> bytes:
    """Mode 3. Like most SNTP/chrony clients, only the transmit timestamp is set."""
    return _packet(0, 3, 0, poll, -20, 0, 0, b"\x00" * 4, 0, 0, 0, ntp_timestamp(ts_us))


def server_reply(request: bytes, recv_us: int, xmit_us: int, refid_ip="10.0.0.1", stratum=2,
                 poll=6, ref_us=None) -> bytes:
    """Mode 4 reply; origin = the request's transmit timestamp."""
    orig = struct.unpack_from("!Q", request, 40)[0]
    ref = ntp_timestamp(ref_us if ref_us is not None else recv_us - 37_000_000)
    return _packet(0, 4, stratum, poll, -24, 0x0000_0123, 0x0000_0456,
                   ipaddress.IPv4Address(refid_ip).packed, ref, orig,
                   ntp_timestamp(recv_us), ntp_timestamp(xmit_us))
