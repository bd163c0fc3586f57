/* bench_report: what a bench run says — the side-by-side table with the ratios, the JSON
 * record (its keys are listed in docs/performance.md), and the targets of docs/performance.md met or not.
 * The chart for a slide is bench_chart. */
#ifndef PINATA_BENCH_REPORT_H
#define PINATA_BENCH_REPORT_H
#include <stdio.h>

#include "bench/bench.h"

/* The lecture's claim as three ratios: how many times a thread costs what a task costs
 * (trace off), for creating, switching and memory (default stack / 100 KB in use). */
typedef struct bench_ratios {
    double create, switch_, memory, memory_100k;
} bench_ratios;
bench_ratios bench_report_ratios(const bench_results *r);

/* One of the targets of docs/performance.md: a measured value against its limit (met when
 * value <= limit). */
typedef struct bench_target {
    const char *name;
    double value, limit;
    const char *unit;
} bench_target;
#define BENCH_TARGETS_MAX 8
/* Fills up to cap targets (those the run measured); returns how many. */
int bench_report_targets(const bench_results *r, bench_target *out, int cap);

void bench_report_table(FILE *f, const bench_results *r);
/* Returns 0, or -1 if out of memory or the write failed. */
int bench_report_json(FILE *f, const bench_results *r);

#endif
