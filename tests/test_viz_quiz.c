/* viz/quiz: every generated question's answer is what the trace shows next; a scenario's
 * own quiz is read from the trace and bad quiz input fails with one line; the quiz mode's
 * state machine; the quiz box in the draw list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>

#include "util_trace.h"
#include "viz/quiz.h"
#include "viz_fixture.h"

#define SCN(name) PINATA_SOURCE_DIR "/scenarios/" name ".json"

static void open_doc(doc *d, const char *input) {
    char err[1024];
    if (doc_open(d, input, 0, fx_sim(), err, sizeof err)) fail_msg("%s", err);
}

static void build(doc *d, quiz *qz) {
    char err[1024];
    if (quiz_build(&d->t, &d->ix, qz, err, sizeof err)) fail_msg("%s", err);
}

/* The event a step starts (the step must be a start). */
static uint32_t started_at(const doc *d, long step) {
    assert_false(tindex_step_is_end(d->ix.steps[step]));
    return tindex_step_event(d->ix.steps[step]);
}

/* The first root poll (a task's top-level poll) starting after step on tid (any tid when
 * tid < 0) of task (any task when task < 0), found by walking the steps: -1 if none. */
static long next_root_poll(const doc *d, long step, int32_t tid, int32_t task) {
    for (size_t s = (size_t)step + 1; s < d->ix.n_steps; s++) {
        uint32_t c = d->ix.steps[s], i = tindex_step_event(c);
        const tload_event *e = &d->t.ev[i];
        if (tindex_step_is_end(c) || e->kind != TLOAD_POLL || e->parent >= 0 || (e->flags & TLOAD_F_SYNC)) continue;
        if ((tid < 0 || e->tid == tid) && (task < 0 || e->task == task)) return (long)i;
    }
    return -1;
}

/* The wake (its flow) that caused poll p, from the trace's bind ids. */
static long wake_of(const doc *d, long p) {
    if (!(d->t.ev[p].flags & TLOAD_F_FLOW_IN)) return -1;
    for (size_t i = 0; i < d->t.n; i++)
        if ((d->t.ev[i].flags & TLOAD_F_FLOW_OUT) && tload_bind_id(&d->t, i) == tload_bind_id(&d->t, (size_t)p)) return (long)i;
    return -1;
}

static void check_result(const doc *d, const quiz_question *q) {
    const tload_event *e = &d->t.ev[started_at(d, q->step)];
    assert_int_equal(e->kind, TLOAD_POLL);
    /* the answer is the poll's own result: what it returns when it ends, at reveal_step */
    const char *want = e->result == TLOAD_RES_READY ? "Ready" : "Pending";
    assert_string_equal(q->choice[MSG_EN][q->answer], want);
    uint32_t end = d->ix.steps[q->reveal_step];
    assert_true(tindex_step_is_end(end));
    assert_int_equal(tindex_step_event(end), started_at(d, q->step));
}

static void check_waker(const doc *d, const quiz_question *q) {
    const tload_event *park = &d->t.ev[started_at(d, q->step)];
    assert_int_equal(park->kind, TLOAD_PARK);
    long p = next_root_poll(d, q->step, park->tid, -1), w = p >= 0 ? wake_of(d, p) : -1;
    assert_true(w >= 0);
    const char *by = tload_str(&d->t, tload_wake_by(&d->t.ev[w]));
    const char *want = !strncmp(by, "timer", 5) ? "a timer" : !strncmp(by, "fd ", 3) ? "a network event" : "another task";
    assert_string_equal(q->choice[MSG_EN][q->answer], want);
    assert_int_equal(tindex_step_event(d->ix.steps[q->reveal_step]), (uint32_t)w);
}

static void check_next_task(const doc *d, const quiz_question *q) {
    long p = (long)started_at(d, q->reveal_step);
    assert_int_equal(q->reveal_step, q->step + 1); /* asked just before that poll */
    const tload_event *e = &d->t.ev[p];
    char want[32];
    snprintf(want, sizeof want, "task %d: ", e->task);
    assert_true(!strncmp(q->choice[MSG_EN][q->answer], want, strlen(want)));
    assert_int_equal(next_root_poll(d, q->step, e->tid, -1), p);
}

static void check_worker(const doc *d, const quiz_question *q) {
    const tload_event *e = &d->t.ev[started_at(d, q->reveal_step)];
    char task[32], buf[96];
    snprintf(task, sizeof task, "Task %d ", e->task);
    assert_true(!strncmp(q->ask[MSG_EN], task, strlen(task)));
    assert_int_equal(next_root_poll(d, q->step, -1, e->task), (long)started_at(d, q->reveal_step));
    assert_string_equal(q->choice[MSG_EN][q->answer], tload_thread_name(&d->t, e->tid, buf, sizeof buf));
}

/* Every question: in step order, each asked after the previous one's answer was shown,
 * texts in both languages, and its answer what the trace shows. Returns how many of each kind. */
static void check_quiz(const doc *d, const quiz *qz, int kinds[5]) {
    long after = -1;
    for (size_t i = 0; i < qz->n; i++) {
        const quiz_question *q = &qz->q[i];
        assert_true(q->step > after && q->reveal_step >= q->step && (size_t)q->reveal_step < d->ix.n_steps);
        after = q->reveal_step;
        assert_true(q->nchoices >= 2 && q->nchoices <= QUIZ_MAX_CHOICES);
        assert_true(q->answer >= 0 && q->answer < q->nchoices);
        for (int g = 0; g < 2; g++) {
            assert_true(q->ask[g][0] && q->explain[g][0]);
            for (int k = 0; k < q->nchoices; k++) assert_true(q->choice[g][k][0]);
        }
        assert_string_not_equal(q->ask[MSG_EN], q->ask[MSG_KO]);
        kinds[q->kind]++;
        switch (q->kind) {
        case QUIZ_RESULT: check_result(d, q); break;
        case QUIZ_WAKER: check_waker(d, q); break;
        case QUIZ_NEXT_TASK: check_next_task(d, q); break;
        case QUIZ_WORKER: check_worker(d, q); break;
        default: fail_msg("a generated question of kind %d", q->kind);
        }
    }
}

static void quiz_should_ask_s2_what_connect_returns_and_what_wakes_the_thread(void **s) {
    (void)s;
    doc d;
    quiz qz;
    int kinds[5] = {0};
    open_doc(&d, SCN("s02_block_on"));
    build(&d, &qz);
    assert_false(qz.from_scenario);
    assert_true(qz.n >= 4 && qz.n <= QUIZ_GEN_COUNT);
    check_quiz(&d, &qz, kinds);
    assert_true(kinds[QUIZ_RESULT] >= 2);
    assert_true(kinds[QUIZ_WAKER] >= 1);
    /* both answers occur: not every poll is Pending */
    int ready = 0, pending = 0, connect = 0;
    for (size_t i = 0; i < qz.n; i++)
        if (qz.q[i].kind == QUIZ_RESULT) {
            ready += qz.q[i].answer == 1;
            pending += qz.q[i].answer == 0;
            connect += strstr(qz.q[i].ask[MSG_EN], "B (connect) is polled") != NULL;
        }
    assert_true(ready >= 1 && pending >= 1 && connect >= 1);
    /* spread out: the first question in the first third of the run, the last in the last */
    assert_true((size_t)qz.q[0].step < d.ix.n_steps / 3);
    assert_true((size_t)qz.q[qz.n - 1].step > d.ix.n_steps * 2 / 3);
    quiz_free(&qz);
    doc_close(&d);
}

static void quiz_should_ask_s6_on_which_worker_a_task_resumes(void **s) {
    (void)s;
    doc d;
    quiz qz;
    int kinds[5] = {0};
    open_doc(&d, SCN("s06_spawn_pool"));
    build(&d, &qz);
    check_quiz(&d, &qz, kinds);
    assert_true(kinds[QUIZ_WORKER] >= 1);
    assert_true(kinds[QUIZ_RESULT] + kinds[QUIZ_WAKER] + kinds[QUIZ_NEXT_TASK] >= 2);
    quiz_free(&qz);
    doc_close(&d);
}

/* Every committed trace (each runtime model's too): whatever is generated is answered by
 * the trace; a scenario's own questions stand in step order. */
static void quiz_should_answer_from_the_trace_in_every_committed_trace(void **s) {
    (void)s;
    DIR *dir = opendir(PINATA_SOURCE_DIR "/traces");
    assert_non_null(dir);
    int kinds[5] = {0}, traces = 0;
    for (struct dirent *de; (de = readdir(dir));) {
        size_t n = strlen(de->d_name);
        if (n < 11 || strcmp(de->d_name + n - 11, ".trace.json")) continue;
        char path[768];
        snprintf(path, sizeof path, PINATA_SOURCE_DIR "/traces/%s", de->d_name);
        doc d;
        quiz qz;
        open_doc(&d, path);
        build(&d, &qz);
        if (qz.from_scenario) kinds[QUIZ_SCENARIO] += (int)qz.n;
        else check_quiz(&d, &qz, kinds);
        quiz_free(&qz);
        doc_close(&d);
        traces++;
    }
    closedir(dir);
    assert_true(traces >= 17);
    assert_true(kinds[QUIZ_NEXT_TASK] >= 1); /* S3: block_on runs several tasks */
    assert_true(kinds[QUIZ_WORKER] >= 1);    /* S6, S7: pools */
    assert_true(kinds[QUIZ_SCENARIO] >= 3);  /* S8's own */
}

/* ---- a scenario's quiz, carried in the trace's header ------------------------------- */

/* The committed S2 trace with "quiz": QUIZ put into its header, loaded as name. */
static int load_with_quiz(doc *d, const char *quiz_json, char *err, size_t errlen) {
    long len;
    char *text = ut_slurp(PINATA_SOURCE_DIR "/traces/s02_block_on.trace.json", &len);
    assert_non_null(text);
    char *at = strstr(text, "\"schema\":1,");
    assert_non_null(at);
    at += strlen("\"schema\":1,");
    size_t head = (size_t)(at - text), qlen = strlen(quiz_json);
    char *out = malloc((size_t)len + qlen + 16);
    assert_non_null(out);
    memcpy(out, text, head);
    int n = sprintf(out + head, "\"quiz\":%s,", quiz_json);
    memcpy(out + head + (size_t)n, at, (size_t)len - head + 1);
    memset(d, 0, sizeof *d);
    int rc = tload_buffer("s2q.json", out, strlen(out), &d->t, err, errlen);
    if (!rc) rc = tindex_build(&d->t, &d->ix) ? -1 : 0;
    if (!rc) rc = quiz_check(&d->t, &d->ix, err, errlen);
    free(out);
    free(text);
    return rc;
}

static void free_loaded(doc *d) {
    tindex_free(&d->ix);
    tload_free(&d->t);
}

#define GOOD_Q \
    "{\"step\":6,\"ask\":\"B (connect) is polled. What does it return?\",\"ask_ko\":\"B가 poll된다. 무엇을 반환할까?\"," \
    "\"choices\":[\"Pending\",\"Ready\"],\"answer\":\"Pending\",\"explain\":\"Not connected yet.\"," \
    "\"explain_ko\":\"아직 연결되지 않았다.\"}"

static void quiz_should_read_a_scenario_quiz_from_the_trace(void **s) {
    (void)s;
    doc d;
    char err[512];
    quiz qz;
    assert_int_equal(load_with_quiz(&d, "[" GOOD_Q ",{\"step\":18,\"ask\":\"And now?\",\"choices\":[\"Pending\","
                                        "\"Ready\",\"a panic\"],\"choices_ko\":[\"Pending\",\"Ready\",\"패닉\"],"
                                        "\"answer\":\"Ready\"}]", err, sizeof err), 0);
    build(&d, &qz);
    assert_true(qz.from_scenario);
    assert_int_equal(qz.n, 2);
    assert_int_equal(qz.q[0].step, 5); /* 1-based in the file */
    assert_int_equal(qz.q[0].answer, 0);
    assert_string_equal(qz.q[0].ask[MSG_KO], "B가 poll된다. 무엇을 반환할까?");
    assert_string_equal(qz.q[0].explain[MSG_KO], "아직 연결되지 않았다.");
    assert_int_equal(qz.q[1].nchoices, 3);
    assert_int_equal(qz.q[1].answer, 1);
    assert_string_equal(qz.q[1].ask[MSG_KO], "And now?"); /* no ask_ko: the English */
    assert_string_equal(qz.q[1].choice[MSG_KO][2], "패닉");
    quiz_free(&qz);
    free_loaded(&d);
}

static void expect_bad(const char *quiz_json, const char *want) {
    doc d;
    char err[512] = "";
    int rc = load_with_quiz(&d, quiz_json, err, sizeof err);
    if (rc == 0) fail_msg("accepted %s", quiz_json);
    if (!strstr(err, want)) fail_msg("for %s: got \"%s\", wanted \"%s\"", quiz_json, err, want);
    assert_non_null(strstr(err, "s2q.json:2:")); /* the file and the header's line */
    assert_null(strchr(err, '\n'));
    free_loaded(&d);
}

static void quiz_should_refuse_bad_scenario_questions_in_one_line(void **s) {
    (void)s;
    expect_bad("{\"step\":1}", "\"quiz\"");                                   /* not an array */
    expect_bad("[]", "\"quiz\": expected an array of 1 to");
    expect_bad("[{\"step\":6,\"ask\":\"?\",\"choices\":[\"a\",\"b\"],\"answer\":\"c\"}]", "quiz[0].answer: expected one of");
    expect_bad("[{\"step\":9999,\"ask\":\"?\",\"choices\":[\"a\",\"b\"],\"answer\":\"a\"}]", "quiz[0].step: expected a step from 1 to ");
    expect_bad("[{\"step\":0.5,\"ask\":\"?\",\"choices\":[\"a\",\"b\"],\"answer\":\"a\"}]", "quiz[0].step");
    expect_bad("[" GOOD_Q "," GOOD_Q "]", "quiz[1].step: expected a step after 6");
    expect_bad("[{\"step\":6,\"ask\":\"?\",\"choices\":[\"a\"],\"answer\":\"a\"}]", "quiz[0].choices: expected an array of 2 to 6");
    expect_bad("[{\"step\":6,\"ask\":\"?\",\"choices\":[\"a\",2],\"answer\":\"a\"}]", "quiz[0].choices[1]: expected a string");
    expect_bad("[{\"step\":6,\"ask\":\"?\",\"choices\":[\"a\",\"b\"],\"choices_ko\":[\"가\"],\"answer\":\"a\"}]",
               "quiz[0].choices_ko: expected an array of 2 strings");
    expect_bad("[{\"step\":6,\"choices\":[\"a\",\"b\"],\"answer\":\"a\"}]", "quiz[0].ask: expected a string");
    expect_bad("[{\"step\":6,\"ask\":\"?\",\"choices\":[\"a\",\"b\"],\"answer\":\"a\",\"hint\":\"x\"}]", "quiz[0].hint: expected no such field");
    expect_bad("[3]", "quiz[0]: expected an object");
    char long_ask[400];
    memset(long_ask, 'x', 300);
    long_ask[300] = '\0';
    char q[600];
    snprintf(q, sizeof q, "[{\"step\":6,\"ask\":\"%s\",\"choices\":[\"a\",\"b\"],\"answer\":\"a\"}]", long_ask);
    expect_bad(q, "quiz[0].ask: expected a string of 1 to 255 bytes");
}

/* Opens the test scenario with a quiz and a param, with these runner options. */
static void open_with(doc *d, runner_opts *ro) {
    char err[1024];
    doc_sim sim = *fx_sim();
    ro->quiet = 1;
    sim.ctx = ro;
    if (doc_open(d, PINATA_SOURCE_DIR "/tests/data/quiz_params.json", 0, &sim, err, sizeof err)) fail_msg("%s", err);
}

/* A scenario's own questions name steps of its own run. A run with another --param (fewer
 * connections: step 60 is past its end; more: step 60 is another moment), another --seed
 * or another --model leaves them out and says why in one warning line; the quiz then asks
 * questions made from that run, which the run answers. The scenario's own run keeps them. */
static void a_scenario_quiz_should_be_left_out_of_another_run(void **s) {
    (void)s;
    static const struct { scenario_param p; int np; uint64_t seed; int has_seed; const char *model, *why; } runs[] = {
        {{"connections", "1"}, 1, 0, 0, NULL, "this run has --param connections=1;"},
        {{"connections", "5"}, 1, 0, 0, NULL, "this run has --param connections=5;"},
        {{NULL, NULL}, 0, 7, 1, NULL, "this run has --seed 7;"},
        {{NULL, NULL}, 0, 0, 0, "tokio", "this run has --model tokio;"},
        {{NULL, NULL}, 0, 42, 1, NULL, NULL}, /* the scenario's own seed */
        {{NULL, NULL}, 0, 0, 0, "ideal", NULL}, /* its own model */
        {{NULL, NULL}, 0, 0, 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        runner_opts ro = {.params = &runs[i].p, .nparams = runs[i].np, .seed = runs[i].seed, .has_seed = runs[i].has_seed,
                          .model = runs[i].model ? 1 + scenario_model_index(runs[i].model) : 0};
        doc d;
        quiz qz;
        open_with(&d, &ro);
        build(&d, &qz);
        if (runs[i].why) {
            assert_null(d.t.quiz);
            assert_non_null(strstr(d.t.warn, "quiz_params.json: the scenario's own quiz is left out"));
            assert_non_null(strstr(d.t.warn, runs[i].why));
            assert_false(qz.from_scenario);
            assert_true(qz.n >= 1);
            int kinds[5] = {0};
            check_quiz(&d, &qz, kinds); /* each made from this run, answered by it */
        } else {
            assert_non_null(d.t.quiz);
            assert_null(strstr(d.t.warn, "quiz is left out"));
            assert_true(qz.from_scenario);
            assert_int_equal(qz.n, 2);
            assert_int_equal(qz.q[1].step, 59);
        }
        quiz_free(&qz);
        doc_close(&d);
    }
}

/* The committed S8 runs under the real models say why they carry no quiz. */
static void s8_under_a_real_model_should_say_its_quiz_is_left_out(void **s) {
    (void)s;
    const char *models[] = {"tokio", "async-std"};
    for (int i = 0; i < 2; i++) {
        char path[512], want[64];
        snprintf(path, sizeof path, PINATA_SOURCE_DIR "/traces/s08_fuse.%s.trace.json", models[i]);
        snprintf(want, sizeof want, "--model %s", models[i]);
        doc d;
        open_doc(&d, path);
        assert_null(d.t.quiz);
        assert_ptr_equal(strstr(tload_str(&d.t, d.t.quiz_left_out), want), tload_str(&d.t, d.t.quiz_left_out));
        doc_close(&d);
    }
}

/* S8's own questions stand where they ask: connect's first poll (Pending), connect's Ready
 * just before the poll after Ready, the fused sleep's Ready just before it says Pending. */
static void quiz_should_take_s8s_own_questions_where_they_stand(void **s) {
    (void)s;
    doc d;
    quiz qz;
    open_doc(&d, SCN("s08_fuse"));
    build(&d, &qz);
    assert_true(qz.from_scenario);
    assert_int_equal(qz.n, 3);
    const tload_event *e = &d.t.ev[started_at(&d, qz.q[0].step)];
    assert_string_equal(tload_str(&d.t, e->name), "connect");
    assert_string_equal(qz.q[0].choice[MSG_EN][qz.q[0].answer], e->result == TLOAD_RES_READY ? "Ready" : "Pending");
    for (int k = 1; k < 3; k++) {
        uint32_t c = d.ix.steps[qz.q[k].step];
        assert_true(tindex_step_is_end(c)); /* a poll returns Ready there ... */
        assert_int_equal(d.t.ev[tindex_step_event(c)].result, TLOAD_RES_READY);
        long again = (long)started_at(&d, qz.q[k].step + 1); /* ... and its future is polled again */
        assert_int_equal(d.t.ev[again].future, d.t.ev[tindex_step_event(c)].future);
        if (k == 1) assert_true(d.t.ev[again].flags & TLOAD_F_AFTER_READY); /* connect: the bug; sleep: fused */
    }
    /* the fused sleep's answer is what that poll returns */
    uint32_t fused = d.ix.steps[qz.q[2].reveal_step];
    assert_true(tindex_step_is_end(fused));
    assert_string_equal(qz.q[2].choice[MSG_EN][qz.q[2].answer], d.t.ev[tindex_step_event(fused)].result == TLOAD_RES_READY ? "Ready" : "Pending");
    quiz_free(&qz);
    doc_close(&d);
}

/* A scenario viewed directly: a step past the run's end is refused naming the scenario. */
static void quiz_should_refuse_a_scenario_step_past_the_run(void **s) {
    (void)s;
    long len;
    char *text = ut_slurp(SCN("s08_fuse"), &len);
    assert_non_null(text);
    char *at = strstr(text, "{\"step\": 36, \"reveal_step\": 38,");
    assert_non_null(at);
    const char *past = "{\"step\": 96, \"reveal_step\": 98,"; /* as long as what it replaces */
    memcpy(at, past, strlen(past));
    FILE *f = fopen("quiz_scratch.json", "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    doc d;
    char err[512];
    assert_int_not_equal(doc_open(&d, "quiz_scratch.json", 0, fx_sim(), err, sizeof err), 0);
    if (!strstr(err, "quiz_scratch.json: quiz[2].step: expected a step from 1 to ")) fail_msg("got %s", err);
    assert_null(strchr(err, '\n'));
    remove("quiz_scratch.json");
}

/* ---- quiz mode ------------------------------------------------------------------- */

static quiz two_questions(quiz_question qs[2]) {
    memset(qs, 0, 2 * sizeof *qs);
    qs[0] = (quiz_question){.step = 5, .reveal_step = 9, .kind = QUIZ_RESULT, .nchoices = 2, .answer = 0};
    qs[1] = (quiz_question){.step = 17, .reveal_step = 19, .kind = QUIZ_RESULT, .nchoices = 2, .answer = 1};
    for (int i = 0; i < 2; i++) {
        snprintf(qs[i].ask[MSG_EN], QUIZ_ASK_LEN, "Question %d?", i + 1);
        snprintf(qs[i].ask[MSG_KO], QUIZ_ASK_LEN, "문제 %d?", i + 1);
        for (int g = 0; g < 2; g++) {
            snprintf(qs[i].choice[g][0], QUIZ_CHOICE_LEN, "Pending");
            snprintf(qs[i].choice[g][1], QUIZ_CHOICE_LEN, "Ready");
            snprintf(qs[i].explain[g], QUIZ_EXPLAIN_LEN, "Because %d.", i + 1);
        }
    }
    return (quiz){qs, 2, 0};
}

static void quiz_play_should_ask_answer_reveal_and_score(void **s) {
    (void)s;
    quiz_question qs[2];
    quiz qz = two_questions(qs);
    quiz_play p;
    quiz_play_start(&p, &qz);
    assert_int_equal(p.phase, QUIZ_WAIT);
    assert_int_equal(quiz_play_move(&p, 0, 3), 3);           /* before the first question */
    assert_int_equal(quiz_play_move(&p, 3, 40), 5);          /* stops at it, however far it went */
    assert_int_equal(p.phase, QUIZ_ASKING);
    assert_ptr_equal(quiz_play_current(&p), &qs[0]);
    assert_int_equal(quiz_play_move(&p, 5, 6), 5);           /* no stepping on while asked */
    assert_int_equal(quiz_play_answer(&p, 2), -1);           /* no such choice */
    assert_int_equal(quiz_play_answer(&p, 1), 0);            /* wrong */
    assert_int_equal(p.phase, QUIZ_REVEALED);
    assert_int_equal(p.asked, 1);
    assert_int_equal(p.right, 0);
    assert_int_equal(quiz_play_answer(&p, 0), -1);           /* answered once */
    assert_int_equal(quiz_play_move(&p, 9, 10), 10);         /* on from the reveal */
    assert_int_equal(p.phase, QUIZ_WAIT);
    assert_int_equal(quiz_play_move(&p, 10, 9), 9);          /* back: nothing asked */
    assert_int_equal(quiz_play_move(&p, 9, 17), 17);
    assert_int_equal(p.phase, QUIZ_ASKING);
    assert_int_equal(quiz_play_answer(&p, 1), 1);            /* right */
    assert_int_equal(p.right, 1);
    assert_int_equal(p.asked, 2);
    assert_int_equal(quiz_play_move(&p, 19, 20), 20);
    assert_int_equal(p.phase, QUIZ_DONE);
    assert_null(quiz_play_current(&p));
    quiz_play_stop(&p);
    assert_int_equal(p.phase, QUIZ_OFF);
    assert_int_equal(quiz_play_move(&p, 20, 21), 21);
}

static void quiz_play_should_skip_and_not_ask_what_the_cursor_passed(void **s) {
    (void)s;
    quiz_question qs[2];
    quiz qz = two_questions(qs);
    quiz_play p;
    quiz_play_start(&p, &qz);
    assert_int_equal(quiz_play_move(&p, 10, 30), 17);        /* started past question 1 */
    assert_ptr_equal(quiz_play_current(&p), &qs[1]);
    assert_int_equal(quiz_play_skip(&p), 0);
    assert_int_equal(p.phase, QUIZ_REVEALED);
    assert_int_equal(p.asked, 1);
    assert_int_equal(p.right, 0);
    quiz qempty = {NULL, 0, 0};
    quiz_play_start(&p, &qempty);
    assert_int_equal(p.phase, QUIZ_DONE);
}

/* The text commands of the quiz box, joined by '|'. */
static void box_text(const draw_list *dl, char *out, size_t cap) {
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < dl->n && n + 1 < cap; i++)
        if (dl->cmd[i].tag == DRAW_TAG_QUIZ && dl->cmd[i].op == DRAW_TEXT)
            n += (size_t)snprintf(out + n, cap - n, "%s|", draw_cmd_text(dl, &dl->cmd[i]));
}

static void quiz_draw_should_show_the_question_then_the_answer(void **s) {
    (void)s;
    quiz_question qs[2];
    quiz qz = two_questions(qs);
    quiz_play p;
    draw_list dl;
    char text[2048];
    draw_list_init(&dl, 1600, 900, 0xFFFFFFFF);
    quiz_play_start(&p, &qz);
    quiz_play_move(&p, 0, 5);
    quiz_draw(&p, &dl, MSG_EN, 1600, 0, 900, 1);
    box_text(&dl, text, sizeof text);
    assert_non_null(strstr(text, "Question 1?"));
    assert_non_null(strstr(text, "1  Pending|"));
    assert_non_null(strstr(text, "2  Ready|"));
    assert_null(strstr(text, "Because 1."));                 /* not before the answer */
    /* a click on choice 2 finds it */
    long box = fx_find(&dl, DRAW_TAG_QUIZ, 1, 0);
    assert_true(box >= 0 && dl.cmd[box].op == DRAW_RECT);
    long hit = draw_hit(&dl, dl.cmd[box].x + 5, dl.cmd[box].y + dl.cmd[box].h / 2);
    assert_true(hit >= 0);
    assert_int_equal(dl.cmd[hit].tag, DRAW_TAG_QUIZ);
    assert_int_equal(dl.cmd[hit].ref, 1);
    /* answered wrong: the right choice green, the chosen one red, the explanation shown */
    quiz_play_answer(&p, 1);
    draw_list_clear(&dl);
    quiz_draw(&p, &dl, MSG_EN, 1600, 0, 900, 1);
    box_text(&dl, text, sizeof text);
    assert_non_null(strstr(text, "Not quite: the answer is Pending."));
    assert_non_null(strstr(text, "Because 1."));
    assert_non_null(strstr(text, "score 0/1"));
    assert_int_equal(dl.cmd[fx_find(&dl, DRAW_TAG_QUIZ, 0, 0)].fill, draw_rgb(0xDFF5DF));
    assert_int_equal(dl.cmd[fx_find(&dl, DRAW_TAG_QUIZ, 1, 0)].fill, draw_rgb(0xFBE0E0));
    /* in Korean */
    draw_list_clear(&dl);
    quiz_draw(&p, &dl, MSG_KO, 1600, 0, 900, 1);
    box_text(&dl, text, sizeof text);
    assert_non_null(strstr(text, "문제 1?"));
    assert_non_null(strstr(text, "아쉽다: 답은 Pending."));
    /* off: nothing */
    quiz_play_stop(&p);
    draw_list_clear(&dl);
    quiz_draw(&p, &dl, MSG_EN, 1600, 0, 900, 1);
    assert_int_equal(fx_count(&dl, DRAW_TAG_QUIZ), 0);
    draw_list_free(&dl);
}

/* pinata text --quiz: every question with its step and its right answer marked. */
static void quiz_write_should_mark_each_right_answer(void **s) {
    (void)s;
    doc d;
    quiz qz;
    open_doc(&d, SCN("s02_block_on"));
    build(&d, &qz);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(quiz_write(f, &qz, MSG_EN), 0);
    fclose(f);
    assert_non_null(strstr(text, "questions made from the run"));
    const char *at = text;
    for (size_t i = 0; i < qz.n; i++) {
        char want[QUIZ_ASK_LEN + 64];
        snprintf(want, sizeof want, "%2zu. step %ld: %s\n", i + 1, qz.q[i].step + 1, qz.q[i].ask[MSG_EN]);
        at = strstr(at, want);
        assert_non_null(at);
        snprintf(want, sizeof want, "%d) %s  <- the answer\n", qz.q[i].answer + 1, qz.q[i].choice[MSG_EN][qz.q[i].answer]);
        assert_non_null(strstr(at, want));
    }
    free(text);
    quiz_free(&qz);
    doc_close(&d);
    char out[8192];
    assert_int_equal(ut_pinata("text " SCN("s08_fuse") " --quiz --lang ko", out, sizeof out), 0);
    assert_non_null(strstr(out, "시나리오가 쓴 문제 3개"));
    assert_non_null(strstr(out, "1) Pending  <- 정답"));
}

/* The window's '?' overlay names the quiz key, in both languages. */
static void help_should_list_the_quiz_key(void **s) {
    (void)s;
    fx_page *p = fx_page_new();
    open_doc(&p->d, SCN("s02_block_on"));
    p->v.help = 1;
    for (int g = 0; g < 2; g++) {
        p->v.lang = (caption_lang)g;
        assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &p->dl, NULL), 0);
        int key = 0, text = 0;
        for (size_t i = 0; i < p->dl.n; i++) {
            const draw_cmd *c = &p->dl.cmd[i];
            if (c->tag != DRAW_TAG_HELP || c->op != DRAW_TEXT) continue;
            key += !strcmp(draw_cmd_text(&p->dl, c), "G");
            text += strstr(draw_cmd_text(&p->dl, c), g ? "퀴즈" : "quiz") != NULL;
        }
        assert_int_equal(key, 1);
        assert_int_equal(text, 1);
    }
    fx_page_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quiz_should_ask_s2_what_connect_returns_and_what_wakes_the_thread),
        cmocka_unit_test(quiz_should_ask_s6_on_which_worker_a_task_resumes),
        cmocka_unit_test(quiz_should_answer_from_the_trace_in_every_committed_trace),
        cmocka_unit_test(quiz_should_read_a_scenario_quiz_from_the_trace),
        cmocka_unit_test(quiz_should_refuse_bad_scenario_questions_in_one_line),
        cmocka_unit_test(quiz_should_take_s8s_own_questions_where_they_stand),
        cmocka_unit_test(a_scenario_quiz_should_be_left_out_of_another_run),
        cmocka_unit_test(s8_under_a_real_model_should_say_its_quiz_is_left_out),
        cmocka_unit_test(quiz_should_refuse_a_scenario_step_past_the_run),
        cmocka_unit_test(quiz_play_should_ask_answer_reveal_and_score),
        cmocka_unit_test(quiz_play_should_skip_and_not_ask_what_the_cursor_passed),
        cmocka_unit_test(quiz_draw_should_show_the_question_then_the_answer),
        cmocka_unit_test(help_should_list_the_quiz_key),
        cmocka_unit_test(quiz_write_should_mark_each_right_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
