"""The P2P truth rules (p2p, p2p_lan, p2p_dns, per-device P2P counts) and the P2P scenarios."""
import unittest

from _util import S, udp_frame
from pcapgen import dns, truth
from pcapgen import p2p_pppp as cipher
from pcapgen import p2ptraffic as p2p
from pcapgen.decode import decode
from pcapgen.scenarios import registry

DEV, PHONE, T = "192.168.1.70", "192.168.1.61", 1_700_000_000 * S
BCAST_MAC = "ff:ff:ff:ff:ff:ff"


def kalay(code, uid=None):
    return {"platform": "kalay", "code": code, "uid": uid, "key": None}


def pppp(code, uid=None, key=""):
    return {"platform": "pppp", "code": code, "uid": uid, "key": key}


class DnsNames(unittest.TestCase):
    def test_suffix_case_and_trailing_dot(self):
        for name in ("iotcplatform.com", "m1.iotcplatform.com", "M1.IoTcPlatform.COM", "m2.iotcplatform.com.",
                     "a.b.kalayservice.com", "KALAY.NET.CN.", "p2p.kalay.net.cn"):
            self.assertTrue(truth.p2p_dns_name(name), name)
        for name in ("notiotcplatform.com", "iotcplatform.com.example.net", "kalay.net", "kalayservice.co",
                     "m1-iotcplatform.com", "net.cn", "", "kalaynet.cn"):
            self.assertFalse(truth.p2p_dns_name(name), name)

    def findings(self, payload, sport=53000, dport=53):
        fr = [(T, udp_frame(DEV, "192.168.1.1", sport, dport, payload))]
        return truth.compute(fr)["frames"][0]["findings"]

    def test_wire(self):
        q = dns.query(1, "M3.IOTCPLATFORM.COM")
        self.assertEqual(self.findings(q), ["p2p_dns"])
        self.assertEqual(self.findings(q, 53, 53000), ["p2p_dns"])
        self.assertEqual(self.findings(q, 5353, 5353), ["p2p_dns"])
        self.assertEqual(self.findings(q, 53000, 54), [])
        self.assertEqual(self.findings(dns.query(1, "notiotcplatform.com")), [])
        # Only the CNAME target matches: the response is flagged, the query is not.
        r = dns.response_chain(2, "p2p.vendor.example", dns.TYPE_A, ["x.example.net", "edge7.kalayservice.com"],
                               ["52.28.1.2"])
        self.assertEqual(self.findings(r, 53, 53000), ["p2p_dns"])
        self.assertEqual(self.findings(dns.query(2, "p2p.vendor.example")), [])
        # Compressed answer owner names are followed.
        self.assertEqual(self.findings(dns.response(3, "m1.iotcplatform.com", dns.TYPE_A, ["1.2.3.4"]), 53, 5), ["p2p_dns"])
        self.assertEqual(self.findings(b"\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c"), [])  # loop


class Findings(unittest.TestCase):
    def test_p2p_versus_p2p_lan(self):
        fr = [(T, udp_frame(DEV, "52.28.1.2", 4000, 10240)),          # LOCAL -> GLOBAL
              (T + 1, udp_frame("52.28.1.2", DEV, 10240, 4000)),      # GLOBAL -> LOCAL
              (T + 2, udp_frame(PHONE, DEV, 5000, 32761)),            # LAN
              (T + 3, udp_frame(PHONE, "255.255.255.255", 5000, 32761, dst_mac=BCAST_MAC)),
              (T + 4, udp_frame(DEV, "203.0.113.9", 4000, 4000)),     # documentation: no pair
              (T + 5, udp_frame("52.28.1.2", "47.91.1.1", 1, 2)),     # GLOBAL -> GLOBAL
              (T + 6, udp_frame(DEV, "52.28.1.2", 4000, 10240))]      # not P2P
        labels = [kalay(0x071018), kalay(0x081018), pppp(0xD0), pppp(0x30, key="camera"), kalay(0x010621),
                  pppp(0x10), None]
        out = truth.compute(fr, p2p=labels)["frames"]
        self.assertEqual([f["findings"] for f in out],
                         [["p2p"], ["p2p"], ["p2p_lan"], ["p2p_lan"], ["p2p_lan"], [], []])
        self.assertEqual(out[3]["p2p"], pppp(0x30, key="camera"))
        self.assertIsNone(out[6]["p2p"])

    def test_sink_and_pinhole_still_apply(self):
        fr = [(T, udp_frame(DEV, "52.28.1.2", 4000, 1)), (T + 30 * S, udp_frame(DEV, "52.28.1.2", 4000, 1))]
        out = truth.compute(fr, p2p=[kalay(0x071018), kalay(0x071018)])["frames"]
        self.assertEqual([f["findings"] for f in out], [["p2p", "sink"], ["p2p", "pinhole", "sink"]])


class DeviceCounts(unittest.TestCase):
    def test_servers_peers_prefixes(self):
        U1, U2 = "ABCDEFGHIJ0123456789", "VSTC-482913-XKDFM"
        fr = [(T, udp_frame(DEV, "52.28.1.2", 4000, 10240)),          # server, 52.28/16
              (T + 1, udp_frame(DEV, "52.28.9.9", 4000, 10240)),      # server, same /16
              (T + 2, udp_frame("47.91.1.1", DEV, 32100, 4000)),      # server (inbound), 47.91/16
              (T + 3, udp_frame(DEV, "120.24.0.5", 4000, 10240)),     # unknown Kalay code: server
              (T + 4, udp_frame(DEV, PHONE, 4000, 5000, dst_mac="02:00:00:00:00:61")),  # peer on the LAN
              (T + 5, udp_frame("37.120.1.1", DEV, 6000, 4000)),      # peer, GLOBAL, 37.120/16
              (T + 6, udp_frame(DEV, "255.255.255.255", 4000, 32108, dst_mac=BCAST_MAC)),  # broadcast
              (T + 7, udp_frame(PHONE, "255.255.255.255", 5000, 32761, src_mac="02:00:00:00:00:61",
                                dst_mac=BCAST_MAC)),
              (T + 8, udp_frame(DEV, "52.28.1.2", 4000, 10240))]      # not P2P
        labels = [kalay(0x071018, U1), kalay(0x030234), pppp(0x01, key="SHIX"), kalay(0x123456),
                  kalay(0x080412), pppp(0xD0, key="SHIX"), pppp(0x31, U2), kalay(0x010621, U1), None]
        d = truth.compute(fr, p2p=labels)["devices"]
        dev = {k: d[DEV][k] for k in ("p2p_platforms", "uids", "p2p_servers", "p2p_peers", "p2p_prefixes")}
        self.assertEqual(dev, {"p2p_platforms": ["kalay", "pppp"], "uids": [U1, U2], "p2p_servers": 4,
                               "p2p_peers": 2, "p2p_prefixes": 4})
        # The phone sent only the broadcast (counted for platform/UID, not as a peer) and received
        # one peer-type message from DEV.
        ph = d[PHONE]
        self.assertEqual((ph["p2p_platforms"], ph["uids"], ph["p2p_servers"], ph["p2p_peers"], ph["p2p_prefixes"]),
                         (["kalay"], [U1], 0, 1, 0))


class Scenarios(unittest.TestCase):
    def check(self, sc, want_labels=True):
        t = truth.compute_scenario(sc)
        keys = [k for k in sc.pppp_keys.split(",") if k]
        n = 0
        for (ts, raw), f in zip(sc.frames, t["frames"]):
            d = decode(raw)
            label = f["p2p"]
            if label is None:
                self.assertFalse({"p2p", "p2p_lan"} & set(f["findings"]))
                if d.payload is not None:
                    self.assertFalse(p2p.kalay_claimed(d.payload), f["n"])
                    self.assertIsNone(p2p.pppp_claimed(d.payload, keys), f["n"])
                continue
            n += 1
            self.assertTrue({"p2p", "p2p_lan"} & set(f["findings"]), f)
            if label["platform"] == "kalay":
                self.assertTrue(p2p.kalay_claimed(d.payload))
            else:
                self.assertEqual(p2p.pppp_claimed(d.payload, keys), label["key"])
        self.assertEqual(n > 0, want_labels)
        return t

    def test_bundled(self):
        reg = registry()
        for name, seed in (("kalay", 21), ("pppp", 22)):
            sc = reg[name](seed)
            self.assertLess(len(sc.frames), 3000)
            t = self.check(sc)
            labels = [f["p2p"] for f in t["frames"] if f["p2p"]]
            self.assertGreater(len({x["uid"] for x in labels if x["uid"]}), 1)
        t = truth.compute_scenario(reg["pppp"](22))
        self.assertEqual({f["p2p"]["key"] for f in t["frames"] if f["p2p"]},
                         {"", "camera", "SHIX", "SSD@cs2-network.", "vstarcam2019", "myvendorkey"})
        self.assertEqual(t["pppp_keys"], "myvendorkey")
        sc = reg["p2p_negatives"](23)
        t = self.check(sc, want_labels=False)
        self.assertFalse(any(f["findings"] for f in t["frames"]))

    def test_variant(self):
        for seed in range(1, 13):
            sc = registry()["p2p_variant"](seed)
            self.check(sc)
            self.assertIn(sc.pppp_keys, ("", "myvendorkey"))

    def test_recovery_scenario(self):
        """Cameras under keys nobody published: every labelled datagram decrypts under the key
        its label names to the labelled message (decrypted here, by the generator's own cipher),
        no published key or plaintext reads it, each pair's datagrams are numbered 1, 2, ... in
        capture order, and nothing unlabelled looks like PPPP to the header rules."""
        for seed in (1, 2, 3):
            sc = registry()["pppp_recovery"](seed)
            t = truth.compute_scenario(sc)
            numbers, seeds = {}, set()
            for (ts, raw), f in zip(sc.frames, t["frames"]):
                d = decode(raw)
                label = f["p2p"]
                if label is None:
                    if d.payload is not None:
                        self.assertIsNone(p2p.pppp_claimed(d.payload), f["n"])
                    continue
                self.assertTrue(label["key"].startswith("recovered "))
                key = tuple(int(x, 16) for x in label["key"].split()[1].split(":"))
                seeds.add(key)
                plain = cipher.decrypt_seed(d.payload, key)
                self.assertEqual((plain[0], plain[1], plain[2] << 8 | plain[3]), (0xF1, label["code"], len(plain) - 4))
                self.assertTrue(cipher.well_formed(plain), f["n"])
                if label["uid"]:
                    self.assertEqual(plain[4:24], cipher.uid_bytes(label["uid"]))
                self.assertIsNone(p2p.pppp_claimed(d.payload), f["n"])
                numbers[label["pair"]] = numbers.get(label["pair"], 0) + 1
                self.assertEqual(label["pair_index"], numbers[label["pair"]])
            self.assertGreaterEqual(len(seeds), 3)
            self.assertGreater(sum(1 for n in numbers.values() if n >= 4), len(seeds))


if __name__ == "__main__":
    unittest.main()
