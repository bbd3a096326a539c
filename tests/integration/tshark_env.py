"""Runs the packaged tshark with the freshly built phonehome plugin.

tshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when run as
root, and CI runs as root: then every tshark call runs as nobody (setpriv),
on world-readable copies of the plugin and the captures in a scratch folder.
Every run is checked for an empty stderr, so a plugin that fails to load (only
a warning, exit status 0) or any dissector complaint fails the test.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get("PHONEHOME_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))


def tshark_series():
    """"4.4" from the first line of `tshark --version` ("TShark (Wireshark) 4.4.19 ...")."""
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"(\d+)\.(\d+)\.\d+", out.splitlines()[0] if out else "")
    if not m:
        raise AssertionError("tshark --version does not say its version:\n" + out)
    return (int(m.group(1)), int(m.group(2)))


# The Wireshark series the tests run against, as (major, minor), and its
# folder name. The plugin must have been built for it: a plugin binary loads
# only into its own series.
SERIES = tshark_series()
SERIES_DIR = "%d.%d" % SERIES
PLUGIN = os.environ.get("PHONEHOME_PLUGIN",
                        os.path.join(SOURCE_DIR, "build", "plugins", SERIES_DIR, "epan", "phonehome.so"))
CAPTURES = os.path.join(SOURCE_DIR, "captures")
PUBLIC_CAPTURES = os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "captures", "public"))
# Real Kalay/PPPP bytes from published sources, with their truth.json (read in place, never copied here).
REAL_CAPTURES = os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "captures", "real"))
EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected")
# A plugin built with AddressSanitizer/UBSan (PHONEHOME_SANITIZE=ON) runs in
# the packaged, uninstrumented tshark with the sanitizer runtime preloaded.
SANITIZER_RUNTIME = os.environ.get("PHONEHOME_SANITIZER_RUNTIME", "")
# The device and remote of a packet: an IPv4 and an IPv6 field each (one
# display-filter type per field), one column for fields().
DEVICE = ("phonehome.device", "phonehome.device6")
REMOTE = ("phonehome.remote", "phonehome.remote6")


def normalize_boolean(value):
    """A boolean field's value as tshark 4.0 prints it: "1"/"0" (from 4.2 on
    tshark prints "True"/"False"); several occurrences stay comma-separated."""
    return ",".join({"True": "1", "False": "0"}.get(v, v) for v in value.split(","))


class Tshark:
    """A scratch world with the plugin installed where tshark will load it."""

    def __init__(self):
        if not os.path.exists(PLUGIN):
            raise unittest.SkipTest("plugin not built: " + PLUGIN)
        self.root = tempfile.mkdtemp(prefix="phonehome-it-")
        os.chmod(self.root, 0o755)
        self.plugin_dir = os.path.join(self.root, "plugins")
        epan = os.path.join(self.plugin_dir, SERIES_DIR, "epan")
        os.makedirs(epan)
        # A plugin folder without phonehome: the same tshark without the
        # plugin (WIRESHARK_PLUGIN_DIR replaces the global folder either way).
        self.no_plugin_dir = os.path.join(self.root, "no-plugins")
        os.makedirs(os.path.join(self.no_plugin_dir, SERIES_DIR, "epan"))
        shutil.copy(PLUGIN, os.path.join(epan, "phonehome.so"))
        self.home = os.path.join(self.root, "home")
        os.makedirs(self.home)
        self.work = os.path.join(self.root, "work")
        os.makedirs(self.work)
        # No extcap helpers: tests need none, and under a preloaded sanitizer
        # runtime they hang `tshark -G plugins`.
        self.extcap_dir = os.path.join(self.root, "extcap")
        os.makedirs(self.extcap_dir)
        for dirpath, dirnames, filenames in os.walk(self.root):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o777)
            for f in filenames:
                os.chmod(os.path.join(dirpath, f), 0o644)
        self.as_nobody = os.geteuid() == 0
        self._booleans = None

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def stage(self, path):
        """A world-readable copy of a capture that nobody can read."""
        dst = os.path.join(self.work, os.path.basename(path))
        if not os.path.exists(dst):
            shutil.copy(path, dst)
            os.chmod(dst, 0o644)
        return dst

    def scratch(self, name):
        """A path in the scratch folder, writable by the tshark user."""
        return os.path.join(self.work, name)

    def command(self, args, plugin=True):
        env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + self.home,
               "WIRESHARK_PLUGIN_DIR=" + (self.plugin_dir if plugin else self.no_plugin_dir),
               "WIRESHARK_EXTCAP_DIR=" + self.extcap_dir,
               "WIRESHARK_ABORT_ON_DISSECTOR_BUG=1", "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1",
               "LC_ALL=C.UTF-8", "TZ=UTC"]
        if SANITIZER_RUNTIME:
            env += ["LD_PRELOAD=" + SANITIZER_RUNTIME,
                    # tshark itself leaks at exit by design; the plugin's own
                    # leaks are covered by the core's LeakSanitizer runs.
                    "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1",
                    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"]
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if self.as_nobody else []
        return prefix + env + ["tshark"] + list(args)

    def run(self, *args, stdin=None, check_stderr=True):
        """Runs tshark; fails on a non-zero exit or (by default) any stderr."""
        proc = subprocess.run(self.command(args), input=stdin, capture_output=True, cwd=self.work)
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0:
            raise AssertionError("tshark %s exited %d:\n%s" % (" ".join(args), proc.returncode, err))
        if check_stderr and err.strip():
            raise AssertionError("tshark %s printed on stderr:\n%s" % (" ".join(args), err))
        return out

    def boolean_fields(self):
        """The names of every FT_BOOLEAN field (from `tshark -G fields`)."""
        if self._booleans is None:
            self._booleans = {line.split("\t")[2] for line in self.run("-G", "fields").splitlines()
                              if line.startswith("F\t") and line.split("\t")[3:4] == ["FT_BOOLEAN"]}
        return self._booleans

    def assert_plugin_loaded(self, test):
        plugins = self.run("-G", "plugins")
        test.assertIn("phonehome.so", plugins, "tshark did not load the plugin")
        test.assertIn(os.path.join(self.plugin_dir, SERIES_DIR, "epan", "phonehome.so"), plugins)


class TsharkTestCase(unittest.TestCase):
    """Base class: one scratch world per test class, plugin load asserted."""

    @classmethod
    def setUpClass(cls):
        cls.tshark = Tshark()
        cls.addClassCleanup(cls.tshark.close)

    def setUp(self):
        self.tshark.assert_plugin_loaded(self)

    def fields(self, capture, *fields, display_filter=None, options=()):
        args = ["-n", "-r", self.tshark.stage(capture)]
        for o in options:
            args += ["-o", o]
        if display_filter:
            args += ["-Y", display_filter]
        args += ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
        # A tuple of fields (the IPv4 and IPv6 fields of one thing, such as
        # DEVICE) is one column: the values of whichever are present.
        flat = [f for group in fields for f in (group if isinstance(group, tuple) else (group,))]
        for f in flat:
            args += ["-e", f]
        rows = []
        for line in self.tshark.run(*args).splitlines():
            cells = iter(line.split("\t"))
            row = []
            for group in fields:
                names = group if isinstance(group, tuple) else (group,)
                values = [next(cells, "") for _ in names]
                if len(names) == 1 and names[0] in self.tshark.boolean_fields():
                    values = [normalize_boolean(values[0])]
                row.append(",".join(v for v in values if v))
            rows.append(row)
        return rows
