/* taxis: the one time axis both views share.
 *
 * Time (ns) maps to an axis unit u, then the view maps a range of u to pixels. In the
 * proportional mode u is time in µs. The compressed mode (the default for slides) draws
 * as the book's figures do, not to scale but every step visible: every idle stretch — no
 * poll, system call or wake — longer than a fixed gap is drawn as that gap, and every
 * busy stretch longer than a sixth of the busy time (a long compute) at that width, each
 * with a break mark and its true length; then every poll is widened to at least min_frac
 * of the whole axis (6 px of a 1600 px page), so a 1 µs poll beside a 50 ms compute can
 * be seen and clicked. Zoom and pan work on u, so they behave the same in both modes.
 *
 * Ownership: taxis_build() allocates the segments; taxis_free() releases them. */
#ifndef PINATA_TAXIS_H
#define PINATA_TAXIS_H
#include "viz/tindex.h"
#include "trace/tload.h"

typedef struct taxis_seg {
    int64_t t0, t1;   /* time span, ns */
    double u0, u1;    /* axis span */
    int compressed;   /* TAXIS_IDLE / TAXIS_BUSY: a stretch drawn short (a break); 0: to scale */
} taxis_seg;

typedef struct taxis {
    taxis_seg *seg;
    size_t n;
    double u_total;   /* the axis runs from 0 to u_total */
    size_t *brk;      /* the compressed segments' indices, ascending (breaks and ticks go there) */
    size_t n_brk;
    int compressed;
    double min_frac;  /* each poll's least share of the axis asked for (compressed mode) */
    double min_got;   /* the share each poll got: below min_frac when too many polls */
    double rooms_got; /* the part of each room given: below 1 when not all fit */
} taxis;

enum { TAXIS_IDLE = 1, TAXIS_BUSY = 2,
       TAXIS_MAX_MIN = 20000 /* more polls than this: no least width (none could show) */ };
/* The least share of a poll for the default page: 6 px of the 1368 px plot at 1600 px. */
#define TAXIS_MIN_FRAC (6.0 / 1368.0)

/* Builds the axis for [ix->t_min, ix->t_max]. compressed: 0 proportional, 1 compressed. */
int taxis_build(taxis *a, const tload_trace *t, const tindex *ix, int compressed);
/* The same with each poll's least share of the axis (layout_min_frac() for a view). */
int taxis_build_min(taxis *a, const tload_trace *t, const tindex *ix, int compressed, double min_frac);

/* Room for a label: the stretch from t0 to t1 at least share of the axis wide. */
typedef struct taxis_room { int64_t t0, t1; double share; } taxis_room;

/* The same, and each room at least its share (layout_rooms(): bars' and polls' names). When
 * not all fit, every share shrinks alike (min_got says how far). */
int taxis_build_rooms(taxis *a, const tload_trace *t, const tindex *ix, int compressed, double min_frac,
                      const taxis_room *rooms, size_t nrooms);
void taxis_free(taxis *a);

/* One axis for two runs (compare): the same time maps to the same u in both. Each stretch
 * between the two axes' segment bounds gets the larger of its two widths, so what either
 * axis showed keeps at least its room; a stretch idle (compressed) in both stays one
 * compressed segment. out is built new; a and b are left as they are. */
int taxis_merge(taxis *out, const taxis *a, const taxis *b);

double taxis_u(const taxis *a, int64_t t);   /* time -> axis unit (clamped) */
/* The same, starting the search at segment *hint and leaving the segment found there:
 * O(1) for a sweep in time order (the layout's loops over a million events). */
double taxis_u_hint(const taxis *a, int64_t t, size_t *hint);
int64_t taxis_t(const taxis *a, double u);   /* axis unit -> time (clamped) */
/* The same, galloping from segment *hint (a sweep left to right). */
int64_t taxis_t_hint(const taxis *a, double u, size_t *hint);
/* The last segment whose u0 <= u (0 if none): a view's first segment, by bisection. */
size_t taxis_seg_at(const taxis *a, double u);

#endif
