/* scenario: load and validate a scenario file (docs/scenario-format.md) into a program the
 * interpreter (sim/interp.h) runs.
 *
 * scenario_load() reads the JSON with cJSON, checks every field, resolves the names (hosts,
 * functions, variables), rejects await cycles, computes each async fn's future size (a
 * callee's state is embedded in its caller's, as rustc does) and checks the values that
 * flow into each call by walking the program from its entry. Any mistake gives ONE line
 * "FILE: JSON.path: what was expected", e.g.
 *   scenarios/x.json: functions.main.body[3].await: expected one of connect, write_all, ...
 * The walk visits every element of a list, within a budget of steps that grows with the file;
 * a value it did not reach is still safe to run (an unknown host there is a connect error,
 * ENOTFOUND; a number is clamped into its range). Every number's range is in
 * docs/scenario-format.md; an object's keys are unique.
 * Nothing in the load recurses as deep as the input nests: the await graph is walked with an
 * explicit stack, and an await chain is at most SCN_MAX_AWAIT_DEPTH deep (the interpreter
 * polls a chain by recursion, as Rust does).
 *
 * Ownership: the scenario owns the parsed document; every string and cJSON pointer in it
 * lives until scenario_free(). */
#ifndef PINATA_SCENARIO_H
#define PINATA_SCENARIO_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/exec.h"
#include "sim/net.h"

typedef enum step_kind {
    STEP_AWAIT,       /* .await a leaf future (leaf) */
    STEP_AWAIT_FN,    /* .await another async fn (fn), or call a sync fn on a thread */
    STEP_SHUTDOWN,    /* socket.shutdown(Write) */
    STEP_COMPUTE,     /* CPU work inside the poll, without yielding */
    STEP_SPAWN_LOCAL, /* task::spawn_local(f(args)) */
    STEP_SPAWN,       /* task::spawn(f(args)): the worker pool */
    STEP_SPAWN_THREAD,/* std::thread::spawn(|| f(args)) */
    STEP_TL_SET,      /* thread_local!: KEY.set(value) */
    STEP_TL_GET,
    STEP_TASKL_SET,   /* task_local!: KEY.set(value) */
    STEP_TASKL_GET,
    STEP_UNLOCK,      /* drop(guard) of an async mutex */
    STEP_FOR,         /* for VAR in LIST (or 0..COUNT) { ... }: jump = index of its STEP_END */
    STEP_END,         /* end of a for body: jump = index of its STEP_FOR */
    STEP_POLL_AGAIN,  /* poll the future the previous await finished, once more (S8) */
    STEP_NOTE         /* a remark for the viewer, at this point of the body */
} step_kind;

typedef enum leaf_kind {
    LEAF_CONNECT, LEAF_WRITE_ALL, LEAF_READ_TO_STRING, LEAF_READ, LEAF_SLEEP, LEAF_YIELD_NOW,
    LEAF_ACCEPT, LEAF_LOCK, LEAF_JOIN, LEAF_JOIN_ALL, LEAF_DROP_WAKER, LEAF_COUNT
} leaf_kind;

/* The names as written in a scenario's "await" / "blocking", indexed by leaf_kind; NULL last. */
extern const char *const scenario_leaf_names[LEAF_COUNT + 1];

#define SCN_SLOT_SOCKET (-2)
#define SCN_MAX_MS 1e9     /* a time in ms at most (1e15 ns, 11.6 days): see EXEC_TIME_END */
#define SCN_MAX_COUNT 1e9  /* turns of a `for` over a count at most */
#define SCN_DEFAULT_TRACE_MB 256
#define SCN_DEFAULT_TASK_MB 1024 /* runtime.max_task_mb: MiB of live tasks at most (1..65536) */
#define SCN_MAX_TRACE_MB 65536 /* runtime.max_trace_mb and --max-trace-mb at most (64 GiB) */
#define SCN_MAX_AWAIT_DEPTH 1000 /* nested awaits at most: the interpreter polls them by recursion (~0.5 KiB of C stack each) */

/* A value in a step: a literal, or a variable ($name or $name.field) of the function. */
typedef struct operand {
    const cJSON *lit;  /* the literal (or NULL when absent) */
    int slot;          /* >= 0: the function's local (a parameter or a loop variable);
                        * SCN_SLOT_SOCKET: "$socket", the socket the running call holds */
    const char *field; /* $name.field: the field of an object value, or NULL */
} operand;

typedef struct step {
    step_kind kind;
    leaf_kind leaf;     /* STEP_AWAIT */
    int blocking;       /* "blocking": the call holds its thread (std I/O inside async code) */
    int fuse;           /* .fuse(): the finished future returns Pending when polled again */
    int detach;         /* spawns: the JoinHandle is dropped at once (the task runs on) */
    int line;           /* Rust source line (1-based into "rust"), 0 when none */
    int col, end_col;   /* the expression on that line: first byte (1-based) and just past its
                         * last; 0 when not given (a step lowered from Rust has them) */
    int fn;             /* callee: STEP_AWAIT_FN and the spawns */
    int jump;           /* STEP_FOR / STEP_END: the matching step */
    int slot;           /* STEP_FOR: the loop variable (slot + 1 holds the index) */
    operand a, b;       /* connect: host, port; write_all: bytes, request_path; read: bytes;
                         * sleep / compute: ms; for: list or count; *_set: value */
    operand *args;      /* call arguments, argc of them */
    int argc;
    const char *name;   /* mutex, thread/task-local key, note text */
    const char *name_ko; /* note: its Korean text ("note_ko"), NULL when none */
    const char *at;     /* the await point's name in the trace, e.g. "connect.await" */
    char *path;         /* JSON path of the step, for runtime notes (owned) */
    const char *verb;   /* the step's action key, e.g. "await" (static) */
} step;

typedef struct scn_fn {
    const char *name;
    const char **params; /* nparams names (owned array, strings in the document) */
    int nparams;
    const char **locals; /* nlocals names: params, then loop variables and their indexes */
    int nlocals;
    step *body;          /* the steps, loops flattened into STEP_FOR ... STEP_END */
    int nbody;
    step *call_time;     /* steps run when the function is CALLED, before the future exists (S5) */
    int ncall_time;
    int detail;          /* the parameter shown as the future's detail, or -1 */
    int line;            /* Rust source line of the fn, 0 when none */
    size_t sub_size;     /* bytes of the largest future awaited (embedded) */
    size_t frame_size;   /* bytes of this fn's whole future */
    future_vtable vt;    /* name = the function's name: the trace names polls after it */
} scn_fn;

typedef enum scn_executor { SCN_BLOCK_ON, SCN_BUSY_POLL, SCN_SYNC } scn_executor;

/* runtime.model's names, in exec_model order, NULL-ended; the index of name or -1. */
static const char *const scenario_model_names[] = {"ideal", "async-std", "tokio", NULL};
int scenario_model_index(const char *name);
/* A real model's reactor turn: the OS wakes a parked thread some µs after the event, and
 * events due meanwhile are read by the same epoll_wait (docs/runtime-models.md). */
#define SCN_REAL_TURN_NS INT64_C(20000)

typedef struct scenario {
    char *path;          /* the file, as given (owned) */
    cJSON *doc;          /* the parsed document (owned) */
    const char *name, *title, *description, *title_ko, *description_ko;
    uint64_t seed;
    int default_hosts;   /* add the lecture's three hosts first */
    net_host_cfg *hosts; /* owned */
    int nhosts;
    int has_listener;    /* network.listener: clients for accept */
    int64_t resolve_ns;  /* network.resolve_ms: resolving a host's name (real models only) */
    net_host_cfg client;
    int64_t clients, client_first_ns, client_interval_ns;
    exec_config cfg;
    scn_executor executor;
    int has_turn;/* runtime.turn_us was given (else the model's default) */
    int64_t long_poll_ns;/* the long-poll lint's threshold */
    int64_t max_steps;   /* steps the interpreter may run in all (stops a loop inside one poll) */
    int64_t max_trace_mb;/* the output budget: MiB of trace at most (SCN_MAX_TRACE_MB) */
    scn_fn *fns;         /* owned */
    int nfns;
    int *fn_slots;       /* open-addressing hash of the function names: index + 1, 0 empty (owned) */
    size_t nslots;       /* a power of two, at least twice nfns */
    int *await_order;    /* the functions, each after every function it awaits (owned) */
    int entry;           /* index of the entry function */
    operand *entry_args; /* literals, entry's nparams of them (owned) */
    const cJSON *rust;   /* array of source lines, or NULL */
    const cJSON *quiz;   /* the scenario's own questions (checked; the trace carries them), or NULL */
} scenario;

typedef struct scenario_param {
    const char *key;     /* a name in the scenario's "params" */
    const char *value;   /* JSON text (a number, true, "text") or a bare string */
} scenario_param;

/* Loads and checks path. params override the file's "params" (may be NULL / 0). On error
 * returns NULL and writes one line "FILE: PLACE: what was expected" into err. */
scenario *scenario_load(const char *path, const scenario_param *params, int nparams, char *err, size_t errlen);
/* The same from the file's text, already read (sim/infile); path names it in messages. */
scenario *scenario_load_text(const char *path, const char *text, const scenario_param *params, int nparams,
                             char *err, size_t errlen);
void scenario_free(scenario *s);
/* The index of a function by name, or -1 (hashed: a load stays linear in the functions). */
int scenario_find_fn(const scenario *s, const char *name);
/* The value of an operand given the locals of a running frame (NULL for no locals). */
typedef struct scn_value { const cJSON *j; int64_t i; } scn_value; /* j NULL: the integer i */
scn_value scenario_eval(const operand *o, const scn_value *locals);
/* Conversions of a value; defaults when it is of another type. Numbers saturate to the
 * range of the result (a value the check did not reach is never undefined behaviour). */
int64_t scenario_value_int(scn_value v, int64_t def);
/* A duration in ms as virtual ns, clamped to 0..SCN_MAX_MS ms. */
int64_t scenario_value_ms_ns(scn_value v);
double scenario_value_num(scn_value v, double def);
const char *scenario_value_str(scn_value v, const char *def);

#endif
