/* pinata bench: the lecture's headline claim, measured on this machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "bench/bench_chart.h"
#include "bench/bench_report.h"
#include "bench/bench_scale.h"
#include "bench/bench_view.h"
#include "cli/commands.h"
#include "cli/errline.h"
#include "trace/outfile.h"

static void bench_usage(FILE *f) {
    fprintf(f, "usage: pinata bench [--quick] [-n N] [--switches S] [--events E] [--reps R] [--only PARTS]\n"
               "                    [--no-trace] [--no-threads] [--json FILE|-] [--chart OUT.svg|OUT.png]\n\n"
               "Measures pinata's real executor against OS threads, side by side, on this machine:\n"
               "creating and running tasks versus pthread_create + join, a handoff through wakers\n"
               "versus a condition variable, and the memory of a waiting task versus a blocked\n"
               "thread; pinata's figures with the trace off and on. Prints the table of ratios.\n\n"
               "  --quick       the CI smoke: tiny N, finishes in a second; the numbers mean little\n"
               "  -n N          tasks and threads to create, and pending tasks to measure (default 100000)\n"
               "  --switches S  handoffs per ping-pong (default 200000)\n"
               "  --events E    poll events per run of the trace micro-benchmark (default 1000000)\n"
               "  --reps R      repetitions; each figure is their median (default 5)\n"
               "  --json FILE   also write the results as JSON (`-` for stdout, then no table)\n"
               "  --chart OUT   also draw the ratios as a bar chart for a slide (.svg or .png)\n"
               "  --trace FILE  where the trace-on runs write (default /tmp/pinata-bench.trace.json; removed)\n"
               "  --only LIST   run only some parts: memory,create,switch,trace (e.g. for callgrind)\n"
               "  --no-trace    skip pinata's trace-on figures\n"
               "  --no-threads  skip the OS-thread figures\n"
               "\n"
               "usage: pinata bench --scale N [--hosts H] [--trace FILE | --no-trace] [--json FILE|-]\n\n"
               "Simulates N cheapo_request tasks (spawn_local) against H mocked hosts (default 100)\n"
               "with the whole trace streamed to FILE (default /tmp/pinata-scale.trace.json, kept\n"
               "for `pinata view`); prints the real time, the events and the peak memory.\n"
               "Run it in its own process: the peak memory is the process's.\n\n"
               "usage: pinata bench --viewer TRACE [--reps R] [--json FILE|-]\n\n"
               "The viewer on a big trace (e.g. the one --scale 26000 writes): load, index, time axis,\n"
               "layout of a 1400 x 820 window frame at the whole run, 1 %% and 0.001 %%, the memory held\n"
               "per event, and `pinata text --limit 5` and `pinata export -o .png` timed end to end.\n\n"
               "See docs/performance.md for what each figure means.\n");
}

typedef struct bench_cli {
    bench_opts o;
    bench_scale_opts scale;
    long scale_n;          /* > 0: run the scale benchmark instead of the suite */
    const char *viewer;    /* --viewer TRACE: the viewer benchmark instead of the suite */
    const char *json, *chart;
} bench_cli;

static int parse_long(const char *opt, const char *s, long min, long *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min) {
        errline("bench", "%s: expected an integer >= %ld, got '%s'", opt, min, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* -n scales what is counted by tasks; threads alive at once stay capped (1000 threads of
 * 8 MiB stacks already reserve 8 GiB of address space). */
static void set_n(bench_opts *o, long n) {
    o->n = n;
    o->mem_tasks = n;
    if (o->mem_threads > n) o->mem_threads = n;
    if (o->batch > n) o->batch = n;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* "create,switch" -> BENCH_CREATE | BENCH_SWITCH. */
static int parse_parts(const char *s, unsigned *out) {
    static const struct { const char *name; unsigned bit; } parts[] = {
        {"memory", BENCH_MEMORY}, {"create", BENCH_CREATE}, {"switch", BENCH_SWITCH}, {"trace", BENCH_TRACE}};
    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ","), i;
        for (i = 0; i < sizeof parts / sizeof *parts; i++)
            if (strlen(parts[i].name) == n && !strncmp(s, parts[i].name, n)) break;
        if (i == sizeof parts / sizeof *parts) {
            errline("bench", "--only: expected memory, create, switch or trace, got '%.*s'", (int)n, s);
            return -1;
        }
        *out |= parts[i].bit;
        s += n + (s[n] == ',');
    }
    return *out ? 0 : -1;
}

static int parse_args(int argc, char **argv, bench_cli *c) {
    int quick = 0;
    for (int i = 1; i < argc; i++) quick |= !strcmp(argv[i], "--quick");
    bench_opts_default(&c->o, quick);
    bench_scale_opts_default(&c->scale);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { bench_usage(stdout); return 1; }
        else if (!strcmp(a, "--quick")) continue;
        else if (!strcmp(a, "-n") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &v)) return -1; set_n(&c->o, v); }
        else if (!strcmp(a, "--switches") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &c->o.switches)) return -1; }
        else if (!strcmp(a, "--events") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &c->o.trace_events)) return -1; }
        else if (!strcmp(a, "--reps") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &v)) return -1; c->o.reps = (int)(v > 64 ? 64 : v); }
        else if (!strcmp(a, "--json") && i + 1 < argc) c->json = argv[++i];
        else if (!strcmp(a, "--chart") && i + 1 < argc) c->chart = argv[++i];
        else if (!strcmp(a, "--trace") && i + 1 < argc) c->o.trace_path = c->scale.trace_path = argv[++i];
        else if (!strcmp(a, "--no-trace")) c->scale.trace_path = NULL, c->o.trace_figures = 0;
        else if (!strcmp(a, "--no-threads")) c->o.threads = 0;
        else if (!strcmp(a, "--only") && i + 1 < argc) { if (parse_parts(argv[++i], &c->o.parts)) return -1; }
        else if (!strcmp(a, "--scale") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &c->scale_n)) return -1; c->scale.requests = c->scale_n; }
        else if (!strcmp(a, "--viewer") && i + 1 < argc) c->viewer = argv[++i];
        else if (!strcmp(a, "--hosts") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &v)) return -1; c->scale.hosts = (int)(v > 100000 ? 100000 : v); }
        else {
            errline("bench", "unknown or incomplete option '%s' (try `pinata bench --help`)", a);
            return -1;
        }
    }
    if (c->chart && !ends_with(c->chart, ".svg") && !ends_with(c->chart, ".png")) {
        errline("bench", "--chart: expected a file name ending in .svg or .png, got '%s'", c->chart);
        return -1;
    }
    return 0;
}

/* One JSON writer: the suite's results or the scale run's. */
typedef struct json_job {
    const bench_results *suite;
    const bench_scale_opts *scale_opts;
    const bench_scale_result *scale;
    const bench_view_opts *view_opts;
    const bench_view_result *view;
} json_job;

static int scale_json(FILE *f, const bench_scale_opts *o, const bench_scale_result *r);

static int write_json(FILE *f, const json_job *j) {
    if (j->view) return bench_view_json(f, j->view_opts, j->view);
    return j->suite ? bench_report_json(f, j->suite) : scale_json(f, j->scale_opts, j->scale);
}

/* Through sim/outfile: a failed write leaves no file, and a device is written in place. */
static int save_json(const char *path, const json_job *j) {
    outfile o;
    if (!outfile_open(&o, path)) return -1;
    int rc = write_json(o.f, j);
    return outfile_close(&o, rc == 0) != 0 ? -1 : rc;
}

static void scale_report(FILE *f, const bench_scale_opts *o, const bench_scale_result *r) {
    double s = (double)r->ns / 1e9;
    fprintf(f, "pinata bench --scale: %ld cheapo_requests against %d hosts, one thread, trace %s\n", o->requests,
            o->hosts, o->trace_path ? o->trace_path : "off");
    fprintf(f, "  simulated in       %.3f s real (%.1f ms of virtual time)\n", s, r->virtual_ms);
    fprintf(f, "  tasks, polls, wakes %llu, %llu, %llu; %ld requests Ok\n", (unsigned long long)r->tasks,
            (unsigned long long)r->polls, (unsigned long long)r->wakes, r->succeeded);
    if (o->trace_path)
        fprintf(f, "  trace              %llu events, %.1f MB, %.0f ns per event all in\n",
                (unsigned long long)r->events, (double)r->bytes / 1e6, r->events ? (double)r->ns / (double)r->events : 0);
    fprintf(f, "  peak resident      %.1f MB\n", (double)r->peak_rss / 1e6);
}

static int scale_json(FILE *f, const bench_scale_opts *o, const bench_scale_result *r) {
    return fprintf(f, "{\"schema\":1,\"scale\":{\"requests\":%ld,\"hosts\":%d,\"trace\":%s,\"seconds\":%.6f,"
                      "\"virtual_ms\":%.3f,\"tasks\":%llu,\"polls\":%llu,\"wakes\":%llu,\"events\":%llu,"
                      "\"bytes\":%llu,\"peak_rss_bytes\":%ld,\"succeeded\":%ld}}\n",
                   o->requests, o->hosts, o->trace_path ? "true" : "false", (double)r->ns / 1e9, r->virtual_ms,
                   (unsigned long long)r->tasks, (unsigned long long)r->polls, (unsigned long long)r->wakes,
                   (unsigned long long)r->events, (unsigned long long)r->bytes, r->peak_rss, r->succeeded) > 0
               ? 0 : -1;
}

static int run_scale(const bench_cli *c) {
    bench_scale_result r;
    char err[512];
    if (bench_scale_run(&c->scale, &r, err, sizeof err) != 0) {
        errline("bench --scale", "%s", err);
        return 1;
    }
    int to_stdout = c->json && !strcmp(c->json, "-");
    if (!to_stdout) scale_report(stdout, &c->scale, &r);
    if (!c->json) return 0;
    json_job j = {.scale_opts = &c->scale, .scale = &r};
    if (save_json(c->json, &j) == 0) return 0;
    errline("bench", "%s: cannot write the JSON results", c->json);
    return 1;
}

static int run_viewer(const bench_cli *c) {
    bench_view_opts o;
    bench_view_opts_default(&o);
    o.trace = c->viewer;
    o.reps = c->o.reps;
    char self[4096], err[1024];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) self[n] = '\0', o.self = self;
    bench_view_result r;
    if (bench_view_run(&o, &r, err, sizeof err) != 0) {
        errline("bench --viewer", "%s", err);
        return 1;
    }
    int to_stdout = c->json && !strcmp(c->json, "-");
    if (!to_stdout) bench_view_report(stdout, &o, &r);
    if (!c->json) return 0;
    json_job j = {.view_opts = &o, .view = &r};
    if (save_json(c->json, &j) == 0) return 0;
    errline("bench", "%s: cannot write the JSON results", c->json);
    return 1;
}

/* Fails before a minute of benchmarks, not after: can path be written? (Opened and closed
 * without keeping, so nothing is left behind.) */
static int check_writable(const char *what, const char *path) {
    outfile o;
    if (!path || outfile_open(&o, path)) {
        if (path) outfile_close(&o, 0);
        return 0;
    }
    errline("bench", "%s %s: cannot write this file", what, path);
    return -1;
}

int cmd_bench(int argc, char **argv) {
    bench_cli c = {0};
    int p = parse_args(argc, argv, &c);
    if (p) return p > 0 ? 0 : 2;
    if (check_writable("--json", c.json) || check_writable("--chart", c.chart)) return 2;
    if (c.scale_n > 0) return run_scale(&c);
    if (c.viewer) return run_viewer(&c);
    int to_stdout = c.json && !strcmp(c.json, "-");
    bench_results r;
    char err[512];
    if (bench_run(&c.o, &r, to_stdout ? NULL : stderr, err, sizeof err) != 0) {
        errline("bench", "%s", err);
        return 1;
    }
    if (!to_stdout) bench_report_table(stdout, &r);
    json_job j = {.suite = &r};
    if (c.json && save_json(c.json, &j) != 0) {
        errline("bench", "%s: cannot write the JSON results", c.json);
        return 1;
    }
    if (c.chart && bench_chart_write(&r, c.chart, err, sizeof err) != 0) {
        errline("bench", "%s", err);
        return 1;
    }
    if (c.chart && !to_stdout) printf("chart written to %s\n", c.chart);
    return 0;
}
