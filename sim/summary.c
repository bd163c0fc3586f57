#include "sim/summary.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trace/printable.h"

/* ---------- reading fields ---------- */

static const cJSON *arg(const cJSON *ev, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "args"), key);
}

static int64_t arg_int(const cJSON *ev, const char *key, int64_t def) {
    const cJSON *v = arg(ev, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : def;
}

static const char *arg_str(const cJSON *ev, const char *key) {
    const cJSON *v = arg(ev, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static const char *str(const cJSON *ev, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Trace times are microseconds with three decimals. */
static int64_t us_ns(const cJSON *v) { return cJSON_IsNumber(v) ? (int64_t)llround(v->valuedouble * 1000.0) : 0; }
static int64_t ts_ns(const cJSON *ev) { return us_ns(cJSON_GetObjectItemCaseSensitive(ev, "ts")); }
static int64_t dur_ns(const cJSON *ev) { return us_ns(cJSON_GetObjectItemCaseSensitive(ev, "dur")); }

/* ---------- tasks ---------- */

static summary_task *task(summary_t *s, int64_t id) {
    if (id < 1 || id > 100000000) return NULL;
    size_t i = (size_t)(id - 1);
    if (i >= s->ntasks) {
        size_t n = i + 1 > s->ntasks * 2 ? i + 1 : s->ntasks * 2;
        summary_task *a = realloc(s->tasks, n * sizeof *a);
        if (!a) return NULL;
        memset(a + s->ntasks, 0, (n - s->ntasks) * sizeof *a);
        for (size_t k = s->ntasks; k < n; k++) a[k].woken_ns = -1;
        s->tasks = a;
        s->ntasks = n;
    }
    return &s->tasks[i];
}

const summary_task *summary_task_get(const summary_t *s, int64_t id) {
    return id >= 1 && (size_t)id <= s->ntasks && s->tasks[id - 1].id ? &s->tasks[id - 1] : NULL;
}

static void on_spawn(summary_t *s, const cJSON *ev) {
    summary_task *t = task(s, arg_int(ev, "task", 0));
    if (!t) return;
    t->id = arg_int(ev, "task", 0);
    printable(t->name, sizeof t->name, arg_str(ev, "name"), 0); /* printed on a terminal */
    printable(t->how, sizeof t->how, arg_str(ev, "how"), 0);
    t->bytes = arg_int(ev, "bytes", 0);
    t->spawn_ns = ts_ns(ev);
}

/* A task's top-level poll (its root future; `call` on a synchronous thread). */
static void on_poll(summary_t *s, const cJSON *ev) {
    if (!cJSON_IsNull(arg(ev, "parent"))) return;
    summary_task *t = task(s, arg_int(ev, "task", 0));
    if (!t || !t->id) return;
    int64_t start = ts_ns(ev), d = dur_ns(ev);
    int tid = (int)cJSON_GetObjectItemCaseSensitive(ev, "tid")->valuedouble;
    t->polls++;
    s->polls++;
    t->busy_ns += d;
    if (d > t->max_poll_ns) t->max_poll_ns = d;
    if (d > s->long_poll_ns) t->long_polls++;
    if (t->woken_ns >= 0 && start > t->woken_ns) t->sched_ns += start - t->woken_ns;
    t->woken_ns = -1;
    uint64_t bit = 1ull << (tid % 64);
    if (!(t->tid_mask & bit)) t->threads++;
    t->tid_mask |= bit;
}

static void on_wake(summary_t *s, const cJSON *ev) {
    summary_task *t = task(s, arg_int(ev, "task", 0));
    if (!t || !t->id) return;
    t->wakes++;
    if (cJSON_IsTrue(arg(ev, "queued")) && t->woken_ns < 0) t->woken_ns = ts_ns(ev);
}

static void on_lint(summary_t *s, const cJSON *ev, const char *name) {
    summary_task *t = task(s, arg_int(ev, "task", 0));
    if (!t || !t->id) return;
    if (!strcmp(name, "lost_waker")) t->lost_waker++;
    else if (!strcmp(name, "poll_after_ready")) t->after_ready++;
    else if (!strcmp(name, "self_wake")) t->self_wakes++;
}

static void on_finish(summary_t *s, const cJSON *ev) {
    summary_task *t = task(s, arg_int(ev, "task", 0));
    if (!t || !t->id) return;
    t->finished = 1;
    t->err = (int)arg_int(ev, "err", 0);
    t->end_ns = ts_ns(ev);
}

static void on_memory(summary_t *s, const cJSON *ev) {
    uint64_t tasks = (uint64_t)arg_int(ev, "tasks", 0), threads = (uint64_t)arg_int(ev, "threads", 0);
    s->has_memory = 1;
    if (tasks > s->peak_tasks) {
        s->peak_tasks = tasks;
        s->peak_task_bytes = (uint64_t)arg_int(ev, "task_bytes", 0);
    }
    if (threads > s->peak_threads) s->peak_threads = threads;
}

static void on_header(summary_t *s, const cJSON *ev) {
    printable(s->scenario, sizeof s->scenario, arg_str(ev, "scenario"), 0);
    const cJSON *lp = arg(ev, "long_poll_us");
    if (cJSON_IsNumber(lp)) s->long_poll_ns = us_ns(lp);
    s->stack_used = arg_int(ev, "stack_used_bytes", 100 << 10);
    s->stack_reserved = arg_int(ev, "stack_reserved_bytes", 8 << 20);
}

static void on_event(summary_t *s, const cJSON *ev) {
    const char *ph = str(ev, "ph"), *cat = str(ev, "cat"), *name = str(ev, "name");
    if (!strcmp(ph, "M") && !strcmp(name, "pinata")) on_header(s, ev);
    else if (!strcmp(ph, "X") && (!strcmp(cat, "poll") || !strcmp(cat, "call"))) on_poll(s, ev);
    else if (!strcmp(ph, "X") && !strcmp(cat, "wake")) on_wake(s, ev);
    else if (!strcmp(cat, "task") && !strcmp(name, "spawn")) on_spawn(s, ev);
    else if (!strcmp(cat, "task") && !strcmp(name, "finish")) on_finish(s, ev);
    else if (!strcmp(cat, "lint")) on_lint(s, ev, name);
    else if (!strcmp(ph, "C") && !strcmp(name, "memory")) on_memory(s, ev);
    else if (!strcmp(cat, "run") && !strcmp(name, "end")) {
        s->end_ns = ts_ns(ev);
        snprintf(s->result, sizeof s->result, "%s", arg_str(ev, "result"));
    }
}

/* Total = spawn to finish (or to the end of the run); idle = what is neither busy nor
 * scheduled. */
static void close_tasks(summary_t *s) {
    for (size_t i = 0; i < s->ntasks; i++) {
        summary_task *t = &s->tasks[i];
        if (!t->id) continue;
        int64_t end = t->finished ? t->end_ns : s->end_ns;
        t->total_ns = end > t->spawn_ns ? end - t->spawn_ns : 0;
        t->idle_ns = t->total_ns - t->busy_ns - t->sched_ns;
        if (t->idle_ns < 0) t->idle_ns = 0;
    }
}

/* One event per line: strip the separator and parse it alone. */
static int read_line(summary_t *s, char *line) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ',' || line[n - 1] == ' ')) line[--n] = 0;
    if (!n || !strcmp(line, "[") || !strcmp(line, "]")) return 0;
    cJSON *ev = cJSON_Parse(line);
    if (!ev) return -1;
    on_event(s, ev);
    cJSON_Delete(ev);
    return 0;
}

summary_t *summary_read(const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err) snprintf(err, errlen, "%s: cannot read the trace", path);
        return NULL;
    }
    summary_t *s = calloc(1, sizeof *s);
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    long lineno = 0;
    int rc = s && line ? 0 : -1;
    if (s) s->long_poll_ns = 10000000;
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        lineno++;
        if (read_line(s, line) != 0) {
            if (err) snprintf(err, errlen, "%s: line %ld: expected one JSON event per line", path, lineno);
            rc = -1;
        }
    }
    free(line);
    fclose(f);
    if (rc != 0) { summary_free(s); return NULL; }
    close_tasks(s);
    return s;
}

void summary_free(summary_t *s) {
    if (!s) return;
    free(s->tasks);
    free(s);
}

/* ---------- printing ---------- */

static void lint_text(const summary_task *t, char *out, size_t cap) {
    size_t n = 0;
    out[0] = 0;
    if (t->lost_waker && !t->finished) n += (size_t)snprintf(out + n, cap - n, "lost-waker ");
    if (t->after_ready && n < cap) n += (size_t)snprintf(out + n, cap - n, "polled-after-ready(%d) ", t->after_ready);
    if (t->long_polls && n < cap) n += (size_t)snprintf(out + n, cap - n, "long-poll(%d) ", t->long_polls);
    if (t->self_wakes * 2 > t->wakes && t->wakes && n < cap) n += (size_t)snprintf(out + n, cap - n, "self-wakes(%llu/%llu) ", (unsigned long long)t->self_wakes, (unsigned long long)t->wakes);
    if (!out[0]) snprintf(out, cap, "-");
}

static void print_task(const summary_task *t, FILE *out) {
    char lints[160];
    lint_text(t, lints, sizeof lints);
    fprintf(out, "  %6lld %-18.18s %-11s %6llu %6llu %10.3f %10.3f %10.3f %10.3f %4d %7lld  %s%s\n", (long long)t->id,
            t->name, t->how, (unsigned long long)t->polls, (unsigned long long)t->wakes, (double)t->busy_ns / 1e6,
            (double)t->sched_ns / 1e6, (double)t->idle_ns / 1e6, (double)t->total_ns / 1e6, t->threads,
            (long long)t->bytes, t->finished ? (t->err ? "error " : "") : "PENDING ", lints);
}

static void print_memory(const summary_t *s, FILE *out) {
    if (!s->has_memory) return;
    double per = s->peak_tasks ? (double)s->peak_task_bytes / (double)s->peak_tasks : 0;
    fprintf(out, "memory at the peak: %llu tasks hold %.1f KiB of task state (%.0f B per task); "
                 "%llu threads hold %.1f MiB of stack in use (%lld KiB each) and reserve %.1f MiB (%lld KiB each)\n",
            (unsigned long long)s->peak_tasks, (double)s->peak_task_bytes / 1024.0, per,
            (unsigned long long)s->peak_threads, (double)s->peak_threads * (double)s->stack_used / 1048576.0,
            (long long)(s->stack_used >> 10), (double)s->peak_threads * (double)s->stack_reserved / 1048576.0,
            (long long)(s->stack_reserved >> 10));
}

/* Every flagged task, also those past the table's last row (at most max lines). */
static void print_lints(const summary_t *s, FILE *out, int max) {
    size_t flagged = 0;
    for (size_t i = 0; i < s->ntasks; i++) {
        const summary_task *t = &s->tasks[i];
        char lints[160];
        if (!t->id) continue;
        lint_text(t, lints, sizeof lints);
        if (!strcmp(lints, "-")) continue;
        if ((int)flagged++ < max)
            fprintf(out, "%s  task %lld (%s): %s\n", flagged == 1 ? "lints:\n" : "", (long long)t->id, t->name, lints);
    }
    if (flagged > (size_t)max) fprintf(out, "  ... and %zu more flagged tasks\n", flagged - (size_t)max);
    if (!flagged) fprintf(out, "lints: none\n");
}

void summary_print(const summary_t *s, FILE *out, int max_tasks) {
    size_t n = 0;
    for (size_t i = 0; i < s->ntasks; i++) n += s->tasks[i].id != 0;
    fprintf(out, "tasks (read back from the trace): %zu tasks, %llu polls; times in ms of virtual time\n", n,
            (unsigned long long)s->polls);
    fprintf(out, "  %6s %-18s %-11s %6s %6s %10s %10s %10s %10s %4s %7s  %s\n", "task", "name", "spawned by", "polls",
            "wakes", "busy", "scheduled", "idle", "total", "thr", "bytes", "lints");
    int shown = 0;
    for (size_t i = 0; i < s->ntasks && shown < max_tasks; i++)
        if (s->tasks[i].id) { print_task(&s->tasks[i], out); shown++; }
    if (n > (size_t)shown) fprintf(out, "  ... and %zu more tasks\n", n - (size_t)shown);
    print_lints(s, out, max_tasks);
    print_memory(s, out);
}
