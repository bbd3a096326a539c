"""The plugin against the generator's ground truth, frame by frame.

The generator (captures/pcapgen) labels every frame it writes with an
independent implementation of the rules (device/remote roles, sink, pinhole)
and counts each local device's packets and bytes. These tests check the
plugin on the bundled captures and on freshly generated variants it was never
tuned on: other addresses, IPv6, source ports, burst sizes and timings,
including silences of exactly 20 s and just under.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from report_parser import parse_devices_report
from tshark_env import CAPTURES, TsharkTestCase

VARIANT_SEEDS = range(1, 13)


def load_truth(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class GroundTruthCase(TsharkTestCase):

    def options_for(self, truth):
        opts = []
        if truth.get("local_networks"):
            opts.append("phonehome.local_networks:" + truth["local_networks"])
        return opts

    def check_capture(self, pcap, truth):
        opts = self.options_for(truth)
        rows = self.fields(pcap, "frame.number", "phonehome.device", "phonehome.remote", "phonehome.pattern",
                           options=opts)
        self.assertEqual(len(rows), len(truth["frames"]), "frame count")
        mismatches = []
        for row, want in zip(rows, truth["frames"]):
            number, device, remote, patterns = (row + ["", "", "", ""])[:4]
            got = {"n": int(number), "device": device or None, "remote": remote or None,
                   "findings": sorted(p for p in patterns.split(",") if p)}
            if got != want:
                mismatches.append("frame %s: got %s, want %s" % (number, got, want))
        self.assertFalse(mismatches, "%s: %d frames differ:\n%s" % (
            os.path.basename(pcap), len(mismatches), "\n".join(mismatches[:20])))

        # The expert infos select exactly the same frames as the patterns.
        for finding in ("sink", "pinhole"):
            want = [f["n"] for f in truth["frames"] if finding in f["findings"]]
            got = [int(r[0]) for r in self.fields(pcap, "frame.number", display_filter="phonehome." + finding,
                                                  options=opts)]
            self.assertEqual(got, want, "-Y phonehome.%s on %s" % (finding, os.path.basename(pcap)))

        args = ["-n", "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome,devices"]
        for o in opts:
            args += ["-o", o]
        report = parse_devices_report(self.tshark.run(*args))
        self.assertEqual(sorted(report), sorted(truth["devices"]), "devices listed")
        for addr, want in truth["devices"].items():
            got = report[addr]
            self.assertEqual(int(got["Packets"]), want["packets"], addr)
            self.assertEqual(int(got["Bytes"]), want["bytes"], addr)
            self.assertEqual(got["MAC"], want["mac"] or "-", addr)
            self.assertEqual(int(got["Remote hosts"]), want["remote_hosts"], addr)
            self.assertAlmostEqual(float(got["First seen (s)"]), want["first"], places=3)
            self.assertAlmostEqual(float(got["Last seen (s)"]), want["last"], places=3)
            for finding in ("sink", "pinhole"):
                n = sum(1 for f in truth["frames"] if f["device"] == addr and finding in f["findings"])
                self.assertEqual(int(got[finding]), n, "%s %s" % (addr, finding))


class BundledCaptures(GroundTruthCase):

    def test_doorbell(self):
        truth = load_truth(os.path.join(CAPTURES, "doorbell.truth.json"))
        kinds = {k for f in truth["frames"] for k in f["findings"]}
        self.assertEqual(kinds, {"sink", "pinhole"}, "the bundled doorbell shows both findings")
        self.check_capture(os.path.join(CAPTURES, "doorbell.pcap"), truth)

    def test_ordinary_traffic_has_no_finding(self):
        truth = load_truth(os.path.join(CAPTURES, "ordinary.truth.json"))
        self.assertFalse(any(f["findings"] for f in truth["frames"]))
        self.check_capture(os.path.join(CAPTURES, "ordinary.pcap"), truth)


class GeneratedVariants(GroundTruthCase):
    """Doorbell captures the plugin was not tuned on, one per seed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.variants = tempfile.mkdtemp(prefix="phonehome-variants-")
        cls.addClassCleanup(lambda: subprocess.run(["rm", "-rf", cls.variants]))

    def generate(self, seed):
        out = os.path.join(self.variants, "variant_%d.pcap" % seed)
        truth = os.path.join(self.variants, "variant_%d.truth.json" % seed)
        subprocess.run([sys.executable, os.path.join(CAPTURES, "generate.py"), "doorbell_variant",
                        "--seed", str(seed), "--out", out, "--truth", truth], check=True, capture_output=True)
        return out, load_truth(truth)

    def test_variants(self):
        families = set()
        for seed in VARIANT_SEEDS:
            with self.subTest(seed=seed):
                pcap, truth = self.generate(seed)
                families.update(":" in (f["device"] or "") for f in truth["frames"] if f["device"])
                self.check_capture(pcap, truth)
        self.assertEqual(families, {True, False}, "the variants cover IPv4 and IPv6 devices")


if __name__ == "__main__":
    unittest.main()
