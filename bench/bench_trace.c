#include "bench/bench_trace.h"

#include <stdio.h>
#include <sys/stat.h>

#include "bench/bench.h"
#include "sim/trace.h"

/* The names and await points of the lecture's futures, so the event is a realistic size. */
static const char *const names[] = {"cheapo_request", "connect", "write_all", "read_to_string"};
static const char *const ats[] = {"read_to_string.await", "connecting", "writing", "reading"};

/* One poll slice, shaped like future.c's trace_poll: a nested poll of a leaf, Pending or
 * Ready, with a detail, and every fourth one the top-level poll that carries a flow. */
static void poll_event(trace_t *t, uint64_t i) {
    int k = (int)(i & 3);
    int pending = (i % 5) != 0;
    trace_begin(t, "X", "poll", names[k], 1, (int64_t)(i * 2500), 2000);
    trace_arg_int(t, "task", (int64_t)(i % 1000) + 1);
    trace_arg_int(t, "future", (int64_t)i + 1);
    if (k == 0) trace_arg_null(t, "parent");
    else trace_arg_int(t, "parent", (int64_t)i);
    if (pending) trace_arg_str(t, "result", "Pending"); /* a literal each, as future.c writes them */
    else trace_arg_str(t, "result", "Ready");
    trace_arg_int(t, "poll", (int64_t)(i % 7) + 1);
    trace_arg_str(t, "from", "start");
    if (pending) trace_arg_str(t, "at", ats[k]);
    trace_arg_str(t, "detail", "en.wikipedia.org");
    if (k == 0) trace_flow(t, i + 1, 0);
    trace_end(t);
}

bench_trace_run bench_trace_poll_events(long n, const char *path) {
    bench_trace_run run = {0};
    FILE *f = fopen(path, "wb");
    trace_t *t = f ? trace_open_stream(f) : NULL;
    if (!t) {
        if (f) fclose(f);
        return run;
    }
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) poll_event(t, (uint64_t)i);
    run.events = trace_events(t);
    run.ok = trace_close(t, 1) == 0;
    run.ns = bench_now_ns() - t0;
    long bytes = ftell(f);
    run.bytes = bytes > 0 ? (uint64_t)bytes : 0;
    if (fclose(f) != 0) run.ok = 0;
    /* Only a regular file is ours to remove: never a device such as /dev/null. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) remove(path);
    return run;
}
