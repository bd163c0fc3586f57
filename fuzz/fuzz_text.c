/* fuzz_text: `pinata text TRACE` — the trace loader, the index, the time axis and the
 * text timeline with its captions. Width, language and step limit come from a hash of
 * the input. Oracle: no sanitizer report and a one-line error for a rejected trace. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz/fuzz_util.h"
#include "viz/textline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint64_t h = fz_hash(data, size);
    tload_trace t;
    tindex ix;
    taxis ax;
    if (fz_open(data, size, 1, &t, &ix, &ax)) return 0;
    textline_opts o = {.width = (int)(h % 200), .lang = (h >> 8) & 1 ? CAPTION_KO : CAPTION_EN,
                       .limit = (h >> 9) & 1 ? 0 : 40};
    FILE *f = fopen("/dev/null", "w");
    if (f) { textline_write(f, &t, &ix, &ax, &o); fclose(f); }
    fz_close(&t, &ix, &ax);
    return 0;
}
