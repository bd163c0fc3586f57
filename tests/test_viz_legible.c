/* Legible at slide size, read from the draw list of every catalogue scenario (the chat
 * servers with 4 connections; the .rs programs too) at 1600 px, at --scale 2, --presenter and
 * --slide: no text overlaps another (measured as the layout measures, draw_text_width), two
 * wake labels on the OS lane do not run into one sentence, and every poll is drawn at least
 * the view's least width (layout_min_poll_px). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>

#include <math.h>

#include "viz/msg.h"
#include "viz_fixture.h"

typedef struct view_kind { const char *name; float width, scale; int presenter, slide; } view_kind;

static const view_kind VIEWS[] = {
    {"1600 px", 1600, 1, 0, 0},
    {"--scale 2", 1600, 2, 0, 0},
    {"--presenter", 1600, 1, 1, 0},
    {"--presenter --scale 2", 1600, 2, 1, 0},
    {"--slide", LAYOUT_SLIDE_W, 1, 0, 1},
};
enum { N_VIEWS = sizeof VIEWS / sizeof VIEWS[0] };

/* The catalogue's scenario files, sorted; returns how many (at most max). */
static int scenario_files(char names[][128], int max) {
    DIR *dir = opendir(PINATA_SOURCE_DIR "/scenarios");
    assert_non_null(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n < max) {
        size_t len = strlen(e->d_name);
        int json = len > 5 && !strcmp(e->d_name + len - 5, ".json"), rs = len > 3 && !strcmp(e->d_name + len - 3, ".rs");
        if ((json || rs) && len < 128) snprintf(names[n++], 128, "%.127s", e->d_name); /* the Rust programs too */
    }
    closedir(dir);
    qsort(names, (size_t)n, 128, (int (*)(const void *, const void *))strcmp);
    assert_true(n >= 10);
    return n;
}

/* Simulates a scenario (chat servers small) and opens its trace. */
static void open_small(doc *d, const char *file) {
    char path[512], err[1024];
    snprintf(path, sizeof path, "%s/scenarios/%s", PINATA_SOURCE_DIR, file);
    scenario_param p = {"connections", "4"};
    int chat = !strncmp(file, "chat_server", 11);
    runner_opts o = {.quiet = 1, .params = chat ? &p : NULL, .nparams = chat};
    if (runner_run(path, "t_legible.json", &o, err, sizeof err) == RUNNER_ERROR) fail_msg("%s: %s", file, err);
    if (doc_open(d, "t_legible.json", 1, NULL, err, sizeof err)) fail_msg("%s: %s", file, err);
}

static void lay_out(doc *d, const view_kind *k, layout_view *v, draw_list *dl) {
    layout_view_init(v, k->width, 0);
    v->scale = k->scale;
    v->presenter = k->presenter;
    if (k->slide) { /* as export --slide does: the scale that fits 1920 x 1080 */
        v->height = LAYOUT_SLIDE_H;
        layout_fit_slide(&d->t, &d->ix, v);
    }
    assert_int_equal(doc_fit_view(d, v, !k->slide), 0); /* as export does: wider when the polls need it */
    draw_list_init(dl, v->width, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d->t, &d->ix, &d->ax, v, dl, NULL), 0);
}

/* One page of one scenario at one size; returns how many defects it printed. */
typedef int (*page_check)(const char *file, const view_kind *k, doc *d, const layout_view *v,
                          const draw_list *dl);

/* Lays out every catalogue scenario at every size of VIEWS and adds up what check finds. */
static int check_every_page(page_check check) {
    char names[64][128];
    int n = scenario_files(names, 64), bad = 0;
    for (int f = 0; f < n; f++) {
        doc d;
        open_small(&d, names[f]);
        for (int k = 0; k < N_VIEWS; k++) {
            layout_view v;
            draw_list dl;
            lay_out(&d, &VIEWS[k], &v, &dl);
            bad += check(names[f], &VIEWS[k], &d, &v, &dl);
            draw_list_free(&dl);
        }
        doc_close(&d);
    }
    remove("t_legible.json");
    return bad;
}

static int texts_overlap(const char *file, const view_kind *k, doc *d, const layout_view *v,
                         const draw_list *dl) {
    (void)d, (void)v;
    fx_box a, b;
    if (!fx_overlapping(dl, &a, &b)) return 0;
    print_error("%s at %s: \"%s\" (%.0f..%.0f, %.0f..%.0f) overlaps \"%s\" (%.0f..%.0f, %.0f..%.0f)\n",
                file, k->name, a.s, a.x0, a.x1, a.y0, a.y1, b.s, b.x0, b.x1, b.y0, b.y1);
    return 1;
}

static void no_text_should_overlap_another_in_any_scenario_at_any_size(void **s) {
    (void)s;
    assert_int_equal(check_every_page(texts_overlap), 0);
}

/* The OS lane's wake labels ("fd 3 readable: ... sent 512 bytes"), right-aligned at their
 * wake, on one baseline: the next one starts at least 1.5 em after the one before ends,
 * or "... 512 bytes fd 3 readable: ..." reads as one sentence. */
static int wake_labels_too_close(const char *file, const view_kind *k, doc *d, const layout_view *v,
                                 const draw_list *dl) {
    (void)v;
    float last_end = -1e9f, last_y = -1;
    const char *last = NULL;
    for (size_t i = 0; i < dl->n; i++) {
        const draw_cmd *c = &dl->cmd[i];
        if (c->op != DRAW_TEXT || c->align != DRAW_RIGHT) continue;
        const char *s = draw_cmd_text(dl, c);
        int wake = 0;
        for (size_t e = 0; e < d->t.n && !wake; e++) {
            char buf[160];
            wake = d->t.ev[e].kind == TLOAD_WAKE && d->t.ev[e].tid == TRACE_TID_OS &&
                   !strcmp(s, msg_translate(tload_str(&d->t, tload_wake_by(&d->t.ev[e])), MSG_EN, buf, sizeof buf));
        }
        if (!wake) continue;
        fx_box b = fx_text_box(dl, c);
        if (last && fabsf(c->y - last_y) < 0.5f && b.x0 - last_end < 1.5f * c->size) {
            print_error("%s at %s: wake labels \"%s\" and \"%s\" are %.1f px apart\n", file, k->name, last, s, b.x0 - last_end);
            return 1;
        }
        last = s, last_end = b.x1, last_y = c->y;
    }
    return 0;
}

static void wake_labels_should_not_run_into_one_another(void **s) {
    (void)s;
    assert_int_equal(check_every_page(wake_labels_too_close), 0);
}

static int polls_too_narrow(const char *file, const view_kind *k, doc *d, const layout_view *v,
                            const draw_list *dl) {
    float least = layout_min_poll_px(v);
    size_t polls = 0;
    for (size_t i = 0; i < dl->n; i++) {
        const draw_cmd *c = &dl->cmd[i];
        if (c->op != DRAW_RECT || c->tag != DRAW_TAG_POLL) continue;
        polls++;
        if (c->w < least - 0.05f) {
            print_error("%s at %s: poll %s (event %d) is %.2f px wide, less than %.1f\n", file, k->name,
                        tload_str(&d->t, d->t.ev[c->ref].name), c->ref, c->w, least);
            return 1;
        }
    }
    assert_true(polls > 0);
    return 0;
}

static void every_poll_should_be_at_least_the_least_width_at_fit(void **s) {
    (void)s;
    assert_int_equal(check_every_page(polls_too_narrow), 0);
}

static void the_help_should_fit_its_box(void **s) {
    (void)s;
    doc d;
    open_small(&d, "s02_block_on.json");
    for (int lang = 0; lang < 2; lang++)
        for (int k = 0; k < N_VIEWS; k++) {
            layout_view v;
            draw_list dl;
            layout_view_init(&v, 1400, 820);
            v.scale = VIEWS[k].scale;
            v.presenter = VIEWS[k].presenter;
            v.lang = lang ? CAPTION_KO : CAPTION_EN;
            v.help = 1;
            draw_list_init(&dl, 1400, 820, 0xFFFFFFFF);
            assert_int_equal(layout_build(&d.t, &d.ix, &d.ax, &v, &dl, NULL), 0);
            const draw_cmd *frame = NULL;
            size_t lines = 0;
            for (size_t i = 0; i < dl.n; i++) {
                const draw_cmd *c = &dl.cmd[i];
                if (c->tag != DRAW_TAG_HELP) continue;
                if (c->op == DRAW_RECT && !frame) { frame = c; continue; }
                if (c->op != DRAW_TEXT) continue;
                assert_non_null(frame);
                fx_box b = fx_text_box(&dl, c);
                lines++;
                if (b.x0 < frame->x || b.x1 > frame->x + frame->w || b.y0 < frame->y || b.y1 > frame->y + frame->h ||
                    frame->y + frame->h > 820 || frame->x + frame->w > 1400)
                    fail_msg("%s %s: \"%s\" (%.0f..%.0f, %.0f..%.0f) outside the box (%.0f..%.0f, %.0f..%.0f) or the window",
                             lang ? "ko" : "en", VIEWS[k].name, b.s, b.x0, b.x1, b.y0, b.y1, frame->x,
                             frame->x + frame->w, frame->y, frame->y + frame->h);
            }
            assert_true(lines >= 15);
            draw_list_free(&dl);
        }
    doc_close(&d);
    remove("t_legible.json");
}

/* The names written on bars (Simplified View bars, polls, parks, slices): a poll's name
 * counted by its short form ("C.poll", a call's name without "#1"), which every poll
 * keeps; "A.poll cheapo_request #2" may shorten at a larger scale. Returns how many, in
 * names[] (at most max). */
static size_t bar_names(const draw_list *dl, char names[][64], size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < dl->n && n < max; i++) {
        const draw_cmd *c = &dl->cmd[i];
        if (c->op != DRAW_TEXT) continue;
        fx_box b = fx_text_box(dl, c);
        for (size_t j = 0; j < i; j++) { /* the bar it is written on: drawn before it */
            const draw_cmd *r = &dl->cmd[j];
            if (r->op != DRAW_RECT || (r->tag != DRAW_TAG_BAR && r->tag != DRAW_TAG_POLL && r->tag != DRAW_TAG_PARK &&
                                       r->tag != DRAW_TAG_EXEC && r->tag != DRAW_TAG_SYSCALL))
                continue;
            if (b.x0 < r->x || b.x1 > r->x + r->w + 1 || c->y < r->y || c->y > r->y + r->h) continue;
            snprintf(names[n], 64, "%.63s", b.s);
            char *p = strstr(names[n], ".poll ");
            if (p && p == names[n] + 1) p[5] = '\0';
            else if ((p = strstr(names[n], " #"))) *p = '\0'; /* "serve #1" may shorten to "serve" */
            n++;
            break;
        }
    }
    return n;
}

static int name_cmp(const void *a, const void *b) { return strcmp(a, b); }

/* --presenter and --scale 2 make room (the axis widens a stretch for its name; an export
 * widens the page as much as the text grows): every name on a bar at 1600 px is on a bar
 * there too. Not yet in four scenarios, where a system call's name ("close(fd 3)") or a
 * call's ("write_all") still gives way at --presenter (issue 8, open; PINATA_LEGIBLE_ALL=1
 * checks them too). */
static int not_yet(const char *file) {
    static const char *const open_cases[] = {"chat_server.json", "chat_server_threads.json", "s06_spawn_pool.json",
                                             "s08_fuse.json"};
    for (size_t i = 0; i < sizeof open_cases / sizeof open_cases[0]; i++)
        if (!strcmp(file, open_cases[i])) return !getenv("PINATA_LEGIBLE_ALL");
    return 0;
}

static void presenter_and_scale_should_keep_every_name_on_a_bar(void **s) {
    (void)s;
    char files[64][128];
    int nf = scenario_files(files, 64), bad = 0, checked = 0;
    static char normal[2048][64], big[2048][64];
    for (int f = 0; f < nf; f++) {
        if (not_yet(files[f])) continue;
        checked++;
        doc d;
        open_small(&d, files[f]);
        layout_view v;
        draw_list dl;
        lay_out(&d, &VIEWS[0], &v, &dl);
        size_t nn = bar_names(&dl, normal, 2048);
        draw_list_free(&dl);
        qsort(normal, nn, 64, name_cmp);
        for (int k = 1; k <= 2; k++) { /* --scale 2, --presenter */
            lay_out(&d, &VIEWS[k], &v, &dl);
            size_t nb = bar_names(&dl, big, 2048);
            draw_list_free(&dl);
            qsort(big, nb, 64, name_cmp);
            size_t j = 0; /* every name of normal in big, as many times (both sorted) */
            for (size_t i = 0; i < nn; i++) {
                while (j < nb && strcmp(big[j], normal[i]) < 0) j++;
                if (j < nb && !strcmp(big[j], normal[i])) { j++; continue; }
                print_error("%s at %s: \"%s\" is on a bar at 1600 px, not here\n", files[f], VIEWS[k].name, normal[i]);
                bad++;
            }
        }
        assert_true(nn > 0);
        doc_close(&d);
    }
    remove("t_legible.json");
    assert_true(checked >= 13);
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_text_should_overlap_another_in_any_scenario_at_any_size),
        cmocka_unit_test(every_poll_should_be_at_least_the_least_width_at_fit),
        cmocka_unit_test(wake_labels_should_not_run_into_one_another),
        cmocka_unit_test(the_help_should_fit_its_box),
        cmocka_unit_test(presenter_and_scale_should_keep_every_name_on_a_bar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
