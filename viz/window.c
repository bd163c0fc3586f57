/* window: the interactive viewer. See window.h.
 *
 * The loop is short named phases: handle input -> advance play -> watch the file ->
 * lay out and draw when something changed. Nothing is drawn unless the view changed,
 * so an idle viewer costs nothing. */
#include "viz/window.h"
#include "viz/msg.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/printable.h"
#include "viz/compare.h"
#include "viz/doc.h"
#include "viz/quiz.h"
#include "viz/sdlr.h"

typedef struct win {
    SDL_Window *w;
    SDL_Renderer *r;
    sdlr s;
    doc d;                   /* the run (unused when comparing) */
    compare cmp;             /* two runs on one page, when o->compare_with is set */
    int comparing;
    layout_view v;
    layout_geom g;
    draw_list dl;
    const window_opts *o;
    const char *input;
    int compressed, playing, dirty, quit, dragging;
    double speed;            /* steps per second while playing */
    Uint32 last_play, last_watch;
    int drag_x;
    double drag_lo, drag_hi;
    double frame_ms;         /* the last layout + draw, measured */
    double phase_ms[3];      /* layout, render, present: summed over frames (the bench) */
    char status[600];
    char note[256];          /* the last reload error or message */
    long bench_frames;       /* PINATA_BENCH_FRAMES: draw N frames panning, print the mean, quit */
    quiz qz;                 /* quiz mode (G): the run's questions, built when first asked for */
    quiz_play qp;
    int qz_built, reveal_was; /* reveal mode before the quiz turned it on */
} win;

int window_display_available(void) {
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if ((!x || !*x) && (!wl || !*wl)) return 0;
    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) return 0;
    /* when the X server does not answer, SDL may fall back to a driver with no screen
     * (offscreen, KMS): that is no display for a window the user can see */
    const char *drv = SDL_GetCurrentVideoDriver();
    if (!drv || (strcmp(drv, "x11") && strcmp(drv, "wayland"))) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return 0;
    }
    return 1;
}

/* ---- view helpers ----------------------------------------------------------------- */

/* One run or two: the axis, the steps and a step's time the window moves through. */
static const taxis *axis_of(const win *W) { return W->comparing ? &W->cmp.ax : &W->d.ax; }
static size_t n_steps(const win *W) { return W->comparing ? W->cmp.n_steps : W->d.ix.n_steps; }
static int64_t step_time(const win *W, long k) {
    return W->comparing ? compare_step_time(&W->cmp, k) : tindex_step_time(&W->d.t, W->d.ix.steps[k]);
}

static void fit(win *W) {
    W->v.u_lo = 0;
    W->v.u_hi = axis_of(W)->u_total;
}

static long clamp_step(const win *W, long k) {
    if (n_steps(W) == 0) return -1;
    if (k < 0) return 0;
    if ((size_t)k >= n_steps(W)) return (long)n_steps(W) - 1;
    return k;
}

/* Keeps the cursor in view when stepping takes it off screen. */
static void follow_cursor(win *W) {
    if (W->v.step < 0 || !n_steps(W)) return;
    double u = taxis_u(axis_of(W), step_time(W, W->v.step));
    double span = W->v.u_hi - W->v.u_lo;
    if (u < W->v.u_lo || u > W->v.u_hi) {
        W->v.u_lo = u - span * 0.3;
        W->v.u_hi = W->v.u_lo + span;
    }
}

static void set_step(win *W, long k) {
    k = clamp_step(W, k);
    if (W->qp.phase != QUIZ_OFF) { /* quiz mode: a step that holds a question stops the cursor */
        k = quiz_play_move(&W->qp, W->v.step, k);
        if (W->qp.phase == QUIZ_ASKING) W->playing = 0;
    }
    W->v.step = k;
    follow_cursor(W);
    W->dirty = 1;
}

static void zoom(win *W, double factor, double anchor_u) {
    double lo = W->v.u_lo, hi = W->v.u_hi, total = axis_of(W)->u_total;
    double nlo = anchor_u - (anchor_u - lo) * factor, nhi = anchor_u + (hi - anchor_u) * factor;
    if (nhi - nlo > total) { nlo = 0; nhi = total; }
    if (nhi - nlo < total * 1e-7) return; /* far enough: nanoseconds */
    W->v.u_lo = nlo;
    W->v.u_hi = nhi;
    W->dirty = 1;
}

static void pan(win *W, double frac) {
    double span = W->v.u_hi - W->v.u_lo;
    W->v.u_lo += span * frac;
    W->v.u_hi += span * frac;
    W->dirty = 1;
}

static double u_at_x(const win *W, int x) {
    const layout_geom *g = &W->g;
    if (g->plot_x1 <= g->plot_x0) return W->v.u_lo;
    return g->u_lo + ((double)x - g->plot_x0) / (g->plot_x1 - g->plot_x0) * (g->u_hi - g->u_lo);
}

static double cursor_u(const win *W) {
    if (W->v.step < 0) return (W->v.u_lo + W->v.u_hi) / 2;
    return taxis_u(axis_of(W), step_time(W, W->v.step));
}

/* ---- load / reload ---------------------------------------------------------------- */

/* Each poll's least width follows the view (presenter mode makes it wider): the axis is
 * rebuilt for it, keeping the time range shown. */
static void axis_for_view(win *W) {
    layout_view v = W->v;
    if (v.width <= 0) v.width = (float)W->o->width;
    double lo = taxis_t(axis_of(W), W->v.u_lo), hi = taxis_t(axis_of(W), W->v.u_hi);
    int was_full = W->v.u_lo <= 0 && W->v.u_hi >= axis_of(W)->u_total;
    if (W->comparing) compare_fit_view(&W->cmp, &v);
    else doc_fit_view(&W->d, &v, 0);
    if (was_full) fit(W);
    else { W->v.u_lo = taxis_u(axis_of(W), (int64_t)lo); W->v.u_hi = taxis_u(axis_of(W), (int64_t)hi); }
    W->dirty = 1;
}

static void toggle_presenter(win *W) {
    W->v.presenter = !W->v.presenter;
    axis_for_view(W);
}

static void print_warnings(const tload_trace *t) {
    if (!t->warn[0]) return;
    char safe[2048];
    printable(safe, sizeof safe, t->warn, PRINTABLE_KEEP_NEWLINES); /* no raw ESC from the trace */
    fputs(safe, stderr);
}

/* Both runs (pinata view A B), their axes fitted to the view as one run's would be. */
static int load_compare(win *W, const layout_view *v, char *err, size_t errlen) {
    compare nc;
    if (compare_open(&nc, W->input, W->o->compare_with, W->compressed, W->o->sim, err, errlen))
        return -1;
    compare_fit_view(&nc, v);
    for (int r = 0; r < 2; r++) print_warnings(&nc.run[r].t);
    compare_close(&W->cmp);
    W->cmp = nc;
    W->comparing = 1;
    return 0;
}

static int load(win *W, char *err, size_t errlen) {
    layout_view v = W->v;
    if (v.width <= 0) v.width = (float)W->o->width;
    if (W->o->compare_with) {
        if (load_compare(W, &v, err, errlen)) return -1;
    } else {
        doc nd;
        if (doc_open(&nd, W->input, W->compressed, W->o->sim, err, errlen)) return -1;
        if (W->o->slide) { /* the scale at which the scenario fits the window, as export --slide */
            v.height = (float)W->o->height;
            layout_fit_slide(&nd.t, &nd.ix, &v);
            W->v.scale = v.scale;
            W->v.no_source = v.no_source;
        }
        doc_fit_view(&nd, &v, 0); /* each poll's least width and room for the names */
        print_warnings(&nd.t);
        doc_close(&W->d);
        W->d = nd;
    }
    W->v.step = clamp_step(W, W->v.step);
    W->v.sel_event = W->v.sel_future = -1;
    fit(W);
    W->dirty = 1;
    return 0;
}

static void quiz_reset(win *W);

static void reload(win *W) {
    char err[1024];
    if (load(W, err, sizeof err)) snprintf(W->note, sizeof W->note, "reload failed: %.200s", err);
    else {
        snprintf(W->note, sizeof W->note, "reloaded %.200s", W->input);
        quiz_reset(W);
    }
    W->dirty = 1;
}

/* ---- input ------------------------------------------------------------------------ */

static void scroll(win *W, float dy) {
    int w, h;
    SDL_GetRendererOutputSize(W->r, &w, &h);
    float max = W->g.content_h - (float)h + 20;
    W->s.scroll_y += dy;
    if (W->s.scroll_y > max) W->s.scroll_y = max;
    if (W->s.scroll_y < 0) W->s.scroll_y = 0;
    W->dirty = 1;
}

static int quiz_click(win *W, int x, int y);

static void select_at(win *W, int x, int y) {
    if (W->comparing || quiz_click(W, x, y)) return; /* an event index names one run's event: no details on the compare page */
    long hit = draw_hit(&W->dl, (float)x, (float)y + W->s.scroll_y);
    W->v.sel_event = W->v.sel_future = -1;
    if (hit >= 0) {
        const draw_cmd *c = &W->dl.cmd[hit];
        if (c->tag == DRAW_TAG_BAR || c->tag == DRAW_TAG_CREATE) W->v.sel_future = c->ref; /* refs: future ids */
        else if (c->tag != DRAW_TAG_MEMORY && (size_t)c->ref < W->d.t.n) { /* a memory ref is a counter sample */
            W->v.sel_event = c->ref;
            if (W->d.t.ev[c->ref].kind == TLOAD_POLL) W->v.sel_future = W->d.t.ev[c->ref].future;
        }
    }
    W->dirty = 1;
}

static void toggle_compressed(win *W) {
    double lo = taxis_t(axis_of(W), W->v.u_lo), hi = taxis_t(axis_of(W), W->v.u_hi);
    int was_full = W->v.u_lo <= 0 && W->v.u_hi >= axis_of(W)->u_total;
    W->compressed = !W->compressed;
    if (W->comparing) compare_set_compressed(&W->cmp, W->compressed);
    else doc_set_compressed(&W->d, W->compressed);
    if (was_full) fit(W);
    else { W->v.u_lo = taxis_u(axis_of(W), (int64_t)lo); W->v.u_hi = taxis_u(axis_of(W), (int64_t)hi); }
    W->dirty = 1;
}

static void key_view(win *W, SDL_Keycode k, int shift) {
    switch (k) {
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: zoom(W, 0.7, cursor_u(W)); break;
    case SDLK_MINUS: case SDLK_KP_MINUS: zoom(W, 1 / 0.7, cursor_u(W)); break;
    case SDLK_a: pan(W, -0.15); break;
    case SDLK_d: pan(W, 0.15); break;
    case SDLK_f: fit(W); W->dirty = 1; break;
    case SDLK_c: toggle_compressed(W); break;
    case SDLK_v: W->v.reveal = !W->v.reveal; W->dirty = 1; break;
    case SDLK_l: W->v.lang = W->v.lang == CAPTION_KO ? CAPTION_EN : CAPTION_KO; W->dirty = 1; break;
    case SDLK_F5: toggle_presenter(W); break;
    case SDLK_1: W->v.which = LAYOUT_BOTH; W->dirty = 1; break;
    case SDLK_2: W->v.which = LAYOUT_SIMPLIFIED; W->dirty = 1; break;
    case SDLK_3: W->v.which = LAYOUT_IMPLEMENTATION; W->dirty = 1; break;
    case SDLK_SLASH: if (shift) { W->v.help = !W->v.help; W->dirty = 1; } break;
    case SDLK_F1: case SDLK_h: W->v.help = !W->v.help; W->dirty = 1; break;
    default: break;
    }
}

static long next_poll(const win *W, int dir) {
    return W->comparing ? compare_next_poll(&W->cmp, W->v.step, dir) : tindex_next_poll(&W->d.t, &W->d.ix, W->v.step, dir);
}

static void key_step(win *W, SDL_Keycode k, int shift) {
    switch (k) {
    case SDLK_RIGHT: set_step(W, W->v.step + 1); break;
    case SDLK_LEFT: set_step(W, W->v.step - 1); break;
    case SDLK_HOME: set_step(W, 0); break;
    case SDLK_END: set_step(W, (long)n_steps(W) - 1); break;
    case SDLK_n: set_step(W, next_poll(W, 1)); break;
    case SDLK_p:
        if (shift) toggle_presenter(W);
        else set_step(W, next_poll(W, -1));
        break;
    case SDLK_UP: scroll(W, -40); break;
    case SDLK_DOWN: scroll(W, 40); break;
    case SDLK_PAGEUP: scroll(W, -400); break;
    case SDLK_PAGEDOWN: scroll(W, 400); break;
    case SDLK_SPACE: W->playing = !W->playing; W->last_play = SDL_GetTicks(); W->dirty = 1; break;
    case SDLK_LEFTBRACKET: W->speed = W->speed / 2 < 0.25 ? 0.25 : W->speed / 2; W->dirty = 1; break;
    case SDLK_RIGHTBRACKET: W->speed = W->speed * 2 > 64 ? 64 : W->speed * 2; W->dirty = 1; break;
    default: key_view(W, k, shift);
    }
}

static void save_png(win *W) {
    char err[512];
    if (sdlr_save_png(&W->dl, "pinata-screenshot.png", err, sizeof err) == 0)
        snprintf(W->note, sizeof W->note, "saved pinata-screenshot.png");
    else snprintf(W->note, sizeof W->note, "%.250s", err);
    W->dirty = 1;
}

/* ---- quiz mode (G; viz/quiz.h) ----------------------------------------------------- */

/* The doc changed (reload): its questions are gone with it. */
static void quiz_reset(win *W) {
    if (W->qp.phase != QUIZ_OFF) W->v.reveal = W->reveal_was;
    quiz_play_stop(&W->qp);
    quiz_free(&W->qz);
    W->qz_built = 0;
}

/* Answered or skipped: the cursor goes to the step that shows the answer. */
static void quiz_show_answer(win *W) {
    const quiz_question *q = quiz_play_current(&W->qp);
    if (q) W->v.step = clamp_step(W, q->reveal_step);
    follow_cursor(W);
    W->dirty = 1;
}

/* G: reveal mode on (what comes next stays hidden) and the cursor to the first question
 * ahead, or to the first of all when the cursor is past the last; G again leaves. */
static void quiz_toggle(win *W) {
    W->dirty = 1;
    if (W->qp.phase != QUIZ_OFF) { quiz_reset(W); return; }
    if (W->comparing) { snprintf(W->note, sizeof W->note, "quiz mode: one run at a time"); return; }
    char err[512];
    if (!W->qz_built && quiz_build(&W->d.t, &W->d.ix, &W->qz, err, sizeof err)) {
        snprintf(W->note, sizeof W->note, "%.250s", err);
        return;
    }
    W->qz_built = 1;
    W->reveal_was = W->v.reveal;
    W->v.reveal = 1;
    quiz_play_start(&W->qp, &W->qz);
    if (!W->qz.n) return;
    if (W->qz.q[W->qz.n - 1].step < W->v.step) W->v.step = 0;
    set_step(W, (long)n_steps(W) - 1); /* stops at the question */
}

static void quiz_answer(win *W, int choice) {
    if (quiz_play_answer(&W->qp, choice) >= 0) quiz_show_answer(W);
}

/* Keys of quiz mode; returns 1 when the key was the quiz's. While a question is asked,
 * 1..N answer (not the views) and Esc skips; Enter goes to the next question. */
static int quiz_key(win *W, SDL_Keycode k) {
    if (k == SDLK_g) { quiz_toggle(W); return 1; }
    const quiz_question *q = quiz_play_current(&W->qp);
    int n = k >= SDLK_1 && k <= SDLK_9 ? (int)(k - SDLK_1) : k >= SDLK_KP_1 && k <= SDLK_KP_9 ? (int)(k - SDLK_KP_1) : -1;
    if (W->qp.phase == QUIZ_ASKING && q) {
        if (n >= 0) { if (n < q->nchoices) quiz_answer(W, n); return 1; }
        if (k == SDLK_ESCAPE) { quiz_play_skip(&W->qp); quiz_show_answer(W); return 1; }
        return 0;
    }
    if ((k == SDLK_RETURN || k == SDLK_KP_ENTER) && W->qp.phase != QUIZ_OFF) {
        set_step(W, (long)n_steps(W) - 1);
        return 1;
    }
    return 0;
}

/* A click on a choice answers it. */
static int quiz_click(win *W, int x, int y) {
    if (W->qp.phase != QUIZ_ASKING) return 0;
    long hit = draw_hit(&W->dl, (float)x, (float)y + W->s.scroll_y);
    if (hit < 0 || W->dl.cmd[hit].tag != DRAW_TAG_QUIZ) return 0;
    quiz_answer(W, W->dl.cmd[hit].ref);
    return 1;
}

static void on_key(win *W, const SDL_KeyboardEvent *k) {
    int shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    if (quiz_key(W, k->keysym.sym)) return;
    switch (k->keysym.sym) {
    case SDLK_q: W->quit = 1; break;
    case SDLK_ESCAPE:
        if (W->v.help) W->v.help = 0;
        else W->v.sel_event = W->v.sel_future = -1;
        W->dirty = 1;
        break;
    case SDLK_r: reload(W); break;
    case SDLK_s: save_png(W); break;
    default: key_step(W, k->keysym.sym, shift);
    }
}

static void on_mouse(win *W, const SDL_Event *e) {
    if (e->type == SDL_MOUSEWHEEL && (SDL_GetModState() & KMOD_SHIFT)) scroll(W, e->wheel.y > 0 ? -60 : 60);
    else if (e->type == SDL_MOUSEWHEEL) {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        zoom(W, e->wheel.y > 0 ? 0.8 : 1.25, u_at_x(W, mx));
    } else if (e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT) {
        W->dragging = 1;
        W->drag_x = e->button.x;
        W->drag_lo = W->v.u_lo;
        W->drag_hi = W->v.u_hi;
    } else if (e->type == SDL_MOUSEBUTTONUP && e->button.button == SDL_BUTTON_LEFT) {
        if (W->dragging && abs(e->button.x - W->drag_x) < 4) select_at(W, e->button.x, e->button.y);
        W->dragging = 0;
    } else if (e->type == SDL_MOUSEMOTION && W->dragging && abs(e->motion.x - W->drag_x) >= 4) {
        double du = u_at_x(W, W->drag_x) - u_at_x(W, e->motion.x);
        W->v.u_lo = W->drag_lo + du;
        W->v.u_hi = W->drag_hi + du;
        W->dirty = 1;
    }
}

static void handle(win *W, const SDL_Event *e) {
    switch (e->type) {
    case SDL_QUIT: W->quit = 1; break;
    case SDL_KEYDOWN: on_key(W, &e->key); break;
    case SDL_WINDOWEVENT: W->dirty = 1; break;
    default: on_mouse(W, e);
    }
}

/* ---- phases ----------------------------------------------------------------------- */

static void advance_play(win *W) {
    if (!W->playing) return;
    Uint32 now = SDL_GetTicks();
    if ((double)(now - W->last_play) < 1000.0 / W->speed) return;
    W->last_play = now;
    if (W->v.step + 1 >= (long)n_steps(W)) W->playing = 0;
    else set_step(W, W->v.step + 1);
    W->dirty = 1;
}

static void watch_file(win *W) {
    Uint32 now = SDL_GetTicks();
    if (now - W->last_watch < 500) return;
    W->last_watch = now;
    if (W->comparing ? compare_changed(&W->cmp) : doc_changed(&W->d)) reload(W);
}

static void update_title(win *W) {
    char name[300], nb[128], title[440], qz[40] = "";
    doc_name(W->comparing ? &W->cmp.run[0] : &W->d, name, sizeof name);
    if (W->comparing) {
        size_t n = strlen(name);
        snprintf(name + n, sizeof name - n, " vs %s", doc_name(&W->cmp.run[1], nb, sizeof nb));
    }
    if (W->qp.phase != QUIZ_OFF) snprintf(qz, sizeof qz, " - quiz %d/%d", W->qp.right, W->qp.asked);
    snprintf(title, sizeof title, "pinata - %s - step %ld of %zu%s%s%s", name, W->v.step + 1, n_steps(W),
             W->v.sel_future >= 0 || W->v.sel_event >= 0 ? " - selected" : "", W->v.help ? " - help" : "", qz);
    SDL_SetWindowTitle(W->w, title);
}

static void draw(win *W) {
    int w, h;
    Uint64 t0 = SDL_GetPerformanceCounter();
    SDL_GetRendererOutputSize(W->r, &w, &h);
    W->v.width = (float)w;
    W->v.height = 0; /* as tall as the content: Up / Down scroll it */
    W->v.band_y0 = W->s.scroll_y; /* only what the window shows is laid out */
    W->v.band_y1 = W->s.scroll_y + (float)h;
    msg_lang lang = W->v.lang == CAPTION_KO ? MSG_KO : MSG_EN;
    char speed[32], frame[32], note[300];
    snprintf(speed, sizeof speed, "%.2g", W->speed);
    snprintf(frame, sizeof frame, "%.1f", W->frame_ms);
    snprintf(note, sizeof note, "%s%s", W->note[0] ? " · " : "", W->note);
    MSG_FMT(W->status, sizeof W->status, lang, MSG_WIN_STATUS,
            msg_template(W->playing ? MSG_WIN_PLAYING : MSG_WIN_PAUSED, lang), speed,
            msg_template(W->compressed ? MSG_AXIS_COMPRESSED : MSG_AXIS_PROPORTIONAL, lang),
            msg_template(W->v.reveal ? MSG_WIN_REVEAL : MSG_WIN_FADED, lang), frame, note);
    W->v.status = W->status;
    if (W->comparing) compare_build(&W->cmp, &W->v, &W->dl, &W->g, NULL);
    else layout_build(&W->d.t, &W->d.ix, &W->d.ax, &W->v, &W->dl, &W->g);
    quiz_draw(&W->qp, &W->dl, lang, (float)w, W->s.scroll_y, W->s.scroll_y + (float)h, (W->v.scale > 0 ? W->v.scale : 1) * (W->v.presenter ? 1.3f : 1));
    Uint64 t1 = SDL_GetPerformanceCounter();
    sdlr_render(&W->s, &W->dl);
    Uint64 t2 = SDL_GetPerformanceCounter();
    SDL_RenderPresent(W->r);
    Uint64 t3 = SDL_GetPerformanceCounter();
    double f = 1000.0 / (double)SDL_GetPerformanceFrequency();
    W->phase_ms[0] += (double)(t1 - t0) * f;
    W->phase_ms[1] += (double)(t2 - t1) * f;
    W->phase_ms[2] += (double)(t3 - t2) * f;
    W->frame_ms = (double)(t3 - t0) * f;
    update_title(W);
    W->dirty = 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* PINATA_BENCH_FRAMES=N: N frames, each panned a little, then the mean and median frame
 * time. PINATA_BENCH_SPAN=F shows the fraction F of the run (1, the default: the whole
 * run), centred, so each zoom can be measured. */
static void bench(win *W) {
    const char *sp = getenv("PINATA_BENCH_SPAN");
    double span = sp ? atof(sp) : 1, total = W->d.ax.u_total;
    if (span > 0 && span < 1) { W->v.u_lo = total * (0.5 - span / 2); W->v.u_hi = total * (0.5 + span / 2); }
    double *ms = malloc((size_t)W->bench_frames * sizeof *ms), sum = 0;
    if (!ms) { W->quit = 1; return; }
    memset(W->phase_ms, 0, sizeof W->phase_ms);
    for (long i = 0; i < W->bench_frames; i++) {
        pan(W, 0.01);
        draw(W);
        sum += ms[i] = W->frame_ms;
    }
    qsort(ms, (size_t)W->bench_frames, sizeof *ms, cmp_double);
    double n = (double)W->bench_frames;
    printf("pinata view: %zu events, %ld frames, %.3g of the run visible, mean frame %.2f ms, median %.2f ms "
           "(layout %.2f + draw %.2f + present %.2f; %zu draw commands)\n",
           W->d.t.n, W->bench_frames, span, sum / n, ms[W->bench_frames / 2], W->phase_ms[0] / n, W->phase_ms[1] / n,
           W->phase_ms[2] / n, W->dl.n);
    free(ms);
    W->quit = 1;
}

static int open_window(win *W, char *err, size_t errlen) {
    W->w = SDL_CreateWindow("pinata", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, W->o->width, W->o->height,
                            SDL_WINDOW_RESIZABLE);
    if (!W->w) { snprintf(err, errlen, "cannot open a window: %s", SDL_GetError()); return -1; }
    W->r = SDL_CreateRenderer(W->w, -1, SDL_RENDERER_ACCELERATED);
    if (!W->r) W->r = SDL_CreateRenderer(W->w, -1, SDL_RENDERER_SOFTWARE);
    if (!W->r || sdlr_init(&W->s, W->r)) { snprintf(err, errlen, "cannot draw: %s", SDL_GetError()); return -1; }
    SDL_RendererInfo info;
    /* batch for GL; SDL's software renderer fills a rect faster than two triangles */
    W->s.batch = SDL_GetRendererInfo(W->r, &info) == 0 && !(info.flags & SDL_RENDERER_SOFTWARE);
    return 0;
}

/* With --screenshot-on-exit, one line of state for tests to compare with the picture:
 * the step, the visible share of the axis, the selection and where the cursor is drawn. */
static void print_state(const win *W) {
    float cx = -1, cy = -1;
    for (size_t i = 0; i < W->dl.n; i++)
        if (W->dl.cmd[i].tag == DRAW_TAG_CURSOR) { cx = W->dl.cmd[i].x; cy = (W->dl.cmd[i].y + W->dl.cmd[i].h) / 2; }
    double total = axis_of(W)->u_total, share = total > 0 ? (W->v.u_hi - W->v.u_lo) / total : 1;
    printf("pinata view: step %ld of %zu; visible %.4f of the run; selected future %d event %d; "
           "cursor x %.0f y %.0f; help %d; reveal %d; presenter %d; %s; quiz %d right of %d, phase %d\n",
           W->v.step + 1, n_steps(W), share, W->v.sel_future, W->v.sel_event, (double)cx, (double)cy, W->v.help,
           W->v.reveal, W->v.presenter, W->compressed ? "compressed" : "proportional", W->qp.right, W->qp.asked,
           (int)W->qp.phase);
    fflush(stdout);
}

static void close_window(win *W) {
    if (W->o->screenshot_on_exit && W->r) {
        char err[512];
        draw(W);
        if (sdlr_screenshot(W->r, W->o->screenshot_on_exit, err, sizeof err)) fprintf(stderr, "pinata: %s\n", err);
        print_state(W);
    }
    sdlr_free(&W->s);
    if (W->r) SDL_DestroyRenderer(W->r);
    if (W->w) SDL_DestroyWindow(W->w);
    draw_list_free(&W->dl);
    doc_close(&W->d);
    compare_close(&W->cmp);
    quiz_free(&W->qz);
}

int window_run(const char *input, const window_opts *o, char *err, size_t errlen) {
    win W;
    memset(&W, 0, sizeof W);
    W.o = o;
    W.input = input;
    W.v = o->view;
    W.compressed = o->compressed;
    W.speed = 2;
    const char *bf = getenv("PINATA_BENCH_FRAMES");
    W.bench_frames = bf ? atol(bf) : 0;
    if (!window_display_available()) { snprintf(err, errlen, "no display"); return 1; }
    if (TTF_Init() != 0) { snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError()); return 1; }
    draw_list_init(&W.dl, (float)o->width, (float)o->height, 0xFFFFFFFF);
    if (load(&W, err, errlen)) { draw_list_free(&W.dl); return 1; }
    W.v.step = clamp_step(&W, o->view.step);
    if (open_window(&W, err, errlen)) { close_window(&W); return 1; }
    SDL_Event e;
    if (W.bench_frames > 0) bench(&W);
    while (!W.quit) {
        if (SDL_WaitEventTimeout(&e, W.playing ? 15 : 100)) {
            handle(&W, &e);
            while (SDL_PollEvent(&e)) handle(&W, &e);
        }
        advance_play(&W);
        watch_file(&W);
        if (W.dirty && !W.quit) draw(&W);
    }
    close_window(&W);
    TTF_Quit();
    SDL_Quit();
    return 0;
}
