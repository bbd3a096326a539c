"""The plugin against the generator's ground truth, frame by frame.

The generator (captures/pcapgen) labels every frame it writes with an
independent implementation of the rules (device/remote roles, sink, pinhole)
and counts each local device's packets and bytes. These tests check the
plugin on the bundled captures and on freshly generated variants it was never
tuned on: other addresses, IPv6, source ports, burst sizes and timings,
including silences of exactly 20 s and just under.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

from report_parser import parse_devices_report
from tshark_env import CAPTURES, DEVICE, REMOTE, TsharkTestCase

VARIANT_SEEDS = range(1, 13)


def load_truth(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class GroundTruthCase(TsharkTestCase):

    def options_for(self, truth):
        opts = []
        if truth.get("local_networks"):
            opts.append("phonehome.local_networks:" + truth["local_networks"])
        if truth.get("pppp_keys"):
            opts.append("pppp.keys:" + truth["pppp_keys"])
        return opts

    @staticmethod
    def p2p_of(kalay_code, kalay_uid, pppp_type, pppp_uid, pppp_key):
        if kalay_code:
            return {"platform": "kalay", "code": int(kalay_code, 0), "uid": kalay_uid or None, "key": None}
        if pppp_type:
            return {"platform": "pppp", "code": int(pppp_type, 0), "uid": pppp_uid or None, "key": pppp_key}
        return None

    def check_capture(self, pcap, truth, heartbeat_slack=0.0, ignore_heartbeats=False):
        """Every frame as the truth says. With heartbeat_slack, up to that
        share of the truth's heartbeat frames (at least 2) may differ in the
        heartbeat finding or period alone: a causal detector cannot tell a
        stray packet that lands where a beat is due from the beat, nor always
        estimate a jittery period from its first three intervals to 10 %.
        With ignore_heartbeats, heartbeats are left out of the comparison: the
        doorbell and P2P generators draw their gaps from bounded random
        ranges without planning (or labelling) periodicity, and such gaps are
        indistinguishable from a jittery keepalive."""
        opts = self.options_for(truth)
        if ignore_heartbeats:
            truth = dict(truth)
            truth["frames"] = [dict(f, findings=[k for k in f["findings"] if k != "heartbeat"]) for f in truth["frames"]]
        rows = self.fields(pcap, "frame.number", DEVICE, REMOTE, "phonehome.pattern",
                           "kalay.code", "kalay.uid", "pppp.type", "pppp.uid", "pppp.key", "phonehome.remote_name",
                           "phonehome.heartbeat.period", options=opts)
        self.assertEqual(len(rows), len(truth["frames"]), "frame count")
        mismatches, heartbeat_only, period_only = [], [], []
        for row, want in zip(rows, truth["frames"]):
            number, device, remote, patterns, k_code, k_uid, p_type, p_uid, p_key, name, period = (row + [""] * 11)[:11]
            got = {"n": int(number), "device": device or None, "remote": remote or None,
                   "findings": sorted(p for p in patterns.split(",") if p)}
            if "p2p" in want:
                got["p2p"] = self.p2p_of(k_code, k_uid, p_type, p_uid, p_key)
            if "remote_name" in want:
                got["remote_name"] = name or None
            if ignore_heartbeats:
                got["findings"] = [f for f in got["findings"] if f != "heartbeat"]
                want.pop("heartbeat", None)
            elif "heartbeat" in want:
                # Each beat's period estimate rests on the intervals so far
                # (as few as three, as jittery as the device makes them):
                # within 10 % of the true period per beat; the remotes report
                # holds the settled estimate to 5 % (check_report_periods).
                true = want["heartbeat"]
                if period and true and abs(float(period) - true["period"]) <= 0.10 * true["period"]:
                    got["heartbeat"] = true
                else:
                    got["heartbeat"] = {"period": float(period)} if period else None
            if got != want:
                strip = lambda d: {k: v for k, v in d.items() if k != "heartbeat"} | {
                    "findings": [f for f in d["findings"] if f != "heartbeat"]}
                if heartbeat_slack and strip(got) == strip(want):
                    if ("heartbeat" in got["findings"]) != ("heartbeat" in want["findings"]):
                        heartbeat_only.append(int(number))
                    else:
                        period_only.append(int(number))
                else:
                    mismatches.append("frame %s: got %s, want %s" % (number, got, want))
        self.assertFalse(mismatches, "%s: %d frames differ, the first:\n%s" % (
            os.path.basename(pcap), len(mismatches), "\n".join(mismatches[:8])))
        beats = sum(1 for f in truth["frames"] if "heartbeat" in f["findings"])
        self.assertLessEqual(len(heartbeat_only) + len(period_only), max(2, int(heartbeat_slack * beats)),
                             "%s: heartbeat differs on frames %s, period on %s" % (
                                 os.path.basename(pcap), heartbeat_only, period_only))

        # The expert infos select exactly the same frames as the patterns.
        kinds = {k for f in truth["frames"] for k in f["findings"]} | {"sink", "pinhole"}
        if ignore_heartbeats:
            kinds.discard("heartbeat")
        for finding in sorted(kinds):
            want = {f["n"] for f in truth["frames"] if finding in f["findings"]}
            got = {int(r[0]) for r in self.fields(pcap, "frame.number", display_filter="phonehome." + finding,
                                                  options=opts)}
            if finding == "heartbeat":
                got ^= set(heartbeat_only)
            self.assertEqual(got, want, "-Y phonehome.%s on %s" % (finding, os.path.basename(pcap)))

        args = ["-n", "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome,devices.full"]
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
            if "p2p_platforms" in want:
                self.assertEqual(got["P2P"], ",".join(want["p2p_platforms"]) or "-", addr)
                self.assertEqual(got["UIDs"], ",".join(want["uids"]) or "-", addr)
                self.assertEqual(int(got["P2P servers"]), want["p2p_servers"], addr)
                self.assertEqual(int(got["P2P peers"]), want["p2p_peers"], addr)
                self.assertEqual(int(got["P2P /16s"]), want["p2p_prefixes"], addr)
        # Findings are counted for the device they belong to.
        for finding in sorted(kinds):
            total = sum(int(r[finding]) for r in report.values())
            want = sum(1 for f in truth["frames"] if finding in f["findings"])
            if finding == "heartbeat":
                self.assertLessEqual(abs(total - want), len(heartbeat_only), finding)
            else:
                self.assertEqual(total, want, finding)


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

    def test_kalay_camera(self):
        truth = load_truth(os.path.join(CAPTURES, "kalay.truth.json"))
        kinds = {k for f in truth["frames"] for k in f["findings"]}
        self.assertTrue({"p2p", "p2p_lan", "p2p_dns"} <= kinds)
        self.check_capture(os.path.join(CAPTURES, "kalay.pcap"), truth)

    def test_pppp_camera(self):
        truth = load_truth(os.path.join(CAPTURES, "pppp.truth.json"))
        keys = {f["p2p"]["key"] for f in truth["frames"] if f.get("p2p")}
        self.assertTrue({"", "camera", "SHIX", "SSD@cs2-network.", "vstarcam2019", "myvendorkey"} <= keys)
        self.check_capture(os.path.join(CAPTURES, "pppp.pcap"), truth)

    def test_heartbeats_dead_clouds_and_names(self):
        truth = load_truth(os.path.join(CAPTURES, "heartbeats.truth.json"))
        kinds = {k for f in truth["frames"] for k in f["findings"]}
        self.assertTrue({"heartbeat", "dead_cloud"} <= kinds)
        self.check_capture(os.path.join(CAPTURES, "heartbeats.pcap"), truth)

    def test_heartbeat_negatives(self):
        truth = load_truth(os.path.join(CAPTURES, "heartbeat_negatives.truth.json"))
        self.assertFalse(any(f["findings"] for f in truth["frames"]))
        self.check_capture(os.path.join(CAPTURES, "heartbeat_negatives.pcap"), truth)

    def test_p2p_negatives_are_not_claimed(self):
        truth = load_truth(os.path.join(CAPTURES, "p2p_negatives.truth.json"))
        self.assertFalse(any(f["findings"] or f.get("p2p") for f in truth["frames"]))
        self.check_capture(os.path.join(CAPTURES, "p2p_negatives.pcap"), truth)
        claimed = self.tshark.run("-n", "-r", self.tshark.stage(os.path.join(CAPTURES, "p2p_negatives.pcap")),
                                  "-Y", "kalay || pppp")
        self.assertEqual(claimed, "")


class GeneratedVariants(GroundTruthCase):
    """Doorbell captures the plugin was not tuned on, one per seed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.variants = tempfile.mkdtemp(prefix="phonehome-variants-")
        cls.addClassCleanup(lambda: subprocess.run(["rm", "-rf", cls.variants]))

    def generate(self, seed, scenario="doorbell_variant"):
        out = os.path.join(self.variants, "%s_%d.pcap" % (scenario, seed))
        truth = os.path.join(self.variants, "%s_%d.truth.json" % (scenario, seed))
        subprocess.run([sys.executable, os.path.join(CAPTURES, "generate.py"), scenario,
                        "--seed", str(seed), "--out", out, "--truth", truth], check=True, capture_output=True)
        return out, load_truth(truth)

    def test_variants(self):
        families = set()
        for seed in VARIANT_SEEDS:
            with self.subTest(seed=seed):
                pcap, truth = self.generate(seed)
                families.update(":" in (f["device"] or "") for f in truth["frames"] if f["device"])
                self.check_capture(pcap, truth, ignore_heartbeats=True)
        self.assertEqual(families, {True, False}, "the variants cover IPv4 and IPv6 devices")

    def test_heartbeat_variants(self):
        for seed in VARIANT_SEEDS:
            with self.subTest(seed=seed):
                pcap, truth = self.generate(seed, "heartbeat_variant")
                self.check_capture(pcap, truth, heartbeat_slack=0.01)
                self.check_report_periods(pcap, truth)

    def check_report_periods(self, pcap, truth):
        """The remotes report's heartbeat period (the settled estimate, over
        the series' last 16 intervals) of every remote with a planned series
        is within 5 % of the planned mean period."""
        args = ["-n", "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome,remotes.csv"]
        for o in self.options_for(truth):
            args += ["-o", o]
        out = self.tshark.run(*args)
        rows = {(r["device"], r["remote"]): r for r in csv.DictReader(io.StringIO(out[out.index("device,remote,"):]))}
        planned = {}
        for f in truth["frames"]:
            if f.get("heartbeat"):
                planned.setdefault((f["device"], f["remote"]), set()).add(f["heartbeat"]["period"])
        self.assertGreaterEqual(len(planned), 4)
        for key, periods in planned.items():
            self.assertEqual(len(periods), 1, key)
            (want,) = periods
            got = rows[key]["heartbeat_period"]
            self.assertTrue(got, key)
            self.assertLessEqual(abs(float(got) - want), 0.05 * want, key)

    def test_p2p_variants(self):
        platforms, keys = set(), set()
        for seed in VARIANT_SEEDS:
            with self.subTest(seed=seed):
                pcap, truth = self.generate(seed, "p2p_variant")
                platforms.update(f["p2p"]["platform"] for f in truth["frames"] if f.get("p2p"))
                keys.update(f["p2p"]["key"] for f in truth["frames"] if f.get("p2p") and f["p2p"]["key"])
                self.check_capture(pcap, truth, ignore_heartbeats=True)
        self.assertEqual(platforms, {"kalay", "pppp"})
        self.assertGreater(len(keys), 2)


if __name__ == "__main__":
    unittest.main()
