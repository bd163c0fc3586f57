/* exec: a real executor over virtual threads: block_on, spawn_local, spawn on a worker pool.
 *
 * One OS thread runs every virtual thread of a scenario, deterministically: the loop is a
 * short sequence of named phases — pick the virtual thread that can run earliest, fire the
 * reactor events due before that instant, run one task poll on that thread, park a thread
 * that has nothing to do. A thread with nothing to run PARKS (its idle time is a park slice
 * in the trace); it never spins. The executor knows nothing of the network: the reactor
 * (virtual clock + events) plugs into the park step. With no reactor (NULL) the executor
 * runs on its own — the benchmarks use it that way against the real clock.
 *
 * A task is queued at most once however often it is woken. Each virtual thread keeps its
 * own virtual time; pool workers run in parallel in virtual time.
 *
 * Synchronous threads (S1, S10): exec_spawn_thread() makes a virtual OS thread that runs one
 * task as synchronous code, and exec_run_sync() runs main that way. There a Pending is a
 * blocking system call: the thread is pinned to its task, its wait is a `blocked` slice, and
 * its time jumps to the event that wakes it. OS threads can be many (100,000): the runnable
 * ones sit in a heap ordered by (time, thread), not in the linear scan of the workers.
 * An executor thread can be blocked the same way for a while (exec_block_thread). */
#ifndef PINATA_EXEC_H
#define PINATA_EXEC_H
#include <stdint.h>
#include <stdio.h>

#include "sim/future.h"
#include "sim/reactor.h"
#include "sim/trace.h"

#define EXEC_MAX_WORKERS 64

/* Whose executor the run imitates (docs/runtime-models.md). IDEAL is the lecture's model:
 * a task is polled only when it was woken. The real ones poll block_on's root future on
 * every wake of a task on its thread, panic on a poll after Ready, and (async-std) now and
 * then poll connect once for nothing. */
typedef enum exec_model { EXEC_MODEL_IDEAL = 0, EXEC_MODEL_ASYNC_STD = 1, EXEC_MODEL_TOKIO = 2 } exec_model;

typedef struct exec_config {
    int workers;            /* pool workers for exec_spawn(); 0 = no pool */
    int64_t poll_cost_ns;   /* virtual CPU time of one poll's own work */
    int64_t syscall_cost_ns;/* virtual CPU time of one system call */
    int64_t wake_cost_ns;   /* virtual CPU time of one wake */
    uint64_t max_polls;     /* stop a runaway run after this many polls (0: no limit) */
    int64_t max_time_ns;    /* stop a runaway run at this virtual time (0: no limit) */
    int64_t stack_reserved; /* bytes of address space a thread's stack reserves (8 MiB) */
    int64_t stack_used;     /* bytes of it a thread really touches (the lecture: 100 KB) */
    int memory_counters;    /* nonzero: write a `C` memory counter at each spawn and exit */
    uint64_t max_tasks;     /* a spawn beyond this many live tasks fails and stops the run (0: no limit) */
    uint64_t max_task_bytes;/* a spawn that would make the live tasks' bytes (header + future) more than
                             * this fails and stops the run (0: no limit): real memory, unlike stacks */
    int model;              /* exec_model */
    int64_t turn_ns;        /* real models: events due within this long of the one that woke an idle
                             * run are delivered by the same reactor turn (0: each by itself) */
} exec_config;

typedef enum exec_result {
    EXEC_OK = 0,       /* the root future returned Ready */
    EXEC_DEADLOCK = 1, /* tasks pending, nothing runnable, nothing due */
    EXEC_LIMIT = 2,    /* max_polls or max_time reached */
    EXEC_PANIC = 3     /* the root future panicked: block_on propagates it (real models) */
} exec_result;

#define EXEC_OS_TID_BASE TRACE_TID_OS_THREAD_BASE /* trace tid of the first OS thread a scenario spawns (trace/schema.h) */
#define EXEC_TLS_MAX 4      /* thread-local keys per virtual thread */

/* A JoinHandle is itself a future: it is Ready with the task's output when the task ends. */
typedef struct joinhandle {
    future_t base;  /* Ready: err/value are the task's output, copied in when it finishes */
    task_t *task;   /* NULL once dropped */
    waker_t joiner; /* the waker of whoever awaits this handle */
} joinhandle_t;

void exec_config_default(exec_config *c);
/* r and t may be NULL (no events, no trace); both stay owned by the caller. */
exec_t *exec_new(const exec_config *c, reactor_t *r, trace_t *t);
/* Drops every task's future and frees the executor. Call it before freeing the network and
 * the reactor: a task whose waker they still hold lives on, as an orphan that wakes nothing,
 * until that waker is dropped. */
void exec_free(exec_t *ex);
/* Stops tracing: what follows (tearing the run down, dropping the root future) is not part
 * of the run and is not recorded. */
void exec_end_trace(exec_t *ex);

/* Runs root as task 1 on the main thread until it is Ready, polling the spawn_local pool
 * whenever the root is not ready. root stays owned by the caller. name names the task. */
exec_result exec_block_on(exec_t *ex, future_t *root, const char *name);
/* Runs root as synchronous code on the main thread, as `fn main` without an executor: every
 * Pending is a blocking system call, drawn as a `blocked` slice, and nothing else runs on
 * the main thread meanwhile (lecture S1). */
exec_result exec_run_sync(exec_t *ex, future_t *root, const char *name);
/* Like block_on, but a naive executor that never parks: it polls the root again at once
 * after every Pending (lecture S9). Each idle poll costs virtual CPU time. */
exec_result exec_busy_poll(exec_t *ex, future_t *root, const char *name);

/* Spawns f (heap-allocated; the task owns it from now on) as a task on the calling thread
 * (spawn_local) or on the worker pool (spawn). jh, if not NULL, is initialised as the
 * JoinHandle future; the caller owns it and must future_drop() it. Returns the task id, or
 * -1 if spawn is used with no pool or memory ran out. */
int64_t exec_spawn_local(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh);
int64_t exec_spawn(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh);

/* A task cell, as tokio's: one block holds the task's header and its future, so a spawn
 * allocates once, and a released task's block is recycled (a spawn + finish then allocates
 * nothing). exec_cell_new returns room for a future of size bytes, or NULL; build the future
 * in it (future_init) and spawn it with exec_spawn_local_cell, which is exec_spawn_local for
 * a future in a cell: from then on the task owns the cell. A cell that was not spawned (the
 * spawn failed) goes back with exec_cell_free, after future_drop if it was initialised. */
void *exec_cell_new(exec_t *ex, size_t size);
void exec_cell_free(exec_t *ex, void *f);
int64_t exec_spawn_local_cell(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh);

/* std::thread::spawn: a new virtual OS thread (tid EXEC_OS_TID_BASE + n) that runs f as
 * synchronous code, like exec_run_sync. The thread exits when f is Ready. f and jh as for
 * exec_spawn; joining the handle from a synchronous thread blocks it. */
int64_t exec_spawn_thread(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh);

/* spawn_blocking: f runs as synchronous code on a thread of the runtime's blocking pool
 * (its own lane, "blocking N"); the caller awaits jh. pinata starts a thread per call, as a
 * pool whose threads are all busy does (tokio, the blocking crate of async-std). */
int64_t exec_spawn_blocking(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh);

/* Writes one line per stuck task, the first EXEC_REPORT_MAX of them: what it awaits and how
 * many wakers could wake it; then how many more there are. */
#define EXEC_REPORT_MAX 20
void exec_report_deadlock(exec_t *ex, FILE *out);

/* --- For futures and the network: time, threads and trace of the running poll. --- */
/* The few fields future_poll() reads around every poll, public so that these accessors
 * inline across files (a call each cost a tenth of a task switch). exec_t begins with this;
 * everything else in it is private to exec.c. */
typedef struct exec_hot {
    int64_t *clock;        /* the running thread's virtual time, or the OS lane's */
    trace_t *trace;        /* NULL: tracing off */
    int64_t poll_cost_ns;  /* the configuration's, copied here */
    uint64_t flow_in;      /* flow of the task poll about to start (exec_take_flow_in) */
    uint64_t next_future;  /* the last future id given out */
    const char *leaf;      /* the name of the first future of the running task poll to return
                            * Pending (a name: that future may be dropped before the poll ends) */
    int unwinding;         /* a panic unwinds the running poll */
} exec_hot;

static inline exec_hot *exec_hot_of(const exec_t *ex) { return (exec_hot *)(void *)(uintptr_t)ex; }
/* Virtual ns on the running thread (or of the OS lane). */
static inline int64_t exec_now(const exec_t *ex) { return ex ? *exec_hot_of(ex)->clock : 0; }
/* The end of the virtual clock: 4e18 ns, about 126 years. A scenario's every duration is at
 * most 1e15 ns (docs/scenario-format.md), and times are summed with exec_time_add, which
 * stops at the end: no sum of virtual times overflows, however long a loop of sleeps or
 * computes runs. A run whose clock reaches the end stops as a limit (exec_stats.limit 2). */
#define EXEC_TIME_END INT64_C(4000000000000000000)
_Static_assert(EXEC_TIME_END <= TRACE_MAX_NS, "every time the simulator writes is one a reader accepts");
/* t + d for a time t and a duration d >= 0, saturated at EXEC_TIME_END. */
static inline int64_t exec_time_add(int64_t t, int64_t d) { return d > EXEC_TIME_END - t ? EXEC_TIME_END : t + d; }

/* The running thread spends CPU time. */
static inline void exec_advance(exec_t *ex, int64_t ns) {
    if (ex) {
        int64_t *c = exec_hot_of(ex)->clock;
        *c = exec_time_add(*c, ns);
    }
}
int exec_tid(const exec_t *ex);            /* trace tid of the running thread, or TRACE_TID_OS */
int exec_thread_index(const exec_t *ex);   /* 0 = main, 1.. = workers, -1 = OS lane */
static inline trace_t *exec_trace(const exec_t *ex) { return ex ? exec_hot_of(ex)->trace : NULL; }
reactor_t *exec_reactor(const exec_t *ex);
static inline int64_t exec_poll_cost(const exec_t *ex) { return ex ? exec_hot_of(ex)->poll_cost_ns : 0; }
int64_t exec_syscall_cost(const exec_t *ex);
static inline uint64_t exec_next_future_id(exec_t *ex) { return ex ? ++exec_hot_of(ex)->next_future : 0; }
int64_t exec_task_id(const task_t *t);     /* 0 for NULL */
const char *exec_task_name(const task_t *t);

/* True when the running poll is synchronous code (an OS thread or exec_run_sync's main):
 * a Pending there is a blocking call. */
int exec_thread_is_sync(const exec_t *ex);
/* A blocking call made inside an async task (e.g. std::fs inside async code): the poll
 * returns Pending, but the thread is held for this task until it is woken — nothing else
 * runs on it meanwhile, and the wait is drawn as a `blocked` slice named what. */
void exec_block_thread(exec_t *ex, context_t *cx, const char *what);
/* Thread-local storage of the running virtual thread: key and value are not owned (they
 * outlive the run). set returns -1 when the thread has EXEC_TLS_MAX keys already. */
int exec_tls_set(exec_t *ex, const char *key, const void *value);
const void *exec_tls_get(const exec_t *ex, const char *key);
/* The name of the running virtual thread ("main", "worker 1", "thread 3", "OS"). */
const char *exec_thread_name(const exec_t *ex);
/* The root future of a task (NULL once it finished). */
future_t *exec_task_root(const task_t *t);

/* Asks the loop to stop after the running poll, as a limit does (st.limit = 3): for a
 * runaway that never returns to the executor (a huge loop inside one poll). */
void exec_request_stop(exec_t *ex);
/* True once a limit stopped the run (or the running thread's clock reached EXEC_TIME_END, or
 * the trace its output budget): a poll still running should return at once. */
int exec_stopping(exec_t *ex);

/* Records a system call made by the running poll: an X slice of syscall cost. */
void exec_syscall(exec_t *ex, context_t *cx, const char *name, const char *call, const char *ret,
                  int fd, const char *host);
/* Records a lint instant (poll_after_ready, lost_waker, self_wake, ...). */
void exec_lint(exec_t *ex, context_t *cx, const char *lint, const future_t *f, const char *detail);
/* Records the registration of a waker: what the task now waits for. */
void exec_note_register(exec_t *ex, context_t *cx, const char *on);

/* Used by future_poll: the flow id of the wake that scheduled the task now being polled
 * (once), and the innermost future that returned Pending (what the task awaits: children
 * return before their parents, so the first Pending of a task poll is the leaf; the
 * executor reads it when the poll returns). Inline: they run around every poll. */
static inline uint64_t exec_take_flow_in(exec_t *ex) {
    uint64_t f = exec_hot_of(ex)->flow_in;
    exec_hot_of(ex)->flow_in = 0;
    return f;
}
static inline void exec_note_pending(exec_t *ex, context_t *cx, const future_t *f) {
    (void)cx;
    if (ex && !exec_hot_of(ex)->leaf) exec_hot_of(ex)->leaf = f->vt->name;
}

/* --- Real-runtime models (docs/runtime-models.md). --- */
exec_model exec_get_model(const exec_t *ex);
/* Why the running task poll happens although its task was not woken for it: the id of the
 * sibling task whose wake made block_on poll its root (> 0), EXEC_WOKEN_SPURIOUS once a leaf
 * called exec_note_spurious in this poll, or 0 (its own wake). */
#define EXEC_WOKEN_SPURIOUS (-1)
int64_t exec_woken_by(const exec_t *ex);
/* A leaf found that the wake it was polled for was not real (async-io's tick check). */
void exec_note_spurious(exec_t *ex);
/* Times the main thread came back from a park: async-io's reactor tick, roughly. */
uint64_t exec_turns(const exec_t *ex);
/* A poll of f after it returned Ready: the panic message the model's Rust gives, or NULL
 * when it returns Ready again (ideal, or a future that tolerates it). */
const char *exec_after_ready_panic(const exec_t *ex, const future_t *f);
/* Starts a panic in the running poll: a `panic` event; every poll on the stack then unwinds
 * (exec_unwinding is true until the task ends with the panic). */
void exec_panic(exec_t *ex, context_t *cx, const future_t *f, const char *message);
static inline int exec_unwinding(const exec_t *ex) { return ex && exec_hot_of(ex)->unwinding; }

/* Counters of the run, for summaries and tests. */
typedef struct exec_stats {
    uint64_t polls, wakes, tasks, parks;
    int64_t end_ns;              /* virtual time the run ended */
    uint64_t task_bytes;         /* bytes allocated for tasks (header + future state) so far */
    uint64_t task_header_bytes;  /* the executor's own share of that */
    uint64_t threads;            /* OS threads spawned (exec_spawn_thread) */
    uint64_t peak_tasks;         /* most tasks alive (not finished) at once */
    uint64_t peak_task_bytes;    /* their bytes at that moment */
    uint64_t peak_threads;       /* most virtual threads alive at once (main + workers + OS) */
    uint64_t panics;             /* tasks that ended with a panic */
    int limit;                   /* EXEC_LIMIT: 1 max_polls was reached, 2 max_time or EXEC_TIME_END,
                                  * 3 a stop request, 4 max_tasks, 5 the trace's output budget,
                                  * 6 max_task_bytes */
} exec_stats;
exec_stats exec_get_stats(const exec_t *ex);
size_t exec_task_header_size(void);

#endif
