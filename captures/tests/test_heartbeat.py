"""The heartbeat, dead_cloud and remote_name rules of the oracle, and the heartbeat scenarios."""
import unittest

from _util import S, _eth, _ip, tcp_frame, udp_frame
from pcapgen import dns, payloads, quic, truth
from pcapgen.decode import decode
from pcapgen.heartbeat import PINGREQ, PINGRESP, mqtt_connect
from pcapgen.ip import PROTO_TCP
from pcapgen.scenarios import registry
from pcapgen.transport import ACK, PSH, SYN, tcp
import random

DEV, REM, REM2, LANHOST, RESOLVER = "192.168.1.20", "52.29.118.203", "3.69.220.71", "192.168.1.40", "1.1.1.1"
T = 1_700_000_000 * S


def tcp_data(src, dst, sport, dport, payload, seq=1000, ack=1):
    return _eth(src, dst, _ip(src, dst, PROTO_TCP, tcp(src, dst, sport, dport, seq, ack, ACK | PSH, payload)))


def beat(kind="mqtt", period=30.0):
    return {"kind": kind, "period": period}


def run(items, nets=()):
    """items: [(ts, frame, beat mark or None)] -> truth frames."""
    frames = [(ts, f) for ts, f, _ in items]
    return truth.compute(frames, nets, beats=[b for _, _, b in items])


class Heartbeat(unittest.TestCase):
    def test_from_index_3(self):
        items = [(T + i * 30 * S, tcp_data(DEV, REM, 40000, 1883, PINGREQ), beat()) for i in range(6)]
        out = run(items)
        self.assertEqual([f["heartbeat"] for f in out["frames"]], [None] * 3 + [{"period": 30.0}] * 3)
        self.assertEqual([f["findings"] for f in out["frames"]], [[]] * 3 + [["heartbeat"]] * 3)
        self.assertEqual(out["devices"][DEV]["heartbeats"], 3)

    def test_series_per_direction_flow_and_kind(self):
        items = []
        for i in range(4):
            t = T + i * 30 * S
            items.append((t, tcp_data(DEV, REM, 40000, 1883, PINGREQ), beat("a")))
            items.append((t + 1, tcp_data(REM, DEV, 1883, 40000, PINGRESP), beat("a")))   # other direction
            items.append((t + 2, tcp_data(DEV, REM, 40001, 1883, PINGREQ), beat("a")))   # other port
            items.append((t + 3, tcp_data(DEV, REM, 40000, 1883, PINGREQ), beat("b")))   # other kind
        out = run(items)["frames"]
        self.assertEqual([bool(f["heartbeat"]) for f in out], [False] * 12 + [True] * 4)
        self.assertEqual(run(items)["devices"][DEV]["heartbeats"], 4)

    def test_missed_and_extra(self):
        # beats at 0, 30, 90, 120 (60 missed) and an unmarked extra at 100: the 4th beat (120) is index 3
        items = [(T + s * S, tcp_data(DEV, REM, 40000, 1883, PINGREQ), beat()) for s in (0, 30, 90)]
        items += [(T + 100 * S, tcp_data(DEV, REM, 40000, 1883, PINGREQ), None),
                  (T + 120 * S, tcp_data(DEV, REM, 40000, 1883, PINGREQ), beat())]
        self.assertEqual([bool(f["heartbeat"]) for f in run(items)["frames"]], [False] * 4 + [True])

    def test_only_payload_frames_with_a_pair(self):
        items = [(T + i * S, tcp_frame(DEV, REM, 40000, 1883, ACK), beat()) for i in range(5)]       # pure ACKs
        items += [(T + i * S, udp_frame(DEV, LANHOST, 5000, 5000, b"x"), beat("l")) for i in range(5)]  # LAN
        items += [(T + i * S, udp_frame(DEV, REM, 5000, 5000, b"x"), beat("u", 1)) for i in range(5)]
        out = run(items)["frames"]
        self.assertEqual([bool(f["heartbeat"]) for f in out], [False] * 13 + [True] * 2)


class DeadCloud(unittest.TestCase):
    def syn(self, ts, sport=40000, dport=8883, dst=REM):
        return (T + ts, tcp_frame(DEV, dst, sport, dport, SYN))

    def test_from_the_3rd_syn_across_ports(self):
        fr = [self.syn(0), self.syn(1 * S), self.syn(3 * S), self.syn(30 * S, 40001), self.syn(31 * S, 40001, 443)]
        out = truth.compute(fr)
        self.assertEqual([f["findings"] for f in out["frames"]], [[], [], ["dead_cloud"], ["dead_cloud"], []])
        self.assertEqual(out["devices"][DEV]["dead_cloud"], 2)

    def test_answer_earlier_prevents(self):
        fr = [self.syn(0), (T + 1, tcp_frame(REM, DEV, 8883, 40000, SYN | ACK)), self.syn(2 * S, 40001),
              self.syn(3 * S, 40001), self.syn(4 * S, 40001)]
        self.assertEqual([f["findings"] for f in truth.compute(fr)["frames"]], [[]] * 5)

    def test_answer_from_other_port_or_after_does_not(self):
        fr = [self.syn(0), (T + 1, tcp_frame(REM, DEV, 443, 40000, ACK)), self.syn(2 * S), self.syn(3 * S),
              (T + 4 * S, tcp_frame(REM, DEV, 8883, 40000, SYN | ACK)), self.syn(5 * S, 40002)]
        self.assertEqual([f["findings"] for f in truth.compute(fr)["frames"]], [[], [], [], ["dead_cloud"], [], []])

    def test_lan_and_synack_never(self):
        fr = [self.syn(i * S, dst=LANHOST) for i in range(4)] + \
             [(T + 9 * S + i, tcp_frame(DEV, REM, 40000, 8883, SYN | ACK)) for i in range(4)]
        self.assertEqual([f["findings"] for f in truth.compute(fr)["frames"]], [[]] * 8)


class RemoteName(unittest.TestCase):
    def lookup(self, ts, name, addr, chain=None):
        if chain:
            msg = dns.response_chain(7, name, dns.TYPE_A, chain, [addr])
        else:
            msg = dns.response(7, name, dns.TYPE_A, [addr])
        return (T + ts, udp_frame(RESOLVER, DEV, 53, 50000, msg))

    def names(self, fr):
        return [f["remote_name"] for f in truth.compute(fr)["frames"]]

    def test_causal_latest_any_device(self):
        fr = [(T, udp_frame(DEV, REM, 5, 6)), self.lookup(1, "Sync.Example.COM.", REM),
              (T + 2, udp_frame(DEV, REM, 5, 6)), (T + 3, udp_frame(REM, DEV, 6, 5)),
              (T + 4, udp_frame("1.1.1.1", "192.168.1.21", 53, 5000, dns.response(8, "covers.example.com", 1, [REM]))),
              (T + 5, udp_frame(DEV, REM, 5, 6)), (T + 6, udp_frame(DEV, LANHOST, 5, 6))]
        self.assertEqual(self.names(fr), [None, None, "sync.example.com", "sync.example.com", None,
                                          "covers.example.com", None])

    def test_cname_chain_counts_the_queried_name(self):
        fr = [self.lookup(0, "a1b2c3-ats.iot.eu-west-1.amazonaws.com", REM, ["edge.elb.amazonaws.com", "x.aws.com"]),
              (T + 1, udp_frame(DEV, REM, 5, 6))]
        self.assertEqual(self.names(fr)[1], "a1b2c3-ats.iot.eu-west-1.amazonaws.com")

    def test_queries_and_other_addresses_do_not_count(self):
        fr = [(T, udp_frame(DEV, RESOLVER, 50000, 53, dns.query(1, "x.example.com"))),
              self.lookup(1, "y.example.com", REM2), (T + 2, udp_frame(DEV, REM, 5, 6))]
        self.assertEqual(self.names(fr)[2], None)

    def test_sni_fallback_from_the_client_hello_on(self):
        ch = payloads.tls_client_hello(random.Random(1), "API-eu.roborock.com")
        fr = [(T, tcp_frame(DEV, REM2, 40000, 443, SYN)), (T + 1, tcp_frame(REM2, DEV, 443, 40000, SYN | ACK)),
              (T + 2, tcp_data(DEV, REM2, 40000, 443, ch)), (T + 3, tcp_data(REM2, DEV, 443, 40000, b"\x17\x03\x03\x00\x01x")),
              self.lookup(4, "cdn.example.net", REM2), (T + 5, tcp_data(DEV, REM2, 40000, 443, b"\x17\x03\x03\x00\x01y"))]
        self.assertEqual(self.names(fr), [None, None, "api-eu.roborock.com", "api-eu.roborock.com", None,
                                          "cdn.example.net"])

    def quic_initial(self, ts, sni, dst=REM2, client=True):
        """A client (or server) QUIC v1 Initial over UDP 443 carrying a ClientHello for `sni`."""
        ch = payloads.tls_client_hello(random.Random(3), sni)[5:]
        pkt = quic.initial_packet(b"\x11" * 8, b"\x11" * 8, b"\x22" * 8, 0, quic.crypto_frame(ch), server=not client,
                                  pad_to=1200)
        if client:
            return T + ts, udp_frame(DEV, dst, 50000, 443, pkt)
        return T + ts, udp_frame(dst, DEV, 443, 50000, pkt)

    def test_sni_from_the_quic_initial_mark(self):
        fr = [(T, udp_frame(DEV, REM2, 50000, 443, b"\x40" + bytes(30))), self.quic_initial(1, "QUIC.example.ORG."),
              (T + 2, udp_frame(REM2, DEV, 443, 50000, b"\x40" + bytes(30))), self.lookup(3, "dns.example.net", REM2),
              (T + 4, udp_frame(DEV, REM2, 50000, 443, b"\x40" + bytes(30))), self.quic_initial(5, "other.example")]
        marks = [None, "QUIC.example.ORG.", None, None, None, "other.example"]
        got = [f["remote_name"] for f in truth.compute(fr, quic_sni=marks)["frames"]]
        # from the Initial on (this frame included); DNS wins over SNI whatever their order
        self.assertEqual(got, [None, "quic.example.org", "quic.example.org", None, "dns.example.net",
                               "dns.example.net"])
        # without the marks the Initial is not read (no decryption in the oracle)
        self.assertEqual(self.names(fr)[:3], [None, None, None])

    def test_quic_mark_only_on_a_quic_initial_over_udp(self):
        ch = payloads.tls_client_hello(random.Random(4), "tcp.example")
        fr = [(T, udp_frame(DEV, REM2, 50000, 443, b"\x40" + bytes(30))),           # short header: not an Initial
              (T + 1, tcp_data(DEV, REM, 40000, 443, b"\x17\x03\x03\x00\x01x")),    # TCP
              (T + 2, udp_frame(DEV, REM2, 50000, 443, b"\x40" + bytes(30)))]
        marks = ["a.example", "b.example", None]
        self.assertEqual([f["remote_name"] for f in truth.compute(fr, quic_sni=marks)["frames"]], [None, None, None])
        self.assertTrue(truth.is_quic_v1_initial(self.quic_initial(0, "x.example")[1][42:]))
        self.assertFalse(truth.is_quic_v1_initial(ch))

    def test_sni_of_a_server_initial_names_nothing_new(self):
        # the mark names the address the Initial is sent to, like a TCP ClientHello
        fr = [self.quic_initial(0, "x.example", client=False), (T + 1, udp_frame(DEV, REM2, 50000, 443, b"\x40"))]
        self.assertEqual([f["remote_name"] for f in truth.compute(fr, quic_sni=["x.example", None])["frames"]],
                         [None, None])

    def test_parsers(self):
        ch = payloads.tls_client_hello(random.Random(2), "a.b.example")
        self.assertEqual(truth.tls_client_hello_sni(ch), "a.b.example")
        self.assertIsNone(truth.tls_client_hello_sni(ch[:40]))
        self.assertIsNone(truth.tls_client_hello_sni(mqtt_connect("c", 30)))
        self.assertIsNone(truth.dns_response_addresses(dns.query(1, "x.example")))


class Scenarios(unittest.TestCase):
    def test_heartbeats(self):
        sc = registry()["heartbeats"](24)
        t = truth.compute_scenario(sc)
        d = t["devices"]
        self.assertGreater(sc.frames[-1][0] - sc.frames[0][0], 15 * 60 * S)
        for dev, period in (("192.168.1.90", 30.0), ("192.168.1.91", 60.0), ("192.168.1.92", 52.5),
                            ("192.168.1.93", 40.0)):
            hb = [f for f in t["frames"] if f["device"] == dev and f["heartbeat"]]
            self.assertGreaterEqual(len(hb), 20, dev)
            self.assertTrue(all(f["heartbeat"]["period"] == period for f in hb), dev)
        self.assertGreater(d["192.168.1.94"]["dead_cloud"], 50)
        others = {a: (v["heartbeats"], v["dead_cloud"]) for a, v in d.items()
                  if a not in ("192.168.1.90", "192.168.1.91", "192.168.1.92", "192.168.1.93", "192.168.1.94")}
        self.assertEqual(set(others.values()), {(0, 0)})
        names = {f["remote"]: f["remote_name"] for f in t["frames"] if f["remote"]}
        self.assertEqual(names["3.69.220.71"], "api-eu.roborock.com")        # SNI only
        self.assertEqual(names["52.29.118.203"], "a1b2c3-ats.iot.eu-west-1.amazonaws.com")  # via CNAME
        self.assertEqual(names["47.254.152.20"], "mqtt.smartplug-cloud.com")

    def test_negatives(self):
        sc = registry()["heartbeat_negatives"](25)
        t = truth.compute_scenario(sc)
        self.assertFalse(any(f["findings"] for f in t["frames"]))
        self.assertGreater(sum(1 for f in t["frames"] if f["remote_name"]), 5000)

    def test_older_captures_have_no_heartbeat_or_dead_cloud(self):
        for name, seed in (("doorbell", 5), ("negatives", 7), ("p2p_negatives", 23)):
            sc = registry()[name](seed)
            self.assertIsNone(sc.beats)
            t = truth.compute_scenario(sc)
            self.assertFalse(any({"heartbeat", "dead_cloud"} & set(f["findings"]) for f in t["frames"]), name)
        for name, seed in (("kalay", 21), ("pppp", 22)):
            t = truth.compute_scenario(registry()[name](seed))
            self.assertFalse(any("dead_cloud" in f["findings"] for f in t["frames"]), name)

    def test_quic_initials_name_their_server(self):
        sc = registry()["p2p_negatives"](23)
        t = truth.compute_scenario(sc)
        marked, resolved = [], set()
        for (ts, raw), f, m in zip(sc.frames, t["frames"], sc.quic_sni):
            if m:
                marked.append((f, m))
                # the Initial names its server, unless a DNS answer named the address earlier
                self.assertEqual(f["remote_name"] == m, f["remote"] not in resolved, f["n"])
            d = decode(raw)
            if d.payload is not None and 53 in (d.sport, d.dport):
                resolved |= {str(a) for a in (truth.dns_response_addresses(d.payload) or ("", []))[1]}
        self.assertEqual(len(marked), 6)   # one client Initial with a ClientHello per exchange
        self.assertTrue(any(f["remote_name"] == m for f, m in marked))
        self.assertFalse(any(f["findings"] for f in t["frames"]))

    def p2p_series(self, sc, t):
        """Marked frames of a P2P scenario by series: (device, remote, kind, direction) -> [(ts, period, hb)]."""
        series = {}
        for (ts, raw), b, f in zip(sc.frames, sc.beats, t["frames"]):
            if b is None:
                continue
            self.assertIsNotNone(f["device"], f["n"])   # device <-> Internet only, never the LAN
            self.assertIsNotNone(f["p2p"], f["n"])
            out = str(decode(raw).ip_src) == f["device"]
            series.setdefault((f["device"], f["remote"], b["kind"], out), []).append((ts, b["period"], f["heartbeat"]))
        for key, v in series.items():
            self.assertEqual([bool(hb) for _, _, hb in v], [i >= 3 for i in range(len(v))], key)
        return series

    def test_kalay_logins_are_beats(self):
        sc = registry()["kalay"](21)
        t = truth.compute_scenario(sc)
        series = self.p2p_series(sc, t)
        # 2 cameras x 5 servers x (login, reply); each server's turn comes every 5 logins of ~40 s
        self.assertEqual(len(series), 20)
        self.assertEqual({k[2] for k in series}, {"kalay_071018", "kalay_081018"})
        for key, v in series.items():
            self.assertEqual({p for _, p, _ in v}, {200.0}, key)
            iv = [(b[0] - a[0]) / S for a, b in zip(v, v[1:])]
            self.assertTrue(all(190 - 0.3 < x < 210 + 0.3 for x in iv), (key, iv))   # 5 x (38..42 s), +- reply rtt
        hb = [f for f in t["frames"] if f["heartbeat"]]
        self.assertEqual(len(hb), 60)
        self.assertEqual({c for f in hb for c in [f["p2p"]["code"]]}, {0x071018, 0x081018})
        self.assertEqual({d: v["heartbeats"] for d, v in t["devices"].items() if v["heartbeats"]},
                         {"192.168.1.70": 30, "192.168.1.71": 30})

    def test_pppp_logins_are_beats(self):
        sc = registry()["pppp"](22)
        t = truth.compute_scenario(sc)
        series = self.p2p_series(sc, t)
        periods = {"pppp_DEV_LGN": 10.05, "pppp_DEV_LGN_ACK": 10.05, "pppp_HELLO": 60.3, "pppp_HELLO_ACK": 60.3}
        for key, v in series.items():
            p = periods[key[2]]
            self.assertEqual({x for _, x, _ in v}, {p}, key)
            iv = [(b[0] - a[0]) / S for a, b in zip(v, v[1:])]
            if key[2].startswith("pppp_DEV_LGN"):   # 9..11 s, + 0.3 s before a HELLO round, +- ack rtt
                self.assertTrue(all(9 - 0.2 < x < 11.3 + 0.2 for x in iv), (key, iv))
            else:                                    # 6 x (9..11 s) + 0.3 s, +- a few ms and the ack rtt
                self.assertTrue(all(54.3 - 0.3 < x < 66.3 + 0.3 for x in iv), (key, iv))
        # 4 cameras: DEV_LGN both ways with one server, HELLO both ways with 3 (+ the vendor server for .83)
        self.assertEqual(len(series), 4 * 2 + 4 * 3 * 2 + 2)
        codes = {f["p2p"]["code"] for f in t["frames"] if f["heartbeat"]}
        self.assertEqual(codes, {0x00, 0x01, 0x10, 0x11})   # HELLO, HELLO_ACK, DEV_LGN, DEV_LGN_ACK: no ALIVE
        self.assertEqual(sum(1 for f in t["frames"] if f["heartbeat"]), 488)

    def test_p2p_variant_beats_match_their_plan(self):
        seen = 0
        for seed in range(1, 13):
            sc = registry()["p2p_variant"](seed)
            t = truth.compute_scenario(sc)
            for key, v in self.p2p_series(sc, t).items():
                p = v[0][1]
                iv = [(b[0] - a[0]) / S for a, b in zip(v, v[1:])]
                if len(iv) >= 3:
                    mean = sum(iv) / len(iv)
                    self.assertLess(abs(mean - p), 0.1 * p, (seed, key))
                    self.assertLess(max(iv) / min(iv), 1.4, (seed, key))
                    seen += 1
        self.assertGreater(seen, 50)

    def test_variant(self):
        for seed in range(1, 7):
            sc = registry()["heartbeat_variant"](seed)
            t = truth.compute_scenario(sc)
            self.assertLess(len(sc.frames), 5000)
            series = {}
            for (ts, raw), b, f in zip(sc.frames, sc.beats, t["frames"]):
                if b:
                    series.setdefault((f["device"], b["kind"]), []).append(ts)
            self.assertEqual(len(series), 8, seed)   # 4 series, both directions
            for k, times in series.items():
                self.assertGreaterEqual(len(times), 6, (seed, k))
            self.assertTrue(any("dead_cloud" in f["findings"] for f in t["frames"]), seed)
            self.assertTrue(any("heartbeat" in f["findings"] for f in t["frames"]), seed)


if __name__ == "__main__":
    unittest.main()
