"""identity_variant (--seed N): the identity household drawn at random.

Random LAN (subnet, ULA /64, router MAC, start, 20-45 min) and 6-8 devices drawn from KINDS,
each with a MAC under one of its vendor's OUIs, an address family (IPv4, dual stack with a
ULA, or IPv6 only: at least one of each of the last two), names (host names, vendor classes,
SSDP servers, service instance names drawn per device), and a random subset of the protocols
its kind announces over (at least one), each announced before or after its first call home
(one device announces only after it). Every device calls 1-3 of its clouds: DNS over its family
(CNAME chains of 0-2 links, 1-4 addresses, names in random letter case sometimes), then TLS or
QUIC with an SNI; later connections with or without a new lookup; sometimes a new name for an
address already used, an SNI-only server, a plain MQTT server it never looked up (a remote
with no name). Each capture has at least one DHCP rename on renewal, one address two devices
were given different names for, and one remote with no name. The phone asks the LLMNR,
NetBIOS, mDNS and SSDP questions devices answer.
"""
import ipaddress
import random
from collections import namedtuple

from .. import dhcp
from ..lan import Host, Lan
from . import Scenario
from .home import random_mac, random_subnet4
from .identity_cloud import OUIS, geo_for, random_in
from .identity_life import Call, Plan, device_host, remotes_of, run

S, MS = 1_000_000, 1_000

# dhcp: (host name template, [vendor classes, None = no option 60], parameter list), or None;
# mdns: (host template, service type, instance template, port, txt) or None; netbios / llmnr:
# name template or None; ssdp: [server templates] (one or two: NOTIFY and search reply);
# clouds: [(name template, [chain templates], [networks])]; nameless: networks of servers it
# talks to by address only. Templates: {mac6} {MAC6} (last 3 MAC bytes), {mac12}, {n} (digits),
# {hex} (9 hex digits), {uuid}.
Kind = namedtuple("Kind", "label vendor dhcp mdns netbios llmnr ssdp clouds nameless")

AWS_US, AWS_IE, AWS_DE = ["52.94.224.0/20", "54.239.16.0/20"], ["52.208.0.0/13"], ["3.120.0.0/14", "18.184.0.0/15",
                                                                                   "52.57.0.0/16"]
AWS6_IE, AWS6_DE = ["2a05:d018::/32"], ["2a05:d014::/32"]
CLOUDFLARE, CLOUDFLARE6 = ["104.16.0.0/13"], ["2606:4700::/32"]
ALIBABA = ["47.96.0.0/11", "47.88.0.0/14"]

KINDS = [
    Kind("echo", "Amazon Technologies",
         ("amazon-{hex}", ["android-dhcp-9", "android-dhcp-7.1.2", None], dhcp.PARAMS_ANDROID), None, None, None, [],
         [("avs-alexa-{n}-na.amazon.com", ["avs-alexa.na.amazon.com"], AWS_US),
          ("device-metrics-us-{n}.amazon.com", [], AWS_US), ("api.amazonalexa.com", [], AWS_US)], []),
    Kind("nest", "Google",
         ("Google-Nest-{model}", ["dhcpcd-6.8.2:Linux-4.9.0:armv7l", None], dhcp.PARAMS_DHCPCD),
         ("{uuid}.local", "_googlecast._tcp.local", "Google-Nest-{model}-{mac12}", 8009, ["md=Google Nest", "ve=05"]),
         None, None, [],
         [("www.googleapis.com", [], ["142.250.0.0/15", "2a00:1450::/32"]),
          ("clients{n}.google.com", ["clients.l.google.com"], ["142.250.0.0/15", "2a00:1450::/32"])], []),
    Kind("sonos", "Sonos", (None, [None], dhcp.PARAMS_UDHCPC),
         ("Sonos-{MAC12}.local", "_sonos._tcp.local", "RINCON_{MAC12}01400@{room}", 1443, ["vers=3"]),
         None, None, ["Linux UPnP/1.0 Sonos/{sonos} ({zp})"],
         [("api.sonos.com", ["api-{n}.ws.sonos.com"], AWS_IE + AWS6_IE),
          ("msmetrics.ws.sonos.com", [], AWS_IE + AWS6_IE)], []),
    Kind("hue", "Philips Lighting", ("Philips-hue", ["udhcp 1.29.3", "udhcp 1.23.2"], dhcp.PARAMS_UDHCPC),
         ("Philips-hue.local", "_hue._tcp.local", "Philips Hue - {MAC6}", 443, ["modelid=BSB002"]),
         None, None, ["Hue/1.0 UPnP/1.0 IpBridge/1.{n}.0", "Linux/3.14.0 UPnP/1.0 IpBridge/1.{n}.0"],
         [("ws.meethue.com", ["ws.meethue.com.cdn.cloudflare.net"], CLOUDFLARE + CLOUDFLARE6),
          ("diag.meethue.com", ["diag.meethue.com.cdn.cloudflare.net"], CLOUDFLARE + CLOUDFLARE6)], []),
    Kind("plug", "Tuya Smart", ("ESP_{MAC6}", [None, "udhcp 1.29.3"], (1, 3, 28, 6)), None, None, None, [],
         [("a{n}.tuyaeu.com", [], AWS_DE), ("m{n}.tuyaeu.com", [], AWS_DE)], ALIBABA),
    Kind("espcam", "Espressif", ("espressif", [None], (1, 3, 28, 6)),
         ("esp32cam-{mac6}.local", "_http._tcp.local", "esp32cam-{mac6}", 80, ["board=esp32"]), None, None, [],
         [("cam-{n}.cloud-iot.cn", [], ALIBABA)], ALIBABA),
    Kind("pi", "Raspberry Pi Foundation",
         ("raspberrypi", ["dhcpcd-9.4.1:Linux-5.10:armv7l:Raspberry Pi", "dhcpcd-8.1.2:Linux-5.4.51-v7+:armv7l:BCM2835"],
          dhcp.PARAMS_DHCPCD),
         ("raspberrypi.local", None, None, None, None), "RASPBERRYPI", "raspberrypi", [],
         [("deb.debian.org", ["debian.map.fastlydns.net"], ["151.101.0.0/16", "2a04:4e42::/32"]),
          ("archive.raspberrypi.org", [], ["93.93.128.0/21", "2a00:1098::/32"])], []),
    Kind("vacuum", "Xiaomi Communications", ("rockrobo", [None], (1, 3, 6, 15, 28)),
         ("roborock-vacuum-s5_miio{n}.local", "_miio._udp.local", "roborock-vacuum-s5_miio{n}", 54321, ["epoch=1"]),
         None, None, [],
         [("de.api.io.mi.com", ["de-api-{n}.eu-central-1.elb.amazonaws.com"], AWS_DE + AWS6_DE),
          ("ot.io.mi.com", [], AWS_DE + AWS6_DE)], []),
    Kind("kodi", "Raspberry Pi Trading", None, None, "LIBREELEC", "libreelec", ["Linux/5.10 UPnP/1.0 Kodi/20.{n}"],
         [("mirrors.kodi.tv", ["mirrors.kodi.tv.cdn.cloudflare.net"], CLOUDFLARE + CLOUDFLARE6),
          ("api.trakt.tv", ["api.trakt.tv.cdn.cloudflare.net"], CLOUDFLARE)], []),
    Kind("tv", "Samsung Electronics", ("Samsung", ["samsung-tv", None], dhcp.PARAMS_DHCPCD),
         ("Samsung-{model}.local", "_airplay._tcp.local", "[TV] Samsung {model}", 7000, ["model=QN55Q60"]),
         None, None, ["SHP, UPnP/1.0, Samsung UPnP SDK/1.0", "Linux/9.0 UPnP/1.0 Samsung/1.0"],
         [("log-config.samsungacr.com", [], AWS_US + ["13.112.0.0/14"]),
          ("time.samsungcloudsolution.com", [], AWS_IE)], []),
    Kind("kasa", "Tp-Link Technologies", ("HS110", ["udhcp 0.9.8", None], dhcp.PARAMS_UDHCPC), None, None, None, [],
         [("n-devs.tplinkcloud.com", ["n-devs-{n}.eu-west-1.elb.amazonaws.com"], AWS_IE)], ALIBABA),
]
ROOMS = ["Living Room", "Kitchen", "Bedroom", "Office", "Bathroom"]
MODELS = ["Mini", "Hub", "Audio", "Q60", "Q80", "Frame"]


def _fill(rng, template, mac):
    b = mac.replace(":", "")
    return template.format(mac6=b[6:], MAC6=b[6:].upper(), mac12=b, MAC12=b.upper(), n=rng.randrange(1, 99),
                           hex="%09x" % rng.getrandbits(36), uuid="%08x-%04x-%04x-%04x-%012x" % (
                               rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16),
                               rng.getrandbits(48)), model=rng.choice(MODELS), room=rng.choice(ROOMS),
                           sonos="%d.%d-%d" % (rng.randrange(56, 80), rng.randrange(1, 9), rng.randrange(20000, 40000)),
                           zp="ZP%d" % rng.choice([90, 100, 120, 18, 22]))


def _random_case(rng, name):
    """A resolver's 0x20 case randomisation, now and then."""
    if rng.random() < 0.75:
        return name
    return "".join(c.upper() if rng.random() < 0.5 else c for c in name)


def _vendor_mac(rng, vendor):
    return rng.choice(OUIS[vendor]) + ":" + ":".join("%02x" % rng.getrandbits(8) for _ in range(3))


def _networks(nets, version):
    return [n for n in nets if ipaddress.ip_network(n).version == version]


class _Draw:
    """The random household: devices, their plans, and the properties every seed must have."""

    def __init__(self, rng, t0, duration, net4, ula):
        self.rng, self.t0, self.duration, self.net4, self.ula = rng, t0, duration, net4, ula
        self.last_octets = set([1])

    def when(self, lo, hi):
        return self.t0 + int(self.duration * self.rng.uniform(lo, hi))

    def ip4(self):
        while True:
            octet = self.rng.randrange(2, 250)
            if octet not in self.last_octets:
                self.last_octets.add(octet)
                return self.net4.network_address + octet

    def device(self, kind, family):
        rng = self.rng
        mac = _vendor_mac(rng, kind.vendor)
        plan = Plan(device_host(kind.label, mac, self.ip4() if family != "v6" else None,
                                self.ula if family != "v4" else None))
        return plan, mac


def _protocols(kind, plan):
    """The protocols this device can announce over (LLMNR, NetBIOS, SSDP, DHCP need IPv4 here)."""
    has4 = plan.has(4)
    return [p for p, ok in (("dhcp", kind.dhcp and has4), ("mdns", kind.mdns), ("llmnr", kind.llmnr and has4),
                            ("netbios", kind.netbios and has4), ("ssdp", kind.ssdp and has4)) if ok]


def _announcements(draw, plan, kind, mac, first_call, late):
    """Announce over a random, non-empty subset of the kind's protocols, each before or after
    first_call; all after it when late. Returns the time of a DHCP rename, or None."""
    rng = draw.rng
    capable = _protocols(kind, plan)
    chosen = [p for p in capable if rng.random() < 0.6] or [rng.choice(capable)]
    end = draw.t0 + int(draw.duration * 0.8)

    def at(before):
        if before:
            return draw.t0 + int((first_call - draw.t0 - 1 * S) * rng.uniform(0.0, 1.0))
        return first_call + int((end - first_call) * rng.uniform(0.02, 1.0))

    def before():
        return not late and rng.random() < 0.5

    renamed_at = None
    if "dhcp" in chosen:
        template, vcs, params = kind.dhcp
        name, vc = (_fill(rng, template, mac) if template else None), rng.choice(vcs)
        early = before()
        t = at(early)
        # After the first call the lease exists: a renewal, not a DISCOVER from 0.0.0.0.
        plan.at(t, "dhcp", name, vc, params, rng.choice(["discover", "reboot"]) if early else "renew")
        if name is not None and early and rng.random() < 0.3:  # the old name shows from the first call
            new = _fill(rng, rng.choice(["kitchen-{mac6}", "tasmota-{MAC6}-{n}", "{room}-device"]), mac)
            renamed_at = max(t + 60 * S, draw.when(0.65, 0.75))
            plan.at(renamed_at, "dhcp", new.replace(" ", "-"), vc, params, "renew")
    if "mdns" in chosen:
        host_t, svc, inst_t, port, txt = kind.mdns
        host = _fill(rng, host_t, mac)
        service = (svc, _fill(rng, inst_t, mac), port, txt) if svc else None
        family = 4 if plan.has(4) and (not plan.has(6) or rng.random() < 0.5) else 6
        t = at(before())
        plan.at(t, "mdns", host, service, family)
        if family == 4 and plan.has(6) and rng.random() < 0.5:
            plan.at(t + 300 * MS, "mdns", host, service, 6)
        if service is not None and rng.random() < 0.4:
            plan.at(at(before()), "mdns_reply", host, service)
    if "llmnr" in chosen:
        plan.at(at(before()), "llmnr", _fill(rng, kind.llmnr, mac))
    if "netbios" in chosen:
        name, t = _fill(rng, kind.netbios, mac), at(before())
        plan.at(t, "netbios", name, rng.choice(["WORKGROUP", "HOME", "MSHOME"]))
        if rng.random() < 0.5:
            plan.at(t + rng.randrange(5, 60) * S, "netbios_query", name)
    if "ssdp" in chosen:
        servers = [_fill(rng, x, mac) for x in kind.ssdp]
        port = rng.choice([80, 1400, 8080])
        plan.at(at(before()), "ssdp_notify", servers[0],
                ["upnp:rootdevice", "uuid:" + plan.uuid, "urn:schemas-upnp-org:device:MediaRenderer:1"], port)
        if rng.random() < 0.6:
            plan.at(at(before()), "ssdp_reply", servers[-1], "upnp:rootdevice", port)
    return renamed_at


def _clouds(draw, plan, kind, mac, first_call):
    """1-3 of the kind's clouds: lookups, connections, later reconnections and renamings.
    Returns (remote, name, IP version) of each cloud it connected to by name."""
    rng = draw.rng
    versions = [v for v in (4, 6) if plan.has(v)]
    used = []
    t = first_call
    for name_t, chain_t, nets in rng.sample(kind.clouds, rng.randrange(1, len(kind.clouds) + 1)):
        version = rng.choice([v for v in versions if _networks(nets, v)] or [None])
        if version is None:
            continue
        pool = _networks(nets, version)
        answers = [str(random_in(rng, rng.choice(pool))) for _ in range(rng.randrange(1, 5))]
        qname = _fill(rng, name_t, mac)
        chain = [_fill(rng, c, mac) for c in chain_t][:rng.randrange(0, 3)]
        remote = rng.choice(answers)
        kind_ = "quic" if rng.random() < 0.2 else "tls"
        plan.at(t, "call", Call(_random_case(rng, qname), chain, answers, remote, kind_, qname))
        used.append((remote, qname, version))
        for _ in range(rng.randrange(0, 4)):
            plan.at(draw.when(0.1, 0.9), "call", Call(None, (), (), remote, "tls", qname))
        if rng.random() < 0.3:  # a new name for the same address, later
            other = "%s.%s" % (rng.choice(["api", "edge", "cdn", "events"]), qname.split(".", 1)[1])
            plan.at(draw.when(0.5, 0.95), "call", Call(other, [], [remote], remote, "tls", other))
        t += rng.randrange(1, 60) * S
    nets = _networks(kind.clouds[0][2], versions[0])
    if nets and rng.random() < 0.3:  # a server known by its SNI only
        name = "sni-%d.%s" % (rng.randrange(1, 99), _fill(rng, kind.clouds[0][0], mac).split(".", 1)[1])
        plan.at(draw.when(0.1, 0.9), "call", Call(None, (), (), str(random_in(rng, rng.choice(nets))), "tls", name))
    return used


def _call_again(draw, plan, after, used):
    """A reconnection to the device's first named cloud 10 s - 2 min after `after`, so the
    frames show what changed then."""
    remote, name, _ = used[0]
    plan.at(after + draw.rng.randrange(10, 120) * S, "call", Call(None, (), (), remote, "tls", name))


def _nameless(draw, plan, nets):
    remote = str(random_in(draw.rng, draw.rng.choice(nets)))
    for _ in range(draw.rng.randrange(1, 4)):
        plan.at(draw.when(0.05, 0.9), "call", Call(None, (), (), remote, "mqtt", None))


def build(seed=1):
    rng = random.Random(seed)
    net4 = random_subnet4(rng)
    ula = ipaddress.ip_network((0xFD << 120 | rng.getrandbits(56) << 64, 64))
    t0 = (1_704_067_200 + rng.randrange(0, 365 * 86400)) * S
    duration = rng.randrange(20, 46) * 60 * S
    draw = _Draw(rng, t0, duration, net4, ula)
    router = Host("router", random_mac(rng), net4.network_address + 1, ula.network_address + 1)
    lan = Lan(rng, router, str(net4))

    vendor, name, vc = rng.choice([("Samsung Electronics", "Galaxy-S%d" % rng.randrange(9, 24), "android-dhcp-%d"),
                                   ("Google", "Pixel-%d" % rng.randrange(3, 9), "android-dhcp-%d"),
                                   ("Apple", "iPhone", None)])
    phone = Plan(device_host("phone", _vendor_mac(rng, vendor), draw.ip4(), ula))
    phone.at(draw.when(0.0, 0.05), "dhcp", name, vc and vc % rng.randrange(9, 15), dhcp.PARAMS_ANDROID, "discover")

    # Families: one IPv6-only device (a kind that announces itself over mDNS and has IPv6
    # clouds), one dual stack, the others IPv4 or dual stack.
    v6_capable = [k for k in KINDS if k.mdns and any(_networks(c[2], 6) for c in k.clouds)]
    v6_only = rng.choice(v6_capable)
    kinds = [v6_only] + rng.sample([k for k in KINDS if k is not v6_only], rng.randrange(5, 8))
    rng.shuffle(kinds)
    families = {k.label: rng.choice(["v4", "v4", "dual"]) for k in kinds}
    families[v6_only.label] = "v6"
    families[next(k for k in kinds if k is not v6_only).label] = "dual"
    late_kind = rng.choice(kinds)  # announces itself only after its first call home
    plans, by_version = [phone], {4: [], 6: []}
    renamed = shared = nameless = False
    named_clouds = {}
    for k in kinds:
        plan, mac = draw.device(k, families[k.label])
        first_call = draw.when(0.02, 0.3)
        renamed_at = _announcements(draw, plan, k, mac, first_call, k is late_kind)
        used = named_clouds[id(plan)] = _clouds(draw, plan, k, mac, first_call)
        for remote, qname, version in used:
            by_version[version].append((plan, remote, qname))
        if renamed_at is not None and used:
            _call_again(draw, plan, renamed_at, used)
            renamed = True
        if k.nameless and rng.random() < 0.6 and plan.has(4):
            _nameless(draw, plan, k.nameless)
            nameless = True
        plans.append(plan)
    # Guarantees: a rename, a shared address, a remote with no name.
    v4_plans = [p for p in plans[1:] if p.has(4) and named_clouds[id(p)]]
    if not renamed:
        p = rng.choice(v4_plans)
        mac = p.host.mac.replace(":", "")
        p.at(draw.when(0.0, 0.01), "dhcp", "esp-" + mac[6:], None, (1, 3, 28, 6), "reboot")
        t = draw.when(0.6, 0.7)
        p.at(t, "dhcp", "garage-" + mac[8:], None, (1, 3, 28, 6), "renew")
        _call_again(draw, p, t, named_clouds[id(p)])
    for version in (4, 6):
        pairs = by_version[version]
        owners = {id(p) for p, _, _ in pairs}
        if not shared and len(owners) >= 2:
            a = pairs[0]
            b = next(x for x in pairs if x[0] is not a[0])
            other = "%s.%s" % (rng.choice(["static", "files", "img"]), b[2].split(".", 1)[1].lower())
            b[0].at(draw.when(0.3, 0.9), "call", Call(other, [], [a[1]], a[1], "tls", other))
            shared = True
    if not shared:  # two devices without a common family: the phone shares one of IPv4 or IPv6
        p, remote, qname = (by_version[4] or by_version[6])[0]
        other = "www." + qname.split(".", 1)[1].lower()
        phone.at(draw.when(0.3, 0.9), "call", Call(other, [], [remote], remote, "tls", other))
    if not nameless:
        _nameless(draw, rng.choice(v4_plans), ALIBABA)
    for p in plans:
        lan.add(p.host)
    run(lan, rng, router, phone.host, plans)
    return Scenario(lan.frames(), [], None, "", None, lan.quic_snis(), geo_for(remotes_of(plans)))
