#include "bench/bench_report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static double ratio(double a, double b) { return b > 0 ? a / b : 0; }

bench_ratios bench_report_ratios(const bench_results *r) {
    double task_mem = r->task_bytes_malloc[BENCH_OFF];
    return (bench_ratios){
        .create = ratio(r->thread_create.median, r->task_create[BENCH_OFF].median),
        .switch_ = ratio(r->thread_switch.median, r->task_switch[BENCH_OFF].median),
        .memory = ratio(r->thread_bytes_rss, task_mem),
        .memory_100k = ratio(r->thread_bytes_rss_100k, task_mem),
    };
}

/* The trace's cost as a factor of the same run with the trace off (0 when either is missing). */
static double trace_factor(const bench_stat s[2]) { return s[BENCH_OFF].median > 0 ? ratio(s[BENCH_ON].median, s[BENCH_OFF].median) : 0; }

int bench_report_targets(const bench_results *r, bench_target *out, int cap) {
    /* The limits and where they come from: docs/performance.md, "Targets". */
    const bench_target all[] = {
        {"task spawn + complete", r->task_create[BENCH_OFF].median, 100, "ns"},
        {"task switch (wake -> poll)", r->task_switch[BENCH_OFF].median, 50, "ns"},
        {"executor bytes per task beyond the future", (double)r->task_header_bytes, 64, "B"},
        {"record one poll event into the trace", r->trace_poll_event.median, 50, "ns"},
        {"spawn + complete, trace on / trace off", trace_factor(r->task_create), 3, "x"},
        {"switch, trace on / trace off", trace_factor(r->task_switch), 3, "x"},
    };
    int n = 0;
    /* A part left out with --only or --no-trace measured nothing: it is neither met nor missed. */
    for (size_t i = 0; i < sizeof all / sizeof *all && n < cap; i++)
        if (all[i].value > 0) out[n++] = all[i];
    return n;
}

/* ---------- the table ---------- */

/* A time in the unit that keeps 3-4 significant digits. */
static const char *fmt_ns(char *b, size_t cap, double ns) {
    if (ns >= 1e6) snprintf(b, cap, "%.2f ms", ns / 1e6);
    else if (ns >= 1e4) snprintf(b, cap, "%.1f us", ns / 1e3);
    else if (ns >= 1e3) snprintf(b, cap, "%.2f us", ns / 1e3);
    else snprintf(b, cap, "%.0f ns", ns);
    return b;
}

static const char *fmt_bytes(char *b, size_t cap, double v) {
    if (v >= 1024 * 1024) snprintf(b, cap, "%.1f MiB", v / (1024 * 1024));
    else if (v >= 10 * 1024) snprintf(b, cap, "%.0f KiB", v / 1024);
    else if (v >= 1024) snprintf(b, cap, "%.1f KiB", v / 1024);
    else snprintf(b, cap, "%.0f B", v);
    return b;
}

static void row(FILE *f, const char *what, const char *off, const char *on, const char *thread, double x) {
    char rb[32];
    if (x > 0) snprintf(rb, sizeof rb, "%.0fx", x);
    else snprintf(rb, sizeof rb, "-");
    fprintf(f, "%-34s %12s %12s %12s %10s\n", what, off, on, thread, rb);
}

static void table_rows(FILE *f, const bench_results *r, bench_ratios x) {
    char a[32], b[32], c[32];
    row(f, "create + run to completion", fmt_ns(a, 32, r->task_create[0].median),
        fmt_ns(b, 32, r->task_create[1].median), fmt_ns(c, 32, r->thread_create.median), x.create);
    row(f, "switch (one handoff)", fmt_ns(a, 32, r->task_switch[0].median),
        fmt_ns(b, 32, r->task_switch[1].median), fmt_ns(c, 32, r->thread_switch.median), x.switch_);
    row(f, "memory (task malloc, thread RSS)", fmt_bytes(a, 32, r->task_bytes_malloc[0]),
        fmt_bytes(b, 32, r->task_bytes_malloc[1]), fmt_bytes(c, 32, r->thread_bytes_rss), x.memory);
    row(f, "  ... thread with 100 KB of stack", "", "", fmt_bytes(c, 32, r->thread_bytes_rss_100k), x.memory_100k);
    row(f, "  ... task, resident (statm)", fmt_bytes(a, 32, r->task_bytes_rss[0]), fmt_bytes(b, 32, r->task_bytes_rss[1]),
        "", 0);
    row(f, "  ... thread, kernel stack", "", "", fmt_bytes(c, 32, r->thread_bytes_kernel), 0);
    row(f, "  ... thread, address space", "", "", fmt_bytes(c, 32, r->thread_bytes_virtual), 0);
}

static void table_notes(FILE *f, const bench_results *r) {
    char a[32];
    fprintf(f, "\nper task: %llu B executor header (task_t) + %llu B future state = %.0f B accounted;"
               " the rest of the malloc figure is allocator overhead and the executor's task table\n",
            (unsigned long long)r->task_header_bytes, (unsigned long long)r->task_future_bytes,
            r->task_bytes_accounted);
    char b[32];
    fprintf(f, "trace: one poll event recorded in %s; %s with the file written (%llu bytes of JSON)\n",
            fmt_ns(a, 32, r->trace_poll_event.median), fmt_ns(b, 32, r->trace_poll_event_file.median),
            (unsigned long long)r->trace_bytes);
    const bench_opts *o = &r->opts;
    if (r->create_events && r->switch_events)
        fprintf(f, "trace on, in the executor: %.1f events per created task, %.0f ns each; %.1f per handoff, %.0f ns each\n",
                (double)r->create_events / (double)o->n,
                (r->task_create[1].median - r->task_create[0].median) * (double)o->n / (double)r->create_events,
                (double)r->switch_events / (double)o->switches,
                (r->task_switch[1].median - r->task_switch[0].median) * (double)o->switches / (double)r->switch_events);
    bench_target t[BENCH_TARGETS_MAX];
    int n = bench_report_targets(r, t, BENCH_TARGETS_MAX);
    fprintf(f, "\ntargets (docs/performance.md, \"Targets\"; times vary with the machine's load):\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "  %s %-44s %8.1f %s (target <= %.0f %s)\n", t[i].value <= t[i].limit ? "met   " : "MISSED",
                t[i].name, t[i].value, t[i].unit, t[i].limit, t[i].unit);
}

void bench_report_table(FILE *f, const bench_results *r) {
    const bench_opts *o = &r->opts;
    fprintf(f, "pinata bench: async tasks versus OS threads on this machine (median of %d runs)\n", o->reps);
    fprintf(f, "create: %ld, at most %ld alive; switch: %ld handoffs; memory: %ld tasks, %ld threads\n\n",
            o->n, o->batch, o->switches, o->mem_tasks, o->mem_threads);
    fprintf(f, "%-34s %12s %12s %12s %10s\n", "", "pinata task", "pinata task", "OS thread", "thread/");
    fprintf(f, "%-34s %12s %12s %12s %10s\n", "", "trace off", "trace on", "", "task");
    table_rows(f, r, bench_report_ratios(r));
    table_notes(f, r);
}

/* ---------- JSON ---------- */

static cJSON *stat_json(const bench_stat *s) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "median", s->median);
    cJSON_AddNumberToObject(o, "min", s->min);
    cJSON_AddNumberToObject(o, "max", s->max);
    cJSON_AddNumberToObject(o, "reps", s->reps);
    return o;
}

static cJSON *pair_json(const bench_stat s[2]) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "trace_off", stat_json(&s[BENCH_OFF]));
    cJSON_AddItemToObject(o, "trace_on", stat_json(&s[BENCH_ON]));
    return o;
}

static cJSON *machine_json(void) {
    cJSON *m = cJSON_CreateObject();
    struct utsname u;
    if (uname(&u) == 0) {
        cJSON_AddStringToObject(m, "kernel", u.release);
        cJSON_AddStringToObject(m, "arch", u.machine);
    }
    cJSON_AddNumberToObject(m, "cpus", (double)sysconf(_SC_NPROCESSORS_ONLN));
    char line[256], model[256] = "";
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
            model[strcspn(model, "\n")] = 0;
            break;
        }
    if (f) fclose(f);
    cJSON_AddStringToObject(m, "cpu", model);
    return m;
}

static cJSON *opts_json(const bench_opts *o) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "n", (double)o->n);
    cJSON_AddNumberToObject(j, "batch", (double)o->batch);
    cJSON_AddNumberToObject(j, "switches", (double)o->switches);
    cJSON_AddNumberToObject(j, "mem_tasks", (double)o->mem_tasks);
    cJSON_AddNumberToObject(j, "mem_threads", (double)o->mem_threads);
    cJSON_AddNumberToObject(j, "trace_events", (double)o->trace_events);
    cJSON_AddNumberToObject(j, "reps", o->reps);
    return j;
}

static cJSON *create_json(const bench_results *r, const bench_ratios *x) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToObject(c, "task_ns", pair_json(r->task_create));
    cJSON_AddItemToObject(c, "thread_ns", stat_json(&r->thread_create));
    cJSON_AddNumberToObject(c, "ratio", x->create);
    cJSON_AddNumberToObject(c, "tasks_completed", (double)r->tasks_completed);
    cJSON_AddNumberToObject(c, "threads_joined", (double)r->threads_joined);
    cJSON_AddNumberToObject(c, "trace_events", (double)r->create_events);
    return c;
}

static cJSON *switch_json(const bench_results *r, const bench_ratios *x) {
    cJSON *s = cJSON_CreateObject();
    cJSON_AddItemToObject(s, "task_ns", pair_json(r->task_switch));
    cJSON_AddItemToObject(s, "thread_ns", stat_json(&r->thread_switch));
    cJSON_AddNumberToObject(s, "ratio", x->switch_);
    cJSON_AddNumberToObject(s, "task_switches", (double)r->task_switches);
    cJSON_AddNumberToObject(s, "thread_switches", (double)r->thread_switches);
    cJSON_AddNumberToObject(s, "trace_events", (double)r->switch_events);
    return s;
}

static cJSON *memory_json(const bench_results *r, const bench_ratios *x) {
    cJSON *m = cJSON_CreateObject();
    cJSON *t = cJSON_AddObjectToObject(m, "task_bytes");
    cJSON *ma = cJSON_AddObjectToObject(t, "malloc");
    cJSON_AddNumberToObject(ma, "trace_off", r->task_bytes_malloc[BENCH_OFF]);
    cJSON_AddNumberToObject(ma, "trace_on", r->task_bytes_malloc[BENCH_ON]);
    cJSON *rs = cJSON_AddObjectToObject(t, "rss");
    cJSON_AddNumberToObject(rs, "trace_off", r->task_bytes_rss[BENCH_OFF]);
    cJSON_AddNumberToObject(rs, "trace_on", r->task_bytes_rss[BENCH_ON]);
    cJSON_AddNumberToObject(t, "accounted", r->task_bytes_accounted);
    cJSON_AddNumberToObject(t, "header", (double)r->task_header_bytes);
    cJSON_AddNumberToObject(t, "future", (double)r->task_future_bytes);
    cJSON_AddNumberToObject(m, "tasks_pending", (double)r->tasks_pending);
    cJSON *th = cJSON_AddObjectToObject(m, "thread_bytes");
    cJSON_AddNumberToObject(th, "rss_default_stack", r->thread_bytes_rss);
    cJSON_AddNumberToObject(th, "rss_100k_stack", r->thread_bytes_rss_100k);
    cJSON_AddNumberToObject(th, "virtual", r->thread_bytes_virtual);
    cJSON_AddNumberToObject(th, "kernel_stack", r->thread_bytes_kernel);
    cJSON_AddNumberToObject(m, "threads_blocked", (double)r->threads_blocked);
    cJSON_AddNumberToObject(m, "ratio", x->memory);
    cJSON_AddNumberToObject(m, "ratio_100k", x->memory_100k);
    return m;
}

static cJSON *targets_json(const bench_results *r) {
    bench_target t[BENCH_TARGETS_MAX];
    int n = bench_report_targets(r, t, BENCH_TARGETS_MAX);
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", t[i].name);
        cJSON_AddNumberToObject(o, "value", t[i].value);
        cJSON_AddNumberToObject(o, "limit", t[i].limit);
        cJSON_AddStringToObject(o, "unit", t[i].unit);
        cJSON_AddBoolToObject(o, "met", t[i].value <= t[i].limit);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *results_json(const bench_results *r) {
    bench_ratios x = bench_report_ratios(r);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema", 1);
    cJSON_AddItemToObject(root, "machine", machine_json());
    cJSON_AddItemToObject(root, "opts", opts_json(&r->opts));
    cJSON_AddItemToObject(root, "create", create_json(r, &x));
    cJSON_AddItemToObject(root, "switch", switch_json(r, &x));
    cJSON_AddItemToObject(root, "memory", memory_json(r, &x));
    cJSON *tr = cJSON_AddObjectToObject(root, "trace");
    cJSON_AddItemToObject(tr, "poll_event_ns", stat_json(&r->trace_poll_event));
    cJSON_AddItemToObject(tr, "poll_event_file_ns", stat_json(&r->trace_poll_event_file));
    cJSON_AddNumberToObject(tr, "poll_event_bytes", (double)r->trace_bytes);
    cJSON_AddItemToObject(root, "targets", targets_json(r));
    return root;
}

int bench_report_json(FILE *f, const bench_results *r) {
    cJSON *root = results_json(r);
    char *s = root ? cJSON_Print(root) : NULL;
    int rc = s && fprintf(f, "%s\n", s) > 0 ? 0 : -1;
    free(s);
    cJSON_Delete(root);
    return rc;
}
