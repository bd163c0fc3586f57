/* The trace writer: valid JSON, exact number formats, flows, and no partial files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace.h"
#include "util_trace.h"

static char *write_sample(void) {
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "X", "poll", "read_to_string", 1, 1500, 2001);
    trace_arg_int(t, "task", -7);
    trace_arg_str(t, "by", "say \"hi\"\\\n");
    trace_arg_null(t, "parent");
    trace_flow(t, trace_next_flow(t), 0);
    trace_end(t);
    trace_begin(t, "i", "net", "chunk", TRACE_TID_OS, 0, 0);
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    return buf;
}

static void a_trace_should_be_a_json_array_with_microsecond_times(void **s) {
    (void)s;
    char *buf = write_sample();
    /* 1500 ns = 3072/2048 µs; the end, 3501 ns, is 7170/2048 µs (docs/trace-format.md, Times) */
    assert_non_null(strstr(buf, "\"ts\":1.5,\"dur\":2.0009765625"));
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_int_equal(cJSON_GetArraySize(j), 2);
    cJSON *e = cJSON_GetArrayItem(j, 0);
    assert_string_equal(ut_arg_str(e, "by"), "say \"hi\"\\\n");
    assert_true(ut_arg_is_null(e, "parent"));
    assert_int_equal((int)ut_arg_num(e, "task"), -7);
    assert_int_equal((int)ut_num(e, "bind_id"), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "flow_in")));
    assert_string_equal(ut_str(cJSON_GetArrayItem(j, 1), "s"), "t");
    cJSON_Delete(j);
    free(buf);
}

/* Writes a slice [ts, ts + dur] then an instant at its end, and reads the three times back as
 * a JSON reader does (strtod: the nearest double). */
static void times_of(int64_t ts, int64_t dur, double *t0, double *d, double *t1) {
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "X", "poll", "p", 1, ts, dur);
    trace_end(t);
    trace_begin(t, "i", "net", "at_end", 1, ts + dur, 0);
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    const char *p = strstr(buf, "\"ts\":"), *q = strstr(buf, "\"dur\":"), *r = strstr(p + 1, "\"ts\":");
    assert_true(p && q && r);
    *t0 = strtod(p + 5, NULL);
    *d = strtod(q + 6, NULL);
    *t1 = strtod(r + 5, NULL);
    free(buf);
}

/* The times every viewer reads: exact binary fractions, so a float ts + dur is the next
 * slice's ts (speedscope mis-nested a thread when 35018.4 + 4985.8 passed 40004.2), also
 * after rebasing on another ts; and ×1000 rounded gives the nanoseconds back (Perfetto). */
static void times_should_be_exact_in_binary_and_round_to_the_nanosecond(void **s) {
    (void)s;
    uint64_t x = 88172645463325252ull; /* xorshift: the same cases every run */
    int64_t fixed[][2] = {{0, 0}, {1, 1}, {62, 63}, {124, 1}, {125, 125}, {999, 1001},
                          {35018400, 4985800}, {4000000000000000 - 7, 7}};
    for (int i = 0; i < 2000; i++) {
        int64_t ts, dur;
        if (i < (int)(sizeof fixed / sizeof *fixed)) { ts = fixed[i][0]; dur = fixed[i][1]; }
        else {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            int64_t scale = (int64_t)1 << (x % 40); /* from ns to days of virtual time */
            ts = (int64_t)((x >> 24) % (uint64_t)(scale * 100));
            dur = (int64_t)((x >> 8) % (uint64_t)(scale + 1));
        }
        double t0, d, t1;
        times_of(ts, dur, &t0, &d, &t1);
        assert_true(t0 * 2048 == floor(t0 * 2048));
        assert_true(llround(t0 * 1000) == ts);
        assert_true(llround(d * 1000) == dur);
        assert_true(llround(t1 * 1000) == ts + dur);
        if (t0 + d != t1) fail_msg("ts %lld + dur %lld: %.17g + %.17g != %.17g", (long long)ts, (long long)dur, t0, d, t1);
        double base = floor(t0 / 3); /* speedscope subtracts the thread's first ts */
        assert_true((t0 - base) + d == t1 - base);
    }
}

static void metadata_should_carry_the_metadata_category(void **s) {
    (void)s;
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "M", NULL, "thread_name", 1, 0, 0);
    trace_arg_str(t, "name", "main");
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_string_equal(ut_str(cJSON_GetArrayItem(j, 0), "cat"), "__metadata");
    cJSON_Delete(j);
    free(buf);
}

static void one_event_should_be_written_per_line(void **s) {
    (void)s;
    char *buf = write_sample();
    int lines = 0;
    for (char *p = buf; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 4); /* "[", two events, "]" */
    free(buf);
}

static void a_trace_closed_without_keep_should_leave_no_file(void **s) {
    (void)s;
    size_t before = ut_temporaries("t_trace_gone.json");
    trace_t *t = trace_open("t_trace_gone.json");
    assert_non_null(t);
    assert_int_equal(ut_temporaries("t_trace_gone.json"), before + 1);
    trace_begin(t, "i", "run", "x", 1, 0, 0);
    trace_end(t);
    trace_close(t, 0);
    assert_int_equal(ut_temporaries("t_trace_gone.json"), before);
    assert_int_not_equal(access("t_trace_gone.json", F_OK), 0);
}

static void a_kept_trace_should_appear_only_at_close(void **s) {
    (void)s;
    remove("t_trace_kept.json");
    trace_t *t = trace_open("t_trace_kept.json");
    trace_begin(t, "i", "run", "x", 1, 0, 0);
    trace_end(t);
    assert_int_not_equal(access("t_trace_kept.json", F_OK), 0);
    assert_int_equal(trace_close(t, 1), 0);
    cJSON *j = ut_load("t_trace_kept.json");
    assert_non_null(j);
    cJSON_Delete(j);
    remove("t_trace_kept.json");
}

static void a_trace_in_a_missing_directory_should_fail_to_open(void **s) {
    (void)s;
    assert_null(trace_open("/nonexistent-dir/x.json"));
}

static void a_null_trace_should_record_nothing_and_not_crash(void **s) {
    (void)s;
    trace_begin(NULL, "X", "poll", "x", 1, 0, 0);
    trace_arg_int(NULL, "a", 1);
    trace_end(NULL);
    assert_int_equal(trace_next_flow(NULL), 0);
    assert_int_equal(trace_close(NULL, 1), 0);
}

/* Issue 9, the output budget: no byte past it reaches the file, the writer says it is full,
 * and the file is not kept. */
static void a_trace_past_its_budget_should_write_no_more_and_keep_no_file(void **s) {
    (void)s;
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_set_budget(t, 100000);
    int events = 0;
    for (; events < 1000000 && !trace_full(t); events++) {
        trace_begin(t, "X", "poll", "yield_now", 1, events * 1000, 1000);
        trace_arg_int(t, "task", 1);
        trace_end(t);
    }
    assert_true(trace_full(t));
    assert_true(events > 500 && events < 100000); /* stopped near the budget, not at the end of the loop */
    trace_begin(t, "i", "run", "after", 1, 0, 0);
    trace_end(t);
    assert_int_equal(trace_close(t, 1), -1); /* a cut trace is no trace */
    fflush(f);
    assert_true(len <= 100000);
    fclose(f);
    free(buf);
    remove("t_trace_budget.json");
    t = trace_open("t_trace_budget.json");
    trace_set_budget(t, 10);
    trace_begin(t, "i", "run", "x", 1, 0, 0);
    trace_end(t);
    assert_int_equal(trace_close(t, 1), -1);
    assert_int_not_equal(access("t_trace_budget.json", F_OK), 0);
    assert_int_equal(ut_temporaries("t_trace_budget.json"), 0);
}


/* JSON allows a control character in a string only escaped: an ESC in a scenario's name must
 * give \u001b, short names (the 16-byte path) and long ones alike. */
static void control_characters_should_be_escaped_in_strings(void **s) {
    (void)s;
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "i", "run", "a\x1b[1mb", 1, 0, 0);
    trace_arg_str(t, "x", "bell\x07 and a name longer than thirty-two bytes \x01");
    trace_arg_str(t, "y", "0123456789abcdef\x1f");
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    for (const char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n') fail_msg("a raw control character 0x%02x in the trace", *p);
    assert_non_null(strstr(buf, "\"a\\u001b[1mb\""));
    assert_non_null(strstr(buf, "\"bell\\u0007 and a name longer than thirty-two bytes \\u0001\""));
    assert_non_null(strstr(buf, "\"0123456789abcdef\\u001f\""));
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_string_equal(ut_str(cJSON_GetArrayItem(j, 0), "name"), "a\x1b[1mb");
    cJSON_Delete(j);
    free(buf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_characters_should_be_escaped_in_strings),
        cmocka_unit_test(a_trace_past_its_budget_should_write_no_more_and_keep_no_file),
        cmocka_unit_test(a_trace_should_be_a_json_array_with_microsecond_times),
        cmocka_unit_test(times_should_be_exact_in_binary_and_round_to_the_nanosecond),
        cmocka_unit_test(metadata_should_carry_the_metadata_category),
        cmocka_unit_test(one_event_should_be_written_per_line),
        cmocka_unit_test(a_trace_closed_without_keep_should_leave_no_file),
        cmocka_unit_test(a_kept_trace_should_appear_only_at_close),
        cmocka_unit_test(a_trace_in_a_missing_directory_should_fail_to_open),
        cmocka_unit_test(a_null_trace_should_record_nothing_and_not_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
