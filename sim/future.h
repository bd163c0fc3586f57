/* future: the future protocol in C, as in Rust.
 *
 * A future is a struct that embeds future_t as its first member. Its poll function takes a
 * context carrying a waker and returns POLL_READY (the output is then in err/value) or
 * POLL_PENDING, in which case it must have arranged for the context's waker to be woken
 * (by cloning it and handing the clone to whatever will complete it).
 *
 * Always poll through future_poll(): it is the instrumentation. It records the poll slice in
 * the trace (which future, its parent, its task, its thread, its result, its poll number),
 * charges the poll's virtual CPU cost to the thread, and detects a poll after Ready.
 *
 * Ownership: whoever embeds or allocates a future owns it and calls future_drop() when done
 * with it; a future handed to exec_spawn*() is owned by the task from then on. */
#ifndef PINATA_FUTURE_H
#define PINATA_FUTURE_H
#include <stddef.h>
#include <stdint.h>

#include "sim/waker.h"

typedef enum poll_t { POLL_PENDING = 0, POLL_READY = 1 } poll_t;

typedef struct future future_t;
typedef struct exec exec_t;
typedef struct task task_t;

typedef struct context {
    waker_t waker;     /* borrowed: clone it to keep it */
    exec_t *ex;        /* the executor running this poll */
    task_t *task;      /* the task being polled */
    future_t *current; /* the future whose poll is running: the parent of nested polls */
} context_t;

typedef struct future_vtable {
    const char *name;                           /* e.g. "read_to_string" */
    poll_t (*poll)(future_t *self, context_t *cx);
    void (*drop)(future_t *self);               /* releases resources, not the memory; may be NULL */
    size_t size;                                /* bytes of the whole future state */
} future_vtable;

struct future {
    const future_vtable *vt;
    const char *detail; /* what it works on, e.g. the host; not owned, may be NULL */
    const char *at;     /* await point: where the next poll resumes ("start" before the first) */
    uint64_t id;        /* unique in the run, 1, 2, ... */
    int64_t value;      /* output when Ready: bytes, a file descriptor, ... */
    uint32_t polls;     /* polls so far */
    int32_t err;        /* output when Ready: 0, or a negative net_err */
    uint32_t size;      /* bytes of the state, for the memory counters (vt->size by default) */
    uint8_t done;       /* returned Ready: a further poll is a bug that future_poll reports */
    uint8_t owned;      /* heap-allocated and owned by a task: freed after drop */
    uint8_t fused;      /* Fuse: a poll after Ready returns Pending forever instead of the lint */
    uint8_t async_fn;   /* a state machine with awaits (async fn / block): it resumes at the
                           await it stopped at; 0: a leaf (connect, sleep, JoinHandle, ...),
                           which has no await and tries its operation again on each poll */
    int32_t line;       /* Rust source line of the await it stopped at (0: none), for the viewer;
                           a leaf keeps the line of the await that polls it */
    uint16_t col, end_col; /* the expression on that line (bytes, 1-based, end exclusive; 0: the
                              whole line): a program given as Rust has them (sim/rslower). They
                              fill the header's padding: its size, and every task's bytes, stay */
};

/* Initialises the header and records the future's creation (an async fn call happens here,
 * before any poll). cx is the context of the poll that creates it, or NULL at top level. */
void future_init(future_t *f, const future_vtable *vt, exec_t *ex, context_t *cx, const char *detail);
/* The instrumented poll. Polling a future that already returned Ready is reported as the
 * lint poll_after_ready and returns POLL_READY again without running its poll function;
 * a fused one (f->fused) returns POLL_PENDING instead, as futures::Fuse does. On a
 * synchronous thread (an OS thread, exec_thread_is_sync) the slice is a `call`, not a
 * `poll`: there, a Pending is a blocking system call. */
poll_t future_poll(future_t *f, context_t *cx);
/* Runs the drop function (if any) and frees the memory if the future is owned. */
void future_drop(future_t *f);

#endif
