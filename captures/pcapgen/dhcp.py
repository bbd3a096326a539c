"""DHCPv4 messages (RFC 2131, options RFC 2132): what a client sends (DISCOVER, REQUEST) and
what the router answers (OFFER, ACK), as UDP payloads for ports 68 -> 67 and 67 -> 68.

A client announces itself here: option 12 (host name), option 60 (vendor class identifier,
e.g. "udhcp 1.29.3", "android-dhcp-12"), option 61 (client identifier: hardware type 1 +
MAC), option 55 (the parameters it wants). The router never echoes the host name.
"""
import ipaddress
import struct

from .ethernet import mac_bytes

CLIENT_PORT, SERVER_PORT = 68, 67
BOOTREQUEST, BOOTREPLY = 1, 2
DISCOVER, OFFER, REQUEST, ACK = 1, 2, 3, 5
MAGIC_COOKIE = b"\x63\x82\x53\x63"
FLAG_BROADCAST = 0x8000

OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS, OPT_HOST_NAME, OPT_DOMAIN_NAME = 1, 3, 6, 12, 15
OPT_REQUESTED_IP, OPT_LEASE_TIME, OPT_MESSAGE_TYPE, OPT_SERVER_ID = 50, 51, 53, 54
OPT_PARAMETER_LIST, OPT_MAX_SIZE, OPT_RENEWAL, OPT_REBINDING = 55, 57, 58, 59
OPT_VENDOR_CLASS, OPT_CLIENT_ID, OPT_END = 60, 61, 255

# Parameter request lists as sent by common clients (udhcpc, dhcpcd, Android).
PARAMS_UDHCPC = (1, 3, 6, 12, 15, 28, 42)
PARAMS_DHCPCD = (1, 121, 33, 3, 6, 12, 15, 26, 28, 51, 54, 58, 59, 119)
PARAMS_ANDROID = (1, 3, 6, 15, 26, 28, 51, 58, 59, 43)
ZERO4 = "0.0.0.0"


def option(code: int, value: bytes) -> bytes:
    if not 0 < len(value) < 256:
        raise ValueError("DHCP option %d: bad length %d" % (code, len(value)))
    return bytes([code, len(value)]) + value


def _ip(a) -> bytes:
    return ipaddress.IPv4Address(a).packed


def message(op: int, xid: int, chaddr: str, options: bytes, ciaddr=ZERO4, yiaddr=ZERO4, siaddr=ZERO4,
            flags=0, secs=0) -> bytes:
    """A BOOTP header (chaddr padded to 16 bytes, empty sname/file), the magic cookie, the
    options, END, padded to the classic 300-byte BOOTP minimum."""
    hdr = struct.pack("!BBBBIHH", op, 1, 6, 0, xid, secs, flags) + _ip(ciaddr) + _ip(yiaddr) + \
        _ip(siaddr) + _ip(ZERO4) + mac_bytes(chaddr) + bytes(10) + bytes(64 + 128)
    msg = hdr + MAGIC_COOKIE + options + bytes([OPT_END])
    return msg + bytes(max(0, 300 - len(msg)))


def _client_options(msg_type, mac, host_name, vendor_class, params, requested=None, server=None):
    opts = option(OPT_MESSAGE_TYPE, bytes([msg_type])) + option(OPT_CLIENT_ID, b"\x01" + mac_bytes(mac))
    if requested is not None:
        opts += option(OPT_REQUESTED_IP, _ip(requested))
    if server is not None:
        opts += option(OPT_SERVER_ID, _ip(server))
    opts += option(OPT_MAX_SIZE, struct.pack("!H", 1500))
    if vendor_class is not None:
        opts += option(OPT_VENDOR_CLASS, vendor_class.encode("ascii"))
    if host_name is not None:
        opts += option(OPT_HOST_NAME, host_name.encode("ascii"))
    return opts + option(OPT_PARAMETER_LIST, bytes(params))


def discover(xid, mac, host_name=None, vendor_class=None, params=PARAMS_UDHCPC, requested=None,
             broadcast=False) -> bytes:
    return message(BOOTREQUEST, xid, mac, _client_options(DISCOVER, mac, host_name, vendor_class, params, requested),
                   flags=FLAG_BROADCAST if broadcast else 0)


def request(xid, mac, host_name=None, vendor_class=None, params=PARAMS_UDHCPC, requested=None, server=None,
            ciaddr=ZERO4, broadcast=False) -> bytes:
    """SELECTING (requested + server), INIT-REBOOT (requested only) or RENEWING (ciaddr set,
    neither requested nor server, sent unicast to the server)."""
    return message(BOOTREQUEST, xid, mac,
                   _client_options(REQUEST, mac, host_name, vendor_class, params, requested, server),
                   ciaddr=ciaddr, flags=FLAG_BROADCAST if broadcast else 0)


def server_reply(msg_type, xid, mac, yiaddr, server, subnet_mask, router, dns_servers, lease_s=86400,
                 domain=None, ciaddr=ZERO4, broadcast=False) -> bytes:
    """OFFER or ACK from the router: lease, T1 = lease/2, T2 = 7/8 lease, mask, router, DNS."""
    opts = option(OPT_MESSAGE_TYPE, bytes([msg_type])) + option(OPT_SERVER_ID, _ip(server)) + \
        option(OPT_LEASE_TIME, struct.pack("!I", lease_s)) + \
        option(OPT_RENEWAL, struct.pack("!I", lease_s // 2)) + \
        option(OPT_REBINDING, struct.pack("!I", lease_s * 7 // 8)) + \
        option(OPT_SUBNET_MASK, _ip(subnet_mask)) + option(OPT_ROUTER, _ip(router)) + \
        option(OPT_DNS, b"".join(_ip(a) for a in dns_servers))
    if domain is not None:
        opts += option(OPT_DOMAIN_NAME, domain.encode("ascii"))
    return message(BOOTREPLY, xid, mac, opts, ciaddr=ciaddr, yiaddr=yiaddr, siaddr=ZERO4,
                   flags=FLAG_BROADCAST if broadcast else 0)


def offer(xid, mac, yiaddr, server, **kw) -> bytes:
    return server_reply(OFFER, xid, mac, yiaddr, server, **kw)


def ack(xid, mac, yiaddr, server, **kw) -> bytes:
    return server_reply(ACK, xid, mac, yiaddr, server, **kw)
