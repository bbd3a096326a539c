"""PPPP cameras under keys nobody published (captures/generate.py pppp_recovery): every camera
has a fresh random key; its server logins, peer punching, data and keepalives are read from
the traffic itself. Every PPPP datagram from the 4th of each camera/remote pair on must be
claimed with the right type, UID and key; whatever is claimed earlier must be right too; no
look-alike on the PPPP ports (random datagrams of PPPP lengths, one-datagram flows, F1 with a
wrong length) may be claimed. One-pass and two-pass tshark must agree.
"""
import os
import sys
import tempfile
import unittest

from tshark_env import CAPTURES, TsharkTestCase

sys.path.insert(0, CAPTURES)
from pcapgen import truth as truth_mod  # noqa: E402
from pcapgen.pcap_writer import write_pcap  # noqa: E402
from pcapgen.scenarios import registry  # noqa: E402

SEEDS = (1, 2, 3, 4)
FIELDS = ("frame.number", "pppp.type", "pppp.uid", "pppp.key")


class KeysNobodyPublished(TsharkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.captures = []
        for seed in SEEDS:
            sc = registry()["pppp_recovery"](seed)
            path = os.path.join(cls.tmp.name, "pppp_recovery_seed%d.pcap" % seed)
            write_pcap(path, sc.frames)
            cls.captures.append((path, truth_mod.compute_scenario(sc, os.path.basename(path))))

    def claimed(self, path, two_pass=False):
        args = ["-n", "-r", self.tshark.stage(path), "-T", "fields"]
        for f in FIELDS:
            args += ["-e", f]
        out = self.tshark.run(*(["-2"] if two_pass else []), *args)
        got = {}
        for line in out.splitlines():
            n, ptype, uid, key = (line.split("\t") + [""] * 4)[:4]
            if ptype:
                got[int(n)] = (int(ptype, 0), uid, key)
        return got

    def test_every_datagram_from_the_fourth_of_a_pair_on(self):
        totals = {"labelled": 0, "from_4th": 0, "early": 0, "early_claimed": 0}
        for path, truth in self.captures:
            with self.subTest(capture=os.path.basename(path)):
                got = self.claimed(path)
                for f in truth["frames"]:
                    label, n = f["p2p"], f["n"]
                    if label is None:
                        self.assertNotIn(n, got, "frame %d is no PPPP" % n)
                        continue
                    totals["labelled"] += 1
                    want = (label["code"], label["uid"] or "", label["key"])
                    if label["pair_index"] >= 4:
                        totals["from_4th"] += 1
                        self.assertEqual(got.get(n), want, "frame %d, #%d of %s" % (n, label["pair_index"], label["pair"]))
                    else:
                        totals["early"] += 1
                        if n in got:
                            totals["early_claimed"] += 1
                            self.assertEqual(got[n], want, "frame %d" % n)
        print("\n%(labelled)d PPPP datagrams, %(from_4th)d from the 4th of their pair (all read), %(early)d "
              "earlier (%(early_claimed)d read)" % totals, file=sys.stderr)

    def test_look_alikes_are_there(self):
        """The captures do hold what must not be claimed: datagrams on 32100/32108 without a label."""
        for path, truth in self.captures:
            out = self.tshark.run("-n", "-r", self.tshark.stage(path), "-Y", "udp.port == 32100 || udp.port == 32108",
                                  "-T", "fields", "-e", "frame.number")
            on_ports = {int(n) for n in out.split()}
            unlabelled = {f["n"] for f in truth["frames"] if f["p2p"] is None} & on_ports
            self.assertGreater(len(unlabelled), 150, path)

    def test_two_passes_agree(self):
        path, _ = self.captures[0]
        self.assertEqual(self.claimed(path, two_pass=True), self.claimed(path))


if __name__ == "__main__":
    unittest.main()
