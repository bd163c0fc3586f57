/* memtrack: the memory track. See memtrack.h. */
#include "viz/memtrack.h"

#include <math.h>
#include <stdio.h>

enum { WANT_THREADS = 4, WANT_TASKS = 10 };

int memtrack_wanted(const tload_trace *t) {
    for (size_t i = 0; i < t->nmem; i++)
        if (t->mem[i].threads >= WANT_THREADS || t->mem[i].tasks >= WANT_TASKS) return 1;
    return 0;
}

static float head_h(float s) { return 36 * s; } /* two lines of labels */
static float chart_h(float s) { return 56 * s; }
float memtrack_height(float s) { return head_h(s) + chart_h(s) + 12 * s; }

int64_t memtrack_top(const tload_trace *t) {
    int64_t top = 1;
    for (size_t i = 0; i < t->nmem; i++) {
        if (t->mem[i].stack_reserved > top) top = t->mem[i].stack_reserved;
        if (t->mem[i].task_bytes > top) top = t->mem[i].task_bytes;
    }
    return top;
}

long memtrack_peak_stack(const tload_trace *t) {
    long best = -1;
    for (size_t i = 0; i < t->nmem; i++)
        if (best < 0 || t->mem[i].stack_reserved > t->mem[best].stack_reserved) best = (long)i;
    return best;
}

long memtrack_peak_tasks(const tload_trace *t) {
    long best = -1;
    for (size_t i = 0; i < t->nmem; i++)
        if (best < 0 || t->mem[i].task_bytes > t->mem[best].task_bytes) best = (long)i;
    return best;
}

const char *memtrack_fmt_bytes(int64_t bytes, int binary, char *buf, size_t len) {
    static const char *const dec[] = {"B", "KB", "MB", "GB", "TB"}, *const bin[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes, k = binary ? 1024.0 : 1000.0;
    int u = 0;
    while (v >= k && u < 4) { v /= k; u++; }
    const char *unit = binary ? bin[u] : dec[u];
    if (u == 0 || v >= 100 || v == (double)(int64_t)v) snprintf(buf, len, "%.0f %s", v, unit);
    else snprintf(buf, len, "%.*f %s", v >= 10 ? 1 : 2, v, unit);
    return buf;
}

/* One series as a step chart, merged per pixel column (a run with 20,000 samples draws at
 * most a rect per column): pending holds the rect not yet drawn. */
typedef struct step_run { float xa, xb; int64_t v; int faded; int open; } step_run;

typedef struct chart {
    draw_list *d;
    const memtrack_style *st;
    float base, h;     /* the chart's bottom and height */
    double per_px;     /* bytes per pixel of height */
    draw_rgba col;
} chart;

static void run_flush(chart *c, step_run *r) {
    if (!r->open || r->v <= 0) { r->open = 0; return; }
    float hh = (float)((double)r->v / c->per_px);
    if (hh < 1.5f * c->st->s) hh = 1.5f * c->st->s; /* a few bytes still show */
    draw_rgba col = r->faded ? draw_mix(c->col, draw_rgb(0xFFFFFF), 1 - c->st->fade) : c->col;
    float xa = roundf(r->xa), xb = roundf(r->xb); /* whole pixels: no seam between steps */
    if (xb < xa + 1) xb = xa + 1;
    draw_cmd *k = draw_rect(c->d, xa, c->base - hh, xb - xa, hh, col, 0, 0);
    if (k) k->tag = DRAW_TAG_MEMORY;
    r->open = 0;
}

static void series(chart *c, const tload_trace *t, memtrack_x x_of, void *ctx, int which) {
    step_run r = {0};
    const memtrack_style *st = c->st;
    for (size_t i = 0; i < t->nmem; i++) {
        const tload_mem *m = &t->mem[i];
        int faded = m->ts > st->cursor;
        if (faded && st->reveal) break;
        int64_t v = which == 0 ? m->stack_reserved : which == 1 ? m->stack_used : m->task_bytes;
        float xa = x_of(ctx, m->ts), xb = i + 1 < t->nmem ? x_of(ctx, t->mem[i + 1].ts) : st->x1;
        if (xa < st->x0) xa = st->x0;
        if (xb > st->x1) xb = st->x1;
        if (xb < xa) continue;
        if (r.open && r.faded == faded && (v == r.v || xb - r.xa < 1)) { /* same step, or the same column */
            r.xb = xb;
            if (v > r.v) r.v = v;
            continue;
        }
        run_flush(c, &r);
        r = (step_run){xa, xb, v, faded, 1};
    }
    run_flush(c, &r);
}

/* A swatch and a label; returns the x after it. */
static float key(draw_list *d, float x, float y, draw_rgba col, const char *s, const memtrack_style *st, int32_t ref) {
    draw_rect(d, x, y - 9 * st->s, 18 * st->s, 10 * st->s, col, 0, 0);
    draw_cmd *c = draw_text(d, x + 23 * st->s, y, s, st->small, st->fg, DRAW_LEFT, 0);
    if (c) { c->tag = DRAW_TAG_MEMORY; c->ref = ref; }
    return x + 23 * st->s + draw_text_width(s, st->small);
}

static void labels(draw_list *d, const tload_trace *t, float y, const memtrack_style *st, msg_lang lang,
                   draw_rgba reserved) {
    long ps = memtrack_peak_stack(t), pt = memtrack_peak_tasks(t);
    const tload_mem *a = &t->mem[ps], *b = &t->mem[pt];
    char n1[32], per[32], tot[32], used[32], n2[32], bytes[32], line[256];
    snprintf(n1, sizeof n1, "%lld", (long long)a->threads);
    memtrack_fmt_bytes(a->threads ? a->stack_reserved / a->threads : 0, 1, per, sizeof per);
    memtrack_fmt_bytes(a->stack_reserved, 1, tot, sizeof tot);
    memtrack_fmt_bytes(a->stack_used, 1, used, sizeof used);
    MSG_FMT(line, sizeof line, lang, MSG_MEM_STACKS, n1, per, tot, used);
    key(d, st->x0, y + 13 * st->s, reserved, line, st, (int32_t)ps);
    draw_rect(d, st->x0, y + 9 * st->s, 18 * st->s, 4 * st->s, st->stack, 0, 0); /* used: the dark part */
    snprintf(n2, sizeof n2, "%lld", (long long)b->tasks);
    memtrack_fmt_bytes(b->task_bytes, 0, bytes, sizeof bytes);
    MSG_FMT(line, sizeof line, lang, MSG_MEM_TASKS, n2, bytes);
    key(d, st->x0, y + 29 * st->s, st->task, line, st, (int32_t)pt);
}

float memtrack_draw(draw_list *d, const tload_trace *t, memtrack_x x_of, void *ctx, float y,
                    const memtrack_style *st, msg_lang lang) {
    if (!t->nmem) return y;
    int64_t own = memtrack_top(t), top = st->top > own ? st->top : own;
    draw_rgba reserved = draw_mix(st->stack, draw_rgb(0xFFFFFF), 0.62f);
    draw_cmd *c = draw_text(d, st->pad, y + 13 * st->s, msg_template(MSG_MEM_TITLE, lang), st->small, st->fg, DRAW_LEFT, 1);
    if (c) c->tag = DRAW_TAG_MEMORY;
    draw_text(d, st->pad, y + 27 * st->s, msg_template(MSG_MEM_SUB, lang), st->small * 0.9f, st->muted, DRAW_LEFT, 0);
    labels(d, t, y, st, lang, reserved);
    chart ch = {d, st, y + head_h(st->s) + chart_h(st->s), chart_h(st->s), 0, reserved};
    ch.per_px = (double)top / (double)(ch.h - 2 * st->s);
    char buf[32], scale[64];
    MSG_FMT(scale, sizeof scale, lang, MSG_MEM_SCALE, memtrack_fmt_bytes(top, 1, buf, sizeof buf));
    c = draw_text(d, st->pad, ch.base - 2 * st->s, scale, st->small * 0.9f, st->muted, DRAW_LEFT, 0);
    if (c) c->tag = DRAW_TAG_MEMORY;
    draw_line(d, st->x0, ch.base - ch.h, st->x1, ch.base - ch.h, st->grid, st->s, 1); /* the scale's top */
    series(&ch, t, x_of, ctx, 0); /* reserved, then used, then the tasks' bytes in front */
    ch.col = st->stack;
    series(&ch, t, x_of, ctx, 1);
    ch.col = st->task;
    series(&ch, t, x_of, ctx, 2);
    draw_line(d, st->x0, ch.base, st->x1, ch.base, st->grid, st->s, 0);
    return ch.base + 12 * st->s;
}
