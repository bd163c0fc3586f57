/* bench_view: the viewer on a big trace, phase by phase. See bench_view.h. */
#include "bench/bench_view.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "viz/doc.h"
#include "viz/layout.h"

void bench_view_opts_default(bench_view_opts *o) {
    *o = (bench_view_opts){.trace = "/tmp/pinata-scale.trace.json", .reps = 5, .width = 1400, .height = 820};
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

static double ms_since(uint64_t t0) { return (double)(bench_now_ns() - t0) / 1e6; }

/* The phases, each its own function for callgrind's --toggle-collect. */
__attribute__((noinline)) int bench_view_load(const char *path, tload_trace *t, char *err, size_t errlen) {
    return tload_file(path, t, err, errlen);
}

__attribute__((noinline)) int bench_view_index(const tload_trace *t, tindex *ix) { return tindex_build(t, ix); }

__attribute__((noinline)) int bench_view_axis(doc *d) { return taxis_build(&d->ax, &d->t, &d->ix, d->compressed); }

__attribute__((noinline)) int bench_view_fit(doc *d, layout_view *v) { return doc_fit_view(d, v, 0); }

__attribute__((noinline)) int bench_view_layout(const doc *d, const layout_view *v, draw_list *dl) {
    return layout_build(&d->t, &d->ix, &d->ax, v, dl, NULL);
}

/* Loads and indexes reps times (the last copy is kept in d). */
static int load_all(const bench_view_opts *o, doc *d, bench_view_result *r, char *err, size_t errlen) {
    double load[64], index[64], axis[64];
    int reps = o->reps > 64 ? 64 : o->reps;
    for (int i = 0; i < reps; i++) {
        if (i) doc_close(d);
        memset(d, 0, sizeof *d);
        d->compressed = 1;
        snprintf(d->input, sizeof d->input, "%s", o->trace);
        uint64_t t0 = bench_now_ns();
        if (bench_view_load(o->trace, &d->t, err, errlen)) return -1;
        load[i] = ms_since(t0);
        t0 = bench_now_ns();
        if (bench_view_index(&d->t, &d->ix)) { snprintf(err, errlen, "%s: out of memory indexing", o->trace); return -1; }
        index[i] = ms_since(t0);
        t0 = bench_now_ns();
        if (bench_view_axis(d)) { snprintf(err, errlen, "%s: out of memory building the axis", o->trace); return -1; }
        axis[i] = ms_since(t0);
    }
    r->load_ms = median(load, reps);
    r->index_ms = median(index, reps);
    r->axis_ms = median(axis, reps);
    r->events = d->t.n;
    r->bytes_per_event = d->t.n ? (double)(tload_bytes(&d->t) + tindex_bytes(&d->ix, d->t.n)) / (double)d->t.n : 0;
    return 0;
}

/* frames frames at share span of the run, centred, panning 1 % each (as the window's bench). */
static int layout_zoom(const doc *d, const layout_view *v0, double span, int frames, double *ms_out, size_t *cmds) {
    layout_view v = *v0;
    double total = d->ax.u_total;
    v.u_lo = span < 1 ? total * (0.5 - span / 2) : 0;
    v.u_hi = span < 1 ? total * (0.5 + span / 2) : total;
    draw_list dl;
    draw_list_init(&dl, v.width, v.height, 0xFFFFFFFF);
    double *ms = malloc((size_t)frames * sizeof *ms);
    int rc = ms ? 0 : -1;
    for (int i = 0; i < frames && !rc; i++) {
        double du = (v.u_hi - v.u_lo) * 0.01;
        if (span < 1) v.u_lo += du, v.u_hi += du;
        uint64_t t0 = bench_now_ns();
        rc = bench_view_layout(d, &v, &dl);
        ms[i] = ms_since(t0);
    }
    if (!rc) *ms_out = median(ms, frames);
    *cmds = dl.n;
    free(ms);
    draw_list_free(&dl);
    return rc;
}

/* Runs argv with stdout and stderr to /dev/null; returns the wall time in ms, -1 on failure. */
static double run_child(char *const argv[]) {
    uint64_t t0 = bench_now_ns();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); }
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    return ms_since(t0);
}

static int time_child(const bench_view_opts *o, char *const argv[], double *out, char *err, size_t errlen) {
    double ms[64];
    int reps = o->reps > 64 ? 64 : o->reps;
    for (int i = 0; i < reps; i++)
        if ((ms[i] = run_child(argv)) < 0) {
            snprintf(err, errlen, "`%s %s %s ...` failed", argv[0], argv[1], argv[2]);
            return -1;
        }
    *out = median(ms, reps);
    return 0;
}

static int children(const bench_view_opts *o, bench_view_result *r, char *err, size_t errlen) {
    char png[64];
    snprintf(png, sizeof png, "/tmp/pinata-bench-view-%ld.png", (long)getpid());
    char *text[] = {(char *)o->self, "text", (char *)o->trace, "--limit", "5", NULL};
    char *export[] = {(char *)o->self, "export", (char *)o->trace, "-o", png, NULL};
    int rc = time_child(o, text, &r->text_ms, err, errlen) || time_child(o, export, &r->export_ms, err, errlen);
    unlink(png);
    return rc ? -1 : 0;
}

int bench_view_run(const bench_view_opts *o, bench_view_result *r, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    doc d;
    memset(&d, 0, sizeof d);
    int rc = load_all(o, &d, r, err, errlen);
    layout_view v;
    layout_view_init(&v, (float)o->width, 0);
    v.band_y0 = 0; /* the window lays out only the band it shows */
    v.band_y1 = (float)o->height;
    if (!rc) {
        double fit[64];
        int reps = o->reps > 64 ? 64 : o->reps;
        for (int i = 0; i < reps && !rc; i++) {
            uint64_t t0 = bench_now_ns();
            rc = bench_view_fit(&d, &v);
            fit[i] = ms_since(t0);
        }
        if (!rc) r->fit_ms = median(fit, reps);
        else snprintf(err, errlen, "%s: out of memory fitting the axis", o->trace);
    }
    static const double spans[BENCH_VIEW_ZOOMS] = {1, 0.01, 0.00001};
    for (int z = 0; z < BENCH_VIEW_ZOOMS && !rc; z++) {
        r->span[z] = spans[z];
        rc = layout_zoom(&d, &v, spans[z], o->reps * 10, &r->layout_ms[z], &r->cmds[z]);
        if (rc) snprintf(err, errlen, "%s: out of memory laying out", o->trace);
    }
    doc_close(&d);
    r->peak_rss = bench_peak_rss_bytes();
    if (!rc && o->self) rc = children(o, r, err, errlen);
    return rc;
}

void bench_view_report(FILE *f, const bench_view_opts *o, const bench_view_result *r) {
    fprintf(f, "pinata bench --viewer %s: %zu events, %d x %d window, medians of %d\n", o->trace, r->events, o->width,
            o->height, o->reps);
    fprintf(f, "  load (parse)          %8.1f ms\n", r->load_ms);
    fprintf(f, "  index                 %8.1f ms\n", r->index_ms);
    fprintf(f, "  time axis             %8.1f ms   (load + index + axis %.1f ms)\n", r->axis_ms,
            r->load_ms + r->index_ms + r->axis_ms);
    fprintf(f, "  fit to the window     %8.1f ms   (rooms for the names, axis again)\n", r->fit_ms);
    for (int z = 0; z < BENCH_VIEW_ZOOMS; z++)
        fprintf(f, "  layout at %-9.3g %% %8.2f ms   %zu draw commands\n", r->span[z] * 100, r->layout_ms[z],
                r->cmds[z]);
    fprintf(f, "  held per event        %8.1f B\n", r->bytes_per_event);
    fprintf(f, "  peak resident         %8.1f MB\n", (double)r->peak_rss / 1e6);
    if (o->self) {
        fprintf(f, "  pinata text --limit 5 %8.0f ms   (a child process, end to end)\n", r->text_ms);
        fprintf(f, "  pinata export -o .png %8.0f ms\n", r->export_ms);
    }
    fprintf(f, "targets (docs/performance.md, issue 13): load + index <= 1000 ms, layout at fit <= 8 ms,\n"
               "  text <= 1000 ms, export PNG <= 2000 ms, <= 100 B per event; the window frame: PINATA_BENCH_FRAMES\n");
}

int bench_view_json(FILE *f, const bench_view_opts *o, const bench_view_result *r) {
    int ok = fprintf(f, "{\"schema\":1,\"viewer\":{\"events\":%zu,\"width\":%d,\"height\":%d,"
                        "\"reps\":%d,\"load_ms\":%.3f,\"index_ms\":%.3f,\"axis_ms\":%.3f,\"fit_ms\":%.3f,\"layout\":[",
                     r->events, o->width, o->height, o->reps, r->load_ms, r->index_ms, r->axis_ms,
                     r->fit_ms) > 0;
    for (int z = 0; z < BENCH_VIEW_ZOOMS; z++)
        ok &= fprintf(f, "%s{\"span\":%g,\"ms\":%.3f,\"commands\":%zu}", z ? "," : "", r->span[z], r->layout_ms[z],
                      r->cmds[z]) > 0;
    ok &= fprintf(f, "],\"bytes_per_event\":%.2f,\"peak_rss_bytes\":%ld,\"text_ms\":%.3f,\"export_ms\":%.3f}}\n",
                  r->bytes_per_event, r->peak_rss, r->text_ms, r->export_ms) > 0;
    return ok ? 0 : -1;
}
