#include "bench/bench_task.h"

#include <stdlib.h>

#include "bench/bench.h"
#include "sim/exec.h"

/* A fresh executor for one benchmark run: no reactor, and no poll limit (the default limit
 * guards scenarios against runaway loops; a benchmark runs millions of polls on purpose). */
static exec_t *bench_exec(trace_t *t) {
    exec_config cfg;
    exec_config_default(&cfg);
    cfg.max_polls = 0;
    return exec_new(&cfg, NULL, t);
}

/* Runs root under block_on and times it; root stays owned by the caller. */
static bench_task_run run_timed(exec_t *ex, future_t *root, const char *name, trace_t *t) {
    bench_task_run run = {0};
    uint64_t ev0 = trace_events(t);
    uint64_t t0 = bench_now_ns();
    exec_result res = exec_block_on(ex, root, name);
    run.ns = bench_now_ns() - t0;
    run.events = trace_events(t) - ev0;
    run.ok = res == EXEC_OK && root->err == 0;
    return run;
}

/* Drops a root future and frees it. Roots live on the heap, not the stack: future_drop() may
 * free() an owned future, and under link-time optimisation gcc warns (-Wfree-nonheap-object)
 * when it sees that path reach a stack object, although owned is 0 for a root. */
static void root_free(future_t *f) {
    if (f && f->vt) future_drop(f);
    free(f);
}

/* ---------- create: spawn + run to completion ---------- */

typedef struct create_root {
    future_t base;
    long n, batch;      /* tasks to run, and at most this many alive at once */
    long spawned;       /* so far */
    long live;          /* tasks of the current batch not finished yet */
    uint64_t completed;
    waker_t waker;      /* the root's own, woken by the last task of a batch */
} create_root;

/* The smallest task body: Ready at its first poll. */
typedef struct unit_future {
    future_t base;
    create_root *root;
} unit_future;

static poll_t unit_poll(future_t *f, context_t *cx) {
    (void)cx;
    create_root *r = ((unit_future *)f)->root;
    r->completed++;
    if (--r->live == 0) waker_wake(&r->waker, "the batch finished");
    return POLL_READY;
}

static const future_vtable unit_vt = {"unit", unit_poll, NULL, sizeof(unit_future)};

static long spawn_units(create_root *r, context_t *cx) {
    long k = r->n - r->spawned < r->batch ? r->n - r->spawned : r->batch, i;
    for (i = 0; i < k; i++) {
        unit_future *u = exec_cell_new(cx->ex, sizeof *u); /* the task's header and its future: one block */
        if (!u) break;
        future_init(&u->base, &unit_vt, cx->ex, cx, NULL);
        u->root = r;
        if (exec_spawn_local_cell(cx->ex, cx, &u->base, "unit", NULL) < 0) {
            exec_cell_free(cx->ex, u);
            break;
        }
        r->live++;
        r->spawned++;
    }
    return i;
}

static poll_t create_poll(future_t *f, context_t *cx) {
    create_root *r = (create_root *)f;
    if (r->live > 0 || r->spawned < r->n) {
        /* Spawned tasks only run after this poll returns, so the waker is stored in time. */
        if (r->live == 0 && spawn_units(r, cx) == 0) {
            f->err = -1; /* out of memory: stop rather than wait forever */
            return POLL_READY;
        }
        waker_store(&r->waker, &cx->waker);
        return POLL_PENDING;
    }
    return POLL_READY;
}

static void create_drop(future_t *f) { waker_drop(&((create_root *)f)->waker); }

static const future_vtable create_vt = {"bench_create", create_poll, create_drop, sizeof(create_root)};

bench_task_run bench_task_create(long n, long batch, trace_t *t) {
    exec_t *ex = bench_exec(t);
    create_root *r = calloc(1, sizeof *r); /* on the heap: see root_free */
    bench_task_run run = {0};
    if (ex && r) {
        *r = (create_root){.n = n, .batch = batch > 0 ? batch : 1};
        future_init(&r->base, &create_vt, ex, NULL, NULL);
        run = run_timed(ex, &r->base, "bench_create", t);
        run.count = r->completed;
    }
    root_free(r ? &r->base : NULL);
    exec_free(ex);
    return run;
}

/* ---------- switch: ping-pong through wakers ---------- */

typedef struct pingpong {
    long left;          /* handoffs still to make */
    uint64_t handoffs;  /* made so far */
    int turn;           /* the side that may go */
    waker_t w[2];       /* each side's waker, cloned when it waits */
} pingpong;

typedef struct pp_future {
    future_t base;
    pingpong *pp;
    int side;
} pp_future;

/* One handoff: take the turn, give it to the other side by waking its waker, and wait. */
static poll_t pp_poll(future_t *f, context_t *cx) {
    pp_future *p = (pp_future *)f;
    pingpong *pp = p->pp;
    int me = p->side, other = !me;
    if (pp->turn != me) {
        waker_store(&pp->w[me], &cx->waker);
        return POLL_PENDING;
    }
    pp->turn = other;
    if (pp->left == 0) {
        waker_drop(&pp->w[me]);
        waker_wake(&pp->w[other], "the game is over");
        return POLL_READY;
    }
    pp->left--;
    pp->handoffs++;
    waker_store(&pp->w[me], &cx->waker);
    waker_wake(&pp->w[other], "your turn");
    return POLL_PENDING;
}

static const future_vtable pp_vt = {"ping_pong", pp_poll, NULL, sizeof(pp_future)};

typedef struct switch_root {
    future_t base;
    pingpong pp;
    joinhandle_t jh[2];
    int spawned;        /* handles initialised */
    int next;           /* the handle being awaited */
} switch_root;

static int spawn_side(switch_root *s, context_t *cx, int side) {
    pp_future *p = malloc(sizeof *p);
    if (!p) return -1;
    future_init(&p->base, &pp_vt, cx->ex, cx, side ? "pong" : "ping");
    p->pp = &s->pp;
    p->side = side;
    if (exec_spawn_local(cx->ex, cx, &p->base, side ? "pong" : "ping", &s->jh[side]) < 0) {
        free(p);
        return -1;
    }
    s->spawned++;
    return 0;
}

static poll_t switch_poll(future_t *f, context_t *cx) {
    switch_root *s = (switch_root *)f;
    if (s->spawned == 0 && (spawn_side(s, cx, 0) != 0 || spawn_side(s, cx, 1) != 0)) {
        f->err = -1;
        return POLL_READY;
    }
    for (; s->next < 2; s->next++)
        if (future_poll(&s->jh[s->next].base, cx) == POLL_PENDING) return POLL_PENDING;
    return POLL_READY;
}

static void switch_drop(future_t *f) {
    switch_root *s = (switch_root *)f;
    for (int i = 0; i < s->spawned; i++) future_drop(&s->jh[i].base);
    waker_drop(&s->pp.w[0]);
    waker_drop(&s->pp.w[1]);
}

static const future_vtable switch_vt = {"bench_switch", switch_poll, switch_drop, sizeof(switch_root)};

bench_task_run bench_task_switch(long switches, trace_t *t) {
    exec_t *ex = bench_exec(t);
    switch_root *s = calloc(1, sizeof *s);
    bench_task_run run = {0};
    if (ex && s) {
        *s = (switch_root){.pp = {.left = switches}};
        future_init(&s->base, &switch_vt, ex, NULL, NULL);
        run = run_timed(ex, &s->base, "bench_switch", t);
        run.count = s->pp.handoffs;
    }
    root_free(s ? &s->base : NULL);
    exec_free(ex);
    return run;
}

/* ---------- memory: bytes per pending task ---------- */

typedef struct idle_future idle_future;

typedef struct mem_root {
    future_t base;
    long n;
    long spawned, pending, finished;
    int phase;             /* 0 spawn, 1 measure and release, 2 done */
    int released;          /* the idle tasks may finish */
    idle_future **idle;    /* borrowed pointers to the tasks' futures, to wake them */
    waker_t waker;
    long heap0, rss0;
    uint64_t bytes0;       /* exec_stats.task_bytes before spawning */
    bench_task_mem *out;
} mem_root;

/* A task waiting for something, as a connection waits for data: it keeps its waker. */
struct idle_future {
    future_t base;
    waker_t waker;
    mem_root *root;
};

static poll_t idle_poll(future_t *f, context_t *cx) {
    idle_future *i = (idle_future *)f;
    mem_root *r = i->root;
    if (!r->released) {
        waker_store(&i->waker, &cx->waker);
        if (++r->pending == r->spawned) waker_wake(&r->waker, "every task is pending");
        return POLL_PENDING;
    }
    if (++r->finished == r->spawned) waker_wake(&r->waker, "every task finished");
    return POLL_READY;
}

static void idle_drop(future_t *f) { waker_drop(&((idle_future *)f)->waker); }

static const future_vtable idle_vt = {"idle", idle_poll, idle_drop, sizeof(idle_future)};

static void mem_spawn(mem_root *r, context_t *cx) {
    r->heap0 = bench_heap_bytes();
    r->rss0 = bench_rss_bytes();
    r->bytes0 = exec_get_stats(cx->ex).task_bytes;
    for (; r->spawned < r->n; r->spawned++) {
        idle_future *i = malloc(sizeof *i);
        if (!i) break;
        future_init(&i->base, &idle_vt, cx->ex, cx, NULL);
        i->waker = (waker_t){0};
        i->root = r;
        if (exec_spawn_local(cx->ex, cx, &i->base, "idle", NULL) < 0) {
            free(i);
            break;
        }
        r->idle[r->spawned] = i;
    }
}

/* Every task is pending now: measure, then wake them all so they finish. */
static void mem_measure(mem_root *r, context_t *cx) {
    bench_task_mem *o = r->out;
    o->pending = (uint64_t)r->pending;
    o->heap_delta = bench_heap_bytes() - r->heap0;
    o->rss_delta = bench_rss_bytes() - r->rss0;
    o->accounted = exec_get_stats(cx->ex).task_bytes - r->bytes0;
    r->released = 1;
    for (long k = 0; k < r->spawned; k++) waker_wake(&r->idle[k]->waker, "released");
}

static poll_t mem_poll(future_t *f, context_t *cx) {
    mem_root *r = (mem_root *)f;
    if (r->phase == 0) {
        mem_spawn(r, cx);
        if (r->spawned == 0) return POLL_READY;
        r->phase = 1;
    } else if (r->phase == 1 && r->pending == r->spawned) {
        mem_measure(r, cx);
        r->phase = 2;
    } else if (r->phase == 2 && r->finished == r->spawned) {
        return POLL_READY;
    }
    waker_store(&r->waker, &cx->waker);
    return POLL_PENDING;
}

static void mem_drop(future_t *f) { waker_drop(&((mem_root *)f)->waker); }

static const future_vtable mem_vt = {"bench_memory", mem_poll, mem_drop, sizeof(mem_root)};

bench_task_mem bench_task_memory(long n, trace_t *t) {
    bench_task_mem out = {.header_bytes = exec_task_header_size(), .future_bytes = sizeof(idle_future)};
    exec_t *ex = bench_exec(t);
    idle_future **idle = n > 0 ? calloc((size_t)n, sizeof *idle) : NULL;
    mem_root *r = calloc(1, sizeof *r);
    if (ex && idle && r) {
        *r = (mem_root){.n = n, .idle = idle, .out = &out};
        future_init(&r->base, &mem_vt, ex, NULL, NULL);
        exec_result res = exec_block_on(ex, &r->base, "bench_memory");
        out.ok = res == EXEC_OK && r->spawned == n && out.pending == (uint64_t)n;
    }
    root_free(r ? &r->base : NULL);
    free(idle);
    exec_free(ex);
    return out;
}
