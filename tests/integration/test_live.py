"""Live-style reading: tshark reading a capture from a pipe, one pass in
capture order as in a live capture, gives the same findings and report as
reading the file."""
import os
import subprocess
import unittest

from tshark_env import CAPTURES, TsharkTestCase

FIELDS = ["-T", "fields", "-e", "frame.number", "-e", "phonehome.device", "-e", "phonehome.device6",
          "-e", "phonehome.remote", "-e", "phonehome.remote6",
          "-e", "phonehome.pattern", "-E", "occurrence=a", "-E", "aggregator=,"]


class LiveStyle(TsharkTestCase):

    def pipe(self, capture, *args):
        with open(capture, "rb") as f:
            data = f.read()
        proc = subprocess.run(self.tshark.command(["-n", "-l", "-r", "-"] + list(args)), input=data,
                              capture_output=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr.decode().strip(), "")
        return proc.stdout.decode()

    def test_pipe_equals_file(self):
        for name in ("doorbell.pcap", "kalay.pcap", "heartbeats.pcap"):
            with self.subTest(capture=name):
                path = os.path.join(CAPTURES, name)
                from_file = self.tshark.run("-n", "-r", self.tshark.stage(path), *FIELDS)
                self.assertEqual(self.pipe(path, *FIELDS), from_file)
                patterns = {p for line in from_file.splitlines() for p in line.split("\t")[3].split(",") if p}
                self.assertTrue(patterns, "the capture has findings to compare")
                report = self.tshark.run("-n", "-q", "-r", self.tshark.stage(path), "-z", "phonehome,devices")
                piped = self.pipe(path, "-q", "-z", "phonehome,devices")
                # The same but for the name of the source.
                self.assertIn("Capture: standard input, ", piped)
                self.assertEqual(piped.replace("Capture: standard input, ", "Capture: %s, " % name), report)

    def test_a_live_capture_filter_style_subset(self):
        # What a capture filter "not broadcast and not multicast" keeps: the
        # same verdicts for the packets that remain.
        path = os.path.join(CAPTURES, "doorbell.pcap")
        filtered = self.tshark.scratch("unicast.pcap")
        self.tshark.run("-r", self.tshark.stage(path), "-Y", "!(eth.dst.ig == 1)", "-w", filtered)
        flagged = self.tshark.run("-n", "-r", filtered, "-Y", "phonehome.sink", "-T", "fields", "-e", "udp.dstport")
        self.assertEqual(flagged.split(), ["1"] * 26)


if __name__ == "__main__":
    unittest.main()
