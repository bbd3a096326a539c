#!/usr/bin/env bash
# Fresh Debian 12 -> built plugin -> the doorbell capture's report.
# Installs the Debian packages that are missing (as root, or through sudo;
# the GUI ones run the Wireshark screenshot test under Xvfb; `wireshark` is
# the Qt GUI itself from Debian 13 on, and pulls in wireshark-qt on Debian 12),
# builds the core, the plugin and the tests into build/, then runs tshark with
# the plugin on captures/doorbell.pcap and prints the per-device report and
# the flagged packets.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(tshark wireshark-dev libwireshark-dev libwiretap-dev libglib2.0-dev
          cmake make g++ python3 libgtest-dev
          wireshark xvfb xauth imagemagick xdotool
          libmaxmind-db-writer-perl)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing: ${missing[*]}"
  # tshark asks whether non-root users may capture; answer "no" up front.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

[ "${1:-}" = "--no-demo" ] && exit 0
echo
echo "== tshark -z phonehome,devices on captures/doorbell.pcap"
scripts/tshark-with-plugin -n -q -r captures/doorbell.pcap -z phonehome,devices
echo
echo "== packets with a phonehome finding (-Y phonehome.pattern)"
scripts/tshark-with-plugin -n -r captures/doorbell.pcap -Y phonehome.pattern \
  -T fields -E header=y -e frame.number -e frame.time_relative -e phonehome.device -e phonehome.remote \
  -e udp.dstport -e phonehome.pattern -e phonehome.pinhole.gap
