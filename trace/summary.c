#include "trace/summary.h"

#include <stdlib.h>
#include <string.h>

#include "trace/printable.h"
#include "trace/tload.h"

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

/* The task an event names, once its spawn was seen; NULL otherwise. */
static summary_task *known(summary_t *s, const tload_event *e) {
    summary_task *t = task(s, e->task);
    return t && t->id ? t : NULL;
}

const summary_task *summary_task_get(const summary_t *s, int64_t id) {
    return id >= 1 && (size_t)id <= s->ntasks && s->tasks[id - 1].id ? &s->tasks[id - 1] : NULL;
}

static void on_spawn(summary_t *s, const tload_trace *tr, const tload_event *e) {
    summary_task *t = task(s, e->task);
    if (!t) return;
    t->id = e->task;
    printable(t->name, sizeof t->name, tload_str(tr, tload_spawn_name(e)), 0); /* printed on a terminal */
    printable(t->how, sizeof t->how, tload_str(tr, tload_spawn_how(e)), 0);
    t->bytes = tload_spawn_bytes(e);
    t->spawn_ns = e->ts;
}

/* A task's top-level poll (its root future, parent null; `call` on a synchronous thread). */
static void on_poll(summary_t *s, const tload_trace *tr, const tload_event *e) {
    if (e->parent != -1) return;
    summary_task *t = known(s, e);
    if (!t) return;
    t->polls++;
    if (e->result == TLOAD_RES_PENDING && tload_woken_by(tr, (size_t)(e - tr->ev))) t->idle_polls++;
    s->polls++;
    t->busy_ns += e->dur;
    if (e->dur > t->max_poll_ns) t->max_poll_ns = e->dur;
    if (e->dur > s->long_poll_ns) t->long_polls++;
    if (t->woken_ns >= 0 && e->ts > t->woken_ns) t->sched_ns += e->ts - t->woken_ns;
    t->woken_ns = -1;
    uint64_t bit = 1ull << ((unsigned)e->tid % 64);
    if (!(t->tid_mask & bit)) t->threads++;
    t->tid_mask |= bit;
}

static void on_wake(summary_t *s, const tload_event *e) {
    summary_task *t = known(s, e);
    if (!t) return;
    t->wakes++;
    if ((e->flags & TLOAD_F_QUEUED) && t->woken_ns < 0) t->woken_ns = e->ts;
}

static void on_lint(summary_t *s, const tload_trace *tr, const tload_event *e) {
    summary_task *t = known(s, e);
    if (!t) return;
    const char *name = tload_str(tr, e->name);
    if (!strcmp(name, TRACE_LINT_LOST_WAKER)) t->lost_waker++;
    else if (!strcmp(name, TRACE_LINT_POLL_AFTER_READY)) t->after_ready++;
    else if (!strcmp(name, TRACE_LINT_SELF_WAKE)) t->self_wakes++;
}

static void on_finish(summary_t *s, const tload_trace *tr, const tload_event *e) {
    summary_task *t = known(s, e);
    if (!t) return;
    t->finished = 1;
    t->panicked = (e->flags & TLOAD_F_PANICKED) != 0;
    t->err = (int)strtol(tload_str(tr, tload_finish_err(e)), NULL, 10); /* the reader keeps err as its text */
    t->end_ns = e->ts;
}

/* The peak of the memory counters: the most tasks (and their bytes then), the most threads. */
static void memory_peak(summary_t *s, const tload_trace *tr) {
    s->has_memory = tr->nmem > 0;
    for (size_t i = 0; i < tr->nmem; i++) {
        const tload_mem *m = &tr->mem[i];
        if ((uint64_t)m->tasks > s->peak_tasks) {
            s->peak_tasks = (uint64_t)m->tasks;
            s->peak_task_bytes = (uint64_t)m->task_bytes;
        }
        if ((uint64_t)m->threads > s->peak_threads) s->peak_threads = (uint64_t)m->threads;
    }
}

static void header(summary_t *s, const tload_trace *tr) {
    printable(s->scenario, sizeof s->scenario, tload_str(tr, tr->scenario), 0);
    s->long_poll_ns = tr->long_poll_ns >= 0 ? tr->long_poll_ns : 10000000;
    s->stack_used = tr->stack_used >= 0 ? tr->stack_used : 100 << 10;
    s->stack_reserved = tr->stack_reserved >= 0 ? tr->stack_reserved : 8 << 20;
}

static void on_event(summary_t *s, const tload_trace *tr, const tload_event *e) {
    switch ((tload_kind)e->kind) {
    case TLOAD_POLL: on_poll(s, tr, e); break;
    case TLOAD_WAKE: on_wake(s, e); break;
    case TLOAD_SPAWN: on_spawn(s, tr, e); break;
    case TLOAD_FINISH: on_finish(s, tr, e); break;
    case TLOAD_LINT: on_lint(s, tr, e); break;
    case TLOAD_END:
        s->end_ns = e->ts;
        printable(s->result, sizeof s->result, tload_str(tr, tload_end_result(e)), 0);
        break;
    default: break;
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

summary_t *summary_of(const struct tload_trace *tr) {
    summary_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    header(s, tr);
    for (size_t i = 0; i < tr->n; i++) on_event(s, tr, &tr->ev[i]);
    memory_peak(s, tr);
    close_tasks(s);
    return s;
}

summary_t *summary_read(const char *path, char *err, size_t errlen) {
    tload_trace tr;
    char e[512];
    if (tload_file(path, &tr, e, sizeof e) != 0) {
        if (err) snprintf(err, errlen, "%s", e);
        tload_free(&tr);
        return NULL;
    }
    summary_t *s = summary_of(&tr);
    tload_free(&tr);
    if (!s && err) snprintf(err, errlen, "%s: out of memory for the summary", path);
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
            (long long)t->bytes, t->finished ? (t->panicked ? "PANICKED " : t->err ? "error " : "") : "PENDING ", lints);
}

/* The real models: polls a task got for another task's wake or a spurious one, which found
 * nothing ready (a future must allow them); printed only when a trace has them. */
static void print_idle_polls(const summary_t *s, FILE *out, int max) {
    int shown = 0;
    for (size_t i = 0; i < s->ntasks; i++) {
        const summary_task *t = &s->tasks[i];
        if (!t->id || !t->idle_polls) continue;
        if (shown++ == max) { fprintf(out, "  ...\n"); break; }
        fprintf(out, "%s  task %lld (%s): %llu of its %llu polls\n",
                shown == 1 ? "polls that made no progress (made for another task's wake, or a spurious one):\n" : "",
                (long long)t->id, t->name, (unsigned long long)t->idle_polls, (unsigned long long)t->polls);
    }
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
    print_idle_polls(s, out, max_tasks);
    print_lints(s, out, max_tasks);
    if (!strcmp(s->result, TRACE_END_PANIC))
        fprintf(out, "the run ended with a panic: block_on resumed its root future's panic (a Rust program exits with 101)\n");
    print_memory(s, out);
}
