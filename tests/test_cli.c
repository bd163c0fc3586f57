/* The pinata command line: run, list, help, and clear errors for bad commands and options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_trace.h"

/* Runs `pinata ARGS` (tests/util_trace.c), failing the test if it cannot start. */
static int pinata(const char *args, char *out, size_t cap) {
    int st = ut_pinata(args, out, cap);
    assert_true(st >= 0);
    return st;
}

static void run_should_write_the_trace_where_asked(void **s) {
    (void)s;
    char out[4096];
    remove("t_cli.json");
    assert_int_equal(pinata("run block_on -o t_cli.json", out, sizeof out), 0);
    assert_non_null(strstr(out, "1836 bytes"));
    assert_non_null(strstr(out, "trace written to t_cli.json"));
    cJSON *t = ut_load("t_cli.json");
    assert_non_null(t);
    cJSON_Delete(t);
    remove("t_cli.json");
}

static void run_with_another_seed_should_name_it_in_the_first_event(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("run many_requests --seed 7 -q -o t_cli_seed.json", out, sizeof out), 0);
    cJSON *t = ut_load("t_cli_seed.json");
    assert_int_equal((int)ut_arg_num(cJSON_GetArrayItem(t, 0), "seed"), 7);
    cJSON_Delete(t);
    remove("t_cli_seed.json");
}

static void summary_should_print_a_row_per_task_for_a_builtin_example_too(void **s) {
    (void)s;
    char out[8192];
    assert_int_equal(pinata("run many_requests --summary -o t_cli_sum.json", out, sizeof out), 0);
    assert_non_null(strstr(out, "tasks (read back from the trace): 4 tasks, 18 polls"));
    assert_non_null(strstr(out, "many_requests      block_on"));
    remove("t_cli_sum.json");
}

static void list_should_name_both_builtin_examples(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("list", out, sizeof out), 0);
    assert_non_null(strstr(out, "block_on"));
    assert_non_null(strstr(out, "many_requests"));
}

static void help_should_exit_zero_for_every_command(void **s) {
    (void)s;
    char out[8192];
    assert_int_equal(pinata("--help", out, sizeof out), 0);
    assert_non_null(strstr(out, "usage: pinata"));
    assert_int_equal(pinata("run --help", out, sizeof out), 0);
    assert_non_null(strstr(out, "usage: pinata run"));
    assert_int_equal(pinata("list --help", out, sizeof out), 0);
}

static void an_unknown_command_should_fail_with_a_clear_message(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("frobnicate", out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown command 'frobnicate'"));
}

static void an_unknown_example_should_fail_and_leave_no_file(void **s) {
    (void)s;
    char out[4096];
    remove("t_cli_none.json");
    assert_int_equal(pinata("run no_such_example -o t_cli_none.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "no_such_example"));
    assert_int_not_equal(access("t_cli_none.json", F_OK), 0);
    assert_int_equal(ut_temporaries("t_cli_none.json"), 0);
}

static void an_unknown_option_or_bad_seed_should_fail(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("run block_on --frob", out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown or incomplete option '--frob'"));
    assert_int_equal(pinata("run block_on --seed -3", out, sizeof out), 2);
    assert_non_null(strstr(out, "--seed"));
    assert_int_equal(pinata("run", out, sizeof out), 2);
}


/* Copies a shipped scenario to path (a file the test may damage). */
static char *copy_scenario(const char *name, const char *path, long *len) {
    char src[1024];
    snprintf(src, sizeof src, "%s/scenarios/%s", PINATA_SOURCE_DIR, name);
    char *text = ut_slurp(src, len);
    assert_non_null(text);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, (size_t)*len, f);
    fclose(f);
    return text;
}

static void assert_unchanged(const char *path, const char *text, long len) {
    long n;
    char *now = ut_slurp(path, &n);
    assert_non_null(now);
    assert_int_equal(n, len);
    assert_memory_equal(now, text, (size_t)len);
    free(now);
}

static void run_should_refuse_an_output_that_is_its_own_scenario(void **s) {
    (void)s;
    char out[4096];
    long len;
    char *text = copy_scenario("block_on.json", "t_cli_same.json", &len);
    assert_int_equal(pinata("run t_cli_same.json -o t_cli_same.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "t_cli_same.json: the trace would replace this scenario file"));
    assert_unchanged("t_cli_same.json", text, len);
    assert_int_equal(pinata("run t_cli_same.json -o ./t_cli_same.json", out, sizeof out), 2);
    assert_unchanged("t_cli_same.json", text, len);
    remove("t_cli_same.json");
    /* the default output of x.trace.json is x.trace.json */
    free(copy_scenario("block_on.json", "t_cli_x.trace.json", &len));
    assert_int_equal(pinata("run t_cli_x.trace.json -q", out, sizeof out), 2);
    assert_unchanged("t_cli_x.trace.json", text, len);
    remove("t_cli_x.trace.json");
    free(text);
}

static void run_should_say_why_a_trace_cannot_be_written(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("run block_on -o /nonexistent-dir/x.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "/nonexistent-dir/x.json: cannot write: No such file or directory"));
    assert_int_equal(pinata("run " PINATA_SOURCE_DIR "/scenarios/block_on.json -o /nonexistent-dir/x.json", out,
                            sizeof out), 2);
    assert_non_null(strstr(out, "/nonexistent-dir/x.json: cannot write: No such file or directory"));
}

/* Issue 9: --seed 99999999999999999999 wrapped silently; the largest seed a scenario file can
 * hold (2^53 - 1) is the largest --seed, and it reaches the trace exactly. */
static void a_seed_too_large_should_be_refused_not_wrapped(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("run block_on -q -o t_cli_bigseed.json --seed 99999999999999999999", out, sizeof out), 2);
    assert_non_null(strstr(out, "pinata run: --seed: expected an integer 0..9007199254740991, got '99999999999999999999'"));
    assert_int_equal(pinata("run block_on -q -o t_cli_bigseed.json --seed 9007199254740992", out, sizeof out), 2);
    assert_false(access("t_cli_bigseed.json", F_OK) == 0);
    assert_int_equal(pinata("run block_on -q -o t_cli_bigseed.json --seed 9007199254740991", out, sizeof out), 0);
    cJSON *t = ut_load("t_cli_bigseed.json");
    assert_non_null(t);
    assert_true(ut_arg_num(cJSON_GetArrayItem(t, 0), "seed") == 9007199254740991.0);
    cJSON_Delete(t);
    remove("t_cli_bigseed.json");
}

/* Issue 9: --param on a built-in example was silently ignored. */
static void a_param_on_a_builtin_example_should_be_refused(void **s) {
    (void)s;
    char out[4096];
    assert_int_equal(pinata("run many_requests -q -o t_cli_param.json --param connections=3", out, sizeof out), 2);
    assert_non_null(strstr(out, "pinata run: many_requests: --param connections: a built-in example has no params"));
    assert_false(access("t_cli_param.json", F_OK) == 0);
}

/* No byte of a control character (ESC, BEL) in s. */
static void assert_no_controls(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n') fail_msg("a raw control character 0x%02x in the output", *s);
}

static void errors_should_show_control_characters_from_inputs_escaped(void **s) {
    (void)s;
    char out[4096];
    long len;
    /* in a scenario's string */
    char *text = copy_scenario("block_on.json", "t_cli_esc.json", &len);
    char *args = strstr(text, "cheapo_request(\\\"example.com\\\""); /* in its Rust: the host main passes */
    assert_non_null(args);
    FILE *f = fopen("t_cli_esc.json", "wb");
    fwrite(text, 1, (size_t)(args - text), f);
    fputs("cheapo_request(\\\"ex\\u001b[31m.com\\\"", f);
    fputs(args + strlen("cheapo_request(\\\"example.com\\\""), f);
    fclose(f);
    free(text);
    assert_int_equal(pinata("check t_cli_esc.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown host 'ex\\x1b[31m.com'"));
    assert_no_controls(out);
    assert_int_equal(pinata("run t_cli_esc.json -o t_cli_esc.trace.json", out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown host 'ex\\x1b[31m.com'"));
    assert_no_controls(out);
    remove("t_cli_esc.json");
    /* in a file name */
    assert_int_equal(pinata("check 'no\x1b]0;x\x07.json'", out, sizeof out), 2);
    assert_string_equal(out, "pinata check: no\\x1b]0;x\\x07.json: cannot read the file: No such file or directory\n");
    assert_int_equal(pinata("run 'no\x1b[2J'", out, sizeof out), 2);
    assert_no_controls(out);
}


/* --summary reads the trace back: a FIFO or /dev/stdout (a terminal) would wait forever. */
static void summary_should_not_read_back_a_trace_sent_to_a_device(void **s) {
    (void)s;
    char out[8192];
    assert_int_equal(pinata("run many_requests --summary -o /dev/null", out, sizeof out), 0);
    assert_non_null(strstr(out, "no per-task summary: the trace went to a device or FIFO"));
    assert_null(strstr(out, "tasks (read back from the trace)"));
}

/* Issue 9: --max-trace-mb sets the output budget of a run (1..65536 MiB); a scenario that
 * writes more stops with the budget's error and leaves nothing; within it, the run is kept. */
static void max_trace_mb_should_bound_the_trace_of_a_run(void **s) {
    (void)s;
    char out[4096];
    remove("t_cli_budget.json");
    assert_int_equal(pinata("run " PINATA_SOURCE_DIR "/scenarios/chat_server.json --param connections=3000 -q "
                            "-o t_cli_budget.json --max-trace-mb 1", out, sizeof out), 2);
    assert_non_null(strstr(out, "chat_server.json: runtime.max_trace_mb: the trace reached its budget of 1 MiB"));
    assert_false(access("t_cli_budget.json", F_OK) == 0);
    assert_int_equal(ut_temporaries("t_cli_budget.json"), 0);
    assert_int_equal(pinata("run " PINATA_SOURCE_DIR "/scenarios/chat_server.json --param connections=3000 -q "
                            "-o t_cli_budget.json --max-trace-mb 64", out, sizeof out), 0);
    long len = 0;
    free(ut_slurp("t_cli_budget.json", &len));
    assert_true(len > (1 << 20) && len <= (64 << 20));
    remove("t_cli_budget.json");
    assert_int_equal(pinata("run block_on -q -o t_cli_budget.json --max-trace-mb 0", out, sizeof out), 2);
    assert_non_null(strstr(out, "--max-trace-mb: expected an integer 1..65536 (MiB), got '0'"));
    assert_int_equal(pinata("run block_on -q -o t_cli_budget.json --max-trace-mb 65537", out, sizeof out), 2);
}

/* Issue 9: a deadlock of many tasks printed a line per task (a million lines); the report
 * shows the first 20 and how many more. */
static void a_deadlock_of_many_tasks_should_give_a_short_report(void **s) {
    (void)s;
    char out[16384];
    assert_int_equal(pinata("run " PINATA_SOURCE_DIR "/tests/data/deadlock_many.json -o t_cli_dead.json", out, sizeof out), 3);
    int lines = 0, tasks = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++) lines++;
    for (const char *p = out; (p = strstr(p, "  task ")); p++) tasks++;
    assert_int_equal(tasks, 20);
    assert_non_null(strstr(out, "  ... and 31 more stuck tasks (the trace's deadlock event lists every one)\n"));
    assert_true(lines <= 24);
    cJSON *t = ut_load("t_cli_dead.json");
    assert_non_null(t);
    int listed = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) if (ut_is(ev, "i", "run", "deadlock"))
        listed = cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "args"), "tasks"));
    assert_int_equal(listed, 51); /* main and its 50 waiters */
    cJSON_Delete(t);
    remove("t_cli_dead.json");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_should_write_the_trace_where_asked),
        cmocka_unit_test(run_with_another_seed_should_name_it_in_the_first_event),
        cmocka_unit_test(summary_should_print_a_row_per_task_for_a_builtin_example_too),
        cmocka_unit_test(list_should_name_both_builtin_examples),
        cmocka_unit_test(help_should_exit_zero_for_every_command),
        cmocka_unit_test(an_unknown_command_should_fail_with_a_clear_message),
        cmocka_unit_test(an_unknown_example_should_fail_and_leave_no_file),
        cmocka_unit_test(an_unknown_option_or_bad_seed_should_fail),
        cmocka_unit_test(a_seed_too_large_should_be_refused_not_wrapped),
        cmocka_unit_test(a_param_on_a_builtin_example_should_be_refused),
        cmocka_unit_test(max_trace_mb_should_bound_the_trace_of_a_run),
        cmocka_unit_test(a_deadlock_of_many_tasks_should_give_a_short_report),
        cmocka_unit_test(run_should_refuse_an_output_that_is_its_own_scenario),
        cmocka_unit_test(run_should_say_why_a_trace_cannot_be_written),
        cmocka_unit_test(errors_should_show_control_characters_from_inputs_escaped),
        cmocka_unit_test(summary_should_not_read_back_a_trace_sent_to_a_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
