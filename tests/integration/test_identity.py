"""Who each device is and where it calls: the identity fields and report
columns against the ground truth of the generated identity captures
(captures/identity.pcap and identity_variant seeds), with MaxMind databases
written for the test (make_mmdb.pl) and configured the Wireshark way (the
maxmind_db_paths table of the personal configuration); and subnet filters on
the address-typed device and remote fields.
"""
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from tshark_env import CAPTURES, DEVICE, REMOTE, SOURCE_DIR, TsharkTestCase

VARIANT_SEEDS = (101, 102, 103)


def geolocation_options():
    """From 4.4, geolocation is the name-resolution preference
    nameres.maxmind_geoip, which -n turns off with the rest; the user keeps it
    with -o (4.0 has no such preference and always looks up)."""
    prefs = subprocess.run(["tshark", "-G", "defaultprefs"], capture_output=True, text=True).stdout
    return ["-o", "nameres.maxmind_geoip:TRUE"] if "nameres.maxmind_geoip:" in prefs else []
MAKE_MMDB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_mmdb.pl")


def networks(rows):
    return [(ipaddress.ip_network(r[0]), r[1:]) for r in rows]


def covering(nets, addr):
    a = ipaddress.ip_address(addr)
    hits = [(n, v) for n, v in nets if a.version == n.version and a in n]
    return max(hits, key=lambda h: h[0].prefixlen)[1] if hits else None


class IdentityCaptures(TsharkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not shutil.which("perl") or subprocess.run(["perl", "-MMaxMind::DB::Writer::Tree", "-e", "1"],
                                                       capture_output=True).returncode != 0:
            raise unittest.SkipTest("libmaxmind-db-writer-perl is not installed")
        cls.scratch = tempfile.mkdtemp(prefix="phonehome-identity-")
        cls.addClassCleanup(shutil.rmtree, cls.scratch, ignore_errors=True)
        cls.captures = [(os.path.join(CAPTURES, "identity.pcap"), os.path.join(CAPTURES, "identity.truth.json"))]
        for seed in VARIANT_SEEDS:
            out = os.path.join(cls.scratch, "identity_v%d.pcap" % seed)
            subprocess.run([sys.executable, os.path.join(CAPTURES, "generate.py"), "identity_variant", "--seed",
                            str(seed), "--out", out, "-q"], check=True)
            cls.captures.append((out, out[:-5] + ".truth.json"))
        cls.geo = geolocation_options()

    def configure_maxmind(self, truth_path):
        """Databases covering this capture's remotes, in the maxmind_db_paths
        table of the (scratch) personal configuration."""
        folder = os.path.join(self.tshark.root, "mmdb")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        subprocess.run(["perl", MAKE_MMDB, truth_path, folder], check=True, capture_output=True)
        config = os.path.join(self.tshark.home, ".config", "wireshark")
        os.makedirs(config, exist_ok=True)
        with open(os.path.join(config, "maxmind_db_paths"), "w") as f:
            f.write('"%s"\n' % folder)
        for d in (self.tshark.root, folder, os.path.join(self.tshark.home, ".config"), config):
            os.chmod(d, 0o777)
        for name in os.listdir(folder):
            os.chmod(os.path.join(folder, name), 0o644)
        os.chmod(os.path.join(config, "maxmind_db_paths"), 0o644)

    def report(self, pcap, name):
        return json.loads(self.tshark.run("-n", *self.geo, "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome," + name))

    def test_identity_matches_the_ground_truth(self):
        for pcap, truth_path in self.captures:
            with self.subTest(capture=os.path.basename(pcap)):
                with open(truth_path) as f:
                    truth = json.load(f)["identity"]
                self.configure_maxmind(truth_path)
                self.check_device_names(pcap, truth)
                self.check_devices_report(pcap, truth)
                self.check_remotes_report(pcap, truth)

    def check_device_names(self, pcap, truth):
        rows = self.fields(pcap, "frame.number", DEVICE, REMOTE, "phonehome.device_name", display_filter="phonehome")
        got = {int(n): (device, name or None) for n, device, remote, name in rows if device and remote}
        want = {e["n"]: (e["device"], e["name"]) for e in truth["device_names"]}
        self.assertEqual(len(got), len(want))
        wrong = [(n, got.get(n), w) for n, w in want.items() if got.get(n) != w]
        self.assertEqual(wrong, [], "frames whose device or device name differ (frame, got, want)")
        self.assertTrue(any(name for _, name in want.values()))
        self.assertTrue(any(name is None for _, name in want.values()))  # before a device announced itself

    def check_devices_report(self, pcap, truth):
        vendors = {}
        for mac, vendor in self.fields(pcap, "eth.src", "eth.src.oui_resolved"):
            vendors.setdefault(mac, vendor)
        rows = {r["device"]: r for r in self.report(pcap, "devices.json")["devices"]}
        for addr, want in truth["devices"].items():
            row = rows.get(addr)
            self.assertIsNotNone(row, addr)
            self.assertEqual(row["names"], want["names"], addr)
            self.assertEqual(row["dhcp_vendor_class"], want["dhcp_vendor_class"], addr)
            self.assertEqual(row["ssdp_servers"], want["ssdp_servers"], addr)
            if want["mac"]:
                self.assertEqual(row["vendor"], vendors.get(want["mac"]) or None, addr)
        named = [a for a, w in truth["devices"].items() if w["names"]]
        self.assertGreaterEqual(len(named), 4)

    def check_remotes_report(self, pcap, truth):
        countries, owners = networks(truth["geo"]["country"]), networks(truth["geo"]["asn"])
        rows = {(r["device"], r["remote"]): r for r in self.report(pcap, "remotes.json")["remotes"]}
        self.assertEqual(set(rows), {(p["device"], p["remote"]) for p in truth["remotes"]})
        for pair in truth["remotes"]:
            row = rows[(pair["device"], pair["remote"])]
            self.assertEqual(row["names"], pair["names"], pair)
            country, owner = covering(countries, pair["remote"]), covering(owners, pair["remote"])
            self.assertEqual([row["country_iso"], row["country"]], list(country) if country else [None, None], pair)
            self.assertEqual([row["asn"], row["as_org"]], list(owner) if owner else [None, None], pair)
        self.assertTrue(any(len(p["names"]) > 1 for p in truth["remotes"]))
        self.assertTrue(any(covering(countries, p["remote"]) for p in truth["remotes"]))

    def test_geo_fields_on_packets_agree_in_every_pass(self):
        pcap, truth_path = self.captures[0]
        self.configure_maxmind(truth_path)
        with open(truth_path) as f:
            countries = networks(json.load(f)["identity"]["geo"]["country"])
        fields = ["frame.number", "phonehome.remote", "phonehome.remote6", "phonehome.remote_country",
                  "phonehome.remote_asn", "phonehome.remote_as_org"]
        args = ["-n", *self.geo, "-r", self.tshark.stage(pcap), "-Y", "phonehome", "-T", "fields"]
        for f in fields:
            args += ["-e", f]
        one = self.tshark.run(*args)
        self.assertEqual(self.tshark.run("-2", *args), one)
        checked = 0
        for line in one.splitlines():
            _, r4, r6, country, _asn, _org = line.split("\t")
            if r4 or r6:
                want = covering(countries, r4 or r6)
                self.assertEqual(country, want[1] if want else "", line)
                checked += bool(want)
        self.assertGreater(checked, 100)


class SubnetFilters(TsharkTestCase):
    """phonehome.device / device6 / remote / remote6 == <subnet> select exactly
    the packets whose device or remote lies in it, as ip.addr does."""

    def test_subnets_select_exactly_their_packets(self):
        pcap = os.path.join(CAPTURES, "identity.pcap")
        rows = self.fields(pcap, "frame.number", DEVICE, REMOTE, display_filter="phonehome")
        packets = [(n, d, r) for n, d, r in rows if d and r]
        v6_devices = {d for _, d, _ in packets if ":" in d}
        self.assertTrue(v6_devices, "the capture has IPv6 devices")
        cases = [("phonehome.device", "192.168.1.0/24", 1), ("phonehome.device", "192.168.1.32/30", 1),
                 ("phonehome.device", "192.168.1.30", 1), ("phonehome.device", "10.0.0.0/8", 1),
                 ("phonehome.device6", "fd00::/8", 1), ("phonehome.device6", next(iter(v6_devices)) + "/128", 1),
                 ("phonehome.device6", "fd4e:7a61:9c2b:1::/64", 1), ("phonehome.device6", "2001:db8::/32", 1),
                 ("phonehome.remote", "52.94.224.0/20", 2), ("phonehome.remote", "104.16.0.0/12", 2),
                 ("phonehome.remote6", "2a00:1450::/32", 2), ("phonehome.remote6", "2000::/3", 2)]
        selected_any = 0
        for field, subnet, column in cases:
            with self.subTest(filter="%s == %s" % (field, subnet)):
                net = ipaddress.ip_network(subnet)
                want = sorted(int(n) for n, *addrs in packets if addrs[column - 1] and
                              ipaddress.ip_address(addrs[column - 1]).version == net.version and
                              ipaddress.ip_address(addrs[column - 1]) in net)
                got = [int(r[0]) for r in self.fields(pcap, "frame.number", display_filter="%s == %s" % (field, subnet))]
                self.assertEqual(got, want)
                selected_any += bool(want)
        self.assertGreaterEqual(selected_any, 9)


if __name__ == "__main__":
    unittest.main()
