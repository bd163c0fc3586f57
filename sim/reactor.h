/* reactor: the virtual clock and its events (timers, network arrivals).
 *
 * Time moves only by events: reactor_fire() runs every event due at the earliest due time
 * and sets the clock there, like a paused tokio clock. Events are kept in a min-heap ordered
 * by (due, sequence), so events due at the same instant fire in the order they were added.
 * Cancelling only marks an event (as Redis's ae.c does), so a callback may cancel others
 * safely. sim/ never reads the real clock: this is the only clock of a scenario. */
#ifndef PINATA_REACTOR_H
#define PINATA_REACTOR_H
#include <stddef.h>
#include <stdint.h>

#define REACTOR_NEVER INT64_MAX

typedef void (*reactor_cb)(void *data, int64_t due);

typedef struct reactor_event {
    int64_t due;     /* virtual ns */
    uint64_t seq;    /* insertion order, breaks ties */
    reactor_cb cb;
    void *data;
    int cancelled;
} reactor_event;

typedef struct reactor {
    int64_t now;           /* virtual ns: the time of the last fired event */
    reactor_event **heap;  /* min-heap of pending events, owned */
    size_t len, cap;
    uint64_t seq;
    uint64_t fired;        /* events fired so far */
} reactor_t;

void reactor_init(reactor_t *r);
void reactor_free(reactor_t *r);
/* Schedules cb(data, due) at virtual time due. The returned handle stays valid until the
 * event fires or reactor_free(); pass it to reactor_cancel(). NULL when out of memory. */
reactor_event *reactor_at(reactor_t *r, int64_t due, reactor_cb cb, void *data);
void reactor_cancel(reactor_event *e);
/* Due time of the earliest live event, or REACTOR_NEVER. */
int64_t reactor_next_due(reactor_t *r);
/* Fires every live event due at the earliest due time; returns how many fired. */
size_t reactor_fire_next(reactor_t *r);
/* Live events pending. */
size_t reactor_pending(reactor_t *r);

#endif
