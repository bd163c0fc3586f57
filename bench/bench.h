/* bench: the lecture's headline claim — async tasks versus OS threads — measured on this
 * machine with pinata's own executor, against the real clock.
 *
 * The benchmarks run the real executor (sim/exec) with no reactor: there is no virtual
 * network, only tasks, so every nanosecond measured is the executor's own work. The virtual
 * clock is for scenarios; here only bench code reads CLOCK_MONOTONIC.
 *
 * One suite run fills a bench_results: each figure is the median of several repetitions,
 * pinata's figures once with the trace off and once with it on (streamed to a real file).
 * Nothing here asserts a time: the caller prints, saves or draws the numbers.
 *
 * bench_report prints, saves and draws a bench_results.
 *
 * Ownership: bench_results is a plain value; nothing in it needs freeing. */
#ifndef PINATA_BENCH_H
#define PINATA_BENCH_H
#include <stdint.h>
#include <stdio.h>

enum { BENCH_OFF = 0, BENCH_ON = 1 }; /* index of the trace-off / trace-on figure */

/* The parts of a suite run (bench_opts.parts). */
enum { BENCH_MEMORY = 1, BENCH_CREATE = 2, BENCH_SWITCH = 4, BENCH_TRACE = 8, BENCH_ALL = 15 };

typedef struct bench_opts {
    long n;                 /* tasks / threads created per repetition of "create" */
    long batch;             /* at most this many alive at once in "create" (tasks and threads) */
    long switches;          /* handoffs per repetition of "switch" */
    long mem_tasks;         /* pending tasks alive at once in "memory" */
    long mem_threads;       /* blocked threads alive at once in "memory" */
    long trace_events;      /* poll events written per repetition of the trace micro-benchmark */
    int reps;               /* repetitions: each figure is their median */
    const char *trace_path; /* where "trace on" writes (removed afterwards) */
    unsigned parts;         /* BENCH_* bits: what to run (instruction counts use one part) */
    int trace_figures;      /* also run pinata's figures with the trace on */
    int threads;            /* also run the OS-thread figures */
} bench_opts;

/* A timed figure: the median and the spread of the repetitions, in ns per operation. */
typedef struct bench_stat {
    double median, min, max;
    int reps;
} bench_stat;

typedef struct bench_results {
    bench_opts opts;
    /* create + run to completion */
    bench_stat task_create[2];      /* ns per task, [BENCH_OFF] / [BENCH_ON] */
    bench_stat thread_create;       /* ns per thread: pthread_create + join */
    uint64_t tasks_completed;       /* by the last repetition; == n */
    uint64_t threads_joined;        /* by the last repetition; == n */
    uint64_t create_events;         /* trace events of one traced repetition */
    /* switch */
    bench_stat task_switch[2];      /* ns per handoff through wakers */
    bench_stat thread_switch;       /* ns per handoff through a condition variable */
    uint64_t task_switches;         /* handoffs counted by the last repetition; == switches */
    uint64_t thread_switches;
    uint64_t switch_events;
    /* memory */
    double task_bytes_malloc[2];    /* per pending task: malloc'd bytes (mallinfo2 delta) */
    double task_bytes_rss[2];       /* per pending task: resident growth (/proc/self/statm) */
    double task_bytes_accounted;    /* exec_stats.task_bytes / tasks: header + future */
    uint64_t task_header_bytes;     /* sizeof(task_t): the executor's share */
    uint64_t task_future_bytes;     /* the pending future's own state */
    uint64_t tasks_pending;         /* tasks seen pending at the measurement; == mem_tasks */
    double thread_bytes_rss;        /* per blocked thread, default stack: resident growth */
    double thread_bytes_rss_100k;   /* per blocked thread with 100 KB of its stack touched */
    double thread_bytes_virtual;    /* per thread: address space reserved (stack + guard) */
    double thread_bytes_kernel;     /* per thread: kernel stack (KernelStack in /proc/meminfo) */
    uint64_t threads_blocked;       /* threads alive at the measurement; == mem_threads */
    /* recording into the trace */
    bench_stat trace_poll_event;    /* ns per poll event, formatted through trace_* into /dev/null */
    bench_stat trace_poll_event_file; /* the same, streamed to a real file (trace_path) */
    uint64_t trace_bytes;           /* bytes one poll event takes in the file */
} bench_results;

/* Defaults for a full run (quick != 0: the CI smoke, tiny N, a few reps). */
void bench_opts_default(bench_opts *o, int quick);
/* Runs every benchmark. progress, if not NULL, gets one line per figure as it runs.
 * Returns 0, or -1 if something could not be set up (err says what). */
int bench_run(const bench_opts *o, bench_results *r, FILE *progress, char *err, size_t errlen);

/* --- Helpers shared by the bench modules. --- */
uint64_t bench_now_ns(void);                         /* CLOCK_MONOTONIC */
bench_stat bench_stat_of(double *samples, int n);   /* sorts samples */
long bench_rss_bytes(void);                          /* resident bytes now (statm) */
long bench_vsz_bytes(void);                          /* address space now (statm) */
long bench_heap_bytes(void);                         /* malloc'd bytes now (mallinfo2), 0 if unknown */
long bench_peak_rss_bytes(void);                     /* the process's peak resident (getrusage) */
long bench_kernel_stack_bytes(void);                 /* the machine's kernel stacks (meminfo), 0 if unknown */

#endif
