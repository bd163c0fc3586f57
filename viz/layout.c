/* layout: trace + view -> draw list. See layout.h.
 *
 * The work is a sequence of named passes over one context (lay): header, Simplified
 * View, Implementation, axis, wake arrows, cursor, caption, legend, details, help. */
#include "viz/layout.h"
#include "viz/msg.h"
#include "viz/marks.h"
#include "viz/memtrack.h"
#include "viz/srcpanel.h"
#include "trace/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- theme ------------------------------------------------------------------------ */

/* Okabe-Ito, the colour-blind-safe palette; vermillion is kept for wakes. */
static const uint32_t TASK_RGB[] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xF0E442};
enum { N_TASK_RGB = sizeof TASK_RGB / sizeof TASK_RGB[0], MAX_ROWS = 64,
       MAX_THREAD_LANES = 24, /* thread per connection at 10k: the first lanes and a count */
       CROWD_SLOTS = (MAX_THREAD_LANES + 1) * MAX_ROWS };

typedef struct theme {
    float s;                 /* overall scale */
    float font, small, title, lw;
    float row_h, srow_h, label_w, pad;
    draw_rgba bg, fg, muted, grid, exec, park, syscall, wake, mark, cursor, outline;
    draw_rgba err, tlocal;   /* an Err end; a thread_local's pennant */
    draw_rgba others;        /* the polls of tasks alike not drawn in the Simplified View */
    float fade;              /* alpha of what comes after the cursor */
} theme;

static theme make_theme(const layout_view *v) {
    theme th;
    th.s = (v->scale > 0 ? v->scale : 1.0f) * (v->presenter ? 1.45f : 1.0f);
    /* readable on a projector: labels 13 px at 1600 px (a slide shown 3 m wide) */
    th.font = 15 * th.s;
    th.small = 13 * th.s;
    th.title = 22 * th.s;
    th.lw = (v->presenter ? 2.0f : 1.0f) * th.s;
    th.row_h = 23 * th.s;
    th.srow_h = 22 * th.s;
    th.label_w = 178 * th.s;
    th.pad = 12 * th.s;
    th.bg = draw_rgb(0xFFFFFF);
    th.fg = draw_rgb(v->presenter ? 0x000000 : 0x1A1A1A);
    th.muted = draw_rgb(v->presenter ? 0x333333 : 0x666666);
    th.grid = draw_rgb(v->presenter ? 0xB0B0B0 : 0xE2E2E2);
    th.exec = draw_rgb(v->presenter ? 0xBDBDBD : 0xD9D9D9);
    th.park = draw_rgb(0x5A3A22); /* the slides' dark brown: the thread sleeps */
    th.syscall = draw_rgb(0x7A7A7A);
    th.wake = draw_rgb(0xD55E00);
    th.mark = draw_rgb(0x000000);
    th.cursor = draw_rgb(0xC0002A);
    th.outline = draw_rgb(v->presenter ? 0x000000 : 0x404040);
    th.err = draw_rgb(0xA50026);
    th.tlocal = draw_rgb(0x5E3C99);
    th.others = draw_rgb(0xB8B8B8);
    th.fade = v->presenter ? 0.14f : 0.22f;
    return th;
}

/* ---- the gutter: as wide as the names in it, up to a quarter of the page ------------- */

enum { GUTTER_TASKS = 200 }; /* the names measured: more tasks are not all drawn anyway */

static float gutter_need(const tload_trace *t, const tindex *ix, const theme *th, msg_lang lg) {
    char line[160], id[16], buf[96];
    float need = 0, w;
    for (size_t i = 0; i < ix->n_tasks && i < GUTTER_TASKS; i++) {
        const tindex_task *k = &ix->tasks[i];
        snprintf(id, sizeof id, "%d", k->id);
        MSG_FMT(line, sizeof line, lg, MSG_TASK_N, id, tload_str(t, k->name));
        if ((w = draw_text_width_b(line, th->small, 1) + 10 * th->s) > need) need = w;
    }
    for (size_t l = 0; l < ix->n_lanes && l <= MAX_THREAD_LANES; l++) {
        int32_t tid = ix->lanes[l].tid;
        const char *name = tid == TRACE_TID_OS ? msg_template(MSG_LANE_OS, lg) : tload_thread_name(t, tid, buf, sizeof buf);
        if ((w = draw_text_width_b(name, th->small, 1)) > need) need = w;
    }
    static const msg_id subs[] = {MSG_LANE_OS_SUB, MSG_LANE_SYNC_SUB, MSG_LANE_EXEC_SUB, MSG_AXIS_COMPRESSED,
                                  MSG_AXIS_IDLE_SHORT}; /* the lines under the names, and the axis's */
    for (size_t k = 0; k < sizeof subs / sizeof subs[0]; k++)
        if ((w = draw_text_width_b(msg_template(subs[k], lg), th->small * 0.9f, k == 3)) > need) need = w;
    return need + th->pad + 4 * th->s; /* the plot starts a pad after the gutter */
}

/* The gutter's width: the widest name (tasks, threads), at least the usual 178 px, at most
 * a quarter of the page (a longer name is cut with "…"; the detail of a click says it all). */
static float gutter_width(const tload_trace *t, const tindex *ix, const theme *th, const layout_view *v, msg_lang lg) {
    float need = gutter_need(t, ix, th, lg), lo = 178 * th->s, hi = v->width * 0.25f;
    if (need < lo) need = lo;
    return need > hi ? (hi > lo ? hi : lo) : need;
}

/* s cut to fit width at size (bold: measured bold), "…" after the cut (whole UTF-8
 * characters). */
static const char *fit_text(const char *s, float size, int bold, float width, char *out, size_t n) {
    if (draw_text_width_b(s, size, bold) <= width) return s;
    size_t len = strlen(s);
    if (len + 4 > n) len = n - 4;
    while (len > 0) {
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--; /* not inside a character */
        snprintf(out, n, "%.*s…", (int)len, s);
        if (draw_text_width_b(out, size, bold) <= width) return out;
        len--;
    }
    return "…";
}

/* ---- context ---------------------------------------------------------------------- */

typedef struct lay {
    const tload_trace *t;
    const tindex *ix;
    const taxis *ax;
    const layout_view *v;
    draw_list *d;
    theme th;
    float x0, x1;        /* plot area */
    double u_lo, u_hi;   /* visible axis */
    float y;             /* next free y */
    long step;           /* cursor step, -1 none */
    int64_t cur_t;       /* cursor time */
    float plot_top, plot_bottom;
    float *lane_y;       /* per lane: top y */
    int32_t *disp;       /* per lane: its place among the drawn lanes, -1 when not drawn */
    int32_t *last_col;   /* per lane x depth: last pixel column drawn (crowding) */
    int64_t *skip_t;     /* per lane x depth: events ending before this time are skipped */
    int32_t *marks;      /* polls drawn, whose marks are drawn after all bars */
    int32_t lints[256];  /* lint and deadlock events to draw on top (the first 256) */
    size_t n_lints;
    size_t n_marks, cap_marks;
    float opaque_x, opaque_w; /* the opaque part of the last slice() (labels go there) */
    size_t behind;       /* draw-list index where background lines are inserted */
    size_t impl_text0;   /* draw-list index where the Implementation starts (lint names look from there) */
    float os_label_x;    /* OS lane: where the last wake label ended */
    size_t hint;         /* axis segment of the last lookup (sweeps are in time order) */
    size_t hint_b0, hint_b1; /* the same for the Simplified View's bar starts and ends (each
                                ascends along a task's futures; together they would not) */
    size_t hint_t;       /* the same for the crowding's column -> time lookups */
    int64_t t_lo, t_hi;  /* the visible time range */
    int64_t t_near;      /* a few pixels left of t_lo: what ends there is still drawn a pixel wide */
    float strip_end[MAX_THREAD_LANES + 1][3]; /* per drawn lane and strip row: where its last label ended */
    uint8_t *task_shown; /* per task (index): it stands for its kind (tasks_standing) */
    int collapsed;       /* tasks alike are summed up: the wake arrows of the others are left out */
    int torn;            /* a bar drawn with a torn end (a future that never completed): in the legend */
} lay;

/* Outside the band the window shows: not drawn (thousands of tasks' bars scroll). */
static int off_band(const lay *L, float y0, float y1) {
    return L->v->band_y1 > L->v->band_y0 && (y1 < L->v->band_y0 || y0 > L->v->band_y1);
}

static float px_hint(const lay *L, int64_t t, size_t *hint) {
    double u = taxis_u_hint(L->ax, t, hint);
    return L->x0 + (float)((u - L->u_lo) / (L->u_hi - L->u_lo)) * (L->x1 - L->x0);
}

static float px_of(lay *L, int64_t t) { return px_hint(L, t, &L->hint); }

const char *layout_fmt_time(int64_t ns, char *buf, size_t len) {
    double us = (double)ns / 1000.0;
    if (fabs(us) < 1000) snprintf(buf, len, "%.1f µs", us);
    else if (fabs(us) < 1e6) snprintf(buf, len, "%.2f ms", us / 1000.0);
    else snprintf(buf, len, "%.3f s", us / 1e6);
    return buf;
}

static int ko(const lay *L) { return L->v->lang == CAPTION_KO; }
static msg_lang lang(const lay *L) { return ko(L) ? MSG_KO : MSG_EN; }

/* What the cursor says about event i: 0 not yet, 1 in progress, 2 done. */
static int ev_state(const lay *L, int32_t i) {
    if (L->step < 0) return 2;
    if (L->ix->rank_start[i] > L->step) return 0;
    return tindex_rank_end(L->ix, (uint32_t)i) > L->step ? 1 : 2;
}

static draw_rgba task_color(const lay *L, int32_t task) {
    const tindex_task *k = tindex_task_get(L->ix, task);
    int slot = k ? k->color : 0;
    return draw_rgb(TASK_RGB[slot % N_TASK_RGB]);
}

static draw_rgba text_on(draw_rgba fill) {
    float r = (float)(fill >> 24), g = (float)((fill >> 16) & 255), b = (float)((fill >> 8) & 255);
    return (0.299f * r + 0.587f * g + 0.114f * b) > 150 ? draw_rgb(0x000000) : draw_rgb(0xFFFFFF);
}

/* A label inside a bar when it fits (labels where they fit, never over a neighbour). */
static void bar_label(lay *L, float x, float y, float w, float h, const char *s, draw_rgba fill) {
    float size = L->th.small;
    float vx0 = x < L->x0 ? L->x0 : x, vx1 = x + w > L->x1 ? L->x1 : x + w;
    if (vx1 - vx0 < 6 * L->th.s) return; /* no text fits: not measured (most bars at fit) */
    float tw = draw_text_width(s, size);
    if (vx1 - vx0 < tw + 6 * L->th.s) return;
    /* start clear of the Pending / Ready mark the bar before may have at its end */
    float off = (vx0 > L->x0 + 1 ? 9 : 4) * L->th.s;
    if (vx1 - vx0 < tw + off + 4 * L->th.s) return;
    draw_text(L->d, vx0 + off, y + h / 2 + size * 0.36f, s, size, text_on(fill), DRAW_LEFT, 0);
}

/* A slice from t0 to t1 at a row, honouring the cursor: opaque up to the cursor time
 * when it is in progress, faded (or hidden in reveal mode) after. Returns the command of
 * the opaque part (or the faded one) for tagging, NULL when nothing was drawn. */
static draw_cmd *slice(lay *L, int state, int64_t t0, int64_t t1, float y, float h, draw_rgba fill,
                       draw_rgba stroke, int tag, int32_t ref) {
    float xa = px_of(L, t0), xb = px_of(L, t1);
    if (xb < L->x0 || xa > L->x1) return NULL;
    if (xb - xa < 1) xb = xa + 1; /* one pixel at least: every poll shows */
    /* zoomed in: what starts or ends off the plot is cut at its edges (the labels
     * column stays clear), a little beyond so the cut does not look like a bar's end */
    if (xa < L->x0 - 4) xa = L->x0 - 4;
    if (xb > L->x1 + 4) xb = L->x1 + 4;
    L->opaque_x = xa;
    draw_cmd *c = NULL;
    L->opaque_w = state == 2 || (state == 1 && L->cur_t >= t1) ? xb - xa : 0;
    if (state == 1 && L->cur_t < t0 && L->v->reveal) return NULL; /* a bar whose await is to come */
    if (state == 1 && L->cur_t < t1) {
        float xc = px_of(L, L->cur_t);
        if (xc < xa) xc = xa;
        L->opaque_w = xc - xa;
        c = draw_rect(L->d, xa, y, xc - xa, h, fill, stroke, L->th.lw);
        draw_cmd *rest = L->v->reveal ? NULL : draw_rect(L->d, xc, y, xb - xc, h, draw_alpha(fill, L->th.fade), 0, 0);
        if (rest) { rest->tag = (uint8_t)tag; rest->ref = ref; } /* the faded rest is clickable too */
    } else if (state == 0) {
        if (L->v->reveal) return NULL;
        c = draw_rect(L->d, xa, y, xb - xa, h, draw_alpha(fill, L->th.fade), draw_alpha(stroke, L->th.fade), L->th.lw);
    } else c = draw_rect(L->d, xa, y, xb - xa, h, fill, stroke, L->th.lw);
    if (c) { c->tag = (uint8_t)tag; c->ref = ref; }
    return c;
}

/* ---- header ----------------------------------------------------------------------- */


static void header(lay *L) {
    const tload_trace *t = L->t;
    const char *title = tload_str(t, ko(L) && t->title_ko ? t->title_ko : t->title);
    const char *desc = tload_str(t, ko(L) && t->description_ko ? t->description_ko : t->description);
    if (!*title) title = tload_str(t, t->scenario);
    char with_model[512]; /* a real model's run says so: its picture differs from the lecture's */
    if (t->model) title = MSG_FMT(with_model, sizeof with_model, lang(L), MSG_TITLE_MODEL, title, tload_str(t, t->model));
    float y = L->th.pad + L->th.title;
    draw_cmd *c = draw_text(L->d, L->th.pad, y, title, L->th.title, L->th.fg, DRAW_LEFT, 1);
    if (c) c->tag = DRAW_TAG_TITLE;
    char lines[3][256];
    int n = *desc ? layout_wrap(desc, L->th.font, L->d->width - 2 * L->th.pad, lines, 3) : 0;
    for (int i = 0; i < n; i++) { /* the scenario's description, up to three lines */
        y += L->th.font * (i ? 1.3f : 1.5f);
        draw_text(L->d, L->th.pad, y, lines[i], L->th.font, L->th.muted, DRAW_LEFT, 0);
    }
    L->y = y + L->th.pad;
}

static void section_title(lay *L, msg_id title_id, msg_id sub_id) {
    float y = L->y + L->th.font * 1.3f;
    const char *title = msg_template(title_id, lang(L)), *sub = msg_template(sub_id, lang(L));
    draw_line(L->d, L->th.pad, L->y + 2, L->d->width - L->th.pad, L->y + 2, L->th.grid, L->th.lw, 0);
    draw_text(L->d, L->th.pad, y, title, L->th.font * 1.1f, L->th.fg, DRAW_LEFT, 1);
    float tw = draw_text_width(title, L->th.font * 1.1f) * 1.12f; /* bold is wider */
    draw_text(L->d, L->th.pad + tw + 16 * L->th.s, y, sub, L->th.small, L->th.muted, DRAW_LEFT, 0);
    L->y = y + L->th.font * 0.6f;
}

/* ---- Simplified View -------------------------------------------------------------- */

static float simp_task_height(const theme *th, const tindex_task *k) {
    return (float)k->rows * th->srow_h + 8 * th->s;
}

/* Crowding in the Simplified View: beyond twelve overlapping bars a task's row holds
 * them all (26,000 JoinHandles); a bar covering the same pixel columns, in the same
 * state, as the row's last one would be drawn exactly over it, so it is left out. */
typedef struct simp_crowd { int32_t a, b, state; } simp_crowd;
enum { SIMP_ROWS = 512 };

static int simp_crowded(lay *L, simp_crowd *crowd, const tindex_future *f, int64_t t1, int state) {
    if (f->row < 0 || f->row >= SIMP_ROWS) return 0;
    float xa = px_hint(L, f->t0, &L->hint_b0), xb = px_hint(L, t1, &L->hint_b1); /* cut at the plot's edges, as slice() does */
    xa = xa < L->x0 - 5 ? L->x0 - 5 : xa;
    xb = xb > L->x1 + 5 ? L->x1 + 5 : xb;
    simp_crowd c = {(int32_t)floorf(xa), (int32_t)floorf(xb), state};
    simp_crowd *last = &crowd[f->row];
    if (c.a == last->a && c.b == last->b && c.state == last->state) return 1;
    *last = c;
    return 0;
}

/* A future created before it is awaited (a JoinHandle at its spawn, an async block's
 * future at its call): a plus where it was created and a dotted line to its bar. Returns
 * where the dotted line starts, or the bar's start when there is none. */
static float simp_created(lay *L, const tindex_future *f, float y, float h, int s0) {
    float xc = px_of(L, f->t0), xa = px_of(L, f->t_await);
    if (xa - xc < 8 * L->th.s || xa < L->x0 || xc > L->x1) return xa;
    draw_rgba col = s0 ? L->th.muted : draw_alpha(L->th.muted, L->th.fade);
    /* zoomed in, the line can be millions of pixels long: it is cut at the plot's edges
     * (a backend dashes what it is given), and a plus off the plot is not drawn */
    float end = fminf(xa, L->x1 + 4);
    if (L->v->reveal && L->step >= 0 && L->cur_t < f->t_await) end = fminf(end, px_of(L, L->cur_t)); /* when it is awaited is to come */
    if (end > xc) draw_line(L->d, fmaxf(xc, L->x0 - 4), y + h / 2, end, y + h / 2, col, L->th.lw, 1);
    if (xc >= L->x0 - 8 * L->th.s)
        marks_create(L->d, xc, y + h / 2, 4.5f * L->th.s, s0 ? L->th.fg : col, DRAW_TAG_CREATE, f->id);
    return xc + 6 * L->th.s;
}

/* Text on a white backing, over a dotted line or a grid line. */
static void backed_text(lay *L, float x, float y, const char *s, float size, draw_rgba col) {
    float w = draw_text_width(s, size);
    draw_rect(L->d, x - 2 * L->th.s, y - size * 0.85f, w + 4 * L->th.s, size * 1.1f, L->th.bg, 0, 0);
    draw_text(L->d, x, y, s, size, col, DRAW_LEFT, 0);
}

/* "call time: host.to_string()" (or 호출 시점), for a call-time compute. */
static const char *call_time_label(lay *L, int32_t i, char *buf, size_t len) {
    char work[96];
    if (!marks_call_time_work(L->t, (size_t)i, work, sizeof work)) return NULL;
    return *work ? MSG_FMT(buf, len, lang(L), MSG_CALL_TIME_WORK, work) : msg_fmt(buf, len, lang(L), MSG_CALL_TIME, NULL);
}

/* The work its call did before the future existed (S5): a slice on the future's row that
 * ends at its creation mark, labelled along the dotted line that follows. */
static void simp_call_time(lay *L, const tindex_future *f, float y, float h) {
    const tload_event *c = &L->t->ev[f->call_ev];
    int st = ev_state(L, f->call_ev);
    if (st == 0 && L->v->reveal) return;
    float xa = px_of(L, c->ts), xb = px_of(L, c->ts + c->dur);
    if (xb - xa < 4 * L->th.s) xb = xa + 4 * L->th.s; /* 10 µs beside 2 ms: still seen */
    draw_rgba fill = st ? draw_rgb(0xEFEFEF) : draw_alpha(draw_rgb(0xEFEFEF), L->th.fade);
    draw_cmd *r = draw_rect(L->d, xa, y, xb - xa, h, fill, st ? L->th.outline : 0, L->th.lw);
    if (r) { r->tag = DRAW_TAG_CALLTIME; r->ref = f->call_ev; }
    char buf[160];
    if (!st || !call_time_label(L, f->call_ev, buf, sizeof buf)) return;
    float base = y + h / 2 + L->th.small * 0.36f;
    if (draw_text_width(buf, L->th.small) + 10 * L->th.s < xb - xa) /* inside the slice, or after the mark */
        draw_text(L->d, xa + 5 * L->th.s, base, buf, L->th.small, L->th.fg, DRAW_LEFT, 0);
    else backed_text(L, fmaxf(xb, px_of(L, f->t0)) + 8 * L->th.s, base, buf, L->th.small, L->th.fg);
}

/* A task's root future that ended in Err: a cross at its end with the error's name. */
static void simp_err(lay *L, const tindex_future *f, float y, float h) {
    const tindex_task *k = tindex_task_get(L->ix, f->task);
    if (!k || !k->err || k->root_future != f->id || f->ready_ev < 0 || ev_state(L, f->ready_ev) < 2) return;
    float x = px_of(L, f->t1), r = 5.5f * L->th.s;
    marks_err(L->d, x, y + h / 2, r, L->th.err, DRAW_TAG_ERR, f->ready_ev);
    const char *name = marks_err_name(tload_str(L->t, k->err));
    draw_text(L->d, x + r + 4 * L->th.s, y + h / 2 + L->th.small * 0.36f, name, L->th.small, L->th.err, DRAW_LEFT, 1);
}

/* A Simplified View bar's name: "C: write_all", and what it is about when its task does
 * not say it (three JoinHandles: which host). */
static const char *simp_label(const tload_trace *t, const tindex *ix, const tindex_future *f, char *buf, size_t len) {
    const char *name = tload_str(t, f->name);
    char letter = tindex_letter(ix, f);
    const tindex_task *k = tindex_task_get(ix, f->task);
    const char *det = f->detail && (!k || k->detail != f->detail) ? tload_str(t, f->detail) : "";
    if (letter) snprintf(buf, len, "%c: %s%s%s%s", letter, name, *det ? " (" : "", det, *det ? ")" : "");
    else snprintf(buf, len, "%s%s%s%s", name, *det ? " (" : "", det, *det ? ")" : "");
    return buf;
}

static void simp_future(lay *L, const tindex_future *f, float top, simp_crowd *crowd) {
    float y = top + (float)f->row * L->th.srow_h + 1;
    float h = L->th.srow_h - 3;
    if (off_band(L, y - 4, y + h + 4)) return;
    int64_t ta = f->t_await > f->t0 ? f->t_await : f->t0; /* the bar starts where it is awaited */
    int64_t t1 = f->t1 > ta ? f->t1 : ta + 1;
    int64_t from = f->call_ev >= 0 && L->t->ev[f->call_ev].ts < f->t0 ? L->t->ev[f->call_ev].ts : f->t0;
    if (t1 < L->t_near || from > L->t_hi) return; /* off the plot: 26,000 JoinHandles zoomed in */
    int s0 = L->step < 0 ? 2 : (L->ix->rank_start[f->first_ev] <= L->step ? 1 : 0); /* the cursor's */
    if (s0 == 1 && f->ready_ev >= 0 && tindex_rank_end(L->ix, (uint32_t)f->ready_ev) <= L->step) s0 = 2;
    if (simp_crowded(L, crowd, f, t1, s0)) return; /* before the colour: a task lookup */
    draw_rgba base = task_color(L, f->task);
    draw_rgba fill = draw_mix(base, draw_rgb(0xFFFFFF), 0.16f * (float)(f->depth > 3 ? 3 : f->depth));
    float x_free = simp_created(L, f, y, h, s0);
    draw_cmd *c = slice(L, s0, ta, t1, y, h, fill, L->th.outline, DRAW_TAG_BAR, f->id);
    if (!c) return;
    if (L->v->sel_future == f->id) {
        draw_cmd *s = draw_rect(L->d, px_of(L, ta) - 1, y - 1, px_of(L, t1) - px_of(L, ta) + 2, h + 2, 0,
                                L->th.fg, 3 * L->th.lw);
        if (s) s->tag = DRAW_TAG_SELECT;
    }
    /* the label goes on its dotted line or in its bar; where neither has room for any text
     * (most of 52,000 bars at fit), it is not made or measured */
    int room = s0 > 0 && (L->opaque_x - x_free > 8 * L->th.s || L->opaque_w >= 6 * L->th.s);
    char label[128];
    if (room) simp_label(L->t, L->ix, f, label, sizeof label);
    float tw = room ? draw_text_width(label, L->th.small) : 0;
    if (!room) {}
    else if (L->opaque_w < tw + 10 * L->th.s && L->opaque_x - x_free > tw + 8 * L->th.s) /* on its dotted line */
        backed_text(L, L->opaque_x - 4 * L->th.s - tw, y + h / 2 + L->th.small * 0.36f, label, L->th.small, L->th.fg);
    else bar_label(L, L->opaque_x, y, L->opaque_w, h, label, fill);
    simp_err(L, f, y, h);
    if (f->call_ev >= 0) simp_call_time(L, f, y, h);
    int whole = s0 == 2 || (s0 == 1 && L->cur_t >= t1); /* drawn to its end, the cursor there */
    if (f->ready_ev < 0 && whole && px_of(L, t1) <= L->x1 + 1) { /* never completed: a bar's end would say it did */
        draw_cmd *t = marks_torn(L->d, px_of(L, t1), y, h, L->th.s, L->th.bg);
        if (t) { t->tag = DRAW_TAG_UNFINISHED; t->ref = f->id; }
        L->torn = 1;
    }
}

static void task_label_text(lay *L, const tindex_task *k, float top) {
    char line[160], id[16];
    const char *name = tload_str(L->t, k->name), *det = tload_str(L->t, k->detail);
    snprintf(id, sizeof id, "%d", k->id);
    MSG_FMT(line, sizeof line, lang(L), MSG_TASK_N, id, name);
    draw_rect(L->d, L->th.pad, top + 3 * L->th.s, 6 * L->th.s, L->th.srow_h - 6 * L->th.s,
              draw_rgb(TASK_RGB[k->color % N_TASK_RGB]), 0, 0);
    char cut[160];
    float room = L->x0 - 2 * L->th.pad - 10 * L->th.s; /* the gutter, less the colour swatch */
    draw_text(L->d, L->th.pad + 10 * L->th.s, top + L->th.srow_h * 0.7f,
              fit_text(line, L->th.small, 1, room, cut, sizeof cut), L->th.small, L->th.fg, DRAW_LEFT, 1);
    if (*det || k->how) {
        snprintf(line, sizeof line, "%s%s%s", det, *det && k->how ? " · " : "", tload_str(L->t, k->how));
        draw_text(L->d, L->th.pad + 10 * L->th.s, top + L->th.srow_h * 1.55f,
                  fit_text(line, L->th.small * 0.9f, 0, room, cut, sizeof cut), L->th.small * 0.9f, L->th.muted, DRAW_LEFT, 0);
    }
}

/* Many tasks alike (S10: a serve task per connection) are shown by their first few and a
 * line saying how many more: the picture keeps its story at 100 or 10,000 connections. */
enum { ALIKE_MIN = 6, ALIKE_SHOWN = 3 };

static int tasks_alike(const tindex_task *a, const tindex_task *b) {
    return a->name == b->name && a->how == b->how && a->rows == b->rows && a->fut_count == b->fut_count;
}

static size_t alike_tasks(const tindex *ix, size_t i) {
    size_t n = 1;
    while (i + n < ix->n_tasks && tasks_alike(&ix->tasks[i], &ix->tasks[i + n])) n++;
    return n;
}

static void more_line(lay *L, float y, msg_id id, size_t n, const char *what) {
    char more[160], num[24];
    snprintf(num, sizeof num, "%zu", n);
    MSG_FMT(more, sizeof more, lang(L), id, num, what);
    draw_text(L->d, L->th.pad, y + L->th.small, more, L->th.small, L->th.muted, DRAW_LEFT, 0);
}

/* Which tasks stand for their kind: all, but of six or more alike only the first three. Their
 * wake arrows are drawn, the others' left out, in either view. */
static void tasks_standing(lay *L) {
    for (size_t i = 0; i < L->ix->n_tasks;) {
        size_t run = alike_tasks(L->ix, i), show = run >= ALIKE_MIN ? ALIKE_SHOWN : 1;
        for (size_t k = 0; k < show; k++) L->task_shown[i + k] = 1;
        L->collapsed |= run >= ALIKE_MIN;
        i += run >= ALIKE_MIN ? run : show;
    }
}

static float simp_task(lay *L, size_t i, float top, simp_crowd *crowd) {
    const tindex_task *k = &L->ix->tasks[i];
    float h = simp_task_height(&L->th, k);
    if (h < 2.1f * L->th.srow_h) h = 2.1f * L->th.srow_h; /* room for the two-line label */
    task_label_text(L, k, top);
    for (int r = 0; r < SIMP_ROWS && r < k->rows; r++) crowd[r] = (simp_crowd){INT32_MIN, INT32_MIN, -1};
    for (uint32_t j = 0; j < k->fut_count; j++)
        simp_future(L, &L->ix->futures[L->ix->by_task[k->fut_first + j]], top, crowd);
    return h;
}

static void simplified(lay *L, float avail) {
    section_title(L, MSG_SIMPLIFIED, MSG_SIMPLIFIED_SUB);
    L->y += 6 * L->th.s;
    float top = L->y;
    simp_crowd crowd[SIMP_ROWS];
    size_t drawn = 0, alike = 0, i = 0;
    char what[160];
    while (i < L->ix->n_tasks && !(top - L->y > avail && drawn >= 8)) {
        size_t run = alike_tasks(L->ix, i), show = run >= ALIKE_MIN ? ALIKE_SHOWN : 1;
        draw_clip(L->d, 0, 0, L->x1 + 10 * L->th.s, L->d->height); /* bars stop at the plot's right edge */
        for (size_t k = 0; k < show; k++, drawn++) top += simp_task(L, i + k, top, crowd);
        draw_unclip(L->d);
        if (run >= ALIKE_MIN) { /* "… 97 more tasks like these (serve · spawn)" */
            const tindex_task *k = &L->ix->tasks[i];
            snprintf(what, sizeof what, "%s · %s", tload_str(L->t, k->name), tload_str(L->t, k->how));
            more_line(L, top, MSG_MORE_ALIKE_TASKS, run - show, what);
            top += L->th.srow_h;
            alike += run - show;
        }
        i += run >= ALIKE_MIN ? run : show;
    }
    if (drawn + alike < L->ix->n_tasks) {
        char more[96], num[24];
        snprintf(num, sizeof num, "%zu", L->ix->n_tasks - drawn - alike);
        MSG_FMT(more, sizeof more, lang(L), MSG_MORE_TASKS, num);
        draw_text(L->d, L->th.pad, top + L->th.small, more, L->th.small, L->th.muted, DRAW_LEFT, 0);
        top += L->th.srow_h;
    }
    L->y = top + 4 * L->th.s;
}

/* ---- Implementation --------------------------------------------------------------- */

static float lane_height(const theme *th, const tindex_lane *ln) {
    int rows = ln->rows < 2 ? 2 : ln->rows;
    return (float)rows * th->row_h + 10 * th->s;
}

/* Above a lane's rows, strips for its slide marks: two for thread_local / task_local flags
 * (S6), one for tasks that moved to it from another thread. */
static int strip_rows(const tindex_lane *ln) { return (ln->locals ? 2 : 0) + (ln->moves ? 1 : 0); }
static float strip_h(const theme *th) { return 15 * th->s; }

static float row_y(const lay *L, int32_t i) {
    return L->lane_y[L->ix->lane[i]] + (float)L->ix->depth[i] * L->th.row_h;
}

/* Crowding: where thousands of slices share one pixel column of one row, draw one. */
/* Crowding state is kept per drawn lane (at most MAX_THREAD_LANES + the OS lane) and row. */
static size_t row_slot(const lay *L, int32_t i) {
    int32_t d = L->disp[L->ix->lane[i]];
    /* instants (network events, lints) crowd among themselves, in a row of their own, so a
     * network event never hides the wake it causes at the same instant */
    int row = L->t->ev[i].ph != 'X' ? MAX_ROWS - 1 : (L->ix->depth[i] < MAX_ROWS - 1 ? L->ix->depth[i] : MAX_ROWS - 2);
    return (size_t)(d < 0 ? 0 : d) * MAX_ROWS + (size_t)row;
}

/* Before any pixel maths: an event that lies wholly inside a column its row already
 * drew is skipped with one integer compare, so a frame costs O(columns), not O(events),
 * in time conversions. */
static int row_skip(const lay *L, int32_t i) {
    const tload_event *e = &L->t->ev[i];
    return e->ts + e->dur < L->skip_t[row_slot(L, i)];
}

static int crowded(lay *L, int32_t i, float xa, float xb) {
    if (xb - xa >= 2) return 0;
    size_t slot = row_slot(L, i);
    int32_t col = (int32_t)floorf(xa);
    if (L->last_col[slot] == col) return 1;
    L->last_col[slot] = col;
    /* the time where the next column starts: until then this row is full */
    double u = L->u_lo + ((double)col + 1 - L->x0) / (L->x1 - L->x0) * (L->u_hi - L->u_lo);
    L->skip_t[slot] = taxis_t_hint(L->ax, u, &L->hint_t);
    return 0;
}

/* A faded colour, mixed with the white page rather than made translucent, so a faded
 * hollow circle stays hollow. */
static draw_rgba fade_mix(draw_rgba c, float alpha) {
    return alpha >= 1.0f ? c : draw_mix(c, draw_rgb(0xFFFFFF), 1.0f - alpha);
}

/* The task's error (string id) when poll i is the Ready of a task's root future that ended in Err. */
static uint32_t err_end(const lay *L, const tload_event *e, int32_t i) {
    if (e->result != TLOAD_RES_READY || e->parent >= 0) return 0;
    const tindex_task *k = tindex_task_get(L->ix, e->task);
    if (!k || !k->err || k->root_future != e->future) return 0;
    const tindex_future *f = tindex_future_get(L->ix, e->future);
    return f && f->ready_ev == i ? k->err : 0;
}

/* A mark's words in the row below it: from x on, or ending at x_end when they would pass
 * the plot's right edge (the plot is clipped there). */
static void mark_note(lay *L, float x, float x_end, float y, const char *s, draw_rgba col, int bold) {
    if (x + draw_text_width(s, L->th.small) > L->x1 + 6 * L->th.s)
        draw_text(L->d, x_end, y, s, L->th.small, col, DRAW_RIGHT, bold);
    else draw_text(L->d, x, y, s, L->th.small, col, DRAW_LEFT, bold);
}

static void mark(lay *L, const tload_event *e, int32_t i, float x, float yc, float alpha) {
    float r = 5.0f * L->th.s * (L->v->presenter ? 1.2f : 1.0f);
    draw_cmd *c;
    uint32_t err = err_end(L, e, i);
    int32_t by = e->result == TLOAD_RES_PENDING ? tload_woken_by(L->t, (size_t)i) : 0;
    if (e->result == TLOAD_RES_PANIC) { /* the real models: the poll panicked, or unwinds */
        c = marks_panic(L->d, x, yc, r * 1.3f, fade_mix(L->th.err, alpha), L->th.small * 0.9f);
        if (c) c->tag = DRAW_TAG_PANIC;
        if (e->parent < 0) /* the word once, at the task's root */
            mark_note(L, x + r * 1.5f, x, yc + L->th.row_h * 0.9f, msg_template(MSG_PANIC_MARK, lang(L)),
                      fade_mix(L->th.err, alpha), 1);
    } else if (by) { /* a poll no wake of its own task asked for: nothing could have changed */
        c = marks_no_progress(L->d, x, yc, r, 1.6f * L->th.lw, fade_mix(L->th.muted, alpha));
        if (c) c->tag = DRAW_TAG_NO_PROGRESS;
        /* words only for the rare spurious wake: block_on's many root polls would cover the row
         * below with "task N was woken" (the legend and the caption say it) */
        char note[96];
        if (by == TLOAD_WOKEN_SPURIOUS && (e->flags & TLOAD_F_LEAF))
            mark_note(L, x + r + 2 * L->th.s, x, yc + L->th.row_h * 0.9f,
                      marks_no_progress_label(by, lang(L), note, sizeof note), fade_mix(L->th.muted, alpha), 0);
    } else if (e->flags & TLOAD_F_AFTER_READY) { /* S8's bug: a warning triangle, not Ready's diamond */
        float q = r * 1.45f, p[6] = {x, yc - q, x + q, yc + q * 0.8f, x - q, yc + q * 0.8f};
        draw_rgba col = fade_mix(L->th.cursor, alpha);
        c = draw_poly(L->d, p, 3, col, draw_rgb(0xFFFFFF), L->th.lw);
        if (c) c->tag = DRAW_TAG_AFTER_READY;
        draw_text(L->d, x, yc + q * 0.62f, "!", L->th.small * 0.9f, draw_rgb(0xFFFFFF), DRAW_CENTER, 1);
        /* what it is, in the row below (a poll after Ready makes no system call) */
        mark_note(L, x - q, x + q, yc + L->th.row_h * 0.9f, msg_template(MSG_POLL_AFTER_READY, lang(L)), col, 1);
    } else if (err) { /* a cross: Ready, but the value is an Err (`?` passes it up) */
        marks_err(L->d, x, yc, r * 1.15f, fade_mix(L->th.err, alpha), DRAW_TAG_ERR, i);
        c = NULL;
        /* its name in the row above (the executor's, or the lane's top) */
        const char *name = marks_err_name(tload_str(L->t, err));
        draw_text(L->d, x, yc - L->th.row_h * 0.62f, name, L->th.small, fade_mix(L->th.err, alpha), DRAW_CENTER, 1);
    } else if (e->result == TLOAD_RES_READY) { /* a filled diamond: Ready, the value falls out */
        float p[8] = {x, yc - r * 1.25f, x + r * 1.25f, yc, x, yc + r * 1.25f, x - r * 1.25f, yc};
        c = draw_poly(L->d, p, 4, fade_mix(L->th.mark, alpha), draw_rgb(0xFFFFFF), L->th.lw);
        if (c) c->tag = DRAW_TAG_READY;
    } else { /* a hollow circle: Pending, nothing yet */
        c = draw_circle(L->d, x, yc, r, draw_rgb(0xFFFFFF), fade_mix(L->th.mark, alpha), 1.6f * L->th.lw);
        if (c) c->tag = DRAW_TAG_PENDING;
        if (!strcmp(tload_str(L->t, tload_poll_from(e)), "fused")) /* a finished Fuse: legal, and Pending for ever */
            mark_note(L, x + r + 2 * L->th.s, x, yc + L->th.row_h * 0.9f, msg_template(MSG_FUSED_PENDING, lang(L)),
                      fade_mix(L->th.muted, alpha), 0);
    }
    if (c) c->ref = i;
}

static void poll_label(lay *L, const tload_event *e, float xa, float y, float w, float h, draw_rgba fill) {
    if (w - 6 * L->th.s < 6 * L->th.s) return; /* bar_label would fit no text: none made */
    char label[128];
    const tindex_future *f = tindex_future_get(L->ix, e->future);
    const char *name = tload_str(L->t, e->name);
    char letter = f && !(e->flags & TLOAD_F_SYNC) ? tindex_letter(L->ix, f) : 0; /* a call is not a poll */
    if (letter) snprintf(label, sizeof label, "%c.poll %s #%d", letter, name, tload_poll_number(e));
    else snprintf(label, sizeof label, "%s #%d", name, tload_poll_number(e));
    /* the room bar_label needs: clear of the mark before (9) and after (6), and 4 spare */
    float room = w - 19 * L->th.s;
    if (draw_text_width(label, L->th.small) > room && letter) snprintf(label, sizeof label, "%c.poll", letter);
    else if (draw_text_width(label, L->th.small) > room) snprintf(label, sizeof label, "%s", name);
    bar_label(L, xa, y, w - 6 * L->th.s, h, label, fill);
}

static void push_mark(lay *L, int32_t i) {
    if (L->n_marks == L->cap_marks) {
        size_t cap = L->cap_marks ? L->cap_marks * 2 : 1024;
        int32_t *p = realloc(L->marks, cap * sizeof *p);
        if (!p) return; /* out of memory: this mark is left out */
        L->marks = p;
        L->cap_marks = cap;
    }
    L->marks[L->n_marks++] = i;
}

/* With tasks alike summed up, the ones not drawn in the Simplified View keep their polls,
 * in grey and without marks, and lose their wake arrows (100 arrows and 200 marks on one
 * worker are a wall, not a story). */
static int task_drawn(const lay *L, int32_t p) {
    if (!L->collapsed || !L->task_shown) return 1;
    const tindex_task *k = tindex_task_get(L->ix, L->t->ev[p].task);
    return !k || L->task_shown[k - L->ix->tasks];
}

static void impl_poll(lay *L, int32_t i, int state) {
    const tload_event *e = &L->t->ev[i];
    float xa = px_of(L, e->ts), xb = px_of(L, e->ts + e->dur);
    if (crowded(L, i, xa, xb)) return;
    int stands = task_drawn(L, i);
    draw_rgba base = stands ? task_color(L, e->task) : L->th.others;
    int d = L->ix->depth[i] > 1 ? L->ix->depth[i] - 1 : 0;
    draw_rgba fill = draw_mix(base, draw_rgb(0xFFFFFF), 0.16f * (float)(d > 3 ? 3 : d));
    float y = row_y(L, i) + 1, h = L->th.row_h - 3;
    draw_cmd *c = slice(L, state, e->ts, e->ts + e->dur, y, h, fill, L->th.outline, DRAW_TAG_POLL, i);
    if (!c) return;
    if (!(e->flags & TLOAD_F_SYNC) && stands) push_mark(L, i); /* a sync call just returns: no mark */
    if (L->v->sel_future == e->future || L->v->sel_event == i) {
        draw_cmd *s = draw_rect(L->d, xa - 1, y - 1, (xb - xa < 1 ? 1 : xb - xa) + 2, h + 2, 0, L->th.fg, 3 * L->th.lw);
        if (s) { s->tag = DRAW_TAG_SELECT; s->ref = i; }
    }
    if (state > 0) poll_label(L, e, L->opaque_x, y, L->opaque_w, h, fill);
}

/* Marks go on top of every bar, so the next slice never hides a Pending circle. */
static void impl_mark(lay *L, int32_t i, int state) {
    const tload_event *e = &L->t->ev[i];
    float xb = px_of(L, e->ts + e->dur);
    if (xb < L->x0 - 8 || xb > L->x1 + 8) return;
    /* marks crowd at their own size: one per mark width and row, the rest would overlap */
    size_t slot = row_slot(L, i);
    int32_t cell = (int32_t)floorf(xb / (8 * L->th.s));
    if (L->last_col[slot] == cell) return;
    L->last_col[slot] = cell;
    float y = row_y(L, i) + 1, h = L->th.row_h - 3;
    if (state == 2 || (state < 2 && !L->v->reveal)) mark(L, e, i, xb, y + h / 2, state == 2 ? 1.0f : L->th.fade);
}

/* What woke the task, written left of the wake on the OS lane where there is room
 * (the idle stretch before it is usually empty). */
static void wake_label(lay *L, const tload_event *e, float x, float y) {
    char buf[160];
    const char *by = msg_translate(tload_str(L->t, tload_wake_by(e)), lang(L), buf, sizeof buf);
    float size = L->th.small * 0.9f, w = draw_text_width(by, size), left = x - 7 * L->th.s - w;
    /* two labels a few pixels apart read as one sentence: the one before ends 1.5 em
     * earlier, or this one is left out */
    if (!*by || left < L->os_label_x + 1.5f * size || left < L->x0) return;
    draw_text(L->d, x - 7 * L->th.s, y + size * 1.1f, by, size, L->th.muted, DRAW_RIGHT, 0);
    L->os_label_x = x;
}

/* "compute 2.00 ms": a long compute is drawn short on the compressed axis, so its bar
 * says how long it really ran. */
static const char *compute_label(const lay *L, const tload_event *e, char *buf, size_t len) {
    char d[48];
    snprintf(buf, len, "%s %s%s", tload_str(L->t, e->name), L->ax->compressed ? "≈ " : "",
             layout_fmt_time(e->dur, d, sizeof d));
    return buf;
}

static void impl_slice(lay *L, int32_t i, int state) {
    const tload_event *e = &L->t->ev[i];
    float xa = px_of(L, e->ts), xb = px_of(L, e->ts + e->dur);
    if (e->kind != TLOAD_EXECUTOR && crowded(L, i, xa, xb)) return;
    float y = row_y(L, i) + 1, h = L->th.row_h - 3;
    draw_rgba fill = L->th.exec;
    int tag = DRAW_TAG_EXEC;
    char blocked[96];
    const char *label = tload_str(L->t, e->name);
    if (e->kind == TLOAD_PARK) { fill = L->th.park; tag = DRAW_TAG_PARK; label = msg_template(MSG_PARK_LABEL, lang(L)); }
    else if (e->kind == TLOAD_BLOCKED) { /* sync code waits in the call, the thread held: same brown */
        fill = L->th.park; tag = DRAW_TAG_PARK;
        MSG_FMT(blocked, sizeof blocked, lang(L), MSG_BLOCKED_LABEL, tload_str(L->t, e->name));
        label = blocked;
    }
    else if (e->kind == TLOAD_SYSCALL) {
        fill = L->th.syscall; tag = DRAW_TAG_SYSCALL;
        y += h * 0.2f; h *= 0.6f; /* system calls are thinner: they are inside a poll */
        label = tload_str(L->t, tload_syscall_call(e));
    } else if (e->kind == TLOAD_WAKE) {
        fill = L->th.wake; tag = DRAW_TAG_WAKE; label = msg_template(MSG_WAKE_LABEL, lang(L));
        if (xb - xa < 6 * L->th.s) h *= 0.5f; /* short: the upper half, boxed below */
    }
    else if (e->kind == TLOAD_COMPUTE || e->kind == TLOAD_OTHER) { /* CPU work inside a poll */
        fill = draw_rgb(0xEFEFEF);
        if (call_time_label(L, i, blocked, sizeof blocked)) label = blocked;
        else if (e->kind == TLOAD_COMPUTE) label = compute_label(L, e, blocked, sizeof blocked);
    }
    draw_cmd *c = slice(L, state, e->ts, e->ts + e->dur, y, h, fill,
                        e->kind == TLOAD_PARK || e->kind == TLOAD_BLOCKED ? 0 : L->th.outline,
                        tag, i);
    if (!c) return;
    if (e->kind == TLOAD_WAKE && xb - xa < 6 * L->th.s) {
        /* a wake is short: keep it visible as a small outlined box in the upper half of
         * its row (the network event that caused it sits in the lower half) */
        float r = 4 * L->th.s;
        draw_rgba f = state ? fill : draw_alpha(fill, L->th.fade), o = state ? L->th.outline : 0;
        draw_cmd *m = draw_rect(L->d, xa - r, y, 2 * r, h, f, o, L->th.lw);
        if (m) { m->tag = DRAW_TAG_WAKE; m->ref = i; }
    }
    if (L->v->sel_event == i) {
        draw_cmd *s = draw_rect(L->d, xa - 1, y - 1, (xb - xa) + 2, h + 2, 0, L->th.fg, 3 * L->th.lw);
        if (s) s->tag = DRAW_TAG_SELECT;
    }
    if (e->kind == TLOAD_WAKE && state > 0 && e->tid == TRACE_TID_OS) wake_label(L, e, xa, row_y(L, i) + L->th.row_h - 2);
    else if (state > 0) bar_label(L, L->opaque_x, y, L->opaque_w, h, label, fill);
}

/* What the lecture warns about (poll after Ready, a lost waker, a deadlock): a red
 * warning triangle with its name, hard to miss on a slide. */
/* True when a text at (x, baseline y), left-aligned, of width w and size would overlap a
 * text already in the list (from index `from`): the lint names look for a free place. */
static int text_room(const lay *L, size_t from, float x, float y, float w, float size) {
    for (size_t j = from; j < L->d->n; j++) {
        const draw_cmd *c = &L->d->cmd[j];
        if (c->op != DRAW_TEXT) continue;
        float cw = draw_text_width_b(draw_cmd_text(L->d, c), c->size, c->flags & DRAW_BOLD);
        float cx = c->align == DRAW_RIGHT ? c->x - cw : c->align == DRAW_CENTER ? c->x - cw / 2 : c->x;
        if (cx < x + w && x < cx + cw && c->y - c->size * 0.8f < y + size * 0.22f && y - size * 0.8f < c->y + c->size * 0.22f)
            return 0;
    }
    return 1;
}

/* What the lecture warns about (poll after Ready, a lost waker, a deadlock): a red
 * warning triangle with its name, hard to miss on a slide. The name goes right of the
 * triangle, else left of it, else below or above its row: where it covers no other text. */
static void lint_mark(lay *L, const tload_event *e, int32_t i, float x, float y, draw_rgba col) {
    float s = L->th.s, r = 7 * s, yb = y + L->th.row_h - 4 * s;
    float p[6] = {x, yb - 1.7f * r, x + r, yb, x - r, yb};
    draw_cmd *c = draw_poly(L->d, p, 3, col, 0, 0);
    if (c) { c->tag = DRAW_TAG_INSTANT; c->ref = i; }
    draw_line(L->d, x, yb - 1.25f * r, x, yb - 0.55f * r, draw_rgb(0xFFFFFF), 1.6f * s, 0); /* "!" */
    draw_rect(L->d, x - 0.8f * s, yb - 0.38f * r, 1.6f * s, 1.6f * s, draw_rgb(0xFFFFFF), 0, 0);
    const char *name = e->kind == TLOAD_DEADLOCK ? "deadlock" : tload_str(L->t, e->name);
    float size = L->th.small, w = draw_text_width_b(name, size, 1);
    float at[4][2] = {{x + r + 3 * s, yb - 2 * s}, {x - r - 3 * s - w, yb - 2 * s},
                      {x - r, y + L->th.row_h + size * 0.9f}, {x - r, y - 3 * s}};
    int k = 0; /* inside the plot's clip, over no other text */
    while (k < 4 && (at[k][0] < L->x0 - 6 * s || at[k][0] + w > L->x1 + 6 * s ||
                     !text_room(L, L->impl_text0, at[k][0], at[k][1], w, size)))
        k++;
    if (k == 4) k = at[0][0] + w > L->x1 + 6 * s ? 1 : 0;
    /* on a white backing: red on a brown park or a task colour would not read */
    draw_rect(L->d, at[k][0] - 2 * s, at[k][1] - size * 0.85f, w + 4 * s, size * 1.1f, L->th.bg, 0, 0);
    draw_text(L->d, at[k][0], at[k][1], name, size, col, DRAW_LEFT, 1);
}

static void impl_instant(lay *L, int32_t i, int state) {
    const tload_event *e = &L->t->ev[i];
    if (e->kind != TLOAD_NET && e->kind != TLOAD_LINT && e->kind != TLOAD_DEADLOCK) return;
    if (state == 0 && L->v->reveal) return;
    float x = px_of(L, e->ts);
    if (x < L->x0 || x > L->x1 || crowded(L, i, x, x)) return;
    float y = row_y(L, i) + 2;
    draw_rgba col = e->kind == TLOAD_NET ? L->th.muted : L->th.cursor;
    if (state == 0) col = draw_alpha(col, L->th.fade);
    if (e->kind == TLOAD_LINT && i > 0 && (L->t->ev[i - 1].flags & TLOAD_F_AFTER_READY) &&
        L->t->ev[i - 1].future == e->future)
        return; /* the poll it follows is drawn as a poll after Ready, with its own mark */
    if (e->kind != TLOAD_NET) { /* drawn last, over the bars (see implementation) */
        if (L->n_lints < sizeof L->lints / sizeof L->lints[0]) L->lints[L->n_lints++] = i;
        return;
    }
    float r = 3.0f * L->th.s; /* a small square: not to be read as a Ready diamond */
    float top = y + L->th.row_h * 0.55f; /* the lower half of the row: the wake is above */
    float p[8] = {x - r, top, x + r, top, x + r, top + 2 * r, x - r, top + 2 * r};
    draw_cmd *c = draw_poly(L->d, p, 4, col, 0, 0);
    if (c) { c->tag = DRAW_TAG_INSTANT; c->ref = i; }
}

static void reset_crowding(lay *L) {
    for (size_t i = 0; i < CROWD_SLOTS; i++) {
        L->last_col[i] = INT32_MIN;
        L->skip_t[i] = INT64_MIN;
    }
}

static int lane_shown(const lay *L, int32_t i) { return L->disp[L->ix->lane[i]] >= 0; }

/* A thread of sync code (S1): no executor polls there, or the "sync" pseudo-executor. */
static int lane_is_sync(const lay *L, size_t l) {
    return L->ix->lanes[l].calls > 0 && L->ix->lanes[l].polls == 0;
}

static void lane_labels(lay *L) {
    char buf[96];
    for (size_t l = 0; l < L->ix->n_lanes; l++) {
        int32_t tid = L->ix->lanes[l].tid;
        if (L->disp[l] < 0) continue;
        const char *name = tid == TRACE_TID_OS ? msg_template(MSG_LANE_OS, lang(L)) : tload_thread_name(L->t, tid, buf, sizeof buf);
        float y = L->lane_y[l];
        char cut[160];
        float room = L->x0 - 2 * L->th.pad; /* names stay in the gutter, cut with … (see gutter_width) */
        draw_cmd *c = draw_text(L->d, L->th.pad, y + L->th.row_h * 0.7f, fit_text(name, L->th.small, 1, room, cut, sizeof cut),
                                L->th.small, L->th.fg, DRAW_LEFT, 1);
        if (c) c->tag = DRAW_TAG_LANE;
        const char *sub = msg_template(tid == TRACE_TID_OS ? MSG_LANE_OS_SUB : lane_is_sync(L, l) ? MSG_LANE_SYNC_SUB
                                                                                             : MSG_LANE_EXEC_SUB, lang(L));
        draw_text(L->d, L->th.pad, y + L->th.row_h * 1.55f, fit_text(sub, L->th.small * 0.9f, 0, room, cut, sizeof cut),
                  L->th.small * 0.9f, L->th.muted, DRAW_LEFT, 0);
        float bottom = y + lane_height(&L->th, &L->ix->lanes[l]) - 5 * L->th.s;
        draw_line(L->d, L->x0, bottom, L->x1, bottom, L->th.grid, L->th.lw, 0);
    }
}

/* The executors' whole-run slices (block_on, workers), drawn first: the polls nest in them. */
static void draw_executors(lay *L) {
    for (size_t i = 0; i < L->ix->n_execs; i++)
        if (lane_shown(L, (int32_t)L->ix->execs[i]))
            impl_slice(L, (int32_t)L->ix->execs[i], ev_state(L, (int32_t)L->ix->execs[i]));
}

static void lanes_hidden_note(lay *L, size_t hidden) {
    char note[128], num[24];
    snprintf(num, sizeof num, "%zu", hidden);
    MSG_FMT(note, sizeof note, lang(L), MSG_MORE_THREADS, num);
    draw_text(L->d, L->th.pad, L->y + L->th.small, note, L->th.small, L->th.muted, DRAW_LEFT, 0);
    L->y += L->th.row_h;
}

/* ---- the rows, merged in start order ----------------------------------------------- */

/* The events of every drawn row, visited in start order as one sweep over starts would
 * (so what is drawn, and in which order, is the same), but a row that is full up to a
 * time skips to it by bisection: a frame costs O(drawn events · log), not O(events). */
typedef struct rowcur { uint32_t at, end; } rowcur; /* into ix->row_pos */

static uint32_t cur_key(const lay *L, const rowcur *c) { return L->ix->row_pos[c->at]; }

static void heap_down(const lay *L, rowcur *h, size_t n, size_t k) {
    for (;;) {
        size_t m = k, a = 2 * k + 1, b = a + 1;
        if (a < n && cur_key(L, &h[a]) < cur_key(L, &h[m])) m = a;
        if (b < n && cur_key(L, &h[b]) < cur_key(L, &h[m])) m = b;
        if (m == k) return;
        rowcur tmp = h[k]; h[k] = h[m]; h[m] = tmp;
        k = m;
    }
}

/* The first position in row_pos[lo, hi) at or after start position s. */
static uint32_t row_lower(const lay *L, uint32_t lo, uint32_t hi, size_t s) {
    while (lo < hi) { uint32_t m = lo + (hi - lo) / 2; if (L->ix->row_pos[m] < s) lo = m + 1; else hi = m; }
    return lo;
}

/* The first position in row_pos[at, end) whose event ends at or after t: ends ascend
 * along a row, since slices of one depth do not overlap (and instants have no length).
 * Bisection over the row's every 64th end (row_end64, in cache), then over 64 events. */
static uint32_t row_first_end(const lay *L, uint32_t at, uint32_t end, int64_t t) {
    if (at >= end) return at;
    uint32_t klo = at / 64 + 1, khi = (end - 1) / 64 + 1; /* marks inside (at, end) */
    while (klo < khi) {
        uint32_t m = klo + (khi - klo) / 2;
        if (L->ix->row_end64[m] < t) klo = m + 1; else khi = m;
    }
    /* every event before mark klo's position ends before t, up to the mark before it */
    uint32_t lo = klo - 1 > at / 64 ? (klo - 1) * 64 : at, hi = klo * 64 < end ? klo * 64 : end;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        const tload_event *e = &L->t->ev[L->ix->starts[L->ix->row_pos[m]]];
        if (e->ts + e->dur < t) lo = m + 1; else hi = m;
    }
    return lo;
}

/* Past the events of a row that end before the row's skip time (they lie in a column
 * already drawn). */
static uint32_t row_skip_to(const lay *L, const rowcur *c) {
    int64_t skip = L->skip_t[row_slot(L, (int32_t)L->ix->starts[L->ix->row_pos[c->at]])];
    return row_first_end(L, c->at, c->end, skip);
}

/* Each drawn row's events that can show: from the first that ends in view (a row's
 * slices do not overlap, so no long slice elsewhere makes a row start further back) to
 * the last that starts in view. */
static size_t rows_open(lay *L, rowcur *h) {
    size_t last = tindex_first_start(L->t, L->ix, L->t_hi + 1), n = 0;
    for (size_t l = 0; l < L->ix->n_lanes; l++) {
        if (L->disp[l] < 0 || off_band(L, L->lane_y[l] - 8, L->lane_y[l] + lane_height(&L->th, &L->ix->lanes[l]) + 8))
            continue;
        for (uint32_t r = L->ix->lane_row0[l]; r < L->ix->lane_row0[l + 1]; r++) {
            uint32_t a = L->ix->row_first[r], b = row_lower(L, a, L->ix->row_first[r + 1], last);
            rowcur c = {row_first_end(L, a, b, L->t_near), b};
            if (c.at < c.end) h[n++] = c;
        }
    }
    for (size_t k = n / 2; k-- > 0;) heap_down(L, h, n, k);
    return n;
}

static void impl_event(lay *L, int32_t i) {
    const tload_event *e = &L->t->ev[i];
    int st = ev_state(L, i);
    if (e->kind == TLOAD_POLL) impl_poll(L, i, st);
    else if (e->ph == 'X') {
        /* a park (one step: it starts) still going on at the cursor: reveal mode hides how
         * long it lasts, which tells when the thread wakes (the quiz asks what wakes it) */
        if (st == 2 && L->v->reveal && L->step >= 0 && e->ts + e->dur > L->cur_t) st = 1;
        impl_slice(L, i, st);
    }
    else impl_instant(L, i, st);
}

static void impl_rows(lay *L) {
    size_t cap = 0;
    for (size_t l = 0; l < L->ix->n_lanes; l++)
        if (L->disp[l] >= 0) cap += L->ix->lane_row0[l + 1] - L->ix->lane_row0[l];
    rowcur *h = malloc((cap ? cap : 1) * sizeof *h);
    if (!h) return; /* out of memory: the rows are left out */
    size_t n = rows_open(L, h);
    while (n > 0) {
        int32_t i = (int32_t)L->ix->starts[cur_key(L, &h[0])];
        if (L->t->ev[i].kind == TLOAD_EXECUTOR) h[0].at++; /* drawn apart, first */
        else if (row_skip(L, i)) h[0].at = row_skip_to(L, &h[0]);
        else { impl_event(L, i); h[0].at++; }
        if (h[0].at >= h[0].end) h[0] = h[--n];
        heap_down(L, h, n, 0);
    }
    free(h);
}

/* ---- lane strips: thread_local / task_local flags and moves ------------------------ */

/* A label in a strip row, right of its mark (from x), or left of it (before x_left) at the
 * plot's right edge, unless it would run into the row's last label. */
static int strip_label(lay *L, int32_t disp, int row, float x, float x_left, float y, const char *s, draw_rgba col) {
    float size = L->th.small * 0.85f, w = draw_text_width(s, size);
    float *end = &L->strip_end[disp < MAX_THREAD_LANES ? disp : MAX_THREAD_LANES][row];
    if (x + w > L->d->width - L->th.pad) x = x_left - w; /* no room on the right */
    if (x < *end + 6 * L->th.s || x < L->x0) return 0;
    draw_text(L->d, x, y, s, size, col, DRAW_LEFT, 0);
    *end = x + w;
    return 1;
}

static void strip_gutter(lay *L, size_t l) {
    float top = L->lane_y[l] - (float)strip_rows(&L->ix->lanes[l]) * strip_h(&L->th), size = L->th.small * 0.85f;
    int row = 0;
    if (L->ix->lanes[l].locals) {
        draw_text(L->d, L->th.pad + 10 * L->th.s, top + strip_h(&L->th) * 0.75f, "thread_local!", size, L->th.muted, DRAW_LEFT, 0);
        draw_text(L->d, L->th.pad + 10 * L->th.s, top + strip_h(&L->th) * 1.75f, "task_local!", size, L->th.muted, DRAW_LEFT, 0);
        row = 2;
    }
    if (L->ix->lanes[l].moves)
        draw_text(L->d, L->th.pad + 10 * L->th.s, top + strip_h(&L->th) * ((float)row + 0.75f),
                  msg_template(MSG_STRIP_MOVED, lang(L)), size, L->th.muted, DRAW_LEFT, 0);
}

/* One flag per thread_local / task_local set or read, on the poll it happened in. */
static void strip_local(lay *L, int32_t i) {
    const tload_event *e = &L->t->ev[i];
    int st = ev_state(L, i), task_local = !strcmp(tload_str(L->t, e->name), "task_local");
    float x = px_of(L, e->ts);
    if ((st == 0 && L->v->reveal) || x < L->x0 || x > L->x1) return;
    uint32_t l = L->ix->lane[i];
    float sh = strip_h(&L->th), top = L->lane_y[l] - (float)strip_rows(&L->ix->lanes[l]) * sh + (float)task_local * sh;
    int d = L->ix->depth[i] > 0 ? L->ix->depth[i] - 1 : 0; /* the poll around it */
    draw_rgba col = task_local ? task_color(L, e->task) : L->th.tlocal;
    if (st == 0) col = fade_mix(col, L->th.fade);
    draw_cmd *c = marks_flag(L->d, x, top + 3 * L->th.s, L->lane_y[l] + (float)d * L->th.row_h + 1, L->th.s, task_local, col);
    if (c) { c->tag = DRAW_TAG_LOCAL; c->ref = i; }
    char buf[160];
    float lx = x + 12 * L->th.s, ly = top + sh * 0.75f;
    draw_rgba tc = st ? L->th.fg : L->th.muted;
    /* "REQUEST = example.com", or where that does not fit "→ example.com" (the row says which) */
    if (!strip_label(L, L->disp[l], task_local, lx, x - 3 * L->th.s, ly, marks_local_label(L->t, e, buf, sizeof buf), tc))
        strip_label(L, L->disp[l], task_local, lx, x - 3 * L->th.s, ly, marks_local_value(L->t, e, buf, sizeof buf), tc);
}

static void strip_locals(lay *L, size_t l) {
    uint32_t r = L->ix->lane_row0[l] + (uint32_t)L->ix->lanes[l].rows; /* the lane's instants */
    for (uint32_t k = L->ix->row_first[r]; k < L->ix->row_first[r + 1]; k++) {
        int32_t i = (int32_t)L->ix->starts[L->ix->row_pos[k]];
        if (L->t->ev[i].kind == TLOAD_LOCAL) strip_local(L, i);
    }
}

/* An arrow into the poll of a task that ran on another thread before: "worker 1 → worker 2". */
static void strip_move(lay *L, const struct tindex_move *m) {
    const tload_event *e = &L->t->ev[m->poll];
    uint32_t l = L->ix->lane[m->poll];
    int st = ev_state(L, m->poll);
    float x = px_of(L, e->ts);
    if (L->disp[l] < 0 || (st == 0 && L->v->reveal) || x < L->x0 || x > L->x1) return;
    float sh = strip_h(&L->th), yc = L->lane_y[l] - sh * 0.5f;
    draw_rgba col = st ? task_color(L, e->task) : fade_mix(task_color(L, e->task), L->th.fade);
    draw_cmd *c = marks_move(L->d, x, yc, L->th.s, col);
    if (c) { c->tag = DRAW_TAG_MOVE; c->ref = m->poll; }
    char a[64], b[64], buf[160];
    snprintf(buf, sizeof buf, "%s → %s", tload_thread_name(L->t, m->from_tid, a, sizeof a),
             tload_thread_name(L->t, e->tid, b, sizeof b));
    strip_label(L, L->disp[l], 2, x + 3 * L->th.s, x - 15 * L->th.s, yc + L->th.small * 0.3f, buf,
                st ? L->th.fg : L->th.muted);
}

static void lane_strips(lay *L) {
    for (int32_t k = 0; k <= MAX_THREAD_LANES; k++)
        for (int r = 0; r < 3; r++) L->strip_end[k][r] = -1e9f;
    for (size_t l = 0; l < L->ix->n_lanes; l++)
        if (L->disp[l] >= 0 && L->ix->lanes[l].locals) strip_locals(L, l);
    for (size_t m = 0; m < L->ix->n_moves; m++) strip_move(L, &L->ix->moves[m]);
}

/* Threads alike (S10: a thread per connection, each blocked in read): the first few are
 * drawn and one line says how many more. */
static int lanes_alike(const tindex_lane *a, const tindex_lane *b) {
    return a->tid != TRACE_TID_OS && b->tid != TRACE_TID_OS && a->rows == b->rows && a->polls == b->polls && a->calls == b->calls &&
           a->locals == b->locals && a->moves == b->moves;
}

static size_t alike_lanes(const tindex *ix, size_t l) {
    size_t n = 1;
    while (l + n < ix->n_lanes && lanes_alike(&ix->lanes[l], &ix->lanes[l + n])) n++;
    return n;
}

static void implementation(lay *L) {
    section_title(L, MSG_IMPLEMENTATION, MSG_IMPLEMENTATION_SUB);
    L->y += 6 * L->th.s;
    size_t threads = 0, hidden = 0;
    int32_t shown = 0;
    for (size_t l = 0; l < L->ix->n_lanes;) {
        size_t run = alike_lanes(L->ix, l), show = run >= ALIKE_MIN ? ALIKE_SHOWN : 1;
        for (size_t k = 0; k < run && (k < show || run >= ALIKE_MIN); k++) {
            size_t m = l + k;
            int os = L->ix->lanes[m].tid == TRACE_TID_OS;
            if (k >= show || (!os && threads++ >= MAX_THREAD_LANES)) { L->disp[m] = -1; hidden += k < show; continue; }
            if (os && hidden) lanes_hidden_note(L, hidden);
            L->disp[m] = shown++;
            L->y += (float)strip_rows(&L->ix->lanes[m]) * strip_h(&L->th);
            L->lane_y[m] = L->y;
            L->y += lane_height(&L->th, &L->ix->lanes[m]);
        }
        if (run >= ALIKE_MIN) {
            more_line(L, L->y, MSG_MORE_ALIKE_THREADS, run - show, "");
            L->y += L->th.row_h;
        }
        l += run >= ALIKE_MIN ? run : show;
    }
    if (hidden && (L->ix->n_lanes == 0 || L->ix->lanes[L->ix->n_lanes - 1].tid != TRACE_TID_OS)) lanes_hidden_note(L, hidden);
    L->impl_text0 = L->d->n;
    lane_labels(L);
    for (size_t l = 0; l < L->ix->n_lanes; l++)
        if (L->disp[l] >= 0 && strip_rows(&L->ix->lanes[l])) strip_gutter(L, l);
    draw_clip(L->d, L->x0 - 8 * L->th.s, 0, L->x1 - L->x0 + 16 * L->th.s, L->d->height);
    draw_executors(L);
    impl_rows(L);
    /* the polls drawn above, again in start order: their marks go on top */
    reset_crowding(L);
    for (size_t m = 0; m < L->n_marks; m++)
        impl_mark(L, L->marks[m], ev_state(L, L->marks[m]));
    lane_strips(L);
    for (size_t k = 0; k < L->n_lints; k++) {
        int32_t i = L->lints[k];
        draw_rgba col = ev_state(L, i) ? L->th.cursor : draw_alpha(L->th.cursor, L->th.fade);
        lint_mark(L, &L->t->ev[i], i, px_of(L, L->t->ev[i].ts), row_y(L, i) + 2, col);
    }
    draw_unclip(L->d);
}

/* ---- memory track (viz/memtrack.h) --------------------------------------------------- */

static float mem_x(void *ctx, int64_t t) { return px_of(ctx, t); }

static void memory_track(lay *L) {
    if (!L->t->nmem || !(L->v->mem_track || memtrack_wanted(L->t))) return;
    memtrack_style st = {L->th.s, L->th.small, L->x0, L->x1, L->th.pad, L->th.fg, L->th.muted, L->th.grid,
                         draw_rgb(TASK_RGB[0]), L->th.park, L->th.fade, L->step >= 0 ? L->cur_t : INT64_MAX,
                         L->v->reveal, L->v->mem_top};
    draw_line(L->d, L->th.pad, L->y, L->d->width - L->th.pad, L->y, L->th.grid, L->th.lw, 0);
    L->y = memtrack_draw(L->d, L->t, mem_x, L, L->y + 4 * L->th.s, &st, lang(L));
}

/* ---- wake arrows ------------------------------------------------------------------ */

/* The first flow in [lo, hi) whose poll_max reaches step r: the flows before it have
 * their polls start before step r. */
static size_t flow_from(const lay *L, size_t lo, size_t hi, long r) {
    while (lo < hi) { size_t m = lo + (hi - lo) / 2; if (L->ix->flow_poll_max[m] < r) lo = m + 1; else hi = m; }
    return lo;
}

/* The first flow from which every wake starts at or after step r: none later can show. */
static size_t flow_until(const lay *L, long r) {
    size_t lo = 0, hi = L->ix->n_flows;
    while (lo < hi) { size_t m = lo + (hi - lo) / 2; if (L->ix->flow_wake_min[m] < r) lo = m + 1; else hi = m; }
    return lo;
}

/* An arrow whose poll is off the plot: one per three pixels where it enters the plot
 * and side it leaves by, so thousands of arrows crossing a deep zoom (a queue of woken
 * tasks polled much later) draw as one. edge holds 2 x ARROW_EDGE_COLS flags. */
enum { ARROW_EDGE_COLS = 2048 };

static int arrow_edge_dup(const lay *L, float xw, float xp, uint8_t *edge) {
    if (xp >= L->x0 && xp <= L->x1) return 0;
    float xc = xw < L->x0 ? L->x0 : xw > L->x1 ? L->x1 : xw;
    size_t k = (size_t)((xc - L->x0) / 3);
    if (k >= ARROW_EDGE_COLS) k = ARROW_EDGE_COLS - 1;
    uint8_t *flag = &edge[(xp > L->x1) * ARROW_EDGE_COLS + k];
    if (*flag) return 1;
    *flag = 1;
    return 0;
}

static void arrow_draw(lay *L, int32_t w, int32_t p, float xw, float xp, int st) {
    /* from the wake's edge that faces the poll, to the poll's facing edge */
    float yw = row_y(L, w) + 1, yp = row_y(L, p) + L->th.row_h - 2;
    if (yw < yp) { yw = row_y(L, w) + L->th.row_h * 0.5f; yp = row_y(L, p) + 1; }
    draw_rgba c = st == 2 ? L->th.wake : draw_alpha(L->th.wake, L->th.fade);
    draw_cmd *a = draw_arrow(L->d, xw, yw, xp + 1, yp, c, 1.6f * L->th.lw);
    if (a) { a->tag = DRAW_TAG_WAKE_ARROW; a->ref = p; }
}

/* The flow filter works on start steps (rank_start), not times: the same order, but a
 * sweep over 4-byte ranks instead of 64-byte events (a frame may pass 50,000 flows). */
typedef struct arrow_range { long lo, hi, vis_lo, skip; } arrow_range;

/* A flow the loop would skip without looking at the events: 1 skip, 0 look. */
static int arrow_skip(const lay *L, const arrow_range *r, const uint8_t *edge, int32_t w, int32_t p) {
    long rp = L->ix->rank_start[p], rw = L->ix->rank_start[w];
    if (rp < r->lo || rw >= r->hi) return 1;
    /* woken before the view, polled after it: it crosses the plot; one such is enough */
    return rw < r->vis_lo && rp >= r->hi && edge[ARROW_EDGE_COLS];
}

static void wake_arrows(lay *L) {
    int32_t last_col = INT32_MIN;
    uint8_t *edge = calloc(2 * ARROW_EDGE_COLS, 1);
    if (!edge) return; /* out of memory: no arrows */
    /* in flow order (the arrows' drawing order), the flows whose polls start too early
     * or whose wakes start too late are skipped by bisection, as the loop would skip them */
    arrow_range r = {tindex_first_step(L->t, L->ix, L->t_lo - L->ix->max_dur),
                     tindex_first_step(L->t, L->ix, L->t_hi + 1), tindex_first_step(L->t, L->ix, L->t_lo), 0};
    size_t end = flow_until(L, r.hi);
    for (size_t f = flow_from(L, 0, end, r.lo); f < end; f++) {
        int32_t w = L->ix->flows[f].wake, p = L->ix->flows[f].poll;
        if (L->ix->rank_start[p] < r.skip) { /* crowded: polls before step r.skip share the last column */
            f = flow_from(L, f + 1, end, r.skip) - 1;
            continue;
        }
        if (arrow_skip(L, &r, edge, w, p) || !lane_shown(L, w) || !lane_shown(L, p) || !task_drawn(L, p)) continue;
        int st = ev_state(L, p) > 0 ? 2 : ev_state(L, w) > 0 ? 1 : 0;
        if (st < 2 && L->v->reveal) continue; /* the arrow appears with the poll it causes */
        const tload_event *we = &L->t->ev[w], *pe = &L->t->ev[p];
        float xw = px_of(L, we->ts + we->dur / 2), xp = px_of(L, pe->ts);
        if ((xw < L->x0 && xp < L->x0) || (xw > L->x1 && xp > L->x1)) continue;
        if (arrow_edge_dup(L, xw, xp, edge)) continue;
        int32_t col = (int32_t)floorf(xp / 3); /* one arrow per three pixels at most */
        if (col == last_col) {
            double u = L->u_lo + ((double)col * 3 + 3 - L->x0) / (L->x1 - L->x0) * (L->u_hi - L->u_lo);
            r.skip = tindex_first_step(L->t, L->ix, taxis_t(L->ax, u));
            continue;
        }
        last_col = col;
        arrow_draw(L, w, p, xw, xp, st);
    }
    free(edge);
}

/* ---- axis ------------------------------------------------------------------------- */

static double nice_step(double span_us, int want) {
    double raw = span_us / want, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* A tick label with as many decimals as the tick step needs. */
static const char *fmt_tick(double us, double step_us, char *buf, size_t len) {
    const char *unit = "µs";
    double div = 1;
    if (fabs(us) >= 1e6 || step_us >= 1e5) { unit = "s"; div = 1e6; }
    else if (fabs(us) >= 1000 || step_us >= 100) { unit = "ms"; div = 1000; }
    double st = step_us / div;
    int dec = st >= 1 ? 0 : (int)ceil(-log10(st) - 1e-9);
    if (dec > 6) dec = 6;
    snprintf(buf, len, "%.*f %s", dec, us / div, unit);
    return buf;
}

static void axis_label(lay *L, float x, float y, const char *s, float *last_x) {
    float w = draw_text_width(s, L->th.small), xl = x - w / 2;
    if (xl < L->x0 - 2) xl = L->x0 - 2; /* the first tick's label starts at the axis, clear of the gutter */
    if (xl < *last_x + 6 || x < L->x0 - 4 || x > L->x1 + 4) return;
    draw_text(L->d, xl, y, s, L->th.small, L->th.muted, DRAW_LEFT, 0);
    *last_x = xl + w;
}

static double u_of_x(const lay *L, double x) {
    return L->u_lo + (x - (double)L->x0) / (double)(L->x1 - L->x0) * (L->u_hi - L->u_lo);
}

/* The first position in brk from lo whose break's middle (mid 1) or end (mid 0) is at u or later. */
static size_t brk_from(const lay *L, size_t lo, size_t hi, double u, int mid) {
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        const taxis_seg *s = &L->ax->seg[L->ax->brk[m]];
        if ((mid ? (s->u0 + s->u1) / 2 : s->u1) < u) lo = m + 1; else hi = m;
    }
    return lo;
}

/* The breaks (compressed segments) that can show on the canvas, x from 0 to its width:
 * positions [*first, *end) in ax->brk, by bisection. */
static void brk_range(const lay *L, size_t *first, size_t *end) {
    *first = brk_from(L, 0, L->ax->n_brk, u_of_x(L, -2), 0);
    size_t b = taxis_seg_at(L->ax, u_of_x(L, (double)L->d->width + 2));
    size_t lo = *first, hi = L->ax->n_brk; /* the first break after segment b */
    while (lo < hi) { size_t m = lo + (hi - lo) / 2; if (L->ax->brk[m] <= b) lo = m + 1; else hi = m; }
    *end = lo;
}

/* The next break to draw from *k: on the plot, and not in the pixel column of the one
 * drawn before it (a million gaps at fit draw one per column). -1 when none is left. */
static long next_break(lay *L, size_t *k, size_t end, int32_t *last_col, float *xa, float *xb) {
    while (*k < end) {
        const taxis_seg *s = &L->ax->seg[L->ax->brk[*k]];
        *xa = px_of(L, s->t0);
        *xb = px_of(L, s->t1);
        int32_t col = (int32_t)floorf((*xa + *xb) / 2);
        if (*xb < L->x0 || *xa > L->x1) { (*k)++; continue; }
        if (col == *last_col) { *k = brk_from(L, *k + 1, end, u_of_x(L, col + 1), 1); continue; }
        *last_col = col;
        return (long)L->ax->brk[(*k)++];
    }
    return -1;
}

/* The axis cut by two slanted strokes, as a broken axis is drawn on paper (lines, not a
 * glyph: no text to collide with the tick labels beside it). */
static void break_mark(lay *L, float xm, float y) {
    float s = L->th.s, h = 5 * s;
    draw_rect(L->d, xm - 4 * s, y - 2 * s, 8 * s, 4 * s, L->th.bg, 0, 0);
    for (int k = -1; k <= 1; k += 2) {
        draw_cmd *c = draw_line(L->d, xm + (float)k * 2.5f * s - 2 * s, y + h / 2, xm + (float)k * 2.5f * s + 2 * s,
                                y - h, L->th.fg, 1.5f * L->th.lw, 0);
        if (c) c->tag = DRAW_TAG_BREAK;
    }
}

static void axis_breaks(lay *L, float y) {
    char buf[48], lab[64];
    size_t first, end, k;
    int32_t col = INT32_MIN;
    float xa, xb, last_x = -1e9f;
    brk_range(L, &first, &end);
    /* the dashed guides through both views, moved behind the bars in one move */
    size_t at = L->d->n;
    for (k = first; next_break(L, &k, end, &col, &xa, &xb) >= 0;) {
        draw_cmd *c = draw_line(L->d, (xa + xb) / 2, L->plot_top, (xa + xb) / 2, y, L->th.grid, L->th.lw, 1);
        if (c) c->tag = DRAW_TAG_BREAK;
    }
    size_t moved = L->d->n - at;
    draw_list_move_back(L->d, L->behind, at);
    L->behind += moved;
    col = INT32_MIN;
    for (k = first;;) { /* and a break mark on the axis for each */
        long i = next_break(L, &k, end, &col, &xa, &xb);
        if (i < 0) break;
        const taxis_seg *s = &L->ax->seg[i];
        float xm = (xa + xb) / 2;
        break_mark(L, xm, y);
        /* its true length: "+25.00 ms" asleep, "≈ 2.00 ms" of work drawn short */
        snprintf(lab, sizeof lab, s->compressed == TAXIS_BUSY ? "≈ %s" : "+%s",
                 layout_fmt_time(s->t1 - s->t0, buf, sizeof buf));
        float lw = draw_text_width(lab, L->th.small * 0.85f);
        if (xm - lw / 2 < last_x + 4 * L->th.s) continue; /* the one before took the room */
        draw_text(L->d, xm, y + 30 * L->th.s, lab, L->th.small * 0.85f, L->th.muted, DRAW_CENTER, 0);
        last_x = xm + lw / 2;
    }
}

static void axis_tick(lay *L, float x, float y, const char *label, float *last_x) {
    draw_line(L->d, x, y - 4 * L->th.s, x, y, L->th.fg, L->th.lw, 0);
    axis_label(L, x, y + 16 * L->th.s, label, last_x);
}

/* Compressed: a tick where each busy stretch starts (the first segment, and after each
 * break), one per pixel column. */
/* Between a busy stretch's start x (time t0) and the next break at xe: a tick every 120 px
 * at a round time, so a long busy stretch (S9's spinning executor has no break at all) is
 * read off the axis too. The compressed axis is not to scale, so each says its own time,
 * after the stretch's start: "+1.2 µs" reads better than "15.0012 ms". */
static void axis_fill_ticks(lay *L, float x, int64_t t0, float xe, float y, float *last_x) {
    char buf[48], lab[56];
    float gap = 120 * L->th.s;
    if (xe > L->x1) xe = L->x1;
    for (float xt = (x < L->x0 ? L->x0 : x) + gap; xt < xe - gap / 2; xt += gap) {
        double u = u_of_x(L, xt);
        if (L->ax->seg[taxis_seg_at(L->ax, u)].compressed) continue; /* no time inside a break */
        int64_t t = taxis_t(L->ax, u), tp = taxis_t(L->ax, u_of_x(L, xt - gap / 2));
        double dt = (double)(t - tp) / 1000.0, r = pow(10, floor(log10(dt > 1e-3 ? dt : 1e-3)));
        double us = round((double)(t - t0) / 1000.0 / r) * r;
        if (us <= 0) continue;
        snprintf(lab, sizeof lab, "+%s", fmt_tick(us, r, buf, sizeof buf));
        axis_tick(L, px_of(L, t0 + (int64_t)llround(us * 1000.0)), y, lab, last_x);
    }
}

/* Where the run of to-scale segments after break k ends: the next break, or the plot's end. */
static float run_end(lay *L, size_t k) {
    return k + 1 < L->ax->n_brk ? px_of(L, L->ax->seg[L->ax->brk[k + 1]].t0) : L->x1;
}

static void axis_busy_ticks(lay *L, float y) {
    char buf[48];
    float last_x = -1e9f;
    int32_t last_col = INT32_MIN;
    size_t first, end;
    brk_range(L, &first, &end);
    float xe = first < L->ax->n_brk ? px_of(L, L->ax->seg[L->ax->brk[first]].t0) : L->x1;
    if (L->ax->n && !L->ax->seg[0].compressed && first == 0) {
        float x = px_of(L, L->ax->seg[0].t0);
        axis_tick(L, x, y, layout_fmt_time(L->ax->seg[0].t0, buf, sizeof buf), &last_x);
        axis_fill_ticks(L, x, L->ax->seg[0].t0, xe, y, &last_x);
    } else if (L->ax->n && !L->ax->seg[taxis_seg_at(L->ax, L->u_lo)].compressed) { /* zoomed into a stretch */
        axis_tick(L, L->x0, y, layout_fmt_time(L->t_lo, buf, sizeof buf), &last_x);
        axis_fill_ticks(L, L->x0, L->t_lo, xe, y, &last_x);
    }
    for (size_t k = first; k < end; k++) {
        size_t i = L->ax->brk[k] + 1;
        if (i >= L->ax->n || L->ax->seg[i].compressed) continue;
        float x = px_of(L, L->ax->seg[i].t0);
        int32_t col = (int32_t)floorf(x);
        if (col == last_col) { k = brk_from(L, k + 1, end, u_of_x(L, col + 1), 0) - 1; continue; }
        last_col = col;
        axis_tick(L, x, y, layout_fmt_time(L->ax->seg[i].t0, buf, sizeof buf), &last_x);
        axis_fill_ticks(L, x, L->ax->seg[i].t0, run_end(L, k), y, &last_x);
    }
}

static void axis_ticks(lay *L, float y) {
    char buf[48];
    float last_x = -1e9f;
    if (L->ax->compressed) { axis_busy_ticks(L, y); return; }
    int64_t t0 = taxis_t(L->ax, L->u_lo), t1 = taxis_t(L->ax, L->u_hi);
    double step = nice_step((double)(t1 - t0) / 1000.0, 8);
    for (double us = ceil((double)t0 / 1000.0 / step) * step; us <= (double)t1 / 1000.0; us += step)
        axis_tick(L, px_of(L, (int64_t)(us * 1000.0)), y, fmt_tick(us, step, buf, sizeof buf), &last_x);
}

static void axis(lay *L) {
    float y = L->y + 6 * L->th.s;
    draw_line(L->d, L->x0, y, L->x1, y, L->th.fg, L->th.lw, 0);
    axis_ticks(L, y);
    axis_breaks(L, y);
    const char *mode = msg_template(L->ax->compressed ? MSG_AXIS_COMPRESSED : MSG_AXIS_PROPORTIONAL, lang(L));
    draw_text(L->d, L->th.pad, y + 4 * L->th.s, mode, L->th.small * 0.9f, L->th.muted, DRAW_LEFT, 1);
    if (L->ax->compressed)
        draw_text(L->d, L->th.pad, y + 18 * L->th.s, msg_template(MSG_AXIS_IDLE_SHORT, lang(L)),
                  L->th.small * 0.9f, L->th.muted, DRAW_LEFT, 0);
    L->y = y + 40 * L->th.s;
}

/* ---- legend ----------------------------------------------------------------------- */

typedef enum { LEG_SWATCH, LEG_PENDING, LEG_READY, LEG_NET, LEG_ARROW, LEG_ERR, LEG_CREATE, LEG_FLAG, LEG_MOVE,
               LEG_NO_PROGRESS, LEG_PANIC, LEG_TORN } leg_kind;

/* One legend entry: its symbol, then its words; entries wrap to a new line at the edge. */
static void legend_item(lay *L, float *x, float *y, leg_kind kind, draw_rgba fill, const char *label) {
    float s = L->th.s, sym = kind == LEG_ARROW ? 26 * s : kind == LEG_SWATCH || kind == LEG_TORN ? 22 * s : 12 * s;
    float w = sym + 5 * s + draw_text_width(label, L->th.small) + 16 * s;
    if (*x + w > L->d->width - L->th.pad && *x > L->th.pad + 1) { *x = L->th.pad; *y += 18 * s; }
    float X = *x, yc = *y - 4 * s, r = 5.0f * s, q = r * 1.25f;
    draw_cmd *c = NULL;
    switch (kind) {
    case LEG_SWATCH: c = draw_rect(L->d, X, *y - 9 * s, sym, 11 * s, fill, L->th.outline, L->th.lw); break;
    case LEG_PENDING: c = draw_circle(L->d, X + r, yc, r, draw_rgb(0xFFFFFF), L->th.mark, 1.6f * L->th.lw); break;
    case LEG_READY: {
        float p[8] = {X + q, yc - q, X + 2 * q, yc, X + q, yc + q, X, yc};
        c = draw_poly(L->d, p, 4, L->th.mark, draw_rgb(0xFFFFFF), L->th.lw);
        break;
    }
    case LEG_NET: {
        float h = 3.0f * s, p[8] = {X + 3 * s, yc - h, X + 3 * s + 2 * h, yc - h, X + 3 * s + 2 * h, yc + h, X + 3 * s, yc + h};
        c = draw_poly(L->d, p, 4, L->th.muted, 0, 0);
        break;
    }
    case LEG_ARROW: c = draw_arrow(L->d, X, yc, X + sym, yc, L->th.wake, 1.6f * L->th.lw); break;
    case LEG_ERR: marks_err(L->d, X + r, yc, r * 1.15f, L->th.err, DRAW_TAG_LEGEND, -1); break;
    case LEG_CREATE: marks_create(L->d, X + r, yc, r, L->th.fg, DRAW_TAG_LEGEND, -1); break;
    case LEG_FLAG: c = marks_flag(L->d, X + 2 * s, yc - r, yc + r, s, 0, L->th.tlocal); break;
    case LEG_MOVE: c = marks_move(L->d, X + sym, yc, s, L->th.fg); break;
    case LEG_NO_PROGRESS: c = marks_no_progress(L->d, X + r, yc, r, 1.6f * L->th.lw, L->th.muted); break;
    case LEG_PANIC: c = marks_panic(L->d, X + r, yc, r * 1.3f, L->th.err, L->th.small * 0.9f); break;
    case LEG_TORN:
        draw_rect(L->d, X, *y - 9 * s, sym, 11 * s, draw_rgb(TASK_RGB[0]), L->th.outline, L->th.lw);
        c = marks_torn(L->d, X + sym, *y - 9 * s, 11 * s, s, L->th.bg);
        break;
    }
    if (c) c->tag = DRAW_TAG_LEGEND;
    draw_text(L->d, X + sym + 5 * s, *y, label, L->th.small, L->th.fg, DRAW_LEFT, 0);
    *x += w;
}

/* The slide marks, listed only where the trace has them. */
static void legend_marks(lay *L, float *x, float *y) {
    msg_lang k = lang(L);
    int err = 0, created = 0, locals = 0;
    for (size_t i = 0; i < L->ix->n_tasks; i++) err |= L->ix->tasks[i].err != 0;
    for (size_t i = 0; i < L->ix->n_futures && !created && L->v->which != LAYOUT_IMPLEMENTATION; i++)
        created = L->ix->futures[i].t_await > L->ix->futures[i].t0;
    for (size_t l = 0; l < L->ix->n_lanes; l++) locals += L->ix->lanes[l].locals;
    if (err) legend_item(L, x, y, LEG_ERR, 0, msg_template(MSG_LEG_ERR, k));
    int panic = 0;
    for (size_t i = 0; i < L->t->n && !panic; i++) panic = L->t->ev[i].kind == TLOAD_PANIC;
    if (L->t->nwoken) legend_item(L, x, y, LEG_NO_PROGRESS, 0, msg_template(MSG_LEG_NO_PROGRESS, k));
    if (panic) legend_item(L, x, y, LEG_PANIC, 0, msg_template(MSG_LEG_PANIC, k));
    if (created) legend_item(L, x, y, LEG_CREATE, 0, msg_template(MSG_LEG_CREATE, k));
    if (L->torn) legend_item(L, x, y, LEG_TORN, 0, msg_template(MSG_LEG_UNFINISHED, k));
    if (locals && L->v->which != LAYOUT_SIMPLIFIED) legend_item(L, x, y, LEG_FLAG, 0, msg_template(MSG_LEG_LOCAL, k));
    if (L->ix->n_moves && L->v->which != LAYOUT_SIMPLIFIED) legend_item(L, x, y, LEG_MOVE, 0, msg_template(MSG_LEG_MOVE, k));
    if (L->collapsed && L->v->which != LAYOUT_SIMPLIFIED) legend_item(L, x, y, LEG_SWATCH, L->th.others, msg_template(MSG_LEG_OTHERS, k));
}

static void legend(lay *L) {
    float y = L->y + 4 * L->th.s, x = L->th.pad;
    msg_lang k = lang(L);
    legend_item(L, &x, &y, LEG_SWATCH, draw_rgb(TASK_RGB[0]), msg_template(MSG_LEG_POLL, k));
    legend_item(L, &x, &y, LEG_PENDING, 0, msg_template(MSG_LEG_PENDING, k));
    legend_item(L, &x, &y, LEG_READY, 0, msg_template(MSG_LEG_READY, k));
    legend_item(L, &x, &y, LEG_SWATCH, L->th.park, msg_template(MSG_LEG_PARK, k));
    legend_item(L, &x, &y, LEG_SWATCH, L->th.syscall, msg_template(MSG_LEG_SYSCALL, k));
    legend_item(L, &x, &y, LEG_SWATCH, L->th.exec, msg_template(MSG_LEG_EXEC, k));
    legend_item(L, &x, &y, LEG_NET, 0, msg_template(MSG_LEG_NET, k));
    legend_item(L, &x, &y, LEG_ARROW, 0, msg_template(MSG_LEG_WAKE, k));
    legend_marks(L, &x, &y);
    L->y = y + 14 * L->th.s;
}

/* ---- cursor and caption ----------------------------------------------------------- */

static void cursor(lay *L) {
    if (L->step < 0) return;
    float x = px_of(L, L->cur_t);
    if (x < L->x0 - 1 || x > L->x1 + 1) return;
    draw_cmd *c = draw_line(L->d, x, L->plot_top, x, L->plot_bottom, L->th.cursor, 2 * L->th.lw, 0);
    if (c) c->tag = DRAW_TAG_CURSOR;
    float r = 6 * L->th.s;
    float p[6] = {x - r, L->plot_top - r, x + r, L->plot_top - r, x, L->plot_top};
    draw_poly(L->d, p, 3, L->th.cursor, 0, 0);
}

int layout_wrap(const char *s, float size, float width, char lines[][256], int max) {
    int n = 0;
    while (*s && n < max) {
        size_t best = 0, i = 0;
        char tmp[256];
        while (s[i] && i < 255) {
            if (s[i] == ' ' || s[i + 1] == '\0') {
                size_t cut = s[i] == ' ' ? i : i + 1;
                memcpy(tmp, s, cut);
                tmp[cut] = '\0';
                if (draw_text_width(tmp, size) > width && best) break;
                best = cut;
            }
            i++;
        }
        if (!best) best = utf8_cut(s, i); /* one long word: cut it, not a character */
        if (!best) best = i;
        memcpy(lines[n], s, best);
        lines[n][best] = '\0';
        n++;
        s += best;
        while (*s == ' ') s++;
    }
    return n;
}

static void caption_box(lay *L) {
    if (L->step < 0) return;
    char text[512], head[96], lines[3][256];
    uint32_t code = L->ix->steps[L->step];
    caption_step(L->t, L->ix, code, L->v->lang, text, sizeof text);
    char at[24], of[24];
    snprintf(at, sizeof at, "%ld", L->step + 1);
    snprintf(of, sizeof of, "%zu", L->ix->n_steps);
    MSG_FMT(head, sizeof head, lang(L), MSG_STEP_OF, at, of);
    float size = L->th.font * 1.15f, x = L->th.pad, w = L->d->width - 2 * L->th.pad;
    float hw = draw_text_width(head, size) * 1.12f + 18 * L->th.s; /* bold */
    int n = layout_wrap(text, size, w - hw - 12 * L->th.s, lines, 3);
    float h = (float)n * size * 1.35f + 14 * L->th.s, y = L->y + 6 * L->th.s;
    draw_cmd *c = draw_rect(L->d, x, y, w, h, draw_rgb(0xFFF8E7), L->th.outline, L->th.lw);
    if (c) c->tag = DRAW_TAG_CAPTION;
    c = draw_text(L->d, x + 8 * L->th.s, y + 7 * L->th.s + size, head, size, L->th.cursor, DRAW_LEFT, 1);
    if (c) c->tag = DRAW_TAG_CAPTION;
    for (int i = 0; i < n; i++) {
        c = draw_text(L->d, x + hw, y + 7 * L->th.s + size * (1 + 1.35f * (float)i), lines[i], size, L->th.fg, DRAW_LEFT, 0);
        if (c) c->tag = DRAW_TAG_CAPTION;
    }
    L->y = y + h + 4 * L->th.s;
}

static void status_line(lay *L) {
    if (!L->v->status || !*L->v->status) return;
    draw_text(L->d, L->th.pad, L->y + L->th.small + 2, L->v->status, L->th.small, L->th.muted, DRAW_LEFT, 0);
    L->y += L->th.small * 1.6f;
}

/* ---- details and help ------------------------------------------------------------- */

static int detail_lines(lay *L, char out[][160], int max);

/* The widths a boxed list needs at size: its key column (bold) and its whole width. */
static float overlay_width(char lines[][160], int n, float size, float s, float *col) {
    float w = 0;
    *col = 0;
    for (int i = 0; i < n; i++) {
        const char *tab = strchr(lines[i], '\t');
        if (!tab) continue;
        char key[160];
        snprintf(key, sizeof key, "%.*s", (int)(tab - lines[i]), lines[i]);
        float kw = draw_text_width_b(key, size, 1) + 14 * s;
        if (kw > *col) *col = kw;
    }
    for (int i = 0; i < n; i++) {
        const char *tab = strchr(lines[i], '\t');
        float tw = tab ? *col + draw_text_width(tab + 1, size) : draw_text_width_b(lines[i], size, i == 0);
        if (tw > w) w = tw;
    }
    /* the backends round a font to whole pixels: up to 5 % wider than measured */
    return w * 1.05f + 20 * s;
}

/* A boxed list; a '\t' in a line splits it into a key column and a text column. It fits
 * the canvas: a list too tall or too wide for it is written smaller. */
static void overlay_box(lay *L, char lines[][160], int n, float x, float y, int tag) {
    float size = L->th.small * 1.05f, col, w = overlay_width(lines, n, size, L->th.s, &col);
    float room_h = L->v->height > 0 ? L->v->height - y - 8 : 1e9f, room_w = L->d->width - 8;
    float k = fminf(1.0f, fminf(room_w / w, room_h / ((float)n * size * 1.4f + 12 * L->th.s)));
    if (k < 1) { size *= k; w = overlay_width(lines, n, size, L->th.s * k, &col); }
    if (x + w > L->d->width - 4) x = L->d->width - 4 - w;
    if (x < 4) x = 4;
    float h = (float)n * size * 1.4f + 12 * L->th.s * k;
    draw_cmd *c = draw_rect(L->d, x, y, w, h, draw_rgb(0xFDFDFD), L->th.fg, L->th.lw);
    if (c) c->tag = (uint8_t)tag;
    for (int i = 0; i < n; i++) {
        float ty = y + 6 * L->th.s * k + size * (1 + 1.4f * (float)i);
        char *tab = strchr(lines[i], '\t');
        if (tab) {
            *tab = '\0';
            c = draw_text(L->d, x + 10 * L->th.s * k, ty, lines[i], size, L->th.fg, DRAW_LEFT, 1);
            if (c) c->tag = (uint8_t)tag;
            c = draw_text(L->d, x + 10 * L->th.s * k + col, ty, tab + 1, size, L->th.fg, DRAW_LEFT, 0);
            *tab = '\t';
        } else c = draw_text(L->d, x + 10 * L->th.s * k, ty, lines[i], size, L->th.fg, DRAW_LEFT, i == 0);
        if (c) c->tag = (uint8_t)tag;
    }
}

static void details(lay *L) {
    char lines[12][160];
    int n = detail_lines(L, lines, 12);
    if (n > 0) overlay_box(L, lines, n, L->d->width - 380 * L->th.s, 8 * L->th.s, DRAW_TAG_DETAIL);
}

static void help(lay *L) {
    if (!L->v->help) return;
    static const char *const en[] = {
        "Keys (? closes this)",
        "Right / Left\tnext / previous step", "N / P\tnext / previous poll", "Home / End\tfirst / last step",
        "Space\tplay / pause", "[ / ]\tslower / faster", "V\treveal mode: hide what comes next",
        "G\tquiz: stop at questions, answer 1..N or click, Enter: next",
        "C\tcompressed / proportional time", "+ / -, wheel\tzoom", "A / D, drag\tpan",
        "Up / Down, Shift+wheel\tscroll", "F\tfit the whole run",
        "click\tdetails and linked highlight", "Esc\tclear the selection",
        "1 / 2 / 3\tboth views / Simplified / Implementation", "F5, Shift+P\tpresenter mode",
        "L\tEnglish / 한국어", "R\treload (automatic when the file changes)", "S\tsave a PNG of this view",
        "Q\tquit"};
    static const char *const kr[] = {
        "키 (?를 누르면 닫힌다)",
        "Right / Left\t다음 / 이전 단계", "N / P\t다음 / 이전 poll", "Home / End\t처음 / 마지막 단계",
        "Space\t재생 / 멈춤", "[ / ]\t느리게 / 빠르게", "V\t공개 모드: 다음에 올 것을 숨긴다",
        "G\t퀴즈: 문제에서 멈춘다, 1..N 키나 클릭으로 답, Enter: 다음 문제",
        "C\t압축 / 실제 비례 시간축", "+ / -, 휠\t확대 / 축소", "A / D, 끌기\t옆으로 이동", "Up / Down, Shift+휠\t위아래로 이동", "F\t전체 보기",
        "클릭\t자세히 보기, 연결된 강조", "Esc\t선택 해제", "1 / 2 / 3\t두 관점 / Simplified / Implementation",
        "F5, Shift+P\t발표자 모드", "L\tEnglish / 한국어", "R\t다시 읽기 (파일이 바뀌면 자동)",
        "S\t지금 화면을 PNG로 저장", "Q\t끝내기"};
    _Static_assert(sizeof en == sizeof kr, "the help lists the same keys in both languages");
    char lines[24][160];
    int n = (int)(sizeof en / sizeof en[0]);
    for (int i = 0; i < n; i++) snprintf(lines[i], sizeof lines[i], "%s", ko(L) ? kr[i] : en[i]);
    overlay_box(L, lines, n, L->d->width / 2 - 230 * L->th.s, 60 * L->th.s, DRAW_TAG_HELP);
}

/* A task's whole name (the gutter cuts a long one; the detail of a click says it all). */
static const char *task_name(const lay *L, int32_t task) {
    const tindex_task *k = tindex_task_get(L->ix, task);
    return k ? tload_str(L->t, k->name) : "";
}

/* A detail line: message id with args, in the view's language. */
#define DETAIL(L, line, id, ...) MSG_FMT(line, 160, lang(L), id, __VA_ARGS__)

static const char *sim_str(lay *L, uint32_t s, char *buf, size_t len) {
    return msg_translate(tload_str(L->t, s), lang(L), buf, len);
}

static int detail_poll(lay *L, const tload_event *e, int32_t i, char out[][160], int n) {
    char buf[96], a[48], b[48], k[24], tr[160];
    snprintf(k, sizeof k, "%d", e->task);
    DETAIL(L, out[n++], MSG_DET_TASK_FUTURE, k, task_name(L, e->task),
           caption_future(L->t, L->ix, e->future, buf, sizeof buf)); /* the full name the gutter may cut */
    snprintf(k, sizeof k, "%d", tload_poll_number(e));
    DETAIL(L, out[n++], MSG_DET_POLL, k, e->result == TLOAD_RES_READY ? "Ready" : "Pending");
    if (tload_poll_from(e)) DETAIL(L, out[n++], MSG_DET_RESUMED_AT, sim_str(L, tload_poll_from(e), tr, sizeof tr));
    if (tload_poll_at(e)) DETAIL(L, out[n++], e->result == TLOAD_RES_READY ? MSG_DET_ERROR : MSG_DET_STOPPED_AT,
                                 sim_str(L, tload_poll_at(e), tr, sizeof tr));
    int32_t w = tindex_waker_of(L->t, L->ix, i);
    if (w >= 0) DETAIL(L, out[n++], MSG_DET_WOKEN_BY, sim_str(L, tload_wake_by(&L->t->ev[w]), tr, sizeof tr));
    else if (e->parent < 0) DETAIL(L, out[n++], MSG_DET_FIRST_POLL, NULL);
    DETAIL(L, out[n++], MSG_DET_FROM_FOR, layout_fmt_time(e->ts, a, sizeof a), layout_fmt_time(e->dur, b, sizeof b));
    return n;
}

static int detail_lines(lay *L, char out[][160], int max) {
    int32_t i = L->v->sel_event;
    char a[48], b[48], buf[96];
    int n = 0;
    (void)max;
    if (i >= 0 && (size_t)i < L->t->n) {
        const tload_event *e = &L->t->ev[i];
        DETAIL(L, out[n++], e->kind == TLOAD_POLL ? MSG_DET_HEAD_POLL : e->ph == 'X' ? MSG_DET_HEAD_SLICE
                                                                                      : MSG_DET_HEAD_EVENT,
               tload_str(L->t, e->name));
        if (e->kind == TLOAD_POLL) return detail_poll(L, e, i, out, n);
        char s1[160], s2[160], k[24];
        sim_str(L, e->s1, s1, sizeof s1); /* any kind: its first two texts (park: until, wake: by, */
        sim_str(L, e->s2, s2, sizeof s2); /* syscall: call and ret, ...), shown as they are */
        snprintf(k, sizeof k, "%d", e->task);
        if (e->kind == TLOAD_PARK && *s1) DETAIL(L, out[n++], MSG_DET_SLEEPS_UNTIL, s1);
        else if (e->kind == TLOAD_WAKE) {
            DETAIL(L, out[n++], MSG_DET_BY, s1);
            DETAIL(L, out[n++], (e->flags & TLOAD_F_NOT_QUEUED) ? MSG_DET_WAKES_NO_EFFECT : MSG_DET_WAKES, k);
        } else if (e->kind == TLOAD_SYSCALL) snprintf(out[n++], 160, "%.72s → %.72s", s1, s2);
        else {
            if (*s1) snprintf(out[n++], 160, "%s", s1);
            if (*s2) snprintf(out[n++], 160, "%s", s2);
        }
        if (e->task >= 0 && e->kind != TLOAD_WAKE) DETAIL(L, out[n++], MSG_TASK_N, k, task_name(L, e->task));
        DETAIL(L, out[n++], MSG_DET_AT_FOR, layout_fmt_time(e->ts, a, sizeof a), layout_fmt_time(e->dur, b, sizeof b));
        return n;
    }
    const tindex_future *f = L->v->sel_future >= 0 ? tindex_future_get(L->ix, L->v->sel_future) : NULL;
    if (!f) return 0;
    char k[24], np[24];
    snprintf(k, sizeof k, "%d", f->task);
    snprintf(np, sizeof np, "%d", f->npolls);
    DETAIL(L, out[n++], MSG_DET_FUTURE, caption_future(L->t, L->ix, f->id, buf, sizeof buf));
    DETAIL(L, out[n++], f->ready_ev >= 0 ? MSG_DET_FUTURE_READY : MSG_DET_FUTURE_NEVER, k, task_name(L, f->task), np);
    DETAIL(L, out[n++], MSG_DET_FROM_TO, layout_fmt_time(f->t0, a, sizeof a), layout_fmt_time(f->t1, b, sizeof b));
    DETAIL(L, out[n++], MSG_DET_OUTLINED, NULL);
    return n;
}

/* ---- declutter: no text over another ------------------------------------------------ */

typedef struct tbox { float x0, x1, y0, y1; uint32_t at; } tbox;

static int tbox_cmp(const void *a, const void *b) {
    const tbox *p = a, *q = b;
    return (p->x0 > q->x0) - (p->x0 < q->x0);
}

/* Where two texts would overlap, the one drawn first — a bar's name — is left out: the
 * later one names a mark placed on purpose (a lint, an Err, a call-time slice), and two
 * texts over each other are read as neither. A sweep over the texts sorted by left edge. */
static void declutter(lay *L, size_t from) {
    draw_list *d = L->d;
    tbox *b = malloc((d->n - from + 1) * sizeof *b);
    uint8_t *drop = calloc(d->n + 1, 1);
    size_t n = 0;
    for (size_t i = from; b && drop && i < d->n; i++) {
        const draw_cmd *c = &d->cmd[i];
        if (c->op != DRAW_TEXT || c->tag == DRAW_TAG_SOURCE || c->tag == DRAW_TAG_CAPTION) continue;
        const char *s = draw_cmd_text(d, c);
        float w = draw_text_width_b(s, c->size, c->flags & DRAW_BOLD);
        float x0 = c->align == DRAW_RIGHT ? c->x - w : c->align == DRAW_CENTER ? c->x - w / 2 : c->x;
        if (*s && w > 0) b[n++] = (tbox){x0, x0 + w, c->y - c->size * 0.78f, c->y + c->size * 0.2f, (uint32_t)i};
    }
    if (b && drop) {
        qsort(b, n, sizeof *b, tbox_cmp);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n && b[j].x0 < b[i].x1 - 1; j++) {
                if (drop[b[i].at] || drop[b[j].at]) continue;
                float oy = fminf(b[i].y1, b[j].y1) - fmaxf(b[i].y0, b[j].y0);
                float ox = fminf(b[i].x1, b[j].x1) - b[j].x0;
                if (ox > 1 && oy > 1) drop[b[i].at < b[j].at ? b[i].at : b[j].at] = 1;
            }
        draw_list_drop(d, drop);
    }
    free(b);
    free(drop);
}

/* ---- the page --------------------------------------------------------------------- */

void layout_view_init(layout_view *v, float width, float height) {
    memset(v, 0, sizeof *v);
    v->width = width;
    v->height = height;
    v->scale = 1;
    v->step = -1;
    v->sel_future = v->sel_event = -1;
}

float layout_content_height(const tload_trace *t, const tindex *ix, const layout_view *v) {
    /* the height is whatever the layout uses: lay it out once and measure */
    taxis ax;
    if (taxis_build(&ax, t, ix, 0)) return 600;
    layout_view probe = *v;
    probe.height = 0;
    draw_list dl;
    draw_list_init(&dl, v->width, 0, 0xFFFFFFFF);
    layout_build(t, ix, &ax, &probe, &dl, NULL);
    float h = dl.height;
    draw_list_free(&dl);
    taxis_free(&ax);
    return h;
}

/* The plot's left and right edge for a view: the gutter for names, then the time axis. */
static void plot_span(const theme *th, const layout_view *v, float *x0, float *x1) {
    *x0 = th->label_w + th->pad;
    *x1 = v->width - th->pad - 30 * th->s; /* room for the last tick label */
}

float layout_min_poll_px(const layout_view *v) { return 6 * make_theme(v).s; }

float layout_gutter(const tload_trace *t, const tindex *ix, const layout_view *v) {
    if (v->gutter > 0) return v->gutter;
    theme th = make_theme(v);
    return gutter_width(t, ix, &th, v, v->lang == CAPTION_KO ? MSG_KO : MSG_EN);
}

double layout_min_frac(const tload_trace *t, const tindex *ix, const layout_view *v) {
    theme th = make_theme(v);
    th.label_w = layout_gutter(t, ix, v);
    float x0, x1;
    plot_span(&th, v, &x0, &x1);
    return x1 - x0 > 1 ? layout_min_poll_px(v) / (x1 - x0) : 0;
}

/* The scenario fits the page at v's scale: its height, and every poll at its least width. */
static int slide_fits(const tload_trace *t, const tindex *ix, layout_view *v, float room) {
    if (layout_content_height(t, ix, v) > room) return 0;
    taxis ax;
    double want = layout_min_frac(t, ix, v);
    taxis_room *rooms;
    size_t n = layout_rooms(t, ix, v, &rooms);
    int rc = taxis_build_rooms(&ax, t, ix, 1, want, rooms, n);
    free(rooms);
    if (rc) return 0;
    int ok = ax.min_got <= 0 || ax.min_got >= want * 0.999;
    taxis_free(&ax);
    return ok;
}

/* ---- room for the names: the axis widens a stretch whose bar's name would not fit ----- */

/* The short name a poll always shows ("C.poll", or a call's name), the Simplified bars'
 * names, "park (sleeps)" and a compute's true length: each asks the compressed axis for its width plus the margins
 * bar_label keeps, so the names the normal view shows are shown at --scale and --presenter
 * too (the page widens, on export, when the rooms cannot all be given). */
size_t layout_rooms(const tload_trace *t, const tindex *ix, const layout_view *v, taxis_room **out) {
    *out = NULL;
    size_t polls = 0;
    for (size_t i = 0; i < t->n; i++) polls += t->ev[i].kind == TLOAD_POLL;
    if (polls > TAXIS_MAX_MIN) return 0;
    theme th = make_theme(v);
    msg_lang lg = v->lang == CAPTION_KO ? MSG_KO : MSG_EN;
    th.label_w = gutter_width(t, ix, &th, v, lg);
    float x0, x1;
    plot_span(&th, v, &x0, &x1);
    if (x1 - x0 < 1) return 0;
    taxis_room *r = malloc((t->n + ix->n_futures + 1) * sizeof *r);
    if (!r) return 0;
    size_t n = 0;
    char buf[160];
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        const char *label = NULL;
        float margin = 15 * th.s;
        if (e->kind == TLOAD_POLL) {
            const tindex_future *f = tindex_future_get(ix, e->future);
            char letter = f && !(e->flags & TLOAD_F_SYNC) ? tindex_letter(ix, f) : 0;
            if (letter) snprintf(buf, sizeof buf, "%c.poll", letter);
            label = letter ? buf : tload_str(t, e->name);
            margin = 21 * th.s;
        } else if (e->kind == TLOAD_PARK) label = msg_template(MSG_PARK_LABEL, lg);
        else if (e->kind == TLOAD_COMPUTE) { /* "compute ≈ 50.00 ms": S7's point, kept in sight */
            char d[48], work[96];
            if (marks_call_time_work(t, i, work, sizeof work)) /* S5's call-time work: its own label */
                label = *work ? MSG_FMT(buf, sizeof buf, lg, MSG_CALL_TIME_WORK, work) : msg_fmt(buf, sizeof buf, lg, MSG_CALL_TIME, NULL);
            else {
                snprintf(buf, sizeof buf, "%s ≈ %s", tload_str(t, e->name), layout_fmt_time(e->dur, d, sizeof d));
                label = buf;
            }
        }
        else if (e->kind == TLOAD_BLOCKED) label = MSG_FMT(buf, sizeof buf, lg, MSG_BLOCKED_LABEL, tload_str(t, e->name));
        if (label && e->dur > 0)
            r[n++] = (taxis_room){e->ts, e->ts + e->dur, (draw_text_width(label, th.small) + margin) / (x1 - x0)};
    }
    for (size_t i = 0; i < ix->n_futures; i++) {
        const tindex_future *f = &ix->futures[i];
        int64_t ta = f->t_await > f->t0 ? f->t_await : f->t0;
        if (f->t1 > ta)
            r[n++] = (taxis_room){ta, f->t1, (draw_text_width(simp_label(t, ix, f, buf, sizeof buf), th.small) + 13 * th.s) / (x1 - x0)};
    }
    *out = r;
    return n;
}

int layout_fit_slide(const tload_trace *t, const tindex *ix, layout_view *v) {
    static const float scales[] = {1.5f, 1.4f, 1.3f, 1.2f, 1.1f, 1.0f};
    float room = v->height > 0 ? v->height : LAYOUT_SLIDE_H;
    for (int drop = 0; drop < 2; drop++) {
        v->no_source = drop && t->nsource;
        for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
            v->scale = scales[k];
            if (slide_fits(t, ix, v, room)) return 0;
        }
        if (!t->nsource) break;
    }
    for (v->scale = 0.95f; v->scale > 0.79f; v->scale -= 0.05f)
        if (slide_fits(t, ix, v, room)) return 0;
    v->scale = 0.8f;
    return 1;
}

static void setup(lay *L, const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *v,
                  draw_list *out) {
    memset(L, 0, sizeof *L);
    L->t = t; L->ix = ix; L->ax = ax; L->v = v; L->d = out;
    L->th = make_theme(v);
    L->th.label_w = layout_gutter(t, ix, v);
    plot_span(&L->th, v, &L->x0, &L->x1);
    L->u_lo = v->u_hi > v->u_lo ? v->u_lo : 0;
    L->u_hi = v->u_hi > v->u_lo ? v->u_hi : (ax->u_total > 0 ? ax->u_total : 1);
    L->step = (v->step >= 0 && (size_t)v->step < ix->n_steps) ? v->step : (v->step >= 0 && ix->n_steps ? (long)ix->n_steps - 1 : -1);
    L->cur_t = L->step >= 0 ? tindex_step_time(t, ix->steps[L->step]) : 0;
    L->t_lo = taxis_t(ax, L->u_lo);
    L->t_hi = taxis_t(ax, L->u_hi);
    L->t_near = taxis_t(ax, L->u_lo - (L->u_hi - L->u_lo) * 4 / (L->x1 > L->x0 ? L->x1 - L->x0 : 1));
}

int layout_build(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *v,
                 draw_list *out, layout_geom *geom) {
    lay L;
    draw_list_clear(out);
    out->width = v->width;
    out->height = v->height > 0 ? v->height : 100000; /* height 0: measured at the end */
    out->background = draw_rgb(0xFFFFFF);
    setup(&L, t, ix, ax, v, out);
    L.lane_y = calloc(ix->n_lanes ? ix->n_lanes : 1, sizeof *L.lane_y);
    L.disp = calloc(ix->n_lanes ? ix->n_lanes : 1, sizeof *L.disp);
    L.last_col = malloc(CROWD_SLOTS * sizeof *L.last_col);
    L.skip_t = malloc(CROWD_SLOTS * sizeof *L.skip_t);
    L.task_shown = calloc(ix->n_tasks ? ix->n_tasks : 1, 1);
    if (!L.lane_y || !L.disp || !L.last_col || !L.skip_t || !L.task_shown) {
        free(L.lane_y); free(L.disp); free(L.last_col); free(L.skip_t); free(L.task_shown);
        return -1;
    }
    reset_crowding(&L);
    header(&L);
    L.plot_top = L.y;
    L.behind = out->n;
    L.os_label_x = -1e9f;
    tasks_standing(&L);
    if (v->which != LAYOUT_IMPLEMENTATION) simplified(&L, 600 * L.th.s);
    if (v->which != LAYOUT_SIMPLIFIED) implementation(&L);
    if (v->which != LAYOUT_SIMPLIFIED) memory_track(&L);
    L.plot_bottom = L.y;
    if (v->which != LAYOUT_SIMPLIFIED) wake_arrows(&L);
    axis(&L);
    cursor(&L);
    if (!v->no_legend) legend(&L);
    caption_box(&L);
    if (t->nsource && !v->no_source)
        L.y = srcpanel_draw(out, t, ix, L.step, L.th.pad, L.y, v->width - 2 * L.th.pad, L.th.s, ko(&L));
    status_line(&L);
    declutter(&L, 0);
    details(&L);
    help(&L);
    if (v->height <= 0) out->height = ceilf(L.y + L.th.pad);
    if (geom) *geom = (layout_geom){L.x0, L.x1, L.u_lo, L.u_hi, L.y};
    free(L.lane_y);
    free(L.disp);
    free(L.last_col);
    free(L.skip_t);
    free(L.task_shown);
    free(L.marks);
    return 0;
}
