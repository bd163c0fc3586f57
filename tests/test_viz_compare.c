/* viz/compare: two runs on one page, read from the draw list; the counts checked against
 * counts this test takes from the trace files itself (cJSON, not the viewer's loader). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util_trace.h"
#include "viz/compare.h"
#include "viz_fixture.h"

#define TRACE(name) PINATA_SOURCE_DIR "/traces/" name ".trace.json"

typedef struct page { compare c; draw_list dl; compare_geom g; layout_view v; } page;

/* The compare page as export draws it, at a scale, in presenter mode or not. */
static page *open_page_as(const char *a, const char *b, long step, float scale, int presenter) {
    page *p = calloc(1, sizeof *p);
    char err[1024];
    if (!p || compare_open(&p->c, a, b, 1, fx_sim(), err, sizeof err)) { fprintf(stderr, "%s\n", err); abort(); }
    layout_view_init(&p->v, 1600, 0);
    p->v.step = step;
    p->v.scale = scale;
    p->v.presenter = presenter;
    p->v.which = LAYOUT_IMPLEMENTATION;
    assert_int_equal(compare_fit_view(&p->c, &p->v), 0);
    draw_list_init(&p->dl, 1600, 0, 0xFFFFFFFF);
    assert_int_equal(compare_build(&p->c, &p->v, &p->dl, NULL, &p->g), 0);
    return p;
}

static page *open_page(const char *a, const char *b, long step) { return open_page_as(a, b, step, 1, 0); }

static void close_page(page *p) {
    draw_list_free(&p->dl);
    compare_close(&p->c);
    free(p);
}

/* The vertical extent of a command. */
static void y_range(const draw_list *dl, const draw_cmd *c, float *y0, float *y1) {
    switch (c->op) {
    case DRAW_TEXT: *y0 = c->y - c->size; *y1 = c->y + c->size * 0.25f; break;
    case DRAW_LINE: case DRAW_ARROW: *y0 = fminf(c->y, c->h); *y1 = fmaxf(c->y, c->h); break;
    case DRAW_CIRCLE: *y0 = c->y - c->w; *y1 = c->y + c->w; break;
    case DRAW_POLY: {
        const float *pt = draw_cmd_pts(dl, c);
        *y0 = *y1 = pt[1];
        for (uint32_t k = 1; k < c->npts; k++) { *y0 = fminf(*y0, pt[2 * k + 1]); *y1 = fmaxf(*y1, pt[2 * k + 1]); }
        break;
    }
    case DRAW_CLIP: case DRAW_UNCLIP: *y0 = 1e9f; *y1 = -1e9f; break; /* draws nothing */
    default: *y0 = c->y; *y1 = c->y + c->h;
    }
}

/* ---- the page --------------------------------------------------------------------- */

static void compare_should_stack_the_two_runs_without_overlap(void **s) {
    (void)s;
    page *p = open_page(TRACE("s09_busy_poll"), TRACE("s09_parking"), -1);
    float lo[2] = {1e9f, 1e9f}, hi[2] = {-1e9f, -1e9f};
    for (int r = 0; r < 2; r++) {
        assert_true(p->g.cmd1[r] > p->g.cmd0[r] + 100); /* a whole picture each */
        for (size_t i = p->g.cmd0[r]; i < p->g.cmd1[r]; i++) {
            float y0, y1;
            y_range(&p->dl, &p->dl.cmd[i], &y0, &y1);
            lo[r] = fminf(lo[r], y0);
            hi[r] = fmaxf(hi[r], y1);
        }
    }
    assert_true(hi[0] <= lo[1]);                 /* A wholly above B */
    assert_true(hi[1] <= p->g.table_y0 + 0.5f);  /* the table under both */
    assert_true(p->g.table_y1 <= p->dl.height);
    /* each run keeps its own lanes: both pictures are there, each once */
    size_t lanes[2] = {0, 0};
    for (int r = 0; r < 2; r++)
        for (size_t i = p->g.cmd0[r]; i < p->g.cmd1[r]; i++) lanes[r] += p->dl.cmd[i].tag == DRAW_TAG_POLL;
    assert_true(lanes[0] > lanes[1]); /* the busy executor draws more polls */
    close_page(p);
}

/* Where event ev of run r is drawn: the left edge of its executor bar, the middle of its
 * wake mark (rects the layout places at the event's start time). */
static int event_x(const page *p, int r, int32_t ev, float *x) {
    int kind = p->c.run[r].t.ev[ev].kind, tag = kind == TLOAD_WAKE ? DRAW_TAG_WAKE : DRAW_TAG_EXEC;
    for (size_t i = p->g.cmd0[r]; i < p->g.cmd1[r]; i++) {
        const draw_cmd *c = &p->dl.cmd[i];
        if (c->tag == tag && c->ref == ev && c->op == DRAW_RECT) {
            *x = kind == TLOAD_WAKE ? c->x + c->w / 2 : c->x;
            return 1;
        }
    }
    return 0;
}

static int timed(const tload_event *e) { return e->kind == TLOAD_WAKE || e->kind == TLOAD_EXECUTOR; }

/* Across the two runs, wakes and executors stand in time order on the shared axis: an
 * earlier one is further left, one at the same virtual time at the same x. */
static void check_shared_time_scale(const char *a, const char *b, int want_same) {
    page *p = open_page(a, b, -1);
    int same = 0, pairs = 0;
    const tload_trace *ta = &p->c.run[0].t, *tb = &p->c.run[1].t;
    for (size_t i = 0; i < ta->n; i++) {
        float xa, xb;
        if (!timed(&ta->ev[i]) || !event_x(p, 0, (int32_t)i, &xa)) continue;
        for (size_t j = 0; j < tb->n; j++) {
            if (!timed(&tb->ev[j]) || tb->ev[j].kind != ta->ev[i].kind || !event_x(p, 1, (int32_t)j, &xb)) continue;
            int64_t da = ta->ev[i].ts, db = tb->ev[j].ts;
            pairs++;
            if (da == db) { assert_float_equal(xa, xb, 0.01); same++; }
            else if (da < db) assert_true(xa < xb);
            else assert_true(xa > xb);
        }
    }
    assert_true(pairs > 0);
    if (want_same) assert_true(same > 0);
    close_page(p);
}

static void compare_should_put_the_same_virtual_time_at_the_same_x(void **s) {
    (void)s;
    /* S9: the same request, so the network wakes both at 202 µs */
    check_shared_time_scale(TRACE("s09_busy_poll"), TRACE("s09_parking"), 1);
    /* S7: one thread against a pool, with different times */
    check_shared_time_scale(TRACE("s07_compute_spawn_local"), TRACE("s07_compute_pool"), 0);
    /* S4's long task names widen its gutter: both runs' executors start at time 0, at one x */
    check_shared_time_scale(TRACE("s04_owning_request"), TRACE("s03_many_requests"), 1);
}

/* The same check as test_viz_legible's for one run's page: no text over another, for the
 * catalogue's four pairs at 1600 px, --scale 2 and --presenter, and with a cursor. */
static void no_text_should_overlap_another_on_a_compare_page(void **s) {
    (void)s;
    static const char *const PAIRS[][2] = {
        {TRACE("s09_busy_poll"), TRACE("s09_parking")}, {TRACE("s01_sync_threads"), TRACE("s03_many_requests")},
        {TRACE("s07_compute_spawn_local"), TRACE("s07_compute_pool")}, {TRACE("s04_owning_request"), TRACE("s03_many_requests")}};
    static const struct { float scale; int presenter; long step; } VIEWS[] = {{1, 0, -1}, {2, 0, -1}, {1, 1, 30}};
    int bad = 0;
    for (size_t k = 0; k < sizeof PAIRS / sizeof PAIRS[0]; k++)
        for (size_t w = 0; w < sizeof VIEWS / sizeof VIEWS[0]; w++) {
            page *p = open_page_as(PAIRS[k][0], PAIRS[k][1], VIEWS[w].step, VIEWS[w].scale, VIEWS[w].presenter);
            fx_box a, b;
            for (size_t i = 0; i < p->dl.n; i++) /* and the page's own texts inside the page */
                if (p->dl.cmd[i].tag == DRAW_TAG_COMPARE && p->dl.cmd[i].op == DRAW_TEXT) {
                    fx_box t = fx_text_box(&p->dl, &p->dl.cmd[i]);
                    if (t.x0 < 0 || (t.x1 > p->dl.width && t.s[0] != '(')) { /* an input's path may run off */
                        print_error("\"%s\" (%.0f..%.0f) outside the page (0..%.0f) at scale %.0f\n", t.s, t.x0, t.x1,
                                    (double)p->dl.width, (double)VIEWS[w].scale);
                        bad++;
                    }
                }
            if (fx_overlapping(&p->dl, &a, &b)) {
                print_error("%s vs %s at scale %.0f%s: \"%s\" (%.0f..%.0f, %.0f..%.0f) overlaps \"%s\" (%.0f..%.0f, %.0f..%.0f)\n",
                            PAIRS[k][0], PAIRS[k][1], (double)VIEWS[w].scale, VIEWS[w].presenter ? " presenter" : "", a.s,
                            a.x0, a.x1, a.y0, a.y1, b.s, b.x0, b.x1, b.y0, b.y1);
                bad++;
            }
            close_page(p);
        }
    assert_int_equal(bad, 0);
}

/* ---- the counts, from the trace file ---------------------------------------------- */

typedef struct derived { long polls, idle, wakes, parks; double cpu_us; long peak_threads; } derived;

typedef struct tp { double ts; int wake; int pending; } tp;

static int tp_cmp(const void *x, const void *y) {
    const tp *a = x, *b = y;
    if (a->ts != b->ts) return a->ts < b->ts ? -1 : 1;
    return b->wake - a->wake;
}

/* One task's top-level polls and queued wakes in time order: a Pending poll with no wake
 * since the one before it made no progress. (The S9 traces have one task.) */
static derived derive(const char *path) {
    cJSON *tr = ut_load(path);
    assert_non_null(tr);
    derived d = {0};
    int n = cJSON_GetArraySize(tr), m = 0;
    tp *seq = calloc((size_t)n, sizeof *seq);
    const cJSON *ev;
    cJSON_ArrayForEach(ev, tr) {
        if (ut_is(ev, "X", "poll", NULL) && ut_arg_is_null(ev, "parent")) {
            d.polls++;
            d.cpu_us += ut_num(ev, "dur");
            seq[m++] = (tp){ut_num(ev, "ts"), 0, !strcmp(ut_arg_str(ev, "result"), "Pending")};
        } else if (ut_is(ev, "X", "wake", NULL)) {
            d.wakes++;
            if (cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "args"), "queued")))
                seq[m++] = (tp){ut_num(ev, "ts"), 1, 0};
        } else if (ut_is(ev, "X", "park", NULL)) d.parks++;
        else if (ut_is(ev, "C", "memory", NULL) && ut_arg_num(ev, "threads") > d.peak_threads)
            d.peak_threads = (long)ut_arg_num(ev, "threads");
    }
    qsort(seq, (size_t)m, sizeof *seq, tp_cmp);
    int polled = 0, woken = 0;
    for (int k = 0; k < m; k++) {
        if (seq[k].wake) { woken = 1; continue; }
        d.idle += polled && !woken && seq[k].pending;
        polled = 1;
        woken = 0;
    }
    free(seq);
    cJSON_Delete(tr);
    return d;
}

/* The table's cell for row and run, as text. */
static const char *cell_text(const page *p, compare_row row, int r) {
    for (size_t i = 0; i < p->dl.n; i++) {
        const draw_cmd *c = &p->dl.cmd[i];
        if (c->tag == DRAW_TAG_COMPARE && c->op == DRAW_TEXT && c->ref == (int32_t)row * 2 + r)
            return draw_cmd_text(&p->dl, c);
    }
    fail_msg("no cell for row %d run %d", row, r);
    return "";
}

static long cell_num(const page *p, compare_row row, int r) { return atol(cell_text(p, row, r)); }

static void compare_table_should_show_the_counts_of_each_trace(void **s) {
    (void)s;
    const char *in[2] = {TRACE("s09_busy_poll"), TRACE("s09_parking")};
    page *p = open_page(in[0], in[1], -1);
    for (int r = 0; r < 2; r++) {
        derived d = derive(in[r]);
        char buf[64];
        assert_int_equal(cell_num(p, COMPARE_POLLS, r), d.polls);
        assert_int_equal(cell_num(p, COMPARE_IDLE_POLLS, r), d.idle);
        assert_int_equal(cell_num(p, COMPARE_WAKES, r), d.wakes);
        assert_int_equal(cell_num(p, COMPARE_PARKS, r), d.parks);
        assert_string_equal(cell_text(p, COMPARE_CPU, r), layout_fmt_time(llround(d.cpu_us * 1000), buf, sizeof buf));
    }
    close_page(p);
}

static void busy_polling_should_show_more_polls_and_more_wasted_ones(void **s) {
    (void)s;
    page *p = open_page(TRACE("s09_busy_poll"), TRACE("s09_parking"), -1);
    assert_true(cell_num(p, COMPARE_POLLS, 0) > 10 * cell_num(p, COMPARE_POLLS, 1));
    assert_true(cell_num(p, COMPARE_IDLE_POLLS, 0) > 0);
    assert_int_equal(cell_num(p, COMPARE_IDLE_POLLS, 1), 0); /* parking polls only when woken */
    assert_true(p->c.counts[0].n[COMPARE_CPU] > 10 * p->c.counts[1].n[COMPARE_CPU]);
    close_page(p);
}

static void threads_should_show_a_stack_each_against_bytes_per_task(void **s) {
    (void)s;
    const char *in[2] = {TRACE("s01_sync_threads"), TRACE("s03_many_requests")};
    page *p = open_page(in[0], in[1], -1);
    char want[64];
    for (int r = 0; r < 2; r++) {
        derived d = derive(in[r]);
        snprintf(want, sizeof want, "%ld × ", d.peak_threads);
        assert_true(strncmp(cell_text(p, COMPARE_STACK, r), want, strlen(want)) == 0);
    }
    assert_true(p->c.counts[0].peak_threads > p->c.counts[1].peak_threads);
    /* sync code makes calls and blocks, async code polls: each row where one of them has some */
    assert_true(cell_num(p, COMPARE_CALLS, 0) > 0 && cell_num(p, COMPARE_CALLS, 1) == 0);
    assert_true(cell_num(p, COMPARE_BLOCKED, 0) > 0);
    close_page(p);
}

static double max_reserved(const char *path) {
    cJSON *tr = ut_load(path);
    assert_non_null(tr);
    double m = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, tr)
        if (ut_is(ev, "C", "memory", NULL) && ut_arg_num(ev, "stack_reserved_bytes") > m) m = ut_arg_num(ev, "stack_reserved_bytes");
    cJSON_Delete(tr);
    return m;
}

static float tallest_memory_bar(const page *p, int r) {
    float h = 0;
    for (size_t i = p->g.cmd0[r]; i < p->g.cmd1[r]; i++)
        if (p->dl.cmd[i].tag == DRAW_TAG_MEMORY && p->dl.cmd[i].op == DRAW_RECT && p->dl.cmd[i].h > h) h = p->dl.cmd[i].h;
    return h;
}

/* S10: both memory tracks on one scale, so their heights stand as their peaks do (808 MiB
 * of reserved stack for 101 threads against 24 MiB for 3), not both full height. */
static void memory_tracks_should_share_one_scale(void **s) {
    (void)s;
    const char *in[2] = {TRACE("chat_server_threads"), TRACE("chat_server")};
    page *p = open_page(in[0], in[1], -1);
    double want = max_reserved(in[0]) / max_reserved(in[1]);
    float ha = tallest_memory_bar(p, 0), hb = tallest_memory_bar(p, 1);
    assert_true(want > 10 && ha > 0 && hb > 0);
    assert_true(fabs(ha / hb - want) < want * 0.2 || hb < 2.5f); /* B's bar may round up to a pixel or two */
    assert_true(ha / hb > 10);
    close_page(p);
}

/* Stepping: at every merged step both cursors stand at the same time or the later run's
 * cursor has not reached it yet, and the merged steps are every step of both. */
static void merged_steps_should_keep_both_cursors_at_one_time(void **s) {
    (void)s;
    page *p = open_page(TRACE("s09_busy_poll"), TRACE("s09_parking"), -1);
    const compare *c = &p->c;
    assert_int_equal(c->n_steps, c->run[0].ix.n_steps + c->run[1].ix.n_steps);
    int64_t last = INT64_MIN;
    for (size_t m = 0; m < c->n_steps; m++) {
        int64_t t[2];
        for (int r = 0; r < 2; r++) t[r] = tindex_step_time(&c->run[r].t, c->run[r].ix.steps[c->cur[m][r]]);
        int64_t now = t[0] > t[1] ? t[0] : t[1];
        assert_true(now >= last); /* time never goes back */
        last = now;
    }
    close_page(p);
    /* and the cursor is drawn in both runs at one x */
    p = open_page(TRACE("s09_busy_poll"), TRACE("s09_parking"), 40);
    float cx[2] = {-1, -1};
    for (int r = 0; r < 2; r++)
        for (size_t i = p->g.cmd0[r]; i < p->g.cmd1[r]; i++)
            if (p->dl.cmd[i].tag == DRAW_TAG_CURSOR && p->dl.cmd[i].op == DRAW_LINE) cx[r] = p->dl.cmd[i].x;
    assert_true(cx[0] >= 0 && cx[1] >= 0);
    int64_t ta = tindex_step_time(&p->c.run[0].t, p->c.run[0].ix.steps[p->c.cur[40][0]]);
    int64_t tb = tindex_step_time(&p->c.run[1].t, p->c.run[1].ix.steps[p->c.cur[40][1]]);
    if (ta == tb) assert_float_equal(cx[0], cx[1], 0.01);
    else assert_true((ta < tb) == (cx[0] < cx[1]));
    close_page(p);
}

/* ---- the command ------------------------------------------------------------------ */

static int lines(const char *s) {
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void export_of_two_runs_should_write_one_picture(void **s) {
    (void)s;
    static char out[8192];
    remove("t_cmp.svg");
    assert_int_equal(ut_pinata("export " TRACE("s09_busy_poll") " " TRACE("s09_parking") " -o t_cmp.svg", out, sizeof out), 0);
    long len = 0;
    char *svg = ut_slurp("t_cmp.svg", &len);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "polls that made no progress"));
    assert_non_null(strstr(svg, "s09_parking"));
    free(svg);
    remove("t_cmp.svg");
}

static void export_with_a_missing_or_malformed_run_should_fail_in_one_line(void **s) {
    (void)s;
    static char out[8192];
    remove("t_cmp_bad.png");
    assert_int_equal(ut_pinata("export " TRACE("s09_busy_poll") " t_no_such_run.json -o t_cmp_bad.png", out, sizeof out), 1);
    assert_non_null(strstr(out, "t_no_such_run.json: expected a trace file"));
    assert_int_equal(lines(out), 1);
    assert_int_equal(access("t_cmp_bad.png", F_OK), -1);
    /* a trace broken in the middle, as the first of the two */
    FILE *f = fopen("t_cmp_broken.trace.json", "w");
    fprintf(f, "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1}},\n"
               "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"a\",\"ts\":1,\"pid\":1,\"tid\":1},\n]\n");
    fclose(f);
    assert_int_equal(ut_pinata("export t_cmp_broken.trace.json " TRACE("s09_parking") " -o t_cmp_bad.png", out, sizeof out), 1);
    assert_non_null(strstr(out, "t_cmp_broken.trace.json:3: expected"));
    assert_int_equal(lines(out), 1);
    assert_int_equal(access("t_cmp_bad.png", F_OK), -1);
    remove("t_cmp_broken.trace.json");
    /* three inputs */
    assert_int_equal(ut_pinata("export a b c -o t_cmp_bad.png", out, sizeof out), 2);
    assert_int_equal(lines(out), 1);
    assert_int_equal(access("t_cmp_bad.png", F_OK), -1);
}

static void view_of_two_runs_without_a_display_should_suggest_their_export(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(ut_pinata("view " TRACE("s09_busy_poll") " " TRACE("s09_parking"), out, sizeof out), 1);
    assert_non_null(strstr(out, "try `pinata export " TRACE("s09_busy_poll") " " TRACE("s09_parking") " -o out.png`"));
    assert_int_equal(lines(out), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare_should_stack_the_two_runs_without_overlap),
        cmocka_unit_test(compare_should_put_the_same_virtual_time_at_the_same_x),
        cmocka_unit_test(no_text_should_overlap_another_on_a_compare_page),
        cmocka_unit_test(compare_table_should_show_the_counts_of_each_trace),
        cmocka_unit_test(busy_polling_should_show_more_polls_and_more_wasted_ones),
        cmocka_unit_test(threads_should_show_a_stack_each_against_bytes_per_task),
        cmocka_unit_test(merged_steps_should_keep_both_cursors_at_one_time),
        cmocka_unit_test(memory_tracks_should_share_one_scale),
        cmocka_unit_test(export_of_two_runs_should_write_one_picture),
        cmocka_unit_test(export_with_a_missing_or_malformed_run_should_fail_in_one_line),
        cmocka_unit_test(view_of_two_runs_without_a_display_should_suggest_their_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
