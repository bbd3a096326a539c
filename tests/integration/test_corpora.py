"""Real traffic nobody on this project wrote: the nDPI, suricata-verify and
Zeek test captures in ../shared/captures/corpora (read in place, see
SOURCES.md there), about 540,000 packets in 2,698 files.

One tshark pass with the plugin per capture (corpora.py), then:
- nothing crashes or complains where plain tshark does not (a few captures
  are corrupt on purpose, and Wireshark's own dissectors abort on a few);
- nothing is claimed as Kalay or PPPP, and no finding is p2p or p2p_lan
  (none of these captures holds either);
- every reviewed frame of known.json is as the review says;
- each capture's finding counts are those of expected/corpora.findings.json,
  reviewed by reading the packets (the note of each capture says what its
  findings are); PHONEHOME_UPDATE_GOLDEN=1 rewrites the counts and marks every
  changed capture UNREVIEWED, which fails until a reviewer replaces the note;
- no heartbeat falls on a TCP retransmission (Wireshark's TCP analysis);
- no dead_cloud falls on a SYN to a service the capture had already shown
  alive (an independent replay of the rule over tshark's own TCP fields);
- the devices and remotes reports agree with each other, and with
  Wireshark's endpoint and conversation statistics wherever every frame
  carries one IP header and no fragment (in a tunnel or an ICMP error
  Wireshark counts every header, phonehome the packet's own; Wireshark 4.0
  counts an IPv6 datagram's fragments once); a packet a device sends itself
  counts once for it and twice for Wireshark's endpoint.

A full pass takes about 6 minutes of two tshark processes on a 2-core
machine, too long for every run of the suite (which runs twice, and in two
chroots): by default the test scans the CI subset (corpora.ci_captures():
every capture known.json names, every capture with a finding in the golden
file, and a fixed tenth chosen by a hash of the name, about 300 captures,
~1 minute); PHONEHOME_CORPORA=all scans every capture.
"""
import json
import os
import sys
import unittest

import corpora
from report_parser import assert_rows_match_conversations, own_addresses, parse_conversations, parse_endpoints
from tshark_env import CAPTURES, TsharkTestCase

sys.path.insert(0, CAPTURES)
from pcapgen.addresses import classify  # noqa: E402  (the generator's independent classifier)

P2P_FINDINGS = ("p2p", "p2p_lan")
TCP_SYN, TCP_ACK = 0x02, 0x10


def dead_cloud_oracle(tshark, capture):
    """The SYNs that are dead_cloud by the rule, replayed over tshark's own
    TCP fields: the 3rd or later SYN from a local device to a global
    address and port, at least a second after the first, when no segment
    came from that service to the device and none but SYNs went to it
    before. The packet's own IP header is the innermost one not quoted in
    an ICMP error."""
    path = os.path.join(corpora.CORPORA, capture)
    if not corpora.readable_by_anyone(path):
        path = tshark.stage(path)
    out = tshark.run("-n", "-r", path, "-Y", "tcp && !icmp && !icmpv6", "-T", "fields", "-E", "occurrence=a",
                     "-E", "aggregator=,", "-e", "frame.number", "-e", "frame.time_relative", "-e", "frame.protocols",
                     "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "tcp.srcport",
                     "-e", "tcp.dstport", "-e", "tcp.flags")
    syns, alive, dead = {}, set(), []
    for line in out.splitlines():
        number, when, protocols, s4, d4, s6, d6, sport, dport, flags = (line.split("\t") + [""] * 10)[:10]
        pair = own_addresses(protocols.split(":"), s4, d4, s6, d6)
        if not pair or not sport or not flags:
            continue
        src, dst = pair
        sport, dport = int(sport.split(",")[-1]), int(dport.split(",")[-1])
        flags = int(flags.split(",")[-1], 16)
        if classify(src) == "local" and classify(dst) == "global":
            service = (src, dst, dport)
            if flags & TCP_SYN and not flags & TCP_ACK:
                if service in alive:
                    continue
                first, attempts = syns.get(service, (float(when), 0))
                syns[service] = (first, attempts + 1)
                if attempts + 1 >= 3 and float(when) - first >= 1.0:
                    dead.append(int(number))
            else:
                alive.add(service)
        elif classify(src) == "global" and classify(dst) == "local":
            alive.add((dst, src, sport))
    return dead


class Corpora(TsharkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not os.path.isdir(corpora.CORPORA):
            raise unittest.SkipTest("no corpora at " + corpora.CORPORA)
        cls.captures = corpora.selected_captures()
        cls.results = corpora.scan_many(cls.tshark, cls.captures, jobs=2,
                                        cache_dir=os.environ.get("PHONEHOME_CORPORA_CACHE"))

    def test_nothing_crashes_or_complains_where_plain_tshark_does_not(self):
        for capture, r in self.results.items():
            with self.subTest(capture=capture):
                if r["rc"] == 0 and not r["stderr"].strip():
                    continue
                # Plain tshark fails the same way on the same capture.
                self.assertTrue(corpora.fails_like_plain_tshark(r), "rc %d, plain %s:\n%s" % (
                    r["rc"], r.get("plain_rc"), r["stderr"][-2000:]))

    def test_no_kalay_or_pppp_claim(self):
        for capture, r in self.results.items():
            with self.subTest(capture=capture):
                self.assertEqual([n for n, f in r["frames"].items() if f["p2p"]], [])
                for finding in P2P_FINDINGS:
                    self.assertEqual(corpora.frames_with(r, finding), [], finding)

    def test_reviewed_frames_are_as_the_review_says(self):
        known = corpora.load_known()
        for kind in ("must_not", "must_keep"):
            for entry in known[kind]:
                capture, finding = entry["capture"], entry["finding"]
                with self.subTest(kind=kind, capture=capture, finding=finding):
                    if capture not in self.results:
                        # Only a developer's own list of captures leaves one out.
                        self.assertTrue(os.environ.get("PHONEHOME_CORPORA", "all") != "all", "not scanned")
                        continue
                    flagged = set(corpora.frames_with(self.results[capture], finding))
                    if kind == "must_not":
                        frames = flagged if entry["frames"] == "all" else flagged & set(entry["frames"])
                        self.assertEqual(sorted(frames), [], entry["why"])
                    else:
                        self.assertEqual(sorted(set(entry["frames"]) - flagged), [], entry["why"])

    def test_finding_counts_are_the_reviewed_ones(self):
        golden = corpora.load_golden()
        got = {c: corpora.finding_counts(r) for c, r in self.results.items()}
        if os.environ.get("PHONEHOME_UPDATE_GOLDEN") == "1":
            golden = corpora.updated_golden(golden, got)
            with open(corpora.GOLDEN, "w", encoding="utf-8") as f:
                json.dump(golden, f, indent=1, sort_keys=True)
                f.write("\n")
        for capture, counts in got.items():
            with self.subTest(capture=capture):
                want = golden.get(capture, {"counts": {}})
                self.assertEqual(counts, want["counts"])
                self.assertFalse(want.get("review", "").startswith("UNREVIEWED"), "review the new counts")

    def test_no_heartbeat_on_a_tcp_retransmission(self):
        for capture, r in self.results.items():
            with self.subTest(capture=capture):
                self.assertEqual([n for n, f in r["frames"].items()
                                  if f["retransmission"] and "heartbeat" in f["patterns"]], [])

    def test_no_dead_cloud_on_a_service_shown_alive(self):
        checked = 0
        for capture, r in self.results.items():
            flagged = corpora.frames_with(r, "dead_cloud")
            if not flagged:
                continue
            with self.subTest(capture=capture):
                self.assertEqual(flagged, dead_cloud_oracle(self.tshark, capture))
                checked += 1
        self.assertGreater(checked, 0)

    def test_reports_agree_with_each_other_and_with_wireshark_statistics(self):
        compared = 0
        for capture, r in self.results.items():
            if r["rc"] != 0:
                continue  # a capture tshark cannot read to the end has no statistics
            stats = r["stats"]
            devices = {d["device"]: d for d in corpora.csv_block(stats, "device,mac,")}
            remotes = corpora.csv_block(stats, "device,remote,")
            with self.subTest(capture=capture):
                # Each device's packets to and from Internet remotes are among
                # the packets it sent and received.
                for d, row in devices.items():
                    own = [x for x in remotes if x["device"] == d]
                    self.assertLessEqual(sum(int(x["packets_out"]) for x in own), int(row["sent"]), d)
                    self.assertLessEqual(sum(int(x["packets_in"]) for x in own), int(row["received"]), d)
                for x in remotes:
                    self.assertIn(x["device"], devices)
                if r["counted_apart"]:
                    continue
                endpoints = parse_endpoints(stats)
                conversations = parse_conversations(stats)
                for d, row in devices.items():
                    packets, nbytes, tx = endpoints[d]
                    # A packet a device sends itself (loopback) is one packet
                    # of the device, and two of Wireshark's endpoint.
                    self_conversation = conversations.get((d, d), (0,) * 6)
                    to_self = self_conversation[0] + self_conversation[3]
                    self.assertEqual((int(row["packets"]) + to_self, int(row["sent"])), (packets, tx), d)
                    if not to_self:
                        self.assertEqual(nbytes, int(row["bytes"]), d)
                for addr, (_, _, tx) in endpoints.items():
                    if tx and classify(addr) == "local":
                        self.assertIn(addr, devices)
                assert_rows_match_conversations(self, remotes, conversations)
                compared += 1
        self.assertGreater(compared, 0)


if __name__ == "__main__":
    unittest.main()
