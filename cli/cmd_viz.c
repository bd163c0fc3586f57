/* cmd_viz: the viewer's subcommands: view (the window), export (SVG / PNG / frames),
 * text (for terminals) and show (the README's main job). Each input may be a trace file,
 * a built-in example or a scenario file (simulated on the spot, see viz/doc.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/errline.h"
#include "sim/runner.h"
#include "trace/outfile.h"
#include "viz/compare.h"
#include "viz/doc.h"
#include "viz/layout.h"
#include "viz/page.h"
#include "viz/sdlr.h"
#include "viz/svg.h"
#include "viz/quiz.h"
#include "viz/textline.h"
#include "viz/window.h"

typedef struct viz_args {
    const char *in, *in2, *out, *frames, *screenshot; /* in2: a second run to compare with */
    const char *model_word; /* --model's value as given */
    char sim_only[96];      /* "--model tokio, --param": what a trace opened with them ignores */
    scenario_param params[MAX_PARAMS];                 /* --param KEY=VALUE for scenario files */
    int nparams;
    int model;            /* --model: runner_opts.model (0: the scenario's own) */
    uint64_t seed;        /* --seed, when has_seed */
    int has_seed;
    long step;            /* 1-based, 0: none */
    double from_us, to_us; /* < 0: not given */
    layout_which which;
    float width, height, scale;
    caption_lang lang;
    int presenter, proportional, reveal, limit, help, slide, quiz;
    int which_given;      /* --view was given (compare draws the Implementation alone by default) */
} viz_args;

/* The one place a scenario run is wired into a document: the viewer does not link the
 * simulator, so a scenario file or a built-in reaches it through this doc_sim (quiet, with
 * the --param overrides). ro must outlive the docs opened with the result. */
static doc_sim sim_of(const viz_args *a, runner_opts *ro) {
    *ro = (runner_opts){.quiet = 1, .params = a->params, .nparams = a->nparams, .model = a->model,
                        .seed = a->seed, .has_seed = a->has_seed};
    return (doc_sim){.is_builtin = runner_is_builtin, .run = runner_simulate, .ctx = ro, .sim_only = a->sim_only};
}

static void usage_export(FILE *f) {
    fprintf(f, "usage: pinata export IN -o OUT.svg|OUT.png|OUT.html [options]\n"
               "       pinata export IN --frames DIR [options]   (one PNG per step)\n"
               "       pinata export A B -o OUT.svg|OUT.png [options]   (compare two runs)\n"
               "IN, A and B are each a trace file, a built-in example (pinata list) or a scenario file.\n"
               "OUT.html: one self-contained page that steps through the run in a browser, offline\n"
               "  (--step: the step it opens at; --from/--to: the steps it holds; --view, --lang, --reveal: how it opens)\n"
               "  --param KEY=VALUE   override a scenario file's param (both A and B; repeatable)\n"
               "  --model ideal|async-std|tokio   run a scenario or example under this runtime model\n"
               "                      (both A and B; a trace ran already: docs/runtime-models.md)\n"
               "  --seed N            run a scenario or example with this seed (both A and B)\n"
               "  (two runs: one time scale, the Implementation alone unless --view says otherwise)\n"
               "  --step K            cursor on step K (1-based) with its caption\n"
               "  --from US --to US   only this time range (virtual µs)\n"
               "  --view both|simplified|implementation\n"
               "  --width W --height H   pixels (default 1600 x as tall as needed)\n"
               "  --scale S           text and line scale for slides (default 1)\n"
               "  --slide             one 1920 x 1080 slide: the largest text that fits the scenario\n"
               "  --lang en|ko        language of labels and captions\n"
               "  --presenter         larger fonts, thicker lines, high contrast\n"
               "  --proportional      true-scale time axis (default: compressed idle stretches)\n"
               "  --reveal            hide what comes after the cursor (with --step / --frames)\n");
}

static int parse_which(const char *s, layout_which *w) {
    if (!strcmp(s, "both")) *w = LAYOUT_BOTH;
    else if (!strcmp(s, "simplified")) *w = LAYOUT_SIMPLIFIED;
    else if (!strcmp(s, "implementation")) *w = LAYOUT_IMPLEMENTATION;
    else return -1;
    return 0;
}

static int bad(const char *cmd, const char *what, const char *arg) {
    errline(cmd, "%s%s%s (try `pinata %s --help`)", what, arg ? ": " : "", arg ? arg : "", cmd);
    return 2;
}

/* One option with a value; returns 1 when taken, 0 when not this one, -1 on error. */
static int opt_value(const char *cmd, int argc, char **argv, int *i, viz_args *a) {
    const char *o = argv[*i];
    static const char *const with_value[] = {"-o", "--out", "--frames", "--step", "--from", "--to", "--view",
                                             "--width", "--height", "--scale", "--lang", "--limit",
                                             "--screenshot-on-exit", "--param", "--model", "--seed", NULL};
    int known = 0;
    for (int k = 0; with_value[k]; k++) known |= !strcmp(o, with_value[k]);
    if (!known) return 0;
    if (*i + 1 >= argc) { bad(cmd, "missing value after", o); return -1; }
    const char *v = argv[++*i];
    char *end = NULL;
    double num = strtod(v, &end);
    int is_num = end && *end == '\0' && end != v;
    if (!strcmp(o, "--param")) {
        if (a->nparams == MAX_PARAMS || cli_parse_param(argv[*i], &a->params[a->nparams])) {
            bad(cmd, "expected KEY=VALUE after --param (at most 16)", v);
            return -1;
        }
        a->nparams++;
    } else if (!strcmp(o, "--model")) {
        if ((a->model = cli_parse_model(v)) < 0) { bad(cmd, CLI_MODEL_EXPECTED " after --model", v); return -1; }
        a->model_word = v;
    } else if (!strcmp(o, "--seed")) {
        if (cli_parse_seed(v, &a->seed)) { bad(cmd, CLI_SEED_EXPECTED " after --seed", v); return -1; }
        a->has_seed = 1;
    } else if (!strcmp(o, "-o") || !strcmp(o, "--out")) a->out = v;
    else if (!strcmp(o, "--frames")) a->frames = v;
    else if (!strcmp(o, "--screenshot-on-exit")) a->screenshot = v;
    else if (!strcmp(o, "--view")) { a->which_given = 1; if (parse_which(v, &a->which)) { bad(cmd, "expected both, simplified or implementation after --view", v); return -1; } }
    else if (!strcmp(o, "--lang")) {
        if (!strcmp(v, "en")) a->lang = CAPTION_EN;
        else if (!strcmp(v, "ko")) a->lang = CAPTION_KO;
        else { bad(cmd, "expected en or ko after --lang", v); return -1; }
    } else if (!is_num) { bad(cmd, "expected a number after", o); return -1; }
    else if (!strcmp(o, "--step")) a->step = (long)num;
    else if (!strcmp(o, "--from")) a->from_us = num;
    else if (!strcmp(o, "--to")) a->to_us = num;
    else if (!strcmp(o, "--width")) a->width = (float)num;
    else if (!strcmp(o, "--height")) a->height = (float)num;
    else if (!strcmp(o, "--scale")) a->scale = (float)num;
    else if (!strcmp(o, "--limit")) a->limit = (int)num;
    if ((a->width < 0 || a->height < 0 || a->scale < 0 || a->step < 0)) { bad(cmd, "expected a positive number after", o); return -1; }
    return 1;
}

static int parse_args(const char *cmd, int argc, char **argv, viz_args *a) {
    memset(a, 0, sizeof *a);
    a->from_us = a->to_us = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int r = opt_value(cmd, argc, argv, &i, a);
        if (r < 0) return 2;
        if (r > 0) continue;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) a->help = 1;
        else if (!strcmp(o, "--presenter")) a->presenter = 1;
        else if (!strcmp(o, "--slide")) a->slide = 1;
        else if (!strcmp(o, "--proportional")) a->proportional = 1;
        else if (!strcmp(o, "--reveal")) a->reveal = 1;
        else if (!strcmp(o, "--quiz") && !strcmp(cmd, "text")) a->quiz = 1;
        else if (o[0] == '-' && o[1]) return bad(cmd, "unknown option", o);
        else if (!a->in) a->in = o;
        else if (!a->in2 && (!strcmp(cmd, "export") || !strcmp(cmd, "view"))) a->in2 = o;
        else return bad(cmd, strcmp(cmd, "export") && strcmp(cmd, "view") ? "one input only; extra argument"
                                                                           : "two inputs at most; extra argument", o);
    }
    size_t n = 0; /* the options a trace ignores, for its warning */
    if (a->model_word) n += (size_t)snprintf(a->sim_only, sizeof a->sim_only, "--model %.40s", a->model_word);
    if (a->nparams) n += (size_t)snprintf(a->sim_only + n, sizeof a->sim_only - n, "%s--param", n ? ", " : "");
    if (a->has_seed) snprintf(a->sim_only + n, sizeof a->sim_only - n, "%s--seed", n ? ", " : "");
    return 0;
}

static void print_warnings(const doc *d) {
    if (d->t.warn[0]) errline_text(d->t.warn);
}

/* The --from/--to range on the axis ax. */
static void view_range(const viz_args *a, const taxis *ax, layout_view *v) {
    if (a->from_us >= 0 || a->to_us >= 0) {
        double lo = a->from_us >= 0 ? taxis_u(ax, (int64_t)(a->from_us * 1000)) : 0;
        double hi = a->to_us >= 0 ? taxis_u(ax, (int64_t)(a->to_us * 1000)) : ax->u_total;
        if (hi > lo) { v->u_lo = lo; v->u_hi = hi; }
    }
}

/* The view an export or the window starts from, from the arguments. */
static void view_from_args(const viz_args *a, const taxis *ax, layout_view *v) {
    layout_view_init(v, a->width > 0 ? a->width : 1600, a->height);
    v->scale = a->scale > 0 ? a->scale : 1;
    v->presenter = a->presenter;
    v->lang = a->lang;
    v->which = a->which;
    v->reveal = a->reveal;
    v->step = a->step > 0 ? a->step - 1 : -1;
    view_range(a, ax, v);
}

/* One run's view: its axis rebuilt for it (each poll's least width; without --width the
 * page widens when the polls need it), then the --from/--to range on that axis. */
static void view_fit(const viz_args *a, doc *d, layout_view *v) {
    if (a->slide) { /* a fixed page: the text scale that fits it, never a wider page */
        if (a->width <= 0) v->width = LAYOUT_SLIDE_W;
        if (a->height <= 0) v->height = LAYOUT_SLIDE_H;
        layout_fit_slide(&d->t, &d->ix, v);
    }
    doc_fit_view(d, v, a->width <= 0 && !a->slide);
    view_range(a, &d->ax, v);
}

static int ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* Writes a laid-out list to path (.svg or .png); rc is the layout's result. */
static int write_list(draw_list *dl, int rc, const char *path, char *err, size_t errlen) {
    if (rc) snprintf(err, errlen, "%s: out of memory laying out the diagram", path);
    else if (ends_with(path, ".svg")) rc = svg_write(dl, path, err, errlen);
    else rc = sdlr_save_png(dl, path, err, errlen);
    draw_list_free(dl);
    return rc;
}

/* Lays out v and writes it to path (.svg or .png). */
static int export_one(const doc *d, const layout_view *v, const char *path, char *err, size_t errlen) {
    if (outfile_is_input(path, d->input)) {
        snprintf(err, errlen, "%s: the picture would replace the input file: expected another output", path);
        return -1;
    }
    draw_list dl;
    draw_list_init(&dl, v->width, v->height, 0xFFFFFFFF);
    return write_list(&dl, layout_build(&d->t, &d->ix, &d->ax, v, &dl, NULL), path, err, errlen);
}

/* pinata export A B: the two runs on one page (viz/compare.h). */
static int export_compare(const viz_args *a) {
    char err[1024];
    compare c;
    if (a->frames) return bad("export", "--frames takes one input (compare writes one picture)", a->in2);
    if (outfile_is_input(a->out, a->in) || outfile_is_input(a->out, a->in2)) {
        errline("export", "%s: the picture would replace an input file: expected another output", a->out);
        return 1;
    }
    runner_opts ro;
    doc_sim sim = sim_of(a, &ro);
    if (compare_open(&c, a->in, a->in2, !a->proportional, &sim, err, sizeof err)) {
        errline("export", "%s", err);
        return 1;
    }
    for (int r = 0; r < 2; r++) print_warnings(&c.run[r]);
    layout_view v;
    view_from_args(a, &c.ax, &v);
    if (!a->which_given) v.which = LAYOUT_IMPLEMENTATION; /* what differs is how they run */
    if (compare_fit_view(&c, &v)) {
        fprintf(stderr, "pinata export: %s: out of memory fitting the axis\n", a->in);
        compare_close(&c);
        return 1;
    }
    view_range(a, &c.ax, &v); /* --from/--to on the fitted axis */
    if (v.step >= 0 && (size_t)v.step >= c.n_steps) {
        errline("export", "--step %ld: expected a step from 1 to %zu (both runs' steps)", a->step, c.n_steps);
        compare_close(&c);
        return 2;
    }
    draw_list dl;
    draw_list_init(&dl, v.width, v.height, 0xFFFFFFFF);
    int rc = write_list(&dl, compare_build(&c, &v, &dl, NULL, NULL), a->out, err, sizeof err);
    if (rc) errline("export", "%s", err);
    else printf("pinata export: wrote %s\n", a->out);
    compare_close(&c);
    return rc ? 1 : 0;
}

enum { MAX_FRAMES = 10000 };

/* One PNG per step (of the --from/--to range when given), all of one size. */
static int export_frames(const doc *d, layout_view *v, const viz_args *a, char *err, size_t errlen) {
    int64_t lo = a->from_us >= 0 ? (int64_t)(a->from_us * 1000) : INT64_MIN;
    int64_t hi = a->to_us >= 0 ? (int64_t)(a->to_us * 1000) : INT64_MAX;
    size_t first = d->ix.n_steps, count = 0;
    for (size_t k = 0; k < d->ix.n_steps; k++) {
        int64_t t = tindex_step_time(&d->t, d->ix.steps[k]);
        if (t < lo || t > hi) continue;
        if (first == d->ix.n_steps) first = k;
        count++;
    }
    if (count > MAX_FRAMES) {
        snprintf(err, errlen, "%s: expected at most %d frames, the run has %zu steps there "
                 "(narrow it with --from US --to US)", a->in, MAX_FRAMES, count);
        return -1;
    }
    if (mkdir(a->frames, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot make the directory: %s", a->frames, strerror(errno));
        return -1;
    }
    /* one size for every frame (GIFs and slide builds want that): room for a caption
     * of up to three lines */
    layout_view probe = *v;
    probe.step = 0;
    float line = 15 * 1.15f * 1.35f * (v->scale > 0 ? v->scale : 1) * (v->presenter ? 1.45f : 1);
    if (v->height <= 0) v->height = layout_content_height(&d->t, &d->ix, &probe) + 2 * line;
    char path[4096];
    size_t n = 0;
    for (size_t k = first; n < count; k++) {
        int64_t t = tindex_step_time(&d->t, d->ix.steps[k]);
        if (t < lo || t > hi) continue;
        v->step = (long)k;
        snprintf(path, sizeof path, "%s/step-%05zu.png", a->frames, k + 1);
        if (export_one(d, v, path, err, errlen)) return -1;
        n++;
    }
    char safe[4096];
    printf("pinata export: wrote %zu frames to %s/step-NNNNN.png\n", n, errline_safe(safe, sizeof safe, a->frames));
    return 0;
}

/* The steps of the --from/--to range (all when not given) as [*first, *last]; 0 when none. */
static size_t step_range(const doc *d, const viz_args *a, long *first, long *last) {
    int64_t lo = a->from_us >= 0 ? (int64_t)(a->from_us * 1000) : INT64_MIN;
    int64_t hi = a->to_us >= 0 ? (int64_t)(a->to_us * 1000) : INT64_MAX;
    size_t count = 0;
    *first = *last = -1;
    for (size_t k = 0; k < d->ix.n_steps; k++) {
        int64_t t = tindex_step_time(&d->t, d->ix.steps[k]);
        if (t < lo || t > hi) continue;
        if (*first < 0) *first = (long)k;
        *last = (long)k;
        count++;
    }
    return count;
}

/* A trace file whose run left its scenario's quiz out, where its quiz is used (a run just
 * simulated said so on opening). */
static void print_quiz_left_out(const doc *d) {
    char line[1024];
    if (!d->simulated && quiz_left_out_line(&d->t, d->input, line, sizeof line)) errline_text(line);
}

/* The run as one HTML page (viz/page.h): the steps of the range, opening at --step. */
static int export_page(const doc *d, const layout_view *v, const viz_args *a, char *err, size_t errlen) {
    if (outfile_is_input(a->out, d->input)) {
        snprintf(err, errlen, "%s: the page would replace the input file: expected another output", a->out);
        return -1;
    }
    page_opts o = {.max_bytes = PAGE_MAX_BYTES};
    if (!step_range(d, a, &o.first, &o.last)) {
        snprintf(err, errlen, "%s: no step between --from and --to: expected a range inside the run", a->in);
        return -1;
    }
    o.start = v->step >= o.first && v->step <= o.last ? v->step : o.first;
    char title[256], name[128];
    const char *t = tload_str(&d->t, d->t.title);
    const char *m = d->t.model ? tload_str(&d->t, d->t.model) : ""; /* a real model's run says so */
    snprintf(title, sizeof title, "pinata · %s%s%s", t && *t ? t : doc_name(d, name, sizeof name), *m ? " · " : "", m);
    o.title = title;
    print_quiz_left_out(d);
    layout_view base = *v;
    base.step = -1;
    return page_write(&d->t, &d->ix, &d->ax, &base, &o, a->out, err, errlen);
}

int cmd_export(int argc, char **argv) {
    viz_args a;
    int rc = parse_args("export", argc, argv, &a);
    if (rc) return rc;
    if (a.help) { usage_export(stdout); return 0; }
    if (!a.in) return bad("export", "expected an input (a trace, an example or a scenario)", NULL);
    if (!a.out && !a.frames) return bad("export", "expected -o OUT.svg, -o OUT.png or --frames DIR", NULL);
    if (a.out && !ends_with(a.out, ".svg") && !ends_with(a.out, ".png") && !ends_with(a.out, ".html"))
        return bad("export", "expected an output ending in .svg, .png or .html", a.out);
    if (a.out && ends_with(a.out, ".html") && (a.in2 || a.frames))
        return bad("export", "a page (.html) holds one run: one input, no --frames", a.in2 ? a.in2 : a.frames);
    if (a.in2) return export_compare(&a);
    char err[1024];
    doc d;
    runner_opts ro;
    doc_sim sim = sim_of(&a, &ro);
    if (doc_open(&d, a.in, !a.proportional, &sim, err, sizeof err)) { errline("export", "%s", err); return 1; }
    print_warnings(&d);
    layout_view v;
    view_from_args(&a, &d.ax, &v);
    view_fit(&a, &d, &v);
    if (v.step >= 0 && (size_t)v.step >= d.ix.n_steps) {
        errline("export", "--step %ld: expected a step from 1 to %zu", a.step, d.ix.n_steps);
        doc_close(&d);
        return 2;
    }
    if (a.frames) rc = export_frames(&d, &v, &a, err, sizeof err);
    else if (ends_with(a.out, ".html")) rc = export_page(&d, &v, &a, err, sizeof err);
    else rc = export_one(&d, &v, a.out, err, sizeof err);
    if (rc) errline("export", "%s", err);
    else if (a.out) printf("pinata export: wrote %s\n", errline_safe(err, sizeof err, a.out));
    doc_close(&d);
    return rc ? 1 : 0;
}

/* pinata text --quiz: the questions the window would ask, for a lecturer to check. */
static int text_quiz(doc *d, msg_lang lang) {
    quiz qz;
    char err[1024];
    if (quiz_build(&d->t, &d->ix, &qz, err, sizeof err)) { errline("text", "%s", err); return 1; }
    int rc = quiz_write(stdout, &qz, lang);
    quiz_free(&qz);
    return rc;
}

int cmd_text(int argc, char **argv) {
    viz_args a;
    int rc = parse_args("text", argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        printf("usage: pinata text IN [--lang en|ko] [--width COLUMNS] [--limit STEPS] [--proportional] [--quiz]\n"
               "                 [--param KEY=VALUE]... [--model ideal|async-std|tokio] [--seed N]\n"
               "Prints the run as text: a strip chart per thread, then every step in words.\n"
               "  --quiz   the quiz instead: each question with its step, choices and answer\n");
        return 0;
    }
    if (!a.in) return bad("text", "expected an input (a trace, an example or a scenario)", NULL);
    char err[1024];
    doc d;
    runner_opts ro;
    doc_sim sim = sim_of(&a, &ro);
    if (doc_open(&d, a.in, !a.proportional, &sim, err, sizeof err)) { errline("text", "%s", err); return 1; }
    textline_opts o = {.width = a.width > 0 ? (int)a.width : 72, .lang = a.lang, .limit = a.limit};
    if (a.quiz) print_warnings(&d); /* the timeline prints them itself */
    if (a.quiz) print_quiz_left_out(&d);
    if (a.quiz) rc = text_quiz(&d, a.lang == CAPTION_KO ? MSG_KO : MSG_EN);
    else rc = textline_write(stdout, &d.t, &d.ix, &d.ax, &o);
    doc_close(&d);
    return rc ? 1 : 0;
}

static int view_input(const viz_args *a, const char *cmd) {
    char err[1024];
    window_opts wo;
    memset(&wo, 0, sizeof wo);
    layout_view_init(&wo.view, 0, 0);
    wo.view.scale = a->scale > 0 ? a->scale : 1;
    wo.view.presenter = a->presenter;
    wo.view.lang = a->lang;
    wo.view.which = a->which;
    wo.view.reveal = a->reveal;
    wo.view.step = a->step > 0 ? a->step - 1 : 0;
    wo.width = a->width > 0 ? (int)a->width : a->slide ? LAYOUT_SLIDE_W : 1400;
    wo.height = a->height > 0 ? (int)a->height : a->slide ? LAYOUT_SLIDE_H : 820;
    wo.slide = a->slide;
    wo.compressed = !a->proportional;
    wo.screenshot_on_exit = a->screenshot;
    wo.compare_with = a->in2;
    runner_opts ro;
    doc_sim sim = sim_of(a, &ro);
    wo.sim = &sim;
    if (a->in2 && !a->which_given) wo.view.which = LAYOUT_IMPLEMENTATION; /* as export A B */
    int rc = window_run(a->in ? a->in : "block_on", &wo, err, sizeof err);
    if (rc) errline(cmd, "%s", err);
    return rc;
}

int cmd_view(int argc, char **argv) {
    viz_args a;
    int rc = parse_args("view", argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        printf("usage: pinata view [IN [B]] [--lang en|ko] [--presenter] [--slide] [--proportional] [--reveal] [--step K]\n"
               "                  [--view both|simplified|implementation] [--width W --height H]\n"
               "                  [--param KEY=VALUE]... [--model ideal|async-std|tokio] [--seed N]\n"
               "                  [--screenshot-on-exit FILE.png]\n"
               "Opens the interactive viewer (default IN: block_on). Press ? in the window for the keys.\n"
               "With two inputs, both runs on one time scale with a table of counts; the keys step\n"
               "through both runs' steps in time order.\n");
        return 0;
    }
    if (!window_display_available() && a.in2) {
        errline("view", "no display (DISPLAY / WAYLAND_DISPLAY not usable); try `pinata export %s %s -o out.png`",
                a.in, a.in2);
        return 1;
    }
    if (!window_display_available()) {
        errline("view", "no display (DISPLAY / WAYLAND_DISPLAY not usable); "
                        "try `pinata export %s -o out.png` or `pinata text %s`",
                a.in ? a.in : "block_on", a.in ? a.in : "block_on");
        return 1;
    }
    return view_input(&a, "view");
}

/* Without a display: the SVG, the PNG and the text timeline, saying where the files are. */
static int show_headless(const viz_args *a) {
    char err[1024], name[256], svg[300], png[300];
    doc d;
    const char *in = a->in ? a->in : "block_on";
    runner_opts ro;
    doc_sim sim = sim_of(a, &ro);
    if (doc_open(&d, in, !a->proportional, &sim, err, sizeof err)) { errline("show", "%s", err); return 1; }
    print_warnings(&d);
    doc_name(&d, name, sizeof name);
    snprintf(svg, sizeof svg, "pinata-%s.svg", name);
    snprintf(png, sizeof png, "pinata-%s.png", name);
    layout_view v;
    view_from_args(a, &d.ax, &v);
    view_fit(a, &d, &v);
    int rc = export_one(&d, &v, svg, err, sizeof err) || export_one(&d, &v, png, err, sizeof err);
    if (rc) errline("show", "%s", err);
    else {
        textline_opts o = {.width = 72, .lang = a->lang, .limit = 0};
        textline_write(stdout, &d.t, &d.ix, &d.ax, &o);
        printf("\nNo display, so the diagram was written to ./%s and ./%s\n"
               "(open them in a browser or image viewer; `pinata view %s` opens the window where there is a display).\n",
               svg, png, errline_safe(err, sizeof err, in));
    }
    doc_close(&d);
    return rc ? 1 : 0;
}

int cmd_show(int argc, char **argv) {
    viz_args a;
    int rc = parse_args("show", argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        printf("usage: pinata show [IN] [--lang en|ko] [--presenter] [--proportional] [--param KEY=VALUE]...\n"
               "                  [--model ideal|async-std|tokio] [--seed N]\n"
               "With a display: opens the viewer on IN (default: the block_on example).\n"
               "Without one: writes pinata-NAME.svg and pinata-NAME.png here and prints the text timeline.\n");
        return 0;
    }
    if (window_display_available()) return view_input(&a, "show");
    return show_headless(&a);
}
