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

# Everything again under AddressSanitizer and UndefinedBehaviorSanitizer: the
# core's tests and fuzz replays, and the integration tests with the sanitized
# plugin loaded into the packaged tshark (the ASan runtime preloaded).
cmake -S . -B build-sanitize -DPHONEHOME_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-sanitize -j"$jobs"

echo "== capture generator self-tests"
python3 -m unittest discover -s captures/tests

echo "== every test under ASan/UBSan (core, fuzz replays, tshark with the sanitized plugin)"
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure -j"$jobs")

echo "== all tests (unit, fuzz replays, tshark integration)"
(cd build && ctest --output-on-failure -j"$jobs")
