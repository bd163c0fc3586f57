/* compare: two runs on one page (pinata view A B, pinata export A B): one above the other
 * on ONE time scale, each labelled with its name, and a table of counts under them.
 *
 * Each run is laid out by the ordinary layout into a list of its own, on the axis both
 * share (taxis_merge: the same virtual time is at the same x in both; a stretch idle in
 * both is drawn short), and the lists are stacked. The counts come from each trace:
 *   polls          top-level polls of tasks (a task's root future). A thread's
 *                  synchronous calls (sync code, S1) are no polls: they are counted apart.
 *   no progress    top-level polls that returned Pending although no wake that queued the
 *                  task ("queued": true) came since its previous top-level poll began: the
 *                  executor polled without being asked to (S9's busy loop). A task's first
 *                  poll never counts; nor does a poll after a wake that then finds too
 *                  little data and returns Pending again (the wake said something changed).
 *   wakes, parks, blocking waits: the wake, park and blocked slices.
 *   CPU time       the summed length of the top-level polls and calls: what the threads
 *                  spent running the tasks' code (parked and blocked time is not CPU time).
 *   memory         at the memory counters' peak: live tasks x bytes of task state each,
 *                  live threads x stack in use each, and the stack reserved each.
 *
 * Stepping goes through the two runs' steps merged in time order; at a merged step each
 * run's cursor is on its last step at or before that time, so both cursors stand at the
 * same x (a teacher compares what each run does at the same moment).
 *
 * Ownership: compare_open fills a compare the caller owns; compare_close frees its insides. */
#ifndef PINATA_COMPARE_H
#define PINATA_COMPARE_H
#include "viz/doc.h"
#include "viz/layout.h"

typedef enum compare_row {
    COMPARE_POLLS, COMPARE_IDLE_POLLS, COMPARE_WAKES, COMPARE_PARKS, COMPARE_CALLS, COMPARE_BLOCKED,
    COMPARE_CPU, COMPARE_SPAN, COMPARE_TASKS, COMPARE_STACK, COMPARE_RESERVED, COMPARE_ROWS
} compare_row;

typedef struct compare_counts {
    int64_t n[COMPARE_ROWS]; /* per row: the count, the time in ns, or the total bytes */
    int64_t peak_tasks, peak_threads; /* memory rows: how many at the peak */
    int has_memory;          /* the trace had memory counters */
} compare_counts;

typedef struct compare {
    doc run[2];
    taxis ax;              /* the one axis both runs are laid out on */
    compare_counts counts[2];
    long (*cur)[2];        /* per merged step: each run's cursor */
    size_t n_steps;
} compare;

/* Where the parts landed (tests check the page with it). */
typedef struct compare_geom {
    float run_y0[2], run_y1[2]; /* each run's block, its label included */
    size_t cmd0[2], cmd1[2];    /* its commands in the list: [cmd0, cmd1) */
    float table_y0, table_y1;
} compare_geom;

/* Opens both inputs (trace, built-in example or scenario file; params go to scenario
 * files). Returns 0, or -1 with one line in err naming the input that failed. */
int compare_open(compare *c, const char *a, const char *b, int compressed, const doc_sim *sim, char *err,
                 size_t errlen);
void compare_close(compare *c);

/* The time of merged step m (the later of the two cursors). */
int64_t compare_step_time(const compare *c, long m);
/* The next (dir 1) / previous (-1) merged step from m where a run's cursor moves to the
 * start of a poll; m if none. */
long compare_next_poll(const compare *c, long m, int dir);
/* Rebuilds both runs' axes and the shared one for the other mode. 0, -1 when out of memory. */
int compare_set_compressed(compare *c, int compressed);
/* Fits both runs' axes to the view as one run's would be (each poll's least width,
 * layout_min_frac, with the gutter both share) and merges them again. 0, -1 when out of memory. */
int compare_fit_view(compare *c, const layout_view *v);

/* Nonzero when either run's watched file changed since it was opened. */
int compare_changed(const compare *c);

/* The counts of one trace (see the top of this file). */
void compare_count(const tload_trace *t, const tindex *ix, compare_counts *out);

/* Lays out the page for v (v->step: a merged step, -1 none; v->u_lo/u_hi on c->ax) into
 * out (cleared first). geom and cg may be NULL. Returns 0, -1 when out of memory. */
int compare_build(const compare *c, const layout_view *v, draw_list *out, layout_geom *geom, compare_geom *cg);

#endif
