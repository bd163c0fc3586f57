/* doc: a trace opens without the simulator; a scenario or a built-in only through the
 * doc_sim the caller hands in (the CLI's), which a reload keeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "viz_fixture.h"

#define S02_TRACE PINATA_SOURCE_DIR "/traces/s02_block_on.trace.json"
#define S02_SCENARIO PINATA_SOURCE_DIR "/scenarios/s02_block_on.json"

static int runs; /* how often the counting simulator ran */

static int counting_run(const void *ctx, const char *input, const char *text, const char *out, char *err,
                        size_t errlen) {
    runs++;
    return runner_simulate(ctx, input, text, out, err, errlen);
}

static const doc_sim counting = {.is_builtin = runner_is_builtin, .run = counting_run, .ctx = NULL};

static void a_trace_should_open_without_a_simulator(void **st) {
    (void)st;
    doc d;
    char err[512];
    assert_int_equal(doc_open(&d, S02_TRACE, 1, NULL, err, sizeof err), 0);
    assert_true(d.t.n > 0);
    assert_false(d.simulated);
    doc_close(&d);
}

static void a_scenario_without_a_simulator_should_say_only_traces_open(void **st) {
    (void)st;
    doc d;
    char err[512];
    assert_int_equal(doc_open(&d, S02_SCENARIO, 1, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "s02_block_on.json: expected a trace file"));
    assert_int_equal(doc_open(&d, "block_on", 1, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "block_on: expected a trace file"));
}

/* The scenario runs through the caller's simulator, once, and gives the committed trace's
 * events. */
static void a_scenario_should_run_through_the_given_simulator(void **st) {
    (void)st;
    doc a, b;
    char err[512];
    runs = 0;
    assert_int_equal(doc_open(&a, S02_SCENARIO, 1, &counting, err, sizeof err), 0);
    assert_int_equal(runs, 1);
    assert_true(a.simulated);
    assert_int_equal(doc_open(&b, S02_TRACE, 1, &counting, err, sizeof err), 0);
    assert_int_equal(runs, 1); /* a trace is read, not simulated */
    assert_int_equal(a.t.n, b.t.n);
    doc_close(&a);
    doc_close(&b);
    assert_int_equal(doc_open(&a, "block_on", 1, &counting, err, sizeof err), 0); /* a built-in too */
    assert_int_equal(runs, 2);
    assert_true(a.t.n > 0);
    doc_close(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_trace_should_open_without_a_simulator),
        cmocka_unit_test(a_scenario_without_a_simulator_should_say_only_traces_open),
        cmocka_unit_test(a_scenario_should_run_through_the_given_simulator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
