/* pinata bench: the lecture's headline claim, measured on this machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/bench_report.h"
#include "cli/commands.h"

static void bench_usage(FILE *f) {
    fprintf(f, "usage: pinata bench [--quick] [-n N] [--reps R] [--json FILE|-] [--chart OUT.svg|OUT.png]\n\n"
               "Measures pinata's real executor against OS threads, side by side, on this machine:\n"
               "creating and running tasks versus pthread_create + join, a handoff through wakers\n"
               "versus a condition variable, and the memory of a waiting task versus a blocked\n"
               "thread; pinata's figures with the trace off and on. Prints the table of ratios.\n\n"
               "  --quick       the CI smoke: tiny N, finishes in a second; the numbers mean little\n"
               "  -n N          tasks and threads to create, and pending tasks to measure (default 100000)\n"
               "  --reps R      repetitions; each figure is their median (default 5)\n"
               "  --json FILE   also write the results as JSON (`-` for stdout, then no table)\n"
               "  --chart OUT   also draw the ratios as a bar chart for a slide (.svg or .png)\n"
               "  --trace FILE  where the trace-on runs write (default /tmp/pinata-bench.trace.json; removed)\n"
               "See docs/performance.md for what each figure means.\n");
}

typedef struct bench_cli {
    bench_opts o;
    const char *json, *chart;
} bench_cli;

static int parse_long(const char *opt, const char *s, long min, long *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min) {
        fprintf(stderr, "pinata bench: %s: expected an integer >= %ld, got '%s'\n", opt, min, s);
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

static int parse_args(int argc, char **argv, bench_cli *c) {
    int quick = 0;
    for (int i = 1; i < argc; i++) quick |= !strcmp(argv[i], "--quick");
    bench_opts_default(&c->o, quick);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { bench_usage(stdout); return 1; }
        else if (!strcmp(a, "--quick")) continue;
        else if (!strcmp(a, "-n") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &v)) return -1; set_n(&c->o, v); }
        else if (!strcmp(a, "--reps") && i + 1 < argc) { if (parse_long(a, argv[++i], 1, &v)) return -1; c->o.reps = (int)(v > 64 ? 64 : v); }
        else if (!strcmp(a, "--json") && i + 1 < argc) c->json = argv[++i];
        else if (!strcmp(a, "--chart") && i + 1 < argc) c->chart = argv[++i];
        else if (!strcmp(a, "--trace") && i + 1 < argc) c->o.trace_path = argv[++i];
        else {
            fprintf(stderr, "pinata bench: unknown or incomplete option '%s' (try `pinata bench --help`)\n", a);
            return -1;
        }
    }
    return 0;
}

/* Writes the JSON through FILE.tmp and renames it, so a failed write leaves no file. */
static int save_json(const char *path, const bench_results *r) {
    if (!strcmp(path, "-")) return bench_report_json(stdout, r);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    int rc = bench_report_json(f, r);
    if (fclose(f) != 0) rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc != 0) remove(tmp);
    return rc;
}

int cmd_bench(int argc, char **argv) {
    bench_cli c = {0};
    int p = parse_args(argc, argv, &c);
    if (p) return p > 0 ? 0 : 2;
    int to_stdout = c.json && !strcmp(c.json, "-");
    bench_results r;
    char err[512];
    if (bench_run(&c.o, &r, to_stdout ? NULL : stderr, err, sizeof err) != 0) {
        fprintf(stderr, "pinata bench: %s\n", err);
        return 1;
    }
    if (!to_stdout) bench_report_table(stdout, &r);
    if (c.json && save_json(c.json, &r) != 0) {
        fprintf(stderr, "pinata bench: %s: cannot write the JSON results\n", c.json);
        return 1;
    }
    if (c.chart) fprintf(stderr, "pinata bench: --chart: not available yet\n");
    return 0;
}
