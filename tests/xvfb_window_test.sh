#!/bin/sh
# A real-window test: starts `pinata view` under Xvfb, drives it with keys and a click
# (xdotool), takes screenshots, and checks that what changed on screen is what the keys
# asked for: the step counter in the title, the cursor drawn where the viewer says it is,
# a zoom that changes the picture, a selection that shows up.
# usage: tests/xvfb_window_test.sh PATH/TO/pinata
set -eu
BIN=${1:?usage: xvfb_window_test.sh PINATA_BINARY}
for tool in Xvfb xdotool convert; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skip: $tool not installed"; exit 77; }
done
TMP=$(mktemp -d)
# -displayfd: Xvfb picks a free display number and writes it to fd 3
Xvfb -displayfd 3 -screen 0 1500x900x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XPID=$!
VPID=""
cleanup() {
  [ -n "$VPID" ] && kill "$VPID" 2>/dev/null || true
  kill "$XPID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
n=0
until [ -s "$TMP/display" ]; do
  n=$((n + 1)); [ $n -gt 100 ] && { echo "FAIL: Xvfb did not start"; cat "$TMP/xvfb.log"; exit 1; }
  sleep 0.1
done
DISP=":$(cat "$TMP/display")"
export DISPLAY="$DISP"
# Under ASan, X11 / D-Bus / GL libraries keep allocations until exit, some in modules
# already unloaded (no name to suppress): leaks are checked by the cmocka tests of the
# layout and backends instead, not for this real window.
# The later option wins, so this holds even when the caller's ASAN_OPTIONS asks for leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export SDL_RENDER_DRIVER="${SDL_RENDER_DRIVER:-software}"
# no session bus in CI: make SDL's D-Bus calls (screensaver, input method) fail at once
# instead of waiting for a bus that never answers
export DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-disabled:}"
export SDL_VIDEO_ALLOW_SCREENSAVER=1
export SDL_VIDEODRIVER=x11
fail() {
  echo "FAIL: $*"
  [ -f "$TMP/out.txt" ] && cat "$TMP/out.txt"
  [ -f "$TMP/out2.txt" ] && cat "$TMP/out2.txt"
  [ -n "${PINATA_XVFB_DEBUG:-}" ] && [ -n "$VPID" ] && gdb -batch -ex "thread 1" -ex "bt" -p "$VPID" 2>&1 | grep -E "^#" | head -30
  echo "windows on $DISPLAY:"; xwininfo -root -tree 2>&1 | head -12
  [ -n "${PINATA_XVFB_DEBUG:-}" ] && [ -n "$VPID" ] && tr '\0' '\n' </proc/"$VPID"/environ | grep -E "DISPLAY|SDL"
  [ -n "${PINATA_XVFB_DEBUG:-}" ] && cat "$TMP/xvfb.log"
  [ -n "${PINATA_XVFB_DEBUG:-}" ] && [ -n "$VPID" ] && ls -la /proc/"$VPID"/fd | grep socket | head -3 && grep X11 /proc/net/unix | head; ps aux | grep Xvfb | grep -v grep
  exit 1
}

i=0
until xdotool getmouselocation >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -gt 100 ] && fail "Xvfb did not start"; sleep 0.1
done

# the viewer's window: by its pid when the window manager data has it, else by title
find_window() {
  xdotool search --pid "$VPID" --name '^pinata - ' 2>/dev/null | head -1 ||
    xdotool search --name '^pinata - ' 2>/dev/null | head -1 || true
}

# waits until the window title matches a pattern (the viewer retitles after each frame);
# up to 30 s: a loaded machine (ASan, parallel tests) can take seconds for a first frame.
# An empty name means the id found first was not the titled top-level window (SDL can map
# more than one X window while it starts): look the window up again.
title_is() {
  n=0
  while :; do
    t=$(xdotool getwindowname "$WID" 2>/dev/null || true)
    case "$t" in $1) return 0 ;; esac
    if [ -z "$t" ]; then w=$(find_window); [ -n "$w" ] && WID=$w; fi
    n=$((n + 1)); [ $n -gt 300 ] && fail "title is '$t', expected '$1'"
    sleep 0.1
  done
}

# pixel colour of a screenshot at x,y as rrggbb
pixel() { convert "$1" -format "%[hex:u.p{$2,$3}]" info: | cut -c1-6 | tr 'A-F' 'a-f'; }

# start_viewer OUT ARGS...: starts `pinata view ARGS` and sets VPID and WID. An X server
# that has just started can refuse a first connection; the viewer then says "no display"
# and exits, and is started again (three tries).
start_viewer() {
  out=$1; shift
  for try in 1 2 3; do
    "$BIN" view "$@" >"$out" 2>&1 &
    VPID=$!
    WID=""
    n=0
    while [ -z "$WID" ] && kill -0 "$VPID" 2>/dev/null; do
      WID=$(find_window)
      n=$((n + 1)); [ $n -gt 300 ] && fail "no viewer window after 30 s"
      [ -z "$WID" ] && sleep 0.1
    done
    [ -n "$WID" ] && return 0
    wait "$VPID" 2>/dev/null || true
    VPID=""
    grep -q "no display" "$out" || fail "the viewer exited before opening its window: $(cat "$out")"
    sleep 0.5
  done
  fail "the viewer found no display three times"
}

start_viewer "$TMP/out.txt" block_on --width 1400 --height 820 --screenshot-on-exit "$TMP/exit.png"
title_is "pinata - block_on - step 1 of *"
N=$(xdotool getwindowname "$WID" | sed 's/.* of \([0-9]*\).*/\1/')

# step: Right x5 moves the cursor to step 6, Left back to 5, End to N, Home to 1
xdotool key --window "$WID" Right Right Right Right Right
title_is "pinata - block_on - step 6 of $N*"
xdotool key --window "$WID" Left
title_is "pinata - block_on - step 5 of $N*"
xdotool key --window "$WID" End
title_is "pinata - block_on - step $N of $N*"
xdotool key --window "$WID" Home
title_is "pinata - block_on - step 1 of $N*"

# n: next poll start (step 1 is the spawn or create, so the first poll is later)
xdotool key --window "$WID" n
n=0
while :; do
  t=$(xdotool getwindowname "$WID"); k=$(echo "$t" | sed 's/.*step \([0-9]*\) of.*/\1/')
  [ "$k" -gt 1 ] && break
  n=$((n + 1)); [ $n -gt 50 ] && fail "n did not move to a poll (title '$t')"
  sleep 0.1
done
xwd -root -silent -display "$DISP" | convert xwd:- "$TMP/before_zoom.png"

# zoom in twice: the picture changes
xdotool key --window "$WID" plus plus
sleep 0.5
xwd -root -silent -display "$DISP" | convert xwd:- "$TMP/after_zoom.png"
diff_px=$(compare -metric AE "$TMP/before_zoom.png" "$TMP/after_zoom.png" null: 2>&1 || true)
[ "${diff_px%%.*}" -gt 1000 ] || fail "zoom changed only $diff_px pixels"

# fit again, then select: click on the Simplified View bar of A (cheapo_request)
xdotool key --window "$WID" f
xdotool mousemove --window "$WID" 900 103 click 1
title_is "pinata - block_on - step $k of $N - selected*"

# quit; the viewer saves its last frame and prints its state
xdotool key --window "$WID" Right
title_is "pinata - block_on - step $((k + 1)) of $N - selected*"
# q closes the window on key-down: the key-up may find no window, which is fine
xdotool key --window "$WID" q 2>/dev/null || true
wait "$VPID" || fail "the viewer exited with an error"
VPID=""
grep -q "step $((k + 1)) of $N;" "$TMP/out.txt" || fail "the state line does not say step $((k + 1))"
grep -q "selected future 1 " "$TMP/out.txt" || fail "future 1 (A) is not selected"
grep -q "visible 1.0000 of the run" "$TMP/out.txt" || fail "F did not fit the whole run"
# the cursor is drawn where the viewer says: its column is the cursor red (#c0002a)
cx=$(sed -n 's/.*cursor x \([0-9]*\) y.*/\1/p' "$TMP/out.txt")
cy=$(sed -n 's/.*cursor x [0-9]* y \([0-9]*\);.*/\1/p' "$TMP/out.txt")
[ -n "$cx" ] || fail "no cursor x in the state line"
found=0
for dx in -1 0 1; do
  c=$(pixel "$TMP/exit.png" $((cx + dx)) "$cy")
  [ "$c" = "c0002a" ] && found=1
done
[ $found -eq 1 ] || fail "no cursor-red pixel at x=$cx in the screenshot (saw $c)"
# auto-reload: view a scenario file, give example.com one response chunk instead of
# three, save: the viewer reloads by itself and the run it shows has fewer steps
SRC="$(cd "$(dirname "$0")/.." && pwd)/scenarios/s02_block_on.json"
if [ -f "$SRC" ]; then
  cp "$SRC" "$TMP/edit.json"
  start_viewer "$TMP/out2.txt" "$TMP/edit.json" --width 1200 --height 700
  title_is "pinata - * - step 1 of *"
  N1=$(xdotool getwindowname "$WID" | sed 's/.* of \([0-9]*\).*/\1/')
  sleep 1.1 # a new mtime second, whatever the file system's resolution
  sed 's/"seed": 42,/"seed": 42, "network": {"hosts": [{"name": "example.com", "port": 80, "connect_ms": 40, "chunks": [{"delay_ms": 30, "bytes": 900}]}]},/' \
    "$SRC" >"$TMP/edit.tmp" && mv "$TMP/edit.tmp" "$TMP/edit.json"
  n=0
  while :; do
    N2=$(xdotool getwindowname "$WID" | sed 's/.* of \([0-9]*\).*/\1/')
    [ "$N2" != "$N1" ] && break
    n=$((n + 1)); [ $n -gt 50 ] && fail "no reload after the scenario changed (still $N1 steps)"
    sleep 0.1
  done
  [ "$N2" -lt "$N1" ] || fail "one chunk instead of three should make fewer steps ($N1 -> $N2)"
  xdotool key --window "$WID" q 2>/dev/null || true
  wait "$VPID" || true
  VPID=""
fi
# compare: two runs on one page; the keys step through both runs' merged steps, and the
# cursor stands in both pictures at one x (the same virtual time)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
A="$ROOT/traces/s09_busy_poll.trace.json" B="$ROOT/traces/s09_parking.trace.json"
if [ -f "$A" ] && [ -f "$B" ]; then
  start_viewer "$TMP/out3.txt" "$A" "$B" --width 1400 --height 820 --screenshot-on-exit "$TMP/compare.png"
  title_is "pinata - s09_busy_poll vs s09_parking - step 1 of *"
  NC=$(xdotool getwindowname "$WID" | sed 's/.* of \([0-9]*\).*/\1/')
  xdotool key --window "$WID" Right Right Right
  title_is "pinata - s09_busy_poll vs s09_parking - step 4 of $NC*"
  xdotool key --window "$WID" End
  title_is "pinata - s09_busy_poll vs s09_parking - step $NC of $NC*"
  xdotool key --window "$WID" p
  title_is "pinata - s09_busy_poll vs s09_parking - step [0-9]* of $NC*"
  xdotool key --window "$WID" Home Right Right Right Right Right Right Right Right Right Right Right Right
  title_is "pinata - s09_busy_poll vs s09_parking - step 13 of $NC*"
  xdotool key --window "$WID" q 2>/dev/null || true
  wait "$VPID" || fail "the compare viewer exited with an error"
  VPID=""
  grep -q "step 13 of $NC;" "$TMP/out3.txt" || fail "the compare state line does not say step 13"
  # the last cursor drawn is B's (lower); A's is in the same column higher up
  cx=$(sed -n 's/.*cursor x \([0-9]*\) y.*/\1/p' "$TMP/out3.txt")
  cy=$(sed -n 's/.*cursor x [0-9]* y \([0-9]*\);.*/\1/p' "$TMP/out3.txt")
  [ -n "$cx" ] && [ -n "$cy" ] || fail "no cursor in the compare state line"
  red_b=0 red_a=0
  for dx in -1 0 1; do
    [ "$(pixel "$TMP/compare.png" $((cx + dx)) "$cy")" = "c0002a" ] && red_b=1
    convert "$TMP/compare.png" -crop "1x$((cy - 150))+$((cx + dx))+0" txt:- | grep -qi "c0002a" && red_a=1
  done
  [ $red_b -eq 1 ] || fail "no cursor-red pixel of run B at x=$cx y=$cy"
  [ $red_a -eq 1 ] || fail "no cursor-red pixel of run A above run B's cursor at x=$cx"
  [ -n "${PINATA_XVFB_KEEP:-}" ] && cp "$TMP/compare.png" "$PINATA_XVFB_KEEP"
fi
# quiz mode: G stops at the first question (reveal mode on), a key answers it and the
# cursor moves to the step that shows the answer, the score counts it; the box is drawn
SRC="$ROOT/scenarios/s02_block_on.json"
if [ -f "$SRC" ]; then
  start_viewer "$TMP/out4.txt" "$SRC" --width 1400 --height 820 --screenshot-on-exit "$TMP/quiz.png"
  title_is "pinata - s02_block_on - step 1 of *"
  xdotool key --window "$WID" g
  title_is "pinata - s02_block_on - step * of * - quiz 0/0"
  q1=$(xdotool getwindowname "$WID" | sed 's/.*step \([0-9]*\) of.*/\1/')
  [ "$q1" -gt 1 ] || fail "G did not move to the first question (step $q1)"
  xdotool key --window "$WID" Right
  title_is "pinata - s02_block_on - step $q1 of * - quiz 0/0" # no stepping past a question asked
  xdotool key --window "$WID" 1
  title_is "pinata - s02_block_on - step * of * - quiz [01]/1"
  a1=$(xdotool getwindowname "$WID" | sed 's/.*step \([0-9]*\) of.*/\1/')
  [ "$a1" -gt "$q1" ] || fail "answering did not move to the step that shows the answer ($q1 -> $a1)"
  xdotool key --window "$WID" q 2>/dev/null || true
  wait "$VPID" || fail "the quiz viewer exited with an error"
  VPID=""
  grep -q "reveal 1; .*quiz [01] right of 1, phase 3" "$TMP/out4.txt" || fail "the state line does not show the answered quiz: $(cat "$TMP/out4.txt")"
  convert "$TMP/quiz.png" -format %c histogram:info: | grep -qi "6a1b9a" || fail "no quiz box (its purple border) in the screenshot"
fi
echo "ok: stepping, next poll, zoom, fit, select, the cursor on screen, reload on save, compare, and quiz mode"
