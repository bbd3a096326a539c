"""Kalay datagrams that other dissectors also want.

Stock tshark's DCE/RPC heuristic takes plain Kalay datagrams of 80 bytes or
more (both start with 04 02), and UDP 10001, the port go2rtc's remote path
uses, belongs to Ubiquiti discovery. With phonehome loaded, the Kalay
heuristic (which checks the length field and version) must win on any port,
for plain and scrambled messages alike.
"""
import os
import sys
import tempfile
import unittest

from tshark_env import CAPTURES, TsharkTestCase

sys.path.insert(0, CAPTURES)
from pcapgen.ethernet import ethernet  # noqa: E402
from pcapgen.ip import ipv4  # noqa: E402
from pcapgen.p2p_kalay import message, scramble_message  # noqa: E402
from pcapgen.pcap_writer import write_pcap  # noqa: E402
from pcapgen.transport import udp  # noqa: E402

UID = b"ABCDEFGHJK1234567890"
MESSAGES = [  # (code, body, flags)
    ("070421", bytes(100), 0x0A),
    ("080412", bytes(200), 0x0A),
    ("010621", UID + bytes(40), 0x02),
    ("070421", bytes(500), 0x0A),
]
PORTS = (10001, 23456, 32761)


class KalayAgainstOtherDissectors(TsharkTestCase):

    def test_long_plain_and_scrambled_messages_are_kalay_on_any_port(self):
        frames, expected = [], []
        for code, body, flags in MESSAGES:
            plain = message(bytes.fromhex(code), body, flags=flags)
            for payload, scrambled in ((plain, "0"), (scramble_message(plain), "1")):
                for port in PORTS:
                    datagram = udp("192.168.1.50", "52.28.1.2", 40000, port, payload)
                    frames.append((1_000_000 * (len(frames) + 1),
                                   ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800,
                                            ipv4("192.168.1.50", "52.28.1.2", 17, datagram))))
                    expected.append(["0x" + code, scrambled, "p2p"])
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "kalay_hard_cases.pcap")
            write_pcap(path, frames)
            rows = self.fields(path, "frame.protocols", "kalay.code", "kalay.scrambled", "phonehome.pattern")
        self.assertEqual(len(rows), len(expected))
        for (protocols, code, scrambled, pattern), want in zip(rows, expected):
            self.assertTrue(protocols.endswith(":udp:kalay"), protocols)
            self.assertEqual([code, scrambled, pattern], want)


if __name__ == "__main__":
    unittest.main()
