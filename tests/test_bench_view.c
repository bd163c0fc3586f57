/* bench_view: the viewer benchmark runs every phase on a real trace and reports what it
 * laid out. Nothing here looks at a time (docs/performance.md has the numbers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_view.h"
#include "trace/tload.h"

#define TRACE PINATA_SOURCE_DIR "/traces/many_requests.trace.json"

static void viewer_bench_should_load_index_and_lay_out_every_zoom(void **state) {
    (void)state;
    bench_view_opts o;
    bench_view_opts_default(&o);
    o.trace = TRACE;
    o.reps = 1;
    bench_view_result r;
    char err[512];
    assert_int_equal(bench_view_run(&o, &r, err, sizeof err), 0);
    tload_trace t;
    assert_int_equal(tload_file(TRACE, &t, err, sizeof err), 0);
    assert_int_equal(r.events, t.n); /* it measured the whole trace */
    tload_free(&t);
    for (int z = 0; z < BENCH_VIEW_ZOOMS; z++) assert_true(r.cmds[z] > 10 && r.cmds[z] < 8 * (size_t)o.width);
    assert_true(r.span[0] == 1 && r.span[2] < r.span[1]);
    assert_true(r.bytes_per_event > 64); /* at least the event itself */
    assert_true(r.text_ms == 0 && r.export_ms == 0); /* no binary given: no child runs */

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(bench_view_json(f, &o, &r), 0);
    fclose(f);
    cJSON *j = cJSON_Parse(buf), *v = cJSON_GetObjectItem(j, "viewer");
    assert_non_null(v);
    assert_int_equal(cJSON_GetObjectItem(v, "events")->valuedouble, r.events);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(v, "layout")), BENCH_VIEW_ZOOMS);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(v, "bytes_per_event")));
    cJSON_Delete(j);
    free(buf);
}

static void viewer_bench_should_name_a_missing_trace(void **state) {
    (void)state;
    bench_view_opts o;
    bench_view_opts_default(&o);
    o.trace = "/nonexistent/trace.json";
    o.reps = 1;
    bench_view_result r;
    char err[512] = "";
    assert_int_equal(bench_view_run(&o, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/trace.json"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(viewer_bench_should_load_index_and_lay_out_every_zoom),
        cmocka_unit_test(viewer_bench_should_name_a_missing_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
