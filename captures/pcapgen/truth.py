"""The ground-truth oracle: per-frame device/remote/findings and the per-device table.

Rules (see captures/README.md):
  device/remote  LOCAL src -> GLOBAL dst: device=src, remote=dst; GLOBAL src -> LOCAL dst:
                 device=dst, remote=src; otherwise both null.
  sink           UDP datagram, or TCP segment with SYN set and ACK clear, LOCAL -> GLOBAL,
                 destination port 0 or 1.
  pinhole        per UDP 4-tuple (device addr, device port, remote addr, remote port): an
                 outbound datagram is a pinhole if nothing ever came back on the 4-tuple
                 earlier in the capture and either >= 20 s (exactly, integer microseconds)
                 passed since the previous outbound datagram of the 4-tuple, or an earlier
                 outbound datagram of the 4-tuple already was a pinhole.
  devices        per LOCAL address: frames/bytes as outer IP source, or as destination unless
                 the Ethernet destination is a group (broadcast/multicast) address; MAC of its
                 first sent frame; first/last time (s from the first frame); distinct GLOBAL peers.
  p2p            per frame: the Kalay / PPPP label the generator gave the datagram (platform,
                 code, uid, key) or null. Findings: "p2p" (P2P frame with a device/remote pair),
                 "p2p_lan" (P2P frame without the pair, IP source or destination LOCAL),
                 "p2p_dns" (DNS on port 53/5353 naming an iotcplatform.com, kalayservice.com or
                 kalay.net.cn name in a question, an answer owner or a CNAME target).
  devices (P2P)  p2p_platforms / uids of the P2P frames it sent; p2p_servers / p2p_peers:
                 distinct unicast addresses it exchanged server- / peer-type P2P messages with
                 (either direction); p2p_prefixes: distinct GLOBAL /16 (IPv4) or /32 (IPv6)
                 among those addresses.
"""
import ipaddress
import json
import struct

from .addresses import GLOBAL, LOCAL, classify, parse_networks
from .decode import decode
from .ethernet import mac_str

PINHOLE_SILENCE_US = 20_000_000
SYN, ACK = 0x02, 0x10

# Peer-type P2P messages (device <-> client); every other message, including any unknown
# Kalay code, is server-type.
KALAY_PEER_CODES = frozenset({0x010621, 0x020612, 0x070421, 0x080412, 0x280412, 0x270421})
PPPP_PEER_TYPES = frozenset({0x30, 0x31, 0x32, 0x41, 0x42, 0x43, 0xD0, 0xD1, 0xD8, 0xE0, 0xE1, 0xF0})
P2P_DNS_DOMAINS = ("iotcplatform.com", "kalayservice.com", "kalay.net.cn")
DNS_PORTS = (53, 5353)
TYPE_CNAME = 5
BROADCAST4 = ipaddress.IPv4Address("255.255.255.255")


def is_peer_type(label):
    if label["platform"] == "kalay":
        return label["code"] in KALAY_PEER_CODES
    return label["code"] in PPPP_PEER_TYPES


def p2p_dns_name(name):
    """True if `name` is, or is under, one of P2P_DNS_DOMAINS (any case, trailing dot ignored)."""
    n = name.lower().rstrip(".")
    return any(n == d or n.endswith("." + d) for d in P2P_DNS_DOMAINS)


def _dns_name(msg, off):
    """Read a possibly compressed name; returns (name, offset after it) or raises ValueError."""
    labels, end, hops = [], None, 0
    while True:
        if off >= len(msg):
            raise ValueError("name past the end")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg) or hops > 64:
                raise ValueError("bad pointer")
            if end is None:
                end = off + 2
            off, hops = (n & 0x3F) << 8 | msg[off + 1], hops + 1
        elif n & 0xC0:
            raise ValueError("bad label type")
        elif n == 0:
            return ".".join(labels), (end if end is not None else off + 1)
        else:
            labels.append(msg[off + 1:off + 1 + n].decode("latin-1"))
            off += 1 + n


def dns_names(msg):
    """Question names, answer owner names and CNAME targets of a DNS message (best effort)."""
    names = []
    try:
        qd, an = struct.unpack_from("!HH", msg, 4)
        off = 12
        for _ in range(qd):
            name, off = _dns_name(msg, off)
            names.append(name)
            off += 4
        for _ in range(an):
            name, off = _dns_name(msg, off)
            names.append(name)
            rtype, _cls, _ttl, rdlen = struct.unpack_from("!HHIH", msg, off)
            off += 10
            if rtype == TYPE_CNAME:
                names.append(_dns_name(msg, off)[0])
            off += rdlen
    except (ValueError, struct.error):
        pass
    return names


def _prefix(a):
    return ipaddress.ip_network((a, 16 if a.version == 4 else 32), strict=False)


def _addr_key(a):
    return (a.version, int(a))


def compute_scenario(sc, capture_name=""):
    return compute(sc.frames, sc.local_networks, capture_name, sc.p2p, sc.pppp_keys)


def compute(frames, local_networks=(), capture_name="", p2p=None, pppp_keys=""):
    """frames: [(ts_us, bytes)] in capture order; p2p: None or a parallel list of None or
    {"platform", "code", "uid", "key"}. Returns the truth as a dict."""
    extra = parse_networks(local_networks)
    cls_cache = {}

    def cls(a):
        if a not in cls_cache:
            cls_cache[a] = classify(a, extra)
        return cls_cache[a]

    t0 = frames[0][0] if frames else 0
    out_frames, devices = [], {}
    pin_state = {}  # 4-tuple -> [last_outbound_ts, flagged, replied]
    for n, (ts, raw) in enumerate(frames, 1):
        d = decode(raw)
        device = remote = None
        findings = []
        label = p2p[n - 1] if p2p else None
        if label is not None:
            label = {"platform": label["platform"], "code": label["code"], "uid": label.get("uid"),
                     "key": label.get("key")}
        if (d.payload is not None and (d.sport in DNS_PORTS or d.dport in DNS_PORTS)
                and any(p2p_dns_name(x) for x in dns_names(d.payload))):
            findings.append("p2p_dns")
        if d.ip_src is not None:
            cs, cd = cls(d.ip_src), cls(d.ip_dst)
            outbound = cs == LOCAL and cd == GLOBAL
            inbound = cs == GLOBAL and cd == LOCAL
            if outbound:
                device, remote = d.ip_src, d.ip_dst
            elif inbound:
                device, remote = d.ip_dst, d.ip_src
            is_udp = d.proto == 17 and d.sport is not None
            is_syn = d.proto == 6 and d.tcp_flags is not None and d.tcp_flags & SYN and not d.tcp_flags & ACK
            if outbound and (is_udp or is_syn) and d.dport in (0, 1):
                findings.append("sink")
            if label is not None:
                if outbound or inbound:
                    findings.append("p2p")
                elif cs == LOCAL or cd == LOCAL:
                    findings.append("p2p_lan")
            unicast = not d.eth_group and not d.ip_dst.is_multicast and d.ip_dst != BROADCAST4
            if is_udp and (outbound or inbound):
                if outbound:
                    key = (d.ip_src, d.sport, d.ip_dst, d.dport)
                else:
                    key = (d.ip_dst, d.dport, d.ip_src, d.sport)
                st = pin_state.setdefault(key, [None, False, False])
                if inbound:
                    st[2] = True
                elif not st[2]:
                    if st[1] or (st[0] is not None and ts - st[0] >= PINHOLE_SILENCE_US):
                        st[1] = True
                        findings.append("pinhole")
                    st[0] = ts
                else:
                    st[0] = ts
            # device table
            counted = [(d.ip_src, d.ip_dst, True)]
            if not d.eth_group:
                counted.append((d.ip_dst, d.ip_src, False))
            for addr, peer, sent in counted:
                if cls(addr) != LOCAL:
                    continue
                e = devices.get(addr)
                if e is None:
                    e = devices[addr] = {"packets": 0, "bytes": 0, "mac": None, "first": ts,
                                         "last": ts, "remote_hosts": set(), "platforms": set(),
                                         "uids": set(), "servers": set(), "peers": set()}
                e["packets"] += 1
                e["bytes"] += len(raw)
                e["last"] = ts
                if sent and e["mac"] is None:
                    e["mac"] = mac_str(d.eth_src)
                if cls(peer) == GLOBAL:
                    e["remote_hosts"].add(peer)
                if label is not None:
                    if sent:
                        e["platforms"].add(label["platform"])
                        if label["uid"] is not None:
                            e["uids"].add(label["uid"])
                    if unicast and peer != addr:
                        e["peers" if is_peer_type(label) else "servers"].add(peer)
        out_frames.append({"n": n, "device": str(device) if device else None,
                           "remote": str(remote) if remote else None, "p2p": label,
                           "findings": sorted(findings)})
    dev_out = {}
    for addr in sorted(devices, key=_addr_key):
        e = devices[addr]
        contacted = e["servers"] | e["peers"]
        dev_out[str(addr)] = {"packets": e["packets"], "bytes": e["bytes"], "mac": e["mac"],
                              "first": round((e["first"] - t0) / 1e6, 6),
                              "last": round((e["last"] - t0) / 1e6, 6),
                              "remote_hosts": len(e["remote_hosts"]),
                              "p2p_platforms": sorted(e["platforms"]),
                              "uids": sorted(e["uids"]),
                              "p2p_servers": len(e["servers"]),
                              "p2p_peers": len(e["peers"]),
                              "p2p_prefixes": len({_prefix(a) for a in contacted if cls(a) == GLOBAL})}
    return {"capture": capture_name,
            "local_networks": ",".join(str(n) for n in extra),
            "pinhole_silence_s": PINHOLE_SILENCE_US // 1_000_000,
            "pppp_keys": pppp_keys or "",
            "frames": out_frames,
            "devices": dev_out}


def dumps(truth) -> str:
    """Stable JSON text: one line per frame and per device, so diffs stay readable."""
    head = {k: truth[k] for k in ("capture", "local_networks", "pinhole_silence_s", "pppp_keys")}
    lines = ["{"]
    for k, v in head.items():
        lines.append("  %s: %s," % (json.dumps(k), json.dumps(v)))
    lines.append('  "frames": [')
    fr = truth["frames"]
    for i, f in enumerate(fr):
        lines.append("    " + json.dumps(f) + ("," if i < len(fr) - 1 else ""))
    lines.append("  ],")
    lines.append('  "devices": {')
    dv = list(truth["devices"].items())
    for i, (k, v) in enumerate(dv):
        lines.append("    %s: %s%s" % (json.dumps(k), json.dumps(v), "," if i < len(dv) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
