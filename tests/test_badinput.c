/* Bad scenario files: each class gives one line naming the file, the JSON path and what was
 * expected; a non-zero result (from the runner and from the CLI); and no trace file left. */
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
#include "util_trace.h"

#define DATA PINATA_SOURCE_DIR "/tests/data/"
#define OUT "badinput.trace.json"

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* Runs the fixture through the runner; checks the error line and that nothing was left. */
static void expect_error(const char *fixture, const char *place, const char *expected) {
    char path[512], err[768] = "";
    snprintf(path, sizeof path, "%s%s", DATA, fixture);
    remove(OUT);
    runner_opts o = {.quiet = 1};
    assert_int_equal(runner_run(path, OUT, &o, err, sizeof err), RUNNER_ERROR);
    char want[768];
    snprintf(want, sizeof want, "%s: %s: ", path, place);
    if (strncmp(err, want, strlen(want)) != 0) fail_msg("got '%s', wanted it to start with '%s'", err, want);
    if (!strstr(err, expected)) fail_msg("got '%s', wanted it to contain '%s'", err, expected);
    assert_null(strchr(err, '\n'));
    assert_false(exists(OUT));
    assert_int_equal(ut_temporaries(OUT), 0);
}

/* The same file through `pinata run`: exit status 2, one line on stderr, no trace file. */
static void expect_cli_error(const char *fixture) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s run %s%s -o %s -q 2> badinput.err", PINATA_BINARY, DATA, fixture, OUT);
    remove(OUT);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 2);
    FILE *f = fopen("badinput.err", "r");
    assert_non_null(f);
    char line[1024];
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    fclose(f);
    assert_int_equal(lines, 1);
    assert_false(exists(OUT));
    assert_int_equal(ut_temporaries(OUT), 0);
}

static void malformed_json_should_name_the_line_and_column(void **s) {
    (void)s;
    expect_error("bad_malformed.json", "line 6, column 1", "malformed JSON");
    expect_cli_error("bad_malformed.json");
}

static void a_missing_field_should_name_its_path(void **s) {
    (void)s;
    expect_error("bad_missing_field.json", "functions.main.body[0].host", "missing: expected a host name");
    expect_cli_error("bad_missing_field.json");
}

static void a_field_of_the_wrong_type_should_say_what_was_expected(void **s) {
    (void)s;
    expect_error("bad_wrong_type.json", "runtime.workers", "expected a number, got a string");
    expect_cli_error("bad_wrong_type.json");
}

static void an_unknown_step_should_list_the_steps_there_are(void **s) {
    (void)s;
    expect_error("bad_unknown_step.json", "functions.main.body[3].await",
                 "expected one of connect, write_all, read_to_string");
    expect_cli_error("bad_unknown_step.json");
}

static void an_unknown_host_should_be_named_where_it_was_written(void **s) {
    (void)s;
    expect_error("bad_unknown_host.json", "args[0][1]", "unknown host 'exampel.com'");
    expect_cli_error("bad_unknown_host.json");
}

static void an_unknown_function_should_list_the_functions_there_are(void **s) {
    (void)s;
    expect_error("bad_unknown_function.json", "functions.main.body[0].call",
                 "unknown function 'cheapo_reqest': expected one of main, cheapo_request");
    expect_cli_error("bad_unknown_function.json");
}

static void a_negative_latency_should_be_refused(void **s) {
    (void)s;
    expect_error("bad_negative_latency.json", "network.hosts[0].connect_ms", "expected a number >= 0, got -5");
    expect_cli_error("bad_negative_latency.json");
}

static void functions_awaiting_each_other_in_a_cycle_should_be_refused(void **s) {
    (void)s;
    expect_error("bad_await_cycle.json", "functions.b.body[0].await", "await cycle a -> b -> a");
    expect_cli_error("bad_await_cycle.json");
}

static void a_spawn_of_an_unknown_function_should_be_refused(void **s) {
    (void)s;
    expect_error("bad_spawn_unknown.json", "functions.main.body[0].spawn_local", "unknown function 'worker'");
    expect_cli_error("bad_spawn_unknown.json");
}

static void a_runaway_scenario_should_be_stopped_by_the_poll_limit(void **s) {
    (void)s;
    expect_error("bad_runaway.json", "runtime.max_polls",
                 "stopped after 1000 polls: raise runtime.max_polls (at most 1000000000000) if the scenario is meant to run longer");
    expect_cli_error("bad_runaway.json");
}

static void a_runaway_scenario_should_be_stopped_by_the_time_limit(void **s) {
    (void)s;
    expect_error("bad_runaway_time.json", "runtime.max_time_ms", "50.000 ms of virtual time: raise runtime.max_time_ms (at most 1000000000)");
    expect_cli_error("bad_runaway_time.json");
}

static void a_runaway_loop_inside_one_poll_should_be_stopped_by_the_step_limit(void **s) {
    (void)s;
    expect_error("bad_runaway_steps.json", "runtime.max_steps",
                 "the run was stopped after 5000 steps: raise runtime.max_steps (at most 100000000) if the scenario is meant to run longer");
    expect_cli_error("bad_runaway_steps.json");
}

static void a_runaway_spawn_loop_should_be_stopped_by_the_task_limit(void **s) {
    (void)s;
    expect_error("bad_runaway_tasks.json", "runtime.max_tasks", "100 tasks alive already: raise runtime.max_tasks (at most 10000000)");
    expect_cli_error("bad_runaway_tasks.json");
}

static void a_missing_file_should_say_it_cannot_be_read(void **s) {
    (void)s;
    char err[512];
    runner_opts o = {.quiet = 1};
    remove(OUT);
    assert_int_equal(runner_run(DATA "no_such_file.json", OUT, &o, err, sizeof err), RUNNER_ERROR);
    assert_non_null(strstr(err, "no_such_file.json: cannot read the file"));
    assert_false(exists(OUT));
}

static void check_should_reject_what_run_rejects_and_accept_a_good_file(void **s) {
    (void)s;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s check %sbad_await_cycle.json 2>/dev/null >/dev/null", PINATA_BINARY, DATA);
    int rc = system(cmd);
    assert_int_equal(WEXITSTATUS(rc), 2);
    snprintf(cmd, sizeof cmd, "%s check %s/scenarios/block_on.json >/dev/null", PINATA_BINARY, PINATA_SOURCE_DIR);
    rc = system(cmd);
    assert_int_equal(WEXITSTATUS(rc), 0);
}

/* Issue 9, bounds as data: every number has a range (docs/scenario-format.md), checked where
 * it is written or where a variable brings it, and said exactly (never "<= 1e+07, got 1e+07"). */
static void a_number_out_of_its_range_should_be_refused_with_exact_values(void **s) {
    (void)s;
    expect_error("bad_sleep_huge.json", "functions.main.body[0].ms", "expected a duration in ms 0..1e9, got 10000000000000");
    expect_cli_error("bad_sleep_huge.json");
    expect_error("bad_compute_huge.json", "functions.main.body[0].compute_ms", "expected a duration in ms 0..1e9, got 1e+300");
    expect_error("bad_for_huge.json", "functions.main.body[0].for", "a count (an integer 0..1e9), got 1e+300");
    expect_error("bad_port_huge.json", "functions.main.body[0].port", "expected a port number 1..65535, got 1000000");
    expect_error("bad_clients_fraction.json", "network.listener.clients", "expected a number <= 10000000, got 10000000.5");
}

/* Issue 9: a repeated params key, or a second host of one name, was silently ignored. */
static void a_params_key_or_a_host_given_twice_should_be_refused(void **s) {
    (void)s;
    expect_error("bad_duplicate_param.json", "params.n", "given twice: expected each key once");
    expect_cli_error("bad_duplicate_param.json");
    expect_error("bad_duplicate_host.json", "network.hosts[2]", "a second host named 'a.example': expected each name once");
}

/* Issue 9: the value check tried only the first 256 elements of a list. */
static void the_check_should_try_every_element_of_a_list(void **s) {
    (void)s;
    expect_error("bad_host_300th.json", "functions.main.body[0].for[299]", "unknown host 'nowhere.example'");
}

/* Issue 9: sums of times overflowed (two sleeps of 9e12 ms, two computes, the listener's
 * interval_ms at its maximum). Times now saturate at the end of the virtual clock, and a run
 * that gets there stops with its own error: by sleeps, by computes inside one poll, by clients. */
static void a_run_reaching_the_end_of_the_virtual_clock_should_stop_with_its_error(void **s) {
    (void)s;
    const char *files[] = {"bad_clock_end.json", "bad_clock_end_compute.json", "bad_clock_end_listener.json"};
    for (int i = 0; i < 3; i++) {
        expect_error(files[i], "runtime", "the run reached the end of the virtual clock (4e18 ns, about 126 years)");
        expect_cli_error(files[i]);
    }
}

/* `pinata run` without -q: the limit's one line on stderr and nothing else at all (no summary,
 * no deadlock report), exit 2, no trace. */
static void expect_only_the_error(const char *fixture, const char *expected) {
    char args[1024], out[8192];
    snprintf(args, sizeof args, "run %s%s -o %s", DATA, fixture, OUT);
    remove(OUT);
    assert_int_equal(ut_pinata(args, out, sizeof out), 2);
    if (!strstr(out, expected)) fail_msg("got '%s', wanted '%s'", out, expected);
    assert_non_null(strchr(out, '\n'));
    assert_string_equal(strchr(out, '\n'), "\n"); /* one line */
    assert_false(exists(OUT));
    assert_int_equal(ut_temporaries(OUT), 0);
}

/* Issue 9, limits say what they are: max_steps reached inside an await loop was a "lost
 * wake-up DEADLOCK" (exit 3, the trace kept); max_tasks reached while every task waits was a
 * deadlock report listing every task. */
static void a_limit_reached_where_tasks_wait_should_be_its_error_not_a_deadlock(void **s) {
    (void)s;
    expect_error("bad_runaway_steps_await.json", "runtime.max_steps", "the run was stopped after 5000 steps: raise runtime.max_steps");
    expect_only_the_error("bad_runaway_steps_await.json", "runtime.max_steps: the run was stopped after 5000 steps");
    expect_error("bad_runaway_tasks_joined.json", "runtime.max_tasks", "a spawn found 100 tasks alive already: raise runtime.max_tasks");
    expect_only_the_error("bad_runaway_tasks_joined.json", "runtime.max_tasks: a spawn found 100 tasks alive already");
    expect_only_the_error("bad_runaway.json", "runtime.max_polls: the run was stopped after 1000 polls");
}

/* Issue 9, the output budget: a yield loop wrote 38 GB, chunks of 1 GiB 23.8 GB with 4 polls
 * (a read() event per 512 bytes). Chunks are at most 1 MiB now; the budget (here 1 MiB) ends
 * both runs with its own error, and no trace is left. */
static void a_run_past_its_output_budget_should_stop_with_its_error(void **s) {
    (void)s;
    const char *want = "the trace reached its budget of 1 MiB: raise runtime.max_trace_mb or --max-trace-mb (at most 65536)";
    expect_error("bad_trace_budget_yield.json", "runtime.max_trace_mb", want);
    expect_only_the_error("bad_trace_budget_yield.json", want);
    expect_error("bad_trace_budget_chunks.json", "runtime.max_trace_mb", want);
    expect_cli_error("bad_trace_budget_chunks.json");
}

/* Futures of 100 nested async fns spawned a million times would take gigabytes before
 * max_tasks stops them: max_task_mb bounds the live tasks' bytes with its own error. */
static void large_futures_spawned_many_times_should_stop_at_the_memory_limit(void **s) {
    (void)s;
    const char *want = "a spawn would make the live tasks' futures more than 1 MiB: raise runtime.max_task_mb (at most 65536)";
    expect_error("bad_task_memory.json", "runtime.max_task_mb", want);
    expect_only_the_error("bad_task_memory.json", want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malformed_json_should_name_the_line_and_column),
        cmocka_unit_test(a_missing_field_should_name_its_path),
        cmocka_unit_test(a_field_of_the_wrong_type_should_say_what_was_expected),
        cmocka_unit_test(an_unknown_step_should_list_the_steps_there_are),
        cmocka_unit_test(an_unknown_host_should_be_named_where_it_was_written),
        cmocka_unit_test(an_unknown_function_should_list_the_functions_there_are),
        cmocka_unit_test(a_negative_latency_should_be_refused),
        cmocka_unit_test(functions_awaiting_each_other_in_a_cycle_should_be_refused),
        cmocka_unit_test(a_spawn_of_an_unknown_function_should_be_refused),
        cmocka_unit_test(a_runaway_scenario_should_be_stopped_by_the_poll_limit),
        cmocka_unit_test(a_runaway_scenario_should_be_stopped_by_the_time_limit),
        cmocka_unit_test(a_runaway_loop_inside_one_poll_should_be_stopped_by_the_step_limit),
        cmocka_unit_test(a_runaway_spawn_loop_should_be_stopped_by_the_task_limit),
        cmocka_unit_test(a_missing_file_should_say_it_cannot_be_read),
        cmocka_unit_test(check_should_reject_what_run_rejects_and_accept_a_good_file),
        cmocka_unit_test(a_number_out_of_its_range_should_be_refused_with_exact_values),
        cmocka_unit_test(a_params_key_or_a_host_given_twice_should_be_refused),
        cmocka_unit_test(the_check_should_try_every_element_of_a_list),
        cmocka_unit_test(a_run_reaching_the_end_of_the_virtual_clock_should_stop_with_its_error),
        cmocka_unit_test(a_limit_reached_where_tasks_wait_should_be_its_error_not_a_deadlock),
        cmocka_unit_test(a_run_past_its_output_budget_should_stop_with_its_error),
        cmocka_unit_test(large_futures_spawned_many_times_should_stop_at_the_memory_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
