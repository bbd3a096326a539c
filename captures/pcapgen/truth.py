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
                 code, uid, key; for keys nobody published, key "recovered xx:xx:xx:xx" and the
                 camera/remote pair with the datagram's number in it, pair and pair_index) or null. Findings: "p2p" (P2P frame with a device/remote pair),
                 "p2p_lan" (P2P frame without the pair, IP source or destination LOCAL),
                 "p2p_dns" (DNS on port 53/5353 naming an iotcplatform.com, kalayservice.com or
                 kalay.net.cn name in a question, an answer owner or a CNAME target).
  devices (P2P)  p2p_platforms / uids of the P2P frames it sent; p2p_servers / p2p_peers:
                 distinct unicast addresses it exchanged server- / peer-type P2P messages with
                 (either direction); p2p_prefixes: distinct GLOBAL /16 (IPv4) or /32 (IPv6)
                 among those addresses.
  heartbeat      per frame: null, or {"period": P} when the frame is a planned beat (a mark the
                 generator attached: kind and planned mean period P in s) at index >= 3 (0-based,
                 capture order) of its series. Series = (device, device port, remote, remote
                 port, transport, direction, kind). Only frames with a device/remote pair and a
                 non-empty UDP/TCP payload can be beats (marks elsewhere are ignored).
                 Finding "heartbeat".
  dead_cloud     a TCP SYN (SYN set, ACK clear) LOCAL -> GLOBAL that is at least the 3rd SYN from
                 the device to that remote address+port (any source port, retransmissions
                 included), when the service was not seen alive earlier in the capture: no TCP
                 segment from that remote address+port to the device, and none but SYNs from the
                 device to it. Finding "dead_cloud".
  remote_name    per frame with a device/remote pair: the question name (lower-case, no trailing
                 dot) of the latest earlier DNS response (UDP port 53/5353, QR set, any client)
                 whose answer section has an A/AAAA record equal to the remote; else the SNI
                 (lower-case, no trailing dot) of the latest ClientHello sent to the remote address
                 up to and including this frame, in a TLS record over TCP (parsed) or in a QUIC
                 Initial over UDP (the generator's mark, quic_sni: the SNI it put in the Initial,
                 not decrypted here); else null.
  devices        heartbeats / dead_cloud: frames of the device carrying that finding.
"""
import ipaddress
import json
import struct

from .addresses import GLOBAL, LOCAL, classify, parse_networks
from .decode import decode
from .dns_decode import read_name as _dns_name
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
TYPE_A, TYPE_AAAA = 1, 28
HEARTBEAT_MIN_INDEX = 3   # a beat is reported from the one that completes three intervals on
DEAD_CLOUD_MIN_SYNS = 3   # the 3rd unanswered SYN to a remote address+port
BROADCAST4 = ipaddress.IPv4Address("255.255.255.255")


def is_peer_type(label):
    if label["platform"] == "kalay":
        return label["code"] in KALAY_PEER_CODES
    return label["code"] in PPPP_PEER_TYPES


def p2p_dns_name(name):
    """True if `name` is, or is under, one of P2P_DNS_DOMAINS (any case, trailing dot ignored)."""
    n = name.lower().rstrip(".")
    return any(n == d or n.endswith("." + d) for d in P2P_DNS_DOMAINS)


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


def dns_response_addresses(msg):
    """(question name, [A/AAAA addresses of the answer section]) of a DNS response, else None.
    The question name is lower-cased without a trailing dot; CNAME records are skipped, so a
    name answered through a CNAME chain still maps to the addresses at its end."""
    try:
        flags, qd, an = struct.unpack_from("!HHH", msg, 2)
        if not flags & 0x8000 or qd < 1:
            return None
        off = 12
        qname = None
        for _ in range(qd):
            name, off = _dns_name(msg, off)
            qname = name if qname is None else qname
            off += 4
        addrs = []
        for _ in range(an):
            _name, off = _dns_name(msg, off)
            rtype, _cls, _ttl, rdlen = struct.unpack_from("!HHIH", msg, off)
            off += 10
            if off + rdlen > len(msg):
                raise ValueError("rdata past the end")
            if rtype == TYPE_A and rdlen == 4:
                addrs.append(ipaddress.IPv4Address(msg[off:off + 4]))
            elif rtype == TYPE_AAAA and rdlen == 16:
                addrs.append(ipaddress.IPv6Address(msg[off:off + 16]))
            off += rdlen
    except (ValueError, struct.error):
        return None
    return qname.lower().rstrip("."), addrs


def tls_client_hello_sni(data):
    """The server_name (lower-case) of a TLS ClientHello at the start of a TCP payload, else None."""
    try:
        if len(data) < 9 or data[0] != 22 or data[1] != 3 or data[5] != 1:
            return None
        off = 5 + 4 + 2 + 32
        off += 1 + data[off]                                   # session id
        off += 2 + struct.unpack_from("!H", data, off)[0]      # cipher suites
        off += 1 + data[off]                                   # compression methods
        end = off + 2 + struct.unpack_from("!H", data, off)[0]
        off += 2
        while off + 4 <= end:
            etype, elen = struct.unpack_from("!HH", data, off)
            off += 4
            if etype == 0:
                p, lend = off + 2, off + 2 + struct.unpack_from("!H", data, off)[0]
                while p + 3 <= lend:
                    ntype, nlen = data[p], struct.unpack_from("!H", data, p + 1)[0]
                    if ntype == 0:
                        return data[p + 3:p + 3 + nlen].decode("latin-1").lower().rstrip(".")
                    p += 3 + nlen
                return None
            off += elen
    except (IndexError, struct.error):
        return None
    return None


def _prefix(a):
    return ipaddress.ip_network((a, 16 if a.version == 4 else 32), strict=False)


def _addr_key(a):
    return (a.version, int(a))


def is_quic_v1_initial(data):
    """A QUIC v1 long-header Initial (header protection leaves the form, fixed bit and type)."""
    return data is not None and len(data) >= 5 and data[0] & 0xF0 == 0xC0 and data[1:5] == b"\x00\x00\x00\x01"


def compute_scenario(sc, capture_name=""):
    return compute(sc.frames, sc.local_networks, capture_name, sc.p2p, sc.pppp_keys, sc.beats, sc.quic_sni,
                   sc.geo)


def compute(frames, local_networks=(), capture_name="", p2p=None, pppp_keys="", beats=None, quic_sni=None,
            geo=None):
    """frames: [(ts_us, bytes)] in capture order; p2p: None or a parallel list of None or
    {"platform", "code", "uid", "key"}; beats: None or a parallel list of None or
    {"kind", "period"} (planned heartbeat beats); quic_sni: None or a parallel list of None or
    the server name in the ClientHello of a QUIC Initial (ignored on a frame that is not a
    QUIC v1 Initial over UDP); geo: None, or the scenario's MaxMind test networks
    {"country": [[cidr, iso, name]], "asn": [[cidr, number, org]]}: then the truth also has an
    "identity" section (identity_truth.py). Returns the truth as a dict."""
    extra = parse_networks(local_networks)
    cls_cache = {}

    def cls(a):
        if a not in cls_cache:
            cls_cache[a] = classify(a, extra)
        return cls_cache[a]

    t0 = frames[0][0] if frames else 0
    out_frames, devices = [], {}
    pin_state = {}  # 4-tuple -> [last_outbound_ts, flagged, replied]
    series = {}     # heartbeat series key -> number of beats so far
    syns = {}       # (device, remote, remote port) -> SYNs sent so far
    answered = set()  # (device, remote, remote port) a TCP segment came from
    dns_name, sni_name = {}, {}  # address -> name
    for n, (ts, raw) in enumerate(frames, 1):
        d = decode(raw)
        device = remote = None
        findings = []
        heartbeat = remote_name = None
        beat = beats[n - 1] if beats else None
        label = p2p[n - 1] if p2p else None
        if label is not None:
            label = dict({"platform": label["platform"], "code": label["code"], "uid": label.get("uid"),
                          "key": label.get("key")},
                         **{k: label[k] for k in ("pair", "pair_index") if k in label})
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
            if d.tcp_payload:
                sni = tls_client_hello_sni(d.tcp_payload)
                if sni:
                    sni_name[d.ip_dst] = sni
            qsni = quic_sni[n - 1] if quic_sni else None
            if qsni and d.proto == 17 and is_quic_v1_initial(d.payload):
                sni_name[d.ip_dst] = qsni.lower().rstrip(".")
            if outbound or inbound:
                remote_name = dns_name.get(remote, sni_name.get(remote))
            if d.proto == 6 and d.tcp_flags is not None:
                if outbound and is_syn:
                    k = (d.ip_src, d.ip_dst, d.dport)
                    syns[k] = syns.get(k, 0) + 1
                    if k not in answered and syns[k] >= DEAD_CLOUD_MIN_SYNS:
                        findings.append("dead_cloud")
                elif inbound:
                    answered.add((d.ip_dst, d.ip_src, d.sport))
                elif outbound:  # the device's ACKs, data, FINs: the handshake completed
                    answered.add((d.ip_src, d.ip_dst, d.dport))
            data = d.payload if d.proto == 17 else d.tcp_payload
            if beat is not None and (outbound or inbound) and data and d.proto in (6, 17):
                if outbound:
                    key = (d.ip_src, d.sport, d.ip_dst, d.dport, d.proto, "out", beat["kind"])
                else:
                    key = (d.ip_dst, d.dport, d.ip_src, d.sport, d.proto, "in", beat["kind"])
                index = series.get(key, 0)
                series[key] = index + 1
                if index >= HEARTBEAT_MIN_INDEX:
                    heartbeat = {"period": round(float(beat["period"]), 6)}
                    findings.append("heartbeat")
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
            # names: a DNS response is used from the next frame on
            if d.payload is not None and (d.sport in DNS_PORTS or d.dport in DNS_PORTS):
                resp = dns_response_addresses(d.payload)
                if resp is not None:
                    for a in resp[1]:
                        dns_name[a] = resp[0]
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
                                         "uids": set(), "servers": set(), "peers": set(),
                                         "heartbeats": 0, "dead_cloud": 0}
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
            if device is not None and device in devices:
                e = devices[device]
                e["heartbeats"] += "heartbeat" in findings
                e["dead_cloud"] += "dead_cloud" in findings
        out_frames.append({"n": n, "device": str(device) if device else None,
                           "remote": str(remote) if remote else None, "p2p": label,
                           "findings": sorted(findings), "heartbeat": heartbeat,
                           "remote_name": remote_name})
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
                              "p2p_prefixes": len({_prefix(a) for a in contacted if cls(a) == GLOBAL}),
                              "heartbeats": e["heartbeats"], "dead_cloud": e["dead_cloud"]}
    out = {"capture": capture_name,
           "local_networks": ",".join(str(n) for n in extra),
           "pinhole_silence_s": PINHOLE_SILENCE_US // 1_000_000,
           "pppp_keys": pppp_keys or "",
           "frames": out_frames,
           "devices": dev_out}
    if geo is not None:
        from . import identity_truth  # imports this module's ClientHello readers
        pairs = [(ipaddress.ip_address(f["device"]), ipaddress.ip_address(f["remote"])) if f["device"] else None
                 for f in out_frames]
        out["identity"] = identity_truth.compute(frames, pairs, sorted(devices, key=_addr_key),
                                                 lambda a: cls(a) == LOCAL, quic_sni, geo)
    return out


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
    if "identity" not in truth:
        lines.append("  }")
    else:
        lines.append("  },")
        lines.extend(_identity_lines(truth["identity"]))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _identity_lines(ident):
    """The identity section: one line per device, per device_names entry, per remote and per
    geo network."""
    def block(key, items, keyed=False):
        out = ["    %s: %s" % (json.dumps(key), "{" if keyed else "[")]
        for i, item in enumerate(items):
            text = ("%s: %s" % (json.dumps(item[0]), json.dumps(item[1]))) if keyed else json.dumps(item)
            out.append("      " + text + ("," if i < len(items) - 1 else ""))
        out.append("    " + ("}" if keyed else "]") + ",")
        return out

    lines = ['  "identity": {']
    lines += block("devices", list(ident["devices"].items()), keyed=True)
    lines += block("device_names", ident["device_names"])
    lines += block("remotes", ident["remotes"])
    lines.append('    "geo": {')
    geo = ident["geo"]
    for k, key in enumerate(("country", "asn")):
        rows = geo[key]
        lines.append("      %s: [" % json.dumps(key))
        for i, row in enumerate(rows):
            lines.append("        " + json.dumps(row) + ("," if i < len(rows) - 1 else ""))
        lines.append("      ]" + ("," if k == 0 else ""))
    lines.append("    }")
    lines.append("  }")
    return lines
