/* sim/rsfront (with rslex, rsparse, rslower): a program given as its Rust runs exactly as the
 * same program given as JSON steps; each step takes its line and column from the source;
 * bad Rust gets one line "FILE:LINE:COL: ..." in Rust's terms, exit 2 and no trace; and no
 * input crashes or hangs the front end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/runner.h"
#include "sim/scenario.h"
#include "util_trace.h"

#define SCN PINATA_SOURCE_DIR "/scenarios/"
#define DATA PINATA_SOURCE_DIR "/tests/data/"
#define OUT "rsfront.trace.json"

/* Runs a scenario file into path and returns its trace, the header's "file" removed (it
 * names the file, which differs between the two versions of one program). */
static cJSON *run_trace(const char *scenario, const char *path) {
    char err[768] = "";
    runner_opts o = {.quiet = 1};
    int rc = runner_run(scenario, path, &o, err, sizeof err);
    if (rc != RUNNER_OK) fail_msg("%s: %s", scenario, err);
    cJSON *t = ut_load(path);
    assert_non_null(t);
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(cJSON_GetArrayItem(t, 0), "args"), "file");
    return t;
}

/* Removes the columns the Rust version's polls carry (the JSON steps have none); returns how
 * many events had them. */
static int drop_columns(cJSON *t) {
    static const char *const keys[] = {"col", "end_col", "from_col", "from_end_col"};
    int n = 0;
    cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        cJSON *args = cJSON_GetObjectItem(ev, "args");
        n += cJSON_GetObjectItem(args, "col") != NULL;
        for (int k = 0; k < 4; k++) cJSON_DeleteItemFromObject(args, keys[k]);
    }
    return n;
}

/* a (the program as Rust) gives the trace of b (as JSON steps), but for its columns. */
static void assert_same_trace(const char *a, const char *b) {
    cJSON *x = run_trace(a, "rsfront_a.trace.json"), *y = run_trace(b, "rsfront_b.trace.json");
    assert_true(drop_columns(x) > 5);
    assert_int_equal(drop_columns(y), 0);
    char *sx = cJSON_PrintUnformatted(x), *sy = cJSON_PrintUnformatted(y);
    assert_true(cJSON_GetArraySize(x) > 20);
    if (strcmp(sx, sy)) fail_msg("%s and %s give different traces", a, b);
    free(sx);
    free(sy);
    cJSON_Delete(x);
    cJSON_Delete(y);
}

static void s2_from_its_rust_should_give_the_trace_of_its_json_steps(void **s) {
    (void)s;
    assert_same_trace(SCN "s02_block_on.json", DATA "s02_block_on_steps.json");
}

/* Writes text to NAME in the working directory (a .rs file, or a scenario). */
static const char *put(const char *name, const char *text) {
    FILE *f = fopen(name, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return name;
}

/* The one-line error of running file, which must be exactly want (when want ends with '*',
 * only its start), with nothing written. */
static void expect_error(const char *file, const char *want) {
    char err[1024] = "";
    remove(OUT);
    runner_opts o = {.quiet = 1};
    int rc = runner_run(file, OUT, &o, err, sizeof err);
    if (rc != RUNNER_ERROR) fail_msg("%s: status %d, wanted the error '%s'", file, rc, want);
    size_t n = strlen(want);
    int prefix = n && want[n - 1] == '*';
    if (prefix ? strncmp(err, want, n - 1) : strcmp(err, want)) fail_msg("got  '%s'\nwant '%s'", err, want);
    assert_null(strchr(err, '\n'));
    assert_int_equal(access(OUT, F_OK), -1);
    assert_int_equal(ut_temporaries(OUT), 0);
    remove(file);
}

#define HEAD "async fn get(host: &str) {\n"

static void bad_rust_should_get_one_line_in_rust_terms(void **s) {
    (void)s;
    expect_error(put("t_await.rs", HEAD "    let s = await net::TcpStream::connect((host, 80));\n}\n"),
                 "t_await.rs:2:13: expected an expression before 'await': Rust's await goes after the future (future.await)");
    expect_error(put("t_impl.rs", "struct Forgetful { n: u32 }\n\nimpl Future for Forgetful {\n}\n"),
                 "t_impl.rs:1:1: 'struct' is not supported by pinata (supported: *");
    expect_error(put("t_wake.rs", "struct W;\nimpl Future for W {\n    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {\n"
                                  "        cx.waker().wake_by_ref(); Poll::Pending\n    }\n}\nasync fn main() {\n    W.await;\n}\n"),
                 "t_wake.rs:8:5: a hand-written future that wakes its task is not supported by pinata (task::yield_now() is one)");
    expect_error(put("t_impl2.rs", "async fn main() {}\nimpl Display for Forgetful {\n}\n"),
                 "t_impl2.rs:2:1: 'impl Trait for' is not supported by pinata (supported: fn, async fn, *");
    expect_error(put("t_parse.rs", "#[async_std::main]\nasync fn main() {\n    let body = 1;\n    parse(&body);\n}\n"),
                 "t_parse.rs:4:5: cannot find function 'parse': pinata knows the program's own fns and its built-ins*");
    expect_error(put("t_sync.rs", "fn main() {\n    let s = net::TcpStream::connect((\"example.com\", 80)).await;\n}\n"),
                 "t_sync.rs:2:13: '.await' is only allowed inside async functions and blocks");
    expect_error(put("t_str.rs", "fn main() {\n    let s = \"open;\n}\n"),
                 "t_str.rs:2:13: unterminated string: expected a closing '\"'");
    expect_error(put("t_semi.rs", "async fn main() {\n    let a = 1\n    let b = 2;\n}\n"),
                 "t_semi.rs:3:5: expected ';' after the let statement, got 'let'");
    expect_error(put("t_never.rs", "async fn main() {\n    task::sleep(Duration::from_millis(5));\n}\n"),
                 "t_never.rs:2:5: this future is never awaited, so it never runs: add '.await' (or spawn it)");
    expect_error(put("t_nomain.rs", "async fn get() {}\n"), "t_nomain.rs:1:1: expected fn main()*");
    expect_error(put("t_args.rs", HEAD "}\nasync fn main() {\n    get(\"a\", 1).await;\n}\n"),
                 "t_args.rs:4:5: this function takes 1 argument but 2 were supplied");
    expect_error(put("t_order.rs", "async fn main() {\n    let a = task::spawn_local(w());\n    let b = task::spawn_local(w());\n"
                                   "    b.await;\n    a.await;\n}\nasync fn w() {}\n"),
                 "t_order.rs:4:5: a JoinHandle is awaited before one spawned earlier*");
}

/* What the scenario check finds after the lowering is named by the Rust line and column. */
static void a_scenario_error_should_name_the_rust_place(void **s) {
    (void)s;
    expect_error(put("t_host.rs", HEAD "    let s = net::TcpStream::connect((host, 80)).await;\n}\n"
                                  "#[async_std::main]\nasync fn main() {\n    get(\"exampel.com\").await;\n}\n"),
                 "t_host.rs:6:5: unknown host 'exampel.com' (passed to line 2, column 13): expected one of example.com, *");
    expect_error(put("t_json.json", "{\"name\": \"t\", \"rust\": [\"async fn main() {\", \"    fetch().await;\", \"}\"]}"),
                 "t_json.json: rust:2:5: cannot find function 'fetch'*");
}

/* `pinata run x.rs` with bad Rust: exit 2, one line on stderr, no trace. */
static void the_cli_should_exit_2_with_one_line(void **s) {
    (void)s;
    char out[2048];
    put("t_cli.rs", "async fn main() {\n    loop {}\n}\n");
    remove("t_cli.trace.json");
    assert_int_equal(ut_pinata("run t_cli.rs -q", out, sizeof out), 2);
    assert_string_equal(out, "pinata run: t_cli.rs:2:5: 'loop' is not supported by pinata (supported: fn, async fn, fn -> impl Future, let, "
                             "for, while let, async blocks, closures, .await, ?, thread_local!, task_local!, const, use, struct NAME; "
                             "with impl Future for NAME)\n");
    assert_int_equal(access("t_cli.trace.json", F_OK), -1);
    remove("t_cli.rs");
}

/* Each step carries the line and the columns of the expression it stands for. */
static void steps_should_carry_the_columns_of_their_expression(void **s) {
    (void)s;
    char err[768] = "";
    scenario *sc = scenario_load(SCN "s02_block_on.json", NULL, 0, err, sizeof err);
    if (!sc) fail_msg("%s", err);
    const scn_fn *f = &sc->fns[scenario_find_fn(sc, "cheapo_request")];
    assert_int_equal(f->nbody, 4);
    /* "    let mut socket = net::TcpStream::connect((host, port)).await?;" */
    assert_int_equal(f->body[0].line, 2);
    assert_int_equal(f->body[0].col, 22);
    assert_int_equal(f->body[0].end_col, 65);
    const char *line = cJSON_GetArrayItem(sc->rust, 1)->valuestring;
    assert_memory_equal(line + 21, "net::TcpStream::connect((host, port)).await", 65 - 22);
    assert_int_equal(f->body[2].kind, STEP_SHUTDOWN);
    assert_int_equal(f->body[2].line, 5);
    assert_int_equal(sc->entry, scenario_find_fn(sc, "cheapo_request"));
    scenario_free(sc);
}

/* Every byte prefix of a real program, and single-byte corruptions of it: each loads or gets
 * one line, none crashes (ASan build) or hangs. */
static void no_prefix_or_corruption_should_crash(void **s) {
    (void)s;
    long len = 0;
    char *text = ut_slurp(PINATA_SOURCE_DIR "/tests/data/rsfront_all.rs", &len);
    assert_non_null(text);
    char *buf = malloc((size_t)len + 1), err[1024];
    int ok = 0, bad_n = 0;
    static const char swaps[] = "{}()[];,.:&|\"'?!#/* \nax0";
    for (long n = 0; n <= len; n++) {
        memcpy(buf, text, (size_t)n);
        buf[n] = 0;
        scenario *sc = scenario_load_text("p.rs", buf, NULL, 0, err, sizeof err);
        if (sc) ok++;
        else { bad_n++; assert_null(strchr(err, '\n')); assert_true(strlen(err) > 0); }
        scenario_free(sc);
    }
    for (long i = 0; i < len; i += 3) {
        memcpy(buf, text, (size_t)len + 1);
        buf[i] = swaps[(size_t)i % (sizeof swaps - 1)];
        scenario *sc = scenario_load_text("p.rs", buf, NULL, 0, err, sizeof err);
        if (!sc) assert_null(strchr(err, '\n'));
        scenario_free(sc);
    }
    assert_true(ok >= 1); /* the whole program */
    assert_true(bad_n > 10);
    free(buf);
    free(text);
}


/* ---------- the programs written fresh for the docs: scenarios/NAME.rs ---------- */

static cJSON *run_rs(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s%s.rs", SCN, name);
    return run_trace(path, "rsfront_doc.trace.json");
}

/* The task whose spawn names detail, or -1. */
static int task_of(const cJSON *t, const char *name, const char *detail) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "task", "spawn") && !strcmp(ut_arg_str(ev, "name"), name) &&
            (!detail || !strcmp(ut_arg_str(ev, "detail"), detail)))
            return (int)ut_arg_num(ev, "task");
    }
    return -1;
}

/* When task finished (us), or -1 if it never did. */
static double finish_of(const cJSON *t, int task) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "task", "finish") && (int)ut_arg_num(ev, "task") == task) return ut_num(ev, "ts");
    }
    return -1;
}

/* timeout.rs: main stops waiting at its deadline; the fast request made it, the slow never finishes. */
static void a_timeout_from_spawn_and_sleep_should_abandon_the_slow_request(void **s) {
    (void)s;
    cJSON *t = run_rs("timeout");
    int fast = task_of(t, "cheapo_request", "en.wikipedia.org"), slow = task_of(t, "cheapo_request", "slow.example");
    int main_task = task_of(t, "main", NULL);
    assert_true(fast > 0 && slow > 0 && main_task > 0);
    double deadline = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) { /* the end of main's sleep: its timer's Ready */
        if (ut_is(ev, "X", "poll", "sleep") && !strcmp(ut_arg_str(ev, "result"), "Ready")) deadline = ut_num(ev, "ts");
    }
    assert_true(deadline >= 100000); /* Duration::from_millis(100) */
    assert_true(finish_of(t, fast) > 0 && finish_of(t, fast) < deadline);
    assert_true(finish_of(t, main_task) >= deadline);
    assert_true(finish_of(t, slow) < 0); /* abandoned: never polled to Ready */
    assert_int_equal(ut_count(t, "X", "poll", "cheapo_request", slow), 1); /* polled once, Pending in connect */
    cJSON_Delete(t);
}

/* producer_consumer.rs: the consumer's lock() is Pending while the producer holds the lock
 * across its sleep, and Ready only after that sleep; the thread parks, it never blocks. */
static void a_lock_held_across_an_await_should_make_the_other_task_wait(void **s) {
    (void)s;
    cJSON *t = run_rs("producer_consumer");
    int prod = task_of(t, "produce", NULL), cons = task_of(t, "consume", NULL);
    assert_true(prod > 0 && cons > 0);
    int pending = 0, waited = 0;
    double pend_ts = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        int task = (int)ut_arg_num(ev, "task");
        if (ut_is(ev, "X", "poll", "lock") && task == cons && !strcmp(ut_arg_str(ev, "result"), "Pending")) {
            pending++;
            pend_ts = ut_num(ev, "ts");
        }
        if (ut_is(ev, "X", "poll", "sleep") && task == prod && !strcmp(ut_arg_str(ev, "result"), "Ready") &&
            pend_ts >= 0 && ut_num(ev, "ts") > pend_ts)
            waited = 1; /* the holder's sleep ended after the consumer found the lock taken */
        if (ut_is(ev, "X", "poll", "lock") && task == cons && !strcmp(ut_arg_str(ev, "result"), "Ready") && pend_ts >= 0) {
            assert_true(waited);
            pend_ts = -1;
            waited = 0;
        }
    }
    assert_true(pending >= 1);
    assert_int_equal(ut_count(t, "X", "blocked", NULL, -1), 0);
    assert_true(ut_count(t, "X", "park", NULL, -1) > 0);
    cJSON_Delete(t);
}

/* fan_out.rs: ten requests all connect before the first finishes; the whole takes about as
 * long as the slowest request, far less than their sum. */
static void a_fan_out_of_ten_should_take_as_long_as_the_slowest(void **s) {
    (void)s;
    cJSON *t = run_rs("fan_out");
    double spawned[64], first_finish = 1e30, slowest = 0, sum = 0, end = -1;
    int n = 0, connects_before = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "i", "task", "spawn") && !strcmp(ut_arg_str(ev, "name"), "cheapo_request") && n < 64)
            spawned[n++] = ut_num(ev, "ts");
        if (ut_is(ev, "i", "task", "finish") && (int)ut_arg_num(ev, "task") > 1 && ut_num(ev, "ts") < first_finish)
            first_finish = ut_num(ev, "ts");
        if (ut_is(ev, "i", "run", "end")) end = ut_num(ev, "ts");
    }
    assert_int_equal(n, 10);
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", "connect") && ut_arg_num(ev, "poll") == 1 && ut_num(ev, "ts") < first_finish) connects_before++;
        if (ut_is(ev, "i", "task", "finish") && (int)ut_arg_num(ev, "task") > 1) {
            double d = ut_num(ev, "ts") - spawned[(int)ut_arg_num(ev, "task") - 2];
            sum += d;
            if (d > slowest) slowest = d;
        }
    }
    assert_int_equal(connects_before, 10);
    assert_true(end < slowest * 1.05);
    assert_true(end < sum / 5);
    cJSON_Delete(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s2_from_its_rust_should_give_the_trace_of_its_json_steps),
        cmocka_unit_test(bad_rust_should_get_one_line_in_rust_terms),
        cmocka_unit_test(a_scenario_error_should_name_the_rust_place),
        cmocka_unit_test(the_cli_should_exit_2_with_one_line),
        cmocka_unit_test(steps_should_carry_the_columns_of_their_expression),
        cmocka_unit_test(no_prefix_or_corruption_should_crash),
        cmocka_unit_test(a_timeout_from_spawn_and_sleep_should_abandon_the_slow_request),
        cmocka_unit_test(a_lock_held_across_an_await_should_make_the_other_task_wait),
        cmocka_unit_test(a_fan_out_of_ten_should_take_as_long_as_the_slowest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
