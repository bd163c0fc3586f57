/* The catalogue: one test per row of the product brief's table (S1-S10), each checking the
 * slide's claim FROM THE TRACE of the scenario file; the lost wake-up and the failing host;
 * and the committed traces in traces/ still match a fresh run byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/interp.h"
#include "sim/runner.h"
#include "util_trace.h"

#define SCN PINATA_SOURCE_DIR "/scenarios/"

/* Runs scenarios/NAME.json (with at most one --param) and returns its parsed trace. */
static cJSON *run_param(const char *name, const char *key, const char *value, int want) {
    char path[512], out[256], err[768] = "";
    snprintf(path, sizeof path, "%s%s.json", SCN, name);
    snprintf(out, sizeof out, "catalogue_%s.trace.json", name);
    scenario_param p = {key, value};
    runner_opts o = {.quiet = 1, .params = key ? &p : NULL, .nparams = key ? 1 : 0};
    int rc = runner_run(path, out, &o, err, sizeof err);
    if (rc != want) fail_msg("%s: status %d, wanted %d: %s", name, rc, want, err);
    cJSON *t = ut_load(out);
    assert_non_null(t);
    return t;
}

static cJSON *run(const char *name) { return run_param(name, NULL, NULL, RUNNER_OK); }

static double ts(const cJSON *ev) { return ut_num(ev, "ts"); }
static double end(const cJSON *ev) { return ut_num(ev, "ts") + (ut_num(ev, "dur") > 0 ? ut_num(ev, "dur") : 0); }
static int tid(const cJSON *ev) { return (int)ut_num(ev, "tid"); }
static int task(const cJSON *ev) { return (int)ut_arg_num(ev, "task"); }
static int is_top_poll(const cJSON *ev) {
    return (ut_is(ev, "X", "poll", NULL) || ut_is(ev, "X", "call", NULL)) && ut_arg_is_null(ev, "parent");
}

/* The n-th (0-based) event matching ph/cat/name for task (task < 0: any). */
static const cJSON *nth(const cJSON *t, const char *ph, const char *cat, const char *name, int tk, int n) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, ph, cat, name) && (tk < 0 || task(ev) == tk) && n-- == 0) return ev;
    }
    return NULL;
}

/* The task whose spawn event names detail (e.g. a host), or -1. */
static int task_of(const cJSON *t, const char *name, const char *detail) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "task", "spawn") && !strcmp(ut_arg_str(ev, "name"), name) &&
            !strcmp(ut_arg_str(ev, "detail"), detail))
            return task(ev);
    }
    return -1;
}

/* ---------- S1 ---------- */

/* Blocked time of one thread against its life (first to last event on it). */
static double blocked_share(const cJSON *t, int th) {
    double first = -1, last = 0, blocked = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (tid(ev) != th || ut_is(ev, "M", NULL, NULL)) continue;
        if (first < 0 || ts(ev) < first) first = ts(ev);
        if (end(ev) > last) last = end(ev);
        if (ut_is(ev, "X", "blocked", NULL)) blocked += ut_num(ev, "dur");
    }
    return last > first ? blocked / (last - first) : 0;
}

static int blocked_at(const cJSON *t, int th, double at) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (tid(ev) == th && ut_is(ev, "X", "blocked", NULL) && ts(ev) <= at && end(ev) >= at) return 1;
    }
    return 0;
}

static void s1_each_connection_has_a_thread_blocked_in_its_system_calls(void **s) {
    (void)s;
    cJSON *t = run("s01_sync_threads");
    assert_int_equal(ut_count(t, "i", "task", "spawn", -1), 4);
    for (int th = EXEC_OS_TID_BASE; th < EXEC_OS_TID_BASE + 3; th++) {
        assert_true(blocked_share(t, th) > 0.9); /* most of the wall time is waiting */
        assert_true(blocked_at(t, th, 10000.0));  /* all three wait at once, each in its own call */
    }
    assert_non_null(nth(t, "X", "blocked", "connect", -1, 2));
    assert_non_null(nth(t, "X", "blocked", "read_to_string", -1, 2));
    assert_int_equal(ut_count(t, "X", "poll", NULL, -1), 0); /* synchronous code: calls, not polls */
    assert_true(blocked_share(t, 1) > 0.9);                    /* main waits in join */
    cJSON_Delete(t);
}

/* ---------- S2 ---------- */

static void s2_block_on_polls_a_which_resumes_at_its_await(void **s) {
    (void)s;
    cJSON *t = run("s02_block_on");
    const cJSON *a1 = nth(t, "X", "poll", "cheapo_request", 1, 0), *a2 = nth(t, "X", "poll", "cheapo_request", 1, 1);
    const cJSON *b1 = nth(t, "X", "poll", "connect", 1, 0);
    assert_non_null(a1);
    assert_non_null(a2);
    assert_string_equal(ut_arg_str(a1, "from"), "start");           /* the first poll runs to the first await */
    assert_string_equal(ut_arg_str(a1, "result"), "Pending");
    assert_string_equal(ut_arg_str(b1, "result"), "Pending");       /* B returns Pending ... */
    assert_true(ut_arg_num(b1, "parent") == ut_arg_num(a1, "future")); /* ... polled by A */
    const cJSON *reg = nth(t, "i", "waker", "register", 1, 0), *park = nth(t, "X", "park", NULL, -1, 0);
    assert_non_null(strstr(ut_arg_str(reg, "on"), "writable"));    /* B registered the waker */
    assert_true(ts(park) >= end(a1) - 0.001);                       /* block_on sleeps */
    assert_non_null(strstr(ut_arg_str(nth(t, "X", "wake", NULL, 1, 0), "by"), "connected"));
    assert_string_equal(ut_arg_str(a2, "from"), "connect.await");   /* resumes AT the await */
    assert_int_equal(ut_count(t, "X", "poll", "read_to_string", 1), 4); /* D: exactly 4 polls */
    assert_non_null(nth(t, "X", "poll", "write_all", 1, 0));
    /* No poll without a wake before it: every re-poll of A carries the flow of a wake. */
    for (int i = 1; nth(t, "X", "poll", "cheapo_request", 1, i); i++) {
        const cJSON *p = nth(t, "X", "poll", "cheapo_request", 1, i);
        double bind = ut_num(p, "bind_id");
        assert_true(bind > 0);
        const cJSON *ev;
        int found = 0;
        cJSON_ArrayForEach(ev, t) found |= ut_is(ev, "X", "wake", NULL) && ut_num(ev, "bind_id") == bind && ts(ev) <= ts(p);
        assert_true(found);
    }
    cJSON_Delete(t);
}

/* ---------- S3 / S4 ---------- */

static void check_three_interleave_on_one_thread(cJSON *t, const char *request_fn) {
    const cJSON *ev;
    double last_connect = 0, first_finish = 1e18;
    int first_task = -1;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", NULL)) assert_int_equal(tid(ev), 1);  /* ONE thread */
        if (ut_is(ev, "X", "syscall", "connect") && ts(ev) > last_connect) last_connect = ts(ev);
        if (ut_is(ev, "i", "task", "finish") && task(ev) != 1 && ts(ev) < first_finish) {
            first_finish = ts(ev);
            first_task = task(ev);
        }
    }
    assert_true(last_connect < first_finish); /* all three connect before any finishes */
    assert_int_equal(first_task, task_of(t, request_fn, "en.wikipedia.org")); /* wikipedia first */
    const cJSON *root_finish = nth(t, "i", "task", "finish", 1, 0);
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "task", "finish")) assert_true(ts(ev) <= ts(root_finish)); /* returns after all */
    }
    assert_int_equal(ut_arg_num(root_finish, "value"), 3);
}

static void s3_three_spawn_local_tasks_interleave_on_one_thread(void **s) {
    (void)s;
    cJSON *t = run("s03_many_requests");
    assert_int_equal(ut_count(t, "i", "task", "spawn", -1), 4);
    check_three_interleave_on_one_thread(t, "cheapo_request");
    cJSON_Delete(t);
}

static void s4_owning_requests_behave_as_s3_one_level_deeper(void **s) {
    (void)s;
    cJSON *t = run("s04_owning_request");
    check_three_interleave_on_one_thread(t, "cheapo_owning_request");
    const cJSON *outer = nth(t, "X", "poll", "cheapo_owning_request", -1, 0);
    const cJSON *inner = nth(t, "X", "poll", "cheapo_request", -1, 0);
    assert_true(ut_arg_num(inner, "parent") == ut_arg_num(outer, "future")); /* the wrapper awaits it */
    cJSON_Delete(t);
}

/* ---------- S5 ---------- */

static void s5_the_future_exists_and_call_time_work_is_done_before_the_first_poll(void **s) {
    (void)s;
    cJSON *t = run("s05_async_block");
    const cJSON *create = NULL, *ev, *call_time = NULL;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "future", "create") && !strcmp(ut_arg_str(ev, "future_name"), "cheapo_request")) create = ev;
        if (ut_is(ev, "X", "compute", NULL) && strstr(ut_arg_str(ev, "why"), "call time")) call_time = ev;
    }
    const cJSON *first = nth(t, "X", "poll", "cheapo_request", 2, 0), *spawn = nth(t, "i", "task", "spawn", 2, 0);
    const cJSON *main1 = nth(t, "X", "poll", "main", 1, 0);
    assert_non_null(create);
    assert_non_null(call_time);
    assert_true(ts(create) < ts(first));                  /* created before it is first polled */
    assert_true(end(call_time) <= ts(spawn) + 0.001);      /* call-time work: before the future is handed on */
    assert_true(ts(call_time) >= ts(main1) && end(call_time) <= end(main1)); /* ... inside the caller's poll */
    assert_true(ts(first) >= end(main1));                 /* polled only once main yields */
    cJSON_Delete(t);
}

/* ---------- S6 ---------- */

/* The value a task set or read in its thread-local or task-local. */
static const char *local_value(const cJSON *t, const char *which, const char *op, int tk) {
    const cJSON *e;
    cJSON_ArrayForEach(e, t) {
        if (ut_is(e, "i", "local", which) && task(e) == tk && !strcmp(ut_arg_str(e, "op"), op)) return ut_arg_str(e, "value");
    }
    return "";
}

static void s6_a_task_resumes_on_another_worker_and_only_the_thread_local_changes(void **s) {
    (void)s;
    cJSON *t = run("s06_spawn_pool");
    int moved = 0, tl_changed = 0, workers_seen = 0;
    for (int tk = 2; tk <= 5; tk++) {
        int first_tid = -1;
        const cJSON *ev;
        cJSON_ArrayForEach(ev, t) {
            if (!is_top_poll(ev) || task(ev) != tk) continue;
            if (first_tid < 0) first_tid = tid(ev);
            else moved |= tid(ev) != first_tid;
            workers_seen |= 1 << tid(ev);
        }
        assert_string_equal(local_value(t, "task_local", "get", tk), local_value(t, "task_local", "set", tk));
        tl_changed |= strcmp(local_value(t, "thread_local", "get", tk), local_value(t, "thread_local", "set", tk)) != 0;
    }
    assert_int_equal(workers_seen, (1 << 2) | (1 << 3)); /* polled by both workers, never by main */
    assert_true(moved);
    assert_true(tl_changed);
    cJSON_Delete(t);
}

/* ---------- S7 ---------- */

static const cJSON *the_compute(const cJSON *t) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "compute", NULL) && ut_num(ev, "dur") >= 50000) return ev;
    return NULL;
}

static void s7_a_long_computation_stops_every_other_task_on_its_thread(void **s) {
    (void)s;
    cJSON *t = run("s07_compute_spawn_local");
    const cJSON *c = the_compute(t), *ev;
    assert_non_null(c);
    int woken_meanwhile = 0;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", NULL) && task(ev) != task(c) && tid(ev) == tid(c))
            assert_true(ts(ev) >= end(c) || end(ev) <= ts(c)); /* nobody else polled during it */
        woken_meanwhile |= ut_is(ev, "X", "wake", NULL) && task(ev) != task(c) && ts(ev) > ts(c) && ts(ev) < end(c);
    }
    assert_true(woken_meanwhile); /* others were ready, and waited */
    cJSON_Delete(t);
    t = run("s07_compute_pool");
    c = the_compute(t);
    int others = 0;
    cJSON_ArrayForEach(ev, t) {
        others += ut_is(ev, "X", "poll", NULL) && tid(ev) != tid(c) && ts(ev) > ts(c) && end(ev) < end(c);
    }
    assert_true(others > 0); /* on a pool, the other worker keeps going */
    cJSON_Delete(t);
}

/* ---------- S8 ---------- */

static void s8_a_poll_after_ready_is_reported_and_a_fused_future_stays_pending(void **s) {
    (void)s;
    cJSON *t = run("s08_fuse");
    const cJSON *lint = nth(t, "i", "lint", "poll_after_ready", -1, 0), *ev;
    assert_non_null(lint);
    assert_string_equal(ut_arg_str(lint, "future_name"), "connect");
    int fused = 0;
    cJSON_ArrayForEach(ev, t) {
        fused |= ut_is(ev, "X", "poll", "sleep") && !strcmp(ut_arg_str(ev, "from"), "fused") &&
                 !strcmp(ut_arg_str(ev, "result"), "Pending");
    }
    assert_true(fused);
    assert_int_equal(ut_count(t, "i", "lint", "poll_after_ready", -1), 1); /* the fused poll is not a bug */
    cJSON_Delete(t);
}

/* ---------- S9 ---------- */

static double busy_time(const cJSON *t) {
    double sum = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) if (is_top_poll(ev)) sum += ut_num(ev, "dur");
    return sum;
}

static void s9_the_busy_executor_polls_many_times_more_for_the_same_result(void **s) {
    (void)s;
    cJSON *park = run("s09_parking"), *busy = run("s09_busy_poll");
    int pp = ut_count(park, "X", "poll", "cheapo_request", 1), bp = ut_count(busy, "X", "poll", "cheapo_request", 1);
    assert_true(bp >= 10 * pp);
    assert_true(busy_time(busy) >= 10 * busy_time(park)); /* the CPU time of the wasted polls */
    assert_true(ut_arg_num(nth(busy, "i", "task", "finish", 1, 0), "value") ==
                ut_arg_num(nth(park, "i", "task", "finish", 1, 0), "value"));
    assert_true(ut_count(park, "X", "park", NULL, -1) > 0);
    cJSON_Delete(park);
    cJSON_Delete(busy);
}

/* ---------- S10 ---------- */

static const cJSON *peak_memory(const cJSON *t) {
    const cJSON *ev, *best = NULL;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "C", "memory", "memory") && (!best || ut_arg_num(ev, "task_bytes") > ut_arg_num(best, "task_bytes")))
            best = ev;
    }
    return best;
}

static void s10_ten_thousand_tasks_cost_bytes_where_threads_cost_stacks(void **s) {
    (void)s;
    cJSON *t = run_param("chat_server", "connections", "10000", RUNNER_OK);
    const cJSON *m = peak_memory(t);
    assert_int_equal(ut_arg_num(m, "tasks"), 10001);               /* every connection open at once */
    double per_task = ut_arg_num(m, "task_bytes") / ut_arg_num(m, "tasks");
    assert_true(per_task > 64 && per_task < 1024);                  /* a few hundred bytes each */
    cJSON_Delete(t);
    t = run_param("chat_server_threads", "connections", "10000", RUNNER_OK);
    const cJSON *ev, *tm = NULL;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "C", "memory", NULL) && (!tm || ut_arg_num(ev, "threads") > ut_arg_num(tm, "threads"))) tm = ev;
    assert_int_equal(ut_arg_num(tm, "threads"), 10001);             /* a thread per connection, and main */
    assert_true(ut_arg_num(tm, "stack_used_bytes") >= 10000.0 * 100 * 1024);
    assert_true(ut_arg_num(tm, "stack_used_bytes") > 100 * per_task * 10001);
    cJSON_Delete(t);
}

/* 100,000 connections: the same counters, from the executor (a 100k trace is 400 MB). */
static void s10_a_hundred_thousand_tasks_still_cost_bytes_each(void **s) {
    (void)s;
    char err[512];
    scenario_param p = {"connections", "100000"};
    scenario *sc = scenario_load(SCN "chat_server.json", &p, 1, err, sizeof err);
    assert_non_null(sc);
    reactor_t r;
    reactor_init(&r);
    exec_t *ex = exec_new(&sc->cfg, &r, NULL);
    net_t *net = net_new(ex, sc->seed);
    net_listen(net, &sc->client, sc->clients, sc->client_first_ns, sc->client_interval_ns);
    interp_t *ip = interp_new(sc, ex, net);
    assert_int_equal(exec_block_on(ex, interp_entry(ip), "main"), EXEC_OK);
    exec_stats st = exec_get_stats(ex);
    assert_int_equal(st.peak_tasks, 100001);
    assert_true(st.peak_task_bytes / st.peak_tasks < 1024);
    assert_true((uint64_t)sc->cfg.stack_used > 100 * (st.peak_task_bytes / st.peak_tasks));
    exec_free(ex);
    interp_free(ip);
    net_free(net);
    reactor_free(&r);
    scenario_free(sc);
}

/* ---------- the lost wake-up and the failing host ---------- */

static void a_future_that_drops_its_waker_ends_in_a_reported_deadlock(void **s) {
    (void)s;
    cJSON *t = run_param("lost_wakeup", NULL, NULL, RUNNER_DEADLOCK);
    assert_int_equal(ut_count(t, "i", "lint", "lost_waker", 2), 1);
    const cJSON *d = nth(t, "i", "run", "deadlock", -1, 0);
    assert_non_null(d);
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "args"), "tasks"), *e;
    int found = 0;
    cJSON_ArrayForEach(e, tasks) {
        found |= ut_num(e, "task") == 2 && ut_num(e, "wakers") == 0 && !strcmp(ut_str(e, "awaits"), "drop_waker");
    }
    assert_true(found);
    assert_string_equal(ut_arg_str(nth(t, "i", "run", "end", -1, 0), "result"), "deadlock");
    cJSON_Delete(t);
}

static void a_failing_host_gives_its_error_to_the_caller_and_the_others_go_on(void **s) {
    (void)s;
    cJSON *t = run("failing_host");
    int refused = task_of(t, "cheapo_request", "refused.example"), reset = task_of(t, "cheapo_request", "reset.example");
    assert_int_equal(ut_arg_num(nth(t, "i", "task", "finish", refused, 0), "err"), NET_ECONNREFUSED);
    assert_int_equal(ut_arg_num(nth(t, "i", "task", "finish", reset, 0), "err"), NET_ECONNRESET);
    assert_int_equal(ut_arg_num(nth(t, "i", "task", "finish", task_of(t, "cheapo_request", "example.com"), 0), "err"), 0);
    assert_int_equal(ut_arg_num(nth(t, "i", "task", "finish", 1, 0), "value"), 2); /* two succeeded */
    cJSON_Delete(t);
}

/* ---------- the committed traces ---------- */

static const char *const catalogue[] = {
    "block_on", "many_requests", "s01_sync_threads", "s02_block_on", "s03_many_requests", "s04_owning_request",
    "s05_async_block", "s06_spawn_pool", "s07_compute_spawn_local", "s07_compute_pool", "s08_fuse",
    "s09_parking", "s09_busy_poll", "chat_server", "chat_server_threads", "lost_wakeup", "failing_host", NULL,
};

static void every_committed_trace_should_match_a_fresh_run_byte_for_byte(void **s) {
    (void)s;
    for (int i = 0; catalogue[i]; i++) {
        int chat = !strncmp(catalogue[i], "chat_server", 11);
        cJSON_Delete(run_param(catalogue[i], chat ? "connections" : NULL, "100",
                               strcmp(catalogue[i], "lost_wakeup") ? RUNNER_OK : RUNNER_DEADLOCK));
        char fresh[256], committed[512];
        snprintf(fresh, sizeof fresh, "catalogue_%s.trace.json", catalogue[i]);
        snprintf(committed, sizeof committed, "%s/traces/%s.trace.json", PINATA_SOURCE_DIR, catalogue[i]);
        int same = ut_same_bytes(fresh, committed);
        if (same < 0) fail_msg("%s is missing: run scripts/regen-traces.sh", committed);
        if (!same) fail_msg("%s differs from a fresh run: if the change is meant, run scripts/regen-traces.sh", committed);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s1_each_connection_has_a_thread_blocked_in_its_system_calls),
        cmocka_unit_test(s2_block_on_polls_a_which_resumes_at_its_await),
        cmocka_unit_test(s3_three_spawn_local_tasks_interleave_on_one_thread),
        cmocka_unit_test(s4_owning_requests_behave_as_s3_one_level_deeper),
        cmocka_unit_test(s5_the_future_exists_and_call_time_work_is_done_before_the_first_poll),
        cmocka_unit_test(s6_a_task_resumes_on_another_worker_and_only_the_thread_local_changes),
        cmocka_unit_test(s7_a_long_computation_stops_every_other_task_on_its_thread),
        cmocka_unit_test(s8_a_poll_after_ready_is_reported_and_a_fused_future_stays_pending),
        cmocka_unit_test(s9_the_busy_executor_polls_many_times_more_for_the_same_result),
        cmocka_unit_test(s10_ten_thousand_tasks_cost_bytes_where_threads_cost_stacks),
        cmocka_unit_test(s10_a_hundred_thousand_tasks_still_cost_bytes_each),
        cmocka_unit_test(a_future_that_drops_its_waker_ends_in_a_reported_deadlock),
        cmocka_unit_test(a_failing_host_gives_its_error_to_the_caller_and_the_others_go_on),
        cmocka_unit_test(every_committed_trace_should_match_a_fresh_run_byte_for_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
