"""The "identity" part of the ground truth: who each device is and which names each device
was given for each remote, decoded from the frames (see captures/README.md, "identity").

A device is a MAC address. Everything a device says about itself is keyed by its MAC:
  DHCP       option 12 (host name) and 60 (vendor class) of client messages (BOOTREQUEST,
             UDP 68 -> 67), keyed by chaddr;
  mDNS       responses it sends from UDP port 5353: the owner names of A / AAAA records (answer
             and additional sections) whose address is one of its own;
  LLMNR      responses it sends from UDP port 5355: the same, answer section;
  NetBIOS    name registrations / refreshes and positive name query responses it sends from UDP
             port 137: unique names (G bit clear) with suffix 0x00, trailing spaces stripped;
  SSDP       the SERVER header of messages it sends on UDP port 1900 (either port).
Its own addresses are the LOCAL addresses it sent from (Ethernet source), up to and including
the frame at hand; an address belongs to the MAC that sent from it last.

phonehome.device_name of a frame with a device/remote pair: the device address's MAC (as of
that frame), then among its names announced up to and including the frame: the latest DHCP
host name, else the latest mDNS name, else the latest NetBIOS name, else the latest LLMNR name,
else null.

Remotes: for each device/remote pair, the lower-cased names (trailing dot removed) the device
was given for the remote address: first the question names of DNS responses (UDP 53 or 5353,
QR set) sent to the device whose answer section holds the address, then the other names of
those answer sections (CNAME owners and targets, A / AAAA owners: the aliases), then the SNI
of TLS ClientHellos (over TCP) and QUIC Initials (the generator's mark) the device sent to the
address; each group in the order first learnt, a name listed once, in its first group.
"""

from . import dns_decode
from .decode import decode
from .ethernet import mac_str
from .identity_decode import dhcp_client, nbns_names, ssdp_server
from .truth import is_quic_v1_initial, tls_client_hello_sni  # the readers remote_name uses

SOURCES = ("dhcp", "mdns", "netbios", "llmnr")  # device_name priority
DNS_PORTS = (53, 5353)
MDNS_PORT, LLMNR_PORT, NBNS_PORT, SSDP_PORT, DHCP_CLIENT, DHCP_SERVER = 5353, 5355, 137, 1900, 68, 67


def _strip_dot(name):
    return name[:-1] if name.endswith(".") else name


class _Device:
    """What one MAC has announced so far."""

    def __init__(self):
        self.latest = {}       # source -> latest name
        self.names = []        # every name, in order first announced, de-duplicated (any case)
        self.vendor_class = None
        self.ssdp_servers = []

    def announce(self, source, name):
        name = _strip_dot(name)
        if not name:
            return
        self.latest[source] = name
        if name.lower() not in (n.lower() for n in self.names):
            self.names.append(name)

    def device_name(self):
        return next((self.latest[s] for s in SOURCES if s in self.latest), None)


class _Remotes:
    """(device, remote) -> names given, per group (asked, alias, sni), in order first learnt."""

    def __init__(self):
        self.given = {}

    def learn(self, device, remote, group, name):
        name = _strip_dot(name.lower())
        groups = self.given.setdefault((device, remote), ([], [], []))
        if name and name not in groups[group]:
            groups[group].append(name)

    def names(self, device, remote):
        out = []
        for group in self.given.get((device, remote), ()):
            for name in group:
                if name not in out:
                    out.append(name)
        return out


def _own_record_names(msg, sections, own):
    return [r.name for r in msg.records
            if r.section in sections and r.rtype in (dns_decode.TYPE_A, dns_decode.TYPE_AAAA) and r.value in own]


def compute(frames, pairs, device_addresses, is_local, quic_sni=None, geo=None):
    """frames: [(ts_us, bytes)]; pairs: per frame (device, remote) addresses or None (the
    truth's roles); device_addresses: the LOCAL addresses of the truth's device table;
    is_local(addr) -> bool; quic_sni: None or per frame the SNI of a QUIC Initial (generator
    mark); geo: the scenario's {"country": [...], "asn": [...]} (test data, copied)."""
    owner = {}      # LOCAL address -> MAC that last sent from it
    devices = {}    # MAC -> _Device
    remotes = _Remotes()
    pair_order, device_names = {}, []  # pair_order: (device, remote) in order first seen
    for n, (_ts, raw) in enumerate(frames, 1):
        d = decode(raw)
        mac = mac_str(d.eth_src)
        if d.ip_src is not None and not d.eth_src[0] & 1 and is_local(d.ip_src):
            owner[d.ip_src] = mac
        me = devices.setdefault(mac, _Device())
        own = {a for a, m in owner.items() if m == mac}
        p = d.payload
        if p is not None:
            if d.sport == DHCP_CLIENT and d.dport == DHCP_SERVER:
                c = dhcp_client(p)
                if c is not None:
                    who = devices.setdefault(c.chaddr, _Device())
                    if c.host_name is not None:
                        who.announce("dhcp", c.host_name)
                    if c.vendor_class is not None:
                        who.vendor_class = c.vendor_class
            if d.sport in (MDNS_PORT, LLMNR_PORT):
                msg = dns_decode.parse(p)
                if msg is not None and msg.flags & 0x8000:
                    mdns = d.sport == MDNS_PORT
                    sections = ("answer", "additional") if mdns else ("answer",)
                    for name in _own_record_names(msg, sections, own):
                        me.announce("mdns" if mdns else "llmnr", name)
            if d.sport == NBNS_PORT:
                for nb in nbns_names(p):
                    if nb.suffix == 0x00 and not nb.group:
                        me.announce("netbios", nb.name)
            if SSDP_PORT in (d.sport, d.dport):
                server = ssdp_server(p)
                if server is not None and server not in me.ssdp_servers:
                    me.ssdp_servers.append(server)
            if d.sport in DNS_PORTS or d.dport in DNS_PORTS:
                msg = dns_decode.parse(p)
                if msg is not None and msg.flags & 0x8000 and msg.questions:
                    asked = msg.questions[0].lower().rstrip(".")
                    answers = [r for r in msg.records if r.section == "answer"]
                    aliases = []
                    for r in answers:
                        aliases.append(r.name)
                        if r.rtype == dns_decode.TYPE_CNAME:
                            aliases.append(r.value)
                    for r in answers:
                        if r.rtype in (dns_decode.TYPE_A, dns_decode.TYPE_AAAA):
                            remotes.learn(d.ip_dst, r.value, 0, asked)
                            for alias in aliases:
                                if alias.lower().rstrip(".") != asked:
                                    remotes.learn(d.ip_dst, r.value, 1, alias)
        if d.tcp_payload:
            sni = tls_client_hello_sni(d.tcp_payload)
            if sni:
                remotes.learn(d.ip_src, d.ip_dst, 2, sni)
        qsni = quic_sni[n - 1] if quic_sni else None
        if qsni and d.proto == 17 and is_quic_v1_initial(p):
            remotes.learn(d.ip_src, d.ip_dst, 2, qsni)
        pair = pairs[n - 1]
        if pair is not None:
            pair_order.setdefault(pair, None)
            who = devices.get(owner.get(pair[0]))
            device_names.append({"n": n, "device": str(pair[0]), "name": who.device_name() if who else None})
    dev_out = {}
    for addr in device_addresses:
        m = owner.get(addr)
        who = devices.get(m) if m else None
        dev_out[str(addr)] = {"mac": m, "names": list(who.names) if who else [],
                              "dhcp_vendor_class": who.vendor_class if who else None,
                              "ssdp_servers": list(who.ssdp_servers) if who else []}
    return {"devices": dev_out,
            "device_names": device_names,
            "remotes": [{"device": str(dv), "remote": str(rm), "names": remotes.names(dv, rm)}
                        for dv, rm in pair_order],
            "geo": {"country": [list(x) for x in (geo or {}).get("country", [])],
                    "asn": [list(x) for x in (geo or {}).get("asn", [])]}}
