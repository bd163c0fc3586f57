#!/bin/sh
# Builds the libFuzzer harnesses (fuzz/, clang) into build-fuzz/ and fuzzes each target for
# SECONDS (default 60), one worker each. Exit status non-zero when a target crashes, leaks,
# hangs (25 s on one input) or breaks its oracle; the input is saved as
# build-fuzz/artifacts/TARGET-crash-* (replay: build-fuzz/fuzz_TARGET FILE).
#
#   scripts/fuzz.sh                      # 60 s per target: what scripts/test.sh runs
#   scripts/fuzz.sh 3600 trace text      # the long run of docs/reliability.md, chosen targets
#
# Seeds: every scenario (scenarios/, tests/data/; the .rs programs for the rust target), the committed traces (the large ones cut to
# their first lines), and the inputs of fuzz/corpus/scenario|trace/ (what crashed once, kept as
# regressions; trace and text share them). The corpus grows in build-fuzz/corpus/TARGET.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-scenario trace text rust}
B=build-fuzz
CC=${FUZZ_CC:-clang} cmake -S . -B $B -DPINATA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
for t in $TARGETS; do cmake --build $B -j2 --target "fuzz_$t" >/dev/null; done
mkdir -p $B/seeds/scenario $B/seeds/trace $B/seeds/rust $B/artifacts fuzz/corpus/rust
cp scenarios/*.json tests/data/*.json $B/seeds/scenario/
cp scenarios/*.rs tests/data/*.rs $B/seeds/rust/
for f in traces/*.trace.json; do
    # a whole small trace; of a large one its first lines (a truncated trace is an input too)
    if [ "$(wc -c <"$f")" -le 20000 ]; then cp "$f" "$B/seeds/trace/"
    else head -n 60 "$f" >"$B/seeds/trace/$(basename "$f")"; fi
done
rc=0
for t in $TARGETS; do
    case $t in scenario) seeds=scenario dict=scenario; max=16384 ;; rust) seeds=rust dict=rust; max=16384 ;;
               *) seeds=trace dict=trace; max=32768 ;; esac
    mkdir -p "$B/corpus/$t"
    echo "== fuzz $t (${SECS} s)"
    "$B/fuzz_$t" -max_total_time="$SECS" -timeout=25 -max_len=$max -print_final_stats=1 \
        -dict="fuzz/$dict.dict" -artifact_prefix="$B/artifacts/$t-" \
        "$B/corpus/$t" "$B/seeds/$seeds" "fuzz/corpus/$seeds" >"$B/$t.log" 2>&1 || {
        rc=1
        echo "fuzz $t: FAILED (build-fuzz/$t.log):" >&2
        grep -E "ERROR|SUMMARY|runtime error|fuzz:|Test unit written" "$B/$t.log" | head -8 >&2
    }
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$B/$t.log" | tr '\n' ' '
    echo
done
exit $rc
