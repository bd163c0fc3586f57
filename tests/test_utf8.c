/* trace/utf8: walking text from files we did not write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "trace/utf8.h"

static void decode_should_read_one_to_four_bytes(void **s) {
    (void)s;
    uint32_t cp;
    assert_int_equal(utf8_decode("a", &cp), 1); assert_int_equal(cp, 'a');
    assert_int_equal(utf8_decode("\xc3\xa9", &cp), 2); assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode("\xed\x95\x9c", &cp), 3); assert_int_equal(cp, 0xD55C); /* 한 */
    assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", &cp), 4); assert_int_equal(cp, 0x1F600);
}

static void decode_should_take_one_byte_of_what_is_invalid(void **s) {
    (void)s;
    const char *bad[] = {"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80" /* a surrogate */, "\xf4\x90\x80\x80",
                         "\xe0\x80\x80" /* overlong */, "\xed\x95" /* cut before the NUL */};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp;
        assert_int_equal(utf8_decode(bad[i], &cp), 1);
        assert_int_equal(cp, UTF8_BAD);
    }
}

static void valid_and_repair_should_agree(void **s) {
    (void)s;
    char out[64];
    assert_true(utf8_valid("caf\xc3\xa9 \xef\xbf\xbd", 9));
    assert_false(utf8_valid("a\0b", 3));
    assert_false(utf8_valid("a\xed\x95", 3));
    assert_int_equal(utf8_repair("a\xed\x95" "b", 4, out), 8);
    assert_string_equal(out, "a\xef\xbf\xbd\xef\xbf\xbd" "b");
    assert_true(utf8_valid(out, strlen(out)));
}

static void cut_should_never_split_a_character(void **s) {
    (void)s;
    const char *k = "\xed\x95\x9c\xea\xb8\x80"; /* 한글 */
    assert_int_equal(utf8_cut(k, 0), 0);
    assert_int_equal(utf8_cut(k, 1), 0);
    assert_int_equal(utf8_cut(k, 2), 0);
    assert_int_equal(utf8_cut(k, 3), 3);
    assert_int_equal(utf8_cut(k, 5), 3);
    assert_int_equal(utf8_cut(k, 6), 6);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_should_read_one_to_four_bytes),
        cmocka_unit_test(decode_should_take_one_byte_of_what_is_invalid),
        cmocka_unit_test(valid_and_repair_should_agree),
        cmocka_unit_test(cut_should_never_split_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
