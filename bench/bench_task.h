/* bench_task: the pinata side of the benchmarks — tasks on the real executor (sim/exec),
 * with no reactor, so only the executor's own work is measured.
 *
 * Every function builds its own executor, runs its root future with exec_block_on, frees
 * everything and reports what it counted; t (the trace, may be NULL) stays owned by the
 * caller. Times are real (CLOCK_MONOTONIC) and cover the run only, not the setup. */
#ifndef PINATA_BENCH_TASK_H
#define PINATA_BENCH_TASK_H
#include <stdint.h>

#include "sim/trace.h"

typedef struct bench_task_run {
    uint64_t ns;     /* real time of the run */
    uint64_t count;  /* tasks completed, or handoffs made */
    uint64_t events; /* trace events written by the run (0 with no trace) */
    int ok;          /* the root future returned Ready */
} bench_task_run;

/* Spawns n tasks (spawn_local) whose future is Ready at its first poll, at most batch alive
 * at once, and runs them all to completion. count = tasks completed. */
bench_task_run bench_task_create(long n, long batch, trace_t *t);

/* Two tasks hand a turn back and forth `switches` times: each handoff wakes the other task's
 * waker and returns Pending. count = handoffs made. */
bench_task_run bench_task_switch(long switches, trace_t *t);

typedef struct bench_task_mem {
    uint64_t pending;      /* tasks spawned, polled once and pending at the measurement */
    long heap_delta;       /* malloc'd bytes they added (mallinfo2; 0 where unknown) */
    long rss_delta;        /* resident bytes they added (statm) */
    uint64_t accounted;    /* exec_stats.task_bytes for them: headers + future states */
    uint64_t header_bytes; /* sizeof(task_t) */
    uint64_t future_bytes; /* the pending future's state */
    int ok;
} bench_task_mem;

/* Spawns n tasks that each register their waker and return Pending (as a connection waiting
 * for data does), measures memory while all n are pending, then wakes them to finish. */
bench_task_mem bench_task_memory(long n, trace_t *t);

#endif
