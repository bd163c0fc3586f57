/* taxis: the one time axis both views share.
 *
 * Time (ns) maps to an axis unit u, then the view maps a range of u to pixels. In the
 * proportional mode u is time in µs. In the compressed mode (the default for slides)
 * every idle stretch — no poll, system call or wake — that is longer than a fixed gap
 * is drawn as that fixed gap with a break mark; the slides say that at true scale the
 * diagram is almost all dark brown. Zoom and pan work on u, so they behave the same in
 * both modes.
 *
 * Ownership: taxis_build() allocates the segments; taxis_free() releases them. */
#ifndef PINATA_TAXIS_H
#define PINATA_TAXIS_H
#include "viz/tindex.h"
#include "viz/tload.h"

typedef struct taxis_seg {
    int64_t t0, t1;   /* time span, ns */
    double u0, u1;    /* axis span */
    int compressed;   /* nonzero: an idle stretch drawn at a fixed width */
} taxis_seg;

typedef struct taxis {
    taxis_seg *seg;
    size_t n;
    double u_total;   /* the axis runs from 0 to u_total */
    size_t *brk;      /* the compressed segments' indices, ascending (breaks and ticks go there) */
    size_t n_brk;
    int compressed;
} taxis;

/* Builds the axis for [ix->t_min, ix->t_max]. compressed: 0 proportional, 1 compressed. */
int taxis_build(taxis *a, const tload_trace *t, const tindex *ix, int compressed);
void taxis_free(taxis *a);

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
