"""`-z phonehome,remotes` against tshark's own conversation statistics and
DNS/TLS fields: every Internet remote of each device, with the name the
capture resolved for it, and the same packet and byte counts each way as
`-z conv,ip` / `conv,ipv6`. The CSV and JSON forms carry the same rows."""
import csv
import io
import json
import os
import unittest

from report_parser import assert_rows_match_conversations, parse_conversations
from tshark_env import CAPTURES, PUBLIC_CAPTURES, TsharkTestCase

CAPTURE_FILES = [os.path.join(PUBLIC_CAPTURES, "ndpi-nest_log_sink.pcap"),
                 os.path.join(PUBLIC_CAPTURES, "ndpi-alexa-app.pcapng"),
                 os.path.join(CAPTURES, "doorbell.pcap"),
                 os.path.join(CAPTURES, "heartbeats.pcap"),
                 os.path.join(CAPTURES, "kalay.pcap")]


class RemotesReport(TsharkTestCase):

    def remotes_csv(self, pcap):
        out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome,remotes.csv")
        return list(csv.DictReader(io.StringIO(out)))

    def expected_names(self, pcap):
        """remote -> the name a device looked up for it (the latest DNS
        response listing it), else the latest TLS SNI sent to it."""
        dns, sni = {}, {}
        for qname, answers4, answers6, server_name, dst in self.fields(
                pcap, "dns.qry.name", "dns.a", "dns.aaaa", "tls.handshake.extensions_server_name", "ip.dst",
                display_filter="(dns.flags.response == 1 && (dns.a || dns.aaaa)) || tls.handshake.extensions_server_name"):
            for addr in (answers4.split(",") if answers4 else []) + (answers6.split(",") if answers6 else []):
                dns[addr] = qname.split(",")[0].lower().rstrip(".")
            if server_name:
                sni[dst.split(",")[-1]] = server_name.lower()
        return dns, sni

    def test_counts_match_conversation_statistics(self):
        checked = 0
        for pcap in CAPTURE_FILES:
            if not os.path.exists(pcap):
                continue
            with self.subTest(capture=os.path.basename(pcap)):
                rows = self.remotes_csv(pcap)
                self.assertTrue(rows)
                convs = parse_conversations(self.tshark.run("-n", "-q", "-r", self.tshark.stage(pcap),
                                                            "-z", "conv,ip", "-z", "conv,ipv6"))
                checked += assert_rows_match_conversations(self, rows, convs)
        self.assertGreater(checked, 20)

    def test_names_are_the_resolved_ones(self):
        named = 0
        for pcap in CAPTURE_FILES:
            if not os.path.exists(pcap):
                continue
            with self.subTest(capture=os.path.basename(pcap)):
                dns, sni = self.expected_names(pcap)
                for r in self.remotes_csv(pcap):
                    want = dns.get(r["remote"]) or sni.get(r["remote"]) or ""
                    self.assertEqual(r["name"], want, r["remote"])
                    named += bool(want)
        self.assertGreater(named, 20)

    def test_text_csv_and_json_agree(self):
        pcap = os.path.join(CAPTURES, "heartbeats.pcap")
        staged = self.tshark.stage(pcap)
        rows = self.remotes_csv(pcap)
        doc = json.loads(self.tshark.run("-n", "-q", "-r", staged, "-z", "phonehome,remotes.json"))
        self.assertEqual([(r["device"], r["remote"]) for r in rows],
                         [(r["device"], r["remote"]) for r in doc["remotes"]])
        text = self.tshark.run("-n", "-q", "-r", staged, "-z", "phonehome,remotes")
        for r in doc["remotes"]:
            self.assertIn(r["remote"], text)
            self.assertEqual(int(rows[doc["remotes"].index(r)]["packets_out"]), r["packets_out"])
        # Most phone-home-like first: rows with findings before rows without.
        flags = [sum(r["findings"].values()) > 0 for r in doc["remotes"]]
        self.assertEqual(flags, sorted(flags, reverse=True))
        devices = json.loads(self.tshark.run("-n", "-q", "-r", staged, "-z", "phonehome,devices.json"))
        dev_csv = list(csv.DictReader(io.StringIO(
            self.tshark.run("-n", "-q", "-r", staged, "-z", "phonehome,devices.csv"))))
        self.assertEqual([d["device"] for d in devices["devices"]], [d["device"] for d in dev_csv])
        self.assertEqual(sum(d["findings"]["heartbeat"] for d in devices["devices"]),
                         sum(int(d["heartbeat"]) for d in dev_csv))


if __name__ == "__main__":
    unittest.main()
