"""scripts/tshark-with-plugin, run as root from a folder only root can write.

As root the script runs tshark as nobody (tshark ignores plugin folders for
root) in a scratch folder. What tshark writes must still land where the
caller asked, relative paths against the caller's folder: a capture written
with -w (the sink packets of the doorbell capture, checked packet by packet
against the source), clustered short options (-qwFILE), and the objects of
--export-objects (a TFTP transfer built here). stdout, stderr and the exit
status stay tshark's. Skipped unless run as root: for other users the script
runs tshark directly, in the caller's folder.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from tshark_env import CAPTURES, PLUGIN, SANITIZER_RUNTIME, SOURCE_DIR

sys.path.insert(0, CAPTURES)
from pcapgen.ethernet import ethernet  # noqa: E402
from pcapgen.ip import ipv4  # noqa: E402
from pcapgen.pcap_writer import write_pcap  # noqa: E402
from pcapgen.transport import udp  # noqa: E402

SCRIPT = os.path.join(SOURCE_DIR, "scripts", "tshark-with-plugin")
CLIENT, SERVER = "192.168.1.40", "192.168.1.2"
CLIENT_MAC, SERVER_MAC = "02:00:00:00:00:40", "02:00:00:00:00:02"
FIRMWARE = bytes(range(256)) * 3  # 768 bytes: a full 512-byte block and a short last one


def tftp_download(path, name, content):
    """A capture of a TFTP read request for name, answered with content."""
    def datagram(src, dst, sport, dport, payload):
        src_mac, dst_mac = (CLIENT_MAC, SERVER_MAC) if src == CLIENT else (SERVER_MAC, CLIENT_MAC)
        return ethernet(dst_mac, src_mac, 0x0800, ipv4(src, dst, 17, udp(src, dst, sport, dport, payload)))
    frames = [datagram(CLIENT, SERVER, 41000, 69, b"\x00\x01" + name.encode() + b"\x00octet\x00")]
    blocks = [content[i:i + 512] for i in range(0, len(content) + 1, 512)]
    for number, block in enumerate(blocks, 1):
        frames.append(datagram(SERVER, CLIENT, 50000, 41000, b"\x00\x03" + number.to_bytes(2, "big") + block))
        frames.append(datagram(CLIENT, SERVER, 41000, 50000, b"\x00\x04" + number.to_bytes(2, "big")))
    write_pcap(path, [(1_000_000 + 1000 * i, frame) for i, frame in enumerate(frames)])


@unittest.skipUnless(os.geteuid() == 0, "the script only moves output files when run as root")
@unittest.skipIf(SANITIZER_RUNTIME, "the script loads the plugin into tshark without the sanitizer runtime")
class RootOutputFiles(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(PLUGIN):
            self.skipTest("plugin not built: " + PLUGIN)
        # A folder of root's own, as /root is: user nobody can neither list nor write it.
        self.folder = tempfile.mkdtemp(prefix="phonehome-root-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        os.chmod(self.folder, 0o700)

    def script(self, *args):
        env = dict(os.environ, PHONEHOME_PLUGIN=PLUGIN, LC_ALL="C.UTF-8", TZ="UTC")
        return subprocess.run([SCRIPT] + list(args), capture_output=True, text=True, cwd=self.folder, env=env)

    def packets(self, capture, *args):
        """tshark's view of each packet of a capture: time, addresses, ports, length, bytes."""
        proc = subprocess.run(["tshark", "-n", "-r", capture] + list(args) +
                              ["-T", "fields", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst",
                               "-e", "udp.srcport", "-e", "udp.dstport", "-e", "frame.len", "-e", "data.data"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout.splitlines()

    def test_w_writes_into_the_callers_folder(self):
        doorbell = os.path.join(CAPTURES, "doorbell.pcap")
        proc = self.script("-n", "-r", doorbell, "-Y", "phonehome.sink", "-w", "sinks.pcap")
        self.assertEqual((proc.returncode, proc.stderr), (0, ""))
        out = os.path.join(self.folder, "sinks.pcap")
        self.assertTrue(os.path.isfile(out), "no sinks.pcap in the caller's folder: " + str(os.listdir(self.folder)))
        self.assertEqual(os.stat(out).st_uid, 0, "written as the caller")
        # A valid capture with exactly the doorbell's sink packets (ground truth).
        with open(os.path.join(CAPTURES, "doorbell.truth.json")) as f:
            sinks = [frame["n"] for frame in json.load(f)["frames"] if "sink" in frame["findings"]]
        self.assertEqual(len(sinks), 26)
        self.assertEqual(self.packets(out),
                         self.packets(doorbell, "-Y", "frame.number in {%s}" % ", ".join(map(str, sinks))))

    def test_clustered_options_and_subfolders(self):
        os.mkdir(os.path.join(self.folder, "sub"))
        doorbell = os.path.join(CAPTURES, "doorbell.pcap")
        proc = self.script("-n", "-r", doorbell, "-c", "5", "-qwsub/first5.pcapng")
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
        self.assertEqual(len(self.packets(os.path.join(self.folder, "sub", "first5.pcapng"))), 5)

    def test_stdout_stderr_and_exit_status_are_tsharks(self):
        proc = self.script("-n", "-r", os.path.join(CAPTURES, "doorbell.pcap"), "-Y", "phonehome.sink", "-c", "20")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("106.13.0.0", proc.stdout)
        proc = self.script("-n", "-r", "no-such.pcap")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("no-such.pcap", proc.stderr)
        self.assertEqual(os.listdir(self.folder), [])

    def test_export_objects_into_the_callers_folder(self):
        capture = os.path.join(self.folder, "tftp.pcap")
        tftp_download(capture, "firmware.bin", FIRMWARE)
        proc = self.script("-n", "-q", "-r", "tftp.pcap", "--export-objects", "tftp,objects")
        # The exit status is tshark's own: Wireshark 4.6.9's TFTP export
        # aborts at exit (freeing its entries, after writing the files) with
        # or without any plugin, so plain tshark on the same capture says what
        # to expect.
        plain = subprocess.run(["tshark", "-n", "-q", "-r", "tftp.pcap", "--export-objects", "tftp,plain-objects"],
                               capture_output=True, text=True, cwd=self.folder)
        expected = 128 - plain.returncode if plain.returncode < 0 else plain.returncode
        self.assertEqual(proc.returncode, expected, proc.stderr)
        if expected == 0:
            self.assertEqual(proc.stderr, "")
        exported = os.path.join(self.folder, "objects", "firmware.bin")
        self.assertTrue(os.path.isfile(exported), str(os.listdir(self.folder)))
        with open(exported, "rb") as f:
            self.assertEqual(f.read(), FIRMWARE)


if __name__ == "__main__":
    unittest.main()
