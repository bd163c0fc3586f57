/* The runtime models (sim/exec's model, sim/net's untrusted connect; docs/runtime-models.md):
 * issue 10's table of measured poll counts checked FROM THE TRACES — tokio exactly, async-std
 * within its measured ranges over many seeds, ideal as it was — and the panics of a poll
 * after Ready, per model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/runner.h"
#include "util_trace.h"

#define SCN PINATA_SOURCE_DIR "/scenarios/"
#define DATA PINATA_SOURCE_DIR "/tests/data/"

enum { IDEAL = 1, ASYNC_STD = 2, TOKIO = 3 }; /* runner_opts.model: 1 + exec_model */

/* Runs path under model with seed (0: the scenario's) and returns its parsed trace. */
static cJSON *run_model(const char *path, int model, uint64_t seed, int want) {
    char out[96], err[768] = "";
    snprintf(out, sizeof out, "models_%d_%llu.trace.json", model, (unsigned long long)seed);
    runner_opts o = {.quiet = 1, .model = model, .seed = seed, .has_seed = seed != 0};
    int rc = runner_run(path, out, &o, err, sizeof err);
    if (rc != want) fail_msg("%s: status %d, wanted %d: %s", path, rc, want, err);
    cJSON *t = ut_load(out);
    assert_non_null(t);
    return t;
}

/* Polls of the future name whose detail is detail ("" any) — e.g. JoinHandle of a host. */
static int polls_of(const cJSON *t, const char *name, const char *detail) {
    int n = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", name) && (!*detail || !strcmp(ut_arg_str(ev, "detail"), detail))) n++;
    }
    return n;
}

/* When the task running name for detail finished (ms), from its spawn and finish events. */
static double finish_ms(const cJSON *t, const char *detail) {
    int task = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "task", "spawn") && !strcmp(ut_arg_str(ev, "detail"), detail)) task = (int)ut_arg_num(ev, "task");
        if (task > 0 && ut_is(ev, "i", "task", "finish") && (int)ut_arg_num(ev, "task") == task) return ut_num(ev, "ts") / 1000;
    }
    return -1;
}

static void in_range(const char *what, int n, int lo, int hi, uint64_t seed) {
    if (n < lo || n > hi) fail_msg("%s: %d polls with seed %llu, measured %d..%d", what, n, (unsigned long long)seed, lo, hi);
}

static const char *const HOSTS[] = {"example.com", "www.red-bean.com", "en.wikipedia.org"};

/* The S3 rows every model shares: finish times and order, read_to_string's 4 polls. */
static void s3_same_finish(const cJSON *t) {
    assert_true(finish_ms(t, "en.wikipedia.org") < finish_ms(t, "example.com"));
    assert_true(finish_ms(t, "example.com") < finish_ms(t, "www.red-bean.com"));
    assert_true(finish_ms(t, "en.wikipedia.org") >= 60 && finish_ms(t, "en.wikipedia.org") < 61);
    assert_true(finish_ms(t, "example.com") >= 140 && finish_ms(t, "example.com") < 141);
    assert_true(finish_ms(t, "www.red-bean.com") >= 165 && finish_ms(t, "www.red-bean.com") < 166);
    for (int i = 0; i < 3; i++) assert_int_equal(polls_of(t, "read_to_string", HOSTS[i]), 4);
}

static void tokio_gives_the_measured_counts_of_s2_and_s3(void **s) {
    (void)s;
    cJSON *t = run_model(SCN "s02_block_on.json", TOKIO, 0, RUNNER_OK);
    assert_int_equal(polls_of(t, "read_to_string", ""), 4);
    assert_int_equal(polls_of(t, "connect", ""), 2);
    assert_int_equal(polls_of(t, "cheapo_request", ""), 5);
    cJSON_Delete(t);
    t = run_model(SCN "s03_many_requests.json", TOKIO, 0, RUNNER_OK);
    in_range("many_requests", polls_of(t, "many_requests", ""), 12, 13, 0);
    in_range("JoinHandle example.com", polls_of(t, "JoinHandle", "example.com"), 10, 11, 0);
    in_range("JoinHandle www.red-bean.com", polls_of(t, "JoinHandle", "www.red-bean.com"), 3, 4, 0);
    assert_int_equal(polls_of(t, "JoinHandle", "en.wikipedia.org"), 1);
    for (int i = 0; i < 3; i++) assert_int_equal(polls_of(t, "cheapo_request", HOSTS[i]), 5);
    s3_same_finish(t);
    cJSON_Delete(t);
}

/* Over many seeds every count lies in async-std's measured range, and both sides of the
 * race (a spurious connect poll or none) happen. */
static void async_std_counts_lie_in_the_measured_ranges_over_many_seeds(void **s) {
    (void)s;
    int spurious = 0, plain = 0;
    for (uint64_t seed = 1; seed <= 16; seed++) {
        cJSON *t = run_model(SCN "s02_block_on.json", ASYNC_STD, seed, RUNNER_OK);
        assert_int_equal(polls_of(t, "read_to_string", ""), 4);
        int c = polls_of(t, "connect", "");
        in_range("S2 connect", c, 2, 3, seed);
        assert_int_equal(polls_of(t, "cheapo_request", ""), c + 3); /* one more for the extra connect poll */
        spurious += c == 3;
        plain += c == 2;
        cJSON_Delete(t);
        t = run_model(SCN "s03_many_requests.json", ASYNC_STD, seed, RUNNER_OK);
        in_range("many_requests", polls_of(t, "many_requests", ""), 12, 16, seed);
        in_range("JoinHandle example.com", polls_of(t, "JoinHandle", "example.com"), 10, 13, seed);
        in_range("JoinHandle www.red-bean.com", polls_of(t, "JoinHandle", "www.red-bean.com"), 3, 4, seed);
        assert_int_equal(polls_of(t, "JoinHandle", "en.wikipedia.org"), 1);
        for (int i = 0; i < 3; i++) in_range(HOSTS[i], polls_of(t, "cheapo_request", HOSTS[i]), 5, 6, seed);
        s3_same_finish(t);
        cJSON_Delete(t);
    }
    assert_true(spurious > 0 && plain > 0);
}

/* Every poll that has a woken_by made no progress: block_on's root for a sibling's wake
 * (Pending, and that sibling was woken just before), or a spurious connect (Pending). */
static void a_poll_for_another_wake_is_marked_and_finds_nothing_ready(void **s) {
    (void)s;
    cJSON *t = run_model(SCN "s03_many_requests.json", ASYNC_STD, 1, RUNNER_OK);
    int sibling = 0, spurious = 0;
    unsigned woken = 0; /* the tasks woken since the root's last poll, as bits */
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "wake", NULL)) woken |= 1u << (int)ut_arg_num(ev, "task");
        if (!ut_is(ev, "X", "poll", NULL)) continue;
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "args"), "woken_by");
        unsigned since = woken;
        if (ut_arg_is_null(ev, "parent") && ut_arg_num(ev, "task") == 1) woken = 0; /* the root's poll ends here */
        if (!by) continue;
        assert_string_equal(ut_arg_str(ev, "result"), "Pending");
        if (cJSON_IsString(by)) {
            assert_string_equal(by->valuestring, "spurious");
            spurious += !strcmp(ut_str(ev, "name"), "connect");
        } else if (ut_arg_is_null(ev, "parent")) {
            assert_int_equal((int)ut_arg_num(ev, "task"), 1); /* only block_on's root */
            assert_true(since & (1u << (int)by->valuedouble)); /* that sibling was woken */
            assert_false(since & 2u);                             /* and the root itself was not */
            sibling++;
        }
    }
    assert_int_equal(sibling, 12);
    assert_int_equal(spurious, 1);
    cJSON_Delete(t);
    t = run_model(SCN "s03_many_requests.json", IDEAL, 0, RUNNER_OK); /* ideal: never */
    cJSON_ArrayForEach(ev, t) assert_true(ut_arg_num(ev, "woken_by") < 0 && !*ut_arg_str(ev, "woken_by"));
    cJSON_Delete(t);
}

static const cJSON *first(const cJSON *t, const char *ph, const char *cat, const char *name) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, ph, cat, name)) return ev;
    return NULL;
}

static void s8_under_tokio_ends_its_connect_after_ready_with_a_panic(void **s) {
    (void)s;
    cJSON *t = run_model(SCN "s08_fuse.json", TOKIO, 0, RUNNER_PANIC);
    const cJSON *p = first(t, "i", "task", "panic");
    assert_non_null(p);
    assert_string_equal(ut_arg_str(p, "future_name"), "connect");
    assert_string_equal(ut_arg_str(p, "message"), "`async fn` resumed after completion");
    assert_int_equal(ut_count(t, "i", "lint", "poll_after_ready", -1), 0); /* a panic, not the ideal's lint */
    assert_int_equal(ut_count(t, "X", "poll", "sleep", -1), 0);            /* nothing after the panic ran */
    const cJSON *f = first(t, "i", "task", "finish");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f, "args"), "panicked")));
    assert_string_equal(ut_arg_str(first(t, "i", "run", "end"), "result"), "panic");
    cJSON_Delete(t);
    char out[4096];
    int st = ut_pinata("run " SCN "s08_fuse.json --model tokio --summary -o models_s8.trace.json", out, sizeof out);
    assert_int_equal(st, 101); /* as a Rust program whose main panicked */
    assert_non_null(strstr(out, "PANICKED"));
    assert_non_null(strstr(out, "the run ended with a panic"));
    t = run_model(SCN "s08_fuse.json", IDEAL, 0, RUNNER_OK); /* ideal: the lint, and it goes on */
    assert_int_equal(ut_count(t, "i", "lint", "poll_after_ready", -1), 1);
    assert_int_equal(ut_count(t, "i", "task", "panic", -1), 0);
    cJSON_Delete(t);
}

/* A leaf decides per model: async-std's sleep is an async fn (panics), tokio's Sleep is a
 * struct whose poll is Ready again. */
static void sleep_after_ready_panics_under_async_std_and_is_ready_under_tokio(void **s) {
    (void)s;
    cJSON *t = run_model(DATA "model_sleep_again.json", ASYNC_STD, 0, RUNNER_PANIC);
    assert_string_equal(ut_arg_str(first(t, "i", "task", "panic"), "future_name"), "sleep");
    assert_int_equal(ut_count(t, "i", "note", NULL, -1), 0);
    cJSON_Delete(t);
    t = run_model(DATA "model_sleep_again.json", TOKIO, 0, RUNNER_OK);
    assert_int_equal(ut_count(t, "i", "task", "panic", -1), 0);
    assert_int_equal(ut_count(t, "i", "note", NULL, -1), 1);
    cJSON_Delete(t);
}

/* A spawned task's panic: tokio's JoinHandle is Ready(Err(JoinError)) and main goes on;
 * async-std's resumes the panic in main, which block_on propagates. */
static void a_spawned_tasks_panic_reaches_its_joinhandle_per_model(void **s) {
    (void)s;
    cJSON *t = run_model(DATA "model_panic_spawned.json", TOKIO, 0, RUNNER_OK);
    assert_int_equal(ut_count(t, "i", "task", "panic", -1), 1);
    const cJSON *ev, *join = NULL;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "poll", "JoinHandle") && !strcmp(ut_arg_str(ev, "result"), "Ready")) join = ev;
    assert_non_null(join);
    assert_string_equal(ut_arg_str(join, "error"), "panicked");
    assert_int_equal(ut_count(t, "i", "note", NULL, -1), 1);
    cJSON_Delete(t);
    t = run_model(DATA "model_panic_spawned.json", ASYNC_STD, 0, RUNNER_PANIC);
    assert_int_equal(ut_count(t, "i", "task", "panic", -1), 2); /* the task's, then main's at the join */
    assert_int_equal(ut_count(t, "i", "note", NULL, -1), 0);
    cJSON_Delete(t);
}

/* The committed traces of the models match a fresh run (the seeds of scripts/regen-traces.sh). */
static void the_committed_model_traces_match_a_fresh_run(void **s) {
    (void)s;
    const char *names[] = {"s02_block_on", "s03_many_requests", "s08_fuse"};
    for (int i = 0; i < 3; i++)
        for (int m = ASYNC_STD; m <= TOKIO; m++) {
            char path[512], committed[512], fresh[96];
            snprintf(path, sizeof path, "%s%s.json", SCN, names[i]);
            cJSON_Delete(run_model(path, m, m == ASYNC_STD ? 1 : 42, i == 2 ? RUNNER_PANIC : RUNNER_OK));
            snprintf(fresh, sizeof fresh, "models_%d_%d.trace.json", m, m == ASYNC_STD ? 1 : 42);
            snprintf(committed, sizeof committed, "%s/traces/%s.%s.trace.json", PINATA_SOURCE_DIR, names[i],
                     m == ASYNC_STD ? "async-std" : "tokio");
            int same = ut_same_bytes(fresh, committed);
            if (same < 0) fail_msg("%s is missing: run scripts/regen-traces.sh", committed);
            if (!same) fail_msg("%s differs from a fresh run: if the change is meant, run scripts/regen-traces.sh", committed);
        }
}

/* A host's name resolved on a blocking-pool thread (real models, resolve_ms > 0): connect
 * awaits spawn_blocking's JoinHandle first, so it is polled 3 times (4 with async-std's extra
 * poll), and the thread blocks in getaddrinfo for the host's resolve_ms (0.2, not the
 * network's 0.5). Under ideal: resolved at once, 2 polls, no thread. */
static void a_name_is_resolved_on_a_blocking_thread_under_the_real_models(void **s) {
    (void)s;
    cJSON *t = run_model(DATA "model_resolve.json", TOKIO, 0, RUNNER_OK);
    assert_int_equal(polls_of(t, "connect", ""), 3);
    const cJSON *sp = NULL, *ev;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "i", "task", "spawn") && !strcmp(ut_arg_str(ev, "how"), "spawn_blocking")) sp = ev;
    assert_non_null(sp);
    assert_string_equal(ut_arg_str(sp, "name"), "getaddrinfo");
    int lane = -1;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "M", NULL, "thread_name") && !strcmp(ut_arg_str(ev, "name"), "blocking 1")) lane = (int)ut_num(ev, "tid");
    assert_true(lane > 1); /* its own lane */
    const cJSON *b = NULL;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "X", "blocked", "getaddrinfo")) b = ev;
    assert_non_null(b);
    assert_int_equal((int)ut_num(b, "tid"), lane);
    assert_true(ut_num(b, "dur") >= 199 && ut_num(b, "dur") <= 201); /* µs */
    const cJSON *conn = NULL; /* the connect system call comes after the resolution */
    cJSON_ArrayForEach(ev, t) if (!conn && ut_is(ev, "X", "syscall", "connect")) conn = ev;
    assert_true(ut_num(conn, "ts") >= ut_num(b, "ts") + ut_num(b, "dur"));
    cJSON_Delete(t);
    int four = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        t = run_model(DATA "model_resolve.json", ASYNC_STD, seed, RUNNER_OK);
        in_range("connect to a name", polls_of(t, "connect", ""), 3, 4, seed);
        four += polls_of(t, "connect", "") == 4;
        cJSON_Delete(t);
    }
    assert_true(four > 0);
    t = run_model(DATA "model_resolve.json", IDEAL, 0, RUNNER_OK);
    assert_int_equal(polls_of(t, "connect", ""), 2);
    assert_int_equal(ut_count(t, "X", "blocked", "getaddrinfo", -1), 0);
    cJSON_Delete(t);
}

static void a_bad_model_is_a_one_line_error(void **s) {
    (void)s;
    char out[1024];
    assert_int_equal(ut_pinata("run " SCN "s02_block_on.json --model smol -o models_bad.trace.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "--model: expected ideal, async-std or tokio, got 'smol'"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokio_gives_the_measured_counts_of_s2_and_s3),
        cmocka_unit_test(async_std_counts_lie_in_the_measured_ranges_over_many_seeds),
        cmocka_unit_test(a_poll_for_another_wake_is_marked_and_finds_nothing_ready),
        cmocka_unit_test(s8_under_tokio_ends_its_connect_after_ready_with_a_panic),
        cmocka_unit_test(sleep_after_ready_panics_under_async_std_and_is_ready_under_tokio),
        cmocka_unit_test(a_spawned_tasks_panic_reaches_its_joinhandle_per_model),
        cmocka_unit_test(the_committed_model_traces_match_a_fresh_run),
        cmocka_unit_test(a_name_is_resolved_on_a_blocking_thread_under_the_real_models),
        cmocka_unit_test(a_bad_model_is_a_one_line_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
