/* bench_chart: the lecture's claim as a picture for a slide — one bar per comparison
 * (create, switch, memory, memory with 100 KB of stack), its length the ratio "an OS thread
 * costs N times what a pinata task costs" on a log axis, with the trace-on ratio under it.
 *
 * It writes a viz draw list, so the SVG and the PNG are the same picture drawn by the same
 * backends as the viewer's. The caller owns the draw list. */
#ifndef PINATA_BENCH_CHART_H
#define PINATA_BENCH_CHART_H
#include <stddef.h>

#include "bench/bench.h"
#include "viz/draw.h"

#define BENCH_CHART_W 1280
#define BENCH_CHART_H 720

/* Initialises d and fills it with the chart. Returns 0, or -1 if out of memory. */
int bench_chart_build(const bench_results *r, draw_list *d);
/* Writes the chart to path: .svg as SVG, anything else as PNG. Returns 0, or -1 with one line
 * in err; no partial file is left behind. */
int bench_chart_write(const bench_results *r, const char *path, char *err, size_t errlen);

#endif
