/* fuzz_scenario: `pinata check SCENARIO`, then `pinata export SCENARIO` — the scenario
 * loader and every check it makes (fields, names, await cycles, the values passed to
 * calls); then, for a scenario that passes, a run of the simulator (with a 1 MiB output
 * budget) and the export of its trace through the loader, layout and SVG backend.
 * A scenario that raises max_steps past its default is checked but not run: a legal run
 * of 1e8 steps takes longer than the fuzzer's hang limit.
 * Oracle: no sanitizer report; a refused scenario or run gets a one-line error; a run's
 * trace loads; the SVG is valid XML text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz_util.h"
#include "sim/runner.h"
#include "sim/scenario.h"

static char trace_path[64];

static void drop_file(void) { unlink(trace_path); }

/* The trace the run wrote, through the export pipeline. */
static void export_trace(uint64_t h) {
    FILE *f = fopen(trace_path, "rb");
    if (!f) return; /* the run was refused: no trace is left, as promised */
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    char chunk[65536];
    for (size_t r; (r = fread(chunk, 1, sizeof chunk, f)) > 0;) fwrite(chunk, 1, r, m);
    fclose(m);
    fclose(f);
    tload_trace t;
    tindex ix;
    taxis ax;
    if (fz_open((const uint8_t *)buf, n, 1, &t, &ix, &ax)) {
        fprintf(stderr, "fuzz: the trace of a run does not load\n");
        abort();
    }
    fz_export(&t, &ix, &ax, h);
    fz_close(&t, &ix, &ax);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!trace_path[0]) {
        snprintf(trace_path, sizeof trace_path, "/tmp/pinata-fuzz-%ld.trace.json", (long)getpid());
        atexit(drop_file);
    }
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[1024];
    scenario *s = scenario_load_text("fuzz.json", text, NULL, 0, err, sizeof err);
    if (!s) fz_one_line(err);
    int run = s && s->max_steps <= 2000000;
    scenario_free(s);
    if (run) {
        unlink(trace_path);
        runner_opts o = {.quiet = 1, .max_trace_mb = 1};
        if (runner_run_text("fuzz.json", text, trace_path, &o, err, sizeof err) == RUNNER_ERROR) fz_one_line(err);
        export_trace(fz_hash(data, size));
    }
    free(text);
    return 0;
}
