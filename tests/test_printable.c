/* printable: what an input says reaches the terminal as text, never as a control sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "trace/printable.h"

static const char *p(const char *s, int flags) {
    static char buf[256];
    printable(buf, sizeof buf, s, flags);
    return buf;
}

static void escape_sequences_should_become_visible_text(void **s) {
    (void)s;
    assert_string_equal(p("a\x1b[31mred\x1b[0m", 0), "a\\x1b[31mred\\x1b[0m");
    assert_string_equal(p("\x1b]0;title\x07", 0), "\\x1b]0;title\\x07");
    assert_string_equal(p("tab\there\rdel\x7f", 0), "tab\\x09here\\x0ddel\\x7f");
}

static void newlines_should_be_kept_only_when_asked(void **s) {
    (void)s;
    assert_string_equal(p("one\ntwo\n", 0), "one\\x0atwo\\x0a");
    assert_string_equal(p("one\ntwo\n", PRINTABLE_KEEP_NEWLINES), "one\ntwo\n");
}

static void utf8_text_should_pass_and_c1_controls_and_bad_bytes_should_not(void **s) {
    (void)s;
    assert_string_equal(p("폴링한다 — µs ☃ 𝄞", 0), "폴링한다 — µs ☃ 𝄞");
    assert_string_equal(p("a\xc2\x9b" "31m", 0), "a\\xc2\\x9b31m"); /* U+009B, the one-byte CSI */
    assert_string_equal(p("\xff\xfe", 0), "\\xff\\xfe");
    assert_string_equal(p("\xc0\x80", 0), "\\xc0\\x80");                  /* overlong NUL */
    assert_string_equal(p("\xed\xa0\x80", 0), "\\xed\\xa0\\x80");          /* a surrogate */
    assert_string_equal(p("\xea\xb0", 0), "\\xea\\xb0");                   /* cut short */
}

static void a_small_buffer_should_end_on_a_whole_character_or_escape(void **s) {
    (void)s;
    char buf[6];
    assert_int_equal(printable(buf, sizeof buf, "ab\x1b" "cd", 0), 2); /* "\x1b" does not fit after "ab" */
    assert_string_equal(buf, "ab");
    assert_int_equal(printable(buf, sizeof buf, "a한글", 0), 4); /* 글 does not fit */
    assert_string_equal(buf, "a한");
    assert_int_equal(printable(buf, 1, "abc", 0), 0);
    assert_string_equal(buf, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_sequences_should_become_visible_text),
        cmocka_unit_test(newlines_should_be_kept_only_when_asked),
        cmocka_unit_test(utf8_text_should_pass_and_c1_controls_and_bad_bytes_should_not),
        cmocka_unit_test(a_small_buffer_should_end_on_a_whole_character_or_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
