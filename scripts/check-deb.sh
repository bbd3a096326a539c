#!/usr/bin/env bash
# Builds the Debian packages from build/ (run scripts/setup.sh first), installs
# both (the plugin and its -dbgsym) with apt, and checks, as root with no
# environment set, what a user gets right after `apt install`:
#   - tshark loads the plugin from Wireshark's global plugin folder, and it
#     finds the doorbell's sinks; the installed plugin has no debug sections;
#   - the "phonehome" profile is in the global profiles folder (the data
#     folder tshark -G folders names, "Global configuration", + profiles/),
#     and `tshark -C phonehome` shows its columns;
#   - the man page and the docs are installed; gdb (when installed) finds
#     the plugin's symbols from the -dbgsym package;
# then purges both packages and checks nothing is left. Changes the system:
# meant for a disposable machine or chroot (scripts/test-in-chroot.sh runs
# it), as root. Root's own "phonehome" profile, if any, is set aside for the
# check (tshark -C copies the global profile there) and put back.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run as root: it installs and purges the package" >&2; exit 1; }
pkg=wireshark-plugin-phonehome

rm -f build/"$pkg"_*.deb build/"$pkg"-dbgsym_*.deb
(cd build && cpack -G DEB >/dev/null)
deb="$(ls "$PWD"/build/"$pkg"_*.deb)"
dbgsym="$(ls "$PWD"/build/"$pkg"-dbgsym_*.deb)"
echo "built $(basename "$deb") and $(basename "$dbgsym")"

clean_tshark() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin tshark "$@"; }
folder() { clean_tshark -G folders 2>/dev/null | sed -n "s/^$1:[[:space:]]*//p"; }

# Root's personal profile folder: tshark -C copies a global profile there on first use.
personal="$(folder "Personal configuration")"
[ -n "$personal" ] || { echo "check-deb: tshark -G folders names no personal configuration folder" >&2; exit 1; }
personal="$personal/profiles/phonehome"
aside=""
if [ -e "$personal" ]; then
  aside="$(mktemp -d /tmp/phonehome-profile-aside.XXXXXX)"
  mv "$personal" "$aside/"
fi
err="$(mktemp)"
installed=0
purge() { DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$pkg" "$pkg-dbgsym" >/dev/null; installed=0; }
# On any exit (a failed check included): purge, put root's profile back.
cleanup() {
  [ "$installed" -eq 0 ] || purge
  rm -rf "$personal" "$err"
  [ -z "$aside" ] || { mv "$aside/phonehome" "$personal"; rmdir "$aside"; }
}
trap cleanup EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }

installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" "$dbgsym" >/dev/null

# tshark warns root on every run ("Running as user "root" ..."); anything
# else on stderr (a plugin that failed to load, a dissector bug) fails.
unexpected_stderr() { grep -v '^Running as user "root" and group "root"\. This could be dangerous\.$' "$err"; }
checked() {  # runs clean_tshark "$@", fails (the caller too, by set -e) on stray stderr
  local out
  out="$(clean_tshark "$@" 2>"$err")" || fail "tshark $* exited $?: $(unexpected_stderr)"
  ! unexpected_stderr >/dev/null || fail "tshark $* printed on stderr: $(unexpected_stderr)"
  printf '%s\n' "$out"
}

# The plugin, stripped, loaded from the global plugin folder.
global="$(folder "Global Plugins")"
so="$global/epan/phonehome.so"
plugins="$(checked -G plugins)"
grep -q "$so" <<<"$plugins" || fail "root's tshark did not load $so"
echo "loaded: $(grep phonehome.so <<<"$plugins" | tr -s '\t ' ' ')"
sections="$(readelf -S -W "$so")" || fail "readelf cannot read $so"
! grep -q '\.debug_' <<<"$sections" || fail "$so has debug sections"
echo "stripped: $so has no .debug_* sections ($(stat -c %s "$so") bytes)"
sinks="$(checked -n -r captures/doorbell.pcap -Y phonehome.sink | wc -l)"
[ "$sinks" -gt 0 ] || fail "no phonehome.sink on captures/doorbell.pcap"
echo "root, no environment: $sinks sink packets in captures/doorbell.pcap"

# The profile, where Wireshark looks for global profiles, usable with -C.
profile="$(folder "Global configuration")/profiles/phonehome"
[ -f "$profile/preferences" ] || fail "no profile in the global profiles folder $profile"
[ ! -e "$personal" ] || fail "$personal exists before the check"
psml="$(checked -C phonehome -n -r captures/doorbell.pcap -Y phonehome.pinhole -T psml)"
for column in Device Remote "Remote name" Findings; do
  grep -q "<section>$column</section>" <<<"$psml" || fail "tshark -C phonehome shows no $column column"
done
grep -q "<section>sink,pinhole</section>" <<<"$psml" || fail "the Findings column shows no sink,pinhole"
echo "profile: $profile; tshark -C phonehome shows its columns ($(grep -c '<packet>' <<<"$psml") pinhole rows)"

# Documentation, and the debug symbols where gdb looks.
doc="/usr/share/doc/$pkg"
for f in README.md user-guide.md fields.md README.Debian copyright changelog.Debian.gz; do
  [ -f "$doc/$f" ] || fail "no $doc/$f"
done
[ -f /usr/share/man/man7/phonehome.7.gz ] || fail "no /usr/share/man/man7/phonehome.7.gz"
if command -v man >/dev/null; then
  [ "$(man -w phonehome)" = /usr/share/man/man7/phonehome.7.gz ] || fail "man -w phonehome: $(man -w phonehome 2>&1)"
  warnings="$(MANWIDTH=80 man --warnings phonehome 2>&1 >/dev/null)"
  [ -z "$warnings" ] || fail "man phonehome warns: $warnings"
fi
echo "docs: $doc, man phonehome"
build_id="$(readelf -n "$so" | sed -n 's/^ *Build ID: //p')"
debug="/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
[ -f "$debug" ] || fail "no $debug for build-id $build_id"
if command -v gdb >/dev/null; then
  line="$(env -i PATH=/usr/bin:/bin HOME=/tmp gdb -nx -batch -ex "file $so" -ex "info line plugin_register" 2>&1)"
  grep -q '^Line [0-9]* of ".*plugin_entry\.c"' <<<"$line" || fail "gdb finds no line information: $line"
  echo "debug symbols: $debug; gdb: $(grep '^Line' <<<"$line" | cut -c1-60)..."
else
  echo "debug symbols: $debug (gdb not installed)"
fi

purge
for f in "$so" "$profile" "$debug" "$doc" /usr/share/man/man7/phonehome.7.gz; do
  [ ! -e "$f" ] || { echo "check-deb: purge left $f" >&2; exit 1; }
done
echo "purged"
