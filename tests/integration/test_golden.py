"""Reviewed expected outputs for the bundled doorbell capture.

The files in expected/ were read and checked by hand against the capture (the
doorbell's bursts, the first sink-only burst, the pinhole from the first burst
after a silence on). To change them on purpose, run with
PHONEHOME_UPDATE_GOLDEN=1, then review `git diff tests/integration/expected`.
"""
import os
import struct
import unittest

from tshark_env import CAPTURES, EXPECTED, TsharkTestCase

DOORBELL = os.path.join(CAPTURES, "doorbell.pcap")


def with_local_macs(src, dst):
    """A copy of a classic Ethernet pcap whose unicast MACs are made locally
    administered (the 0x02 bit of the first octet): no vendor then, so the
    reports' golden files do not hold the manufacturer data of one Wireshark
    series (vendor names differ between series; tests/integration/test_identity.py
    checks the vendors against tshark's own)."""
    with open(src, "rb") as f:
        data = bytearray(f.read())
    magic = struct.unpack_from("<I", data, 0)[0]
    assert magic == 0xa1b2c3d4 and struct.unpack_from("<I", data, 20)[0] == 1, "a little-endian Ethernet pcap"
    at = 24
    while at + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, at + 8)[0]
        frame = at + 16
        for mac in (frame, frame + 6):
            if caplen >= 12 and not data[mac] & 0x01:
                data[mac] |= 0x02
        at = frame + caplen
    with open(dst, "wb") as f:
        f.write(data)
    return dst

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

    def doorbell_without_vendors(self):
        return with_local_macs(DOORBELL, self.tshark.scratch("doorbell.pcap"))

    def test_devices_report(self):
        out = self.tshark.run("-n", "-q", "-r", self.doorbell_without_vendors(), "-z", "phonehome,devices")
        self.compare("doorbell.devices.txt", out)

    def test_devices_report_all_columns(self):
        out = self.tshark.run("-n", "-q", "-r", self.doorbell_without_vendors(), "-z", "phonehome,devices.full")
        self.compare("doorbell.devices_full.txt", out)

    def test_remotes_report_in_utc(self):
        out = self.tshark.run("-n", "-q", "-t", "ud", "-r", self.doorbell_without_vendors(), "-z", "phonehome,remotes")
        self.compare("doorbell.remotes.txt", out)

    def test_expert_information(self):
        out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(DOORBELL), "-z", "expert,warn")
        self.compare("doorbell.expert.txt", out)

    def test_expert_infos_are_security_warnings_with_one_summary_per_finding(self):
        rows = self.fields(DOORBELL, "frame.number", "_ws.expert.group", "_ws.expert.severity",
                           "_ws.expert.message", "phonehome.pinhole.gap", "phonehome.remote",
                           display_filter="phonehome.sink || phonehome.pinhole")
        self.assertTrue(rows)
        summaries = set()
        for number, groups, severities, messages, gap, remote in rows:
            self.assertEqual(set(groups.split(",")), {str(0x0a000000)}, number)  # PI_SECURITY
            self.assertEqual(set(severities.split(",")), {str(0x00600000)}, number)  # PI_WARN
            self.assertEqual(remote, "106.13.0.0", number)  # the packet's numbers are fields
            summaries.update(m for m in messages.split(",") if m)
        # One fixed text per finding (the messages hold commas: compare whole
        # ones), whatever the packet: Expert Information groups them in a row each.
        self.assertEqual(len({m for m in summaries if m.startswith("UDP datagram or TCP SYN")}), 1)
        self.assertTrue(any(m.startswith("One-way UDP resent after a silence") for m in summaries), summaries)
        gaps = [float(r[4]) for r in rows if r[4]]
        self.assertTrue(gaps and max(gaps) > 20, "the silence before a pinhole datagram is in phonehome.pinhole.gap")

    def test_expert_column_of_the_packet_list(self):
        # The packet list has no tree; the plugin skips expert infos only
        # where nothing can show them (plugin/expert_gate.cpp). With an Expert
        # column every flagged packet shows its severity, as with the tree.
        staged = self.tshark.stage(DOORBELL)
        columns = 'gui.column.format:"No.","%m","Expert","%a","Info","%i"'
        # Only the number's padding is stripped: on 4.4 some packets have an
        # empty Info column, and the line ends in the separators.
        listing = [l.lstrip(" ").split("\t", 2) for l in
                   self.tshark.run("-n", "-r", staged, "-T", "tabs", "-o", columns).splitlines()]
        flagged = {number: expert for number, expert, info in listing if "[phonehome: " in info}
        with_tree = {r[0] for r in self.fields(DOORBELL, "frame.number", display_filter="phonehome.pattern")}
        self.assertGreater(len(flagged), 10)
        self.assertEqual(set(flagged), with_tree)
        # phonehome's findings are warnings (no allow-listed remote here).
        self.assertEqual(set(flagged.values()), {"Warning"}, flagged)

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
