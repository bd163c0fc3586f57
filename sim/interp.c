#include "sim/interp.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/leaf.h"

/* ---------- the async mutex (futures::lock::Mutex) ---------- */

typedef struct amutex {
    const char *name;   /* from the scenario */
    int locked;
    waker_t *waiters;   /* FIFO of the tasks waiting to lock it */
    int nwait, capwait;
} amutex;

struct interp {
    scenario *s;
    exec_t *ex;
    net_t *net;
    future_t *entry;    /* the entry frame, owned */
    amutex *mutexes;
    int nmutexes;
    int64_t steps;      /* steps run so far, against s->max_steps */
};

typedef struct lock_future {
    future_t base;
    amutex *m;
} lock_future;

/* A future that drops the waker it was given instead of keeping it: a lost wake-up. */
typedef struct drop_waker_future { future_t base; } drop_waker_future;

/* ---------- frames ---------- */

enum sub_kind { SUB_NONE, SUB_LEAF, SUB_FN };
enum step_result { STEP_NEXT, STEP_JUMPED, STEP_PENDING, STEP_FAILED };

typedef struct tlocal { const char *key; scn_value v; } tlocal;

/* One call of a scenario function. The locals and the awaited future follow the header in
 * the same allocation (mem): fn->frame_size bytes in all. */
typedef struct frame {
    future_t base;        /* Ready: err (an error passed on by `?`), or value */
    interp_t *ip;
    const scn_fn *fn;
    int pc;               /* the resume point: the step to run next */
    int sub_pc;           /* the step whose future is in sub, -1 if none */
    int fd;               /* the socket this call holds (connect/accept, or its "socket" param) */
    uint8_t sub_kind;
    uint8_t owns_fd;      /* it opened fd: it closes it when dropped */
    joinhandle_t **handles; /* the JoinHandles of what it spawned, in order */
    int nhandles, caphandles, joined;
    tlocal *tl;           /* task-locals, kept in a task's root frame */
    int ntl;
    scn_value *locals;    /* fn->nlocals, in mem */
    future_t *sub;        /* the awaited future, in mem */
    max_align_t mem[];
} frame;

static size_t align_up(size_t n) { return (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t); }

static size_t locals_bytes(const scn_fn *f) { return align_up((size_t)f->nlocals * sizeof(scn_value)); }

static size_t leaf_size(leaf_kind k) {
    switch (k) {
    case LEAF_CONNECT: return sizeof(connect_future);
    case LEAF_WRITE_ALL: return sizeof(write_all_future);
    case LEAF_READ_TO_STRING: return sizeof(read_to_string_future);
    case LEAF_READ: return sizeof(read_future);
    case LEAF_SLEEP: return sizeof(sleep_future);
    case LEAF_YIELD_NOW: return sizeof(yield_future);
    case LEAF_ACCEPT: return sizeof(accept_future);
    case LEAF_LOCK: return sizeof(lock_future);
    case LEAF_DROP_WAKER: return sizeof(drop_waker_future);
    default: return 0; /* joins await the handles, which live outside the frame */
    }
}

/* A frame embeds the largest future it awaits: sizes are set in the loader's await order,
 * callees first, so no recursion follows the (possibly long) await chains. */
static void frame_size(scenario *s, int fn) {
    scn_fn *f = &s->fns[fn];
    size_t sub = 0;
    for (int i = 0; i < f->nbody; i++) {
        const step *st = &f->body[i];
        size_t n = st->kind == STEP_AWAIT ? leaf_size(st->leaf) : st->kind == STEP_AWAIT_FN ? s->fns[st->fn].frame_size : 0;
        if (n > sub) sub = n;
    }
    f->sub_size = align_up(sub);
    f->frame_size = offsetof(frame, mem) + locals_bytes(f) + f->sub_size;
}

size_t interp_frame_size(const scenario *s, int fn) { return s->fns[fn].frame_size; }

static poll_t frame_poll(future_t *self, context_t *cx);
static void frame_drop(future_t *self);

static uint16_t col16(int c) { return c > 0 && c <= 0xFFFF ? (uint16_t)c : 0; }

/* The step a future stands at, for the viewer: its line, and the columns of its expression. */
static void set_place(future_t *f, const step *s) {
    f->line = s->line;
    f->col = col16(s->col);
    f->end_col = s->end_col > s->col ? col16(s->end_col) : 0;
}

/* ---------- helpers ---------- */

static scn_value ev(const frame *f, const operand *o) {
    if (o->slot == SCN_SLOT_SOCKET) return (scn_value){NULL, f->fd};
    return scenario_eval(o, f->locals);
}

/* A value as the trace shows it. */
static void value_text(scn_value v, char *out, size_t cap) {
    if (!v.j) snprintf(out, cap, "%lld", (long long)v.i);
    else if (cJSON_IsString(v.j)) snprintf(out, cap, "%s", v.j->valuestring);
    else if (cJSON_IsNumber(v.j)) snprintf(out, cap, "%g", v.j->valuedouble);
    else snprintf(out, cap, "%s", cJSON_IsNull(v.j) ? "null" : "(value)");
}

static void trace_compute(exec_t *ex, context_t *cx, int64_t start, int64_t dur, int line, const char *why) {
    trace_t *t = exec_trace(ex);
    if (!t) return;
    trace_begin(t, TRACE_PH_SLICE, TRACE_CAT_COMPUTE, TRACE_NAME_COMPUTE, exec_tid(ex), start, dur);
    trace_arg_int(t, TRACE_ARG_TASK, exec_task_id(cx ? cx->task : NULL));
    trace_arg_us(t, TRACE_ARG_MS, dur / 1000);
    if (line) trace_arg_int(t, TRACE_ARG_LINE, line);
    if (why) trace_arg_str(t, TRACE_ARG_WHY, why);
    trace_end(t);
}

static void trace_note(exec_t *ex, context_t *cx, const step *s) {
    trace_t *t = exec_trace(ex);
    if (!t) return;
    trace_begin(t, TRACE_PH_INSTANT, TRACE_CAT_NOTE, TRACE_NAME_NOTE, exec_tid(ex), exec_now(ex), 0);
    trace_arg_int(t, TRACE_ARG_TASK, exec_task_id(cx ? cx->task : NULL));
    trace_arg_str(t, TRACE_ARG_TEXT, s->name);
    if (s->name_ko) trace_arg_str(t, TRACE_ARG_TEXT_KO, s->name_ko);
    if (s->line) trace_arg_int(t, TRACE_ARG_LINE, s->line);
    trace_end(t);
}

static void trace_local(exec_t *ex, context_t *cx, const char *which, const char *op, const char *key,
                        const char *value, int line) {
    trace_t *t = exec_trace(ex);
    if (!t) return;
    trace_begin(t, TRACE_PH_INSTANT, TRACE_CAT_LOCAL, which, exec_tid(ex), exec_now(ex), 0);
    trace_arg_str(t, TRACE_ARG_OP, op);
    trace_arg_str(t, TRACE_ARG_KEY, key);
    trace_arg_str(t, TRACE_ARG_VALUE, value);
    trace_arg_str(t, TRACE_ARG_THREAD, exec_thread_name(ex));
    trace_arg_int(t, TRACE_ARG_TASK, exec_task_id(cx ? cx->task : NULL));
    if (line) trace_arg_int(t, TRACE_ARG_LINE, line);
    trace_end(t);
}

/* Work without an await: the thread is busy and nothing else runs on it (S7). */
static void do_compute(frame *f, const step *s, context_t *cx, const char *why) {
    exec_t *ex = f->ip->ex;
    int64_t start = exec_now(ex), dur = scenario_value_ms_ns(ev(f, &s->a));
    exec_advance(ex, dur);
    trace_compute(ex, cx, start, dur, s->line, why);
}

/* Steps that run when a function is called, before its future exists (S5). */
static void run_call_time(frame *f, context_t *cx) {
    for (int i = 0; i < f->fn->ncall_time; i++) {
        const step *s = &f->fn->call_time[i];
        if (s->kind == STEP_COMPUTE) do_compute(f, s, cx, "call time: before the future is returned");
        else if (s->kind == STEP_NOTE) trace_note(f->ip->ex, cx, s);
    }
}

/* The call of an async fn: the state is made, the body does not run. */
static void frame_init(frame *f, interp_t *ip, int fn, context_t *cx, const frame *caller, const step *call) {
    const scn_fn *d = &ip->s->fns[fn];
    memset(f, 0, offsetof(frame, mem));
    f->ip = ip;
    f->fn = d;
    f->sub_pc = -1;
    f->fd = -1;
    f->locals = (scn_value *)(void *)f->mem;
    f->sub = (future_t *)(void *)((char *)f->mem + locals_bytes(d));
    for (int i = 0; i < d->nparams; i++) {
        const operand *o = call ? &call->args[i] : &ip->s->entry_args[i];
        f->locals[i] = caller ? ev(caller, o) : scenario_eval(o, NULL);
        if (!strcmp(d->locals[i], "socket")) { /* the socket moves into the call */
            f->fd = (int)scenario_value_int(f->locals[i], -1);
            f->owns_fd = f->fd >= 0;
        }
    }
    /* A plain fn returning an async block does its call-time work first; the block's
     * future exists only when the fn returns it (S5). */
    run_call_time(f, cx);
    const char *detail = d->detail >= 0 ? scenario_value_str(f->locals[d->detail], NULL) : NULL;
    future_init(&f->base, &d->vt, ip->ex, cx, detail);
    f->base.line = d->line;
    f->base.async_fn = 1;
}

static frame *frame_new(interp_t *ip, int fn, context_t *cx, const frame *caller, const step *call) {
    frame *f = malloc(ip->s->fns[fn].frame_size);
    if (f) frame_init(f, ip, fn, cx, caller, call);
    return f;
}

/* ---------- leaf futures the interpreter adds ---------- */

static amutex *find_mutex(interp_t *ip, const char *name) {
    for (int i = 0; i < ip->nmutexes; i++)
        if (!strcmp(ip->mutexes[i].name, name)) return &ip->mutexes[i];
    amutex *a = realloc(ip->mutexes, (size_t)(ip->nmutexes + 1) * sizeof *a);
    if (!a) return NULL;
    ip->mutexes = a;
    a[ip->nmutexes] = (amutex){.name = name};
    return &a[ip->nmutexes++];
}

static poll_t lock_poll(future_t *self, context_t *cx) {
    amutex *m = ((lock_future *)self)->m;
    if (!m->locked) {
        m->locked = 1;
        return POLL_READY;
    }
    if (m->nwait == m->capwait) {
        int cap = m->capwait ? m->capwait * 2 : 4;
        waker_t *w = realloc(m->waiters, (size_t)cap * sizeof *w);
        if (!w) return POLL_PENDING;
        m->waiters = w;
        m->capwait = cap;
    }
    m->waiters[m->nwait++] = waker_clone(&cx->waker);
    exec_note_register(cx->ex, cx, m->name);
    self->at = "locking";
    return POLL_PENDING;
}

static const future_vtable lock_vt = {"lock", lock_poll, NULL, sizeof(lock_future)};

static void mutex_unlock(amutex *m, const context_t *cx) {
    m->locked = 0;
    if (!m->nwait) return;
    waker_t w = m->waiters[0];
    memmove(m->waiters, m->waiters + 1, (size_t)--m->nwait * sizeof *m->waiters);
    char by[80] = ""; /* trace text: formatted only when the trace is on */
    if (exec_trace(cx->ex)) trace_textf(by, sizeof by, "mutex %s unlocked", m->name);
    waker_wake(&w, by);
}

static poll_t drop_waker_poll(future_t *self, context_t *cx) {
    waker_t w = waker_clone(&cx->waker);
    waker_drop(&w); /* the bug: nobody will ever wake this task */
    self->at = "forgot its waker";
    return POLL_PENDING;
}

static const future_vtable drop_waker_vt = {"drop_waker", drop_waker_poll, NULL, sizeof(drop_waker_future)};

/* ---------- awaiting ---------- */

static void drop_sub(frame *f) {
    if (f->sub_kind == SUB_NONE) return;
    /* A connect still in progress owns its socket. */
    if (f->sub_kind == SUB_LEAF && !f->sub->done && !strcmp(f->sub->vt->name, "connect")) {
        connect_future *c = (connect_future *)f->sub;
        if (c->fd >= 0) net_close(f->ip->net, NULL, c->fd);
    }
    future_drop(f->sub);
    f->sub_kind = SUB_NONE;
    f->sub_pc = -1;
}

static int64_t request_len(const frame *f, const step *s) {
    const char *path = scenario_value_str(ev(f, &s->b), "/");
    const char *host = net_fd_host(f->ip->net, f->fd);
    char req[320];
    return snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host ? host : "");
}

static void start_leaf(frame *f, const step *s, context_t *cx) {
    net_t *net = f->ip->net;
    void *m = f->sub;
    switch (s->leaf) {
    case LEAF_CONNECT: {
        scn_value port = ev(f, &s->b);
        connect_future_init(m, cx, net, scenario_value_str(ev(f, &s->a), ""),
                            (int)(port.j || port.i ? scenario_value_int(port, 80) : 80));
        break;
    }
    case LEAF_WRITE_ALL:
        write_all_future_init(m, cx, net, f->fd, s->b.lit || s->b.slot != -1 ? request_len(f, s)
                                                  : scenario_value_int(ev(f, &s->a), 0));
        break;
    case LEAF_READ_TO_STRING: read_to_string_future_init(m, cx, net, f->fd); break;
    case LEAF_READ: read_future_init(m, cx, net, f->fd, s->a.lit || s->a.slot != -1 ? scenario_value_int(ev(f, &s->a), 0) : 0); break;
    case LEAF_SLEEP: sleep_future_init(m, f->ip->ex, cx, scenario_value_ms_ns(ev(f, &s->a))); break;
    case LEAF_YIELD_NOW: yield_future_init(m, cx); break;
    case LEAF_ACCEPT: accept_future_init(m, cx, net); break;
    case LEAF_LOCK:
        future_init(m, &lock_vt, cx->ex, cx, s->name);
        ((lock_future *)m)->m = find_mutex(f->ip, s->name);
        break;
    default: future_init(m, &drop_waker_vt, cx->ex, cx, NULL); break;
    }
}

static void start_sub(frame *f, const step *s, context_t *cx) {
    drop_sub(f);
    if (s->kind == STEP_AWAIT_FN) {
        frame_init((frame *)f->sub, f->ip, s->fn, cx, f, s);
        f->sub_kind = SUB_FN;
        for (int i = 0; i < s->argc; i++)
            if (s->args[i].slot == SCN_SLOT_SOCKET) f->owns_fd = 0; /* moved into the callee */
    } else {
        start_leaf(f, s, cx);
        f->sub_kind = SUB_LEAF;
    }
    f->sub->fused = (uint8_t)s->fuse;
    /* a leaf shows the await that polls it; a called fn its own first line, if it has one */
    if (s->kind != STEP_AWAIT_FN || !f->sub->line) set_place(f->sub, s);
    f->sub_pc = f->pc;
}

/* What a finished await leaves in the frame: a socket, or an error for `?`. */
static int await_done(frame *f, const step *s) {
    future_t *sub = f->sub;
    if (sub->err) {
        f->base.err = sub->err;
        return STEP_FAILED;
    }
    f->base.value = sub->value;
    if (s->kind == STEP_AWAIT && (s->leaf == LEAF_CONNECT || s->leaf == LEAF_ACCEPT)) {
        f->fd = (int)sub->value;
        f->owns_fd = 1;
    }
    /* Rust drops the awaited future at once; it is kept only for a poll_again after it. */
    int keep = f->pc + 1 < f->fn->nbody && f->fn->body[f->pc + 1].kind == STEP_POLL_AGAIN;
    if (!keep) drop_sub(f);
    return STEP_NEXT;
}

static int pending(frame *f, const step *s, context_t *cx) {
    f->base.at = s->at;
    set_place(&f->base, s);
    if (s->blocking) exec_block_thread(cx->ex, cx, s->at);
    return STEP_PENDING;
}

static int step_await(frame *f, const step *s, context_t *cx) {
    if (f->sub_pc != f->pc || f->sub_kind == SUB_NONE) start_sub(f, s, cx);
    if (future_poll(f->sub, cx) == POLL_PENDING) return pending(f, s, cx);
    return await_done(f, s);
}

/* JoinHandle.await: a task's error is its result, not this function's (results.push). */
static int step_join(frame *f, const step *s, context_t *cx) {
    int until = s->leaf == LEAF_JOIN_ALL ? f->nhandles : (f->joined < f->nhandles ? f->joined + 1 : f->joined);
    for (; f->joined < until; f->joined++) {
        future_t *h = &f->handles[f->joined]->base;
        set_place(h, s);
        if (future_poll(h, cx) == POLL_PENDING) return pending(f, s, cx);
        if (exec_unwinding(cx->ex)) return STEP_PENDING; /* the handle resumed a task's panic */
        if (s->leaf == LEAF_JOIN_ALL) f->base.value += h->err == 0;
        else f->base.value = h->value;
    }
    return STEP_NEXT;
}

/* ---------- spawning ---------- */

static int push_handle(frame *f, joinhandle_t *jh) {
    if (f->nhandles == f->caphandles) {
        int cap = f->caphandles ? f->caphandles * 2 : 4;
        joinhandle_t **a = realloc(f->handles, (size_t)cap * sizeof *a);
        if (!a) return -1;
        f->handles = a;
        f->caphandles = cap;
    }
    f->handles[f->nhandles++] = jh;
    return 0;
}

static int step_spawn(frame *f, const step *s, context_t *cx) {
    interp_t *ip = f->ip;
    frame *child = frame_new(ip, s->fn, cx, f, s);
    joinhandle_t *jh = s->detach ? NULL : malloc(sizeof *jh);
    const char *name = ip->s->fns[s->fn].name;
    int64_t id = -1;
    if (child && (jh || s->detach)) {
        if (s->kind == STEP_SPAWN_LOCAL) id = exec_spawn_local(ip->ex, cx, &child->base, name, jh);
        else if (s->kind == STEP_SPAWN) id = exec_spawn(ip->ex, cx, &child->base, name, jh);
        else id = exec_spawn_thread(ip->ex, cx, &child->base, name, jh);
    }
    if (id < 0) {
        int stop = exec_stopping(ip->ex); /* max_tasks: the run ends with its error, not a lint per spawn */
        if (!stop) exec_lint(ip->ex, cx, TRACE_LINT_SPAWN_FAILED, &f->base, "the spawn failed: no executor here, or out of memory");
        if (child) frame_drop(&child->base);
        free(child);
        free(jh);
        return stop ? STEP_PENDING : STEP_NEXT;
    }
    for (int i = 0; i < s->argc; i++)
        if (s->args[i].slot == SCN_SLOT_SOCKET) f->owns_fd = 0; /* moved into the spawned task */
    if (jh && push_handle(f, jh) != 0) {
        future_drop(&jh->base);
        free(jh);
    }
    return STEP_NEXT;
}

/* ---------- locals ---------- */

static frame *task_root_frame(context_t *cx) {
    future_t *r = exec_task_root(cx->task);
    return r && r->vt->poll == frame_poll ? (frame *)r : NULL;
}

static void tl_set(frame *root, const char *key, scn_value v) {
    for (int i = 0; i < root->ntl; i++)
        if (!strcmp(root->tl[i].key, key)) { root->tl[i].v = v; return; }
    tlocal *a = realloc(root->tl, (size_t)(root->ntl + 1) * sizeof *a);
    if (!a) return;
    root->tl = a;
    a[root->ntl++] = (tlocal){key, v};
}

static const tlocal *tl_get(const frame *root, const char *key) {
    for (int i = 0; root && i < root->ntl; i++)
        if (!strcmp(root->tl[i].key, key)) return &root->tl[i];
    return NULL;
}

/* thread_local! and task_local!: the first belongs to the thread that polls, the second to
 * the task, wherever it runs (S6). Thread-locals hold scenario values (not loop counters). */
static void step_local(frame *f, const step *s, context_t *cx) {
    exec_t *ex = f->ip->ex;
    char text[128] = "(unset)";
    if (s->kind == STEP_TL_SET || s->kind == STEP_TASKL_SET) {
        scn_value v = ev(f, &s->a);
        value_text(v, text, sizeof text);
        if (s->kind == STEP_TL_SET) exec_tls_set(ex, s->name, v.j);
        else if (task_root_frame(cx)) tl_set(task_root_frame(cx), s->name, v);
        trace_local(ex, cx, s->kind == STEP_TL_SET ? "thread_local" : "task_local", "set", s->name, text, s->line);
        return;
    }
    if (s->kind == STEP_TL_GET) {
        const cJSON *j = exec_tls_get(ex, s->name);
        if (j) value_text((scn_value){j, 0}, text, sizeof text);
    } else {
        const tlocal *t = tl_get(task_root_frame(cx), s->name);
        if (t) value_text(t->v, text, sizeof text);
    }
    trace_local(ex, cx, s->kind == STEP_TL_GET ? "thread_local" : "task_local", "get", s->name, text, s->line);
}

/* ---------- loops ---------- */

static int64_t loop_len(scn_value v) {
    if (v.j && cJSON_IsArray(v.j)) return cJSON_GetArraySize(v.j);
    int64_t n = scenario_value_int(v, 0);
    return n > (int64_t)SCN_MAX_COUNT ? (int64_t)SCN_MAX_COUNT : n;
}

static void loop_bind(frame *f, const step *s, scn_value list, int64_t i) {
    f->locals[s->slot + 1] = (scn_value){NULL, i};
    if (list.j && cJSON_IsArray(list.j)) f->locals[s->slot] = (scn_value){cJSON_GetArrayItem(list.j, (int)i), 0};
    else f->locals[s->slot] = (scn_value){NULL, i};
}

static int step_for(frame *f, const step *s) {
    scn_value list = ev(f, &s->a);
    if (loop_len(list) <= 0) { f->pc = s->jump + 1; return STEP_JUMPED; }
    loop_bind(f, s, list, 0);
    return STEP_NEXT;
}

static int step_end(frame *f, const step *s) {
    const step *head = &f->fn->body[s->jump];
    scn_value list = ev(f, &head->a);
    int64_t i = f->locals[head->slot + 1].i + 1;
    if (i >= loop_len(list)) return STEP_NEXT;
    loop_bind(f, head, list, i);
    f->pc = s->jump + 1;
    return STEP_JUMPED;
}

/* ---------- the state machine ---------- */

static int run_step(frame *f, const step *s, context_t *cx) {
    if (s->line) set_place(&f->base, s);
    switch (s->kind) {
    case STEP_AWAIT:
        if (s->leaf == LEAF_JOIN || s->leaf == LEAF_JOIN_ALL) return step_join(f, s, cx);
        return step_await(f, s, cx);
    case STEP_AWAIT_FN: return step_await(f, s, cx);
    case STEP_SHUTDOWN: net_shutdown(f->ip->net, cx, f->fd); return STEP_NEXT;
    case STEP_COMPUTE: do_compute(f, s, cx, NULL); return STEP_NEXT;
    case STEP_SPAWN_LOCAL:
    case STEP_SPAWN:
    case STEP_SPAWN_THREAD: return step_spawn(f, s, cx);
    case STEP_UNLOCK: {
        amutex *m = find_mutex(f->ip, s->name);
        if (m) mutex_unlock(m, cx);
        return STEP_NEXT;
    }
    case STEP_FOR: return step_for(f, s);
    case STEP_END: return step_end(f, s);
    case STEP_POLL_AGAIN:
        if (f->sub_kind != SUB_NONE) {
            set_place(f->sub, s); /* the place of this extra poll, not of the await before */
            future_poll(f->sub, cx);
        }
        drop_sub(f);
        return STEP_NEXT;
    case STEP_NOTE: trace_note(f->ip->ex, cx, s); return STEP_NEXT;
    default: step_local(f, s, cx); return STEP_NEXT;
    }
}

/* Each poll runs steps from the resume point until one is Pending or the body ends. */
static poll_t frame_poll(future_t *self, context_t *cx) {
    frame *f = (frame *)self;
    while (f->pc < f->fn->nbody) {
        if (++f->ip->steps > f->ip->s->max_steps) exec_request_stop(cx->ex);
        if (exec_stopping(cx->ex)) return POLL_PENDING; /* stays at this step; the run ends as a limit */
        int r = run_step(f, &f->fn->body[f->pc], cx);
        if (exec_unwinding(cx->ex)) return POLL_PENDING; /* a panic: no step after it runs */
        if (r == STEP_PENDING) return POLL_PENDING;
        if (r == STEP_FAILED) break;
        if (r == STEP_NEXT) f->pc++;
    }
    f->pc = f->fn->nbody;
    return POLL_READY;
}

static void frame_drop(future_t *self) {
    frame *f = (frame *)self;
    drop_sub(f);
    if (f->owns_fd && f->fd >= 0) net_close(f->ip->net, NULL, f->fd);
    f->owns_fd = 0;
    for (int i = 0; i < f->nhandles; i++) {
        future_drop(&f->handles[i]->base);
        free(f->handles[i]);
    }
    free(f->handles);
    f->handles = NULL;
    f->nhandles = 0;
    free(f->tl);
    f->tl = NULL;
}

/* ---------- the interpreter ---------- */

interp_t *interp_new(scenario *s, exec_t *ex, net_t *net) {
    interp_t *ip = calloc(1, sizeof *ip);
    if (!ip) return NULL;
    *ip = (interp_t){.s = s, .ex = ex, .net = net};
    for (int k = 0; k < s->nfns; k++) frame_size(s, s->await_order[k]);
    for (int i = 0; i < s->nfns; i++)
        s->fns[i].vt = (future_vtable){s->fns[i].name, frame_poll, frame_drop, s->fns[i].frame_size};
    return ip;
}

future_t *interp_entry(interp_t *ip) {
    if (!ip->entry) {
        frame *f = frame_new(ip, ip->s->entry, NULL, NULL, NULL);
        ip->entry = f ? &f->base : NULL;
    }
    return ip->entry;
}

void interp_free(interp_t *ip) {
    if (!ip) return;
    if (ip->entry) {
        future_drop(ip->entry);
        free(ip->entry);
    }
    for (int i = 0; i < ip->nmutexes; i++) {
        for (int k = 0; k < ip->mutexes[i].nwait; k++) waker_drop(&ip->mutexes[i].waiters[k]);
        free(ip->mutexes[i].waiters);
    }
    free(ip->mutexes);
    free(ip);
}
