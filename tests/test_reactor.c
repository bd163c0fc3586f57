/* The virtual clock: events fire in (due, insertion) order, cancelled ones never fire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/reactor.h"

static int order[16], norder;
static void note(void *data, int64_t due) { (void)due; order[norder++] = (int)(intptr_t)data; }

static void events_should_fire_in_due_order_and_fifo_on_ties(void **s) {
    (void)s;
    reactor_t r;
    reactor_init(&r);
    norder = 0;
    reactor_at(&r, 300, note, (void *)3);
    reactor_at(&r, 100, note, (void *)1);
    reactor_at(&r, 200, note, (void *)2);
    reactor_at(&r, 100, note, (void *)4); /* same instant as 1, added later: fires after it */
    assert_int_equal(reactor_next_due(&r), 100);
    assert_int_equal(reactor_fire_next(&r), 2);
    assert_int_equal(r.now, 100);
    while (reactor_fire_next(&r)) {}
    assert_int_equal(norder, 4);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 4);
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 3);
    assert_int_equal(r.now, 300);
    assert_int_equal(reactor_next_due(&r), REACTOR_NEVER);
    reactor_free(&r);
}

static void a_cancelled_event_should_never_fire(void **s) {
    (void)s;
    reactor_t r;
    reactor_init(&r);
    norder = 0;
    reactor_event *e = reactor_at(&r, 50, note, (void *)9);
    reactor_at(&r, 60, note, (void *)6);
    reactor_cancel(e);
    assert_int_equal(reactor_pending(&r), 1);
    assert_int_equal(reactor_next_due(&r), 60);
    reactor_fire_next(&r);
    assert_int_equal(norder, 1);
    assert_int_equal(order[0], 6);
    reactor_free(&r);
}

static void an_event_in_the_past_should_fire_now_not_move_the_clock_back(void **s) {
    (void)s;
    reactor_t r;
    reactor_init(&r);
    norder = 0;
    reactor_at(&r, 500, note, (void *)1);
    reactor_fire_next(&r);
    reactor_at(&r, 10, note, (void *)2);
    assert_int_equal(reactor_next_due(&r), 500);
    reactor_fire_next(&r);
    assert_int_equal(r.now, 500);
    reactor_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_should_fire_in_due_order_and_fifo_on_ties),
        cmocka_unit_test(a_cancelled_event_should_never_fire),
        cmocka_unit_test(an_event_in_the_past_should_fire_now_not_move_the_clock_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
