/* viz/layout: positions checked from the draw-command list of real runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "viz_fixture.h"

typedef fx_page fx;

static int setup_block_on(void **s) {
    fx *f = fx_page_new();
    fx_open(&f->d, "block_on", "t_layout_b.json", 1);
    *s = f;
    return 0;
}

static int setup_many(void **s) {
    fx *f = fx_page_new();
    fx_open(&f->d, "many_requests", "t_layout_m.json", 1);
    *s = f;
    return 0;
}

static int teardown(void **s) {
    fx_page_free(*s);
    remove("t_layout_b.json");
    remove("t_layout_m.json");
    return 0;
}

static const draw_cmd *cmd_of(const fx *f, int tag, int32_t ref) {
    long i = fx_find(&f->dl, tag, ref, 0);
    assert_true(i >= 0);
    return &f->dl.cmd[i];
}

static void layout_should_place_polls_of_a_task_in_time_order(void **s) {
    fx *f = *s;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    float last_x = -1;
    int polls = 0;
    for (int k = 0; k < 5; k++) { /* A = cheapo_request is polled 5 times */
        int32_t p = fx_poll(&f->d.t, "cheapo_request", k);
        assert_true(p >= 0);
        const draw_cmd *c = cmd_of(f, DRAW_TAG_POLL, p);
        assert_true(c->x > last_x);
        last_x = c->x + c->w; /* and they do not overlap */
        polls++;
    }
    assert_int_equal(polls, 5);
    assert_true(fx_poll(&f->d.t, "read_to_string", 3) >= 0); /* D is polled exactly 4 times */
    assert_true(fx_poll(&f->d.t, "read_to_string", 4) < 0);
}

static void layout_should_cover_the_gap_between_pending_and_the_wake_with_a_park(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    const tload_trace *t = &f->d.t;
    int32_t first = fx_poll(t, "cheapo_request", 0), second = fx_poll(t, "cheapo_request", 1);
    int32_t wake = tindex_waker_of(t, &f->d.ix, second);
    assert_true(wake >= 0);
    const draw_cmd *a = cmd_of(f, DRAW_TAG_POLL, first), *w = cmd_of(f, DRAW_TAG_WAKE, wake);
    long found = -1;
    for (size_t i = 0; i < f->dl.n; i++) {
        const draw_cmd *c = &f->dl.cmd[i];
        if (c->tag != DRAW_TAG_PARK) continue;
        /* the park starts where A's Pending poll ends and reaches the wake */
        if (c->x >= a->x + a->w - 1.5f && c->x <= a->x + a->w + 1.5f && c->x + c->w >= w->x - 1.5f) found = (long)i;
    }
    assert_true(found >= 0);
    assert_int_equal(f->dl.cmd[found].fill, draw_rgb(0x5A3A22)); /* the slides' dark brown */
    assert_true(f->dl.cmd[found].y == a->y); /* on the thread lane, where the polls are */
}

static void layout_should_draw_nested_polls_inside_their_parent(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    const tload_trace *t = &f->d.t;
    int checked = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind != TLOAD_POLL || e->parent < 0) continue;
        /* find the parent's poll that contains this one in time */
        for (size_t j = 0; j < t->n; j++) {
            const tload_event *p = &t->ev[j];
            if (p->kind != TLOAD_POLL || p->future != e->parent || p->ts > e->ts || p->ts + p->dur < e->ts + e->dur) continue;
            const draw_cmd *pc = cmd_of(f, DRAW_TAG_POLL, (int32_t)j), *cc = cmd_of(f, DRAW_TAG_POLL, (int32_t)i);
            assert_true(cc->x >= pc->x - 0.01f);
            assert_true(cc->x + cc->w <= pc->x + pc->w + 0.01f);
            assert_true(cc->y >= pc->y + pc->h); /* one row below: B.poll under A.poll */
            checked++;
        }
    }
    assert_int_equal(checked, 7); /* B twice, C once, D four times */
}

static void layout_should_end_polls_with_marks_told_apart_by_shape(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    const tload_trace *t = &f->d.t;
    int pend = 0, ready = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].kind != TLOAD_POLL) continue;
        const draw_cmd *bar = cmd_of(f, DRAW_TAG_POLL, (int32_t)i);
        int tag = t->ev[i].result == TLOAD_RES_READY ? DRAW_TAG_READY : DRAW_TAG_PENDING;
        const draw_cmd *m = cmd_of(f, tag, (int32_t)i);
        /* a hollow circle for Pending, a filled polygon (diamond) for Ready */
        assert_int_equal(m->op, tag == DRAW_TAG_READY ? DRAW_POLY : DRAW_CIRCLE);
        float mx = m->op == DRAW_CIRCLE ? m->x : m->x + m->w / 2;
        assert_true(mx > bar->x + bar->w - 1.5f && mx < bar->x + bar->w + 1.5f); /* at the poll's end */
        if (tag == DRAW_TAG_READY) ready++; else pend++;
    }
    assert_true(pend >= 8);
    assert_true(ready >= 4);
}

static void layout_should_aim_each_wake_arrow_at_the_poll_it_caused(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    assert_int_equal(f->d.ix.n_flows, 4); /* four wakes: connected, and three reads */
    for (size_t k = 0; k < f->d.ix.n_flows; k++) {
        const draw_cmd *a = cmd_of(f, DRAW_TAG_WAKE_ARROW, f->d.ix.flows[k].poll);
        const draw_cmd *p = cmd_of(f, DRAW_TAG_POLL, f->d.ix.flows[k].poll);
        const draw_cmd *w = cmd_of(f, DRAW_TAG_WAKE, f->d.ix.flows[k].wake);
        assert_true(a->w >= p->x - 0.5f && a->w <= p->x + 2.5f);  /* the head at the poll's start */
        assert_true(a->x >= w->x - 0.5f && a->x <= w->x + w->w + 0.5f); /* from the wake */
        assert_true(a->y > a->h); /* from the OS lane below, upwards */
    }
}

static void layout_should_span_each_simplified_bar_over_its_polls(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    const tload_trace *t = &f->d.t;
    for (size_t i = 0; i < f->d.ix.n_futures; i++) {
        const tindex_future *fu = &f->d.ix.futures[i];
        const draw_cmd *bar = cmd_of(f, DRAW_TAG_BAR, fu->id);
        for (size_t j = 0; j < t->n; j++) {
            if (t->ev[j].kind != TLOAD_POLL || t->ev[j].future != fu->id) continue;
            const draw_cmd *p = cmd_of(f, DRAW_TAG_POLL, (int32_t)j);
            assert_true(p->x >= bar->x - 0.5f);
            assert_true(p->x + p->w <= bar->x + bar->w + 0.5f);
            assert_true(bar->y < p->y); /* the Simplified View is on top */
        }
    }
    /* and nested below their caller: connect's bar under cheapo_request's */
    const draw_cmd *a = cmd_of(f, DRAW_TAG_BAR, 1), *b = cmd_of(f, DRAW_TAG_BAR, 2);
    assert_true(b->y >= a->y + a->h);
}

static void layout_should_fade_what_comes_after_the_cursor_and_hide_it_in_reveal_mode(void **s) {
    fx *f = *s;
    int32_t late = fx_poll(&f->d.t, "read_to_string", 3);
    int32_t early = fx_poll(&f->d.t, "cheapo_request", 0);
    f->v.step = tindex_rank_end(&f->d.ix, early) + 1; /* just after A's first poll returned */
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    assert_int_equal(cmd_of(f, DRAW_TAG_POLL, early)->fill & 0xFF, 0xFF);
    assert_true((cmd_of(f, DRAW_TAG_POLL, late)->fill & 0xFF) < 0x80);
    assert_int_equal(fx_count(&f->dl, DRAW_TAG_CURSOR), 1);
    assert_true(fx_count(&f->dl, DRAW_TAG_CAPTION) >= 2);
    f->v.reveal = 1;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    assert_true(fx_find(&f->dl, DRAW_TAG_POLL, late, 0) < 0);
    assert_true(fx_find(&f->dl, DRAW_TAG_POLL, early, 0) >= 0);
}

/* A park goes on past the cursor: faded after it, and in reveal mode cut at it (how long
 * it lasts would tell when the thread wakes). */
static void layout_should_cut_a_park_at_the_cursor_in_reveal_mode(void **s) {
    fx *f = *s;
    int32_t park = -1;
    for (size_t i = 0; i < f->d.t.n && park < 0; i++)
        if (f->d.t.ev[i].kind == TLOAD_PARK) park = (int32_t)i;
    assert_true(park >= 0);
    f->v.step = f->d.ix.rank_start[park] + 1; /* just after it started: the clock has not moved */
    assert_true(tindex_step_time(&f->d.t, f->d.ix.steps[f->v.step]) < f->d.t.ev[park].ts + f->d.t.ev[park].dur);
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    float whole = 0, x0 = 1e9f;
    for (size_t i = 0; i < f->dl.n; i++)
        if (f->dl.cmd[i].tag == DRAW_TAG_PARK && f->dl.cmd[i].ref == park && f->dl.cmd[i].op == DRAW_RECT) {
            whole += f->dl.cmd[i].w;
            if (f->dl.cmd[i].x < x0) x0 = f->dl.cmd[i].x;
        }
    assert_true(whole > 20); /* every part of it is drawn, the rest faded */
    f->v.reveal = 1;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    float cursor = f->dl.cmd[fx_find(&f->dl, DRAW_TAG_CURSOR, -1, 0)].x;
    for (size_t i = 0; i < f->dl.n; i++)
        if (f->dl.cmd[i].tag == DRAW_TAG_PARK && f->dl.cmd[i].ref == park && f->dl.cmd[i].op == DRAW_RECT)
            assert_true(f->dl.cmd[i].x + f->dl.cmd[i].w <= cursor + 1);
}

/* A JoinHandle made at its spawn and awaited later: in reveal mode, before its await, its
 * dotted line stops at the cursor and its bar and name are not drawn (where they stand
 * would tell when it is awaited). */
static void layout_should_not_show_a_later_await_in_reveal_mode(void **s) {
    fx *f = *s;
    const tindex_future *late = NULL;
    for (size_t i = 0; i < f->d.ix.n_futures && !late; i++)
        if (f->d.ix.futures[i].t_await > f->d.ix.futures[i].t0 + 1000000) late = &f->d.ix.futures[i];
    assert_non_null(late); /* a JoinHandle awaited after a connect's milliseconds */
    f->v.step = f->d.ix.rank_start[late->first_ev] + 1;
    f->v.reveal = 1;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    float cursor = f->dl.cmd[fx_find(&f->dl, DRAW_TAG_CURSOR, -1, 0)].x;
    assert_true(fx_find(&f->dl, DRAW_TAG_BAR, late->id, 0) < 0);
    for (size_t i = 0; i < f->dl.n; i++) {
        const draw_cmd *c = &f->dl.cmd[i];
        if (c->op != DRAW_LINE || !(c->flags & DRAW_DASHED) || c->y != c->h) continue; /* horizontal dotted */
        assert_true(fmaxf(c->x, c->w) <= cursor + 1);
    }
    f->v.reveal = 0; /* faded, not hidden: the bar is there, its dotted line reaches it */
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    assert_true(fx_find(&f->dl, DRAW_TAG_BAR, late->id, 0) >= 0);
    float far = 0;
    for (size_t i = 0; i < f->dl.n; i++) {
        const draw_cmd *c = &f->dl.cmd[i];
        if (c->op == DRAW_LINE && (c->flags & DRAW_DASHED) && c->y == c->h) far = fmaxf(far, fmaxf(c->x, c->w));
    }
    assert_true(far > cursor + 50);
}

static void layout_should_compress_idle_stretches_and_mark_the_breaks(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    size_t breaks = fx_count(&f->dl, DRAW_TAG_BREAK);
    assert_true(breaks >= 4); /* one per park */
    /* proportional: A's first poll (3 µs of 140 ms) is about one pixel wide */
    doc_set_compressed(&f->d, 0);
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    assert_int_equal(fx_count(&f->dl, DRAW_TAG_BREAK), 0);
    assert_true(cmd_of(f, DRAW_TAG_POLL, fx_poll(&f->d.t, "cheapo_request", 0))->w < 2);
    doc_set_compressed(&f->d, 1);
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    assert_true(cmd_of(f, DRAW_TAG_POLL, fx_poll(&f->d.t, "cheapo_request", 0))->w > 40);
}

static void layout_should_put_three_tasks_on_one_thread_lane(void **s) {
    fx *f = *s;
    layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL);
    float lane_y = -1;
    int tasks_seen[8] = {0};
    for (size_t i = 0; i < f->d.t.n; i++) {
        const tload_event *e = &f->d.t.ev[i];
        if (e->kind != TLOAD_POLL || e->parent >= 0) continue;
        const draw_cmd *c = cmd_of(f, DRAW_TAG_POLL, (int32_t)i);
        if (lane_y < 0) lane_y = c->y;
        assert_true(c->y == lane_y); /* every task's poll on the one main thread row */
        if (e->task < 8) tasks_seen[e->task] = 1;
    }
    assert_true(tasks_seen[2] && tasks_seen[3] && tasks_seen[4]);
    assert_int_equal(f->d.ix.n_lanes, 2); /* main and the OS lane */
}

static void layout_should_name_the_spawned_tasks_A_B_C_as_the_slides_do(void **s) {
    fx *f = *s;
    char buf[64];
    const tindex_task *k = tindex_task_get(&f->d.ix, 2);
    assert_non_null(k);
    assert_int_equal(k->letter, 'A');
    assert_string_equal(caption_future(&f->d.t, &f->d.ix, k->root_future, buf, sizeof buf), "A (cheapo_request)");
}

static void layout_should_draw_one_mark_per_pixel_column_when_events_crowd(void **s) {
    (void)s;
    doc d;
    char err[512];
    fx_write_big("t_layout_big.json", 120000);
    assert_int_equal(doc_open(&d, "t_layout_big.json", 0, NULL, err, sizeof err), 0);
    layout_view v;
    layout_view_init(&v, 1200, 0);
    draw_list dl;
    draw_list_init(&dl, 1200, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d.t, &d.ix, &d.ax, &v, &dl, NULL), 0);
    /* 40,000 polls over ~1000 columns and two rows: about one bar per column and row */
    size_t polls = fx_count(&dl, DRAW_TAG_POLL);
    assert_true(polls > 500);
    assert_true(polls <= 2 * 1300);
    assert_true(fx_count(&dl, DRAW_TAG_WAKE_ARROW) <= 1300);
    draw_list_free(&dl);
    doc_close(&d);
    remove("t_layout_big.json");
}

/* Culling: at every zoom the list is bounded by the plot's pixel columns, not by the
 * events (the window's frame time follows from it; times are measured, not asserted). */
static void layout_should_keep_the_list_bounded_by_pixel_columns_at_any_zoom(void **s) {
    (void)s;
    doc d;
    char err[512];
    fx_write_big("t_layout_zoom.json", 120000);
    assert_int_equal(doc_open(&d, "t_layout_zoom.json", 1, NULL, err, sizeof err), 0);
    layout_view v;
    layout_view_init(&v, 1200, 0);
    draw_list dl;
    draw_list_init(&dl, 1200, 0, 0xFFFFFFFF);
    const double spans[] = {1, 0.01, 1e-4, 1e-6};
    for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
        v.u_lo = d.ax.u_total * (0.5 - spans[k] / 2);
        v.u_hi = d.ax.u_total * (0.5 + spans[k] / 2);
        v.step = (long)d.ix.n_steps / 2;
        assert_int_equal(layout_build(&d.t, &d.ix, &d.ax, &v, &dl, NULL), 0);
        assert_true(dl.n <= 8 * 1200);                       /* a few commands per column */
        assert_true(fx_count(&dl, DRAW_TAG_POLL) <= 2 * 1300); /* two rows of polls */
        if (spans[k] < 1e-5) assert_true(dl.n < 300);         /* a few events in view */
    }
    draw_list_free(&dl);
    doc_close(&d);
    remove("t_layout_zoom.json");
}

/* Zoomed into the wait between a JoinHandle's spawn and its await, the dotted line from
 * the + to the bar is cut at the plot's edges: a line a million pixels long made the
 * window dash it into a billion triangles (it crashed at 0.001 % of the 1M-event trace). */
static void layout_should_cut_a_long_dotted_line_at_the_plot_when_zoomed_in(void **s) {
    fx *f = *s;
    const tindex_future *w = NULL;
    for (size_t i = 0; i < f->d.ix.n_futures; i++) {
        const tindex_future *g = &f->d.ix.futures[i];
        if (g->t_await > g->t0 && (!w || g->t_await - g->t0 > w->t_await - w->t0)) w = g;
    }
    assert_non_null(w);
    double u0 = taxis_u(&f->d.ax, w->t0), u1 = taxis_u(&f->d.ax, w->t_await), mid = (u0 + u1) / 2;
    const double spans[] = {1e-2, 1e-4, 1e-6};
    for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
        f->v.u_lo = mid - f->d.ax.u_total * spans[k] / 2;
        f->v.u_hi = mid + f->d.ax.u_total * spans[k] / 2;
        assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
        size_t dotted = 0;
        for (size_t i = 0; i < f->dl.n; i++) {
            const draw_cmd *c = &f->dl.cmd[i];
            if (c->op != DRAW_LINE || !(c->flags & DRAW_DASHED)) continue;
            assert_true(c->x >= -50 && c->x <= 1650 && c->w >= -50 && c->w <= 1650);
            dotted++;
        }
        assert_true(dotted > 0); /* the wait is still shown, across the plot */
        assert_int_equal(fx_count(&f->dl, DRAW_TAG_CREATE), 0); /* its + is off the plot */
    }
}

/* The window lays out only the band it shows: above it, the Simplified View; the
 * Implementation's lanes below it are left out, and a band over everything changes nothing. */
static void layout_should_leave_out_rows_outside_the_band(void **s) {
    fx *f = *s;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    size_t all = f->dl.n, bars = fx_count(&f->dl, DRAW_TAG_BAR);
    float top = 1e9f; /* the highest poll: the thread lanes start there */
    for (size_t i = 0; i < f->dl.n; i++)
        if (f->dl.cmd[i].tag == DRAW_TAG_POLL && f->dl.cmd[i].y < top) top = f->dl.cmd[i].y;
    assert_true(bars > 0 && top < 1e9f);
    f->v.band_y0 = 0;
    f->v.band_y1 = 100000;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    assert_int_equal(f->dl.n, all);
    f->v.band_y1 = top - 60; /* above the thread lanes */
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    assert_int_equal(fx_count(&f->dl, DRAW_TAG_POLL), 0);
    assert_int_equal(fx_count(&f->dl, DRAW_TAG_BAR), bars);
}

static void open_scenario(doc *d, const char *file, draw_list *dl) {
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/scenarios/%s", PINATA_SOURCE_DIR, file);
    if (access(path, R_OK) != 0) skip();
    assert_int_equal(doc_open(d, path, 1, fx_sim(), err, sizeof err), 0);
    layout_view v;
    layout_view_init(&v, 1400, 0);
    draw_list_init(dl, 1400, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d->t, &d->ix, &d->ax, &v, dl, NULL), 0);
}

static void layout_should_draw_blocked_sync_threads_brown_and_calls_without_marks(void **s) {
    (void)s;
    doc d;
    draw_list dl;
    open_scenario(&d, "s01_sync_threads.json", &dl);
    size_t blocked = 0, calls = 0;
    for (size_t i = 0; i < d.t.n; i++) {
        const tload_event *e = &d.t.ev[i];
        if (e->kind == TLOAD_BLOCKED) {
            long c = fx_find(&dl, DRAW_TAG_PARK, (int32_t)i, 0);
            assert_true(c >= 0);
            assert_int_equal(dl.cmd[c].fill, draw_rgb(0x5A3A22)); /* waiting is brown, as in the slides */
            blocked++;
        }
        if (e->kind == TLOAD_POLL && (e->flags & TLOAD_F_SYNC)) {
            assert_true(fx_find(&dl, DRAW_TAG_PENDING, (int32_t)i, 0) < 0); /* a call just returns */
            assert_true(fx_find(&dl, DRAW_TAG_READY, (int32_t)i, 0) < 0);
            calls++;
        }
    }
    assert_true(blocked >= 3); /* one thread per connection, each blocked in its calls */
    assert_true(calls >= 3);
    draw_list_free(&dl);
    doc_close(&d);
}

static void layout_should_flag_a_lost_waker_and_the_deadlock_in_red(void **s) {
    (void)s;
    doc d;
    draw_list dl;
    open_scenario(&d, "lost_wakeup.json", &dl);
    int lints = 0;
    for (size_t i = 0; i < d.t.n; i++) {
        if (d.t.ev[i].kind != TLOAD_LINT && d.t.ev[i].kind != TLOAD_DEADLOCK) continue;
        long c = fx_find(&dl, DRAW_TAG_INSTANT, (int32_t)i, 0);
        assert_true(c >= 0);
        assert_int_equal(dl.cmd[c].op, DRAW_POLY);
        assert_int_equal(dl.cmd[c].npts, 3); /* a warning triangle */
        lints++;
    }
    assert_true(lints >= 2); /* lost_waker, then the deadlock */
    draw_list_free(&dl);
    doc_close(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(layout_should_place_polls_of_a_task_in_time_order, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_cover_the_gap_between_pending_and_the_wake_with_a_park, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_draw_nested_polls_inside_their_parent, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_end_polls_with_marks_told_apart_by_shape, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_aim_each_wake_arrow_at_the_poll_it_caused, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_span_each_simplified_bar_over_its_polls, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_fade_what_comes_after_the_cursor_and_hide_it_in_reveal_mode, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_cut_a_park_at_the_cursor_in_reveal_mode, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_not_show_a_later_await_in_reveal_mode, setup_many, teardown),
        cmocka_unit_test_setup_teardown(layout_should_compress_idle_stretches_and_mark_the_breaks, setup_block_on, teardown),
        cmocka_unit_test_setup_teardown(layout_should_put_three_tasks_on_one_thread_lane, setup_many, teardown),
        cmocka_unit_test_setup_teardown(layout_should_name_the_spawned_tasks_A_B_C_as_the_slides_do, setup_many, teardown),
        cmocka_unit_test(layout_should_draw_one_mark_per_pixel_column_when_events_crowd),
        cmocka_unit_test(layout_should_keep_the_list_bounded_by_pixel_columns_at_any_zoom),
        cmocka_unit_test_setup_teardown(layout_should_leave_out_rows_outside_the_band, setup_many, teardown),
        cmocka_unit_test_setup_teardown(layout_should_cut_a_long_dotted_line_at_the_plot_when_zoomed_in, setup_many, teardown),
        cmocka_unit_test(layout_should_draw_blocked_sync_threads_brown_and_calls_without_marks),
        cmocka_unit_test(layout_should_flag_a_lost_waker_and_the_deadlock_in_red),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
