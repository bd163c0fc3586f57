/* doc: one opened input — a trace file, or a built-in example / scenario file simulated
 * on the spot — with everything the viewer derives from it (index, time axis).
 * The window reloads through it; export and text use it once.
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
#include "sim/scenario.h"

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
    const scenario_param *params; /* --param overrides for a scenario file (the caller's, kept
                                     for a reload), NULL when none */
    int nparams;
} doc;

/* Opens input (see above), reading a file once: a trace (a JSON array) is loaded, a
 * scenario (an object) simulated; a name that is no file is a built-in example.
 * Returns 0 (warnings in d->t.warn), -1 with one line in err. */
int doc_open(doc *d, const char *input, int compressed, char *err, size_t errlen);

/* The same, with --param KEY=VALUE overrides for a scenario file (a trace or a built-in
 * example has no params: they are not used there). */
int doc_open_params(doc *d, const char *input, int compressed, const scenario_param *params, int nparams,
                    char *err, size_t errlen);

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
