#!/bin/sh
# Installs what pinata needs on Debian (as root) and builds it into build/.
# (clang and libclang-rt-14-dev, which holds libFuzzer, are for scripts/fuzz.sh only;
# chromium, chromium-driver and python3-selenium for the HTML page's browser test; chromium,
# Node.js and speedscope from npm, pinned, for the test that opens every trace in speedscope.)
# Safe to run again: apt-get skips what is there, cmake rebuilds only what changed.
set -eu
cd "$(dirname "$0")/.."
PKGS="cmake gcc make pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcjson-dev \
libcmocka-dev fonts-dejavu-core fonts-nanum xvfb xdotool x11-apps imagemagick libxml2-utils python3 \
clang libclang-rt-14-dev zlib1g-dev chromium chromium-driver python3-selenium"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  if [ "$(id -u)" -ne 0 ]; then echo "setup: run as root to install:$missing" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
# node and npm: the machine's Node.js (NodeSource's nodejs carries npm), else Debian's
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing nodejs npm"
  if [ "$(id -u)" -ne 0 ]; then echo "setup: run as root to install: nodejs npm" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
# speedscope's release build for tests/speedscope_check.mjs, into .cache/npm (kept between runs)
SPEEDSCOPE=1.25.0
if [ "$(node -p "require('./.cache/npm/node_modules/speedscope/package.json').version" 2>/dev/null)" != "$SPEEDSCOPE" ]; then
  echo "setup: installing speedscope $SPEEDSCOPE from npm into .cache/npm"
  npm install --prefix .cache/npm --no-audit --no-fund --loglevel=error "speedscope@$SPEEDSCOPE" >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
