/* The executor's synchronous threads and what S1, S6 and S10 need from it: OS threads that
 * block, a synchronous main, a blocking call inside async code, thread-local storage, the
 * memory counters and the task limit. (tests/test_exec.c covers the async executor.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/exec.h"
#include "sim/leaf.h"
#include "util_trace.h"

typedef ut_world harness;

static void h_open(harness *h, const exec_config *c) { ut_world_open(h, c, 1); }

static cJSON *h_close(harness *h) {
    cJSON *j = ut_world_close(h);
    assert_non_null(j);
    return j;
}

static exec_config config(int workers) {
    exec_config c;
    exec_config_default(&c);
    c.workers = workers;
    c.memory_counters = 1;
    return c;
}

/* ---- a sleeper: sleeps ms, then Ready ---- */
typedef struct sleeper { future_t base; sleep_future s; int64_t ms; int started; } sleeper;

static poll_t sleeper_poll(future_t *f, context_t *cx) {
    sleeper *s = (sleeper *)f;
    if (!s->started) {
        sleep_future_init(&s->s, cx->ex, cx, s->ms * 1000000);
        s->started = 1;
    }
    return future_poll(&s->s.base, cx);
}
static void sleeper_drop(future_t *f) {
    sleeper *s = (sleeper *)f;
    if (s->started) future_drop(&s->s.base); /* a sleeper never polled has no timer */
}
static const future_vtable sleeper_vt = {"sleeper", sleeper_poll, sleeper_drop, sizeof(sleeper)};

static sleeper *sleeper_new(exec_t *ex, context_t *cx, int64_t ms) {
    sleeper *s = calloc(1, sizeof *s);
    future_init(&s->base, &sleeper_vt, ex, cx, NULL);
    s->ms = ms;
    return s;
}

/* ---- a parent that spawns two OS threads and joins them ---- */
typedef struct forker { future_t base; joinhandle_t h[2]; int spawned, joined; } forker;

static poll_t forker_poll(future_t *f, context_t *cx) {
    forker *k = (forker *)f;
    for (; k->spawned < 2; k->spawned++)
        assert_true(exec_spawn_thread(cx->ex, cx, &sleeper_new(cx->ex, cx, 10 * (k->spawned + 1))->base, "sleeper",
                                      &k->h[k->spawned]) > 0);
    for (; k->joined < 2; k->joined++)
        if (future_poll(&k->h[k->joined].base, cx) == POLL_PENDING) return POLL_PENDING;
    return POLL_READY;
}
static void forker_drop(future_t *f) {
    forker *k = (forker *)f;
    for (int i = 0; i < k->spawned; i++) future_drop(&k->h[i].base);
}
static const future_vtable forker_vt = {"forker", forker_poll, forker_drop, sizeof(forker)};

static double blocked_on(const cJSON *t, int tid) {
    double sum = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "blocked", NULL) && ut_num(ev, "tid") == tid) sum += ut_num(ev, "dur");
    return sum;
}

static void os_threads_should_block_in_their_calls_while_main_blocks_in_join(void **s) {
    (void)s;
    harness h;
    exec_config c = config(0);
    h_open(&h, &c);
    forker f = {0};
    future_init(&f.base, &forker_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_run_sync(h.ex, &f.base, "main"), EXEC_OK);
    exec_stats st = exec_get_stats(h.ex);
    assert_int_equal(st.threads, 2);
    assert_int_equal(st.peak_threads, 3);
    future_drop(&f.base);
    cJSON *t = h_close(&h);
    assert_true(blocked_on(t, EXEC_OS_TID_BASE) > 9000);      /* 10 ms asleep, blocked */
    assert_true(blocked_on(t, EXEC_OS_TID_BASE + 1) > 19000); /* 20 ms */
    assert_true(blocked_on(t, 1) > 19000);                     /* main, in join */
    assert_int_equal(ut_count(t, "X", "poll", NULL, -1), 0);   /* synchronous: calls */
    assert_int_equal(ut_count(t, "X", "park", NULL, -1), 0);
    assert_int_equal(ut_count(t, "i", "thread", "exit", -1), 2);
    assert_int_equal(ut_count(t, "X", "syscall", "clone", -1), 2);
    cJSON_Delete(t);
}

/* ---- a blocking sleep inside an async task ---- */
typedef struct blocker { future_t base; sleep_future s; int started; } blocker;
static poll_t blocker_poll(future_t *f, context_t *cx) {
    blocker *b = (blocker *)f;
    if (!b->started) {
        sleep_future_init(&b->s, cx->ex, cx, 20000000);
        b->started = 1;
    }
    if (future_poll(&b->s.base, cx) == POLL_READY) return POLL_READY;
    exec_block_thread(cx->ex, cx, "std::thread::sleep");
    return POLL_PENDING;
}
static void blocker_drop(future_t *f) {
    blocker *b = (blocker *)f;
    if (b->started) future_drop(&b->s.base);
}
static const future_vtable blocker_vt = {"blocker", blocker_poll, blocker_drop, sizeof(blocker)};

typedef struct pair { future_t base; joinhandle_t h[2]; int spawned, joined; } pair;
static poll_t pair_poll(future_t *f, context_t *cx) {
    pair *p = (pair *)f;
    if (!p->spawned) {
        blocker *b = calloc(1, sizeof *b);
        future_init(&b->base, &blocker_vt, cx->ex, cx, NULL);
        exec_spawn_local(cx->ex, cx, &b->base, "blocker", &p->h[0]);
        exec_spawn_local(cx->ex, cx, &sleeper_new(cx->ex, cx, 5)->base, "sleeper", &p->h[1]);
        p->spawned = 1;
    }
    for (; p->joined < 2; p->joined++)
        if (future_poll(&p->h[p->joined].base, cx) == POLL_PENDING) return POLL_PENDING;
    return POLL_READY;
}
static void pair_drop(future_t *f) {
    pair *p = (pair *)f;
    for (int i = 0; p->spawned && i < 2; i++) future_drop(&p->h[i].base);
}
static const future_vtable pair_vt = {"pair", pair_poll, pair_drop, sizeof(pair)};

static void a_blocking_call_in_a_task_should_hold_the_executor_thread(void **s) {
    (void)s;
    harness h;
    exec_config c = config(0);
    h_open(&h, &c);
    pair p = {0};
    future_init(&p.base, &pair_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &p.base, "pair"), EXEC_OK);
    future_drop(&p.base);
    cJSON *t = h_close(&h);
    const cJSON *ev, *b = NULL;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "blocked", "std::thread::sleep")) b = ev;
    assert_non_null(b);
    /* the sleeper's 5 ms timer fired meanwhile, but it was polled only after the block */
    const cJSON *second = NULL;
    int n = 0;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "poll", "sleeper") && ut_arg_is_null(ev, "parent") && n++ == 1) second = ev;
    assert_non_null(second);
    assert_true(ut_num(second, "ts") >= ut_num(b, "ts") + ut_num(b, "dur"));
    cJSON_Delete(t);
}

/* ---- thread-local storage ---- */
typedef struct tls_probe { future_t base; const char *got; } tls_probe;
static poll_t tls_poll(future_t *f, context_t *cx) {
    tls_probe *p = (tls_probe *)f;
    assert_null(exec_tls_get(cx->ex, "K"));
    assert_int_equal(exec_tls_set(cx->ex, "K", "one"), 0);
    assert_int_equal(exec_tls_set(cx->ex, "K", "two"), 0);
    p->got = exec_tls_get(cx->ex, "K");
    for (int i = 1; i < EXEC_TLS_MAX; i++) {
        char *key = i == 1 ? "A" : i == 2 ? "B" : "C";
        assert_int_equal(exec_tls_set(cx->ex, key, "x"), 0);
    }
    assert_int_equal(exec_tls_set(cx->ex, "one too many", "x"), -1);
    assert_string_equal(exec_thread_name(cx->ex), "main");
    return POLL_READY;
}
static const future_vtable tls_vt = {"tls", tls_poll, NULL, sizeof(tls_probe)};

static void thread_locals_should_be_kept_per_thread_with_a_fixed_number_of_keys(void **s) {
    (void)s;
    harness h;
    exec_config c = config(0);
    h_open(&h, &c);
    tls_probe p = {0};
    future_init(&p.base, &tls_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &p.base, "tls"), EXEC_OK);
    assert_string_equal(p.got, "two");
    assert_null(exec_tls_get(h.ex, "K")); /* outside a poll: no thread */
    cJSON_Delete(h_close(&h));
}

/* ---- memory counters and the task limit ---- */
typedef struct spawner { future_t base; int n, ok; } spawner;
static poll_t spawner_poll(future_t *f, context_t *cx) {
    spawner *sp = (spawner *)f;
    for (int i = 0; i < sp->n; i++) {
        sleeper *s = sleeper_new(cx->ex, cx, 1);
        if (exec_spawn_local(cx->ex, cx, &s->base, "sleeper", NULL) > 0) sp->ok++;
        else future_drop(&s->base), free(s);
    }
    return POLL_READY;
}
static const future_vtable spawner_vt = {"spawner", spawner_poll, NULL, sizeof(spawner)};

static void memory_counters_should_follow_the_live_tasks(void **s) {
    (void)s;
    harness h;
    exec_config c = config(2);
    h_open(&h, &c);
    spawner sp = {.n = 3};
    future_init(&sp.base, &spawner_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &sp.base, "spawner"), EXEC_OK);
    exec_stats st = exec_get_stats(h.ex);
    assert_int_equal(st.peak_tasks, 4);
    assert_int_equal(st.peak_task_bytes, 4 * exec_task_header_size() + sizeof(spawner) + 3 * sizeof(sleeper));
    cJSON *t = h_close(&h);
    const cJSON *ev, *last = NULL;
    double peak = 0;
    cJSON_ArrayForEach(ev, t) {
        if (!ut_is(ev, "C", "memory", "memory")) continue;
        last = ev;
        if (ut_arg_num(ev, "tasks") > peak) peak = ut_arg_num(ev, "tasks");
        assert_int_equal(ut_arg_num(ev, "threads"), 3); /* main and two workers */
        assert_int_equal(ut_arg_num(ev, "stack_used_bytes"), 3 * (100 << 10));
    }
    assert_int_equal(peak, 4);
    assert_int_equal(ut_arg_num(last, "tasks"), 3); /* block_on returned with the root: the spawned live on */
    cJSON_Delete(t);
}

static void a_spawn_beyond_max_tasks_should_fail_and_stop_the_run(void **s) {
    (void)s;
    harness h;
    exec_config c = config(0);
    c.max_tasks = 3;
    h_open(&h, &c);
    spawner sp = {.n = 10};
    future_init(&sp.base, &spawner_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &sp.base, "spawner"), EXEC_OK);
    assert_int_equal(sp.ok, 2); /* the root and two others: three alive */
    assert_true(exec_stopping(h.ex));
    assert_int_equal(exec_get_stats(h.ex).limit, 4);
    cJSON_Delete(h_close(&h));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(os_threads_should_block_in_their_calls_while_main_blocks_in_join),
        cmocka_unit_test(a_blocking_call_in_a_task_should_hold_the_executor_thread),
        cmocka_unit_test(thread_locals_should_be_kept_per_thread_with_a_fixed_number_of_keys),
        cmocka_unit_test(memory_counters_should_follow_the_live_tasks),
        cmocka_unit_test(a_spawn_beyond_max_tasks_should_fail_and_stop_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
