"""The stripped plugin of the main package and its -dbgsym package.

The packaged phonehome.so must have no debug sections and no static symbol
table, yet be the build's plugin otherwise: the same GNU build-id and the same
bytes in every section that is loaded into memory. The -dbgsym package holds
exactly one file, /usr/lib/debug/.build-id/<xx>/<rest>.debug named after that
build-id, with the debug sections; gdb finds the symbols there for the
stripped plugin, and does not without it.
"""
import os
import shutil
import struct
import subprocess
import unittest

from debian_packages import DBGSYM, PACKAGE, Packages, wireshark_folder
from tshark_env import PLUGIN

SHF_ALLOC = 0x2
SHT_NOTE = 7
NOTE_GNU_BUILD_ID = 3


def elf_sections(path):
    """{name: (type, flags, bytes)} of a 64-bit little-endian ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise AssertionError(path + " is not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_at = headers[shstrndx][4]
    sections = {}
    for name, kind, flags, _, offset, size, *_ in headers:
        end = data.index(b"\0", names_at + name)
        body = b"" if kind == 8 else data[offset:offset + size]  # SHT_NOBITS (.bss) has no bytes
        sections[data[names_at + name:end].decode()] = (kind, flags, body)
    return sections


def build_id(sections):
    """The GNU build-id note's value, as hex."""
    kind, _, note = sections[".note.gnu.build-id"]
    assert kind == SHT_NOTE
    namesz, descsz, note_type = struct.unpack_from("<III", note, 0)
    assert note_type == NOTE_GNU_BUILD_ID and note[12:12 + namesz] == b"GNU\0"
    start = 12 + (namesz + 3) // 4 * 4
    return note[start:start + descsz].hex()


class DebugPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.packages = Packages()
        cls.addClassCleanup(cls.packages.close)
        cls.stripped = cls.packages.path(PACKAGE, os.path.join(wireshark_folder("Global Plugins"), "epan",
                                                                "phonehome.so"))
        cls.built = elf_sections(PLUGIN)
        cls.shipped = elf_sections(cls.stripped)
        cls.build_id = build_id(cls.built)
        cls.debug_file = "/usr/lib/debug/.build-id/%s/%s.debug" % (cls.build_id[:2], cls.build_id[2:])

    def test_the_built_plugin_has_debug_information(self):
        # Otherwise the checks below prove nothing.
        self.assertIn(".debug_info", self.built)
        self.assertIn(".symtab", self.built)

    def test_shipped_plugin_is_stripped(self):
        self.assertEqual([name for name in self.shipped if name.startswith((".debug", ".zdebug"))], [])
        self.assertNotIn(".symtab", self.shipped)

    def test_shipped_plugin_is_the_built_code(self):
        self.assertEqual(build_id(self.shipped), self.build_id)
        # Every section loaded into memory (code, read-only data, dynamic
        # symbols, relocations, initialised data) is byte for byte the build's.
        loaded = sorted(name for name, (_, flags, _) in self.built.items() if flags & SHF_ALLOC)
        self.assertIn(".text", loaded)
        self.assertIn(".dynsym", loaded)
        self.assertEqual(sorted(name for name, (_, flags, _) in self.shipped.items() if flags & SHF_ALLOC), loaded)
        for name in loaded:
            self.assertEqual(self.shipped[name], self.built[name], name + " differs from the built plugin's")

    def test_dbgsym_control_fields(self):
        version = self.packages.field(PACKAGE, "Version")
        self.assertEqual(self.packages.field(DBGSYM, "Version"), version)
        self.assertEqual(self.packages.field(DBGSYM, "Architecture"), self.packages.field(PACKAGE, "Architecture"))
        self.assertEqual(self.packages.field(DBGSYM, "Section"), "debug")
        self.assertEqual(self.packages.field(DBGSYM, "Depends"), "%s (= %s)" % (PACKAGE, version))
        self.assertEqual(os.path.basename(self.packages.deb[DBGSYM]),
                         "%s_%s_%s.deb" % (DBGSYM, version, self.packages.field(DBGSYM, "Architecture")))

    def test_dbgsym_layout(self):
        doc_link = "/usr/share/doc/" + DBGSYM
        self.assertEqual(self.packages.files(DBGSYM), {self.debug_file, doc_link})
        self.assertEqual(os.readlink(self.packages.path(DBGSYM, doc_link)), PACKAGE)
        debug = elf_sections(self.packages.path(DBGSYM, self.debug_file))
        self.assertEqual(build_id(debug), self.build_id)
        self.assertIn(".debug_info", debug)
        self.assertIn(".debug_line", debug)
        self.assertIn(".symtab", debug)
        # The stripped plugin's .gnu_debuglink names the debug file too.
        link = self.shipped[".gnu_debuglink"][2]
        self.assertEqual(link[:link.index(b"\0")].decode(), os.path.basename(self.debug_file))

    def gdb_line(self, debug_dir):
        """gdb's answer to "where is plugin_register" in the stripped plugin."""
        env = dict(os.environ, DEBUGINFOD_URLS="", HOME=self.packages.scratch)
        proc = subprocess.run(["gdb", "-nx", "-batch", "-iex", "set debug-file-directory " + debug_dir,
                               "-ex", "file " + self.stripped, "-ex", "info line plugin_register"],
                              capture_output=True, text=True, env=env)
        return proc.stdout + proc.stderr

    @unittest.skipUnless(shutil.which("gdb"), "gdb is not installed")
    def test_gdb_finds_the_symbols_by_build_id(self):
        found = self.gdb_line(self.packages.path(DBGSYM, "/usr/lib/debug"))
        self.assertRegex(found, r'Line \d+ of "[^"]*plugin_entry\.c"', found)
        # Without the -dbgsym package's folder there is no line information.
        missing = self.gdb_line(os.path.join(self.packages.scratch, "no-debug"))
        self.assertIn("No line number information", missing)


if __name__ == "__main__":
    unittest.main()
