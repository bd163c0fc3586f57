/* viz/page: the HTML page holds, for every step and way to look at it, the very draw list
 * the layout makes (decoded here as the player decodes it), nothing in it refers to the
 * network, it stays within its size bounds, and a run too large for a page is refused
 * with a hint and no file left. The browser itself is tested by tests/browser_page_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <zlib.h>

#include "util_trace.h"
#include "viz/page.h"
#include "viz/quiz.h"
#include "viz_fixture.h"

#define TRACES PINATA_SOURCE_DIR "/traces/"
#define S02 TRACES "s02_block_on.trace.json"

/* ---- the page as the player reads it ---- */

static int b64(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The page's data: the base64 string after "const Z = ", inflated and parsed. */
static cJSON *page_data(const char *html) {
    const char *at = strstr(html, "const Z = \"");
    assert_non_null(at);
    at += strlen("const Z = \"");
    const char *end = strchr(at, '"');
    assert_non_null(end);
    size_t n = (size_t)(end - at), zn = 0;
    unsigned char *z = malloc(n);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && at[i] != '='; i++) {
        int v = b64(at[i]);
        assert_true(v >= 0);
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) { bits -= 8; z[zn++] = (unsigned char)(acc >> bits); }
    }
    for (uLongf cap = zn * 8 + 1024;; cap *= 2) {
        char *json = malloc(cap + 1);
        uLongf got = cap;
        int rc = uncompress((Bytef *)json, &got, z, zn);
        if (rc == Z_BUF_ERROR) { free(json); continue; }
        assert_int_equal(rc, Z_OK);
        json[got] = '\0';
        cJSON *P = cJSON_Parse(json);
        free(json);
        free(z);
        assert_non_null(P);
        return P;
    }
}

/* A step's list of command ids for one combo, rebuilt from the edits as the player does. */
static int *page_list(const cJSON *P, int combo, long step, size_t *len) {
    const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(P, "s"), combo);
    int *cur = NULL, last = 0; /* inserted ids are differences, carried from step to step */
    size_t n = 0;
    for (long k = 0; k <= step; k++) {
        const cJSON *e = cJSON_GetArrayItem(s, (int)k);
        int m = cJSON_GetArraySize(e), *out = malloc(sizeof *out * (size_t)(m + (int)n + 1));
        size_t on = 0, i = 0;
        for (int q = 1; q < m;) {
            int copy = cJSON_GetArrayItem(e, q++)->valueint, skip = cJSON_GetArrayItem(e, q++)->valueint;
            int ins = cJSON_GetArrayItem(e, q++)->valueint;
            for (int r = 0; r < copy; r++) out[on++] = cur[i++];
            i += (size_t)skip;
            for (int r = 0; r < ins; r++) out[on++] = last += cJSON_GetArrayItem(e, q++)->valueint;
        }
        free(cur);
        cur = out;
        n = on;
    }
    *len = n;
    return cur;
}

/* ---- fixtures ---- */

typedef struct pg {
    doc d;
    layout_view v;
    char *html;
    size_t len;
    cJSON *P;
} pg;

/* Opens a trace and makes its page as `pinata export IN -o x.html` does (the axis fitted
 * to a 1600 px view), every step. */
static pg *pg_open(const char *trace) {
    pg *p = calloc(1, sizeof *p);
    char err[1024];
    if (doc_open(&p->d, trace, 1, NULL, err, sizeof err)) { fprintf(stderr, "%s\n", err); abort(); }
    layout_view_init(&p->v, 1600, 0);
    doc_fit_view(&p->d, &p->v, 1);
    page_opts o = {.first = 0, .last = (long)p->d.ix.n_steps - 1, .max_bytes = PAGE_MAX_BYTES, .title = "t"};
    if (page_build(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &o, &p->html, &p->len, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    p->P = page_data(p->html);
    return p;
}

static void pg_free(pg *p) {
    cJSON_Delete(p->P);
    free(p->html);
    doc_close(&p->d);
    free(p);
}

static int setup_s02(void **s) { *s = pg_open(S02); return 0; }
static int teardown(void **s) { pg_free(*s); return 0; }

/* ---- checks ---- */

static int near(double a, double b, double tol) { return fabs(a - b) <= tol; }

/* Command c of the layout is entry e of the page: the same op, tag, place, colour, text. */
static void same_command(const cJSON *P, const draw_list *dl, const draw_cmd *c, const cJSON *e) {
    double code = cJSON_GetArrayItem(e, 0)->valuedouble;
    assert_int_equal((int)fmod(code, 8), c->op);
    assert_int_equal((int)fmod(floor(code / 8), 256), c->tag);
    const cJSON *pal = cJSON_GetObjectItem(P, "pal");
    if (c->op == DRAW_RECT || c->op == DRAW_TEXT || c->op == DRAW_CIRCLE || c->op == DRAW_LINE || c->op == DRAW_CLIP) {
        assert_true(near(cJSON_GetArrayItem(e, 1)->valuedouble, c->x, 0.051));
        assert_true(near(cJSON_GetArrayItem(e, 2)->valuedouble, c->y, 0.051));
    }
    if (c->op == DRAW_RECT) {
        assert_true(near(cJSON_GetArrayItem(e, 3)->valuedouble, c->w, 0.0051));
        uint32_t fill = (uint32_t)cJSON_GetArrayItem(pal, cJSON_GetArrayItem(e, 5)->valueint)->valuedouble;
        assert_int_equal(fill, c->fill);
    }
    if (c->op == DRAW_TEXT) {
        assert_string_equal(cJSON_GetArrayItem(e, 6)->valuestring, draw_cmd_text(dl, c));
        uint32_t fill = (uint32_t)cJSON_GetArrayItem(pal, cJSON_GetArrayItem(e, 4)->valueint)->valuedouble;
        assert_int_equal(fill, c->fill);
    }
    if ((c->op == DRAW_RECT || c->op == DRAW_POLY || c->op == DRAW_CIRCLE) && c->ref >= 0)
        assert_int_equal((long)floor(code / 2048) - 1, c->ref);
}

static void same_list(pg *p, layout_which which, caption_lang lang, int reveal, long step) {
    layout_view v = p->v;
    v.which = which;
    v.lang = lang;
    v.reveal = reveal;
    v.step = step;
    draw_list dl;
    draw_list_init(&dl, v.width, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &v, &dl, NULL), 0);
    size_t n;
    int *ids = page_list(p->P, page_combo(which, lang, reveal), step, &n);
    assert_int_equal(n, dl.n);
    const cJSON *d = cJSON_GetObjectItem(p->P, "d");
    for (size_t i = 0; i < n; i++) same_command(p->P, &dl, &dl.cmd[i], cJSON_GetArrayItem(d, ids[i]));
    /* and the height the page gives the step is the list's */
    const cJSON *script = cJSON_GetArrayItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p->P, "s"), page_combo(which, lang, reveal)), (int)step);
    assert_true(near(cJSON_GetArrayItem(script, 0)->valuedouble, dl.height, 0.051));
    free(ids);
    draw_list_free(&dl);
}

static void every_way_to_look_should_hold_the_layouts_own_list(void **s) {
    pg *p = *s;
    long last = (long)p->d.ix.n_steps - 1;
    assert_int_equal(cJSON_GetObjectItem(p->P, "count")->valueint, (int)p->d.ix.n_steps);
    const long steps[] = {0, 16, 40, last};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
        for (int c = 0; c < PAGE_COMBOS; c++)
            same_list(p, (layout_which)(c / 4), (c / 2) % 2 ? CAPTION_KO : CAPTION_EN, c % 2, steps[k]);
}

static void the_page_should_have_no_url_and_nothing_from_outside(void **s) {
    pg *p = *s;
    assert_null(strstr(p->html, "http://"));
    assert_null(strstr(p->html, "https://"));
    assert_null(strstr(p->html, "<link"));
    assert_null(strstr(p->html, "@import"));
    assert_null(strstr(p->html, " src="));
    assert_null(strstr(p->html, "fetch("));
    assert_null(strstr(p->html, "XMLHttpRequest"));
    for (const char *u = strstr(p->html, "url("); u; u = strstr(u + 1, "url(")) assert_int_equal(u[4], '#');
    assert_true(p->len <= 300 * 1024); /* S2's bound */
}

/* A trace's text with a URL in it does not put one into the page: every '/' of a string
 * is written "\/". */
static void a_url_in_the_traces_text_should_not_read_as_one(void **s) {
    (void)s;
    FILE *f = fopen("t_page_url.json", "w");
    assert_non_null(f);
    char *src = ut_slurp(S02, NULL);
    assert_non_null(src);
    char *at = strstr(src, "\"title\":\"");
    assert_non_null(at);
    at += strlen("\"title\":\"");
    fwrite(src, 1, (size_t)(at - src), f);
    fputs("see https://example.com/x for ", f);
    fputs(at, f);
    fclose(f);
    free(src);
    pg *p = pg_open("t_page_url.json");
    assert_null(strstr(p->html, "https://"));
    const cJSON *d = cJSON_GetObjectItem(p->P, "d");
    int found = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, d) {
        const cJSON *t = cJSON_GetArrayItem(e, 6);
        if ((int)fmod(cJSON_GetArrayItem(e, 0)->valuedouble, 8) == DRAW_TEXT && cJSON_IsString(t))
            found |= strstr(t->valuestring, "https://example.com/x") != NULL; /* the text is kept */
    }
    assert_true(found);
    pg_free(p);
    remove("t_page_url.json");
}

/* The page's quiz: every question quiz_build makes, field for field, steps 1-based. */
static void same_quiz(const cJSON *P, const quiz *qz) {
    const cJSON *a = cJSON_GetObjectItem(P, "quiz");
    assert_true(cJSON_IsArray(a));
    assert_int_equal(cJSON_GetArraySize(a), (int)qz->n);
    static const char *const texts[] = {"ask", "ask_ko", "explain", "explain_ko"};
    for (size_t i = 0; i < qz->n; i++) {
        const cJSON *o = cJSON_GetArrayItem(a, (int)i);
        const quiz_question *q = &qz->q[i];
        assert_int_equal(cJSON_GetObjectItem(o, "step")->valueint, q->step + 1);
        assert_int_equal(cJSON_GetObjectItem(o, "reveal_step")->valueint, q->reveal_step + 1);
        assert_int_equal(cJSON_GetObjectItem(o, "answer")->valueint, q->answer);
        assert_string_equal(cJSON_GetObjectItem(o, "kind")->valuestring, quiz_kind_name(q->kind));
        const char *want[] = {q->ask[MSG_EN], q->ask[MSG_KO], q->explain[MSG_EN], q->explain[MSG_KO]};
        for (int k = 0; k < 4; k++) assert_string_equal(cJSON_GetObjectItem(o, texts[k])->valuestring, want[k]);
        for (int g = 0; g < 2; g++) {
            const cJSON *c = cJSON_GetObjectItem(o, g ? "choices_ko" : "choices");
            assert_int_equal(cJSON_GetArraySize(c), q->nchoices);
            for (int k = 0; k < q->nchoices; k++) assert_string_equal(cJSON_GetArrayItem(c, k)->valuestring, q->choice[g][k]);
        }
    }
}

static void the_page_should_hold_the_quiz_of_its_run(void **s) {
    pg *p = *s;
    quiz qz;
    char err[512];
    assert_int_equal(quiz_build(&p->d.t, &p->d.ix, &qz, err, sizeof err), 0);
    assert_true(qz.n >= 2);
    same_quiz(p->P, &qz);
    quiz_free(&qz);
}

/* A scenario's own question reaches the player as written: a URL, '<' and '/' (escaped in
 * the page's JSON, as every string of the page), a line break and Korean. */
static void a_scenarios_quiz_text_should_reach_the_player_unchanged(void **s) {
    (void)s;
    char *src = ut_slurp(S02, NULL);
    assert_non_null(src);
    char *at = strstr(src, "\"schema\":1,");
    assert_non_null(at);
    at += strlen("\"schema\":1,");
    FILE *f = fopen("t_page_quiz.json", "w");
    assert_non_null(f);
    fwrite(src, 1, (size_t)(at - src), f);
    fputs("\"quiz\":[{\"step\":6,\"ask\":\"</script> B is polled:\\nsee https://example.com/a?\","
          "\"ask_ko\":\"B가 poll된다. 무엇을 반환할까?\",\"choices\":[\"Pending\",\"Ready & done\"],"
          "\"answer\":\"Pending\"}],", f);
    fputs(at, f);
    fclose(f);
    free(src);
    pg *p = pg_open("t_page_quiz.json");
    quiz qz;
    char err[512];
    assert_int_equal(quiz_build(&p->d.t, &p->d.ix, &qz, err, sizeof err), 0);
    assert_int_equal(qz.n, 1);
    assert_string_equal(qz.q[0].ask[MSG_EN], "</script> B is polled:\nsee https://example.com/a?");
    same_quiz(p->P, &qz);
    assert_null(strstr(p->html, "https://"));
    quiz_free(&qz);
    pg_free(p);
    remove("t_page_quiz.json");
}

/* What a click on a poll shows: the layout's outline of the poll and of its future's
 * bar, and its details box, as the window draws them with that selection. */
static void a_click_should_show_the_layouts_outline_and_details(void **s) {
    pg *p = *s;
    int32_t poll = -1;
    for (size_t i = 0; i < p->d.t.n && poll < 0; i++)
        if (p->d.t.ev[i].kind == TLOAD_POLL && p->d.t.ev[i].num == 2) poll = (int32_t)i;
    assert_true(poll >= 0);
    for (int lang = 0; lang < 2; lang++) {
        layout_view v = p->v;
        v.lang = lang ? CAPTION_KO : CAPTION_EN;
        v.sel_event = poll;
        v.sel_future = p->d.t.ev[poll].future;
        draw_list dl;
        draw_list_init(&dl, v.width, 0, 0xFFFFFFFF);
        assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &v, &dl, NULL), 0);
        char key[32];
        snprintf(key, sizeof key, "e%d", poll);
        const cJSON *ov = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p->P, "ov"), lang), key);
        assert_non_null(ov);
        const cJSON *d = cJSON_GetObjectItem(p->P, "d");
        int k = 0, selects = 0, details = 0;
        for (size_t i = 0; i < dl.n; i++) {
            const draw_cmd *c = &dl.cmd[i];
            if (c->tag != DRAW_TAG_SELECT && c->tag != DRAW_TAG_DETAIL) continue;
            selects += c->tag == DRAW_TAG_SELECT;
            details += c->tag == DRAW_TAG_DETAIL && c->op == DRAW_TEXT;
            same_command(p->P, &dl, c, cJSON_GetArrayItem(d, cJSON_GetArrayItem(ov, k++)->valueint));
        }
        assert_int_equal(k, cJSON_GetArraySize(ov));
        assert_true(selects >= 2); /* the poll, and its future's bar above */
        assert_true(details >= 3);
        draw_list_free(&dl);
    }
}

/* N and P stop where a poll starts: the page lists exactly those steps. */
static void polls_should_be_the_steps_where_a_poll_starts(void **s) {
    pg *p = *s;
    const cJSON *polls = cJSON_GetObjectItem(p->P, "polls");
    long want = 0, k = -1;
    for (;;) {
        long next = tindex_next_poll(&p->d.t, &p->d.ix, k, 1);
        if (next == k) break;
        assert_int_equal(cJSON_GetArrayItem(polls, (int)want)->valueint, next);
        want++;
        k = next;
    }
    assert_true(want > 5);
    assert_int_equal(cJSON_GetArraySize(polls), want);
}

static void a_page_too_large_should_be_refused_with_a_hint_and_no_file(void **s) {
    pg *p = *s;
    page_opts o = {.first = 0, .last = (long)p->d.ix.n_steps - 1, .max_bytes = 20 * 1024};
    char err[1024];
    remove("t_page_big.html");
    assert_int_equal(page_write(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &o, "t_page_big.html", err, sizeof err), -1);
    assert_non_null(strstr(err, "t_page_big.html: "));
    assert_non_null(strstr(err, "too large"));
    assert_non_null(strstr(err, "--from"));
    assert_null(strchr(err, '\n'));
    assert_int_equal(access("t_page_big.html", F_OK), -1);
    assert_int_equal(ut_temporaries("t_page_big.html"), 0);
}

/* The chat server at its 10,000 connections: 300,000 steps are said to be too many before
 * any is laid out, with the hint. */
static void a_run_with_too_many_steps_should_be_refused_at_once(void **s) {
    (void)s;
    char out[4096];
    remove("t_page_chat.html");
    assert_int_equal(ut_pinata("export " PINATA_SOURCE_DIR "/scenarios/chat_server.json -o t_page_chat.html", out, sizeof out), 1);
    assert_non_null(strstr(out, "too many for one page"));
    assert_non_null(strstr(out, "--from US --to US"));
    assert_int_equal(access("t_page_chat.html", F_OK), -1);
}

/* The command line: a page of a range holds that range's steps and opens at --step. */
static void export_html_should_hold_the_range_and_open_at_the_step(void **s) {
    (void)s;
    char out[4096];
    remove("t_page_cli.html");
    assert_int_equal(ut_pinata("export " S02 " -o t_page_cli.html --from 40000 --to 95000 --step 30", out, sizeof out), 0);
    long len;
    char *html = ut_slurp("t_page_cli.html", &len);
    assert_non_null(html);
    cJSON *P = page_data(html);
    doc d;
    char err[512];
    assert_int_equal(doc_open(&d, S02, 1, NULL, err, sizeof err), 0);
    long first = -1, count = 0;
    for (size_t k = 0; k < d.ix.n_steps; k++) {
        int64_t t = tindex_step_time(&d.t, d.ix.steps[k]);
        if (t < 40000000 || t > 95000000) continue;
        if (first < 0) first = (long)k;
        count++;
    }
    assert_true(count > 5 && count < (long)d.ix.n_steps);
    assert_int_equal(cJSON_GetObjectItem(P, "first")->valueint, first);
    assert_int_equal(cJSON_GetObjectItem(P, "count")->valueint, count);
    assert_int_equal(cJSON_GetObjectItem(P, "start")->valueint, 29 - first);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetArrayItem(cJSON_GetObjectItem(P, "s"), 0)), count);
    cJSON_Delete(P);
    free(html);
    doc_close(&d);
    remove("t_page_cli.html");
    /* a page holds one run */
    assert_int_equal(ut_pinata("export " S02 " " S02 " -o t_page_cli.html", out, sizeof out), 2);
    assert_non_null(strstr(out, "one run"));
    assert_int_equal(access("t_page_cli.html", F_OK), -1);
}

/* Every catalogue scenario's page (the committed traces; the chat servers at 100
 * connections) is at most 2 MB. Under the sanitizers, where a page of the largest
 * takes minutes, the runs of at most 120 steps. */
static void every_catalogue_page_should_be_at_most_2_mb(void **s) {
    (void)s;
    static const char *const names[] = {"block_on", "many_requests", "lost_wakeup", "failing_host",
        "s01_sync_threads", "s02_block_on", "s03_many_requests", "s04_owning_request", "s05_async_block",
        "s06_spawn_pool", "s07_compute_pool", "s07_compute_spawn_local", "s08_fuse", "s09_busy_poll",
        "s09_parking", "chat_server", "chat_server_threads"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512], err[1024];
        snprintf(path, sizeof path, TRACES "%s.trace.json", names[i]);
        doc d;
        assert_int_equal(doc_open(&d, path, 1, NULL, err, sizeof err), 0);
#if defined(__SANITIZE_ADDRESS__)
        if (d.ix.n_steps > 120) { doc_close(&d); continue; }
#endif
        layout_view v;
        layout_view_init(&v, 1600, 0);
        doc_fit_view(&d, &v, 1);
        page_opts o = {.first = 0, .last = (long)d.ix.n_steps - 1, .max_bytes = PAGE_MAX_BYTES};
        char *html;
        size_t len;
        int rc = page_build(&d.t, &d.ix, &d.ax, &v, &o, &html, &len, err, sizeof err);
        if (rc) fprintf(stderr, "%s: %s\n", names[i], err);
        assert_int_equal(rc, 0);
        assert_true(len <= 2000000);
        printf("page %s: %zu steps, %zu KB\n", names[i], d.ix.n_steps, len >> 10);
        free(html);
        doc_close(&d);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_way_to_look_should_hold_the_layouts_own_list, setup_s02, teardown),
        cmocka_unit_test_setup_teardown(the_page_should_have_no_url_and_nothing_from_outside, setup_s02, teardown),
        cmocka_unit_test(a_url_in_the_traces_text_should_not_read_as_one),
        cmocka_unit_test_setup_teardown(the_page_should_hold_the_quiz_of_its_run, setup_s02, teardown),
        cmocka_unit_test(a_scenarios_quiz_text_should_reach_the_player_unchanged),
        cmocka_unit_test_setup_teardown(a_click_should_show_the_layouts_outline_and_details, setup_s02, teardown),
        cmocka_unit_test_setup_teardown(polls_should_be_the_steps_where_a_poll_starts, setup_s02, teardown),
        cmocka_unit_test_setup_teardown(a_page_too_large_should_be_refused_with_a_hint_and_no_file, setup_s02, teardown),
        cmocka_unit_test(export_html_should_hold_the_range_and_open_at_the_step),
        cmocka_unit_test(a_run_with_too_many_steps_should_be_refused_at_once),
        cmocka_unit_test(every_catalogue_page_should_be_at_most_2_mb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
