/* viz/textline: the text timeline for terminals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "viz_fixture.h"
#include "viz/textline.h"

static void strip_should_show_polls_and_parks_on_the_main_thread(void **s) {
    (void)s;
    doc d;
    fx_open(&d, "block_on", "t_text.json", 1);
    char strip[128];
    int32_t main_lane = tindex_lane_of_tid(&d.ix, 1);
    textline_strip(&d.t, &d.ix, &d.ax, (size_t)main_lane, 72, strip);
    assert_int_equal(strlen(strip), 72);
    assert_non_null(strchr(strip, '#'));
    assert_non_null(strchr(strip, '~'));
    /* alternation: poll, park, poll ... four parks between five bursts of polls */
    int runs = 0;
    for (int i = 0; i < 72; i++) runs += strip[i] == '~' && (i == 0 || strip[i - 1] != '~');
    assert_int_equal(runs, 4);
    int32_t os = tindex_lane_of_tid(&d.ix, 1000);
    textline_strip(&d.t, &d.ix, &d.ax, (size_t)os, 72, strip);
    assert_non_null(strchr(strip, '!'));
    doc_close(&d);
    remove("t_text.json");
}

static void text_should_list_every_step_in_words(void **s) {
    (void)s;
    doc d;
    fx_open(&d, "block_on", "t_text2.json", 1);
    FILE *f = tmpfile();
    textline_opts o = {.width = 60, .lang = CAPTION_EN};
    assert_int_equal(textline_write(f, &d.t, &d.ix, &d.ax, &o), 0);
    rewind(f);
    char line[1024];
    size_t steps = 0;
    int saw_park = 0, saw_title = 0;
    while (fgets(line, sizeof line, f)) {
        int k;
        if (sscanf(line, "%d ", &k) == 1 && k == (int)steps + 1) steps++;
        saw_park |= strstr(line, "the thread parks") != NULL;
        saw_title |= strstr(line, "pinata — S2") != NULL;
    }
    assert_int_equal(steps, d.ix.n_steps);
    assert_true(saw_park);
    assert_true(saw_title);
    fclose(f);
    doc_close(&d);
    remove("t_text2.json");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strip_should_show_polls_and_parks_on_the_main_thread),
        cmocka_unit_test(text_should_list_every_step_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
