"""Classic libpcap files: magic a1b2c3d4, microsecond timestamps, LINKTYPE_ETHERNET.

Timestamps are integer microseconds since the Unix epoch, so values such as
exactly 20.000000 s between two frames are represented without rounding.
"""
import struct

MAGIC = 0xA1B2C3D4
LINKTYPE_ETHERNET = 1
SNAPLEN = 262144
GLOBAL_HEADER = struct.Struct("<IHHiIII")
RECORD_HEADER = struct.Struct("<IIII")


def pcap_bytes(frames, linktype=LINKTYPE_ETHERNET):
    """frames: iterable of (ts_us, frame_bytes). Returns the whole file as bytes."""
    out = [GLOBAL_HEADER.pack(MAGIC, 2, 4, 0, 0, SNAPLEN, linktype)]
    for ts_us, data in frames:
        if ts_us < 0:
            raise ValueError("negative timestamp")
        sec, usec = divmod(int(ts_us), 1_000_000)
        out.append(RECORD_HEADER.pack(sec, usec, len(data), len(data)))
        out.append(bytes(data))
    return b"".join(out)


def write_pcap(path, frames, linktype=LINKTYPE_ETHERNET):
    data = pcap_bytes(frames, linktype)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def read_pcap(data: bytes):
    """Parse a classic little-endian microsecond pcap; returns (linktype, [(ts_us, bytes)])."""
    magic, vmaj, vmin, _tz, _sig, _snap, linktype = GLOBAL_HEADER.unpack_from(data, 0)
    if magic != MAGIC or (vmaj, vmin) != (2, 4):
        raise ValueError("not a classic little-endian microsecond pcap")
    frames, off = [], GLOBAL_HEADER.size
    while off < len(data):
        sec, usec, incl, _orig = RECORD_HEADER.unpack_from(data, off)
        off += RECORD_HEADER.size
        frames.append((sec * 1_000_000 + usec, data[off:off + incl]))
        off += incl
    return linktype, frames
