#include "sim/waker.h"

/* The external definitions of waker.h's inline functions, for the calls not inlined. */
extern inline waker_t waker_clone(const waker_t *w);
extern inline void waker_wake(waker_t *w, const char *by);
extern inline void waker_wake_by_ref(const waker_t *w, const char *by);
extern inline void waker_drop(waker_t *w);
extern inline bool waker_is_set(const waker_t *w);
extern inline bool waker_will_wake(const waker_t *a, const waker_t *b);
extern inline void waker_store(waker_t *slot, const waker_t *w);
