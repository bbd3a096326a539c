"""The Debian package (cpack -G DEB) and the "phonehome" configuration profile.

PackageTest builds the package from the build tree the tests run against
(found from PHONEHOME_PLUGIN: <build>/plugins/<major.minor>/epan/phonehome.so)
with `cpack --config <build>/CPackConfig.cmake -B <scratch>` (the package
and CPack's staging go to the scratch folder; only CMake's install_manifest.txt
is rewritten in the build tree), extracts it with `dpkg-deb -x` into a scratch
root and checks its fields, its file layout, that it ships the freshly built
plugin byte for byte, and that tshark loads the plugin from the extracted
tree. ProfileTest loads packaging/profile with `tshark -C phonehome` from a
scratch HOME and checks the columns, colouring rules and filter buttons.
"""
import filecmp
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from xml.etree import ElementTree

from tshark_env import CAPTURES, PLUGIN, SOURCE_DIR

PACKAGE = "wireshark-plugin-phonehome"
# A sanitized build's plugin (PHONEHOME_SANITIZE=ON) needs the ASan runtime preloaded.
SANITIZER_RUNTIME = os.environ.get("PHONEHOME_SANITIZER_RUNTIME", "")
PROFILE_SRC = os.path.join(SOURCE_DIR, "packaging", "profile")
PROFILE_FILES = ("preferences", "colorfilters", "dfilter_buttons", "recent")
FINDINGS = ("sink", "pinhole", "p2p", "p2p_lan", "p2p_dns", "heartbeat", "dead_cloud")
# (title, field) of the custom columns, between Length and Info.
CUSTOM_COLUMNS = (
    ("Device", "phonehome.device || phonehome.device6"),
    ("Remote", "phonehome.remote || phonehome.remote6"),
    ("Remote name", "phonehome.remote_name"),
    ("Findings", "phonehome.pattern"),
    ("Beat period (s)", "phonehome.heartbeat.period"),
)


def plugin_series():
    """"4.0" from <build>/plugins/4.0/epan/phonehome.so."""
    return os.path.basename(os.path.dirname(os.path.dirname(PLUGIN)))


def build_dir():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(PLUGIN))))


def project_version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
        m = re.search(r"project\(\s*phonehome\s+VERSION\s+([0-9.]+)", f.read())
    return m.group(1)


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        raise AssertionError("%s exited %d:\n%s%s" % (" ".join(cmd), proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


def global_plugin_dir():
    """Wireshark's global plugin folder, as tshark reports it."""
    out = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True).stdout
    m = re.search(r"^Global Plugins:\s*(\S+)\s*$", out, re.M)
    if not m:
        raise AssertionError("no Global Plugins in tshark -G folders:\n" + out)
    return m.group(1)


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


class Nobody:
    """Runs tshark as nobody when root (tshark ignores plugin folders for root)."""

    def __init__(self, root):
        self.root = root
        self.home = os.path.join(root, "home")
        os.makedirs(self.home, exist_ok=True)
        self.as_nobody = os.geteuid() == 0

    def open_up(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            os.chmod(dirpath, 0o777)
            for f in filenames:
                os.chmod(os.path.join(dirpath, f), 0o644)

    def stage(self, path):
        dst = os.path.join(self.root, os.path.basename(path))
        shutil.copy(path, dst)
        os.chmod(dst, 0o644)
        return dst

    def tshark(self, plugin_dir, *args):
        cmd = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + self.home,
               "WIRESHARK_PLUGIN_DIR=" + plugin_dir, "WIRESHARK_ABORT_ON_DISSECTOR_BUG=1",
               "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1", "LC_ALL=C.UTF-8", "TZ=UTC"]
        if SANITIZER_RUNTIME:
            # The preload reaches the extcap helpers that -G plugins runs, and
            # androiddump then hangs: give tshark an empty extcap folder.
            no_extcap = os.path.join(self.root, "no-extcap")
            os.makedirs(no_extcap, mode=0o755, exist_ok=True)
            cmd += ["LD_PRELOAD=" + SANITIZER_RUNTIME, "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1",
                    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1", "WIRESHARK_EXTCAP_DIR=" + no_extcap]
        cmd += ["tshark"] + list(args)
        if self.as_nobody:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)
        if proc.returncode != 0:
            raise AssertionError("tshark %s exited %d:\n%s" % (" ".join(args), proc.returncode, proc.stderr))
        if proc.stderr.strip():
            raise AssertionError("tshark %s printed on stderr:\n%s" % (" ".join(args), proc.stderr))
        return proc.stdout


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("cpack", "dpkg-deb", "dpkg", "tshark"):
            if not shutil.which(tool):
                raise unittest.SkipTest(tool + " is not installed")
        if not os.path.exists(PLUGIN):
            raise unittest.SkipTest("plugin not built: " + PLUGIN)
        config = os.path.join(build_dir(), "CPackConfig.cmake")
        if not os.path.exists(config):
            raise AssertionError(config + " is missing: the top-level CMakeLists.txt must add_subdirectory(packaging)")
        cls.scratch = tempfile.mkdtemp(prefix="phonehome-pkg-")
        cls.addClassCleanup(shutil.rmtree, cls.scratch, ignore_errors=True)
        out = os.path.join(cls.scratch, "out")
        run(["cpack", "-G", "DEB", "--config", config, "-B", out])
        debs = glob.glob(os.path.join(out, "*.deb"))
        if len(debs) != 1:
            raise AssertionError("cpack made %r, not one .deb" % debs)
        cls.deb = debs[0]
        cls.root = os.path.join(cls.scratch, "root")
        run(["dpkg-deb", "-x", cls.deb, cls.root])
        cls.arch = run(["dpkg", "--print-architecture"]).strip()
        cls.global_plugins = global_plugin_dir()

    def field(self, name):
        return run(["dpkg-deb", "-f", self.deb, name]).strip()

    def in_root(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def test_control_fields(self):
        self.assertEqual(self.field("Package"), PACKAGE)
        self.assertEqual(self.field("Architecture"), self.arch)
        version = self.field("Version")
        self.assertTrue(version.startswith(project_version() + "-"), version)
        self.assertEqual(os.path.basename(self.deb), "%s_%s_%s.deb" % (PACKAGE, version, self.arch))
        self.assertTrue(self.field("Maintainer"))
        self.assertTrue(self.field("Description"))

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
        files = set()
        for dirpath, _, filenames in os.walk(self.root):
            for f in filenames:
                files.add("/" + os.path.relpath(os.path.join(dirpath, f), self.root))
        doc = "/usr/share/doc/" + PACKAGE
        expected = {os.path.join(self.global_plugins, "epan", "phonehome.so")}
        expected |= {"/usr/share/phonehome/profile/" + f for f in PROFILE_FILES}
        expected |= {doc + "/README.md", doc + "/README.Debian", doc + "/copyright"}
        self.assertEqual(files, expected)
        self.assertTrue(self.global_plugins.startswith("/usr/"), self.global_plugins)
        self.assertTrue(self.global_plugins.endswith("/plugins/" + plugin_series()), self.global_plugins)
        listing = run(["dpkg-deb", "-c", self.deb])
        for line in listing.splitlines():
            self.assertIn(" root/root ", line)
            self.assertFalse(line.startswith("l"), "symlink in the package: " + line)
            self.assertNotIn(" -> ", line)

    def test_ships_the_freshly_built_plugin(self):
        so = self.in_root(os.path.join(self.global_plugins, "epan", "phonehome.so"))
        self.assertTrue(filecmp.cmp(so, PLUGIN, shallow=False), "the packaged phonehome.so differs from " + PLUGIN)
        self.assertEqual(os.stat(so).st_mode & 0o777, 0o644)

    def test_ships_the_profile_and_docs(self):
        for f in PROFILE_FILES:
            self.assertTrue(filecmp.cmp(self.in_root("/usr/share/phonehome/profile/" + f),
                                        os.path.join(PROFILE_SRC, f), shallow=False), f)
        doc = self.in_root("/usr/share/doc/" + PACKAGE)
        self.assertTrue(filecmp.cmp(os.path.join(doc, "README.md"), os.path.join(SOURCE_DIR, "README.md"), shallow=False))
        with open(os.path.join(doc, "README.Debian")) as f:
            self.assertIn("~/.config/wireshark/profiles/phonehome", f.read())
        with open(os.path.join(doc, "copyright")) as f:
            self.assertTrue(f.read().startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"))

    def test_tshark_loads_the_packaged_plugin_and_profile(self):
        world = Nobody(os.path.join(self.scratch, "run"))
        shutil.copytree(self.in_root("/usr/share/phonehome/profile"),
                        os.path.join(world.home, ".config", "wireshark", "profiles", "phonehome"))
        capture = world.stage(os.path.join(CAPTURES, "doorbell.pcap"))
        world.open_up()
        os.chmod(self.scratch, 0o755)
        plugin_dir = self.in_root(self.global_plugins.rsplit("/", 1)[0])  # .../wireshark/plugins
        plugins = world.tshark(plugin_dir, "-G", "plugins")
        so = self.in_root(os.path.join(self.global_plugins, "epan", "phonehome.so"))
        self.assertRegex(plugins, r"(?m)^phonehome\.so\s+%s\s+dissector\s+%s$" % (re.escape(project_version()), re.escape(so)))
        titles, rows = psml_columns(world.tshark(plugin_dir, "-C", "phonehome", "-n", "-r", capture,
                                                 "-Y", "phonehome.pinhole", "-T", "psml"))
        self.assertTrue(rows)
        self.assertEqual({row[titles.index("Findings")] for row in rows}, {"sink,pinhole"})


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
