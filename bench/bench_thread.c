#include "bench/bench_thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "bench/bench.h"

/* ---------- create + join ---------- */

static void *nothing(void *arg) {
    atomic_fetch_add_explicit((atomic_ulong *)arg, 1, memory_order_relaxed);
    return NULL;
}

bench_thread_run bench_thread_create(long n, long batch) {
    bench_thread_run run = {0};
    if (batch < 1) batch = 1;
    pthread_t *th = malloc((size_t)batch * sizeof *th);
    if (!th) return run;
    atomic_ulong ran = 0;
    long done = 0;
    run.ok = 1;
    uint64_t t0 = bench_now_ns();
    while (done < n && run.ok) {
        long k = n - done < batch ? n - done : batch, started = 0;
        for (; started < k; started++)
            if (pthread_create(&th[started], NULL, nothing, &ran) != 0) break;
        for (long i = 0; i < started; i++) pthread_join(th[i], NULL);
        run.ok = started == k;
        done += started;
    }
    run.ns = bench_now_ns() - t0;
    run.count = atomic_load(&ran);
    free(th);
    return run;
}

/* ---------- switch: ping-pong through a condition variable ---------- */

typedef struct pingpong {
    pthread_mutex_t m;
    pthread_cond_t c;
    int turn;          /* the side that may go; -1 until the clock starts */
    int done;
    long left;
    uint64_t handoffs;
} pingpong;

typedef struct side_arg {
    pingpong *pp;
    int side;
} side_arg;

static void *pp_side(void *arg) {
    side_arg *a = arg;
    pingpong *p = a->pp;
    int me = a->side;
    pthread_mutex_lock(&p->m);
    for (;;) {
        while (p->turn != me && !p->done) pthread_cond_wait(&p->c, &p->m);
        if (p->done) break;
        if (p->left == 0) {
            p->done = 1;
            pthread_cond_broadcast(&p->c);
            break;
        }
        p->left--;
        p->handoffs++;
        p->turn = !me;
        /* One waiter at most (the other side): signal is a handoff, not a broadcast. */
        pthread_cond_signal(&p->c);
    }
    pthread_mutex_unlock(&p->m);
    return NULL;
}

bench_thread_run bench_thread_switch(long switches) {
    bench_thread_run run = {0};
    pingpong p = {.turn = -1, .left = switches};
    pthread_mutex_init(&p.m, NULL);
    pthread_cond_init(&p.c, NULL);
    side_arg args[2] = {{&p, 0}, {&p, 1}};
    pthread_t th[2];
    int started = 0;
    while (started < 2 && pthread_create(&th[started], NULL, pp_side, &args[started]) == 0) started++;
    /* Both threads are created before the clock starts: only handoffs are timed. */
    uint64_t t0 = bench_now_ns();
    pthread_mutex_lock(&p.m);
    if (started == 2) p.turn = 0;
    else p.done = 1;
    pthread_cond_broadcast(&p.c);
    pthread_mutex_unlock(&p.m);
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    run.ns = bench_now_ns() - t0;
    run.count = p.handoffs;
    run.ok = started == 2;
    pthread_cond_destroy(&p.c);
    pthread_mutex_destroy(&p.m);
    return run;
}

/* ---------- memory: resident bytes per blocked thread ---------- */

typedef struct gate {
    pthread_mutex_t m;
    pthread_cond_t c;
    long ready;     /* threads that reached the gate */
    int open;       /* the measurement is done: leave */
    size_t touch;   /* stack bytes each thread uses first */
} gate;

#define TOUCH_MAX (100 * 1024)

/* Uses `bytes` of this thread's stack, as a thread with real work in its frames does. The
 * pages stay resident after it returns: the kernel does not take back stack memory. */
static __attribute__((noinline)) void touch_stack(size_t bytes) {
    volatile char buf[TOUCH_MAX];
    if (bytes > sizeof buf) bytes = sizeof buf;
    for (size_t i = 0; i < bytes; i += 64) buf[i] = (char)i;
}

static void *wait_at_gate(void *arg) {
    gate *g = arg;
    if (g->touch) touch_stack(g->touch);
    pthread_mutex_lock(&g->m);
    g->ready++;
    pthread_cond_broadcast(&g->c);
    while (!g->open) pthread_cond_wait(&g->c, &g->m);
    pthread_mutex_unlock(&g->m);
    return NULL;
}

static void wait_ready(gate *g, long n) {
    pthread_mutex_lock(&g->m);
    while (g->ready < n) pthread_cond_wait(&g->c, &g->m);
    pthread_mutex_unlock(&g->m);
}

static void open_gate(gate *g) {
    pthread_mutex_lock(&g->m);
    g->open = 1;
    pthread_cond_broadcast(&g->c);
    pthread_mutex_unlock(&g->m);
}

bench_thread_mem bench_thread_memory(long n, size_t touch) {
    bench_thread_mem out = {0};
    pthread_t *th = n > 0 ? malloc((size_t)n * sizeof *th) : NULL;
    if (!th) return out;
    gate g = {.touch = touch};
    pthread_mutex_init(&g.m, NULL);
    pthread_cond_init(&g.c, NULL);
    long rss0 = bench_rss_bytes(), vsz0 = bench_vsz_bytes(), k0 = bench_kernel_stack_bytes(), started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], NULL, wait_at_gate, &g) != 0) break;
    wait_ready(&g, started);
    out.blocked = (uint64_t)started;
    out.rss_delta = bench_rss_bytes() - rss0;
    out.vsz_delta = bench_vsz_bytes() - vsz0;
    out.kstack_delta = bench_kernel_stack_bytes() - k0;
    out.ok = started == n;
    open_gate(&g);
    for (long i = 0; i < started; i++) pthread_join(th[i], NULL);
    pthread_cond_destroy(&g.c);
    pthread_mutex_destroy(&g.m);
    free(th);
    return out;
}
