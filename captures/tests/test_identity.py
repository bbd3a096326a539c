"""Identity: the DHCP, mDNS, LLMNR, NetBIOS and SSDP builders read back by the oracle's own
readers."""
import ipaddress
import unittest

import _util  # noqa: F401  (puts pcapgen on the path)
from pcapgen import dhcp, dns_decode, dns_records, llmnr, mdns, nbns, payloads, ssdp
from pcapgen.identity_decode import dhcp_client, nbns_names, ssdp_server


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


if __name__ == "__main__":
    unittest.main()
