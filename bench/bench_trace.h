/* bench_trace: the micro-benchmark of recording into the trace — the cost of one poll event
 * written through sim/trace exactly as future_poll writes it (trace_begin, its seven or
 * eight args, a flow, trace_end), streamed to a real file. */
#ifndef PINATA_BENCH_TRACE_H
#define PINATA_BENCH_TRACE_H
#include <stdint.h>

typedef struct bench_trace_run {
    uint64_t ns;     /* real time to write the events and flush the file */
    uint64_t events; /* events written */
    uint64_t bytes;  /* bytes of the file */
    int ok;          /* the file could be written */
} bench_trace_run;

/* Writes n poll events to path (created, then removed). */
bench_trace_run bench_trace_poll_events(long n, const char *path);

#endif
