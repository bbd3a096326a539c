"""The Internet checksum (RFC 1071)."""


def inet_checksum(data: bytes) -> int:
    """One's-complement sum of 16-bit big-endian words, complemented."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF
