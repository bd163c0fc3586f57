#!/bin/sh
# Regenerates the committed traces in traces/ from the scenarios in scenarios/, on purpose.
#
# Run it after a change to the simulator or to a scenario that is MEANT to change a trace,
# then look at `git diff --stat traces/` (and at a diagram or two) before committing.
# tests/test_catalogue.c re-runs every scenario and fails while a trace no longer matches.
#
#   scripts/regen-traces.sh            # uses build/pinata
#   PINATA=build-x/pinata scripts/regen-traces.sh
#
# The chat servers are committed with 100 connections (their size grows with the count);
# the test uses the same count. Exit status 3 (a reported deadlock) is expected for
# lost_wakeup.
set -eu
cd "$(dirname "$0")/.."
PINATA=${PINATA:-build/pinata}
mkdir -p traces
for f in scenarios/*.json; do
    name=$(basename "$f" .json)
    case $name in
        chat_server*) params="--param connections=100" ;;
        *) params="" ;;
    esac
    rc=0
    # shellcheck disable=SC2086
    "$PINATA" run "$f" $params -o "traces/$name.trace.json" -q || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        echo "regen-traces: $f failed (exit $rc)" >&2
        exit 1
    fi
    echo "traces/$name.trace.json"
done
# the runtime models (docs/runtime-models.md): S2, S3 and S8 under async-std and tokio, as
# NAME.MODEL.trace.json; exit status 101 (block_on resumed a panic) is expected for S8
for name in s02_block_on s03_many_requests s08_fuse; do
    for model in async-std tokio; do
        rc=0
        # async-std with seed 1: a run that shows async-io's spurious connect poll (seed 42 does not)
        seed=42; [ $model = async-std ] && seed=1
        "$PINATA" run "scenarios/$name.json" --model $model --seed $seed -o "traces/$name.$model.trace.json" -q || rc=$?
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 101 ]; then
            echo "regen-traces: $name --model $model failed (exit $rc)" >&2
            exit 1
        fi
        echo "traces/$name.$model.trace.json"
    done
done
du -ch traces/*.trace.json | tail -1
# the compare pictures and the lecture examples' pages are drawn from these traces:
# re-export them with the traces
PINATA=$PINATA scripts/regen-compare.sh
PINATA=$PINATA scripts/regen-pages.sh
# the README's two diagrams (built-in examples, exported by name as the README says)
for name in block_on many_requests; do
    "$PINATA" export "$name" -o "traces/$name.svg" >/dev/null
    "$PINATA" export "$name" -o "traces/$name.png" >/dev/null
done
