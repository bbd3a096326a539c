"""The oracle on small hand-built frame lists."""
import unittest

from _util import S, tcp_frame, udp_frame
from pcapgen import truth
from pcapgen.transport import ACK, SYN

DEV, REM, LANHOST = "192.168.1.20", "106.13.0.0", "192.168.1.40"
T = 1_700_000_000 * S


def labels(frames, nets=()):
    return [f["findings"] for f in truth.compute(frames, nets)["frames"]]


class Pinhole(unittest.TestCase):
    def out(self, ts, dport=1, sport=51506, dst=REM):
        return (T + ts, udp_frame(DEV, dst, sport, dport))

    def back(self, ts, dport=51506, sport=1):
        return (T + ts, udp_frame(REM, DEV, sport, dport))

    def test_exactly_20_s_counts_19_999999_does_not(self):
        fr = [self.out(0, 9000), self.out(19_999_999, 9000), self.out(39_999_999, 9000), self.out(40_000_000, 9000)]
        self.assertEqual(labels(fr), [[], [], ["pinhole"], ["pinhole"]])

    def test_first_datagram_never_and_sink_always(self):
        fr = [self.out(0), self.out(100 * S)]
        self.assertEqual(labels(fr), [["sink"], ["pinhole", "sink"]])

    def test_late_reply_clears_for_good(self):
        fr = [self.out(0, 9000), self.out(25 * S, 9000), self.out(26 * S, 9000),
              self.back(27 * S, sport=9000), self.out(60 * S, 9000), self.out(200 * S, 9000)]
        self.assertEqual(labels(fr), [[], ["pinhole"], ["pinhole"], [], [], []])

    def test_reply_before_silence_prevents(self):
        fr = [self.out(0, 9000), self.back(1 * S, sport=9000), self.out(30 * S, 9000)]
        self.assertEqual(labels(fr), [[], [], []])

    def test_reply_on_other_tuple_does_not_count(self):
        fr = [self.out(0, 9000), self.back(1 * S, sport=9001), self.back(2 * S, sport=9000, dport=1234),
              self.out(30 * S, 9000)]
        self.assertEqual(labels(fr), [[], [], [], ["pinhole"]])

    def test_tuples_are_separate(self):
        fr = [self.out(0, 9000), self.out(10 * S, 9001), self.out(25 * S, 9001), self.out(30 * S, 9000)]
        self.assertEqual(labels(fr), [[], [], [], ["pinhole"]])

    def test_inbound_never_and_non_global_never(self):
        fr = [self.back(0), self.back(60 * S), (T + 0, udp_frame(DEV, "203.0.113.7", 5, 1)),
              (T + 60 * S, udp_frame(DEV, "203.0.113.7", 5, 1)), (T + 0, udp_frame(DEV, LANHOST, 5, 1)),
              (T + 60 * S, udp_frame(DEV, LANHOST, 5, 1))]
        self.assertEqual(labels(fr), [[]] * 6)

    def test_ipv6_with_extra_local_network(self):
        dev, rem = "2a01:cb00:1:2::20", "2600:1f18::7"
        fr = [(T, udp_frame(dev, rem, 4000, 0)), (T + 20 * S, udp_frame(dev, rem, 4000, 0))]
        self.assertEqual(labels(fr, ["2a01:cb00:1:2::/64"]), [["sink"], ["pinhole", "sink"]])
        out = truth.compute(fr, ["2a01:cb00:1:2::/64"])
        self.assertEqual(out["local_networks"], "2a01:cb00:1:2::/64")
        self.assertEqual(out["frames"][0]["device"], dev)
        self.assertEqual(labels(fr), [[], []])  # without it: GLOBAL -> GLOBAL


class Sink(unittest.TestCase):
    def test_tcp(self):
        fr = [(T, tcp_frame(DEV, REM, 40000, 1, SYN)),
              (T + 1, tcp_frame(DEV, REM, 40001, 0, SYN)),
              (T + 2, tcp_frame(REM, DEV, 1, 40000, SYN | ACK)),
              (T + 3, tcp_frame(DEV, REM, 40000, 1, ACK)),
              (T + 4, tcp_frame(DEV, LANHOST, 40002, 1, SYN)),
              (T + 5, tcp_frame(DEV, REM, 40003, 2, SYN)),
              (T + 6, udp_frame(REM, DEV, 1, 5555))]
        self.assertEqual(labels(fr), [["sink"], ["sink"], [], [], [], [], []])
        fr_out = truth.compute(fr)["frames"]
        self.assertEqual((fr_out[2]["device"], fr_out[2]["remote"]), (DEV, REM))
        self.assertEqual((fr_out[4]["device"], fr_out[4]["remote"]), (None, None))


class Devices(unittest.TestCase):
    def test_table(self):
        fr = [(T, udp_frame(LANHOST, DEV, 5, 6, src_mac="02:00:00:00:00:40", dst_mac="02:00:00:00:00:01")),
              (T + 1 * S, udp_frame(DEV, "192.168.1.255", 7, 8, dst_mac="ff:ff:ff:ff:ff:ff")),
              (T + 2 * S, udp_frame(DEV, REM, 9, 10)),
              (T + 3 * S, udp_frame("1.1.1.1", DEV, 53, 11)),
              (T + 4 * S, udp_frame(DEV, "224.0.0.251", 5353, 5353, dst_mac="01:00:5e:00:00:fb"))]
        d = truth.compute(fr)["devices"]
        self.assertEqual(sorted(d), [DEV, LANHOST])  # 192.168.1.255 only as a group-MAC destination
        self.assertEqual(d[DEV], {"packets": 5, "bytes": sum(len(f) for _, f in fr), "mac": "02:00:00:00:00:01",
                                  "first": 0.0, "last": 4.0, "remote_hosts": 2,
                                  "p2p_platforms": [], "uids": [], "p2p_servers": 0, "p2p_peers": 0,
                                  "p2p_prefixes": 0, "heartbeats": 0, "dead_cloud": 0})
        self.assertEqual(d[LANHOST]["mac"], "02:00:00:00:00:40")
        fr2 = [(T, udp_frame(DEV, LANHOST, 1, 2))]
        self.assertIsNone(truth.compute(fr2)["devices"][LANHOST]["mac"])  # never sent


if __name__ == "__main__":
    unittest.main()
