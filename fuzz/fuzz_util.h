/* fuzz_util: what the three libFuzzer harnesses share (see docs/reliability.md). */
#ifndef PINATA_FUZZ_UTIL_H
#define PINATA_FUZZ_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/printable.h"
#include "viz/layout.h"
#include "viz/svg.h"
#include "viz/taxis.h"
#include "viz/tindex.h"
#include "trace/tload.h"

/* A stable hash of the input: it picks the view options, so a crash file replays exactly. */
static inline uint64_t fz_hash(const uint8_t *d, size_t n) {
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * 1099511628211u;
    return h;
}

/* An error message must be one line as the CLI prints it (cli/errline: control characters
 * from the input escaped by sim/printable): bad input gets one clear line, never a dump. */
static inline void fz_one_line(const char *err) {
    char shown[8192];
    printable(shown, sizeof shown, err, 0);
    if (strchr(shown, '\n')) { fprintf(stderr, "fuzz: an error message of several lines: %s\n", shown); abort(); }
}

/* Loads the input as a trace and derives its index and time axis, as `pinata export` and
 * `pinata text` do. Returns 0 with all three filled (fz_close frees them), -1 when the
 * trace is refused (with a one-line message) or memory ran out. */
static inline int fz_open(const uint8_t *data, size_t size, int compressed, tload_trace *t, tindex *ix,
                          taxis *ax) {
    char err[512];
    if (tload_buffer("fuzz.json", (const char *)data, size, t, err, sizeof err)) {
        fz_one_line(err);
        tload_free(t);
        return -1;
    }
    memset(ax, 0, sizeof *ax);
    if (tindex_build(t, ix) == 0 && taxis_build(ax, t, ix, compressed) == 0) return 0;
    taxis_free(ax);
    tindex_free(ix);
    tload_free(t);
    return -1;
}

static inline void fz_close(tload_trace *t, tindex *ix, taxis *ax) {
    taxis_free(ax);
    tindex_free(ix);
    tload_free(t);
}

/* Aborts unless s[0..n) is well-formed UTF-8 without the control characters XML 1.0
 * forbids (the SVG must always parse). */
static inline void fz_xml_text(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], need = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2
                                  : c >= 0xF0 && c < 0xF5 ? 3 : 9;
        if (need == 9 || i + need >= n + (need ? 0 : 1)) goto bad;
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') goto bad;
        uint32_t cp = need ? c & (0x3F >> need) : c;
        for (unsigned k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) goto bad;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp < 0xE000) || cp == 0xFFFE || cp == 0xFFFF)
            goto bad;
        i += need + 1;
        continue;
    bad:
        fprintf(stderr, "fuzz: the SVG is not valid XML text at byte %zu (0x%02x)\n", i, c);
        abort();
    }
}

/* Lays the trace out in a view picked by h (language, views, cursor step, zoomed range,
 * width) and writes the SVG to memory, which must be valid XML text. */
static inline void fz_export(const tload_trace *t, const tindex *ix, const taxis *ax, uint64_t h) {
    layout_view v;
    layout_view_init(&v, (h & 1) ? 1600 : 420, 0);
    v.lang = (h >> 1) & 1 ? CAPTION_KO : CAPTION_EN;
    v.which = (layout_which)((h >> 2) % 3);
    v.presenter = (h >> 4) & 1;
    v.reveal = (h >> 5) & 1;
    v.step = ix->n_steps && (h >> 6) % 4 ? (long)((h >> 8) % ix->n_steps) : -1;
    if ((h >> 40) % 3 == 0 && ax->u_total > 0) { /* a zoomed range */
        double a = (double)((h >> 42) % 1000) / 1000.0, b = (double)((h >> 52) % 1000) / 1000.0;
        v.u_lo = ax->u_total * (a < b ? a : b);
        v.u_hi = ax->u_total * (a < b ? b : a);
    }
    draw_list dl;
    draw_list_init(&dl, v.width, v.height, 0xFFFFFFFF);
    if (layout_build(t, ix, ax, &v, &dl, NULL) == 0) {
        char *svg = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&svg, &n);
        if (f) {
            svg_write_stream(&dl, f);
            fclose(f);
            fz_xml_text((const unsigned char *)svg, n);
        }
        free(svg);
    }
    draw_list_free(&dl);
}

#endif
