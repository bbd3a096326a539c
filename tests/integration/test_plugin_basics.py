"""The plugin loads cleanly and registers its user-facing names."""
import subprocess
import unittest

from tshark_env import TsharkTestCase


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
        for name in ("phonehome.device", "phonehome.remote", "phonehome.pattern"):
            self.assertEqual(fields.get(name), "FT_STRING", name)

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

    def test_report_is_offered(self):
        proc = subprocess.run(self.tshark.command(["-z", "help"]), capture_output=True, text=True)
        self.assertIn("     phonehome,devices\n", proc.stdout + proc.stderr)


if __name__ == "__main__":
    unittest.main()
