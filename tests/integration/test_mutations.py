"""Mutation campaign: every bundled and public capture, its packet bytes
mutated by `editcap -E` with several seeds and protected header lengths, goes
through tshark with the plugin and the full tree (-V), with
WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 (set by tshark_env): zero crashes, zero
dissector bugs, nothing on stderr. Set PHONEHOME_MUTATION_SEEDS for a longer
campaign (default 2 seeds per capture and protection)."""
import glob
import os
import subprocess
import unittest

from tshark_env import CAPTURES, PUBLIC_CAPTURES, TsharkTestCase

SEEDS = range(1, 1 + int(os.environ.get("PHONEHOME_MUTATION_SEEDS", "2")))
PROTECT = (0, 14, 42)  # nothing; Ethernet; Ethernet + IPv4 + UDP
ERROR_RATE = "0.02"


def captures():
    return sorted(glob.glob(os.path.join(CAPTURES, "*.pcap")) + glob.glob(os.path.join(PUBLIC_CAPTURES, "*.pcap*")))


class MutationCampaign(TsharkTestCase):

    def test_mutated_captures_never_crash(self):
        runs = 0
        for capture in captures():
            staged = self.tshark.stage(capture)
            for protect in PROTECT:
                for seed in SEEDS:
                    mutated = self.tshark.scratch("mut_%d_%d_%s" % (protect, seed, os.path.basename(capture)))
                    subprocess.run(["editcap", "-E", ERROR_RATE, "-o", str(protect), "--seed", str(seed), staged,
                                    mutated], check=True, capture_output=True)
                    os.chmod(mutated, 0o644)
                    with self.subTest(capture=os.path.basename(capture), protect=protect, seed=seed):
                        out = self.tshark.run("-n", "-V", "-r", mutated, "-o", "pppp.keys:myvendorkey")
                        self.assertIn("Frame 1:", out)
                        report = self.tshark.run("-n", "-q", "-r", mutated, "-z", "phonehome,devices",
                                                 "-z", "phonehome,remotes.json")
                        self.assertIn("phonehome devices", report)
                    os.remove(mutated)
                    runs += 1
        self.assertGreater(runs, 30)


if __name__ == "__main__":
    unittest.main()
