#!/usr/bin/env python3
"""Cross-check a capture and its truth file with tshark (developer tool, needs tshark >= 4.0).

  python3 captures/check_tshark.py CAPTURE.pcap [TRUTH.json]

1. No tshark expert info of severity warning or above, nothing malformed, and every IPv4,
   TCP and UDP checksum verified good (checksum validation is switched on).
2. Per-frame device/remote/findings recomputed from tshark's own dissection (fields, not
   pcapgen.decode) equal the truth file: sink and pinhole; p2p and p2p_lan from the truth's
   per-frame "p2p" labels and tshark's addresses; p2p_dns from tshark's DNS names. Every frame
   with a P2P label must be plain UDP data for stock tshark (no other dissector claims it).
   dead_cloud from tshark's TCP flags and ports; remote_name from tshark's DNS responses
   (dns.flags.response, dns.qry.name, dns.a, dns.aaaa on UDP 53/5353) and ClientHellos
   (tls.handshake.type 1, tls.handshake.extensions_server_name) over TCP or in QUIC Initials
   over UDP (tshark decrypts the Initial; the truth has the generator's mark); heartbeat from the truth's
   per-frame "heartbeat" (generator knowledge), which must sit on a frame with a device/remote
   pair and a non-empty TCP/UDP payload.
3. Per-device packets/bytes equal tshark's `-z endpoints,ip` / `endpoints,ipv6` counts minus
   the frames that reached the address as a destination with a group Ethernet address;
   per-device heartbeats / dead_cloud equal the per-frame findings.
4. When the truth has an "identity" section: check_tshark_identity.py recomputes it from
   tshark's DHCP, DNS / mDNS / LLMNR, NBNS, SSDP and TLS / QUIC fields.
Exit status 0 when everything matches.
"""
import ipaddress
import json
import os
import subprocess
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen.addresses import GLOBAL, LOCAL, classify, parse_networks  # noqa: E402
from pcapgen.truth import p2p_dns_name  # noqa: E402

CHECKS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
FIELDS = ["frame.number", "frame.time_epoch", "frame.len", "eth.dst.ig", "ip.src", "ip.dst", "ipv6.src",
          "ipv6.dst", "udp.srcport", "udp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.dstport",
          "frame.protocols", "dns.qry.name", "dns.resp.name", "dns.cname",
          "tcp.srcport", "tcp.len", "udp.length", "dns.flags.response", "dns.a", "dns.aaaa",
          "tls.handshake.type", "tls.handshake.extensions_server_name"]
SEP = "\x1f"  # between occurrences of a field (DNS names)


def tshark(*args):
    return subprocess.run(["tshark", *args], check=True, capture_output=True, text=True).stdout


def main(pcap, truth_path):
    truth = json.load(open(truth_path))
    problems = []
    bad = tshark("-r", pcap, *CHECKS, "-Y", "_ws.expert.severity >= warning || _ws.malformed || "
                 "ip.checksum.status != 1 || tcp.checksum.status != 1 || udp.checksum.status != 1")
    if bad.strip():
        problems.append("expert/malformed/checksum problems:\n" + bad)
    extra = parse_networks(truth["local_networks"])
    rows = tshark("-r", pcap, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=" + SEP, "-E", "separator=\t",
                  *sum((["-e", f] for f in FIELDS), [])).splitlines()
    state, devs = {}, {}
    syns, answered, dns_names, snis, dev_counts = {}, set(), {}, {}, {}
    if len(rows) != len(truth["frames"]):
        problems.append("frame count %d != truth %d" % (len(rows), len(truth["frames"])))
    for row, tf in zip(rows, truth["frames"]):
        cols = (row.split("\t") + [""] * len(FIELDS))[:len(FIELDS)]
        names = [x for c in cols[14:17] for x in c.split(SEP) if x]
        f = dict(zip(FIELDS, cols))
        tsport, tlen, ulen, is_resp = (f[k].split(SEP)[0] for k in ("tcp.srcport", "tcp.len", "udp.length",
                                                                        "dns.flags.response"))
        protocols = cols[13]
        n, ts, flen, ig, s4, d4, s6, d6, us, ud, syn, ack, td = [c.split(SEP)[0] for c in cols[:13]]
        ts = int(Decimal(ts) * 1_000_000)
        src, dst = (s4, d4) if s4 else (s6, d6)
        device = remote = None
        findings = []
        label = tf.get("p2p")
        if label and not (protocols.endswith(":udp") or protocols.endswith(":udp:data")):
            problems.append("frame %s: P2P frame dissected by stock tshark as %s" % (n, protocols))
        if ud and (int(us) in (53, 5353) or int(ud) in (53, 5353)) and any(p2p_dns_name(x) for x in names):
            findings.append("p2p_dns")
        if src:
            cs, cd = classify(src, extra), classify(dst, extra)
            out, inb = cs == LOCAL and cd == GLOBAL, cs == GLOBAL and cd == LOCAL
            if out:
                device, remote = src, dst
            elif inb:
                device, remote = dst, src
            syn_only = syn in ("1", "True") and ack not in ("1", "True")
            if out and ((ud and int(ud) in (0, 1)) or (syn_only and td and int(td) in (0, 1))):
                findings.append("sink")
            quic = ud and ":quic" in protocols
            if (tsport or quic) and "1" in f["tls.handshake.type"].split(SEP) and \
                    f["tls.handshake.extensions_server_name"]:
                snis[ipaddress.ip_address(dst)] = f["tls.handshake.extensions_server_name"].split(SEP)[0].lower().rstrip(".")
            if td and out and syn_only:
                k = (src, dst, td)
                syns[k] = syns.get(k, 0) + 1
                if k not in answered and syns[k] >= 3:
                    findings.append("dead_cloud")
            elif td and inb:
                answered.add((dst, src, tsport))
            if tf.get("heartbeat"):
                payload = int(tlen) if tlen else (int(ulen) - 8 if ulen else 0)
                if not (out or inb) or payload <= 0:
                    problems.append("frame %s: heartbeat on a frame without a pair or payload" % n)
                findings.append("heartbeat")
            if label and (out or inb):
                findings.append("p2p")
            elif label and (cs == LOCAL or cd == LOCAL):
                findings.append("p2p_lan")
            if ud and (out or inb):
                key = (src, us, dst, ud) if out else (dst, ud, src, us)
                st = state.setdefault(key, [None, False, False])
                if inb:
                    st[2] = True
                else:
                    if not st[2] and (st[1] or (st[0] is not None and ts - st[0] >= 20_000_000)):
                        st[1] = True
                        findings.append("pinhole")
                    st[0] = ts
            for a, counted in ((src, True), (dst, ig not in ("1", "True"))):
                if counted and classify(a, extra) == LOCAL:
                    e = devs.setdefault(a, [0, 0])
                    e[0] += 1
                    e[1] += int(flen)
        remote_name = None
        if remote:
            ra = ipaddress.ip_address(remote)
            remote_name = dns_names.get(ra, snis.get(ra))
        if ud and (int(us) in (53, 5353) or int(ud) in (53, 5353)) and is_resp in ("1", "True") and f["dns.qry.name"]:
            qname = f["dns.qry.name"].split(SEP)[0].lower().rstrip(".")
            for a in f["dns.a"].split(SEP) + f["dns.aaaa"].split(SEP):
                if a:
                    dns_names[ipaddress.ip_address(a)] = qname
        if device:
            e = dev_counts.setdefault(str(ipaddress.ip_address(device)), [0, 0])
            e[0] += "heartbeat" in findings
            e[1] += "dead_cloud" in findings
        got = {"n": int(n), "device": device, "remote": remote, "findings": sorted(findings),
               "remote_name": remote_name}
        want = {k: tf[k] for k in got}
        for k in ("device", "remote"):  # compare addresses in canonical form
            for d in (got, want):
                if d[k]:
                    d[k] = str(ipaddress.ip_address(d[k]))
        if got != want:
            problems.append("frame %s: tshark-derived %s != truth %s" % (n, got, tf))
    # endpoints statistics
    ep = {}
    for kind in ("ip", "ipv6"):
        for line in tshark("-r", pcap, "-q", "-z", "endpoints," + kind).splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1].isdigit() and parts[2].isdigit():
                ep[parts[0]] = (int(parts[1]), int(parts[2]))
    for addr, t in truth["devices"].items():
        mine = tuple(devs.get(addr, (0, 0)))
        if (t["packets"], t["bytes"]) != mine:
            problems.append("device %s: truth %s/%s, tshark fields %s" % (addr, t["packets"], t["bytes"], mine))
        if [t.get("heartbeats", 0), t.get("dead_cloud", 0)] != dev_counts.get(addr, [0, 0]):
            problems.append("device %s: heartbeats/dead_cloud %s/%s, frames say %s" % (
                addr, t.get("heartbeats"), t.get("dead_cloud"), dev_counts.get(addr)))
        raw = ep.get(addr)
        if raw is None or raw[0] < t["packets"] or raw[1] < t["bytes"]:
            problems.append("device %s: endpoints %s smaller than truth" % (addr, raw))
    if "identity" in truth:
        import check_tshark_identity
        more, summary = check_tshark_identity.check(pcap, truth)
        problems += more
        print("%s: %s, %d problem(s)" % (pcap, summary, len(more)))
    for line in problems[:30]:
        print(line)
    n_eq = sum(1 for a, t in truth["devices"].items() if ep.get(a) == (t["packets"], t["bytes"]))
    print("%s: %d frames, %d devices (%d equal to tshark endpoints, the rest differ only by "
          "group-MAC destinations), %d problem(s)" % (pcap, len(rows), len(truth["devices"]), n_eq, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    p = sys.argv[1]
    sys.exit(main(p, sys.argv[2] if len(sys.argv) == 3 else p[:-5] + ".truth.json"))
