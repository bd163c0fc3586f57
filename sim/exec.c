#include "sim/exec.h"

#include <stdlib.h>
#include <string.h>

#include "sim/net.h"

enum task_state { TASK_IDLE, TASK_QUEUED, TASK_RUNNING, TASK_DONE };

/* Task cells (exec_cell_new): class k holds a future of up to k * CELL_GRAIN bytes and is
 * recycled; CELL_BIG is a larger one, freed when released. */
#define CELL_GRAIN 16
#define CELL_BIG 31

/* The executor's per-task header: 64 bytes, the whole of the executor's cost per task
 * beyond the future's own state. What only some tasks need lives elsewhere: the output and
 * the joiner's waker in the JoinHandle, the task's name in its root future's vtable, the
 * name of what it awaits in the executor's table of names. */
struct task {
    exec_t *ex;            /* NULL for an orphan (its executor is gone) */
    task_t *next;          /* run-queue link, or free-list link; a task is in at most one */
    future_t *root;        /* owned until the task finishes */
    joinhandle_t *jh;      /* its JoinHandle, NULL when detached or dropped */
    int64_t ready_at;      /* virtual ns at which it became runnable */
    uint32_t id;
    uint32_t slot;         /* index in exec.all, so unlinking a finished task is O(1) */
    uint32_t flow;         /* bind id of the wake that queued it, 0 if none */
    int32_t home;          /* thread index for spawn_local and thread tasks, -1 for pool tasks */
    uint16_t refs;         /* executor (until done) + JoinHandle + waker clones */
    uint16_t wakers;       /* live waker clones: 0 while idle = nobody can wake it */
    uint16_t awaits;       /* 1 + index in exec.names of what it awaits; 0: nothing yet */
    uint8_t state;
    uint8_t rewake : 1;    /* woken while running: queue again after the poll */
    uint8_t panicked : 1;  /* ended with a panic (real models) */
    uint8_t cell : 5;      /* a task cell's size class (its future follows the header), 0: none */
};
_Static_assert(sizeof(task_t) <= 64, "the task header is the executor's cost per task");

typedef struct taskq { task_t *head, *tail; size_t len; } taskq;

typedef struct tls_slot { const char *key; const void *val; } tls_slot;

typedef struct vthread {
    int tid;
    int index;          /* 0 = main, 1..workers, then the OS threads */
    int64_t time;       /* virtual ns: where this thread is */
    taskq q;            /* its own run queue (executor threads only) */
    task_t *owner;      /* synchronous thread: the one task it runs; NULL on an executor thread */
    task_t *blocked;    /* a task holding this executor thread in a blocking call */
    const char *blocked_on; /* what that call is, for the blocked slice */
    int64_t heap_at;    /* OS threads: when it can run, while in the ready heap */
    uint8_t alive;      /* OS threads: not exited yet */
    uint8_t in_heap;
    tls_slot tls[EXEC_TLS_MAX]; /* thread-local storage */
    char name[24];
} vthread;

struct exec {
    exec_hot hot;                     /* first: read inline through exec_hot_of() */
    exec_config cfg;
    reactor_t *r;
    vthread th[EXEC_MAX_WORKERS + 1]; /* [0] = main, [1..workers] = pool workers */
    int nthreads;
    taskq shared;                     /* the pool's shared queue */
    vthread *cur;                     /* thread running a poll, NULL in the reactor */
    task_t *cur_task;
    int64_t os_time;                  /* the OS lane's own time, for wakes from events */
    uint64_t next_task;
    int dying;                        /* exec_free is running: releases free nothing */
    task_t *free_tasks;               /* released headers, reused before calloc */
    task_t *free_cells[CELL_BIG];     /* released task cells by size class, reused first */
    const char **names;               /* what tasks await: interned future names */
    uint16_t nnames, capnames;
    task_t **all;                     /* every live task, for the deadlock report */
    size_t nall, capall;
    vthread **os;                     /* OS threads (exec_spawn_thread), index nthreads + i */
    size_t nos, capos;
    vthread **rheap;                  /* OS threads that can run: min-heap by (heap_at, index) */
    size_t rlen, rcap;
    const char *block_req;            /* set by exec_block_thread during the running poll */
    uint64_t live_tasks, live_bytes, live_threads;
    int64_t os_latest;                /* the latest time any OS thread reached */
    task_t *root;                     /* block_on's root task (the real models poll it on every wake) */
    int64_t root_woken_by;            /* the sibling whose wake queued the root, 0: its own wake */
    int64_t poll_woken_by;            /* the running poll's exec_woken_by */
    uint64_t turns;                   /* times the main thread came back from a park */
    int64_t turn_until;               /* events due until then join the running reactor turn */
    int want_root;                    /* block_on: run_root records its task as root */
    int64_t time_limit;               /* a run stops at this time: max_time_ns + 1, or EXEC_TIME_END */
    exec_stats st;
};

/* The running thread changes only here, so the inline clock always follows it. */
static void set_cur(exec_t *ex, vthread *th) {
    ex->cur = th;
    ex->hot.clock = th ? &th->time : &ex->os_time;
}

/* ---------- queues ---------- */

static void q_push(taskq *q, task_t *t) {
    t->next = NULL;
    if (q->tail) q->tail->next = t;
    else q->head = t;
    q->tail = t;
    q->len++;
}

static task_t *q_pop(taskq *q) {
    task_t *t = q->head;
    if (!t) return NULL;
    q->head = t->next;
    if (!q->head) q->tail = NULL;
    q->len--;
    t->next = NULL;
    return t;
}

/* ---------- configuration and lifetime ---------- */

void exec_config_default(exec_config *c) {
    *c = (exec_config){.workers = 0, .poll_cost_ns = 1000, .syscall_cost_ns = 1000, .wake_cost_ns = 200,
                       .max_polls = 10000000, .max_time_ns = 0, .stack_reserved = 8 << 20,
                       .stack_used = 100 << 10, .memory_counters = 0, .max_tasks = 0};
}

static void thread_init(vthread *th, int tid, int index, const char *name) {
    th->tid = tid;
    th->index = index;
    th->alive = 1;
    snprintf(th->name, sizeof th->name, "%s", name);
}

static vthread *thread_at(const exec_t *ex, int index) {
    if (index < 0) return NULL;
    if (index < ex->nthreads) return (vthread *)&ex->th[index];
    return (size_t)(index - ex->nthreads) < ex->nos ? ex->os[index - ex->nthreads] : NULL;
}

exec_t *exec_new(const exec_config *c, reactor_t *r, trace_t *t) {
    exec_t *ex = calloc(1, sizeof *ex);
    if (!ex) return NULL;
    ex->cfg = *c;
    if (ex->cfg.workers < 0) ex->cfg.workers = 0;
    if (ex->cfg.workers > EXEC_MAX_WORKERS) ex->cfg.workers = EXEC_MAX_WORKERS;
    ex->r = r;
    ex->hot.trace = t;
    ex->hot.poll_cost_ns = ex->cfg.poll_cost_ns;
    /* the first time past max_time_ns (when set), and never past the end of the clock */
    ex->time_limit = ex->cfg.max_time_ns != 0 && ex->cfg.max_time_ns < EXEC_TIME_END ? ex->cfg.max_time_ns + 1 : EXEC_TIME_END;
    set_cur(ex, NULL);
    ex->nthreads = 1 + ex->cfg.workers;
    thread_init(&ex->th[0], 1, 0, "main");
    for (int i = 1; i < ex->nthreads; i++) {
        char name[24];
        snprintf(name, sizeof name, "worker %d", i);
        thread_init(&ex->th[i], 1 + i, i, name);
    }
    ex->live_threads = (uint64_t)ex->nthreads;
    ex->st.peak_threads = ex->live_threads;
    return ex;
}

static void task_unlink(exec_t *ex, task_t *t) {
    if (t->slot >= ex->nall || ex->all[t->slot] != t) return;
    ex->all[t->slot] = ex->all[--ex->nall];
    ex->all[t->slot]->slot = t->slot;
}

/* A released header or cell goes on its free list (a big cell is freed). */
static void cell_recycle(exec_t *ex, task_t *t) {
    task_t **list = !t->cell ? &ex->free_tasks : t->cell < CELL_BIG ? &ex->free_cells[t->cell] : NULL;
    if (!list) {
        free(t);
        return;
    }
    t->next = *list;
    *list = t;
}

void *exec_cell_new(exec_t *ex, size_t size) {
    unsigned cls = size <= (CELL_BIG - 1) * CELL_GRAIN ? (unsigned)((size + CELL_GRAIN - 1) / CELL_GRAIN) : CELL_BIG;
    task_t *t = cls < CELL_BIG ? ex->free_cells[cls] : NULL;
    if (t) ex->free_cells[cls] = t->next;
    else t = malloc(sizeof *t + (cls < CELL_BIG ? cls * CELL_GRAIN : size));
    if (!t) return NULL;
    memset(t, 0, sizeof *t); /* the header, ready for task_new */
    t->cell = cls;
    return t + 1;
}

void exec_cell_free(exec_t *ex, void *f) {
    if (f) cell_recycle(ex, (task_t *)f - 1);
}

static void task_release(task_t *t) {
    if (--t->refs) return;
    exec_t *ex = t->ex;
    if (ex && ex->dying) return; /* exec_free frees every task itself */
    if (t->root) future_drop(t->root);
    if (!ex) {
        free(t);
        return;
    }
    task_unlink(ex, t);
    cell_recycle(ex, t); /* headers and cells are recycled: spawn + finish allocate nothing */
}

static void free_list(task_t *t) {
    for (task_t *next; t; t = next) {
        next = t->next;
        free(t);
    }
}

void exec_free(exec_t *ex) {
    if (!ex) return;
    /* Tasks still alive (pending at a deadlock, or never joined) die with the executor;
     * wakers or handles that still point at them must not be used after this. */
    ex->dying = 1;
    ex->hot.trace = NULL; /* tearing down is not part of the run: drops here are not traced */
    for (size_t i = 0; i < ex->nall; i++) {
        task_t *t = ex->all[i];
        if (t->root) future_drop(t->root);
        t->root = NULL;
    }
    /* A task whose waker is still held outside (by a socket, a timer) becomes an orphan:
     * it is freed when the last clone is dropped, so dropping the network after the
     * executor is safe. Wakes of an orphan do nothing. */
    for (size_t i = 0; i < ex->nall; i++) {
        task_t *t = ex->all[i];
        if (t->wakers) {
            t->ex = NULL;
            t->refs = t->wakers;
        } else {
            free(t);
        }
    }
    free(ex->all);
    free_list(ex->free_tasks);
    for (int i = 1; i < CELL_BIG; i++) free_list(ex->free_cells[i]);
    free(ex->names);
    for (size_t i = 0; i < ex->nos; i++) free(ex->os[i]);
    free(ex->os);
    free(ex->rheap);
    free(ex);
}

void exec_request_stop(exec_t *ex) {
    if (ex) ex->st.limit = 3;
}

int exec_stopping(exec_t *ex) {
    if (!ex) return 0;
    if (!ex->st.limit && *ex->hot.clock >= EXEC_TIME_END) ex->st.limit = 2; /* a loop of computes in one poll */
    if (!ex->st.limit && trace_full(ex->hot.trace)) ex->st.limit = 5;
    return ex->st.limit != 0;
}

void exec_end_trace(exec_t *ex) {
    if (ex) ex->hot.trace = NULL;
}

/* ---------- accessors for futures and the network ---------- */

int exec_tid(const exec_t *ex) { return ex && ex->cur ? ex->cur->tid : TRACE_TID_OS; }
int exec_thread_index(const exec_t *ex) { return ex && ex->cur ? ex->cur->index : -1; }
int exec_thread_is_sync(const exec_t *ex) { return ex && ex->cur && ex->cur->owner; }
const char *exec_thread_name(const exec_t *ex) { return ex && ex->cur ? ex->cur->name : "OS"; }
future_t *exec_task_root(const task_t *t) { return t ? t->root : NULL; }

void exec_block_thread(exec_t *ex, context_t *cx, const char *what) {
    (void)cx;
    if (ex && ex->cur && !ex->cur->owner) ex->block_req = what;
}

int exec_tls_set(exec_t *ex, const char *key, const void *value) {
    if (!ex || !ex->cur) return -1;
    tls_slot *free_slot = NULL;
    for (int i = 0; i < EXEC_TLS_MAX; i++) {
        tls_slot *s = &ex->cur->tls[i];
        if (s->key && strcmp(s->key, key) == 0) { s->val = value; return 0; }
        if (!s->key && !free_slot) free_slot = s;
    }
    if (!free_slot) return -1;
    *free_slot = (tls_slot){key, value};
    return 0;
}

const void *exec_tls_get(const exec_t *ex, const char *key) {
    if (!ex || !ex->cur) return NULL;
    for (int i = 0; i < EXEC_TLS_MAX; i++)
        if (ex->cur->tls[i].key && strcmp(ex->cur->tls[i].key, key) == 0) return ex->cur->tls[i].val;
    return NULL;
}
reactor_t *exec_reactor(const exec_t *ex) { return ex ? ex->r : NULL; }
int64_t exec_syscall_cost(const exec_t *ex) { return ex ? ex->cfg.syscall_cost_ns : 0; }
int64_t exec_task_id(const task_t *t) { return t ? t->id : 0; }
const char *exec_task_name(const task_t *t) { return t && t->root ? t->root->vt->name : ""; }
exec_stats exec_get_stats(const exec_t *ex) { return ex->st; }
size_t exec_task_header_size(void) { return sizeof(task_t); }

exec_model exec_get_model(const exec_t *ex) { return ex ? (exec_model)ex->cfg.model : EXEC_MODEL_IDEAL; }
int64_t exec_woken_by(const exec_t *ex) { return ex ? ex->poll_woken_by : 0; }
void exec_note_spurious(exec_t *ex) { if (ex) ex->poll_woken_by = EXEC_WOKEN_SPURIOUS; }
uint64_t exec_turns(const exec_t *ex) { return ex ? ex->turns : 0; }

/* Rust's answer to a poll after Ready (docs/runtime-models.md): an `async fn`'s state machine
 * panics in every runtime; TcpStream::connect is an `async fn` in both (async-std
 * src/net/tcp/stream.rs, tokio src/net/tcp/stream.rs); async-std's task::sleep is one too
 * (src/task/sleep.rs), while tokio's Sleep is a struct whose poll is Ready again. Other leaves
 * keep the ideal model's lint. */
const char *exec_after_ready_panic(const exec_t *ex, const future_t *f) {
    static const char async_fn[] = "`async fn` resumed after completion";
    exec_model m = exec_get_model(ex);
    if (m == EXEC_MODEL_IDEAL) return NULL;
    if (f->async_fn || !strcmp(f->vt->name, "connect")) return async_fn;
    if (!strcmp(f->vt->name, "sleep") && m == EXEC_MODEL_ASYNC_STD) return async_fn;
    return NULL;
}

void exec_panic(exec_t *ex, context_t *cx, const future_t *f, const char *message) {
    if (!ex) return;
    ex->hot.unwinding = 1;
    if (!ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_TASK, TRACE_NAME_PANIC, exec_tid(ex), exec_now(ex), 0);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, exec_task_id(cx ? cx->task : NULL));
    if (f) trace_arg_int(ex->hot.trace, TRACE_ARG_FUTURE, (int64_t)f->id);
    if (f) trace_arg_str(ex->hot.trace, TRACE_ARG_FUTURE_NAME, f->vt->name);
    trace_arg_str(ex->hot.trace, TRACE_ARG_MESSAGE, message);
    trace_end(ex->hot.trace);
}

/* Interns a future name: a task keeps a 2-byte index instead of a pointer. */
static uint16_t name_index(exec_t *ex, const char *name) {
    for (uint16_t i = ex->nnames; i-- > 0;)
        if (ex->names[i] == name) return (uint16_t)(i + 1);
    if (ex->nnames == UINT16_MAX) return 0;
    if (ex->nnames == ex->capnames) {
        uint16_t cap = ex->capnames ? (uint16_t)(ex->capnames > UINT16_MAX / 2 ? UINT16_MAX : ex->capnames * 2) : 16;
        const char **a = realloc(ex->names, cap * sizeof *a);
        if (!a) return 0;
        ex->names = a;
        ex->capnames = cap;
    }
    ex->names[ex->nnames++] = name;
    return ex->nnames;
}

static const char *task_awaits(const exec_t *ex, const task_t *t) {
    return t->awaits ? ex->names[t->awaits - 1] : NULL;
}

/* What the task awaits now: the leaf future_poll noted (exec_note_pending) in its poll. */
static void note_awaits(exec_t *ex, task_t *t, const char *leaf) {
    /* Most Pendings are at the same await as the last one: skip the table. */
    if (!t->awaits || ex->names[t->awaits - 1] != leaf) t->awaits = name_index(ex, leaf);
}

void exec_syscall(exec_t *ex, context_t *cx, const char *name, const char *call, const char *ret,
                  int fd, const char *host) {
    int64_t start = exec_now(ex);
    exec_advance(ex, ex->cfg.syscall_cost_ns);
    if (!ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_SLICE, TRACE_CAT_SYSCALL, name, exec_tid(ex), start, ex->cfg.syscall_cost_ns);
    trace_arg_str(ex->hot.trace, TRACE_ARG_CALL, call);
    trace_arg_str(ex->hot.trace, TRACE_ARG_RET, ret);
    if (fd >= 0) trace_arg_int(ex->hot.trace, TRACE_ARG_FD, fd);
    if (host) trace_arg_str(ex->hot.trace, TRACE_ARG_HOST, host);
    if (cx) trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, exec_task_id(cx->task));
    trace_end(ex->hot.trace);
}

static void lint_task(exec_t *ex, const task_t *t, const char *lint, const future_t *f, const char *detail) {
    if (!ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_LINT, lint, exec_tid(ex), exec_now(ex), 0);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, exec_task_id(t));
    if (f) trace_arg_int(ex->hot.trace, TRACE_ARG_FUTURE, (int64_t)f->id);
    if (f) trace_arg_str(ex->hot.trace, TRACE_ARG_FUTURE_NAME, f->vt->name);
    trace_arg_str(ex->hot.trace, TRACE_ARG_DETAIL, detail);
    trace_end(ex->hot.trace);
}

void exec_lint(exec_t *ex, context_t *cx, const char *lint, const future_t *f, const char *detail) {
    lint_task(ex, cx ? cx->task : NULL, lint, f, detail);
}

static __attribute__((noinline)) void trace_waker(exec_t *ex, const char *what, const task_t *t, const char *on) {
    if (!ex || !ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_WAKER, what, exec_tid(ex), exec_now(ex), 0);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, t->id);
    trace_arg_int(ex->hot.trace, TRACE_ARG_WAKERS, t->wakers);
    if (on) trace_arg_str(ex->hot.trace, TRACE_ARG_ON, on);
    trace_end(ex->hot.trace);
}

void exec_note_register(exec_t *ex, context_t *cx, const char *on) {
    if (cx && cx->task) trace_waker(ex, "register", cx->task, on);
}

/* ---------- wakers ---------- */

static const waker_vtable task_waker_vt;

static waker_t task_waker(task_t *t) { return (waker_t){.data = t, .vt = &task_waker_vt}; }

static waker_t tw_clone(const void *data) {
    task_t *t = (task_t *)data;
    t->refs++;
    t->wakers++;
    if (t->ex && t->ex->hot.trace) trace_waker(t->ex, "clone", t, NULL);
    return task_waker(t);
}

static inline void tw_drop(const void *data) {
    task_t *t = (task_t *)data;
    t->wakers--;
    if (t->ex && t->ex->hot.trace) trace_waker(t->ex, "drop", t, NULL);
    task_release(t);
}

static taskq *home_queue(exec_t *ex, task_t *t) {
    if (t->home >= 0) return &ex->th[t->home].q;
    /* A pool task woken on a worker stays on that worker's queue; otherwise the shared one. */
    if (ex->cur && ex->cur != &ex->th[0]) return &ex->cur->q;
    return &ex->shared;
}

/* The thread a task is pinned to: its OS thread, or an executor thread it holds in a
 * blocking call. Such a task is never in a queue: the thread runs it and nothing else. */
static vthread *pinned_thread(const exec_t *ex, const task_t *t) {
    vthread *th = t->home >= 0 ? thread_at(ex, t->home) : NULL;
    return th && (th->owner == t || th->blocked == t) ? th : NULL;
}

static int heap_before(const vthread *a, const vthread *b) {
    return a->heap_at < b->heap_at || (a->heap_at == b->heap_at && a->index < b->index);
}

static void heap_swap(exec_t *ex, size_t i, size_t j) {
    vthread *t = ex->rheap[i];
    ex->rheap[i] = ex->rheap[j];
    ex->rheap[j] = t;
}

static void heap_push(exec_t *ex, vthread *th, int64_t at) {
    if (th->in_heap) return;
    if (ex->rlen == ex->rcap) {
        size_t cap = ex->rcap ? ex->rcap * 2 : 64;
        vthread **h = realloc(ex->rheap, cap * sizeof *h);
        if (!h) return; /* out of memory: the thread never runs again, a reported deadlock */
        ex->rheap = h;
        ex->rcap = cap;
    }
    th->heap_at = at;
    th->in_heap = 1;
    size_t i = ex->rlen++;
    ex->rheap[i] = th;
    for (; i && heap_before(ex->rheap[i], ex->rheap[(i - 1) / 2]); i = (i - 1) / 2) heap_swap(ex, i, (i - 1) / 2);
}

static void heap_pop(exec_t *ex) {
    ex->rheap[0]->in_heap = 0;
    ex->rheap[0] = ex->rheap[--ex->rlen];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < ex->rlen && heap_before(ex->rheap[l], ex->rheap[m])) m = l;
        if (l + 1 < ex->rlen && heap_before(ex->rheap[l + 1], ex->rheap[m])) m = l + 1;
        if (m == i) return;
        heap_swap(ex, i, m);
        i = m;
    }
}

static __attribute__((noinline)) void enqueue_elsewhere(exec_t *ex, task_t *t, int64_t at) {
    vthread *pin = pinned_thread(ex, t);
    if (!pin) q_push(home_queue(ex, t), t);
    else if (pin->index >= ex->nthreads) heap_push(ex, pin, at > pin->time ? at : pin->time);
}

/* Inline: a task of an executor thread goes on that thread's queue unless it holds the
 * thread (a synchronous main, a blocking call); the rest (pool, OS threads) is out of line. */
static inline void enqueue(exec_t *ex, task_t *t, int64_t at, uint32_t flow) {
    t->state = TASK_QUEUED;
    t->ready_at = at;
    t->flow = flow;
    if (t->home >= 0 && t->home < ex->nthreads) {
        vthread *th = &ex->th[t->home];
        if (th->owner != t && th->blocked != t) q_push(&th->q, t);
    } else {
        enqueue_elsewhere(ex, t, at);
    }
}

static void trace_wake(exec_t *ex, const task_t *t, const char *by, int queued, uint64_t flow,
                       int64_t ts) {
    if (!ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_SLICE, TRACE_CAT_WAKE, TRACE_NAME_WAKE, exec_tid(ex), ts, ex->cfg.wake_cost_ns);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, t->id);
    trace_arg_str(ex->hot.trace, TRACE_ARG_BY, by ? by : "");
    trace_arg_bool(ex->hot.trace, TRACE_ARG_QUEUED, queued);
    if (flow) trace_flow(ex->hot.trace, flow, 1);
    trace_end(ex->hot.trace);
}

/* The real models: a wake from outside the thread (the reactor, a timer, another thread) of
 * a task on block_on's thread also wakes block_on (tokio: the LocalSet's waker, Shared::schedule;
 * async-executor: State::notify wakes the sleeping ticker, whose waker is block_on's), and
 * block_on polls its root future BEFORE it runs the woken task (tokio RunUntil::poll: the
 * future, then tick(); LocalExecutor::run: future.or(run_forever)). So the root goes in the
 * queue first. A wake from a poll on the thread itself does not (it is in the LocalSet's
 * context; the ticker is awake). */
static inline void wake_root(exec_t *ex, const task_t *t, int64_t at) {
    task_t *root = ex->root;
    if (ex->cfg.model == EXEC_MODEL_IDEAL || !root || root == t || t->home != 0 || ex->cur == &ex->th[0]) return;
    if (root->state != TASK_IDLE) return;
    ex->root_woken_by = t->id;
    enqueue(ex, root, at, 0);
}

/* The wakes that are not an idle task's with the trace off: a running task's (queued again
 * after its poll), a queued one's (nothing to do), and any wake while tracing. */
static __attribute__((noinline)) void wake_traced(exec_t *ex, task_t *t, const char *by, int64_t ts) {
    int queued = t->state == TASK_IDLE || (t->state == TASK_RUNNING && !t->rewake);
    uint32_t flow = queued && ex->hot.trace ? (uint32_t)trace_next_flow(ex->hot.trace) : 0;
    if (t->state == TASK_RUNNING && ex->cur_task == t) {
        t->rewake = 1;
        t->flow = flow;
        /* yield_now wakes its own task on purpose: that is how it yields (async-std's and tokio's
         * both wake_by_ref and return Pending); a lint there would call it a mistake */
        if (!by || strcmp(by, "yield_now"))
            lint_task(ex, t, TRACE_LINT_SELF_WAKE, t->root, "the task woke itself while it was being polled");
    } else if (t->state == TASK_RUNNING) {
        t->rewake = 1;
        t->flow = flow;
    } else if (t->state == TASK_IDLE) {
        wake_root(ex, t, exec_now(ex));
        enqueue(ex, t, exec_now(ex), flow);
    }
    trace_wake(ex, t, by, queued, flow, ts);
}

static void task_wake(task_t *t, const char *by) {
    exec_t *ex = t->ex;
    if (!ex) return;
    if (!ex->cur && ex->r && ex->os_time < ex->r->now) ex->os_time = ex->r->now;
    int64_t ts = exec_now(ex);
    exec_advance(ex, ex->cfg.wake_cost_ns);
    ex->st.wakes++;
    if (t == ex->root) ex->root_woken_by = 0; /* its own wake: a poll it asked for */
    if (t->state != TASK_IDLE || ex->hot.trace) {
        wake_traced(ex, t, by, ts);
        return;
    }
    wake_root(ex, t, exec_now(ex)); /* an idle task, the trace off: the common case, inline */
    enqueue(ex, t, exec_now(ex), 0);
}

/* The wake consumes this waker's reference after the wake: t lives through it. */
static void tw_wake(const void *data, const char *by) {
    task_wake((task_t *)data, by);
    tw_drop(data);
}

static void tw_wake_by_ref(const void *data, const char *by) { task_wake((task_t *)data, by); }

static const waker_vtable task_waker_vt = {tw_clone, tw_wake, tw_wake_by_ref, tw_drop};

/* ---------- JoinHandle ---------- */

static poll_t jh_poll(future_t *f, context_t *cx) {
    joinhandle_t *jh = (joinhandle_t *)f;
    task_t *t = jh->task;
    if (t->state == TASK_DONE) { /* finish_task copied the output in */
        /* async-std (async-executor >= 1.8 builds tasks with propagate_panic): awaiting the
         * handle of a task that panicked resumes that panic in the awaiting task. tokio: the
         * handle is Ready(Err(JoinError::Panic)), err NET_EPANIC. */
        if (t->panicked && exec_get_model(cx->ex) == EXEC_MODEL_ASYNC_STD)
            exec_panic(cx->ex, cx, f, "a spawned task panicked: its JoinHandle resumes the panic");
        return POLL_READY;
    }
    waker_store(&jh->joiner, &cx->waker);
    char on[48] = ""; /* trace text: formatted only when the trace is on */
    if (exec_trace(cx->ex)) trace_textf(on, sizeof on, "task %u finishing", t->id);
    exec_note_register(cx->ex, cx, on);
    f->at = "join";
    return POLL_PENDING;
}

static void jh_drop(future_t *f) {
    joinhandle_t *jh = (joinhandle_t *)f;
    waker_drop(&jh->joiner);
    if (jh->task) {
        jh->task->jh = NULL; /* detached: the task runs on, its output goes nowhere */
        task_release(jh->task);
    }
    jh->task = NULL;
}

static const future_vtable jh_vt = {"JoinHandle", jh_poll, jh_drop, sizeof(joinhandle_t)};

/* ---------- spawning ---------- */

static int track(exec_t *ex, task_t *t) {
    if (ex->nall == ex->capall) {
        size_t cap = ex->capall ? ex->capall * 2 : 64;
        task_t **a = realloc(ex->all, cap * sizeof *a);
        if (!a) return -1;
        ex->all = a;
        ex->capall = cap;
    }
    t->slot = (uint32_t)ex->nall;
    ex->all[ex->nall++] = t;
    return 0;
}

static void trace_spawn(exec_t *ex, const task_t *t, const char *name, const char *how, context_t *cx) {
    if (!ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_TASK, TRACE_NAME_SPAWN, exec_tid(ex), exec_now(ex), 0);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, t->id);
    trace_arg_str(ex->hot.trace, TRACE_ARG_NAME, name ? name : t->root->vt->name);
    trace_arg_str(ex->hot.trace, TRACE_ARG_HOW, how);
    if (cx && cx->task) trace_arg_int(ex->hot.trace, TRACE_ARG_PARENT_TASK, cx->task->id);
    else trace_arg_null(ex->hot.trace, TRACE_ARG_PARENT_TASK);
    trace_arg_int(ex->hot.trace, TRACE_ARG_FUTURE, (int64_t)t->root->id);
    if (t->root->detail) trace_arg_str(ex->hot.trace, TRACE_ARG_DETAIL, t->root->detail);
    trace_arg_int(ex->hot.trace, TRACE_ARG_BYTES, (int64_t)(sizeof(task_t) + t->root->size));
    trace_end(ex->hot.trace);
}

/* A `C` event: memory of the live tasks against the stacks of the live threads (S10). */
static void trace_memory(exec_t *ex) {
    if (!ex->hot.trace || !ex->cfg.memory_counters) return;
    trace_begin(ex->hot.trace, TRACE_PH_COUNTER, TRACE_CAT_MEMORY, TRACE_NAME_MEMORY, TRACE_TID_OS, exec_now(ex), 0);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASKS, (int64_t)ex->live_tasks);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK_BYTES, (int64_t)ex->live_bytes);
    trace_arg_int(ex->hot.trace, TRACE_ARG_THREADS, (int64_t)ex->live_threads);
    trace_arg_int(ex->hot.trace, TRACE_ARG_STACK_USED_BYTES, (int64_t)ex->live_threads * ex->cfg.stack_used);
    trace_arg_int(ex->hot.trace, TRACE_ARG_STACK_RESERVED_BYTES, (int64_t)ex->live_threads * ex->cfg.stack_reserved);
    trace_end(ex->hot.trace);
}

static void note_task_alive(exec_t *ex, const task_t *t, int alive) {
    uint64_t bytes = sizeof(task_t) + (t->root ? t->root->size : 0);
    if (alive) {
        ex->live_tasks++;
        ex->live_bytes += bytes;
    } else {
        ex->live_tasks--;
        ex->live_bytes -= bytes;
    }
    if (ex->live_tasks > ex->st.peak_tasks) {
        ex->st.peak_tasks = ex->live_tasks;
        ex->st.peak_task_bytes = ex->live_bytes;
    }
}

static task_t *task_alloc(exec_t *ex) {
    task_t *t = ex->free_tasks;
    if (!t) return calloc(1, sizeof *t);
    ex->free_tasks = t->next;
    memset(t, 0, sizeof *t);
    return t;
}

/* cell: f was made in a task cell (its header is ready in front of it); owned: the task
 * frees f (malloc'd by the caller). A cell's future is not freed by itself: the cell is. */
static task_t *task_new(exec_t *ex, future_t *f, int home, int owned, int cell) {
    task_t *t = cell ? (task_t *)f - 1 : task_alloc(ex);
    if (!t || track(ex, t) != 0) {
        if (!cell) free(t);
        return NULL;
    }
    t->ex = ex;
    t->root = f;
    f->owned = (uint8_t)(owned && !cell);
    t->id = (uint32_t)++ex->next_task;
    t->refs = 1;
    t->home = home;
    note_task_alive(ex, t, 1);
    ex->st.tasks++;
    ex->st.task_bytes += sizeof(task_t) + f->size;
    ex->st.task_header_bytes += sizeof(task_t);
    return t;
}

static int64_t spawn_common(exec_t *ex, context_t *cx, future_t *f, const char *name,
                            joinhandle_t *jh, int home, const char *how, int cell) {
    if (ex->cfg.max_tasks && ex->live_tasks >= ex->cfg.max_tasks) {
        ex->st.limit = 4; /* a runaway spawn loop: the run stops after this poll */
        return -1;
    }
    if (ex->cfg.max_task_bytes && ex->live_bytes + sizeof(task_t) + f->size > ex->cfg.max_task_bytes) {
        ex->st.limit = 6; /* large futures spawned many times: stop before the memory runs out */
        return -1;
    }
    task_t *t = task_new(ex, f, home, 1, cell);
    if (!t) return -1;
    if (ex->hot.trace) {
        trace_spawn(ex, t, name, how, cx);
        trace_memory(ex);
    }
    if (home >= ex->nthreads) thread_at(ex, home)->owner = t;
    enqueue(ex, t, exec_now(ex), 0);
    if (jh) {
        future_init(&jh->base, &jh_vt, ex, cx, f->detail);
        jh->task = t;
        jh->joiner = (waker_t){0};
        t->jh = jh;
        t->refs++;
    }
    return t->id;
}

static int64_t spawn_local(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh, int cell) {
    int home = exec_thread_index(ex);
    if (exec_thread_is_sync(ex)) return -1; /* no executor runs on a synchronous thread */
    return spawn_common(ex, cx, f, name, jh, home < 0 ? 0 : home, "spawn_local", cell);
}

int64_t exec_spawn_local(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh) {
    return spawn_local(ex, cx, f, name, jh, 0);
}

int64_t exec_spawn_local_cell(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh) {
    return spawn_local(ex, cx, f, name, jh, 1);
}

int64_t exec_spawn(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh) {
    if (ex->cfg.workers <= 0) return -1;
    return spawn_common(ex, cx, f, name, jh, -1, "spawn", 0);
}

static void trace_thread_name(exec_t *ex, const vthread *th) {
    if (!ex->hot.trace) return;
    trace_begin(ex->hot.trace, TRACE_PH_META, NULL, TRACE_NAME_THREAD_NAME, th->tid, 0, 0);
    trace_arg_str(ex->hot.trace, TRACE_ARG_NAME, th->name);
    trace_end(ex->hot.trace);
}

static vthread *os_thread_new(exec_t *ex, const char *kind) {
    if (ex->nos == ex->capos) {
        size_t cap = ex->capos ? ex->capos * 2 : 16;
        vthread **a = realloc(ex->os, cap * sizeof *a);
        if (!a) return NULL;
        ex->os = a;
        ex->capos = cap;
    }
    vthread *th = calloc(1, sizeof *th);
    if (!th) return NULL;
    char name[24];
    trace_textf(name, sizeof name, "%s %zu", kind, ex->nos + 1);
    thread_init(th, EXEC_OS_TID_BASE + (int)ex->nos, ex->nthreads + (int)ex->nos, name);
    ex->os[ex->nos++] = th;
    ex->st.threads++;
    if (++ex->live_threads > ex->st.peak_threads) ex->st.peak_threads = ex->live_threads;
    return th;
}

/* kind names the thread ("thread 3", "blocking 3"); how is the spawn's. */
static int64_t spawn_os_thread(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh,
                               const char *kind, const char *how) {
    char call[48] = ""; /* trace text: formatted only when the trace is on */
    if (ex->hot.trace) trace_textf(call, sizeof call, "clone(%s %zu)", kind, ex->nos + 1);
    exec_syscall(ex, cx, "clone", call, "0", -1, NULL);
    vthread *th = os_thread_new(ex, kind);
    if (!th) return -1;
    th->time = exec_now(ex);
    trace_thread_name(ex, th);
    return spawn_common(ex, cx, f, name, jh, th->index, how, 0);
}

int64_t exec_spawn_thread(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh) {
    return spawn_os_thread(ex, cx, f, name, jh, "thread", "thread");
}

int64_t exec_spawn_blocking(exec_t *ex, context_t *cx, future_t *f, const char *name, joinhandle_t *jh) {
    return spawn_os_thread(ex, cx, f, name, jh, "blocking", "spawn_blocking");
}

/* ---------- running one task ---------- */

/* An OS thread whose function returned exits: its stack is released. */
static void thread_exit(exec_t *ex, vthread *th) {
    th->alive = 0;
    th->owner = NULL;
    ex->live_threads--;
    if (ex->hot.trace) {
        trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_THREAD, TRACE_NAME_EXIT, th->tid, th->time, 0);
        trace_arg_str(ex->hot.trace, TRACE_ARG_THREAD, th->name);
        trace_end(ex->hot.trace);
    }
}

static void finish_task(exec_t *ex, task_t *t) {
    note_task_alive(ex, t, 0);
    t->state = TASK_DONE;
    if (ex->hot.trace) {
        trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_TASK, TRACE_NAME_FINISH, exec_tid(ex), exec_now(ex), 0);
        trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, t->id);
        trace_arg_int(ex->hot.trace, TRACE_ARG_POLLS, t->root->polls);
        trace_arg_int(ex->hot.trace, TRACE_ARG_ERR, t->root->err);
        trace_arg_int(ex->hot.trace, TRACE_ARG_VALUE, t->root->value);
        if (t->panicked) trace_arg_bool(ex->hot.trace, TRACE_ARG_PANICKED, 1);
        trace_end(ex->hot.trace);
    }
    if (t->jh) {
        t->jh->base.err = t->panicked ? NET_EPANIC : t->root->err;
        t->jh->base.value = t->root->value;
        /* Formatted only when someone waits: it was most of the cost of a task. */
        if (waker_is_set(&t->jh->joiner)) {
            char by[48] = "";
            if (ex->hot.trace) trace_textf(by, sizeof by, "task %u finished", t->id);
            waker_wake(&t->jh->joiner, by);
        }
    }
    /* The root future is dropped now (the output was copied): a finished task keeps only its
     * header until its JoinHandle is dropped (a task cell keeps its whole block until then,
     * as tokio's does). */
    future_drop(t->root);
    t->root = NULL;
    if (ex->cur && ex->cur->index >= ex->nthreads && ex->cur->owner == t) thread_exit(ex, ex->cur);
    if (ex->hot.trace) trace_memory(ex);
}

static void after_pending(exec_t *ex, task_t *t) {
    if (ex->block_req && ex->cur) {
        ex->cur->blocked = t;
        ex->cur->blocked_on = ex->block_req;
        if (t->home < 0) t->home = ex->cur->index; /* a pool task stays on the blocked worker */
    }
    if (t->rewake) {
        t->rewake = 0;
        uint32_t flow = t->flow;
        enqueue(ex, t, exec_now(ex), flow);
        return;
    }
    t->state = TASK_IDLE;
    if (t->wakers == 0)
        lint_task(ex, t, TRACE_LINT_LOST_WAKER, t->root,
                  "returned Pending but nobody holds its waker: it can never be woken");
}

static void run_task(exec_t *ex, vthread *th, task_t *t) {
    set_cur(ex, th);
    ex->cur_task = t;
    t->state = TASK_RUNNING;
    ex->hot.leaf = NULL;
    ex->hot.flow_in = t->flow;
    t->flow = 0;
    t->refs++; /* the poll may drop the last JoinHandle */
    ex->block_req = NULL;
    if (th->blocked == t) th->blocked = NULL; /* the blocking call returns in this poll */
    context_t cx = {.waker = task_waker(t), .ex = ex, .task = t, .current = NULL};
    ex->st.polls++;
    ex->poll_woken_by = t == ex->root ? ex->root_woken_by : 0;
    if (t == ex->root) ex->root_woken_by = 0;
    poll_t r = future_poll(t->root, &cx);
    if (ex->hot.leaf) note_awaits(ex, t, ex->hot.leaf);
    if (ex->hot.unwinding) { /* the panic reached the task: it ends here, with the panic as its output */
        ex->hot.unwinding = 0;
        t->panicked = 1;
        ex->st.panics++;
        r = POLL_READY;
    }
    ex->poll_woken_by = 0;
    if (r == POLL_READY) finish_task(ex, t);
    else after_pending(ex, t);
    if (th->index >= ex->nthreads && th->time > ex->os_latest) ex->os_latest = th->time;
    set_cur(ex, NULL);
    ex->cur_task = NULL;
    if (r == POLL_READY) task_release(t); /* the executor's own reference */
    task_release(t);
}

/* ---------- the loop ---------- */

typedef struct pick {
    vthread *th;
    taskq *q;     /* where the task comes from; NULL for a task pinned to th */
    task_t *task; /* that pinned task */
    int64_t at;
} pick;

static int64_t ready_time(const vthread *th, const taskq *q) {
    return q->head->ready_at > th->time ? q->head->ready_at : th->time;
}

/* Where a worker would take work from: its own queue, the shared queue, then stealing
 * from the longest other queue. */
static taskq *worker_source(exec_t *ex, vthread *th) {
    if (th->q.head) return &th->q;
    if (ex->shared.head) return &ex->shared;
    taskq *best = NULL;
    for (int i = 1; i < ex->nthreads; i++) {
        taskq *q = &ex->th[i].q;
        /* Only pool tasks move: a spawn_local task belongs to its thread. */
        if (&ex->th[i] != th && q->len > 1 && q->head->home < 0 && (!best || q->len > best->len)) best = q;
    }
    return best;
}

/* Phase 1: the virtual thread that can run a task earliest (ties: lowest thread). */
static pick pick_thread(exec_t *ex, vthread *th) {
    task_t *only = th->owner ? th->owner : th->blocked;
    if (only) {
        if (only->state != TASK_QUEUED) return (pick){0};
        return (pick){th, NULL, only, only->ready_at > th->time ? only->ready_at : th->time};
    }
    taskq *q = th->index == 0 ? (th->q.head ? &th->q : NULL) : worker_source(ex, th);
    return q ? (pick){th, q, NULL, ready_time(th, q)} : (pick){0};
}

/* OS threads are many (S10): the runnable ones are kept in a heap, not scanned. */
static __attribute__((noinline)) pick pick_scan(exec_t *ex) {
    pick p = {0};
    for (int i = 0; i < ex->nthreads; i++) {
        pick c = pick_thread(ex, &ex->th[i]);
        if (c.th && (!p.th || c.at < p.at)) p = c;
    }
    if (ex->rlen && (!p.th || ex->rheap[0]->heap_at < p.at)) {
        vthread *th = ex->rheap[0];
        p = (pick){th, NULL, th->owner, th->heap_at};
    }
    return p;
}

/* Only main can run a task from its queue (no pool, no OS thread ready, main not pinned):
 * most runs, and both benchmarks. Inline in the loop; everything else scans. */
static inline pick pick_next(exec_t *ex) {
    vthread *th = &ex->th[0];
    if (ex->nthreads == 1 && !ex->rlen && !th->owner && !th->blocked)
        return th->q.head ? (pick){th, &th->q, NULL, ready_time(th, &th->q)} : (pick){0};
    return pick_scan(ex);
}

/* until: why the park ends, or NULL when the wake of task woken ends it. */
static void trace_park(exec_t *ex, const vthread *th, int64_t from, int64_t to, const char *until,
                       const task_t *woken) {
    ex->st.parks++;
    if (!ex->hot.trace) return;
    char buf[48];
    if (!until) { /* the root polled for a sibling's wake: the sibling is what woke the thread */
        uint32_t id = woken == ex->root && ex->root_woken_by > 0 ? (uint32_t)ex->root_woken_by : woken->id;
        trace_textf(buf, sizeof buf, "task %u woken", id);
        until = buf;
    }
    trace_begin(ex->hot.trace, TRACE_PH_SLICE, TRACE_CAT_PARK, TRACE_NAME_PARK, th->tid, from, to - from);
    trace_arg_str(ex->hot.trace, TRACE_ARG_THREAD, th->name);
    trace_arg_str(ex->hot.trace, TRACE_ARG_UNTIL, until);
    trace_end(ex->hot.trace);
}

/* A thread waiting in a blocking system call: it cannot run anything else meanwhile. */
static void trace_blocked(exec_t *ex, const vthread *th, const task_t *t, int64_t from, int64_t to) {
    if (!ex->hot.trace) return;
    const char *what = th->owner ? (task_awaits(ex, t) ? task_awaits(ex, t) : "wait") : th->blocked_on;
    trace_begin(ex->hot.trace, TRACE_PH_SLICE, TRACE_CAT_BLOCKED, what, th->tid, from, to - from);
    trace_arg_str(ex->hot.trace, TRACE_ARG_THREAD, th->name);
    trace_arg_int(ex->hot.trace, TRACE_ARG_TASK, t->id);
    if (t->root && t->root->detail) trace_arg_str(ex->hot.trace, TRACE_ARG_DETAIL, t->root->detail);
    trace_end(ex->hot.trace);
}

/* Phase 3: run one task on the picked thread. A gap before it is time the thread slept,
 * or, for a pinned task, time it spent blocked in a system call. */
static inline void run_pick(exec_t *ex, pick p) {
    task_t *t = p.task ? p.task : q_pop(p.q);
    if (p.task && p.th->index >= ex->nthreads) heap_pop(ex);
    if (p.at > p.th->time) {
        if (p.task) trace_blocked(ex, p.th, t, p.th->time, p.at);
        else trace_park(ex, p.th, p.th->time, p.at, NULL, t);
        p.th->time = p.at;
        if (p.th->index == 0) ex->turns++;
    }
    run_task(ex, p.th, t);
}

/* Phase 2: nothing can run before the next event: fire it (the clock jumps). */
static int64_t latest_time(const exec_t *ex) {
    int64_t t = ex->os_time > ex->os_latest ? ex->os_time : ex->os_latest;
    for (int i = 0; i < ex->nthreads; i++) if (ex->th[i].time > t) t = ex->th[i].time;
    return t;
}

static void fire_events(exec_t *ex, int64_t due, int idle) {
    int64_t from = latest_time(ex);
    if (idle && ex->hot.trace && due > from) {
        trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_CLOCK, TRACE_NAME_JUMP, TRACE_TID_OS, due, 0);
        trace_arg_us(ex->hot.trace, TRACE_ARG_FROM, from);
        trace_arg_us(ex->hot.trace, TRACE_ARG_TO, due);
        trace_end(ex->hot.trace);
    }
    if (ex->os_time < due) ex->os_time = due;
    /* A turn starts when nothing could run: the events due within turn_ns of its first one
     * are read by the same epoll_wait (the thread takes about that long to wake up). */
    if (idle) ex->turn_until = exec_time_add(due, ex->cfg.turn_ns);
    reactor_fire_next(ex->r);
}

/* Real models: the event is due within the running reactor turn, so it is delivered before
 * the thread runs what the turn's first event woke (no poll runs before its wake: a task
 * is never picked before its ready time). */
static int in_turn(const exec_t *ex, int64_t due) {
    return ex->cfg.turn_ns && due != REACTOR_NEVER && due <= ex->turn_until;
}

static inline int over_limit(exec_t *ex, int64_t at) {
    if (ex->st.limit) return 1; /* a stop was requested */
    if (ex->cfg.max_polls && ex->st.polls >= ex->cfg.max_polls) ex->st.limit = 1;
    else if (ex->hot.trace && trace_full(ex->hot.trace)) ex->st.limit = 5;
    else if (at != REACTOR_NEVER && at >= ex->time_limit) ex->st.limit = 2; /* max_time_ns or EXEC_TIME_END */
    return ex->st.limit != 0;
}

static exec_result run_loop(exec_t *ex, task_t *root) {
    while (root->state != TASK_DONE) {
        pick p = pick_next(ex);
        int64_t due = ex->r ? reactor_next_due(ex->r) : REACTOR_NEVER;
        if (over_limit(ex, p.th ? p.at : due)) return EXEC_LIMIT; /* first: a stopped poll looks stuck */
        if (!p.th && due == REACTOR_NEVER) return EXEC_DEADLOCK;
        if (!p.th || due <= p.at || in_turn(ex, due)) fire_events(ex, due, !p.th);
        else run_pick(ex, p);
    }
    return root->panicked ? EXEC_PANIC : EXEC_OK; /* block_on resumes the root's panic */
}

static void trace_deadlock(exec_t *ex) {
    if (!ex->hot.trace) return;
    size_t cap = 256 + ex->nall * 160, n = 1;
    char *buf = malloc(cap);
    if (!buf) return;
    buf[0] = '[';
    for (size_t i = 0; i < ex->nall && n + 160 < cap; i++) {
        task_t *t = ex->all[i];
        if (t->state == TASK_DONE) continue;
        char name[64];
        trace_escape(name, sizeof name, exec_task_name(t));
        n += (size_t)snprintf(buf + n, cap - n, "%s{\"task\":%u,\"name\":\"%s\",\"awaits\":\"%s\",\"wakers\":%u}",
                              n > 1 ? "," : "", t->id, name, task_awaits(ex, t) ? task_awaits(ex, t) : "nothing", t->wakers);
    }
    snprintf(buf + n, cap - n, "]");
    /* found when the last poll has returned: after it, not at the last network event */
    trace_begin(ex->hot.trace, TRACE_PH_INSTANT, TRACE_CAT_RUN, TRACE_NAME_DEADLOCK, TRACE_TID_OS, latest_time(ex), 0);
    trace_arg_raw(ex->hot.trace, TRACE_ARG_TASKS, buf);
    trace_end(ex->hot.trace);
    free(buf);
}

/* Threads idle at the end slept until the run ended; threads still blocked (a deadlock)
 * stayed blocked. */
static void close_thread(exec_t *ex, vthread *th, int64_t end) {
    task_t *only = th->owner ? th->owner : th->blocked;
    if (th->alive && th->time < end) {
        if (only) trace_blocked(ex, th, only, th->time, end);
        else if (th->index < ex->nthreads) trace_park(ex, th, th->time, end, "the run ended", NULL);
    }
    if (th->alive) th->time = end;
}

static void close_run(exec_t *ex, int64_t start, const char *exec_name) {
    int64_t end = latest_time(ex);
    for (int i = 0; i < ex->nthreads; i++) close_thread(ex, &ex->th[i], end);
    for (size_t i = 0; i < ex->nos; i++) close_thread(ex, ex->os[i], end);
    ex->st.end_ns = end;
    if (ex->hot.trace) {
        trace_begin(ex->hot.trace, TRACE_PH_SLICE, TRACE_CAT_EXECUTOR, exec_name, ex->th[0].tid, start, end - start);
        trace_arg_int(ex->hot.trace, TRACE_ARG_TASKS, (int64_t)ex->st.tasks);
        trace_end(ex->hot.trace);
    }
}

static exec_result run_root(exec_t *ex, future_t *root, const char *name, const char *exec_name,
                            exec_result (*loop)(exec_t *, task_t *)) {
    int64_t start = ex->th[0].time;
    task_t *t = task_new(ex, root, 0, 0, 0);
    if (!t) return EXEC_LIMIT;
    int sync = strcmp(exec_name, "sync") == 0;
    if (sync) ex->th[0].owner = t;
    if (ex->want_root) ex->root = t;
    trace_spawn(ex, t, name, sync ? "main" : "block_on", NULL);
    trace_memory(ex);
    enqueue(ex, t, start, 0);
    t->refs++; /* ours, until the end of block_on */
    exec_result r = loop(ex, t);
    if (r == EXEC_DEADLOCK) trace_deadlock(ex);
    close_run(ex, start, exec_name);
    ex->root = NULL;
    if (r == EXEC_OK || r == EXEC_PANIC) task_release(t);
    return r;
}

exec_result exec_block_on(exec_t *ex, future_t *root, const char *name) {
    ex->want_root = 1;
    return run_root(ex, root, name, "block_on", run_loop);
}

exec_result exec_run_sync(exec_t *ex, future_t *root, const char *name) {
    exec_result r = run_root(ex, root, name, "sync", run_loop);
    ex->th[0].owner = NULL;
    return r;
}

/* The busy executor of S9: it never parks. When nothing is queued it polls the root anyway,
 * each poll costing CPU time, and only then lets the clock reach the next event. */
static exec_result busy_loop(exec_t *ex, task_t *root) {
    while (root->state != TASK_DONE) {
        pick p = pick_next(ex);
        int64_t due = ex->r ? reactor_next_due(ex->r) : REACTOR_NEVER;
        if (over_limit(ex, p.th ? p.at : ex->th[0].time)) return EXEC_LIMIT;
        if (p.th && p.at < due) run_pick(ex, p);
        else if (due != REACTOR_NEVER && due <= ex->th[0].time) fire_events(ex, due, 0);
        else if (root->state != TASK_IDLE) {
            if (p.th) run_pick(ex, p);
            else fire_events(ex, due, 0);
        } else if (due == REACTOR_NEVER && !p.th) {
            return EXEC_DEADLOCK;
        } else {
            /* Spin: poll the root although nobody woke it; the poll's cost is how the
             * virtual clock reaches the next event. */
            run_task(ex, &ex->th[0], root);
        }
    }
    return root->panicked ? EXEC_PANIC : EXEC_OK;
}

exec_result exec_busy_poll(exec_t *ex, future_t *root, const char *name) {
    return run_root(ex, root, name, "busy_poll", busy_loop);
}

void exec_report_deadlock(exec_t *ex, FILE *out) {
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < ex->nall; i++) {
        task_t *t = ex->all[i];
        if (t->state == TASK_DONE) continue;
        if (shown == EXEC_REPORT_MAX) { more++; continue; } /* a short report, however many are stuck */
        shown++;
        fprintf(out, "  task %u (%s%s%s) awaits %s; %u waker%s can wake it%s\n", t->id, exec_task_name(t),
                t->root && t->root->detail ? " " : "", t->root && t->root->detail ? t->root->detail : "",
                task_awaits(ex, t) ? task_awaits(ex, t) : "nothing (never polled)", t->wakers, t->wakers == 1 ? "" : "s",
                t->wakers == 0 ? " — lost wake-up" : "");
    }
    if (more) fprintf(out, "  ... and %zu more stuck task%s (the trace's deadlock event lists every one)\n", more, more == 1 ? "" : "s");
}
