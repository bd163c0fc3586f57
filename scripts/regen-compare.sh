#!/bin/sh
# Exports the catalogue's compare pairs (pinata export A B, docs/viewer.md "Compare")
# from the committed traces into traces/compare_*.png and .svg, on purpose. The README
# shows them. regen-traces.sh runs it after the traces; run it alone after a change to
# the viewer that is meant to change the pictures.
#
#   scripts/regen-compare.sh           # uses build/pinata
#   PINATA=build-x/pinata scripts/regen-compare.sh
set -eu
cd "$(dirname "$0")/.."
PINATA=${PINATA:-build/pinata}
# name  A  B: busy vs parking (S9), threads vs tasks (S1 / S3), threads vs tasks at 100
# connections (S10: the committed chat traces hold 100), spawn_local vs a pool (S7), and S3
# under the ideal executor vs tokio (docs/runtime-models.md)
while read -r name a b; do
    for ext in png svg; do
        "$PINATA" export "traces/$a.trace.json" "traces/$b.trace.json" -o "traces/compare_$name.$ext" >/dev/null
        echo "traces/compare_$name.$ext"
    done
done <<PAIRS
s09 s09_busy_poll s09_parking
s01_s03 s01_sync_threads s03_many_requests
s10 chat_server_threads chat_server
s07 s07_compute_spawn_local s07_compute_pool
s03_models s03_many_requests s03_many_requests.tokio
PAIRS
du -ch traces/compare_* | tail -1
