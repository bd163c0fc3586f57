/* memtrack: the memory track under the Implementation (like a counter track in Perfetto):
 * from the trace's "C" memory counters (tload_trace.mem), the bytes of the live tasks'
 * state against the stacks of the live threads (reserved and really used), over time on
 * the page's axis, with each peak labelled — "peak 101 threads × 8 MiB reserved = 808 MiB"
 * against "peak 101 tasks, 35.6 KB": the lecture's point about threads and tasks (S1, S10).
 *
 * Drawn only where it tells that story: a run that at some time holds 4 threads or more,
 * or 10 tasks or more (memtrack_wanted). */
#ifndef PINATA_MEMTRACK_H
#define PINATA_MEMTRACK_H
#include <stdint.h>

#include "viz/draw.h"
#include "viz/msg.h"
#include "trace/tload.h"

typedef struct memtrack_style {
    float s, small, x0, x1, pad;  /* scale, text size, the plot's pixels, the page's margin */
    draw_rgba fg, muted, grid, task, stack;
    float fade;                   /* alpha of what comes after the cursor */
    int64_t cursor;               /* the cursor's time; INT64_MAX: no cursor */
    int reveal;                   /* hide what comes after the cursor */
    int64_t top;                  /* the scale's top in bytes; 0: the run's own peak */
} memtrack_style;

typedef float (*memtrack_x)(void *ctx, int64_t t); /* time -> pixel on the page's axis */

int memtrack_wanted(const tload_trace *t);
/* The largest counter (stack reserved or task bytes): the track's own scale. */
int64_t memtrack_top(const tload_trace *t);
float memtrack_height(float s);

/* The index in t->mem of the sample with the most stack reserved, and of the one with the
 * most task bytes (the first of equals). -1 when the trace has no counters. */
long memtrack_peak_stack(const tload_trace *t);
long memtrack_peak_tasks(const tload_trace *t);

/* Draws the track at y (its top); returns the y below it. */
float memtrack_draw(draw_list *d, const tload_trace *t, memtrack_x x_of, void *ctx, float y,
                    const memtrack_style *st, msg_lang lang);

/* "25.6 KB" (decimal) or "8 MiB" (binary) for bytes into buf. */
const char *memtrack_fmt_bytes(int64_t bytes, int binary, char *buf, size_t len);

#endif
