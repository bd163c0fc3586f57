/* bench_view: the viewer on a big trace (issue 13 part 3), phase by phase, on this machine.
 *
 * Loads a trace (e.g. the 1,017,141 events of `pinata bench --scale 26000`), indexes it,
 * builds and fits the time axis as the window does, lays out a 1400 x 820 window frame at
 * three zooms (the whole run, 1 % and 0.001 %, panning 1 % a frame as PINATA_BENCH_FRAMES
 * does), and times `pinata text --limit 5` and `pinata export -o .png` end to end as child
 * processes. Each phase is a named function, so callgrind can count it alone:
 * `valgrind --tool=callgrind --toggle-collect=bench_view_layout ...` (docs/performance.md).
 * The window's own drawing needs a display: PINATA_BENCH_FRAMES (docs/viewer.md). */
#ifndef PINATA_BENCH_VIEW_H
#define PINATA_BENCH_VIEW_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

enum { BENCH_VIEW_ZOOMS = 3 };

typedef struct bench_view_opts {
    const char *trace;  /* the trace file */
    const char *self;   /* the pinata binary for the end-to-end runs; NULL: skip them */
    int reps;           /* repetitions (load, text, export) and frames per zoom x 10 */
    int width, height;  /* the window (1400 x 820) */
} bench_view_opts;

typedef struct bench_view_result {
    size_t events;
    double load_ms, index_ms, axis_ms, fit_ms;     /* medians */
    double span[BENCH_VIEW_ZOOMS];                 /* share of the run in view */
    double layout_ms[BENCH_VIEW_ZOOMS];            /* median layout of one frame */
    size_t cmds[BENCH_VIEW_ZOOMS];                 /* draw commands of the last frame */
    double text_ms, export_ms;                     /* medians of the child runs, 0 when skipped */
    double bytes_per_event;                        /* events + strings + index, after loading */
    long peak_rss;                                 /* this process's peak */
} bench_view_result;

void bench_view_opts_default(bench_view_opts *o);
/* Returns 0, or -1 with err (the trace did not load, a child failed). */
int bench_view_run(const bench_view_opts *o, bench_view_result *r, char *err, size_t errlen);
void bench_view_report(FILE *f, const bench_view_opts *o, const bench_view_result *r);
int bench_view_json(FILE *f, const bench_view_opts *o, const bench_view_result *r);

#endif
