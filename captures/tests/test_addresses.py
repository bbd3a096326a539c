import unittest

import _util  # noqa: F401
from pcapgen.addresses import GLOBAL, LOCAL, NONROUTABLE, classify, parse_networks, random_global


class Classify(unittest.TestCase):
    CASES = {
        LOCAL: ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.20", "100.64.0.1", "169.254.3.4",
                "127.0.0.1", "192.0.0.8", "192.0.0.170", "198.18.0.1", "198.19.255.255", "fd12::1",
                "fc00::1", "fe80::1", "fec0::1", "::1", "2001:2::1", "64:ff9b:1::1"],
        GLOBAL: ["106.13.0.0", "1.1.1.1", "8.8.8.8", "192.0.0.9", "192.0.0.10", "172.32.0.1",
                 "100.128.0.1", "52.28.1.2", "2600:1f18::1", "2a05:d018::1", "2001::1",
                 "2001:0:abcd::1", "2001:4860::8888", "3000::1", "3fff:1000::1"],
        NONROUTABLE: ["192.0.2.1", "198.51.100.7", "203.0.113.7", "224.0.0.251", "239.255.255.250",
                      "255.255.255.255", "0.0.0.0", "0.1.2.3", "240.0.0.1", "::", "2001:db8::1",
                      "3fff::1", "3fff:fff::1", "2001:1::1", "2001:100::1", "ff02::fb",
                      "::ffff:10.0.0.1", "64:ff9b::1.2.3.4", "4000::1"],
    }

    def test_table(self):
        for want, addrs in self.CASES.items():
            for a in addrs:
                with self.subTest(addr=a):
                    self.assertEqual(classify(a), want)

    def test_extra_local_networks(self):
        nets = parse_networks("2a01:cb00:1:2::/64, 52.28.0.0/16")
        self.assertEqual(classify("2a01:cb00:1:2::99", nets), LOCAL)
        self.assertEqual(classify("2a01:cb00:1:3::99", nets), GLOBAL)
        self.assertEqual(classify("52.28.9.9", nets), LOCAL)
        self.assertEqual(parse_networks(""), [])

    def test_random_remotes_are_global(self):
        import random
        rng = random.Random(3)
        for v in (4, 6) * 200:
            self.assertEqual(classify(random_global(rng, v)), GLOBAL)


if __name__ == "__main__":
    unittest.main()
