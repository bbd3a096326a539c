#!/usr/bin/env bash
# Builds the Debian package from build/ (run scripts/setup.sh first), installs
# it with apt, checks that root's tshark loads the plugin from Wireshark's
# global plugin folder with no environment set and finds the doorbell's sink,
# then purges the package again. Changes the system: meant for a disposable
# machine or chroot (scripts/test-in-chroot.sh runs it), as root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run as root: it installs and purges the package" >&2; exit 1; }

rm -f build/wireshark-plugin-phonehome_*.deb
(cd build && cpack -G DEB >/dev/null)
deb="$(ls "$PWD"/build/wireshark-plugin-phonehome_*.deb)"
echo "built $(basename "$deb")"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null

clean_tshark() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin tshark "$@"; }
# tshark warns root on every run ("Running as user "root" ..."); anything
# else on stderr (a plugin that failed to load, a dissector bug) fails.
unexpected_stderr() { grep -v '^Running as user "root" and group "root"\. This could be dangerous\.$' "$1"; }
fail() { echo "check-deb: $*" >&2; DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq wireshark-plugin-phonehome >/dev/null; exit 1; }

global="$(clean_tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')"
plugins_err="$(mktemp)"
plugins="$(clean_tshark -G plugins 2>"$plugins_err")"
! unexpected_stderr "$plugins_err" >/dev/null || fail "tshark -G plugins printed on stderr: $(unexpected_stderr "$plugins_err")"
grep -q "$global/epan/phonehome.so" <<<"$plugins" || fail "root's tshark did not load $global/epan/phonehome.so"
echo "loaded: $(grep phonehome.so <<<"$plugins" | tr -s '\t ' ' ')"
sinks="$(clean_tshark -n -r captures/doorbell.pcap -Y phonehome.sink 2>"$plugins_err" | wc -l)"
! unexpected_stderr "$plugins_err" >/dev/null || fail "tshark printed on stderr: $(unexpected_stderr "$plugins_err")"
[ "$sinks" -gt 0 ] || fail "no phonehome.sink on captures/doorbell.pcap"
echo "root, no environment: $sinks sink packets in captures/doorbell.pcap"
rm -f "$plugins_err"

DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq wireshark-plugin-phonehome >/dev/null
[ ! -e "$global/epan/phonehome.so" ] || { echo "check-deb: purge left $global/epan/phonehome.so" >&2; exit 1; }
echo "purged"
