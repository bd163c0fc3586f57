/* The mocked network: latencies, chunk order, faults, and errors that reach the caller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cheapo.h"
#include "util_trace.h"

typedef ut_world world;

static void w_open(world *w, uint64_t seed) {
    exec_config c;
    exec_config_default(&c);
    ut_world_open(w, &c, seed);
}

static cJSON *w_close(world *w) {
    cJSON *j = ut_world_close(w);
    assert_non_null(j);
    return j;
}

static net_host_cfg host(const char *name, int connect_ms, int nchunks) {
    net_host_cfg h = {.port = 80, .connect_ns = connect_ms * 1000000LL, .nchunks = nchunks, .eof_with_last = 1};
    snprintf(h.name, sizeof h.name, "%s", name);
    for (int i = 0; i < nchunks; i++) h.chunks[i] = (net_chunk){10 * 1000000LL, 100};
    return h;
}

static exec_result request(world *w, const char *name, cheapo_request *req) {
    cheapo_request_init(req, w->ex, NULL, w->net, name, 80, "/");
    return exec_block_on(w->ex, &req->base, "cheapo_request");
}

static void a_refused_connection_should_reach_the_caller_as_an_error(void **s) {
    (void)s;
    world w;
    w_open(&w, 1);
    net_host_cfg h = host("down.example", 5, 1);
    h.fault = NET_FAULT_REFUSE;
    net_add_host(w.net, &h);
    cheapo_request req;
    assert_int_equal(request(&w, "down.example", &req), EXEC_OK);
    assert_int_equal(req.base.err, NET_ECONNREFUSED);
    assert_string_equal(net_strerror(req.base.err), "connection refused");
    cJSON *t = w_close(&w);
    assert_int_equal(ut_count(t, "i", "net", "refused", -1), 1);
    assert_int_equal(ut_count(t, "X", "poll", "read_to_string", -1), 0);
    cJSON_Delete(t);
}

static void an_unknown_host_should_fail_at_connect_without_a_socket(void **s) {
    (void)s;
    world w;
    w_open(&w, 1);
    cheapo_request req;
    assert_int_equal(request(&w, "nowhere.invalid", &req), EXEC_OK);
    assert_int_equal(req.base.err, NET_ENOTFOUND);
    cJSON *t = w_close(&w);
    assert_int_equal(ut_count(t, "X", "poll", "connect", -1), 1);
    cJSON_Delete(t);
}

static void a_reset_in_the_middle_should_end_read_to_string_with_an_error(void **s) {
    (void)s;
    world w;
    w_open(&w, 1);
    net_host_cfg h = host("flaky.example", 5, 4);
    h.fault = NET_FAULT_RESET;
    h.reset_after = 2;
    net_add_host(w.net, &h);
    cheapo_request req;
    assert_int_equal(request(&w, "flaky.example", &req), EXEC_OK);
    assert_int_equal(req.base.err, NET_ECONNRESET);
    cJSON *t = w_close(&w);
    assert_int_equal(ut_count(t, "i", "net", "chunk", -1), 2);
    assert_int_equal(ut_count(t, "i", "net", "reset", -1), 1);
    cJSON_Delete(t);
}

static void a_host_that_never_answers_should_end_in_a_deadlock_naming_connect(void **s) {
    (void)s;
    world w;
    w_open(&w, 1);
    net_host_cfg h = host("silent.example", 5, 1);
    h.fault = NET_FAULT_SILENT;
    net_add_host(w.net, &h);
    cheapo_request req;
    assert_int_equal(request(&w, "silent.example", &req), EXEC_DEADLOCK);
    cJSON *t = w_close(&w);
    const cJSON *e;
    int found = 0;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "i", "run", "deadlock")) {
        const cJSON *task = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "args"), "tasks"), 0);
        assert_string_equal(ut_str(task, "awaits"), "connect");
        assert_int_equal((int)ut_num(task, "wakers"), 1); /* the socket holds it: not a lost waker */
        found = 1;
    }
    assert_true(found);
    cJSON_Delete(t);
}

static void chunks_should_arrive_in_order_under_jitter(void **s) {
    (void)s;
    world w;
    w_open(&w, 7);
    net_host_cfg h = host("jittery.example", 5, 8);
    h.jitter_ns = 30 * 1000000LL; /* larger than the gaps between chunks */
    net_add_host(w.net, &h);
    cheapo_request req;
    assert_int_equal(request(&w, "jittery.example", &req), EXEC_OK);
    assert_int_equal(req.base.value, 800);
    cJSON *t = w_close(&w);
    double last = -1;
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "i", "net", "chunk")) {
        assert_true(ut_num(e, "ts") >= last);
        last = ut_num(e, "ts");
    }
    cJSON_Delete(t);
}

static double connected_at(int connect_ms) {
    world w;
    w_open(&w, 1);
    net_host_cfg h = host("a.example", connect_ms, 1);
    net_add_host(w.net, &h);
    cheapo_request req;
    request(&w, "a.example", &req);
    cJSON *t = w_close(&w);
    double at = -1;
    const cJSON *e;
    cJSON_ArrayForEach(e, t) if (ut_is(e, "i", "net", "connected")) at = ut_num(e, "ts");
    cJSON_Delete(t);
    return at;
}

static void a_longer_connect_latency_should_move_the_connection_later_by_as_much(void **s) {
    (void)s;
    double a = connected_at(10), b = connected_at(35);
    assert_true(a > 0);
    assert_true(b - a > 24999.0 && b - a < 25001.0);
}

/* Issue 9 (the loader's quadratic lookups): the hosts are hashed; among thousands each is
 * found, a later one of the same name replaces it, and an unknown name is not found. */
static void many_hosts_should_each_be_found_and_replaceable(void **s) {
    (void)s;
    net_t *n = net_new(NULL, 1);
    net_add_default_hosts(n);
    for (int i = 0; i < 5000; i++) {
        net_host_cfg h = {.port = 80, .connect_ns = i};
        snprintf(h.name, sizeof h.name, "h%d.example", i);
        assert_int_equal(net_add_host(n, &h), NET_OK);
    }
    for (int i = 0; i < 5000; i++) {
        char name[32];
        snprintf(name, sizeof name, "h%d.example", i);
        const net_host_cfg *h = net_find_host(n, name);
        assert_non_null(h);
        assert_int_equal(h->connect_ns, i);
    }
    net_host_cfg again = {.port = 81, .connect_ns = 7};
    snprintf(again.name, sizeof again.name, "example.com");
    assert_int_equal(net_add_host(n, &again), NET_OK);
    assert_int_equal(net_find_host(n, "example.com")->port, 81);
    assert_non_null(net_find_host(n, "en.wikipedia.org"));
    assert_null(net_find_host(n, "h5000.example"));
    net_free(n);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_hosts_should_each_be_found_and_replaceable),
        cmocka_unit_test(a_refused_connection_should_reach_the_caller_as_an_error),
        cmocka_unit_test(an_unknown_host_should_fail_at_connect_without_a_socket),
        cmocka_unit_test(a_reset_in_the_middle_should_end_read_to_string_with_an_error),
        cmocka_unit_test(a_host_that_never_answers_should_end_in_a_deadlock_naming_connect),
        cmocka_unit_test(chunks_should_arrive_in_order_under_jitter),
        cmocka_unit_test(a_longer_connect_latency_should_move_the_connection_later_by_as_much),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
