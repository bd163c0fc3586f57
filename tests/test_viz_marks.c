/* viz/marks: each slide's own marks are in the draw list, checked against the committed
 * traces of the catalogue (test_catalogue keeps them equal to what the simulator writes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "viz_fixture.h"
#include "viz/compare.h"
#include "viz/memtrack.h"

#define TRACES PINATA_SOURCE_DIR "/traces/"

static layout_geom geom; /* of the last page laid out */

/* The committed trace of scenario name, laid out at 1600 px. */
static fx_page *page_of(const char *name) {
    char path[512], err[512];
    fx_page *p = fx_page_new();
    snprintf(path, sizeof path, TRACES "%s.trace.json", name);
    if (doc_open(&p->d, path, 1, NULL, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &p->dl, &geom), 0);
    return p;
}

/* Where time ts is on the page's axis (a poll too narrow to draw has no command). */
static float px(const fx_page *p, int64_t ts) {
    double u = taxis_u(&p->d.ax, ts);
    return geom.plot_x0 + (float)((u - geom.u_lo) / (geom.u_hi - geom.u_lo)) * (geom.plot_x1 - geom.plot_x0);
}

static const draw_cmd *cmd_of(const fx_page *p, int tag, int32_t ref) {
    long i = fx_find(&p->dl, tag, ref, 0);
    return i >= 0 ? &p->dl.cmd[i] : NULL;
}

static size_t count_ref(const fx_page *p, int tag, int32_t ref) {
    size_t n = 0;
    for (size_t i = 0; i < p->dl.n; i++) n += p->dl.cmd[i].tag == tag && p->dl.cmd[i].ref == ref;
    return n;
}

/* The poll on e's thread that contains instant e (the innermost one). */
static int32_t poll_around(const tload_trace *t, const tload_event *e) {
    int32_t best = -1;
    for (size_t j = 0; j < t->n; j++) {
        const tload_event *p = &t->ev[j];
        if (p->kind != TLOAD_POLL || p->tid != e->tid || p->ts > e->ts || p->ts + p->dur < e->ts) continue;
        if (best < 0 || p->dur < t->ev[best].dur) best = (int32_t)j;
    }
    return best;
}

static void s6_should_flag_every_thread_and_task_local_on_its_poll(void **s) {
    (void)s;
    fx_page *p = page_of("s06_spawn_pool");
    const tload_trace *t = &p->d.t;
    size_t locals = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].kind != TLOAD_LOCAL) continue;
        locals++;
        const draw_cmd *f = cmd_of(p, DRAW_TAG_LOCAL, (int32_t)i);
        assert_non_null(f);
        int32_t around = poll_around(t, &t->ev[i]); /* it happened in a poll */
        assert_true(around >= 0);
        const tload_event *pe = &t->ev[around];
        float x = draw_cmd_pts(&p->dl, f)[0]; /* the pole, on that poll */
        assert_true(x >= px(p, pe->ts) - 0.5f && x <= px(p, pe->ts + pe->dur) + 0.5f);
        const draw_cmd *poll = cmd_of(p, DRAW_TAG_POLL, around); /* NULL when it shares a pixel */
        assert_true(!poll || draw_cmd_pts(&p->dl, f)[1] < poll->y); /* above its row, in the strip */
    }
    assert_true(locals >= 4); /* the slide: thread_local and task_local, set and read */
    assert_int_equal(fx_count(&p->dl, DRAW_TAG_LOCAL), locals);
    /* the pennant of a thread_local and the flag of a task_local differ in shape */
    int shapes[8] = {0};
    for (size_t i = 0; i < p->dl.n; i++)
        if (p->dl.cmd[i].tag == DRAW_TAG_LOCAL && p->dl.cmd[i].npts < 8) shapes[p->dl.cmd[i].npts] = 1;
    assert_true(shapes[3] && shapes[4]);
    fx_page_free(p);
}

/* From the trace alone: the root polls of a task in time order, and where one runs on
 * another thread than the one before it. */
static size_t moves_in_trace(const tload_trace *t, int32_t *polls, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind != TLOAD_POLL || e->parent >= 0) continue;
        const tload_event *prev = NULL; /* the latest earlier root poll of its task */
        for (size_t j = 0; j < t->n; j++) {
            const tload_event *q = &t->ev[j];
            if (q->kind == TLOAD_POLL && q->parent < 0 && q->task == e->task && q->ts < e->ts && (!prev || q->ts > prev->ts))
                prev = q;
        }
        if (prev && prev->tid != e->tid && n < max) polls[n++] = (int32_t)i;
    }
    return n;
}

static void s6_should_mark_each_task_that_resumes_on_another_worker(void **s) {
    (void)s;
    fx_page *p = page_of("s06_spawn_pool");
    int32_t polls[64];
    size_t n = moves_in_trace(&p->d.t, polls, 64);
    assert_true(n >= 1); /* the slide's point: a task resumes on the other worker */
    assert_int_equal(fx_count(&p->dl, DRAW_TAG_MOVE), n);
    for (size_t k = 0; k < n; k++) {
        const draw_cmd *m = cmd_of(p, DRAW_TAG_MOVE, polls[k]), *poll = cmd_of(p, DRAW_TAG_POLL, polls[k]);
        assert_non_null(m);
        assert_non_null(poll);
        /* its arrow's head ends at the poll's start, above it */
        const float *pt = draw_cmd_pts(&p->dl, m);
        assert_true(pt[2] >= poll->x - 0.5f && pt[2] <= poll->x + 0.5f);
        assert_true(pt[3] < poll->y);
    }
    /* and says from which worker to which */
    int found = 0;
    for (size_t i = 0; i < p->dl.n; i++)
        if (p->dl.cmd[i].op == DRAW_TEXT && strstr(draw_cmd_text(&p->dl, &p->dl.cmd[i]), " → worker ")) found++;
    assert_true((size_t)found >= n);
    fx_page_free(p);
}

static void failing_host_should_end_each_failed_task_with_a_cross_in_both_views(void **s) {
    (void)s;
    fx_page *p = page_of("failing_host");
    const tload_trace *t = &p->d.t;
    size_t failed = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind != TLOAD_FINISH || !strcmp(tload_str(t, e->s2), "0")) continue;
        failed++;
        const tindex_task *k = tindex_task_get(&p->d.ix, e->task);
        const tindex_future *f = tindex_future_get(&p->d.ix, k->root_future);
        assert_true(f && f->ready_ev >= 0);
        assert_int_equal(count_ref(p, DRAW_TAG_ERR, f->ready_ev), 4); /* a ✕ of two bars, in both views */
        assert_int_equal(count_ref(p, DRAW_TAG_READY, f->ready_ev), 0); /* not Ready's diamond */
        long a = fx_find(&p->dl, DRAW_TAG_ERR, f->ready_ev, 0), b = fx_find(&p->dl, DRAW_TAG_ERR, f->ready_ev, (size_t)a + 1);
        assert_true(a >= 0 && b > a);
        const float *pa = draw_cmd_pts(&p->dl, &p->dl.cmd[a]), *pb = draw_cmd_pts(&p->dl, &p->dl.cmd[b]);
        assert_int_equal(p->dl.cmd[a].npts, 4);
        assert_int_equal(p->dl.cmd[b].npts, 4);
        /* two bars about one centre, one rising and one falling: a cross */
        float ca = (pa[0] + pa[4]) / 2, cb = (pb[0] + pb[4]) / 2;
        assert_true(ca > cb - 0.5f && ca < cb + 0.5f);
        assert_true((pa[4] - pa[0]) * (pa[5] - pa[1]) * (pb[4] - pb[0]) * (pb[5] - pb[1]) < 0);
    }
    assert_int_equal(failed, 2); /* refused.example and reset.example */
    assert_int_equal(fx_count(&p->dl, DRAW_TAG_ERR), 4 * failed);
    int refused = 0, reset = 0; /* the errors' names are written on them */
    for (size_t i = 0; i < p->dl.n; i++) {
        if (p->dl.cmd[i].op != DRAW_TEXT) continue;
        refused += !strcmp(draw_cmd_text(&p->dl, &p->dl.cmd[i]), "ECONNREFUSED");
        reset += !strcmp(draw_cmd_text(&p->dl, &p->dl.cmd[i]), "ECONNRESET");
    }
    assert_int_equal(refused, 2);
    assert_int_equal(reset, 2);
    fx_page_free(p);
}

/* Every JoinHandle's bar starts at its first poll (where main awaits it), and its spawn
 * is a creation mark before that. */
static void join_handle_bars_should_start_where_the_handle_is_awaited(const char *name) {
    fx_page *p = page_of(name);
    const tload_trace *t = &p->d.t;
    int handles = 0, later = 0;
    for (size_t k = 0; k < p->d.ix.n_futures; k++) {
        const tindex_future *f = &p->d.ix.futures[k];
        if (strcmp(tload_str(t, f->name), "JoinHandle")) continue;
        handles++;
        int32_t first = -1;
        for (size_t i = 0; i < t->n && first < 0; i++)
            if (t->ev[i].kind == TLOAD_POLL && t->ev[i].future == f->id && t->ev[i].num == 1) first = (int32_t)i;
        assert_true(first >= 0);
        const draw_cmd *bar = cmd_of(p, DRAW_TAG_BAR, f->id);
        assert_non_null(bar);
        float x = px(p, t->ev[first].ts);
        assert_true(bar->x >= x - 0.5f && bar->x <= x + 0.5f);
        const draw_cmd *spawn = cmd_of(p, DRAW_TAG_CREATE, f->id);
        if (bar->x > p->v.width * 0.2f) { /* awaited well after its spawn: the spawn is marked */
            later++;
            assert_non_null(spawn);
            assert_true(spawn->x + spawn->w < bar->x);
        }
    }
    assert_true(handles >= 3);
    assert_true(later >= 1); /* the awaits are sequential: not all start at the spawn */
    fx_page_free(p);
}

static void s3_join_handles(void **s) { (void)s; join_handle_bars_should_start_where_the_handle_is_awaited("s03_many_requests"); }
static void s4_join_handles(void **s) { (void)s; join_handle_bars_should_start_where_the_handle_is_awaited("s04_owning_request"); }
static void s6_join_handles(void **s) { (void)s; join_handle_bars_should_start_where_the_handle_is_awaited("s06_spawn_pool"); }

/* S8: the poll after Ready is a poll with a mark of its own (not a diamond), its lint is
 * not drawn a second time over the rows, and the fused timer's later polls are Pending. */
static void s8_should_draw_the_poll_after_ready_as_a_poll_with_its_own_mark(void **s) {
    (void)s;
    fx_page *p = page_of("s08_fuse");
    const tload_trace *t = &p->d.t;
    int after = 0, fused = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind == TLOAD_POLL && (e->flags & TLOAD_F_AFTER_READY)) {
            after++;
            const tindex_future *f = tindex_future_get(&p->d.ix, e->future);
            assert_true(f->ready_ev >= 0 && t->ev[f->ready_ev].ts < e->ts); /* it had returned Ready */
            assert_non_null(cmd_of(p, DRAW_TAG_POLL, (int32_t)i));
            const draw_cmd *m = cmd_of(p, DRAW_TAG_AFTER_READY, (int32_t)i);
            assert_non_null(m);
            assert_int_equal(m->npts, 3); /* a warning triangle */
            assert_null(cmd_of(p, DRAW_TAG_READY, (int32_t)i));
        }
        if (e->kind == TLOAD_POLL && !strcmp(tload_str(t, e->s1), "fused")) {
            fused++;
            assert_int_equal(e->result, TLOAD_RES_PENDING);
            assert_non_null(cmd_of(p, DRAW_TAG_POLL, (int32_t)i));
            assert_non_null(cmd_of(p, DRAW_TAG_PENDING, (int32_t)i));
        }
        if (e->kind == TLOAD_LINT) assert_null(cmd_of(p, DRAW_TAG_INSTANT, (int32_t)i)); /* shown by its poll */
    }
    assert_int_equal(after, 1);
    assert_true(fused >= 1);
    fx_page_free(p);
}

/* The real models: a Pending poll no wake of its own asked for (woken_by) wears ∅, not
 * Pending's circle; the ideal run has none. */
static void a_poll_for_another_wake_should_wear_its_own_mark(void **s) {
    (void)s;
    fx_page *p = page_of("s03_many_requests.tokio");
    const tload_trace *t = &p->d.t;
    int marked = 0, woken = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].kind != TLOAD_POLL || !tload_woken_by(t, i)) continue;
        woken++;
        if (!cmd_of(p, DRAW_TAG_POLL, (int32_t)i)) continue; /* too narrow to draw */
        assert_non_null(cmd_of(p, DRAW_TAG_NO_PROGRESS, (int32_t)i));
        assert_null(cmd_of(p, DRAW_TAG_PENDING, (int32_t)i));
        marked++;
    }
    assert_true(woken >= 20 && marked >= 10);
    fx_page_free(p);
    p = page_of("s03_many_requests");
    for (size_t i = 0; i < p->dl.n; i++) assert_int_not_equal(p->dl.cmd[i].tag, DRAW_TAG_NO_PROGRESS);
    fx_page_free(p);
}

/* timeout.rs: the slow request never completes (main returns at 100 ms and the run ends),
 * so its bars end torn, not as if they had finished; every future that completed ends
 * plain; the legend says what the torn end means. S3's futures all complete: none. */
static void a_future_that_never_completed_should_end_torn(void **s) {
    (void)s;
    char err[512];
    fx_page *p = fx_page_new();
    if (doc_open(&p->d, PINATA_SOURCE_DIR "/scenarios/timeout.rs", 1, fx_sim(), err, sizeof err)) fail_msg("%s", err);
    assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &p->dl, &geom), 0);
    int never = 0;
    for (size_t i = 0; i < p->d.ix.n_futures; i++) {
        const tindex_future *f = &p->d.ix.futures[i];
        long torn = fx_find(&p->dl, DRAW_TAG_UNFINISHED, f->id, 0);
        if (f->ready_ev >= 0) { assert_true(torn < 0); continue; }
        assert_true(torn >= 0);
        const draw_cmd *bar = cmd_of(p, DRAW_TAG_BAR, f->id);
        assert_non_null(bar);
        const draw_cmd *t = &p->dl.cmd[torn]; /* a notch cut into the bar's right end */
        const float *xy = draw_cmd_pts(&p->dl, t);
        assert_int_equal(t->npts, 3);
        assert_true(fabsf(xy[0] - (bar->x + bar->w)) <= 1.5f && xy[2] < bar->x + bar->w - 3);
        assert_true(xy[1] >= bar->y - 1 && xy[5] <= bar->y + bar->h + 1);
        never++;
    }
    assert_int_equal(never, 2); /* B: cheapo_request and its connect */
    int legend = 0;
    for (size_t i = 0; i < p->dl.n; i++)
        legend |= p->dl.cmd[i].op == DRAW_TEXT && strstr(draw_cmd_text(&p->dl, &p->dl.cmd[i]), "torn end: never completed");
    assert_true(legend);
    fx_page_free(p);
    p = page_of("s03_many_requests");
    assert_int_equal(fx_count(&p->dl, DRAW_TAG_UNFINISHED), 0);
    fx_page_free(p);
}

/* fan_out.rs: ten JoinHandles awaited one after another, each on a row of its own (with
 * eight rows the last three shared one, bars over each other and a name over a bar). */
static void a_fan_out_of_ten_should_give_each_handle_a_row(void **s) {
    (void)s;
    char err[512];
    fx_page *p = fx_page_new();
    if (doc_open(&p->d, PINATA_SOURCE_DIR "/scenarios/fan_out.rs", 1, fx_sim(), err, sizeof err)) fail_msg("%s", err);
    assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &p->dl, &geom), 0);
    int handles = 0;
    for (size_t i = 0; i < p->d.ix.n_futures; i++) {
        const tindex_future *f = &p->d.ix.futures[i];
        if (strcmp(tload_str(&p->d.t, f->name), "JoinHandle")) continue;
        handles++;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(tload_str(&p->d.t, p->d.ix.futures[j].name), "JoinHandle")) assert_int_not_equal(p->d.ix.futures[j].row, f->row);
    }
    assert_int_equal(handles, 10);
    for (size_t i = 0; i < p->dl.n; i++) { /* no bar drawn over another */
        const draw_cmd *a = &p->dl.cmd[i];
        if (a->op != DRAW_RECT || a->tag != DRAW_TAG_BAR) continue;
        for (size_t j = i + 1; j < p->dl.n; j++) {
            const draw_cmd *b = &p->dl.cmd[j];
            if (b->op != DRAW_RECT || b->tag != DRAW_TAG_BAR || b->ref == a->ref || fabsf(a->y - b->y) > 0.5f) continue;
            assert_true(fminf(a->x + a->w, b->x + b->w) - fmaxf(a->x, b->x) <= 1.0f);
        }
    }
    fx_page_free(p);
}

/* The title of a real model's run says which runtime it imitates (its picture differs from
 * the lecture's: S8 under tokio panics where the description says pinata reports a lint). */
static void a_real_models_title_should_name_the_model(void **s) {
    (void)s;
    static const char *const runs[][2] = {{"s03_many_requests.tokio", "S3: many_requests with spawn_local · as tokio polls (runtime model)"},
                                         {"s08_fuse.async-std", "S8: the rule after Poll::Ready, and fuse · as async-std polls (runtime model)"},
                                         {"s03_many_requests", "S3: many_requests with spawn_local"}};
    for (int r = 0; r < 3; r++) {
        fx_page *p = page_of(runs[r][0]);
        size_t t = 0;
        while (t < p->dl.n && p->dl.cmd[t].tag != DRAW_TAG_TITLE) t++;
        assert_true(t < p->dl.n);
        assert_string_equal(draw_cmd_text(&p->dl, &p->dl.cmd[t]), runs[r][1]);
        fx_page_free(p);
    }
}

/* S8 under tokio: the polls the panic went through wear the stop sign, not Ready's diamond. */
static void s8_under_tokio_should_draw_the_panic(void **s) {
    (void)s;
    fx_page *p = page_of("s08_fuse.tokio");
    const tload_trace *t = &p->d.t;
    int panics = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].kind != TLOAD_POLL || t->ev[i].result != TLOAD_RES_PANIC) continue;
        const draw_cmd *m = cmd_of(p, DRAW_TAG_PANIC, (int32_t)i);
        assert_non_null(m);
        assert_int_equal(m->npts, 8); /* an octagon */
        assert_null(cmd_of(p, DRAW_TAG_READY, (int32_t)i));
        assert_null(cmd_of(p, DRAW_TAG_AFTER_READY, (int32_t)i));
        panics++;
    }
    assert_int_equal(panics, 2);
    fx_page_free(p);
}

/* S5: the call-time work is a labelled slice, then the future's creation mark, then (after
 * main's other work) the future's first poll, in that order left to right. */
static void s5_should_draw_call_time_work_before_the_future_and_its_first_poll(void **s) {
    (void)s;
    fx_page *p = page_of("s05_async_block");
    int seen = 0;
    for (size_t k = 0; k < p->d.ix.n_futures; k++) {
        const tindex_future *f = &p->d.ix.futures[k];
        if (f->call_ev < 0) continue;
        seen++;
        const tload_event *c = &p->d.t.ev[f->call_ev];
        assert_int_equal(strncmp(tload_str(&p->d.t, c->s3), "call time", 9), 0); /* the trace's why */
        const draw_cmd *slice = cmd_of(p, DRAW_TAG_CALLTIME, f->call_ev), *made = cmd_of(p, DRAW_TAG_CREATE, f->id);
        const draw_cmd *bar = cmd_of(p, DRAW_TAG_BAR, f->id);
        assert_non_null(slice);
        assert_non_null(made);
        assert_non_null(bar);
        float x_made = made->x + made->w / 2; /* the plus's centre */
        assert_true(slice->x + slice->w <= x_made + 4.5f);         /* the work ends where it is made */
        assert_true(slice->x < x_made);
        assert_true(x_made < bar->x);                              /* made before its first poll */
        assert_true(px(p, f->t_await) <= bar->x + 0.5f);
        int labelled = 0; /* "call time: host.to_string()", from the source line */
        for (size_t i = 0; i < p->dl.n; i++)
            labelled += p->dl.cmd[i].op == DRAW_TEXT && !strcmp(draw_cmd_text(&p->dl, &p->dl.cmd[i]), "call time: host.to_string()");
        assert_true(labelled >= 1);
    }
    assert_int_equal(seen, 1);
    fx_page_free(p);
}

static int has_text(const fx_page *p, const char *needle, int tag, int32_t ref) {
    for (size_t i = 0; i < p->dl.n; i++) {
        const draw_cmd *c = &p->dl.cmd[i];
        if (c->op == DRAW_TEXT && (tag < 0 || (c->tag == tag && c->ref == ref)) && strstr(draw_cmd_text(&p->dl, c), needle))
            return 1;
    }
    return 0;
}

/* S10 / S1: a memory track whose peak labels say what the trace's counters say. */
static void memory_track_should_label_its_peaks_from_the_counters(const char *name) {
    fx_page *p = page_of(name);
    const tload_trace *t = &p->d.t;
    assert_true(t->nmem > 0);
    assert_true(fx_count(&p->dl, DRAW_TAG_MEMORY) > 2);
    long ps = memtrack_peak_stack(t), pt = memtrack_peak_tasks(t);
    for (size_t i = 0; i < t->nmem; i++) { /* the peaks are the largest samples */
        assert_true(t->mem[i].stack_reserved <= t->mem[ps].stack_reserved);
        assert_true(t->mem[i].task_bytes <= t->mem[pt].task_bytes);
    }
    char want[96], total[32], bytes[32];
    snprintf(want, sizeof want, "thread stacks: %lld at the peak ×", (long long)t->mem[ps].threads);
    assert_true(has_text(p, want, DRAW_TAG_MEMORY, (int32_t)ps));
    memtrack_fmt_bytes(t->mem[ps].stack_reserved, 1, total, sizeof total);
    snprintf(want, sizeof want, "reserved = %s", total);
    assert_true(has_text(p, want, DRAW_TAG_MEMORY, (int32_t)ps));
    snprintf(want, sizeof want, "task state: %lld at the peak, %s", (long long)t->mem[pt].tasks,
             memtrack_fmt_bytes(t->mem[pt].task_bytes, 0, bytes, sizeof bytes));
    assert_true(has_text(p, want, DRAW_TAG_MEMORY, (int32_t)pt));
    fx_page_free(p);
}

static void s10_tasks_memory(void **s) { (void)s; memory_track_should_label_its_peaks_from_the_counters("chat_server"); }
static void s10_threads_memory(void **s) { (void)s; memory_track_should_label_its_peaks_from_the_counters("chat_server_threads"); }
static void s1_memory(void **s) { (void)s; memory_track_should_label_its_peaks_from_the_counters("s01_sync_threads"); }

static void a_run_of_one_task_and_one_thread_should_have_no_memory_track(void **s) {
    (void)s;
    fx_page *p = page_of("s02_block_on");
    assert_true(p->d.t.nmem > 0);
    assert_int_equal(fx_count(&p->dl, DRAW_TAG_MEMORY), 0);
    fx_page_free(p);
}

/* S10 with a thread per connection: three threads drawn, and one line for the others. */
static void s10_should_draw_a_few_threads_and_tasks_alike_and_count_the_rest(void **s) {
    (void)s;
    fx_page *p = page_of("chat_server_threads");
    size_t os_threads = 0, serve = 0;
    for (size_t l = 0; l < p->d.ix.n_lanes; l++) os_threads += p->d.ix.lanes[l].tid > 1000;
    for (size_t k = 0; k < p->d.ix.n_tasks; k++) serve += !strcmp(tload_str(&p->d.t, p->d.ix.tasks[k].name), "serve");
    assert_true(os_threads >= 10 && serve >= 10);
    char want[96];
    snprintf(want, sizeof want, "… %zu more threads like these", os_threads - 3);
    assert_true(has_text(p, want, -1, 0));
    snprintf(want, sizeof want, "… %zu more tasks like these (serve", serve - 3);
    assert_true(has_text(p, want, -1, 0));
    assert_int_equal(fx_count(&p->dl, DRAW_TAG_LANE), 3 + 2); /* main, three threads, the OS */
    assert_true(p->dl.height < 1600); /* was 2,895 px with every thread's lane */
    fx_page_free(p);
}

/* Two runs compared (S10 threads against tasks): both memory tracks on ONE scale, so the
 * tasks' track is a sliver beside the threads' stacks; with one run wanting the track (S1's
 * threads against S3's tasks), both have it. */
static void compared_runs_should_share_one_memory_scale(void **s) {
    (void)s;
    compare c;
    char err[512], want[64], buf[32];
    assert_int_equal(compare_open(&c, TRACES "chat_server_threads.trace.json", TRACES "chat_server.trace.json", 1, NULL,
                                  err, sizeof err), 0);
    layout_view v;
    layout_view_init(&v, 1600, 0);
    draw_list dl;
    draw_list_init(&dl, 1600, 0, 0xFFFFFFFF);
    assert_int_equal(compare_build(&c, &v, &dl, NULL, NULL), 0);
    int64_t top = memtrack_top(&c.run[0].t) > memtrack_top(&c.run[1].t) ? memtrack_top(&c.run[0].t) : memtrack_top(&c.run[1].t);
    snprintf(want, sizeof want, "0 – %s", memtrack_fmt_bytes(top, 1, buf, sizeof buf));
    float scale_y[2] = {0};
    int scales = 0;
    for (size_t i = 0; i < dl.n; i++)
        if (dl.cmd[i].tag == DRAW_TAG_MEMORY && dl.cmd[i].op == DRAW_TEXT && !strncmp(draw_cmd_text(&dl, &dl.cmd[i]), "0 – ", 5)) {
            assert_string_equal(draw_cmd_text(&dl, &dl.cmd[i]), want);
            if (scales < 2) scale_y[scales] = dl.cmd[i].y;
            scales++;
        }
    assert_int_equal(scales, 2);
    float tall[2] = {0};
    for (size_t i = 0; i < dl.n; i++) {
        const draw_cmd *k = &dl.cmd[i];
        if (k->tag != DRAW_TAG_MEMORY || k->op != DRAW_RECT) continue;
        int run = k->y > scale_y[0] + 10; /* below run A's track: run B's */
        if (k->h > tall[run]) tall[run] = k->h;
    }
    assert_true(tall[0] > 20 * tall[1]); /* 808 MiB of stacks against 24 MiB */
    draw_list_free(&dl);
    compare_close(&c);

    assert_int_equal(compare_open(&c, TRACES "s01_sync_threads.trace.json", TRACES "s03_many_requests.trace.json", 1, NULL,
                                  err, sizeof err), 0);
    assert_false(memtrack_wanted(&c.run[1].t)); /* S3 alone would not draw one */
    draw_list_init(&dl, 1600, 0, 0xFFFFFFFF);
    assert_int_equal(compare_build(&c, &v, &dl, NULL, NULL), 0);
    scales = 0;
    for (size_t i = 0; i < dl.n; i++)
        scales += dl.cmd[i].tag == DRAW_TAG_MEMORY && dl.cmd[i].op == DRAW_TEXT && !strncmp(draw_cmd_text(&dl, &dl.cmd[i]), "0 – ", 5);
    assert_int_equal(scales, 2);
    draw_list_free(&dl);
    compare_close(&c);
}

/* S10 with async tasks: only the three serve tasks drawn above keep their marks and wake
 * arrows on the workers; the others' polls are grey, without either. */
static void s10_tasks_not_drawn_should_keep_grey_polls_without_marks_or_arrows(void **s) {
    (void)s;
    fx_page *p = page_of("chat_server");
    const tload_trace *t = &p->d.t;
    int32_t standing[4] = {-1, -1, -1, -1};
    int n = 0, serve = 0;
    for (size_t k = 0; k < p->d.ix.n_tasks && n < 4; k++) { /* main, then the first three serve tasks */
        int is_serve = !strcmp(tload_str(t, p->d.ix.tasks[k].name), "serve");
        if (!is_serve || serve++ < 3) standing[n++] = p->d.ix.tasks[k].id;
    }
    size_t marks = 0, arrows = 0, grey = 0;
    for (size_t i = 0; i < p->dl.n; i++) {
        const draw_cmd *c = &p->dl.cmd[i];
        int mark = c->tag == DRAW_TAG_PENDING || c->tag == DRAW_TAG_READY, arrow = c->tag == DRAW_TAG_WAKE_ARROW;
        if (c->tag == DRAW_TAG_POLL && c->fill == draw_rgb(0xB8B8B8)) grey++;
        if (!(mark || arrow) || c->ref < 0) continue;
        int32_t task = t->ev[c->ref].task, ok = 0;
        for (int k = 0; k < n; k++) ok |= task == standing[k];
        assert_true(ok);
        marks += mark;
        arrows += arrow;
    }
    assert_true(marks > 0 && arrows > 0 && grey > 0);
    fx_page_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s6_should_flag_every_thread_and_task_local_on_its_poll),
        cmocka_unit_test(s6_should_mark_each_task_that_resumes_on_another_worker),
        cmocka_unit_test(failing_host_should_end_each_failed_task_with_a_cross_in_both_views),
        cmocka_unit_test(s3_join_handles),
        cmocka_unit_test(s4_join_handles),
        cmocka_unit_test(s6_join_handles),
        cmocka_unit_test(s8_should_draw_the_poll_after_ready_as_a_poll_with_its_own_mark),
        cmocka_unit_test(a_poll_for_another_wake_should_wear_its_own_mark),
        cmocka_unit_test(s8_under_tokio_should_draw_the_panic),
        cmocka_unit_test(a_real_models_title_should_name_the_model),
        cmocka_unit_test(a_future_that_never_completed_should_end_torn),
        cmocka_unit_test(a_fan_out_of_ten_should_give_each_handle_a_row),
        cmocka_unit_test(s5_should_draw_call_time_work_before_the_future_and_its_first_poll),
        cmocka_unit_test(s10_tasks_memory),
        cmocka_unit_test(s10_threads_memory),
        cmocka_unit_test(s1_memory),
        cmocka_unit_test(a_run_of_one_task_and_one_thread_should_have_no_memory_track),
        cmocka_unit_test(s10_should_draw_a_few_threads_and_tasks_alike_and_count_the_rest),
        cmocka_unit_test(compared_runs_should_share_one_memory_scale),
        cmocka_unit_test(s10_tasks_not_drawn_should_keep_grey_polls_without_marks_or_arrows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
