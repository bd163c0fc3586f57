/* tindex: derived tables of a trace. See tindex.h. */
#include "viz/tindex.h"

#include "viz/rsort.h"

#include <stdlib.h>
#include <string.h>

/* ---- steps ------------------------------------------------------------------------ */

typedef struct step_key {
    int64_t time;
    int64_t second; /* tie-break inside a class */
    uint32_t code;
    int32_t cls;    /* 0: end of a slice with duration, 1: instant, 2: start of a slice,
                       3: end of an empty slice */
} step_key;

static int two_steps(const tload_event *e) {
    return e->kind == TLOAD_POLL || e->kind == TLOAD_EXECUTOR;
}

int64_t tindex_step_time(const tload_trace *t, uint32_t code) {
    const tload_event *e = &t->ev[tindex_step_event(code)];
    return tindex_step_is_end(code) ? e->ts + e->dur : e->ts;
}

/* Time order; at one instant, what returns comes first (a child's end is written before
 * its parent's, so file order orders the ends), then instants (main creates future A, then
 * calls block_on; the network delivers, then the waker runs), then what starts, a parent
 * before its child (the longer slice first). */
static int step_cmp(const void *a, const void *b) {
    const step_key *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    if (x->cls != y->cls) return x->cls - y->cls;
    if (x->second != y->second) return x->second < y->second ? -1 : 1;
    return x->code < y->code ? -1 : x->code > y->code;
}

/* The steps by step_cmp with qsort: the general way, for times too large to pack (below). */
static int sort_steps_qsort(const tload_trace *t, uint32_t *steps, size_t n) {
    step_key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) return -1;
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        int instant = e->ph != 'X';
        k[j++] = (step_key){e->ts, instant ? (int64_t)i : -e->dur, (uint32_t)(i * 2), instant ? 1 : 2};
        if (two_steps(e))
            k[j++] = (step_key){e->ts + e->dur, (int64_t)i, (uint32_t)(i * 2 + 1), e->dur > 0 ? 0 : 3};
    }
    qsort(k, n, sizeof *k, step_cmp);
    for (size_t s = 0; s < n; s++) steps[s] = k[s].code;
    free(k);
    return 0;
}

/* The class of a step (step_cmp): 0 end of a slice with duration, 1 instant, 2 start of a
 * slice, 3 end of an empty slice. */
static int step_class(const tload_event *e, int end) {
    return end ? (e->dur > 0 ? 0 : 3) : e->ph != 'X' ? 1 : 2;
}

/* The same order by two stable radix sorts (viz/rsort): first every step is ranked by
 * (class, second, code) — classes 0, 1 and 3 are already in event order, the starts of
 * slices are sorted longest first — then the steps are sorted by (time, that rank), packed
 * into one 64-bit key. Returns 1 when the times or durations are too large to pack. */
static int sort_steps_radix(const tload_trace *t, uint32_t *steps, size_t n) {
    int64_t tmax = 0, dmax = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->ts + e->dur > tmax) tmax = e->ts + e->dur;
        if (e->dur > dmax) dmax = e->dur;
    }
    int rb = rsort_bits(n), ib = rsort_bits(t->n);
    if (rsort_bits((uint64_t)tmax) + rb > 64 || rsort_bits((uint64_t)dmax) + ib > 64) return 1;
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank); /* rank -> step code */
    uint64_t *key = malloc((n ? n : 1) * sizeof *key);
    if (!rank || !key) { free(rank); free(key); return -1; }
    size_t cnt[4] = {0};
    for (size_t i = 0; i < t->n; i++) {
        cnt[step_class(&t->ev[i], 0)]++;
        if (two_steps(&t->ev[i])) cnt[step_class(&t->ev[i], 1)]++;
    }
    size_t at[4] = {0, cnt[0], cnt[0] + cnt[1], cnt[0] + cnt[1] + cnt[2]}, starts = at[2];
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        int c = step_class(e, 0);
        if (c == 2) key[at[2]++] = (uint64_t)(dmax - e->dur) << ib | i; /* longest first, then i */
        else rank[at[c]++] = (uint32_t)(i * 2);
        if (two_steps(e)) { c = step_class(e, 1); rank[at[c]++] = (uint32_t)(i * 2 + 1); }
    }
    rsort_u64(key + starts, cnt[2]);
    for (size_t r = starts; r < starts + cnt[2]; r++)
        rank[r] = (uint32_t)((key[r] & ((UINT64_C(1) << ib) - 1)) * 2);
    for (size_t r = 0; r < n; r++) key[r] = (uint64_t)tindex_step_time(t, rank[r]) << rb | r;
    rsort_u64(key, n);
    for (size_t s = 0; s < n; s++) steps[s] = rank[key[s] & ((UINT64_C(1) << rb) - 1)];
    free(rank);
    free(key);
    return 0;
}

/* The entry of ends for event i (n_ends when it has one step): a bisection, as the events
 * of two steps are a tenth of a large trace (a rank_end per event was 4 bytes each). */
static size_t end_of(const tindex *ix, uint32_t i) {
    size_t lo = 0, hi = ix->n_ends;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (ix->ends[m].ev < i) lo = m + 1; else hi = m;
    }
    return lo < ix->n_ends && ix->ends[lo].ev == i ? lo : ix->n_ends;
}

int32_t tindex_rank_end(const tindex *ix, uint32_t i) {
    size_t k = end_of(ix, i);
    return k < ix->n_ends ? ix->ends[k].v : ix->rank_start[i];
}

static int build_steps(const tload_trace *t, tindex *ix) {
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) n += two_steps(&t->ev[i]) ? 2 : 1;
    ix->steps = malloc((n ? n : 1) * sizeof *ix->steps);
    ix->rank_start = malloc((t->n ? t->n : 1) * sizeof *ix->rank_start);
    ix->ends = malloc((n - t->n ? n - t->n : 1) * sizeof *ix->ends);
    if (!ix->steps || !ix->rank_start || !ix->ends) return -1;
    int r = sort_steps_radix(t, ix->steps, n);
    if (r > 0) r = sort_steps_qsort(t, ix->steps, n);
    if (r < 0) return -1;
    for (size_t i = 0; i < t->n; i++)
        if (two_steps(&t->ev[i])) ix->ends[ix->n_ends++] = (tload_sparse){(uint32_t)i, -1};
    for (size_t s = 0; s < n; s++) {
        uint32_t code = ix->steps[s], ev = tindex_step_event(code);
        if (tindex_step_is_end(code)) ix->ends[end_of(ix, ev)].v = (int32_t)s;
        else ix->rank_start[ev] = (int32_t)s;
    }
    ix->n_steps = n;
    ix->starts = malloc((t->n ? t->n : 1) * sizeof *ix->starts);
    if (!ix->starts) return -1;
    size_t m = 0;
    for (size_t s = 0; s < n; s++)
        if (!tindex_step_is_end(ix->steps[s])) ix->starts[m++] = tindex_step_event(ix->steps[s]);
    size_t ne = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].kind == TLOAD_EXECUTOR) ne++;
        else if (t->ev[i].dur > ix->max_dur) ix->max_dur = t->ev[i].dur;
    }
    ix->execs = malloc((ne ? ne : 1) * sizeof *ix->execs);
    if (!ix->execs) return -1;
    for (size_t i = 0; i < t->n; i++)
        if (t->ev[i].kind == TLOAD_EXECUTOR) ix->execs[ix->n_execs++] = (uint32_t)i;
    return 0;
}

size_t tindex_first_start(const tload_trace *t, const tindex *ix, int64_t ts) {
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (t->ev[ix->starts[m]].ts < ts) lo = m + 1; else hi = m;
    }
    return lo;
}

long tindex_first_step(const tload_trace *t, const tindex *ix, int64_t ts) {
    size_t lo = 0, hi = ix->n_steps;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (tindex_step_time(t, ix->steps[m]) < ts) lo = m + 1; else hi = m;
    }
    return (long)lo;
}

/* ---- lanes and depth -------------------------------------------------------------- */

static int pair_cmp(const void *a, const void *b) { /* (key, value) pairs, by key then value */
    const int32_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

int32_t tindex_lane_of_tid(const tindex *ix, int32_t tid) {
    size_t lo = 0, hi = ix->n_lanes;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (ix->lane_map[2 * m] < tid) lo = m + 1; else hi = m;
    }
    return lo < ix->n_lanes && ix->lane_map[2 * lo] == tid ? ix->lane_map[2 * lo + 1] : -1;
}

/* The thread_sort_index of each tid (the OS lane last); threads sorted by tid for lookup. */
static int32_t sort_key(const int32_t *by_tid, size_t n, int32_t tid) {
    if (tid == TRACE_TID_OS) return INT32_MAX; /* the OS lane goes last */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (by_tid[2 * m] < tid) lo = m + 1; else hi = m;
    }
    return lo < n && by_tid[2 * lo] == tid ? by_tid[2 * lo + 1] : tid;
}

/* The distinct tids of the events, ascending, into tids; returns their count (SIZE_MAX:
 * out of memory). A run in file order stays on few threads: a tid like the one before is
 * not sorted again. */
static size_t sort_tids(const tload_trace *t, int32_t *tids) {
    uint64_t *k = malloc((t->n ? t->n : 1) * sizeof *k);
    if (!k) return SIZE_MAX;
    size_t m = 0;
    for (size_t i = 0; i < t->n; i++) /* int32 order as unsigned */
        if (i < 2 || (t->ev[i].tid != t->ev[i - 1].tid && t->ev[i].tid != t->ev[i - 2].tid))
            k[m++] = (uint32_t)t->ev[i].tid ^ UINT32_C(0x80000000);
    rsort_u64(k, m);
    size_t n = 0;
    for (size_t i = 0; i < m; i++)
        if (i == 0 || k[i] != k[i - 1]) tids[n++] = (int32_t)(uint32_t)(k[i] ^ UINT32_C(0x80000000));
    free(k);
    return n;
}

/* One lane per distinct tid, ordered by thread_sort_index then tid: sorts, no scans, so
 * 10,000 threads (thread per connection) index as fast as two. */
static int build_lanes(const tload_trace *t, tindex *ix) {
    int32_t *tids = malloc((t->n ? t->n : 1) * sizeof *tids);
    int32_t *th = malloc((t->nthreads ? t->nthreads : 1) * 2 * sizeof *th);
    if (!tids || !th) { free(tids); free(th); return -1; }
    size_t n = sort_tids(t, tids);
    if (n == SIZE_MAX) { free(tids); free(th); return -1; }
    for (size_t i = 0; i < t->nthreads; i++) { th[2 * i] = t->threads[i].tid; th[2 * i + 1] = t->threads[i].sort; }
    qsort(th, t->nthreads, 2 * sizeof *th, pair_cmp);
    int32_t *order = malloc((n ? n : 1) * 2 * sizeof *order); /* (sort key, tid) */
    ix->lanes = calloc(n ? n : 1, sizeof *ix->lanes);
    ix->lane_map = malloc((n ? n : 1) * 2 * sizeof *ix->lane_map);
    if (!order || !ix->lanes || !ix->lane_map) { free(tids); free(th); free(order); return -1; }
    for (size_t i = 0; i < n; i++) { order[2 * i] = sort_key(th, t->nthreads, tids[i]); order[2 * i + 1] = tids[i]; }
    qsort(order, n, 2 * sizeof *order, pair_cmp);
    for (size_t l = 0; l < n; l++) {
        ix->lanes[l] = (tindex_lane){.tid = order[2 * l + 1], .rows = 1};
        ix->lane_map[2 * l] = order[2 * l + 1];
        ix->lane_map[2 * l + 1] = (int32_t)l;
    }
    ix->n_lanes = n;
    qsort(ix->lane_map, n, 2 * sizeof *ix->lane_map, pair_cmp);
    free(tids);
    free(th);
    free(order);
    return 0;
}

enum { MAX_DEPTH = 64 };

/* Sweeps the starts in time order with one stack of end times per lane. */
static int build_depth(const tload_trace *t, tindex *ix) {
    ix->depth = calloc(t->n ? t->n : 1, 1);
    ix->lane = calloc(t->n ? t->n : 1, sizeof *ix->lane);
    int64_t (*stack)[MAX_DEPTH] = calloc(ix->n_lanes ? ix->n_lanes : 1, sizeof *stack);
    int *sp = calloc(ix->n_lanes ? ix->n_lanes : 1, sizeof *sp);
    if (!ix->depth || !ix->lane || !stack || !sp) { free(stack); free(sp); return -1; }
    for (size_t s = 0; s < ix->n_steps; s++) {
        if (tindex_step_is_end(ix->steps[s])) continue;
        uint32_t i = tindex_step_event(ix->steps[s]);
        const tload_event *e = &t->ev[i];
        int l = tindex_lane_of_tid(ix, e->tid);
        ix->lane[i] = (uint32_t)l;
        while (sp[l] > 0 && stack[l][sp[l] - 1] <= e->ts) sp[l]--; /* slices that ended */
        ix->depth[i] = (uint8_t)sp[l];
        if (e->ph == 'X' && sp[l] < MAX_DEPTH) stack[l][sp[l]++] = e->ts + e->dur;
        if (e->kind == TLOAD_POLL) {
            if (e->flags & TLOAD_F_SYNC) ix->lanes[l].calls++;
            else ix->lanes[l].polls++;
        }
        if (e->kind == TLOAD_LOCAL) ix->lanes[l].locals++;
        int rows = ix->depth[i] + 1;
        if (e->ph == 'X' && rows > ix->lanes[l].rows) ix->lanes[l].rows = rows;
    }
    free(stack);
    free(sp);
    return 0;
}

/* ---- futures and tasks ------------------------------------------------------------ */

typedef struct id_ev { int32_t id; int32_t ev; } id_ev;

static int id_ev_cmp(const void *a, const void *b) {
    const id_ev *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->ev - y->ev;
}

/* Sorts by id, then ev (viz/rsort; ev >= 0). */
static void sort_id_ev(id_ev *p, size_t n) {
    uint64_t *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) { qsort(p, n, sizeof *p, id_ev_cmp); return; }
    for (size_t i = 0; i < n; i++) k[i] = (uint64_t)((uint32_t)p[i].id ^ UINT32_C(0x80000000)) << 32 | (uint32_t)p[i].ev;
    rsort_u64(k, n);
    for (size_t i = 0; i < n; i++)
        p[i] = (id_ev){(int32_t)(uint32_t)((k[i] >> 32) ^ UINT32_C(0x80000000)), (int32_t)(uint32_t)k[i]};
    free(k);
}

/* Ids are numbered from 1 as they are made, so the item with id is usually at index
 * id - first: tried first (the layout looks one up per event drawn), else bisection. */
#define BY_ID(arr, n, id)                                                                 \
    do {                                                                                  \
        if (!(n)) return NULL;                                                            \
        size_t k_ = (size_t)((int64_t)(id) - (arr)[0].id);                                \
        if (k_ < (n) && (arr)[k_].id == (id)) return &(arr)[k_];                          \
        size_t lo_ = 0, hi_ = (n);                                                        \
        while (lo_ < hi_) {                                                               \
            size_t m_ = lo_ + (hi_ - lo_) / 2;                                            \
            if ((arr)[m_].id < (id)) lo_ = m_ + 1; else hi_ = m_;                         \
        }                                                                                 \
        return lo_ < (n) && (arr)[lo_].id == (id) ? &(arr)[lo_] : NULL;                   \
    } while (0)

const tindex_future *tindex_future_get(const tindex *ix, int32_t id) { BY_ID(ix->futures, ix->n_futures, id); }

static void future_take(const tload_trace *t, tindex_future *f, int32_t i) {
    const tload_event *e = &t->ev[i];
    if (f->first_ev < 0) {
        f->first_ev = i;
        f->task = e->task;
        f->parent = e->parent;
        f->t0 = f->t_await = e->ts;
    }
    /* a spawned task's root future is created by another task's poll: the task that polls
     * a future owns it */
    if (f->task < 0 || (e->kind == TLOAD_POLL && e->task >= 0)) f->task = e->task;
    if (e->kind == TLOAD_CREATE && tload_create_name(e)) f->name = tload_create_name(e);
    if (!f->detail) f->detail = e->kind == TLOAD_CREATE ? tload_create_detail(e) : tload_poll_detail(e);
    if (e->kind == TLOAD_POLL) {
        if (!f->name) f->name = e->name;
        if (!f->npolls++) f->t_await = e->ts; /* file order: the first poll returns first */
        if (e->result == TLOAD_RES_READY && f->ready_ev < 0) {
            f->ready_ev = i;
            f->t1 = e->ts + e->dur;
        }
    }
}

static int build_futures(const tload_trace *t, tindex *ix) {
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += (t->ev[i].kind == TLOAD_POLL || t->ev[i].kind == TLOAD_CREATE) && t->ev[i].future >= 0;
    id_ev *p = malloc((n ? n : 1) * sizeof *p);
    ix->futures = calloc(n ? n : 1, sizeof *ix->futures);
    if (!p || !ix->futures) { free(p); return -1; }
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++)
        if ((t->ev[i].kind == TLOAD_POLL || t->ev[i].kind == TLOAD_CREATE) && t->ev[i].future >= 0)
            p[j++] = (id_ev){t->ev[i].future, (int32_t)i};
    sort_id_ev(p, n);
    for (size_t a = 0; a < n; a++) {
        if (a == 0 || p[a].id != p[a - 1].id) {
            tindex_future *f = &ix->futures[ix->n_futures++];
            *f = (tindex_future){.id = p[a].id, .ready_ev = -1, .first_ev = -1, .call_ev = -1, .t1 = ix->t_max};
        }
        /* creates come before polls of the same future in file order (ev ascending) */
        future_take(t, &ix->futures[ix->n_futures - 1], p[a].ev);
    }
    free(p);
    return 0;
}

/* Depth inside the task (a parent in another task does not count). */
static void future_depths(tindex *ix) {
    for (size_t i = 0; i < ix->n_futures; i++) {
        tindex_future *f = &ix->futures[i];
        int d = 0;
        const tindex_future *up = f;
        while (up && up->parent >= 0 && d < MAX_DEPTH) {
            const tindex_future *pf = tindex_future_get(ix, up->parent);
            if (!pf || pf->task != f->task) break;
            d++;
            up = pf;
        }
        f->depth = f->row = d;
    }
}

/* Rows of the Simplified View: futures of one task and depth that overlap in time (a
 * join, several JoinHandles) get sub-rows, and every deeper level starts below them. */
static int by_task_depth_t0(const void *a, const void *b) {
    const tindex_future *x = *(tindex_future *const *)a, *y = *(tindex_future *const *)b;
    if (x->task != y->task) return x->task < y->task ? -1 : 1;
    if (x->depth != y->depth) return x->depth - y->depth;
    if (x->t0 != y->t0) return x->t0 < y->t0 ? -1 : 1;
    return x->id - y->id;
}

enum { MAX_SUBROWS = 12 }; /* a fan-out of 10 JoinHandles gets a row each */

static int pack_rows(tindex *ix) {
    tindex_future **p = malloc((ix->n_futures ? ix->n_futures : 1) * sizeof *p);
    if (!p) return -1;
    for (size_t i = 0; i < ix->n_futures; i++) p[i] = &ix->futures[i];
    qsort(p, ix->n_futures, sizeof *p, by_task_depth_t0);
    int64_t ends[MAX_SUBROWS];
    int used = 0, base = 0;
    for (size_t i = 0; i < ix->n_futures; i++) {
        int new_task = i == 0 || p[i]->task != p[i - 1]->task;
        if (new_task || p[i]->depth != p[i - 1]->depth) { base = new_task ? 0 : base + used; used = 0; }
        int r = 0;
        while (r < used && ends[r] > p[i]->t0) r++;
        if (r == MAX_SUBROWS) r = MAX_SUBROWS - 1; /* beyond that, bars overlap */
        if (r == used) used++;
        ends[r] = p[i]->t1;
        p[i]->row = base + r;
    }
    free(p);
    return 0;
}

const tindex_task *tindex_task_get(const tindex *ix, int32_t id) { BY_ID(ix->tasks, ix->n_tasks, id); }

/* by_task: futures grouped by task (sorted by task, then id), so a task's bars are found
 * without scanning every future. */
static int group_by_task(tindex *ix) {
    size_t n = ix->n_futures;
    id_ev *p = malloc((n ? n : 1) * sizeof *p);
    ix->by_task = malloc((n ? n : 1) * sizeof *ix->by_task);
    if (!p || !ix->by_task) { free(p); return -1; }
    for (size_t i = 0; i < n; i++) p[i] = (id_ev){ix->futures[i].task, (int32_t)i};
    sort_id_ev(p, n);
    for (size_t i = 0; i < n; i++) {
        ix->by_task[i] = (uint32_t)p[i].ev;
        if (i > 0 && p[i].id == p[i - 1].id) continue;
        tindex_task *k = (tindex_task *)tindex_task_get(ix, p[i].id);
        if (!k) continue;
        size_t j = i;
        while (j < n && p[j].id == p[i].id) j++;
        k->fut_first = (uint32_t)i;
        k->fut_count = (uint32_t)(j - i);
    }
    free(p);
    return 0;
}

/* Tasks: every id seen in spawn / finish events and in futures, sorted and made unique
 * (100,000 tasks index by sorting, not by inserting one by one). */
static int collect_task_ids(const tload_trace *t, const tindex *ix, int32_t **out, size_t *n_out) {
    size_t n = ix->n_futures;
    for (size_t i = 0; i < t->n; i++) n += t->ev[i].kind == TLOAD_SPAWN || t->ev[i].kind == TLOAD_FINISH;
    int32_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) return -1;
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->ev[i].kind == TLOAD_SPAWN || t->ev[i].kind == TLOAD_FINISH) ids[j++] = t->ev[i].task;
    for (size_t i = 0; i < ix->n_futures; i++) ids[j++] = ix->futures[i].task;
    uint64_t *k = malloc((j ? j : 1) * sizeof *k);
    if (!k) { free(ids); return -1; }
    for (size_t i = 0; i < j; i++) k[i] = (uint32_t)ids[i] ^ UINT32_C(0x80000000); /* int32 order */
    rsort_u64(k, j);
    size_t m = 0;
    for (size_t i = 0; i < j; i++)
        if (m == 0 || k[i] != k[i - 1]) ids[m++] = (int32_t)(uint32_t)(k[i] ^ UINT32_C(0x80000000));
    free(k);
    *out = ids;
    *n_out = m;
    return 0;
}

static int build_tasks(const tload_trace *t, tindex *ix) {
    int32_t *ids;
    size_t n;
    if (collect_task_ids(t, ix, &ids, &n)) return -1;
    ix->tasks = calloc(n ? n : 1, sizeof *ix->tasks);
    if (!ix->tasks) { free(ids); return -1; }
    for (size_t i = 0; i < n; i++)
        ix->tasks[i] = (tindex_task){.id = ids[i], .root_future = -1, .rows = 1, .t0 = -1, .t1 = ix->t_max,
                                     .color = (int32_t)i};
    ix->n_tasks = n;
    free(ids);
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind != TLOAD_SPAWN && e->kind != TLOAD_FINISH) continue;
        tindex_task *k = (tindex_task *)tindex_task_get(ix, e->task);
        if (e->kind == TLOAD_SPAWN) {
            k->t0 = e->ts; k->name = tload_spawn_name(e); k->how = tload_spawn_how(e); k->detail = tload_spawn_detail(e);
            k->root_future = e->future;
        } else {
            k->t1 = e->ts;
            k->err = strcmp(tload_str(t, tload_finish_err(e)), "0") ? tload_finish_err(e) : 0;
        }
    }
    for (size_t i = 0; i < ix->n_futures; i++) { /* tasks only seen through polls */
        tindex_future *f = &ix->futures[i];
        tindex_task *k = (tindex_task *)tindex_task_get(ix, f->task);
        if (k->t0 < 0 || f->t0 < k->t0) k->t0 = f->t0;
        if (f->row + 1 > k->rows) k->rows = f->row + 1;
        if (!k->name && f->depth == 0) k->name = f->name;
    }
    return group_by_task(ix);
}

/* Letters as the lecture names things: with one task its futures are A, B, C, D (S2);
 * with several, the spawned tasks are A, B, C (S3). */
static void assign_letters(const tload_trace *t, tindex *ix) {
    char next = 'A';
    if (ix->n_tasks > 1) {
        for (size_t s = 0; s < ix->n_steps && next <= 'Z'; s++) {
            const tload_event *e = &t->ev[tindex_step_event(ix->steps[s])];
            if (e->kind != TLOAD_SPAWN || tindex_step_is_end(ix->steps[s])) continue;
            tindex_task *k = (tindex_task *)tindex_task_get(ix, e->task);
            if (k && !k->letter && strcmp(tload_str(t, k->how), "block_on")) k->letter = next++;
        }
        return;
    }
    for (size_t s = 0; s < ix->n_steps && next <= 'Z'; s++) {
        const tload_event *e = &t->ev[tindex_step_event(ix->steps[s])];
        if (e->future < 0 || (e->kind != TLOAD_POLL && e->kind != TLOAD_CREATE)) continue;
        tindex_future *f = (tindex_future *)tindex_future_get(ix, e->future);
        if (f && !f->letter) f->letter = next++;
    }
}

/* A task's root polls in start order: where one runs on another thread than the one
 * before it, the task moved (a pool's workers take whichever task is ready). */
static int build_moves(const tload_trace *t, tindex *ix) {
    int32_t *last = malloc((ix->n_tasks ? ix->n_tasks : 1) * sizeof *last);
    size_t cap = 0;
    if (!last) return -1;
    for (size_t k = 0; k < ix->n_tasks; k++) last[k] = -1;
    for (size_t s = 0; s < t->n; s++) {
        int32_t i = (int32_t)ix->starts[s];
        const tload_event *e = &t->ev[i];
        const tindex_task *k = e->kind == TLOAD_POLL && e->parent < 0 && !(e->flags & TLOAD_F_SYNC)
                                   ? tindex_task_get(ix, e->task) : NULL;
        if (!k) continue;
        int32_t *prev = &last[k - ix->tasks];
        if (*prev >= 0 && *prev != e->tid) {
            if (ix->n_moves == cap) {
                struct tindex_move *p = realloc(ix->moves, (cap = cap ? 2 * cap : 16) * sizeof *p);
                if (!p) { free(last); return -1; }
                ix->moves = p;
            }
            ix->moves[ix->n_moves++] = (struct tindex_move){i, *prev};
            ix->lanes[ix->lane[i]].moves++;
        }
        *prev = e->tid;
    }
    free(last);
    return 0;
}

/* Call-time work (S5: a fn that does work, then returns an async block) belongs to the
 * future its call creates: the first one created on that thread while the work runs, or
 * as it ends. */
static void link_call_time(const tload_trace *t, tindex *ix) {
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *c = &t->ev[i];
        if (c->kind != TLOAD_COMPUTE || strncmp(tload_str(t, tload_compute_why(c)), "call time", 9)) continue;
        for (size_t s = tindex_first_start(t, ix, c->ts); s < t->n; s++) {
            const tload_event *e = &t->ev[ix->starts[s]];
            if (e->ts > c->ts + c->dur) break;
            if (e->kind != TLOAD_CREATE || e->tid != c->tid) continue;
            tindex_future *f = (tindex_future *)tindex_future_get(ix, e->future);
            if (f && f->call_ev < 0) f->call_ev = (int32_t)i;
            break;
        }
    }
}

char tindex_letter(const tindex *ix, const tindex_future *f) {
    if (f->letter) return f->letter;
    const tindex_task *k = tindex_task_get(ix, f->task);
    return (k && k->letter && k->root_future == f->id) ? k->letter : '\0';
}

/* ---- flows ------------------------------------------------------------------------ */

static int flow_cmp(const void *a, const void *b) {
    const tindex_flow *x = a, *y = b;
    return (x->poll > y->poll) - (x->poll < y->poll);
}

static int build_flows(const tload_trace *t, tindex *ix) {
    size_t nout = 0;
    for (size_t k = 0; k < t->nbinds; k++) nout += (t->ev[t->binds[k].ev].flags & TLOAD_F_FLOW_OUT) != 0;
    id_ev *out = malloc((nout ? nout : 1) * sizeof *out);
    ix->flows = malloc((nout ? nout : 1) * sizeof *ix->flows);
    if (!out || !ix->flows) { free(out); return -1; }
    size_t j = 0;
    for (size_t k = 0; k < t->nbinds; k++)
        if (t->ev[t->binds[k].ev].flags & TLOAD_F_FLOW_OUT) out[j++] = (id_ev){t->binds[k].v, (int32_t)t->binds[k].ev};
    sort_id_ev(out, nout);
    for (size_t k = 0; k < t->nbinds; k++) {
        size_t i = t->binds[k].ev;
        if (!(t->ev[i].flags & TLOAD_F_FLOW_IN)) continue;
        id_ev key = {t->binds[k].v, -1}, *hit = NULL;
        size_t lo = 0, hi = nout; /* lower bound on id */
        while (lo < hi) { size_t m = (lo + hi) / 2; if (out[m].id < key.id) lo = m + 1; else hi = m; }
        if (lo < nout && out[lo].id == key.id) hit = &out[lo];
        if (hit && ix->n_flows < nout) ix->flows[ix->n_flows++] = (tindex_flow){hit->ev, (int32_t)i};
    }
    qsort(ix->flows, ix->n_flows, sizeof *ix->flows, flow_cmp);
    free(out);
    return 0;
}

int32_t tindex_waker_of(const tload_trace *t, const tindex *ix, int32_t p) {
    /* walk out to the task's root poll: the enclosing poll with parent null */
    const tload_event *e = &t->ev[p];
    for (long s = ix->rank_start[p]; e->parent >= 0 && s >= 0; s--) {
        uint32_t c = ix->steps[s];
        if (tindex_step_is_end(c)) continue;
        const tload_event *q = &t->ev[tindex_step_event(c)];
        if (q->kind == TLOAD_POLL && q->tid == e->tid && q->task == e->task && q->parent < 0 &&
            q->ts <= e->ts && q->ts + q->dur >= e->ts + e->dur) {
            p = (int32_t)tindex_step_event(c);
            e = q;
        }
    }
    size_t lo = 0, hi = ix->n_flows;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (ix->flows[m].poll < p) lo = m + 1; else hi = m; }
    if (lo >= ix->n_flows || ix->flows[lo].poll != p) return -1;
    int32_t w = ix->flows[lo].wake;
    return t->ev[w].kind == TLOAD_WAKE ? w : -1; /* a flow from anything else (another writer's) woke nothing */
}

long tindex_next_poll(const tload_trace *t, const tindex *ix, long k, int dir) {
    for (long s = k + dir; s >= 0 && (size_t)s < ix->n_steps; s += dir) {
        uint32_t c = ix->steps[s];
        if (!tindex_step_is_end(c) && t->ev[tindex_step_event(c)].kind == TLOAD_POLL) return s;
    }
    return k;
}

/* ---- rows ------------------------------------------------------------------------- */

uint32_t tindex_row_of(const tload_trace *t, const tindex *ix, uint32_t i) {
    uint32_t l = ix->lane[i];
    int depth = t->ev[i].ph == 'X' && ix->depth[i] < ix->lanes[l].rows ? ix->depth[i] : ix->lanes[l].rows;
    return ix->lane_row0[l] + (uint32_t)depth;
}

int tindex_in_rows(const tload_event *e) {
    return e->ph == 'X' || e->kind == TLOAD_NET || e->kind == TLOAD_LINT || e->kind == TLOAD_DEADLOCK ||
           e->kind == TLOAD_LOCAL;
}

/* A counting sort of the starts by row: each row's positions stay ascending. Only what
 * the Implementation draws is in a row: a million-event run's creates, spawns and waker
 * events (half of it) are not visited by every frame. */
static int build_rows(const tload_trace *t, tindex *ix) {
    ix->lane_row0 = malloc((ix->n_lanes + 1) * sizeof *ix->lane_row0);
    if (!ix->lane_row0) return -1;
    size_t r = 0;
    for (size_t l = 0; l < ix->n_lanes; l++) { ix->lane_row0[l] = (uint32_t)r; r += (size_t)ix->lanes[l].rows + 1; }
    ix->lane_row0[ix->n_lanes] = (uint32_t)r;
    ix->n_rows = r;
    ix->row_first = calloc(r + 1, sizeof *ix->row_first);
    ix->row_pos = malloc((t->n ? t->n : 1) * sizeof *ix->row_pos);
    if (!ix->row_first || !ix->row_pos) return -1;
    for (size_t i = 0; i < t->n; i++)
        if (tindex_in_rows(&t->ev[i])) ix->row_first[tindex_row_of(t, ix, (uint32_t)i) + 1]++;
    for (size_t k = 0; k < r; k++) ix->row_first[k + 1] += ix->row_first[k];
    size_t n = ix->row_first[r];
    uint32_t *fill = malloc((r ? r : 1) * sizeof *fill);
    if (!fill) return -1;
    memcpy(fill, ix->row_first, r * sizeof *fill);
    for (size_t s = 0; s < t->n; s++)
        if (tindex_in_rows(&t->ev[ix->starts[s]])) ix->row_pos[fill[tindex_row_of(t, ix, ix->starts[s])]++] = (uint32_t)s;
    free(fill);
    uint32_t *shrunk = realloc(ix->row_pos, (n ? n : 1) * sizeof *shrunk);
    if (shrunk) ix->row_pos = shrunk;
    ix->row_end64 = malloc((n / 64 + 1) * sizeof *ix->row_end64);
    if (!ix->row_end64) return -1;
    for (size_t k = 0; k * 64 < n; k++) {
        const tload_event *e = &t->ev[ix->starts[ix->row_pos[k * 64]]];
        ix->row_end64[k] = e->ts + e->dur;
    }
    return 0;
}

static int flow_bounds(tindex *ix) {
    size_t n = ix->n_flows;
    ix->flow_poll_max = malloc((n ? n : 1) * sizeof *ix->flow_poll_max);
    ix->flow_wake_min = malloc((n ? n : 1) * sizeof *ix->flow_wake_min);
    if (!ix->flow_poll_max || !ix->flow_wake_min) return -1;
    for (size_t k = 0; k < n; k++) {
        int32_t p = ix->rank_start[ix->flows[k].poll];
        ix->flow_poll_max[k] = k && ix->flow_poll_max[k - 1] > p ? ix->flow_poll_max[k - 1] : p;
    }
    for (size_t k = n; k-- > 0;) {
        int32_t w = ix->rank_start[ix->flows[k].wake];
        ix->flow_wake_min[k] = k + 1 < n && ix->flow_wake_min[k + 1] < w ? ix->flow_wake_min[k + 1] : w;
    }
    return 0;
}

/* ---- build / free ----------------------------------------------------------------- */

static void time_range(const tload_trace *t, tindex *ix) {
    ix->t_min = t->n ? t->ev[0].ts : 0;
    ix->t_max = ix->t_min;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->ts < ix->t_min) ix->t_min = e->ts;
        if (e->ts + e->dur > ix->t_max) ix->t_max = e->ts + e->dur;
    }
}

int tindex_build(const tload_trace *t, tindex *ix) {
    memset(ix, 0, sizeof *ix);
    time_range(t, ix);
    if (build_steps(t, ix) || build_lanes(t, ix) || build_depth(t, ix) || build_futures(t, ix)) {
        tindex_free(ix);
        return -1;
    }
    future_depths(ix);
    if (pack_rows(ix)) { tindex_free(ix); return -1; }
    if (build_tasks(t, ix) || build_flows(t, ix) || build_rows(t, ix) || flow_bounds(ix)) {
        tindex_free(ix);
        return -1;
    }
    assign_letters(t, ix);
    if (build_moves(t, ix)) { tindex_free(ix); return -1; }
    link_call_time(t, ix);
    return 0;
}

size_t tindex_bytes(const tindex *ix, size_t n_events) {
    size_t in_rows = ix->row_first ? ix->row_first[ix->n_rows] : 0;
    return ix->n_steps * sizeof *ix->steps + n_events * sizeof *ix->starts + ix->n_futures * sizeof *ix->by_task +
           n_events * (sizeof *ix->rank_start + sizeof *ix->depth + sizeof *ix->lane) + ix->n_ends * sizeof *ix->ends +
           ix->n_futures * sizeof *ix->futures + ix->n_tasks * sizeof *ix->tasks +
           ix->n_lanes * sizeof *ix->lanes + ix->n_flows * sizeof *ix->flows +
           in_rows * sizeof *ix->row_pos + (in_rows / 64 + 1) * sizeof *ix->row_end64 + (ix->n_rows + 1 + ix->n_lanes + 1) * sizeof *ix->row_first +
           ix->n_flows * (sizeof *ix->flow_poll_max + sizeof *ix->flow_wake_min);
}

void tindex_free(tindex *ix) {
    free(ix->steps);
    free(ix->rank_start);
    free(ix->ends);
    free(ix->depth);
    free(ix->lane);
    free(ix->futures);
    free(ix->tasks);
    free(ix->lanes);
    free(ix->lane_map);
    free(ix->flows);
    free(ix->starts);
    free(ix->execs);
    free(ix->by_task);
    free(ix->row_pos);
    free(ix->row_end64);
    free(ix->row_first);
    free(ix->lane_row0);
    free(ix->flow_poll_max);
    free(ix->flow_wake_min);
    free(ix->moves);
    memset(ix, 0, sizeof *ix);
}
