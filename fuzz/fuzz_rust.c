/* fuzz_rust: `pinata run PROGRAM.rs` — the Rust front end (sim/rslex, rsparse, rslower via
 * sim/rsfront) on any text, then the scenario check of what it lowered to; for a program that
 * passes, a run of the simulator with a 1 MiB output budget. A program that raises max_steps
 * past its default is checked but not run (a legal run of 1e8 steps outlasts the hang limit).
 * Oracle: no sanitizer report; a refused program or run gets a one-line error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz_util.h"
#include "sim/runner.h"
#include "sim/scenario.h"

static char trace_path[64];

static void drop_file(void) { unlink(trace_path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!trace_path[0]) {
        snprintf(trace_path, sizeof trace_path, "/tmp/pinata-fuzz-rs-%ld.trace.json", (long)getpid());
        atexit(drop_file);
    }
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[1024];
    scenario *s = scenario_load_text("fuzz.rs", text, NULL, 0, err, sizeof err);
    if (!s) fz_one_line(err);
    int run = s && s->max_steps <= 2000000;
    scenario_free(s);
    if (run) {
        unlink(trace_path);
        runner_opts o = {.quiet = 1, .max_trace_mb = 1};
        if (runner_run_text("fuzz.rs", text, trace_path, &o, err, sizeof err) == RUNNER_ERROR) fz_one_line(err);
    }
    free(text);
    return 0;
}
