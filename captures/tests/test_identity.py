"""Identity: the DHCP, mDNS, LLMNR, NetBIOS and SSDP builders read back by the oracle's own
readers, the identity truth rules on small hand-built captures, and the identity scenarios."""
import ipaddress
import os
import random
import unittest

import _util  # noqa: F401  (puts pcapgen on the path)
from pcapgen import dhcp, dns, dns_decode, dns_records, llmnr, mdns, nbns, payloads, ssdp, truth
from pcapgen.identity_decode import dhcp_client, nbns_names, ssdp_server
from pcapgen.lan import Host, Lan
from pcapgen.scenarios import registry
from pcapgen.scenarios.identity_cloud import CLOUD, OUIS, network_of

S = 1_000_000
T = 1_700_000_000 * S
MANUF = "/usr/share/wireshark/manuf"


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


def _covered(addr, rows):
    a = ipaddress.ip_address(addr)
    return any(a.version == ipaddress.ip_network(r[0]).version and a in ipaddress.ip_network(r[0]) for r in rows)


class Scenarios(unittest.TestCase):
    def check_common(self, sc, t):
        ident = t["identity"]
        self.assertLess(len(sc.frames), 3000)
        self.assertEqual(len(ident["device_names"]), sum(1 for f in t["frames"] if f["device"]))
        self.assertEqual(set(ident["devices"]), set(t["devices"]))
        remotes = {r["remote"] for r in ident["remotes"]}
        for r in remotes:
            self.assertTrue(_covered(r, ident["geo"]["country"]) and _covered(r, ident["geo"]["asn"]), r)
        known = {oui for ouis in OUIS.values() for oui in ouis}
        for addr, d in ident["devices"].items():
            if d["names"]:
                self.assertIn(d["mac"][:8], known, addr)
        named = {}
        for e in ident["device_names"]:
            named.setdefault(e["device"], []).append(e["name"])
        # someone is unnamed before it announces, named after (a causal reader must wait)
        self.assertTrue(any(v[0] is None and v[-1] is not None for v in named.values()))
        self.assertTrue(any(not r["names"] for r in ident["remotes"]), "a remote with no name")
        by_remote = {}
        for r in ident["remotes"]:
            if r["names"]:
                by_remote.setdefault(r["remote"], []).append(tuple(r["names"]))
        self.assertTrue(any(len(set(v)) > 1 for v in by_remote.values()), "two devices, other names, one address")
        self.assertTrue(any(":" in r["device"] and ":" in r["remote"] for r in ident["remotes"]), "an IPv6 pair")
        return ident

    def test_identity(self):
        sc = registry()["identity"](26)
        t = truth.compute_scenario(sc)
        ident = self.check_common(sc, t)
        self.assertFalse(any(f["findings"] for f in t["frames"]))
        devs = ident["devices"]
        self.assertEqual(devs["192.168.1.34"]["names"], ["ESP_3A1F2C", "kitchen-plug"])
        self.assertEqual(devs["192.168.1.38"]["names"], ["libreelec"])
        self.assertEqual(devs["192.168.1.35"]["dhcp_vendor_class"], "dhcpcd-9.4.1:Linux-5.10:armv7l:Raspberry Pi")
        self.assertEqual(devs["192.168.1.33"]["ssdp_servers"],
                         ["Hue/1.0 UPnP/1.0 IpBridge/1.56.0", "Linux/3.14.0 UPnP/1.0 IpBridge/1.56.0"])
        self.assertNotIn("Eve-Door-4F2A.local", sum((d["names"] for d in devs.values()), []))
        vacuum = "fd4e:7a61:9c2b:1:6609:80ff:fe7b:c251"
        self.assertEqual(devs[vacuum]["names"], ["roborock-vacuum-s5_miio123456789.local"])
        kodi = [e["name"] for e in ident["device_names"] if e["device"] == "192.168.1.38"]
        self.assertEqual([n for i, n in enumerate(kodi) if i == 0 or kodi[i - 1] != n], [None, "libreelec", "LIBREELEC"])
        self.assertEqual({r[1] for r in ident["geo"]["country"]}, {"US", "IE", "DE", "GB", "CN"})

    def test_variant(self):
        for seed in range(1, 7):
            sc = registry()["identity_variant"](seed)
            t = truth.compute_scenario(sc)
            ident = self.check_common(sc, t)
            changes = {}
            for e in ident["device_names"]:
                seen = changes.setdefault(e["device"], [])
                if e["name"] and e["name"] not in seen:
                    seen.append(e["name"])
            self.assertTrue(any(len(v) > 1 for v in changes.values()), "a device renamed, seed %d" % seed)
            families = {}
            for addr, d in ident["devices"].items():
                families.setdefault(d["mac"], set()).add(ipaddress.ip_address(addr).version)
            v6_only = [d for d in ident["devices"].values() if d["names"] and families[d["mac"]] == {6}]
            self.assertTrue(v6_only, "an IPv6-only device with a name, seed %d" % seed)

    def test_variant_deterministic(self):
        a, b = registry()["identity_variant"](3), registry()["identity_variant"](3)
        self.assertEqual(a.frames, b.frames)
        self.assertNotEqual(a.frames, registry()["identity_variant"](4).frames)


class CloudData(unittest.TestCase):
    def test_networks_do_not_overlap(self):
        nets = [ipaddress.ip_network(c[0]) for c in CLOUD]
        for i, a in enumerate(nets):
            for b in nets[i + 1:]:
                self.assertFalse(a.version == b.version and a.overlaps(b), (a, b))
        self.assertEqual(network_of("47.98.115.102")[1], "CN")

    @unittest.skipUnless(os.path.exists(MANUF), "no Wireshark manufacturer file")
    def test_ouis_are_in_wiresharks_manufacturer_data(self):
        with open(MANUF, encoding="utf-8", errors="replace") as f:
            prefixes = {line.split("\t")[0].lower() for line in f if line[:1] not in ("#", "\n")}
        for vendor, ouis in OUIS.items():
            for oui in ouis:
                self.assertIn(oui, prefixes, vendor)


if __name__ == "__main__":
    unittest.main()
