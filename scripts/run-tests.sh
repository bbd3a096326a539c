#!/usr/bin/env bash
# Every test: the core's unit tests and fuzz-target replays (also built with
# AddressSanitizer and UndefinedBehaviorSanitizer), the capture generator's
# self-tests, and the tshark integration tests with the built plugin.
# Run scripts/setup.sh first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

# The core under the sanitizers (the plugin itself is loaded by the packaged,
# uninstrumented tshark, so only the core is built this way here).
cmake -S . -B build-sanitize -DPHONEHOME_BUILD_PLUGIN=OFF -DPHONEHOME_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-sanitize -j"$jobs"

echo "== capture generator self-tests"
python3 -m unittest discover -s captures/tests

echo "== core unit tests and fuzz replays under ASan/UBSan"
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure -j"$jobs")

echo "== all tests (unit, fuzz replays, tshark integration)"
(cd build && ctest --output-on-failure -j"$jobs")
