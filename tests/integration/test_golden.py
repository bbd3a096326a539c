"""Reviewed expected outputs for the bundled doorbell capture.

The files in expected/ were read and checked by hand against the capture (the
doorbell's bursts, the first sink-only burst, the pinhole from the first burst
after a silence on). To change them on purpose, run with
PHONEHOME_UPDATE_GOLDEN=1, then review `git diff tests/integration/expected`.
"""
import os
import unittest

from tshark_env import CAPTURES, EXPECTED, TsharkTestCase

DOORBELL = os.path.join(CAPTURES, "doorbell.pcap")

FINDING_FIELDS = ["-T", "fields", "-E", "header=y", "-E", "occurrence=a", "-E", "aggregator=,",
                  "-e", "frame.number", "-e", "frame.time_relative", "-e", "phonehome.device",
                  "-e", "phonehome.device_port", "-e", "phonehome.remote", "-e", "phonehome.remote_port",
                  "-e", "phonehome.direction", "-e", "phonehome.pattern", "-e", "phonehome.pinhole.gap",
                  "-e", "phonehome.pinhole.open_for"]


class Golden(TsharkTestCase):

    def compare(self, name, actual):
        path = os.path.join(EXPECTED, name)
        if os.environ.get("PHONEHOME_UPDATE_GOLDEN") == "1":
            with open(path, "w", encoding="utf-8") as f:
                f.write(actual)
        with open(path, encoding="utf-8") as f:
            expected = f.read()
        self.maxDiff = None
        self.assertEqual(actual, expected, "differs from expected/" + name)

    def test_flagged_packets(self):
        out = self.tshark.run("-n", "-r", self.tshark.stage(DOORBELL), "-Y", "phonehome.pattern", *FINDING_FIELDS)
        self.compare("doorbell.findings.tsv", out)

    def test_devices_report(self):
        out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(DOORBELL), "-z", "phonehome,devices")
        self.compare("doorbell.devices.txt", out)

    def test_expert_information(self):
        out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(DOORBELL), "-z", "expert,warn")
        self.compare("doorbell.expert.txt", out)

    def test_expert_infos_are_security_warnings_in_plain_words(self):
        rows = self.fields(DOORBELL, "frame.number", "_ws.expert.group", "_ws.expert.severity",
                           "_ws.expert.message", display_filter="phonehome.sink || phonehome.pinhole")
        self.assertTrue(rows)
        for number, groups, severities, messages in rows:
            self.assertEqual(set(groups.split(",")), {str(0x0a000000)}, number)  # PI_SECURITY
            self.assertEqual(set(severities.split(",")), {str(0x00600000)}, number)  # PI_WARN
            self.assertIn("port 1 of 106.13.0.0", messages, number)
        opened = [m for _, _, _, m in rows if "of silence" in m]
        self.assertTrue(opened, "a pinhole message says how long the silence was")
        self.assertRegex(opened[0], r"sent again after \d+\.\d s of silence, and nothing has ever come back")

    def test_one_pass_two_pass_and_filters_agree(self):
        staged = self.tshark.stage(DOORBELL)
        one = self.tshark.run("-n", "-r", staged, "-Y", "phonehome.pattern", *FINDING_FIELDS)
        two = self.tshark.run("-n", "-2", "-r", staged, "-Y", "phonehome.pattern", *FINDING_FIELDS)
        self.assertEqual(one, two)
        # Without a display filter every frame is dissected once, in order.
        all_frames = self.tshark.run("-n", "-r", staged, *FINDING_FIELDS)
        flagged = [l for l in all_frames.splitlines()[1:] if l.split("\t")[7]]
        self.assertEqual(flagged, one.splitlines()[1:])


if __name__ == "__main__":
    unittest.main()
