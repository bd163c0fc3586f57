/* doc: open, simulate, index. See doc.h. */
#include "viz/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/runner.h"

int doc_is_trace_file(const char *path) {
    /* a trace is a JSON array, a scenario a JSON object: the first character decides, so
     * a damaged trace still reaches the trace loader and its precise message */
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int c;
    while ((c = fgetc(f)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {}
    fclose(f);
    return c == '[';
}

static void stamp(doc *d) {
    struct stat st;
    if (d->watch[0] && stat(d->watch, &st) == 0) {
        d->watch_mtime = st.st_mtim.tv_sec;
        d->watch_mtime_ns = st.st_mtim.tv_nsec;
    }
}

int doc_changed(const doc *d) {
    struct stat st;
    if (!d->watch[0] || stat(d->watch, &st) != 0) return 0;
    return st.st_mtim.tv_sec != d->watch_mtime || st.st_mtim.tv_nsec != d->watch_mtime_ns;
}

/* Simulates input into a temporary trace file, loads it, removes the file. */
static int simulate(doc *d, const char *input, char *err, size_t errlen) {
    char tmp[] = "/tmp/pinata-view-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) { snprintf(err, errlen, "%s: cannot make a temporary trace file", input); return -1; }
    close(fd);
    runner_opts o = {.quiet = 1};
    runner_status st = runner_run(input, tmp, &o, err, errlen);
    int rc = -1;
    if (st != RUNNER_ERROR) rc = tload_file(tmp, &d->t, err, errlen);
    else tload_free(&d->t);
    unlink(tmp);
    d->simulated = 1;
    return rc;
}

static int derive(doc *d, char *err, size_t errlen) {
    if (tindex_build(&d->t, &d->ix) || taxis_build(&d->ax, &d->t, &d->ix, d->compressed)) {
        snprintf(err, errlen, "%s: out of memory indexing the trace", d->input);
        return -1;
    }
    return 0;
}

int doc_open(doc *d, const char *input, int compressed, char *err, size_t errlen) {
    memset(d, 0, sizeof *d);
    snprintf(d->input, sizeof d->input, "%s", input);
    d->compressed = compressed;
    int rc;
    if (doc_is_trace_file(input)) rc = tload_file(input, &d->t, err, errlen);
    else if (runner_is_builtin(input) || access(input, R_OK) == 0) rc = simulate(d, input, err, errlen);
    else {
        snprintf(err, errlen, "%s: expected a trace file, a scenario file or a built-in example "
                 "(see `pinata list`)", input);
        return -1;
    }
    if (rc) { doc_close(d); return -1; }
    if (!runner_is_builtin(input) || access(input, R_OK) == 0) snprintf(d->watch, sizeof d->watch, "%s", input);
    stamp(d);
    if (derive(d, err, errlen)) { doc_close(d); return -1; }
    return 0;
}

int doc_set_compressed(doc *d, int compressed) {
    taxis_free(&d->ax);
    d->compressed = compressed;
    return taxis_build(&d->ax, &d->t, &d->ix, compressed);
}

void doc_close(doc *d) {
    taxis_free(&d->ax);
    tindex_free(&d->ix);
    tload_free(&d->t);
}

const char *doc_name(const doc *d, char *buf, size_t len) {
    const char *s = tload_str(&d->t, d->t.scenario);
    if (*s) { snprintf(buf, len, "%s", s); return buf; }
    const char *base = strrchr(d->input, '/');
    snprintf(buf, len, "%s", base ? base + 1 : d->input);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf) *dot = '\0';
    return buf;
}
