/* The scenario loader: the catalogue loads, defaults, parameters, variables, loops, the Rust
 * source, and the checks beyond the bad-input classes of test_badinput.c. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/runner.h"
#include "sim/scenario.h"
#include "util_trace.h"

#define SCN PINATA_SOURCE_DIR "/scenarios/"

/* Writes text to a scratch scenario file and loads it; err gets the error, if any. */
static scenario *load_text(const char *text, char *err, size_t errlen) {
    FILE *f = fopen("scratch_scenario.json", "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return scenario_load("scratch_scenario.json", NULL, 0, err, errlen);
}

static void every_catalogue_scenario_should_load(void **s) {
    (void)s;
    DIR *d = opendir(SCN);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".json")) continue;
        char path[512], err[768];
        snprintf(path, sizeof path, "%s%s", SCN, e->d_name);
        scenario *sc = scenario_load(path, NULL, 0, err, sizeof err);
        if (!sc) fail_msg("%s", err);
        assert_true(sc->title[0] && sc->title_ko[0] && sc->description_ko[0]); /* both languages */
        scenario_free(sc);
        n++;
    }
    closedir(d);
    assert_true(n >= 15);
}

static void a_minimal_scenario_should_get_the_defaults(void **s) {
    (void)s;
    char err[512];
    scenario *sc = load_text("{\"name\": \"m\", \"functions\": {\"main\": {\"body\": []}}}", err, sizeof err);
    assert_non_null(sc);
    assert_int_equal(sc->seed, 42);
    assert_int_equal(sc->executor, SCN_BLOCK_ON);
    assert_true(sc->default_hosts);
    assert_int_equal(sc->cfg.workers, 0);
    assert_int_equal(sc->cfg.stack_reserved, 8 << 20);
    assert_int_equal(sc->cfg.stack_used, 100 << 10);
    assert_true(sc->cfg.memory_counters);
    assert_int_equal(scenario_find_fn(sc, "main"), sc->entry);
    scenario_free(sc);
}

static void a_parameter_should_be_overridable_from_the_command_line(void **s) {
    (void)s;
    char err[512];
    scenario_param p = {"connections", "123"};
    scenario *sc = scenario_load(SCN "chat_server.json", &p, 1, err, sizeof err);
    assert_non_null(sc);
    assert_int_equal(sc->clients, 123);
    scenario_free(sc);
    scenario_param bad = {"conections", "1"};
    assert_null(scenario_load(SCN "chat_server.json", &bad, 1, err, sizeof err));
    assert_non_null(strstr(err, "params.conections: no such parameter"));
}

static void a_loop_should_be_flattened_into_for_body_end(void **s) {
    (void)s;
    char err[512];
    scenario *sc = scenario_load(SCN "many_requests.json", NULL, 0, err, sizeof err);
    assert_non_null(sc);
    const scn_fn *m = &sc->fns[scenario_find_fn(sc, "many_requests")];
    assert_int_equal(m->nbody, 4);
    assert_int_equal(m->body[0].kind, STEP_FOR);
    assert_int_equal(m->body[1].kind, STEP_SPAWN_LOCAL);
    assert_int_equal(m->body[2].kind, STEP_END);
    assert_int_equal(m->body[3].kind, STEP_AWAIT);
    assert_int_equal(m->body[3].leaf, LEAF_JOIN_ALL);
    assert_int_equal(m->body[0].jump, 2);
    assert_int_equal(m->body[2].jump, 0);
    assert_string_equal(m->body[1].path, "functions.many_requests.body[0].body[0]");
    /* for (host, port, path) in requests: host is the loop variable's tuple field 0 */
    assert_int_equal(m->body[1].args[0].slot, m->body[0].slot);
    assert_string_equal(m->body[1].args[0].field, "0");
    scenario_free(sc);
}

static void a_variable_should_resolve_to_a_parameter_or_a_scenario_param(void **s) {
    (void)s;
    char err[512];
    scenario *sc = load_text("{\"name\": \"v\", \"params\": {\"wait\": 7},"
                             " \"functions\": {\"main\": {\"body\": [{\"call\": \"f\", \"args\": [\"$wait\"]}]},"
                             " \"f\": {\"params\": [\"ms\"], \"body\": [{\"await\": \"sleep\", \"ms\": \"$ms\"}]}}}",
                             err, sizeof err);
    assert_non_null(sc);
    const scn_fn *f = &sc->fns[scenario_find_fn(sc, "f")];
    assert_int_equal(f->body[0].a.slot, 0);                       /* $ms: f's parameter */
    const scn_fn *m = &sc->fns[scenario_find_fn(sc, "main")];
    assert_int_equal(m->body[0].args[0].slot, -1);                /* $wait: the scenario's param */
    assert_int_equal(scenario_value_int(scenario_eval(&m->body[0].args[0], NULL), 0), 7);
    scenario_free(sc);
    assert_null(load_text("{\"name\": \"v\", \"functions\": {\"main\": {\"body\": [{\"await\": \"sleep\", \"ms\": \"$nope\"}]}}}",
                          err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0].ms: unknown variable '$nope'"));
}

/* Issue 9: a variable name was cut at 63 bytes, so a long one could resolve to another. */
static void a_variable_name_too_long_should_be_refused_not_cut(void **s) {
    (void)s;
    char text[1024], err[512], name[80];
    memset(name, 'a', 70);
    name[70] = 0;
    snprintf(text, sizeof text, "{\"name\": \"v\", \"params\": {\"%.63s\": 5}, \"functions\": {\"main\": {\"body\": "
             "[{\"await\": \"sleep\", \"ms\": \"$%s\"}]}}}", name, name);
    assert_null(load_text(text, err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0].ms: expected a variable name of at most 63 bytes"));
}

static void a_missing_field_of_a_list_element_should_name_the_element(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"m\", \"args\": [[{\"host\": \"example.com\"}, {\"hots\": \"x\"}]],"
                          " \"functions\": {\"main\": {\"params\": [\"rs\"], \"body\": [{\"for\": \"$rs\", \"as\": \"r\","
                          " \"body\": [{\"await\": \"connect\", \"host\": \"$r.host\"}]}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "scratch_scenario.json: args[0][1].host: expected a host name (a string)"));
}

static void a_rust_line_out_of_range_should_be_refused(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"r\", \"rust\": [\"fn main() {}\"],"
                          " \"functions\": {\"main\": {\"body\": [{\"compute_ms\": 1, \"line\": 2}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0].line: expected a number <= 1, got 2"));
}

static void poll_again_should_follow_an_await(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"p\", \"functions\": {\"main\": {\"body\": [{\"poll_again\": true}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0]: poll_again: expected to follow an await"));
}

static void spawn_without_a_pool_should_be_refused(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"p\", \"functions\": {\"main\": {\"body\": [{\"spawn\": \"main\"}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0].spawn: spawn needs a worker pool: expected runtime.workers >= 1"));
}

static void spawn_local_on_a_synchronous_thread_should_be_refused(void **s) {
    (void)s;
    char err[512];
    assert_null(scenario_load(PINATA_SOURCE_DIR "/tests/data/bad_spawn_local_sync.json", NULL, 0, err, sizeof err));
    assert_non_null(strstr(err, "functions.worker.body[0].spawn_local: spawn_local needs an executor on this thread"));
}

static void an_unknown_field_should_list_the_fields_there_are(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"p\", \"functions\": {\"main\": {\"body\": [{\"await\": \"sleep\", \"msec\": 1}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0].msec: unknown field: expected one of await, blocking"));
    assert_null(load_text("{\"name\": \"p\", \"funktions\": {}}", err, sizeof err));
    assert_non_null(strstr(err, ": funktions: unknown field"));
}

static void a_step_with_two_actions_should_be_refused(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"p\", \"functions\": {\"main\": {\"body\": [{\"await\": \"yield_now\", \"compute_ms\": 1}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0]: expected one action per step"));
}

static void the_rust_source_and_step_lines_should_reach_the_trace(void **s) {
    (void)s;
    assert_int_equal(ut_run(SCN "s02_block_on.json", "scenario_source.trace.json"), RUNNER_OK);
    cJSON *t = ut_load("scenario_source.trace.json");
    const cJSON *head = cJSON_GetArrayItem(t, 0);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(head, "args"), "source");
    long n = 0;
    char *text = ut_slurp(SCN "s02_block_on.json", &n);
    cJSON *scn = cJSON_Parse(text);
    assert_int_equal(cJSON_GetArraySize(src), cJSON_GetArraySize(cJSON_GetObjectItem(scn, "rust")));
    assert_true(cJSON_GetArraySize(src) > 9); /* the whole program */
    cJSON_Delete(scn);
    free(text);
    assert_string_equal(ut_arg_str(head, "file"), "s02_block_on.json");
    const cJSON *ev;
    int connect_line = 0;
    cJSON_ArrayForEach(ev, t) {
        if (ut_is(ev, "X", "poll", "cheapo_request") && !strcmp(ut_arg_str(ev, "at"), "connect.await"))
            connect_line = (int)ut_arg_num(ev, "line");
    }
    assert_int_equal(connect_line, 2); /* parked at line 2: TcpStream::connect(...).await */
    cJSON_Delete(t);
}

/* A scenario with a quiz QUIZ: loads, or err says why not. */
static scenario *quiz_text(const char *quiz, char *err, size_t errlen) {
    char text[2048];
    snprintf(text, sizeof text, "{\"name\": \"q\", \"functions\": {\"main\": {\"body\": [{\"compute_ms\": 1}]}}, "
             "\"quiz\": %s}", quiz);
    return load_text(text, err, errlen);
}

static void a_quiz_should_be_checked_and_reach_the_trace(void **s) {
    (void)s;
    char err[512];
    scenario *sc = quiz_text("[{\"step\": 2, \"reveal_step\": 3, \"ask\": \"Which?\", \"ask_ko\": \"무엇?\", "
                             "\"choices\": [\"a\", \"b\"], \"choices_ko\": [\"가\", \"나\"], \"answer\": \"b\"}]", err, sizeof err);
    if (!sc) fail_msg("%s", err);
    assert_int_equal(cJSON_GetArraySize(sc->quiz), 1);
    scenario_free(sc);
    static const char *const bad[][2] = {
        {"{}", "quiz: expected an array"},
        {"[]", "quiz: expected an array of 1 to 64 questions"},
        {"[1]", "quiz[0]: expected an object"},
        {"[{\"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"a\"}]", "quiz[0].step: missing"},
        {"[{\"step\": 2, \"choices\": [\"a\", \"b\"], \"answer\": \"a\"}]", "quiz[0].ask: missing"},
        {"[{\"step\": 2, \"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"c\"}]", "quiz[0].answer: expected one of its"},
        {"[{\"step\": 2, \"ask\": \"?\", \"choices\": [\"a\"], \"answer\": \"a\"}]", "quiz[0].choices: expected an array of 2 to 6"},
        {"[{\"step\": 2, \"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"choices_ko\": [\"가\"], \"answer\": \"a\"}]",
         "quiz[0].choices_ko: expected an array of 2 strings"},
        {"[{\"step\": 5, \"reveal_step\": 4, \"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"a\"}]",
         "quiz[0].reveal_step: expected a number >= 5"},
        {"[{\"step\": 5, \"reveal_step\": 7, \"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"a\"}, "
         "{\"step\": 6, \"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"a\"}]", "quiz[1].step: expected a step after 7"},
        {"[{\"step\": 2, \"ask\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"a\", \"hint\": 1}]",
         "quiz[0].hint: unknown field: expected one of step, reveal_step, ask"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_null(quiz_text(bad[i][0], err, sizeof err));
        if (!strstr(err, bad[i][1])) fail_msg("quiz %s: got \"%s\", wanted \"%s\"", bad[i][0], err, bad[i][1]);
        assert_non_null(strstr(err, "scratch_scenario.json: "));
    }
    /* the questions are written into the trace's header as the scenario wrote them */
    assert_int_equal(ut_run(SCN "s08_fuse.json", "scenario_quiz.trace.json"), RUNNER_OK);
    cJSON *t = ut_load("scenario_quiz.trace.json");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(t, 0), "args"), "quiz");
    assert_int_equal(cJSON_GetArraySize(q), 3);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(q, 2), "answer")->valuestring, "Pending");
    cJSON_Delete(t);
    remove("scenario_quiz.trace.json");
}

/* The "changing a latency in a scenario file changes the trace, without a rebuild". */
static void a_changed_latency_should_move_the_connect_in_the_trace(void **s) {
    (void)s;
    const char *fmt = "{\"name\": \"l\", \"network\": {\"default_hosts\": false, \"hosts\": [{\"name\": \"h\", "
                      "\"connect_ms\": %d, \"chunks\": [{\"delay_ms\": 1, \"bytes\": 10}]}]},"
                      " \"functions\": {\"main\": {\"body\": [{\"await\": \"connect\", \"host\": \"h\"}]}}}";
    double at[2];
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen("scratch_latency.json", "w");
        fprintf(f, fmt, i ? 80 : 40);
        fclose(f);
        assert_int_equal(ut_run("scratch_latency.json", "scratch_latency.trace.json"), RUNNER_OK);
        cJSON *t = ut_load("scratch_latency.trace.json");
        const cJSON *ev;
        cJSON_ArrayForEach(ev, t) if (ut_is(ev, "i", "net", "connected")) at[i] = ut_num(ev, "ts");
        cJSON_Delete(t);
    }
    assert_true(at[0] >= 40000 && at[0] < 40100);
    assert_true(at[1] >= 80000 && at[1] < 80100);
}

/* A scenario of n functions written as a chain: main awaits name(0), name(i) awaits name(i+1),
 * and the last awaits name(0) again (cycle) or computes. Names are "%0*d" of width w. */
static char *chain_text(int n, int w, int cycle) {
    size_t cap = (size_t)n * (3 * (size_t)w + 64) + 256, len = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    len += (size_t)snprintf(t, cap, "{\"name\": \"c\", \"functions\": {\"main\": {\"body\": [{\"await\": \"%0*d\"}]}", w, 0);
    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(t + len, cap - len, ", \"%0*d\": {\"body\": [", w, i);
        if (i + 1 < n || cycle) len += (size_t)snprintf(t + len, cap - len, "{\"await\": \"%0*d\"}]}", w, (i + 1) % n);
        else len += (size_t)snprintf(t + len, cap - len, "{\"compute_ms\": 0.001}]}");
    }
    snprintf(t + len, cap - len, "}}");
    return t;
}

/* Issue 9: the cycle text was built in a 256-byte buffer (a stack overflow with one 300-character
 * name, a crash with 40 names of 43 characters). Now it is cut to one readable line. */
static void a_cycle_of_long_names_should_give_one_short_line(void **s) {
    (void)s;
    char err[768];
    int cases[][2] = {{2, 300}, {40, 43}, {3, 1}};
    for (int c = 0; c < 3; c++) {
        char *text = chain_text(cases[c][0], cases[c][1], 1);
        assert_null(load_text(text, err, sizeof err));
        free(text);
        assert_non_null(strstr(err, "await cycle "));
        assert_non_null(strstr(err, ": expected no cycle"));
        assert_true(strlen(err) < 600);
    }
    assert_non_null(strstr(err, "await cycle 0 -> 1 -> 2 -> 0: expected")); /* a short one stays whole */
}

/* Issue 9: the cycle check recursed once per function of a chain (a stack overflow at 15,000),
 * and the interpreter polls a chain by recursion: a chain deeper than the documented bound is
 * an error; one at the bound loads and runs. */
static void a_long_await_chain_should_be_bounded_not_a_stack_overflow(void **s) {
    (void)s;
    char err[768];
    char *text = chain_text(15000, 5, 0);
    assert_null(load_text(text, err, sizeof err));
    free(text);
    assert_non_null(strstr(err, "functions.main: awaits a chain of 15000 nested async fns: expected at most"));
    text = chain_text(SCN_MAX_AWAIT_DEPTH - 1, 5, 0); /* main + this many: the bound exactly */
    scenario *sc = load_text(text, err, sizeof err);
    free(text);
    if (!sc) fail_msg("%s", err);
    scenario_free(sc);
    assert_int_equal(ut_run("scratch_scenario.json", "scratch_chain.trace.json"), RUNNER_OK);
}

/* Issue 9: 100,000 functions took 98 s to load (a linear lookup per await). The lookup is
 * hashed now; this checks it finds every function, among many, after the load. */
static void many_functions_should_load_and_each_be_found(void **s) {
    (void)s;
    enum { N = 100000 };
    size_t cap = (size_t)N * 64 + 128, len = 0;
    char *t = malloc(cap), err[768];
    assert_non_null(t);
    len += (size_t)snprintf(t, cap, "{\"name\": \"many\", \"functions\": {\"main\": {\"body\": [{\"await\": \"f%d\"}]}", N - 1);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(t + len, cap - len, i % 2 ? ", \"f%d\": {\"body\": [{\"await\": \"f%d\"}]}"
                                                          : ", \"f%d\": {\"body\": [{\"compute_ms\": 0.001}]}", i, i - 1);
    snprintf(t + len, cap - len, "}}");
    scenario *sc = load_text(t, err, sizeof err);
    free(t);
    if (!sc) fail_msg("%s", err);
    assert_int_equal(sc->nfns, N + 1);
    for (int i = 0; i < sc->nfns; i++) assert_int_equal(scenario_find_fn(sc, sc->fns[i].name), i);
    assert_int_equal(scenario_find_fn(sc, "f100000"), -1);
    const scn_fn *f = &sc->fns[scenario_find_fn(sc, "f77")];
    assert_int_equal(f->body[0].fn, scenario_find_fn(sc, "f76"));
    scenario_free(sc);
}

/* Issue 9: a JSON object may repeat a key, and cJSON keeps the first: a second function,
 * params entry or field was silently ignored. Any object of the file but "notes". */
static void a_key_given_twice_should_be_refused_where_it_is(void **s) {
    (void)s;
    char err[512];
    assert_null(load_text("{\"name\": \"d\", \"functions\": {\"main\": {\"body\": []}, \"g\": {\"body\": []}, "
                          "\"g\": {\"body\": [{\"compute_ms\": 1}]}}}", err, sizeof err));
    assert_string_equal(err, "scratch_scenario.json: functions.g: given twice: expected each key once in an object");
    assert_null(load_text("{\"name\": \"d\", \"functions\": {\"main\": {\"body\": [{\"await\": \"sleep\", "
                          "\"ms\": 1, \"ms\": 2}]}}}", err, sizeof err));
    assert_non_null(strstr(err, "functions.main.body[0].ms: given twice"));
    scenario *sc = load_text("{\"name\": \"d\", \"notes\": {\"a\": 1, \"a\": 2}, \"functions\": {\"main\": {\"body\": []}}}",
                             err, sizeof err);
    assert_non_null(sc); /* notes are free-form */
    scenario_free(sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_catalogue_scenario_should_load),
        cmocka_unit_test(a_minimal_scenario_should_get_the_defaults),
        cmocka_unit_test(a_parameter_should_be_overridable_from_the_command_line),
        cmocka_unit_test(a_loop_should_be_flattened_into_for_body_end),
        cmocka_unit_test(a_variable_should_resolve_to_a_parameter_or_a_scenario_param),
        cmocka_unit_test(a_missing_field_of_a_list_element_should_name_the_element),
        cmocka_unit_test(a_variable_name_too_long_should_be_refused_not_cut),
        cmocka_unit_test(a_rust_line_out_of_range_should_be_refused),
        cmocka_unit_test(poll_again_should_follow_an_await),
        cmocka_unit_test(spawn_without_a_pool_should_be_refused),
        cmocka_unit_test(spawn_local_on_a_synchronous_thread_should_be_refused),
        cmocka_unit_test(an_unknown_field_should_list_the_fields_there_are),
        cmocka_unit_test(a_step_with_two_actions_should_be_refused),
        cmocka_unit_test(the_rust_source_and_step_lines_should_reach_the_trace),
        cmocka_unit_test(a_quiz_should_be_checked_and_reach_the_trace),
        cmocka_unit_test(a_changed_latency_should_move_the_connect_in_the_trace),
        cmocka_unit_test(a_cycle_of_long_names_should_give_one_short_line),
        cmocka_unit_test(a_long_await_chain_should_be_bounded_not_a_stack_overflow),
        cmocka_unit_test(many_functions_should_load_and_each_be_found),
        cmocka_unit_test(a_key_given_twice_should_be_refused_where_it_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
