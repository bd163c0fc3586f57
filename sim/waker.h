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

waker_t waker_clone(const waker_t *w);
/* Wakes and consumes *w (it becomes "no waker"). */
void waker_wake(waker_t *w, const char *by);
void waker_wake_by_ref(const waker_t *w, const char *by);
/* Releases *w (it becomes "no waker"). */
void waker_drop(waker_t *w);
bool waker_is_set(const waker_t *w);
/* True when both wake the same thing, so a future may keep the waker it has. */
bool waker_will_wake(const waker_t *a, const waker_t *b);
/* Replaces *slot with a clone of w unless it already wakes the same task. */
void waker_store(waker_t *slot, const waker_t *w);

#endif
