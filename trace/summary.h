/* summary: a per-task summary of a run, like tokio-console's task list, computed FROM THE
 * TRACE FILE (so it works on any trace, also one a past run left behind).
 *
 * Per task: polls, wakes, busy time (inside its polls), scheduled time (woken, waiting to
 * be polled), idle time (waiting for a wake), total time, the threads it ran on, its bytes.
 * Lints: lost waker (Pending with no waker left and never finished — a finished task is not
 * flagged, avoiding tokio-console's false positives), polled after Ready, long poll (a poll
 * that held its thread longer than the scenario's long_poll_us), self-wake (more than half
 * of its wakes came from itself). And the memory counters' peak: task bytes against stacks.
 *
 * Computed from the reader's arrays (trace/tload): no second parser of the format. The
 * caller owns the summary_t and frees it. */
#ifndef PINATA_SUMMARY_H
#define PINATA_SUMMARY_H
#include <stdint.h>
#include <stdio.h>

typedef struct summary_task {
    int64_t id;
    char name[48];
    char how[16];         /* block_on, spawn_local, spawn, thread, main */
    uint64_t polls, wakes, self_wakes;
    int64_t busy_ns, sched_ns, idle_ns, total_ns;
    int64_t max_poll_ns;  /* the longest poll */
    int64_t bytes;        /* its allocation at spawn: executor header + future state */
    int64_t spawn_ns, end_ns;
    int finished;
    int err;              /* the task's result: 0 or a negative net error */
    int lost_waker, after_ready, long_polls, threads;
    uint64_t idle_polls;  /* top-level polls no wake of its own asked for (woken_by) that returned Pending */
    int panicked;         /* it ended with a panic (the real models) */
    uint64_t tid_mask;    /* the threads it was polled on (tid % 64) */
    int64_t woken_ns;     /* -1, or when the wake that scheduled it happened */
} summary_task;

typedef struct summary {
    summary_task *tasks;  /* indexed by task id - 1 */
    size_t ntasks;
    uint64_t polls;       /* top-level polls of all tasks */
    int64_t end_ns;
    int64_t long_poll_ns; /* threshold from the header (default 10 ms) */
    char scenario[64];
    char result[16];      /* ok, deadlock, limit, or "" when the trace has no end */
    uint64_t peak_tasks, peak_task_bytes, peak_threads;
    int64_t stack_used, stack_reserved; /* per thread, from the header */
    int has_memory;       /* the trace had memory counters */
} summary_t;

struct tload_trace;

/* Reads a trace with tload_file; NULL on error with the reader's one line "FILE:LINE:
 * expected ..." in err (err may be NULL). */
summary_t *summary_read(const char *path, char *err, size_t errlen);
/* The summary of a trace already loaded; NULL when out of memory. */
summary_t *summary_of(const struct tload_trace *tr);
void summary_free(summary_t *s);
const summary_task *summary_task_get(const summary_t *s, int64_t id);
/* Prints the task table (at most max_tasks rows), the lints and the memory line. */
void summary_print(const summary_t *s, FILE *out, int max_tasks);

#endif
