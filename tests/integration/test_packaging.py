"""The Debian packages (cpack -G DEB) and the "phonehome" configuration profile.

PackageTest builds both packages from the build tree the tests run against
(debian_packages.py), extracts them and checks the main package's control
fields, its file layout (the plugin in Wireshark's global plugin folder, the
profile in Wireshark's global profiles folder, the docs, the man page, the
changelog), and that tshark loads the packaged plugin and finds the packaged
profile as a global one with -C phonehome. test_debug_package.py checks the
stripped plugin and the -dbgsym package. ProfileTest loads packaging/profile
with `tshark -C phonehome` from a scratch HOME and checks the columns, their
widths, colouring rules and filter buttons.
"""
import filecmp
import glob
import gzip
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from xml.etree import ElementTree

from debian_packages import (PACKAGE, Nobody, Packages, plugin_series, project_version, run,
                             wireshark_folder)
from tshark_env import CAPTURES, PLUGIN, SOURCE_DIR

PROFILE_SRC = os.path.join(SOURCE_DIR, "packaging", "profile")
PROFILE_FILES = ("preferences", "colorfilters", "dfilter_buttons", "recent", "io_graphs")
DOC = "/usr/share/doc/" + PACKAGE
MAN_PAGE = "/usr/share/man/man7/phonehome.7.gz"
# The documentation in the doc folder: (path there, source), as in docs/ so the guide's links work.
DOCS = [("README.md", "README.md"), ("user-guide.md", "docs/user-guide.md"), ("fields.md", "docs/fields.md"),
        ("README.Debian", "packaging/README.Debian"), ("copyright", "packaging/copyright")]
DOCS += [("protocols/" + os.path.basename(p), os.path.relpath(p, SOURCE_DIR))
         for p in sorted(glob.glob(os.path.join(SOURCE_DIR, "docs", "protocols", "*.md")))]
FINDINGS = ("sink", "pinhole", "p2p", "p2p_lan", "p2p_dns", "heartbeat", "dead_cloud")
# The packet list's default font (DejaVu Sans Mono 10 pt at 96 dpi) advances
# 8 px a character; a column also needs a few pixels of margin.
CHAR_PX, MARGIN_PX = 8, 8
IPV6_CHARS = len("2001:0db8:0000:0000:0000:ff00:0042:8329")
# (title, field) of the custom columns, between Length and Info.
CUSTOM_COLUMNS = (
    ("Device", "phonehome.device || phonehome.device6"),
    ("Remote", "phonehome.remote || phonehome.remote6"),
    ("Remote name", "phonehome.remote_name"),
    ("Findings", "phonehome.pattern"),
    ("Beat period (s)", "phonehome.heartbeat.period"),
)


def global_profiles_dir():
    """Wireshark's global profiles folder: profiles/ in its data folder."""
    return os.path.join(wireshark_folder("Global configuration"), "profiles")


def parse_depends(depends):
    """'a (>= 1), b | c' -> [[('a', '>=', '1')], [('b', None, None), ('c', None, None)]]"""
    result = []
    for clause in depends.split(","):
        alts = []
        for alt in clause.split("|"):
            m = re.fullmatch(r"\s*([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9]+)?\s*(?:\(\s*(<<|<=|=|>=|>>)\s*([^)\s]+)\s*\))?\s*", alt)
            if not m:
                raise AssertionError("malformed Depends clause %r in %r" % (alt, depends))
            alts.append(m.groups())
        result.append(alts)
    return result


def version_satisfies(version, op, bound):
    dpkg_op = {"<<": "lt", "<=": "le", "=": "eq", ">=": "ge", ">>": "gt"}[op]
    return subprocess.run(["dpkg", "--compare-versions", version, dpkg_op, bound]).returncode == 0


def psml_columns(psml):
    """(column titles, [row values]) of tshark -T psml output."""
    root = ElementTree.fromstring(psml)
    titles = [section.text or "" for section in root.find("structure").findall("section")]
    rows = [[section.text or "" for section in packet.findall("section")] for packet in root.findall("packet")]
    return titles, rows


def data_dir_with(root, profiles_dir):
    """A copy of Wireshark's data folder (links to its entries) whose profiles/
    holds the profiles of an extracted package: what the data folder is after
    apt install, without installing."""
    system = wireshark_folder("Global configuration")
    data = os.path.join(root, "data")
    os.makedirs(os.path.join(data, "profiles"))
    for entry in os.listdir(system):
        if entry != "profiles":
            os.symlink(os.path.join(system, entry), os.path.join(data, entry))
    for profile in os.listdir(profiles_dir):
        shutil.copytree(os.path.join(profiles_dir, profile), os.path.join(data, "profiles", profile))
    return data


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.packages = Packages()
        cls.addClassCleanup(cls.packages.close)
        cls.deb = cls.packages.deb[PACKAGE]
        cls.arch = run(["dpkg", "--print-architecture"]).strip()
        cls.global_plugins = wireshark_folder("Global Plugins")
        cls.global_profiles = global_profiles_dir()

    def field(self, name):
        return self.packages.field(PACKAGE, name)

    def in_root(self, path):
        return self.packages.path(PACKAGE, path)

    def test_control_fields(self):
        self.assertEqual(self.field("Package"), PACKAGE)
        self.assertEqual(self.field("Architecture"), self.arch)
        version = self.field("Version")
        self.assertEqual(version, "%s-1+ws%s" % (project_version(), plugin_series()))
        self.assertEqual(os.path.basename(self.deb), "%s_%s_%s.deb" % (PACKAGE, version, self.arch))
        self.assertEqual(self.field("Section"), "net")
        self.assertTrue(self.field("Maintainer"))
        description = self.field("Description").splitlines()
        self.assertRegex(description[0], r"^Wireshark %s plugin: " % re.escape(plugin_series()))
        self.assertIn("phonehome(7)", self.field("Description"))

    def test_depends_on_the_matching_libwireshark(self):
        series = plugin_series()
        major, minor = (int(x) for x in series.split("."))
        depends = parse_depends(self.field("Depends"))
        bounds = [alts[0] for alts in depends if len(alts) == 1 and alts[0][0].startswith("libwireshark")]
        names = {name for name, _, _ in bounds}
        self.assertEqual(len(names), 1, "one libwireshark package expected in Depends: %r" % bounds)
        name = names.pop()
        self.assertRegex(name, r"^libwireshark[0-9]+$")
        # The package that provides the soname the plugin links against.
        if shutil.which("readelf"):
            needed = re.findall(r"\(NEEDED\).*\[(libwireshark\.so\.[0-9]+)\]", run(["readelf", "-d", PLUGIN]))
            self.assertEqual(["libwireshark" + needed[0].rsplit(".", 1)[1]], [name])
        ops = {op for _, op, _ in bounds}
        self.assertIn(">=", ops, "no lower bound on %s" % name)
        self.assertIn("<<", ops, "no upper bound on %s" % name)

        def ok(version):
            return all(version_satisfies(version, op, bound) for _, op, bound in bounds)
        n = "%d.%d" % (major, minor)
        nxt = "%d.%d" % (major, minor + 1)
        for good in (n + ".0-1", n + ".17-0+deb12u3", n + ".99-1~bpo12+1"):
            self.assertTrue(ok(good), "%s %s must satisfy %r" % (name, good, bounds))
        for bad in ("%d.%d.20-1" % (major, minor - 1) if minor else "%d.99.0-1" % (major - 1),
                    nxt + ".0~rc1-1", nxt + ".0-1", "%d.%d.0-1" % (major, minor + 2), "%d.0.0-1" % (major + 1)):
            self.assertFalse(ok(bad), "%s %s must not satisfy %r" % (name, bad, bounds))
        # The libwireshark installed here (the one the plugin was built against) satisfies it.
        installed = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True)
        if installed.returncode == 0 and installed.stdout:
            self.assertTrue(ok(installed.stdout), "installed %s %s" % (name, installed.stdout))

    def test_file_layout(self):
        expected = {os.path.join(self.global_plugins, "epan", "phonehome.so"), MAN_PAGE,
                    DOC + "/changelog.Debian.gz"}
        expected |= {os.path.join(self.global_profiles, "phonehome", f) for f in PROFILE_FILES}
        expected |= {DOC + "/" + installed for installed, _ in DOCS}
        self.assertEqual(self.packages.files(PACKAGE), expected)
        self.assertTrue(self.global_plugins.startswith("/usr/"), self.global_plugins)
        self.assertTrue(self.global_plugins.endswith("/plugins/" + plugin_series()), self.global_plugins)
        self.assertTrue(self.global_profiles.startswith("/usr/"), self.global_profiles)
        listing = run(["dpkg-deb", "-c", self.deb])
        for line in listing.splitlines():
            self.assertIn(" root/root ", line)
            self.assertFalse(line.startswith("l"), "symlink in the package: " + line)
            self.assertNotIn(" -> ", line)
            mode = line.split()[0]
            self.assertIn(mode, ("drwxr-xr-x", "-rw-r--r--"), line)

    def test_ships_the_profile_and_docs(self):
        for f in PROFILE_FILES:
            self.assertTrue(filecmp.cmp(self.in_root(os.path.join(self.global_profiles, "phonehome", f)),
                                        os.path.join(PROFILE_SRC, f), shallow=False), f)
        for installed, source in DOCS:
            self.assertTrue(filecmp.cmp(self.in_root(DOC + "/" + installed), os.path.join(SOURCE_DIR, source),
                                        shallow=False), installed)
        with open(self.in_root(DOC + "/README.Debian")) as f:
            readme = f.read()
        self.assertIn(os.path.join(self.global_profiles, "phonehome"), readme)
        self.assertNotIn("/usr/share/phonehome", readme)
        with open(self.in_root(DOC + "/copyright")) as f:
            self.assertTrue(f.read().startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"))

    def gunzip(self, path):
        """The content of a gzip file made with gzip -n (no name, no time stamp)."""
        with open(self.in_root(path), "rb") as f:
            header = f.read(10)
        self.assertEqual(header[:3], b"\x1f\x8b\x08", path + " is not gzip")
        self.assertEqual(header[3] & 0x08, 0, path + " carries a file name (gzip -n)")
        self.assertEqual(header[4:8], b"\0\0\0\0", path + " carries a time stamp (gzip -n)")
        with gzip.open(self.in_root(path), "rt", encoding="utf-8") as f:
            return f.read()

    def test_man_page_is_the_source_gzipped(self):
        with open(os.path.join(SOURCE_DIR, "docs", "phonehome.7"), encoding="utf-8") as f:
            self.assertEqual(self.gunzip(MAN_PAGE), f.read())

    def test_changelog_names_the_package_version(self):
        text = self.gunzip(DOC + "/changelog.Debian.gz")
        version = self.field("Version")
        # Debian changelog format: a heading, indented "  * " entries, a trailer.
        entries = re.findall(r"^(\S+) \(([^)]+)\) ([a-z-]+); urgency=(low|medium|high|emergency|critical)$", text, re.M)
        self.assertTrue(entries, "no changelog heading:\n" + text)
        self.assertEqual(entries[0][:2], (PACKAGE, version))
        self.assertRegex(text, r"\n  \* \S")
        trailers = re.findall(r"^ -- (.+ <[^>]+>)  ([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4})$",
                              text, re.M)
        self.assertEqual(len(trailers), len(entries), text)
        self.assertEqual(trailers[0][0], self.field("Maintainer"))
        self.assertIn("Wireshark %s" % plugin_series(), text)
        if shutil.which("dpkg-parsechangelog"):
            with tempfile.NamedTemporaryFile("w", suffix=".changelog") as f:
                f.write(text)
                f.flush()
                parsed = run(["dpkg-parsechangelog", "-l", f.name])
            self.assertRegex(parsed, r"(?m)^Version: %s$" % re.escape(version))
            self.assertRegex(parsed, r"(?m)^Source: %s$" % re.escape(PACKAGE))

    def test_tshark_loads_the_packaged_plugin_and_finds_the_global_profile(self):
        scratch = tempfile.mkdtemp(prefix="phonehome-pkg-run-")
        self.addCleanup(shutil.rmtree, scratch, ignore_errors=True)
        world = Nobody(scratch)
        # Nothing in the personal profiles folder: -C must find the profile where the package put it.
        data = data_dir_with(scratch, self.in_root(self.global_profiles))
        capture = world.stage(os.path.join(CAPTURES, "doorbell.pcap"))
        world.open_up()
        os.chmod(scratch, 0o755)
        plugin_dir = self.in_root(self.global_plugins.rsplit("/", 1)[0])  # .../wireshark/plugins
        plugins = world.tshark(plugin_dir, "-G", "plugins")
        so = self.in_root(os.path.join(self.global_plugins, "epan", "phonehome.so"))
        self.assertRegex(plugins, r"(?m)^phonehome\.so\s+%s\s+dissector\s+%s$" % (re.escape(project_version()), re.escape(so)))
        titles, rows = psml_columns(world.tshark(plugin_dir, "-C", "phonehome", "-n", "-r", capture,
                                                 "-Y", "phonehome.pinhole", "-T", "psml", data_dir=data))
        self.assertEqual(titles[6:6 + len(CUSTOM_COLUMNS)], [title for title, _ in CUSTOM_COLUMNS])
        self.assertTrue(rows)
        self.assertEqual({row[titles.index("Findings")] for row in rows}, {"sink,pinhole"})
        # As the man page and README.Debian say: Wireshark copies a global
        # profile into the personal profiles folder when it is first used.
        personal = os.path.join(world.home, ".config", "wireshark", "profiles", "phonehome")
        self.assertEqual(sorted(os.listdir(personal)), sorted(PROFILE_FILES))


class ProfileTest(unittest.TestCase):
    """packaging/profile loaded by tshark -C phonehome from a scratch HOME."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("tshark"):
            raise unittest.SkipTest("tshark is not installed")
        if not os.path.exists(PLUGIN):
            raise unittest.SkipTest("plugin not built: " + PLUGIN)
        cls.scratch = tempfile.mkdtemp(prefix="phonehome-profile-")
        cls.addClassCleanup(shutil.rmtree, cls.scratch, ignore_errors=True)
        os.chmod(cls.scratch, 0o755)
        cls.world = Nobody(cls.scratch)
        cls.plugin_dir = os.path.join(cls.scratch, "plugins")
        os.makedirs(os.path.join(cls.plugin_dir, plugin_series(), "epan"))
        shutil.copy(PLUGIN, os.path.join(cls.plugin_dir, plugin_series(), "epan", "phonehome.so"))
        shutil.copytree(PROFILE_SRC, os.path.join(cls.world.home, ".config", "wireshark", "profiles", "phonehome"))
        cls.doorbell = cls.world.stage(os.path.join(CAPTURES, "doorbell.pcap"))
        cls.heartbeats = cls.world.stage(os.path.join(CAPTURES, "heartbeats.pcap"))
        cls.world.open_up()

    def tshark(self, *args):
        return self.world.tshark(self.plugin_dir, *args)

    def test_profile_is_the_one_in_use(self):
        # -G must come first; the profile's column list is what tshark parsed.
        prefs = self.tshark("-G", "currentprefs", "-C", "phonehome")
        m = re.search(r"^gui\.column\.format:\s*\n((?:\t.*\n)+)", prefs, re.M)
        self.assertIsNotNone(m, "no gui.column.format in tshark -G currentprefs")
        pairs = re.findall(r'"([^"]*)",\s*"([^"]*)"', m.group(1))
        expected = [("No.", "%m"), ("Time", "%t"), ("Source", "%s"), ("Destination", "%d"),
                    ("Protocol", "%p"), ("Length", "%L")]
        expected += [(title, "%%Cus:%s:0:R" % field) for title, field in CUSTOM_COLUMNS]
        expected += [("Info", "%i")]
        self.assertEqual(pairs, expected)

    def test_custom_columns_show_phonehome_fields(self):
        # The columns as the profile shows them (PSML: tshark 4.2 and later
        # no longer take -e _ws.col.<custom column title>), beside the fields.
        selection = ["-C", "phonehome", "-n", "-r", self.heartbeats, "-Y", "phonehome.heartbeat && phonehome.remote_name"]
        titles, columns = psml_columns(self.tshark(*selection, "-T", "psml"))
        args = selection + ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
        # A column of "a || b" shows whichever of the two fields is present.
        alternatives = [field.split(" || ") for _, field in CUSTOM_COLUMNS]
        for names in alternatives:
            for name in names:
                args += ["-e", name]
        fields = []
        for line in self.tshark(*args).splitlines():
            cells = iter(line.split("\t"))
            fields.append([",".join(v for v in [next(cells) for _ in names] if v) for names in alternatives])
        self.assertTrue(fields)
        self.assertEqual(len(columns), len(fields))
        for column_row, field_row in zip(columns, fields):
            shown = [column_row[titles.index(title)] for title, _ in CUSTOM_COLUMNS]
            self.assertEqual(shown, field_row, "column values differ from the fields")
            self.assertTrue(all(shown), shown)
        # the default text output carries the columns too
        text = self.tshark("-C", "phonehome", "-n", "-r", self.doorbell, "-Y", "frame.number == 10")
        self.assertRegex(text, r"192\.168\.1\.20 +106\.13\.0\.0 +sink,pinhole +51506 → 1 Len=172")

    def test_colorfilters_compile_and_mark_every_finding(self):
        # --color makes tshark load the colouring rules; a rule that does not
        # compile is a warning on stderr, which Nobody.tshark fails on.
        self.tshark("-C", "phonehome", "--color", "-n", "-r", self.doorbell, "-c", "20")
        with open(os.path.join(PROFILE_SRC, "colorfilters")) as f:
            lines = f.read().splitlines()
        self.assertTrue(lines[0].startswith("#"))
        rules = []
        for line in lines[1:]:
            m = re.fullmatch(r"(!?)@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]", line)
            self.assertIsNotNone(m, "malformed colorfilters line: " + line)
            values = [int(v) for v in m.groups()[3:]]
            self.assertTrue(all(v <= 65535 for v in values), line)
            rules.append((m.group(1), m.group(3), tuple(values[:3])))  # [background][foreground]
        # one enabled rule per finding, before Wireshark's default rules, each its own background
        finding_rules = {}
        for i, (disabled, expr, bg) in enumerate(rules):
            if expr in ("phonehome." + x for x in FINDINGS):
                self.assertEqual(disabled, "")
                finding_rules[expr] = (i, bg)
        self.assertEqual(set(finding_rules), {"phonehome." + x for x in FINDINGS})
        self.assertEqual(sorted(i for i, _ in finding_rules.values()), list(range(len(FINDINGS))))
        self.assertEqual(len({bg for _, bg in finding_rules.values()}), len(FINDINGS))
        # pinhole (an open way in) wins over sink on packets that are both
        self.assertLess(finding_rules["phonehome.pinhole"][0], finding_rules["phonehome.sink"][0])

    def column_formats(self):
        """The profile's columns as the keys of recent's column.width: %m, "%Cus:<field>", ..."""
        with open(os.path.join(PROFILE_SRC, "preferences")) as f:
            m = re.search(r"^gui\.column\.format:\s*\n((?:\t.*\n)+)", f.read(), re.M)
        formats = []
        for _, fmt in re.findall(r'"([^"]*)",\s*"([^"]*)"', m.group(1)):
            custom = re.fullmatch(r"%Cus:(.*):\d+:R", fmt)
            formats.append('"%%Cus:%s"' % custom.group(1) if custom else fmt)
        return formats

    def column_widths(self):
        with open(os.path.join(PROFILE_SRC, "recent")) as f:
            m = re.search(r"^column\.width:\s*\n((?:\t.*\n)+)", f.read(), re.M)
        return [(fmt, int(width)) for fmt, width in re.findall(r'\t(%\w|"[^"]+"),\s*(\d+),?\n', m.group(1))]

    def test_every_column_has_a_width(self):
        # Wireshark finds a column's width by its format: a width whose
        # format no column has is silently ignored.
        self.assertEqual([fmt for fmt, _ in self.column_widths()], self.column_formats())

    def test_columns_fit_what_they_show(self):
        """Each phonehome column fits the longest value it shows on the
        bundled captures (IPv6 devices and remotes, long remote names,
        several findings), and Device and Remote any IPv6 address."""
        widths = {fmt: width for fmt, width in self.column_widths()}
        longest = {title: len(title) for title, _ in CUSTOM_COLUMNS}
        for capture in sorted(glob.glob(os.path.join(CAPTURES, "*.pcap"))):
            titles, rows = psml_columns(self.tshark("-C", "phonehome", "-n", "-r", self.world.stage(capture),
                                                    "-Y", "phonehome", "-T", "psml"))
            for title, _ in CUSTOM_COLUMNS:
                longest[title] = max([longest[title]] + [len(row[titles.index(title)]) for row in rows])
        self.assertGreaterEqual(longest["Device"], len("fd4e:7a61:9c2b:1:f6f5:d8ff:fe2b:7e10"))  # identity.pcap
        self.assertGreaterEqual(longest["Remote name"], len("a1b2c3-ats.iot.eu-west-1.amazonaws.com"))
        longest["Device"] = longest["Remote"] = IPV6_CHARS
        for title, field in CUSTOM_COLUMNS:
            needed = longest[title] * CHAR_PX + MARGIN_PX
            self.assertGreaterEqual(widths['"%%Cus:%s"' % field], needed,
                                    "%s column: %d characters need %d px" % (title, longest[title], needed))

    def test_io_graphs_plot_every_finding(self):
        """The I/O Graph presets: Wireshark's io_graphs table (enabled, name,
        display filter, colour, style, Y axis, Y field, SMA period, Y axis
        factor), one graph per finding; every filter compiles."""
        with open(os.path.join(PROFILE_SRC, "io_graphs")) as f:
            lines = [l for l in f.read().splitlines() if l and not l.startswith("#")]
        graphed = set()
        for line in lines:
            fields = re.fullmatch(r'"(TRUE|FALSE)","([^"]+)","([^"]*)","(#[0-9a-f]{6})","(Line|Impulse|Bar|Dot)",'
                                  r'"Packets","","None","1"', line)
            self.assertIsNotNone(fields, "malformed or unusual io_graphs line: " + line)
            expr = fields.group(3)
            if expr:
                self.tshark("-n", "-r", self.doorbell, "-Y", expr, "-c", "1")  # compiles
            graphed |= set(re.findall(r"phonehome\.(\w+)", expr))
        self.assertEqual(graphed, set(FINDINGS))

    def test_filter_buttons_parse_and_compile(self):
        # tshark loads dfilter_buttons (a UAT) and reports a malformed line on stderr
        self.tshark("-C", "phonehome", "-n", "-r", self.doorbell, "-c", "1")
        with open(os.path.join(PROFILE_SRC, "dfilter_buttons")) as f:
            lines = [l for l in f.read().splitlines() if l and not l.startswith("#")]
        labels = set()
        for line in lines:
            m = re.fullmatch(r'"(TRUE|FALSE)","([^"\\]+)","([^"\\]+)","([^"\\]*)"', line)
            self.assertIsNotNone(m, "malformed dfilter_buttons line: " + line)
            enabled, label, expr, _ = m.groups()
            self.assertEqual(enabled, "TRUE")
            labels.add(label)
            self.tshark("-n", "-r", self.doorbell, "-Y", expr, "-c", "1")  # compiles
        self.assertTrue({"Sink", "Pinhole", "P2P", "Heartbeat", "Dead cloud"} <= labels, labels)
        exprs = " ".join(lines)
        for finding in FINDINGS:
            self.assertRegex(exprs, r"phonehome\.%s\b(?!_)" % finding)


if __name__ == "__main__":
    unittest.main()
