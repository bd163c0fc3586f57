#include "bench/bench_scale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/bench.h"
#include "sim/cheapo.h"
#include "sim/exec.h"
#include "sim/net.h"
#include "sim/reactor.h"
#include "sim/trace.h"

#define HOST_NAME 32

void bench_scale_opts_default(bench_scale_opts *o) {
    *o = (bench_scale_opts){.requests = 20000, .hosts = 100, .trace_path = "/tmp/pinata-scale.trace.json",
                            .seed = 42};
}

/* The root: async fn fanout() { spawn_local every request; await each handle in turn }.
 * Each handle is dropped as soon as it is Ready, so a finished task's header goes at once. */
typedef struct fanout {
    future_t base;
    net_t *net;
    long n, spawned, next;
    long succeeded;
    int hosts;
    char (*names)[HOST_NAME]; /* borrowed: the hosts' names, which the requests borrow */
    joinhandle_t *jh;         /* borrowed array of n handles */
} fanout;

static void spawn_requests(fanout *f, context_t *cx) {
    for (; f->spawned < f->n; f->spawned++) {
        cheapo_request *c = malloc(sizeof *c);
        if (!c) break;
        const char *host = f->names[f->spawned % f->hosts];
        cheapo_request_init(c, cx->ex, cx, f->net, host, 80, "/");
        if (exec_spawn_local(cx->ex, cx, &c->base, "cheapo_request", &f->jh[f->spawned]) < 0) {
            future_drop(&c->base);
            free(c);
            break;
        }
    }
}

static poll_t fanout_poll(future_t *self, context_t *cx) {
    fanout *f = (fanout *)self;
    if (f->spawned < f->n) spawn_requests(f, cx);
    for (; f->next < f->spawned; f->next++) {
        future_t *h = &f->jh[f->next].base;
        if (future_poll(h, cx) == POLL_PENDING) {
            self->at = "handle.await";
            return POLL_PENDING;
        }
        f->succeeded += h->err == 0;
        future_drop(h);
    }
    return POLL_READY;
}

static void fanout_drop(future_t *self) {
    fanout *f = (fanout *)self;
    for (long i = f->next; i < f->spawned; i++) future_drop(&f->jh[i].base);
    f->next = f->spawned;
}

static const future_vtable fanout_vt = {"fanout", fanout_poll, fanout_drop, sizeof(fanout)};

/* Hosts with different latencies and a little jitter, three chunks each as the lecture's. */
static int add_hosts(net_t *net, char (*names)[HOST_NAME], int hosts) {
    for (int i = 0; i < hosts; i++) {
        net_host_cfg h = {.port = 80, .connect_ns = (5 + i % 46) * 1000000LL, .jitter_ns = 1000000,
                          .nchunks = 3, .eof_with_last = 1};
        snprintf(names[i], HOST_NAME, "host-%d.example", i);
        snprintf(h.name, sizeof h.name, "%s", names[i]);
        h.chunks[0] = (net_chunk){(10 + i % 31) * 1000000LL, 512};
        h.chunks[1] = (net_chunk){(5 + i % 17) * 1000000LL, 700 + i % 300};
        h.chunks[2] = (net_chunk){(3 + i % 11) * 1000000LL, 150 + i % 200};
        if (net_add_host(net, &h) != NET_OK) return -1;
    }
    return 0;
}

/* The same first lines as a runner trace, so the viewer and Perfetto open it. */
static void scale_header(trace_t *t, const bench_scale_opts *o, const exec_config *cfg) {
    char desc[160];
    snprintf(desc, sizeof desc, "%ld cheapo_requests spawned with spawn_local against %d mocked hosts",
             o->requests, o->hosts);
    trace_begin(t, "M", NULL, "pinata", 0, 0, 0);
    trace_arg_int(t, "schema", 1);
    trace_arg_str(t, "scenario", "bench_scale");
    trace_arg_int(t, "seed", (int64_t)o->seed);
    trace_arg_str(t, "title", "pinata at scale: many requests on one thread");
    trace_arg_str(t, "description", desc);
    trace_arg_us(t, "poll_cost_us", cfg->poll_cost_ns);
    trace_arg_us(t, "syscall_cost_us", cfg->syscall_cost_ns);
    trace_end(t);
    trace_begin(t, "M", NULL, "thread_name", 1, 0, 0);
    trace_arg_str(t, "name", "main (block_on)");
    trace_end(t);
    trace_begin(t, "M", NULL, "thread_name", TRACE_TID_OS, 0, 0);
    trace_arg_str(t, "name", "OS: network & timers");
    trace_end(t);
}

static void scale_footer(trace_t *t, exec_result res, const exec_stats *st) {
    trace_begin(t, "i", "run", "end", TRACE_TID_OS, st->end_ns, 0);
    trace_arg_str(t, "result", res == EXEC_OK ? "ok" : res == EXEC_DEADLOCK ? "deadlock" : "limit");
    trace_arg_us(t, "virtual_us", st->end_ns);
    trace_arg_int(t, "polls", (int64_t)st->polls);
    trace_arg_int(t, "events", (int64_t)trace_events(t) + 1);
    trace_end(t);
}

typedef struct scale_run {
    reactor_t r;
    trace_t *t;
    exec_t *ex;
    net_t *net;
    char (*names)[HOST_NAME];
    joinhandle_t *jh;
} scale_run;

static int scale_setup(scale_run *s, const bench_scale_opts *o, exec_config *cfg) {
    exec_config_default(cfg);
    cfg->max_polls = 0;
    reactor_init(&s->r);
    s->names = calloc((size_t)o->hosts, sizeof *s->names);
    s->jh = calloc((size_t)o->requests, sizeof *s->jh);
    if (o->trace_path) s->t = trace_open(o->trace_path);
    if (!s->names || !s->jh || (o->trace_path && !s->t)) return -1;
    if (s->t) scale_header(s->t, o, cfg);
    s->ex = exec_new(cfg, &s->r, s->t);
    s->net = s->ex ? net_new(s->ex, o->seed) : NULL;
    if (!s->net) return -1;
    return add_hosts(s->net, s->names, o->hosts);
}

static int scale_teardown(scale_run *s, int keep) {
    exec_free(s->ex);
    net_free(s->net);
    reactor_free(&s->r);
    int rc = trace_close(s->t, keep);
    free(s->names);
    free(s->jh);
    return rc;
}

/* Runs the fanout root on the executor; the root lives on the heap (see root_free in
 * bench_task.c). Returns the executor's result, or -1 when out of memory. */
static int run_fanout(scale_run *s, const bench_scale_opts *o, long *succeeded, exec_stats *st) {
    fanout *f = calloc(1, sizeof *f);
    if (!f) return -1;
    *f = (fanout){.net = s->net, .n = o->requests, .hosts = o->hosts, .names = s->names, .jh = s->jh};
    future_init(&f->base, &fanout_vt, s->ex, NULL, NULL);
    exec_result res = exec_block_on(s->ex, &f->base, "fanout");
    *st = exec_get_stats(s->ex);
    *succeeded = f->succeeded;
    future_drop(&f->base);
    free(f);
    if (s->t) scale_footer(s->t, res, st);
    return (int)res;
}

static void fill_result(bench_scale_result *r, const bench_scale_opts *o, const exec_stats *st) {
    r->polls = st->polls;
    r->wakes = st->wakes;
    r->tasks = st->tasks;
    r->virtual_ms = (double)st->end_ns / 1e6;
    r->peak_rss = bench_peak_rss_bytes();
    struct stat sb;
    if (o->trace_path && stat(o->trace_path, &sb) == 0) r->bytes = (uint64_t)sb.st_size;
}

int bench_scale_run(const bench_scale_opts *o, bench_scale_result *r, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    if (o->requests < 1 || o->hosts < 1) { snprintf(err, errlen, "requests and hosts must be >= 1"); return -1; }
    scale_run s = {0};
    exec_config cfg;
    if (scale_setup(&s, o, &cfg) != 0) {
        scale_teardown(&s, 0);
        snprintf(err, errlen, "%s: cannot set the run up (out of memory, or the trace cannot be written)",
                 o->trace_path ? o->trace_path : "(no trace)");
        return -1;
    }
    exec_stats st = {0};
    uint64_t t0 = bench_now_ns();
    int res = run_fanout(&s, o, &r->succeeded, &st);
    r->events = trace_events(s.t);
    /* A finished run keeps its trace, a deadlocked one too (it is complete and says why). */
    int rc = scale_teardown(&s, res >= 0);
    r->ns = bench_now_ns() - t0; /* the trace's last flush and close included */
    fill_result(r, o, &st);
    r->ok = res == EXEC_OK && rc == 0;
    if (!r->ok)
        snprintf(err, errlen, "the run did not finish (%s)",
                 res < 0 ? "out of memory" : rc ? "writing the trace failed" : "deadlock or limit");
    return r->ok ? 0 : -1;
}
