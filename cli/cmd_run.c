/* pinata run / pinata list */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/errline.h"
#include "sim/runner.h"
#include "trace/summary.h"

static void run_usage(FILE *f) {
    fprintf(f, "usage: pinata run NAME|SCENARIO.json [-o TRACE.json] [--seed N] [--param KEY=VALUE]...\n"
               "                  [--model ideal|async-std|tokio] [--max-trace-mb N] [--summary] [--quiet]\n\n"
               "Runs a built-in example (see `pinata list`) or a scenario file on the simulated\n"
               "executor and network, and writes its trace (default: NAME.trace.json; `-o -` for\n"
               "stdout). The trace opens in `pinata view` and in Perfetto UI.\n"
               "--param KEY=VALUE overrides one of the scenario's \"params\" (e.g. connections=100000).\n"
               "--max-trace-mb N: the output budget (default the scenario's runtime.max_trace_mb, 256):\n"
               "a run whose trace would grow past N MiB stops with an error and leaves no trace.\n"
               "--summary prints the per-task summary (polls, wakes, busy/scheduled/idle time, lints,\n"
               "memory), read back from the trace.\n"
               "--model: whose executor to imitate: ideal (default: only woken tasks are polled), or\n"
               "async-std / tokio, which poll as those runtimes do (docs/runtime-models.md).\n"
               "Exit status: 0 finished, 3 the run ended in a deadlock (reported), 101 the root future\n"
               "panicked (as a Rust program's), 2 bad input.\n");
}

#define MAX_SEED 9007199254740991ull /* 2^53 - 1, as a scenario's "seed": a JSON number holds it exactly */

/* Digits only, at most max: a larger number is refused, never wrapped. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out) {
    uint64_t v = 0;
    if (!*s) return -1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > (max - (uint64_t)(*p - '0')) / 10) return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 0;
}

/* The default trace name: the example's name or the scenario file's base name. */
static void default_out(const char *in, char *out, size_t cap) {
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    size_t n = strcspn(base, ".");
    snprintf(out, cap, "%.*s.trace.json", (int)n, base);
}

/* --param KEY=VALUE: split in place (run, and view / export through cli/commands.h). */
int cli_parse_param(char *kv, scenario_param *p) {
    char *eq = strchr(kv, '=');
    if (!eq || eq == kv) return -1;
    *eq = 0;
    *p = (scenario_param){kv, eq + 1};
    return 0;
}

int cli_parse_seed(const char *s, uint64_t *seed) { return parse_uint(s, MAX_SEED, seed); }

int cli_parse_model(const char *name) {
    int m = scenario_model_index(name);
    return m < 0 ? -1 : m + 1;
}

/* --summary: the per-task table, read back from the trace file the run wrote (trace/summary,
 * from the reader's arrays). Only a plain file can be read back: opening a FIFO or
 * /dev/stdout (a terminal) again would wait forever for a writer or for keys. */
static void task_summary(const char *trace_path) {
    struct stat st;
    if (stat(trace_path, &st) != 0 || !S_ISREG(st.st_mode)) {
        printf("no per-task summary: the trace went to a device or FIFO, which cannot be read back "
               "(--summary needs -o FILE)\n");
        return;
    }
    char err[512];
    summary_t *sm = summary_read(trace_path, err, sizeof err);
    if (sm) summary_print(sm, stdout, 20);
    else printf("no per-task summary: %s\n", err); /* e.g. a trace larger than the reader takes */
    summary_free(sm);
}

int cmd_run(int argc, char **argv) {
    const char *in = NULL, *out = NULL;
    runner_opts opts = {0};
    int want_summary = 0;
    scenario_param params[MAX_PARAMS];
    opts.params = params;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { run_usage(stdout); return 0; }
        else if (!strcmp(a, "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(a, "--seed") && i + 1 < argc) {
            if (cli_parse_seed(argv[++i], &opts.seed) != 0) {
                errline("run", "--seed: " CLI_SEED_EXPECTED ", got '%s'", argv[i]);
                return 2;
            }
            opts.has_seed = 1;
        } else if (!strcmp(a, "--max-trace-mb") && i + 1 < argc) {
            uint64_t mb = 0;
            if (parse_uint(argv[++i], SCN_MAX_TRACE_MB, &mb) != 0 || mb < 1) {
                errline("run", "--max-trace-mb: expected an integer 1..%d (MiB), got '%s'", SCN_MAX_TRACE_MB, argv[i]);
                return 2;
            }
            opts.max_trace_mb = (int64_t)mb;
        } else if (!strcmp(a, "--param") && i + 1 < argc) {
            if (opts.nparams == MAX_PARAMS || cli_parse_param(argv[++i], &params[opts.nparams]) != 0) {
                errline("run", "--param: expected KEY=VALUE (at most %d), got '%s'", MAX_PARAMS, argv[i]);
                return 2;
            }
            opts.nparams++;
        } else if (!strcmp(a, "--model") && i + 1 < argc) {
            opts.model = cli_parse_model(argv[++i]);
            if (opts.model < 0) {
                errline("run", "--model: " CLI_MODEL_EXPECTED ", got '%s'", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--summary")) want_summary = 1;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) opts.quiet = 1;
        else if (a[0] == '-' && a[1]) {
            errline("run", "unknown or incomplete option '%s' (try `pinata run --help`)", a);
            return 2;
        } else if (!in) in = a;
        else { errline("run", "unexpected argument '%s'", a); return 2; }
    }
    if (!in) { run_usage(stderr); return 2; }
    char def[256], err[512];
    if (!out) { default_out(in, def, sizeof def); out = def; }
    runner_status st = runner_run(in, out, &opts, err, sizeof err);
    if (st == RUNNER_ERROR) { errline("run", "%s", err); return 2; }
    if (want_summary && !opts.quiet && strcmp(out, "-") != 0) task_summary(out);
    if (!opts.quiet && strcmp(out, "-") != 0) printf("trace written to %s\n", errline_safe(err, sizeof err, out));
    /* 101: what a Rust program whose main panicked exits with */
    return st == RUNNER_DEADLOCK ? 3 : st == RUNNER_PANIC ? 101 : 0;
}

/* The scenario files shipped in scenarios/, with their titles. */
static void list_scenarios(FILE *out) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s/scenarios", PINATA_SOURCE_DIR);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) return;
    fprintf(out, "\nscenario files (pinata run %s/NAME.json):\n", dir);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(name);
        if (len > 5 && strcmp(name + len - 5, ".json") == 0) {
            char path[1024], err[768];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            scenario *s = scenario_load(path, NULL, 0, err, sizeof err);
            fprintf(out, "%-26.*s %s\n", (int)(len - 5), name, s ? s->title : "(does not load: pinata check it)");
            scenario_free(s);
        }
        free(names[i]);
    }
    free(names);
}

int cmd_list(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: pinata list\n\nLists the built-in examples and the scenarios in scenarios/.\n");
        return 0;
    }
    if (argc > 1) { errline("list", "unexpected argument '%s'", argv[1]); return 2; }
    runner_list(stdout);
    list_scenarios(stdout);
    return 0;
}
