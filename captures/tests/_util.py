"""Helpers for the tests: make pcapgen importable, build small frames by hand."""
import os
import sys

CAPTURES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if CAPTURES not in sys.path:
    sys.path.insert(0, CAPTURES)

from pcapgen import ethernet as eth  # noqa: E402
from pcapgen.ip import PROTO_TCP, PROTO_UDP, ipv4, ipv6  # noqa: E402
from pcapgen.transport import tcp, udp  # noqa: E402

DEV_MAC, GW_MAC = "02:00:00:00:00:01", "02:00:00:00:00:fe"
S = 1_000_000


def _ip(src, dst, proto, l4):
    return ipv6(src, dst, proto, l4) if ":" in str(src) else ipv4(src, dst, proto, l4)


def _eth(src, dst, payload, dst_mac=None, src_mac=None):
    etype = eth.ETH_IPV6 if ":" in str(src) else eth.ETH_IPV4
    return eth.ethernet(dst_mac or GW_MAC, src_mac or DEV_MAC, etype, payload)


def udp_frame(src, dst, sport, dport, payload=b"x", **kw):
    return _eth(src, dst, _ip(src, dst, PROTO_UDP, udp(src, dst, sport, dport, payload)), **kw)


def tcp_frame(src, dst, sport, dport, flags, seq=1000, ack=0, **kw):
    return _eth(src, dst, _ip(src, dst, PROTO_TCP, tcp(src, dst, sport, dport, seq, ack, flags)), **kw)
