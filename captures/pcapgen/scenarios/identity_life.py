"""The lives of the identity scenarios' devices: how each one announces who it is (DHCP, mDNS,
LLMNR, NetBIOS, SSDP) and how it calls its clouds (DNS, then TLS, QUIC or plain MQTT).

A scenario describes each device as a Plan: its addresses and a list of timed events. `run`
turns the plans into frames on a Lan. Every event is emitted as it would be on the wire; the
truth later decodes the frames and never reads the plans.

Events (time in integer microseconds, then a kind, then its parameters):
  ("dhcp", host, vendor_class, params, mode)   mode "discover" (DISCOVER, OFFER, REQUEST, ACK),
                                               "reboot" (INIT-REBOOT REQUEST, ACK) or "renew"
                                               (unicast REQUEST from the leased address, ACK)
  ("mdns", host, service, family)              an announcement of host (and service, a tuple
                                               (type, instance, port, txt) or None) over IPv4
                                               or from the link-local IPv6 address
  ("mdns_reply", host, service)                the phone asks for the service type, the device
                                               answers (PTR answer; SRV, TXT, A, AAAA additional)
  ("mdns_proxy", host, service, addrs)         a response about someone else (a Thread border
                                               router's advertising proxy): addrs are not its own
  ("llmnr", name)                              the phone asks for name, the device answers
  ("netbios", name, workgroup)                 registrations name<00>, name<20>, workgroup<00> (group)
  ("netbios_query", name)                      the phone asks for name<00>, the device answers
  ("ssdp_notify", server, nts, port)           one ssdp:alive per NT in nts, LOCATION on port
  ("ssdp_reply", server, st, port)             the phone's M-SEARCH and the device's 200 OK
  ("call", Call)                               an Internet conversation
"""
import email.utils
import ipaddress
import struct
from collections import namedtuple

from .. import dhcp, dns, llmnr, mdns, nbns, ordinary as o, payloads, quic, ssdp
from ..heartbeat import mqtt_connack, mqtt_connect, mqtt_puback, mqtt_publish
from ..lan import Host

S, MS = o.S, o.MS

# qname: the name looked up first (None: no DNS); chain: CNAMEs from qname on; answers: the
# addresses in the answer; remote: the one it then talks to; kind: "tls", "quic" or "mqtt";
# sni: the TLS / QUIC server name (None for mqtt).
Call = namedtuple("Call", "qname chain answers remote kind sni")


class Plan:
    """One device: a lan Host (addresses: IPv4 and/or a ULA, then the link-local address if
    it speaks IPv6) and its events."""

    def __init__(self, host, uuid=None):
        self.host = host
        self.uuid = uuid or "00000000-0000-1000-8000-%s" % host.mac.replace(":", "")
        self.events = []

    def at(self, t, kind, *args):
        self.events.append((t, kind) + args)
        return self

    def has(self, version):
        return any(a.version == version and not a.is_link_local for a in self.host.addrs)

    def link_local(self):
        return link_local(self.host)


def eui64(mac, prefix):
    """The SLAAC address of `mac` in `prefix` (modified EUI-64)."""
    b = bytes(int(x, 16) for x in mac.split(":"))
    iid = bytes([b[0] ^ 0x02]) + b[1:3] + b"\xff\xfe" + b[3:6]
    return ipaddress.ip_address(int(ipaddress.ip_network(prefix).network_address) | int.from_bytes(iid, "big"))


def device_host(name, mac, ip4=None, ula=None):
    """A lan Host: its IPv4 address (or none), then with a ULA prefix its SLAAC address in it
    and its link-local address (the order Host.addr relies on)."""
    addrs = [ip4] if ip4 else []
    if ula is not None:
        addrs += [eui64(mac, ula), eui64(mac, "fe80::/64")]
    return Host(name, mac, *addrs)


def link_local(host):
    return next(a for a in host.addrs if a.version == 6 and a.is_link_local)


def _v(addr):
    return ipaddress.ip_address(addr).version


# -- announcing --------------------------------------------------------------------------
def _dhcp(lan, rng, t, dev, router, host_name, vendor_class, params, mode):
    mac, r4 = dev.mac, router.ip4
    net = lan.subnet4
    reply = dict(subnet_mask=str(net.netmask), router=str(r4), dns_servers=[str(r4)])
    xid = rng.getrandbits(32)
    if mode == "renew":
        lan.udp(t, dev.ip4, r4, dhcp.CLIENT_PORT, dhcp.SERVER_PORT,
                dhcp.request(xid, mac, host_name, vendor_class, params, ciaddr=dev.ip4))
        lan.udp(t + 2 * MS, r4, dev.ip4, dhcp.SERVER_PORT, dhcp.CLIENT_PORT,
                dhcp.ack(xid, mac, dev.ip4, r4, ciaddr=dev.ip4, **reply))
        return

    def client(ts, payload):
        lan.udp(ts, "0.0.0.0", "255.255.255.255", dhcp.CLIENT_PORT, dhcp.SERVER_PORT, payload, ttl=64,
                src_mac=mac)

    def server(ts, payload):  # to the new address, the client's MAC (no broadcast flag set)
        lan.udp(ts, r4, dev.ip4, dhcp.SERVER_PORT, dhcp.CLIENT_PORT, payload)

    if mode == "discover":
        client(t, dhcp.discover(xid, mac, host_name, vendor_class, params))
        server(t + 3 * MS, dhcp.offer(xid, mac, dev.ip4, r4, **reply))
        t += 1 * S + rng.randrange(0, 200 * MS)
        client(t, dhcp.request(xid, mac, host_name, vendor_class, params, requested=dev.ip4, server=r4))
    else:  # INIT-REBOOT: the address it had before
        client(t, dhcp.request(xid, mac, host_name, vendor_class, params, requested=dev.ip4))
    server(t + 3 * MS, dhcp.ack(xid, mac, dev.ip4, r4, **reply))


def _mdns_send(lan, t, src, payload):
    lan.udp(t, src, mdns.GROUP4 if _v(src) == 4 else mdns.GROUP6, mdns.PORT, mdns.PORT, payload,
            ttl=mdns.HOP_LIMIT)


def _own_addrs(plan):
    """What a responder lists for its host name: its IPv4 address, its ULA, its link-local."""
    return [str(a) for a in plan.host.addrs]


def _mdns(lan, t, plan, host_name, service, family):
    src = plan.host.ip4 if family == 4 else plan.link_local()
    if service is None:
        payload = mdns.host_announcement(host_name, _own_addrs(plan))
    else:
        payload = mdns.service_announcement(service[0], service[1], host_name, service[2], service[3],
                                            _own_addrs(plan))
    _mdns_send(lan, t, src, payload)


def _mdns_reply(lan, rng, t, plan, phone, host_name, service):
    src = plan.host.ip4 if plan.has(4) else plan.link_local()
    asker = phone.ip4 if _v(src) == 4 else link_local(phone)
    _mdns_send(lan, t, asker, mdns.query(rng.getrandbits(16), service[0]))
    _mdns_send(lan, t + rng.randrange(20, 120) * MS, src,
               mdns.service_response(service[0], service[1], host_name, service[2], service[3], _own_addrs(plan)))


def _mdns_proxy(lan, t, plan, host_name, service, addrs):
    """A response about another host (addrs are not the sender's), from the link-local address."""
    _mdns_send(lan, t, plan.link_local(),
               mdns.service_announcement(service[0], service[1], host_name, service[2], service[3], addrs))


def _llmnr(lan, rng, t, plan, phone, name):
    port, qid = o.ephemeral_port(rng), rng.getrandbits(16)
    lan.udp(t, phone.ip4, llmnr.GROUP4, port, llmnr.PORT, llmnr.query(qid, name), ttl=1)
    lan.udp(t + rng.randrange(1, 30) * MS, plan.host.ip4, phone.ip4, llmnr.PORT, port,
            llmnr.response(qid, name, plan.host.ip4))


def _netbios(lan, rng, t, plan, name, workgroup):
    bcast = lan.subnet4.broadcast_address
    regs = [(name, nbns.SUFFIX_WORKSTATION, False), (name, nbns.SUFFIX_SERVER, False),
            (workgroup, nbns.SUFFIX_WORKSTATION, True)]
    for i, (n, suffix, group) in enumerate(regs):
        lan.udp(t + i * 750 * MS, plan.host.ip4, bcast, nbns.PORT, nbns.PORT,
                nbns.registration(rng.getrandbits(16), n, suffix, plan.host.ip4, group=group))


def _netbios_query(lan, rng, t, plan, phone, name):
    trn = rng.getrandbits(16)
    lan.udp(t, phone.ip4, lan.subnet4.broadcast_address, nbns.PORT, nbns.PORT,
            nbns.query(trn, name, nbns.SUFFIX_WORKSTATION))
    lan.udp(t + rng.randrange(1, 20) * MS, plan.host.ip4, phone.ip4, nbns.PORT, nbns.PORT,
            nbns.query_response(trn, name, nbns.SUFFIX_WORKSTATION, plan.host.ip4))


def _location(plan, port):
    return "http://%s:%d/description.xml" % (plan.host.ip4, port)


def _ssdp_notify(lan, t, plan, server, nts, port):
    for i, nt in enumerate(nts):
        lan.udp(t + i * 30 * MS, plan.host.ip4, ssdp.GROUP4, ssdp.PORT, ssdp.PORT,
                ssdp.notify_alive(server, _location(plan, port), plan.uuid, nt), ttl=ssdp.HOP_LIMIT)


def _ssdp_reply(lan, rng, t, plan, phone, server, st, port):
    sport = o.ephemeral_port(rng)
    lan.udp(t, phone.ip4, ssdp.GROUP4, sport, ssdp.PORT, payloads.ssdp_msearch(st), ttl=ssdp.HOP_LIMIT)
    t += rng.randrange(50, 900) * MS
    date = email.utils.formatdate(t // S, usegmt=True)
    lan.udp(t, plan.host.ip4, phone.ip4, ssdp.PORT, sport,
            ssdp.search_response(server, _location(plan, port), plan.uuid, st, date))


# -- calling home ------------------------------------------------------------------------
def lookup(lan, rng, t, dev, router, qname, chain, answers, rtt=4 * MS):
    """A query from a fresh port to the router over the answers' address family, answered with
    the CNAME chain (possibly empty) and every address. Returns the answer time."""
    version = _v(answers[0])
    qtype = dns.TYPE_AAAA if version == 6 else dns.TYPE_A
    src, res = dev.addr(version), router.addr(version)
    qid, port = rng.getrandbits(16), o.ephemeral_port(rng)
    lan.udp(t, src, res, port, 53, dns.query(qid, qname, qtype))
    lan.udp(t + rtt, res, src, 53, port, dns.response_chain(qid, qname, qtype, list(chain), list(answers)))
    return t + rtt


def quic_start(lan, rng, t, dev, server, sni):
    """Client Initial (ClientHello with sni, padded to 1200 bytes), the server's Initial (ACK,
    ServerHello), the client's ACK: real Initial protection, so tshark decrypts them."""
    sport = o.ephemeral_port(rng)
    odcid, cscid, sscid = (bytes(rng.getrandbits(8) for _ in range(8)) for _ in range(3))
    ch = payloads.tls_client_hello(rng, sni)
    sh = payloads.tls_server_hello(rng, ch)
    sh, ch = sh[5:5 + struct.unpack_from("!H", sh, 3)[0]], ch[5:]
    src = dev.addr(_v(server))
    # The truth takes the SNI from this mark (quic_sni), not by decrypting the Initial.
    lan.udp(t, src, server, sport, 443, quic.initial_packet(odcid, odcid, cscid, 0, quic.crypto_frame(ch),
                                                            pad_to=1200), quic_sni=sni)
    t += rng.randrange(20, 60) * MS
    lan.udp(t, server, src, 443, sport,
            quic.initial_packet(odcid, cscid, sscid, 0, quic.ack_frame(0) + quic.crypto_frame(sh), server=True))
    lan.udp(t + rng.randrange(1, 5) * MS, src, server, sport, 443,
            quic.initial_packet(odcid, sscid, cscid, 1, quic.ack_frame(0), pad_to=1200))


def mqtt_session(lan, rng, t, dev, server, rtt):
    """Plain MQTT on 1883 to an address it never looked up: CONNECT / CONNACK, one PUBLISH
    (QoS 1) / PUBACK, then FIN."""
    s = lan.tcp_session(dev.addr(_v(server)), server, o.ephemeral_port(rng), 1883)
    t = s.connect(t, rtt)
    t = s.exchange(t + 2 * MS, mqtt_connect(dev.mac.replace(":", ""), 60), mqtt_connack(), rtt)
    pid = rng.randrange(1, 1000)
    t = s.exchange(t + rng.randrange(50, 900) * MS, mqtt_publish("tele/state", b'{"power":"on"}', pid),
                   mqtt_puback(pid), rtt)
    return s.close(t + rng.randrange(1, 5) * S, True, rtt)


def call(lan, rng, t, dev, router, c: Call):
    rtt = rng.randrange(15, 90) * MS
    if c.qname is not None:
        t = lookup(lan, rng, t, dev, router, c.qname, c.chain, c.answers) + rng.randrange(1, 30) * MS
    if c.kind == "tls":
        o.https_session(lan, t, dev, c.remote, c.sni, rng, rtt, exchanges=rng.randrange(1, 3))
    elif c.kind == "quic":
        quic_start(lan, rng, t, dev, ipaddress.ip_address(c.remote), c.sni)
    else:
        mqtt_session(lan, rng, t, dev, ipaddress.ip_address(c.remote), rtt)


# -- the household -----------------------------------------------------------------------
def run(lan, rng, router, phone, plans):
    """Emit every event of every plan (and the phone's part of the exchanges it asks for)."""
    handlers = {
        "dhcp": lambda t, plan, *a: _dhcp(lan, rng, t, plan.host, router, *a),
        "mdns": lambda t, plan, *a: _mdns(lan, t, plan, *a),
        "mdns_reply": lambda t, plan, *a: _mdns_reply(lan, rng, t, plan, phone, *a),
        "mdns_proxy": lambda t, plan, *a: _mdns_proxy(lan, t, plan, *a),
        "llmnr": lambda t, plan, *a: _llmnr(lan, rng, t, plan, phone, *a),
        "netbios": lambda t, plan, *a: _netbios(lan, rng, t, plan, *a),
        "netbios_query": lambda t, plan, *a: _netbios_query(lan, rng, t, plan, phone, *a),
        "ssdp_notify": lambda t, plan, *a: _ssdp_notify(lan, t, plan, *a),
        "ssdp_reply": lambda t, plan, *a: _ssdp_reply(lan, rng, t, plan, phone, *a),
        "call": lambda t, plan, c: call(lan, rng, t, plan.host, router, c),
    }
    for plan in plans:
        for ev in plan.events:
            handlers[ev[1]](ev[0], plan, *ev[2:])


def remotes_of(plans):
    """Every address the plans talk to (for the geo section)."""
    return sorted({ipaddress.ip_address(ev[2].remote) for p in plans for ev in p.events if ev[1] == "call"},
                  key=lambda a: (a.version, int(a)))
