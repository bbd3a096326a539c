"""Scenario-level checks: determinism, bundled files up to date, variant edge cases present."""
import hashlib
import os
import unittest

from _util import CAPTURES
from pcapgen import truth
from pcapgen.decode import decode
from pcapgen.pcap_writer import pcap_bytes
from pcapgen.scenarios import bundled, registry


def digest(scenario, seed):
    sc = registry()[scenario](seed)
    return hashlib.sha256(pcap_bytes(sc.frames)).hexdigest(), sc


class Scenarios(unittest.TestCase):
    def test_deterministic(self):
        for name in ("doorbell_variant", "negatives"):
            self.assertEqual(digest(name, 11)[0], digest(name, 11)[0])
        self.assertNotEqual(digest("doorbell_variant", 11)[0], digest("doorbell_variant", 12)[0])

    def test_bundled_files_are_up_to_date(self):
        for scenario, stem, seed in bundled():
            path = os.path.join(CAPTURES, stem + ".pcap")
            if not os.path.exists(path):
                self.skipTest("bundled captures not generated")
            sc = registry()[scenario](seed)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), pcap_bytes(sc.frames), "%s: run captures/generate.py" % path)
            with open(os.path.join(CAPTURES, stem + ".truth.json"), encoding="utf-8") as f:
                want = truth.dumps(truth.compute_scenario(sc, stem + ".pcap"))
                self.assertEqual(f.read(), want)

    def test_doorbell(self):
        sc = registry()["doorbell"](5)
        t = truth.compute(sc.frames, sc.local_networks)
        self.assertLess(len(sc.frames), 3000)
        bell = [f for f in t["frames"] if f["device"] == "192.168.1.20"]
        self.assertTrue(bell and all("sink" in f["findings"] for f in bell))
        self.assertTrue(any("pinhole" in f["findings"] for f in bell))
        others = [f for f in t["frames"] if f["device"] != "192.168.1.20" and f["findings"]]
        self.assertEqual(others, [])
        self.assertGreater(sc.frames[-1][0] - sc.frames[0][0], 3 * 3600 * 10 ** 6 - 1)

    def test_negatives_have_no_findings(self):
        sc = registry()["negatives"](7)
        t = truth.compute(sc.frames, sc.local_networks)
        self.assertFalse(any(f["findings"] for f in t["frames"]))

    def test_variant_edges(self):
        for seed in range(1, 9):
            sc = registry()["doorbell_variant"](seed)
            t = truth.compute(sc.frames, sc.local_networks)
            last, seen_below, seen_at, cleared, flagged = {}, False, False, False, set()
            for (ts, raw), f in zip(sc.frames, t["frames"]):
                d = decode(raw)
                if d.proto != 17 or f["device"] is None or str(d.ip_src) != f["device"]:
                    continue
                key = (d.ip_src, d.sport, d.ip_dst, d.dport)
                if key in last and ts - last[key] == 19_999_999 and "pinhole" not in f["findings"]:
                    seen_below = True
                if key in last and ts - last[key] == 20_000_000 and "pinhole" in f["findings"]:
                    seen_at = True
                if "pinhole" in f["findings"]:
                    flagged.add(key)
                elif key in flagged:
                    cleared = True  # flagged earlier, then a reply came back
                last[key] = ts
            kinds = {tuple(f["findings"]) for f in t["frames"]}
            self.assertTrue(seen_below and seen_at, "seed %d lacks the 20 s edges" % seed)
            self.assertTrue(cleared, "seed %d lacks a flagged-then-answered 4-tuple" % seed)
            self.assertTrue({("pinhole",), ("sink",), ("pinhole", "sink")} <= kinds, seed)


if __name__ == "__main__":
    unittest.main()
