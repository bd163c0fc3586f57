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

#define S03_SCENARIO PINATA_SOURCE_DIR "/scenarios/s03_many_requests.json"

/* How many polls of d were made for another task's wake or a spurious one, and how many
 * of them its layout marks with the no-progress sign. */
static void no_progress_polls(doc *d, int *polls, int *marks) {
    *polls = 0;
    for (size_t i = 0; i < d->t.n; i++) *polls += d->t.ev[i].kind == TLOAD_POLL && tload_woken_by(&d->t, i) != 0;
    layout_view v;
    draw_list dl;
    layout_view_init(&v, 1600, 0);
    draw_list_init(&dl, 1600, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d->t, &d->ix, &d->ax, &v, &dl, NULL), 0);
    *marks = (int)fx_count(&dl, DRAW_TAG_NO_PROGRESS);
    draw_list_free(&dl);
}

/* --model reaches the simulation through the doc_sim's runner options (the CLI's view,
 * export, text and show): S3 under tokio polls many_requests for its siblings' wakes and
 * the picture marks those polls; under ideal there are none to mark. */
static void a_scenario_should_run_under_the_model_in_the_options(void **st) {
    (void)st;
    doc d;
    char err[512];
    int polls, marks;
    runner_opts ro = {.quiet = 1, .model = 1 + scenario_model_index("tokio")};
    doc_sim sim = *fx_sim();
    sim.ctx = &ro;
    assert_int_equal(doc_open(&d, S03_SCENARIO, 1, &sim, err, sizeof err), 0);
    assert_string_equal(tload_str(&d.t, d.t.model), "tokio");
    no_progress_polls(&d, &polls, &marks);
    assert_true(polls >= 9 && marks >= 9);
    doc_close(&d);
    ro.model = 1 + scenario_model_index("ideal");
    assert_int_equal(doc_open(&d, S03_SCENARIO, 1, &sim, err, sizeof err), 0);
    no_progress_polls(&d, &polls, &marks);
    assert_int_equal(polls, 0);
    assert_int_equal(marks, 0);
    doc_close(&d);
}

/* A trace ran already: an option that changes only a simulation gets one warning line that
 * names the trace, its model and the option; a scenario opened with it gets none. */
static void a_trace_opened_with_a_model_should_warn_that_it_did_nothing(void **st) {
    (void)st;
    doc d;
    char err[512];
    doc_sim sim = *fx_sim();
    sim.sim_only = "--model tokio";
    assert_int_equal(doc_open(&d, S02_TRACE, 1, &sim, err, sizeof err), 0);
    assert_non_null(strstr(d.t.warn, "s02_block_on.trace.json: a trace, run already (model ideal), shown as it ran: --model tokio would"));
    doc_close(&d);
    assert_int_equal(doc_open(&d, S02_SCENARIO, 1, &sim, err, sizeof err), 0);
    assert_null(strstr(d.t.warn, "run already"));
    doc_close(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_trace_should_open_without_a_simulator),
        cmocka_unit_test(a_scenario_without_a_simulator_should_say_only_traces_open),
        cmocka_unit_test(a_scenario_should_run_through_the_given_simulator),
        cmocka_unit_test(a_scenario_should_run_under_the_model_in_the_options),
        cmocka_unit_test(a_trace_opened_with_a_model_should_warn_that_it_did_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
