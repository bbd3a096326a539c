"""What a person reads: expert infos grouped one row per finding, reports that
fit a terminal with a verdict per device, times that follow tshark's -t, and
JSON that says where its rows come from.
"""
import datetime
import glob
import json
import os
import re
import unittest

from tshark_env import CAPTURES, PUBLIC_CAPTURES, TsharkTestCase

OUR_PROTOCOLS = ("phonehome", "kalay", "pppp")


def all_captures():
    return sorted(glob.glob(os.path.join(CAPTURES, "*.pcap")) + glob.glob(os.path.join(PUBLIC_CAPTURES, "*.pcap*")))


def expert_rows(text):
    """(severity, protocol, summary) of every row of `tshark -z expert`."""
    rows, severity = [], None
    for line in text.splitlines():
        m = re.match(r"^(Errors|Warns|Notes|Chats|Comments) \(\d+\)$", line)
        if m:
            severity = m.group(1)
            continue
        m = re.match(r"^\s+(\d+)\s+(\S+)\s+(\S+)  (.*)$", line)
        if m and severity:
            rows.append((severity, m.group(3), m.group(4)))
    return rows


class ReportText(TsharkTestCase):

    def test_expert_information_has_one_row_per_finding_kind(self):
        summaries = {}
        for pcap in all_captures():
            out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(pcap), "-z", "expert")
            for severity, protocol, summary in expert_rows(out):
                if protocol.lower() in OUR_PROTOCOLS:
                    summaries.setdefault((protocol.lower(), severity), set()).add(summary)
        self.assertIn(("phonehome", "Warns"), summaries)
        every = set().union(*summaries.values())
        self.assertLessEqual(len(every), 24, sorted(every))
        for summary in every:
            self.assertLess(len(summary), 240, summary)
        # The phonehome rows: one fixed summary per finding kind and severity
        # (7 findings at Warning or Note, allowlisted ones at Note).
        self.assertLessEqual(len(summaries[("phonehome", "Warns")]), 6)
        for summary in every:
            self.assertNotRegex(summary, r"\d+\.\d+ s|\d+\.\d+\.\d+\.\d+", "a packet's numbers belong in fields")

    def test_reports_fit_160_columns(self):
        widths = {}
        for pcap in all_captures():
            for report in ("phonehome,devices", "phonehome,remotes"):
                out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(pcap), "-z", report)
                widths[(os.path.basename(pcap), report)] = max(len(line) for line in out.splitlines())
        self.assertLessEqual(max(widths.values()), 160, widths)
        within_120 = sum(1 for w in widths.values() if w <= 120)
        self.assertGreaterEqual(within_120, len(widths) * 3 // 4, widths)

    def test_devices_report_gives_identity_and_a_verdict(self):
        out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(os.path.join(CAPTURES, "doorbell.pcap")),
                              "-z", "phonehome,devices")
        lines = out.splitlines()
        row = next(i for i, l in enumerate(lines) if l.startswith("192.168.1.20 "))
        self.assertIn("Axis Communications", lines[row])
        self.assertIn("sink 26, pinhole 23", lines[row])
        verdict = " ".join(l.strip() for l in lines[row + 1:row + 3])
        self.assertRegex(verdict, r"^-> sends 172-byte UDP to port 1 of 106\.13\.0\.0 in 9 bursts minutes to hours "
                                  r"apart, never answered: keeps a NAT mapping open")
        self.assertIn("-z phonehome,devices.full", out)

    def test_times_follow_tshark_t(self):
        doorbell = self.tshark.stage(os.path.join(CAPTURES, "doorbell.pcap"))
        first = float(self.tshark.run("-n", "-r", doorbell, "-c", "1", "-T", "fields", "-e", "frame.time_epoch"))
        start = datetime.datetime.fromtimestamp(first, datetime.timezone.utc)
        relative = self.tshark.run("-n", "-q", "-r", doorbell, "-z", "phonehome,devices")
        self.assertIn("First seen (s)", relative)
        self.assertRegex(relative, r"192\.168\.1\.20 .* 41\.000 ")
        utc = self.tshark.run("-n", "-q", "-t", "ud", "-r", doorbell, "-z", "phonehome,devices")
        self.assertIn("First seen (UTC)", utc)
        seen = (start + datetime.timedelta(seconds=41)).strftime("%Y-%m-%d %H:%M:%S")
        self.assertRegex(utc, r"192\.168\.1\.20 .* %s " % re.escape(seen))
        self.assertIn("Capture: doorbell.pcap, %s" % start.strftime("%Y-%m-%d %H:%M:%S"), utc)
        local_time = self.tshark.run("-n", "-q", "-t", "a", "-r", doorbell, "-z", "phonehome,remotes")
        self.assertRegex(local_time, r"106\.13\.0\.0 .* \d\d:\d\d:\d\d ")  # TZ=UTC in the tests

    def test_json_says_which_capture_filters_and_versions(self):
        doorbell = self.tshark.stage(os.path.join(CAPTURES, "doorbell.pcap"))
        first = float(self.tshark.run("-n", "-r", doorbell, "-c", "1", "-T", "fields", "-e", "frame.time_epoch"))
        for report, rows_key in (("phonehome,devices.json,udp", "devices"), ("phonehome,remotes.json,udp", "remotes")):
            doc = json.loads(self.tshark.run("-n", "-q", "-r", doorbell, "-z", report))
            capture = doc["capture"]
            self.assertEqual(capture["file"], doorbell)
            self.assertEqual(capture["filter"], "udp")
            self.assertAlmostEqual(capture["start_epoch"], first, places=5)
            start = datetime.datetime.fromtimestamp(first, datetime.timezone.utc)
            self.assertEqual(capture["start_utc"], start.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
            self.assertGreater(capture["end_epoch"], capture["start_epoch"])
            self.assertRegex(capture["plugin_version"], r"^\d+\.\d+\.\d+$")
            self.assertRegex(capture["wireshark_version"], r"^\d+\.\d+\.\d+")
            for row in doc[rows_key]:
                seen = datetime.datetime.strptime(row["first_seen_utc"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                    tzinfo=datetime.timezone.utc)
                self.assertAlmostEqual((seen - start).total_seconds(), row["first_seen"], places=5)


if __name__ == "__main__":
    unittest.main()
