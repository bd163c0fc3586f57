#!/bin/sh
# The README's test command: installs what is missing, builds, and runs every test twice —
# in the normal build and under AddressSanitizer + UndefinedBehaviorSanitizer — then a
# smoke run of the benchmarks (no timing is asserted anywhere), then a short fuzz run of each
# libFuzzer target (scripts/fuzz.sh, docs/reliability.md; PINATA_FUZZ_SECONDS, default 60):
# a crash, a hang or a broken oracle fails the test command.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
echo "== tests (RelWithDebInfo)"
ctest --test-dir build --output-on-failure -j2
echo "== tests (ASan + UBSan)"
cmake -S . -B build-asan -DPINATA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2
if ./build/pinata bench --help >/dev/null 2>&1; then
  echo "== bench smoke"
  ./build/pinata bench --quick >/dev/null
fi
./scripts/fuzz.sh "${PINATA_FUZZ_SECONDS:-60}"
echo "all tests passed"
