#include "sim/reactor.h"

#include <stdlib.h>

static int before(const reactor_event *a, const reactor_event *b) {
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void swap(reactor_event **h, size_t i, size_t j) {
    reactor_event *t = h[i];
    h[i] = h[j];
    h[j] = t;
}

static void sift_up(reactor_t *r, size_t i) {
    while (i && before(r->heap[i], r->heap[(i - 1) / 2])) {
        swap(r->heap, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void sift_down(reactor_t *r, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < r->len && before(r->heap[l], r->heap[m])) m = l;
        if (l + 1 < r->len && before(r->heap[l + 1], r->heap[m])) m = l + 1;
        if (m == i) return;
        swap(r->heap, i, m);
        i = m;
    }
}

static reactor_event *pop(reactor_t *r) {
    reactor_event *top = r->heap[0];
    r->heap[0] = r->heap[--r->len];
    if (r->len) sift_down(r, 0);
    return top;
}

/* Drops cancelled events from the top so the top is always live. */
static void prune(reactor_t *r) {
    while (r->len && r->heap[0]->cancelled) free(pop(r));
}

void reactor_init(reactor_t *r) { *r = (reactor_t){0}; }

void reactor_free(reactor_t *r) {
    for (size_t i = 0; i < r->len; i++) free(r->heap[i]);
    free(r->heap);
    *r = (reactor_t){0};
}

reactor_event *reactor_at(reactor_t *r, int64_t due, reactor_cb cb, void *data) {
    if (r->len == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        reactor_event **h = realloc(r->heap, cap * sizeof *h);
        if (!h) return NULL;
        r->heap = h;
        r->cap = cap;
    }
    reactor_event *e = malloc(sizeof *e);
    if (!e) return NULL;
    *e = (reactor_event){.due = due < r->now ? r->now : due, .seq = r->seq++, .cb = cb, .data = data};
    r->heap[r->len++] = e;
    sift_up(r, r->len - 1);
    return e;
}

void reactor_cancel(reactor_event *e) {
    if (e) e->cancelled = 1;
}

int64_t reactor_next_due(reactor_t *r) {
    prune(r);
    return r->len ? r->heap[0]->due : REACTOR_NEVER;
}

size_t reactor_fire_next(reactor_t *r) {
    int64_t due = reactor_next_due(r);
    size_t n = 0;
    if (due == REACTOR_NEVER) return 0;
    if (due > r->now) r->now = due;
    while (reactor_next_due(r) == due) {
        reactor_event *e = pop(r);
        e->cb(e->data, e->due);
        free(e);
        r->fired++;
        n++;
    }
    return n;
}

size_t reactor_pending(reactor_t *r) {
    size_t n = 0;
    for (size_t i = 0; i < r->len; i++) n += !r->heap[i]->cancelled;
    return n;
}
