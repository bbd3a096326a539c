#!/usr/bin/env python3
"""Developer script (not a test): runs the identity wire readers (DHCP, DNS
records of mDNS and LLMNR, NetBIOS Name Service, SSDP) over every such packet
of capture files and compares what they read with tshark's own dissection of
the same packets, field by field. Prints the agreement rate per protocol and
per field, and examples of each disagreement.

    cmake --build build --target identity_wire_dump
    python3 tests/tools/compare_identity_wire.py [--dump build/tests/identity_wire_dump] [FILE_OR_DIR ...]

Without files it reads the public corpora in ../shared/captures/corpora (the
checkout's sibling shared/ folder). With tcpdump installed, files without a
packet on the protocols' ports are skipped without running tshark on them
(tshark also looks inside tunnels, so files tcpdump cannot read go to tshark).

Comparisons (tshark field -> reader field):
  DHCP  dhcp.type, dhcp.hw.type/len, dhcp.hw.mac_addr (first), dhcp.ip.client/your,
        dhcp.option.dhcp, .hostname, .vendor_class_id, .requested_ip_address (first
        occurrence; FT_STRINGZ, so cut at a NUL), dhcp.fqdn.name, the request list items,
        option 61's dhcp.option.value
  mDNS/LLMNR  dns.flags.response, dns.qry.name, and of the records of types A, AAAA,
        PTR, SRV, TXT, CNAME: dns.a, dns.aaaa, dns.ptr.domain_name, dns.cname,
        dns.srv.target/port, dns.txt, the owners (dns.resp.name, which tshark leaves
        out for SRV)
  NBNS  nbns.flags.response/opcode, nbns.name (questions then records, "NAME<xx>"),
        nbns.type, nbns.addr, nbns.nb_flags, nbns.netbios_name/name_flags (node status
        table), nbns.unit_id
  SSDP  http.request.method / http.response.code, http.server, http.user_agent,
        http.location, and NT, ST, NTS, USN from tshark's header lines
The readers' text is decoded from its \\ddd escapes to bytes, then as UTF-8, as
tshark shows it.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPORA = os.path.join(os.path.dirname(REPO), "shared", "captures", "corpora")
AGG, SEP = "\x1f", "\x1e"
PORTS = "udp port 67 or udp port 68 or udp port 5353 or udp port 5355 or udp port 137 or udp port 1900"
FILTER = "dhcp || mdns || llmnr || nbns || ssdp"

FIELDS = [
    "frame.number", "frame.protocols", "udp.payload",
    # DHCP
    "dhcp.type", "dhcp.hw.type", "dhcp.hw.len", "dhcp.hw.mac_addr", "dhcp.ip.client", "dhcp.ip.your",
    "dhcp.option.dhcp", "dhcp.option.hostname", "dhcp.option.vendor_class_id",
    "dhcp.option.requested_ip_address", "dhcp.fqdn.name", "dhcp.option.request_list_item",
    "dhcp.option.type", "dhcp.option.length", "dhcp.option.value",
    # DNS
    "dns.flags.response", "dns.qry.name", "dns.resp.name", "dns.resp.type", "dns.a", "dns.aaaa",
    "dns.ptr.domain_name", "dns.cname", "dns.srv.target", "dns.srv.port", "dns.txt",
    # NBNS
    "nbns.flags.response", "nbns.flags.opcode", "nbns.name", "nbns.type", "nbns.addr", "nbns.nb_flags",
    "nbns.netbios_name", "nbns.name_flags", "nbns.unit_id",
    # SSDP
    "http.request.method", "http.response.code", "http.server", "http.user_agent", "http.location",
    "http.request.line", "http.response.line", "http.unknown_header",
]


def unescape(text):
    """The reader's printable text back to its bytes (\\ddd escapes)."""
    out, i = bytearray(), 0
    while i < len(text):
        if text[i] == "\\" and re.match(r"\d{3}", text[i + 1:i + 4]):
            out.append(int(text[i + 1:i + 4]))
            i += 4
        else:
            out += text[i].encode()
            i += 1
    return bytes(out)


def as_tshark(text, stringz=False):
    b = unescape(text)
    if stringz:
        b = b.split(b"\0")[0]
    return b.decode("utf-8", "replace")


def files_to_read(paths):
    found = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                found += [os.path.join(root, n) for n in names if not n.endswith((".md", ".json"))]
        else:
            found.append(p)
    return sorted(found)


def has_candidates(path):
    """False only when tcpdump read the whole file and saw no packet on the ports."""
    if not shutil.which("tcpdump"):
        return True
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        import gzip
        data = gzip.decompress(data)
    r = subprocess.run(["tcpdump", "-nr", "-", PORTS + " or (vlan and udp) or (vlan and vlan and udp)"],
                       input=data, capture_output=True)
    return r.returncode != 0 or bool(r.stdout.strip())


def tshark_packets(path):
    cmd = ["tshark", "-n", "-r", path, "-Y", FILTER, "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=" + AGG, "-E", "separator=" + SEP]
    for f in FIELDS:
        cmd += ["-e", f]
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return []
    packets = []
    for line in r.stdout.decode("utf-8", "replace").split("\n"):
        if not line:
            continue
        values = line.split(SEP)
        if len(values) != len(FIELDS):
            continue
        packets.append({f: (v.split(AGG) if v else []) for f, v in zip(FIELDS, values)})
    return packets


def protocol_of(p):
    layers = (p["frame.protocols"] or [""])[0].split(":")
    for proto in ("dhcp", "mdns", "llmnr", "nbns", "ssdp"):
        if proto in layers:
            return proto
    return None


def first(values, default=""):
    return values[0] if values else default


# --- the comparisons: each gives {field: (tshark value, reader value)} ------------------

def compare_dhcp(t, m):
    pairs = {"parsed": ("true", "true" if m["ok"] else "false")}
    pairs["op"] = (first(t["dhcp.type"]), str(m["op"]))
    pairs["htype"] = (str(int(first(t["dhcp.hw.type"], "-1"), 0)), str(m["htype"]))
    pairs["hlen"] = (first(t["dhcp.hw.len"]), str(m["hlen"]))
    if m["htype"] == 1 and m["hlen"] == 6:
        pairs["mac"] = (first(t["dhcp.hw.mac_addr"]).replace(":", ""), m["chaddr"][:12])
    pairs["ciaddr"] = (first(t["dhcp.ip.client"]), m["ciaddr"])
    pairs["yiaddr"] = (first(t["dhcp.ip.your"]), m["yiaddr"])
    pairs["message_type"] = (first(t["dhcp.option.dhcp"], "0"), str(m["message_type"]))
    pairs["host_name"] = (first(t["dhcp.option.hostname"]), as_tshark(m["host_name"], True))
    pairs["vendor_class"] = (first(t["dhcp.option.vendor_class_id"]), as_tshark(m["vendor_class"], True))
    pairs["requested_ip"] = (first(t["dhcp.option.requested_ip_address"]), m["requested_ip"])
    pairs["fqdn"] = (first(t["dhcp.fqdn.name"]), as_tshark(m["fqdn"]))
    pairs["parameter_request_list"] = (",".join(t["dhcp.option.request_list_item"]),
                                       ",".join(str(c) for c in m["parameter_request_list"]))
    # Option 61's value: the option types that have a length, paired with the values.
    types = [ty for ty in t["dhcp.option.type"] if ty not in ("0", "255")]
    if len(types) == len(t["dhcp.option.length"]) == len(t["dhcp.option.value"]):
        ids = [v.replace(":", "") for ty, v in zip(types, t["dhcp.option.value"]) if ty == "61"]
        pairs["client_id"] = (first(ids), m["client_id"])
    return pairs


HELD_TYPES = {"1", "28", "12", "33", "16", "5"}


def compare_dns(t, m):
    recs = m["records"]
    capped = len(recs) >= 64
    def cut(values):
        return values[:len(values) if not capped else None]
    by_type = defaultdict(list)
    for r in recs:
        by_type[r["type"]].append(r)
    pairs = {"parsed": ("true", "true" if m["ok"] else "false")}
    if m["ok"]:  # the reader reports nothing else when it returns false
        pairs["response"] = (first(t["dns.flags.response"]), "1" if m["response"] else "0")
    pairs["query_name"] = (first(t["dns.qry.name"]), as_tshark(m["query_name"]))
    def lists(tvals, mvals):
        if capped:
            tvals = tvals[:len(mvals)]
        return ("|".join(tvals), "|".join(mvals))
    pairs["a"] = lists(t["dns.a"], [r["address"] for r in by_type[1]])
    pairs["aaaa"] = lists(t["dns.aaaa"], [r["address"] for r in by_type[28]])
    pairs["ptr"] = lists(t["dns.ptr.domain_name"], [as_tshark(r["target"]) for r in by_type[12]])
    pairs["cname"] = lists(t["dns.cname"], [as_tshark(r["target"]) for r in by_type[5]])
    pairs["srv_target"] = lists(t["dns.srv.target"], [as_tshark(r["target"]) for r in by_type[33]])
    pairs["srv_port"] = lists(t["dns.srv.port"], [str(r["port"]) for r in by_type[33]])
    if not capped:
        pairs["txt"] = lists(t["dns.txt"], [as_tshark(s) for r in by_type[16] for s in r["txt"]])
    # Owners: tshark has no dns.resp.name for SRV records.
    types = t["dns.resp.type"]
    names = t["dns.resp.name"]
    non_srv = [ty for ty in types if ty != "33"]
    if len(non_srv) == len(names):
        owners = [n for ty, n in zip(non_srv, names) if ty in HELD_TYPES]
        pairs["owners"] = lists(owners, [as_tshark(r["owner"]) for r in recs if r["type"] != 33])
    return pairs


def tshark_nb_text(name):
    """The reader's name as tshark writes it: printable bytes as they are, others as <xx>."""
    raw = unescape(name["name"])
    text = "".join(chr(b) if 0x20 <= b < 0x7f else "<%02x>" % b for b in raw)
    text += "<%02x>" % name["suffix"]
    if name["scope"]:
        text += "." + name["scope"]
    return text


def compare_nbns(t, m):
    pairs = {"parsed": ("true", "true" if m["ok"] else "false")}
    if m["ok"]:  # the reader reports nothing else when it returns false
        pairs["response"] = (first(t["nbns.flags.response"]), "1" if m["response"] else "0")
        pairs["opcode"] = (first(t["nbns.flags.opcode"]), str(m["opcode"]))
    names = [re.sub(r" \([^()]*\)$", "", n) for n in t["nbns.name"]]
    types = t["nbns.type"]
    # tshark goes on after a name it calls illegal; the reader stops there.
    illegal = [i for i, n in enumerate(names) if n.startswith("Illegal NetBIOS name")]
    if illegal:
        names, types = names[:illegal[0]], types[:illegal[0]]
    mine = [tshark_nb_text(q["name"]) for q in m["questions"]] + [tshark_nb_text(r["name"]) for r in m["records"]]
    pairs["names"] = ("|".join(names), "|".join(mine))
    pairs["types"] = ("|".join(types),
                      "|".join([str(q["type"]) for q in m["questions"]] + [str(r["type"]) for r in m["records"]]))
    pairs["nb_addresses"] = ("|".join(t["nbns.addr"]),
                             "|".join(a["address"] for r in m["records"] for a in r["addresses"]))
    pairs["nb_flags"] = ("|".join(str(int(f, 0)) for f in t["nbns.nb_flags"]),
                         "|".join(str(a["flags"]) for r in m["records"] for a in r["addresses"]))
    pairs["node_names"] = ("|".join(t["nbns.netbios_name"]),
                           "|".join(as_tshark(e["name"]["name"]) for r in m["records"] for e in r["node_names"]))
    pairs["node_flags"] = ("|".join(str(int(f, 0)) for f in t["nbns.name_flags"]),
                           "|".join(str(e["flags"]) for r in m["records"] for e in r["node_names"]))
    pairs["unit_id"] = ("|".join(u.replace(":", "") for u in t["nbns.unit_id"]),
                        "|".join(r["unit_id"] for r in m["records"] if r["unit_id"]))
    return pairs


def header_values(lines):
    """tshark's header lines ("Name: value\\r\\n") as {upper name: first value, trimmed}."""
    values = {}
    for line in lines:
        line = re.sub(r"(\\r)?\\n$", "", line)
        if ":" not in line:
            continue
        name, value = line.split(":", 1)
        values.setdefault(name.strip().upper(), value.strip(" \t"))
    return values


def compare_ssdp(t, m):
    method, code = first(t["http.request.method"]), first(t["http.response.code"])
    kind = {"NOTIFY": "0", "M-SEARCH": "1"}.get(method, "2" if code else "?")
    pairs = {"parsed": ("true", "true" if m["ok"] else "false"), "kind": (kind, str(m["kind"]))}
    if code:
        pairs["status"] = (code, str(m["status"]))
    pairs["server"] = (first(t["http.server"]), as_tshark(m["server"]))
    pairs["user_agent"] = (first(t["http.user_agent"]), as_tshark(m["user_agent"]))
    pairs["location"] = (first(t["http.location"]), as_tshark(m["location"]))
    # tshark puts a header line in http.request.line (http.response.line) or,
    # in some messages, only in http.unknown_header.
    headers = header_values(t["http.request.line"] + t["http.response.line"] + t["http.unknown_header"])
    for name in ("NT", "ST", "NTS", "USN"):
        pairs[name.lower()] = (headers.get(name, ""), as_tshark(m[name.lower()]))
    return pairs


READER = {"dhcp": "dhcp", "mdns": "dns", "llmnr": "dns", "nbns": "nbns", "ssdp": "ssdp"}
COMPARE = {"dhcp": compare_dhcp, "mdns": compare_dns, "llmnr": compare_dns, "nbns": compare_nbns,
           "ssdp": compare_ssdp}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", default=[DEFAULT_CORPORA])
    ap.add_argument("--dump", default=os.path.join(REPO, "build", "tests", "identity_wire_dump"))
    ap.add_argument("--examples", type=int, default=3, help="disagreements shown per protocol and field")
    args = ap.parse_args()

    work = []  # (file, frame, protocol, tshark fields)
    for path in files_to_read(args.paths):
        if not has_candidates(path):
            continue
        for p in tshark_packets(path):
            proto = protocol_of(p)
            if proto and p["udp.payload"]:
                work.append((path, first(p["frame.number"]), proto, p))

    lines = "".join("%s %s\n" % (READER[proto], p["udp.payload"][-1].replace(":", "")) for _, _, proto, p in work)
    out = subprocess.run([args.dump], input=lines.encode(), capture_output=True, check=True).stdout.decode()
    results = [json.loads(l) for l in out.splitlines()]
    assert len(results) == len(work)

    packets, agree = Counter(), Counter()
    field_total, field_bad = defaultdict(Counter), defaultdict(Counter)
    examples = defaultdict(list)
    for (path, frame, proto, t), m in zip(work, results):
        pairs = COMPARE[proto](t, m)
        packets[proto] += 1
        ok = True
        for field, (tv, mv) in pairs.items():
            field_total[proto][field] += 1
            if tv != mv:
                ok = False
                field_bad[proto][field] += 1
                if len(examples[(proto, field)]) < args.examples:
                    examples[(proto, field)].append("%s frame %s: tshark %r, reader %r" %
                                                    (os.path.relpath(path, os.path.dirname(args.paths[0])), frame,
                                                     tv, mv))
        agree[proto] += ok

    total = sum(packets.values())
    print("%d packets in %d files" % (total, len({w[0] for w in work})))
    for proto in sorted(packets):
        print("%-6s %6d packets, %6d agree on every field (%.1f %%)" %
              (proto, packets[proto], agree[proto], 100.0 * agree[proto] / packets[proto]))
        for field in sorted(field_total[proto]):
            if field_bad[proto][field]:
                print("         %-24s %d of %d differ" % (field, field_bad[proto][field], field_total[proto][field]))
                for e in examples[(proto, field)]:
                    print("           " + e)
    print("all    %6d packets, %6d agree on every field (%.1f %%)" %
          (total, sum(agree.values()), 100.0 * sum(agree.values()) / max(total, 1)))


if __name__ == "__main__":
    main()
