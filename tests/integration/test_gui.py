"""The real Wireshark GUI with the plugin and the "phonehome" profile.

Starts wireshark (Qt) under Xvfb (xvfb-run) with the freshly built plugin
(WIRESHARK_PLUGIN_DIR, as nobody when run as root, since Wireshark ignores
plugin folders for root), a scratch HOME holding packaging/profile as the
"phonehome" configuration profile, and captures/doorbell.pcap; waits for the
window, takes a screenshot with ImageMagick's `import -window root`, and
checks that the plugin loaded, the capture opened (window title), and the
packet list shows the colouring rules of the sink and pinhole findings. The
screenshot is kept in a scratch folder; with PHONEHOME_UPDATE_SCREENSHOT=1 it is
also copied to docs/screenshots/doorbell.png (the README's).

Skipped when wireshark or xvfb-run is not installed. Debian packages:
wireshark-qt xvfb xauth imagemagick xdotool.

Inside xvfb-run this file runs itself as a driver (--drive CONFIG) that
starts Wireshark, finds and places its window and takes the screenshots.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tshark_env import CAPTURES, PLUGIN, SOURCE_DIR  # noqa: E402

SCREEN = (1400, 900)
PROFILE_SRC = os.path.join(SOURCE_DIR, "packaging", "profile")
DOC_SCREENSHOTS = os.path.join(SOURCE_DIR, "docs", "screenshots")
DOC_SCREENSHOT = os.path.join(DOC_SCREENSHOTS, "doorbell.png")
# The dialogs the docs show: Wireshark's -z opens each on start. (title in the
# window name, screenshot file name)
DIALOGS = {"phonehome,devices_table": ("IoT Phone-Home/Devices", "devices.png"),
           "phonehome,remotes_table": ("IoT Phone-Home/Remotes", "remotes.png"),
           "expert": ("Expert Information", "expert.png")}
DIALOG_SIZE = (1300, 520)
CAPTURE = "doorbell.pcap"
WINDOW_TIMEOUT = 30    # seconds to wait for the main window
RENDER_TIMEOUT = 20    # then, for the coloured rows
MIN_ROW_PIXELS = 2000  # a packet list row is ~1300 x 17 pixels
LOAD_ERRORS = ("Couldn't load plugin", "Couldn't load module", "Could not compile",
               "No such preference", "Error loading table", "neither a field nor a protocol")


def finding_backgrounds(findings=("sink", "pinhole")):
    """The 8-bit background colour of each finding's rule in the profile's colorfilters
    ("@name@filter@[background][foreground]", 16-bit; Wireshark draws value >> 8)."""
    colours = {}
    with open(os.path.join(PROFILE_SRC, "colorfilters")) as f:
        for line in f:
            m = re.match(r"@[^@]*@phonehome\.(\w+)@\[(\d+),(\d+),(\d+)\]", line)
            if m and m.group(1) in findings:
                colours[m.group(1)] = tuple(int(v) >> 8 for v in m.groups()[1:])
    return colours


def histogram(png):
    """{(r, g, b): pixels} of a screenshot."""
    out = subprocess.run(["convert", png, "-depth", "8", "-format", "%c", "histogram:info:-"],
                         capture_output=True, text=True, check=True).stdout
    counts = {}
    for m in re.finditer(r"^\s*(\d+):\s*\(\s*(\d+),\s*(\d+),\s*(\d+)", out, re.M):
        key = tuple(int(v) for v in m.groups()[1:])
        counts[key] = counts.get(key, 0) + int(m.group(1))
    return counts


def xdotool(*args):
    proc = subprocess.run(["xdotool"] + list(args), capture_output=True, text=True, timeout=10)
    return proc.stdout.split() if proc.returncode == 0 else []


def drive(config_path):
    """Runs inside xvfb-run: Wireshark up, window placed, screenshot with the colours."""
    with open(config_path) as f:
        cfg = json.load(f)
    env = dict(cfg["env"], DISPLAY=os.environ["DISPLAY"])
    cmd = cfg["prefix"] + ["env", "-i"] + ["%s=%s" % kv for kv in sorted(env.items())] + cfg["argv"]
    result = {"window": None, "title": None, "counts": {}, "exit": None, "shots": 0}
    start = time.monotonic()
    with open(cfg["stderr"], "wb") as err:
        gui = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                               start_new_session=True)
    try:
        deadline = start + WINDOW_TIMEOUT
        while time.monotonic() < deadline and gui.poll() is None:
            ids = xdotool("search", "--name", re.escape(cfg["title"]))
            if ids:
                result["window"] = ids[0]
                result["title"] = subprocess.run(["xdotool", "getwindowname", ids[0]], capture_output=True,
                                                 text=True).stdout.strip()
                break
            time.sleep(0.25)
        result["window_after"] = time.monotonic() - start
        if result["window"]:
            w = result["window"]
            xdotool("windowmove", w, "0", "0")
            xdotool("windowsize", w, str(SCREEN[0]), str(SCREEN[1]))
            xdotool("mousemove", str(SCREEN[0] - 1), str(SCREEN[1] - 1))  # no hover highlight on a row
            deadline = time.monotonic() + RENDER_TIMEOUT
            want = {k: tuple(v) for k, v in cfg["colours"].items()}
            seen = 0
            while time.monotonic() < deadline and gui.poll() is None:
                time.sleep(0.5)
                subprocess.run(["import", "-window", "root", "-define", "png:exclude-chunks=date,time",
                                cfg["screenshot"]], capture_output=True, timeout=20)
                result["shots"] += 1
                if not os.path.exists(cfg["screenshot"]):
                    continue
                counts = histogram(cfg["screenshot"])
                result["counts"] = {k: counts.get(c, 0) for k, c in want.items()}
                if all(n >= MIN_ROW_PIXELS for n in result["counts"].values()):
                    seen += 1
                    if seen == 2:  # the same picture twice: the window has settled
                        break
    finally:
        result["exit"] = gui.poll()
        result["elapsed"] = time.monotonic() - start
        stop(gui)
    result["dialogs"] = {}
    for arg, (title, shot) in DIALOGS.items():
        result["dialogs"][arg] = dialog_screenshot(cmd + ["-z", arg], cfg, title, os.path.join(cfg["out"], shot))
    with open(cfg["result"], "w") as f:
        json.dump(result, f)


def stop(gui):
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if gui.poll() is not None:
            break
        try:
            os.killpg(gui.pid, sig)
        except ProcessLookupError:
            break
        try:
            gui.wait(wait)
        except subprocess.TimeoutExpired:
            pass


def window_size(w):
    """(width, height) of a window as the X server has it, None when it cannot say."""
    geometry = dict(word.split("=", 1) for word in xdotool("getwindowgeometry", "--shell", w) if "=" in word)
    try:
        return int(geometry["WIDTH"]), int(geometry["HEIGHT"])
    except (KeyError, ValueError):
        return None


def place_dialog(w):
    """Moves and sizes a dialog, again until the size holds for a second: the search can
    find a dialog's window before Qt has given it its own first geometry, which then
    replaces ours (the Expert Information dialog came out 840x900 once so)."""
    for _ in range(10):
        xdotool("windowmove", w, "40", "40")
        xdotool("windowsize", w, str(DIALOG_SIZE[0]), str(DIALOG_SIZE[1]))
        time.sleep(1)
        if window_size(w) == DIALOG_SIZE:
            time.sleep(1)
            if window_size(w) == DIALOG_SIZE:  # and still a second later
                return


def dialog_screenshot(cmd, cfg, title, shot):
    """Starts Wireshark opening a dialog (-z), sizes the dialog and takes a
    picture of it alone. The window's name, or None when it never opened."""
    with open(cfg["stderr"], "ab") as err:
        gui = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                               start_new_session=True)
    name = None
    try:
        deadline = time.monotonic() + WINDOW_TIMEOUT
        while time.monotonic() < deadline and gui.poll() is None and not name:
            for w in xdotool("search", "--name", re.escape(title)):
                name = subprocess.run(["xdotool", "getwindowname", w], capture_output=True, text=True).stdout.strip()
                place_dialog(w)
                time.sleep(3)  # retapped and redrawn at its new size
                subprocess.run(["import", "-window", w, "-define", "png:exclude-chunks=date,time", shot],
                               capture_output=True, timeout=20)
                break
            time.sleep(0.25)
    finally:
        stop(gui)
    return name


class GuiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("wireshark", "xvfb-run"):
            if not shutil.which(tool):
                raise unittest.SkipTest(tool + " is not installed (Debian: wireshark-qt, xvfb)")
        if not os.path.exists(PLUGIN):
            raise unittest.SkipTest("plugin not built: " + PLUGIN)
        if os.environ.get("PHONEHOME_SANITIZER_RUNTIME"):
            # The GUI check is about the plugin, profile and screenshot, not memory safety
            # (the tshark tests cover the sanitized plugin); Qt under a preloaded ASan is slow.
            raise unittest.SkipTest("sanitized build: the GUI test runs on the release build")
        missing = [t for t, pkg in (("xauth", "xauth"), ("xdotool", "xdotool"), ("import", "imagemagick"),
                                    ("convert", "imagemagick"), ("identify", "imagemagick"), ("tshark", "tshark"))
                   if not shutil.which(t)]
        if missing:
            raise AssertionError("wireshark and xvfb-run are installed but not: %s "
                                 "(Debian: xauth xdotool imagemagick)" % " ".join(missing))
        cls.colours = finding_backgrounds()
        assert set(cls.colours) == {"sink", "pinhole"}, cls.colours

        root = cls.root = tempfile.mkdtemp(prefix="phonehome-gui-")
        cls.addClassCleanup(shutil.rmtree, root, ignore_errors=True)
        series = os.path.basename(os.path.dirname(os.path.dirname(PLUGIN)))
        cls.plugin_dir = os.path.join(root, "plugins")
        os.makedirs(os.path.join(cls.plugin_dir, series, "epan"))
        shutil.copy(PLUGIN, os.path.join(cls.plugin_dir, series, "epan", "phonehome.so"))
        cls.home = os.path.join(root, "home")
        shutil.copytree(PROFILE_SRC, os.path.join(cls.home, ".config", "wireshark", "profiles", "phonehome"))
        # The main window's first geometry (a window manager would place it; Xvfb has none).
        with open(os.path.join(cls.home, ".config", "wireshark", "recent_common"), "w") as f:
            f.write("gui.geometry_main_x: 0\ngui.geometry_main_y: 0\n"
                    "gui.geometry_main_width: %d\ngui.geometry_main_height: %d\n"
                    "gui.geometry_main_maximized: FALSE\n" % SCREEN)
        cls.capture = os.path.join(root, CAPTURE)
        shutil.copy(os.path.join(CAPTURES, CAPTURE), cls.capture)
        runtime = os.path.join(root, "runtime")
        os.makedirs(runtime)
        cls.out = os.path.join(root, "out")  # written by the driver (this user), not by Wireshark
        os.makedirs(cls.out)
        for dirpath, dirnames, filenames in os.walk(root):
            os.chmod(dirpath, 0o777 if dirpath != cls.out else 0o755)
            for f in filenames:
                os.chmod(os.path.join(dirpath, f), 0o666)
        as_nobody = os.geteuid() == 0
        cls.prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if as_nobody else []
        if as_nobody:
            os.chown(runtime, 65534, 65534)
        os.chmod(runtime, 0o700)
        cls.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": cls.home, "WIRESHARK_PLUGIN_DIR": cls.plugin_dir,
                   "XDG_RUNTIME_DIR": runtime, "LC_ALL": "C.UTF-8", "TZ": "UTC", "QT_QPA_PLATFORM": "xcb",
                   "WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1", "WIRESHARK_ABORT_ON_TOO_MANY_ITEMS": "1"}

        cls.screenshot = os.path.join(cls.out, "doorbell.png")
        cls.stderr_path = os.path.join(cls.out, "wireshark.stderr")
        result_path = os.path.join(cls.out, "result.json")
        config = {"prefix": cls.prefix, "env": cls.env, "title": CAPTURE,
                  "argv": ["wireshark", "-C", "phonehome", "-g", "10", "-r", cls.capture],
                  "colours": cls.colours, "screenshot": cls.screenshot, "stderr": cls.stderr_path,
                  "result": result_path, "out": cls.out}
        config_path = os.path.join(cls.out, "config.json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        start = time.monotonic()
        # -noreset: the driver starts Wireshark several times in a row, and
        # Xvfb by default resets itself whenever its last client goes, so a
        # Wireshark starting during that reset could not connect (seen once
        # in CI: "could not connect to display").
        cls.xvfb = subprocess.run(
            ["xvfb-run", "-a", "-s", "-screen 0 %dx%dx24 -ac -noreset" % SCREEN,
             sys.executable, os.path.abspath(__file__), "--drive", config_path],
            capture_output=True, text=True, timeout=240)
        cls.elapsed = time.monotonic() - start
        cls.result = None
        if os.path.exists(result_path):
            with open(result_path) as f:
                cls.result = json.load(f)
        with open(cls.stderr_path, errors="replace") as f:
            cls.gui_stderr = f.read()
        # The README's screenshot is refreshed on request only, so a test run
        # leaves the work tree clean.
        if os.environ.get("PHONEHOME_UPDATE_SCREENSHOT") == "1":
            os.makedirs(DOC_SCREENSHOTS, exist_ok=True)
            for shot in ["doorbell.png"] + [s for _, s in DIALOGS.values()]:
                if os.path.exists(os.path.join(cls.out, shot)):
                    shutil.copy(os.path.join(cls.out, shot), os.path.join(DOC_SCREENSHOTS, shot))

    def setUp(self):
        self.assertEqual(self.xvfb.returncode, 0, "xvfb-run failed:\n%s%s" % (self.xvfb.stdout, self.xvfb.stderr))
        self.assertIsNotNone(self.result, "the driver wrote no result:\n" + self.xvfb.stderr)

    def test_plugin_loaded(self):
        cmd = self.prefix + ["env", "-i"] + ["%s=%s" % kv for kv in sorted(self.env.items())] + ["tshark", "-G", "plugins"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr.strip(), "")
        self.assertIn(os.path.join(self.plugin_dir, os.path.basename(os.path.dirname(os.path.dirname(PLUGIN))),
                                   "epan", "phonehome.so"), proc.stdout)
        for error in LOAD_ERRORS:
            self.assertNotIn(error, self.gui_stderr, "wireshark's stderr:\n" + self.gui_stderr)

    def test_capture_opened(self):
        self.assertIsNotNone(self.result["window"],
                             "no window named %s within %d s; wireshark exit %r, stderr:\n%s"
                             % (CAPTURE, WINDOW_TIMEOUT, self.result["exit"], self.gui_stderr))
        self.assertIn(CAPTURE, self.result["title"])
        self.assertIsNone(self.result["exit"], "wireshark exited early:\n" + self.gui_stderr)

    def test_screenshot_shows_the_findings_colours(self):
        with open(self.screenshot, "rb") as f:
            head = f.read(8)
        self.assertEqual(head, b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(self.screenshot), 10000)
        size = subprocess.run(["identify", "-format", "%wx%h", self.screenshot], capture_output=True,
                              text=True, check=True).stdout.strip()
        self.assertEqual(size, "%dx%d" % SCREEN)
        counts = histogram(self.screenshot)
        for finding, colour in self.colours.items():
            self.assertGreaterEqual(counts.get(colour, 0), MIN_ROW_PIXELS,
                                    "%s rows (background %r) not in the screenshot" % (finding, colour))
        self.assertEqual(self.result["counts"], {k: counts.get(c, 0) for k, c in self.colours.items()})
        self.assertTrue(os.path.exists(DOC_SCREENSHOT))

    def test_statistics_and_expert_dialogs_open_with_their_tables(self):
        # The Statistics menu lists the tables as IoT Phone-Home > Devices and
        # Remotes (the dialog's title is the menu path), and Expert
        # Information opens; each dialog's picture goes to the docs.
        for arg, (title, shot) in DIALOGS.items():
            with self.subTest(dialog=arg):
                name = self.result["dialogs"].get(arg)
                self.assertIsNotNone(name, "no %s window; stderr:\n%s" % (title, self.gui_stderr))
                self.assertIn(title, name)
                path = os.path.join(self.out, shot)
                size = subprocess.run(["identify", "-format", "%wx%h", path], capture_output=True, text=True,
                                      check=True).stdout.strip()
                self.assertEqual(size, "%dx%d" % DIALOG_SIZE)
                # A table, not a blank window: many distinct colours (text, rows, headers).
                self.assertGreater(len(histogram(path)), 50)
                self.assertTrue(os.path.exists(os.path.join(DOC_SCREENSHOTS, shot)), "docs/screenshots/" + shot)

    def test_fast(self):
        self.assertLess(self.elapsed, 150, self.result)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--drive":
        drive(sys.argv[2])
    else:
        unittest.main()
