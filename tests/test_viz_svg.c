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

static void export_svg(const char *example, const char *path, long step) {
    doc d;
    char err[512];
    fx_open(&d, example, "t_svg.json", 1);
    layout_view v;
    layout_view_init(&v, 1400, 0);
    v.step = step;
    draw_list dl;
    draw_list_init(&dl, 1400, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d.t, &d.ix, &d.ax, &v, &dl, NULL), 0);
    assert_int_equal(svg_write(&dl, path, err, sizeof err), 0);
    draw_list_free(&dl);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(svg_of_block_on_should_be_well_formed_xml),
        cmocka_unit_test(svg_with_a_cursor_and_korean_text_should_be_well_formed_xml),
        cmocka_unit_test(svg_should_hold_real_text_and_escape_ampersands),
        cmocka_unit_test(svg_should_not_leave_a_file_when_it_cannot_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
