"""LOCAL / GLOBAL / NONROUTABLE classification used by the ground truth.

LOCAL: 10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16, 127/8, 192.0.0.0/24 (except
192.0.0.9 and 192.0.0.10), 198.18/15, fc00::/7, fe80::/10, fec0::/10, ::1, 2001:2::/48,
64:ff9b:1::/48, and any extra local network of the scenario.
GLOBAL: any other IPv4 address that is not special (below); IPv6 only inside 2000::/3 and not
in 2001:db8::/32, 3fff::/20, or 2001::/23 other than Teredo 2001::/32 (which is GLOBAL).
NONROUTABLE: everything else, e.g. 0/8, 192.0.2/24, 198.51.100/24, 203.0.113/24, 224/4,
240/4 (with 255.255.255.255), ::, multicast, 2001:db8::/32.
"""
import ipaddress

LOCAL, GLOBAL, NONROUTABLE = "local", "global", "nonroutable"

_N = ipaddress.ip_network
LOCAL_V4 = [_N(x) for x in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                            "169.254.0.0/16", "127.0.0.0/8", "192.0.0.0/24", "198.18.0.0/15")]
LOCAL_V4_EXCEPT = [ipaddress.ip_address(x) for x in ("192.0.0.9", "192.0.0.10")]
NONROUTABLE_V4 = [_N(x) for x in ("0.0.0.0/8", "192.0.2.0/24", "198.51.100.0/24",
                                  "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4")]
LOCAL_V6 = [_N(x) for x in ("fc00::/7", "fe80::/10", "fec0::/10", "::1/128", "2001:2::/48",
                            "64:ff9b:1::/48")]
GLOBAL_V6 = _N("2000::/3")
NOT_GLOBAL_V6 = [_N(x) for x in ("2001:db8::/32", "3fff::/20")]
IETF_V6 = _N("2001::/23")
TEREDO = _N("2001::/32")


def parse_networks(spec):
    """'a/b, c/d' or an iterable of strings/networks -> list of ip_network (strict=False)."""
    if not spec:
        return []
    if isinstance(spec, str):
        spec = [s for s in spec.split(",") if s.strip()]
    return [n if isinstance(n, (ipaddress.IPv4Network, ipaddress.IPv6Network))
            else ipaddress.ip_network(n.strip(), strict=False) for n in spec]


def classify(addr, extra_local=()) -> str:
    a = ipaddress.ip_address(addr)
    if any(a.version == n.version and a in n for n in extra_local):
        return LOCAL
    if a.version == 4:
        if a not in LOCAL_V4_EXCEPT and any(a in n for n in LOCAL_V4):
            return LOCAL
        if any(a in n for n in NONROUTABLE_V4):
            return NONROUTABLE
        return GLOBAL
    if any(a in n for n in LOCAL_V6):
        return LOCAL
    if a in GLOBAL_V6 and not any(a in n for n in NOT_GLOBAL_V6) and \
            (a not in IETF_V6 or a in TEREDO):
        return GLOBAL
    return NONROUTABLE


# Plainly global blocks of large cloud / CDN operators, used to draw random remotes.
GLOBAL_POOL_V4 = ["52.28.0.0/16", "52.57.0.0/16", "34.102.0.0/16", "34.117.0.0/16",
                  "47.74.0.0/16", "47.88.0.0/16", "106.13.0.0/16", "120.24.0.0/16",
                  "120.76.0.0/16", "13.107.0.0/16", "151.101.0.0/16", "142.250.0.0/16",
                  "104.16.0.0/16", "3.120.0.0/16", "18.184.0.0/16", "39.96.0.0/16"]
GLOBAL_POOL_V6 = ["2600:1f18::/32", "2a05:d018::/32", "2406:da14::/32", "2a00:1450::/32",
                  "2606:4700::/32", "2620:1ec::/32", "2400:cb00::/32", "2a03:2880::/32"]
# ISP prefixes from which a home's global /64 is drawn (then listed as a local network).
ISP_POOL_V6 = ["2003:e6::/32", "2a01:cb00::/32", "2601:640::/32", "2a02:8108::/32"]


def random_global(rng, version=4):
    """A random, plainly GLOBAL address from the cloud pools (host part never 0 or all-ones)."""
    net = ipaddress.ip_network(rng.choice(GLOBAL_POOL_V4 if version == 4 else GLOBAL_POOL_V6))
    if version == 4:
        host = rng.randrange(1, 255) << 8 | rng.randrange(1, 255)
    else:
        host = rng.getrandbits(64) | 1
    addr = net.network_address + host
    assert classify(addr) == GLOBAL
    return addr


def random_isp_64(rng):
    net = ipaddress.ip_network(rng.choice(ISP_POOL_V6))
    return ipaddress.ip_network((int(net.network_address) | (rng.getrandbits(32) << 64), 64))
