/* caption: narration of steps. See caption.h.
 * Each event kind has one small function that picks a message of viz/msg.c and fills its
 * arguments, so the English and the Korean say the same facts from one table. What the
 * simulator wrote in English (a wake's cause, a system call's return) is passed through
 * msg_translate. */
#include "viz/caption.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/marks.h"
#include "viz/msg.h"

const char *caption_future(const tload_trace *t, const tindex *ix, int32_t f, char *buf, size_t len) {
    const tindex_future *fu = tindex_future_get(ix, f);
    const char *name = fu ? tload_str(t, fu->name) : "?";
    char letter = fu ? tindex_letter(ix, fu) : 0;
    if (letter) snprintf(buf, len, "%c (%s)", letter, name);
    else snprintf(buf, len, "%s", name);
    return buf;
}

typedef struct cap {
    const tload_trace *t;
    const tindex *ix;
    const tload_event *e;
    msg_lang lang;
    char *buf;
    size_t len;
} cap;

/* The caption is message id with these arguments (NULL-terminated). */
#define SAY(c, id, ...) MSG_FMT((c)->buf, (c)->len, (c)->lang, id, __VA_ARGS__)

static const char *num(char *buf, long long n) {
    snprintf(buf, 24, "%lld", n);
    return buf;
}

/* A phrase the simulator wrote, in the caption's language. */
static const char *sim_text(const cap *c, uint32_t s, char *buf, size_t len) {
    return msg_translate(tload_str(c->t, s), c->lang, buf, len);
}

/* Who runs the polls of thread tid: its executor (block_on, busy_poll), else the thread
 * itself ("worker 1": a pool thread runs the executor's loop). */
static const char *executor_of(const tload_trace *t, const tindex *ix, int32_t tid, char *buf, size_t len) {
    for (size_t i = 0; i < ix->n_execs; i++)
        if (t->ev[ix->execs[i]].tid == tid) return tload_str(t, t->ev[ix->execs[i]].name);
    return tload_thread_name(t, tid, buf, len);
}

/* "1 (cheapo_request)": the number and name of task id, as the captions say it after "task". */
static const char *task_label(const cap *c, int32_t task, char *buf, size_t len) {
    const tindex_task *k = tindex_task_get(c->ix, task);
    const char *name = k ? tload_str(c->t, k->name) : "";
    if (*name) snprintf(buf, len, "%d (%s)", task, name);
    else snprintf(buf, len, "%d", task);
    return buf;
}

/* Whether thread tid runs synchronous code (S1): calls, no polls. */
static int on_sync_thread(const cap *c, int32_t tid) {
    int32_t l = tindex_lane_of_tid(c->ix, tid);
    return l >= 0 && c->ix->lanes[l].calls > 0 && c->ix->lanes[l].polls == 0;
}

/* Whether task runs synchronous code on its own OS thread (std::thread::spawn, or a sync
 * main): its wakers are pinata's model of a blocking wait, not Rust's. The root task when
 * task < 0 (the create of main's future). */
static int sync_task(const cap *c, int32_t task) {
    const tindex_task *k = tindex_task_get(c->ix, task < 0 ? 1 : task);
    const char *how = k ? tload_str(c->t, k->how) : "";
    return !strcmp(how, "thread") || !strcmp(how, "main") || !strcmp(how, "spawn_blocking");
}

/* Whether task is block_on's root (it has no JoinHandle: block_on itself awaits it). */
static int root_task(const cap *c, int32_t task) {
    const tindex_task *k = tindex_task_get(c->ix, task);
    return k && !strcmp(tload_str(c->t, k->how), "block_on");
}

/* Whether the run ended so (the end event is the last one, or nearly). */
static int run_ended(const tload_trace *t, const char *result) {
    for (size_t k = 0; k < 8 && k < t->n; k++) {
        const tload_event *e = &t->ev[t->n - 1 - k];
        if (e->kind == TLOAD_END) return !strcmp(tload_str(t, tload_end_result(e)), result);
    }
    return 0;
}
static int run_deadlocked(const tload_trace *t) { return run_ended(t, TRACE_END_DEADLOCK); }
static int run_panicked(const tload_trace *t) { return run_ended(t, TRACE_END_PANIC); }

/* What a leaf's Pending poll left behind, from the events written during it (they come just
 * before the poll in the file, on its thread): 1 a waker registered (its "on" in *on),
 * 2 its own task woken (yield_now), 0 neither. */
static int pending_leaf_left(const cap *c, uint32_t *on) {
    const tload_event *p = c->e;
    size_t i = (size_t)(p - c->t->ev);
    for (size_t k = 1; k <= 64 && k <= i; k++) {
        const tload_event *e = &c->t->ev[i - k];
        if (e->tid != p->tid || e->task != p->task) continue;
        if (e->ts < p->ts) break;
        if (e->kind == TLOAD_WAKER && !strcmp(tload_str(c->t, e->name), "register")) {
            *on = tload_waker_on(e);
            return 1;
        }
        if (e->kind == TLOAD_WAKE) return 2;
    }
    return 0;
}

/* ---- polls ------------------------------------------------------------------------ */

/* A synchronous call on a sync thread (S1): it runs until it returns, blocking. */
static void call_step(cap *c, int end) {
    const char *name = tload_str(c->t, c->e->name), *from = tload_str(c->t, tload_poll_from(c->e));
    char at[128];
    if (end && c->e->result == TLOAD_RES_PENDING) SAY(c, MSG_CAP_CALL_BLOCKED, name, sim_text(c, tload_poll_at(c->e), at, sizeof at));
    else if (end) SAY(c, MSG_CAP_CALL_END, name);
    else if (*from && strcmp(from, "start")) SAY(c, MSG_CAP_CALL_GOES_ON, name);
    else if (!strcmp(name, "JoinHandle")) SAY(c, MSG_CAP_CALL_JOIN, NULL);
    else SAY(c, MSG_CAP_CALL_START, name);
}

/* Who polls the event's future: its parent future, or the executor for a task's root. */
static const char *poller(const cap *c, char *buf, size_t len) {
    char th[96];
    if (c->e->parent < 0) snprintf(buf, len, "%s", executor_of(c->t, c->ix, c->e->tid, th, sizeof th));
    else caption_future(c->t, c->ix, c->e->parent, buf, len);
    return buf;
}

static void poll_start(cap *c) {
    const tload_event *e = c->e;
    char me[96], up[96], n[24], from[96];
    caption_future(c->t, c->ix, e->future, me, sizeof me);
    poller(c, up, sizeof up);
    num(n, tload_poll_number(e));
    const char *f = tload_str(c->t, tload_poll_from(e));
    int fresh = !*f || !strcmp(f, "start"), leaf = (e->flags & TLOAD_F_LEAF) != 0;
    int32_t by = tload_woken_by(c->t, (size_t)(e - c->t->ev));
    char task[24];
    if (e->flags & TLOAD_F_AFTER_READY) SAY(c, MSG_CAP_AFTER_READY_POLL, up, me, n);
    else if (by > 0 && e->parent < 0) SAY(c, MSG_CAP_WOKEN_BY_POLL, up, me, n, num(task, by));
    else if (by == TLOAD_WOKEN_SPURIOUS && (e->flags & TLOAD_F_LEAF)) SAY(c, MSG_CAP_SPURIOUS_POLL, up, me, n);
    else if (!strcmp(f, "fused")) SAY(c, MSG_CAP_FUSED_POLL, up, me, n);
    else if (fresh) SAY(c, leaf ? MSG_CAP_LEAF_FIRST : MSG_CAP_POLL_FIRST, up, me, n);
    else SAY(c, leaf ? MSG_CAP_LEAF_AGAIN : MSG_CAP_POLL_RESUME, up, me, n, sim_text(c, tload_poll_from(e), from, sizeof from));
}

/* Whether the await that polls event e is followed by ? in the Rust source (without a
 * source: assume it is, as in every cheapo_request of the lecture). */
static int await_has_question(const cap *c) {
    int32_t line = tload_src_line(c->t, (size_t)(c->e - c->t->ev));
    if (line <= 0 || (size_t)line > c->t->nsource) return 1;
    return strstr(tload_str(c->t, c->t->source[line - 1]), ".await?") != NULL;
}

static void poll_ready(cap *c, const char *me, const char *up) {
    const tload_event *e = c->e;
    if (e->flags & TLOAD_F_AFTER_READY) SAY(c, MSG_CAP_AFTER_READY_END, me, up);
    else if (!tload_poll_at(e)) SAY(c, e->parent < 0 ? MSG_CAP_READY_TASK : MSG_CAP_READY_AWAIT, me, up);
    else if (e->parent < 0) SAY(c, MSG_CAP_ERR_TASK, me, up, tload_str(c->t, tload_poll_at(e)));
    else SAY(c, await_has_question(c) ? MSG_CAP_ERR_AWAIT : MSG_CAP_ERR_VALUE, me, up, tload_str(c->t, tload_poll_at(e)));
}

static void poll_pending(cap *c, const char *me, const char *up) {
    const tload_event *e = c->e;
    char at[128], on[160];
    sim_text(c, tload_poll_at(e), at, sizeof at);
    int32_t by = tload_woken_by(c->t, (size_t)(e - c->t->ev));
    if (by > 0 && e->parent < 0) { SAY(c, MSG_CAP_WOKEN_BY_PENDING, me, up, at); return; }
    if (by == TLOAD_WOKEN_SPURIOUS && (e->flags & TLOAD_F_LEAF)) { SAY(c, MSG_CAP_SPURIOUS_PENDING, me, up); return; }
    if (e->parent < 0) { SAY(c, MSG_CAP_PENDING_TASK, me, up, at); return; }
    if (!(e->flags & TLOAD_F_LEAF)) { SAY(c, MSG_CAP_PENDING_AWAIT, me, up, at); return; }
    if (!strcmp(tload_str(c->t, tload_poll_at(e)), "fused")) { SAY(c, MSG_CAP_FUSED_PENDING, me, up); return; }
    uint32_t reg = 0;
    int left = pending_leaf_left(c, &reg);
    if (left == 1) SAY(c, MSG_CAP_PENDING_REGISTERED, me, up, at, sim_text(c, reg, on, sizeof on));
    else if (left == 2) SAY(c, MSG_CAP_PENDING_SELF_WOKEN, me, up);
    else SAY(c, MSG_CAP_PENDING_NO_WAKER, me, up, at);
}

static void poll_end(cap *c) {
    char me[96], up[96];
    caption_future(c->t, c->ix, c->e->future, me, sizeof me);
    poller(c, up, sizeof up);
    if (c->e->result == TLOAD_RES_PANIC) SAY(c, MSG_CAP_PANIC_UNWIND, me, up);
    else if (c->e->result == TLOAD_RES_READY) poll_ready(c, me, up);
    else poll_pending(c, me, up);
}

/* ---- tasks, futures, wakers ------------------------------------------------------- */

static void exec_step(cap *c, int end) {
    const char *name = tload_str(c->t, c->e->name);
    if (!strcmp(name, "sync")) SAY(c, end ? MSG_CAP_SYNC_END : MSG_CAP_SYNC_START, NULL);
    else if (!end) SAY(c, MSG_CAP_EXEC_START, name);
    else if (run_panicked(c->t)) SAY(c, MSG_CAP_EXEC_PANIC, name);
    else SAY(c, run_deadlocked(c->t) ? MSG_CAP_EXEC_DEADLOCK : MSG_CAP_EXEC_END, name);
}

static void wake_step(cap *c) {
    char task[96], by[160];
    sim_text(c, tload_wake_by(c->e), by, sizeof by);
    if (!*by) snprintf(by, sizeof by, "%s", msg_template(MSG_WAKE_LABEL, c->lang));
    task_label(c, c->e->task, task, sizeof task);
    if (sync_task(c, c->e->task)) SAY(c, MSG_CAP_WAKE_SYNC, by, task);
    else SAY(c, (c->e->flags & TLOAD_F_NOT_QUEUED) ? MSG_CAP_WAKE_DUP : MSG_CAP_WAKE, by, task);
}

static void spawn_step(cap *c) {
    const tload_event *e = c->e;
    const char *name = tload_str(c->t, tload_spawn_name(e)), *how = tload_str(c->t, tload_spawn_how(e)),
               *det = tload_str(c->t, tload_spawn_detail(e));
    char task[160], n[24];
    if (!strcmp(how, "main")) { SAY(c, MSG_CAP_SPAWN_MAIN, num(n, e->task)); return; }
    if (!strcmp(how, "thread")) { SAY(c, MSG_CAP_SPAWN_THREAD, name); return; }
    if (!strcmp(how, "spawn_blocking")) { SAY(c, MSG_CAP_SPAWN_BLOCKING, name, tload_str(c->t, tload_spawn_detail(e))); return; }
    snprintf(task, sizeof task, "%d (%s%s%s)", e->task, name, *det ? ", " : "", det);
    SAY(c, MSG_CAP_SPAWN, task, *how ? how : "an executor");
}

/* The event just before the create in the file, if it is call-time work (S5). */
static int after_call_time(const cap *c) {
    size_t i = (size_t)(c->e - c->t->ev);
    if (i == 0) return 0;
    const tload_event *p = &c->t->ev[i - 1];
    return p->kind == TLOAD_COMPUTE && !strncmp(tload_str(c->t, tload_compute_why(p)), "call time", 9);
}

static void create_step(cap *c) {
    char me[96];
    caption_future(c->t, c->ix, c->e->future, me, sizeof me);
    const char *name = tload_str(c->t, tload_create_name(c->e));
    int sync = on_sync_thread(c, c->e->tid) || sync_task(c, c->e->task);
    if (!strcmp(name, "JoinHandle")) SAY(c, sync ? MSG_CAP_CREATE_THREAD_HANDLE : MSG_CAP_CREATE_JOINHANDLE, NULL);
    else if (sync) SAY(c, MSG_CAP_CREATE_SYNC, name);
    else SAY(c, after_call_time(c) ? MSG_CAP_CREATE_BLOCK : MSG_CAP_CREATE, name, me);
}

static void waker_step(cap *c) {
    const char *what = tload_str(c->t, c->e->name);
    char task[24], n[24], on[160];
    num(task, c->e->task);
    if (!strcmp(what, "register")) {
        sim_text(c, tload_waker_on(c->e), on, sizeof on);
        if (sync_task(c, c->e->task)) SAY(c, MSG_CAP_SYNC_WAIT, on);
        else SAY(c, MSG_CAP_WAKER_REGISTER, task, on);
        return;
    }
    if (sync_task(c, c->e->task)) SAY(c, MSG_CAP_SYNC_WAKER, task);
    else SAY(c, !strcmp(what, "clone") ? MSG_CAP_WAKER_CLONE : MSG_CAP_WAKER_DROP, task, num(n, tload_waker_count(c->e)));
}

static void net_step(cap *c) {
    const char *what = tload_str(c->t, c->e->name), *host = tload_str(c->t, tload_net_host(c->e));
    char n[24];
    if (!strcmp(what, "connected")) SAY(c, MSG_CAP_NET_CONNECTED, host);
    else if (!strcmp(what, "chunk")) SAY(c, MSG_CAP_NET_CHUNK, host, num(n, tload_net_bytes(c->e)));
    else if (!strcmp(what, "eof")) SAY(c, MSG_CAP_NET_EOF, host);
    else if (!strcmp(what, "refused")) SAY(c, MSG_CAP_NET_REFUSED, host);
    else if (!strcmp(what, "reset")) SAY(c, MSG_CAP_NET_RESET, host);
    else if (!strcmp(what, "incoming")) SAY(c, MSG_CAP_NET_INCOMING, num(n, tload_net_bytes(c->e)));
    else SAY(c, MSG_CAP_NET_OTHER, host, what);
}

/* ---- the rest ---------------------------------------------------------------------- */

static void syscall_step(cap *c) {
    const char *call = tload_str(c->t, tload_syscall_call(c->e));
    char ret[96];
    sim_text(c, tload_syscall_ret(c->e), ret, sizeof ret);
    const char *r = tload_str(c->t, tload_syscall_ret(c->e));
    int wait = !strcmp(r, "would-block") || !strcmp(r, "EINPROGRESS");
    msg_id id = !on_sync_thread(c, c->e->tid) ? MSG_CAP_SYSCALL : wait ? MSG_CAP_SYSCALL_SYNC_WAIT : MSG_CAP_SYSCALL_SYNC;
    SAY(c, id, *call ? call : tload_str(c->t, c->e->name), ret);
}

static void finish_step(cap *c) {
    const tload_event *e = c->e;
    char task[96], n[24];
    const char *err = tload_str(c->t, tload_finish_err(e)), *val = tload_str(c->t, tload_finish_value(e));
    task_label(c, e->task, task, sizeof task);
    num(n, tload_finish_polls(e));
    if (e->flags & TLOAD_F_PANICKED) SAY(c, root_task(c, e->task) ? MSG_CAP_FINISH_PANIC_ROOT : MSG_CAP_FINISH_PANIC, task, n);
    else if (*err && strcmp(err, "0")) SAY(c, MSG_CAP_FINISH_ERR, task, n, marks_err_name(err));
    else SAY(c, MSG_CAP_FINISH_OK, task, n, val);
}

static void local_step(cap *c) {
    const tload_event *e = c->e;
    char task[24], th[96];
    const char *thread = tload_thread_name(c->t, e->tid, th, sizeof th), *value = tload_str(c->t, tload_local_value(e));
    SAY(c, !strcmp(tload_str(c->t, tload_local_op(e)), "set") ? MSG_CAP_LOCAL_SET : MSG_CAP_LOCAL_GET, num(task, e->task),
        tload_str(c->t, e->name), tload_str(c->t, tload_local_key(e)), *value ? value : "(unset)", thread);
}

static void lint_step(cap *c) {
    const char *name = tload_str(c->t, c->e->name), *fut = tload_str(c->t, tload_lint_future_name(c->e));
    char detail[256];
    if (!strcmp(name, "poll_after_ready")) SAY(c, MSG_CAP_AFTER_READY, fut);
    else if (!strcmp(name, "lost_waker")) SAY(c, MSG_CAP_LOST_WAKER, fut);
    else SAY(c, MSG_CAP_LINT, name, sim_text(c, tload_lint_detail(c->e), detail, sizeof detail));
}

static void simple_step(cap *c) {
    const tload_event *e = c->e;
    char a[160], b[48];
    switch (e->kind) {
    case TLOAD_PARK:
        SAY(c, MSG_CAP_PARK, tload_park_until(e) ? sim_text(c, tload_park_until(e), a, sizeof a) : "a wake");
        break;
    case TLOAD_BLOCKED:
        SAY(c, MSG_CAP_BLOCKED, !strcmp(tload_str(c->t, e->name), "JoinHandle") ? "join()" : tload_str(c->t, e->name));
        break;
    case TLOAD_SYSCALL: syscall_step(c); break;
    case TLOAD_FINISH: finish_step(c); break;
    case TLOAD_COMPUTE:
        SAY(c, !strncmp(tload_str(c->t, tload_compute_why(e)), "call time", 9) ? MSG_CAP_COMPUTE_CALL_TIME : MSG_CAP_COMPUTE,
            tload_compute_ms(e) ? tload_str(c->t, tload_compute_ms(e)) : "?");
        break;
    case TLOAD_LOCAL: local_step(c); break;
    case TLOAD_NOTE: /* the scenario's own words, in Korean when it gives them */
        SAY(c, MSG_CAP_NOTE, tload_str(c->t, c->lang == MSG_KO && tload_note_text_ko(e) ? tload_note_text_ko(e) : tload_note_text(e)));
        break;
    case TLOAD_THREAD_EXIT:
        SAY(c, MSG_CAP_THREAD_EXIT, tload_exit_thread(e) ? tload_str(c->t, tload_exit_thread(e)) : "?");
        break;
    case TLOAD_CLOCK:
        snprintf(b, sizeof b, "%.2f", (double)tload_clock_to_us(e) / 1000.0);
        SAY(c, MSG_CAP_CLOCK, b);
        break;
    case TLOAD_LINT: lint_step(c); break;
    case TLOAD_DEADLOCK: SAY(c, MSG_CAP_DEADLOCK, NULL); break;
    case TLOAD_PANIC: { /* the future that panicked, in the caption's own name for it */
        char me[96];
        if (e->future >= 0) caption_future(c->t, c->ix, e->future, me, sizeof me);
        else snprintf(me, sizeof me, "%s", tload_str(c->t, tload_panic_future_name(e)));
        SAY(c, MSG_CAP_PANIC, me, sim_text(c, tload_panic_message(e), a, sizeof a));
        break;
    }
    case TLOAD_END: SAY(c, MSG_CAP_END, sim_text(c, tload_end_result(e), a, sizeof a)); break;
    default: snprintf(c->buf, c->len, "%s", tload_str(c->t, e->name));
    }
}

const char *caption_step(const tload_trace *t, const tindex *ix, uint32_t code, caption_lang lang,
                         char *buf, size_t len) {
    cap c = {t, ix, &t->ev[tindex_step_event(code)], lang == CAPTION_KO ? MSG_KO : MSG_EN, buf, len};
    int end = tindex_step_is_end(code);
    buf[0] = '\0';
    switch (c.e->kind) {
    case TLOAD_POLL:
        if (c.e->flags & TLOAD_F_SYNC) call_step(&c, end);
        else if (end) poll_end(&c);
        else poll_start(&c);
        break;
    case TLOAD_EXECUTOR: exec_step(&c, end); break;
    case TLOAD_WAKE: wake_step(&c); break;
    case TLOAD_SPAWN: spawn_step(&c); break;
    case TLOAD_CREATE: create_step(&c); break;
    case TLOAD_WAKER: waker_step(&c); break;
    case TLOAD_NET: net_step(&c); break;
    default: simple_step(&c);
    }
    return buf;
}
