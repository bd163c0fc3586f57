#!/bin/sh
# Every committed trace, and chat_server / chat_server_threads at their 10,000 connections
# (written fresh: too large to commit), opened as other viewers open them
# (docs/trace-format.md, "Made to open in other viewers"):
#   perfetto    Perfetto's JSON importer rules, re-implemented (tests/perfetto_rules.py)
#   speedscope  speedscope's own importer in headless Chromium (tests/speedscope_check.mjs)
# usage: tests/peer_viewers_test.sh PATH/TO/pinata perfetto|speedscope
set -eu
BIN=${1:?usage: peer_viewers_test.sh PINATA_BINARY perfetto|speedscope}
MODE=${2:?usage: peer_viewers_test.sh PINATA_BINARY perfetto|speedscope}
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for s in chat_server chat_server_threads; do
  "$BIN" run "scenarios/$s.json" --param connections=10000 -o "$TMP/${s}_10000.trace.json" -q
done
case $MODE in
  perfetto) exec python3 tests/perfetto_rules.py traces/*.trace.json "$TMP"/*.trace.json ;;
  speedscope) exec node tests/speedscope_check.mjs traces/*.trace.json "$TMP"/*.trace.json ;;
  *) echo "peer_viewers_test: unknown mode $MODE" >&2; exit 2 ;;
esac
