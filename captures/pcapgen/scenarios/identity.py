"""identity.pcap: 40 minutes of a household whose devices say who they are (DHCP, mDNS, LLMNR,
NetBIOS, SSDP) and call their clouds by names (DNS with CNAME chains and several addresses,
TLS and QUIC SNI), for phonehome's device and remote identity (issue 14).

192.168.1.0/24 and the ULA fd4e:7a61:9c2b:1::/64, router .1 / ::1 (DHCP server, DNS resolver).
Times below are seconds from the start. The truth decodes all of it from the frames.
"""
import ipaddress
import random

from .. import dhcp
from ..lan import Host, Lan
from . import Scenario
from .identity_cloud import geo_for
from .identity_life import Call, Plan, device_host, remotes_of, run

S = 1_000_000
T0 = 1_715_018_400 * S          # 2024-05-06 18:00:00 UTC
DURATION = 40 * 60 * S
ULA = ipaddress.ip_network("fd4e:7a61:9c2b:1::/64")


def host(name, mac, ip4=None, v6=False):
    return device_host(name, mac, ip4, ULA if v6 else None)


def tls(qname, chain, answers, remote=None, sni=None):
    return Call(qname, chain, answers, remote or answers[0], "tls", sni or qname)


def again(remote, sni, kind="tls"):
    """A later connection to an address already resolved (no DNS)."""
    return Call(None, (), (), remote, kind, sni)


def build(seed=26):
    rng = random.Random(seed)
    router = Host("router", "a4:91:b1:0c:2e:01", "192.168.1.1", str(ULA.network_address + 1))
    lan = Lan(rng, router)

    def t(sec):
        return T0 + int(sec * S) + rng.randrange(0, 200_000)

    phone = Plan(host("phone", "8c:79:f5:e0:3d:44", "192.168.1.60", v6=True))
    phone.at(t(3), "dhcp", "Galaxy-S21", "android-dhcp-12", dhcp.PARAMS_ANDROID, "discover")
    phone.at(t(240), "call", tls("play.googleapis.com", (), ["142.250.185.74"]))
    phone.at(t(1500), "call", again("142.250.185.74", "play.googleapis.com", "quic"))

    # Amazon Echo: DHCP name from the start; one address answered for two names, 22 min apart.
    echo = Plan(host("echo", "68:54:fd:4a:91:c3", "192.168.1.30"))
    avs = ["52.94.236.248", "52.94.237.116", "52.94.238.71"]
    echo.at(t(5), "dhcp", "amazon-5a3c9e12f", "android-dhcp-9", dhcp.PARAMS_ANDROID, "discover")
    echo.at(t(8), "call", tls("avs-alexa-4-na.amazon.com", ["avs-alexa.na.amazon.com"], avs))
    echo.at(t(10), "call", tls("device-metrics-us-2.amazon.com", (), ["54.239.22.185", "54.239.31.97"],
                                remote="54.239.31.97", sni="device-metrics-us.amazon.com"))
    for sec in (600, 1200, 1800):
        echo.at(t(sec), "call", again(avs[0], "avs-alexa-4-na.amazon.com"))
    echo.at(t(1320), "call", tls("api.amazonalexa.com", (), [avs[0]]))

    # Google Nest Hub, dual stack: DHCP name, a googlecast mDNS name (IPv4 and IPv6), QUIC over
    # IPv6, and a Thread advertising-proxy response about another device's address.
    nest = Plan(host("nest", "f4:f5:d8:2b:7e:10", "192.168.1.31", v6=True))
    cast = ("_googlecast._tcp.local", "Google-Nest-Hub-4a1c9e2b7f30c5de1a2b3c4d5e6f7a8b", 8009,
            ["id=4a1c9e2b7f30c5de1a2b3c4d5e6f7a8b", "md=Google Nest Hub", "fn=Kitchen display", "ve=05"])
    cast_host = "4a1c9e2b-7f30-c5de-1a2b-3c4d5e6f7a8b.local"
    google6 = "2a00:1450:4001:80b::200e"
    nest.at(t(12), "dhcp", "Google-Nest-Hub", "dhcpcd-6.8.2:Linux-4.9.0:armv7l", dhcp.PARAMS_DHCPCD, "discover")
    nest.at(t(15), "mdns", cast_host, cast, 4)
    nest.at(t(16), "mdns", cast_host, cast, 6)
    nest.at(t(20), "call", tls("www.googleapis.com", (), ["142.250.185.74", "142.250.185.106"]))
    nest.at(t(25), "call", Call("clients3.google.com", ["clients.l.google.com"], [google6], google6, "quic",
                                "clients3.google.com"))
    nest.at(t(400), "mdns_proxy", "Eve-Door-4F2A.local",
            ("_hap._udp.local", "Eve Door 4F2A", 5001, ["c#=2", "ff=2", "id=4F:2A:91:0C:7E:11", "md=Eve Door",
                                                         "s#=1", "sf=0", "ci=12"]),
            ["fd7e:3c21:88b0:1:2d4f:9a1e:6b37:c015"])
    nest.at(t(900), "call", again(google6, "clients3.google.com"))
    nest.at(t(1700), "mdns_reply", cast_host, cast)
    nest.at(t(2000), "call", again("142.250.185.74", "www.googleapis.com"))

    # Sonos, dual stack: no DHCP host name; calls home first, SSDP at 1 min, mDNS name at 6 min.
    sonos = Plan(host("sonos", "94:9f:3e:1a:2b:3c", "192.168.1.32", v6=True), uuid="RINCON_949F3E1A2B3C01400")
    sonos_server = "Linux UPnP/1.0 Sonos/70.3-35220 (ZPS18)"
    sonos_svc = ("_sonos._tcp.local", "RINCON_949F3E1A2B3C01400@Living Room", 1443,
                 ["info=/api/v1/players/RINCON_949F3E1A2B3C01400/info", "vers=3", "protovers=1.24.1"])
    sonos_api = ["52.212.61.40", "52.211.112.9"]
    metrics6 = ["2a05:d018:91c:3a02:6c3e:1f0a:4b2d:8e11", "2a05:d018:91c:3a01:9e4a:22b1:7c05:3f6d"]
    sonos.at(t(20), "call", tls("api.sonos.com", ["api-eu.ws.sonos.com",
                                                  "api-eu-1386452391.eu-west-1.elb.amazonaws.com"], sonos_api))
    sonos.at(t(30), "call", tls("msmetrics.ws.sonos.com", (), metrics6))
    sonos.at(t(60), "ssdp_notify", sonos_server, ["upnp:rootdevice", "uuid:" + sonos.uuid,
                                                  "urn:schemas-upnp-org:device:ZonePlayer:1"], 1400)
    sonos.at(t(90), "ssdp_reply", sonos_server, "urn:schemas-upnp-org:device:ZonePlayer:1", 1400)
    sonos.at(t(360), "mdns", "Sonos-949F3E1A2B3C.local", sonos_svc, 4)
    sonos.at(t(361), "mdns", "Sonos-949F3E1A2B3C.local", sonos_svc, 6)
    sonos.at(t(420), "call", again(sonos_api[0], "api.sonos.com"))
    sonos.at(t(1300), "call", again(sonos_api[0], "api.sonos.com"))
    sonos.at(t(1500), "dhcp", None, None, dhcp.PARAMS_UDHCPC, "renew")
    sonos.at(t(1560), "call", tls("msmetrics.ws.sonos.com", (), metrics6[::-1]))

    # Philips Hue bridge: DHCP name and udhcp vendor class, two SSDP server strings, mDNS name;
    # its cloud sits behind a CNAME to Cloudflare (an address LibreELEC is given another name for).
    hue = Plan(host("hue", "00:17:88:6c:4e:21", "192.168.1.33"), uuid="2f402f80-da50-11e1-9b23-0017886c4e21")
    cf = ["104.18.12.85", "104.18.13.85"]
    hue.at(t(30), "dhcp", "Philips-hue", "udhcp 1.29.3", dhcp.PARAMS_UDHCPC, "discover")
    hue.at(t(33), "ssdp_notify", "Hue/1.0 UPnP/1.0 IpBridge/1.56.0",
           ["upnp:rootdevice", "uuid:" + hue.uuid, "urn:schemas-upnp-org:device:basic:1"], 80)
    hue.at(t(40), "mdns", "Philips-hue.local", ("_hue._tcp.local", "Philips Hue - 6C4E21", 443,
                                                ["bridgeid=001788fffe6c4e21", "modelid=BSB002"]), 4)
    hue.at(t(45), "call", tls("ws.meethue.com", ["ws.meethue.com.cdn.cloudflare.net"], cf))
    hue.at(t(95), "ssdp_reply", "Linux/3.14.0 UPnP/1.0 IpBridge/1.56.0", "upnp:rootdevice", 80)
    for sec in (700, 1400, 2100):
        hue.at(t(sec), "call", again(cf[0], "ws.meethue.com"))
    hue.at(t(2200), "call", tls("diag.meethue.com", ["diag.meethue.com.cdn.cloudflare.net"], cf[::-1],
                                remote=cf[0]))

    # Tuya smart plug: DHCP "ESP_3A1F2C", renamed "kitchen-plug" on renewal at 20 min; plain MQTT
    # to an address it never looked up (a remote with no name at all).
    plug = Plan(host("plug", "10:d5:61:3a:1f:2c", "192.168.1.34"))
    tuya = ["3.122.169.45", "18.185.20.11", "52.57.93.102"]
    nameless = "47.98.115.102"
    plug.at(t(45), "dhcp", "ESP_3A1F2C", None, (1, 3, 28, 6), "discover")
    plug.at(t(48), "call", tls("a3.tuyaeu.com", (), tuya, remote=tuya[1]))
    plug.at(t(52), "call", tls("m1.TuyaEU.com", (), ["3.123.160.73"], sni="m1.tuyaeu.com"))  # 0x20 case
    plug.at(t(55), "call", Call(None, (), (), nameless, "mqtt", None))
    plug.at(t(900), "call", Call(None, (), (), nameless, "mqtt", None))
    plug.at(t(1200), "dhcp", "kitchen-plug", None, (1, 3, 28, 6), "renew")
    plug.at(t(1260), "call", again("3.123.160.73", "m1.tuyaeu.com"))
    plug.at(t(1300), "call", Call(None, (), (), nameless, "mqtt", None))
    plug.at(t(2000), "call", tls("a3.tuyaeu.com", (), tuya[::-1], remote=tuya[1]))

    # Raspberry Pi, dual stack: DHCP (INIT-REBOOT), avahi mDNS, Samba NetBIOS (same name, other
    # case), a workgroup registration (a group name: no device name).
    pi = Plan(host("pi", "b8:27:eb:5d:9e:07", "192.168.1.35", v6=True))
    pi.at(t(50), "dhcp", "raspberrypi", "dhcpcd-9.4.1:Linux-5.10:armv7l:Raspberry Pi", dhcp.PARAMS_DHCPCD, "reboot")
    pi.at(t(52), "mdns", "raspberrypi.local", None, 4)
    pi.at(t(53), "mdns", "raspberrypi.local", None, 6)
    pi.at(t(55), "netbios", "RASPBERRYPI", "WORKGROUP")
    pi.at(t(60), "call", tls("deb.debian.org", ["debian.map.fastlydns.net"],
                             ["151.101.130.132", "151.101.194.132", "151.101.2.132", "151.101.66.132"]))
    pi.at(t(70), "call", tls("archive.raspberrypi.org", (), ["2a00:1098:0:80:1000:75:0:3",
                                                            "2a00:1098:0:82:1000:13:0:8"]))
    pi.at(t(1000), "call", tls("raspbian.raspberrypi.org", ["mirrordirector.raspbian.org"], ["93.93.128.193"]))

    # Xiaomi robot vacuum, IPv6 only (ULA): calls home, then mDNS from its link-local address;
    # one server known only by the SNI.
    vac = Plan(host("vacuum", "64:09:80:7b:c2:51", None, v6=True))
    miio = ("_miio._udp.local", "roborock-vacuum-s5_miio123456789", 54321, ["epoch=1"])
    mi = ["2a05:d014:a1b:2c00:4f1e:9d2a:7b3c:1e05", "2a05:d014:a1b:2c01:8e2f:13c4:5a6d:2f19"]
    ot = "2a05:d014:a1b:2c02:3d5e:7f10:2b4a:9c61"
    vac.at(t(65), "call", tls("de.api.io.mi.com", ["de-api-io-mi-com-1386452391.eu-central-1.elb.amazonaws.com"], mi))
    vac.at(t(75), "mdns", "roborock-vacuum-s5_miio123456789.local", miio, 6)
    vac.at(t(80), "call", again(ot, "ot.io.mi.com"))
    vac.at(t(800), "call", again(mi[0], "de.api.io.mi.com"))
    vac.at(t(1600), "call", again(ot, "ot.io.mi.com"))
    vac.at(t(1650), "mdns_reply", "roborock-vacuum-s5_miio123456789.local", miio)

    # LibreELEC media player (Raspberry Pi 4): no DHCP seen; calls home with no name, answers
    # LLMNR at 8 min, registers NetBIOS at 15 min (which then wins over LLMNR).
    kodi = Plan(host("libreelec", "dc:a6:32:8f:14:e2", "192.168.1.38"))
    kodi.at(t(100), "call", tls("mirrors.kodi.tv", ["mirrors.kodi.tv.cdn.cloudflare.net"], [cf[0]]))
    kodi.at(t(480), "llmnr", "libreelec")
    kodi.at(t(600), "call", again(cf[0], "mirrors.kodi.tv"))
    kodi.at(t(660), "call", tls("api.trakt.tv", ["api.trakt.tv.cdn.cloudflare.net"], ["104.17.48.217", "104.17.49.217"]))
    kodi.at(t(900), "netbios", "LIBREELEC", "WORKGROUP")
    kodi.at(t(960), "netbios_query", "LIBREELEC")
    kodi.at(t(1020), "call", again(cf[0], "mirrors.kodi.tv"))
    kodi.at(t(1800), "call", again("104.17.48.217", "api.trakt.tv"))

    plans = [phone, echo, nest, sonos, hue, plug, pi, vac, kodi]
    for p in plans:
        lan.add(p.host)
    run(lan, rng, router, phone.host, plans)
    frames = lan.frames()
    assert frames[-1][0] - frames[0][0] < DURATION
    return Scenario(frames, [], None, "", None, lan.quic_snis(), geo_for(remotes_of(plans)))
