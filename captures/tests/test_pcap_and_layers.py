import ipaddress
import struct
import unittest

from _util import S, tcp_frame, udp_frame
from pcapgen import dns, ntp
from pcapgen.checksum import inet_checksum
from pcapgen.decode import decode
from pcapgen.ip import PROTO_TCP, PROTO_UDP, ipv4, pseudo_header
from pcapgen.pcap_writer import pcap_bytes, read_pcap
from pcapgen.tcp_session import TcpSession
from pcapgen.transport import ACK, FIN, SYN, tcp, udp


class PcapWriter(unittest.TestCase):
    def test_global_header(self):
        data = pcap_bytes([])
        self.assertEqual(data[:4], bytes.fromhex("d4c3b2a1"))  # a1b2c3d4 little-endian
        magic, vmaj, vmin, _, _, snap, link = struct.unpack("<IHHiIII", data)
        self.assertEqual((magic, vmaj, vmin, link), (0xA1B2C3D4, 2, 4, 1))
        self.assertGreaterEqual(snap, 65535)

    def test_exact_microsecond_timestamps_round_trip(self):
        frames = [(1_700_000_000 * S, b"\x01" * 60), (1_700_000_020 * S, b"\x02" * 61),
                  (1_700_000_039 * S + 999_999, b"\x03" * 62)]
        link, back = read_pcap(pcap_bytes(frames))
        self.assertEqual(link, 1)
        self.assertEqual(back, frames)
        self.assertEqual(back[1][0] - back[0][0], 20_000_000)
        rec = struct.unpack_from("<IIII", pcap_bytes(frames), 24 + 16 + 60 + 16 + 61)
        self.assertEqual(rec, (1_700_000_039, 999_999, 62, 62))


class Checksums(unittest.TestCase):
    def test_rfc1071_example(self):
        # Classic example header (Wikipedia "IPv4 header checksum"): checksum b861.
        hdr = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
        self.assertEqual(inet_checksum(hdr), 0xB861)

    def test_ipv4_header_verifies(self):
        pkt = ipv4("192.168.1.20", "106.13.0.0", PROTO_UDP, b"abc", ttl=64, ident=0x1234)
        self.assertEqual(inet_checksum(pkt[:20]), 0)
        self.assertEqual(pkt[6] & 0x40, 0x40)  # DF
        self.assertEqual(struct.unpack("!H", pkt[4:6])[0], 0x1234)

    def _verify(self, src, dst, proto, seg):
        self.assertEqual(inet_checksum(pseudo_header(src, dst, proto, len(seg)) + seg), 0)

    def test_udp_tcp_checksums_v4_v6(self):
        for src, dst in (("192.168.1.20", "106.13.0.0"), ("fd00::20", "2600:1f18::1")):
            self._verify(src, dst, PROTO_UDP, udp(src, dst, 51506, 1, b"odd-length"))
            self._verify(src, dst, PROTO_TCP, tcp(src, dst, 40000, 443, 1, 2, SYN | ACK, b"xyz"))


class Messages(unittest.TestCase):
    def test_dns_compression(self):
        q = dns.query(7, "www.example.org", dns.TYPE_A)
        r = dns.response(7, "www.example.org", dns.TYPE_A, ["93.184.216.34"], compress=True)
        self.assertTrue(r.startswith(struct.pack("!H", 7)))
        self.assertIn(b"\xc0\x0c\x00\x01\x00\x01", r)
        self.assertEqual(r[12:len(q)], q[12:])
        r6 = dns.response(7, "www.example.org", dns.TYPE_AAAA, ["2001:db8::1"], compress=False)
        self.assertNotIn(b"\xc0\x0c", r6)
        self.assertEqual(r6[-16:], ipaddress.ip_address("2001:db8::1").packed)

    def test_ntp(self):
        req = ntp.client_request(1_700_000_000 * S)
        self.assertEqual((len(req), req[0]), (48, 0x23))  # LI 0, VN 4, mode 3
        rep = ntp.server_reply(req, 1_700_000_000 * S + 9000, 1_700_000_000 * S + 9040)
        self.assertEqual(rep[0] & 7, 4)
        self.assertEqual(rep[24:32], req[40:48])  # origin = client's transmit
        self.assertEqual(ntp.ntp_timestamp(0) >> 32, 2208988800)


class TcpSessions(unittest.TestCase):
    def test_handshake_data_fin_are_consistent(self):
        segs = []
        s = TcpSession(lambda *a: segs.append(a), 1000, 5000)
        t = s.connect(0, 10_000)
        t = s.exchange(t + 1, b"q" * 100, b"r" * 3000, 10_000)
        s.close(t + 1, True, 10_000)
        # (ts, from_client, seq, ack, flags, payload, window, options)
        nxt = {True: 1000, False: 5000}
        for ts, fc, seq, ack, flags, payload, _, _ in segs:
            self.assertEqual(seq, nxt[fc])
            if flags & ACK:
                self.assertEqual(ack, nxt[not fc])
            nxt[fc] += len(payload) + (1 if flags & (SYN | FIN) else 0)
        self.assertEqual([ts for ts, *_ in segs], sorted(ts for ts, *_ in segs))
        self.assertEqual(nxt, {True: 1000 + 1 + 100 + 1, False: 5000 + 1 + 3000 + 1})


class Decode(unittest.TestCase):
    def test_decode_udp_v6_and_tcp_v4(self):
        d = decode(udp_frame("fe80::1", "2a05:d018::5", 5000, 0))
        self.assertEqual((str(d.ip_src), str(d.ip_dst), d.proto, d.sport, d.dport),
                         ("fe80::1", "2a05:d018::5", 17, 5000, 0))
        d = decode(tcp_frame("10.0.0.2", "52.28.1.1", 40000, 1, SYN))
        self.assertEqual((d.proto, d.dport, d.tcp_flags), (6, 1, SYN))
        self.assertFalse(d.eth_group)


if __name__ == "__main__":
    unittest.main()
