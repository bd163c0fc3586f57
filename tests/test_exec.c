/* The executor: parking, wakes, queueing once, deadlocks, lints, the pool, the busy executor. */
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

/* A harness: an executor with a reactor and a trace into memory. */
typedef ut_world harness;

static void h_open(harness *h, int workers) {
    exec_config c;
    exec_config_default(&c);
    c.workers = workers;
    c.max_polls = 100000;
    ut_world_open(h, &c, 1);
}

/* Closes the run and returns its trace, parsed. */
static cJSON *h_close(harness *h) {
    cJSON *j = ut_world_close(h);
    assert_non_null(j);
    return j;
}

/* ---- a future that forgets its waker ---- */
static poll_t forgetful_poll(future_t *f, context_t *cx) { (void)f; (void)cx; return POLL_PENDING; }
static const future_vtable forgetful_vt = {"forgetful", forgetful_poll, NULL, sizeof(future_t)};

static void a_future_that_drops_its_waker_should_end_in_a_reported_deadlock(void **s) {
    (void)s;
    harness h;
    h_open(&h, 0);
    future_t f;
    future_init(&f, &forgetful_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &f, "forgetful"), EXEC_DEADLOCK);
    char *rep;
    size_t n;
    FILE *out = open_memstream(&rep, &n);
    exec_report_deadlock(h.ex, out);
    fclose(out);
    assert_non_null(strstr(rep, "task 1 (forgetful) awaits forgetful; 0 wakers"));
    assert_non_null(strstr(rep, "lost wake-up"));
    free(rep);
    cJSON *t = h_close(&h);
    assert_int_equal(ut_count(t, "i", "lint", "lost_waker", 1), 1);
    assert_int_equal(ut_count(t, "i", "run", "deadlock", -1), 1);
    assert_int_equal(ut_count(t, "X", "poll", "forgetful", 1), 1);
    cJSON_Delete(t);
}

/* ---- a future that hands out three clones of its waker, all woken by one event ---- */
typedef struct triple { future_t base; waker_t w[3]; } triple;

static void wake_all(void *data, int64_t due) {
    (void)due;
    triple *t = data;
    for (int i = 0; i < 3; i++) waker_wake(&t->w[i], "test event");
}

static poll_t triple_poll(future_t *f, context_t *cx) {
    triple *t = (triple *)f;
    if (f->polls > 1) return POLL_READY;
    for (int i = 0; i < 3; i++) t->w[i] = waker_clone(&cx->waker);
    reactor_at(exec_reactor(cx->ex), 5000, wake_all, t);
    return POLL_PENDING;
}
static const future_vtable triple_vt = {"triple", triple_poll, NULL, sizeof(triple)};

static void a_task_woken_three_times_should_be_queued_and_polled_once(void **s) {
    (void)s;
    harness h;
    h_open(&h, 0);
    triple f = {0};
    future_init(&f.base, &triple_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &f.base, "triple"), EXEC_OK);
    cJSON *t = h_close(&h);
    assert_int_equal(ut_count(t, "X", "wake", "wake", 1), 3);
    int queued = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "X", "wake", NULL))
        queued += cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "args"), "queued"));
    assert_int_equal(queued, 1);
    assert_int_equal(ut_count(t, "X", "poll", "triple", 1), 2);
    assert_int_equal(ut_count(t, "X", "park", "park", -1), 1);
    cJSON_Delete(t);
}

/* ---- a hand-written future that wakes itself while being polled ---- */
static poll_t yielder_poll(future_t *f, context_t *cx) {
    if (f->polls >= 3) return POLL_READY;
    waker_wake_by_ref(&cx->waker, "wake_by_ref");
    return POLL_PENDING;
}
static const future_vtable yielder_vt = {"yielder", yielder_poll, NULL, sizeof(future_t)};

static void a_self_wake_should_requeue_the_task_and_be_linted(void **s) {
    (void)s;
    harness h;
    h_open(&h, 0);
    future_t f;
    future_init(&f, &yielder_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &f, "yielder"), EXEC_OK);
    cJSON *t = h_close(&h);
    assert_int_equal(ut_count(t, "X", "poll", "yielder", 1), 3);
    assert_int_equal(ut_count(t, "i", "lint", "self_wake", -1), 2);
    assert_int_equal(ut_count(t, "X", "park", NULL, -1), 0); /* never slept: always runnable */
    cJSON_Delete(t);
}

/* ---- a parent that polls its finished child again ---- */
typedef struct careless { future_t base; future_t child; } careless;
static int ready_polls; /* calls that reached ready_poll */
static poll_t ready_poll(future_t *f, context_t *cx) { (void)f; (void)cx; ready_polls++; return POLL_READY; }
static const future_vtable ready_vt = {"ready", ready_poll, NULL, sizeof(future_t)};
static poll_t careless_poll(future_t *f, context_t *cx) {
    careless *c = (careless *)f;
    future_init(&c->child, &ready_vt, cx->ex, cx, NULL);
    future_poll(&c->child, cx);
    return future_poll(&c->child, cx); /* the bug: polled after Ready */
}
static const future_vtable careless_vt = {"careless", careless_poll, NULL, sizeof(careless)};

static void polling_a_future_after_ready_should_be_detected(void **s) {
    (void)s;
    harness h;
    h_open(&h, 0);
    careless c;
    ready_polls = 0;
    future_init(&c.base, &careless_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &c.base, "careless"), EXEC_OK);
    assert_int_equal(c.child.polls, 2);  /* polled twice ... */
    assert_int_equal(ready_polls, 1);    /* ... but the second poll did not reach its poll function */
    cJSON *t = h_close(&h);
    assert_int_equal(ut_count(t, "i", "lint", "poll_after_ready", 1), 1);
    /* and the trace shows it as a poll of its own, marked after_ready */
    int after = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) after += ut_is(ev, "X", "poll", "ready") && cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "args"), "after_ready"));
    assert_int_equal(after, 1);
    cJSON_Delete(t);
}

/* ---- the worker pool ---- */
typedef struct sleeper { future_t base; sleep_future s; int started; } sleeper;
static poll_t sleeper_poll(future_t *f, context_t *cx) {
    sleeper *z = (sleeper *)f;
    if (!z->started) { sleep_future_init(&z->s, cx->ex, cx, 1000000); z->started = 1; }
    return future_poll(&z->s.base, cx);
}
static const future_vtable sleeper_vt = {"sleeper", sleeper_poll, NULL, sizeof(sleeper)};

/* local: spawn_local instead of spawn; cell: spawn_local, each sleeper in a task cell */
typedef struct spawner { future_t base; joinhandle_t h[4]; int n, next; int local, cell; } spawner;
static poll_t spawner_poll(future_t *f, context_t *cx) {
    spawner *p = (spawner *)f;
    for (; p->n < 4; p->n++) {
        sleeper *z = p->cell ? exec_cell_new(cx->ex, sizeof *z) : calloc(1, sizeof *z);
        assert_non_null(z);
        memset(z, 0, sizeof *z);
        future_init(&z->base, &sleeper_vt, cx->ex, cx, NULL);
        int64_t id = p->cell ? exec_spawn_local_cell(cx->ex, cx, &z->base, "sleeper", &p->h[p->n])
                     : p->local ? exec_spawn_local(cx->ex, cx, &z->base, "sleeper", &p->h[p->n])
                                : exec_spawn(cx->ex, cx, &z->base, "sleeper", &p->h[p->n]);
        assert_true(id > 0);
    }
    for (; p->next < 4; p->next++)
        if (future_poll(&p->h[p->next].base, cx) == POLL_PENDING) return POLL_PENDING;
    return POLL_READY;
}
static void spawner_drop(future_t *f) {
    spawner *p = (spawner *)f;
    for (int i = 0; i < p->n; i++) future_drop(&p->h[i].base);
}
static const future_vtable spawner_vt = {"spawner", spawner_poll, spawner_drop, sizeof(spawner)};

static void spawned_tasks_should_be_polled_by_several_pool_workers(void **s) {
    (void)s;
    harness h;
    h_open(&h, 2);
    spawner p = {0};
    future_init(&p.base, &spawner_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &p.base, "spawner"), EXEC_OK);
    cJSON *t = h_close(&h);
    int on[4] = {0};
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "X", "poll", "sleeper")) on[(int)ut_num(e, "tid") & 3] = 1;
    assert_int_equal(on[1], 0);          /* not on main */
    assert_int_equal(on[2] + on[3], 2);  /* on both workers */
    assert_int_equal(ut_count(t, "i", "task", "finish", -1), 5);
    cJSON_Delete(t);
}

static void spawn_without_a_pool_should_fail_and_spawn_local_should_stay_on_main(void **s) {
    (void)s;
    harness h;
    h_open(&h, 0);
    spawner p = {.local = 1};
    future_init(&p.base, &spawner_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &p.base, "spawner"), EXEC_OK);
    future_t f;
    future_init(&f, &ready_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_spawn(h.ex, NULL, &f, "x", NULL), -1);
    cJSON *t = h_close(&h);
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "X", "poll", NULL)) assert_int_equal((int)ut_num(e, "tid"), 1);
    cJSON_Delete(t);
}

/* ---- the busy executor of S9 ---- */
static int polls_to_sleep(int busy) {
    harness h;
    h_open(&h, 0);
    sleeper z = {0};
    future_init(&z.base, &sleeper_vt, h.ex, NULL, NULL);
    exec_result r = busy ? exec_busy_poll(h.ex, &z.base, "sleeper") : exec_block_on(h.ex, &z.base, "sleeper");
    assert_int_equal(r, EXEC_OK);
    cJSON *t = h_close(&h);
    int n = ut_count(t, "X", "poll", "sleeper", -1);
    cJSON_Delete(t);
    return n;
}

static void a_busy_executor_should_poll_many_times_more_than_a_parking_one(void **s) {
    (void)s;
    int parking = polls_to_sleep(0), busy = polls_to_sleep(1);
    assert_int_equal(parking, 2);
    assert_true(busy > 100 * parking);
}

static poll_t spinner_poll(future_t *f, context_t *cx) {
    (void)f;
    waker_wake_by_ref(&cx->waker, "yield_now");
    return POLL_PENDING;
}
static const future_vtable spinner_vt = {"spinner", spinner_poll, NULL, sizeof(future_t)};

static void a_runaway_run_should_stop_at_the_poll_limit(void **s) {
    (void)s;
    reactor_t r;
    reactor_init(&r);
    exec_config c;
    exec_config_default(&c);
    c.max_polls = 50;
    exec_t *ex = exec_new(&c, &r, NULL);
    future_t f;
    future_init(&f, &spinner_vt, ex, NULL, NULL);
    assert_int_equal(exec_block_on(ex, &f, "spinner"), EXEC_LIMIT);
    assert_int_equal(exec_get_stats(ex).polls, 50);
    exec_free(ex);
    reactor_free(&r);
}

static void a_busy_executor_with_nothing_due_should_report_a_deadlock_not_spin_forever(void **s) {
    (void)s;
    harness h;
    h_open(&h, 0);
    future_t f;
    future_init(&f, &forgetful_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_busy_poll(h.ex, &f, "forgetful"), EXEC_DEADLOCK);
    cJSON *t = h_close(&h);
    assert_int_equal(ut_count(t, "i", "run", "deadlock", -1), 1);
    cJSON_Delete(t);
}

static void the_executor_should_run_without_reactor_or_trace(void **s) {
    (void)s;
    exec_config c;
    exec_config_default(&c);
    exec_t *ex = exec_new(&c, NULL, NULL);
    spawner p = {.local = 1};
    future_init(&p.base, &spawner_vt, ex, NULL, NULL);
    /* sleepers need a reactor: without one, sleep is Ready at once */
    assert_int_equal(exec_block_on(ex, &p.base, "spawner"), EXEC_OK);
    assert_int_equal(exec_get_stats(ex).tasks, 5);
    assert_true(exec_get_stats(ex).task_bytes >= 4 * (exec_task_header_size() + sizeof(sleeper)));
    exec_free(ex);
}

/* ---- task cells: the header and the future in one block ---- */
static char *spawner_trace(int cell) {
    harness h;
    h_open(&h, 0);
    spawner p = {.local = 1, .cell = cell};
    future_init(&p.base, &spawner_vt, h.ex, NULL, NULL);
    assert_int_equal(exec_block_on(h.ex, &p.base, "spawner"), EXEC_OK);
    future_drop(&p.base);
    cJSON *t = h_close(&h);
    assert_int_equal(ut_count(t, "i", "task", "finish", -1), 5);
    char *text = cJSON_PrintUnformatted(t);
    cJSON_Delete(t);
    return text;
}

static void tasks_spawned_in_cells_should_run_as_tasks_spawned_from_malloc(void **s) {
    (void)s;
    char *plain = spawner_trace(0), *cells = spawner_trace(1);
    assert_string_equal(cells, plain); /* every event, the tasks' bytes included */
    free(plain);
    free(cells);
}

static poll_t unit_ready_poll(future_t *f, context_t *cx) { (void)f; (void)cx; return POLL_READY; }
static const future_vtable unit_vt = {"unit", unit_ready_poll, NULL, sizeof(future_t)};
static const future_vtable big_vt = {"big", unit_ready_poll, NULL, 4096};

/* spawns one detached task of vt in a cell; returns where its future was */
typedef struct cell_spawner { future_t base; const future_vtable *vt; void *at; } cell_spawner;
static poll_t cell_spawner_poll(future_t *f, context_t *cx) {
    cell_spawner *c = (cell_spawner *)f;
    future_t *u = exec_cell_new(cx->ex, c->vt->size);
    assert_non_null(u);
    memset((char *)u + sizeof *u, 0x5a, c->vt->size - sizeof *u); /* the whole future is usable */
    future_init(u, c->vt, cx->ex, cx, NULL);
    assert_true(exec_spawn_local_cell(cx->ex, cx, u, c->vt->name, NULL) > 0);
    c->at = u;
    return POLL_READY;
}
static const future_vtable cell_spawner_vt = {"cell_spawner", cell_spawner_poll, NULL, sizeof(cell_spawner)};

static void *run_cell_spawner(exec_t *ex, const future_vtable *vt) {
    cell_spawner c = {.vt = vt};
    future_init(&c.base, &cell_spawner_vt, ex, NULL, NULL);
    assert_int_equal(exec_block_on(ex, &c.base, "cell_spawner"), EXEC_OK);
    return c.at;
}

static void a_finished_tasks_cell_should_be_reused_by_the_next_spawn_of_its_size(void **s) {
    (void)s;
    exec_config c;
    exec_config_default(&c);
    exec_t *ex = exec_new(&c, NULL, NULL);
    void *first = run_cell_spawner(ex, &unit_vt);
    /* the detached task ran first in the next run, finished and was released: its block is
     * what that run's spawn gets */
    assert_ptr_equal(run_cell_spawner(ex, &unit_vt), first);
    void *big = run_cell_spawner(ex, &big_vt); /* too big for a class: freed, not kept */
    assert_ptr_not_equal(big, first);
    void *again = exec_cell_new(ex, sizeof(future_t));
    assert_ptr_equal(again, first);
    exec_cell_free(ex, again); /* never spawned: back to its list */
    assert_ptr_equal(exec_cell_new(ex, sizeof(future_t) - 8), first); /* the same 16-byte class */
    void *other = exec_cell_new(ex, 200);
    assert_ptr_not_equal(other, first);
    exec_cell_free(ex, other);
    exec_cell_free(ex, first);
    assert_int_equal(exec_get_stats(ex).tasks, 6);
    exec_free(ex); /* ASan: every cell freed once */
}

/* a task that gives its waker away, wakes the root, and waits forever */
static waker_t held, root_waker;
static poll_t giver_poll(future_t *f, context_t *cx) {
    (void)f;
    held = waker_clone(&cx->waker);
    waker_wake(&root_waker, "given");
    return POLL_PENDING;
}
static const future_vtable giver_vt = {"giver", giver_poll, NULL, sizeof(future_t)};

/* spawns a giver in a cell and is Ready once it has run */
static poll_t giver_root_poll(future_t *f, context_t *cx) {
    if (waker_is_set(&held)) return POLL_READY;
    if (f->polls == 1) {
        future_t *g = exec_cell_new(cx->ex, sizeof *g);
        future_init(g, &giver_vt, cx->ex, cx, NULL);
        assert_true(exec_spawn_local_cell(cx->ex, cx, g, "giver", NULL) > 0);
    }
    waker_store(&root_waker, &cx->waker);
    return POLL_PENDING;
}
static const future_vtable giver_root_vt = {"giver_root", giver_root_poll, NULL, sizeof(future_t)};

static void a_cell_task_whose_waker_outlives_the_executor_should_be_freed_with_its_last_waker(void **s) {
    (void)s;
    exec_config c;
    exec_config_default(&c);
    exec_t *ex = exec_new(&c, NULL, NULL);
    held = root_waker = (waker_t){0};
    future_t root;
    future_init(&root, &giver_root_vt, ex, NULL, NULL);
    assert_int_equal(exec_block_on(ex, &root, "giver_root"), EXEC_OK);
    assert_true(waker_is_set(&held));
    exec_free(ex); /* the giver's task lives on as an orphan, in its cell */
    waker_wake(&held, "after the executor"); /* its last reference: ASan sees the cell freed once */
    assert_false(waker_is_set(&held));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_future_that_drops_its_waker_should_end_in_a_reported_deadlock),
        cmocka_unit_test(a_task_woken_three_times_should_be_queued_and_polled_once),
        cmocka_unit_test(a_self_wake_should_requeue_the_task_and_be_linted),
        cmocka_unit_test(polling_a_future_after_ready_should_be_detected),
        cmocka_unit_test(spawned_tasks_should_be_polled_by_several_pool_workers),
        cmocka_unit_test(spawn_without_a_pool_should_fail_and_spawn_local_should_stay_on_main),
        cmocka_unit_test(a_busy_executor_should_poll_many_times_more_than_a_parking_one),
        cmocka_unit_test(a_runaway_run_should_stop_at_the_poll_limit),
        cmocka_unit_test(a_busy_executor_with_nothing_due_should_report_a_deadlock_not_spin_forever),
        cmocka_unit_test(the_executor_should_run_without_reactor_or_trace),
        cmocka_unit_test(tasks_spawned_in_cells_should_run_as_tasks_spawned_from_malloc),
        cmocka_unit_test(a_finished_tasks_cell_should_be_reused_by_the_next_spawn_of_its_size),
        cmocka_unit_test(a_cell_task_whose_waker_outlives_the_executor_should_be_freed_with_its_last_waker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
