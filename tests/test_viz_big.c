/* Large traces: a synthetic trace (200,000 events here; PINATA_BIG_EVENTS=1000000 for
 * the measurement in docs/viewer.md) loads into compact arrays, indexes, lays out with
 * one mark per pixel column and renders a frame. Times are printed, not asserted
 * (performance is measured, see docs/viewer.md); memory per event is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "viz_fixture.h"
#include "viz/sdlr.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void big_trace_should_load_in_compact_arrays_and_lay_out_per_pixel_column(void **s) {
    (void)s;
    const char *env = getenv("PINATA_BIG_EVENTS");
    size_t want = env ? (size_t)atol(env) : 200000;
    size_t n = fx_write_big("t_big.json", want);
    char err[512];
    double t0 = now_ms();
    tload_trace t;
    assert_int_equal(tload_file("t_big.json", &t, err, sizeof err), 0);
    double t1 = now_ms();
    tindex ix;
    assert_int_equal(tindex_build(&t, &ix), 0);
    taxis ax;
    assert_int_equal(taxis_build(&ax, &t, &ix, 1), 0);
    double t2 = now_ms();
    assert_int_equal(t.n, n);
    double per_event = (double)(tload_bytes(&t) + tindex_bytes(&ix, t.n)) / (double)t.n;
    assert_true(per_event < 100);

    layout_view v;
    layout_view_init(&v, 1400, 820);
    v.step = (long)ix.n_steps / 2;
    draw_list dl;
    draw_list_init(&dl, 1400, 820, 0xFFFFFFFF);
    double t3 = now_ms();
    const int frames = 5;
    for (int k = 0; k < frames; k++) { /* panning a little each frame, as the window does */
        v.u_lo = ax.u_total * 0.01 * k;
        v.u_hi = ax.u_total * (0.5 + 0.01 * k);
        assert_int_equal(layout_build(&t, &ix, &ax, &v, &dl, NULL), 0);
    }
    double t4 = now_ms();
    assert_true(dl.n < 40000); /* bounded by pixels, not by events */
    assert_int_equal(sdlr_save_png(&dl, "t_big.png", err, sizeof err), 0);
    double t5 = now_ms();
    printf("big trace: %zu events; load %.0f ms; index+axis %.0f ms; %.1f bytes/event (events %zu B each + "
           "index + strings); layout %.1f ms/frame (%zu draw commands); PNG render+save %.0f ms\n",
           t.n, t1 - t0, t2 - t1, per_event, sizeof(tload_event), (t4 - t3) / frames, dl.n, t5 - t4);
    draw_list_free(&dl);
    taxis_free(&ax);
    tindex_free(&ix);
    tload_free(&t);
    remove("t_big.json");
    remove("t_big.png");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(big_trace_should_load_in_compact_arrays_and_lay_out_per_pixel_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
