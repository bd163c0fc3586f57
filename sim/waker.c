#include "sim/waker.h"

#include <stddef.h>

waker_t waker_clone(const waker_t *w) {
    if (!w || !w->vt) return (waker_t){0};
    return w->vt->clone(w->data);
}

void waker_wake(waker_t *w, const char *by) {
    if (!w || !w->vt) return;
    waker_t v = *w;
    *w = (waker_t){0}; /* cleared first: the wake may re-enter and store a new waker here */
    v.vt->wake(v.data, by);
}

void waker_wake_by_ref(const waker_t *w, const char *by) {
    if (w && w->vt) w->vt->wake_by_ref(w->data, by);
}

void waker_drop(waker_t *w) {
    if (!w || !w->vt) return;
    waker_t v = *w;
    *w = (waker_t){0};
    v.vt->drop(v.data);
}

bool waker_is_set(const waker_t *w) { return w && w->vt; }

bool waker_will_wake(const waker_t *a, const waker_t *b) {
    return a && b && a->vt && a->vt == b->vt && a->data == b->data;
}

void waker_store(waker_t *slot, const waker_t *w) {
    if (waker_will_wake(slot, w)) return;
    waker_drop(slot);
    *slot = waker_clone(w);
}
