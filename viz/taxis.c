/* taxis: piecewise-linear time axis. See taxis.h. */
#include "viz/taxis.h"

#include <stdlib.h>
#include <string.h>

/* An event that counts as activity: everything but the executor's whole run and parks. */
static int is_activity(const tload_event *e) {
    return e->kind != TLOAD_EXECUTOR && e->kind != TLOAD_PARK && e->kind != TLOAD_BLOCKED && e->kind != TLOAD_CLOCK &&
           e->kind != TLOAD_OTHER;
}

typedef struct span { int64_t t0, t1; } span;

static int span_cmp(const void *a, const void *b) {
    const span *x = a, *y = b;
    return (x->t0 > y->t0) - (x->t0 < y->t0);
}

/* Activity spans merged into disjoint, sorted runs; returns their count. */
static size_t merged_activity(const tload_trace *t, span **out) {
    span *s = malloc((t->n ? t->n : 1) * sizeof *s);
    if (!s) return 0;
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (is_activity(&t->ev[i])) s[n++] = (span){t->ev[i].ts, t->ev[i].ts + t->ev[i].dur};
    qsort(s, n, sizeof *s, span_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && s[i].t0 <= s[m - 1].t1) {
            if (s[i].t1 > s[m - 1].t1) s[m - 1].t1 = s[i].t1;
        } else s[m++] = s[i];
    }
    *out = s;
    return m;
}

static int push(taxis *a, size_t *cap, int64_t t0, int64_t t1, double w, int comp) {
    if (t1 <= t0) return 0;
    if (a->n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        taxis_seg *p = realloc(a->seg, c * sizeof *p);
        if (!p) return -1;
        a->seg = p;
        *cap = c;
    }
    double u0 = a->u_total;
    a->seg[a->n++] = (taxis_seg){t0, t1, u0, u0 + w, comp};
    a->u_total = u0 + w;
    return 0;
}

/* The fixed width (µs of axis) an idle stretch shrinks to: a small share of the busy
 * time, so that busy time keeps at least half of the width however many gaps there are. */
static double gap_width(const span *s, size_t m, int64_t t_min, int64_t t_max) {
    double busy = 0;
    for (size_t i = 0; i < m; i++) busy += (double)(s[i].t1 - s[i].t0) / 1000.0;
    if (busy <= 0) busy = (double)(t_max - t_min) / 1000.0 / 20.0 + 1e-3;
    double g = busy * 0.08;
    size_t ngap = 0;
    for (size_t i = 0; i + 1 < m; i++) ngap += (double)(s[i + 1].t0 - s[i].t1) / 1000.0 > g;
    if (ngap && g * (double)ngap > busy) g = busy / (double)ngap;
    return g;
}

static int add_stretch(taxis *a, size_t *cap, int64_t t0, int64_t t1, double g) {
    double us = (double)(t1 - t0) / 1000.0;
    if (a->compressed && us > g) return push(a, cap, t0, t1, g, 1);
    return push(a, cap, t0, t1, us, 0);
}

/* The compressed segments, so a view finds its breaks without a walk over every segment. */
static int index_breaks(taxis *a) {
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) n += a->seg[i].compressed != 0;
    a->brk = malloc((n ? n : 1) * sizeof *a->brk);
    if (!a->brk) return -1;
    for (size_t i = 0; i < a->n; i++)
        if (a->seg[i].compressed) a->brk[a->n_brk++] = i;
    return 0;
}

int taxis_build(taxis *a, const tload_trace *t, const tindex *ix, int compressed) {
    memset(a, 0, sizeof *a);
    a->compressed = compressed;
    size_t cap = 0;
    int64_t t0 = ix->t_min, t1 = ix->t_max > ix->t_min ? ix->t_max : ix->t_min + 1000;
    if (!compressed) return push(a, &cap, t0, t1, (double)(t1 - t0) / 1000.0, 0);
    span *s = NULL;
    size_t m = merged_activity(t, &s);
    double g = gap_width(s, m, t0, t1);
    int64_t at = t0;
    int rc = 0;
    for (size_t i = 0; i < m && !rc; i++) {
        rc |= add_stretch(a, &cap, at, s[i].t0, g);
        if (s[i].t1 > s[i].t0) rc |= push(a, &cap, s[i].t0, s[i].t1, (double)(s[i].t1 - s[i].t0) / 1000.0, 0);
        if (s[i].t1 > at) at = s[i].t1;
    }
    rc |= add_stretch(a, &cap, at, t1, g);
    free(s);
    if (!a->n) rc |= push(a, &cap, t0, t1, (double)(t1 - t0) / 1000.0, 0);
    return rc ? rc : index_breaks(a);
}

void taxis_free(taxis *a) {
    free(a->seg);
    free(a->brk);
    memset(a, 0, sizeof *a);
}

double taxis_u(const taxis *a, int64_t t) {
    if (!a->n) return 0;
    if (t <= a->seg[0].t0) return 0;
    if (t >= a->seg[a->n - 1].t1) return a->u_total;
    size_t lo = 0, hi = a->n - 1; /* last segment with t0 <= t */
    while (lo < hi) { size_t m = (lo + hi + 1) / 2; if (a->seg[m].t0 <= t) lo = m; else hi = m - 1; }
    const taxis_seg *s = &a->seg[lo];
    if (t >= s->t1) return s->u1;
    return s->u0 + (s->u1 - s->u0) * (double)(t - s->t0) / (double)(s->t1 - s->t0);
}

int64_t taxis_t(const taxis *a, double u) {
    if (!a->n) return 0;
    if (u <= 0) return a->seg[0].t0;
    if (u >= a->u_total) return a->seg[a->n - 1].t1;
    size_t lo = 0, hi = a->n - 1;
    while (lo < hi) { size_t m = (lo + hi + 1) / 2; if (a->seg[m].u0 <= u) lo = m; else hi = m - 1; }
    const taxis_seg *s = &a->seg[lo];
    double f = s->u1 > s->u0 ? (u - s->u0) / (s->u1 - s->u0) : 0;
    return s->t0 + (int64_t)(f * (double)(s->t1 - s->t0));
}

size_t taxis_seg_at(const taxis *a, double u) {
    size_t lo = 0, hi = a->n ? a->n - 1 : 0;
    while (lo < hi) { size_t m = (lo + hi + 1) / 2; if (a->seg[m].u0 <= u) lo = m; else hi = m - 1; }
    return lo;
}

int64_t taxis_t_hint(const taxis *a, double u, size_t *hint) {
    size_t h = *hint;
    if (!a->n || u <= 0 || u >= a->u_total || h >= a->n || u < a->seg[h].u0) return taxis_t(a, u);
    size_t lo = h, hi = a->n - 1; /* galloping from the hint, as taxis_u_hint */
    for (size_t step = 1; lo + step <= hi; step *= 2) {
        if (a->seg[lo + step].u0 > u) { hi = lo + step - 1; break; }
        lo += step;
    }
    while (lo < hi) { size_t m = (lo + hi + 1) / 2; if (a->seg[m].u0 <= u) lo = m; else hi = m - 1; }
    *hint = lo;
    const taxis_seg *s = &a->seg[lo];
    double f = s->u1 > s->u0 ? (u - s->u0) / (s->u1 - s->u0) : 0;
    return s->t0 + (int64_t)(f * (double)(s->t1 - s->t0));
}

/* The last segment from h on whose t0 <= t (t >= seg[h].t0), galloping: O(log distance). */
static size_t gallop_t(const taxis *a, size_t h, int64_t t) {
    size_t lo = h, hi = a->n - 1;
    for (size_t step = 1; lo + step <= hi; step *= 2) {
        if (a->seg[lo + step].t0 > t) { hi = lo + step - 1; break; }
        lo += step;
    }
    while (lo < hi) { size_t m = (lo + hi + 1) / 2; if (a->seg[m].t0 <= t) lo = m; else hi = m - 1; }
    return lo;
}

double taxis_u_hint(const taxis *a, int64_t t, size_t *hint) {
    size_t h = *hint;
    if (!a->n || t <= a->seg[0].t0 || t >= a->seg[a->n - 1].t1 || h >= a->n) return taxis_u(a, t);
    /* a sweep in time order moves forward a little: gallop from the hint (a view with
     * one event per pixel column jumps hundreds of segments, a full bisection misses cache) */
    if (t < a->seg[h].t0) return taxis_u(a, t);
    h = gallop_t(a, h, t);
    *hint = h;
    const taxis_seg *s = &a->seg[h];
    if (t >= s->t1) return s->u1;
    return s->u0 + (s->u1 - s->u0) * (double)(t - s->t0) / (double)(s->t1 - s->t0);
}
