/* The interpreter: scenario bodies run as real futures, the same timeline as the hand-written
 * C state machines, deterministic, embedded callee state, and the steps beyond the catalogue
 * (mutex, yield_now, a blocking call inside async code, an unset thread-local). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cheapo.h"
#include "sim/interp.h"
#include "sim/runner.h"
#include "util_trace.h"

#define SCN PINATA_SOURCE_DIR "/scenarios/"
#define DATA PINATA_SOURCE_DIR "/tests/data/"

static cJSON *run_to(const char *what, const char *out, int want) {
    assert_int_equal(ut_run(what, out), want);
    cJSON *t = ut_load(out);
    assert_non_null(t);
    return t;
}

/* The poll slices of a trace as one comparable line each. */
static char *poll_sequence(const cJSON *t) {
    size_t cap = 1 << 16, n = 0;
    char *out = calloc(1, cap);
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (!ut_is(ev, "X", "poll", NULL) || n + 512 > cap) continue;
        n += (size_t)snprintf(out + n, cap - n, "%s tid=%g ts=%g dur=%g task=%g %s from=%s at=%s detail=%s\n",
                              ut_str(ev, "name"), ut_num(ev, "tid"), ut_num(ev, "ts"), ut_num(ev, "dur"),
                              ut_arg_num(ev, "task"), ut_arg_str(ev, "result"), ut_arg_str(ev, "from"),
                              ut_arg_str(ev, "at"), ut_arg_str(ev, "detail"));
    }
    return out;
}

static void same_polls(const char *builtin, const char *file) {
    cJSON *a = run_to(builtin, "interp_builtin.trace.json", RUNNER_OK);
    cJSON *b = run_to(file, "interp_file.trace.json", RUNNER_OK);
    char *pa = poll_sequence(a), *pb = poll_sequence(b);
    assert_true(strlen(pa) > 100);
    assert_string_equal(pa, pb);
    free(pa);
    free(pb);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void block_on_json_should_poll_exactly_as_the_hand_written_state_machine(void **s) {
    (void)s;
    same_polls("block_on", SCN "block_on.json");
}

static void many_requests_json_should_poll_exactly_as_the_hand_written_state_machine(void **s) {
    (void)s;
    same_polls("many_requests", SCN "many_requests.json");
}

static void the_same_scenario_and_seed_should_give_a_byte_identical_trace(void **s) {
    (void)s;
    const char *files[] = {DATA "jitter.json", SCN "s06_spawn_pool.json", SCN "chat_server_threads.json"};
    for (int i = 0; i < 3; i++) {
        char *a, *b;
        long na, nb;
        runner_opts o = {.quiet = 1};
        char err[512];
        scenario_param p = {"connections", "50"};
        o.params = &p;
        o.nparams = i == 2;
        assert_int_equal(runner_run(files[i], "det_a.trace.json", &o, err, sizeof err), RUNNER_OK);
        assert_int_equal(runner_run(files[i], "det_b.trace.json", &o, err, sizeof err), RUNNER_OK);
        a = ut_slurp("det_a.trace.json", &na);
        b = ut_slurp("det_b.trace.json", &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, (size_t)na);
        free(a);
        free(b);
    }
}

static void another_seed_should_move_the_jittered_events(void **s) {
    (void)s;
    runner_opts o = {.quiet = 1, .has_seed = 1, .seed = 8};
    char err[512];
    assert_int_equal(runner_run(DATA "jitter.json", "seed8.trace.json", &o, err, sizeof err), RUNNER_OK);
    assert_int_equal(ut_run(DATA "jitter.json", "seed7.trace.json"), RUNNER_OK);
    cJSON *a = ut_load("seed7.trace.json"), *b = ut_load("seed8.trace.json");
    assert_true(ut_num(cJSON_GetArrayItem(a, cJSON_GetArraySize(a) - 1), "ts") !=
                ut_num(cJSON_GetArrayItem(b, cJSON_GetArraySize(b) - 1), "ts"));
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void a_callers_future_should_embed_the_state_of_the_function_it_awaits(void **s) {
    (void)s;
    char err[512];
    scenario *sc = scenario_load(SCN "s04_owning_request.json", NULL, 0, err, sizeof err);
    assert_non_null(sc);
    interp_t *ip = interp_new(sc, NULL, NULL);
    size_t outer = interp_frame_size(sc, scenario_find_fn(sc, "cheapo_owning_request"));
    size_t inner = interp_frame_size(sc, scenario_find_fn(sc, "cheapo_request"));
    assert_true(inner > sizeof(read_to_string_future));
    assert_true(outer > inner); /* the whole cheapo_request state is inside */
    assert_int_equal(sc->fns[scenario_find_fn(sc, "cheapo_request")].vt.size, inner);
    interp_free(ip);
    scenario_free(sc);
}

static void a_locked_async_mutex_should_make_the_second_task_wait(void **s) {
    (void)s;
    cJSON *t = run_to(DATA "mutex.json", "interp_mutex.trace.json", RUNNER_OK);
    const cJSON *ev, *first = NULL, *second = NULL;
    cJSON_ArrayForEach(ev, t) {
        if (!ut_is(ev, "i", "note", NULL)) continue;
        if (!first) first = ev;
        else second = ev;
    }
    assert_non_null(second);
    assert_true(ut_num(second, "ts") >= ut_num(first, "ts") + 10000); /* after the holder's 10 ms */
    int woke = 0;
    cJSON_ArrayForEach(ev, t) woke |= ut_is(ev, "X", "wake", NULL) && strstr(ut_arg_str(ev, "by"), "mutex table unlocked");
    assert_true(woke);
    cJSON_Delete(t);
}

static void yield_now_should_let_another_task_run_and_wake_itself(void **s) {
    (void)s;
    cJSON *t = run_to(DATA "yield.json", "interp_yield.trace.json", RUNNER_OK);
    /* it wakes its own task on purpose: the wake is in the trace, no lint calls it a mistake */
    assert_int_equal(ut_count(t, "i", "lint", "self_wake", -1), 0);
    int woke_itself = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, t) woke_itself += ut_is(w, "X", "wake", NULL) && !strcmp(ut_arg_str(w, "by"), "yield_now");
    assert_int_equal(woke_itself, 1);
    const cJSON *ev;
    int order[8], n = 0;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", NULL) && ut_arg_is_null(ev, "parent") && n < 8) order[n++] = (int)ut_arg_num(ev, "task");
    }
    /* main, spinner (yields), other, spinner again, main */
    assert_int_equal(n, 5);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 3);
    assert_int_equal(order[3], 2);
    cJSON_Delete(t);
}

static void a_blocking_call_in_async_code_should_hold_its_thread(void **s) {
    (void)s;
    cJSON *t = run_to(DATA "blocking_in_async.json", "interp_blocking.trace.json", RUNNER_OK);
    const cJSON *ev, *blocked = NULL;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "blocked", NULL)) blocked = ev;
    assert_non_null(blocked);
    assert_int_equal(ut_arg_num(blocked, "task"), 2);
    assert_true(ut_num(blocked, "dur") > 19000);
    double b0 = ut_num(blocked, "ts"), b1 = b0 + ut_num(blocked, "dur");
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", NULL) && ut_arg_num(ev, "task") == 3) assert_true(ut_num(ev, "ts") < b0 || ut_num(ev, "ts") >= b1);
        if (ut_is(ev, "i", "local", "thread_local")) assert_string_equal(ut_arg_str(ev, "value"), "(unset)");
    }
    assert_int_equal(ut_num(blocked, "tid"), 1); /* the executor's own thread */
    cJSON_Delete(t);
}

static void the_summary_should_be_read_back_from_the_trace(void **s) {
    (void)s;
    cJSON_Delete(run_to(SCN "s07_compute_spawn_local.json", "interp_summary.trace.json", RUNNER_OK));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s run %ss07_compute_spawn_local.json -o interp_summary2.trace.json --summary > interp_summary.txt",
             PINATA_BINARY, SCN);
    assert_int_equal(system(cmd), 0);
    char *txt = ut_slurp("interp_summary.txt", NULL);
    assert_non_null(strstr(txt, "tasks (read back from the trace): 4 tasks"));
    assert_non_null(strstr(txt, "long-poll(1)"));
    assert_non_null(strstr(txt, "memory at the peak"));
    free(txt);
}

/* S5: `fn cheapo_request(..) -> impl Future` copies its arguments when called; the async
 * block's future exists only when the fn returns it. */
static void call_time_work_should_come_before_the_future_of_the_async_block(void **s) {
    (void)s;
    cJSON *t = run_to(SCN "s05_async_block.json", "interp_s05.trace.json", RUNNER_OK);
    int i = 0, compute = -1, note = -1, create = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "compute", NULL) && !strncmp(ut_arg_str(ev, "why"), "call time", 9)) compute = i;
        if (ut_is(ev, "i", "note", NULL) && strstr(ut_arg_str(ev, "text"), "to_string") && note < 0) note = i;
        if (ut_is(ev, "i", "future", "create") && !strcmp(ut_arg_str(ev, "future_name"), "cheapo_request")) create = i;
        i++;
    }
    assert_true(compute > 0 && note > 0 && create > 0);
    assert_true(note < create);
    assert_true(compute < create);
    cJSON_Delete(t);
}

/* A poll records where it starts and where it stops; a leaf says it is one. */
static void a_poll_should_record_the_line_it_resumes_at_and_the_line_it_stops_at(void **s) {
    (void)s;
    cJSON *t = run_to(SCN "s02_block_on.json", "interp_s02.trace.json", RUNNER_OK);
    const cJSON *ev;
    int prev_line = -1, polls = 0, leaves = 0;
    cJSON_ArrayForEach(ev, t) {
        if (!ut_is(ev, "X", "poll", NULL)) continue;
        if (!strcmp(ut_str(ev, "name"), "cheapo_request")) {
            /* its first poll starts at the fn (line 1); each later one where the last stopped */
            assert_int_equal(ut_arg_num(ev, "from_line"), prev_line < 0 ? 1 : prev_line);
            prev_line = (int)ut_arg_num(ev, "line");
            assert_true(ut_arg_num(ev, "leaf") < 0); /* absent */
            polls++;
        } else {
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "args"), "leaf")));
            leaves++;
        }
    }
    assert_int_equal(polls, 5);
    assert_true(leaves >= 5);
    cJSON_Delete(t);
}

/* lost_wakeup: the deadlock is found once the last poll has returned, not before it. */
static void a_deadlock_should_be_reported_after_the_last_poll(void **s) {
    (void)s;
    cJSON *t = run_to(SCN "lost_wakeup.json", "interp_lost.trace.json", RUNNER_DEADLOCK);
    const cJSON *ev;
    double last_end = -1, dead = -1;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", NULL) && ut_num(ev, "ts") + ut_num(ev, "dur") > last_end)
            last_end = ut_num(ev, "ts") + ut_num(ev, "dur");
        if (ut_is(ev, "i", "run", "deadlock")) dead = ut_num(ev, "ts");
    }
    assert_true(last_end > 0);
    assert_true(dead >= last_end);
    cJSON_Delete(t);
}

/* failing_host: connect's Ready carries the error that `?` returns. */
static void a_ready_with_an_error_should_name_it(void **s) {
    (void)s;
    cJSON *t = run_to(SCN "failing_host.json", "interp_fail.trace.json", RUNNER_OK);
    const cJSON *ev;
    int refused = 0, finished = 0;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", "connect") && !strcmp(ut_arg_str(ev, "error"), "ECONNREFUSED")) {
            assert_string_equal(ut_arg_str(ev, "result"), "Ready");
            refused++;
        }
        if (ut_is(ev, "i", "task", "finish") && ut_arg_num(ev, "err") < 0) finished++;
    }
    assert_int_equal(refused, 1);
    assert_int_equal(finished, 2); /* ECONNREFUSED and ECONNRESET */
    cJSON_Delete(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_on_json_should_poll_exactly_as_the_hand_written_state_machine),
        cmocka_unit_test(many_requests_json_should_poll_exactly_as_the_hand_written_state_machine),
        cmocka_unit_test(the_same_scenario_and_seed_should_give_a_byte_identical_trace),
        cmocka_unit_test(another_seed_should_move_the_jittered_events),
        cmocka_unit_test(a_callers_future_should_embed_the_state_of_the_function_it_awaits),
        cmocka_unit_test(a_locked_async_mutex_should_make_the_second_task_wait),
        cmocka_unit_test(yield_now_should_let_another_task_run_and_wake_itself),
        cmocka_unit_test(a_blocking_call_in_async_code_should_hold_its_thread),
        cmocka_unit_test(the_summary_should_be_read_back_from_the_trace),
        cmocka_unit_test(call_time_work_should_come_before_the_future_of_the_async_block),
        cmocka_unit_test(a_poll_should_record_the_line_it_resumes_at_and_the_line_it_stops_at),
        cmocka_unit_test(a_deadlock_should_be_reported_after_the_last_poll),
        cmocka_unit_test(a_ready_with_an_error_should_name_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
