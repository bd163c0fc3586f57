/* viz/tindex and viz/taxis: steps, nesting, flows and the compressed axis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>

#include "viz_fixture.h"

static int setup(void **s) {
    doc *d = calloc(1, sizeof *d);
    fx_open(d, "block_on", "t_tindex.json", 1);
    *s = d;
    return 0;
}

static int teardown(void **s) {
    doc_close(*s);
    free(*s);
    remove("t_tindex.json");
    return 0;
}

static void steps_should_be_in_time_order_with_returns_before_starts(void **s) {
    doc *d = *s;
    for (size_t k = 1; k < d->ix.n_steps; k++)
        assert_true(tindex_step_time(&d->t, d->ix.steps[k - 1]) <= tindex_step_time(&d->t, d->ix.steps[k]));
    /* a poll gives two steps: it starts, later it returns */
    int32_t a = fx_poll(&d->t, "cheapo_request", 0), b = fx_poll(&d->t, "connect", 0);
    assert_true(d->ix.rank_start[a] < d->ix.rank_start[b]);  /* A.poll starts, then B.poll */
    assert_true(tindex_rank_end(&d->ix, b) < tindex_rank_end(&d->ix, a));      /* B returns before A returns */
}

static void depth_should_nest_B_poll_inside_A_poll_inside_block_on(void **s) {
    doc *d = *s;
    int32_t a = fx_poll(&d->t, "cheapo_request", 0), b = fx_poll(&d->t, "connect", 0);
    assert_int_equal(d->ix.depth[a], 1);
    assert_int_equal(d->ix.depth[b], 2);
    for (size_t i = 0; i < d->t.n; i++)
        if (d->t.ev[i].kind == TLOAD_EXECUTOR) assert_int_equal(d->ix.depth[i], 0);
}

static void futures_should_be_lettered_A_to_D_as_in_the_slide(void **s) {
    doc *d = *s;
    const char *names[] = {"cheapo_request", "connect", "write_all", "read_to_string"};
    for (int k = 0; k < 4; k++) {
        int32_t p = fx_poll(&d->t, names[k], 0);
        const tindex_future *f = tindex_future_get(&d->ix, d->t.ev[p].future);
        assert_non_null(f);
        assert_int_equal(f->letter, 'A' + k);
    }
}

static void every_queued_wake_should_be_paired_with_the_root_poll_it_caused(void **s) {
    doc *d = *s;
    assert_int_equal(d->ix.n_flows, 4);
    for (size_t k = 0; k < d->ix.n_flows; k++) {
        const tload_event *w = &d->t.ev[d->ix.flows[k].wake], *p = &d->t.ev[d->ix.flows[k].poll];
        assert_int_equal(w->kind, TLOAD_WAKE);
        assert_int_equal(p->kind, TLOAD_POLL);
        assert_int_equal(p->parent, -1);
        assert_true(p->ts >= w->ts);
    }
    /* and a nested poll finds the wake of the root poll around it */
    int32_t d2 = fx_poll(&d->t, "read_to_string", 1);
    assert_true(tindex_waker_of(&d->t, &d->ix, d2) >= 0);
    assert_int_equal(tindex_waker_of(&d->t, &d->ix, fx_poll(&d->t, "cheapo_request", 0)), -1);
}

static void next_poll_should_jump_over_other_steps(void **s) {
    doc *d = *s;
    long k = tindex_next_poll(&d->t, &d->ix, 0, 1);
    uint32_t c = d->ix.steps[k];
    assert_int_equal(d->t.ev[tindex_step_event(c)].kind, TLOAD_POLL);
    assert_false(tindex_step_is_end(c));
    assert_int_equal(tindex_next_poll(&d->t, &d->ix, k, -1), k); /* no poll before the first */
}

static void compressed_axis_should_shrink_idle_stretches_and_keep_order(void **s) {
    doc *d = *s;
    taxis prop;
    assert_int_equal(taxis_build(&prop, &d->t, &d->ix, 0), 0);
    const taxis *c = &d->ax;
    assert_true(c->u_total < prop.u_total / 100); /* 140 ms mostly asleep, drawn short */
    double g = -1;
    int gaps = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->seg[i].compressed != TAXIS_IDLE) continue;
        double w = c->seg[i].u1 - c->seg[i].u0;
        if (g < 0) g = w;
        assert_true(w > g - 1e-9 && w < g + 1e-9); /* every idle stretch the same width */
        gaps++;
    }
    assert_int_equal(gaps, 4);
    double last = -1;
    for (int64_t t = d->ix.t_min; t <= d->ix.t_max; t += 997) {
        double u = taxis_u(c, t);
        assert_true(u >= last);
        last = u;
        int64_t back = taxis_t(c, u);
        assert_true(back > t - 2000000 && back < t + 2000000);
    }
    taxis_free(&prop);
}

/* S5: a 2 ms compute beside polls of a few µs. The compressed axis draws the compute short
 * (a busy break) and gives every poll at least its least share; proportional does not. */
static void compressed_axis_should_draw_a_long_compute_short_and_every_poll_visible(void **s) {
    (void)s;
    doc d;
    fx_open(&d, PINATA_SOURCE_DIR "/scenarios/s05_async_block.json", "t_tindex_s5.json", 1);
    const taxis *c = &d.ax;
    int64_t longest = 0;
    int32_t comp = -1;
    for (size_t i = 0; i < d.t.n; i++)
        if (d.t.ev[i].kind == TLOAD_COMPUTE && d.t.ev[i].dur > longest) { longest = d.t.ev[i].dur; comp = (int32_t)i; }
    assert_true(comp >= 0);
    const tload_event *e = &d.t.ev[comp];
    double share = (taxis_u(c, e->ts + e->dur) - taxis_u(c, e->ts)) / c->u_total;
    assert_true(share < 0.25); /* it was 80 % of the width */
    size_t busy = 0, polls = 0;
    for (size_t i = 0; i < c->n_brk; i++) busy += c->seg[c->brk[i]].compressed == TAXIS_BUSY;
    assert_true(busy >= 1);
    for (size_t i = 0; i < d.t.n; i++) {
        const tload_event *p = &d.t.ev[i];
        if (p->kind != TLOAD_POLL || p->dur <= 0) continue;
        polls++;
        double w = (taxis_u(c, p->ts + p->dur) - taxis_u(c, p->ts)) / c->u_total;
        assert_true(w >= TAXIS_MIN_FRAC * 0.999);
    }
    assert_true(polls > 5);
    taxis prop;
    assert_int_equal(taxis_build(&prop, &d.t, &d.ix, 0), 0);
    assert_int_equal(prop.n_brk, 0);
    assert_true((double)e->dur / 1000.0 / prop.u_total > 0.02); /* true scale: the compute's true share */
    taxis_free(&prop);
    doc_close(&d);
    remove("t_tindex_s5.json");
}

/* The order of the steps as tindex.h states it, checked pair by pair from the trace: time;
 * at one time returns of slices with a duration, then instants, then starts (a longer
 * slice first), then returns of empty slices; else file order. */
static int step_class_of(const tload_event *e, uint32_t code) {
    if (tindex_step_is_end(code)) return e->dur > 0 ? 0 : 3;
    return e->ph != 'X' ? 1 : 2;
}

static void check_step_order(const tload_trace *t, const tindex *ix) {
    size_t starts = 0;
    for (size_t k = 0; k < ix->n_steps; k++) {
        uint32_t c = ix->steps[k];
        const tload_event *e = &t->ev[tindex_step_event(c)];
        starts += !tindex_step_is_end(c);
        assert_int_equal(tindex_step_is_end(c) ? tindex_rank_end(ix, tindex_step_event(c)) : ix->rank_start[tindex_step_event(c)], (int32_t)k);
        if (!k) continue;
        uint32_t p = ix->steps[k - 1];
        const tload_event *q = &t->ev[tindex_step_event(p)];
        int64_t tp = tindex_step_time(t, p), tc = tindex_step_time(t, c);
        assert_true(tp <= tc);
        if (tp < tc) continue;
        int cp = step_class_of(q, p), cc = step_class_of(e, c);
        assert_true(cp <= cc);
        if (cp < cc) continue;
        if (cc == 2 && q->dur != e->dur) assert_true(q->dur > e->dur);
        else assert_true(tindex_step_event(p) < tindex_step_event(c));
    }
    assert_int_equal(starts, t->n); /* every event starts once */
}

static void steps_should_follow_the_stated_order_in_every_committed_trace(void **s) {
    (void)s;
    DIR *dir = opendir(PINATA_SOURCE_DIR "/traces");
    assert_non_null(dir);
    int traces = 0;
    for (struct dirent *de; (de = readdir(dir));) {
        size_t n = strlen(de->d_name);
        if (n < 11 || strcmp(de->d_name + n - 11, ".trace.json")) continue;
        char path[768], err[512];
        snprintf(path, sizeof path, PINATA_SOURCE_DIR "/traces/%s", de->d_name);
        tload_trace t;
        tindex ix;
        assert_int_equal(tload_file(path, &t, err, sizeof err), 0);
        assert_int_equal(tindex_build(&t, &ix), 0);
        check_step_order(&t, &ix);
        tindex_free(&ix);
        tload_free(&t);
        traces++;
    }
    closedir(dir);
    assert_true(traces >= 20);
}

/* Times near the end of their range do not pack beside a step's rank into 64 bits: the
 * index sorts them the general way, in the same order. */
static void steps_should_keep_their_order_with_times_too_large_to_pack(void **s) {
    (void)s;
    char text[4096], err[512];
    int n = snprintf(text, sizeof text, "[{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1}}");
    static const char *const ev[] = {
        "{\"ph\":\"X\",\"cat\":\"executor\",\"name\":\"block_on\",\"ts\":0,\"dur\":3999999999999999,\"pid\":1,\"tid\":1}",
        "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"b\",\"ts\":3999999999999990,\"dur\":2,\"pid\":1,\"tid\":1,\"args\":{\"task\":1,\"future\":2,\"parent\":1,\"result\":\"Ready\"}}",
        "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"a\",\"ts\":3999999999999990,\"dur\":5,\"pid\":1,\"tid\":1,\"args\":{\"task\":1,\"future\":1,\"parent\":null,\"result\":\"Pending\"}}",
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"future\",\"name\":\"create\",\"ts\":3999999999999990,\"pid\":1,\"tid\":1,\"args\":{\"future\":3,\"task\":1}}",
        "{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":\"read\",\"ts\":3999999999999992,\"dur\":0,\"pid\":1,\"tid\":1}",
        "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"c\",\"ts\":3999999999999992,\"dur\":0,\"pid\":1,\"tid\":1,\"args\":{\"task\":1,\"future\":4,\"parent\":1,\"result\":\"Pending\"}}",
    };
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) n += snprintf(text + n, sizeof text - (size_t)n, ",\n%s", ev[i]);
    snprintf(text + n, sizeof text - (size_t)n, "]\n");
    tload_trace t;
    tindex ix;
    assert_int_equal(tload_buffer("big-times", text, strlen(text), &t, err, sizeof err), 0);
    assert_int_equal(tindex_build(&t, &ix), 0);
    assert_int_equal(ix.n_steps, 10);
    check_step_order(&t, &ix);
    /* a, then b inside it: the longer one starts first; b returns before a */
    assert_true(ix.rank_start[2] < ix.rank_start[1]);
    assert_true(tindex_rank_end(&ix, 1) < tindex_rank_end(&ix, 2));
    tindex_free(&ix);
    tload_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(steps_should_be_in_time_order_with_returns_before_starts, setup, teardown),
        cmocka_unit_test_setup_teardown(depth_should_nest_B_poll_inside_A_poll_inside_block_on, setup, teardown),
        cmocka_unit_test_setup_teardown(futures_should_be_lettered_A_to_D_as_in_the_slide, setup, teardown),
        cmocka_unit_test_setup_teardown(every_queued_wake_should_be_paired_with_the_root_poll_it_caused, setup, teardown),
        cmocka_unit_test_setup_teardown(next_poll_should_jump_over_other_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(compressed_axis_should_shrink_idle_stretches_and_keep_order, setup, teardown),
        cmocka_unit_test(compressed_axis_should_draw_a_long_compute_short_and_every_poll_visible),
        cmocka_unit_test(steps_should_follow_the_stated_order_in_every_committed_trace),
        cmocka_unit_test(steps_should_keep_their_order_with_times_too_large_to_pack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
