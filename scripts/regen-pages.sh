#!/bin/sh
# Exports the lecture examples' HTML pages (pinata export TRACE -o NAME.html, docs/viewer.md
# "The page") from the committed traces into traces/NAME.html, beside the pictures, on
# purpose. The README links them. regen-traces.sh runs it after the traces; run it alone
# after a change to the viewer that is meant to change the pages.
#
#   scripts/regen-pages.sh             # uses build/pinata
#   PINATA=build-x/pinata scripts/regen-pages.sh
#
# S1-S9 and the two README pictures (block_on, many_requests). The chat servers (S10) are
# left out: 1.3-1.5 MB each; export them yourself.
set -eu
cd "$(dirname "$0")/.."
PINATA=${PINATA:-build/pinata}
for name in block_on many_requests s01_sync_threads s02_block_on s03_many_requests s04_owning_request \
            s05_async_block s06_spawn_pool s07_compute_pool s07_compute_spawn_local s08_fuse \
            s09_busy_poll s09_parking; do
    "$PINATA" export "traces/$name.trace.json" -o "traces/$name.html" >/dev/null
    echo "traces/$name.html"
done
du -ch traces/*.html | tail -1
