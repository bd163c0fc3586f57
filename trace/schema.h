/* schema: the pinata trace format's names and numbers, in one place (docs/trace-format.md).
 *
 * The writer (sim/trace, and whoever calls trace_begin / trace_arg_*), the reader
 * (trace/tload) and the summary take every phase, category, event name, arg key, lane and
 * the schema version from here, so the three cannot drift apart. Adding an event kind or an
 * arg key: add it here (and a row in docs/trace-format.md), then write it and read it.
 *
 * Plain macros (string literals), so a writer can paste them into its literal pieces
 * ("{\"" TRACE_KEY_PH "\":") at no cost. */
#ifndef PINATA_TRACE_SCHEMA_H
#define PINATA_TRACE_SCHEMA_H
#include <stdint.h>

/* The version in the first event's args.schema; a reader refuses any other. */
#define TRACE_SCHEMA_VERSION 1

/* ---- lanes: pid and tid ----------------------------------------------------------- */
#define TRACE_PID 1              /* every event: one process */
#define TRACE_STR_(x) #x
#define TRACE_STR(x) TRACE_STR_(x) /* a number macro as a literal: TRACE_STR(TRACE_PID) is "1" */
#define TRACE_TID_MAIN 1         /* the thread that called block_on (or a synchronous main) */
#define TRACE_TID_WORKER_BASE 2  /* pool worker k (1-based) is tid TRACE_TID_WORKER_BASE + k - 1 */
#define TRACE_TID_OS 1000        /* the lane of the network, the timers and the wakes they cause */
#define TRACE_OS_LANE_NAME "OS: network & timers" /* its thread_name */
#define TRACE_TID_OS_THREAD_BASE 1001 /* a scenario's n-th OS thread (std::thread::spawn, 0-based)
                                       * is 1001 + n: after the OS lane, so no count of
                                       * executor threads reaches it */

/* ts and dur: 0..4e15 µs, the simulator's whole clock in nanoseconds (127 years), so ts + dur
 * and every difference of them fit int64. The writer never writes more (sim/exec.h checks
 * its clock's end against it); the reader refuses more. Written as k/2048 µs, exact in a double
 * (sim/trace.c grid_of; docs/trace-format.md, Times); read back rounded to the nanosecond. */
#define TRACE_MAX_NS INT64_C(4000000000000000000)
#define TRACE_MAX_US_TEXT "4e15"

/* ---- phases (ph) ------------------------------------------------------------------ */
#define TRACE_PH_SLICE "X"   /* a complete slice: ts + dur */
#define TRACE_PH_INSTANT "i" /* an instant, thread-scoped ("s":"t") */
#define TRACE_PH_META "M"    /* metadata: the run, process / thread names */
#define TRACE_PH_COUNTER "C" /* a counter sample (memory) */

/* ---- categories (cat) ------------------------------------------------------------- */
#define TRACE_CAT_EXECUTOR "executor" /* X: the executor's whole run on its thread */
#define TRACE_CAT_POLL "poll"         /* X: one call of poll (name: the future) */
#define TRACE_CAT_CALL "call"         /* X: the same on a synchronous thread */
#define TRACE_CAT_BLOCKED "blocked"   /* X: a thread blocked in a system call */
#define TRACE_CAT_COMPUTE "compute"   /* X: CPU work inside a poll */
#define TRACE_CAT_WAKE "wake"         /* X: a waker was woken */
#define TRACE_CAT_PARK "park"         /* X: the thread slept */
#define TRACE_CAT_SYSCALL "syscall"   /* X: a system call (name: the call) */
#define TRACE_CAT_TASK "task"         /* i: spawn / finish */
#define TRACE_CAT_FUTURE "future"     /* i: create */
#define TRACE_CAT_LOCAL "local"       /* i: thread_local / task_local set or read */
#define TRACE_CAT_NOTE "note"         /* i: the scenario's remark */
#define TRACE_CAT_THREAD "thread"     /* i: exit */
#define TRACE_CAT_WAKER "waker"       /* i: register / clone / drop */
#define TRACE_CAT_NET "net"           /* i: the mocked network */
#define TRACE_CAT_CLOCK "clock"       /* i: jump */
#define TRACE_CAT_LINT "lint"         /* i: name: the lint */
#define TRACE_CAT_RUN "run"           /* i: deadlock / end */
#define TRACE_CAT_MEMORY "memory"     /* C: the memory counters */
#define TRACE_CAT_METADATA "__metadata" /* M: every metadata event (Chrome's own category) */

/* ---- event names (name), where a category has fixed ones -------------------------- */
#define TRACE_NAME_PINATA "pinata"                 /* M, first event: the run */
#define TRACE_NAME_PROCESS_NAME "process_name"     /* M */
#define TRACE_NAME_THREAD_NAME "thread_name"       /* M */
#define TRACE_NAME_THREAD_SORT "thread_sort_index" /* M */
#define TRACE_NAME_SPAWN "spawn"                   /* task */
#define TRACE_NAME_FINISH "finish"                 /* task */
#define TRACE_NAME_CREATE "create"                 /* future */
#define TRACE_NAME_EXIT "exit"                     /* thread */
#define TRACE_NAME_JUMP "jump"                     /* clock */
#define TRACE_NAME_DEADLOCK "deadlock"             /* run */
#define TRACE_NAME_END "end"                       /* run, last event */
#define TRACE_NAME_WAKE "wake"                     /* wake */
#define TRACE_NAME_PARK "park"                     /* park */
#define TRACE_NAME_COMPUTE "compute"               /* compute */
#define TRACE_NAME_NOTE "note"                     /* note */
#define TRACE_NAME_MEMORY "memory"                 /* memory */
#define TRACE_NAME_INCOMING "incoming"             /* net: a client connected */
#define TRACE_NAME_PANIC "panic"                   /* task: a poll panicked (real models) */

/* ---- event kinds: what an event is, from its ph + cat + name (trace_classify) ---- */
#define TRACE_KINDS(X)                                                                    \
    X(EXECUTOR)    /* X executor */                                                     \
    X(POLL)        /* X poll, X call (the latter flagged synchronous by the reader) */  \
    X(WAKE)        /* X wake */                                                         \
    X(PARK)        /* X park */                                                         \
    X(SYSCALL)     /* X syscall */                                                      \
    X(SPAWN)       /* i task spawn */                                                   \
    X(FINISH)      /* i task finish */                                                  \
    X(CREATE)      /* i future create */                                                \
    X(WAKER)       /* i waker register / clone / drop */                                \
    X(NET)         /* i net connected / chunk / eof / refused / reset / incoming */     \
    X(CLOCK)       /* i clock jump */                                                   \
    X(LINT)        /* i lint */                                                         \
    X(DEADLOCK)    /* i run deadlock */                                                 \
    X(END)         /* i run end */                                                      \
    X(BLOCKED)     /* X blocked */                                                      \
    X(COMPUTE)     /* X compute */                                                      \
    X(LOCAL)       /* i local */                                                        \
    X(NOTE)        /* i note */                                                         \
    X(THREAD_EXIT) /* i thread exit */                                                  \
    X(PANIC)       /* i task panic */

typedef enum trace_kind {
    TRACE_KIND_OTHER = 0, /* an event no reader draws (kept for the step count) */
#define TRACE_KIND_ENUM_(k) TRACE_KIND_##k,
    TRACE_KINDS(TRACE_KIND_ENUM_)
#undef TRACE_KIND_ENUM_
    TRACE_KIND_COUNT
} trace_kind;

/* The kind of an event from its ph (first character), cat and name (trace/schema.c). */
trace_kind trace_classify(char ph, const char *cat, const char *name);

/* ---- keys: the event object's members and its args -------------------------------- */
#define TRACE_KEY_PH "ph"
#define TRACE_KEY_S "s" /* an instant's scope: "t" */
#define TRACE_KEY_CAT "cat"
#define TRACE_KEY_NAME "name"
#define TRACE_KEY_TS "ts"
#define TRACE_KEY_DUR "dur"
#define TRACE_KEY_PID "pid"
#define TRACE_KEY_TID "tid"
#define TRACE_KEY_ARGS "args"
#define TRACE_KEY_BIND_ID "bind_id"   /* a wake -> poll flow's id */
#define TRACE_KEY_FLOW_IN "flow_in"   /* true: the flow's target end (the poll) */
#define TRACE_KEY_FLOW_OUT "flow_out" /* true: the flow's source end (the wake) */

/* args of the "pinata" M event (the run) */
#define TRACE_ARG_SCHEMA "schema"
#define TRACE_ARG_SCENARIO "scenario"
#define TRACE_ARG_SEED "seed"
#define TRACE_ARG_TITLE "title"
#define TRACE_ARG_DESCRIPTION "description"
#define TRACE_ARG_TITLE_KO "title_ko"
#define TRACE_ARG_DESCRIPTION_KO "description_ko"
#define TRACE_ARG_POLL_COST_US "poll_cost_us"
#define TRACE_ARG_SYSCALL_COST_US "syscall_cost_us"
#define TRACE_ARG_FILE "file"
#define TRACE_ARG_EXECUTOR "executor"
#define TRACE_ARG_WORKERS "workers"
#define TRACE_ARG_LONG_POLL_US "long_poll_us"
#define TRACE_ARG_STACK_RESERVED_BYTES "stack_reserved_bytes" /* also a memory counter */
#define TRACE_ARG_STACK_USED_BYTES "stack_used_bytes"         /* also a memory counter */
#define TRACE_ARG_TASK_HEADER_BYTES "task_header_bytes"
#define TRACE_ARG_SOURCE "source"
#define TRACE_ARG_QUIZ "quiz" /* the scenario's own questions (viz/quiz.c) */
#define TRACE_ARG_QUIZ_LEFT_OUT "quiz_left_out" /* why they are not here: the options that moved the steps */
#define TRACE_ARG_SORT_INDEX "sort_index" /* thread_sort_index; thread_name's is TRACE_ARG_NAME */

/* args of events (docs/trace-format.md says which event carries which) */
#define TRACE_ARG_TASK "task"
#define TRACE_ARG_FUTURE "future"
#define TRACE_ARG_PARENT "parent"
#define TRACE_ARG_PARENT_TASK "parent_task"
#define TRACE_ARG_RESULT "result"
#define TRACE_ARG_POLL "poll"
#define TRACE_ARG_FROM "from"
#define TRACE_ARG_AT "at"
#define TRACE_ARG_DETAIL "detail"
#define TRACE_ARG_ERROR "error"
#define TRACE_ARG_LEAF "leaf"
#define TRACE_ARG_AFTER_READY "after_ready"
#define TRACE_ARG_LINE "line"
#define TRACE_ARG_FROM_LINE "from_line"
#define TRACE_ARG_COL "col"                   /* a poll's expression on its line: first byte, 1-based */
#define TRACE_ARG_END_COL "end_col"           /* ... and just past its last */
#define TRACE_ARG_FROM_COL "from_col"         /* the same on from_line: where the poll resumes */
#define TRACE_ARG_FROM_END_COL "from_end_col"
#define TRACE_ARG_NAME "name"
#define TRACE_ARG_HOW "how"
#define TRACE_ARG_BYTES "bytes"
#define TRACE_ARG_POLLS "polls"
#define TRACE_ARG_ERR "err"
#define TRACE_ARG_VALUE "value"
#define TRACE_ARG_FUTURE_NAME "future_name"
#define TRACE_ARG_THREAD "thread"
#define TRACE_ARG_MS "ms"
#define TRACE_ARG_WHY "why"
#define TRACE_ARG_OP "op"
#define TRACE_ARG_KEY "key"
#define TRACE_ARG_TEXT "text"
#define TRACE_ARG_TEXT_KO "text_ko"
#define TRACE_ARG_BY "by"
#define TRACE_ARG_QUEUED "queued"
#define TRACE_ARG_UNTIL "until"
#define TRACE_ARG_CALL "call"
#define TRACE_ARG_RET "ret"
#define TRACE_ARG_FD "fd"
#define TRACE_ARG_HOST "host"
#define TRACE_ARG_WAKERS "wakers"
#define TRACE_ARG_ON "on"
#define TRACE_ARG_CLIENT "client"
#define TRACE_ARG_TO "to"
#define TRACE_ARG_TASKS "tasks" /* executor, deadlock; also a memory counter */
#define TRACE_ARG_VIRTUAL_US "virtual_us"
#define TRACE_ARG_EVENTS "events"
#define TRACE_ARG_TASK_BYTES "task_bytes" /* memory counter */
#define TRACE_ARG_THREADS "threads"       /* memory counter */
#define TRACE_ARG_MODEL "model"           /* pinata: the runtime model, absent for ideal */
#define TRACE_ARG_TURN_US "turn_us"       /* pinata: the reactor turn of a real model */
#define TRACE_ARG_WOKEN_BY "woken_by"     /* poll: the sibling task whose wake caused it, or "spurious" */
#define TRACE_ARG_MESSAGE "message"       /* panic: the panic's message */
#define TRACE_ARG_PANICKED "panicked"     /* finish: true when the task ended with a panic */

/* ---- values ------------------------------------------------------------------------ */
#define TRACE_RESULT_PENDING "Pending" /* a poll's args.result */
#define TRACE_RESULT_READY "Ready"
#define TRACE_RESULT_PANIC "Panic"     /* the poll panicked, or a panic unwound through it */
#define TRACE_WOKEN_SPURIOUS "spurious" /* woken_by: the task's own wake, not a real readiness */
#define TRACE_END_OK "ok"             /* run end's args.result */
#define TRACE_END_DEADLOCK "deadlock"
#define TRACE_END_LIMIT "limit"
#define TRACE_END_PANIC "panic"       /* block_on resumed the root future's panic */
#define TRACE_LINT_POLL_AFTER_READY "poll_after_ready" /* lint event names */
#define TRACE_LINT_LOST_WAKER "lost_waker"
#define TRACE_LINT_SELF_WAKE "self_wake"
#define TRACE_LINT_SPAWN_FAILED "spawn_failed"

/* A net error's name as the trace writes it (a syscall's ret, a poll's error), from its code
 * as a task's finish writes it in err (-1 would-block, -2 EINPROGRESS, -3 ECONNREFUSED,
 * -4 ECONNRESET, -5 ENOTFOUND, -6 EBADF, -7 ENOTCONN; sim/net.h's NET_*); "0" for any other. */
const char *trace_net_err_name(int err);

#endif
