/* The per-task summary, read back from trace files: counts, times, threads, lints, memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/summary.h"
#include "util_trace.h"

#define TRACES PINATA_SOURCE_DIR "/traces/"

static summary_t *read_ok(const char *path) {
    char err[512];
    summary_t *s = summary_read(path, err, sizeof err);
    if (!s) fail_msg("%s", err);
    return s;
}

static void polls_and_wakes_should_match_the_block_on_example(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "s02_block_on.trace.json");
    const summary_task *t = summary_task_get(s, 1);
    assert_non_null(t);
    assert_string_equal(t->name, "cheapo_request");
    assert_int_equal(t->polls, 5);
    assert_int_equal(t->wakes, 4);
    assert_true(t->finished);
    /* busy + scheduled + idle = total, and the thread was idle almost all the time */
    assert_int_equal(t->busy_ns + t->sched_ns + t->idle_ns, t->total_ns);
    assert_true(t->idle_ns > 100 * t->busy_ns);
    assert_string_equal(s->result, "ok");
    summary_free(s);
}

static void a_task_that_can_never_be_woken_should_be_flagged_lost_waker(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "lost_wakeup.trace.json");
    const summary_task *t = summary_task_get(s, 2);
    assert_true(t->lost_waker > 0);
    assert_false(t->finished);
    assert_int_equal(summary_task_get(s, 1)->lost_waker, 0);
    assert_string_equal(s->result, "deadlock");
    summary_free(s);
}

static void a_fifty_ms_computation_should_be_flagged_a_long_poll(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "s07_compute_spawn_local.trace.json");
    assert_int_equal(s->long_poll_ns, 10000000);
    int hog = 0;
    for (int64_t id = 1; summary_task_get(s, id); id++) {
        const summary_task *t = summary_task_get(s, id);
        if (!strcmp(t->name, "hog")) hog = t->long_polls == 1 && t->max_poll_ns >= 50000000;
        else assert_int_equal(t->long_polls, 0);
    }
    assert_true(hog);
    /* the others were scheduled (woken, not polled) while hog computed */
    assert_true(summary_task_get(s, 2)->sched_ns > 20000000);
    summary_free(s);
}

static void a_task_moved_between_workers_should_count_two_threads(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "s06_spawn_pool.trace.json");
    int moved = 0;
    for (int64_t id = 2; id <= 5; id++) moved += summary_task_get(s, id)->threads == 2;
    assert_true(moved >= 1);
    assert_int_equal(summary_task_get(s, 1)->threads, 1);
    summary_free(s);
}

static void the_poll_after_ready_should_be_counted_on_its_task(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "s08_fuse.trace.json");
    assert_int_equal(summary_task_get(s, 1)->after_ready, 1);
    summary_free(s);
}

static void the_memory_peak_should_set_task_bytes_against_thread_stacks(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "chat_server_threads.trace.json");
    assert_true(s->has_memory);
    assert_int_equal(s->peak_tasks, 101);   /* 100 connections and main */
    assert_int_equal(s->peak_threads, 101);
    assert_int_equal(s->stack_used, 100 << 10);
    assert_int_equal(s->stack_reserved, 8 << 20);
    assert_true(s->peak_task_bytes / s->peak_tasks < 1024);
    summary_free(s);
}

static void the_printed_summary_should_have_a_row_per_task_and_the_lints(void **st) {
    (void)st;
    summary_t *s = read_ok(TRACES "lost_wakeup.trace.json");
    char *buf;
    size_t n;
    FILE *f = open_memstream(&buf, &n);
    summary_print(s, f, 20);
    fclose(f);
    assert_non_null(strstr(buf, "2 tasks, 7 polls"));
    assert_non_null(strstr(buf, "task 2 (fetch): lost-waker"));
    assert_non_null(strstr(buf, "memory at the peak"));
    free(buf);
    summary_free(s);
}

static char *printed(const summary_t *s) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    summary_print(s, f, 20);
    fclose(f);
    return buf;
}

/* The summary is computed from the reader's arrays, so it reads what the reader reads: the
 * same events on one line (jq -c) give the same summary, to the byte. */
static void a_trace_on_one_line_should_give_the_same_summary(void **st) {
    (void)st;
    long len = 0;
    char *text = ut_slurp(TRACES "s03_many_requests.trace.json", &len);
    assert_non_null(text);
    for (long i = 0; i < len; i++)
        if (text[i] == '\n') text[i] = ' '; /* strings hold no raw newline: still the same JSON */
    FILE *f = fopen("summary_one_line.trace.json", "w");
    fwrite(text, 1, (size_t)len, f);
    fclose(f);
    free(text);
    summary_t *a = read_ok(TRACES "s03_many_requests.trace.json"), *b = read_ok("summary_one_line.trace.json");
    char *pa = printed(a), *pb = printed(b);
    assert_string_equal(pa, pb);
    assert_non_null(strstr(pa, "4 tasks"));
    free(pa);
    free(pb);
    summary_free(a);
    summary_free(b);
}

/* The real models: per task, the top-level polls a sibling's or a spurious wake caused that
 * found nothing (Pending), counted as the trace says; a panic is the task's state. */
static void polls_that_made_no_progress_should_be_counted_per_task(void **st) {
    (void)st;
    const char *path = PINATA_SOURCE_DIR "/traces/s03_many_requests.async-std.trace.json";
    cJSON *t = ut_load(path);
    assert_non_null(t);
    uint64_t want[8] = {0};
    const cJSON *ev;
    cJSON_ArrayForEach(ev, t) {
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
        if (ut_is(ev, "X", "poll", NULL) && ut_arg_is_null(ev, "parent") && cJSON_GetObjectItemCaseSensitive(args, "woken_by") &&
            !strcmp(ut_arg_str(ev, "result"), "Pending"))
            want[(int)ut_arg_num(ev, "task") & 7]++;
    }
    cJSON_Delete(t);
    char err[256];
    summary_t *s = summary_read(path, err, sizeof err);
    assert_non_null(s);
    assert_true(want[1] >= 10 && want[4] == 1); /* many_requests; en.wikipedia.org's spurious connect */
    for (int id = 1; id <= 4; id++) assert_int_equal(summary_task_get(s, id)->idle_polls, want[id]);
    summary_free(s);
    s = summary_read(PINATA_SOURCE_DIR "/traces/s08_fuse.tokio.trace.json", err, sizeof err);
    assert_non_null(s);
    assert_true(summary_task_get(s, 1)->panicked);
    assert_string_equal(s->result, "panic");
    summary_free(s);
    s = summary_read(PINATA_SOURCE_DIR "/traces/s03_many_requests.trace.json", err, sizeof err); /* ideal */
    for (int id = 1; id <= 4; id++) assert_int_equal(summary_task_get(s, id)->idle_polls, 0);
    summary_free(s);
}

static void a_trace_that_is_not_a_pinata_trace_should_be_an_error(void **st) {
    (void)st;
    FILE *f = fopen("summary_bad.trace.json", "w");
    fputs("[\n{\"ph\":\"X\",\n\"cat\":\"poll\"}\n]\n", f);
    fclose(f);
    char err[512];
    assert_null(summary_read("summary_bad.trace.json", err, sizeof err));
    assert_non_null(strstr(err, "summary_bad.trace.json:2: expected the \"pinata\" M event first"));
    assert_null(summary_read("no_such.trace.json", err, sizeof err));
    assert_non_null(strstr(err, "no_such.trace.json"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(polls_and_wakes_should_match_the_block_on_example),
        cmocka_unit_test(a_task_that_can_never_be_woken_should_be_flagged_lost_waker),
        cmocka_unit_test(a_fifty_ms_computation_should_be_flagged_a_long_poll),
        cmocka_unit_test(a_task_moved_between_workers_should_count_two_threads),
        cmocka_unit_test(the_poll_after_ready_should_be_counted_on_its_task),
        cmocka_unit_test(the_memory_peak_should_set_task_bytes_against_thread_stacks),
        cmocka_unit_test(the_printed_summary_should_have_a_row_per_task_and_the_lints),
        cmocka_unit_test(a_trace_on_one_line_should_give_the_same_summary),
        cmocka_unit_test(polls_that_made_no_progress_should_be_counted_per_task),
        cmocka_unit_test(a_trace_that_is_not_a_pinata_trace_should_be_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
