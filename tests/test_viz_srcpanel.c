/* viz/srcpanel: the Rust source panel, its lit line, and that traces without a source
 * draw exactly what they drew before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "util_trace.h"
#include "viz/srcpanel.h"
#include "viz_fixture.h"

#define S02 PINATA_SOURCE_DIR "/traces/s02_block_on.trace.json"

typedef fx_page fx;

static int setup_s02(void **s) {
    fx *f = fx_page_new();
    char err[1024];
    if (doc_open(&f->d, S02, 1, NULL, err, sizeof err)) { fprintf(stderr, "%s\n", err); abort(); }
    *s = f;
    return 0;
}

static int setup_block_on(void **s) {
    fx *f = fx_page_new();
    fx_open(&f->d, "block_on", "t_srcpanel_b.json", 1);
    *s = f;
    return 0;
}

static int teardown(void **s) {
    fx_page_free(*s);
    remove("t_srcpanel_b.json");
    return 0;
}

/* The text of the lit line: the source texts drawn inside the highlight rect, joined. */
static const char *lit_text(const draw_list *dl, char *buf, size_t len) {
    buf[0] = '\0';
    for (size_t i = 0; i < dl->n; i++) {
        const draw_cmd *r = &dl->cmd[i];
        if (r->tag != DRAW_TAG_SOURCE || r->op != DRAW_RECT || r->fill != SRCPANEL_HILITE) continue;
        for (size_t j = i + 1; j < dl->n; j++) {
            const draw_cmd *c = &dl->cmd[j];
            if (c->tag != DRAW_TAG_SOURCE || c->op != DRAW_TEXT || c->y < r->y || c->y > r->y + r->h) continue;
            size_t n = strlen(buf);
            snprintf(buf + n, len - n, "%s ", draw_cmd_text(dl, c));
        }
        return buf;
    }
    return NULL;
}

static void loading_s02_should_give_its_rust_source_lines(void **s) {
    const tload_trace *t = &((fx *)*s)->d.t;
    assert_true(t->nsource >= 9);
    assert_non_null(strstr(tload_str(t, t->source[0]), "async fn cheapo_request"));
    int found = 0;
    for (size_t i = 0; i < t->nsource; i++)
        found |= strstr(tload_str(t, t->source[i]), "read_to_string(&mut response).await?;") != NULL;
    assert_true(found);
    int32_t d = fx_poll(t, "read_to_string", 0);
    assert_true(d >= 0);
    int32_t line = tload_src_line(t, (size_t)d);
    assert_true(line >= 1 && (size_t)line <= t->nsource);
    assert_non_null(strstr(tload_str(t, t->source[line - 1]), "read_to_string"));
}

static void at_the_step_of_read_to_strings_poll_the_lit_line_should_be_read_to_string(void **s) {
    fx *f = *s;
    int32_t d = fx_poll(&f->d.t, "read_to_string", 0);
    f->v.step = f->d.ix.rank_start[d];
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    char buf[2048];
    const char *lit = lit_text(&f->dl, buf, sizeof buf);
    assert_non_null(lit);
    assert_non_null(strstr(lit, "read_to_string"));
    assert_non_null(strstr(lit, "▶"));
}

/* issue 8: `export s02 --step 17` is A's second poll starting; it resumes at connect.await
 * (line 2), and the same poll's Pending is at read_to_string.await (line 7). */
static void a_poll_should_light_the_await_it_resumes_at_then_the_await_it_stops_at(void **s) {
    fx *f = *s;
    int32_t a2 = fx_poll(&f->d.t, "cheapo_request", 1);
    assert_true(a2 >= 0);
    assert_int_equal(f->d.ix.rank_start[a2], 16); /* step 17, counted from 1 */
    f->v.step = 16;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    char buf[2048];
    const char *lit = lit_text(&f->dl, buf, sizeof buf);
    assert_non_null(lit);
    assert_non_null(strstr(lit, "connect((host, port)).await"));
    assert_int_equal(srcpanel_line(&f->d.t, &f->d.ix, 16), 2);
    assert_int_equal(srcpanel_line(&f->d.t, &f->d.ix, tindex_rank_end(&f->d.ix, a2)), 7);
    /* the first poll starts at the fn itself */
    int32_t a1 = fx_poll(&f->d.t, "cheapo_request", 0);
    assert_int_equal(srcpanel_line(&f->d.t, &f->d.ix, f->d.ix.rank_start[a1]), 1);
}


/* A program given as Rust lights exactly the expression being polled: at connect's first poll,
 * `net::TcpStream::connect((host, port)).await` on line 2, a rect behind that text alone. */
static void the_expression_being_polled_should_be_lit_on_its_line(void **s) {
    fx *f = *s;
    int32_t b = fx_poll(&f->d.t, "connect", 0);
    assert_true(b >= 0);
    f->v.step = tindex_rank_end(&f->d.ix, b);
    int col = 0, end_col = 0;
    srcpanel_cols(&f->d.t, &f->d.ix, f->v.step, &col, &end_col);
    int32_t line = srcpanel_line(&f->d.t, &f->d.ix, f->v.step);
    const char *text = tload_str(&f->d.t, f->d.t.source[line - 1]);
    assert_true(col > 0 && end_col > col && (size_t)end_col <= strlen(text) + 1);
    char expr[256];
    snprintf(expr, sizeof expr, "%.*s", end_col - col, text + col - 1);
    assert_string_equal(expr, "net::TcpStream::connect((host, port)).await");
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    const draw_cmd *hl = NULL, *ex = NULL, *tx = NULL;
    for (size_t i = 0; i < f->dl.n; i++) {
        const draw_cmd *c = &f->dl.cmd[i];
        if (c->tag != DRAW_TAG_SOURCE) continue;
        if (c->op == DRAW_RECT && c->fill == SRCPANEL_HILITE) hl = c;
        if (c->op == DRAW_RECT && c->fill == SRCPANEL_EXPR) { assert_null(ex); ex = c; }
        if (c->op == DRAW_TEXT && hl && !tx && c->y >= hl->y && c->y <= hl->y + hl->h && !strcmp(draw_cmd_text(&f->dl, c), text)) tx = c;
    }
    assert_non_null(hl);
    assert_non_null(ex);
    assert_non_null(tx);
    /* inside the lit row, as wide as the expression, starting where its text starts */
    assert_true(ex->y >= hl->y && ex->y + ex->h <= hl->y + hl->h);
    float w = draw_text_width_b(expr, tx->size, 1);
    assert_true(fabsf(ex->w - 2 - w) < 0.5f);
    char pre[256];
    snprintf(pre, sizeof pre, "%.*s", col - 1, text);
    assert_true(fabsf(ex->x + 1 - (tx->x + draw_text_width_b(pre, tx->size, 1))) < 0.5f);
}

/* A poll that starts resumes at the expression it stopped at last time: its from_col. */
static void a_poll_start_should_light_the_expression_it_resumes_at(void **s) {
    fx *f = *s;
    int32_t a2 = fx_poll(&f->d.t, "cheapo_request", 1);
    int col = 0, end_col = 0, scol = 0, send = 0;
    srcpanel_cols(&f->d.t, &f->d.ix, f->d.ix.rank_start[a2], &col, &end_col); /* resumes at connect.await */
    srcpanel_cols(&f->d.t, &f->d.ix, tindex_rank_end(&f->d.ix, a2), &scol, &send);      /* stops at read_to_string.await */
    const char *l2 = tload_str(&f->d.t, f->d.t.source[1]), *l7 = tload_str(&f->d.t, f->d.t.source[6]);
    assert_true(col > 0 && scol > 0);
    assert_memory_equal(l2 + col - 1, "net::TcpStream::connect", 23);
    assert_memory_equal(l7 + scol - 1, "socket.read_to_string(&mut response).await", (size_t)(send - scol));
}

static void a_step_without_a_line_should_light_the_latest_line_before_it(void **s) {
    fx *f = *s;
    int32_t d = fx_poll(&f->d.t, "read_to_string", 0);
    long k = tindex_rank_end(&f->d.ix, d) + 1; /* past the poll: e.g. a system call or a park */
    int32_t line = srcpanel_line(&f->d.t, &f->d.ix, k);
    assert_true(line > 0);
    assert_int_equal(srcpanel_line(&f->d.t, &f->d.ix, -1), 0);
}

static void the_whole_run_should_show_the_source_without_a_lit_line(void **s) {
    fx *f = *s;
    f->v.step = -1;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    assert_true(fx_count(&f->dl, DRAW_TAG_SOURCE) > f->d.t.nsource);
    char buf[256];
    assert_null(lit_text(&f->dl, buf, sizeof buf));
}

static void presenter_mode_should_draw_the_source_bigger(void **s) {
    fx *f = *s;
    f->v.step = 5;
    float normal = layout_content_height(&f->d.t, &f->d.ix, &f->v);
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    float size = 0;
    for (size_t i = 0; i < f->dl.n; i++)
        if (f->dl.cmd[i].tag == DRAW_TAG_SOURCE && f->dl.cmd[i].op == DRAW_TEXT) size = f->dl.cmd[i].size;
    f->v.presenter = 1;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    float big = 0;
    for (size_t i = 0; i < f->dl.n; i++)
        if (f->dl.cmd[i].tag == DRAW_TAG_SOURCE && f->dl.cmd[i].op == DRAW_TEXT) big = f->dl.cmd[i].size;
    assert_true(big > size * 1.3f);
    assert_true(layout_content_height(&f->d.t, &f->d.ix, &f->v) > normal);
    f->v.presenter = 0;
}

static void a_trace_without_source_should_have_no_source_commands(void **s) {
    fx *f = *s;
    assert_int_equal(f->d.t.nsource, 0);
    assert_null(f->d.t.source);
    assert_null(f->d.t.src_line);
    f->v.step = 12;
    assert_int_equal(layout_build(&f->d.t, &f->d.ix, &f->d.ax, &f->v, &f->dl, NULL), 0);
    assert_int_equal(fx_count(&f->dl, DRAW_TAG_SOURCE), 0);
    assert_int_equal(srcpanel_line(&f->d.t, &f->d.ix, 12), 0);
}

static int same_file(const char *a, const char *b) {
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb) same = 0;
        if (ca == EOF || cb == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

/* The same trace gives the same picture, byte for byte (the committed diagrams in traces/
 * change only on purpose, when they are re-exported; this does not pin them). */
static void the_export_of_block_on_should_stay_byte_identical(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(ut_pinata("export block_on -o t_srcpanel_b.svg", out, sizeof out), 0);
    assert_int_equal(ut_pinata("export block_on -o t_srcpanel_b2.svg", out, sizeof out), 0);
    assert_true(same_file("t_srcpanel_b.svg", "t_srcpanel_b2.svg"));
    assert_int_equal(ut_pinata("export many_requests -o t_srcpanel_m.svg", out, sizeof out), 0);
    assert_false(same_file("t_srcpanel_b.svg", "t_srcpanel_m.svg")); /* same_file can tell them apart */
    remove("t_srcpanel_b.svg");
    remove("t_srcpanel_b2.svg");
    remove("t_srcpanel_m.svg");
}

static void a_source_that_is_not_an_array_of_strings_should_fail_in_one_line(void **s) {
    (void)s;
    static const char *bad[] = {
        "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"source\":5}},\n"
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"run\",\"name\":\"end\",\"ts\":1,\"pid\":1,\"tid\":1,\"args\":{}}\n]\n",
        "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"source\":[\"a\",7]}},\n"
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"run\",\"name\":\"end\",\"ts\":1,\"pid\":1,\"tid\":1,\"args\":{}}\n]\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tload_trace t;
        char err[256];
        assert_int_equal(tload_buffer("bad.json", bad[i], strlen(bad[i]), &t, err, sizeof err), -1);
        assert_non_null(strstr(err, "bad.json:2: expected an array of strings for \"source\""));
        assert_null(strchr(err, '\n'));
        tload_free(&t);
    }
}

static void a_line_that_is_not_a_number_should_fail_in_one_line(void **s) {
    (void)s;
    const char *bad =
        "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"source\":[\"a\",\"b\"]}},\n"
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"note\",\"name\":\"note\",\"ts\":0,\"pid\":1,\"tid\":1,\"args\":{\"text\":\"x\",\"line\":\"two\"}},\n"
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"run\",\"name\":\"end\",\"ts\":1,\"pid\":1,\"tid\":1,\"args\":{}}\n]\n";
    tload_trace t;
    char err[256];
    assert_int_equal(tload_buffer("bad.json", bad, strlen(bad), &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad.json:3: expected a line number"));
    tload_free(&t);
}

static void a_small_source_should_load_with_its_lines_and_cost_nothing_without(void **s) {
    (void)s;
    const char *good =
        "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"source\":[\"fn main() {\",\"\",\"\\t}\"]}},\n"
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"note\",\"name\":\"note\",\"ts\":0,\"pid\":1,\"tid\":1,\"args\":{\"text\":\"x\",\"line\":3}},\n"
        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"run\",\"name\":\"end\",\"ts\":1,\"pid\":1,\"tid\":1,\"args\":{}}\n]\n";
    tload_trace t;
    char err[256];
    assert_int_equal(tload_buffer("good.json", good, strlen(good), &t, err, sizeof err), 0);
    assert_int_equal(t.nsource, 3);
    assert_string_equal(tload_str(&t, t.source[0]), "fn main() {");
    assert_string_equal(tload_str(&t, t.source[1]), "");
    assert_string_equal(tload_str(&t, t.source[2]), "\t}");
    assert_int_equal(tload_src_line(&t, 0), 3);
    assert_int_equal(tload_src_line(&t, 1), 0);
    tload_free(&t);
    assert_int_equal(sizeof(tload_event), 56); /* the source lines live apart (src_line) */
}

static void a_long_source_should_scroll_to_keep_the_lit_line_in_view(void **s) {
    (void)s;
    char buf[8192], *p = buf;
    p += sprintf(p, "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"source\":[");
    for (int i = 1; i <= 40; i++) p += sprintf(p, "%s\"code of line %d\"", i > 1 ? "," : "", i);
    p += sprintf(p, "]}},\n{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"note\",\"name\":\"note\",\"ts\":0,\"pid\":1,\"tid\":1,"
                    "\"args\":{\"text\":\"x\",\"line\":35}},\n"
                    "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"run\",\"name\":\"end\",\"ts\":1,\"pid\":1,\"tid\":1,\"args\":{}}\n]\n");
    tload_trace t;
    tindex ix;
    char err[256];
    assert_int_equal(tload_buffer("long.json", buf, strlen(buf), &t, err, sizeof err), 0);
    assert_int_equal(tindex_build(&t, &ix), 0);
    draw_list dl;
    draw_list_init(&dl, 800, 0, 0xFFFFFFFF);
    float y = srcpanel_draw(&dl, &t, &ix, 0, 10, 0, 780, 1, 0);
    assert_true(y > 0 && y < 400); /* a screenful, not 40 rows */
    char lit[512];
    assert_non_null(lit_text(&dl, lit, sizeof lit));
    assert_non_null(strstr(lit, "code of line 35"));
    int shows_40 = 0, shows_1 = 0;
    for (size_t i = 0; i < dl.n; i++) {
        if (dl.cmd[i].op != DRAW_TEXT) continue;
        shows_40 |= !strcmp(draw_cmd_text(&dl, &dl.cmd[i]), "code of line 40");
        shows_1 |= !strcmp(draw_cmd_text(&dl, &dl.cmd[i]), "code of line 1");
    }
    assert_true(shows_40);
    assert_false(shows_1);
    draw_list_free(&dl);
    tindex_free(&ix);
    tload_free(&t);
}

int main(void) {
    const struct CMUnitTest s02[] = {
        cmocka_unit_test(loading_s02_should_give_its_rust_source_lines),
        cmocka_unit_test(at_the_step_of_read_to_strings_poll_the_lit_line_should_be_read_to_string),
        cmocka_unit_test(a_poll_should_light_the_await_it_resumes_at_then_the_await_it_stops_at),
        cmocka_unit_test(the_expression_being_polled_should_be_lit_on_its_line),
        cmocka_unit_test(a_poll_start_should_light_the_expression_it_resumes_at),
        cmocka_unit_test(a_step_without_a_line_should_light_the_latest_line_before_it),
        cmocka_unit_test(the_whole_run_should_show_the_source_without_a_lit_line),
        cmocka_unit_test(presenter_mode_should_draw_the_source_bigger),
    };
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(a_trace_without_source_should_have_no_source_commands),
        cmocka_unit_test(the_export_of_block_on_should_stay_byte_identical),
        cmocka_unit_test(a_source_that_is_not_an_array_of_strings_should_fail_in_one_line),
        cmocka_unit_test(a_line_that_is_not_a_number_should_fail_in_one_line),
        cmocka_unit_test(a_small_source_should_load_with_its_lines_and_cost_nothing_without),
        cmocka_unit_test(a_long_source_should_scroll_to_keep_the_lit_line_in_view),
    };
    int fails = cmocka_run_group_tests_name("srcpanel_s02", s02, setup_s02, teardown);
    return fails + cmocka_run_group_tests_name("srcpanel_plain", plain, setup_block_on, teardown);
}
