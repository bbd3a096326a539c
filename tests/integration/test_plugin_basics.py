"""The plugin loads cleanly, registers its user-facing names and puts its fields
where they are promised."""
import os
import subprocess
import unittest

from tshark_env import CAPTURES, DEVICE, REMOTE, SERIES, TsharkTestCase

HEARTBEATS = os.path.join(CAPTURES, "heartbeats.pcap")
DETAILS = ("phonehome.direction", "phonehome.transport", "phonehome.device_port", "phonehome.remote_port")


class PluginBasics(TsharkTestCase):

    def test_listed_as_a_dissector_plugin_with_its_version(self):
        line = [l for l in self.tshark.run("-G", "plugins").splitlines() if "phonehome.so" in l]
        self.assertEqual(len(line), 1)
        self.assertRegex(line[0], r"phonehome\.so\s+\d+\.\d+\.\d+\s+dissector")

    def test_protocol_and_fields_are_registered(self):
        protocols = self.tshark.run("-G", "protocols")
        self.assertIn("IoT Phone-Home Analysis\tphonehome\tphonehome", protocols)
        fields = {l.split("\t")[2]: l.split("\t")[3] for l in self.tshark.run("-G", "fields").splitlines()
                  if l.startswith("F\t") and "\tphonehome" in l}
        # Addresses are address-typed (subnet filters work), one field per family.
        expected = {"phonehome.device": "FT_IPv4", "phonehome.device6": "FT_IPv6", "phonehome.remote": "FT_IPv4",
                    "phonehome.remote6": "FT_IPv6", "phonehome.pattern": "FT_STRING"}
        for name, ftype in expected.items():
            self.assertEqual(fields.get(name), ftype, name)

    def test_expert_infos_are_registered_as_fields(self):
        fields = [l.split("\t") for l in self.tshark.run("-G", "fields").splitlines() if l.startswith("F\t")]
        names = {f[2] for f in fields}
        self.assertIn("phonehome.sink", names)
        self.assertIn("phonehome.pinhole", names)

    def test_preferences_exist_with_defaults(self):
        prefs = self.tshark.run("-G", "defaultprefs")
        self.assertIn("#phonehome.local_networks: ", prefs)
        self.assertIn("#phonehome.sink_ports: 0-1", prefs)
        self.assertIn("#phonehome.pinhole_silence: 20", prefs)

    def test_disabling_phonehome_switches_its_analysis_off(self):
        # The postdissector's handle belongs to a helper protocol of phonehome
        # (plugin/phonehome_proto.cpp), which Wireshark enables and disables
        # with phonehome; the Kalay dissector, a protocol of its own, goes on.
        kalay = self.tshark.stage(os.path.join(CAPTURES, "kalay.pcap"))
        for disable, expect in (((), True), (("--disable-protocol", "phonehome"), False)):
            tree = self.tshark.run("-n", "-r", kalay, "-V", *disable)
            listing = self.tshark.run("-n", "-r", kalay, *disable)
            expert = self.tshark.run("-n", "-q", "-r", kalay, "-z", "expert", *disable)
            self.assertEqual("\nIoT Phone-Home Analysis, " in tree, expect, disable)
            self.assertEqual("[phonehome: " in listing, expect, disable)
            self.assertEqual(" phonehome " in expert, expect, disable)
            self.assertIn("\nThroughTek Kalay (TUTK IOTC)", tree)

    def test_report_is_offered(self):
        proc = subprocess.run(self.tshark.command(["-z", "help"]), capture_output=True, text=True)
        self.assertIn("     phonehome,devices\n", proc.stdout + proc.stderr)


    def test_fields_on_every_device_remote_packet(self):
        # Device, remote and the remote's name on every device/remote packet;
        # direction, transport and ports on flagged packets, and on all of
        # them once a filter (or column, or colouring rule) refers to phonehome.
        base = ("frame.number", "ip.src", "ipv6.src", DEVICE, REMOTE,
                "phonehome.remote_name", "phonehome.pattern")
        plain = self.fields(HEARTBEATS, *base, *DETAILS)
        filtered = {r[0]: r for r in self.fields(HEARTBEATS, *base, *DETAILS, display_filter="phonehome")}
        device_packets = [r for r in plain if r[3]]
        self.assertGreater(len(device_packets), 1000)
        self.assertLessEqual({r[0] for r in device_packets}, set(filtered))
        for number in set(filtered) - {r[0] for r in device_packets}:
            self.assertTrue(filtered[number][6], number)  # a LAN packet with a finding (p2p_dns, p2p_lan)
        unflagged = flagged = named = 0
        for row in device_packets:
            number, src, src6, device, remote, name, pattern = row[:7]
            self.assertTrue(remote, number)
            named += bool(name)
            full = filtered[number]
            self.assertEqual(full[:7], row[:7], number)  # the same packet, the same verdict
            # With the filter: every field, and the direction is right.
            self.assertEqual(full[7], "outbound" if device in (src, src6) else "inbound", number)
            self.assertIn(full[8], ("tcp", "udp"), number)
            self.assertTrue(full[9] and full[10], number)
            if pattern:
                flagged += 1
                self.assertEqual(row[7:], full[7:], number)
            else:
                unflagged += 1
                # tshark 4.4 and later prime the fields named with -e (the
                # plugin then fills them in); 4.0 and 4.2 do not.
                self.assertEqual(row[7:], full[7:] if SERIES >= (4, 4) else ["", "", "", ""], number)
        self.assertGreater(unflagged, 100)
        self.assertGreater(flagged, 100)
        self.assertGreater(named, 1000)

    def test_tree_shows_only_on_flagged_packets(self):
        text = self.tshark.run("-n", "-V", "-r", self.tshark.stage(HEARTBEATS))
        frames = text.split("\nFrame ")[1:]
        shown = [f for f in frames if "\nIoT Phone-Home Analysis" in f]
        flagged = self.fields(HEARTBEATS, "phonehome.pattern", display_filter="phonehome.pattern")
        self.assertEqual(len(shown), len(flagged))
        with_device = [f for f in shown if "Device: " in f]
        self.assertGreater(len(with_device), 100)
        for frame in with_device:
            self.assertIn("Direction: ", frame)
            self.assertIn("Remote: ", frame)
            self.assertIn("Transport: ", frame)


if __name__ == "__main__":
    unittest.main()
