/* tload: reads a pinata trace (docs/trace-format.md) into compact arrays.
 *
 * The events are not kept as a JSON tree: each line is scanned once by a small
 * hand-written scanner that knows the fields of schema 1, and every string value is
 * interned, so a 1,000,000-event trace fits in well under 100 bytes per event.
 *
 * Ownership: tload_file() fills a tload_trace the caller owns; tload_free() releases
 * everything inside it (the struct itself is the caller's). */
#ifndef PINATA_TLOAD_H
#define PINATA_TLOAD_H
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/schema.h"

/* What an event is, from its ph + cat + name: the schema's kinds (trace/schema.h), under
 * the loader's names (TLOAD_POLL is TRACE_KIND_POLL, ...). */
typedef trace_kind tload_kind;
enum {
    TLOAD_OTHER = TRACE_KIND_OTHER,
#define TLOAD_KIND_ALIAS_(k) TLOAD_##k = TRACE_KIND_##k,
    TRACE_KINDS(TLOAD_KIND_ALIAS_)
#undef TLOAD_KIND_ALIAS_
    TLOAD_KIND_COUNT = TRACE_KIND_COUNT
};

typedef enum tload_result { TLOAD_RES_NONE = 0, TLOAD_RES_PENDING, TLOAD_RES_READY,
                            TLOAD_RES_PANIC /* the poll panicked, or a panic unwound through it */ } tload_result;

enum {
    TLOAD_F_FLOW_IN = 1,   /* bind_id is the target end of a wake flow */
    TLOAD_F_FLOW_OUT = 2,  /* bind_id is the source end of a wake flow */
    TLOAD_F_QUEUED = 4,    /* wake: the task was scheduled by it */
    TLOAD_F_NOT_QUEUED = 8, /* wake: "queued": false (the wake changed nothing) */
    TLOAD_F_SYNC = 16,      /* a "call" slice: a synchronous call on a sync thread, kept as a
                               TLOAD_POLL without Pending / Ready marks */
    TLOAD_F_LEAF = 32,      /* poll: "leaf": true, a future with no await of its own (connect,
                               sleep, JoinHandle, ...); else an async fn's state machine */
    TLOAD_F_AFTER_READY = 64, /* poll: "after_ready": true, a poll of a future that had already
                                returned Ready (S8's bug) */
    TLOAD_F_PANICKED = 128    /* finish: "panicked": true, the task ended with a panic */
};

/* The range of "ts" and "dur" (TRACE_MAX_NS): a trace outside it is refused with its place. */
#define TLOAD_MAX_NS TRACE_MAX_NS
#define TLOAD_MAX_US_TEXT TRACE_MAX_US_TEXT

/* One event; 56 bytes (a million of them are held). String fields are string ids for tload_str (0 = absent, "").
 * s1, s2, s3 and num mean what the kind says: read them through the typed accessors at
 * the end of this file (tload_poll_from, tload_spawn_how, ...). */
typedef struct tload_event {
    int64_t ts;      /* start, in nanoseconds of virtual time, 0..TLOAD_MAX_NS */
    int64_t dur;     /* nanoseconds, 0..TLOAD_MAX_NS; 0 for instants */
    int32_t tid;     /* virtual thread (TRACE_TID_OS = the OS lane) */
    int32_t task;    /* args.task, -1 when absent */
    int32_t future;  /* args.future, -1 when absent */
    int32_t parent;  /* poll/create: parent future; spawn: parent_task; -1 when null */
    int32_t num;     /* poll: poll number; spawn: bytes; finish: polls; waker: wakers;
                        net: bytes; syscall: fd; clock: to (µs); end: polls */
    uint32_t name;   /* event name */
    uint32_t s1;     /* poll: from; wake: by; syscall: call; park: until; spawn: task name;
                        create: future_name; end: result; waker: on; lint: detail; net: host;
                        local: key; note: text; compute: ms; deadlock: tasks (JSON text) */
    uint32_t s2;     /* poll: at (Pending), error (Ready(Err)); syscall: ret; spawn: how;
                        create: detail; finish: err (a number, "-3"); note: text_ko;
                        local: value; lint: future_name */
    uint32_t s3;     /* syscall: host; spawn: detail; finish: value; local: op; poll: detail;
                        compute: why; thread exit: thread */
    uint8_t kind;    /* tload_kind */
    uint8_t ph;      /* 'X', 'i', 'M', ... */
    uint8_t result;  /* tload_result (polls) */
    uint8_t flags;   /* TLOAD_F_* */
} tload_event;

typedef struct tload_thread {
    int32_t tid;     /* virtual thread id */
    int32_t sort;    /* thread_sort_index, or tid when absent */
    uint32_t name;   /* string id of thread_name */
} tload_thread;

/* One sample of the run's memory counters (a "C" memory event): what the run holds from
 * ts on — live tasks and their bytes, live threads and their stacks (totals, not per one). */
typedef struct tload_mem {
    int64_t ts;
    int64_t tasks, task_bytes;
    int64_t threads, stack_used, stack_reserved;
} tload_mem;

/* A poll's args.woken_by: the sibling task whose wake made block_on poll it (> 0), or
 * TLOAD_WOKEN_SPURIOUS. Kept apart: only the real models write it, on few polls. */
#define TLOAD_WOKEN_SPURIOUS (-1)
/* An event's number kept apart, by event index: a poll's woken_by, a flow's bind_id (one
 * event in ten has one), or the line an event starts on where it is not the line after the
 * event before's. */
typedef struct tload_sparse { uint32_t ev; int32_t v; } tload_sparse;
#define TLOAD_SRC_PER 4 /* src_line entries per event */

typedef struct tload_trace {
    tload_event *ev;     /* events in file order, M events excluded */
    size_t n, cap;
    char *text;          /* the interned strings back to back, each NUL-terminated (tload_str) */
    size_t ntext, captext;
    uint32_t *str_at;    /* per string id: its offset in text; id 0 = "" */
    size_t nstrs, capstrs;
    uint64_t *hash;      /* open-addressing table of string ids (internal; only while loading) */
    size_t hashcap;
    tload_thread *threads; /* from thread_name / thread_sort_index M events */
    size_t nthreads;
    int schema;
    uint64_t seed;
    double poll_cost_us, syscall_cost_us;
    int64_t long_poll_ns;  /* the header's long_poll_us, in ns; -1 when absent */
    int64_t stack_used, stack_reserved; /* the header's per-thread stack bytes; -1 when absent */
    uint32_t scenario, title, description, title_ko, description_ko; /* string ids */
    uint32_t model;      /* the runtime model (async-std, tokio); 0 for ideal */
    uint32_t *source;    /* the header's "source": the scenario's Rust lines (string ids),
                            NULL when the trace has none */
    size_t nsource;
    char *quiz;          /* the header's "quiz": the scenario's questions, their JSON text as
                            written (viz/quiz.c reads and checks it), NULL when none */
    uint32_t quiz_left_out; /* the header's "quiz_left_out": the options that left the
                               scenario's quiz out of this run (string id; 0: none) */
    int32_t meta_line;   /* the line of the header (the "pinata" M event), for messages; 0 when
                            viz/doc simulated the trace (path then names the scenario) */
    int32_t *src_line;   /* per event i, TLOAD_SRC_PER of them from [TLOAD_SRC_PER * i]: its
                            args.line, args.from_line (1-based, 0 none), and the columns of the
                            expression on each, col | end_col << 16 (0 none); only when the
                            trace has a source, else NULL */
    tload_sparse *woken; /* polls with a woken_by, in event order (NULL: none) */
    size_t nwoken, capwoken;
    tload_sparse *binds; /* events with a bind_id (tload_bind_id), in event order */
    size_t nbinds, capbinds;
    tload_sparse *lines; /* where an event's line is not the one after the event before's
                            (tload_line): once, for a trace written one event a line */
    size_t nlines, caplines;
    tload_mem *mem;      /* the memory counters in file order (none in old traces) */
    size_t nmem, capmem;
    int truncated;       /* nonzero: no closing ']' (e.g. a crashed run) */
    char warn[512];      /* warnings, one per line, "" when none */
    char path[256];      /* the file read, for messages */
} tload_trace;

/* Reads path into t. Returns 0 on success (t->warn may still hold warnings, e.g. a
 * truncated file); -1 on error with one line "FILE:LINE: expected ..." in err, and t
 * left empty (tload_free is still safe). */
int tload_file(const char *path, tload_trace *t, char *err, size_t errlen);

/* Same, from fd, a file opened once by sim/infile's infile_open (which the caller used to
 * look at it first); reads and closes fd. */
int tload_fd(const char *path, int fd, tload_trace *t, char *err, size_t errlen);

/* Same, from an open stream read to its end in chunks (tload_fd streams a plain file so);
 * name is used in messages. */
int tload_stream(const char *name, FILE *f, tload_trace *t, char *err, size_t errlen);

/* Same, from a buffer holding the whole file (tests, fuzzing). name is used in messages. */
int tload_buffer(const char *name, const char *buf, size_t len, tload_trace *t, char *err,
                 size_t errlen);

void tload_free(tload_trace *t);

/* The string with id s ("" for 0). */
const char *tload_str(const tload_trace *t, uint32_t s);

/* Name of thread tid ("thread N" when the trace did not name it) into buf. */
const char *tload_thread_name(const tload_trace *t, int32_t tid, char *buf, size_t len);

/* The 1-based source line event i refers to, or 0 (no line, or no source); for a poll,
 * the line where it stopped (Pending) or finished (Ready). */
static inline int32_t tload_src_line(const tload_trace *t, size_t i) {
    return t->src_line && i < t->n ? t->src_line[TLOAD_SRC_PER * i] : 0;
}

/* A poll's line where it starts (the await it resumes at), or 0. */
static inline int32_t tload_src_from(const tload_trace *t, size_t i) {
    return t->src_line && i < t->n ? t->src_line[TLOAD_SRC_PER * i + 1] : 0;
}

/* The columns of the expression on event i's line (from: on its from_line): *col the first
 * byte (1-based), *end_col just past the last; 0 when the trace does not say (the whole line). */
static inline void tload_src_cols(const tload_trace *t, size_t i, int from, int *col, int *end_col) {
    uint32_t v = t->src_line && i < t->n ? (uint32_t)t->src_line[TLOAD_SRC_PER * i + 2 + (from != 0)] : 0;
    *col = (int)(v & 0xFFFFu);
    *end_col = (int)(v >> 16);
}

/* Event i's woken_by: 0 (its own wake, or not a poll), a task id, or TLOAD_WOKEN_SPURIOUS. */
int32_t tload_woken_by(const tload_trace *t, size_t i);
/* Event i's bind_id (a wake -> poll flow's id; TLOAD_F_FLOW_IN / _OUT say which end), 0 none. */
int32_t tload_bind_id(const tload_trace *t, size_t i);
/* The line of the file event i starts on, for messages. */
int32_t tload_line(const tload_trace *t, size_t i);
/* Bytes held for the events and strings (for the memory-per-event measurement). */
size_t tload_bytes(const tload_trace *t);

/* ---- typed accessors: an event's fields by what they mean for its kind --------------
 * tload_event keeps its texts in three slots (s1, s2, s3) and one number (num) whose
 * meaning changes with the kind; read them through these instead, so the meaning is
 * named at every use and a reader of the wrong kind is caught (an assert, in Debug and
 * ASan builds). String fields are ids for tload_str (0: absent). */
#define TLOAD_GET_(type, fn, KIND, slot) \
    static inline type fn(const tload_event *e) { assert(e->kind == (KIND)); return e->slot; }

/* poll (and call): */
TLOAD_GET_(int32_t, tload_poll_number, TLOAD_POLL, num) /* 1 for the future's first poll, ... */
TLOAD_GET_(uint32_t, tload_poll_from, TLOAD_POLL, s1)   /* the await point it resumed at ("start") */
TLOAD_GET_(uint32_t, tload_poll_at, TLOAD_POLL, s2)     /* Pending: where it stopped; Ready: its error */
TLOAD_GET_(uint32_t, tload_poll_detail, TLOAD_POLL, s3)
/* wake, park, blocked: */
TLOAD_GET_(uint32_t, tload_wake_by, TLOAD_WAKE, s1)      /* what caused it */
TLOAD_GET_(uint32_t, tload_park_until, TLOAD_PARK, s1)   /* what unparked the thread */
TLOAD_GET_(uint32_t, tload_blocked_detail, TLOAD_BLOCKED, s3)
/* syscall: */
TLOAD_GET_(uint32_t, tload_syscall_call, TLOAD_SYSCALL, s1) /* "read(fd 3, 512)" */
TLOAD_GET_(uint32_t, tload_syscall_ret, TLOAD_SYSCALL, s2)  /* "would-block", "512 bytes", ... */
TLOAD_GET_(uint32_t, tload_syscall_host, TLOAD_SYSCALL, s3)
TLOAD_GET_(int32_t, tload_syscall_fd, TLOAD_SYSCALL, num)
/* task spawn / finish, future create: */
TLOAD_GET_(uint32_t, tload_spawn_name, TLOAD_SPAWN, s1)
TLOAD_GET_(uint32_t, tload_spawn_how, TLOAD_SPAWN, s2)      /* block_on, spawn_local, spawn, thread, main */
TLOAD_GET_(uint32_t, tload_spawn_detail, TLOAD_SPAWN, s3)
TLOAD_GET_(int32_t, tload_spawn_bytes, TLOAD_SPAWN, num)
TLOAD_GET_(uint32_t, tload_finish_err, TLOAD_FINISH, s2)    /* its text: "0", or "-3" (a net error) */
TLOAD_GET_(uint32_t, tload_finish_value, TLOAD_FINISH, s3)
TLOAD_GET_(int32_t, tload_finish_polls, TLOAD_FINISH, num)
TLOAD_GET_(uint32_t, tload_create_name, TLOAD_CREATE, s1)   /* the future's name */
TLOAD_GET_(uint32_t, tload_create_detail, TLOAD_CREATE, s2)
/* waker, net, clock: */
TLOAD_GET_(uint32_t, tload_waker_on, TLOAD_WAKER, s1)       /* register: what it waits for */
TLOAD_GET_(int32_t, tload_waker_count, TLOAD_WAKER, num)    /* live clones after the event */
TLOAD_GET_(uint32_t, tload_net_host, TLOAD_NET, s1)
TLOAD_GET_(int32_t, tload_net_bytes, TLOAD_NET, num)        /* incoming: the client's number */
TLOAD_GET_(int32_t, tload_clock_to_us, TLOAD_CLOCK, num)
/* lint, run end / deadlock: */
TLOAD_GET_(uint32_t, tload_lint_detail, TLOAD_LINT, s1)
TLOAD_GET_(uint32_t, tload_lint_future_name, TLOAD_LINT, s2)
TLOAD_GET_(uint32_t, tload_end_result, TLOAD_END, s1)       /* ok, deadlock, limit, panic */
TLOAD_GET_(int32_t, tload_end_polls, TLOAD_END, num)
TLOAD_GET_(uint32_t, tload_deadlock_tasks, TLOAD_DEADLOCK, s1) /* its JSON text */
/* local, note, compute, thread exit: */
TLOAD_GET_(uint32_t, tload_local_key, TLOAD_LOCAL, s1)
TLOAD_GET_(uint32_t, tload_local_value, TLOAD_LOCAL, s2)
TLOAD_GET_(uint32_t, tload_local_op, TLOAD_LOCAL, s3)       /* set, get */
TLOAD_GET_(uint32_t, tload_note_text, TLOAD_NOTE, s1)
TLOAD_GET_(uint32_t, tload_note_text_ko, TLOAD_NOTE, s2)
TLOAD_GET_(uint32_t, tload_compute_ms, TLOAD_COMPUTE, s1)
TLOAD_GET_(uint32_t, tload_compute_why, TLOAD_COMPUTE, s3)  /* "call time: ..." for call-time work */
TLOAD_GET_(uint32_t, tload_exit_thread, TLOAD_THREAD_EXIT, s3)
/* panic (the real models): */
TLOAD_GET_(uint32_t, tload_panic_future_name, TLOAD_PANIC, s1)
TLOAD_GET_(uint32_t, tload_panic_message, TLOAD_PANIC, s2)  /* "`async fn` resumed after completion", ... */
#undef TLOAD_GET_

#endif
