/* doc: one opened input — a trace file, or a built-in example / scenario file simulated
 * on the spot — with everything the viewer derives from it (index, time axis).
 * The window reloads through it; export and text use it once.
 *
 * The viewer does not link the simulator: whoever opens a doc (the CLI) hands it a doc_sim
 * that runs a scenario into a trace file; without one, only traces open.
 *
 * Ownership: doc_open() fills a doc the caller owns; doc_close() frees its insides. */
#ifndef PINATA_DOC_H
#define PINATA_DOC_H
#include <stddef.h>
#include <time.h>
#include "viz/layout.h"
#include "viz/taxis.h"
#include "viz/tindex.h"
#include "trace/tload.h"

/* How a doc simulates what is not a trace. */
typedef struct doc_sim {
    int (*is_builtin)(const char *name); /* nonzero: name is a built-in example */
    /* Runs input into the trace file out: text is the scenario file's text (read once), or
     * NULL for a built-in. 0 when a trace was written (a deadlocked run too), -1 with err. */
    int (*run)(const void *ctx, const char *input, const char *text, const char *out, char *err, size_t errlen);
    const void *ctx;                     /* the caller's (e.g. --param overrides), kept for a reload */
    const char *sim_only;                /* e.g. "--model tokio": options that change a simulation, so
                                          * a trace opened with them gets a warning that they did nothing */
} doc_sim;

typedef struct doc {
    tload_trace t;
    tindex ix;
    taxis ax;
    char input[1024];   /* what the user named */
    char watch[1024];   /* the file whose changes trigger a reload ("" for a built-in) */
    time_t watch_mtime;
    long watch_mtime_ns;
    int simulated;      /* nonzero: the trace came from running input */
    int compressed;
    doc_sim sim;        /* how to simulate a scenario or a built-in; all NULL: traces only */
} doc;

/* Opens input (see above), reading a file once: a trace (a JSON array) is loaded, a
 * scenario (an object) simulated through sim; a name that is no file is a built-in example.
 * sim NULL: traces only (a scenario or a built-in is then an error that says so).
 * Returns 0 (warnings in d->t.warn), -1 with one line in err. */
int doc_open(doc *d, const char *input, int compressed, const doc_sim *sim, char *err, size_t errlen);

/* Rebuilds the time axis for the other mode. */
int doc_set_compressed(doc *d, int compressed);

/* Rebuilds the time axis when each poll's least share (layout_min_frac) changed. */
int doc_set_min_frac(doc *d, double min_frac);

/* Rebuilds the axis for a view: each poll's least width (layout_min_frac) and room for
 * the names (layout_rooms). When they cannot all be given and grow is nonzero, widens
 * v->width until they are (at most 2x): an export at --scale 2 makes room, not drops. */
int doc_fit_view(doc *d, layout_view *v, int grow);

/* Nonzero when the watched file changed since it was opened. */
int doc_changed(const doc *d);

void doc_close(doc *d);

/* A short name for output files: the scenario name from the trace, else the input's
 * base name without extension. */
const char *doc_name(const doc *d, char *buf, size_t len);

#endif
