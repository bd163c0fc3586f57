/* The lecture's S2 (block_on) and S3 (many_requests) examples, checked from their traces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/runner.h"
#include "util_trace.h"

static cJSON *run_and_load(const char *name, const char *path) {
    assert_int_equal(ut_run(name, path), RUNNER_OK);
    cJSON *t = ut_load(path);
    assert_non_null(t);
    return t;
}

static double end_of(const cJSON *e) { return ut_num(e, "ts") + (ut_num(e, "dur") > 0 ? ut_num(e, "dur") : 0); }

static int inside(const cJSON *child, const cJSON *parent) {
    return ut_num(child, "ts") >= ut_num(parent, "ts") - 1e-9 && end_of(child) <= end_of(parent) + 1e-9 &&
           ut_num(child, "tid") == ut_num(parent, "tid");
}

/* The n-th (1-based) poll slice of the future named name. */
static const cJSON *nth_poll(const cJSON *t, const char *name, int n) {
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "X", "poll", name) && ut_arg_num(e, "poll") == n) return e;
    return NULL;
}

static void block_on_first_poll_of_a_should_reach_connect_which_returns_pending(void **s) {
    (void)s;
    cJSON *t = run_and_load("block_on", "t_cheapo_a.json");
    const cJSON *a1 = nth_poll(t, "cheapo_request", 1), *b1 = nth_poll(t, "connect", 1);
    assert_non_null(a1);
    assert_non_null(b1);
    assert_true(inside(b1, a1));
    assert_string_equal(ut_arg_str(b1, "result"), "Pending");
    assert_string_equal(ut_arg_str(a1, "result"), "Pending");
    assert_int_equal((int)ut_arg_num(b1, "parent"), (int)ut_arg_num(a1, "future"));
    assert_string_equal(ut_arg_str(a1, "at"), "connect.await");
    /* B's connect() system call happened inside B's poll and did not complete. */
    const cJSON *e;
    int saw = 0;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "X", "syscall", "connect") && inside(e, b1)) {
        assert_string_equal(ut_arg_str(e, "ret"), "EINPROGRESS");
        saw = 1;
    }
    assert_true(saw);
    cJSON_Delete(t);
    remove("t_cheapo_a.json");
}

static void block_on_should_park_after_pending_and_be_woken_by_the_connect_event(void **s) {
    (void)s;
    cJSON *t = run_and_load("block_on", "t_cheapo_b.json");
    const cJSON *a1 = nth_poll(t, "cheapo_request", 1), *a2 = nth_poll(t, "cheapo_request", 2), *e;
    const cJSON *park = NULL, *wake = NULL;
    cJSON_ArrayForEach(e, t) {
        if (!park && ut_is(e, "X", "park", NULL) && ut_num(e, "tid") == 1) park = e;
        if (!wake && ut_is(e, "X", "wake", NULL)) wake = e;
    }
    assert_non_null(park);
    assert_non_null(wake);
    /* The thread sleeps from the end of A's Pending poll until just before A's second poll. */
    assert_true(fabs(ut_num(park, "ts") - end_of(a1)) < 1e-6);
    assert_true(end_of(park) <= ut_num(a2, "ts") + 1e-6);
    assert_non_null(strstr(ut_arg_str(wake, "by"), "connected"));
    /* The wake is tied to the poll it causes. */
    assert_true(ut_num(wake, "bind_id") > 0);
    assert_int_equal((int)ut_num(wake, "bind_id"), (int)ut_num(a2, "bind_id"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a2, "flow_in")));
    assert_true(ut_num(wake, "ts") <= ut_num(a2, "ts"));
    /* A resumes at the await it stopped at, not from the top. */
    assert_string_equal(ut_arg_str(a2, "from"), "connect.await");
    cJSON_Delete(t);
    remove("t_cheapo_b.json");
}

static void read_to_string_should_be_polled_exactly_four_times_with_the_default_network(void **s) {
    (void)s;
    cJSON *t = run_and_load("block_on", "t_cheapo_c.json");
    assert_int_equal(ut_count(t, "X", "poll", "read_to_string", -1), 4);
    assert_string_equal(ut_arg_str(nth_poll(t, "read_to_string", 4), "result"), "Ready");
    assert_int_equal(ut_count(t, "X", "poll", "connect", -1), 2);
    assert_int_equal(ut_count(t, "X", "poll", "write_all", -1), 1);
    cJSON_Delete(t);
    remove("t_cheapo_c.json");
}

/* For each future: between two of its polls, its task was woken (a wake that queued it). */
static void assert_no_poll_without_a_wake(const cJSON *t) {
    const cJSON *p, *q, *w;
    cJSON_ArrayForEach(p, t) {
        if (!ut_is(p, "X", "poll", NULL) || ut_arg_num(p, "poll") < 2) continue;
        double fut = ut_arg_num(p, "future"), task = ut_arg_num(p, "task"), prev_end = -1;
        cJSON_ArrayForEach(q, t) if (ut_is(q, "X", "poll", NULL) && ut_arg_num(q, "future") == fut &&
                                     ut_arg_num(q, "poll") == ut_arg_num(p, "poll") - 1) prev_end = end_of(q);
        assert_true(prev_end >= 0);
        int woken = 0;
        cJSON_ArrayForEach(w, t) if (ut_is(w, "X", "wake", NULL) && ut_arg_num(w, "task") == task &&
                                     cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(w, "args"), "queued")) &&
                                     ut_num(w, "ts") >= prev_end - 1e-6 && ut_num(w, "ts") <= ut_num(p, "ts")) woken = 1;
        if (!woken) fail_msg("future %g (%s) poll %g had no wake before it", fut, ut_str(p, "name"), ut_arg_num(p, "poll"));
    }
}

/* Per thread: X slices nest (or follow each other), and completion times never go back. */
static void assert_slices_nest_and_time_moves_forward(const cJSON *t) {
    const cJSON *a, *b;
    cJSON_ArrayForEach(a, t) {
        if (!ut_is(a, "X", NULL, NULL)) continue;
        cJSON_ArrayForEach(b, t) {
            if (a == b || !ut_is(b, "X", NULL, NULL) || ut_num(a, "tid") != ut_num(b, "tid")) continue;
            int disjoint = end_of(a) <= ut_num(b, "ts") + 1e-9 || end_of(b) <= ut_num(a, "ts") + 1e-9;
            if (!disjoint && !inside(a, b) && !inside(b, a))
                fail_msg("%s@%g and %s@%g overlap on tid %g", ut_str(a, "name"), ut_num(a, "ts"), ut_str(b, "name"),
                         ut_num(b, "ts"), ut_num(a, "tid"));
        }
    }
    double last[2048] = {0};
    cJSON_ArrayForEach(a, t) {
        int tid = (int)ut_num(a, "tid");
        if (tid < 0 || tid >= 2048 || ut_is(a, "M", NULL, NULL)) continue;
        assert_true(end_of(a) >= last[tid] - 1e-9);
        last[tid] = end_of(a);
    }
}

static void block_on_should_never_poll_without_a_wake_and_its_slices_should_nest(void **s) {
    (void)s;
    cJSON *t = run_and_load("block_on", "t_cheapo_d.json");
    assert_no_poll_without_a_wake(t);
    assert_slices_nest_and_time_moves_forward(t);
    cJSON_Delete(t);
    remove("t_cheapo_d.json");
}

static const char *host_of_task(const cJSON *t, double task) {
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "i", "task", "spawn") && ut_arg_num(e, "task") == task) return ut_arg_str(e, "detail");
    return "";
}

static void many_requests_should_interleave_three_tasks_on_one_thread(void **s) {
    (void)s;
    cJSON *t = run_and_load("many_requests", "t_cheapo_e.json");
    const cJSON *e;
    int tasks_on_main[8] = {0};
    cJSON_ArrayForEach(e, t) if (ut_is(e, "X", "poll", "cheapo_request")) {
        assert_int_equal((int)ut_num(e, "tid"), 1);
        tasks_on_main[(int)ut_arg_num(e, "task") & 7] = 1;
    }
    assert_int_equal(tasks_on_main[2] + tasks_on_main[3] + tasks_on_main[4], 3);
    assert_string_equal(ut_str(cJSON_GetArrayItem(t, 0), "name"), "pinata");
    cJSON_Delete(t);
    remove("t_cheapo_e.json");
}

static void many_requests_should_connect_all_three_before_any_finishes(void **s) {
    (void)s;
    cJSON *t = run_and_load("many_requests", "t_cheapo_f.json");
    const cJSON *e;
    double last_connect = -1, first_finish = 1e18;
    int connects = 0;
    cJSON_ArrayForEach(e, t) {
        if (ut_is(e, "X", "syscall", "connect")) { connects++; if (ut_num(e, "ts") > last_connect) last_connect = ut_num(e, "ts"); }
        if (ut_is(e, "i", "task", "finish") && ut_num(e, "ts") < first_finish) first_finish = ut_num(e, "ts");
    }
    assert_int_equal(connects, 3);
    assert_true(last_connect < first_finish);
    cJSON_Delete(t);
    remove("t_cheapo_f.json");
}

static void many_requests_should_finish_wikipedia_first_and_itself_last(void **s) {
    (void)s;
    cJSON *t = run_and_load("many_requests", "t_cheapo_g.json");
    const cJSON *e, *first = NULL, *last = NULL;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "i", "task", "finish")) { if (!first) first = e; last = e; }
    assert_string_equal(host_of_task(t, ut_arg_num(first, "task")), "en.wikipedia.org");
    assert_int_equal((int)ut_arg_num(last, "task"), 1);
    const cJSON *spawn1 = NULL;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "i", "task", "spawn") && ut_arg_num(e, "task") == 1) spawn1 = e;
    assert_string_equal(ut_arg_str(spawn1, "name"), "many_requests");
    assert_no_poll_without_a_wake(t);
    assert_slices_nest_and_time_moves_forward(t);
    cJSON_Delete(t);
    remove("t_cheapo_g.json");
}

static void two_runs_should_give_identical_bytes(void **s) {
    (void)s;
    const char *names[] = {"block_on", "many_requests"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ut_run(names[i], "t_det1.json"), RUNNER_OK);
        assert_int_equal(ut_run(names[i], "t_det2.json"), RUNNER_OK);
        long n1, n2;
        char *a = ut_slurp("t_det1.json", &n1), *b = ut_slurp("t_det2.json", &n2);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, (size_t)n1);
        free(a);
        free(b);
    }
    remove("t_det1.json");
    remove("t_det2.json");
}

static void the_trace_should_load_with_pythons_json_module(void **s) {
    (void)s;
    assert_int_equal(ut_run("many_requests", "t_py.json"), RUNNER_OK);
    int rc = system("python3 -c \"import json,sys; ev=json.load(open('t_py.json')); "
                    "sys.exit(0 if ev[0]['name']=='pinata' and ev[-1]['name']=='end' else 1)\"");
    assert_int_equal(rc, 0);
    remove("t_py.json");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_on_first_poll_of_a_should_reach_connect_which_returns_pending),
        cmocka_unit_test(block_on_should_park_after_pending_and_be_woken_by_the_connect_event),
        cmocka_unit_test(read_to_string_should_be_polled_exactly_four_times_with_the_default_network),
        cmocka_unit_test(block_on_should_never_poll_without_a_wake_and_its_slices_should_nest),
        cmocka_unit_test(many_requests_should_interleave_three_tasks_on_one_thread),
        cmocka_unit_test(many_requests_should_connect_all_three_before_any_finishes),
        cmocka_unit_test(many_requests_should_finish_wikipedia_first_and_itself_last),
        cmocka_unit_test(two_runs_should_give_identical_bytes),
        cmocka_unit_test(the_trace_should_load_with_pythons_json_module),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
