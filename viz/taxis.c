/* taxis: piecewise-linear time axis. See taxis.h. */
#include "viz/taxis.h"

#include "viz/rsort.h"

#include <stdlib.h>
#include <string.h>

/* An event that counts as activity: everything but the executor's whole run and parks. */
static int is_activity(const tload_event *e) {
    return e->kind != TLOAD_EXECUTOR && e->kind != TLOAD_PARK && e->kind != TLOAD_BLOCKED && e->kind != TLOAD_CLOCK &&
           e->kind != TLOAD_OTHER;
}

/* ---- the compressed axis, built over elementary intervals ------------------------- *
 * Every start and end of an activity cuts the run into elementary intervals; each is busy
 * (some activity covers it) or idle. An idle interval longer than g and a busy one longer
 * than B are drawn at that width (a break, its true length labelled); then every poll is
 * widened to at least min_frac of the axis, by pushing its end right. */

typedef struct build {
    int64_t *b;      /* sorted distinct boundaries */
    size_t nb;
    double *w;       /* per interval k (b[k], b[k+1]): width before the minimum, µs */
    uint8_t *kind;   /* 0 drawn to scale, TAXIS_IDLE, TAXIS_BUSY */
    uint32_t *cs, *ce; /* constraints (start, end boundary), sorted by end: polls, then rooms */
    double *cm;        /* per constraint: its least width, a share of the axis */
    uint8_t *room;     /* per constraint: 0 a poll's least width, 1 a room (a label), 2 one left out */
    size_t nc;
    double room_k;     /* the share of the rooms given (1: all; the smallest first when not) */
    double *pos;     /* per boundary: axis position */
} build;

static size_t bound_at(const build *B, int64_t t) {
    size_t lo = 0, hi = B->nb; /* the boundary equal to t (every t is one) */
    while (lo < hi) { size_t m = lo + (hi - lo) / 2; if (B->b[m] < t) lo = m + 1; else hi = m; }
    return lo < B->nb ? lo : B->nb - 1;
}

/* A boundary's tag, below its time in one sorted key: an activity starts there (+1 to the
 * coverage), ends there (-1), or neither (the run's ends, a room's, an empty activity). */
enum { TAG_START = 0, TAG_END = 1, TAG_NONE = 2, TAG_BITS = 2 };

static uint64_t tagged(int64_t t, int tag) { return (uint64_t)(t > 0 ? t : 0) << TAG_BITS | (uint64_t)tag; }

/* The sorted distinct boundaries, and for each the coverage change there (delta): one radix
 * sort of the tagged times (viz/rsort; times are below 2^62, so two tag bits fit), so no
 * boundary is looked up again by bisection (two per event, a million-event axis's most). */
static int boundaries(build *B, const tload_trace *t, int64_t t0, int64_t t1, const taxis_room *rooms, size_t nrooms,
                      int32_t **delta_out) {
    uint64_t *k = malloc((2 * t->n + 2 * nrooms + 2) * sizeof *k);
    if (!k) return -1;
    size_t n = 0;
    k[n++] = tagged(t0, TAG_NONE);
    k[n++] = tagged(t1, TAG_NONE);
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (!is_activity(e)) continue;
        int covers = e->dur > 0;
        k[n++] = tagged(e->ts, covers ? TAG_START : TAG_NONE);
        k[n++] = tagged(e->ts + e->dur, covers ? TAG_END : TAG_NONE);
    }
    for (size_t i = 0; i < nrooms; i++) { k[n++] = tagged(rooms[i].t0, TAG_NONE); k[n++] = tagged(rooms[i].t1, TAG_NONE); }
    rsort_u64(k, n);
    B->b = malloc(n * sizeof *B->b);
    int32_t *delta = calloc(n, sizeof *delta);
    if (!B->b || !delta) { free(k); free(delta); return -1; }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t b = (int64_t)(k[i] >> TAG_BITS);
        int tag = (int)(k[i] & ((1u << TAG_BITS) - 1));
        if (b < t0 || b > t1) continue;
        if (!m || b != B->b[m - 1]) B->b[m++] = b;
        delta[m - 1] += tag == TAG_START ? 1 : tag == TAG_END ? -1 : 0;
    }
    free(k);
    B->nb = m;
    *delta_out = delta;
    return 0;
}

/* Which intervals some activity covers: the coverage changes summed. */
static int coverage(build *B, int32_t *delta) {
    size_t ni = B->nb - 1;
    B->w = malloc((ni ? ni : 1) * sizeof *B->w);
    B->kind = calloc(ni ? ni : 1, 1);
    if (!B->w || !B->kind) return -1;
    int32_t depth = 0;
    for (size_t k = 0; k < ni; k++) {
        depth += delta[k];
        B->w[k] = (double)(B->b[k + 1] - B->b[k]) / 1000.0;
        B->kind[k] = depth > 0 ? TAXIS_BUSY : TAXIS_IDLE; /* a candidate; caps() decides */
    }
    return 0;
}

/* B: no busy interval longer than a sixth of all the busy time drawn, the long ones drawn
 * at that width. It solves B = share * sum(min(d, B)) by bisection (fewer than seven
 * intervals cannot have one above a sixth: no cap). */
static double busy_cap(const build *B) {
    const double share = 1.0 / 6;
    double hi = 0;
    size_t n = 0;
    for (size_t k = 0; k + 1 < B->nb; k++)
        if (B->kind[k] == TAXIS_BUSY) { n++; if (B->w[k] > hi) hi = B->w[k]; }
    if (n <= 6) return 1e300;
    double *w = malloc(n * sizeof *w); /* the busy widths in order, packed: the 60 sums below
                                        * read only them, added in the same order */
    if (w) {
        size_t j = 0;
        for (size_t k = 0; k + 1 < B->nb; k++)
            if (B->kind[k] == TAXIS_BUSY) w[j++] = B->w[k];
    }
    double lo = 0;
    for (int it = 0; it < 60; it++) {
        double mid = (lo + hi) / 2, sum = 0;
        if (w)
            for (size_t j = 0; j < n; j++) sum += w[j] < mid ? w[j] : mid;
        else
            for (size_t k = 0; k + 1 < B->nb; k++)
                if (B->kind[k] == TAXIS_BUSY) sum += B->w[k] < mid ? B->w[k] : mid;
        if (mid < share * sum) lo = mid; else hi = mid;
    }
    free(w);
    return hi;
}

/* The caps: long busy intervals to B, idle ones to g, a small share of the busy time (as
 * the slides draw a sleep: short, with a break), never more in all than the busy time. */
static void caps(build *B) {
    double cap = busy_cap(B), busy = 0;
    size_t ni = B->nb - 1;
    for (size_t k = 0; k < ni; k++) {
        if (B->kind[k] != TAXIS_BUSY) continue;
        if (B->w[k] > cap * 1.05) B->w[k] = cap; /* just above the cap: drawn to scale */
        else B->kind[k] = 0;
        busy += B->w[k];
    }
    double total = 0;
    for (size_t k = 0; k < ni; k++) total += (double)(B->b[k + 1] - B->b[k]) / 1000.0;
    if (busy <= 0) busy = total / 20.0 + 1e-3;
    double g = busy * 0.08;
    size_t ngap = 0;
    for (size_t k = 0; k < ni; k++) ngap += B->kind[k] == TAXIS_IDLE && B->w[k] > g;
    if (ngap && g * (double)ngap > busy) g = busy / (double)ngap;
    for (size_t k = 0; k < ni; k++) {
        if (B->kind[k] != TAXIS_IDLE) continue;
        if (B->w[k] > g) B->w[k] = g; else B->kind[k] = 0;
    }
}

typedef struct cons { uint32_t s, e; double m; int room; } cons;

static int cons_cmp(const void *a, const void *b) {
    const cons *x = a, *y = b;
    return (x->e > y->e) - (x->e < y->e);
}

/* The polls (each min_frac wide at least) and the rooms (labels that need more), as
 * (start boundary, end boundary, share) sorted by end. Past TAXIS_MAX_MIN polls none: no
 * width could give each a visible share (the window zooms instead). */
static int poll_constraints(build *B, const tload_trace *t, double min_frac, const taxis_room *rooms, size_t nrooms) {
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) n += t->ev[i].kind == TLOAD_POLL && t->ev[i].dur > 0;
    if (n > TAXIS_MAX_MIN) return 0;
    n += nrooms;
    cons *c = malloc((n ? n : 1) * sizeof *c);
    B->cs = malloc((n ? n : 1) * sizeof *B->cs);
    B->ce = malloc((n ? n : 1) * sizeof *B->ce);
    B->cm = malloc((n ? n : 1) * sizeof *B->cm);
    B->room = malloc(n ? n : 1);
    if (!c || !B->cs || !B->ce || !B->cm || !B->room) { free(c); return -1; }
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind != TLOAD_POLL || e->dur <= 0) continue;
        c[B->nc++] = (cons){(uint32_t)bound_at(B, e->ts), (uint32_t)bound_at(B, e->ts + e->dur), min_frac, 0};
    }
    for (size_t i = 0; i < nrooms; i++)
        if (rooms[i].t1 > rooms[i].t0 && rooms[i].share > 0)
            c[B->nc++] = (cons){(uint32_t)bound_at(B, rooms[i].t0), (uint32_t)bound_at(B, rooms[i].t1), rooms[i].share, 1};
    qsort(c, B->nc, sizeof *c, cons_cmp);
    for (size_t i = 0; i < B->nc; i++) {
        B->cs[i] = c[i].s; B->ce[i] = c[i].e; B->cm[i] = c[i].m; B->room[i] = (uint8_t)c[i].room;
    }
    free(c);
    return 0;
}

/* Positions with the widths times k and every constraint at least its share times m
 * wide: each end is pushed to its start + that where the widths alone leave it short.
 * Returns the total. */
static double place(build *B, double k, double m) {
    size_t c = 0;
    B->pos[0] = 0;
    for (size_t j = 1; j < B->nb; j++) {
        double p = B->pos[j - 1] + B->w[j - 1] * k;
        for (; c < B->nc && B->ce[c] == j; c++) {
            double need = B->room[c] == 2 ? 0 : B->cm[c] * m; /* 2: a room left out */
            if (B->pos[B->cs[c]] + need > p) p = B->pos[B->cs[c]] + need;
        }
        B->pos[j] = p;
    }
    return B->pos[B->nb - 1];
}

/* The scale k of the widths for which the axis, polls widened to m, is as long as the
 * widths alone (so units stay about µs). When the polls and rooms would take more than
 * 90 % of it, the largest rooms are left out until the rest fit (*rooms_got below 1),
 * and when the polls alone would, m shrinks: every poll then gets the same smaller share.
 * Returns the share each poll got at least (min_frac, or less when it could not). */
static const double *g_cm; /* the shares by_share compares (qsort has no context) */

static int by_share(const void *a, const void *b) {
    double x = g_cm[*(const size_t *)a], y = g_cm[*(const size_t *)b];
    return (x > y) - (x < y);
}

static double solve(build *B, double min_frac, double *rooms_got) {
    double total = 0;
    for (size_t j = 0; j + 1 < B->nb; j++) total += B->w[j];
    double m = total; /* each constraint's share times m: its width */
    B->room_k = 1;
    *rooms_got = 1;
    if (!B->nc || min_frac <= 0) { place(B, 1, 0); return 0; }
    if (place(B, 0, m) > total * 0.9) { /* too much asked: rooms are left out, largest first */
        size_t nr = 0;
        for (size_t c = 0; c < B->nc; c++) nr += B->room[c] != 0;
        size_t *by = malloc((nr ? nr : 1) * sizeof *by);
        if (by) {
            size_t k = 0;
            for (size_t c = 0; c < B->nc; c++) if (B->room[c]) by[k++] = c;
            g_cm = B->cm;
            qsort(by, nr, sizeof *by, by_share); /* a room given whole or not at all: half a
                                                   * name's width shows no name */
            size_t lo = 0, hi = nr; /* the most rooms, smallest first, that fit */
            while (lo < hi) {
                size_t mid = (lo + hi + 1) / 2;
                for (size_t r = 0; r < nr; r++) B->room[by[r]] = r < mid ? 1 : 2;
                if (place(B, 0, m) > total * 0.9) hi = mid - 1; else lo = mid;
            }
            for (size_t r = 0; r < nr; r++) B->room[by[r]] = r < lo ? 1 : 2;
            B->room_k = nr ? (double)lo / (double)nr : 1;
            free(by);
        } else for (size_t c = 0; c < B->nc; c++) if (B->room[c]) B->room[c] = 2;
        double bare = place(B, 0, m);
        if (bare > total * 0.9) m *= total * 0.9 / bare; /* the polls alone do not fit */
    }
    double lo = 0, hi = 1;
    for (int it = 0; it < 50; it++) {
        double mid = (lo + hi) / 2;
        if (place(B, mid, m) > total) hi = mid; else lo = mid;
    }
    double got = place(B, lo, m);
    *rooms_got = got > 0 ? B->room_k * m / got : 0; /* below 1: some rooms were left out */
    return got > 0 ? min_frac * m / got : 0;
}

static int push(taxis *a, size_t *cap, int64_t t0, int64_t t1, double u0, double u1, int comp) {
    if (t1 <= t0) return 0;
    if (a->n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        taxis_seg *p = realloc(a->seg, c * sizeof *p);
        if (!p) return -1;
        a->seg = p;
        *cap = c;
    }
    a->seg[a->n++] = (taxis_seg){t0, t1, u0, u1, comp};
    a->u_total = u1;
    return 0;
}

/* One segment per break, per widened stretch, and per run drawn at one scale between. */
static int segments(taxis *a, const build *B) {
    size_t cap = 0, j = 0;
    int rc = 0;
    while (j + 1 < B->nb && !rc) {
        size_t e = j + 1;
        double per = (B->pos[j + 1] - B->pos[j]) / (double)(B->b[j + 1] - B->b[j]);
        while (!B->kind[j] && e + 1 < B->nb && !B->kind[e]) { /* same ns -> u ratio: one segment */
            double q = (B->pos[e + 1] - B->pos[e]) / (double)(B->b[e + 1] - B->b[e]);
            if (q > per * (1 + 1e-9) || q < per * (1 - 1e-9)) break;
            e++;
        }
        rc = push(a, &cap, B->b[j], B->b[e], B->pos[j], B->pos[e], B->kind[j]);
        j = e;
    }
    return rc;
}

static int build_compressed(taxis *a, const tload_trace *t, int64_t t0, int64_t t1, double min_frac,
                            const taxis_room *rooms, size_t nrooms) {
    build B = {0};
    int32_t *delta = NULL;
    int rc = boundaries(&B, t, t0, t1, rooms, nrooms, &delta);
    if (!rc) rc = coverage(&B, delta);
    free(delta);
    if (!rc) { caps(&B); rc = poll_constraints(&B, t, min_frac, rooms, nrooms); }
    if (!rc && !(B.pos = malloc(B.nb * sizeof *B.pos))) rc = -1;
    if (!rc) { a->min_got = solve(&B, min_frac, &a->rooms_got); rc = segments(a, &B); }
    free(B.b); free(B.w); free(B.kind); free(B.cs); free(B.ce); free(B.cm); free(B.room); free(B.pos);
    return rc;
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
    return taxis_build_min(a, t, ix, compressed, TAXIS_MIN_FRAC);
}

int taxis_build_min(taxis *a, const tload_trace *t, const tindex *ix, int compressed, double min_frac) {
    return taxis_build_rooms(a, t, ix, compressed, min_frac, NULL, 0);
}

int taxis_build_rooms(taxis *a, const tload_trace *t, const tindex *ix, int compressed, double min_frac,
                      const taxis_room *rooms, size_t nrooms) {
    memset(a, 0, sizeof *a);
    a->compressed = compressed;
    a->min_frac = min_frac;
    size_t cap = 0;
    int64_t t0 = ix->t_min, t1 = ix->t_max > ix->t_min ? ix->t_max : ix->t_min + 1000;
    int rc = compressed ? build_compressed(a, t, t0, t1, min_frac, rooms, nrooms)
                        : push(a, &cap, t0, t1, 0, (double)(t1 - t0) / 1000.0, 0);
    if (!rc && !a->n) rc = push(a, &cap, t0, t1, 0, (double)(t1 - t0) / 1000.0, 0);
    return rc ? rc : index_breaks(a);
}

void taxis_free(taxis *a) {
    free(a->seg);
    free(a->brk);
    memset(a, 0, sizeof *a);
}

/* The last segment whose t0 <= t (t inside the axis). */
static size_t seg_of_t(const taxis *a, int64_t t) {
    size_t lo = 0, hi = a->n - 1;
    while (lo < hi) { size_t m = (lo + hi + 1) / 2; if (a->seg[m].t0 <= t) lo = m; else hi = m - 1; }
    return lo;
}

static double u_in(const taxis_seg *s, int64_t t) {
    if (t >= s->t1) return s->u1;
    return s->u0 + (s->u1 - s->u0) * (double)(t - s->t0) / (double)(s->t1 - s->t0);
}

double taxis_u(const taxis *a, int64_t t) {
    if (!a->n) return 0;
    if (t <= a->seg[0].t0) return 0;
    if (t >= a->seg[a->n - 1].t1) return a->u_total;
    return u_in(&a->seg[seg_of_t(a, t)], t);
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
    if (!a->n || t <= a->seg[0].t0 || t >= a->seg[a->n - 1].t1) return taxis_u(a, t);
    /* a sweep in time order moves forward a little: gallop from the hint (a view with
     * one event per pixel column jumps hundreds of segments, a full bisection misses cache);
     * a step back bisects and leaves the hint there, so the sweep goes on from it */
    h = h >= a->n || t < a->seg[h].t0 ? seg_of_t(a, t) : gallop_t(a, h, t);
    *hint = h;
    return u_in(&a->seg[h], t);
}

/* ---- one axis for two runs --------------------------------------------------------- */

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Every segment bound of both axes, sorted, without repeats; returns their count. */
static size_t merged_bounds(const taxis *a, const taxis *b, int64_t **out) {
    size_t n = 0, cap = 2 * (a->n + b->n) + 2;
    int64_t *t = malloc(cap * sizeof *t);
    if (!t) return 0;
    const taxis *ax[2] = {a, b};
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < ax[r]->n; i++) { t[n++] = ax[r]->seg[i].t0; t[n++] = ax[r]->seg[i].t1; }
    qsort(t, n, sizeof *t, cmp_i64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || t[i] != t[m - 1]) t[m++] = t[i];
    *out = t;
    return m;
}

/* How ax draws [t0, t1]: 0 to scale, or TAXIS_IDLE / TAXIS_BUSY short. Outside its run
 * it is idle (a run that ended earlier has nothing there to show). */
static int kind_in(const taxis *ax, int64_t t0, int64_t t1) {
    if (!ax->n || t1 <= ax->seg[0].t0 || t0 >= ax->seg[ax->n - 1].t1) return TAXIS_IDLE;
    return ax->seg[taxis_seg_at(ax, taxis_u(ax, t0 + (t1 - t0) / 2))].compressed;
}

/* Short in both: a break, busy when one of them drew a long busy stretch there. */
static int both_short(const taxis *a, const taxis *b, int64_t t0, int64_t t1) {
    int ka = kind_in(a, t0, t1), kb = kind_in(b, t0, t1);
    if (!ka || !kb) return 0;
    return ka == TAXIS_BUSY || kb == TAXIS_BUSY ? TAXIS_BUSY : TAXIS_IDLE;
}

static double width_in(const taxis *ax, int64_t t0, int64_t t1) { return taxis_u(ax, t1) - taxis_u(ax, t0); }

int taxis_merge(taxis *out, const taxis *a, const taxis *b) {
    memset(out, 0, sizeof *out);
    out->compressed = a->compressed || b->compressed;
    out->min_frac = a->min_frac > b->min_frac ? a->min_frac : b->min_frac;
    int64_t *t = NULL;
    size_t n = merged_bounds(a, b, &t), cap = 0;
    int rc = t ? 0 : -1;
    for (size_t i = 0; !rc && i + 1 < n;) {
        /* stretches short in both, of one kind, are one break, as wide as the wider of
         * the two axes drew them */
        size_t j = i + 1;
        int kind = out->compressed ? both_short(a, b, t[i], t[j]) : 0;
        while (kind && j + 1 < n && both_short(a, b, t[j], t[j + 1]) == kind) j++;
        double wa = width_in(a, t[i], t[j]), wb = width_in(b, t[i], t[j]);
        rc = push(out, &cap, t[i], t[j], out->u_total, out->u_total + (wa > wb ? wa : wb), kind);
        i = j;
    }
    free(t);
    if (!rc && !out->n) rc = push(out, &cap, 0, 1000, 0, 1, 0);
    return rc ? rc : index_breaks(out);
}
