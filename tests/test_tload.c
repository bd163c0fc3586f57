/* trace/tload: the trace loader — real traces, and every kind of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "viz_fixture.h"
#include "trace/tload.h"

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
    /* 56 bytes an event; a flow's bind_id (a third of these events have one) and the lines
     * are kept apart, for less than the 8 bytes the two took in every event */
    assert_int_equal(sizeof(tload_event), 56);
    assert_true(tload_bytes(&t) < t.n * 64);
    tload_free(&t);
    remove("t_tload_big.json");
}

/* A header whose args are given as text, then one poll, then ']'. */
static int load_with(const char *args, const char *poll, tload_trace *t, char *err) {
    static char text[16384];
    snprintf(text, sizeof text,
             "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1%s}},\n%s\n]\n",
             args, poll ? poll : POLL);
    return load(text, t, err);
}

static void tload_should_keep_a_long_korean_title_whole(void **s) {
    (void)s;
    char args[4096] = ",\"title_ko\":\"T ", err[512], want[2048] = "T "; /* a cut at 1,023 B splits a 한 */
    for (int i = 0; i < 401; i++) { strcat(args, "\xed\x95\x9c"); strcat(want, "\xed\x95\x9c"); } /* 한 */
    strcat(args, "\"");
    tload_trace t;
    assert_int_equal(load_with(args, NULL, &t, err), 0);
    assert_string_equal(tload_str(&t, t.title_ko), want); /* 1,203 bytes: no cut inside a character */
    tload_free(&t);
}

static void tload_should_read_u0000_and_lone_surrogates_as_replacement_characters(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_with(",\"title\":\"a\\u0000b\",\"description\":\"a\\u0000c\",\"title_ko\":\"x\\ud800y\"", NULL, &t, err), 0);
    assert_string_equal(tload_str(&t, t.title), "a\xef\xbf\xbd" "b");
    assert_string_equal(tload_str(&t, t.description), "a\xef\xbf\xbd" "c");
    assert_string_equal(tload_str(&t, t.title_ko), "x\xef\xbf\xbdy");
    tload_free(&t);
}

static void tload_should_join_surrogate_pairs_and_repair_invalid_utf8(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_with(",\"title\":\"\\ud83d\\ude00\",\"description\":\"\xff" "a\xed\x95\"", NULL, &t, err), 0);
    assert_string_equal(tload_str(&t, t.title), "\xf0\x9f\x98\x80"); /* U+1F600 */
    assert_string_equal(tload_str(&t, t.description), "\xef\xbf\xbd" "a\xef\xbf\xbd\xef\xbf\xbd");
    tload_free(&t);
}

static void tload_should_refuse_a_bad_unicode_escape(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_with(",\"title\":\"\\u00zz\"", NULL, &t, err), -1);
    assert_non_null(strstr(err, "mem.json:2: expected a valid string escape"));
    tload_free(&t);
}

/* A poll whose "ts" and "dur" are given as text. */
static int load_times(const char *ts, const char *dur, tload_trace *t, char *err) {
    char poll[1024];
    snprintf(poll, sizeof poll, "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"connect\",\"ts\":%s,\"dur\":%s,\"pid\":1,"
             "\"tid\":1,\"args\":{\"task\":1,\"future\":2,\"parent\":1,\"result\":\"Pending\",\"poll\":1}}", ts, dur);
    return load_with("", poll, t, err);
}

static void tload_should_refuse_a_time_outside_its_range_naming_field_and_value(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_times("99999999999999999999", "1", &t, err), -1);
    assert_string_equal(err, "mem.json:3: \"ts\": expected a time in 0..4e15 µs, got 99999999999999999999");
    tload_free(&t);
    assert_int_equal(load_times("1e400", "1", &t, err), -1);
    assert_string_equal(err, "mem.json:3: \"ts\": expected a time in 0..4e15 µs, got 1e400");
    tload_free(&t);
    assert_int_equal(load_times("1", "1e300", &t, err), -1);
    assert_string_equal(err, "mem.json:3: \"dur\": expected a time in 0..4e15 µs, got 1e300");
    tload_free(&t);
    assert_int_equal(load_times("1", "-0.001", &t, err), -1);
    assert_string_equal(err, "mem.json:3: \"dur\": expected a time in 0..4e15 µs, got -0.001");
    tload_free(&t);
}

/* pinata writes times as k/2048 µs (docs/trace-format.md, Times): the reader rounds them to
 * the nanosecond they stand for, half up at the fourth decimal. */
static void tload_should_round_times_to_the_nearest_nanosecond(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_times("35018.39990234375", "4985.80029296875", &t, err), 0);
    assert_true(t.ev[0].ts == 35018400);
    assert_true(t.ev[0].dur == 4985800);
    tload_free(&t);
    assert_int_equal(load_times("1.0005", "0.0004999", &t, err), 0);
    assert_true(t.ev[0].ts == 1001);
    assert_true(t.ev[0].dur == 0);
    tload_free(&t);
}

static void tload_should_keep_times_exact_up_to_the_end_of_the_range(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_times("3999999999999999.999", "4e15", &t, err), 0);
    assert_true(t.ev[0].ts == TLOAD_MAX_NS - 1);
    assert_true(t.ev[0].dur == TLOAD_MAX_NS);
    tload_free(&t);
    assert_int_equal(load_times("4000000000000000.001", "0", &t, err), -1);
    tload_free(&t);
}

static void tload_should_read_the_seed_exactly_and_refuse_a_negative_one(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    assert_int_equal(load_with(",\"seed\":18446744073709551615", NULL, &t, err), 0);
    assert_true(t.seed == UINT64_MAX);
    tload_free(&t);
    assert_int_equal(load_with(",\"seed\":-1", NULL, &t, err), -1);
    assert_string_equal(err, "mem.json:2: \"seed\": expected an integer in 0..18446744073709551615, got -1");
    tload_free(&t);
    assert_int_equal(load_with(",\"seed\":18446744073709551616", NULL, &t, err), -1);
    tload_free(&t);
}

/* text with every newline replaced by a space: the trace as `jq -c` would leave it. */
static char *one_line(const char *text) {
    char *o = strdup(text);
    for (char *p = o; *p; p++) if (*p == '\n') *p = ' ';
    return o;
}

static void tload_should_read_a_trace_written_on_one_line(void **s) {
    (void)s;
    char text[4096], err[512];
    snprintf(text, sizeof text, "%s%s,\n%s\n]\n", HEAD, POLL, POLL);
    char *flat = one_line(text);
    tload_trace t;
    assert_int_equal(load(flat, &t, err), 0);
    assert_int_equal(t.n, 2);
    assert_false(t.truncated);
    assert_int_equal(t.ev[1].ts, 1234);
    tload_free(&t);
    flat[strlen(flat) - 2] = '\0'; /* no ']': still truncated, not empty */
    assert_int_equal(load(flat, &t, err), 0);
    assert_int_equal(t.n, 2);
    assert_true(t.truncated);
    tload_free(&t);
    free(flat);
}

static void tload_should_read_pretty_printed_events_and_name_their_lines(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    const char *pretty = "[\n  {\n    \"ph\": \"M\",\n    \"name\": \"pinata\",\n    \"args\": {\n      \"schema\": 1\n    }\n  },\n"
                         "  {\n    \"ph\": \"X\",\n    \"cat\": \"park\",\n    \"name\": \"park\",\n    \"ts\": 1,\n    \"tid\": 1\n  }\n]\n";
    assert_int_equal(load(pretty, &t, err), -1);
    assert_string_equal(err, "mem.json:9: expected \"dur\" on an X slice"); /* the line of its '{' */
    tload_free(&t);
    const char *bad = "[\n  {\n    \"ph\": \"M\",\n    \"name\": \"pinata\",\n    \"args\": {\n      \"schema\": 1\n    }\n  },\n"
                      "  {\n    \"ph\": \"X\"\n    \"cat\": \"park\"\n  }\n]\n";
    assert_int_equal(load(bad, &t, err), -1);
    assert_string_equal(err, "mem.json:11: expected ',' or '}' in an object"); /* the line it broke at */
    tload_free(&t);
}

/* Each event's line: kept once for a trace written one event a line, and where a line
 * does not follow on (an M or C event between, a pretty-printed event). */
static void tload_should_know_the_line_each_event_starts_on(void **s) {
    (void)s;
    char err[512];
    tload_trace t;
    const char *text = "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"args\":{\"schema\":1}},\n"
                       "{\"ph\":\"i\",\"cat\":\"note\",\"name\":\"a\",\"ts\":1,\"tid\":1},\n"
                       "{\"ph\":\"i\",\"cat\":\"note\",\"name\":\"b\",\"ts\":2,\"tid\":1},\n"
                       "{\"ph\":\"C\",\"name\":\"memory\",\"ts\":2,\"tid\":1,\"args\":{\"tasks\":1}},\n"
                       "{\"ph\":\"i\",\"cat\":\"note\",\"name\":\"c\",\"ts\":3,\"tid\":1},\n"
                       "{\"ph\":\"i\",\"cat\":\"note\",\n\"name\":\"d\",\"ts\":4,\"tid\":1},\n"
                       "{\"ph\":\"i\",\"cat\":\"note\",\"name\":\"e\",\"ts\":5,\"tid\":1}, {\"ph\":\"i\",\"cat\":\"note\",\"name\":\"f\",\"ts\":6,\"tid\":1}\n]\n";
    assert_int_equal(load(text, &t, err), 0);
    static const int32_t want[] = {3, 4, 6, 7, 9, 9};
    assert_int_equal(t.n, 6);
    for (size_t i = 0; i < t.n; i++) assert_int_equal(tload_line(&t, i), want[i]);
    tload_free(&t);
}

/* A flow's bind_id, on both its ends, and no other event's. */
static void tload_should_keep_the_bind_id_of_both_ends_of_a_flow(void **s) {
    (void)s;
    char err[512];
    runner_opts o = {.quiet = 1};
    assert_int_not_equal(runner_run("block_on", "t_tload_bind.json", &o, err, sizeof err), RUNNER_ERROR);
    tload_trace t;
    assert_int_equal(tload_file("t_tload_bind.json", &t, err, sizeof err), 0);
    int ins = 0, outs = 0;
    for (size_t i = 0; i < t.n; i++) {
        int32_t id = tload_bind_id(&t, i);
        int ends = t.ev[i].flags & (TLOAD_F_FLOW_IN | TLOAD_F_FLOW_OUT);
        assert_true(ends ? id > 0 : id == 0);
        ins += (t.ev[i].flags & TLOAD_F_FLOW_IN) != 0;
        outs += (t.ev[i].flags & TLOAD_F_FLOW_OUT) != 0;
        for (size_t j = 0; j < i && (t.ev[i].flags & TLOAD_F_FLOW_IN); j++) /* its wake came first */
            if (tload_bind_id(&t, j) == id) { assert_true(t.ev[j].flags & TLOAD_F_FLOW_OUT); break; }
    }
    assert_true(ins >= 3);
    assert_int_equal(ins, outs);
    tload_free(&t);
    remove("t_tload_bind.json");
}

/* The same trace from a file, whole and on one line, read in chunks far smaller than it. */
static void tload_should_read_a_one_line_file_across_its_chunks(void **s) {
    (void)s;
    char err[512];
    size_t n = fx_write_big("t_tload_flat.json", 4000);
    tload_trace whole, flat;
    assert_int_equal(tload_file("t_tload_flat.json", &whole, err, sizeof err), 0);
    FILE *f = fopen("t_tload_flat.json", "r");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    char *oneline = one_line(buf);
    assert_true(len > 4 * 65536); /* crosses several chunks */
    f = fopen("t_tload_flat.json", "w");
    fputs(oneline, f);
    fclose(f);
    assert_int_equal(tload_file("t_tload_flat.json", &flat, err, sizeof err), 0);
    assert_int_equal(flat.n, n);
    assert_int_equal(whole.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(flat.ev[i].ts == whole.ev[i].ts && flat.ev[i].dur == whole.ev[i].dur);
        assert_int_equal(flat.ev[i].kind, whole.ev[i].kind);
        assert_string_equal(tload_str(&flat, flat.ev[i].name), tload_str(&whole, whole.ev[i].name));
    }
    tload_free(&whole);
    tload_free(&flat);
    free(buf);
    free(oneline);
    remove("t_tload_flat.json");
}

static void tload_should_read_an_event_larger_than_a_chunk_from_a_stream(void **s) {
    (void)s;
    char err[512];
    size_t big = 300000;
    char *text = malloc(big + 4096);
    int k = snprintf(text, 4096, "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"args\":{\"schema\":1,\"description\":\"");
    memset(text + k, 'x', big);
    snprintf(text + k + big, 4096, "\"}},\n%s\n]\n", POLL);
    FILE *f = fmemopen(text, strlen(text), "r");
    tload_trace t;
    assert_int_equal(tload_stream("mem.json", f, &t, err, sizeof err), 0);
    fclose(f);
    assert_int_equal(strlen(tload_str(&t, t.description)), big);
    assert_int_equal(t.n, 1);
    tload_free(&t);
    free(text);
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
        cmocka_unit_test(tload_should_keep_a_long_korean_title_whole),
        cmocka_unit_test(tload_should_read_u0000_and_lone_surrogates_as_replacement_characters),
        cmocka_unit_test(tload_should_join_surrogate_pairs_and_repair_invalid_utf8),
        cmocka_unit_test(tload_should_refuse_a_bad_unicode_escape),
        cmocka_unit_test(tload_should_refuse_a_time_outside_its_range_naming_field_and_value),
        cmocka_unit_test(tload_should_keep_times_exact_up_to_the_end_of_the_range),
        cmocka_unit_test(tload_should_round_times_to_the_nearest_nanosecond),
        cmocka_unit_test(tload_should_read_the_seed_exactly_and_refuse_a_negative_one),
        cmocka_unit_test(tload_should_read_a_trace_written_on_one_line),
        cmocka_unit_test(tload_should_read_pretty_printed_events_and_name_their_lines),
        cmocka_unit_test(tload_should_know_the_line_each_event_starts_on),
        cmocka_unit_test(tload_should_keep_the_bind_id_of_both_ends_of_a_flow),
        cmocka_unit_test(tload_should_read_a_one_line_file_across_its_chunks),
        cmocka_unit_test(tload_should_read_an_event_larger_than_a_chunk_from_a_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
