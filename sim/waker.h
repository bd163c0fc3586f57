/* waker: data plus a vtable, as in Rust's std::task::Waker.
 *
 * A waker_t is a value. waker_clone() makes a new one that the holder must later consume
 * with waker_wake() or release with waker_drop(); a zeroed waker_t is "no waker" and both
 * are then no-ops. The vtable's wake functions take the cause ("by") so the trace can say
 * what woke a task: Rust's wake() has no such argument, this is the instrumentation. */
#ifndef PINATA_WAKER_H
#define PINATA_WAKER_H
#include <stdbool.h>

typedef struct waker waker_t;

typedef struct waker_vtable {
    waker_t (*clone)(const void *data);
    void (*wake)(const void *data, const char *by);        /* consumes one reference */
    void (*wake_by_ref)(const void *data, const char *by); /* keeps the reference */
    void (*drop)(const void *data);                        /* releases one reference */
} waker_vtable;

struct waker {
    const void *data;
    const waker_vtable *vt;
};

/* Inline (C99 `inline`; waker.c has the external definitions): every poll that waits
 * stores a waker and every handoff wakes one, and a call each was a tenth of a handoff. */
inline waker_t waker_clone(const waker_t *w) {
    if (!w || !w->vt) return (waker_t){0};
    return w->vt->clone(w->data);
}
/* Wakes and consumes *w (it becomes "no waker"). */
inline void waker_wake(waker_t *w, const char *by) {
    if (!w || !w->vt) return;
    waker_t v = *w;
    *w = (waker_t){0}; /* cleared first: the wake may re-enter and store a new waker here */
    v.vt->wake(v.data, by);
}
inline void waker_wake_by_ref(const waker_t *w, const char *by) {
    if (w && w->vt) w->vt->wake_by_ref(w->data, by);
}
/* Releases *w (it becomes "no waker"). */
inline void waker_drop(waker_t *w) {
    if (!w || !w->vt) return;
    waker_t v = *w;
    *w = (waker_t){0};
    v.vt->drop(v.data);
}
inline bool waker_is_set(const waker_t *w) { return w && w->vt; }
/* True when both wake the same thing, so a future may keep the waker it has. */
inline bool waker_will_wake(const waker_t *a, const waker_t *b) {
    return a && b && a->vt && a->vt == b->vt && a->data == b->data;
}
/* Replaces *slot with a clone of w unless it already wakes the same task. */
inline void waker_store(waker_t *slot, const waker_t *w) {
    if (waker_will_wake(slot, w)) return;
    waker_drop(slot);
    *slot = waker_clone(w);
}

#endif
