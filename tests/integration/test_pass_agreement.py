"""One pass and two passes give every packet the same value in every field.

A packet's verdict, and every field phonehome, kalay and pppp put on it,
depends only on that packet and the ones before it; names, identities and
countries learnt from later packets must never change an earlier packet. The
GUI re-dissects frames in any order once the file is read, as tshark's second
pass does, so agreement here is agreement with the GUI (the plugin fuzz
harness also re-dissects every frame GUI-style).

Every field of the three protocols is printed (from `tshark -G fields`), on
every packet of every bundled capture; the display filter refers to
phonehome so every series fills in the fields it only adds on demand.
"""
import glob
import os
import unittest

from tshark_env import CAPTURES, TsharkTestCase

PROTOCOLS = ("phonehome", "kalay", "pppp")


class PassAgreement(TsharkTestCase):

    def plugin_fields(self):
        fields = []
        for line in self.tshark.run("-G", "fields").splitlines():
            cells = line.split("\t")
            if cells[0] == "F" and cells[4] in PROTOCOLS and cells[3] not in ("FT_NONE", "FT_PROTOCOL"):
                fields.append(cells[2])
        return sorted(set(fields))

    def test_two_passes_agree_with_one_on_every_field_of_every_packet(self):
        fields = self.plugin_fields()
        self.assertGreater(len(fields), 40)
        captures = sorted(glob.glob(os.path.join(CAPTURES, "*.pcap")))
        self.assertGreaterEqual(len(captures), 6)
        compared = filled = 0
        for capture in captures:
            with self.subTest(capture=os.path.basename(capture)):
                args = ["-n", "-r", self.tshark.stage(capture), "-Y", "phonehome || !phonehome",
                        "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number"]
                for f in fields:
                    args += ["-e", f]
                one = self.tshark.run(*args).splitlines()
                two = self.tshark.run("-2", *args).splitlines()
                self.assertEqual(len(one), len(two))
                for a, b in zip(one, two):
                    if a != b:
                        diff = [(f, x, y) for f, x, y in zip(["frame"] + fields, a.split("\t"), b.split("\t")) if x != y]
                        self.fail("frame %s differs (field, one pass, two passes): %r" % (a.split("\t")[0], diff))
                compared += len(one)
                filled += sum(1 for line in one if any(line.split("\t")[1:]))
        self.assertGreater(compared, 5000)
        self.assertGreater(filled, 3000)


if __name__ == "__main__":
    unittest.main()
