/* viz/draw: the draw-command list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "viz/draw.h"

static void hit_should_find_the_topmost_command_with_a_ref(void **s) {
    (void)s;
    draw_list d;
    draw_list_init(&d, 100, 100, 0xFFFFFFFF);
    draw_rect(&d, 0, 0, 50, 50, 0xFF, 0, 0)->ref = 1;
    draw_rect(&d, 10, 10, 20, 20, 0xFF, 0, 0)->ref = 2;
    draw_rect(&d, 12, 12, 5, 5, 0xFF, 0, 0); /* no ref: never hit */
    assert_int_equal(d.cmd[draw_hit(&d, 15, 15)].ref, 2);
    assert_int_equal(d.cmd[draw_hit(&d, 5, 5)].ref, 1);
    assert_int_equal(draw_hit(&d, 80, 80), -1);
    draw_list_free(&d);
}

static void hit_should_keep_one_pixel_bars_clickable(void **s) {
    (void)s;
    draw_list d;
    draw_list_init(&d, 100, 100, 0xFFFFFFFF);
    draw_rect(&d, 40, 0, 0.5f, 10, 0xFF, 0, 0)->ref = 7;
    assert_true(draw_hit(&d, 41, 5) >= 0);
    draw_list_free(&d);
}

static void text_should_be_stored_and_measured(void **s) {
    (void)s;
    draw_list d;
    draw_list_init(&d, 100, 100, 0xFFFFFFFF);
    draw_cmd *c = draw_text(&d, 1, 2, "connect", 10, 0xFF, DRAW_LEFT, 0);
    assert_string_equal(draw_cmd_text(&d, c), "connect");
    for (int i = 0; i < 2000; i++) draw_text(&d, 1, 2, "grow the arena", 10, 0xFF, DRAW_LEFT, 0);
    assert_string_equal(draw_cmd_text(&d, &d.cmd[0]), "connect");
    assert_true(draw_text_width("mmmm", 10) > draw_text_width("iiii", 10));
    assert_true(draw_text_width("태스크", 10) > draw_text_width("abc", 10)); /* Hangul is full width */
    draw_list_free(&d);
}

static void arrow_head_should_point_at_the_end(void **s) {
    (void)s;
    draw_list d;
    draw_list_init(&d, 100, 100, 0xFFFFFFFF);
    draw_cmd *c = draw_arrow(&d, 10, 90, 10, 10, 0xFF, 1);
    float h[6];
    draw_arrow_head(c, h);
    assert_true(h[0] == 10 && h[1] == 10);
    assert_true(h[3] > 10 && h[5] > 10); /* the base lies back along the line */
    draw_list_free(&d);
}

static void mix_should_blend_channels_and_keep_alpha(void **s) {
    (void)s;
    assert_int_equal(draw_mix(0x000000FF, 0xFFFFFFFF, 0.5f), 0x808080FF);
    assert_int_equal(draw_alpha(0x12345680, 0.5f), 0x12345640);
}

/* A character cut at the end of a string (the old loader cut titles so): the width walk
 * stops at the NUL instead of stepping over it into what follows in memory. */
static void text_width_should_stop_at_the_nul_after_a_cut_character(void **s) {
    (void)s;
    const char cut_then_more[] = {'a', (char)0xED, (char)0x95, 0, 'W', 'W', 'W', 'W', 'W', 'W', 0};
    const char cut_then_zeros[] = {'a', (char)0xED, (char)0x95, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_true(draw_text_width(cut_then_more, 10) == draw_text_width(cut_then_zeros, 10));
    const char four_cut[] = {(char)0xF0, (char)0x9F, 0, 'W', 'W', 'W', 'W', 0};
    const char four_cut_zeros[] = {(char)0xF0, (char)0x9F, 0, 0, 0, 0, 0, 0};
    assert_true(draw_text_width(four_cut, 10) == draw_text_width(four_cut_zeros, 10));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hit_should_find_the_topmost_command_with_a_ref),
        cmocka_unit_test(hit_should_keep_one_pixel_bars_clickable),
        cmocka_unit_test(text_should_be_stored_and_measured),
        cmocka_unit_test(text_width_should_stop_at_the_nul_after_a_cut_character),
        cmocka_unit_test(arrow_head_should_point_at_the_end),
        cmocka_unit_test(mix_should_blend_channels_and_keep_alpha),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
