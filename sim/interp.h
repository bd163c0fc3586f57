/* interp: runs a loaded scenario's functions as real futures.
 *
 * Each call of a scenario function is a future (a "frame") whose poll is a state machine:
 * the resume point is the index of the step it stopped at, exactly as the hand-written
 * cheapo_request (sim/cheapo.c) resumes at its await. The awaited future lives INSIDE the
 * frame — a leaf from sim/leaf.h, or the callee's frame — as rustc embeds a callee's state
 * in its caller's, so a task's whole state is one allocation and the bytes the memory
 * counters report are the real size of that state.
 *
 * Ownership: the interpreter owns the entry frame and the mutexes; frames handed to
 * exec_spawn*() belong to their task. Free order: exec_end_trace, exec_free (it drops the
 * futures of unfinished tasks, the entry's too), interp_free, net_free, reactor_free.
 * Dropping a frame twice is harmless. */
#ifndef PINATA_INTERP_H
#define PINATA_INTERP_H
#include "sim/exec.h"
#include "sim/net.h"
#include "sim/scenario.h"

typedef struct interp interp_t;

/* Prepares s to run on ex and net (it fills in each function's vtable and future size, so
 * s must not be shared by two interpreters running at once). NULL when out of memory. */
interp_t *interp_new(scenario *s, exec_t *ex, net_t *net);
/* Drops the entry frame (if made) and frees the interpreter. */
void interp_free(interp_t *ip);
/* Calls the entry function with the scenario's arguments: its future, created now (its
 * call_time steps run now), owned by the interpreter. NULL when out of memory. */
future_t *interp_entry(interp_t *ip);
/* Bytes of a call of function fn: its whole future, callees' states included. */
size_t interp_frame_size(const scenario *s, int fn);

#endif
