"""Every preference changes what the plugin reports."""
import os
import subprocess
import unittest

from tshark_env import CAPTURES, TsharkTestCase

DOORBELL = os.path.join(CAPTURES, "doorbell.pcap")


class Preferences(TsharkTestCase):

    def flagged(self, finding, *options):
        return [int(r[0]) for r in self.fields(DOORBELL, "frame.number", display_filter="phonehome." + finding,
                                               options=options)]

    def test_defaults(self):
        self.assertEqual(len(self.flagged("sink")), 26)
        self.assertEqual(self.flagged("pinhole")[0], 10)  # the burst after a 63.7 s silence

    def test_sink_ports(self):
        self.assertEqual(self.flagged("sink", "phonehome.sink_ports:2-3"), [])
        self.assertEqual(len(self.flagged("sink", "phonehome.sink_ports:1,5000-5010")), 26)

    def test_pinhole_silence(self):
        pinholes = self.flagged("pinhole", "phonehome.pinhole_silence:100")
        self.assertEqual(pinholes[0], 14)  # 63.7 s is no longer a silence; 412 s is
        self.assertEqual(len(pinholes), 22)

    def test_local_networks(self):
        # Declaring the doorbell's remote local turns its traffic into LAN traffic.
        rows = self.fields(DOORBELL, "frame.number", "phonehome.device", display_filter="udp.dstport == 1 && ip.dst == 106.13.0.0",
                           options=["phonehome.local_networks:106.13.0.0/16"])
        self.assertEqual(len(rows), 26)
        self.assertTrue(all(device == "" for _, device in rows))
        self.assertEqual(self.flagged("pattern", "phonehome.local_networks:106.13.0.0/16"), [])

    def test_malformed_local_networks_are_reported(self):
        args = ["-n", "-r", self.tshark.stage(DOORBELL), "-o", "phonehome.local_networks:10.0.0.0/33",
                "-Y", "phonehome.sink"]
        proc = subprocess.run(self.tshark.command(args), capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0)
        self.assertIn("10.0.0.0/33", proc.stderr)
        self.assertEqual(len(proc.stdout.splitlines()), 26)  # the built-in rules still apply


if __name__ == "__main__":
    unittest.main()
