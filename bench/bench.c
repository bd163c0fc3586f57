#include "bench/bench.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_task.h"
#include "bench/bench_thread.h"
#include "bench/bench_trace.h"

#define MAX_REPS 64
#define STACK_IN_USE (100 * 1024) /* "100 KB of stack", as the lecture says is common */

void bench_opts_default(bench_opts *o, int quick) {
    *o = (bench_opts){.n = 100000, .batch = 100, .switches = 200000, .mem_tasks = 100000,
                      .mem_threads = 1000, .trace_events = 1000000, .reps = 5,
                      .trace_path = "/tmp/pinata-bench.trace.json", .parts = BENCH_ALL, .trace_figures = 1,
                      .threads = 1};
    if (quick)
        *o = (bench_opts){.n = 200, .batch = 50, .switches = 200, .mem_tasks = 200, .mem_threads = 20,
                          .trace_events = 2000, .reps = 3, .trace_path = o->trace_path, .parts = BENCH_ALL,
                          .trace_figures = 1, .threads = 1};
}

/* ---------- helpers ---------- */

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bench_stat bench_stat_of(double *s, int n) {
    if (n <= 0) return (bench_stat){0};
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return (bench_stat){.median = med, .min = s[0], .max = s[n - 1], .reps = n};
}

/* field 0 of /proc/self/statm is the address space, field 1 the resident set, in pages. */
static long statm_field(int field) {
    FILE *f = fopen("/proc/self/statm", "r");
    long v[2] = {0, 0};
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &v[0], &v[1]) != 2) v[0] = v[1] = 0;
    fclose(f);
    return v[field] * sysconf(_SC_PAGESIZE);
}

long bench_vsz_bytes(void) { return statm_field(0); }
long bench_rss_bytes(void) { return statm_field(1); }

long bench_heap_bytes(void) {
    struct mallinfo2 mi = mallinfo2();
    /* Small chunks are in uordblks; large ones (the executor's task table) are mmapped. */
    return (long)(mi.uordblks + mi.hblkhd);
}

/* A thread also costs what RSS does not show: its kernel stack (16 KiB on x86-64). */
long bench_kernel_stack_bytes(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "KernelStack: %ld kB", &kb) == 1) break;
    if (f) fclose(f);
    return kb * 1024;
}

long bench_peak_rss_bytes(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return ru.ru_maxrss * 1024L; /* Linux reports KiB */
}

/* ---------- the suite ---------- */

static void say(FILE *p, const char *what, const bench_stat *s, const char *unit) {
    if (p && s->reps) fprintf(p, "  %-40s %10.1f %s (median of %d)\n", what, s->median, unit, s->reps);
}

static trace_t *trace_on(const bench_opts *o) { return trace_open(o->trace_path); }

/* Times fn(NULL) and fn(trace) reps times each; stores ns per operation. */
typedef bench_task_run (*task_fn)(const bench_opts *o, trace_t *t);

static int time_task(const bench_opts *o, task_fn fn, long ops, bench_stat out[2], uint64_t *count,
                     uint64_t *events) {
    double s[2][MAX_REPS];
    int ok = 1;
    for (int rep = 0; rep < o->reps; rep++) {
        for (int on = 0; on < 1 + !!o->trace_figures; on++) {
            trace_t *t = on ? trace_on(o) : NULL;
            if (on && !t) return -1;
            bench_task_run run = fn(o, t);
            trace_close(t, 0); /* the file is not kept: it only had to be written */
            ok &= run.ok;
            s[on][rep] = (double)run.ns / (double)(ops > 0 ? ops : 1);
            *count = run.count;
            if (on) *events = run.events;
        }
    }
    out[BENCH_OFF] = bench_stat_of(s[BENCH_OFF], o->reps);
    if (o->trace_figures) out[BENCH_ON] = bench_stat_of(s[BENCH_ON], o->reps);
    return ok ? 0 : -1;
}

static bench_task_run create_fn(const bench_opts *o, trace_t *t) { return bench_task_create(o->n, o->batch, t); }
static bench_task_run switch_fn(const bench_opts *o, trace_t *t) { return bench_task_switch(o->switches, t); }

typedef bench_thread_run (*thread_fn)(const bench_opts *o);

static bench_stat time_thread(const bench_opts *o, thread_fn fn, long ops, uint64_t *count, int *ok) {
    double s[MAX_REPS];
    for (int rep = 0; rep < o->reps; rep++) {
        bench_thread_run run = fn(o);
        *ok &= run.ok;
        *count = run.count;
        s[rep] = (double)run.ns / (double)(ops > 0 ? ops : 1);
    }
    return bench_stat_of(s, o->reps);
}

static bench_thread_run thread_create_fn(const bench_opts *o) { return bench_thread_create(o->n, o->batch); }
static bench_thread_run thread_switch_fn(const bench_opts *o) { return bench_thread_switch(o->switches); }

/* Memory first, in a process that has not grown yet; malloc_trim gives freed memory back
 * before each baseline so a later figure does not reuse what an earlier one left. */
static int run_memory(const bench_opts *o, bench_results *r, FILE *p) {
    int ok = 1;
    for (int on = 0; on < 1 + !!o->trace_figures; on++) {
        trace_t *t = on ? trace_on(o) : NULL;
        if (on && !t) return -1;
        malloc_trim(0);
        bench_task_mem m = bench_task_memory(o->mem_tasks, t);
        trace_close(t, 0);
        ok &= m.ok;
        double n = (double)(m.pending ? m.pending : 1);
        r->task_bytes_malloc[on] = (double)m.heap_delta / n;
        r->task_bytes_rss[on] = (double)m.rss_delta / n;
        r->task_bytes_accounted = (double)m.accounted / n;
        r->task_header_bytes = m.header_bytes;
        r->task_future_bytes = m.future_bytes;
        r->tasks_pending = m.pending;
    }
    for (int touch = 0; touch < 2 * !!o->threads; touch++) {
        malloc_trim(0);
        bench_thread_mem m = bench_thread_memory(o->mem_threads, touch ? STACK_IN_USE : 0);
        ok &= m.ok;
        double n = (double)(m.blocked ? m.blocked : 1);
        *(touch ? &r->thread_bytes_rss_100k : &r->thread_bytes_rss) = (double)m.rss_delta / n;
        r->thread_bytes_virtual = (double)m.vsz_delta / n;
        if (!touch) r->thread_bytes_kernel = (double)m.kstack_delta / n;
        r->threads_blocked = m.blocked;
    }
    if (p)
        fprintf(p, "  memory: %.0f B per pending task, %.0f B per blocked thread (%.0f B with 100 KB of stack)\n",
                r->task_bytes_malloc[BENCH_OFF], r->thread_bytes_rss, r->thread_bytes_rss_100k);
    return ok ? 0 : -1;
}

static int run_create(const bench_opts *o, bench_results *r, FILE *p) {
    int ok = 1;
    if (time_task(o, create_fn, o->n, r->task_create, &r->tasks_completed, &r->create_events) != 0) ok = 0;
    say(p, "create+complete, task (trace off)", &r->task_create[BENCH_OFF], "ns");
    say(p, "create+complete, task (trace on)", &r->task_create[BENCH_ON], "ns");
    if (o->threads) r->thread_create = time_thread(o, thread_create_fn, o->n, &r->threads_joined, &ok);
    say(p, "create+join, thread", &r->thread_create, "ns");
    return ok ? 0 : -1;
}

static int run_switch(const bench_opts *o, bench_results *r, FILE *p) {
    int ok = 1;
    if (time_task(o, switch_fn, o->switches, r->task_switch, &r->task_switches, &r->switch_events) != 0) ok = 0;
    say(p, "switch, task via wakers (trace off)", &r->task_switch[BENCH_OFF], "ns");
    say(p, "switch, task via wakers (trace on)", &r->task_switch[BENCH_ON], "ns");
    if (o->threads) r->thread_switch = time_thread(o, thread_switch_fn, o->switches, &r->thread_switches, &ok);
    say(p, "switch, thread via condvar", &r->thread_switch, "ns");
    return ok ? 0 : -1;
}

/* The recording cost alone (into /dev/null: formatting and buffering, no kernel copy), and
 * with the file written for real, as a run with the trace on writes it. */
static int time_trace(const bench_opts *o, const char *path, bench_stat *out, uint64_t *bytes) {
    double s[MAX_REPS];
    int ok = 1;
    for (int rep = 0; rep < o->reps; rep++) {
        bench_trace_run run = bench_trace_poll_events(o->trace_events, path);
        ok &= run.ok && run.events == (uint64_t)o->trace_events;
        s[rep] = (double)run.ns / (double)(run.events ? run.events : 1);
        if (bytes) *bytes = run.events ? run.bytes / run.events : 0;
    }
    *out = bench_stat_of(s, o->reps);
    return ok ? 0 : -1;
}

static int run_trace(const bench_opts *o, bench_results *r, FILE *p) {
    int ok = time_trace(o, "/dev/null", &r->trace_poll_event, NULL) == 0;
    ok &= time_trace(o, o->trace_path, &r->trace_poll_event_file, &r->trace_bytes) == 0;
    say(p, "trace: record one poll event", &r->trace_poll_event, "ns");
    say(p, "trace: ... and write it to a file", &r->trace_poll_event_file, "ns");
    return ok ? 0 : -1;
}

int bench_run(const bench_opts *in, bench_results *r, FILE *p, char *err, size_t errlen) {
    bench_opts o = *in;
    if (o.reps < 1) o.reps = 1;
    if (o.reps > MAX_REPS) o.reps = MAX_REPS;
    memset(r, 0, sizeof *r);
    r->opts = o;
    if ((o.parts & BENCH_MEMORY) && run_memory(&o, r, p) != 0) { snprintf(err, errlen, "memory: could not start every task or thread"); return -1; }
    if ((o.parts & BENCH_CREATE) && run_create(&o, r, p) != 0) { snprintf(err, errlen, "create: a task or thread could not be created (or %s not written)", o.trace_path); return -1; }
    if ((o.parts & BENCH_SWITCH) && run_switch(&o, r, p) != 0) { snprintf(err, errlen, "switch: could not run the ping-pong (or %s not written)", o.trace_path); return -1; }
    if ((o.parts & BENCH_TRACE) && run_trace(&o, r, p) != 0) { snprintf(err, errlen, "%s: could not write the trace", o.trace_path); return -1; }
    return 0;
}
