"""Builds the Debian packages from the build tree the tests run against and
extracts them, for test_packaging.py and test_debug_package.py.

The build tree is found from PHONEHOME_PLUGIN
(<build>/plugins/<major.minor>/epan/phonehome.so). `cpack --config
<build>/CPackConfig.cmake -B <scratch>` writes the packages and CPack's staging
to the scratch folder; only CMake's install_manifest files are rewritten in the
build tree. Nobody runs tshark as nobody when root, since tshark ignores plugin
folders (and WIRESHARK_DATA_DIR) for root.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from tshark_env import PLUGIN, SOURCE_DIR

PACKAGE = "wireshark-plugin-phonehome"
DBGSYM = PACKAGE + "-dbgsym"
# A sanitized build's plugin (PHONEHOME_SANITIZE=ON) needs the ASan runtime preloaded.
SANITIZER_RUNTIME = os.environ.get("PHONEHOME_SANITIZER_RUNTIME", "")


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


def wireshark_folder(label):
    """A folder of the system's Wireshark as `tshark -G folders` names it
    ("Global Plugins", "Global configuration")."""
    out = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True).stdout
    m = re.search(r"^%s:\s*(\S+)\s*$" % re.escape(label), out, re.M)
    if not m:
        raise AssertionError("no %s in tshark -G folders:\n%s" % (label, out))
    return m.group(1)


class Packages:
    """Both packages built into a scratch folder and extracted: .deb[name]
    is the file, .root[name] the folder it was extracted into."""

    def __init__(self):
        for tool in ("cpack", "dpkg-deb", "dpkg", "tshark"):
            if not shutil.which(tool):
                raise unittest.SkipTest(tool + " is not installed")
        if not os.path.exists(PLUGIN):
            raise unittest.SkipTest("plugin not built: " + PLUGIN)
        config = os.path.join(build_dir(), "CPackConfig.cmake")
        if not os.path.exists(config):
            raise AssertionError(config + " is missing: the top-level CMakeLists.txt must add_subdirectory(packaging)")
        self.scratch = tempfile.mkdtemp(prefix="phonehome-pkg-")
        os.chmod(self.scratch, 0o755)  # nobody's tshark loads the extracted plugin
        out = os.path.join(self.scratch, "out")
        run(["cpack", "-G", "DEB", "--config", config, "-B", out])
        debs = sorted(glob.glob(os.path.join(out, "*.deb")))
        names = [run(["dpkg-deb", "-f", deb, "Package"]).strip() for deb in debs]
        if sorted(names) != [PACKAGE, DBGSYM]:
            raise AssertionError("cpack made %r (packages %r), not %s and %s" % (debs, names, PACKAGE, DBGSYM))
        self.deb = dict(zip(names, debs))
        self.root = {}
        for name, deb in self.deb.items():
            self.root[name] = os.path.join(self.scratch, "root-" + name)
            run(["dpkg-deb", "-x", deb, self.root[name]])

    def close(self):
        shutil.rmtree(self.scratch, ignore_errors=True)

    def field(self, package, name):
        return run(["dpkg-deb", "-f", self.deb[package], name]).strip()

    def path(self, package, path):
        """Where the package's /usr/... file was extracted."""
        return os.path.join(self.root[package], path.lstrip("/"))

    def files(self, package):
        """Every file and symlink of the package, as absolute paths."""
        found = set()
        for dirpath, dirnames, filenames in os.walk(self.root[package]):
            for f in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                found.add("/" + os.path.relpath(os.path.join(dirpath, f), self.root[package]))
        return found


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
                if not os.path.islink(os.path.join(dirpath, f)):
                    os.chmod(os.path.join(dirpath, f), 0o644)

    def stage(self, path):
        dst = os.path.join(self.root, os.path.basename(path))
        shutil.copy(path, dst)
        os.chmod(dst, 0o644)
        return dst

    def tshark(self, plugin_dir, *args, data_dir=None):
        """tshark with the plugins of plugin_dir and, given data_dir, that
        folder as Wireshark's data folder (global profiles, colour rules...)."""
        cmd = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + self.home,
               "WIRESHARK_PLUGIN_DIR=" + plugin_dir, "WIRESHARK_ABORT_ON_DISSECTOR_BUG=1",
               "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1", "LC_ALL=C.UTF-8", "TZ=UTC"]
        if data_dir:
            cmd.append("WIRESHARK_DATA_DIR=" + data_dir)
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
