/* bench: the benchmark functions run with tiny N and count what they should. Nothing here
 * looks at a time: performance is measured by `pinata bench`, never asserted by a test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench.h"
#include "bench/bench_chart.h"
#include "bench/bench_report.h"
#include "bench/bench_task.h"
#include "bench/bench_thread.h"
#include "bench/bench_trace.h"
#include "sim/exec.h"

static void tmp_path(char *b, size_t cap, const char *what) {
    snprintf(b, cap, "/tmp/pinata-test-bench-%ld-%s.json", (long)getpid(), what);
}

static void task_create_should_complete_every_task(void **state) {
    (void)state;
    bench_task_run r = bench_task_create(100, 7, NULL);
    assert_true(r.ok);
    assert_int_equal(r.count, 100);
    assert_int_equal(r.events, 0);
}

static void task_create_with_the_trace_on_should_record_events(void **state) {
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    bench_task_run r = bench_task_create(10, 3, t);
    assert_int_equal(trace_close(t, 1), 0);
    fclose(f);
    assert_int_equal(r.count, 10);
    assert_true(r.events >= 10 * 3); /* at least create, spawn and poll per task */
    assert_non_null(strstr(buf, "\"name\":\"unit\""));
    free(buf);
}

static void task_switch_should_make_every_handoff(void **state) {
    (void)state;
    bench_task_run r = bench_task_switch(101, NULL);
    assert_true(r.ok);
    assert_int_equal(r.count, 101);
}

static void task_memory_should_account_header_plus_future_per_task(void **state) {
    (void)state;
    bench_task_mem m = bench_task_memory(50, NULL);
    assert_true(m.ok);
    assert_int_equal(m.pending, 50);
    assert_int_equal(m.header_bytes, exec_task_header_size());
    assert_true(m.future_bytes > 0);
    assert_int_equal(m.accounted, 50 * (m.header_bytes + m.future_bytes));
}

static void thread_create_should_join_every_thread(void **state) {
    (void)state;
    bench_thread_run r = bench_thread_create(12, 5);
    assert_true(r.ok);
    assert_int_equal(r.count, 12);
}

static void thread_switch_should_make_every_handoff(void **state) {
    (void)state;
    bench_thread_run r = bench_thread_switch(33);
    assert_true(r.ok);
    assert_int_equal(r.count, 33);
}

static void thread_memory_should_measure_every_thread_blocked(void **state) {
    (void)state;
    bench_thread_mem m = bench_thread_memory(4, 100 * 1024);
    assert_true(m.ok);
    assert_int_equal(m.blocked, 4);
    /* No claim on the deltas: glibc reuses the cached stacks of earlier threads. */
}

static void trace_poll_events_should_write_every_event_and_remove_the_file(void **state) {
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, "events");
    bench_trace_run r = bench_trace_poll_events(500, path);
    assert_true(r.ok);
    assert_int_equal(r.events, 500);
    assert_true(r.bytes > 500 * 100); /* a poll event is a line of some 200 bytes */
    assert_int_equal(access(path, F_OK), -1);
}

/* One event with str as its name, as the trace writes it. */
static char *event_with_name(const char *str) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "i", NULL, str, 1, 0, 0);
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    return buf;
}

/* The fast string path of sim/trace.c must write what the plain one does. */
static void trace_should_escape_what_json_needs_escaped(void **state) {
    (void)state;
    char *b = event_with_name("a\"b\\c\nd\te\x01");
    assert_non_null(strstr(b, "\"name\":\"a\\\"b\\\\c\\nd\\te\\u0001\""));
    free(b);
    b = event_with_name("raw\x01\x1f control"); /* JSON has no raw control characters */
    assert_non_null(strstr(b, "\"name\":\"raw\\u0001\\u001f control\""));
    free(b);
    b = event_with_name("sixteen_chars_ok");
    assert_non_null(strstr(b, "\"name\":\"sixteen_chars_ok\","));
    free(b);
}

/* A short string that ends at the end of a readable page, before one that is not: the
 * 16-byte loads of the fast path must not touch the second page. */
static void trace_should_not_read_past_a_string_into_the_next_page(void **state) {
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    char *mem = NULL;
    assert_int_equal(posix_memalign((void **)&mem, (size_t)page, 2 * (size_t)page), 0);
    assert_int_equal(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
    for (int n = 0; n < 40; n++) {
        char *s = mem + page - n - 1;
        memset(s, 'x', (size_t)n);
        s[n] = 0;
        char *b = event_with_name(s);
        assert_non_null(strstr(b, "\"name\":\""));
        free(b);
    }
    assert_int_equal(mprotect(mem + page, (size_t)page, PROT_READ | PROT_WRITE), 0);
    free(mem);
}

/* A trace sent to a device is written into it: no temporary is renamed over the device. */
static void trace_open_should_write_a_device_in_place(void **state) {
    (void)state;
    trace_t *t = trace_open("/dev/null");
    assert_non_null(t);
    trace_begin(t, "i", NULL, "x", 1, 0, 0);
    trace_end(t);
    assert_int_equal(trace_close(t, 1), 0);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(access("/dev/null.tmp", F_OK), -1);
}

static void stat_of_should_take_the_median(void **state) {
    (void)state;
    double odd[] = {3, 1, 2}, even[] = {4, 1, 3, 2};
    bench_stat s = bench_stat_of(odd, 3);
    assert_true(s.median == 2 && s.min == 1 && s.max == 3 && s.reps == 3);
    s = bench_stat_of(even, 4);
    assert_true(s.median == 2.5);
}

static cJSON *item(const cJSON *o, const char *a, const char *b) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    assert_non_null(x);
    if (!b) return (cJSON *)x;
    x = cJSON_GetObjectItemCaseSensitive(x, b);
    assert_non_null(x);
    return (cJSON *)x;
}

/* The whole quick suite, as CI runs it, then its JSON record. */
static void quick_run_should_count_everything_and_write_the_json_keys(void **state) {
    (void)state;
    bench_opts o;
    bench_opts_default(&o, 1);
    char trace[128], err[256];
    tmp_path(trace, sizeof trace, "trace");
    o.trace_path = trace;
    o.reps = 1;
    bench_results r;
    assert_int_equal(bench_run(&o, &r, NULL, err, sizeof err), 0);
    assert_int_equal(r.tasks_completed, o.n);
    assert_int_equal(r.threads_joined, o.n);
    assert_int_equal(r.task_switches, o.switches);
    assert_int_equal(r.thread_switches, o.switches);
    assert_int_equal(r.tasks_pending, o.mem_tasks);
    assert_int_equal(r.threads_blocked, o.mem_threads);
    assert_true(r.task_bytes_accounted > 0);
    assert_true(r.task_bytes_accounted == (double)(r.task_header_bytes + r.task_future_bytes));
    assert_true(r.create_events > 0 && r.switch_events > 0);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(bench_report_json(f, &r), 0);
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_true(cJSON_IsNumber(item(item(j, "create", "task_ns"), "trace_off", "median")));
    assert_true(cJSON_IsNumber(item(item(j, "create", "task_ns"), "trace_on", "median")));
    assert_true(cJSON_IsNumber(item(j, "create", "thread_ns")->child));
    assert_int_equal(item(j, "create", "tasks_completed")->valuedouble, o.n);
    assert_true(cJSON_IsNumber(item(j, "switch", "ratio")));
    assert_true(item(item(j, "memory", "task_bytes"), "accounted", NULL)->valuedouble > 0);
    assert_true(cJSON_IsNumber(item(item(j, "memory", "thread_bytes"), "rss_100k_stack", NULL)));
    assert_true(cJSON_IsNumber(item(j, "trace", "poll_event_ns")->child));
    assert_int_equal(cJSON_GetArraySize(item(j, "targets", NULL)), 6);
    assert_true(cJSON_IsString(item(j, "machine", "kernel")));
    cJSON_Delete(j);
    free(buf);
    assert_int_equal(access(trace, F_OK), -1); /* the trace-on runs leave no file */
}

/* The targets say where they come from (docs/performance.md), and the trace's cost is a
 * factor of the trace-off figure: a part not measured is left out, not reported as met. */
static void table_should_name_the_targets_source_and_the_trace_factor(void **state) {
    (void)state;
    bench_results r = {0};
    r.opts.reps = 1;
    r.task_create[BENCH_OFF].median = 100, r.task_create[BENCH_ON].median = 250;
    r.task_switch[BENCH_OFF].median = 50, r.task_switch[BENCH_ON].median = 500;
    bench_target t[BENCH_TARGETS_MAX];
    int n = bench_report_targets(&r, t, BENCH_TARGETS_MAX);
    assert_int_equal(n, 4); /* header, poll event: not measured */
    assert_string_equal(t[2].name, "spawn + complete, trace on / trace off");
    assert_true(t[2].value == 2.5 && t[2].value <= t[2].limit);
    assert_true(t[3].value == 10 && t[3].value > t[3].limit);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    bench_report_table(f, &r);
    fclose(f);
    assert_non_null(strstr(buf, "targets (docs/performance.md"));
    assert_null(strstr(buf, "issue"));
    assert_non_null(strstr(buf, "MISSED switch, trace on / trace off"));
    free(buf);
}

static int has_text(const draw_list *d, const char *prefix) {
    for (size_t i = 0; i < d->n; i++)
        if (d->cmd[i].op == DRAW_TEXT && !strncmp(draw_cmd_text(d, &d->cmd[i]), prefix, strlen(prefix))) return 1;
    return 0;
}

static void chart_should_draw_one_bar_per_comparison_with_its_ratio(void **state) {
    (void)state;
    bench_results r = {0};
    r.opts.reps = 1;
    r.task_create[BENCH_OFF].median = 100, r.task_create[BENCH_ON].median = 1000, r.thread_create.median = 25000;
    r.task_switch[BENCH_OFF].median = 50, r.task_switch[BENCH_ON].median = 500, r.thread_switch.median = 5000;
    r.task_bytes_malloc[BENCH_OFF] = r.task_bytes_malloc[BENCH_ON] = 200;
    r.thread_bytes_rss = 8000, r.thread_bytes_rss_100k = 108000;
    draw_list d;
    assert_int_equal(bench_chart_build(&r, &d), 0);
    size_t bars = 0;
    for (size_t i = 0; i < d.n; i++) bars += d.cmd[i].op == DRAW_RECT && d.cmd[i].h == 46;
    assert_int_equal(bars, 4);
    assert_true(has_text(&d, "250\xc3\x97"));  /* 25000 / 100 */
    assert_true(has_text(&d, "100\xc3\x97"));  /* 5000 / 50 */
    assert_true(has_text(&d, "540\xc3\x97"));  /* 108000 / 200 */
    assert_true(has_text(&d, "create + run to completion"));
    draw_list_free(&d);
    char path[128], err[256];
    snprintf(path, sizeof path, "/tmp/pinata-test-bench-%ld-chart.svg", (long)getpid());
    assert_int_equal(bench_chart_write(&r, path, err, sizeof err), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char head[256] = "";
    assert_true(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    assert_non_null(strstr(head, "<svg"));
    remove(path);
}

static void cli_should_write_the_json_file_and_reject_bad_options(void **state) {
    (void)state;
    char json[128], cmd[512];
    tmp_path(json, sizeof json, "cli");
    snprintf(cmd, sizeof cmd, "%s bench --quick --reps 1 --json %s >/dev/null 2>&1", PINATA_BINARY, json);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(json, "r");
    assert_non_null(f);
    char head[64] = "";
    assert_true(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    assert_non_null(strstr(head, "\"schema\""));
    remove(json);
    snprintf(cmd, sizeof cmd, "%s bench -n zero >/dev/null 2>&1", PINATA_BINARY);
    assert_int_not_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(task_create_should_complete_every_task),
        cmocka_unit_test(task_create_with_the_trace_on_should_record_events),
        cmocka_unit_test(task_switch_should_make_every_handoff),
        cmocka_unit_test(task_memory_should_account_header_plus_future_per_task),
        cmocka_unit_test(thread_create_should_join_every_thread),
        cmocka_unit_test(thread_switch_should_make_every_handoff),
        cmocka_unit_test(thread_memory_should_measure_every_thread_blocked),
        cmocka_unit_test(trace_poll_events_should_write_every_event_and_remove_the_file),
        cmocka_unit_test(trace_should_escape_what_json_needs_escaped),
        cmocka_unit_test(trace_should_not_read_past_a_string_into_the_next_page),
        cmocka_unit_test(trace_open_should_write_a_device_in_place),
        cmocka_unit_test(stat_of_should_take_the_median),
        cmocka_unit_test(quick_run_should_count_everything_and_write_the_json_keys),
        cmocka_unit_test(table_should_name_the_targets_source_and_the_trace_factor),
        cmocka_unit_test(chart_should_draw_one_bar_per_comparison_with_its_ratio),
        cmocka_unit_test(cli_should_write_the_json_file_and_reject_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
