/* trace/schema: the writer, the reader and the summary share one set of names. Every event
 * the simulator writes has a kind the schema knows; the names of the OS lane and of net
 * errors are the same on both sides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "sim/net.h"
#include "trace/schema.h"
#include "trace/tload.h"

#define TRACES PINATA_SOURCE_DIR "/traces"

static void every_committed_event_should_have_a_schema_kind(void **st) {
    (void)st;
    DIR *dir = opendir(TRACES);
    assert_non_null(dir);
    size_t files = 0;
    for (struct dirent *de; (de = readdir(dir));) {
        size_t n = strlen(de->d_name);
        if (n < 11 || strcmp(de->d_name + n - 11, ".trace.json")) continue;
        char path[512], err[512];
        snprintf(path, sizeof path, "%s/%s", TRACES, de->d_name);
        tload_trace t;
        if (tload_file(path, &t, err, sizeof err)) fail_msg("%s", err);
        assert_int_equal(t.schema, TRACE_SCHEMA_VERSION);
        for (size_t i = 0; i < t.n; i++)
            if (t.ev[i].kind == TRACE_KIND_OTHER)
                fail_msg("%s:%d: '%c' %s has no kind in trace/schema.h", path, tload_line(&t, i), t.ev[i].ph,
                         tload_str(&t, t.ev[i].name));
        char buf[64];
        assert_string_equal(tload_thread_name(&t, TRACE_TID_OS, buf, sizeof buf), TRACE_OS_LANE_NAME);
        tload_free(&t);
        files++;
    }
    closedir(dir);
    assert_true(files >= 10);
}

static void classify_should_go_by_ph_cat_and_name(void **st) {
    (void)st;
    assert_int_equal(trace_classify('X', TRACE_CAT_CALL, "connect"), TRACE_KIND_POLL);
    assert_int_equal(trace_classify('X', TRACE_CAT_POLL, "anything"), TRACE_KIND_POLL);
    assert_int_equal(trace_classify('i', TRACE_CAT_POLL, "connect"), TRACE_KIND_OTHER); /* a poll is a slice */
    assert_int_equal(trace_classify('i', TRACE_CAT_TASK, TRACE_NAME_FINISH), TRACE_KIND_FINISH);
    assert_int_equal(trace_classify('i', TRACE_CAT_TASK, "exit"), TRACE_KIND_OTHER);
    assert_int_equal(trace_classify('i', TRACE_CAT_THREAD, TRACE_NAME_EXIT), TRACE_KIND_THREAD_EXIT);
    assert_int_equal(trace_classify('i', TRACE_CAT_RUN, "nope"), TRACE_KIND_OTHER);
}

/* The codes the simulator writes in a finish's err name the errors its syscalls write. */
static void net_error_codes_should_name_the_simulators_errors(void **st) {
    (void)st;
    assert_string_equal(trace_net_err_name(NET_ECONNREFUSED), "ECONNREFUSED");
    assert_string_equal(trace_net_err_name(NET_ECONNRESET), "ECONNRESET");
    assert_string_equal(trace_net_err_name(NET_ENOTFOUND), "ENOTFOUND");
    assert_string_equal(trace_net_err_name(NET_WOULDBLOCK), "would-block");
    assert_string_equal(trace_net_err_name(0), "0");
    assert_string_equal(trace_net_err_name(-1000), "0");
    for (int e = -10; e <= 1; e++) assert_string_equal(trace_net_err_name(e), net_err_name(e));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_committed_event_should_have_a_schema_kind),
        cmocka_unit_test(classify_should_go_by_ph_cat_and_name),
        cmocka_unit_test(net_error_codes_should_name_the_simulators_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
