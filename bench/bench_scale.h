/* bench_scale: pinata at scale — a many_requests-like run with thousands of cheapo_request
 * tasks against many mocked hosts, simulated on the virtual clock with the whole trace
 * streamed to disk, timed against the real clock, with the process's peak memory.
 *
 * It makes the 1,000,000-event trace of docs/performance.md ("Scale"): a normal pinata
 * trace (header, events, run end) that `pinata view` and Perfetto open. */
#ifndef PINATA_BENCH_SCALE_H
#define PINATA_BENCH_SCALE_H
#include <stddef.h>
#include <stdint.h>

typedef struct bench_scale_opts {
    long requests;          /* cheapo_request tasks, all spawned by one root (spawn_local) */
    int hosts;              /* mocked hosts they are spread over */
    const char *trace_path; /* where the trace goes; NULL: no trace (the trace-off figure) */
    uint64_t seed;
} bench_scale_opts;

typedef struct bench_scale_result {
    uint64_t ns;           /* real time of the simulation, trace included (setup excluded) */
    uint64_t events;       /* trace events written */
    uint64_t bytes;        /* bytes of the trace file */
    uint64_t polls, wakes; /* the executor's counters */
    uint64_t tasks;        /* tasks run (requests + the root) */
    long succeeded;        /* requests that returned Ok */
    double virtual_ms;     /* virtual time the run took */
    long peak_rss;         /* the process's peak resident bytes after the run */
    int ok;                /* the run finished and the trace was written */
} bench_scale_result;

void bench_scale_opts_default(bench_scale_opts *o);
/* Runs it. Returns 0, or -1 (err says why; no trace file is left behind). */
int bench_scale_run(const bench_scale_opts *o, bench_scale_result *r, char *err, size_t errlen);

#endif
