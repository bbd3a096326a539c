"""Real Kalay and PPPP bytes (../shared/captures/real, read in place): every frame of every
sample decodes as its truth.json says from its `required_from` frame on, with default
preferences; a frame decoded before that must be decoded right; nothing else in the samples,
nor in the real captures without P2P traffic, is claimed.

The samples are what people who took the devices apart printed: PPPP in plaintext, under
published vendor keys (VStarcam, Aqara) and under a key nobody published (Besder, prefix
VSTH: the key is recovered from the traffic), and Kalay from go2rtc's Xiaomi camera.
"""
import glob
import json
import os
import unittest

from tshark_env import REAL_CAPTURES, TsharkTestCase

TRUTH = os.path.join(REAL_CAPTURES, "truth.json")
FIELDS = ("frame.number", "pppp.type", "pppp.uid", "pppp.key", "pppp.key.recovered", "kalay.code")


def load_truth():
    if not os.path.exists(TRUTH):
        raise unittest.SkipTest("no real samples at " + REAL_CAPTURES)
    with open(TRUTH, encoding="utf-8") as f:
        return json.load(f)


class RealSamples(TsharkTestCase):

    def decoded(self, path):
        """frame number -> what tshark read: ("pppp", type, uid, key, recovered) or ("kalay", code)."""
        out = {}
        for row in self.fields(path, *FIELDS):
            row += [""] * (len(FIELDS) - len(row))
            n, ptype, uid, key, recovered, code = row[:6]
            if ptype:
                out[int(n)] = ("pppp", int(ptype, 0), uid, key, recovered == "1")
            elif code:
                out[int(n)] = ("kalay", int(code, 0))
        return out

    def test_every_sample_decodes_as_its_truth_says(self):
        truth = load_truth()
        for name, sample in sorted(truth.items()):
            path = os.path.join(REAL_CAPTURES, name)
            with self.subTest(sample=name):
                self.assertTrue(os.path.exists(path), path)
                got = self.decoded(path)
                expected = {int(n): f for n, f in sample["frames"].items()}
                for n, frame in sorted(expected.items()):
                    required = n >= sample["required_from"]
                    if not required and n not in got:
                        continue
                    self.assertIn(n, got, "frame %d is not decoded" % n)
                    if frame["protocol"] == "pppp":
                        proto, ptype, uid, key, recovered = got[n]
                        self.assertEqual((proto, ptype), ("pppp", frame["type"]), "frame %d" % n)
                        self.assertEqual(uid, frame.get("uid", ""), "frame %d" % n)
                        published = sample.get("key_published")
                        if isinstance(published, str):
                            self.assertEqual(key, published, "frame %d" % n)
                        elif published is False:
                            self.assertTrue(recovered and key.startswith("recovered "), (n, key))
                    else:
                        self.assertEqual(got[n], ("kalay", int(frame["code"], 0)), "frame %d" % n)
                self.assertEqual(set(got) - set(expected), set(), "frames claimed that are not P2P")

    def test_the_unpublished_key_is_recovered_not_guessed(self):
        """The Besder sample's key is none of the published ones: only recovery reads it, so
        its first frame (the LAN search, one datagram) stays opaque and the rest is read."""
        truth = load_truth()
        name = "besder_ve_issue3.pcap"
        self.assertIs(truth[name]["key_published"], False)
        got = self.decoded(os.path.join(REAL_CAPTURES, name))
        self.assertNotIn(1, got)
        self.assertEqual({got[n][3] for n in got}, {"recovered 2c:d4:60:06"})
        # Two passes read the same frames the same way.
        rows = self.fields(os.path.join(REAL_CAPTURES, name), *FIELDS, options=())
        two = self.tshark.run("-2", "-n", "-r", self.tshark.stage(os.path.join(REAL_CAPTURES, name)),
                              "-T", "fields", "-e", "frame.number", "-e", "pppp.type", "-e", "pppp.key")
        self.assertEqual([r[:2] + [r[3]] for r in rows], [line.split("\t") for line in two.splitlines()])

    def test_real_captures_without_p2p_have_no_claim(self):
        truth = load_truth()
        others = [p for p in sorted(glob.glob(os.path.join(REAL_CAPTURES, "*.pcap*")) +
                                    glob.glob(os.path.join(REAL_CAPTURES, "iot-dataset", "*.pcap*")))
                  if os.path.basename(p) not in truth]
        self.assertTrue(others)
        for path in others:
            with self.subTest(capture=os.path.basename(path)):
                out = self.tshark.run("-n", "-r", self.tshark.stage(path), "-Y", "kalay || pppp")
                self.assertEqual(out, "")


if __name__ == "__main__":
    unittest.main()
