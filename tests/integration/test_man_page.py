"""docs/phonehome.7, the man page the package installs as phonehome(7).

It must render with man(1) without a warning, carry the project's version,
and name everything a user sets or asks for: every finding, every preference
and preference table the plugin registers (from `tshark -G defaultprefs`), and
every `-z phonehome,...` report (from `tshark -z help`), so it cannot drift
from the plugin unnoticed.
"""
import os
import re
import shutil
import subprocess
import unittest

from debian_packages import project_version
from tshark_env import SOURCE_DIR, TsharkTestCase

MAN_PAGE = os.path.join(SOURCE_DIR, "docs", "phonehome.7")
FINDINGS = ("sink", "pinhole", "p2p", "p2p_lan", "p2p_dns", "heartbeat", "dead_cloud")
SECTIONS = ("NAME", "SYNOPSIS", "DESCRIPTION", "FINDINGS", "FIELDS", "REPORTS", "PREFERENCES", "FILES",
            "EXAMPLES", "SEE ALSO")


def rendered(*options):
    """(text, stderr) of man rendering the page at 80 columns."""
    env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    proc = subprocess.run(["man"] + list(options) + ["-l", MAN_PAGE], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise AssertionError("man -l %s exited %d:\n%s" % (MAN_PAGE, proc.returncode, proc.stderr))
    # man formats for a terminal: drop overstrike bold and underline.
    return re.sub(r".\x08", "", proc.stdout), proc.stderr


class ManPageSource(unittest.TestCase):
    def setUp(self):
        with open(MAN_PAGE, encoding="utf-8") as f:
            self.source = f.read()

    def test_title_line(self):
        m = re.search(r'^\.TH PHONEHOME 7 (\d{4}-\d{2}-\d{2}) "phonehome ([0-9.]+)" "[^"]+"$', self.source, re.M)
        self.assertIsNotNone(m, "no .TH PHONEHOME 7 <date> \"phonehome <version>\" line")
        self.assertEqual(m.group(2), project_version(), "the man page's version is not the project's")

    def test_sections(self):
        self.assertEqual(re.findall(r'^\.SH "?([A-Z ]+?)"?$', self.source, re.M), list(SECTIONS))

    @unittest.skipUnless(shutil.which("man"), "man is not installed")
    def test_renders_without_warnings(self):
        text, err = rendered("--warnings")
        self.assertEqual(err, "", "man --warnings complained")
        self.assertRegex(text, r"(?m)^NAME\n +phonehome - ")
        for line in text.splitlines():
            self.assertLessEqual(len(line), 80, "wider than the terminal: " + line)


class ManPageCoversThePlugin(TsharkTestCase):
    """What the plugin registers, as the tshark it loads into lists it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(MAN_PAGE, encoding="utf-8") as f:
            # Names as they read: roff's \- is a hyphen.
            cls.source = f.read().replace("\\-", "-")

    def assertNamed(self, name):
        self.assertTrue(re.search(r"(?<![\w.])%s(?!\w)" % re.escape(name), self.source),
                        "phonehome(7) does not name " + name)

    def test_names_every_finding(self):
        for finding in FINDINGS:
            self.assertNamed("phonehome." + finding)

    def test_names_every_preference(self):
        prefs = re.findall(r"^#((?:phonehome|pppp|kalay)\.\w+):", self.tshark.run("-G", "defaultprefs"), re.M)
        self.assertIn("phonehome.pinhole_silence", prefs)
        for pref in prefs:
            self.assertNamed(pref)

    def test_names_every_preference_table(self):
        # The tables are files of the same name in the profile folder.
        source = ""
        for name in ("phonehome_prefs.cpp", "pppp_dissector.cpp"):
            with open(os.path.join(SOURCE_DIR, "plugin", name)) as f:
                source += f.read()
        tables = re.findall(r'register_list_uat\(\s*prefs,\s*"(\w+)"', source)
        self.assertGreaterEqual(len(tables), 4)
        for table in tables:
            self.assertNamed(table)

    def test_names_every_report(self):
        # tshark lists the statistics on stderr.
        listing = subprocess.run(self.tshark.command(["-z", "help"]), capture_output=True, text=True,
                                 cwd=self.tshark.work)
        reports = re.findall(r"^\s+(phonehome,\S+)$", listing.stdout + listing.stderr, re.M)
        self.assertIn("phonehome,devices", reports)
        for report in reports:
            self.assertNamed(report)


if __name__ == "__main__":
    unittest.main()
