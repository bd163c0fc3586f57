/* viz/tload: the trace loader — real traces, and every kind of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "viz_fixture.h"
#include "viz/tload.h"

static const char HEAD[] =
    "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"scenario\":\"t\","
    "\"title\":\"T \\\"quoted\\\" caf\\u00e9\"}},\n";
static const char POLL[] =
    "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"connect\",\"ts\":1.234,\"dur\":2.000,\"pid\":1,\"tid\":1,"
    "\"args\":{\"task\":1,\"future\":2,\"parent\":1,\"result\":\"Pending\",\"poll\":1,\"from\":\"start\",\"at\":\"connecting\"}}";

static int load(const char *text, tload_trace *t, char *err) {
    return tload_buffer("mem.json", text, strlen(text), t, err, 512);
}

static void tload_should_read_every_event_of_a_real_trace(void **s) {
    (void)s;
    char err[512];
    runner_opts o = {.quiet = 1};
    assert_int_not_equal(runner_run("block_on", "t_tload.json", &o, err, sizeof err), RUNNER_ERROR);
    tload_trace t;
    assert_int_equal(tload_file("t_tload.json", &t, err, sizeof err), 0);
    FILE *f = fopen("t_tload.json", "r");
    int lines = 0, meta = 0, c;
    char buf[8192];
    while (fgets(buf, sizeof buf, f)) { lines++; meta += strstr(buf, "\"ph\":\"M\"") != NULL; }
    (void)c;
    fclose(f);
    assert_int_equal(t.n, (size_t)(lines - 2 - meta)); /* minus '[' and ']' */
    assert_int_equal(t.schema, 1);
    assert_string_equal(tload_str(&t, t.scenario), "block_on");
    assert_false(t.truncated);
    assert_string_equal(t.warn, "");
    tload_free(&t);
    remove("t_tload.json");
}

static void tload_should_keep_microseconds_as_exact_nanoseconds(void **s) {
    (void)s;
    char text[2048], err[512];
    snprintf(text, sizeof text, "%s%s\n]\n", HEAD, POLL);
    tload_trace t;
    assert_int_equal(load(text, &t, err), 0);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.ev[0].ts, 1234);
    assert_int_equal(t.ev[0].dur, 2000);
    assert_int_equal(t.ev[0].kind, TLOAD_POLL);
    assert_int_equal(t.ev[0].result, TLOAD_RES_PENDING);
    assert_int_equal(t.ev[0].parent, 1);
    assert_string_equal(tload_str(&t, t.ev[0].s1), "start");
    assert_string_equal(tload_str(&t, t.ev[0].s2), "connecting");
    tload_free(&t);
}

static void tload_should_keep_the_memory_counters_apart_from_the_events(void **s) {
    (void)s;
    char text[4096], err[512];
    /* one more thread than 2^31 bytes of reserved stack can count in 32 bits (S10 at scale) */
    snprintf(text, sizeof text, "%s"
             "{\"ph\":\"C\",\"cat\":\"memory\",\"name\":\"memory\",\"ts\":2.500,\"pid\":1,\"tid\":1000,"
             "\"args\":{\"tasks\":3,\"task_bytes\":1056,\"threads\":300,\"stack_used_bytes\":30720000,"
             "\"stack_reserved_bytes\":2516582400}},\n%s\n]\n", HEAD, POLL);
    tload_trace t;
    assert_int_equal(load(text, &t, err), 0);
    assert_int_equal(t.n, 1); /* a counter is no event (no step) */
    assert_int_equal(t.nmem, 1);
    assert_int_equal(t.mem[0].ts, 2500);
    assert_int_equal(t.mem[0].tasks, 3);
    assert_int_equal(t.mem[0].task_bytes, 1056);
    assert_int_equal(t.mem[0].threads, 300);
    assert_int_equal(t.mem[0].stack_used, 30720000);
    assert_true(t.mem[0].stack_reserved == 2516582400LL);
    tload_free(&t);
}

static void tload_should_decode_escapes_in_strings(void **s) {
    (void)s;
    char text[2048], err[512];
    snprintf(text, sizeof text, "%s]\n", HEAD);
    tload_trace t;
    assert_int_equal(load(text, &t, err), 0);
    assert_string_equal(tload_str(&t, t.title), "T \"quoted\" caf\xc3\xa9");
    tload_free(&t);
}

static void tload_should_warn_and_keep_the_events_before_a_truncated_end(void **s) {
    (void)s;
    char text[4096], err[512];
    /* two whole polls, then a line cut in the middle, and no closing bracket */
    snprintf(text, sizeof text, "%s%s,\n%s,\n{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"conn", HEAD, POLL, POLL);
    tload_trace t;
    assert_int_equal(load(text, &t, err), 0);
    assert_int_equal(t.n, 2);
    assert_true(t.truncated);
    assert_non_null(strstr(t.warn, "mem.json:5: warning: the trace is truncated"));
    tload_free(&t);
}

static void tload_should_warn_when_only_the_closing_bracket_is_missing(void **s) {
    (void)s;
    char text[4096], err[512];
    snprintf(text, sizeof text, "%s%s,\n", HEAD, POLL);
    tload_trace t;
    assert_int_equal(load(text, &t, err), 0);
    assert_int_equal(t.n, 1);
    assert_true(t.truncated);
    tload_free(&t);
}

static void tload_should_reject_an_unknown_schema_naming_file_and_line(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    const char *text = "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"args\":{\"schema\":7}}\n]\n";
    assert_int_equal(load(text, &t, err), -1);
    assert_non_null(strstr(err, "mem.json:2: expected schema 1"));
    assert_null(strchr(err, '\n'));
    tload_free(&t);
}

static void tload_should_name_the_missing_field_of_a_poll(void **s) {
    (void)s;
    char text[2048], err[512];
    snprintf(text, sizeof text, "%s{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"connect\",\"ts\":1,\"dur\":2,\"tid\":1,"
             "\"args\":{\"task\":1,\"future\":2}}\n]\n", HEAD);
    tload_trace t;
    assert_int_equal(load(text, &t, err), -1);
    assert_string_equal(err, "mem.json:3: expected \"args.result\" (\"Pending\" or \"Ready\") on a poll slice");
    tload_free(&t);
}

static void tload_should_name_a_missing_duration(void **s) {
    (void)s;
    char text[2048], err[512];
    snprintf(text, sizeof text, "%s{\"ph\":\"X\",\"cat\":\"park\",\"name\":\"park\",\"ts\":1,\"tid\":1}\n]\n", HEAD);
    tload_trace t;
    assert_int_equal(load(text, &t, err), -1);
    assert_string_equal(err, "mem.json:3: expected \"dur\" on an X slice");
    tload_free(&t);
}

static void tload_should_reject_a_malformed_line_in_the_middle(void **s) {
    (void)s;
    char text[4096], err[512];
    snprintf(text, sizeof text, "%s{\"ph\":\"X\" \"cat\":1},\n%s\n]\n", HEAD, POLL);
    tload_trace t;
    assert_int_equal(load(text, &t, err), -1);
    assert_non_null(strstr(err, "mem.json:3: expected"));
    tload_free(&t);
}

static void tload_should_reject_a_file_that_is_not_a_pinata_trace(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load("{\"a\":1}\n", &t, err), -1);
    assert_non_null(strstr(err, "mem.json:1: expected '['"));
    tload_free(&t);
    assert_int_equal(load("[\n{\"ph\":\"i\",\"name\":\"x\",\"ts\":0,\"tid\":1}\n]\n", &t, err), -1);
    assert_non_null(strstr(err, "mem.json:2: expected the \"pinata\" M event first"));
    tload_free(&t);
    assert_int_equal(load("", &t, err), -1);
    assert_non_null(strstr(err, "empty"));
    tload_free(&t);
}

static void tload_should_say_when_the_file_cannot_be_opened(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(tload_file("no/such/trace.json", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "no/such/trace.json: cannot read the file: No such file or directory"));
    tload_free(&t);
}

static void tload_should_hold_events_in_under_100_bytes_each(void **s) {
    (void)s;
    char err[512];
    size_t n = fx_write_big("t_tload_big.json", 60000);
    tload_trace t;
    assert_int_equal(tload_file("t_tload_big.json", &t, err, sizeof err), 0);
    assert_int_equal(t.n, n);
    assert_true(tload_bytes(&t) / t.n < 100);
    assert_int_equal(sizeof(tload_event), 64);
    tload_free(&t);
    remove("t_tload_big.json");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tload_should_read_every_event_of_a_real_trace),
        cmocka_unit_test(tload_should_keep_microseconds_as_exact_nanoseconds),
        cmocka_unit_test(tload_should_decode_escapes_in_strings),
        cmocka_unit_test(tload_should_warn_and_keep_the_events_before_a_truncated_end),
        cmocka_unit_test(tload_should_warn_when_only_the_closing_bracket_is_missing),
        cmocka_unit_test(tload_should_reject_an_unknown_schema_naming_file_and_line),
        cmocka_unit_test(tload_should_name_the_missing_field_of_a_poll),
        cmocka_unit_test(tload_should_name_a_missing_duration),
        cmocka_unit_test(tload_should_keep_the_memory_counters_apart_from_the_events),
        cmocka_unit_test(tload_should_reject_a_malformed_line_in_the_middle),
        cmocka_unit_test(tload_should_reject_a_file_that_is_not_a_pinata_trace),
        cmocka_unit_test(tload_should_say_when_the_file_cannot_be_opened),
        cmocka_unit_test(tload_should_hold_events_in_under_100_bytes_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
