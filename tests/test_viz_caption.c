/* viz/caption: the narration of steps, in English and Korean, follows the lecture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "viz/srcpanel.h"
#include "viz_fixture.h"

static int setup(void **s) {
    doc *d = calloc(1, sizeof *d);
    fx_open(d, "block_on", "t_caption.json", 1);
    *s = d;
    return 0;
}

static int teardown(void **s) {
    doc_close(*s);
    free(*s);
    remove("t_caption.json");
    return 0;
}

static const char *say(doc *d, int32_t ev, int end, caption_lang lang, char *buf) {
    return caption_step(&d->t, &d->ix, (uint32_t)ev * 2 + (uint32_t)end, lang, buf, 512);
}

static void caption_should_say_block_on_polls_A_from_the_top_first(void **s) {
    doc *d = *s;
    char buf[512];
    say(d, fx_poll(&d->t, "cheapo_request", 0), 0, CAPTION_EN, buf);
    assert_string_equal(buf, "block_on polls A (cheapo_request), poll 1: it runs from the top.");
}

static void caption_should_say_A_resumes_at_the_await_not_from_the_top(void **s) {
    doc *d = *s;
    char buf[512];
    say(d, fx_poll(&d->t, "cheapo_request", 1), 0, CAPTION_EN, buf);
    assert_non_null(strstr(buf, "polls A (cheapo_request) again, poll 2: it resumes at connect.await"));
    assert_non_null(strstr(buf, "not from the top"));
}

static void caption_should_say_B_returns_pending_and_keeps_its_waker(void **s) {
    doc *d = *s;
    char buf[512];
    say(d, fx_poll(&d->t, "connect", 0), 1, CAPTION_EN, buf);
    assert_non_null(strstr(buf, "B (connect) returns Pending to A (cheapo_request): not ready yet"));
    assert_non_null(strstr(buf, "the task's waker is registered and waits for fd 3 writable (example.com)"));
    say(d, fx_poll(&d->t, "connect", 0), 1, CAPTION_KO, buf);
    assert_non_null(strstr(buf, "B (connect)가 A (cheapo_request)에 Pending을 반환한다"));
    assert_non_null(strstr(buf, "웨이커가 등록되어 fd 3 쓰기 가능(상대 example.com)을 기다린다"));
}

static void caption_should_say_the_thread_parks_and_the_waker_wakes_the_task(void **s) {
    doc *d = *s;
    char buf[512];
    int parks = 0, wakes = 0;
    for (size_t i = 0; i < d->t.n; i++) {
        if (d->t.ev[i].kind == TLOAD_PARK) {
            say(d, (int32_t)i, 0, CAPTION_EN, buf);
            assert_non_null(strstr(buf, "Nothing to run: the thread parks (sleeps) until"));
            say(d, (int32_t)i, 0, CAPTION_KO, buf);
            assert_non_null(strstr(buf, "스레드가 잠든다(park). 태스크 1이 깨워질 때까지."));
            parks++;
        }
        if (d->t.ev[i].kind == TLOAD_WAKE) {
            say(d, (int32_t)i, 0, CAPTION_EN, buf);
            assert_non_null(strstr(buf, "the waker wakes task 1 (cheapo_request)"));
            wakes++;
        }
    }
    assert_int_equal(parks, 4);
    assert_int_equal(wakes, 4);
}

static void caption_should_narrate_every_step_in_both_languages(void **s) {
    doc *d = *s;
    char en[512], ko[512];
    for (size_t k = 0; k < d->ix.n_steps; k++) {
        caption_step(&d->t, &d->ix, d->ix.steps[k], CAPTION_EN, en, sizeof en);
        caption_step(&d->t, &d->ix, d->ix.steps[k], CAPTION_KO, ko, sizeof ko);
        assert_true(strlen(en) > 10);
        assert_true(strlen(ko) > 10);
    }
}

static void caption_should_say_the_task_finishes_ok_with_its_value(void **s) {
    doc *d = *s;
    char buf[512];
    int seen = 0;
    for (size_t i = 0; i < d->t.n; i++) {
        if (d->t.ev[i].kind != TLOAD_FINISH) continue;
        say(d, (int32_t)i, 0, CAPTION_EN, buf);
        assert_string_equal(buf, "Task 1 (cheapo_request) finishes after 5 polls: ok, value 1836.");
        seen++;
    }
    assert_int_equal(seen, 1);
}

/* ---- the catalogue's committed traces ------------------------------------------------ */

static const char *const CATALOGUE[] = {
    "s01_sync_threads", "s02_block_on", "s03_many_requests", "s04_owning_request", "s05_async_block",
    "s06_spawn_pool", "s07_compute_pool", "s07_compute_spawn_local", "s08_fuse", "s09_busy_poll",
    "s09_parking", "block_on", "many_requests", "failing_host", "lost_wakeup", "chat_server",
    "chat_server_threads", "s02_block_on.async-std", "s03_many_requests.async-std", "s03_many_requests.tokio",
    "s08_fuse.tokio", "s08_fuse.async-std"};

static void open_trace(doc *d, const char *name) {
    char path[512], err[1024];
    snprintf(path, sizeof path, "%s/traces/%s.trace.json", PINATA_SOURCE_DIR, name);
    if (doc_open(d, path, 1, NULL, err, sizeof err)) fail_msg("%s", err);
}

static const char *step_say(doc *d, size_t k, caption_lang lang, char *buf, size_t len) {
    return caption_step(&d->t, &d->ix, d->ix.steps[k], lang, buf, len);
}

/* "connect.await" -> "connect": the name an await point's source line contains. */
static const char *await_name(const char *at, char *buf, size_t len) {
    snprintf(buf, len, "%s", at);
    char *dot = strstr(buf, ".await");
    if (dot) *dot = '\0';
    char *sp = strchr(buf, ' ');
    if (sp) *sp = '\0';
    return buf;
}

/* S2..S8: at every step of a state machine's poll, the lit line is the line the caption
 * talks about: its start the await it resumes at (or the fn, from the top), its Pending the
 * await it stopped at; a leaf is never said to resume at an await. */
static void the_lit_line_should_be_the_line_the_caption_talks_about(void **s) {
    (void)s;
    static const char *const scn[] = {"s02_block_on", "s03_many_requests", "s04_owning_request",
                                      "s05_async_block", "s06_spawn_pool", "s07_compute_pool",
                                      "s07_compute_spawn_local", "s08_fuse", "lost_wakeup", "failing_host",
                                      "s09_parking", "s09_busy_poll"};
    int checked = 0;
    for (size_t i = 0; i < sizeof scn / sizeof scn[0]; i++) {
        doc d;
        open_trace(&d, scn[i]);
        for (size_t k = 0; k < d.ix.n_steps; k++) {
            const tload_event *e = &d.t.ev[tindex_step_event(d.ix.steps[k])];
            if (e->kind != TLOAD_POLL) continue;
            int end = tindex_step_is_end(d.ix.steps[k]);
            char cap[1024], want[128];
            step_say(&d, k, CAPTION_EN, cap, sizeof cap);
            int32_t line = srcpanel_line(&d.t, &d.ix, (long)k);
            assert_true(line > 0);
            const char *src = tload_str(&d.t, d.t.source[line - 1]);
            if (e->flags & TLOAD_F_LEAF) {
                assert_null(strstr(cap, "resumes at"));
                continue;
            }
            const char *point = tload_str(&d.t, end ? e->s2 : e->s1);
            if (end && e->result != TLOAD_RES_PENDING) continue;
            if (!end && !strcmp(point, "start")) {
                if (!strstr(src, "fn ") && !strstr(src, "async")) fail_msg("%s step %zu: line %d \"%s\" for \"%s\"", scn[i], k + 1, line, src, cap);
                assert_non_null(strstr(cap, "from the top"));
            } else {
                assert_non_null(strstr(cap, point)); /* the caption names the await ... */
                /* ... and its line is lit (a JoinHandle's await is "handle.await" whatever the
                 * handle is called in the source: its line has an .await) */
                const char *name = strcmp(point, "handle.await") ? await_name(point, want, sizeof want) : ".await";
                if (!strstr(src, name))
                    fail_msg("%s step %zu: line %d \"%s\" for \"%s\"", scn[i], k + 1, line, src, cap);
            }
            checked++;
        }
        doc_close(&d);
    }
    assert_true(checked > 50);
}

/* No Korean caption of any catalogue step keeps an English fragment of what the simulator
 * writes about the network, timers and tasks. */
static void korean_captions_should_not_keep_english_network_labels_and_fit_the_caption_box(void **s) {
    (void)s;
    static const char *const english[] = {"readable", "writable", "connected", " sent ", " bytes", "EOF from",
                                          "refused by", "reset by", "woken", "finishing", "finished", "elapsed",
                                          "unlocked", "network", "timer", "Network", "the run ended", "locking",
                                          "reading", "sleeping", "polled again", "other work", "said Pending"};
    size_t steps = 0;
    for (size_t i = 0; i < sizeof CATALOGUE / sizeof CATALOGUE[0]; i++) {
        doc d;
        open_trace(&d, CATALOGUE[i]);
        for (size_t k = 0; k < d.ix.n_steps; k++, steps++) {
            char cap[1024], en[1024];
            step_say(&d, k, CAPTION_KO, cap, sizeof cap);
            step_say(&d, k, CAPTION_EN, en, sizeof en);
            /* the caption box holds 511 bytes: nothing may be cut, least of all inside a UTF-8 character */
            if (strlen(cap) >= 480 || strlen(en) >= 480) fail_msg("%s step %zu: %zu / %zu bytes", CATALOGUE[i], k + 1, strlen(en), strlen(cap));
            for (size_t w = 0; w < sizeof english / sizeof english[0]; w++)
                if (strstr(cap, english[w])) fail_msg("%s step %zu: \"%s\" in \"%s\"", CATALOGUE[i], k + 1, english[w], cap);
        }
        doc_close(&d);
    }
    assert_true(steps > 1000);
}

/* lost_wakeup: the deadlock is told after the last poll, and block_on is not said to return. */
static void a_deadlocked_run_should_not_say_block_on_returns(void **s) {
    (void)s;
    doc d;
    open_trace(&d, "lost_wakeup");
    long dead = -1, last_poll_end = -1, exec_end = -1;
    for (size_t k = 0; k < d.ix.n_steps; k++) {
        const tload_event *e = &d.t.ev[tindex_step_event(d.ix.steps[k])];
        int end = tindex_step_is_end(d.ix.steps[k]);
        if (e->kind == TLOAD_DEADLOCK) dead = (long)k;
        if (e->kind == TLOAD_POLL && end) last_poll_end = (long)k;
        if (e->kind == TLOAD_EXECUTOR && end) exec_end = (long)k;
        char cap[1024];
        step_say(&d, k, CAPTION_EN, cap, sizeof cap);
        assert_null(strstr(cap, "block_on returns"));
    }
    assert_true(dead > last_poll_end);
    char cap[1024];
    assert_non_null(strstr(step_say(&d, (size_t)exec_end, CAPTION_EN, cap, sizeof cap), "block_on never returns"));
    doc_close(&d);
}

/* S8: the poll after Ready is a bug Rust panics on (pinata simplifies); a finished Fuse
 * returns Pending without an await and without a waker. */
static void s08_should_say_what_rust_does_after_ready_and_what_a_fuse_does(void **s) {
    (void)s;
    doc d;
    open_trace(&d, "s08_fuse");
    int lint = 0, fused = 0;
    for (size_t k = 0; k < d.ix.n_steps; k++) {
        const tload_event *e = &d.t.ev[tindex_step_event(d.ix.steps[k])];
        char cap[1024];
        step_say(&d, k, CAPTION_EN, cap, sizeof cap);
        if (e->kind == TLOAD_LINT) {
            assert_non_null(strstr(cap, "panics"));
            assert_non_null(strstr(cap, "pinata simplifies"));
            lint++;
        }
        if (e->kind == TLOAD_POLL && !strcmp(tload_str(&d.t, e->s1), "fused")) {
            assert_null(strstr(cap, "resumes"));
            assert_null(strstr(cap, "waker is kept"));
            if (tindex_step_is_end(d.ix.steps[k])) assert_non_null(strstr(cap, "registers no waker"));
            fused++;
        }
    }
    assert_int_equal(lint, 1);
    assert_int_equal(fused, 2);
    doc_close(&d);
}

/* The real models: a root poll made for a sibling's wake names that task and says nothing was
 * ready; a spurious connect poll says why; in both languages. */
static void a_poll_for_another_tasks_wake_should_name_that_task(void **s) {
    (void)s;
    const char *const traces[] = {"s03_many_requests.tokio", "s03_many_requests.async-std"};
    for (int n = 0; n < 2; n++) {
        doc d;
        open_trace(&d, traces[n]);
        int said = 0, spurious = 0;
        for (size_t k = 0; k < d.ix.n_steps; k++) {
            size_t i = tindex_step_event(d.ix.steps[k]);
            const tload_event *e = &d.t.ev[i];
            int32_t by = tload_woken_by(&d.t, i);
            if (e->kind != TLOAD_POLL || !by) continue;
            char en[1024], ko[1024], want[64];
            step_say(&d, k, CAPTION_EN, en, sizeof en);
            step_say(&d, k, CAPTION_KO, ko, sizeof ko);
            int end = tindex_step_is_end(d.ix.steps[k]);
            if (by > 0 && e->parent < 0) {
                snprintf(want, sizeof want, end ? "Nothing is ready for many_requests" : "because task %d was woken", by);
                if (!strstr(en, want)) fail_msg("%s step %zu: \"%s\" not in \"%s\"", traces[n], k + 1, want, en);
                snprintf(want, sizeof want, end ? "진전 없는 poll" : "태스크 %d", by);
                if (!strstr(ko, want)) fail_msg("%s step %zu: \"%s\" not in \"%s\"", traces[n], k + 1, want, ko);
                said++;
            }
            if (by == TLOAD_WOKEN_SPURIOUS && (e->flags & TLOAD_F_LEAF)) {
                assert_non_null(strstr(en, end ? "the wake was spurious" : "async-io does not trust"));
                spurious++;
            }
        }
        assert_true(said >= 20); /* each of >= 10 no-progress root polls, start and end */
        assert_int_equal(spurious, n == 1 ? 2 : 0);
        doc_close(&d);
    }
}

/* S8 under tokio: the panic is told where it happens, every poll it unwinds through does
 * not return, the task ends with it and block_on resumes it (exit status 101). */
static void s08_under_tokio_should_tell_the_panic_and_its_unwinding(void **s) {
    (void)s;
    doc d;
    open_trace(&d, "s08_fuse.tokio");
    int panic = 0, unwound = 0, finish = 0, resumed = 0;
    for (size_t k = 0; k < d.ix.n_steps; k++) {
        const tload_event *e = &d.t.ev[tindex_step_event(d.ix.steps[k])];
        int end = tindex_step_is_end(d.ix.steps[k]);
        char en[1024];
        step_say(&d, k, CAPTION_EN, en, sizeof en);
        if (e->kind == TLOAD_PANIC) panic += strstr(en, "panics: \"`async fn` resumed after completion\"") != NULL;
        if (e->kind == TLOAD_POLL && end && e->result == TLOAD_RES_PANIC) unwound += strstr(en, "does not return") != NULL;
        if (e->kind == TLOAD_FINISH) finish += strstr(en, "ends with a panic") != NULL;
        if (e->kind == TLOAD_EXECUTOR && end) resumed += strstr(en, "status 101") != NULL;
        assert_null(strstr(en, "pinata simplifies")); /* no lint here: Rust's panic itself */
    }
    assert_int_equal(panic, 1);
    assert_int_equal(unwound, 2); /* connect, then main */
    assert_int_equal(finish, 1);
    assert_int_equal(resumed, 1);
    doc_close(&d);
}

/* failing_host: ECONNREFUSED is a Ready(Err) that the ? returns, not a success. */
static void failing_host_should_say_the_error_is_returned_by_the_question_mark(void **s) {
    (void)s;
    doc d;
    open_trace(&d, "failing_host");
    int refused = 0, failed = 0;
    for (size_t k = 0; k < d.ix.n_steps; k++) {
        const tload_event *e = &d.t.ev[tindex_step_event(d.ix.steps[k])];
        char cap[1024];
        step_say(&d, k, CAPTION_EN, cap, sizeof cap);
        if (e->kind == TLOAD_POLL && tindex_step_is_end(d.ix.steps[k]) && e->s2 && e->result == TLOAD_RES_READY) {
            assert_non_null(strstr(cap, "Ready(Err("));
            assert_null(strstr(cap, "goes on"));
            refused += strstr(cap, "ECONNREFUSED") && strstr(cap, "the ? after it returns that error");
        }
        if (e->kind == TLOAD_FINISH && strstr(cap, "with an error: ")) failed++;
    }
    assert_int_equal(refused, 1);
    assert_int_equal(failed, 2);
    doc_close(&d);
}

/* S1 is synchronous code: no futures, no wakers, no non-blocking calls are narrated as
 * Rust's; a call that blocks is not said to return. */
static void sync_threads_should_not_be_narrated_as_async(void **s) {
    (void)s;
    doc d;
    open_trace(&d, "s01_sync_threads");
    static const char *const async_words[] = {"creates future", "Non-blocking", "waker is cloned", "waker is dropped",
                                              "waker is registered", "will be polled again"};
    int blocked = 0, main_returns = 0;
    for (size_t k = 0; k < d.ix.n_steps; k++) {
        char cap[1024];
        step_say(&d, k, CAPTION_EN, cap, sizeof cap);
        for (size_t w = 0; w < sizeof async_words / sizeof async_words[0]; w++)
            if (strstr(cap, async_words[w])) fail_msg("step %zu: \"%s\"", k + 1, cap);
        blocked += strstr(cap, "is blocked in a system call") != NULL;
        main_returns += !strncmp(cap, "main returns to its caller", 26);
    }
    assert_true(blocked >= 4);
    assert_int_equal(main_returns, 1); /* once, at the end: a blocked main has not returned */
    doc_close(&d);
}

/* The detail popup of a clicked poll, read from the draw list, in the view's language. */
static void the_detail_popup_should_speak_the_views_language(void **s) {
    (void)s;
    fx_page *p = fx_page_new();
    open_trace(&p->d, "s02_block_on");
    p->v.sel_event = fx_poll(&p->d.t, "cheapo_request", 1);
    char all[2048];
    for (int ko = 0; ko < 2; ko++) {
        p->v.lang = ko ? CAPTION_KO : CAPTION_EN;
        assert_int_equal(layout_build(&p->d.t, &p->d.ix, &p->d.ax, &p->v, &p->dl, NULL), 0);
        all[0] = '\0';
        for (size_t i = 0; i < p->dl.n; i++)
            if (p->dl.cmd[i].tag == DRAW_TAG_DETAIL && p->dl.cmd[i].op == DRAW_TEXT) {
                size_t n = strlen(all);
                snprintf(all + n, sizeof all - n, "%s|", draw_cmd_text(&p->dl, &p->dl.cmd[i]));
            }
        if (ko) {
            assert_non_null(strstr(all, "재개한 곳: connect.await"));
            assert_non_null(strstr(all, "깨운 것: fd 3: 상대 example.com, 연결됨"));
            assert_null(strstr(all, "woken by"));
        } else {
            assert_non_null(strstr(all, "resumed at: connect.await"));
            assert_non_null(strstr(all, "woken by: fd 3 connected to example.com"));
        }
    }
    fx_page_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(caption_should_say_block_on_polls_A_from_the_top_first, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_A_resumes_at_the_await_not_from_the_top, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_B_returns_pending_and_keeps_its_waker, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_the_thread_parks_and_the_waker_wakes_the_task, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_narrate_every_step_in_both_languages, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_the_task_finishes_ok_with_its_value, setup, teardown),
    };
    const struct CMUnitTest catalogue[] = {
        cmocka_unit_test(the_lit_line_should_be_the_line_the_caption_talks_about),
        cmocka_unit_test(korean_captions_should_not_keep_english_network_labels_and_fit_the_caption_box),
        cmocka_unit_test(a_deadlocked_run_should_not_say_block_on_returns),
        cmocka_unit_test(s08_should_say_what_rust_does_after_ready_and_what_a_fuse_does),
        cmocka_unit_test(a_poll_for_another_tasks_wake_should_name_that_task),
        cmocka_unit_test(s08_under_tokio_should_tell_the_panic_and_its_unwinding),
        cmocka_unit_test(failing_host_should_say_the_error_is_returned_by_the_question_mark),
        cmocka_unit_test(the_detail_popup_should_speak_the_views_language),
        cmocka_unit_test(sync_threads_should_not_be_narrated_as_async),
    };
    return cmocka_run_group_tests(tests, NULL, NULL) + cmocka_run_group_tests(catalogue, NULL, NULL);
}
