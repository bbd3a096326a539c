#!/usr/bin/env python3
"""Benchmark tshark with and without phonehome on the generated home-network capture.

    python3 bench/run.py                       # 1M packets, 5 runs per configuration and pass
    python3 bench/run.py --capture /tmp/phonehome-bench/mix-1000000-seed1.pcap --runs 7
    python3 bench/run.py --packets 100000 --runs 3 --passes list

Two configurations, identical except for one file: both run tshark with the same user, HOME,
working directory, environment and command line, and WIRESHARK_PLUGIN_DIR pointing at a scratch
plugin folder holding Wireshark's own bundled plugins (symlinked); the "phonehome" folder also
holds phonehome.so. `tshark -G plugins` checks that only the phonehome configuration lists it.
As root (tshark ignores plugin folders for root) both run as nobody (setpriv), with
world-readable copies.

Passes:
  list    tshark -n -r FILE                      every packet dissected for the summary columns
  tree    tshark -n -V -r FILE                   every packet's full tree printed
  report  tshark -n -q -r FILE -z conv,ip        (plain) against
          tshark -n -q -r FILE -z phonehome,devices   (phonehome): the per-device report

(`tshark -n -q -r FILE` with no filter, tap or output dissects nothing and measures nothing.)
The configurations run alternately (ABAB..., the first of each round alternating), each pass
--runs times per configuration; wall time and peak RSS are measured per tshark process
(os.wait4). The table gives medians, packets per second and the ratios phonehome/plain.
Goal: time ratio <= 1.05 on the list and tree passes, peak memory ratio <= 1.10. Missing the
goal is reported, not an error: the exit status is non-zero only when something failed.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
NOBODY = 65534
GOAL_TIME, GOAL_MEM = 1.05, 1.10

PASSES = {
    "list": (["-n", "-r", "{cap}"], ["-n", "-r", "{cap}"]),
    "tree": (["-n", "-V", "-r", "{cap}"], ["-n", "-V", "-r", "{cap}"]),
    "report": (["-n", "-q", "-r", "{cap}", "-z", "conv,ip"],
               ["-n", "-q", "-r", "{cap}", "-z", "phonehome,devices"]),
}


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
    """The scratch folders and the two configurations' environments."""

    def __init__(self, plugin, tshark, workdir):
        self.root = os.geteuid() == 0
        self.tshark = tshark
        self.dir = tempfile.mkdtemp(prefix="phonehome-bench.", dir=workdir)
        os.chmod(self.dir, 0o755)
        self.home = os.path.join(self.dir, "home")
        os.mkdir(self.home)
        ver, bundled = bundled_version_dir(tshark)
        self.plugin_dirs = {}
        for config in ("plain", "phonehome"):
            top = os.path.join(self.dir, config, "plugins")
            for sub in sorted(os.listdir(bundled)):
                dst = os.path.join(top, ver, sub)
                os.makedirs(dst)
                for so in sorted(os.listdir(os.path.join(bundled, sub))):
                    os.symlink(os.path.join(bundled, sub, so), os.path.join(dst, so))
            self.plugin_dirs[config] = top
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
            uid = NOBODY
            os.chown(self.home, uid, uid)

    def argv(self, config, args):
        env = ["env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + self.home, "LC_ALL=C.UTF-8",
               "WIRESHARK_PLUGIN_DIR=" + self.plugin_dirs[config]]
        cmd = env + [self.tshark] + args
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

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


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


def run_measured(setup, config, args, out_path=None):
    """Runs one tshark; returns a dict: wall_s, cpu_s (user + system time of
    that process, which other load on a shared machine disturbs far less than
    wall time), peak_rss_bytes, stderr."""
    err_path = os.path.join(setup.dir, "stderr.txt")
    with open(out_path or os.devnull, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(setup.argv(config, args), cwd=setup.dir, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    if p.returncode != 0:
        raise BenchError("%s exited with %d: %s" % (" ".join(setup.argv(config, args)), p.returncode, stderr[-2000:]))
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_bytes": ru.ru_maxrss * 1024,
            "stderr": stderr}


def add_common_args(ap):
    """The options run.py and flood.py share: the plugin, tshark, the scratch folder, JSON output."""
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


def parse_passes(ap, text, known):
    """The comma-separated pass names of --passes, each one of `known` (else an argparse error)."""
    passes = [p.strip() for p in text.split(",") if p.strip()]
    for p in passes:
        if p not in known:
            ap.error("unknown pass %r" % p)
    return passes


def warm_page_cache(path):
    """Reads the file once so that no run reads the disk."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def alternating(runs):
    """(run index, configuration) in the order the runs go: plain first on even
    runs, phonehome first on odd ones, so drifts in machine load hit both."""
    for i in range(runs):
        for config in (("plain", "phonehome") if i % 2 == 0 else ("phonehome", "plain")):
            yield i, config


def run_once(setup, config, args, out_path=None):
    """Runs one tshark; returns (wall seconds, peak RSS bytes, stderr text)."""
    m = run_measured(setup, config, args, out_path)
    return m["wall_s"], m["peak_rss_bytes"], m["stderr"]


def count_packets(path):
    """Packets in a classic pcap file (record headers only)."""
    import struct
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


def fmt_mb(b):
    return "%.0f" % (b / 1e6)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--packets", type=int, default=1_000_000, help="packets to generate (default 1000000)")
    ap.add_argument("--runs", type=int, default=5, help="runs per configuration and pass (default 5)")
    ap.add_argument("--capture", help="capture to use; generated there if missing (default: in --workdir)")
    ap.add_argument("--passes", default="list,tree,report", help="comma-separated: list, tree, report")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--keep-output", action="store_true", help="keep the report pass outputs in --workdir")
    add_common_args(ap)
    a = ap.parse_args(argv)

    passes = parse_passes(ap, a.passes, PASSES)
    if a.runs < 1:
        ap.error("--runs must be >= 1")
    if not prepare("run.py", a):
        return 2

    cap = a.capture or os.path.join(a.workdir, "mix-%d-seed%d.pcap" % (a.packets, a.seed))
    if not os.path.isfile(cap):
        log("generating %s (%d packets, seed %d)" % (cap, a.packets, a.seed))
        r = subprocess.run([sys.executable, os.path.join(HERE, "generate_mix.py"), "--packets", str(a.packets),
                            "--seed", str(a.seed), "--out", cap])
        if r.returncode != 0:
            log("run.py: the generator failed")
            return 2
    setup = None
    try:
        setup = Setup(a.plugin, a.tshark, a.workdir)
        if not setup.readable(cap):
            copy = os.path.join(setup.dir, os.path.basename(cap))
            log("copying the capture where the benchmark user can read it: %s" % copy)
            shutil.copyfile(cap, copy)
            os.chmod(copy, 0o644)
            cap = copy
        packets = count_packets(cap)
        plain_plugins, _ = check_configs(setup)
        log("plugins: plain loads %d bundled plugins; phonehome loads the same + phonehome.so" % len(plain_plugins))
        warm_page_cache(cap)

        results = {}
        for pname in passes:
            plain_args, ph_args = ([x.format(cap=cap) for x in args] for args in PASSES[pname])
            res = {"plain": [], "phonehome": []}
            for i, config in alternating(a.runs):
                args = plain_args if config == "plain" else ph_args
                out = None
                if pname == "report" and (a.keep_output or i == 0):
                    out = os.path.join(a.workdir, "report-%s.txt" % config)
                m = run_measured(setup, config, args, out)
                stderr = m.pop("stderr")
                if stderr.strip():
                    log("  note: %s %s printed on stderr: %s" % (pname, config, stderr.strip()[:300]))
                res[config].append(m)
                log("  %-6s %-9s run %d/%d: %7.2f s (cpu %7.2f s)  %6s MB" % (
                    pname, config, i + 1, a.runs, m["wall_s"], m["cpu_s"], fmt_mb(m["peak_rss_bytes"])))
            results[pname] = res

        print_table(results, packets, a, cap)
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"date": datetime.datetime.now().isoformat(timespec="seconds"),
                           "machine": machine(), "capture": cap, "packets": packets, "runs": a.runs,
                           "plugin": a.plugin, "tshark": tshark_version(setup), "results": results}, f, indent=1)
        return 0
    except BenchError as e:
        log("run.py: error: %s" % e)
        return 1
    finally:
        if setup is not None:
            setup.cleanup()


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


def tshark_version(setup):
    r = subprocess.run(setup.argv("plain", ["-v"]), capture_output=True, text=True, cwd=setup.dir)
    return r.stdout.splitlines()[0] if r.stdout else "?"


def print_table(results, packets, a, cap):
    print()
    print("capture: %s, %s packets; %d runs per configuration; %s" % (cap, packets, a.runs,
                                                                       datetime.date.today().isoformat()))
    print("machine: %s" % machine())
    print()
    hdr = ("| pass | configuration | median wall (s) | min-max (s) | packets/s | peak RSS (MB) | time ratio | "
           "memory ratio | median CPU (s) | CPU ratio |")
    print(hdr)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    verdicts = []
    for pname, res in results.items():
        med = {}
        for config in ("plain", "phonehome"):
            walls = [r["wall_s"] for r in res[config]]
            rss = [r["peak_rss_bytes"] for r in res[config]]
            cpus = [r.get("cpu_s", 0.0) for r in res[config]]
            med[config] = (statistics.median(walls), statistics.median(rss), statistics.median(cpus))
            label = config
            if pname == "report":
                label += " (-z conv,ip)" if config == "plain" else " (-z phonehome,devices)"
            ratio_t = ratio_m = ratio_c = ""
            if config == "phonehome":
                ratio_t = "%.3f" % (med["phonehome"][0] / med["plain"][0])
                ratio_m = "%.3f" % (med["phonehome"][1] / med["plain"][1])
                ratio_c = "%.3f" % (med["phonehome"][2] / med["plain"][2]) if med["plain"][2] else "?"
            print("| %s | %s | %.2f | %.2f-%.2f | %s | %s | %s | %s | %.2f | %s |" % (
                pname, label, med[config][0], min(walls), max(walls),
                "{:,}".format(int(packets / med[config][0])) if packets else "?", fmt_mb(med[config][1]),
                ratio_t, ratio_m, med[config][2], ratio_c))
        rt = med["phonehome"][0] / med["plain"][0]
        rm = med["phonehome"][1] / med["plain"][1]
        rc = med["phonehome"][2] / med["plain"][2] if med["plain"][2] else float("nan")
        if pname in ("list", "tree"):
            verdicts.append("%s: time %.3f (goal <= %.2f: %s), memory %.3f (goal <= %.2f: %s); CPU time %.3f" % (
                pname, rt, GOAL_TIME, "met" if rt <= GOAL_TIME else "MISSED", rm, GOAL_MEM,
                "met" if rm <= GOAL_MEM else "MISSED", rc))
    print()
    for v in verdicts:
        print("goal " + v)


if __name__ == "__main__":
    sys.exit(main())
