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
"""
import json

from .addresses import GLOBAL, LOCAL, classify, parse_networks
from .decode import decode
from .ethernet import mac_str

PINHOLE_SILENCE_US = 20_000_000
SYN, ACK = 0x02, 0x10


def _addr_key(a):
    return (a.version, int(a))


def compute(frames, local_networks=(), capture_name=""):
    """frames: [(ts_us, bytes)] in capture order. Returns the truth as a dict."""
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
                                         "last": ts, "remote_hosts": set()}
                e["packets"] += 1
                e["bytes"] += len(raw)
                e["last"] = ts
                if sent and e["mac"] is None:
                    e["mac"] = mac_str(d.eth_src)
                if cls(peer) == GLOBAL:
                    e["remote_hosts"].add(peer)
        out_frames.append({"n": n, "device": str(device) if device else None,
                           "remote": str(remote) if remote else None,
                           "findings": sorted(findings)})
    dev_out = {}
    for addr in sorted(devices, key=_addr_key):
        e = devices[addr]
        dev_out[str(addr)] = {"packets": e["packets"], "bytes": e["bytes"], "mac": e["mac"],
                              "first": round((e["first"] - t0) / 1e6, 6),
                              "last": round((e["last"] - t0) / 1e6, 6),
                              "remote_hosts": len(e["remote_hosts"])}
    return {"capture": capture_name,
            "local_networks": ",".join(str(n) for n in extra),
            "pinhole_silence_s": PINHOLE_SILENCE_US // 1_000_000,
            "frames": out_frames,
            "devices": dev_out}


def dumps(truth) -> str:
    """Stable JSON text: one line per frame and per device, so diffs stay readable."""
    head = {k: truth[k] for k in ("capture", "local_networks", "pinhole_silence_s")}
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
