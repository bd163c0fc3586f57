/* tindex: what the viewer derives from a loaded trace, once per load.
 *
 * - steps: the classroom's cursor positions, in time order. A poll and the executor give
 *   two steps (it starts; it returns Pending/Ready), every other event one. A step is
 *   encoded as event_index * 2 + is_end.
 * - depth: how deep each slice nests on its thread (block_on 0, A.poll 1, B.poll 2, ...).
 * - futures and tasks: the Simplified View's bars, from create (or first poll) to Ready.
 * - lanes: the Implementation's rows, one per thread, the OS lane (TRACE_TID_OS) last.
 * - flows: wake -> poll pairs from bind_id.
 *
 * Ownership: tindex_build() allocates inside ix; tindex_free() releases it. The index
 * points into nothing: it holds event indices, so it stays valid as long as the trace. */
#ifndef PINATA_TINDEX_H
#define PINATA_TINDEX_H
#include "trace/tload.h"

/* 72 bytes, no padding inside (a million-event run has 130,000 futures) */
typedef struct tindex_future {
    int32_t id;        /* args.future */
    int32_t task;      /* owning task */
    int32_t parent;    /* parent future id, -1 for a task's root */
    int32_t depth;     /* 0 for a task's root future, 1 for what it awaits, ... */
    int32_t row;       /* row inside its task group (depth, pushed down when siblings overlap) */
    int32_t npolls;    /* polls seen */
    int32_t ready_ev;  /* the event index of the poll that returned Ready, -1 if none */
    int32_t first_ev;  /* the create event, or the first poll */
    int64_t t0, t1;    /* create (or first poll) .. end of the Ready poll (or trace end) */
    int64_t t_await;   /* its first poll: where it is awaited and its bar starts (a JoinHandle
                          exists from the spawn, its await comes later); t0 if never polled */
    int32_t call_ev;   /* the call-time work (a compute "call time: ...") done by the call that
                          created it, before it existed (S5); -1 none */
    uint32_t name;     /* future name (string id) */
    uint32_t detail;   /* e.g. the host it is about (string id, 0 if none) */
    char letter;       /* one task: 'A', 'B', ... in order of appearance (as in the slides); '\0' else */
} tindex_future;

typedef struct tindex_task {
    int32_t id;
    int32_t root_future; /* future id, -1 if unknown */
    int32_t rows;        /* rows its Simplified View group needs */
    int32_t color;       /* palette slot */
    uint32_t name, detail, how; /* string ids from the spawn event */
    int64_t t0, t1;      /* spawn .. finish (or trace end) */
    uint32_t fut_first, fut_count; /* its futures: by_task[fut_first ..] */
    char letter;         /* with several tasks: 'A', 'B', ... for the spawned ones (as in the slides) */
    uint32_t err;        /* its finish event's error (string id: "ECONNREFUSED", or "-3" in older
                            traces); 0 when it ended Ok (failing_host) */
} tindex_task;

typedef struct tindex_lane {
    int32_t tid;
    int32_t rows;      /* max depth + 1 */
    int32_t polls;     /* async polls on it */
    int32_t calls;     /* synchronous calls on it (sync code, S1) */
    int32_t locals;    /* thread_local / task_local events on it (S6: flags above its rows) */
    int32_t moves;     /* polls on it of a task whose previous poll ran on another thread */
} tindex_lane;

typedef struct tindex_flow {
    int32_t wake;      /* event index of the wake slice (flow_out) */
    int32_t poll;      /* event index of the poll it caused (flow_in) */
} tindex_flow;

typedef struct tindex {
    uint32_t *steps;   /* n_steps step codes in time order */
    size_t n_steps;
    int32_t *rank_start; /* per event: its start step number */
    tload_sparse *ends;  /* the events with two steps (polls, executors), in event order: the
                            step number of their end (tindex_rank_end) */
    size_t n_ends;
    uint8_t *depth;    /* per event: nesting depth on its lane (instants: depth of the slice around) */
    uint32_t *lane;    /* per event: index into lanes (100,000 threads happen: S10) */
    tindex_future *futures; size_t n_futures;
    tindex_task *tasks; size_t n_tasks;
    tindex_lane *lanes; size_t n_lanes;
    int32_t *lane_map;   /* pairs (tid, lane index) sorted by tid, for tindex_lane_of_tid */
    tindex_flow *flows; size_t n_flows; /* sorted by poll */
    uint32_t *starts;    /* event indices in start order (the steps that are starts) */
    uint32_t *by_task;   /* future indices grouped by task (see tindex_task.fut_first) */
    uint32_t *execs;     /* the executor slices (block_on, workers): few, and long */
    size_t n_execs;
    int64_t max_dur;     /* the longest slice other than the executor's whole run */
    /* rows: per lane, one row per depth and one for its instants (lane_row0[l] + lanes[l].rows);
     * row_pos[row_first[r] ..] are the positions in starts of row r's drawn events (tindex_in_rows), ascending, so
     * the layout can binary search a row's visible events and jump over a crowded stretch */
    uint32_t *row_pos, *row_first, *lane_row0;
    size_t n_rows;
    int64_t *row_end64;  /* the end time of the event at row_pos[64 k]: a bisection over a
                          * row runs in this small array, then over 64 events at most */
    /* per flow: the largest poll start step of flows[0..k], the smallest wake start step
     * of flows[k..]; both monotone, so the layout finds the flows that can show by bisection
     * without changing their order */
    int32_t *flow_poll_max, *flow_wake_min;
    int64_t t_min, t_max;
    /* the root polls (a task's top-level poll) that run on another thread than the task's
     * poll before them, in start order: the task moved to another worker (S6) */
    struct tindex_move { int32_t poll, from_tid; } *moves;
    size_t n_moves;
} tindex;

/* Event i's end step number: its start's for an event of one step (an instant, a syscall). */
int32_t tindex_rank_end(const tindex *ix, uint32_t i);
/* The first position in starts whose event starts at or after t. */
size_t tindex_first_start(const tload_trace *t, const tindex *ix, int64_t ts);
/* The first step at or after time t (n_steps if none). */
long tindex_first_step(const tload_trace *t, const tindex *ix, int64_t ts);
/* Nonzero when the Implementation draws e from its row (slices; network, lint, deadlock
 * and local instants): only those are in row_pos. */
int tindex_in_rows(const tload_event *e);
/* The row of event i: lane_row0 of its lane plus its depth, or the lane's instant row. */
uint32_t tindex_row_of(const tload_trace *t, const tindex *ix, uint32_t i);

int tindex_build(const tload_trace *t, tindex *ix);
/* Bytes the index holds (for the memory-per-event measurement). */
size_t tindex_bytes(const tindex *ix, size_t n_events);
void tindex_free(tindex *ix);

/* The event a step code refers to, whether it is the end, and its time (ns). */
static inline uint32_t tindex_step_event(uint32_t code) { return code >> 1; }
static inline int tindex_step_is_end(uint32_t code) { return (int)(code & 1); }
int64_t tindex_step_time(const tload_trace *t, uint32_t code);

/* Lookups; -1 / NULL when absent. */
const tindex_future *tindex_future_get(const tindex *ix, int32_t id);
const tindex_task *tindex_task_get(const tindex *ix, int32_t id);
int32_t tindex_lane_of_tid(const tindex *ix, int32_t tid);
/* The wake that caused poll event p (directly, or of the root poll around it), or -1. */
int32_t tindex_waker_of(const tload_trace *t, const tindex *ix, int32_t p);
/* The letter the slides would use for future f: its own (one task), its task's when it
 * is a spawned task's root future (several tasks), or '\0'. */
char tindex_letter(const tindex *ix, const tindex_future *f);
/* The next/previous step (from step k) that is the start of a poll; k if none. */
long tindex_next_poll(const tload_trace *t, const tindex *ix, long k, int dir);

#endif
