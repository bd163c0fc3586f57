/* viz/msg: the message table, its particles, and the simulator's phrases in Korean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "viz/msg.h"

static void josa_should_follow_the_final_sound_of_a_hangul_word(void **s) {
    (void)s;
    assert_string_equal(msg_josa("스레드", "이가"), "가");
    assert_string_equal(msg_josa("연결", "이가"), "이");
    assert_string_equal(msg_josa("연결", "으로"), "로");  /* ㄹ takes 로 */
    assert_string_equal(msg_josa("실행기", "으로"), "로");
    assert_string_equal(msg_josa("웨이커", "을를"), "를");
    assert_string_equal(msg_josa("태스크", "은는"), "는");
    assert_string_equal(msg_josa("끝", "과와"), "과");
}

static void josa_should_read_digits_and_single_letters_by_their_names(void **s) {
    (void)s;
    assert_string_equal(msg_josa("태스크 1", "이가"), "이");   /* 일 */
    assert_string_equal(msg_josa("태스크 1", "으로"), "로");   /* 일: ㄹ */
    assert_string_equal(msg_josa("태스크 2", "이가"), "가");   /* 이 */
    assert_string_equal(msg_josa("fd 3", "을를"), "을");       /* 삼 */
    assert_string_equal(msg_josa("태스크 10", "이가"), "이");  /* 십: 0 reads 영 alone, 십 after 1 */
    assert_string_equal(msg_josa("B (connect)", "을를"), "를"); /* 비, not connect */
    assert_string_equal(msg_josa("M (x)", "을를"), "을");      /* 엠 */
    assert_string_equal(msg_josa("L", "으로"), "로");          /* 엘 */
}

static void josa_should_read_latin_words_by_their_last_sound(void **s) {
    (void)s;
    assert_string_equal(msg_josa("block_on", "으로"), "으로");       /* 온 */
    assert_string_equal(msg_josa("example.com", "과와"), "과");      /* 컴 */
    assert_string_equal(msg_josa("read_to_string", "을를"), "을");   /* 스트링 */
    assert_string_equal(msg_josa("connect", "을를"), "를");          /* 커넥트 */
    assert_string_equal(msg_josa("fetch", "이가"), "가");            /* 페치 */
    assert_string_equal(msg_josa("main", "이가"), "이");             /* 메인 */
    assert_string_equal(msg_josa("write_all", "으로"), "로");        /* 올: ㄹ */
    assert_string_equal(msg_josa("write_all", "이가"), "이");
    assert_string_equal(msg_josa("JoinHandle", "이가"), "이");       /* 핸들 */
    assert_string_equal(msg_josa("sleep", "을를"), "을");            /* 슬립 */
    assert_string_equal(msg_josa("'static", "을를"), "을");          /* 스태틱 */
    assert_string_equal(msg_josa("S3", "과와"), "과");               /* 에스삼 */
    assert_string_equal(msg_josa("en.wikipedia.org", "이가"), "가"); /* 오알지: g reads 그/지 */
    assert_string_equal(msg_josa("`spawn`", "이가"), "이");          /* quotes are skipped */
}

static void fmt_should_fill_arguments_and_choose_particles_after_them(void **s) {
    (void)s;
    char buf[256];
    /* the particle follows what the argument put before it */
    MSG_FMT(buf, sizeof buf, MSG_KO, MSG_SIM_TASK_WOKEN, "1");
    assert_string_equal(buf, "태스크 1이 깨워질 때");
    MSG_FMT(buf, sizeof buf, MSG_KO, MSG_SIM_TASK_WOKEN, "2");
    assert_string_equal(buf, "태스크 2가 깨워질 때");
    MSG_FMT(buf, sizeof buf, MSG_EN, MSG_STEP_OF, "3", "75");
    assert_string_equal(buf, "step 3 of 75");
    char small[8];
    MSG_FMT(small, sizeof small, MSG_EN, MSG_STEP_OF, "3", "75");
    assert_string_equal(small, "step 3 ");
}

/* The arguments used by a template, as a bit set. */
static unsigned args_of(const char *t) {
    unsigned set = 0;
    for (const char *p = t; (p = strchr(p, '{')); p++)
        if (p[1] >= '1' && p[1] <= '9' && p[2] == '}') set |= 1u << (p[1] - '1');
    return set;
}

static void every_message_should_exist_in_both_languages_with_the_same_arguments(void **s) {
    (void)s;
    for (int id = 0; id < MSG_COUNT; id++) {
        const char *en = msg_template((msg_id)id, MSG_EN), *ko = msg_template((msg_id)id, MSG_KO);
        if (!*en || !*ko) fail_msg("message %d lacks a language", id);
        if (args_of(en) != args_of(ko)) fail_msg("message %d: \"%s\" and \"%s\" use different arguments", id, en, ko);
        assert_null(strstr(en, "{이가}")); /* particles belong to Korean */
    }
}

static void translate_should_rewrite_the_simulators_phrases_in_korean(void **s) {
    (void)s;
    char buf[256];
    msg_translate("fd 3 readable: example.com sent 512 bytes", MSG_KO, buf, sizeof buf);
    assert_string_equal(buf, "fd 3 읽기 가능: example.com에서 512바이트가 왔다");
    msg_translate("fd 3 readable: example.com sent 300 bytes and EOF", MSG_KO, buf, sizeof buf);
    assert_string_equal(buf, "fd 3 읽기 가능: example.com에서 300바이트와 EOF가 왔다");
    msg_translate("task 12 woken", MSG_KO, buf, sizeof buf);
    assert_string_equal(buf, "태스크 12가 깨워질 때");
    msg_translate("fd 4 writable (en.wikipedia.org)", MSG_KO, buf, sizeof buf);
    assert_string_equal(buf, "fd 4 쓰기 가능(상대 en.wikipedia.org)");
    /* English stays as it is; an unknown phrase is copied */
    msg_translate("task 12 woken", MSG_EN, buf, sizeof buf);
    assert_string_equal(buf, "task 12 woken");
    msg_translate("a scenario's own words", MSG_KO, buf, sizeof buf);
    assert_string_equal(buf, "a scenario's own words");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(josa_should_follow_the_final_sound_of_a_hangul_word),
        cmocka_unit_test(josa_should_read_digits_and_single_letters_by_their_names),
        cmocka_unit_test(josa_should_read_latin_words_by_their_last_sound),
        cmocka_unit_test(fmt_should_fill_arguments_and_choose_particles_after_them),
        cmocka_unit_test(every_message_should_exist_in_both_languages_with_the_same_arguments),
        cmocka_unit_test(translate_should_rewrite_the_simulators_phrases_in_korean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
