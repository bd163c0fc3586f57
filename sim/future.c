#include "sim/future.h"

#include <stdlib.h>

#include "sim/exec.h"
#include "sim/net.h"
#include "sim/trace.h"

void future_init(future_t *f, const future_vtable *vt, exec_t *ex, context_t *cx, const char *detail) {
    *f = (future_t){.vt = vt, .detail = detail, .at = "start", .size = (uint32_t)vt->size};
    f->id = exec_next_future_id(ex);
    trace_t *t = exec_trace(ex);
    if (!t) return;
    trace_begin(t, TRACE_PH_INSTANT, TRACE_CAT_FUTURE, TRACE_NAME_CREATE, exec_tid(ex), exec_now(ex), 0);
    trace_arg_int(t, TRACE_ARG_FUTURE, (int64_t)f->id);
    trace_arg_str(t, TRACE_ARG_FUTURE_NAME, vt->name);
    if (cx && cx->current) trace_arg_int(t, TRACE_ARG_PARENT, (int64_t)cx->current->id);
    else trace_arg_null(t, TRACE_ARG_PARENT);
    if (cx) trace_arg_int(t, TRACE_ARG_TASK, exec_task_id(cx->task));
    else trace_arg_null(t, TRACE_ARG_TASK);
    if (detail) trace_arg_str(t, TRACE_ARG_DETAIL, detail);
    trace_end(t);
}

/* A future's columns packed: col | end_col << 16. */
static uint32_t span_of(const future_t *f) { return (uint32_t)f->col | (uint32_t)f->end_col << 16; }

/* from_line: the source line the poll starts at (where it resumes); f->line: where it
 * stopped (Pending) or finished (Ready). */
static void trace_poll(exec_t *ex, const future_t *f, const future_t *parent, context_t *cx,
                       int64_t start, const char *from, int32_t from_line, uint32_t from_span, poll_t r,
                       uint64_t flow_in, int after_ready) {
    trace_t *t = exec_trace(ex);
    if (!t) return;
    /* each branch names its literals, which the inline writer stores as constants */
    if (exec_thread_is_sync(ex)) trace_begin(t, TRACE_PH_SLICE, TRACE_CAT_CALL, f->vt->name, exec_tid(ex), start, exec_now(ex) - start);
    else trace_begin(t, TRACE_PH_SLICE, TRACE_CAT_POLL, f->vt->name, exec_tid(ex), start, exec_now(ex) - start);
    trace_arg_int(t, TRACE_ARG_TASK, exec_task_id(cx->task));
    trace_arg_int(t, TRACE_ARG_FUTURE, (int64_t)f->id);
    if (parent) trace_arg_int(t, TRACE_ARG_PARENT, (int64_t)parent->id);
    else trace_arg_null(t, TRACE_ARG_PARENT);
    /* a panic unwinding through this poll: it returned nothing */
    if (exec_unwinding(ex)) trace_arg_str(t, TRACE_ARG_RESULT, TRACE_RESULT_PANIC);
    else if (r == POLL_READY) trace_arg_str(t, TRACE_ARG_RESULT, TRACE_RESULT_READY);
    else trace_arg_str(t, TRACE_ARG_RESULT, TRACE_RESULT_PENDING);
    trace_arg_int(t, TRACE_ARG_POLL, f->polls);
    trace_arg_str(t, TRACE_ARG_FROM, from);
    if (r == POLL_PENDING && !exec_unwinding(ex)) trace_arg_str(t, TRACE_ARG_AT, f->at);
    else if (f->err) trace_arg_str(t, TRACE_ARG_ERROR, net_err_name(f->err)); /* Ready(Err(..)) */
    if (f->detail) trace_arg_str(t, TRACE_ARG_DETAIL, f->detail);
    if (!f->async_fn) trace_arg_bool(t, TRACE_ARG_LEAF, 1);
    if (from_line) trace_arg_int(t, TRACE_ARG_FROM_LINE, from_line);
    if (from_line && (from_span & 0xFFFF)) { /* the expression it resumes at */
        trace_arg_int(t, TRACE_ARG_FROM_COL, from_span & 0xFFFF);
        if (from_span >> 16) trace_arg_int(t, TRACE_ARG_FROM_END_COL, from_span >> 16);
    }
    if (f->line) trace_arg_int(t, TRACE_ARG_LINE, f->line);
    if (f->line && f->col) { /* the expression it stopped or finished at */
        trace_arg_int(t, TRACE_ARG_COL, f->col);
        if (f->end_col) trace_arg_int(t, TRACE_ARG_END_COL, f->end_col);
    }
    if (after_ready) trace_arg_bool(t, TRACE_ARG_AFTER_READY, 1);
    int64_t woken_by = exec_woken_by(ex); /* the real models' polls that no own wake asked for */
    if (woken_by > 0) trace_arg_int(t, TRACE_ARG_WOKEN_BY, woken_by);
    else if (woken_by == EXEC_WOKEN_SPURIOUS) trace_arg_str(t, TRACE_ARG_WOKEN_BY, TRACE_WOKEN_SPURIOUS);
    if (flow_in) trace_flow(t, flow_in, 0);
    trace_end(t);
}

/* A finished Fuse: the poll is legal, costs its poll, and is Pending forever. */
static poll_t poll_fused(future_t *f, context_t *cx) {
    exec_t *ex = cx->ex;
    int64_t start = exec_now(ex);
    f->polls++;
    exec_advance(ex, exec_poll_cost(ex));
    f->at = "fused";
    trace_poll(ex, f, cx->current, cx, start, "fused", f->line, span_of(f), POLL_PENDING, 0, 0);
    return POLL_PENDING;
}

/* The bug the lecture warns about: a poll of a finished future. It is a poll (it costs one,
 * and the trace shows it as one). Under the real models it panics where Rust's does
 * (exec_after_ready_panic); otherwise pinata does not run the finished state machine again,
 * answers Ready again, and the lint follows. */
static poll_t poll_after_ready(future_t *f, context_t *cx) {
    exec_t *ex = cx->ex;
    int64_t start = exec_now(ex);
    f->polls++;
    const char *panic = exec_after_ready_panic(ex, f);
    int64_t half = panic ? exec_poll_cost(ex) / 2 : 0;
    exec_advance(ex, half); /* the panic is inside the poll: between its start and its end */
    if (panic) exec_panic(ex, cx, f, panic);
    exec_advance(ex, exec_poll_cost(ex) - half);
    if (panic) {
        trace_poll(ex, f, cx->current, cx, start, "done", f->line, span_of(f), POLL_READY, 0, 1);
        return POLL_PENDING; /* nothing is returned: the caller unwinds (exec_unwinding) */
    }
    trace_poll(ex, f, cx->current, cx, start, "done", f->line, span_of(f), POLL_READY, 0, 1);
    exec_lint(ex, cx, TRACE_LINT_POLL_AFTER_READY, f, "polled again after it returned Ready");
    return POLL_READY;
}

poll_t future_poll(future_t *f, context_t *cx) {
    exec_t *ex = cx->ex;
    if (f->done && f->fused) return poll_fused(f, cx);
    if (f->done) return poll_after_ready(f, cx);
    future_t *parent = cx->current;
    uint64_t flow_in = parent ? 0 : exec_take_flow_in(ex);
    int64_t start = exec_now(ex);
    const char *from = f->at;
    int32_t from_line = f->line;
    uint32_t from_span = span_of(f);
    int64_t half = exec_poll_cost(ex) / 2;
    f->polls++;
    exec_advance(ex, half);
    cx->current = f;
    poll_t r = f->vt->poll(f, cx);
    cx->current = parent;
    exec_advance(ex, exec_poll_cost(ex) - half);
    if (exec_unwinding(ex)) r = POLL_PENDING; /* unwinding: no output, and nothing awaited */
    else if (r == POLL_READY) f->done = 1;
    else exec_note_pending(ex, cx, f);
    if (exec_trace(ex)) trace_poll(ex, f, parent, cx, start, from, from_line, from_span, r, flow_in, 0);
    return r;
}

void future_drop(future_t *f) {
    if (!f) return;
    if (f->vt->drop) f->vt->drop(f);
    if (f->owned) free(f);
}
