#!/usr/bin/env python3
"""Cross-check a truth file's "identity" section with tshark (developer tool, tshark >= 4.0).

  python3 captures/check_tshark_identity.py CAPTURE.pcap [TRUTH.json]
  (check_tshark.py runs it too when the truth has an identity section)

Recomputes the whole section but "geo" from tshark's own dissection, by the rules of
pcapgen/identity_truth.py, and compares: DHCP host names and vendor classes
(dhcp.option.hostname, dhcp.option.vendor_class_id of BOOTREQUESTs, keyed by dhcp.hw.mac_addr),
mDNS / LLMNR owner names (dns.resp.name / dns.resp.type / dns.a / dns.aaaa, split into sections
with dns.count.*), NetBIOS names (nbns.name, nbns.nb_flags.group, nbns.flags.*), SSDP servers
(http.server on UDP 1900), DNS answers for the remotes (dns.qry.name, dns.cname) and SNI
(tls.handshake.extensions_server_name over TCP, and in QUIC Initials, which tshark decrypts).
Exit status 0 when tshark and the truth agree.
"""
import ipaddress
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen.addresses import GLOBAL, LOCAL, classify, parse_networks  # noqa: E402

FIELDS = ["frame.number", "eth.src", "eth.src.ig", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.srcport",
          "udp.dstport", "tcp.srcport", "frame.protocols",
          "dhcp.type", "dhcp.hw.mac_addr", "dhcp.option.hostname", "dhcp.option.vendor_class_id",
          "dns.flags.response", "dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.qry.name",
          "dns.resp.name", "dns.resp.type", "dns.a", "dns.aaaa", "dns.cname",
          "nbns.flags.response", "nbns.flags.opcode", "nbns.flags.rcode", "nbns.count.queries",
          "nbns.count.answers", "nbns.count.auth_rr", "nbns.name", "nbns.nb_flags.group",
          "http.server", "tls.handshake.type", "tls.handshake.extensions_server_name"]
SEP = "\x1f"
SOURCES = ("dhcp", "mdns", "netbios", "llmnr")
NB_NAME = re.compile(r"^(.*)<([0-9a-fA-F]{2})>")


def rows(pcap):
    out = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=" + SEP,
                          "-E", "separator=\t", *sum((["-e", f] for f in FIELDS), [])],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        cols = (line.split("\t") + [""] * len(FIELDS))[:len(FIELDS)]
        yield {k: [x for x in v.split(SEP) if x] for k, v in zip(FIELDS, cols)}


def one(f, k, default=None):
    return f[k][0] if f[k] else default


def dns_records(f):
    """[(section, owner, type, value)] from tshark's per-record fields, in message order."""
    an, ns = int(one(f, "dns.count.answers", 0)), int(one(f, "dns.count.auth_rr", 0))
    values = {"1": iter(f["dns.a"]), "28": iter(f["dns.aaaa"]), "5": iter(f["dns.cname"])}
    names = iter(f["dns.resp.name"])
    out = []
    for i, rtype in enumerate(f["dns.resp.type"]):
        # tshark 4.0 gives an SRV record's owner as dns.srv.service / .proto / .name instead.
        name = None if rtype == "33" else next(names)
        section = "answer" if i < an else "authority" if i < an + ns else "additional"
        value = next(values[rtype]) if rtype in values else None
        if rtype in ("1", "28"):
            value = ipaddress.ip_address(value)
        out.append((section, name, rtype, value))
    return out


def nbns_names(f):
    """(name, suffix, group) of the NB records a registration / positive response states."""
    response, opcode = one(f, "nbns.flags.response") in ("1", "True"), int(one(f, "nbns.flags.opcode", -1))
    qd, an, ns = (int(one(f, k, 0)) for k in ("nbns.count.queries", "nbns.count.answers", "nbns.count.auth_rr"))
    if not response and opcode in (5, 8, 9):
        first, count = qd + an + ns, None
    elif response and opcode == 0 and int(one(f, "nbns.flags.rcode", 1)) == 0:
        first, count = qd, an
    else:
        return []
    names = f["nbns.name"][first:first + count if count is not None else None]
    groups = f["nbns.nb_flags.group"]
    out = []
    for i, text in enumerate(names):
        m = NB_NAME.match(text)
        if m:
            out.append((m.group(1).rstrip(" "), int(m.group(2), 16), i < len(groups) and groups[i] in ("1", "True")))
    return out


class Device:
    def __init__(self):
        self.latest, self.names, self.vc, self.servers = {}, [], None, []

    def announce(self, source, name):
        name = name[:-1] if name.endswith(".") else name
        self.latest[source] = name
        if name.lower() not in (n.lower() for n in self.names):
            self.names.append(name)


def recompute(pcap, local_networks):
    extra = parse_networks(local_networks)
    owner, devices, given, pairs, device_names = {}, {}, {}, {}, []

    def learn(device, remote, group, name):
        g = given.setdefault((device, remote), ([], [], []))
        name = name.lower().rstrip(".")
        if name not in g[group]:
            g[group].append(name)

    for f in rows(pcap):
        n = int(one(f, "frame.number"))
        src, dst = (one(f, "ip.src"), one(f, "ip.dst")) if f["ip.src"] else (one(f, "ipv6.src"), one(f, "ipv6.dst"))
        src = ipaddress.ip_address(src) if src else None
        dst = ipaddress.ip_address(dst) if dst else None
        mac = one(f, "eth.src")
        if src is not None and one(f, "eth.src.ig") not in ("1", "True") and classify(src, extra) == LOCAL:
            owner[src] = mac
        me = devices.setdefault(mac, Device())
        own = {a for a, m in owner.items() if m == mac}
        sport, dport = int(one(f, "udp.srcport", -1)), int(one(f, "udp.dstport", -1))
        if sport == 68 and dport == 67 and one(f, "dhcp.type") == "1" and f["dhcp.hw.mac_addr"]:
            who = devices.setdefault(one(f, "dhcp.hw.mac_addr"), Device())
            if f["dhcp.option.hostname"]:
                who.announce("dhcp", one(f, "dhcp.option.hostname"))
            if f["dhcp.option.vendor_class_id"]:
                who.vc = one(f, "dhcp.option.vendor_class_id")
        is_response = one(f, "dns.flags.response") in ("1", "True")
        if sport in (5353, 5355) and is_response:
            sections = ("answer", "additional") if sport == 5353 else ("answer",)
            for section, name, rtype, value in dns_records(f):
                if section in sections and rtype in ("1", "28") and value in own:
                    me.announce("mdns" if sport == 5353 else "llmnr", name)
        if sport == 137:
            for name, suffix, group in nbns_names(f):
                if suffix == 0 and not group:
                    me.announce("netbios", name)
        if 1900 in (sport, dport) and f["http.server"]:
            server = one(f, "http.server").strip()
            if server not in me.servers:
                me.servers.append(server)
        if (sport in (53, 5353) or dport in (53, 5353)) and is_response and f["dns.qry.name"]:
            asked = one(f, "dns.qry.name").lower().rstrip(".")
            answers = [r for r in dns_records(f) if r[0] == "answer"]
            aliases = [x for r in answers for x in ([r[1]] + ([r[3]] if r[2] == "5" else []))]
            for _, _, rtype, value in answers:
                if rtype in ("1", "28"):
                    learn(dst, value, 0, asked)
                    for alias in aliases:
                        if alias.lower().rstrip(".") != asked:
                            learn(dst, value, 1, alias)
        quic = sport >= 0 and ":quic" in one(f, "frame.protocols", "")
        if (f["tcp.srcport"] or quic) and "1" in f["tls.handshake.type"] and f["tls.handshake.extensions_server_name"]:
            learn(src, dst, 2, one(f, "tls.handshake.extensions_server_name"))
        if src is not None:
            cs, cd = classify(src, extra), classify(dst, extra)
            pair = (src, dst) if (cs, cd) == (LOCAL, GLOBAL) else (dst, src) if (cs, cd) == (GLOBAL, LOCAL) else None
            if pair:
                pairs.setdefault(pair, None)
                who = devices.get(owner.get(pair[0]))
                name = next((who.latest[s] for s in SOURCES if s in who.latest), None) if who else None
                device_names.append({"n": n, "device": str(pair[0]), "name": name})
    return owner, devices, given, list(pairs), device_names


def names_given(groups):
    """Asked names, then aliases, then SNI; a name listed once, in its first group."""
    out = []
    for group in groups or ():
        for name in group:
            if name not in out:
                out.append(name)
    return out


def check(pcap, truth):
    """Problems (strings) found comparing the truth's identity section with tshark; and a
    one-line summary of what was compared."""
    want = truth["identity"]
    owner, devices, given, pairs, device_names = recompute(pcap, truth["local_networks"])
    problems = []
    for addr, w in want["devices"].items():
        m = owner.get(ipaddress.ip_address(addr))
        d = devices.get(m) if m else None
        got = {"mac": m, "names": d.names if d else [], "dhcp_vendor_class": d.vc if d else None,
               "ssdp_servers": d.servers if d else []}
        if got != w:
            problems.append("device %s: tshark %s != truth %s" % (addr, got, w))
    if device_names != want["device_names"]:
        diff = [(g, w) for g, w in zip(device_names, want["device_names"]) if g != w][:5]
        problems.append("device_names: %d vs %d entries, first differences %s" % (
            len(device_names), len(want["device_names"]), diff))
    got_remotes = [{"device": str(dv), "remote": str(rm), "names": names_given(given.get((dv, rm)))}
                   for dv, rm in pairs]
    if got_remotes != want["remotes"]:
        diff = [(g, w) for g, w in zip(got_remotes, want["remotes"]) if g != w][:5]
        problems.append("remotes differ (%d vs %d): %s" % (len(got_remotes), len(want["remotes"]), diff))
    named = {s: 0 for s in ("names", "vendor classes", "SSDP servers")}
    for w in want["devices"].values():
        named["names"] += len(w["names"])
        named["vendor classes"] += w["dhcp_vendor_class"] is not None
        named["SSDP servers"] += len(w["ssdp_servers"])
    summary = "identity: %d devices (%s), %d device_names frames (%d named), %d device/remote pairs (%d names)" % (
        len(want["devices"]), ", ".join("%d %s" % (v, k) for k, v in named.items()), len(want["device_names"]),
        sum(1 for e in want["device_names"] if e["name"]), len(want["remotes"]),
        sum(len(r["names"]) for r in want["remotes"]))
    return problems, summary


def main(pcap, truth_path):
    truth = json.load(open(truth_path))
    if "identity" not in truth:
        print("%s: no identity section" % truth_path)
        return 0
    problems, summary = check(pcap, truth)
    for line in problems[:30]:
        print(line)
    print("%s: %s, %d problem(s)" % (pcap, summary, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    p = sys.argv[1]
    sys.exit(main(p, sys.argv[2] if len(sys.argv) == 3 else p[:-5] + ".truth.json"))
