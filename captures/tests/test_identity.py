"""Identity: the DHCP, mDNS, LLMNR, NetBIOS and SSDP builders read back by the oracle's own
readers, and the identity truth rules on small hand-built captures."""
import ipaddress
import random
import unittest

import _util  # noqa: F401  (puts pcapgen on the path)
from pcapgen import dhcp, dns, dns_decode, dns_records, llmnr, mdns, nbns, payloads, ssdp, truth
from pcapgen.identity_decode import dhcp_client, nbns_names, ssdp_server
from pcapgen.lan import Host, Lan

S = 1_000_000
T = 1_700_000_000 * S


class Builders(unittest.TestCase):
    def test_dhcp_client_messages(self):
        mac = "b8:27:eb:01:02:03"
        d = dhcp.discover(0x1234, mac, "raspberrypi", "dhcpcd-9.4.1:Linux-5.10:armv7l:Raspberry Pi",
                          dhcp.PARAMS_DHCPCD)
        self.assertEqual(dhcp_client(d), (mac, "raspberrypi", "dhcpcd-9.4.1:Linux-5.10:armv7l:Raspberry Pi"))
        self.assertGreaterEqual(len(d), 300)
        r = dhcp.request(7, mac, None, None, ciaddr="192.168.1.9")
        self.assertEqual(dhcp_client(r), (mac, None, None))
        self.assertEqual(r[12:16], bytes([192, 168, 1, 9]))             # ciaddr
        self.assertIn(bytes([61, 7, 1]) + bytes.fromhex("b827eb010203"), r)  # client id: type 1 + MAC
        ack = dhcp.ack(7, mac, "192.168.1.9", "192.168.1.1", subnet_mask="255.255.255.0", router="192.168.1.1",
                       dns_servers=["192.168.1.1"])
        self.assertIsNone(dhcp_client(ack))                               # a BOOTREPLY is not the client's
        self.assertEqual(ack[16:20], bytes([192, 168, 1, 9]))            # yiaddr

    def test_mdns_sections_and_compression(self):
        svc = ("_googlecast._tcp.local", "Living Room", 8009, ["id=1", "fn=Living Room"])
        msg = mdns.service_response(svc[0], svc[1], "Living-Room.local", svc[2], svc[3], ["192.168.1.5", "fd00::5"])
        m = dns_decode.parse(msg)
        self.assertEqual((m.qid, m.flags, m.questions), (0, 0x8400, []))
        self.assertEqual([(r.section, r.rtype) for r in m.records],
                         [("answer", 12), ("additional", 33), ("additional", 16), ("additional", 1),
                          ("additional", 28)])
        self.assertEqual([(r.name, r.value) for r in m.records[3:]],
                         [("Living-Room.local", ipaddress.ip_address("192.168.1.5")),
                          ("Living-Room.local", ipaddress.ip_address("fd00::5"))])
        records = [dns_records.ptr(svc[0], "Living Room." + svc[0]),
                   dns_records.srv("Living Room." + svc[0], "Living-Room.local", 8009)]
        packed, plain = (dns_records.message(0, 0x8400, answers=records, compress=c) for c in (True, False))
        self.assertLess(len(packed), len(plain) - 30)  # names point at earlier ones
        self.assertEqual([r[:3] for r in dns_decode.parse(packed).records],
                         [r[:3] for r in dns_decode.parse(plain).records])
        ann = dns_decode.parse(mdns.host_announcement("pi.local", ["192.168.1.9"]))
        self.assertEqual([(r.section, r.name, str(r.value)) for r in ann.records], [("answer", "pi.local", "192.168.1.9")])

    def test_llmnr_response_echoes_the_question(self):
        m = dns_decode.parse(llmnr.response(0x4242, "libreelec", "192.168.1.38"))
        self.assertEqual((m.qid, m.flags, m.questions), (0x4242, 0x8000, ["libreelec"]))
        self.assertEqual([(r.section, r.name, str(r.value)) for r in m.records], [("answer", "libreelec", "192.168.1.38")])
        self.assertEqual(dns_decode.parse(llmnr.query(1, "libreelec")).flags, 0)

    def test_netbios_encoding_and_records(self):
        # RFC 1001 section 14.1: "FRED" padded with spaces encodes to EGFCEFEECACA...
        self.assertEqual(nbns.encode_name("FRED", 0x20)[1:33], b"EGFCEFEE" + b"CA" * 12)
        self.assertEqual(nbns_names(nbns.registration(1, "LIBREELEC", 0, "192.168.1.38")),
                         [("LIBREELEC", 0, False, ipaddress.ip_address("192.168.1.38"))])
        self.assertEqual(nbns_names(nbns.registration(2, "WORKGROUP", 0, "192.168.1.38", group=True))[0].group, True)
        self.assertEqual(nbns_names(nbns.query_response(3, "pi", 0x20, "192.168.1.9"))[0][:2], ("PI", 0x20))
        self.assertEqual(nbns_names(nbns.query(4, "PI", 0)), [])

    def test_ssdp_server_header(self):
        srv = "Linux/4.14 UPnP/1.0 Sonos/70.3-35220 (ZPS18)"
        self.assertEqual(ssdp_server(ssdp.notify_alive(srv, "http://x/", "u", "upnp:rootdevice")), srv)
        resp = ssdp.search_response(srv, "http://x/", "u", "upnp:rootdevice", "Tue, 14 Nov 2023 22:13:20 GMT")
        self.assertEqual(ssdp_server(resp), srv)
        self.assertIn(b"\r\nEXT:\r\n", resp)
        self.assertIsNone(ssdp_server(payloads.ssdp_msearch()))


ROUTER_MAC, DEV_MAC, OTHER_MAC = "a4:91:b1:0c:2e:01", "b8:27:eb:5d:9e:07", "00:17:88:6c:4e:21"
DEV4, DEV6, OTHER4, REMOTE, REMOTE6 = "192.168.1.35", "fd00::35", "192.168.1.33", "151.101.2.132", "2a04:4e42::84"
GEO = {"country": [["151.101.0.0/16", "US", "United States"]], "asn": [["151.101.0.0/16", 54113, "FASTLY"]]}


class Household:
    """A tiny LAN to emit hand-picked frames on (no randomness matters here)."""

    def __init__(self):
        self.lan = Lan(random.Random(1), Host("router", ROUTER_MAC, "192.168.1.1", "fd00::1"))
        self.dev = self.lan.add(Host("dev", DEV_MAC, DEV4, DEV6))
        self.other = self.lan.add(Host("other", OTHER_MAC, OTHER4))
        self.t = T

    def tick(self):
        self.t += S
        return self.t

    def out(self, src=DEV4, dst=REMOTE):
        self.lan.udp(self.tick(), src, dst, 40000, 9000, b"\x80" + bytes(20))

    def dhcp(self, name, vc=None, mac=DEV_MAC):
        self.lan.udp(self.tick(), "0.0.0.0", "255.255.255.255", 68, 67, dhcp.discover(1, mac, name, vc), ttl=64,
                     src_mac=mac)

    def mdns(self, host, addrs, src=DEV4):
        self.lan.udp(self.tick(), src, mdns.GROUP4, 5353, 5353, mdns.host_announcement(host, addrs), ttl=255)

    def llmnr(self, name, addr=DEV4):
        self.lan.udp(self.tick(), DEV4, OTHER4, 5355, 50000, llmnr.response(9, name, addr))

    def netbios(self, name, suffix=0, group=False):
        self.lan.udp(self.tick(), DEV4, "192.168.1.255", 137, 137, nbns.registration(5, name, suffix, DEV4, group))

    def dns_answer(self, to, qname, chain, addrs):
        qtype = dns.TYPE_AAAA if ":" in addrs[0] else dns.TYPE_A
        resolver = "fd00::1" if ":" in str(to) else "192.168.1.1"
        self.lan.udp(self.tick(), resolver, to, 53, 50001, dns.response_chain(3, qname, qtype, chain, addrs))

    def tls_hello(self, src, dst, sni):
        self.lan.tcp_segment(self.tick(), src, dst, 40001, 443, 1, 1, 0x18,
                             payloads.tls_client_hello(random.Random(2), sni))

    def identity(self):
        return truth.compute(self.lan.frames(), geo=GEO)["identity"]


def names_by_frame(ident):
    return [e["name"] for e in ident["device_names"]]


class Rules(unittest.TestCase):
    def test_priority_dhcp_mdns_netbios_llmnr_and_causality(self):
        h = Household()
        h.out()                                   # nothing announced yet
        h.llmnr("pi")
        h.out()
        h.netbios("PI-SAMBA")
        h.out()
        h.mdns("pi.local", [DEV4])
        h.out()
        h.dhcp("raspberrypi")
        h.out()
        h.llmnr("later-llmnr")                    # a later LLMNR name changes nothing
        h.out()
        ident = h.identity()
        self.assertEqual(names_by_frame(ident), [None, "pi", "PI-SAMBA", "pi.local", "raspberrypi", "raspberrypi"])
        self.assertEqual(ident["devices"][DEV4]["names"],
                         ["pi", "PI-SAMBA", "pi.local", "raspberrypi", "later-llmnr"])

    def test_dhcp_name_follows_the_mac_to_ipv6_and_renames(self):
        h = Household()
        h.out(DEV6, REMOTE6)
        h.dhcp("ESP_3A1F2C", "udhcp 1.29.3")
        h.out(DEV6, REMOTE6)
        h.dhcp("kitchen-plug")
        h.out(DEV6, REMOTE6)
        ident = h.identity()
        self.assertEqual(names_by_frame(ident), [None, "ESP_3A1F2C", "kitchen-plug"])
        self.assertEqual(ident["devices"][DEV6]["dhcp_vendor_class"], "udhcp 1.29.3")  # the latest option 60
        self.assertEqual(ident["devices"][DEV6]["names"], ["ESP_3A1F2C", "kitchen-plug"])

    def test_only_own_addresses_unique_workstation_names_and_case_insensitive_list(self):
        h = Household()
        h.out()
        h.mdns("Eve-Door.local", ["fd7e::15"])   # someone else's address: not a name
        h.mdns("Other.local", [OTHER4])          # another device's address: not a name either
        h.llmnr("nope", addr=OTHER4)
        h.netbios("WORKGROUP", group=True)       # a group name
        h.netbios("PI", suffix=0x20)             # the server service, not the workstation
        h.out()
        self.assertEqual(names_by_frame(h.identity()), [None, None])
        h.netbios("raspberrypi")
        h.mdns("RaspberryPi", [DEV4])            # the same name in another case: listed once
        h.out()
        ident = h.identity()
        self.assertEqual(names_by_frame(ident), [None, None, "RaspberryPi"])
        self.assertEqual(ident["devices"][DEV4]["names"], ["RASPBERRYPI"])
        self.assertEqual(ident["devices"][OTHER4], {"mac": None, "names": [], "dhcp_vendor_class": None,
                                                    "ssdp_servers": []})

    def test_ssdp_servers_are_distinct_in_order(self):
        h = Household()
        for srv in ("Hue/1.0 UPnP/1.0 IpBridge/1.56.0", "Linux/3.14.0 UPnP/1.0 IpBridge/1.56.0",
                    "Hue/1.0 UPnP/1.0 IpBridge/1.56.0"):
            h.lan.udp(h.tick(), DEV4, ssdp.GROUP4, 1900, 1900, ssdp.notify_alive(srv, "http://x/", "u", "upnp:rootdevice"))
        h.out()
        self.assertEqual(h.identity()["devices"][DEV4]["ssdp_servers"],
                         ["Hue/1.0 UPnP/1.0 IpBridge/1.56.0", "Linux/3.14.0 UPnP/1.0 IpBridge/1.56.0"])

    def test_remote_names_asked_then_aliases_then_sni(self):
        h = Household()
        h.tls_hello(DEV4, REMOTE, "sni-first.example")
        h.dns_answer(DEV4, "Deb.Debian.org", ["debian.map.fastlydns.net"], [REMOTE, "151.101.66.132"])
        h.dns_answer(OTHER4, "other.example", [], [REMOTE])       # asked by another device
        h.dns_answer(DEV4, "cdn.debian.org", [], [REMOTE])
        h.tls_hello(DEV4, REMOTE, "deb.debian.org")               # already known: listed once
        h.out()
        h.tls_hello(OTHER4, REMOTE, "www.other.example")
        remotes = h.identity()["remotes"]
        self.assertEqual(remotes, [
            {"device": DEV4, "remote": REMOTE,
             "names": ["deb.debian.org", "cdn.debian.org", "debian.map.fastlydns.net", "sni-first.example"]},
            {"device": OTHER4, "remote": REMOTE, "names": ["other.example", "www.other.example"]}])

    def test_geo_is_copied(self):
        h = Household()
        h.out()
        self.assertEqual(h.identity()["geo"], GEO)
        self.assertNotIn("identity", truth.compute(h.lan.frames()))


if __name__ == "__main__":
    unittest.main()
