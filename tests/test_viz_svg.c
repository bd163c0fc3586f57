/* viz/svg: the SVG is well-formed XML with real text, for a real run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/wait.h>

#include "viz_fixture.h"
#include "viz/svg.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    return b;
}

/* Lays out d (1400 wide) in the view's step and language, and writes it to path. */
static void write_svg(doc *d, long step, caption_lang lang, const char *path) {
    char err[512];
    layout_view v;
    layout_view_init(&v, 1400, 0);
    v.step = step;
    v.lang = lang;
    draw_list dl;
    draw_list_init(&dl, 1400, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d->t, &d->ix, &d->ax, &v, &dl, NULL), 0);
    assert_int_equal(svg_write(&dl, path, err, sizeof err), 0);
    draw_list_free(&dl);
}

static void export_svg(const char *example, const char *path, long step) {
    doc d;
    fx_open(&d, example, "t_svg.json", 1);
    write_svg(&d, step, CAPTION_EN, path);
    doc_close(&d);
    remove("t_svg.json");
}

static int xmllint_ok(const char *path) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "xmllint --noout %s 2>&1", path);
    int st = system(cmd);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void svg_of_block_on_should_be_well_formed_xml(void **s) {
    (void)s;
    if (system("command -v xmllint >/dev/null 2>&1") != 0) skip();
    export_svg("block_on", "t_b.svg", -1);
    assert_true(xmllint_ok("t_b.svg"));
    remove("t_b.svg");
}

static void svg_with_a_cursor_and_korean_text_should_be_well_formed_xml(void **s) {
    (void)s;
    if (system("command -v xmllint >/dev/null 2>&1") != 0) skip();
    export_svg("many_requests", "t_m.svg", 30);
    assert_true(xmllint_ok("t_m.svg"));
    remove("t_m.svg");
}

static void svg_should_hold_real_text_and_escape_ampersands(void **s) {
    (void)s;
    export_svg("block_on", "t_b2.svg", -1);
    char *b = slurp("t_b2.svg");
    assert_non_null(strstr(b, ">Simplified View</text>"));
    assert_non_null(strstr(b, ">Implementation</text>"));
    assert_non_null(strstr(b, "A: cheapo_request</text>"));
    assert_non_null(strstr(b, "OS: network &amp; timers")); /* the lane name, escaped */
    assert_null(strstr(b, "network & timers"));
    assert_non_null(strstr(b, "fill=\"#5a3a22\"")); /* parked time, dark brown */
    free(b);
    remove("t_b2.svg");
}

static void svg_should_not_leave_a_file_when_it_cannot_write(void **s) {
    (void)s;
    draw_list dl;
    draw_list_init(&dl, 100, 100, 0xFFFFFFFF);
    char err[512];
    assert_int_equal(svg_write(&dl, "no/such/dir/x.svg", err, sizeof err), -1);
    assert_non_null(strstr(err, "no/such/dir/x.svg: cannot write"));
    draw_list_free(&dl);
}

/* Text from a hostile trace: a cut character, stray bytes, control characters and the
 * noncharacter U+FFFE — the SVG stays valid XML, the broken bytes shown as U+FFFD. */
static void svg_should_stay_valid_xml_whatever_the_text_holds(void **s) {
    (void)s;
    if (system("command -v xmllint >/dev/null 2>&1") != 0) skip();
    draw_list dl;
    draw_list_init(&dl, 200, 100, 0xFFFFFFFF);
    const char cut[] = {'a', (char)0xED, (char)0x95, 0};
    draw_text(&dl, 1, 10, cut, 10, 0xFF, DRAW_LEFT, 0);
    draw_text(&dl, 1, 20, "b\xff\xc0\xafz", 10, 0xFF, DRAW_LEFT, 0);
    draw_text(&dl, 1, 30, "c\x01\x1b[31m\x7f\xef\xbf\xbe!", 10, 0xFF, DRAW_LEFT, 0);
    char err[512];
    assert_int_equal(svg_write(&dl, "t_bad.svg", err, sizeof err), 0);
    draw_list_free(&dl);
    assert_true(xmllint_ok("t_bad.svg"));
    char *b = slurp("t_bad.svg");
    assert_non_null(strstr(b, ">a\xef\xbf\xbd\xef\xbf\xbd</text>"));
    assert_non_null(strstr(b, ">b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz</text>"));
    assert_non_null(strstr(b, ">c[31m\x7f!</text>"));
    free(b);
    remove("t_bad.svg");
}

/* The case end to end: a 401-character Korean title (after 2 ASCII bytes, so a cut
 * at 1,023 bytes falls inside a character) through the loader, the
 * layout (its header) and the SVG backend. */
static void svg_of_a_trace_with_a_long_korean_title_should_be_valid_xml(void **s) {
    (void)s;
    if (system("command -v xmllint >/dev/null 2>&1") != 0) skip();
    FILE *f = fopen("t_ko.json", "w");
    fputs("[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,\"title_ko\":\"T ", f);
    for (int i = 0; i < 401; i++) fputs("\xed\x95\x9c", f);
    fputs("\"}},\n{\"ph\":\"X\",\"cat\":\"park\",\"name\":\"park\",\"ts\":1,\"dur\":2,\"pid\":1,\"tid\":1}\n]\n", f);
    fclose(f);
    doc d;
    char err[512];
    assert_int_equal(doc_open(&d, "t_ko.json", 1, NULL, err, sizeof err), 0);
    write_svg(&d, -1, CAPTION_KO, "t_ko.svg");
    doc_close(&d);
    assert_true(xmllint_ok("t_ko.svg"));
    remove("t_ko.json");
    remove("t_ko.svg");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(svg_of_block_on_should_be_well_formed_xml),
        cmocka_unit_test(svg_with_a_cursor_and_korean_text_should_be_well_formed_xml),
        cmocka_unit_test(svg_should_hold_real_text_and_escape_ampersands),
        cmocka_unit_test(svg_should_not_leave_a_file_when_it_cannot_write),
        cmocka_unit_test(svg_should_stay_valid_xml_whatever_the_text_holds),
        cmocka_unit_test(svg_of_a_trace_with_a_long_korean_title_should_be_valid_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
