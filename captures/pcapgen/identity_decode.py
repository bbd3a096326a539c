"""Readers for what devices say about themselves, for the ground-truth oracle: DHCP client
messages, NetBIOS name records, SSDP headers. Written from the RFCs, independently of the
builders (dhcp, nbns, ssdp), so the truth reads what is in the frames."""
import ipaddress
import struct
from collections import namedtuple

from .dns_decode import read_name
from .ethernet import mac_str

DhcpClient = namedtuple("DhcpClient", "chaddr host_name vendor_class")
NbName = namedtuple("NbName", "name suffix group address")

_COOKIE = b"\x63\x82\x53\x63"
_BOOTP_FIXED = 236


def dhcp_client(payload):
    """DhcpClient(chaddr, option 12 or None, option 60 or None) of a BOOTREQUEST with an
    Ethernet hardware address and the DHCP magic cookie, else None."""
    if payload is None or len(payload) < _BOOTP_FIXED + 4 or payload[0] != 1:
        return None
    if payload[1] != 1 or payload[2] != 6 or payload[_BOOTP_FIXED:_BOOTP_FIXED + 4] != _COOKIE:
        return None
    chaddr = mac_str(payload[28:34])
    opts, off = {}, _BOOTP_FIXED + 4
    while off < len(payload):
        code = payload[off]
        if code == 255:
            break
        if code == 0:
            off += 1
            continue
        if off + 2 > len(payload) or off + 2 + payload[off + 1] > len(payload):
            return None
        opts.setdefault(code, payload[off + 2:off + 2 + payload[off + 1]])
        off += 2 + payload[off + 1]
    text = {k: opts[k].decode("latin-1") if k in opts else None for k in (12, 60)}
    return DhcpClient(chaddr, text[12], text[60])


def _netbios_name(label):
    """First-level decoding (RFC 1001 section 14.1) of a 32-letter label -> (name, suffix)."""
    if len(label) != 32 or any(not "A" <= c <= "P" for c in label):
        return None
    raw = bytes((ord(label[i]) - 65) << 4 | (ord(label[i + 1]) - 65) for i in range(0, 32, 2))
    return raw[:15].decode("latin-1").rstrip(" "), raw[15]


def nbns_names(payload):
    """The NB records a NetBIOS Name Service message states as its sender's: those of a name
    registration or refresh request (opcode 5, 8, 9: additional section) and of a positive name
    query response (opcode 0, RCODE 0: answer section). [NbName], empty for anything else."""
    try:
        trn, flags, qd, an, ns, ar = struct.unpack_from("!HHHHHH", payload, 0)
    except (struct.error, TypeError):
        return []
    response, opcode, rcode = bool(flags & 0x8000), (flags >> 11) & 0xF, flags & 0xF
    if not response and opcode in (5, 8, 9):
        want = "additional"
    elif response and opcode == 0 and rcode == 0:
        want = "answer"
    else:
        return []
    out = []
    try:
        off = 12
        for _ in range(qd):
            off = read_name(payload, off)[1] + 4
        for section, count in (("answer", an), ("authority", ns), ("additional", ar)):
            for _ in range(count):
                owner, off = read_name(payload, off)
                rtype, _cls, _ttl, rdlen = struct.unpack_from("!HHIH", payload, off)
                off += 10
                decoded = _netbios_name(owner.split(".")[0])
                if section == want and rtype == 0x0020 and decoded and rdlen % 6 == 0:
                    for p in range(off, off + rdlen, 6):
                        nb_flags = struct.unpack_from("!H", payload, p)[0]
                        addr = ipaddress.IPv4Address(payload[p + 2:p + 6])
                        out.append(NbName(decoded[0], decoded[1], bool(nb_flags & 0x8000), addr))
                off += rdlen
    except (ValueError, struct.error):
        return out
    return out


def ssdp_server(payload):
    """The SERVER header value (surrounding blanks stripped) of an SSDP message (NOTIFY, an
    M-SEARCH response), else None."""
    if not payload:
        return None
    text = payload.decode("latin-1")
    head, _, _ = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    if not (lines[0].startswith("NOTIFY ") or lines[0].startswith("HTTP/1.") or lines[0].startswith("M-SEARCH ")):
        return None
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip().upper() == "SERVER":
            return value.strip()
    return None
