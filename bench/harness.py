"""The two tshark configurations the benchmarks compare, and one measured tshark run.

Both configurations run the packaged tshark with the same user, HOME (an empty scratch
folder), working directory, environment (env -i, LC_ALL=C.UTF-8) and command line, with
WIRESHARK_PLUGIN_DIR pointing at a scratch plugin folder that holds symlinks to Wireshark's own
bundled plugins (setting the variable replaces the global folder, so an empty folder would
drop them too); the "phonehome" folder also holds a copy of phonehome.so. `tshark -G plugins`
checks that only the phonehome configuration lists it. As root (tshark ignores plugin folders
for root) both run as nobody (setpriv), with world-readable copies.
"""
import contextlib
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOBODY = 65534


class BenchError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def bundled_version_dir(tshark="tshark"):
    """The series ("4.4") and global plugin folder of `tshark`, from `tshark -G folders`
    ("Global Plugins: /usr/lib/x86_64-linux-gnu/wireshark/plugins/4.4")."""
    try:
        out = subprocess.run([tshark, "-G", "folders"], capture_output=True, text=True).stdout
    except OSError as e:
        raise BenchError("cannot run %s: %s" % (tshark, e))
    for line in out.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Global Plugins" and os.path.isdir(value.strip()):
            d = value.strip()
            return os.path.basename(d), d
    raise BenchError("%s -G folders names no global plugin folder:\n%s" % (tshark, out))


def default_plugin():
    try:
        ver = bundled_version_dir()[0]
    except BenchError:
        ver = "unknown"
    for b in ("build-bench", "build"):
        p = os.path.join(REPO, b, "plugins", ver, "epan", "phonehome.so")
        if os.path.isfile(p):
            return p
    return os.path.join(REPO, "build-bench", "plugins", ver, "epan", "phonehome.so")


class Setup:
    """The scratch folders and the two configurations' environments (only "plain" when
    `plugin` is None)."""

    def __init__(self, plugin, tshark, workdir):
        self.root = os.geteuid() == 0
        self.tshark = tshark
        self.dir = tempfile.mkdtemp(prefix="phonehome-bench.", dir=workdir)
        os.chmod(self.dir, 0o755)
        self.home = os.path.join(self.dir, "home")
        os.mkdir(self.home)
        ver, bundled = bundled_version_dir(tshark)
        self.plugin_dirs = {}
        for config in ("plain", "phonehome") if plugin else ("plain",):
            top = os.path.join(self.dir, config, "plugins")
            for sub in sorted(os.listdir(bundled)):
                dst = os.path.join(top, ver, sub)
                os.makedirs(dst)
                for so in sorted(os.listdir(os.path.join(bundled, sub))):
                    os.symlink(os.path.join(bundled, sub, so), os.path.join(dst, so))
            self.plugin_dirs[config] = top
        if plugin:
            epan = os.path.join(self.plugin_dirs["phonehome"], ver, "epan")
            if os.path.exists(os.path.join(epan, "phonehome.so")):
                raise BenchError("Wireshark's bundled plugins already contain phonehome.so: the plain "
                                 "configuration would load it")
            shutil.copy2(plugin, os.path.join(epan, "phonehome.so"))
        for dirpath, dirnames, filenames in os.walk(self.dir):
            for name in dirnames + filenames:
                p = os.path.join(dirpath, name)
                if not os.path.islink(p):
                    os.chmod(p, 0o755 if os.path.isdir(p) else 0o644)
        if self.root:
            os.chown(self.home, NOBODY, NOBODY)

    def argv(self, config, args, wrapper=()):
        """The command line of tshark `args` in `config`; `wrapper` (e.g. valgrind and its
        options) goes right before tshark, inside the environment."""
        env = ["env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + self.home, "LC_ALL=C.UTF-8",
               "WIRESHARK_PLUGIN_DIR=" + self.plugin_dirs[config]]
        cmd = env + list(wrapper) + [self.tshark] + args
        if self.root:
            cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"] + cmd
        return cmd

    def readable(self, path):
        """Whether the benchmark user can read `path`."""
        if not self.root:
            return os.access(path, os.R_OK)
        r = subprocess.run(["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                            "test", "-r", path])
        return r.returncode == 0

    def reachable(self, cap):
        """`cap`, or a copy in the scratch folder when the benchmark user cannot read it."""
        if self.readable(cap):
            return cap
        copy = os.path.join(self.dir, os.path.basename(cap))
        log("copying the capture where the benchmark user can read it: %s" % copy)
        shutil.copyfile(cap, copy)
        os.chmod(copy, 0o644)
        return copy

    def writable_dir(self, name):
        """A scratch subfolder the benchmark user can write to (for valgrind's output)."""
        d = os.path.join(self.dir, name)
        os.makedirs(d, exist_ok=True)
        os.chmod(d, 0o1777)
        return d

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def scratch_setup(plugin, tshark, workdir):
    """A Setup, removed when the block ends however it ends."""
    setup = Setup(plugin, tshark, workdir)
    try:
        yield setup
    finally:
        setup.cleanup()


def plugins_listed(setup, config):
    r = subprocess.run(setup.argv(config, ["-G", "plugins"]), cwd=setup.dir, capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError("tshark -G plugins (%s) failed: %s" % (config, r.stderr.strip()))
    return sorted(line.split("\t")[0].strip() for line in r.stdout.splitlines() if line.strip()), r.stderr


def check_configs(setup):
    plain, err_plain = plugins_listed(setup, "plain")
    ph, err_ph = plugins_listed(setup, "phonehome")
    if "phonehome.so" in plain:
        raise BenchError("the plain configuration lists phonehome.so")
    if "phonehome.so" not in ph:
        raise BenchError("the phonehome configuration does not list phonehome.so (stderr: %s)" % err_ph.strip())
    if sorted(set(ph) - {"phonehome.so"}) != sorted(set(plain)):
        raise BenchError("the configurations load different plugins: %s vs %s" % (plain, ph))
    if err_plain.strip() or err_ph.strip():
        raise BenchError("tshark -G plugins printed warnings: %s %s" % (err_plain.strip(), err_ph.strip()))
    return plain, ph


def run_measured(setup, config, args, out_path=None, wrapper=()):
    """Runs one tshark; returns a dict: wall_s, cpu_s (user + system time of that process,
    which other load on a shared machine disturbs far less than wall time), peak_rss_bytes,
    stderr. Raises BenchError when it exits non-zero or on a signal."""
    err_path = os.path.join(setup.dir, "stderr.txt")
    argv = setup.argv(config, args, wrapper)
    with open(out_path or os.devnull, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=setup.dir, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    if p.returncode != 0:
        raise BenchError("%s exited with %d: %s" % (" ".join(argv), p.returncode, stderr[-2000:]))
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_bytes": ru.ru_maxrss * 1024,
            "stderr": stderr}


def add_common_args(ap):
    """The options every benchmark script shares: the plugin, tshark, the scratch folder, JSON output."""
    ap.add_argument("--plugin", default=default_plugin(), help="phonehome.so (default: build-bench/, else build/)")
    ap.add_argument("--tshark", default=shutil.which("tshark") or "/usr/bin/tshark")
    ap.add_argument("--workdir", default="/tmp/phonehome-bench", help="scratch and capture folder")
    ap.add_argument("--json", help="also write every measurement to this JSON file")


def prepare(prog, a):
    """False (after saying why) when --plugin is missing; else --workdir exists, open to the benchmark user."""
    if not os.path.isfile(a.plugin):
        log("%s: no plugin at %s (build it: cmake --build build-bench)" % (prog, a.plugin))
        return False
    os.makedirs(a.workdir, exist_ok=True)
    os.chmod(a.workdir, 0o755)
    return True


def parse_list(ap, what, text, known):
    """The comma-separated names of an option, each one of `known` (else an argparse error)."""
    names = [p.strip() for p in text.split(",") if p.strip()]
    for p in names:
        if p not in known:
            ap.error("unknown %s %r (known: %s)" % (what, p, ", ".join(known)))
    return names


def warm_page_cache(path):
    """Reads the file once so that no run reads the disk."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def count_packets(path):
    """Packets in a classic pcap file (record headers only)."""
    n = 0
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            r = subprocess.run(["capinfos", "-M", "-c", "-r", path], capture_output=True, text=True)
            return int(r.stdout.split("\t")[-1]) if r.returncode == 0 else None
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return n
            incl = struct.unpack("<I", rec[8:12])[0]
            f.seek(incl, 1)
            n += 1


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores, %s" % (cpu or platform.machine(), os.cpu_count() or 0, platform.platform())


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def tshark_version(setup):
    r = subprocess.run(setup.argv("plain", ["-v"]), capture_output=True, text=True, cwd=setup.dir)
    return r.stdout.splitlines()[0] if r.stdout else "?"
