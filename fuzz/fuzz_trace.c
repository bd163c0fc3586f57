/* fuzz_trace: the trace loader, the index, the time axis, the real layout and the SVG
 * backend, as `pinata export TRACE -o OUT.svg` runs them (no SDL window). The view
 * (language, views, cursor step, range, axis mode, width) is picked by a hash of the
 * input, so every input replays the same way. Oracle: no sanitizer report, a one-line
 * error for a rejected trace, and an SVG that is valid XML text. */
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint64_t h = fz_hash(data, size);
    tload_trace t;
    tindex ix;
    taxis ax;
    if (fz_open(data, size, (h >> 7) & 1, &t, &ix, &ax)) return 0;
    fz_export(&t, &ix, &ax, h);
    fz_close(&t, &ix, &ax);
    return 0;
}
