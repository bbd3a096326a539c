"""Every preference changes what the plugin reports."""
import os
import subprocess
import sys
import unittest

from tshark_env import CAPTURES, DEVICE, TsharkTestCase

sys.path.insert(0, CAPTURES)
from pcapgen import p2p_pppp as pppp  # noqa: E402

DOORBELL = os.path.join(CAPTURES, "doorbell.pcap")
HEARTBEATS = os.path.join(CAPTURES, "heartbeats.pcap")
PPPP = os.path.join(CAPTURES, "pppp.pcap")
PI_WARN, PI_NOTE = str(0x00600000), str(0x00400000)


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
        rows = self.fields(DOORBELL, "frame.number", DEVICE, display_filter="udp.dstport == 1 && ip.dst == 106.13.0.0",
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


    def severities(self, capture, finding, *options):
        rows = self.fields(capture, "_ws.expert.severity", display_filter="phonehome." + finding, options=options)
        return {sev for (cell,) in rows for sev in cell.split(",")}

    def test_allowlist_downgrades_to_note_without_hiding(self):
        self.assertEqual(self.severities(DOORBELL, "sink"), {PI_WARN})
        for option in ("phonehome.allowlist:106.13.0.0/16",
                       'uat:phonehome_allowlist:"106.13.0.0/16","reviewed: the doorbell vendor"'):
            with self.subTest(option=option):
                self.assertEqual(len(self.flagged("sink", option)), 26)  # still selected
                self.assertEqual(self.severities(DOORBELL, "sink", option), {PI_NOTE})
                self.assertEqual(len(self.flagged("allowed", option)), 26)
        # Another remote on the list changes nothing for this one.
        self.assertEqual(self.severities(DOORBELL, "sink", "phonehome.allowlist:106.12.0.0/16"), {PI_WARN})

    def test_local_networks_table(self):
        self.assertEqual(self.flagged("pattern", 'uat:phonehome_local_networks:"106.13.0.0/16",""'), [])

    def test_p2p_domains(self):
        self.assertEqual(self.fields(HEARTBEATS, "frame.number", display_filter="phonehome.p2p_dns.name contains \"smartplug\""), [])
        for option in ("phonehome.p2p_domains:smartplug-cloud.com", 'uat:phonehome_p2p_domains:"smartplug-cloud.com",""'):
            with self.subTest(option=option):
                rows = self.fields(HEARTBEATS, "frame.number", "phonehome.p2p_dns.name", display_filter="phonehome.p2p_dns",
                                   options=[option])
                names = {r[1] for r in rows}
                self.assertIn("mqtt.smartplug-cloud.com", names)

    def test_pppp_keys(self):
        def claimed(*options):
            return len(self.fields(PPPP, "frame.number", display_filter='pppp.key == "myvendorkey"', options=options))
        self.assertEqual(claimed(), 0)
        self.assertGreater(claimed("pppp.keys:myvendorkey"), 0)
        self.assertEqual(claimed('uat:pppp_keys:"myvendorkey","the vendor app"'), claimed("pppp.keys:myvendorkey"))

    def test_pppp_keys_in_hex(self):
        """The 4 bytes a PSK folds into read the same frames as the PSK itself."""
        seed = pppp.fold_key("myvendorkey")
        colons = ":".join("%02x" % b for b in seed)
        frames = lambda *options: [r[0] for r in self.fields(PPPP, "frame.number", display_filter="pppp.key.seed == " + colons,
                                                            options=options)]
        by_psk = frames("pppp.keys:myvendorkey")
        self.assertTrue(by_psk)
        self.assertEqual({r[0] for r in self.fields(PPPP, "pppp.key", display_filter="pppp.key.seed == " + colons,
                                                    options=["pppp.keys:myvendorkey"])}, {"myvendorkey"})
        for option in ("pppp.keys:0x" + "".join("%02X" % b for b in seed), "pppp.keys:" + colons,
                       'uat:pppp_keys:"%s","the vendor key bytes"' % colons):
            with self.subTest(option=option):
                self.assertEqual(frames(option), by_psk)
                keys = {r[0] for r in self.fields(PPPP, "pppp.key", display_filter="pppp.key.seed == " + colons,
                                                  options=[option])}
                self.assertEqual(keys, {colons})

    def test_heartbeat_thresholds(self):
        def beats(*options):
            return self.fields(HEARTBEATS, "frame.number", "phonehome.heartbeat.period", "phonehome.heartbeat.count",
                               display_filter="phonehome.heartbeat", options=options)
        default = beats()
        periods = {round(float(p)) for _, p, _ in default}
        self.assertTrue(any(28 <= p <= 32 for p in periods))  # MQTT every 30 s
        # A minimum period above 30 s leaves the 30 s pings out.
        longer = beats("phonehome.heartbeat_min_period:40")
        self.assertTrue(longer and all(float(p) >= 40 for _, p, _ in longer))
        # A maximum period below 45 s leaves the 60 s ones out.
        shorter = beats("phonehome.heartbeat_max_period:45")
        self.assertTrue(shorter and all(float(p) <= 45 for _, p, _ in shorter))
        # Five intervals to establish: every series starts at its 6th beat.
        strict = beats("phonehome.heartbeat_intervals:5")
        self.assertTrue(strict)
        self.assertEqual(min(int(c) for _, _, c in strict), 6)
        self.assertEqual(min(int(c) for _, _, c in default), 4)


if __name__ == "__main__":
    unittest.main()
