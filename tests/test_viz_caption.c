/* viz/caption: the narration of steps, in English and Korean, follows the lecture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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
    assert_non_null(strstr(buf, "polls A (cheapo_request) again, poll 2: it resumes at the await on"));
    assert_non_null(strstr(buf, "not from the top"));
}

static void caption_should_say_B_returns_pending_and_keeps_its_waker(void **s) {
    doc *d = *s;
    char buf[512];
    say(d, fx_poll(&d->t, "connect", 0), 1, CAPTION_EN, buf);
    assert_non_null(strstr(buf, "B (connect) returns Pending to A (cheapo_request): not ready yet"));
    assert_non_null(strstr(buf, "its waker is kept"));
    say(d, fx_poll(&d->t, "connect", 0), 1, CAPTION_KO, buf);
    assert_non_null(strstr(buf, "B (connect)가 A (cheapo_request)에 Pending을 반환한다"));
    assert_non_null(strstr(buf, "웨이커를 보관해 둔다"));
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
            assert_non_null(strstr(buf, "스레드가 잠자기 상태에 들어간다"));
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

static void josa_should_follow_the_last_sound_of_the_word(void **s) {
    (void)s;
    assert_string_equal(caption_ko_josa("태스크 1", "이", "가"), "이");   /* 일 */
    assert_string_equal(caption_ko_josa("태스크 2", "이", "가"), "가");   /* 이 */
    assert_string_equal(caption_ko_josa("B (connect)", "을", "를"), "를"); /* 비 */
    assert_string_equal(caption_ko_josa("M (x)", "을", "를"), "을");       /* 엠 */
    assert_string_equal(caption_ko_josa("block_on", "이", "가"), "이");    /* 온 */
    assert_string_equal(caption_ko_josa("스레드", "이", "가"), "가");
    assert_string_equal(caption_ko_josa("연결", "이", "가"), "이");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(caption_should_say_block_on_polls_A_from_the_top_first, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_A_resumes_at_the_await_not_from_the_top, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_B_returns_pending_and_keeps_its_waker, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_the_thread_parks_and_the_waker_wakes_the_task, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_narrate_every_step_in_both_languages, setup, teardown),
        cmocka_unit_test_setup_teardown(caption_should_say_the_task_finishes_ok_with_its_value, setup, teardown),
        cmocka_unit_test(josa_should_follow_the_last_sound_of_the_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
