"""Kalay as SDK 4.x speaks it, through tshark with the plugin: go2rtc's DTLS connection
(pkg/tutk conn_dtls.go, read as a specification) over the IOTC framing, scrambled as go2rtc
sends it, and over the CC51 framing. Messages are named by command and flags, the keepalives
by what the conversation showed before them, the DTLS records inside the sessions are labelled,
and kalay.direction says who sent a message (the device is on a random port here, so only the
messages can tell). One-pass and two-pass tshark agree.
"""
import os
import sys
import tempfile
import unittest

from tshark_env import CAPTURES, TsharkTestCase

sys.path.insert(0, CAPTURES)
from pcapgen import p2p_kalay as k  # noqa: E402
from pcapgen.ethernet import ethernet  # noqa: E402
from pcapgen.ip import ipv4  # noqa: E402
from pcapgen.pcap_writer import write_pcap  # noqa: E402
from pcapgen.transport import udp  # noqa: E402

UID = "WYZEC1JZABCDEFGH1234"
SID = bytes.fromhex("1122334455667788")
APP, DEVICE = ("192.168.1.61", 50555), ("192.168.1.90", 40123)
HELLO = k.dtls_handshake(1, bytes(40))           # ClientHello
VERIFY = k.dtls_handshake(3, bytes([0xFE, 0xFD, 4, 1, 2, 3, 4]))  # HelloVerifyRequest
APPDATA = k.dtls_record(23, bytes(48), epoch=1, seq=3)

# (sent by the app?, wire bytes, expected kalay.message, expected kalay.direction, DTLS handshake type or "")
IOTC = [
    (True, k.scramble_message(k.sdk4_discovery(UID, SID, 1)), "Discovery request", "0x21", ""),
    (False, k.scramble_message(k.sdk4_discovery(UID, SID, 1, reply=True)), "Discovery reply", "0x12", ""),
    (True, k.scramble_message(k.sdk4_discovery(UID, SID, 2)), "Discovery request", "0x21", ""),
    (True, k.scramble_message(k.sdk4_session(UID, SID)), "Session request", "0x21", ""),
    (False, k.scramble_message(k.sdk4_session(UID, SID, reply=True)), "Session reply", "0x12", ""),
    (True, k.scramble_message(k.sdk4_data(HELLO, 0, SID, 1)), "Session data to device", "0x21", "1"),
    (False, k.scramble_message(k.sdk4_data(VERIFY, 0, SID, 1, to_device=False)), "Session data to client", "0x12", "3"),
    (True, k.scramble_message(k.sdk4_data(APPDATA, 0, SID, 2)), "Session data to device", "0x21", ""),
    # The keepalives show no SDK themselves: the conversation's discovery named them.
    (False, k.scramble_message(k.sdk4_keepalive(bytes(range(8)), request=False)), "Keepalive reply", "0x12", ""),
    (True, k.scramble_message(k.sdk4_keepalive(bytes(range(8)))), "Keepalive request", "0x21", ""),
]
CC51 = [
    (True, k.cc51(k.CC51_DISCOVERY, SID + b"\x00\x08\x03\x04" + bytes(4)), "Discovery (CC51)", "", ""),
    (False, k.cc51(k.CC51_DISCOVERY, SID + b"\x00\x08\x03\x04" + bytes(4), response=True, seq=1, ticket=0x4242),
     "Discovery reply (CC51)", "", ""),
    (True, k.cc51(k.CC51_DTLS, SID + b"\x01\x00\x00\x00" + HELLO, channel=0, ticket=0x4242), "DTLS data (CC51)", "", "1"),
    (False, k.cc51(k.CC51_KEEPALIVE, b"\x02\x00\x00\x00" + SID), "Keepalive (CC51)", "", ""),
]


def frames(exchange, app, device):
    out = []
    for i, (from_app, payload, *_rest) in enumerate(exchange):
        (src, sport), (dst, dport) = (app, device) if from_app else (device, app)
        out.append((1_000_000 + 100_000 * i, ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800,
                                                      ipv4(src, dst, 17, udp(src, dst, sport, dport, payload)))))
    return out


class KalaySdk4(TsharkTestCase):

    def rows(self, name, exchange):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, name + ".pcap")
            write_pcap(path, frames(exchange, APP, DEVICE))
            fields = ("frame.protocols", "kalay.message", "kalay.direction", "kalay.dtls.handshake_type", "kalay.sdk",
                      "kalay.framing")
            one = self.fields(path, *fields)
            two = [line.split("\t") for line in self.tshark.run(
                "-2", "-n", "-r", self.tshark.stage(path), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                *[a for f in fields for a in ("-e", f)]).splitlines()]
            self.assertEqual(one, two, "one pass and two passes differ")
            return one

    def test_go2rtc_dtls_connection_over_iotc(self):
        rows = self.rows("kalay_sdk4_iotc", IOTC)
        self.assertEqual(len(rows), len(IOTC))
        for (protocols, message, direction, handshake, sdk, framing), (_, _, want, want_dir, want_hs) in zip(rows, IOTC):
            self.assertTrue(protocols.endswith(":udp:kalay"), protocols)
            self.assertEqual((message, direction, handshake, framing), (want, want_dir, want_hs, "IOTC"))
        self.assertEqual(rows[0][4], "4.2.1.1")

    def test_cc51(self):
        rows = self.rows("kalay_sdk4_cc51", CC51)
        self.assertEqual(len(rows), len(CC51))
        for (protocols, message, direction, handshake, sdk, framing), (_, _, want, _, want_hs) in zip(rows, CC51):
            self.assertTrue(protocols.endswith(":udp:kalay"), protocols)
            self.assertEqual((message, handshake, framing), (want, want_hs, "CC51"))
        self.assertEqual(rows[0][4], "4.3.8.0")


if __name__ == "__main__":
    unittest.main()
