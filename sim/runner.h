/* runner: run a built-in example or a scenario file and stream its trace to a file.
 * This is the one entry point the CLI and the viewer use to simulate something. */
#ifndef PINATA_RUNNER_H
#define PINATA_RUNNER_H
#include <stddef.h>
#include <stdint.h>

#include "sim/scenario.h"

typedef struct runner_opts {
    uint64_t seed;     /* 0: the scenario's own seed */
    int has_seed;      /* nonzero when seed overrides the scenario's */
    int quiet;         /* nonzero: print no summary */
    const scenario_param *params; /* --param KEY=VALUE overrides of a scenario file's "params" */
    int nparams;
    int model;         /* --model: 1 + exec_model; 0: the scenario's runtime.model (ideal) */
    int64_t max_trace_mb; /* the output budget in MiB (1..SCN_MAX_TRACE_MB); 0: the scenario's
                           * runtime.max_trace_mb, or SCN_DEFAULT_TRACE_MB */
} runner_opts;

typedef enum runner_status {
    RUNNER_OK = 0,       /* ran to completion */
    RUNNER_DEADLOCK = 1, /* ran, and ended in a (reported) deadlock: the trace is complete */
    RUNNER_ERROR = 2,    /* bad input or I/O error: err says why, no trace file is left */
    RUNNER_PANIC = 3     /* ran, and the root future panicked (a real model): the trace is complete */
} runner_status;

/* Runs NAME (a built-in example, see runner_list) or a scenario file path, writing the
 * trace to trace_path ("-" for stdout) through a temporary file that is renamed on success.
 * On RUNNER_ERROR, err holds one line "FILE: PLACE: what was expected". */
runner_status runner_run(const char *name_or_path, const char *trace_path, const runner_opts *opts,
                         char *err, size_t errlen);

/* Runs the scenario file path whose text was read already (sim/infile: read once, so a
 * pipe works); text NULL: read path here. */
runner_status runner_run_text(const char *path, const char *text, const char *trace_path, const runner_opts *opts,
                              char *err, size_t errlen);

/* Loads and checks a scenario file without running it (pinata check). */
runner_status runner_check(const char *path, const runner_opts *opts, char *err, size_t errlen);

/* Runs input quietly into the trace file out, for a viewer (viz/doc.h's doc_sim.run, which
 * the CLI wires to this): text is a scenario file's text already read, or NULL for a
 * built-in; opts is a const runner_opts * (its --param overrides) or NULL. Returns 0 when a
 * trace was written (a deadlocked run too), -1 with one line in err. */
int runner_simulate(const void *opts, const char *input, const char *text, const char *out, char *err, size_t errlen);

/* True when s names a built-in example. */
int runner_is_builtin(const char *s);

/* Prints the built-in examples, one per line: name and title. */
void runner_list(void *file /* FILE* */);

#endif
